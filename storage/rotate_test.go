package storage

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"golang.org/x/crypto/chacha20poly1305"

	"sunledger/app"
)

// v1Slot makes a key slot of format 1, as books made before format 2 hold them.
func v1Slot(t *testing.T, book, name, pass string, key []byte) keySlot {
	t.Helper()
	s := keySlot{Name: name, KDF: DefaultSlotKDF, Salt: make([]byte, 16), Nonce: make([]byte, chacha20poly1305.NonceSizeX)}
	rand.Read(s.Salt)
	rand.Read(s.Nonce)
	aead, err := chacha20poly1305.NewX(slotKEK(pass, s.Salt, s.KDF))
	if err != nil {
		t.Fatal(err)
	}
	s.Wrapped = aead.Seal(nil, s.Nonce, key, slotAAD(book, name))
	return s
}

// rosterBook makes an encrypted book whose roster (open) and key slots hold names, each
// with passphrase NAME的口令口令, and a unit owned by 王伟Zyx; format1 names get slots of
// format 1. It returns the data key (the book is closed, the key forgotten).
func rosterBook(t *testing.T, dir string, names []string, format1 ...string) []byte {
	t.Helper()
	ctx := context.Background()
	key := newEncryptedBook(t, dir)
	db, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range names {
		m, err := app.NewMember(n, app.Roles[0], n+"的口令口令", rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.memberService().AddMember(ctx, m, "甲", ""); err != nil {
			t.Fatal(err)
		}
		if _, err := db.SetKeySlot(n, n+"的口令口令"); err != nil {
			t.Fatal(err)
		}
	}
	u := app.Unit{ID: "1-1-101", Kind: "住宅", Area: decimal.RequireFromString("80"), OwnerID: "OWNER-ZYX-1", OwnerName: "王伟Zyx"}
	if err := db.registerService().ImportUnits(ctx, []app.Unit{u}, "甲", ""); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if len(format1) > 0 {
		ks, err := readSlots(dir)
		if err != nil {
			t.Fatal(err)
		}
		for i, s := range ks.Slots {
			if contains(format1, s.Name) {
				ks.Slots[i] = v1Slot(t, ks.Book, s.Name, s.Name+"的口令口令", key)
			}
		}
		if err := writeSlots(dir, ks); err != nil {
			t.Fatal(err)
		}
	}
	ForgetKey(dir)
	return key
}

// removeAndRotate removes name from the open roster as the CLI does and changes the key.
func removeAndRotate(t *testing.T, dir string, key []byte, name string) Rotation {
	t.Helper()
	ctx := context.Background()
	UseKey(dir, key)
	db, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.MarkKeySlotRemoval(ctx, name); err != nil {
		t.Fatal(err)
	}
	if _, err := db.memberService().RemoveMember(ctx, name, "甲", "辞职"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SyncKeySlots(ctx, name); err != nil {
		t.Fatal(err)
	}
	db.Close()
	r, err := RotateKey(ctx, dir, "甲")
	if err != nil {
		t.Fatal(err)
	}
	ForgetKey(dir)
	return r
}

// opens reports whether name's passphrase opens the book in dir and it holds the unit.
func opens(t *testing.T, dir, name string) bool {
	t.Helper()
	k, err := Unlock(dir, name, name+"的口令口令")
	if err != nil {
		return false
	}
	UseKey(dir, k)
	defer ForgetKey(dir)
	db, err := Open(dir)
	if err != nil {
		return false
	}
	defer db.Close()
	us, err := db.registerService().Units(context.Background())
	return err == nil && len(us) == 1
}

func slotFile(t *testing.T, dir string) keySlots {
	t.Helper()
	ks, err := readSlots(dir)
	if err != nil {
		t.Fatal(err)
	}
	return ks
}

// TestRotateKey_ThreeMembersRemoveOne: the two remaining members open the book with their
// unchanged passphrases under a new key; the removed member's passphrase with the old
// slot file copied over the new folder does not open it; no owner name is on disk
// anywhere beside the book; the file is of format 2 and marks nothing pending.
func TestRotateKey_ThreeMembersRemoveOne(t *testing.T) {
	cheapSlots(t)
	parent := t.TempDir()
	dir := filepath.Join(parent, "book")
	key := rosterBook(t, dir, []string{"甲", "乙", "丙"})
	old := mustRead(t, filepath.Join(dir, KeySlotsFile))
	r := removeAndRotate(t, dir, key, "乙")
	if !r.Rotated || fmt.Sprint(r.Removed, r.Kept, r.Lost) != "[乙] [丙 甲] []" {
		t.Fatalf("rotation %+v", r)
	}
	// The book under the new key takes writes, and they are kept.
	k, err := Unlock(dir, "丙", "丙的口令口令")
	if err != nil {
		t.Fatal(err)
	}
	UseKey(dir, k)
	db, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	u := app.Unit{ID: "1-1-102", Kind: "住宅", Area: decimal.RequireFromString("90"), OwnerID: "OWNER-ZYX-2", OwnerName: "王伟Zyx"}
	if err := db.registerService().ImportUnits(context.Background(), []app.Unit{u}, "丙", ""); err != nil {
		t.Fatalf("write after the rotation: %v", err)
	}
	db.Close()
	db, err = Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if us, err := db.registerService().Units(context.Background()); err != nil || len(us) != 2 {
		t.Errorf("after a write under the new key: %d units, %v", len(us), err)
	}
	db.Close()
	ForgetKey(dir)
	for _, n := range []string{"甲", "丙"} {
		if k, err := Unlock(dir, n, n+"的口令口令"); err != nil || bytes.Equal(k, key) {
			t.Errorf("%s after the rotation: %v (or the old key)", n, err)
		}
	}
	if _, err := Unlock(dir, "乙", "乙的口令口令"); err == nil {
		t.Error("the removed member opens the book")
	}
	ks := slotFile(t, dir)
	if ks.Version != 2 || len(ks.Pending) != 0 || len(ks.Slots) != 2 {
		t.Errorf("slot file version %d, pending %v, %d slots", ks.Version, ks.Pending, len(ks.Slots))
	}
	os.WriteFile(filepath.Join(dir, KeySlotsFile), old, 0o600)
	if opens(t, dir, "乙") {
		t.Fatal("the removed member's passphrase with the old slot file opens the book after the removal")
	}
	if _, err := Unlock(dir, "乙", "乙的口令口令"); err != nil {
		t.Fatalf("the old slot file itself: %v", err)
	}
	filepath.Walk(parent, func(p string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() {
			b := mustRead(t, p)
			for _, n := range []string{"王伟Zyx", "OWNER-ZYX-1", "Zyxquokka"} {
				if bytes.Contains(b, []byte(n)) {
					t.Errorf("%s holds %s", p, n)
				}
			}
		}
		return nil
	})
	if left, _ := filepath.Glob(filepath.Join(parent, ".book.*")); len(left) > 0 {
		t.Errorf("left beside the book: %v", left)
	}
}

// TestKeySlots_Format1BookKeepsOpening: a book whose slots are all of format 1 opens with
// every member's passphrase; the member who unlocks gets a format-2 slot (same
// passphrase), the others keep theirs, and a file read by an older program (version 1)
// stays version 1 until then. While the book is open elsewhere no upgrade is written.
func TestKeySlots_Format1BookKeepsOpening(t *testing.T) {
	cheapSlots(t)
	dir := t.TempDir()
	key := rosterBook(t, dir, []string{"甲", "乙", "丙"}, "甲", "乙", "丙")
	if ks := slotFile(t, dir); ks.Version != 1 {
		t.Fatalf("a file of format-1 slots is version %d", ks.Version)
	}
	// Open elsewhere: the unlock works, the file is not touched.
	UseKey(dir, key)
	busy, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	before := mustRead(t, filepath.Join(dir, KeySlotsFile))
	if k, err := Unlock(dir, "乙", "乙的口令口令"); err != nil || !bytes.Equal(k, key) {
		t.Fatalf("format-1 unlock while open: %v", err)
	}
	if !bytes.Equal(before, mustRead(t, filepath.Join(dir, KeySlotsFile))) {
		t.Error("the slot file was rewritten while the book was open")
	}
	busy.Close()
	ForgetKey(dir)

	k, err := Unlock(dir, "乙", "乙的口令口令")
	if err != nil || !bytes.Equal(k, key) {
		t.Fatalf("format-1 unlock: %v", err)
	}
	ks := slotFile(t, dir)
	for _, s := range ks.Slots {
		if s.v2() != (s.Name == "乙") {
			t.Errorf("slot of %s format 2: %v", s.Name, s.v2())
		}
	}
	if ks.Version != 2 {
		t.Errorf("version %d after an upgrade", ks.Version)
	}
	for _, n := range []string{"甲", "乙", "丙"} {
		if !opens(t, dir, n) {
			t.Errorf("%s does not open the book after 乙's upgrade", n)
		}
	}
}

// TestRotateKey_Format1SlotsAreLostOrKeepTheKey: at a rotation, a remaining member whose
// slot is still of format 1 cannot be sealed to: they are named as lost and their
// passphrase no longer opens the book; when no remaining slot is of format 2 the key
// does not change, the removed member's slot goes anyway and the change stays pending.
func TestRotateKey_Format1SlotsAreLostOrKeepTheKey(t *testing.T) {
	cheapSlots(t)
	dir := t.TempDir()
	key := rosterBook(t, dir, []string{"甲", "乙", "丙"}, "丙")
	r := removeAndRotate(t, dir, key, "乙")
	if !r.Rotated || fmt.Sprint(r.Removed, r.Kept, r.Lost) != "[乙] [甲] [丙]" {
		t.Fatalf("rotation %+v", r)
	}
	if !opens(t, dir, "甲") || opens(t, dir, "丙") || opens(t, dir, "乙") {
		t.Error("after the rotation only 甲 should open the book")
	}

	dir = t.TempDir()
	key = rosterBook(t, dir, []string{"甲", "乙", "丙"}, "甲", "丙")
	r = removeAndRotate(t, dir, key, "乙")
	if r.Rotated || fmt.Sprint(r.Removed, r.Kept, r.Lost) != "[乙] [] [丙 甲]" {
		t.Fatalf("rotation without a format-2 slot %+v", r)
	}
	ks := slotFile(t, dir)
	if len(ks.Slots) != 2 || fmt.Sprint(ks.Pending) != "[乙]" || ks.Check != keyCheck(key) {
		t.Errorf("slots %d pending %v", len(ks.Slots), ks.Pending)
	}
	if opens(t, dir, "乙") {
		t.Error("the removed member still has a slot")
	}
	// 甲 unlocks (and is upgraded); the pending change now goes through.
	k, err := Unlock(dir, "甲", "甲的口令口令")
	if err != nil {
		t.Fatal(err)
	}
	UseKey(dir, k)
	db, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if p, err := db.RotationPending(context.Background()); err != nil || !p {
		t.Fatalf("pending %v %v", p, err)
	}
	db.Close()
	r, err = RotateKey(context.Background(), dir, "甲")
	ForgetKey(dir)
	if err != nil || !r.Rotated || fmt.Sprint(r.Removed, r.Kept, r.Lost) != "[乙] [甲] [丙]" {
		t.Fatalf("second rotation %+v %v", r, err)
	}
	if !opens(t, dir, "甲") || len(slotFile(t, dir).Pending) != 0 {
		t.Error("after the second rotation")
	}
}

// TestRotateKey_PendingAfterAKill: a program stopped after the roster change but before
// the key changed leaves a state RotationPending recognises — a removed member still
// holding a slot (sealed roster), or a mark for a member no longer on the roster (open
// roster) — and a refused removal's mark is not taken for one.
func TestRotateKey_PendingAfterAKill(t *testing.T) {
	cheapSlots(t)
	ctx := context.Background()
	dir := t.TempDir()
	key := rosterBook(t, dir, []string{"甲", "乙", "丙"})
	UseKey(dir, key)
	defer ForgetKey(dir)
	db, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	pending := func(want bool, when string) {
		t.Helper()
		if p, err := db.RotationPending(ctx); err != nil || p != want {
			t.Errorf("%s: pending %v (%v), want %v", when, p, err, want)
		}
	}
	pending(false, "at first")
	if err := db.MarkKeySlotRemoval(ctx, "乙"); err != nil {
		t.Fatal(err)
	}
	pending(false, "marked, not yet removed")
	if err := db.MarkKeySlotRemoval(ctx, "路人"); err != nil || contains(slotFile(t, dir).Pending, "路人") {
		t.Errorf("a name off the roster was marked: %v", err)
	}
	if _, err := db.memberService().RemoveMember(ctx, "乙", "甲", "辞职"); err != nil {
		t.Fatal(err)
	}
	pending(true, "removed, slot still there")
	if _, err := db.SyncKeySlots(ctx); err != nil {
		t.Fatal(err)
	}
	pending(true, "slot gone, key not changed")
	if err := db.MarkKeySlotRemoval(ctx, "丙"); err != nil {
		t.Fatal(err)
	}
	if err := db.UnmarkKeySlotRemoval(ctx, "丙"); err != nil || contains(slotFile(t, dir).Pending, "丙") {
		t.Errorf("unmark: %v", err)
	}
}

// TestKeySlots_Format2BadInput: a truncated slot file, a slot whose public key, sealed
// key or mark was altered, and a wrong passphrase are refused with a message (an altered
// slot says so, it is not taken for a wrong passphrase), never a panic or a wrong key;
// a rotation does not seal the new key to an altered public key.
func TestKeySlots_Format2BadInput(t *testing.T) {
	cheapSlots(t)
	dir := t.TempDir()
	key := rosterBook(t, dir, []string{"甲", "乙", "丙"})
	good := mustRead(t, filepath.Join(dir, KeySlotsFile))
	for n := 0; n < len(good); n += 23 {
		os.WriteFile(filepath.Join(dir, KeySlotsFile), good[:n], 0o600)
		if _, err := Unlock(dir, "甲", "甲的口令口令"); err == nil {
			t.Fatalf("truncated to %d bytes: opened", n)
		}
	}
	os.WriteFile(filepath.Join(dir, KeySlotsFile), good, 0o600)
	if _, err := Unlock(dir, "甲", "乙的口令口令"); app.ErrorCode(err) != app.EUNAUTHORIZED {
		t.Errorf("wrong passphrase: %v", err)
	}
	for _, field := range []string{"public", "sealed", "mac"} {
		var ks keySlots
		json.Unmarshal(good, &ks)
		for i := range ks.Slots {
			if ks.Slots[i].Name != "乙" {
				continue
			}
			b := map[string][]byte{"public": ks.Slots[i].Public, "sealed": ks.Slots[i].Sealed, "mac": ks.Slots[i].MAC}[field]
			b[len(b)/2] ^= 0x40
		}
		writeSlots(dir, ks)
		_, err := Unlock(dir, "乙", "乙的口令口令")
		if err == nil || !strings.Contains(err.Error(), "altered") && !strings.Contains(err.Error(), "改动") {
			t.Errorf("altered %s: %v", field, err)
		}
		if k, err := Unlock(dir, "甲", "甲的口令口令"); err != nil || !bytes.Equal(k, key) {
			t.Errorf("altered %s of 乙: 甲 no longer opens: %v", field, err)
		}
	}
	// A public key swapped in by someone without the data key is not sealed to.
	var ks keySlots
	json.Unmarshal(good, &ks)
	priv, _ := slotKEM.GenerateKey()
	for i := range ks.Slots {
		if ks.Slots[i].Name == "丙" {
			ks.Slots[i].Public = priv.PublicKey().Bytes()
		}
	}
	writeSlots(dir, ks)
	r := removeAndRotate(t, dir, key, "乙")
	if !r.Rotated || fmt.Sprint(r.Kept, r.Lost) != "[甲] [丙]" {
		t.Errorf("rotation over an altered public key: %+v", r)
	}
	for _, s := range slotFile(t, dir).Slots {
		if bytes.Equal(s.Public, priv.PublicKey().Bytes()) {
			t.Error("the new key was sealed to the swapped-in public key")
		}
	}
}

// FuzzKeySlotFile feeds damaged slot files to the reader and to Unlock: never a panic,
// and whatever opens gives the book's own key.
func FuzzKeySlotFile(f *testing.F) {
	// A fixed key: the fuzzer's workers are other processes and must agree on it.
	key := bytes.Repeat([]byte{7}, 32)
	old := DefaultSlotKDF
	DefaultSlotKDF = SlotKDF{Time: 1, MemoryKiB: 64, Threads: 1}
	ks := keySlots{Format: keySlotsFormat, Book: "fuzzbook", Check: keyCheck(key)}
	s, err := newSlot(ks.Book, "甲", "甲的口令口令", key, DefaultSlotKDF)
	if err != nil {
		f.Fatal(err)
	}
	ks.Slots = []keySlot{s, v1Slot(&testing.T{}, ks.Book, "乙", "乙的口令口令", key)}
	DefaultSlotKDF = old
	dir := f.TempDir()
	if err := writeSlots(dir, ks); err != nil {
		f.Fatal(err)
	}
	good := mustRead(&testing.T{}, filepath.Join(dir, KeySlotsFile))
	f.Add(good)
	f.Add(good[:len(good)/2])
	f.Add(bytes.Replace(good, []byte(`"version": 2`), []byte(`"version": 3`), 1))
	f.Add([]byte(`{"format":"sunledger-keyslots","version":2,"book":"b","check":"c","slots":[{"name":"甲","public":"AAAA"}]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		var probe keySlots
		if json.Unmarshal(b, &probe) == nil {
			for _, s := range probe.Slots {
				if s.KDF.Time > 2 || s.KDF.MemoryKiB > 1024 || s.KDF.Threads > 2 {
					return // a costly KDF is bounded elsewhere; keep the fuzzer fast
				}
			}
		}
		d := t.TempDir()
		os.WriteFile(filepath.Join(d, KeySlotsFile), b, 0o600)
		SlotNames(d)
		for _, who := range []string{"甲", "乙", ""} {
			if k, err := Unlock(d, who, who+"的口令口令"); err == nil && !bytes.Equal(k, key) {
				t.Fatalf("a damaged file gave another key")
			}
		}
	})
}
