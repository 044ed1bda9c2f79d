package storage

// The attacks of issue 21, each as an insider with the laptop would try them (raw
// Badger edits, a rebuilt record log and roster), and each caught by `snapshot verify
// NEW --since OLD` (snapshot.VerifySince), named in one line.

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"aead.dev/minisign"
	"github.com/dgraph-io/badger/v4"

	"sunledger/app"
	snap "sunledger/snapshot"
	"sunledger/witness"
)

// noPDF stands in for the quarterly disclosure (package reports renders it; storage
// tests cannot import it).
func noPDF(ctx context.Context, s app.Services, year, quarter int, date string, upTo int64, community, head string, w io.Writer) error {
	_, err := io.WriteString(w, "%PDF-1.4 test\n")
	return err
}

type committeeKey struct {
	priv minisign.PrivateKey
	pub  minisign.PublicKey
}

func newCommitteeKey(t *testing.T) committeeKey {
	pub, priv, err := minisign.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return committeeKey{priv, pub}
}

// export writes a signed snapshot of the book at dir to name in out.
func export(t *testing.T, dir, out, name string, k committeeKey) string {
	t.Helper()
	db := openTest(t, dir)
	defer db.Close()
	p := filepath.Join(out, name)
	if _, err := snap.Write(ctx, db.Services(), p, k.priv, noPDF, db.Now(), "t"); err != nil {
		t.Fatalf("export %s: %v", name, err)
	}
	if _, err := snap.Verify(p, p+".minisig", k.pub); err != nil {
		t.Fatalf("%s does not verify on its own: %v", name, err)
	}
	return p
}

// since runs snapshot verify NEW --since OLD and returns its English one-line message.
func since(t *testing.T, newZip, oldZip string, k committeeKey) string {
	t.Helper()
	_, err := snap.VerifySince(newZip, newZip+".minisig", oldZip, oldZip+".minisig", k.pub)
	if err == nil {
		t.Fatalf("snapshot verify %s --since %s passed", filepath.Base(newZip), filepath.Base(oldZip))
	}
	var e *app.Error
	if !errors.As(err, &e) || strings.Contains(e.EN, "\n") {
		t.Fatalf("not one line: %v", err)
	}
	t.Logf("snapshot verify %s --since %s: %s", filepath.Base(newZip), filepath.Base(oldZip), e.EN)
	witnessRefuses(t, newZip, oldZip, k)
	return e.EN
}

// witnessRefuses shows OLD then NEW to a new witness (docs/witness.md): it cosigns OLD
// and must refuse NEW, recording nothing, as `witness cosign` and `snapshot collect` do.
func witnessRefuses(t *testing.T, newZip, oldZip string, k committeeKey) {
	t.Helper()
	w, err := witness.Open(t.TempDir(), "sunledger-witness/test")
	if err != nil {
		t.Fatal(err)
	}
	cosign := func(zip string) (witness.Result, error) {
		signed, proofs, ok, err := witness.ReadSnapshot(zip)
		if err != nil || !ok {
			t.Fatalf("%s has no checkpoint: %v", filepath.Base(zip), err)
		}
		return w.Cosign(signed, proofs, k.pub)
	}
	if _, err := cosign(oldZip); err != nil {
		t.Fatalf("the witness refused the honest %s: %v", filepath.Base(oldZip), err)
	}
	res, err := cosign(newZip)
	if err == nil {
		t.Fatalf("the witness cosigned %s after %s", filepath.Base(newZip), filepath.Base(oldZip))
	}
	t.Logf("witness cosign %s: %s (%v)", filepath.Base(newZip), res.Verdict, err)
	if held, ok, _ := w.Held(res.Origin); ok && held.N != res.HeldSize && res.HeldSize >= 0 {
		t.Errorf("the refusal moved what the witness holds to %d", held.N)
	}
}

// pad writes payments dated today until the tree has more than size leaves.
func pad(t *testing.T, dir string, size int64) {
	t.Helper()
	db := openTest(t, dir)
	defer db.Close()
	for {
		th, err := db.logService().TreeHead(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if th.Size > size {
			return
		}
		if _, err := db.feeService().Pay(ctx, app.PaymentRequest{Unit: "2-1-101", Amount: dec("1.00"), Date: db.Now().Format(app.DateLayout)}, "t", ""); err != nil {
			t.Fatal(err)
		}
	}
}

func treeSize(t *testing.T, dir string) int64 {
	t.Helper()
	db := openTest(t, dir)
	defer db.Close()
	th, err := db.logService().TreeHead(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return th.Size
}

// rebuildLog is the forger's last step: drop the record log and the checkpoints the
// book published (keeping its id, so that the origin stays), and lay down a fresh
// baseline over the edited records with Sunledger's own code, so that verify passes.
func rebuildLog(t *testing.T, dir string) {
	t.Helper()
	rawEdit(t, dir, func(txn *badger.Txn) error {
		if err := dropLog(false)(txn); err != nil {
			return err
		}
		it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte(prefixCheckpoint)})
		var keys [][]byte
		for it.Rewind(); it.Valid(); it.Next() {
			keys = append(keys, it.Item().KeyCopy(nil))
		}
		it.Close()
		for _, k := range keys {
			if err := txn.Delete(k); err != nil {
				return err
			}
		}
		return nil
	})
	raw, err := badger.Open(badger.DefaultOptions(dir).WithLogger(nil))
	if err != nil {
		t.Fatal(err)
	}
	db := &DB{bdb: raw, dir: dir, Now: time.Now}
	if err := db.baseline(); err != nil {
		t.Fatal(err)
	}
	raw.Close()
}

// forgedAndExported runs one forgery on a book with a published snapshot and returns
// the old snapshot and the new one (made after the log was rebuilt and grown past the
// old one's size, as a careful forger would).
func forgedAndExported(t *testing.T, forge func(dir string)) (oldZip, newZip string, k committeeKey) {
	dir := richBook(t)
	out := t.TempDir()
	k = newCommitteeKey(t)
	pad(t, dir, 0) // a receipt dated today, so that receipts.json has one
	oldZip = export(t, dir, out, "old.zip", k)
	size := treeSize(t, dir)
	forge(dir)
	rebuildLog(t, dir)
	pad(t, dir, size)
	db := openTest(t, dir)
	if err := db.ledgerService().Verify(ctx); err != nil {
		t.Logf("verify of the forged book: %v", err)
	}
	db.Close()
	return oldZip, export(t, dir, out, "new.zip", k), k
}

func TestAttack_RekeyedRosterAndRebuiltLogIsCaughtBySince(t *testing.T) {
	oldZip, newZip, k := forgedAndExported(t, func(dir string) {
		rawEdit(t, dir, func(txn *badger.Txn) error {
			var members []app.Member
			err := eachRaw(txn, prefixMember, func(k string, v []byte) error {
				var m app.Member
				if err := json.Unmarshal(v, &m); err != nil {
					return err
				}
				pub, _, _ := ed25519.GenerateKey(rand.Reader)
				m.PublicKey = pub // one passphrase would seal them all; the key is what counts
				members = append(members, m)
				b, _ := json.Marshal(m)
				return txn.Set([]byte(k), b)
			})
			if err != nil {
				return err
			}
			h, _ := app.FoundingHash(members)
			return editJSON(keyRosterSeal, func(m map[string]any) { m["hash"] = h })(txn)
		})
	})
	if msg := since(t, newZip, oldZip, k); !strings.Contains(msg, "roster re-keyed") {
		t.Errorf("--since says %q; want it to name the re-keyed roster", msg)
	}
}

func TestAttack_RewrittenBallotsAndRebuiltLogAreCaughtBySince(t *testing.T) {
	oldZip, newZip, k := forgedAndExported(t, func(dir string) {
		rawEdit(t, dir, func(txn *badger.Txn) error {
			return eachRaw(txn, prefixVoteEnt+"V0001/", func(k string, v []byte) error {
				return editJSON(k, func(m map[string]any) { m["choices"] = []any{app.Agree.String()} })(txn)
			})
		})
	})
	if msg := since(t, newZip, oldZip, k); !strings.Contains(msg, "fork (split view) or rewritten history") {
		t.Errorf("--since says %q; want it to name the fork", msg)
	}
}

func TestAttack_DeletedRecordLogThenWrite(t *testing.T) {
	dir := richBook(t)
	out := t.TempDir()
	k := newCommitteeKey(t)
	oldZip := export(t, dir, out, "old.zip", k)
	// Deleted alone, the log is missed: no writing open, no re-baseline.
	copyDir := filepath.Join(t.TempDir(), "copy")
	copyFolder(t, dir, copyDir)
	rawEdit(t, copyDir, dropLog(false))
	if _, err := Open(copyDir); err == nil || !strings.Contains(zhOf(err), "记录链不见了") {
		t.Fatalf("a writing open after the log was deleted: %v", err)
	}
	// Deleted with the book id too, the published checkpoint still names the log.
	rawEdit(t, dir, dropLog(true))
	if _, err := Open(dir); err == nil || !strings.Contains(zhOf(err), "记录链不见了") {
		t.Fatalf("a writing open after the log and the id were deleted: %v", err)
	}
	// With the published checkpoints gone too, a write gives a new baseline under a new
	// id: the next snapshot is another book's.
	rawEdit(t, dir, func(txn *badger.Txn) error {
		return eachRaw(txn, prefixCheckpoint, func(k string, _ []byte) error { return txn.Delete([]byte(k)) })
	})
	pad(t, dir, treeSize(t, dir)+40)
	newZip := export(t, dir, out, "new.zip", k)
	if msg := since(t, newZip, oldZip, k); !strings.Contains(msg, "another book") {
		t.Errorf("--since says %q; want it to name another origin", msg)
	}
}

func TestAttack_RollbackToAnOlderCopyOfTheFolder(t *testing.T) {
	dir := richBook(t)
	out := t.TempDir()
	k := newCommitteeKey(t)
	older := filepath.Join(t.TempDir(), "older")
	copyFolder(t, dir, older) // the older copy, kept aside
	pad(t, dir, treeSize(t, dir)+5)
	published := export(t, dir, out, "published.zip", k)
	// Put the older copy back and export from it.
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	copyFolder(t, older, dir)
	rolled := export(t, dir, out, "rolled.zip", k)
	if msg := since(t, rolled, published, k); !strings.Contains(msg, "rollback") {
		t.Errorf("--since says %q; want it to name the rollback", msg)
	}
	// Grown past the published size, the older copy is a fork.
	pad(t, dir, treeSize(t, dir)+10)
	forked := export(t, dir, out, "forked.zip", k)
	if msg := since(t, forked, published, k); !strings.Contains(msg, "fork") {
		t.Errorf("--since says %q; want it to name the fork", msg)
	}
}

func TestAttack_TwoBooksUnderOneOrigin(t *testing.T) {
	a, b := richBook(t), richBook(t)
	out := t.TempDir()
	k := newCommitteeKey(t)
	aZip := export(t, a, out, "a.zip", k)
	dbA := openTest(t, a)
	id, err := dbA.logService().BookID(ctx)
	dbA.Close()
	if err != nil {
		t.Fatal(err)
	}
	// Book b takes a's id (and a rebuilt log, so that it verifies), then grows past it.
	rawEdit(t, b, func(txn *badger.Txn) error {
		v, _ := json.Marshal(id)
		return txn.Set([]byte(keyBookID), v)
	})
	rebuildLog(t, b)
	pad(t, b, treeSize(t, a))
	bZip := export(t, b, out, "b.zip", k)
	if msg := since(t, bZip, aZip, k); !strings.Contains(msg, "fork (split view)") {
		t.Errorf("--since says %q; want it to name the split view", msg)
	}
	// Of the same size, the two books are a split view too.
	if msg := sameSizeSplit(t, a, b, out, k); !strings.Contains(msg, "fork (split view): both snapshots' logs have") {
		t.Errorf("--since says %q; want the same-size split", msg)
	}
}

// sameSizeSplit grows the smaller of two books to the other's size and compares their
// snapshots.
func sameSizeSplit(t *testing.T, a, b, out string, k committeeKey) string {
	sa, sb := treeSize(t, a), treeSize(t, b)
	if sa < sb {
		a, b, sa, sb = b, a, sb, sa
	}
	for sb < sa {
		pad(t, b, sb)
		sb = treeSize(t, b)
	}
	if sb != sa {
		t.Skipf("sizes %d and %d", sa, sb)
	}
	// Exporting records a checkpoint, one more leaf in each: both stay equal.
	return since(t, export(t, b, out, "b2.zip", k), export(t, a, out, "a2.zip", k), k)
}

func TestAttack_HonestSnapshotsExtendEachOther(t *testing.T) {
	dir := richBook(t)
	out := t.TempDir()
	k := newCommitteeKey(t)
	pad(t, dir, 0)
	s1 := export(t, dir, out, "s1.zip", k)
	pad(t, dir, treeSize(t, dir)+3)
	// A member added as the roster rules require (two committee signatures) between the
	// snapshots: the roster at s2 follows from the one at s1.
	db := openTest(t, dir)
	newcomer, err := app.NewMember("刘委员", app.RoleMember, pw("刘委员"), nil)
	if err != nil {
		t.Fatal(err)
	}
	c, err := db.memberService().AddMember(ctx, newcomer, "张主任", "补选")
	if err != nil {
		t.Fatal(err)
	}
	for _, who := range []string{"张主任", "李财务"} {
		if c, err = db.memberService().ApproveRosterChange(ctx, c.ID, who, pw(who)); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	if c.State != app.RosterDone {
		t.Fatalf("the change did not take effect: %+v", c)
	}
	s2 := export(t, dir, out, "s2.zip", k)
	s3 := export(t, dir, out, "s3.zip", k)
	for _, pair := range [][2]string{{s2, s1}, {s3, s1}, {s3, s2}} {
		if _, err := snap.VerifySince(pair[0], pair[0]+".minisig", pair[1], pair[1]+".minisig", k.pub); err != nil {
			t.Errorf("%s --since %s: %v", filepath.Base(pair[0]), filepath.Base(pair[1]), err)
		}
	}
}

// eachRaw calls fn for every key under prefix in a raw transaction.
func eachRaw(txn *badger.Txn, prefix string, fn func(k string, v []byte) error) error {
	it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte(prefix)})
	type kv struct {
		k string
		v []byte
	}
	var all []kv
	for it.Rewind(); it.Valid(); it.Next() {
		v, _ := it.Item().ValueCopy(nil)
		all = append(all, kv{string(it.Item().Key()), v})
	}
	it.Close()
	for _, x := range all {
		if err := fn(x.k, x.v); err != nil {
			return err
		}
	}
	return nil
}
