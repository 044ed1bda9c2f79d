package storage

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/dgraph-io/badger/v4"
	"golang.org/x/mod/sumdb/tlog"

	"sunledger/app"
)

// The record log as a Merkle-tree transparency log (docs/record-log.md): every block is
// one leaf (block s is leaf s-1, its data app.LeafData), appended in the same
// transaction as the block. The tree's stored hashes (tlog's numbering) live under
// rlogtree/, one key each; a write appends one to about log n of them and reads O(log n),
// so it stays O(log n). meta/rlog-head carries the tree's size and root beside the
// newest block.

// treeReader reads the tree's stored hashes within this transaction (its own pending
// writes included).
func (tx *Tx) treeReader() tlog.HashReader {
	return tlog.HashReaderFunc(func(indexes []int64) ([]tlog.Hash, error) {
		out := make([]tlog.Hash, len(indexes))
		for i, x := range indexes {
			item, err := tx.txn.Get([]byte(treeKey(x)))
			if errors.Is(err, badger.ErrKeyNotFound) {
				return nil, errTreeDamaged(fmt.Sprintf("hash %d is missing", x))
			}
			if err != nil {
				return nil, err
			}
			err = item.Value(func(v []byte) error {
				if len(v) != tlog.HashSize {
					return errTreeDamaged(fmt.Sprintf("hash %d is %d bytes", x, len(v)))
				}
				copy(out[i][:], v)
				return nil
			})
			if err != nil {
				return nil, err
			}
		}
		return out, nil
	})
}

func errTreeDamaged(what string) error {
	return app.Errorf(app.EINVALID, "记录链的默克尔树已损坏（%s）：账本在阳光账本之外被改动过，请从备份恢复",
		"the record log's Merkle tree is damaged (%s): the book was changed outside Sunledger; restore a backup", what)
}

// leafOf is the leaf data of block b (sealed): its hash and the journal entries it
// puts, with their hashes read in this transaction.
func (tx *Tx) leafOf(b app.RecordBlock) ([]byte, error) {
	var entries []app.LeafEntry
	for _, seq := range blockEntries(b) {
		var e struct {
			Hash string `json:"hash"`
		}
		found, err := tx.get(entryKey(seq), &e)
		if err != nil {
			return nil, err
		}
		if !found {
			return nil, app.Errorf(app.EINVALID, "记录链第 %d 块写入的凭证 #%d 不在账本里", "block %d of the record log writes entry #%d, which the book lacks", b.Seq, seq)
		}
		entries = append(entries, app.LeafEntry{Seq: seq, Hash: e.Hash})
	}
	return app.LeafData(b.Seq, b.Hash, entries), nil
}

// entryKeySeq is the entry number of a journal entry's key.
func entryKeySeq(key string) (int64, bool) {
	r, ok := strings.CutPrefix(key, prefixEntry)
	if !ok {
		return 0, false
	}
	n, err := strconv.ParseInt(r, 10, 64)
	return n, err == nil && n > 0
}

// appendLeaf adds the leaf data as leaf n of the tree and returns the new root.
func (tx *Tx) appendLeaf(n int64, data []byte) (tlog.Hash, error) {
	r := tx.treeReader()
	hashes, err := tlog.StoredHashes(n, data, r)
	if err != nil {
		return tlog.Hash{}, err
	}
	base := tlog.StoredHashIndex(0, n)
	for i, h := range hashes {
		if err := tx.txn.Set([]byte(treeKey(base+int64(i))), h[:]); err != nil {
			return tlog.Hash{}, err
		}
	}
	return tlog.TreeHash(n+1, r)
}

// treeHead is the tree as the head records it.
func (h recordHead) tree() (app.TreeHead, error) {
	t := app.TreeHead{Size: h.Size}
	if h.Size == 0 {
		return t, nil
	}
	b, err := hex.DecodeString(h.Root)
	if err != nil || len(b) != tlog.HashSize {
		return t, errTreeDamaged("the head's root")
	}
	copy(t.Root[:], b)
	return t, nil
}

// treeChunk is how many blocks one transaction of the tree's first build covers.
var treeChunk = 20000

// buildTree gives a book whose record log predates the tree its tree: the leaves of
// the blocks already written, in chunks of treeChunk blocks, each in its own
// transaction (meta/rlog-head's size says how far it got, so an interrupted build
// resumes); then an audit record. A book opened read-only is left as it is (verify
// refuses it until a writing open completes the tree).
func (db *DB) buildTree() error {
	total := int64(0)
	for {
		done := false
		err := db.bdb.Update(func(txn *badger.Txn) error {
			tx := &Tx{txn: txn, db: db, now: db.Now()}
			var head recordHead
			if _, err := tx.get(keyRecordHead, &head); err != nil {
				return err
			}
			if head.Size >= head.Seq {
				done = true
				return nil
			}
			end := min(head.Seq, head.Size+int64(treeChunk))
			var root tlog.Hash
			for s := head.Size + 1; s <= end; s++ {
				item, err := txn.Get([]byte(recordBlockKey(s)))
				if errors.Is(err, badger.ErrKeyNotFound) {
					return errLogBroken(s)
				}
				if err != nil {
					return err
				}
				v, err := item.ValueCopy(nil)
				if err != nil {
					return err
				}
				b, _, err := app.ParseRecordBlock(v)
				if err != nil || b.Seq != s {
					return errLogBroken(s)
				}
				data, err := tx.leafOf(b)
				if err != nil {
					return err
				}
				if root, err = tx.appendLeaf(s-1, data); err != nil {
					return err
				}
				if err := tx.indexLeaf(b); err != nil {
					return err
				}
			}
			total += end - head.Size
			head.Size, head.Root = end, hex.EncodeToString(root[:])
			return txn.Set([]byte(keyRecordHead), headJSON(head))
		})
		if err != nil {
			return wrap(err)
		}
		if done {
			break
		}
	}
	if total == 0 {
		return nil
	}
	return db.update(func(tx *Tx) error {
		return tx.audit("", "records.tree", fmt.Sprintf("%d blocks", total),
			app.T("记录链升级为默克尔树：为已有的记录块建树", "record log made a Merkle tree: leaves for the existing blocks"))
	})
}

func errLogBroken(seq int64) error {
	return app.Errorf(app.EINVALID, "记录链第 %d 块缺失或无法读取：账本在阳光账本之外被改动过，请从备份恢复",
		"block %d of the record log is missing or unreadable: the book was changed outside Sunledger; restore a backup", seq)
}

// errLogGone is the refusal of a book that had a record log and lost it.
func errLogGone(dir string) error {
	return app.Errorf(app.EINVALID, "数据文件夹 %s 中的账本有过记录链，现在记录链不见了（被删除、截短或回退）：这是损坏或篡改，不会重建。请从备份恢复（sunledger-cli restore 备份文件 --force）",
		"the book in %s had a record log and it is gone (deleted, truncated or rewound): that is damage or tampering and it is not rebuilt. Restore a backup (sunledger-cli restore BACKUP --force)", dir)
}

// newBookID is a random book id: 16 bytes, lowercase hex.
func newBookID() (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	return hex.EncodeToString(b[:]), nil
}

// ensureBookID gives a book made before book ids its id, on its first writing open.
func (db *DB) ensureBookID() error {
	var need bool
	err := db.view(func(tx *Tx) error {
		book, err := tx.has(keyCommunity)
		if err != nil || !book {
			return err
		}
		has, err := tx.has(keyBookID)
		need = !has
		return err
	})
	if err != nil || !need {
		return err
	}
	return db.update(func(tx *Tx) error {
		if has, err := tx.has(keyBookID); err != nil || has {
			return err
		}
		id, err := newBookID()
		if err != nil {
			return err
		}
		if err := tx.put(keyBookID, id); err != nil {
			return err
		}
		return tx.audit("", "book.id", id, app.T("账本编号（检查点的来源名）", "book id (the checkpoints' origin)"))
	})
}

// checkLogIntact refuses a writing open of a book whose record log vanished, was cut
// short or rewound (O(log n) reads; verify reads it all): a book with an id has a log;
// the head's block exists with the head's hash and no block follows it; the tree's
// root is the head's; and every published checkpoint is a tree this one extends.
func (tx *Tx) checkLogIntact() error {
	var head recordHead
	hasHead, err := tx.get(keyRecordHead, &head)
	if err != nil {
		return err
	}
	hasID, err := tx.has(keyBookID)
	if err != nil {
		return err
	}
	if !hasHead || head.Seq == 0 {
		published := false
		err := tx.each(prefixCheckpoint, func(string, []byte) error { published = true; return nil })
		if err != nil {
			return err
		}
		if hasID || published {
			return errLogGone(tx.db.dir)
		}
		return nil
	}
	item, err := tx.txn.Get([]byte(recordBlockKey(head.Seq)))
	if err != nil {
		if errors.Is(err, badger.ErrKeyNotFound) {
			return errLogGone(tx.db.dir)
		}
		return err
	}
	v, err := item.ValueCopy(nil)
	if err != nil {
		return err
	}
	b, _, perr := app.ScanRecordBlock(v, func([]byte, *app.RecordHashes) error { return nil })
	if perr != nil || b.Hash != head.Hash {
		return errLogBroken(head.Seq)
	}
	if ok, err := tx.has(recordBlockKey(head.Seq + 1)); err != nil || ok {
		if ok {
			return errLogBroken(head.Seq + 1)
		}
		return err
	}
	if head.Size < head.Seq {
		return nil // the tree is built next (buildTree)
	}
	return tx.checkTree(head)
}

// checkTree compares the stored tree with the head and with every published checkpoint.
func (tx *Tx) checkTree(head recordHead) error {
	th, err := head.tree()
	if err != nil {
		return err
	}
	r := tx.treeReader()
	root, err := tlog.TreeHash(th.Size, r)
	if err != nil {
		return err
	}
	if root != th.Root {
		return errTreeDamaged("the root differs from the head's")
	}
	if ok, err := tx.has(treeKey(tlog.StoredHashCount(th.Size))); err != nil || ok {
		if ok {
			return errTreeDamaged("hashes beyond its size")
		}
		return err
	}
	return eachJSON(tx, prefixCheckpoint, func(_ string, c app.PublishedCheckpoint) error {
		return checkpointHeld(c, th, r)
	})
}

// checkpointHeld says whether the tree th (read through r) extends the published
// checkpoint c: a smaller tree was rewound, another root at c's size was rewritten.
func checkpointHeld(c app.PublishedCheckpoint, th app.TreeHead, r tlog.HashReader) error {
	when := c.At.Local().Format("2006-01-02 15:04")
	if c.Size > th.Size {
		return app.Errorf(app.EINVALID, "记录链回退了：%s 发布的检查点（%s）有 %d 个叶子，现在的记录链只有 %d 个。账本被换成了较早的副本或被截短，请从备份恢复",
			"the record log was rolled back: the checkpoint published %s (%s) has %d leaves, the log now %d. The book was replaced by an older copy or cut short; restore a backup",
			when, c.What, c.Size, th.Size)
	}
	if c.Size == 0 {
		return nil
	}
	got, err := tlog.TreeHash(c.Size, r)
	if err != nil {
		return err
	}
	if base64.StdEncoding.EncodeToString(got[:]) != c.Root {
		return app.Errorf(app.EINVALID, "历史被改写了：%s 发布的检查点（%s，%d 个叶子）的根哈希与现在记录链在同一大小的根哈希不符",
			"history was rewritten: the checkpoint published %s (%s, %d leaves) has another root than the record log now has at that size",
			when, c.What, c.Size)
	}
	return nil
}

// BookID is the book's random id.
func (s LogService) BookID(ctx context.Context) (string, error) {
	var id string
	err := s.db.view(func(tx *Tx) error {
		ok, err := tx.get(keyBookID, &id)
		if err == nil && !ok {
			return app.Errorf(app.EINVALID, "账本还没有编号：用任意会写入的命令打开一次即可生成", "the book has no id yet: open it once with a command that writes")
		}
		return err
	})
	return id, err
}

// TreeHead is the tree as it stands.
func (s LogService) TreeHead(ctx context.Context) (app.TreeHead, error) {
	var th app.TreeHead
	err := s.db.view(func(tx *Tx) error {
		var head recordHead
		if _, err := tx.get(keyRecordHead, &head); err != nil {
			return err
		}
		if head.Size != head.Seq {
			return errTreeUnfinished()
		}
		var err error
		th, err = head.tree()
		return err
	})
	return th, err
}

func errTreeUnfinished() error {
	return app.Errorf(app.EINVALID, "记录链的默克尔树还没有建完：请用任意会写入的命令打开账本一次，让它补完",
		"the record log's Merkle tree is unfinished: open the book once with a command that writes so that it completes")
}

// ProveTree proves the tree of size n extends the one of size t.
func (s LogService) ProveTree(ctx context.Context, t, n int64) (tlog.TreeProof, error) {
	var p tlog.TreeProof
	err := s.db.view(func(tx *Tx) error {
		var err error
		p, err = tlog.ProveTree(n, t, tx.treeReader())
		return err
	})
	return p, err
}

// ProveRecord proves leaf i is in the tree of size n.
func (s LogService) ProveRecord(ctx context.Context, i, n int64) (tlog.RecordProof, error) {
	var p tlog.RecordProof
	err := s.db.view(func(tx *Tx) error {
		var err error
		p, err = tlog.ProveRecord(n, i, tx.treeReader())
		return err
	})
	return p, err
}

// LeafData is leaf i's data, made again from its block and entries.
func (s LogService) LeafData(ctx context.Context, i int64) ([]byte, error) {
	var data []byte
	err := s.db.view(func(tx *Tx) error {
		item, err := tx.txn.Get([]byte(recordBlockKey(i + 1)))
		if err != nil {
			if errors.Is(err, badger.ErrKeyNotFound) {
				return errLogBroken(i + 1)
			}
			return err
		}
		v, err := item.ValueCopy(nil)
		if err != nil {
			return err
		}
		b, _, err := app.ParseRecordBlock(v)
		if err != nil {
			return errLogBroken(i + 1)
		}
		data, err = tx.leafOf(b)
		return err
	})
	return data, err
}

// EntryLeaves maps each journal entry put by one of the first size blocks to its leaf
// (EachLeaf's entries, by entry).
func (s LogService) EntryLeaves(ctx context.Context, size int64) (map[int64]int64, error) {
	out := map[int64]int64{}
	err := s.EachLeaf(ctx, size, func(leaf int64, _ string, entries []int64) error {
		for _, seq := range entries {
			out[seq] = leaf
		}
		return nil
	})
	return out, err
}

var errStopLeaves = errors.New("stop")

// eachLarge is each for values that may be large (the record log's blocks: a block of a
// billing run or a demo's month names thousands of writes): read one at a time, not
// prefetched a hundred ahead.
func (tx *Tx) eachLarge(prefix string, fn func(key string, val []byte) error) error {
	opts := badger.DefaultIteratorOptions
	opts.Prefix = []byte(prefix)
	opts.PrefetchValues = false
	it := tx.txn.NewIterator(opts)
	defer it.Close()
	for it.Rewind(); it.Valid(); it.Next() {
		item := it.Item()
		if err := item.Value(func(b []byte) error { return fn(string(item.Key()), b) }); err != nil {
			return err
		}
	}
	return nil
}

// RecordCheckpoint appends a published checkpoint, with its audit record; the tree
// must extend it.
func (s LogService) RecordCheckpoint(ctx context.Context, c app.PublishedCheckpoint, who string) error {
	if c.At.IsZero() {
		c.At = s.db.Now()
	}
	c.At = c.At.UTC()
	return s.db.update(func(tx *Tx) error {
		if err := tx.requireBook(); err != nil {
			return err
		}
		var head recordHead
		if _, err := tx.get(keyRecordHead, &head); err != nil {
			return err
		}
		th, err := head.tree()
		if err != nil {
			return err
		}
		if err := checkpointHeld(c, th, tx.treeReader()); err != nil {
			return err
		}
		n, err := tx.next("checkpoint")
		if err != nil {
			return err
		}
		if err := tx.put(checkpointKey(n), c); err != nil {
			return err
		}
		return tx.audit(who, "publish.checkpoint", fmt.Sprintf("%d %s", c.Size, c.Root), c.What)
	})
}

// Checkpoints lists every published checkpoint, oldest first.
func (s LogService) Checkpoints(ctx context.Context) ([]app.PublishedCheckpoint, error) {
	var out []app.PublishedCheckpoint
	err := s.db.view(func(tx *Tx) error {
		return eachJSON(tx, prefixCheckpoint, func(_ string, c app.PublishedCheckpoint) error {
			out = append(out, c)
			return nil
		})
	})
	return out, err
}

// memTree is the Merkle tree rebuilt in memory from the record log's blocks and the
// journal's entry hashes (O(n), no reads): its size and a reader of its stored hashes.
// Verify builds it on a goroutine of its own while it checks the rest.
type memTree struct {
	n   int64
	r   tlog.HashReader
	err error
}

func buildMemTree(j *recordJoin, entryHash []string) memTree {
	n := int64(len(j.blocks))
	mem := make([]tlog.Hash, 0, tlog.StoredHashCount(n))
	r := tlog.HashReaderFunc(func(indexes []int64) ([]tlog.Hash, error) {
		out := make([]tlog.Hash, len(indexes))
		for i, x := range indexes {
			if x < 0 || x >= int64(len(mem)) {
				return nil, errTreeDamaged(fmt.Sprintf("hash %d", x))
			}
			out[i] = mem[x]
		}
		return out, nil
	})
	var buf []byte
	var ents []app.LeafEntry
	for i := range n {
		ents = ents[:0]
		for _, seq := range j.entries[j.entryFrom[i]:j.entryFrom[i+1]] {
			if seq < 1 || seq > int64(len(entryHash)) {
				return memTree{err: errLogBroken(i + 1)}
			}
			ents = append(ents, app.LeafEntry{Seq: seq, Hash: entryHash[seq-1]})
		}
		buf = app.AppendLeafData(buf[:0], i+1, j.blocks[i], ents)
		hs, err := tlog.StoredHashes(i, buf, r)
		if err != nil {
			return memTree{err: err}
		}
		mem = append(mem, hs...)
	}
	return memTree{n: n, r: r}
}

// verifyTree compares the tree rebuilt from the blocks (buildMemTree) with the head's
// root and the stored tree's, and checks that it extends every checkpoint published.
// (The stored tree's inner hashes are checked where they are used: every proof a
// snapshot carries is checked against the root before it is written.)
func (tx *Tx) verifyTree(mt memTree) error {
	if mt.err != nil {
		return mt.err
	}
	var head recordHead
	if _, err := tx.get(keyRecordHead, &head); err != nil {
		return err
	}
	if head.Size != head.Seq {
		return errTreeUnfinished()
	}
	n, r := mt.n, mt.r
	th, err := head.tree()
	if err != nil {
		return err
	}
	if n > 0 {
		root, err := tlog.TreeHash(n, r)
		if err != nil {
			return err
		}
		if root != th.Root || n != th.Size {
			return errTreeDamaged(app.T("由记录块重算的根哈希与记录的不符", "the root recomputed from the blocks differs from the recorded one"))
		}
	}
	stored, err := tlog.TreeHash(th.Size, tx.treeReader())
	if err != nil {
		return err
	}
	if stored != th.Root {
		return errTreeDamaged(app.T("存放的树与记录的根哈希不符", "the stored tree differs from the recorded root"))
	}
	if ok, err := tx.has(treeKey(tlog.StoredHashCount(th.Size))); err != nil || ok {
		if ok {
			return errTreeDamaged(app.T("存放的树比记录链长", "the stored tree is longer than the log"))
		}
		return err
	}
	return eachJSON(tx, prefixCheckpoint, func(_ string, c app.PublishedCheckpoint) error {
		return checkpointHeld(c, th, r)
	})
}

// EachPayment calls fn with every receipt, in receipt order.
func (s LogService) EachPayment(ctx context.Context, fn func(app.Payment) error) error {
	return s.db.view(func(tx *Tx) error {
		return eachJSON(tx, prefixPayment, func(_ string, p app.Payment) error { return fn(p) })
	})
}

// EntryLeaf is the leaf whose block put journal entry seq: a binary search over the
// blocks (entries are put in ascending order), stepping over blocks that put none.
func (s LogService) EntryLeaf(ctx context.Context, seq int64) (int64, bool, error) {
	var leaf int64
	found := false
	err := s.db.view(func(tx *Tx) error {
		var head recordHead
		if _, err := tx.get(keyRecordHead, &head); err != nil {
			return err
		}
		entriesOf := func(seq int64) ([]int64, error) {
			item, err := tx.txn.Get([]byte(recordBlockKey(seq)))
			if err != nil {
				if errors.Is(err, badger.ErrKeyNotFound) {
					return nil, errLogBroken(seq)
				}
				return nil, err
			}
			var out []int64
			err = item.Value(func(v []byte) error {
				_, _, err := app.ScanRecordBlock(v, func(key []byte, h *app.RecordHashes) error {
					if n, ok := entryKeySeq(string(key)); ok && !h.Deleted {
						out = append(out, n)
					}
					return nil
				})
				return err
			})
			return out, err
		}
		lo, hi := int64(1), min(head.Seq, head.Size)
		for lo <= hi {
			mid := lo + (hi-lo)/2
			b := mid
			var ents []int64
			for ; b <= hi; b++ {
				var err error
				if ents, err = entriesOf(b); err != nil {
					return err
				}
				if len(ents) > 0 {
					break
				}
			}
			switch {
			case b > hi:
				hi = mid - 1
			case seq < ents[0]:
				hi = mid - 1
			case seq > ents[len(ents)-1]:
				lo = b + 1
			default:
				for _, n := range ents {
					if n == seq {
						leaf, found = b-1, true
					}
				}
				return nil
			}
		}
		return nil
	})
	return leaf, found, err
}
