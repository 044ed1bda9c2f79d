package storage

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sunledger/app"
)

func namedBook(t *testing.T, dir, name string) {
	t.Helper()
	db, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.bookService().Init(ctx, app.Community{Name: name}, "t"); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestSettleSwap_AKillAtEachStepLeavesTheOldBookOrTheNewOne: a restore stopped after
// each step of the swap is settled to one whole book, the right one, and says which.
func TestSettleSwap_AKillAtEachStepLeavesTheOldBookOrTheNewOne(t *testing.T) {
	for _, tc := range []struct {
		name  string
		setup func(t *testing.T, dir, newBook, staged, aside string) // newBook: a whole new book beside dir
		want  string                                                 // the community in dir after settling
		note  string                                                 // in the note ("" = no note)
	}{
		{"nothing to settle", func(t *testing.T, dir, nb, staged, aside string) {}, "旧小区", ""},
		{"killed while loading", func(t *testing.T, dir, nb, staged, aside string) {
			mustRename(t, nb, filepath.Join(filepath.Dir(dir), "."+filepath.Base(dir)+".restore-123"))
		}, "旧小区", "载入新账本时被中断"},
		{"killed while building a demo", func(t *testing.T, dir, nb, staged, aside string) {
			mustRename(t, nb, filepath.Join(filepath.Dir(dir), "."+filepath.Base(dir)+".demo-77"))
		}, "旧小区", "载入新账本时被中断"},
		{"killed while encrypting", func(t *testing.T, dir, nb, staged, aside string) {
			mustRename(t, nb, filepath.Join(filepath.Dir(dir), "."+filepath.Base(dir)+".encrypt-9"))
			os.WriteFile(filepath.Join(filepath.Dir(dir), "."+filepath.Base(dir)+".before-encrypt-1.slbak.tmp-2"), []byte("half"), 0o600)
		}, "旧小区", "载入新账本时被中断"},
		{"killed while changing the key", func(t *testing.T, dir, nb, staged, aside string) {
			mustRename(t, nb, filepath.Join(filepath.Dir(dir), "."+filepath.Base(dir)+".rotate-5"))
		}, "旧小区", "载入新账本时被中断"},
		{"killed after staging", func(t *testing.T, dir, nb, staged, aside string) {
			mustRename(t, nb, staged)
		}, "旧小区", "仍是原来的账本"},
		{"killed after the old book left", func(t *testing.T, dir, nb, staged, aside string) {
			mustRename(t, nb, staged)
			mustRename(t, dir, aside)
		}, "新小区", "现已完成替换"},
		{"killed before the old book was removed", func(t *testing.T, dir, nb, staged, aside string) {
			mustRename(t, dir, aside)
			mustRename(t, nb, dir)
		}, "新小区", "已完成"},
		{"old book aside alone", func(t *testing.T, dir, nb, staged, aside string) {
			mustRename(t, dir, aside)
		}, "旧小区", "放回原来的账本"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			parent := t.TempDir()
			dir, nb := filepath.Join(parent, "book"), filepath.Join(parent, "new")
			namedBook(t, dir, "旧小区")
			namedBook(t, nb, "新小区")
			staged, aside := swapNames(dir)
			tc.setup(t, dir, nb, staged, aside)
			note, err := SettleSwap(dir)
			if err != nil {
				t.Fatal(err)
			}
			if tc.note == "" && note != "" || !strings.Contains(note, tc.note) {
				t.Errorf("note %q, want %q", note, tc.note)
			}
			if again, _ := SettleSwap(dir); again != "" {
				t.Errorf("settled twice: %q", again)
			}
			db, err := OpenReadOnly(dir)
			if err != nil {
				t.Fatal(err)
			}
			c, err := db.bookService().Community(ctx)
			db.Close()
			if err != nil || c.Name != tc.want {
				t.Errorf("book %q (%v), want %q", c.Name, err, tc.want)
			}
			ents, _ := os.ReadDir(parent)
			for _, e := range ents {
				if e.Name() != "book" && e.Name() != "new" {
					t.Errorf("left over: %s", e.Name())
				}
			}
		})
	}
}

func mustRename(t *testing.T, from, to string) {
	t.Helper()
	if err := os.Rename(from, to); err != nil {
		t.Fatal(err)
	}
}
