package main

import (
	"archive/zip"
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"sunledger/internal/testtool"

	"aead.dev/minisign"

	"sunledger/app"
	"sunledger/snapshot"
)

// The committee key's scrypt costs seconds and about 1 GiB per use, so the package makes
// one key, one demo book and one snapshot, and the tests share them.
var snap struct {
	once  sync.Once
	ready bool
	dir   string // holds book/, ck.key, ck.pub, pass, s.zip, s.zip.minisig
	data  string
	pass  string
	key   string
	pub   string
	zip   string
	head  string
	out   result // the export's output
}

func snapshotBook(t *testing.T) {
	t.Helper()
	snap.once.Do(func() {
		// Beside the test binary, which TestMain removes at the end (a t.TempDir would
		// vanish with the first test).
		dir, err := os.MkdirTemp(filepath.Dir(binPath), "snapshot")
		if err != nil {
			t.Fatal(err)
		}
		snap.dir = dir
		snap.data = filepath.Join(snap.dir, "book")
		ok(t, snap.data, "demo", "--units", "60", "--years", "1")
		snap.pass = writeFile(t, snap.dir, "pass", "正确的口令 correct horse\n")
		r := ok(t, snap.data, "keys", "new", "--out", filepath.Join(snap.dir, "ck"), "--passphrase-file", snap.pass)
		snap.key, snap.pub = filepath.Join(snap.dir, "ck.key"), filepath.Join(snap.dir, "ck.pub")
		if !strings.Contains(r.stdout, snap.key) || !strings.Contains(r.stdout, snap.pub) {
			t.Fatalf("keys new should print both paths: %s", r.stdout)
		}
		snap.zip = filepath.Join(snap.dir, "s.zip")
		snap.out = ok(t, snap.data, "snapshot", "export", "--key", snap.key, "--out", snap.zip, "--passphrase-file", snap.pass)
		for _, f := range strings.Fields(ok(t, snap.data, "verify").stdout + " " + snap.out.stdout) {
			if len(f) == 64 && strings.Trim(f, "0123456789abcdef") == "" {
				snap.head = f
			}
		}
		snap.ready = true
	})
	if !snap.ready {
		t.Fatal("the shared snapshot could not be made (see the first test)")
	}
}

func TestSnapshotCLI_ExportThenVerify(t *testing.T) {
	slow(t, "the committee key's scrypt (about 1 GiB) on every use")
	t.Parallel()
	snapshotBook(t)
	if got := snap.out.lastWord(); got != snap.zip {
		t.Errorf("last word %q, want the zip path %q", got, snap.zip)
	}
	if snap.head == "" || !strings.Contains(snap.out.stdout, snap.head) {
		t.Errorf("export should print the head hash:\n%s", snap.out.stdout)
	}
	if _, err := os.Stat(snap.zip + ".minisig"); err != nil {
		t.Fatal(err)
	}
	// Flags after the positional, as docs/formats.md writes it, and before it.
	for _, args := range [][]string{{"snapshot", "verify", snap.zip, "--pub", snap.pub}, {"snapshot", "verify", "--pub", snap.pub, snap.zip}} {
		r := ok(t, snap.dir, args...) // no book needed to verify
		for _, want := range []string{"阳光花园小区", snap.head, "签名、清单和哈希链均有效"} {
			if !strings.Contains(r.stdout, want) {
				t.Errorf("%v: output lacks %q:\n%s", args, want, r.stdout)
			}
		}
	}
}

func TestSnapshotCLI_StandardMinisignVerifies(t *testing.T) {
	slow(t, "the committee key's scrypt (about 1 GiB) on every use")
	t.Parallel()
	snapshotBook(t)
	testtool.Require(t, "minisign")
	out, err := exec.Command("minisign", "-Vm", snap.zip, "-p", snap.pub).CombinedOutput()
	if err != nil {
		t.Fatalf("minisign -Vm: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "community:阳光花园小区 head:"+snap.head) {
		t.Errorf("trusted comment should name the community and head:\n%s", out)
	}
}

// copyZip writes a copy of the shared snapshot, with edit applied to its files, and
// the original signature beside it.
func copyZip(t *testing.T, edit func(name string, b []byte) []byte) string {
	t.Helper()
	zr, err := zip.OpenReader(snap.zip)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(rc)
		rc.Close()
		w, _ := zw.Create(f.Name)
		w.Write(edit(f.Name, b))
	}
	zw.Close()
	out := filepath.Join(t.TempDir(), "s.zip")
	os.WriteFile(out, buf.Bytes(), 0o644)
	sig, _ := os.ReadFile(snap.zip + ".minisig")
	os.WriteFile(out+".minisig", sig, 0o644)
	return out
}

func TestSnapshotCLI_TamperedSnapshotFails(t *testing.T) {
	slow(t, "the committee key's scrypt (about 1 GiB) on every use")
	t.Parallel()
	snapshotBook(t)
	csvChanged := copyZip(t, func(name string, b []byte) []byte {
		if name == "balances.csv" {
			return bytes.Replace(b, []byte("."), []byte("9."), 1)
		}
		return b
	})
	fails(t, snap.dir, "snapshot", "verify", csvChanged, "--pub", snap.pub)

	// The journal's first period altered and the manifest re-made to match, but no new
	// signature.
	var journal []byte
	var journalName string
	journalChanged := copyZip(t, func(name string, b []byte) []byte {
		switch {
		case journal == nil && strings.HasPrefix(name, snapshot.JournalDir) && strings.HasSuffix(name, ".csv"):
			journalName = name
			lines := strings.Split(string(b), "\n")
			// the first posting of the quarter's first entry: its amount gets a leading 1
			if cells := strings.Split(lines[1], ","); len(cells) == 8 {
				cells[4] = "1" + strings.TrimPrefix(cells[4], "-")
				lines[1] = strings.Join(cells, ",")
			}
			journal = []byte(strings.Join(lines, "\n"))
			if bytes.Equal(journal, b) {
				t.Fatal("the first posting of " + name + " was not changed")
			}
			return journal
		case name == app.ManifestName:
			var m app.Manifest
			if err := json.Unmarshal(b, &m); err != nil {
				t.Fatal(err)
			}
			for i, f := range m.Files {
				if f.Name == journalName {
					sum := sha256.Sum256(journal)
					m.Files[i].Size, m.Files[i].SHA256 = int64(len(journal)), hex.EncodeToString(sum[:])
				}
			}
			nb, _ := json.Marshal(m)
			return nb
		}
		return b
	})
	r := fails(t, snap.dir, "snapshot", "verify", journalChanged, "--pub", snap.pub)
	if !strings.Contains(r.stderr, "签名") {
		t.Errorf("should say the signature fails: %s", r.stderr)
	}

	// The signature missing.
	os.Remove(journalChanged + ".minisig")
	fails(t, snap.dir, "snapshot", "verify", journalChanged, "--pub", snap.pub)
}

func TestSnapshotCLI_WrongPublicKeyFails(t *testing.T) {
	slow(t, "the committee key's scrypt (about 1 GiB) on every use")
	t.Parallel()
	snapshotBook(t)
	other, _, err := minisign.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	text, _ := other.MarshalText()
	r := fails(t, snap.dir, "snapshot", "verify", snap.zip, "--pub", writeFile(t, t.TempDir(), "other.pub", string(text)))
	if !strings.Contains(r.stderr, "密钥") {
		t.Errorf("should say which key signed: %s", r.stderr)
	}
}

func TestSnapshotCLI_WrongPassphraseWritesNothing(t *testing.T) {
	slow(t, "the committee key's scrypt (about 1 GiB) on every use")
	t.Parallel()
	snapshotBook(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "s.zip")
	// A copy: other tests run beside this one on the shared book.
	r := fails(t, copyBook(t, snap.data), "snapshot", "export", "--key", snap.key, "--out", out, "--passphrase-file", writeFile(t, dir, "wrong", "wrong\n"))
	if !strings.Contains(r.stderr, "口令") {
		t.Errorf("should say the passphrase is wrong: %s", r.stderr)
	}
	if names, _ := filepath.Glob(filepath.Join(dir, "s.zip*")); len(names) != 0 {
		t.Errorf("files written despite the wrong passphrase: %v", names)
	}
}

func TestSnapshotCLI_KeysNewNeverOverwrites(t *testing.T) {
	slow(t, "the committee key's scrypt (about 1 GiB) on every use")
	t.Parallel()
	snapshotBook(t)
	before, _ := os.ReadFile(snap.key)
	fails(t, snap.dir, "keys", "new", "--out", filepath.Join(snap.dir, "ck"), "--passphrase-file", snap.pass)
	after, _ := os.ReadFile(snap.key)
	if !bytes.Equal(before, after) {
		t.Fatal("keys new overwrote the secret key")
	}
	// And neither command runs without its required flags.
	fails(t, snap.dir, "keys", "new", "--passphrase-file", snap.pass)
	fails(t, snap.data, "snapshot", "export", "--out", filepath.Join(t.TempDir(), "x.zip"), "--passphrase-file", snap.pass)
	fails(t, snap.dir, "snapshot", "verify", snap.zip)
}

// Every head that leaves the laptop (a notice, a snapshot) is recorded; the next
// snapshot lists them, and `snapshot verify --since OLD.zip` checks it extends OLD.
func TestSnapshotCLI_NextSnapshotListsPublishedHeadsAndExtendsTheLast(t *testing.T) {
	slow(t, "the committee key's scrypt (about 1 GiB) on every use")
	t.Parallel()
	snapshotBook(t)
	// A copy: the tests beside this one read (and copy) the shared book, which a
	// writing command here would hold.
	data := copyBook(t, snap.data)
	pdf := filepath.Join(t.TempDir(), "欠费.pdf")
	ok(t, data, "report", "arrears", "--out", pdf)
	s2 := filepath.Join(t.TempDir(), "s2.zip")
	ok(t, data, "snapshot", "export", "--key", snap.key, "--out", s2, "--passphrase-file", snap.pass)
	r := ok(t, snap.dir, "snapshot", "verify", s2, "--pub", snap.pub, "--since", snap.zip)
	if !strings.Contains(r.stdout, snap.head) {
		t.Errorf("verify --since output:\n%s", r.stdout)
	}
	zr, err := zip.OpenReader(s2)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	var heads []app.PublishedHead
	for _, f := range zr.File {
		if f.Name == app.PublishedName {
			rc, _ := f.Open()
			json.NewDecoder(rc).Decode(&heads)
			rc.Close()
		}
	}
	var whats []string
	for _, h := range heads {
		if h.Hash != snap.head {
			t.Errorf("published head %+v, want %s", h, snap.head)
		}
		whats = append(whats, h.What)
	}
	if len(heads) < 2 || !strings.Contains(strings.Join(whats, ";"), "snapshot s.zip") || !strings.Contains(strings.Join(whats, ";"), "report arrears 欠费.pdf") {
		t.Errorf("s2 should list the first snapshot and the notice as published: %q", whats)
	}
	// Checked against a snapshot of another book, --since fails and names the other
	// book (its checkpoint's origin is not the first's).
	other := t.TempDir()
	ok(t, other, "demo", "--units", "8", "--years", "1", "--seed", "9")
	s3 := filepath.Join(t.TempDir(), "s3.zip")
	ok(t, other, "snapshot", "export", "--key", snap.key, "--out", s3, "--passphrase-file", snap.pass)
	f := fails(t, snap.dir, "snapshot", "verify", s3, "--pub", snap.pub, "--since", snap.zip)
	if !strings.Contains(f.stderr, "另一个账本") || strings.Count(f.stderr, "\n") > 1 {
		t.Errorf("verify --since of an unrelated book should name another book, in one line: %s", f.stderr)
	}
}

// The 60-unit demo's snapshot, every file unzipped (PDFs as text, the viewer's embedded
// data decoded), names no owner of the register: no owner name and no owner id.
func TestSnapshotCLI_NoOwnerNameOrIDInAnyFile(t *testing.T) {
	slow(t, "the committee key's scrypt (about 1 GiB) on every use")
	t.Parallel()
	snapshotBook(t)
	pdftotext := testtool.Require(t, "pdftotext")
	var units []app.Unit
	if err := json.Unmarshal([]byte(ok(t, snap.data, "units", "list", "--json").stdout), &units); err != nil {
		t.Fatal(err)
	}
	tokens := map[string]bool{}
	for _, u := range units {
		if u.DeveloperHeld {
			continue
		}
		tokens[u.OwnerID] = true
		for _, n := range strings.FieldsFunc(u.OwnerName, func(r rune) bool { return strings.ContainsRune("、,，;； ", r) }) {
			tokens[n] = true
		}
	}
	zr, err := zip.OpenReader(snap.zip)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	dir := t.TempDir()
	texts := map[string]string{}
	for _, f := range zr.File {
		rc, _ := f.Open()
		b, _ := io.ReadAll(rc)
		rc.Close()
		switch {
		case strings.HasSuffix(f.Name, ".pdf"):
			p := filepath.Join(dir, "x.pdf")
			os.WriteFile(p, b, 0o644)
			out, err := exec.Command(pdftotext, "-enc", "UTF-8", p, "-").Output()
			if err != nil {
				t.Fatal(err)
			}
			texts[f.Name] = string(out)
		case f.Name == "index.html":
			texts[f.Name] = string(b)
			i := bytes.Index(b, []byte(`id="snapshot-data">`))
			var d struct{ Files map[string][]byte }
			if i < 0 || json.NewDecoder(bytes.NewReader(b[i+len(`id="snapshot-data">`):])).Decode(&d) != nil {
				t.Fatal("index.html embeds no readable data")
			}
			for name, c := range d.Files {
				texts["index.html#"+name] = string(c)
			}
		default:
			texts[f.Name] = string(b)
		}
	}
	for tok := range tokens {
		re := regexp.MustCompile(`(^|[^0-9A-Za-z])` + regexp.QuoteMeta(tok) + `($|[^0-9A-Za-z])`)
		for name, text := range texts {
			if re.MatchString(text) {
				t.Errorf("%s names the owner %q", name, tok)
			}
		}
	}
}
