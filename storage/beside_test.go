package storage

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sunledger/app"
)

func initBook(s app.Services) error {
	return s.Book.Init(context.Background(), app.Community{Name: "旁建小区"}, "t")
}

// leftovers lists what a build left beside dir.
func leftovers(t *testing.T, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(filepath.Dir(dir))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range ents {
		if strings.HasPrefix(e.Name(), "."+filepath.Base(dir)+".") {
			out = append(out, e.Name())
		}
	}
	return out
}

// TestBuildBeside_TheBookArrivesWholeOrNotAtAll: a build that succeeds is the book in
// dir; one that fails leaves dir as it was (no half a book) and nothing beside it; a
// folder that holds a book or other files is refused untouched.
func TestBuildBeside_TheBookArrivesWholeOrNotAtAll(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "book")
	boom := errors.New("stopped half-way")
	err := BuildBeside(ctx, dir, nil, func(s app.Services) error {
		if err := initBook(s); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("a failed build: %v", err)
	}
	if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("a failed build left the data folder behind: %v", err)
	}
	if l := leftovers(t, dir); len(l) > 0 {
		t.Fatalf("a failed build left %v beside the folder", l)
	}
	if err := BuildBeside(ctx, dir, nil, initBook); err != nil {
		t.Fatal(err)
	}
	db := openTest(t, dir)
	c, err := db.bookService().Community(ctx)
	db.Close()
	if err != nil || c.Name != "旁建小区" {
		t.Fatalf("the built book: %+v, %v", c, err)
	}
	if err := BuildBeside(ctx, dir, nil, initBook); app.ErrorCode(err) != app.ECONFLICT {
		t.Fatalf("building over a book: %v, want a conflict", err)
	}
	other := t.TempDir()
	os.WriteFile(filepath.Join(other, "notes.txt"), []byte("x"), 0o600)
	if err := BuildBeside(ctx, other, nil, initBook); app.ErrorCode(err) != app.ECONFLICT {
		t.Fatalf("building over a folder of other files: %v, want a conflict", err)
	}
	if b, err := os.ReadFile(filepath.Join(other, "notes.txt")); err != nil || string(b) != "x" {
		t.Fatal("the refused build touched the other files")
	}
}

// TestBuildBeside_AnEncryptedEmptyBookStaysEncrypted: the window encrypts the empty book
// first, then builds the demo beside it: the new book has the same key slots and opens
// with the same passphrase.
func TestBuildBeside_AnEncryptedEmptyBookStaysEncrypted(t *testing.T) {
	cheapSlots(t)
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "book")
	if err := EncryptEmptyBook(dir, "甲", "甲的口令口令"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ForgetKey(dir) })
	if err := BuildBeside(ctx, dir, nil, initBook); err != nil {
		t.Fatal(err)
	}
	ForgetKey(dir)
	key, err := Unlock(dir, "甲", "甲的口令口令")
	if err != nil {
		t.Fatalf("the built book does not unlock with the passphrase: %v", err)
	}
	UseKey(dir, key)
	db := openTest(t, dir)
	defer db.Close()
	if c, err := db.bookService().Community(ctx); err != nil || c.Name != "旁建小区" {
		t.Fatalf("the built book: %+v, %v", c, err)
	}
	if !IsEncrypted(dir) {
		t.Fatal("the built book is not encrypted")
	}
}

// TestBuildBeside_NobodyWritesTheFolderWhileTheBookIsBuilt: while the demo is built
// beside it, another program that opens the data folder (to init a book there, say) is
// told the folder is in use, so no book it would write there is swapped away at the end.
// A demo refused over a book leaves the folder's files exactly as they were.
func TestBuildBeside_NobodyWritesTheFolderWhileTheBookIsBuilt(t *testing.T) {
	ctx := context.Background()
	for _, existed := range []bool{false, true} {
		dir := filepath.Join(t.TempDir(), "book")
		if existed {
			os.Mkdir(dir, 0o700)
		}
		err := BuildBeside(ctx, dir, nil, func(s app.Services) error {
			if db, err := Open(dir); err == nil {
				db.bookService().Init(ctx, app.Community{Name: "手工账本"}, "t")
				db.Close()
				t.Errorf("existed=%v: the data folder could be opened while the demo was built", existed)
			} else if app.ErrorCode(err) != app.ELOCKED {
				t.Errorf("existed=%v: opening the folder during the build: %v, want in use", existed, err)
			}
			return initBook(s)
		})
		if err != nil {
			t.Fatal(err)
		}
		db := openTest(t, dir)
		c, err := db.bookService().Community(ctx)
		db.Close()
		if err != nil || c.Name != "旁建小区" {
			t.Fatalf("existed=%v: the built book: %+v, %v", existed, c, err)
		}
		before := folderFiles(t, dir)
		if err := BuildBeside(ctx, dir, nil, initBook); app.ErrorCode(err) != app.ECONFLICT {
			t.Fatalf("building over a book: %v, want a conflict", err)
		}
		if after := folderFiles(t, dir); after != before {
			t.Errorf("existed=%v: the refused demo changed the folder:\n%s\nvs\n%s", existed, before, after)
		}
	}
	// A failed build into a folder that was empty leaves it empty.
	dir := t.TempDir()
	if err := BuildBeside(ctx, dir, nil, func(app.Services) error { return errors.New("stop") }); err == nil {
		t.Fatal("the build did not fail")
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Errorf("a failed build left %d files in the empty folder", len(ents))
	}
}

// folderFiles names the files of dir with their sizes and modification times.
func folderFiles(t *testing.T, dir string) string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, e := range ents {
		info, err := e.Info()
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "%s %d %s\n", e.Name(), info.Size(), info.ModTime())
	}
	return b.String()
}
