package main

import (
	"crypto/rand"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"aead.dev/minisign"
	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3bolt"

	"sunledger/internal/tlogtest"
)

// testCommittee makes a committee key (unencrypted: the witness never needs the secret
// key) and writes its public key to dir/name.pub.
func testCommittee(t *testing.T, dir, name string) (string, minisign.PrivateKey) {
	t.Helper()
	pub, priv, err := minisign.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	pt, _ := pub.MarshalText()
	return writeFile(t, dir, name+".pub", string(pt)), priv
}

// dirFiles is every file under dir with its bytes.
func dirFiles(t *testing.T, dir string) map[string]string {
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

func TestWitnessCLI_CosignsExtensionsAndRefusesRollbackForkAndOtherKeys(t *testing.T) {
	dir := t.TempDir()
	nobook := filepath.Join(dir, "no-book") // any computer: no book at --data
	pub, key := testCommittee(t, dir, "ck")
	otherPub, otherKey := testCommittee(t, dir, "other")
	state := filepath.Join(dir, "office")
	const origin = "sunledger/0123456789abcdef"
	l := &tlogtest.Log{}
	l.AppendN(5)
	snap := func(name string, lg *tlogtest.Log, k minisign.PrivateKey, n int64, earlier ...int64) string {
		p := filepath.Join(dir, name)
		if err := lg.Snapshot(p, origin, k, n, earlier...); err != nil {
			t.Fatal(err)
		}
		return p
	}
	s1 := snap("s1.zip", l, key, 5)
	r := ok(t, nobook, "witness", "cosign", s1, "--state", state, "--pub", pub)
	if !strings.Contains(r.stdout, "第一次见到这个来源") || !strings.Contains(r.stdout, origin) {
		t.Fatalf("first cosign: %s", r.stdout)
	}
	cosig1, err := os.ReadFile(s1 + ".cosig")
	if err != nil || !strings.HasPrefix(string(cosig1), "— sunledger-witness/") {
		t.Fatalf("s1.zip.cosig: %v %q", err, cosig1)
	}
	if _, err := os.Stat(nobook); err == nil {
		t.Error("witness cosign made a book folder")
	}
	vkey := filepath.Join(state, "witness.vkey")
	r = ok(t, nobook, "snapshot", "verify", s1, "--pub", pub, "--witness", vkey)
	if !strings.Contains(r.stdout, "联署了检查点") {
		t.Errorf("verify --witness: %s", r.stdout)
	}
	l.AppendN(4)
	s2 := snap("s2.zip", l, key, 9, 2, 5)
	r = ok(t, nobook, "witness", "cosign", s2, "--state", state, "--pub", pub)
	if !strings.Contains(r.stdout, "延续了见证人见过的大小 5 的树") {
		t.Fatalf("extension: %s", r.stdout)
	}
	forked := &tlogtest.Log{}
	forked.AppendN(3)
	forked.Append([]byte("a payment nobody approved\n"))
	forked.AppendN(5)
	l.AppendN(3)
	for _, c := range []struct {
		name, zip, pub, want string
	}{
		{"rollback", s1, pub, "回滚"},
		{"fork: another tree of the size held", snap("fork.zip", forked, key, 9, 5), pub, "分叉"},
		{"fork: no proof from the size held", snap("noproof.zip", l, key, 12, 5), pub, "分叉"},
		{"the snapshot's signature with another key", s2, otherPub, "没有联署"},
		{"a tampered consistency proof", tamperedProof(t, dir, l, key, origin), pub, "一致性证明"}, // snapshot verify (once it checks proofs) or the witness
		{"another committee key under the same origin", snap("otherkey.zip", l, otherKey, 12, 9), otherPub, "密钥不同"},
	} {
		t.Run(c.name, func(t *testing.T) {
			before := dirFiles(t, state)
			cosigBefore, _ := os.ReadFile(c.zip + ".cosig")
			r := fails(t, nobook, "witness", "cosign", c.zip, "--state", state, "--pub", c.pub)
			if r.code != 1 || !strings.Contains(r.stderr, c.want) {
				t.Fatalf("exit %d, stderr %q, want %q", r.code, r.stderr, c.want)
			}
			after := dirFiles(t, state)
			if len(after) != len(before) {
				t.Fatalf("the witness folder changed: %d → %d files", len(before), len(after))
			}
			for p, b := range before {
				if after[p] != b {
					t.Errorf("%s changed", p)
				}
			}
			if cosigAfter, _ := os.ReadFile(c.zip + ".cosig"); string(cosigAfter) != string(cosigBefore) {
				t.Errorf("%s.cosig written", c.zip)
			}
		})
	}
	// the folder lists what it holds
	r = ok(t, nobook, "witness", "list", "--state", state, "--json")
	if !strings.Contains(r.stdout, `"origin": "`+origin+`"`) || !strings.Contains(r.stdout, `"size": 9`) || !strings.Contains(r.stdout, `"vkey": "sunledger-witness/`) {
		t.Errorf("witness list: %s", r.stdout)
	}
	// in English too, one line
	r = cliEnv(t, nobook, []string{"SUNLEDGER_LANG=en"}, "witness", "cosign", s1, "--state", state, "--pub", pub)
	if r.code != 1 || !strings.HasPrefix(r.stderr, "error: rollback: "+origin+"'s checkpoint has 5 records, the witness has seen 9") || strings.Count(r.stderr, "\n") != 1 {
		t.Errorf("English: exit %d %q", r.code, r.stderr)
	}
	// a second witness adds its line beside the first's; verify finds each
	other := filepath.Join(dir, "other-witness")
	ok(t, nobook, "witness", "cosign", s2, "--state", other, "--pub", pub, "--name", "sunledger-witness/neighbour")
	if b, _ := os.ReadFile(s2 + ".cosig"); strings.Count(string(b), "\n— ") != 1 || !strings.Contains(string(b), "— sunledger-witness/neighbour ") {
		t.Errorf("s2.zip.cosig after two witnesses: %q", b)
	}
	if r := ok(t, nobook, "snapshot", "verify", s2, "--pub", pub); !strings.Contains(r.stdout, "旁边有 2 个联署") {
		t.Errorf("verify without --witness: %s", r.stdout)
	}
	for _, v := range []string{vkey, filepath.Join(other, "witness.vkey")} {
		ok(t, nobook, "snapshot", "verify", s2, "--pub", pub, "--witness", v)
	}
	// verify --witness: another witness's key finds no cosignature of its own
	os.WriteFile(s2+".cosig", cosig1, 0o644) // the first witness's line on the older checkpoint
	r = fails(t, nobook, "snapshot", "verify", s2, "--pub", pub, "--witness", filepath.Join(other, "witness.vkey"))
	if !strings.Contains(r.stderr, "没有见证人") {
		t.Errorf("verify --witness with another witness's line: %q", r.stderr)
	}
	// and the first witness's line does not verify on another checkpoint
	r = fails(t, nobook, "snapshot", "verify", s2, "--pub", pub, "--witness", vkey)
	if !strings.Contains(r.stderr, "联署签名无效") {
		t.Errorf("verify --witness with a line on another checkpoint: %q", r.stderr)
	}
}

// tamperedProof is a snapshot of the log at 12 whose consistency proof from 9 was altered.
func tamperedProof(t *testing.T, dir string, l *tlogtest.Log, key minisign.PrivateKey, origin string) string {
	t.Helper()
	p := filepath.Join(dir, "badproof.zip")
	err := tlogtest.WriteSnapshot(p, "测试小区", key, time.Now(), map[string][]byte{
		"checkpoint":  l.Checkpoint(origin, 12, key),
		"proofs.json": tlogtest.TamperProof(l.ProofsJSON(12, 9)),
	})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// A book restored from a backup is an allowed rollback of the book; what it publishes
// afterwards shows to the witness as a fork of the history it cosigned after the backup.
func TestWitnessCLI_HistoryAfterARestoredBackupIsAFork(t *testing.T) {
	snapshotBook(t) // for the committee key
	dir := t.TempDir()
	data := filepath.Join(dir, "book")
	state := filepath.Join(dir, "office")
	ok(t, data, "demo", "--units", "24", "--years", "1")
	export := func(name string) string {
		p := filepath.Join(dir, name)
		ok(t, data, "snapshot", "export", "--key", snap.key, "--out", p, "--passphrase-file", snap.pass)
		return p
	}
	s1 := export("s1.zip")
	r := cli(t, dir, "witness", "cosign", s1, "--state", state, "--pub", snap.pub)
	if r.code != 0 && strings.Contains(r.stderr, "没有检查点") {
		t.Skip("snapshot export does not write the record log's checkpoint yet")
	}
	if r.code != 0 {
		t.Fatalf("cosign s1: %s", r.stderr)
	}
	ok(t, data, "backup", "--out", filepath.Join(dir, "b.bak"), "--passphrase-file", snap.pass)
	ok(t, data, "settings", "--office-phone", "11111111")
	s2 := export("s2.zip")
	if r := ok(t, dir, "witness", "cosign", s2, "--state", state, "--pub", snap.pub); !strings.Contains(r.stdout, "延续了") {
		t.Fatalf("cosign s2: %s", r.stdout)
	}
	ok(t, data, "restore", filepath.Join(dir, "b.bak"), "--force", "--passphrase-file", snap.pass)
	ok(t, data, "settings", "--office-phone", "22222222")
	ok(t, data, "settings", "--notice-days", "9")
	s3 := export("s3.zip")
	ok(t, dir, "snapshot", "verify", s3, "--pub", snap.pub) // a valid snapshot on its own
	r = fails(t, dir, "witness", "cosign", s3, "--state", state, "--pub", snap.pub)
	if r.code != 1 || !strings.Contains(r.stderr, "分叉") {
		t.Fatalf("cosign s3: exit %d %q", r.code, r.stderr)
	}
}

// snapshot collect through the binary: a witness across runs (--witness-state), and a
// community that publishes another history under its origin fails the collect, named.
func TestWitnessCLI_CollectNamesASplitView(t *testing.T) {
	be, err := s3bolt.NewFile(filepath.Join(t.TempDir(), "s3.bolt"))
	if err != nil {
		t.Fatal(err)
	}
	if err := be.CreateBucket("city"); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(gofakes3.New(be, gofakes3.WithLogger(gofakes3.DiscardLog())).Server())
	defer srv.Close()
	dir := t.TempDir()
	none := filepath.Join(dir, "nobook")
	creds := writeFile(t, dir, "creds", "[default]\naws_access_key_id = AKID\naws_secret_access_key = SECRET\n")
	logs := map[string]*tlogtest.Log{"east": {}, "west": {}}
	keys := map[string]minisign.PrivateKey{}
	for c := range logs {
		_, keys[c] = testCommittee(t, dir, c)
		logs[c].AppendN(4)
	}
	keysCSV := writeFile(t, dir, "keys.csv", "community,pubkey_file\neast,east.pub\nwest,west.pub\n")
	created := time.Now().Add(-time.Hour)
	publish := func(c string, lg *tlogtest.Log, n int64, earlier ...int64) {
		t.Helper()
		created = created.Add(time.Minute)
		p := filepath.Join(t.TempDir(), c+".zip")
		err := tlogtest.WriteSnapshot(p, c+"小区", keys[c], created, map[string][]byte{
			"checkpoint":  lg.Checkpoint("sunledger/"+c+"-0001", n, keys[c]),
			"proofs.json": lg.ProofsJSON(n, earlier...),
		})
		if err != nil {
			t.Fatal(err)
		}
		ok(t, none, "snapshot", "publish", p, "--to", "s3://city/all/"+c, "--endpoint", srv.URL, "--credentials", creds)
	}
	state := filepath.Join(dir, "office-witness")
	collect := func(out string) result {
		return cli(t, none, "snapshot", "collect", "--from", "s3://city/all", "--keys", keysCSV, "--out", filepath.Join(dir, out),
			"--endpoint", srv.URL, "--credentials", creds, "--witness-state", state)
	}
	publish("east", logs["east"], 4)
	publish("west", logs["west"], 4)
	if r := collect("out1"); r.code != 0 {
		t.Fatalf("first collect: exit %d %s", r.code, r.stderr)
	}
	logs["west"].AppendN(2)
	publish("west", logs["west"], 6, 4)
	split := &tlogtest.Log{}
	split.Append([]byte("another history\n"))
	split.AppendN(5)
	publish("east", split, 6, 4)
	r := collect("out2")
	if r.code != 1 || !strings.Contains(r.stderr, "east (fork)") || strings.Contains(r.stderr, "west (") {
		t.Fatalf("collect with a split view: exit %d\n%s", r.code, r.stderr)
	}
	csv := string(mustRead(t, filepath.Join(dir, "out2", "summary.csv")))
	if !strings.Contains(csv, ",fork\r\n") || !strings.Contains(csv, ",extends\r\n") {
		t.Errorf("summary.csv:\n%s", csv)
	}
	if _, err := os.Stat(filepath.Join(dir, "out2", "witness")); err == nil {
		t.Error("collect kept its witness state in DIR/witness despite --witness-state")
	}
}
