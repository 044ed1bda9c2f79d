package storage

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/dgraph-io/badger/v4"
	"github.com/dgraph-io/ristretto/v2/z"

	"sunledger/app"
)

// Changing the data key when a member is removed (docs/encryption.md, "Removing a member
// changes the key"). A removed member knew the data key; as long as the book stays under
// it, an old copy of keyslots.json and their old passphrase open any later copy of the
// folder. RotateKey puts the book under a new random key: every remaining member's slot
// of format 2 gets the new key sealed to its public key (their passphrases are not
// needed and do not change), the whole store is copied into a new encrypted store beside
// the folder, checked, and swapped in as restore does (swap.go), so a kill at any point
// leaves the old book with the old slots or the new book with the new slots; the next
// command settles a stopped swap (SettleSwap) and redoes a rotation that did not finish
// (RotationPending).

// Rotation says what RotateKey did.
type Rotation struct {
	// Rotated is false when the key could not change: no remaining slot is of format 2.
	Rotated bool
	// Removed: the slots of removed members that are gone now (or went before).
	Removed []string
	// Kept: members whose slot was sealed to the new key (their passphrase opens it).
	Kept []string
	// Lost: remaining members whose slot could not be sealed to the new key (format 1:
	// they have not unlocked the book since the upgrade; or a slot altered or damaged):
	// they lose access until `members passphrase` gives them a slot again.
	Lost []string
}

// RotateKey gives the encrypted book in dir a new data key, sealed for every remaining
// member with a format-2 slot; the slots of members who have left the roster (or that
// the slot file marks as removed) go. The book must be closed by the caller and unlocked
// (UseKey); RotateKey opens it itself, holding it while the copy is made. On any failure
// before the swap, dir is left as it was.
func RotateKey(ctx context.Context, dir, who string) (r Rotation, err error) {
	abs := absDir(dir)
	key := keyFor(abs)
	if key == nil {
		if IsEncrypted(abs) {
			return r, ErrNeedPassphrase(abs)
		}
		return r, app.Errorf(app.EINVALID, "账本 %s 没有加密：没有可以更换的数据密钥；没有做任何更改", "the book in %s is not encrypted: there is no data key to change; nothing was changed", abs)
	}
	old, err := Open(abs)
	if err != nil {
		return r, err
	}
	defer func() {
		if old != nil {
			old.Close()
		}
	}()
	ms, err := old.memberService().Members(ctx)
	if err != nil {
		return r, err
	}
	ks, err := readSlots(abs)
	if err != nil {
		return r, err
	}
	r, sealable, remaining := sortSlots(ks, key, goneFromRoster(ms, ks))
	if len(sealable) == 0 {
		return r, keepOldKey(abs, ks, r, remaining)
	}
	newKey, nks, err := sealNewKey(ks, sealable)
	if err != nil {
		return r, err
	}
	detail := fmt.Sprintf("removed %v; sealed for %v", r.Removed, r.Kept)
	if len(r.Lost) > 0 {
		detail += fmt.Sprintf("; lost (format 1 or damaged) %v", r.Lost)
	}
	closeOld := func() { old.Close(); old = nil }
	if err := copyUnderKey(ctx, old, closeOld, abs, nks, newKey, who, detail); err != nil {
		return r, err
	}
	r.Rotated = true
	return r, nil
}

// sortSlots sorts the slots for a key change: members gone from the roster (removed),
// those the new key can be sealed to (kept: format 2, public key checked), and those it
// cannot (lost).
func sortSlots(ks keySlots, key []byte, gone map[string]bool) (r Rotation, sealable, remaining []keySlot) {
	for _, s := range ks.Slots {
		switch {
		case gone[s.Name]:
			r.Removed = append(r.Removed, s.Name)
		case s.macOK(ks.Book, key):
			sealable = append(sealable, s)
			remaining = append(remaining, s)
			r.Kept = append(r.Kept, s.Name)
		default:
			remaining = append(remaining, s)
			r.Lost = append(r.Lost, s.Name)
		}
	}
	for _, n := range ks.Pending {
		if gone[n] && !contains(r.Removed, n) {
			r.Removed = append(r.Removed, n)
		}
	}
	return r, sealable, remaining
}

// keepOldKey is the key change when nobody could open the book under a new key: the
// old key stays, but the slots of removed members go now and the mark stays, so the
// next command that writes tries again (once a remaining member's slot is of format 2).
func keepOldKey(abs string, ks keySlots, r Rotation, remaining []keySlot) error {
	if len(remaining) == 0 || len(remaining) == len(ks.Slots) {
		return nil
	}
	ks.Slots = remaining
	for _, n := range r.Removed {
		if !contains(ks.Pending, n) {
			ks.Pending = append(ks.Pending, n)
		}
	}
	return writeSlots(abs, ks)
}

// sealNewKey makes a new data key and the slot file that seals it to every sealable slot.
func sealNewKey(ks keySlots, sealable []keySlot) ([]byte, keySlots, error) {
	newKey := make([]byte, 32)
	if _, err := rand.Read(newKey); err != nil {
		return nil, keySlots{}, app.Internal(err)
	}
	nks := keySlots{Format: keySlotsFormat, Book: ks.Book, Check: keyCheck(newKey)}
	for _, s := range sealable {
		if err := s.sealTo(nks.Book, newKey); err != nil {
			return nil, keySlots{}, err
		}
		nks.Slots = append(nks.Slots, s)
	}
	return newKey, nks, nil
}

// copyUnderKey copies the open book old into a new store under newKey beside abs, with
// the slot file nks and the audit record of the change, closes old (closeOld) and swaps
// the new book in whole (swap.go): a kill at any point leaves the old book with the old
// key or the new one with the new key.
func copyUnderKey(ctx context.Context, old *DB, closeOld func(), abs string, nks keySlots, newKey []byte, who, detail string) error {
	tmp, err := os.MkdirTemp(filepath.Dir(abs), "."+filepath.Base(abs)+".rotate-")
	if err != nil {
		return app.Errorf(app.EINVALID, "无法在 %s 旁边建立临时文件夹：%v；没有做任何更改", "cannot make a temporary folder beside %s: %v; nothing was changed", abs, err)
	}
	swapped := false
	defer func() {
		if !swapped {
			os.RemoveAll(tmp)
		}
		ForgetKey(tmp)
	}()
	if err := writeSlots(tmp, nks); err != nil {
		return err
	}
	UseKey(tmp, newKey)
	if err := copyStore(ctx, old, tmp, func(tx *Tx) error { return tx.audit(who, "keyslot.rotate", detail, "") }); err != nil {
		return err
	}
	closeOld()
	if err := swapIn(tmp, abs); err != nil {
		return err
	}
	swapped = true
	UseKey(abs, newKey)
	return nil
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// copyStore copies the live version of every key of the open book old into a new store
// in dir (whose key is registered): Badger's Stream reads old and its StreamWriter writes
// the new store's tables directly (nothing in the clear touches the disk). The copy is
// checked — the same keys and values (a digest of them all) and the same journal head —
// then last (an audit record) is written into it in one transaction.
func copyStore(ctx context.Context, old *DB, dir string, last func(tx *Tx) error) (err error) {
	ndb, err := Open(dir)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := ndb.Close(); cerr != nil && err == nil {
			err = app.Internal(cerr)
		}
	}()
	sw := ndb.bdb.NewStreamWriter()
	if err := sw.Prepare(); err != nil { // the new store starts empty
		return app.Errorf(app.EINVALID, "无法准备新的加密文件夹：%v；原账本未改动", "cannot prepare the new encrypted folder: %v; the book is unchanged", err)
	}
	st := old.bdb.NewStream()
	st.NumGo = 1 // measured: faster than 2 on a 2-core laptop, and less memory
	st.MaxSize = 8 << 20
	st.LogPrefix = "sunledger key change"
	st.Send = func(buf *z.Buffer) error { return sw.Write(buf) }
	serr := st.Orchestrate(ctx)
	if serr == nil {
		serr = sw.Flush()
	} else {
		sw.Cancel()
	}
	if serr != nil {
		if e := ctxErr(ctx); e != nil {
			return e
		}
		return app.Errorf(app.EINVALID, "无法把账本复制到新的加密文件夹：%v；原账本未改动", "cannot copy the book into the new encrypted folder: %v; the book is unchanged", serr)
	}
	if err := ndb.checkSchema(); err != nil {
		return err
	}
	oh, on, err := keyDigest(old)
	if err != nil {
		return err
	}
	nh, nn, err := keyDigest(ndb)
	if err != nil {
		return err
	}
	oHead, oSeq, err := old.ledgerService().Head(ctx)
	if err != nil {
		return err
	}
	nHead, nSeq, err := ndb.ledgerService().Head(ctx)
	if err != nil {
		return err
	}
	if oh != nh || on != nn || oHead != nHead || oSeq != nSeq {
		return app.Errorf(app.EINTERNAL, "复制到新加密文件夹的账本与原账本不一致（%d / %d 个键，凭证 #%d / #%d）；原账本未改动，请重试",
			"the copy in the new encrypted folder differs from the book (%d / %d keys, journal #%d / #%d); the book is unchanged, try again", on, nn, oSeq, nSeq)
	}
	if err := ndb.startRecordLog(); err != nil {
		return err
	}
	return ndb.update(last)
}

// keyDigest is a digest of every live key and value of the book, and their number.
func keyDigest(db *DB) ([32]byte, int, error) {
	h := sha256.New()
	n := 0
	err := db.bdb.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.DefaultIteratorOptions)
		defer it.Close()
		var lb [8]byte
		for it.Rewind(); it.Valid(); it.Next() {
			item := it.Item()
			if strings.HasPrefix(string(item.Key()), "!badger!") {
				continue
			}
			binary.BigEndian.PutUint64(lb[:], uint64(len(item.Key())))
			h.Write(lb[:])
			h.Write(item.Key())
			if err := item.Value(func(v []byte) error {
				binary.BigEndian.PutUint64(lb[:], uint64(len(v)))
				h.Write(lb[:])
				h.Write(v)
				return nil
			}); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	var sum [32]byte
	copy(sum[:], h.Sum(nil))
	return sum, n, wrap(err)
}
