package storage

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"

	"github.com/dgraph-io/badger/v4"
	"golang.org/x/mod/sumdb/tlog"

	"sunledger/app"
)

// leavesOf reads every block of the closed book at dir with Badger itself and makes
// each block's leaf data from it and the journal entries it puts.
func leavesOf(t *testing.T, dir string) [][]byte {
	t.Helper()
	raw, err := badger.Open(badger.DefaultOptions(dir).WithLogger(nil).WithReadOnly(true))
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var leaves [][]byte
	err = raw.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte(prefixRecordLog)})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			v, _ := it.Item().ValueCopy(nil)
			b, _, err := app.ParseRecordBlock(v)
			if err != nil {
				return err
			}
			var ents []app.LeafEntry
			for _, w := range b.Writes {
				if seq, ok := entryKeySeq(w.Key); ok && !w.Deleted {
					item, err := txn.Get([]byte(w.Key))
					if err != nil {
						return err
					}
					var e app.Entry
					if err := item.Value(func(v []byte) error { return json.Unmarshal(v, &e) }); err != nil {
						return err
					}
					ents = append(ents, app.LeafEntry{Seq: seq, Hash: e.Hash})
				}
			}
			leaves = append(leaves, app.LeafData(b.Seq, b.Hash, ents))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return leaves
}

// memTreeOf is the tree of leaves, in memory, built with tlog alone.
func memTreeOf(t *testing.T, leaves [][]byte) ([]tlog.Hash, tlog.HashReader) {
	var mem []tlog.Hash
	r := tlog.HashReaderFunc(func(idx []int64) ([]tlog.Hash, error) {
		out := make([]tlog.Hash, len(idx))
		for i, x := range idx {
			out[i] = mem[x]
		}
		return out, nil
	})
	for i, d := range leaves {
		hs, err := tlog.StoredHashes(int64(i), d, r)
		if err != nil {
			t.Fatal(err)
		}
		mem = append(mem, hs...)
	}
	return mem, r
}

func TestTree_AfterManyWritesIsTheTreeOfEveryBlockAndProofsVerify(t *testing.T) {
	dir := richBook(t)
	db := openTest(t, dir)
	for i := 0; i < 40; i++ {
		if _, err := db.feeService().Pay(ctx, app.PaymentRequest{Unit: "2-1-101", Amount: dec("1.00"), Date: "2026-05-01"}, "t", ""); err != nil {
			t.Fatal(err)
		}
	}
	th, err := db.logService().TreeHead(ctx)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	leaves := leavesOf(t, dir)
	_, r := memTreeOf(t, leaves)
	root, err := tlog.TreeHash(int64(len(leaves)), r)
	if err != nil {
		t.Fatal(err)
	}
	if th.Size != int64(len(leaves)) || th.Root != root {
		t.Fatalf("the book's tree is #%d %x; tlog over its %d blocks gives %x", th.Size, th.Root, len(leaves), root)
	}
	// Every leaf names the entries its block put; the receipts' blocks name theirs.
	named := 0
	for _, d := range leaves {
		named += strings.Count(string(d), "\nentry ")
	}
	if named < 41 {
		t.Errorf("only %d entries named by leaves", named)
	}

	db = openTest(t, dir) // reopened: the same tree, and proofs against it
	defer db.Close()
	if err := db.ledgerService().Verify(ctx); err != nil {
		t.Fatal(err)
	}
	lg := db.logService()
	for _, i := range []int64{0, 7, th.Size / 2, th.Size - 1} {
		p, err := lg.ProveRecord(ctx, i, th.Size)
		if err != nil {
			t.Fatal(err)
		}
		data, err := lg.LeafData(ctx, i)
		if err != nil || string(data) != string(leaves[i]) {
			t.Fatalf("leaf %d: %q, want %q (%v)", i, data, leaves[i], err)
		}
		if err := tlog.CheckRecord(p, th.Size, th.Root, i, tlog.RecordHash(data)); err != nil {
			t.Errorf("leaf %d: %v", i, err)
		}
	}
	for _, old := range []int64{1, 5, th.Size - 3, th.Size} {
		p, err := lg.ProveTree(ctx, old, th.Size)
		if err != nil {
			t.Fatal(err)
		}
		oldRoot, _ := tlog.TreeHash(old, r)
		if err := tlog.CheckTree(p, th.Size, th.Root, old, oldRoot); err != nil {
			t.Errorf("size %d: %v", old, err)
		}
	}
	leafOf, err := lg.EntryLeaves(ctx, th.Size)
	if err != nil {
		t.Fatal(err)
	}
	for seq, l := range leafOf {
		if !strings.Contains(string(leaves[l]), "\nentry "+itoa(seq)+" ") {
			t.Errorf("entry %d mapped to leaf %d: %q", seq, l, leaves[l])
		}
	}
}

func itoa(n int64) string { b, _ := json.Marshal(n); return string(b) }

func TestTree_OldLogGetsItsTreeOnItsFirstWritableOpen(t *testing.T) {
	old := treeChunk
	treeChunk = 5 // several transactions
	t.Cleanup(func() { treeChunk = old })
	dir := richBook(t)
	// A log from before the tree: blocks but no tree, a head without size or root.
	rawEdit(t, dir, func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte(prefixTree)})
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
		var h recordHead
		item, _ := txn.Get([]byte(keyRecordHead))
		item.Value(func(v []byte) error { return json.Unmarshal(v, &h) })
		return txn.Set([]byte(keyRecordHead), []byte(`{"seq":`+itoa(h.Seq)+`,"hash":"`+h.Hash+`"}`))
	})
	db := openTest(t, dir)
	if err := db.ledgerService().Verify(ctx); err != nil {
		t.Fatalf("after the tree's build: %v", err)
	}
	a, _ := db.bookService().Audit(ctx)
	if a[len(a)-1].Action != "records.tree" {
		t.Errorf("the build is not audited: %+v", a[len(a)-1])
	}
	db.Close()
}

// TestTree_ALogOnceKeptCannotVanish: a book that has a log (and so an id) whose log is
// deleted is refused by any writing open and by verify, never given a new baseline.
func TestTree_ALogOnceKeptCannotVanish(t *testing.T) {
	dir := richBook(t)
	rawEdit(t, dir, dropLog(false))
	if _, err := Open(dir); err == nil || !strings.Contains(zhOf(err), "记录链不见了") {
		t.Fatalf("writing open of a book whose log was deleted: %v", err)
	}
	ro, err := OpenReadOnly(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	if err := ro.ledgerService().Verify(ctx); err == nil || !strings.Contains(zhOf(err), "记录链不见了") {
		t.Fatalf("verify of a book whose log was deleted: %v", err)
	}
}

// TestTree_ARewoundLogIsRefused: a log rolled back below a published checkpoint, or
// rewritten under it, is refused on open.
func TestTree_ARewoundLogIsRefused(t *testing.T) {
	dir := richBook(t)
	db := openTest(t, dir)
	th, err := db.logService().TreeHead(ctx)
	if err != nil {
		t.Fatal(err)
	}
	c := app.PublishedCheckpoint{Size: th.Size, Root: base64.StdEncoding.EncodeToString(th.Root[:]), What: "snapshot x.zip"}
	if err := db.logService().RecordCheckpoint(ctx, c, "t"); err != nil {
		t.Fatal(err)
	}
	wrong := c
	wrong.Root = base64.StdEncoding.EncodeToString(make([]byte, 32))
	if err := db.logService().RecordCheckpoint(ctx, wrong, "t"); err == nil || !strings.Contains(zhOf(err), "历史被改写") {
		t.Fatalf("a checkpoint the tree does not hold was recorded: %v", err)
	}
	db.Close()
	// Rewind: the head back by 3 blocks (blocks and tree left beyond it).
	rawEdit(t, dir, func(txn *badger.Txn) error {
		item, _ := txn.Get([]byte(recordBlockKey(th.Size - 3)))
		v, _ := item.ValueCopy(nil)
		b, _, _ := app.ParseRecordBlock(v)
		return txn.Set([]byte(keyRecordHead), headJSON(recordHead{Seq: b.Seq, Hash: b.Hash, Size: b.Seq, Root: "00"}))
	})
	if _, err := Open(dir); err == nil {
		t.Fatal("a rewound log opened for writing")
	} else if msg := zhOf(err); !strings.Contains(msg, "记录链") {
		t.Fatalf("rewound: %v", err)
	}
}

// TestTree_AnEditedTreeIsNamed: a head whose root is not the tree of its blocks, or a
// stored tree hash changed, is refused by verify and by a writing open.
func TestTree_AnEditedTreeIsNamed(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(txn *badger.Txn) error
	}{
		{"the head's root", func(txn *badger.Txn) error {
			var h recordHead
			item, _ := txn.Get([]byte(keyRecordHead))
			item.Value(func(v []byte) error { return json.Unmarshal(v, &h) })
			h.Root = strings.Repeat("0", 64)
			return txn.Set([]byte(keyRecordHead), headJSON(h))
		}},
		{"a stored hash", func(txn *badger.Txn) error {
			var h recordHead
			item, _ := txn.Get([]byte(keyRecordHead))
			item.Value(func(v []byte) error { return json.Unmarshal(v, &h) })
			return txn.Set([]byte(treeKey(tlog.StoredHashCount(h.Size)-1)), make([]byte, 32))
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := richBook(t)
			rawEdit(t, dir, tc.edit)
			if _, err := Open(dir); err == nil || !strings.Contains(zhOf(err), "默克尔树已损坏") {
				t.Errorf("writing open: %v", err)
			}
			ro, err := OpenReadOnly(dir)
			if err != nil {
				t.Fatal(err)
			}
			defer ro.Close()
			if err := ro.ledgerService().Verify(ctx); err == nil || !strings.Contains(zhOf(err), "默克尔树已损坏") {
				t.Errorf("verify: %v", err)
			}
		})
	}
}

// TestTree_EachLeafListsWhatEveryLeafNames: EachLeaf gives, leaf by leaf, the block's
// hash and the entries it names: with the entries' hashes, exactly each leaf's data; and
// it stops at the size asked for.
func TestTree_EachLeafListsWhatEveryLeafNames(t *testing.T) {
	dir := richBook(t)
	db := openTest(t, dir)
	for i := 0; i < 5; i++ {
		if _, err := db.feeService().Pay(ctx, app.PaymentRequest{Unit: "2-1-101", Amount: dec("1.00"), Date: "2026-05-01"}, "t", ""); err != nil {
			t.Fatal(err)
		}
	}
	defer db.Close()
	lg, lr := db.logService(), db.ledgerService()
	th, err := lg.TreeHead(ctx)
	if err != nil {
		t.Fatal(err)
	}
	hashes := map[int64]string{}
	if err := lr.EachEntry(ctx, func(e app.Entry) error { hashes[e.Seq] = e.Hash; return nil }); err != nil {
		t.Fatal(err)
	}
	n := int64(0)
	err = lg.EachLeaf(ctx, th.Size, func(leaf int64, block string, entries []int64) error {
		if leaf != n {
			t.Fatalf("leaf %d after %d", leaf, n-1)
		}
		n++
		var ents []app.LeafEntry
		for _, seq := range entries {
			ents = append(ents, app.LeafEntry{Seq: seq, Hash: hashes[seq]})
		}
		want, err := lg.LeafData(ctx, leaf)
		if err != nil {
			return err
		}
		if got := app.LeafData(leaf+1, block, ents); string(got) != string(want) {
			t.Errorf("leaf %d: %q, LeafData %q", leaf, got, want)
		}
		return nil
	})
	if err != nil || n != th.Size {
		t.Fatalf("%d leaves of %d: %v", n, th.Size, err)
	}
	n = 0
	if err := lg.EachLeaf(ctx, 3, func(int64, string, []int64) error { n++; return nil }); err != nil || n != 3 {
		t.Errorf("EachLeaf up to 3: %d leaves, %v", n, err)
	}
}
