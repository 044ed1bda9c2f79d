package witness

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"aead.dev/minisign"
	"golang.org/x/mod/sumdb/note"

	"sunledger/app"
	"sunledger/internal/tlogtest"
	"sunledger/snapshot"
)

const origin = "sunledger/7f3a9c01e2b4d5a6"

func TestMain(m *testing.M) {
	app.SetEnglish(true) // the tests read the English messages
	os.Exit(m.Run())
}

func committee(t testing.TB) (minisign.PublicKey, minisign.PrivateKey) {
	t.Helper()
	pub, priv, err := minisign.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return pub, priv
}

func logOf(n int) *tlogtest.Log {
	l := &tlogtest.Log{}
	l.AppendN(n)
	return l
}

// folder is every file of the witness folder and its bytes, to show a refusal wrote nothing.
func folder(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			b, _ := os.ReadFile(p)
			out[p] = string(b)
		}
		return nil
	})
	return out
}

func TestCosign_FirstCheckpointIsRecordedAndCosigned(t *testing.T) {
	pub, priv := committee(t)
	dir := t.TempDir()
	w, err := Open(dir, "")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(w.Name(), "sunledger-witness/") {
		t.Errorf("name %q", w.Name())
	}
	l := logOf(7)
	cp := l.Checkpoint(origin, 7, priv)
	res, err := w.Cosign(cp, l.ProofsJSON(7), pub)
	if err != nil || res.Verdict != First || res.HeldSize != -1 || res.Size != 7 || res.Origin != origin {
		t.Fatalf("%+v %v", res, err)
	}
	held, ok, err := w.Held(origin)
	if err != nil || !ok || held.N != 7 || held.Hash != l.Root(7) {
		t.Fatalf("held %+v %v %v", held, ok, err)
	}
	// the cosignature verifies with the vkey the folder publishes, and with nothing else
	vb, err := os.ReadFile(filepath.Join(dir, VKeyName))
	if err != nil {
		t.Fatal(err)
	}
	if strings.TrimSpace(string(vb)) != w.VerifierKey() {
		t.Fatalf("witness.vkey %q, want %q", vb, w.VerifierKey())
	}
	v, err := ParseVerifierKey(string(vb))
	if err != nil {
		t.Fatal(err)
	}
	cv, _ := snapshot.CheckpointVerifier(pub, origin)
	got, err := CheckCosignatures(cp, res.Cosignature, cv, v)
	if err != nil || len(got) != 1 || got[0].Name != w.Name() || got[0].Time == 0 {
		t.Fatalf("cosignatures %+v %v\n%s", got, err, res.Cosignature)
	}
	if !bytes.HasPrefix(res.Cosignature, []byte("— "+w.Name()+" ")) || bytes.Count(res.Cosignature, []byte("\n")) != 1 {
		t.Errorf("cosignature line %q", res.Cosignature)
	}
	// a changed cosignature fails
	bad := append([]byte{}, res.Cosignature...)
	sig := bad[len(bad)-10]
	bad[len(bad)-10] = map[bool]byte{true: 'A', false: 'B'}[sig != 'A']
	if _, err := CheckCosignatures(cp, bad, cv, v); err == nil {
		t.Error("a changed cosignature verified")
	}
	// the key is kept: a second Open is the same witness
	w2, err := Open(dir, "other-name")
	if err != nil || w2.VerifierKey() != w.VerifierKey() {
		t.Fatalf("reopened: %v %v", w2, err)
	}
	if st, _ := os.Stat(filepath.Join(dir, KeyName)); st.Mode().Perm() != 0o600 {
		t.Errorf("witness.key mode %v", st.Mode())
	}
}

func TestCosign_ARefusalInANewFolderLeavesNoTrace(t *testing.T) {
	pub, _ := committee(t)
	_, otherPriv := committee(t)
	dir := filepath.Join(t.TempDir(), "new")
	w, err := Open(dir, "w")
	if err != nil {
		t.Fatal(err)
	}
	l := logOf(3)
	if res, err := w.Cosign(l.Checkpoint(origin, 3, otherPriv), l.ProofsJSON(3), pub); err == nil || res.Verdict != BadSignature {
		t.Fatalf("%+v %v", res, err)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Fatalf("the refused witness made its folder: %v", err)
	}
}

func TestCosign_AnExtensionWithAValidProofIsCosigned(t *testing.T) {
	pub, priv := committee(t)
	w, _ := Open(t.TempDir(), "w1")
	l := logOf(5)
	if _, err := w.Cosign(l.Checkpoint(origin, 5, priv), l.ProofsJSON(5), pub); err != nil {
		t.Fatal(err)
	}
	l.AppendN(8)
	for _, c := range []struct {
		size    int64
		earlier []int64
		want    string
	}{{13, []int64{2, 5}, Extends}, {13, []int64{5, 13}, Same}, {16, nil, Fork}} {
		if c.size > l.Size() {
			l.AppendN(int(c.size - l.Size()))
		}
		res, err := w.Cosign(l.Checkpoint(origin, c.size, priv), l.ProofsJSON(c.size, c.earlier...), pub)
		if res.Verdict != c.want || (err == nil) != (c.want != Fork) {
			t.Fatalf("size %d: %+v %v", c.size, res, err)
		}
	}
	held, _, _ := w.Held(origin)
	if held.N != 13 {
		t.Fatalf("held %d", held.N)
	}
}

func TestCosign_RefusalsExitWithTheReasonAndRecordNothing(t *testing.T) {
	pub, priv := committee(t)
	otherPub, otherPriv := committee(t)
	dir := t.TempDir()
	w, _ := Open(dir, "w1")
	a := logOf(9)
	if _, err := w.Cosign(a.Checkpoint(origin, 9, priv), a.ProofsJSON(9, 4), pub); err != nil {
		t.Fatal(err)
	}
	// b: the same first 4 records, then another history
	b := logOf(4)
	b.Append([]byte("a rewritten record\n"))
	b.AppendN(7)
	tamper := func(proofs []byte) []byte {
		p, err := ParseProofs(proofs)
		if err != nil {
			t.Fatal(err)
		}
		h, _ := parseHash(p.Consistency[0].Proof[0])
		h[0] ^= 1
		p.Consistency[0].Proof[0] = b64(h)
		out, _ := json.Marshal(p)
		return out
	}
	a.AppendN(3)
	cpA12 := a.Checkpoint(origin, 12, priv)
	changed := bytes.Replace(cpA12, []byte("\n12\n"), []byte("\n13\n"), 1)
	for _, c := range []struct {
		name, verdict, want string
		cp, proofs          []byte
		key                 minisign.PublicKey
	}{
		{"rollback to a smaller tree", Rollback, "rollback: " + origin + "'s checkpoint has 4 records, the witness has seen 9", a.Checkpoint(origin, 4, priv), a.ProofsJSON(4), pub},
		{"another tree of the same size", Fork, "fork: " + origin + " published two different trees of size 9", b.Checkpoint(origin, 9, priv), b.ProofsJSON(9, 4), pub},
		{"a bigger tree whose past differs", Fork, "its tree of size 9 had root", b.Checkpoint(origin, 12, priv), b.ProofsJSON(12, 4, 9), pub},
		{"a bigger tree with no proof from the size held", Fork, "no consistency proof from the size 9", a.Checkpoint(origin, 12, priv), a.ProofsJSON(12, 4), pub},
		{"a tampered consistency proof", BadProof, "bad consistency proof", cpA12, tamper(a.ProofsJSON(12, 9)), pub},
		{"the old root with another history's proof", BadProof, "bad consistency proof", b.Checkpoint(origin, 12, priv),
			bytes.Replace(b.ProofsJSON(12, 9), []byte(b64(b.Root(9))), []byte(b64(a.Root(9))), 1), pub},
		{"proofs.json of another checkpoint", BadProof, "proofs.json is about another checkpoint", cpA12, a.ProofsJSON(11, 9), pub},
		{"a checkpoint signed with another key", BadSignature, "not signed by this committee key", a.Checkpoint(origin, 12, otherPriv), a.ProofsJSON(12, 9), pub},
		{"the right snapshot checked with another key", BadSignature, "not signed by this committee key", cpA12, a.ProofsJSON(12, 9), otherPub},
		{"a checkpoint changed after signing", BadSignature, "changed after signing", changed, a.ProofsJSON(12, 9), pub},
		{"an origin that is not Sunledger's", BadProof, "is not sunledger/<book id>", a.Checkpoint("example.com/log", 12, priv), a.ProofsJSON(12, 9), pub},
		{"another committee key under the same origin", BadSignature, "another key: the checkpoint of " + origin, a.Checkpoint(origin, 12, otherPriv), a.ProofsJSON(12, 9), otherPub},
		{"malformed proofs", BadProof, "proofs.json is malformed", cpA12, []byte(`{"checkpoint": {"size": 12, "root": "xx"}}`), pub},
	} {
		t.Run(c.name, func(t *testing.T) {
			before := folder(t, dir)
			res, err := w.Cosign(c.cp, c.proofs, c.key)
			if err == nil || res.Verdict != c.verdict || res.Cosignature != nil {
				t.Fatalf("%+v %v, want %s", res, err, c.verdict)
			}
			if !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "\n") {
				t.Errorf("error %q, want one line with %q", err, c.want)
			}
			after := folder(t, dir)
			if len(after) != len(before) {
				t.Fatalf("files %d → %d", len(before), len(after))
			}
			for p, b := range before {
				if after[p] != b {
					t.Errorf("%s changed", p)
				}
			}
		})
	}
	// and the genuine extension still goes through
	if res, err := w.Cosign(cpA12, a.ProofsJSON(12, 9), pub); err != nil || res.Verdict != Extends || res.HeldSize != 9 {
		t.Fatalf("%+v %v", res, err)
	}
}

func b64(h [32]byte) string { return base64.StdEncoding.EncodeToString(h[:]) }

func TestCosign_TwoBooksUnderOneOriginAreASplitView(t *testing.T) {
	pub, priv := committee(t)
	w, _ := Open(t.TempDir(), "office")
	a, b := logOf(3), &tlogtest.Log{}
	b.Append([]byte("another book\n"))
	b.AppendN(5)
	if _, err := w.Cosign(a.Checkpoint(origin, 3, priv), a.ProofsJSON(3), pub); err != nil {
		t.Fatal(err)
	}
	res, err := w.Cosign(b.Checkpoint(origin, 6, priv), b.ProofsJSON(6, 3), pub)
	if err == nil || res.Verdict != Fork {
		t.Fatalf("%+v %v", res, err)
	}
	// a new book (a new origin) signed with the same committee key starts history afresh:
	// a fork too
	res, err = w.Cosign(b.Checkpoint(origin+"0", 6, priv), b.ProofsJSON(6), pub)
	if err == nil || res.Verdict != Fork || !strings.Contains(err.Error(), "signed checkpoints of "+origin+" before") {
		t.Fatalf("%+v %v", res, err)
	}
	if o, ok := w.OriginOf(pub); !ok || o != origin {
		t.Fatalf("origin of the key: %q %v", o, ok)
	}
	// another committee's book is another log: its first checkpoint is recorded
	pub2, priv2 := committee(t)
	if res, err := w.Cosign(b.Checkpoint(origin+"0", 6, priv2), b.ProofsJSON(6), pub2); err != nil || res.Verdict != First {
		t.Fatalf("%+v %v", res, err)
	}
}

func TestParseVerifierKey_RefusesOtherKeys(t *testing.T) {
	skey, vkey, _ := note.GenerateKey(rand.Reader, "plain-ed25519")
	_ = skey
	for _, k := range []string{vkey, "", "a+b", "name+00000000+" + base64.StdEncoding.EncodeToString(append([]byte{4}, make([]byte, 32)...))} {
		if _, err := ParseVerifierKey(k); err == nil {
			t.Errorf("%q accepted", k)
		}
	}
}

func FuzzParseProofs(f *testing.F) {
	l := logOf(9)
	f.Add(l.ProofsJSON(9, 1, 4, 8))
	f.Add([]byte(`{"checkpoint": {"size": -1, "root": ""}, "consistency": [{"size": 3}]}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := ParseProofs(b)
		if err != nil {
			return
		}
		if _, err := parseHash(p.Checkpoint.Root); err != nil {
			t.Fatalf("accepted a bad root %q", p.Checkpoint.Root)
		}
		for _, c := range p.Consistency {
			if c.Size < 0 || c.Size > p.Checkpoint.Size {
				t.Fatalf("accepted size %d", c.Size)
			}
		}
	})
}

func FuzzOpenCheckpoint(f *testing.F) {
	pub, priv := committee(f)
	l := logOf(4)
	f.Add(l.Checkpoint(origin, 4, priv))
	f.Add(l.Checkpoint(origin, 0, priv))
	f.Add([]byte("sunledger/x\n1\n\n\n— sunledger/x AAAA\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := OpenCheckpoint(b, pub)
		if err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("error is not one line: %q", err)
			}
			return
		}
		if !strings.HasPrefix(c.Origin, OriginPrefix) || c.N < 0 || !bytes.HasPrefix(b, []byte(c.String())) {
			t.Fatalf("accepted %q as %+v", b, c)
		}
	})
}

func TestMergeCosignatures_KeepsOtherWitnessesAndReplacesItsOwn(t *testing.T) {
	got := string(MergeCosignatures([]byte("— a/x AAAA\n— b/y BBBB\njunk\n— b/yy CCCC\n"), []byte("— b/y DDDD\n"), "b/y"))
	if want := "— a/x AAAA\n— b/yy CCCC\n— b/y DDDD\n"; got != want {
		t.Fatalf("%q, want %q", got, want)
	}
	if got := string(MergeCosignatures(nil, []byte("— b/y DDDD\n"), "b/y")); got != "— b/y DDDD\n" {
		t.Fatalf("%q", got)
	}
}
