package snapshot

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"sunledger/app"
	"sunledger/storage"
)

// TestSnapshot_FileMadeAheadIsTheSameBytes pins what ahead promises: a file made ahead
// in compressed form and copied in when its turn comes (bills.csv) leaves the zip and
// the manifest byte for byte as writing it in place does, between files written in
// place, for a large file written in small pieces (as encoding/csv does), an empty one
// and a name that needs the zip's UTF-8 flag.
func TestSnapshot_FileMadeAheadIsTheSameBytes(t *testing.T) {
	ctx := context.Background()
	created := time.Date(2026, 12, 6, 10, 30, 0, 0, time.UTC)
	csvRows := func(w io.Writer) error {
		if err := writeCSV(w, []string{"period", "unit", "amount"}, func(add func(...string) error) error {
			for i := range 200_000 {
				if err := add(fmt.Sprintf("2026-%02d", i%12+1), fmt.Sprintf("%d-%d-%03d", i%7+1, i%5+1, i%301), fmt.Sprintf("%d.%02d", i%977, i%100)); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			return err
		}
		return nil
	}
	empty := func(w io.Writer) error { return nil }
	text := func(w io.Writer) error {
		_, err := io.WriteString(w, strings.Repeat("账单 bills\n", 1000))
		return err
	}
	files := []struct {
		name  string
		write func(io.Writer) error
	}{{"a.txt", text}, {"bills.csv", csvRows}, {"empty.csv", empty}, {"账单.csv", text}, {"z.txt", text}}
	build := func(aheadOf map[string]bool) ([]byte, app.Manifest) {
		var out bytes.Buffer
		z := &snapWriter{zw: newZipWriter(&out), embed: map[string][]byte{}, manifest: app.Manifest{Created: created}}
		made := map[string]*aheadFile{}
		for _, f := range files {
			if aheadOf[f.name] {
				made[f.name] = z.ahead(f.name, f.write)
			}
		}
		for _, f := range files {
			var err error
			if a := made[f.name]; a != nil {
				err = z.addAhead(ctx, a)
			} else {
				err = z.file(f.name, f.write)
			}
			if err != nil {
				t.Fatal(err)
			}
		}
		if err := z.zw.Close(); err != nil {
			t.Fatal(err)
		}
		return out.Bytes(), z.manifest
	}
	inPlace, m := build(nil)
	for _, aheadOf := range []map[string]bool{{"bills.csv": true}, {"bills.csv": true, "empty.csv": true, "账单.csv": true, "a.txt": true}} {
		got, gm := build(aheadOf)
		if !bytes.Equal(got, inPlace) {
			t.Errorf("made ahead %v: the zip differs from the one written in place (%d and %d bytes)", aheadOf, len(got), len(inPlace))
		}
		if !reflect.DeepEqual(gm, m) {
			t.Errorf("made ahead %v: manifest %+v, in place %+v", aheadOf, gm.Files, m.Files)
		}
	}
	r, err := zip.NewReader(bytes.NewReader(inPlace), int64(len(inPlace)))
	if err != nil || len(r.File) != len(files) || r.File[1].Name != "bills.csv" || r.File[1].UncompressedSize64 < 4<<20 {
		t.Fatalf("the zip written in place is not what the test meant: %v", err)
	}

	// A file that fails ahead fails the part that adds it, with its error.
	var out bytes.Buffer
	z := &snapWriter{zw: newZipWriter(&out), embed: map[string][]byte{}, manifest: app.Manifest{Created: created}}
	a := z.ahead("bills.csv", func(w io.Writer) error { return errors.New("bills broken") })
	if err := z.addAhead(ctx, a); err == nil || err.Error() != "bills broken" {
		t.Fatalf("a failing file made ahead gave %v", err)
	}
}

// TestSnapshot_DisclosuresMadeAtAnotherHeadAreMadeAgain: the PDFs start at the head the
// store names before the journal's walk; when the walk ends elsewhere (the book was
// written to in between), snapQuarterly renders them again at the walk's head, so every
// PDF names the head the manifest signs.
func TestSnapshot_DisclosuresMadeAtAnotherHeadAreMadeAgain(t *testing.T) {
	snapshotFixture(t)
	db, err := storage.OpenReadOnly(filepath.Join(snapFixture.dir, "book"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	var mu sync.Mutex
	var heads []string
	disclose := func(ctx context.Context, s app.Services, year, quarter int, date string, upTo int64, community, head string, w io.Writer) error {
		mu.Lock()
		heads = append(heads, head)
		mu.Unlock()
		_, err := fmt.Fprintf(w, "%d %s", upTo, head)
		return err
	}
	var out bytes.Buffer
	z := &snapWriter{zw: newZipWriter(&out), s: db.Services(), embed: map[string][]byte{}, disclose: disclose,
		manifest: app.Manifest{Community: "阳光花园", Created: snapFixture.manifest.Created}}
	if err := snapDisclosures(ctx, z); err != nil {
		t.Fatal(err)
	}
	head, entries, err := db.Services().Ledger.Head(ctx)
	if err != nil || entries < 2 {
		t.Fatalf("the fixture's head: %v", err)
	}
	z.manifest.Head, z.manifest.Entries = "walked-elsewhere", entries-1 // what a walk of a book written to meanwhile would give
	if err := snapQuarterly(ctx, z); err != nil {
		t.Fatal(err)
	}
	if err := z.zw.Close(); err != nil {
		t.Fatal(err)
	}
	r, err := zip.NewReader(bytes.NewReader(out.Bytes()), int64(out.Len()))
	if err != nil {
		t.Fatal(err)
	}
	pdfs := 0
	for _, f := range r.File {
		if !strings.HasSuffix(f.Name, ".pdf") {
			continue
		}
		pdfs++
		rc, _ := f.Open()
		b, _ := io.ReadAll(rc)
		rc.Close()
		if want := fmt.Sprintf("%d walked-elsewhere", entries-1); string(b) != want {
			t.Errorf("%s says %q, want %q", f.Name, b, want)
		}
	}
	if pdfs == 0 || len(heads) != 2*pdfs || heads[0] != head {
		t.Fatalf("%d PDFs; rendered at %v (first at the store's head %s, then again)", pdfs, heads, head)
	}
}
