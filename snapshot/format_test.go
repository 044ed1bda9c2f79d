package snapshot

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"sunledger/internal/testtool"
	"sunledger/reports"

	"aead.dev/minisign"
	"github.com/shopspring/decimal"

	"sunledger/app"
	"sunledger/demo"
	"sunledger/storage"
)

// snapFixture is one small demo book, snapshotted once for the whole package; each test
// copies the zip before changing it. Keys here are unencrypted: minisign's scrypt is for
// the committee's key file, tested end to end in the CLI.
var snapFixture struct {
	once     sync.Once
	err      error
	dir      string
	zip      string
	manifest app.Manifest
	head     string
	pub      minisign.PublicKey
	priv     minisign.PrivateKey
}

func snapshotFixture(t testing.TB) {
	t.Helper()
	f := &snapFixture
	f.once.Do(func() {
		f.dir, f.err = os.MkdirTemp("", "sunledger-snapshot-test")
		if f.err != nil {
			return
		}
		ctx := context.Background()
		db, err := storage.Open(filepath.Join(f.dir, "book"))
		if err != nil {
			f.err = err
			return
		}
		defer db.Close()
		if _, err := demo.Build(ctx, db.Services(), demo.Options{Units: 24, Years: 1, Seed: 3}); err != nil {
			f.err = err
			return
		}
		if f.head, _, err = db.Services().Ledger.Head(ctx); err != nil {
			f.err = err
			return
		}
		if f.pub, f.priv, err = minisign.GenerateKey(rand.Reader); err != nil {
			f.err = err
			return
		}
		f.zip = filepath.Join(f.dir, "snap.zip")
		f.manifest, f.err = Write(ctx, db.Services(), f.zip, f.priv, reports.QuarterlyPDF, time.Now(), "")
	})
	if f.err != nil {
		t.Fatal(f.err)
	}
}

func TestMain(m *testing.M) {
	app.SetEnglish(false) // the tests read the Chinese messages
	code := m.Run()
	if snapFixture.dir != "" {
		os.RemoveAll(snapFixture.dir)
	}
	os.Exit(code)
}

// zipFiles reads every file of a zip, in order.
func zipFiles(t *testing.T, path string) ([]string, map[string][]byte) {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	var names []string
	files := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, f.Name)
		files[f.Name] = b
	}
	return names, files
}

// rewriteSnapshot writes a copy of the fixture's zip to a new file after change edits its
// files (names in order, contents by name); remanifest re-makes manifest.json to match,
// sign signs the result with the fixture's key (else the old signature is copied).
func rewriteSnapshot(t *testing.T, change func(names *[]string, files map[string][]byte), remanifest, sign bool) string {
	t.Helper()
	names, files := zipFiles(t, snapFixture.zip)
	change(&names, files)
	if remanifest {
		var m app.Manifest
		if err := json.Unmarshal(files[app.ManifestName], &m); err != nil {
			t.Fatal(err)
		}
		m.Files = nil
		kept := names[:0]
		for _, n := range names {
			if n != ManifestSigName && n != ViewerName { // a forger without the key drops what holds the old manifest
				kept = append(kept, n)
			}
		}
		names = kept
		for _, n := range names {
			if n != app.ManifestName {
				sum := sha256.Sum256(files[n])
				m.Files = append(m.Files, app.ManifestFile{Name: n, Size: int64(len(files[n])), SHA256: hex.EncodeToString(sum[:])})
			}
		}
		b, _ := json.Marshal(m)
		files[app.ManifestName] = b
	}
	out := filepath.Join(t.TempDir(), "snap.zip")
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, n := range names {
		w, err := zw.Create(n)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(files[n])
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(out, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if sign {
		if err := SignFile(out, out+".minisig", snapFixture.priv, app.SnapshotComment(snapFixture.manifest)); err != nil {
			t.Fatal(err)
		}
	} else {
		sig, err := os.ReadFile(snapFixture.zip + ".minisig")
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(out+".minisig", sig, 0o644)
	}
	return out
}

func wantSnapshotError(t *testing.T, path string, pub minisign.PublicKey, want string) {
	t.Helper()
	_, err := Verify(path, path+".minisig", pub)
	if err == nil {
		t.Fatalf("verify passed, want an error about %q", want)
	}
	if !strings.Contains(err.Error(), want) {
		t.Fatalf("error %q should mention %q", err, want)
	}
	if strings.Contains(err.Error(), "\n") {
		t.Errorf("error is not one line: %q", err)
	}
}

func TestSnapshot_RoundTripHoldsTheBookAndItsHead(t *testing.T) {
	snapshotFixture(t)
	m, err := Verify(snapFixture.zip, snapFixture.zip+".minisig", snapFixture.pub)
	if err != nil {
		t.Fatal(err)
	}
	if m.Head != snapFixture.head || m.Head == "" || m.Entries == 0 || m.Community != "阳光花园小区" {
		t.Fatalf("manifest %+v, book head %s", m, snapFixture.head)
	}
	_, files := zipFiles(t, snapFixture.zip)
	for _, name := range []string{"units.csv", "units.json", periodFiles(t, files)[0], PeriodsName, ArrearsSummaryName, "balances.csv", "balances.json",
		"arrears.csv", "bills.csv", "expenses.csv", "expenses.json", "audit.csv", "votes/V0001-tally.json", "votes/V0001-ballots.json", "arrears.json", "quarters.json", "budget.json", app.PublishedName, ViewerName, ManifestSigName, "README.txt", app.ManifestName} {
		b, ok := files[name]
		if !ok {
			t.Errorf("the snapshot lacks %s", name)
			continue
		}
		if strings.HasSuffix(name, ".csv") && !bytes.HasPrefix(b, []byte("\ufeff")) {
			t.Errorf("%s has no UTF-8 BOM", name)
		}
	}
	pdfs := 0
	for name, b := range files {
		if strings.HasPrefix(name, "disclosure/") && bytes.HasPrefix(b, []byte("%PDF")) {
			pdfs++
		}
	}
	complete := 0
	for _, q := range Quarters(m.Created.Local().Format(time.DateOnly), "2000-01-01") {
		if q.Complete && q.To >= firstDate(t, files) {
			complete++
		}
	}
	if pdfs != complete || pdfs == 0 {
		t.Errorf("%d disclosure PDFs, want %d (every complete quarter of this and last year)", pdfs, complete)
	}
	var ps []Period
	json.Unmarshal(files[PeriodsName], &ps)
	if last := ps[len(ps)-1]; last.Head != snapFixture.head || files[last.Tree] == nil {
		t.Errorf("the last period ends at %s (tree %s), the book at %s", last.Head, last.Tree, snapFixture.head)
	}
	for name := range files {
		if name == "journal.csv" || strings.HasPrefix(name, JournalDir) && strings.HasSuffix(name, ".json") && !strings.HasSuffix(name, ".tree.json") && name != PeriodsName {
			t.Errorf("the snapshot holds the journal twice: %s", name)
		}
	}
}

func TestSnapshot_StandardMinisignVerifiesIt(t *testing.T) {
	snapshotFixture(t)
	testtool.Require(t, "minisign")
	pubFile := filepath.Join(t.TempDir(), "k.pub")
	text, _ := snapFixture.pub.MarshalText()
	os.WriteFile(pubFile, text, 0o644)
	out, err := exec.Command("minisign", "-Vm", snapFixture.zip, "-p", pubFile).CombinedOutput()
	if err != nil {
		t.Fatalf("minisign -V: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "head:"+snapFixture.head) {
		t.Errorf("trusted comment should name the head: %s", out)
	}
}

func TestSnapshot_ChangedFileFailsEvenWhenResigned(t *testing.T) {
	snapshotFixture(t)
	change := func(names *[]string, files map[string][]byte) {
		files["units.csv"] = bytes.Replace(files["units.csv"], []byte(","), []byte(";"), 1)
	}
	wantSnapshotError(t, rewriteSnapshot(t, change, false, false), snapFixture.pub, "签名无效")
	wantSnapshotError(t, rewriteSnapshot(t, change, false, true), snapFixture.pub, "units.csv")
}

func TestSnapshot_MissingOrExtraFileIsNamed(t *testing.T) {
	snapshotFixture(t)
	drop := func(names *[]string, files map[string][]byte) {
		for i, n := range *names {
			if n == "audit.csv" {
				*names = append((*names)[:i], (*names)[i+1:]...)
				return
			}
		}
	}
	wantSnapshotError(t, rewriteSnapshot(t, drop, false, true), snapFixture.pub, "audit.csv")
	add := func(names *[]string, files map[string][]byte) {
		*names = append(*names, "extra.csv")
		files["extra.csv"] = []byte("x")
	}
	wantSnapshotError(t, rewriteSnapshot(t, add, false, true), snapFixture.pub, "extra.csv")
}

// periodFiles lists the journal's period files of a snapshot, in chain order.
func periodFiles(t *testing.T, files map[string][]byte) []string {
	t.Helper()
	var ps []Period
	if err := json.Unmarshal(files[PeriodsName], &ps); err != nil || len(ps) == 0 {
		t.Fatalf("%s: %v", PeriodsName, err)
	}
	var out []string
	for _, p := range ps {
		out = append(out, p.File)
	}
	return out
}

// alterJournal changes one amount of entry #2 in the first period's file, re-sealing
// nothing.
func alterJournal(t *testing.T) func(names *[]string, files map[string][]byte) {
	return func(names *[]string, files map[string][]byte) {
		first := periodFiles(t, files)[0]
		es := periodEntries(t, files[first])
		es[1].Postings[0].Amount = es[1].Postings[0].Amount.Add(es[1].Postings[0].Amount)
		es[1].Postings[1].Amount = es[1].Postings[1].Amount.Add(es[1].Postings[1].Amount)
		files[first] = periodCSV(t, es)
	}
}

func TestSnapshot_AlteredJournalWithRemadeManifestFails(t *testing.T) {
	snapshotFixture(t)
	// Without a new signature the signature fails; with one (a stolen key), the chain does.
	wantSnapshotError(t, rewriteSnapshot(t, alterJournal(t), true, false), snapFixture.pub, "签名无效")
	wantSnapshotError(t, rewriteSnapshot(t, alterJournal(t), true, true), snapFixture.pub, "#2")
}

func TestSnapshot_TruncatedJournalDoesNotMatchTheSignedHead(t *testing.T) {
	snapshotFixture(t)
	cut := func(names *[]string, files map[string][]byte) {
		ps := periodFiles(t, files)
		last := ps[len(ps)-1]
		es := periodEntries(t, files[last])
		files[last] = periodCSV(t, es[:len(es)-1])
	}
	wantSnapshotError(t, rewriteSnapshot(t, cut, true, true), snapFixture.pub, "journal/")
}

// TestSnapshot_JournalPeriodsMustJoinIntoOneChain: a period left out of periods.json, a
// period file dropped, or balances.json that the journal does not add up to, each
// re-signed with the committee's key, is named by verify.
func TestSnapshot_JournalPeriodsMustJoinIntoOneChain(t *testing.T) {
	snapshotFixture(t)
	unlist := func(names *[]string, files map[string][]byte) {
		var ps []Period
		json.Unmarshal(files[PeriodsName], &ps)
		if len(ps) < 2 {
			t.Skip("the fixture's journal has one period")
		}
		b, _ := json.Marshal(ps[1:])
		files[PeriodsName] = b
	}
	wantSnapshotError(t, rewriteSnapshot(t, unlist, true, true), snapFixture.pub, "journal/")
	drop := func(names *[]string, files map[string][]byte) {
		first := periodFiles(t, files)[0]
		for i, n := range *names {
			if n == first {
				*names = append((*names)[:i], (*names)[i+1:]...)
				return
			}
		}
	}
	wantSnapshotError(t, rewriteSnapshot(t, drop, true, true), snapFixture.pub, "journal/")
	balances := func(names *[]string, files map[string][]byte) {
		var bs []app.AccountBalance
		json.Unmarshal(files["balances.json"], &bs)
		bs[0].Balance = bs[0].Balance.Add(bs[0].Balance).Add(decimal.New(1, 0))
		b, _ := json.Marshal(bs)
		files["balances.json"] = b
	}
	wantSnapshotError(t, rewriteSnapshot(t, balances, true, true), snapFixture.pub, "balances.json")
}

func TestSnapshot_WrongPublicKeyFails(t *testing.T) {
	snapshotFixture(t)
	other, _, err := minisign.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	wantSnapshotError(t, snapFixture.zip, other, KeyID(other.ID()))
}

func TestSnapshot_SignedCommentMustMatchTheManifest(t *testing.T) {
	snapshotFixture(t)
	out := filepath.Join(t.TempDir(), "snap.zip")
	b, _ := os.ReadFile(snapFixture.zip)
	os.WriteFile(out, b, 0o644)
	m := snapFixture.manifest
	m.Entries--
	if err := SignFile(out, out+".minisig", snapFixture.priv, app.SnapshotComment(m)); err != nil {
		t.Fatal(err)
	}
	wantSnapshotError(t, out, snapFixture.pub, "链头")
	if err := SignFile(out, out+".minisig", snapFixture.priv, "timestamp:1"); err != nil {
		t.Fatal(err)
	}
	wantSnapshotError(t, out, snapFixture.pub, "可信注释")
}

func TestReadPublicKey_AcceptsMinisignFileAndBareLine(t *testing.T) {
	pub, _, _ := minisign.GenerateKey(rand.Reader)
	dir := t.TempDir()
	text, _ := pub.MarshalText()
	for name, content := range map[string]string{"file.pub": string(text) + "\n", "bare.pub": pub.String() + "\r\n"} {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(content), 0o644)
		got, err := ReadPublicKey(p)
		if err != nil || !got.Equal(pub) {
			t.Errorf("%s: %v", name, err)
		}
	}
	p := filepath.Join(dir, "bad.pub")
	os.WriteFile(p, []byte("not a key"), 0o644)
	if _, err := ReadPublicKey(p); err == nil {
		t.Error("garbage accepted as a public key")
	}
}

func firstDate(t *testing.T, files map[string][]byte) string {
	es := periodEntries(t, files[periodFiles(t, files)[0]])
	if len(es) == 0 {
		t.Fatal("the first period is empty")
	}
	return es[0].Date[:7]
}

// periodEntries reads a period's journal CSV.
func periodEntries(t testing.TB, b []byte) []app.Entry {
	t.Helper()
	var es []app.Entry
	if err := readJournal(bytes.NewReader(b), "period", func(e app.Entry) error { es = append(es, e); return nil }); err != nil {
		t.Fatal(err)
	}
	return es
}

// periodCSV writes entries as a period's journal CSV.
func periodCSV(t testing.TB, es []app.Entry) []byte {
	t.Helper()
	var buf bytes.Buffer
	jw, err := newJournalWriter(&buf)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range es {
		if err := jw.add(e); err != nil {
			t.Fatal(err)
		}
	}
	if err := jw.flush(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestSnapshot_APeriodsRangeProofMustLeadToTheCheckpoint: a quarter's tree file whose
// leaf, proof or leaf range was changed, or that drops the period's journal from its
// leaves, re-signed with the committee's key, fails verify naming the file; so does a
// quarter's CSV without its tree file.
func TestSnapshot_APeriodsRangeProofMustLeadToTheCheckpoint(t *testing.T) {
	snapshotFixture(t)
	_, files := zipFiles(t, snapFixture.zip)
	var ps []Period
	json.Unmarshal(files[PeriodsName], &ps)
	p := ps[len(ps)-1]
	edit := func(change func(tr *PeriodTree)) func(names *[]string, files map[string][]byte) {
		return func(names *[]string, files map[string][]byte) {
			var tr PeriodTree
			if err := json.Unmarshal(files[p.Tree], &tr); err != nil {
				t.Fatal(err)
			}
			change(&tr)
			files[p.Tree], _ = json.Marshal(tr)
		}
	}
	for name, change := range map[string]func(tr *PeriodTree){
		"a leaf's block":  func(tr *PeriodTree) { tr.Leaves[0].Block = strings.Repeat("ab", 32) },
		"a proof hash":    func(tr *PeriodTree) { tr.Proof[0] = tr.Proof[len(tr.Proof)-1][:43] + "A" },
		"a hash short":    func(tr *PeriodTree) { tr.Proof = tr.Proof[1:] },
		"leaves shifted":  func(tr *PeriodTree) { tr.FirstLeaf-- },
		"another size":    func(tr *PeriodTree) { tr.Size++ },
		"no entries":      func(tr *PeriodTree) { tr.Leaves = []TreeLeaf{{Block: tr.Leaves[0].Block}} },
		"another quarter": func(tr *PeriodTree) { tr.Period = ps[0].Period },
	} {
		t.Run(name, func(t *testing.T) {
			wantSnapshotError(t, rewriteSnapshot(t, edit(change), true, true), snapFixture.pub, p.Tree)
		})
	}
	drop := func(names *[]string, files map[string][]byte) {
		for i, n := range *names {
			if n == p.Tree {
				*names = append((*names)[:i], (*names)[i+1:]...)
				return
			}
		}
	}
	wantSnapshotError(t, rewriteSnapshot(t, drop, true, true), snapFixture.pub, p.Tree)
}

// The disclosure PDFs are rendered on a goroutine of their own while the other parts are
// written (snapDisclosures): one that fails still fails the snapshot, naming its error,
// and two snapshots of the same book at the same time are the same bytes.
func TestSnapshot_DisclosuresMadeAsideFailItAndKeepItTheSame(t *testing.T) {
	snapshotFixture(t)
	ctx := context.Background()
	db, err := storage.Open(filepath.Join(snapFixture.dir, "book"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	now := snapFixture.manifest.Created
	broken := func(ctx context.Context, s app.Services, year, quarter int, date string, upTo int64, community, head string, w io.Writer) error {
		if quarter == 2 {
			return app.Errorf(app.EINVALID, "第二季度坏了", "quarter two is broken")
		}
		return reports.QuarterlyPDF(ctx, s, year, quarter, date, upTo, community, head, w)
	}
	if _, err := Build(ctx, db.Services(), now, io.Discard, snapFixture.priv, broken); err == nil || !strings.Contains(err.Error(), "第二季度坏了") {
		t.Fatalf("a failing disclosure gave %v, want its error", err)
	}
	var a, b bytes.Buffer
	for _, w := range []*bytes.Buffer{&a, &b} {
		if _, err := Build(ctx, db.Services(), now, w, snapFixture.priv, reports.QuarterlyPDF); err != nil {
			t.Fatal(err)
		}
	}
	if a.Len() == 0 || !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Fatalf("two snapshots of one book at one time differ (%d and %d bytes)", a.Len(), b.Len())
	}
}
