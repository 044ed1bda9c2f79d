package storage

import (
	"bytes"
	"context"
	"fmt"
	"hash/maphash"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/dgraph-io/badger/v4"

	"sunledger/app"
)

// What verify does with the record log (docs/record-log.md): replay the blocks (on
// goroutines of their own, beside the pass over the store) into the list of every write,
// and join that list with the stored records once both are read.
//
// The join is partitioned: every write and every stored record goes, by the first byte
// of its key's hash, into one of joinParts small lists, appended in order; each part is
// then joined on its own in a table small enough to stay in the processor's cache. A
// million keys in one big table cost a cache miss or two per lookup, more than all the
// rest of the comparison. Keys themselves are not kept: a key is known by two seeded
// 64-bit hashes (128 bits drawn afresh for each verify, so no one can make two keys
// collide on purpose; by chance, among a million keys, less than once in 10^26). Only
// when something is wrong is the store or the log read again to put a name to it.

const joinParts = 256

// logWrite is one write of the record log: its key's hash, and the hash of the value
// written or that the key was deleted.
type logWrite struct {
	h   keyHash
	sha [32]byte
	del bool
}

// storedRecord is one record of the store: its key's hash, its value's hash and its
// place among the logged records in key order.
type storedRecord struct {
	h   keyHash
	sha [32]byte
	pos int32
}

// keyHash is a key's two seeded hashes (recordJoin.hash), computed on the workers.
type keyHash [2]uint64

// recordJoin holds both sides of the comparison, each split into parts by key hash.
type recordJoin struct {
	seeds [2]maphash.Seed
	log   [joinParts]chunks[logWrite]     // in log order
	store [joinParts]chunks[storedRecord] // in key order
	n     int32                           // stored records so far
	// What the Merkle tree's leaves are made of (tlog.go), in block order: each
	// block's hash and the journal entries it puts (entries[entryFrom[i]:entryFrom[i+1]]).
	blocks    []string
	entryFrom []int32
	entries   []int64
}

// chunks is a list that grows by whole chunks, never copying what it holds: the parts
// of a large book's join grow to a hundred megabytes, item by item.
type chunks[T any] struct {
	c [][]T
	n int
}

const chunkLen = 1024

func (c *chunks[T]) add(v T) {
	if c.n%chunkLen == 0 {
		c.c = append(c.c, make([]T, 0, chunkLen))
	}
	last := &c.c[len(c.c)-1]
	*last = append(*last, v)
	c.n++
}

func (c *chunks[T]) at(i int) *T { return &c.c[i/chunkLen][i%chunkLen] }

func newRecordJoin() *recordJoin {
	return &recordJoin{seeds: [2]maphash.Seed{maphash.MakeSeed(), maphash.MakeSeed()}}
}

func (j *recordJoin) hash(key []byte) keyHash {
	return keyHash{maphash.Bytes(j.seeds[0], key), maphash.Bytes(j.seeds[1], key)}
}

func part(h keyHash) int { return int(h[0] >> 56) }

// write adds the next write of the log.
func (j *recordJoin) write(h keyHash, sha *[32]byte, deleted bool) {
	j.log[part(h)].add(logWrite{h: h, sha: *sha, del: deleted})
}

// stored adds the next logged record of the store, in key order.
func (j *recordJoin) stored(h keyHash, sha *[32]byte) {
	j.store[part(h)].add(storedRecord{h: h, sha: *sha, pos: j.n})
	j.n++
}

// joinFault is what one part of the join found wrong: the first stored record (in key
// order) that the log does not hold live (added) or holds with another value (changed),
// and the live keys of the log that the store lacks.
type joinFault struct {
	pos     int32 // -1: none
	added   bool
	missing []keyHash
}

// joinPart compares part p both ways.
func (j *recordJoin) joinPart(p int) joinFault {
	f := joinFault{pos: -1}
	writes, stored := &j.log[p], &j.store[p]
	last := make(map[keyHash]int32, writes.n) // each key's last write
	for i := range writes.n {
		last[writes.at(i).h] = int32(i)
	}
	seen := make([]bool, writes.n)
	for k := range stored.n {
		s := stored.at(k)
		i, ok := last[s.h]
		if ok {
			seen[i] = true // stored, whatever it holds: not missing
		}
		switch {
		case !ok || writes.at(int(i)).del:
			if f.pos < 0 || s.pos < f.pos {
				f.pos, f.added = s.pos, true
			}
		case writes.at(int(i)).sha != s.sha:
			if f.pos < 0 || s.pos < f.pos {
				f.pos, f.added = s.pos, false
			}
		}
	}
	for h, i := range last {
		if !writes.at(int(i)).del && !seen[i] {
			f.missing = append(f.missing, h)
		}
	}
	return f
}

// compare joins every part, on all cores, and names the first fault: a record added or
// changed outside Sunledger (the first in key order), else records deleted outside it.
func (j *recordJoin) compare(tx *Tx) error {
	faults := make([]joinFault, joinParts)
	var wg sync.WaitGroup
	next := make(chan int)
	for range max(runtime.NumCPU(), 1) {
		wg.Go(func() {
			for p := range next {
				faults[p] = j.joinPart(p)
			}
		})
	}
	for p := range joinParts {
		next <- p
	}
	close(next)
	wg.Wait()
	first := joinFault{pos: -1}
	missing := map[keyHash]bool{}
	for _, f := range faults {
		if f.pos >= 0 && (first.pos < 0 || f.pos < first.pos) {
			first.pos, first.added = f.pos, f.added
		}
		for _, h := range f.missing {
			missing[h] = true
		}
	}
	switch {
	case first.pos >= 0:
		key, err := tx.loggedKeyAt(first.pos)
		if err != nil {
			return err
		}
		if !first.added {
			return errChanged(key)
		}
		zh, en := describeKey(key)
		return &app.Error{Code: app.EINVALID,
			ZH: zh + " 不在记录链里：它是在阳光账本之外加进账本的。请从备份核对",
			EN: en + " is not in the record log: it was added outside Sunledger. Check against a backup"}
	case len(missing) > 0:
		key, err := tx.firstLoggedKey(j, missing)
		if err != nil {
			return err
		}
		zh, en := describeKey(key)
		return &app.Error{Code: app.EINVALID,
			ZH: fmt.Sprintf("%s 在记录链里有记载，账本里却没有了：它在阳光账本之外被删除（共 %d 条记录缺失）。请从备份恢复", zh, len(missing)),
			EN: fmt.Sprintf("%s is in the record log but no longer in the book: it was deleted outside Sunledger (%d records missing). Restore a backup", en, len(missing))}
	}
	return nil
}

// loggedKeyAt is the key of the logged record at pos in key order (the store read again,
// keys only, to name a fault).
func (tx *Tx) loggedKeyAt(pos int32) (string, error) {
	it := tx.txn.NewIterator(badger.IteratorOptions{})
	defer it.Close()
	n := int32(0)
	for it.Rewind(); it.Valid(); it.Next() {
		k := it.Item().Key()
		if !logged(string(k)) {
			continue
		}
		if n == pos {
			return string(k), nil
		}
		n++
	}
	return "", app.Errorf(app.EINVALID, "账本在核对时被改动了：请关闭其他使用账本的程序后再核对", "the book changed while it was verified: close any other program using it and verify again")
}

// firstLoggedKey is the first key, in key order, of those the log writes whose hash is
// in want (the log read again to name records deleted outside Sunledger).
func (tx *Tx) firstLoggedKey(j *recordJoin, want map[keyHash]bool) (string, error) {
	var keys []string
	err := tx.each(prefixRecordLog, func(_ string, v []byte) error {
		_, _, err := app.ScanRecordBlock(v, func(key []byte, _ *[32]byte, _ bool) error {
			if want[j.hash(key)] {
				keys = append(keys, string(key))
			}
			return nil
		})
		return err
	})
	if err != nil {
		return "", err
	}
	if len(keys) == 0 {
		return "", app.Errorf(app.EINVALID, "账本在核对时被改动了：请关闭其他使用账本的程序后再核对", "the book changed while it was verified: close any other program using it and verify again")
	}
	sort.Strings(keys)
	return keys[0], nil
}

// parsedBlock is one block of the record log, parsed and hashed by a worker.
type parsedBlock struct {
	block   app.RecordBlock
	actual  string // the hash of its content
	first   string // the first key it writes, to name it
	hashes  []keyHash
	shas    [][32]byte
	dels    []bool
	entries []int64 // the journal entries it puts
}

// replayRecordLog reads the record log block by block, checking that the blocks link
// and hash and that the head is the last block, into j's list of writes. Blocks are
// parsed and hashed on all cores and taken in order here.
func (tx *Tx) replayRecordLog(ctx context.Context, j *recordJoin) error {
	var last recordHead
	parse := func(key, v []byte) (*parsedBlock, error) {
		n := bytes.Count(v, []byte{'\n'}) // a line per write, and a few more
		p := &parsedBlock{hashes: make([]keyHash, 0, n), shas: make([][32]byte, 0, n), dels: make([]bool, 0, n)}
		b, actual, err := app.ScanRecordBlock(v, func(key []byte, sha *[32]byte, deleted bool) error {
			if len(p.hashes) == 0 {
				p.first = string(key)
			}
			p.hashes = append(p.hashes, j.hash(key))
			p.shas, p.dels = append(p.shas, *sha), append(p.dels, deleted)
			if !deleted && bytes.HasPrefix(key, []byte(prefixEntry)) {
				if seq, ok := entryKeySeq(string(key)); ok {
					p.entries = append(p.entries, seq)
				}
			}
			return nil
		})
		if err != nil {
			if app.ErrorCode(err) == app.EINVALID {
				return nil, errBlock(strings.TrimPrefix(string(key), prefixRecordLog), app.T("无法读取", "it cannot be read"), "", 0)
			}
			return nil, err
		}
		p.block, p.actual = b, actual
		return p, nil
	}
	err := decodeInOrder(ctx, tx, prefixRecordLog, parse, func(key []byte, p *parsedBlock) error {
		b := p.block
		switch {
		case string(key) != recordBlockKey(b.Seq) || b.Seq != last.Seq+1:
			return app.Errorf(app.EINVALID, "记录链在第 %d 块之后断了（下一块存放在 %s，自称第 %d 块）：有记录块被删除、添加或挪动，账本在阳光账本之外被改动过",
				"the record log breaks after block %d (the next is stored at %s and claims to be block %d): blocks were removed, added or moved outside Sunledger", last.Seq, key, b.Seq)
		case b.Prev != last.Hash:
			return errBlock(fmt.Sprint(b.Seq), app.T("它记录的上一块哈希与实际不符", "its link to the block before does not match"), p.first, len(p.hashes))
		case p.actual != b.Hash:
			return errBlock(fmt.Sprint(b.Seq), app.T("内容与它的哈希不符", "its content does not match its hash"), p.first, len(p.hashes))
		}
		for i := range p.hashes {
			j.write(p.hashes[i], &p.shas[i], p.dels[i])
		}
		if len(j.entryFrom) == 0 {
			j.entryFrom = append(j.entryFrom, 0)
		}
		j.blocks = append(j.blocks, b.Hash)
		j.entries = append(j.entries, p.entries...)
		j.entryFrom = append(j.entryFrom, int32(len(j.entries)))
		last = recordHead{Seq: b.Seq, Hash: b.Hash}
		return nil
	})
	if err != nil {
		return err
	}
	var head recordHead
	if _, err := tx.get(keyRecordHead, &head); err != nil {
		return err
	}
	if head.Seq != last.Seq || head.Hash != last.Hash {
		return app.Errorf(app.EINVALID, "记录链的末端记录（第 %d 块）与实际的最后一块（第 %d 块）不符：有记录块被删除或添加",
			"the record log's recorded head (block %d) does not match its last block (%d): blocks were removed or added", head.Seq, last.Seq)
	}
	if last.Seq == 0 {
		if ok, err := tx.has(keyBookID); err != nil || ok {
			if ok {
				return errLogGone(tx.db.dir)
			}
			return err
		}
		return app.Errorf(app.EINVALID, "这个账本没有记录链（由旧版本创建）：用任意写入命令打开一次会建立基线，然后再核对",
			"this book has no record log (made by an older version): open it once with a command that writes to lay down a baseline, then verify again")
	}
	return nil
}

// replayLog replays the record log into j on goroutines of its own (see
// replayRecordLog); the channel gives its result once it is done.
func (tx *Tx) replayLog(ctx context.Context, j *recordJoin) <-chan error {
	done := make(chan error, 1)
	go func() {
		var err error
		defer func() { done <- err }()
		defer tx.db.recoverDamage(&err)
		err = tx.replayRecordLog(ctx, j)
	}()
	return done
}
