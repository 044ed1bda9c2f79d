package storage

import (
	"bytes"
	"context"
	"errors"
	"hash/maphash"
	"strconv"

	"github.com/dgraph-io/badger/v4"

	"sunledger/app"
)

// The leaf index (rlogleaf/<seq>, keys.go): each block's hash and the journal entries it
// puts, written with the block. A snapshot makes its tree files from every leaf
// (LogService.EachLeaf); reading them from the blocks read the whole record log, half of
// a large book's bytes, for one hash and a few numbers a block, and kept its tables
// mapped (docs/snapshot.md, "Size and speed"). The index is the log's own, like the tree:
// verify checks every record of it against its block, and a snapshot rebuilds the tree
// from it and refuses a root that is not the head's. A block without a record (a book
// written before 2026-12-07) is read itself.

// leafIndex is the index record of a block: its hash, then the entries it puts as runs
// "first+count" (ascending, as the block lists them), "," between runs.
func leafIndex(hash string, entries []int64) []byte {
	out := append(make([]byte, 0, len(hash)+24), hash...)
	sep := byte(' ')
	for i := 0; i < len(entries); {
		j := i + 1
		for j < len(entries) && entries[j] == entries[j-1]+1 {
			j++
		}
		out = append(out, sep)
		out = strconv.AppendInt(out, entries[i], 10)
		out = append(out, '+')
		out = strconv.AppendInt(out, int64(j-i), 10)
		sep, i = ',', j
	}
	return out
}

// parseLeafIndex reads an index record into hash and entries (appended to entries[:0]);
// ok is false when v is not one.
func parseLeafIndex(v []byte, entries []int64) (hash string, _ []int64, ok bool) {
	h, rest, _ := bytes.Cut(v, []byte(" "))
	if len(h) != 64 {
		return "", entries, false
	}
	entries = entries[:0]
	for len(rest) > 0 {
		var run []byte
		run, rest, _ = bytes.Cut(rest, []byte(","))
		a, b, found := bytes.Cut(run, []byte("+"))
		first, err1 := strconv.ParseInt(string(a), 10, 64)
		n, err2 := strconv.ParseInt(string(b), 10, 64)
		if !found || err1 != nil || err2 != nil || first < 1 || n < 1 || n > 1<<24 || (len(entries) > 0 && first <= entries[len(entries)-1]) {
			return "", entries, false
		}
		for k := range n {
			entries = append(entries, first+k)
		}
	}
	return string(h), entries, true
}

// blockEntries is the journal entries block b puts, ascending.
func blockEntries(b app.RecordBlock) []int64 {
	var seqs []int64
	for _, w := range b.Writes {
		if seq, ok := entryKeySeq(w.Key); ok && !w.Deleted {
			seqs = append(seqs, seq)
		}
	}
	return seqs
}

// indexLeaf writes block b's index record.
func (tx *Tx) indexLeaf(b app.RecordBlock) error {
	return tx.txn.Set([]byte(leafIndexKey(b.Seq)), leafIndex(b.Hash, blockEntries(b)))
}

// EachLeaf calls fn with each of the first size leaves in order: its index, its block's
// hash and the journal entries the block puts (leafOf without the entries' hashes), from
// the leaf index, or from the block where the index has no record of it. A missing or
// unreadable block is the log's damage.
func (s LogService) EachLeaf(ctx context.Context, size int64, fn func(leaf int64, blockHash string, entries []int64) error) error {
	next := int64(1) // the block whose leaf comes next
	var seqs []int64
	err := s.db.view(func(tx *Tx) error {
		fromBlocks := func(upTo int64) error { // the blocks next…upTo, read themselves
			for ; next <= upTo; next++ {
				if err := ctxErr(ctx); err != nil {
					return err
				}
				hash, entries, err := tx.blockLeaf(next, seqs)
				if err != nil {
					return err
				}
				seqs = entries
				if err := fn(next-1, hash, entries); err != nil {
					return err
				}
			}
			return nil
		}
		err := tx.eachLarge(prefixLeafIndex, func(k string, v []byte) error {
			n, err := strconv.ParseInt(k[len(prefixLeafIndex):], 10, 64)
			if err != nil || n < next {
				return nil // not a record of this index: verify names it
			}
			if n > size {
				return errStopLeaves
			}
			if err := fromBlocks(n - 1); err != nil {
				return err
			}
			hash, entries, ok := parseLeafIndex(v, seqs)
			if !ok {
				return fromBlocks(n) // verify names it; the block says
			}
			seqs = entries
			if err := fn(n-1, hash, entries); err != nil {
				return err
			}
			next++
			return ctxErr(ctx)
		})
		if err != nil && !errors.Is(err, errStopLeaves) {
			return err
		}
		return fromBlocks(size)
	})
	return err
}

// blockLeaf reads block n's hash and the entries it puts from the block itself.
func (tx *Tx) blockLeaf(n int64, seqs []int64) (string, []int64, error) {
	item, err := tx.txn.Get([]byte(recordBlockKey(n)))
	if errors.Is(err, badger.ErrKeyNotFound) {
		return "", seqs, errLogBroken(n)
	}
	if err != nil {
		return "", seqs, err
	}
	seqs = seqs[:0]
	var b app.RecordBlock
	err = item.Value(func(v []byte) error {
		var err error
		b, _, err = app.ScanRecordBlock(v, func(key []byte, h *app.RecordHashes) error {
			if seq, ok := entryKeySeq(string(key)); ok && !h.Deleted {
				seqs = append(seqs, seq)
			}
			return nil
		})
		return err
	})
	if err != nil || b.Seq != n {
		return "", seqs, errLogBroken(n)
	}
	return b.Hash, seqs, nil
}

// leafIndexSum is what verify keeps of an index record: a seeded hash of it.
func (j *recordJoin) leafIndexSum(v []byte) uint64 { return maphash.Bytes(j.seeds[0], v) }

// verifyLeafIndex checks each record of the leaf index (seq → leafIndexSum) against its
// block as the replay read it.
func verifyLeafIndex(j *recordJoin, index map[int64]uint64) error {
	for seq, sum := range index {
		if seq < 1 || seq > int64(len(j.blocks)) {
			return app.Errorf(app.EINVALID, "记录链的叶子索引有第 %d 块的记录，记录链只有 %d 块：索引在阳光账本之外被改动过",
				"the record log's leaf index has a record of block %d, the log has %d blocks: the index was changed outside Sunledger", seq, len(j.blocks))
		}
		want := leafIndex(j.blocks[seq-1], j.entries[j.entryFrom[seq-1]:j.entryFrom[seq]])
		if j.leafIndexSum(want) != sum {
			return app.Errorf(app.EINVALID, "记录链第 %d 块的叶子索引与这一块不符：索引在阳光账本之外被改动过（快照会拒绝它）",
				"the record log's leaf index does not match block %d: the index was changed outside Sunledger (a snapshot would refuse it)", seq)
		}
	}
	return nil
}
