package storage

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

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
	if err := db.Init(context.Background(), app.Community{Name: "Zyxquokka小区"}, "t"); err != nil {
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
	if c, err := db.Community(context.Background()); err != nil || c.Name != "Zyxquokka小区" {
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
	if err := db.Init(ctx, app.Community{Name: "Zyxquokka小区"}, "t"); err != nil {
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
	if c, err := db.Community(ctx); err != nil || c.Name != "Zyxquokka小区" {
		t.Errorf("community %v %v", c, err)
	}
	db.Close()
	if _, err := EncryptBook(ctx, dir, "甲", "甲的口令口令", "t"); app.ErrorCode(err) != app.ECONFLICT {
		t.Errorf("second conversion: %v", err)
	}
}
