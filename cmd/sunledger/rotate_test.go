package main

import (
	"context"
	"crypto/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"sunledger/app"
	"sunledger/storage"
	"sunledger/ui"
)

// TestWindow_RemovalSignedInTheWindowChangesTheKey: a removal that takes effect in the
// window deletes the slot, and the window then closes the book, changes its data key and
// opens it again: the session works on, the remaining members open the book with their
// passphrases, the removed member does not, the same member stays signed in.
func TestWindow_RemovalSignedInTheWindowChangesTheKey(t *testing.T) {
	old := storage.DefaultSlotKDF
	storage.DefaultSlotKDF = storage.SlotKDF{Time: 1, MemoryKiB: 64, Threads: 1}
	t.Cleanup(func() { storage.DefaultSlotKDF = old })
	test.NewApp()
	ui.Synchronous = true
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "book")
	if _, err := storage.CreateKeySlots(dir, "甲", "甲的口令口令"); err != nil {
		t.Fatal(err)
	}
	defer storage.ForgetKey(dir)
	book := storage.NewBook(dir)
	if err := book.Open(false); err != nil {
		t.Fatal(err)
	}
	db := book.DB()
	if err := db.Services().Book.Init(ctx, app.Community{Name: "窗口小区"}, "t"); err != nil {
		t.Fatal(err)
	}
	for _, n := range []string{"甲", "乙", "丙"} {
		m, err := app.NewMember(n, app.Roles[0], n+"的口令口令", rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.Services().Members.AddMember(ctx, m, "甲", ""); err != nil {
			t.Fatal(err)
		}
		if _, err := db.SetKeySlot(n, n+"的口令口令"); err != nil {
			t.Fatal(err)
		}
	}
	ss := &session{dir: dir, book: book, ctx: ctx, w: test.NewWindow(nil)}
	ss.reopened()
	defer ss.close()
	ss.wireKeySlots()
	var queued func()
	afterHandler = func(f func()) { queued = f }
	if err := db.MarkKeySlotRemoval(ctx, "乙"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Services().Members.RemoveMember(ctx, "乙", "甲", "辞职"); err != nil {
		t.Fatal(err)
	}
	if err := ui.SyncKeySlots(); err != nil {
		t.Fatal(err)
	}
	if queued == nil {
		t.Fatal("no key change queued after the removal")
	}
	queued() // what the hook queues once the signing dialog is done
	if ss.book.DB() == db {
		t.Fatal("the book was not reopened")
	}
	if _, err := ss.s.Book.Community(ctx); err != nil {
		t.Fatalf("the reopened book: %v", err)
	}
	if p, err := ss.book.DB().RotationPending(ctx); err != nil || p {
		t.Errorf("still pending: %v %v", p, err)
	}
	b, _ := os.ReadFile(filepath.Join(dir, storage.KeySlotsFile))
	if strings.Contains(string(b), `"乙"`) || strings.Contains(string(b), "rotate_pending") {
		t.Errorf("slot file after the rotation:\n%s", b)
	}
	for _, n := range []string{"甲", "丙"} {
		if _, err := storage.Unlock(dir, n, n+"的口令口令"); err != nil {
			t.Errorf("%s: %v", n, err)
		}
	}
	if _, err := storage.Unlock(dir, "乙", "乙的口令口令"); err == nil {
		t.Error("the removed member still unlocks")
	}
}
