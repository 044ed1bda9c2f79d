package storage

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dgraph-io/badger/v4"
	"github.com/dgraph-io/badger/v4/options"
	"github.com/dgraph-io/badger/v4/table"
	"github.com/dgraph-io/ristretto/v2/z"

	"sunledger/app"
)

// tableBook is a closed book with at least one table and a receipt in it.
func tableBook(t *testing.T) (dir string, tables []string) {
	t.Helper()
	db, dir := newBook(t)
	ctx := context.Background()
	var units []app.Unit
	for i := 0; i < 200; i++ {
		units = append(units, unit(fmt.Sprintf("1-1-%03d", i), "80", fmt.Sprint(i)))
	}
	if err := db.registerService().ImportUnits(ctx, units, "t", "why"); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		if strings.HasSuffix(e.Name(), ".sst") {
			tables = append(tables, e.Name())
		}
	}
	if len(tables) == 0 {
		t.Fatal("the closed book has no table")
	}
	return dir, tables
}

// unitsIn opens dir read-only and counts the register's units.
func unitsIn(dir string) (int, error) {
	db, err := OpenReadOnly(dir)
	if err != nil {
		return 0, err
	}
	defer db.Close()
	us, err := db.registerService().Units(context.Background())
	return len(us), err
}

// flipInPlace flips one byte of a table's first data block and sets its modification
// time back, as a disk or a tool that keeps times might.
func flipInPlace(t *testing.T, path string) {
	t.Helper()
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	b := make([]byte, 1)
	f.ReadAt(b, 40)
	b[0] ^= 0xFF
	f.WriteAt(b, 40)
	f.Close()
	os.Chtimes(path, info.ModTime(), info.ModTime())
}

// TestOpen_ATableIsCheckedWholeOnceThenOnlyItsIndex: the tables a writing command made
// are checked block by block when it closes the book; later opens check only their
// index, until the file changes; verify reads every block of them in its pass.
func TestOpen_ATableIsCheckedWholeOnceThenOnlyItsIndex(t *testing.T) {
	dir, _ := tableBook(t)
	before := tableChecks.Load()
	for i := 0; i < 3; i++ {
		if n, err := unitsIn(dir); err != nil || n != 200 {
			t.Fatalf("open %d: %d units, %v", i, n, err)
		}
	}
	if n := tableChecks.Load() - before; n != 0 {
		t.Fatalf("reading opens checked %d tables whole; the close had checked them", n)
	}
	db, err := OpenReadOnly(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	before = tableChecks.Load()
	if err := db.ledgerService().Verify(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := tableChecks.Load() - before; n != 0 {
		t.Fatalf("verify checked %d tables whole; its pass read every entry of them", n)
	}
}

// TestVerify_ThePassProvesEveryTableOrEveryTableIsChecked: verify's pass over a book
// closed cleanly steps over every entry of every table, so every block was read and
// checked against its checksum: no table is checked a second time, and each is noted as
// checked now. In a program that has written since it opened the book (the window), the
// memtable's entries would be counted too: every table is checked whole instead.
func TestVerify_ThePassProvesEveryTableOrEveryTableIsChecked(t *testing.T) {
	dir, tables := tableBook(t)
	past := time.Now().Add(-30 * 24 * time.Hour).Unix()
	m := readChecked(dir)
	for name, c := range m {
		c.checked = past
		m[name] = c
	}
	writeChecked(dir, m)
	db := openTest(t, dir) // a writing open: checks the month-old tables whole
	before := tableChecks.Load()
	if err := db.ledgerService().Verify(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := tableChecks.Load() - before; n != 0 {
		t.Errorf("verify on a book closed cleanly checked %d tables whole", n)
	}
	for _, name := range tables {
		if c, ok := readChecked(dir)[name]; !ok || time.Since(time.Unix(c.checked, 0)) > time.Minute {
			t.Errorf("table %s is not noted as checked now: %+v, %v", name, c, ok)
		}
	}
	if err := db.registerService().ImportUnits(context.Background(), []app.Unit{unit("9-9-999", "80", "x")}, "t", "why"); err != nil {
		t.Fatal(err)
	}
	before = tableChecks.Load()
	if err := db.ledgerService().Verify(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := tableChecks.Load() - before; n != int64(len(tables)) {
		t.Errorf("verify after a write checked %d tables whole, the book has %d", n, len(tables))
	}
	db.Close()
}

// TestVerify_DamageAnywhereInATableIsNamed: a byte flipped anywhere in a table's blocks,
// in data that is live or not, with the table remembered as checked, is refused on open
// (the index) or named by verify: Badger's iterator stops at the damaged block without a
// word, and the pass's count of the tables' entries comes up short.
func TestVerify_DamageAnywhereInATableIsNamed(t *testing.T) {
	dir, tables := tableBook(t)
	p := filepath.Join(dir, tables[0])
	clean, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	opened := 0
	for _, at := range []float64{0.02, 0.2, 0.4, 0.6, 0.75} {
		t.Run(fmt.Sprint(at), func(t *testing.T) {
			b := append([]byte(nil), clean...)
			b[int(at*float64(len(b)))] ^= 0x55
			if err := os.WriteFile(p, b, 0o600); err != nil {
				t.Fatal(err)
			}
			defer os.WriteFile(p, clean, 0o600)
			m := readChecked(dir)
			st, _ := stampTable(p)
			m[tables[0]] = checkedTable{stamp: st, checked: time.Now().Unix()}
			writeChecked(dir, m)
			db, err := OpenReadOnly(dir)
			if err != nil {
				if !strings.Contains(err.Error(), tables[0]) {
					t.Fatalf("the refusal does not name the table: %v", err)
				}
				return
			}
			defer db.Close()
			opened++
			if err := db.ledgerService().Verify(context.Background()); err == nil || !strings.Contains(err.Error(), tables[0]) {
				t.Fatalf("verify did not name the damaged table: %v", err)
			}
		})
	}
	if opened < 3 {
		t.Fatalf("only %d of the damaged tables opened: the blocks were not reached", opened)
	}
}

// TestOpen_ATableNotRememberedIsCheckedWhole: a table whose file changed in any way
// (even with its modification time set back), one missing from the list, or a list
// that does not add up, gets the whole check again, and a damaged block is refused
// before any figure is read.
func TestOpen_ATableNotRememberedIsCheckedWhole(t *testing.T) {
	for _, tc := range []struct {
		name   string
		spoil  func(t *testing.T, dir, table string)
		refuse bool
	}{
		{"block flipped in place, time set back", func(t *testing.T, dir, table string) { flipInPlace(t, filepath.Join(dir, table)) }, true},
		{"list deleted", func(t *testing.T, dir, table string) { os.Remove(filepath.Join(dir, checkedFile)) }, false},
		{"list edited", func(t *testing.T, dir, table string) {
			p := filepath.Join(dir, checkedFile)
			b, _ := os.ReadFile(p)
			os.WriteFile(p, []byte(strings.Replace(string(b), " 1", " 2", 1)), 0o600)
		}, false},
		{"list truncated", func(t *testing.T, dir, table string) {
			p := filepath.Join(dir, checkedFile)
			b, _ := os.ReadFile(p)
			os.WriteFile(p, b[:len(b)/2], 0o600)
		}, false},
		{"last check too old", func(t *testing.T, dir, table string) {
			m := readChecked(dir)
			c := m[table]
			c.checked = time.Now().Add(-recheckAfter - time.Hour).Unix()
			m[table] = c
			writeChecked(dir, m)
		}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir, tables := tableBook(t)
			tc.spoil(t, dir, tables[0])
			before := tableChecks.Load()
			n, err := unitsIn(dir)
			if tc.refuse {
				if err == nil || !strings.Contains(err.Error(), tables[0]) || !strings.Contains(err.Error(), "restore") {
					t.Fatalf("a damaged table opened (%d units, %v)", n, err)
				}
				return
			}
			if err != nil || n != 200 {
				t.Fatalf("%d units, %v", n, err)
			}
			if tableChecks.Load() == before {
				t.Fatal("no table was checked whole")
			}
			before = tableChecks.Load()
			if _, err := unitsIn(dir); err != nil {
				t.Fatal(err)
			}
			if n := tableChecks.Load() - before; n != 0 {
				t.Fatalf("the next open checked %d tables whole again", n)
			}
		})
	}
}

// TestVerify_FindsDamageTheListDidNotSee: a table damaged where nothing about its file
// shows it (here: the list rewritten after the damage, as if the disk had rotted under
// the same times) opens, and verify, which checks every table whole, reports it.
func TestVerify_FindsDamageTheListDidNotSee(t *testing.T) {
	dir, tables := tableBook(t)
	p := filepath.Join(dir, tables[0])
	flipInPlace(t, p)
	m := readChecked(dir)
	st, err := stampTable(p)
	if err != nil {
		t.Fatal(err)
	}
	m[tables[0]] = checkedTable{stamp: st, checked: time.Now().Unix()}
	writeChecked(dir, m)
	db, err := OpenReadOnly(dir)
	if err != nil {
		t.Fatalf("the index is whole, the open should not need the blocks: %v", err)
	}
	defer db.Close()
	err = db.ledgerService().Verify(context.Background())
	if err == nil || !strings.Contains(err.Error(), tables[0]) {
		t.Fatalf("verify did not name the damaged table: %v", err)
	}
}

// TestOpen_ADamagedIndexIsRefusedEvenWhenRemembered: the index (bloom filter, block
// offsets) is checked on every open, so a damaged one never makes keys look absent.
func TestOpen_ADamagedIndexIsRefusedEvenWhenRemembered(t *testing.T) {
	dir, tables := tableBook(t)
	p := filepath.Join(dir, tables[0])
	b, _ := os.ReadFile(p)
	b[len(b)-200] ^= 0xFF // inside the index, before the footer
	os.WriteFile(p, b, 0o600)
	m := readChecked(dir)
	st, _ := stampTable(p)
	m[tables[0]] = checkedTable{stamp: st, checked: time.Now().Unix()}
	writeChecked(dir, m)
	if n, err := unitsIn(dir); err == nil {
		t.Fatalf("a table with a damaged index opened: %d units", n)
	} else if !strings.Contains(err.Error(), tables[0]) {
		t.Fatalf("the refusal does not name the table: %v", err)
	}
}

// TestCheckTable_TheBlockCheckFindsWhatBadgersFinds: the whole-table check walks the
// blocks itself, with one buffer (integrity.go, checkBlocks); a byte flipped anywhere in a
// table's blocks is found by it exactly when Badger's own check of every block
// (OnTableRead) finds it, and the untouched table passes both.
func TestCheckTable_TheBlockCheckFindsWhatBadgersFinds(t *testing.T) {
	dir, tables := tableBook(t)
	m, err := readManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	badgers := func(path string, tm badger.TableManifest) (err error) {
		defer func() {
			if r := recover(); r != nil {
				err = fmt.Errorf("%v", r)
			}
		}()
		mf, err := z.OpenMmapFile(path, os.O_RDONLY, 0)
		if err != nil && !errors.Is(err, z.NewFile) {
			return err
		}
		tb, err := table.OpenTable(mf, table.Options{ReadOnly: true, ChkMode: options.OnTableRead, BlockSize: 4 << 10, Compression: tm.Compression})
		if err != nil {
			return err
		}
		tb.DecrRef()
		return nil
	}
	checked, found := 0, 0
	for _, name := range tables {
		id, _ := table.ParseFileID(name)
		tm, ok := m.Tables[id]
		if !ok {
			continue
		}
		orig, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if err := checkTable(filepath.Join(dir, name), tm, true); err != nil {
			t.Fatalf("%s: the untouched table fails the check: %v", name, err)
		}
		// The blocks come before the index (the last few hundred bytes and more).
		for at := 0; at < len(orig)*3/4; at += 211 {
			b := bytes.Clone(orig)
			b[at] ^= 0x5A
			p := filepath.Join(t.TempDir(), name)
			if err := os.WriteFile(p, b, 0o600); err != nil {
				t.Fatal(err)
			}
			ours, theirs := checkTable(p, tm, true), badgers(p, tm)
			if (ours == nil) != (theirs == nil) {
				t.Fatalf("%s, byte %d flipped: our check says %v, Badger's says %v", name, at, ours, theirs)
			}
			checked++
			if ours != nil {
				found++
			}
		}
	}
	t.Logf("%d flips, %d found by both checks", checked, found)
	if checked == 0 || found == 0 {
		t.Fatalf("%d flips tried, %d found: the test damaged nothing", checked, found)
	}
}
