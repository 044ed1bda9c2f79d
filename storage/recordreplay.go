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

// What verify does with the record log (docs/record-log.md): read the blocks (on
// goroutines of their own, beside the pass over the store) and check that what they
// wrote is what the store holds.
//
// The running digest: every block names, for each key it writes, the value it wrote and
// the value it replaced. Adding up f(key, value written) and taking away f(key, value
// replaced) over the whole log gives the sum of f(key, value) over what the log says the
// store holds, whatever the order; the pass over the store adds up the same over what it
// does hold. f is two seeded 64-bit hashes of the key and the value's SHA-256, the seeds
// drawn afresh for each verify: the book on disk is fixed before they are drawn, so no
// one can arrange two different contents to add up alike (by chance: under 2^-64). The
// sums are 128 bits and a few words of memory, whatever the size of the book.
//
// When the sums differ, or the log holds blocks of the first format (which do not name
// the value replaced), the blocks are replayed into the list of every write and that
// list is joined with the stored records, to name the first record that differs.
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

// recordJoin holds both sides of the comparison: their running digests, and, when the
// log is joined (joined), every write and stored record split into parts by key hash.
type recordJoin struct {
	seeds  [2]maphash.Seed
	joined bool
	// The running digests (sums of digestOf) of what the log wrote and of what the
	// store holds, and whether the log holds first-format blocks.
	logSum, storeSum keyHash
	sawV1            bool
	log              [joinParts]chunks[logWrite]     // in log order
	store            [joinParts]chunks[storedRecord] // in key order
	n                int32                           // stored records so far
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

// newRecordJoin is ready for a verify that adds up the running digests; with joined, it
// also keeps every write and record for the join.
func newRecordJoin(joined bool) *recordJoin {
	return &recordJoin{seeds: [2]maphash.Seed{maphash.MakeSeed(), maphash.MakeSeed()}, joined: joined}
}

func (j *recordJoin) hash(key []byte) keyHash {
	return keyHash{maphash.Bytes(j.seeds[0], key), maphash.Bytes(j.seeds[1], key)}
}

// digestOf is a record's share of the running digest: two seeded hashes of its key and
// its value's SHA-256 (the SHA-256 has a fixed length, so key and value cannot be shifted
// into each other).
func (j *recordJoin) digestOf(key []byte, sha *[32]byte) keyHash {
	var buf [128]byte // keys are short: no allocation
	b := append(append(buf[:0], key...), sha[:]...)
	return keyHash{maphash.Bytes(j.seeds[0], b), maphash.Bytes(j.seeds[1], b)}
}

// add and sub are the running digest's arithmetic: each half modulo 2^64.
func (d keyHash) add(e keyHash) keyHash { return keyHash{d[0] + e[0], d[1] + e[1]} }
func (d keyHash) sub(e keyHash) keyHash { return keyHash{d[0] - e[0], d[1] - e[1]} }

func part(h keyHash) int { return int(h[0] >> 56) }

// write adds the next write of the log.
func (j *recordJoin) write(h keyHash, sha *[32]byte, deleted bool) {
	j.log[part(h)].add(logWrite{h: h, sha: *sha, del: deleted})
}

// stored adds the next logged record of the store, in key order: its key's hash (for
// the join), its value's hash and its share of the running digest (digestOf).
func (j *recordJoin) stored(h keyHash, sha *[32]byte, digest keyHash) {
	j.storeSum = j.storeSum.add(digest)
	if !j.joined {
		return
	}
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

// errNeedJoin is compare's answer when the running digests cannot settle it: the verify
// is run again with the join, which names the record that differs.
// (An *app.Error, so that the transaction passes it back as it is.)
var errNeedJoin = &app.Error{Code: app.EINTERNAL, ZH: "记录链需要与账本逐条对照", EN: "the record log is to be joined with the store"}

// compare checks the log against the store: by the running digests, or, when the log
// was joined, by joining every part, on all cores, naming the first fault: a record
// added or changed outside Sunledger (the first in key order), else records deleted
// outside it.
func (j *recordJoin) compare(tx *Tx) error {
	if !j.joined {
		if j.sawV1 || j.logSum != j.storeSum {
			return errNeedJoin
		}
		return nil
	}
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
	case first.pos < 0 && len(missing) == 0 && !j.sawV1 && j.logSum != j.storeSum:
		// Every key holds what its last write wrote, yet the writes do not add up: a
		// write replaced a value the log never wrote. A record was changed, added or
		// deleted outside Sunledger and written again by it since, or a block was made
		// outside Sunledger.
		return app.Errorf(app.EINVALID, "记录链的各次写入与账本的记录加总对不上：有记录曾在阳光账本之外被改动、添加或删除，之后又被阳光账本重新写入（或有记录块是在阳光账本之外做的）。请从备份核对",
			"the record log's writes do not add up to the book's records: a record was changed, added or deleted outside Sunledger and written again by Sunledger since (or a block was made outside Sunledger). Check against a backup")
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
		if !logged(k) {
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
		_, _, err := app.ScanRecordBlock(v, func(key []byte, _ *app.RecordHashes) error {
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
	writes  int
	delta   keyHash // what the block adds to the log's running digest
	hashes  []keyHash
	shas    [][32]byte
	dels    []bool
	entries []int64 // the journal entries it puts
}

// replayRecordLog reads the record log block by block, checking that the blocks link
// and hash and that the head is the last block, into j's list of writes. Blocks are
// parsed and hashed on all cores and taken in order here.
func (tx *Tx) replayRecordLog(ctx context.Context, j *recordJoin, count *tableCount) error {
	var last recordHead
	parse := func(key, v []byte) (*parsedBlock, error) {
		p := &parsedBlock{}
		if j.joined {
			n := bytes.Count(v, []byte{'\n'}) // a line per write, and a few more
			p.hashes, p.shas, p.dels = make([]keyHash, 0, n), make([][32]byte, 0, n), make([]bool, 0, n)
		}
		b, actual, err := app.ScanRecordBlock(v, func(key []byte, h *app.RecordHashes) error {
			if p.writes == 0 {
				p.first = string(key)
			}
			p.writes++
			if j.joined {
				p.hashes = append(p.hashes, j.hash(key))
				p.shas, p.dels = append(p.shas, h.SHA), append(p.dels, h.Deleted)
			}
			if !h.Deleted {
				p.delta = p.delta.add(j.digestOf(key, &h.SHA))
			}
			if h.HasOld {
				p.delta = p.delta.sub(j.digestOf(key, &h.Old))
			}
			if !h.Deleted && bytes.HasPrefix(key, []byte(prefixEntry)) {
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
	err := decodeRange(ctx, tx, prefixRecordLog, "", count, parse, func(key []byte, p *parsedBlock) error {
		b := p.block
		switch {
		case string(key) != recordBlockKey(b.Seq) || b.Seq != last.Seq+1:
			return app.Errorf(app.EINVALID, "记录链在第 %d 块之后断了（下一块存放在 %s，自称第 %d 块）：有记录块被删除、添加或挪动，账本在阳光账本之外被改动过",
				"the record log breaks after block %d (the next is stored at %s and claims to be block %d): blocks were removed, added or moved outside Sunledger", last.Seq, key, b.Seq)
		case b.Prev != last.Hash:
			return errBlock(fmt.Sprint(b.Seq), app.T("它记录的上一块哈希与实际不符", "its link to the block before does not match"), p.first, p.writes)
		case p.actual != b.Hash:
			return errBlock(fmt.Sprint(b.Seq), app.T("内容与它的哈希不符", "its content does not match its hash"), p.first, p.writes)
		}
		j.logSum = j.logSum.add(p.delta)
		j.sawV1 = j.sawV1 || b.V1
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
func (tx *Tx) replayLog(ctx context.Context, j *recordJoin, count *tableCount) <-chan error {
	done := make(chan error, 1)
	go func() {
		var err error
		defer func() { done <- err }()
		defer tx.db.recoverDamage(&err)
		err = tx.replayRecordLog(ctx, j, count)
	}()
	return done
}
