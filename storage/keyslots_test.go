package storage

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"sunledger/app"
)

// cheapSlots makes slot creation fast for the test; the parameters are stored per slot.
func cheapSlots(t *testing.T) {
	old := DefaultSlotKDF
	DefaultSlotKDF = SlotKDF{Time: 1, MemoryKiB: 64, Threads: 1}
	t.Cleanup(func() { DefaultSlotKDF = old })
}

func newEncryptedBook(t *testing.T, dir string) []byte {
	t.Helper()
	key, err := CreateKeySlots(dir, "甲", "甲的口令口令")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ForgetKey(dir) })
	db, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.bookService().Init(context.Background(), app.Community{Name: "Zyxquokka小区"}, "t"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	return key
}

// TestKeySlots_AnyPassphraseOpensNoneIsTheKey: each slot unwraps the same data key with
// its own passphrase; the key is not derived from any passphrase, a wrong one fails,
// and a slot moved to another name fails (the name is bound to the seal).
func TestKeySlots_AnyPassphraseOpensNoneIsTheKey(t *testing.T) {
	cheapSlots(t)
	dir := t.TempDir()
	key := newEncryptedBook(t, dir)
	db, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !db.Encrypted() {
		t.Fatal("not encrypted")
	}
	if ok, err := db.SetKeySlot("乙", "乙的口令口令"); !ok || err != nil {
		t.Fatal(ok, err)
	}
	db.Close()
	for _, c := range []struct{ who, pass string }{{"甲", "甲的口令口令"}, {"乙", "乙的口令口令"}, {"", "乙的口令口令"}} {
		k, err := Unlock(dir, c.who, c.pass)
		if err != nil || !bytes.Equal(k, key) {
			t.Errorf("%s: %v", c.who, err)
		}
	}
	for _, c := range []struct{ who, pass string }{{"甲", "乙的口令口令"}, {"", "谁的口令都不是"}, {"丙", "甲的口令口令"}} {
		if _, err := Unlock(dir, c.who, c.pass); app.ErrorCode(err) != app.EUNAUTHORIZED {
			t.Errorf("%s/%s: %v, want unauthorized", c.who, c.pass, err)
		}
	}
	b, _ := os.ReadFile(filepath.Join(dir, KeySlotsFile))
	if bytes.Contains(b, key) {
		t.Error("the data key is in the slot file in the clear")
	}
	var ks keySlots
	json.Unmarshal(b, &ks)
	ks.Slots[0].Name, ks.Slots[1].Name = ks.Slots[1].Name, ks.Slots[0].Name
	writeSlots(dir, ks)
	if _, err := Unlock(dir, "甲", "甲的口令口令"); err == nil {
		t.Error("a slot renamed to another member still opened")
	}
}

// TestKeySlots_DamagedOrMissing: a truncated, missing or foreign slot file, a hostile
// KDF cost and a wrong key are refused with a message, never a panic or a wrong-key open.
func TestKeySlots_DamagedOrMissing(t *testing.T) {
	cheapSlots(t)
	dir := t.TempDir()
	newEncryptedBook(t, dir)
	good, _ := os.ReadFile(filepath.Join(dir, KeySlotsFile))
	ForgetKey(dir)
	if _, err := Open(dir); app.ErrorCode(err) != app.EUNAUTHORIZED {
		t.Errorf("open without key: %v", err)
	}
	if _, err := OpenReadOnly(dir); app.ErrorCode(err) != app.EUNAUTHORIZED {
		t.Errorf("read-only open without key: %v", err)
	}
	for n := 0; n < len(good); n += 37 {
		os.WriteFile(filepath.Join(dir, KeySlotsFile), good[:n], 0o600)
		if _, err := Unlock(dir, "甲", "甲的口令口令"); err == nil {
			t.Fatalf("truncated to %d bytes: opened", n)
		}
	}
	var ks keySlots
	json.Unmarshal(good, &ks)
	ks.Slots[0].KDF = SlotKDF{Time: 1 << 30, MemoryKiB: 1 << 30, Threads: 255}
	writeSlots(dir, ks)
	start := time.Now()
	if _, err := Unlock(dir, "甲", "甲的口令口令"); err == nil || time.Since(start) > 5*time.Second {
		t.Errorf("hostile KDF cost: %v after %v", err, time.Since(start))
	}
	os.Remove(filepath.Join(dir, KeySlotsFile))
	if !IsEncrypted(dir) {
		t.Error("a store without its slots is not seen as encrypted")
	}
	if _, err := Open(dir); err == nil || !bytes.Contains([]byte(err.Error()), []byte(KeySlotsFile)) {
		t.Errorf("open without slot file: %v", err)
	}
	if _, err := Unlock(dir, "甲", "甲的口令口令"); err == nil {
		t.Error("unlock without slot file")
	}
	// A wrong key (another book's) is refused before Badger reads anything.
	other := t.TempDir()
	newEncryptedBook(t, other)
	os.WriteFile(filepath.Join(dir, KeySlotsFile), mustRead(t, filepath.Join(other, KeySlotsFile)), 0o600)
	k, err := Unlock(dir, "甲", "甲的口令口令")
	if err != nil {
		t.Fatal(err)
	}
	UseKey(dir, k)
	if _, err := Open(dir); err == nil {
		t.Fatal("opened with another book's key")
	}
	ForgetKey(dir)
	os.WriteFile(filepath.Join(dir, KeySlotsFile), good, 0o600)
	k, err = Unlock(dir, "甲", "甲的口令口令")
	if err != nil {
		t.Fatal(err)
	}
	UseKey(dir, k)
	db, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if c, err := db.bookService().Community(context.Background()); err != nil || c.Name != "Zyxquokka小区" {
		t.Errorf("community %v %v", c, err)
	}
	db.Close()
}

func mustRead(t *testing.T, p string) []byte {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestEncryptBook_KeepsTheBook: converting a plain book keeps its content, leaves no
// community name on disk, and refuses a second conversion.
func TestEncryptBook_KeepsTheBook(t *testing.T) {
	cheapSlots(t)
	ctx := context.Background()
	parent := t.TempDir()
	dir := filepath.Join(parent, "book")
	db, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.bookService().Init(ctx, app.Community{Name: "Zyxquokka小区"}, "t"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	bak, err := EncryptBook(ctx, dir, "甲", "甲的口令口令", "t")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ForgetKey(dir) })
	if _, err := os.Stat(bak); err != nil {
		t.Errorf("backup: %v", err)
	}
	filepath.Walk(parent, func(p string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() && bytes.Contains(mustRead(t, p), []byte("Zyxquokka")) {
			t.Errorf("%s holds the community name", p)
		}
		return nil
	})
	db, err = Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if c, err := db.bookService().Community(ctx); err != nil || c.Name != "Zyxquokka小区" {
		t.Errorf("community %v %v", c, err)
	}
	db.Close()
	if _, err := EncryptBook(ctx, dir, "甲", "甲的口令口令", "t"); app.ErrorCode(err) != app.ECONFLICT {
		t.Errorf("second conversion: %v", err)
	}
}

// TestKeySlots_MemberRemovedWhileTheBookIsOpen: 乙 has the book open (their key in
// memory) when their removal takes effect. The open session keeps working — its next
// write succeeds and is kept — and once it closes the data key changes: 甲 and 丙 open
// the book with their unchanged passphrases and see the write; 乙's passphrase opens
// nothing, not even with a copy of the slot file taken before the removal put back into
// the folder (the key it unwraps is the old one).
func TestKeySlots_MemberRemovedWhileTheBookIsOpen(t *testing.T) {
	cheapSlots(t)
	ctx := context.Background()
	dir := t.TempDir()
	rosterBook(t, dir, []string{"甲", "乙", "丙"})
	oldSlots := mustRead(t, filepath.Join(dir, KeySlotsFile))

	// 乙 opens the book.
	key, err := Unlock(dir, "乙", "乙的口令口令")
	if err != nil {
		t.Fatal(err)
	}
	UseKey(dir, key)
	db, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	// Meanwhile 乙 is removed (the roster is open: at once) and their slot goes.
	if err := db.MarkKeySlotRemoval(ctx, "乙"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.memberService().RemoveMember(ctx, "乙", "甲", "辞职"); err != nil {
		t.Fatal(err)
	}
	if gone, err := db.SyncKeySlots(ctx, "乙"); err != nil || len(gone) != 1 {
		t.Fatalf("slots removed %v, %v", gone, err)
	}
	if p, err := db.RotationPending(ctx); err != nil || !p {
		t.Fatalf("rotation pending after the removal: %v %v", p, err)
	}
	// The open session still writes, and the write is kept.
	u := app.Unit{ID: "1-1-101", Kind: "住宅", Area: decimal.RequireFromString("80"), OwnerID: "O1", OwnerName: "王伟"}
	if err := db.registerService().ImportUnits(ctx, []app.Unit{u}, "甲", "after the removal"); err != nil {
		t.Fatalf("write after the removal: %v", err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	r, err := RotateKey(ctx, dir, "甲")
	if err != nil || !r.Rotated {
		t.Fatalf("rotate: %+v %v", r, err)
	}
	if fmt.Sprint(r.Removed, r.Kept, r.Lost) != "[乙] [丙 甲] []" {
		t.Errorf("rotation %+v", r)
	}
	ForgetKey(dir)

	if _, err := Unlock(dir, "乙", "乙的口令口令"); app.ErrorCode(err) != app.EUNAUTHORIZED {
		t.Errorf("removed member by name: %v", err)
	}
	if _, err := Unlock(dir, "", "乙的口令口令"); app.ErrorCode(err) != app.EUNAUTHORIZED {
		t.Errorf("removed member's passphrase, no name: %v", err)
	}
	for _, n := range []string{"甲", "丙"} {
		k, err := Unlock(dir, n, n+"的口令口令")
		if err != nil {
			t.Fatalf("%s after 乙's removal: %v", n, err)
		}
		if bytes.Equal(k, key) {
			t.Fatalf("%s: the data key did not change", n)
		}
		UseKey(dir, k)
		db, err := Open(dir)
		if err != nil {
			t.Fatal(err)
		}
		if us, err := db.registerService().Units(ctx); err != nil || len(us) != 1 {
			t.Errorf("%s sees %d units (%v): the write after the removal was lost", n, len(us), err)
		}
		if p, err := db.RotationPending(ctx); err != nil || p {
			t.Errorf("rotation still pending: %v %v", p, err)
		}
		db.Close()
		ForgetKey(dir)
	}
	if log := auditActions(t, dir, "甲"); !strings.Contains(log, "keyslot.remove") || !strings.Contains(log, "keyslot.rotate") {
		t.Errorf("audit log: %s", log)
	}

	// The gap closed: the slot file copied before the removal still unwraps the old
	// key, but the old key does not open the folder as it is after the removal.
	copied := filepath.Join(t.TempDir(), "copy")
	if err := os.CopyFS(copied, os.DirFS(dir)); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(copied, KeySlotsFile), oldSlots, 0o600)
	k, err := Unlock(copied, "乙", "乙的口令口令")
	if err != nil || !bytes.Equal(k, key) {
		t.Fatalf("old slot copy: %v", err)
	}
	UseKey(copied, k)
	defer ForgetKey(copied)
	if db, err := Open(copied); err == nil {
		db.Close()
		t.Fatal("the removed member's old key opened the book after the removal")
	} else if !strings.Contains(err.Error(), KeySlotsFile) {
		t.Errorf("refusal does not name the slot file: %v", err)
	}
	if db, err := OpenReadOnly(copied); err == nil {
		db.Close()
		t.Fatal("the removed member's old key opened the book read-only")
	}
}

// auditActions opens the book as member (passphrase NAME的口令口令) and returns its
// audit log's actions.
func auditActions(t *testing.T, dir, member string) string {
	t.Helper()
	k, err := Unlock(dir, member, member+"的口令口令")
	if err != nil {
		t.Fatal(err)
	}
	UseKey(dir, k)
	defer ForgetKey(dir)
	db, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	es, err := db.bookService().Audit(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, e := range es {
		b.WriteString(e.Action + " ")
	}
	return b.String()
}

// TestEncryptEmptyBook_OnlyAnEmptyBook: the window's first run encrypts the empty store
// it opened; a folder that holds a community, or one already encrypted, is refused and
// left as it was; a short passphrase creates nothing.
func TestEncryptEmptyBook_OnlyAnEmptyBook(t *testing.T) {
	cheapSlots(t)
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "book")
	db, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	if err := EncryptEmptyBook(dir, "甲", "短"); app.ErrorCode(err) != app.EINVALID || IsEncrypted(dir) {
		t.Fatalf("short passphrase: %v", err)
	}
	if err := EncryptEmptyBook(dir, "甲", "甲的口令口令"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ForgetKey(dir) })
	if !IsEncrypted(dir) {
		t.Fatal("not encrypted")
	}
	if err := EncryptEmptyBook(dir, "甲", "甲的口令口令"); app.ErrorCode(err) != app.ECONFLICT {
		t.Errorf("twice: %v", err)
	}
	if db, err = Open(dir); err != nil {
		t.Fatal(err)
	}
	if err := db.bookService().Init(ctx, app.Community{Name: "加密小区"}, "t"); err != nil {
		t.Fatal(err)
	}
	db.Close()

	plain := filepath.Join(t.TempDir(), "plain")
	if db, err = Open(plain); err != nil {
		t.Fatal(err)
	}
	if err := db.bookService().Init(ctx, app.Community{Name: "普通小区"}, "t"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if err := EncryptEmptyBook(plain, "甲", "甲的口令口令"); app.ErrorCode(err) != app.ECONFLICT || IsEncrypted(plain) {
		t.Fatalf("a book with a community: %v", err)
	}
	if db, err = Open(plain); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if c, err := db.bookService().Community(ctx); err != nil || c.Name != "普通小区" {
		t.Errorf("the refused book changed: %+v, %v", c, err)
	}
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(plain), ".plain.encrypt-*")); len(left) > 0 {
		t.Errorf("temporary folders left: %v", left)
	}
}
