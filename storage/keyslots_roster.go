package storage

import (
	"context"
	"fmt"
	"slices"

	"sunledger/app"
)

// The key slots follow the roster: a member added gets a slot, a member removed loses
// theirs and the data key changes (rotate.go).

// Encrypted reports whether the open book is encrypted.
func (db *DB) Encrypted() bool { return keyFor(db.dir) != nil }

// SetKeySlot adds (or replaces) the key slot of name, wrapping the open book's data key
// with passphrase. A plain book is left alone (ok false).
func (db *DB) SetKeySlot(name, passphrase string) (ok bool, err error) {
	key := keyFor(db.dir)
	if key == nil {
		return false, nil
	}
	ks, err := readSlots(db.dir)
	if err != nil {
		return false, err
	}
	s, err := newSlot(ks.Book, name, passphrase, key, DefaultSlotKDF)
	if err != nil {
		return false, err
	}
	out := ks.Slots[:0]
	for _, o := range ks.Slots {
		if o.Name != name {
			out = append(out, o)
		}
	}
	ks.Slots = append(out, s)
	return true, writeSlots(db.dir, ks)
}

// goneFromRoster is the set of names whose key slots must go: members removed from a
// sealed roster (still listed, with Removed set), names in also, and names marked pending
// in the slot file (a removal under way) that are no longer active members. A name that
// is (again) an active member never goes.
func goneFromRoster(ms []app.Member, ks keySlots, also ...string) map[string]bool {
	gone := map[string]bool{}
	for _, m := range ms {
		if m.Removed != "" {
			gone[m.Name] = true
		}
	}
	for _, n := range also {
		gone[n] = true
	}
	for _, n := range ks.Pending {
		gone[n] = true
	}
	for _, m := range ms {
		if m.Removed == "" {
			delete(gone, m.Name) // still (or again) on the roster
		}
	}
	return gone
}

// MarkKeySlotRemoval records in the slot file, before an immediate removal of name from
// the roster (an open roster deletes the member outright), that the data key must change
// once the removal is done; a program killed between the two then finishes the job at its
// next command (RotationPending). Nothing is marked for a plain book or for a name that
// is not an active member holding a slot. UnmarkKeySlotRemoval takes the mark back when
// the removal was refused.
func (db *DB) MarkKeySlotRemoval(ctx context.Context, name string) error {
	return db.markPending(ctx, name, true)
}

// UnmarkKeySlotRemoval takes back MarkKeySlotRemoval's mark (the removal was refused).
func (db *DB) UnmarkKeySlotRemoval(ctx context.Context, name string) error {
	return db.markPending(ctx, name, false)
}

func (db *DB) markPending(ctx context.Context, name string, on bool) error {
	if keyFor(db.dir) == nil {
		return nil
	}
	ks, err := readSlots(db.dir)
	if err != nil {
		return err
	}
	has := false
	for _, s := range ks.Slots {
		has = has || s.Name == name
	}
	marked := slices.Contains(ks.Pending, name)
	if !on {
		if !marked {
			return nil
		}
		ks.Pending = slices.DeleteFunc(ks.Pending, func(n string) bool { return n == name })
		return writeSlots(db.dir, ks)
	}
	if !has || marked {
		return nil
	}
	ms, err := db.memberService().Members(ctx)
	if err != nil {
		return err
	}
	if !slices.ContainsFunc(ms, func(m app.Member) bool { return m.Name == name && m.Removed == "" }) {
		return nil // not an active member: the removal will be refused
	}
	ks.Pending = append(ks.Pending, name)
	return writeSlots(db.dir, ks)
}

// SyncKeySlots removes the key slot of every member who has left the roster (and of the
// names in also: members removed outright while the roster was open); it never removes
// the last slot. The names removed stay marked in the slot file until the data key is
// changed (RotateKey, rotate.go). It returns the names removed.
func (db *DB) SyncKeySlots(ctx context.Context, also ...string) ([]string, error) {
	if keyFor(db.dir) == nil {
		return nil, nil
	}
	ms, err := db.memberService().Members(ctx)
	if err != nil {
		return nil, err
	}
	ks, err := readSlots(db.dir)
	if err != nil {
		return nil, err
	}
	gone := goneFromRoster(ms, ks, also...)
	var keep []keySlot
	var removed []string
	for _, s := range ks.Slots {
		if gone[s.Name] {
			removed = append(removed, s.Name)
		} else {
			keep = append(keep, s)
		}
	}
	if len(removed) == 0 || len(keep) == 0 {
		return nil, nil
	}
	ks.Slots = keep
	for _, n := range removed {
		if !slices.Contains(ks.Pending, n) {
			ks.Pending = append(ks.Pending, n)
		}
	}
	if err := writeSlots(db.dir, ks); err != nil {
		return nil, err
	}
	return removed, db.update(func(tx *Tx) error {
		return tx.audit("sunledger", "keyslot.remove", fmt.Sprint(removed), "")
	})
}

// RotationPending reports whether the data key of the open book must still change after
// a removal: a removed member still holds a slot (a program stopped between the removal
// and its key slot's), or the slot file marks a removal whose key change was not done.
func (db *DB) RotationPending(ctx context.Context) (bool, error) {
	if keyFor(db.dir) == nil {
		return false, nil
	}
	ks, err := readSlots(db.dir)
	if err != nil {
		return false, err
	}
	ms, err := db.memberService().Members(ctx)
	if err != nil {
		return false, err
	}
	gone := goneFromRoster(ms, ks)
	for _, s := range ks.Slots {
		if gone[s.Name] {
			return true, nil
		}
	}
	for _, n := range ks.Pending {
		if gone[n] {
			return true, nil
		}
	}
	return false, nil
}
