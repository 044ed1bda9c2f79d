package snapshot

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"sunledger/internal/testtool"
	"sunledger/reports"

	"aead.dev/minisign"
	"github.com/dgraph-io/badger/v4"
	"github.com/shopspring/decimal"

	"sunledger/app"
	"sunledger/demo"
	"sunledger/storage"
)

// unzipTo extracts a snapshot into dir and returns the names of its files.
func unzipTo(t testing.TB, zipPath, dir string) []string {
	t.Helper()
	zr, err := zip.OpenReader(zipPath)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	var names []string
	for _, f := range zr.File {
		p := filepath.Join(dir, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		names = append(names, f.Name)
	}
	return names
}

// The publication rule: whatever leaves the laptop names units, never owners. Every file
// of the snapshot (the PDFs read back as text, the viewer with its embedded data decoded)
// is searched for every owner name and owner id of the register, as whole tokens.
func TestSnapshot_PublishesNoOwnerNameOrID(t *testing.T) {
	snapshotFixture(t)
	pdftotext := testtool.Require(t, "pdftotext")
	db, err := storage.Open(filepath.Join(snapFixture.dir, "book"))
	if err != nil {
		t.Fatal(err)
	}
	units, err := db.Services().Register.Units(context.Background())
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	tokens := map[string]bool{}
	for _, u := range units {
		if u.DeveloperHeld {
			continue // the developer is a company, not a person
		}
		tokens[u.OwnerID] = true
		for _, n := range strings.FieldsFunc(u.OwnerName, func(r rune) bool { return strings.ContainsRune("、,，;； ", r) }) {
			tokens[n] = true
		}
		tokens[u.OwnerName] = true
	}
	if len(tokens) < 10 {
		t.Fatalf("only %d owner tokens in the demo register", len(tokens))
	}
	dir := t.TempDir()
	names := unzipTo(t, snapFixture.zip, dir)
	texts := map[string]string{}
	for _, name := range names {
		p := filepath.Join(dir, name)
		switch {
		case strings.HasSuffix(name, ".pdf"):
			out, err := exec.Command(pdftotext, "-enc", "UTF-8", p, "-").Output()
			if err != nil {
				t.Fatalf("pdftotext %s: %v", name, err)
			}
			texts[name] = string(out)
		case name == ViewerName:
			b, _ := os.ReadFile(p)
			texts[name] = string(b)
			for file, content := range viewerFiles(t, b) {
				texts[name+"#"+file] = string(content)
			}
		default:
			b, _ := os.ReadFile(p)
			texts[name] = string(b)
		}
	}
	pdfs := 0
	for name := range texts {
		if strings.HasSuffix(name, ".pdf") {
			pdfs++
		}
	}
	if pdfs == 0 {
		t.Fatal("no PDF in the snapshot to check")
	}
	for tok := range tokens {
		re := regexp.MustCompile(`(^|[^0-9A-Za-z])` + regexp.QuoteMeta(tok) + `($|[^0-9A-Za-z])`)
		for name, text := range texts {
			if loc := re.FindStringIndex(text); loc != nil {
				from, to := max(0, loc[0]-40), min(len(text), loc[1]+40)
				t.Errorf("%s names the owner %q: …%s…", name, tok, text[from:to])
			}
		}
	}
}

func TestSnapshotQuarters_CompleteQuartersOfThisAndLastYearByTheCalendar(t *testing.T) {
	for _, c := range []struct {
		name, today, first string
		want               string // quarters, * = incomplete
	}{
		{"mid third quarter", "2026-08-15", "2020-01-01", "2025Q1 2025Q2 2025Q3 2025Q4 2026Q1 2026Q2 2026Q3*"},
		{"first day of a quarter: the last one is complete", "2026-10-01", "2020-01-01", "2025Q1 2025Q2 2025Q3 2025Q4 2026Q1 2026Q2 2026Q3 2026Q4*"},
		{"last day of a quarter: not complete yet", "2026-09-30", "2020-01-01", "2025Q1 2025Q2 2025Q3 2025Q4 2026Q1 2026Q2 2026Q3*"},
		{"a back-dated newest entry does not matter; the book started last summer", "2026-02-10", "2025-08-03", "2025Q3 2025Q4 2026Q1*"},
		{"empty journal", "2026-02-10", "", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			var got []string
			for _, q := range Quarters(c.today, c.first) {
				s := q.Quarter
				if !q.Complete {
					s += "*"
				}
				if q.Complete != (q.File != "") {
					t.Errorf("%s: complete %v but file %q", q.Quarter, q.Complete, q.File)
				}
				got = append(got, s)
			}
			if strings.Join(got, " ") != c.want {
				t.Errorf("got %q, want %q", strings.Join(got, " "), c.want)
			}
		})
	}
}

// The canonical form of an entry, pinned by test vectors that the viewer's JavaScript
// is checked against too (TestViewer_...).
type entryVector struct {
	Entry     app.Entry `json:"entry"`
	Canonical string    `json:"canonical"`
	Hash      string    `json:"hash"`
}

func entryVectors(t *testing.T) []entryVector {
	b, err := os.ReadFile("testdata/entry-vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var vs []entryVector
	if err := json.Unmarshal(b, &vs); err != nil {
		t.Fatal(err)
	}
	return vs
}

func TestEntryVectors_MatchTheCanonicalForm(t *testing.T) {
	for _, v := range entryVectors(t) {
		if got := string(app.CanonicalEntry(v.Entry)); got != v.Canonical {
			t.Errorf("entry #%d: canonical\n%q\nwant\n%q", v.Entry.Seq, got, v.Canonical)
		}
		if got := app.EntryHash(v.Entry); got != v.Hash || v.Entry.Hash != v.Hash {
			t.Errorf("entry #%d: hash %s, want %s", v.Entry.Seq, got, v.Hash)
		}
	}
}

// rewriteHistory is the attacker with the laptop: it opens the store directly, doubles
// the amounts of the first entry that touches no fee sub-ledger account (so that the fee
// accounts still agree), re-seals every entry after it and fixes the head and the
// balances, so that the book is consistent again and only the head hash differs.
func rewriteHistory(t *testing.T, dir string) (seq int64) {
	t.Helper()
	bdb, err := badger.Open(badger.DefaultOptions(dir).WithLogger(nil))
	if err != nil {
		t.Fatal(err)
	}
	defer bdb.Close()
	err = bdb.Update(func(txn *badger.Txn) error {
		var es []app.Entry
		opts := badger.DefaultIteratorOptions
		opts.Prefix = []byte("je/")
		it := txn.NewIterator(opts)
		for it.Rewind(); it.Valid(); it.Next() {
			var e app.Entry
			if err := it.Item().Value(func(b []byte) error { return json.Unmarshal(b, &e) }); err != nil {
				it.Close()
				return err
			}
			es = append(es, e)
		}
		it.Close()
	pick:
		for _, e := range es {
			for _, p := range e.Postings {
				if strings.Contains(p.Account, "应收") || strings.Contains(p.Account, "预收") {
					continue pick
				}
			}
			seq = e.Seq
			break
		}
		if seq == 0 {
			return fmt.Errorf("no entry to rewrite")
		}
		bal := map[string]string{}
		e := &es[seq-1]
		for i := range e.Postings {
			p := &e.Postings[i]
			var old string
			item, err := txn.Get([]byte("bal/" + p.Account))
			if err != nil {
				return err
			}
			if err := item.Value(func(b []byte) error { return json.Unmarshal(b, &old) }); err != nil {
				return err
			}
			if v, ok := bal[p.Account]; ok {
				old = v
			}
			bal[p.Account] = mustDecimal(old).Add(p.Amount).StringFixed(2)
			p.Amount = p.Amount.Add(p.Amount)
		}
		prev := ""
		if seq > 1 {
			prev = es[seq-2].Hash
		}
		for i := seq - 1; i < int64(len(es)); i++ {
			es[i] = app.Seal(es[i], prev)
			prev = es[i].Hash
			b, _ := json.Marshal(es[i])
			if err := txn.Set([]byte(fmt.Sprintf("je/%012d", es[i].Seq)), b); err != nil {
				return err
			}
		}
		for a, v := range bal {
			b, _ := json.Marshal(v)
			if err := txn.Set([]byte("bal/"+a), b); err != nil {
				return err
			}
		}
		b, _ := json.Marshal(map[string]any{"seq": len(es), "hash": prev})
		return txn.Set([]byte("meta/ledger-head"), b)
	})
	if err != nil {
		t.Fatal(err)
	}
	return seq
}

func TestSnapshot_RewrittenHistoryBreaksAPublishedHead(t *testing.T) {
	snapshotFixture(t)
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "book")
	db, err := storage.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Build(ctx, db.Services(), demo.Options{Units: 12, Years: 1, Seed: 5}); err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	s1 := filepath.Join(out, "s1.zip")
	m1, err := Write(ctx, db.Services(), s1, snapFixture.priv, reports.QuarterlyPDF, db.Now(), "")
	if err != nil {
		t.Fatal(err)
	}
	// An honest second snapshot extends the first and lists its head.
	honest := filepath.Join(out, "honest.zip")
	if _, err := Write(ctx, db.Services(), honest, snapFixture.priv, reports.QuarterlyPDF, db.Now(), ""); err != nil {
		t.Fatal(err)
	}
	if _, err := VerifySince(honest, honest+".minisig", s1, s1+".minisig", snapFixture.pub); err != nil {
		t.Fatalf("an honest snapshot should extend the earlier one: %v", err)
	}
	heads, err := db.Services().Published.Published(ctx)
	if err != nil || len(heads) != 2 || heads[0].Hash != m1.Head || heads[0].Seq != m1.Entries {
		t.Fatalf("published heads %+v, %v; want the first snapshot's head %d %s first", heads, err, m1.Entries, m1.Head)
	}
	db.Close()

	if seq := rewriteHistory(t, dir); seq > m1.Entries {
		t.Fatalf("rewrote #%d, after the published head #%d", seq, m1.Entries)
	}
	db, err = storage.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	// This forger did not also rewrite the record log, so verify already objects; one
	// who did would pass verify, and the published head below still catches them.
	_ = db.Services().Ledger.Verify(ctx)
	s2 := filepath.Join(out, "s2.zip")
	if _, err := Write(ctx, db.Services(), s2, snapFixture.priv, reports.QuarterlyPDF, db.Now(), ""); err != nil {
		// The record log's tree names every entry's hash: the tree rebuilt from the
		// journal (or a receipt's leaf) no longer matches it, and the export refuses
		// before anything is published.
		db.Close()
		var e *app.Error
		if !errors.As(err, &e) || !strings.Contains(e.EN, "no longer matches the record log's tree") && !strings.Contains(e.EN, "Merkle tree does not match the journal") {
			t.Fatalf("the export of a rewritten history: %v", err)
		}
		return
	}
	db.Close()
	_, err = Verify(s2, s2+".minisig", snapFixture.pub)
	if err == nil {
		t.Fatal("a snapshot of rewritten history verified")
	}
	t.Log(err)
	if !strings.Contains(err.Error(), m1.Head) || !strings.Contains(err.Error(), fmt.Sprintf("#%d", m1.Entries)) || !strings.Contains(err.Error(), "s1.zip") {
		t.Errorf("the error should name the first broken published head (#%d %s, s1.zip): %v", m1.Entries, m1.Head, err)
	}
	// Anyone holding the first snapshot catches the forger too, even one who also
	// deleted the record of published heads from the book.
	if _, err := VerifySince(s2, s2+".minisig", s1, s1+".minisig", snapFixture.pub); err == nil || !strings.Contains(err.Error(), m1.Head) {
		t.Errorf("--since the first snapshot should fail naming its head %s: %v", m1.Head, err)
	}
}

func mustDecimal(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func TestSnapshot_UnsafeZipEntryNameIsRefused(t *testing.T) {
	snapshotFixture(t)
	for _, bad := range []string{"../x", "/etc/x", "votes/../../x"} {
		add := func(names *[]string, files map[string][]byte) {
			*names = append(*names, bad)
			files[bad] = []byte("x")
		}
		p := rewriteSnapshot(t, add, false, true)
		_, err := Verify(p, p+".minisig", snapFixture.pub)
		if err == nil || (!strings.Contains(err.Error(), bad) && !strings.Contains(err.Error(), "zip")) {
			t.Errorf("%s: %v", bad, err)
		}
	}
}

// FuzzCheckSnapshotZip: whatever bytes a snapshot holds, checking it never panics.
func FuzzCheckSnapshotZip(f *testing.F) {
	if b, err := os.ReadFile("testdata/entry-vectors.json"); err == nil {
		f.Add(b)
	}
	f.Add([]byte("PK\x05\x06\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"))
	pub, _, err := minisign.GenerateKey(rand.Reader)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
		if err != nil {
			return
		}
		checkSnapshotZip(zr, pub)
	})
}
