package storage

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/dgraph-io/badger/v4"
)

type leafSeen struct {
	leaf    int64
	block   string
	entries []int64
}

func indexLeavesOf(t *testing.T, db *DB) []leafSeen {
	t.Helper()
	th, err := db.Services().Log.TreeHead(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var out []leafSeen
	err = db.Services().Log.EachLeaf(ctx, th.Size, func(leaf int64, block string, entries []int64) error {
		out = append(out, leafSeen{leaf, block, append([]int64(nil), entries...)})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if int64(len(out)) != th.Size {
		t.Fatalf("%d leaves, the tree has %d", len(out), th.Size)
	}
	return out
}

// deleteLeafIndex deletes the index records of the blocks for which drop says so.
func deleteLeafIndex(drop func(seq int64) bool) func(txn *badger.Txn) error {
	return func(txn *badger.Txn) error {
		var keys []string
		eachRaw(txn, prefixLeafIndex, func(k string, _ []byte) error {
			var seq int64
			fmt.Sscanf(k[len(prefixLeafIndex):], "%d", &seq)
			if drop(seq) {
				keys = append(keys, k)
			}
			return nil
		})
		for _, k := range keys {
			if err := txn.Delete([]byte(k)); err != nil {
				return err
			}
		}
		return nil
	}
}

// TestLeafIndex_GivesWhatTheBlocksSay: the leaves a snapshot reads from the leaf index
// are those the blocks give, and a book whose index lacks some blocks (written before
// it) or all of them reads those blocks themselves, to the same leaves.
func TestLeafIndex_GivesWhatTheBlocksSay(t *testing.T) {
	dir := richBook(t)
	db := openTest(t, dir)
	indexed := indexLeavesOf(t, db)
	db.Close()
	for _, tc := range []struct {
		name string
		drop func(seq int64) bool
	}{
		{"the first blocks unindexed", func(seq int64) bool { return seq <= 3 }},
		{"blocks here and there", func(seq int64) bool { return seq%3 == 0 }},
		{"the last block", func(seq int64) bool { return seq == int64(len(indexed)) }},
		{"none indexed", func(int64) bool { return true }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rawEdit(t, dir, deleteLeafIndex(tc.drop))
			db, err := OpenReadOnly(dir)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if got := indexLeavesOf(t, db); !reflect.DeepEqual(got, indexed) {
				t.Fatalf("leaves read with part of the index:\n%v\nwith all of it:\n%v", got, indexed)
			}
			if err := db.ledgerService().Verify(ctx); err != nil {
				t.Fatalf("a book whose index lacks records: %v", err)
			}
		})
	}
	for _, block := range indexed {
		if block.block == "" {
			t.Fatalf("a leaf without its block's hash: %+v", block)
		}
	}
}

// TestLeafIndex_AnEditedRecordIsNamedByVerify: a record of the leaf index changed, or
// added for a block the log lacks, is named by verify (and a snapshot would refuse the
// tree it makes: its root would not be the head's).
func TestLeafIndex_AnEditedRecordIsNamedByVerify(t *testing.T) {
	for _, tc := range []struct {
		name, want string
		edit       func(txn *badger.Txn) error
	}{
		{"the entries taken from a block", "块的叶子索引与这一块不符", func(txn *badger.Txn) error {
			var key string
			var v []byte
			eachRaw(txn, prefixLeafIndex, func(k string, val []byte) error {
				if key == "" && strings.Contains(string(val), " ") { // a block that puts entries
					key, v = k, append([]byte(nil), val...)
				}
				return nil
			})
			if key == "" {
				return fmt.Errorf("no block puts an entry")
			}
			return txn.Set([]byte(key), []byte(strings.SplitN(string(v), " ", 2)[0]))
		}},
		{"another block's hash", "第 3 块的叶子索引", func(txn *badger.Txn) error {
			return txn.Set([]byte(leafIndexKey(3)), leafIndex(strings.Repeat("ab", 32), nil))
		}},
		{"a block the log lacks", "记录链只有", func(txn *badger.Txn) error {
			return txn.Set([]byte(leafIndexKey(9999)), leafIndex(strings.Repeat("ab", 32), []int64{1}))
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := richBook(t)
			rawEdit(t, dir, tc.edit)
			if msg := verifyZH(t, dir); !strings.Contains(msg, tc.want) {
				t.Errorf("verify says %q; want %q", msg, tc.want)
			}
		})
	}
}

func TestLeafIndex_ReadsBackWhatItWrites(t *testing.T) {
	h := strings.Repeat("0f", 32)
	for _, entries := range [][]int64{nil, {7}, {1, 2, 3, 9, 10, 12}, {5, 6, 7, 8}} {
		v := leafIndex(h, entries)
		gotHash, got, ok := parseLeafIndex(v, nil)
		if !ok || gotHash != h || len(got) != len(entries) || (len(got) > 0 && !reflect.DeepEqual(got, entries)) {
			t.Errorf("%q reads back as %q %v %v", v, gotHash, got, ok)
		}
	}
	for _, bad := range []string{"", "abc", h + " 0+1", h + " 5+1,3+1", h + " 1+x", h + " 1-2"} {
		if _, _, ok := parseLeafIndex([]byte(bad), nil); ok {
			t.Errorf("%q reads as an index record", bad)
		}
	}
}

// FuzzParseLeafIndex: a record read back never panics, and one that reads writes again
// to the same bytes.
func FuzzParseLeafIndex(f *testing.F) {
	f.Add(leafIndex(strings.Repeat("0f", 32), []int64{1, 2, 3, 9}))
	f.Add([]byte(strings.Repeat("0f", 32) + " 1+3,9+1"))
	f.Fuzz(func(t *testing.T, v []byte) {
		h, entries, ok := parseLeafIndex(v, nil)
		if ok && string(leafIndex(h, entries)) != string(v) && !strings.Contains(string(v), "+0") {
			// Runs may be written differently (1+1,2+1 for 1+2); the entries must still match.
			h2, again, ok2 := parseLeafIndex(leafIndex(h, entries), nil)
			if !ok2 || h2 != h || !reflect.DeepEqual(again, entries) {
				t.Fatalf("%q reads as %v, which writes as %q", v, entries, leafIndex(h, entries))
			}
		}
	})
}
