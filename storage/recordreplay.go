package storage

import (
	"bytes"
	"context"
	"fmt"
	"hash/maphash"
	"sort"
	"strings"

	"sunledger/app"
)

// What verify does with the record log (docs/record-log.md): replay the blocks into what
// each key must hold (replayRecordLog, on goroutines of its own), and compare every
// stored record with that as verify's one pass over the store reads it (recordCheck).

// parsedBlock is one block of the record log, parsed and hashed by a worker.
type parsedBlock struct {
	block  app.RecordBlock
	actual string // the hash of its content
	keys   []byte // the keys it writes, end to end
	ends   []int  // key i is keys[ends[i-1]:ends[i]]
	hashes []keyHash
	shas   [][32]byte
	dels   []bool
}

func (p *parsedBlock) key(i int) []byte {
	if i == 0 {
		return p.keys[:p.ends[0]]
	}
	return p.keys[p.ends[i-1]:p.ends[i]]
}

// first names the block by its first record, "" for an empty block.
func (p *parsedBlock) first() string {
	if len(p.ends) == 0 {
		return ""
	}
	return string(p.key(0))
}

// replayRecordLog reads the record log block by block, checking that the blocks link
// and hash and that the head is the last block, into what each key must hold now.
// Blocks are parsed and hashed on all cores and applied in order here.
func (tx *Tx) replayRecordLog(ctx context.Context) (*replay, error) {
	r := newReplay(tx.db.keyEstimate())
	var last recordHead
	parse := func(key, v []byte) (*parsedBlock, error) {
		n := bytes.Count(v, []byte{'\n'}) // a line per write, and a few more
		p := &parsedBlock{keys: make([]byte, 0, len(v)/3), ends: make([]int, 0, n), hashes: make([]keyHash, 0, n),
			shas: make([][32]byte, 0, n), dels: make([]bool, 0, n)}
		b, actual, err := app.ScanRecordBlock(v, func(key []byte, sha *[32]byte, deleted bool) error {
			p.keys = append(p.keys, key...)
			p.ends = append(p.ends, len(p.keys))
			p.hashes = append(p.hashes, r.hash(key))
			p.shas, p.dels = append(p.shas, *sha), append(p.dels, deleted)
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
			return errBlock(fmt.Sprint(b.Seq), app.T("它记录的上一块哈希与实际不符", "its link to the block before does not match"), p.first(), len(p.ends))
		case p.actual != b.Hash:
			return errBlock(fmt.Sprint(b.Seq), app.T("内容与它的哈希不符", "its content does not match its hash"), p.first(), len(p.ends))
		}
		for i := range p.ends {
			r.apply(p.key(i), p.hashes[i], &p.shas[i], p.dels[i])
		}
		last = recordHead{Seq: b.Seq, Hash: b.Hash}
		return nil
	})
	if err != nil {
		return nil, err
	}
	var head recordHead
	if _, err := tx.get(keyRecordHead, &head); err != nil {
		return nil, err
	}
	if head != last {
		return nil, app.Errorf(app.EINVALID, "记录链的末端记录（第 %d 块）与实际的最后一块（第 %d 块）不符：有记录块被删除或添加",
			"the record log's recorded head (block %d) does not match its last block (%d): blocks were removed or added", head.Seq, last.Seq)
	}
	if last.Seq == 0 {
		return nil, app.Errorf(app.EINVALID, "这个账本没有记录链（由旧版本创建，或记录链被删除）：用任意写入命令打开一次会建立基线，然后再核对",
			"this book has no record log (made by an older version, or the log was deleted): open it once with a command that writes to lay down a baseline, then verify again")
	}
	return r, nil
}

// replayGate hands the replayed log to the workers that read the store: they hash each
// record as it comes and compare it with the replay once the replay is done.
type replayGate struct {
	done chan struct{} // closed when r (or err) is set
	r    *replay
	err  error
}

// replayLog replays the record log on goroutines of its own (see replayRecordLog).
func (tx *Tx) replayLog(ctx context.Context) *replayGate {
	g := &replayGate{done: make(chan struct{})}
	go func() {
		defer close(g.done)
		defer tx.db.recoverDamage(&g.err)
		g.r, g.err = tx.replayRecordLog(ctx)
	}()
	return g
}

// lookup is a worker's comparison of one stored record with the replay: its index in
// the replay, or -1 when the replay does not hold it live (it was added outside
// Sunledger). Replay failed: -2.
func (g *replayGate) lookup(key []byte) int32 {
	<-g.done
	if g.r == nil {
		return -2
	}
	if i, ok := g.r.find(key); ok && g.r.recs[i].live {
		return i
	}
	return -1
}

// recordCheck compares the stored records, in key order, with the replay: every logged
// record must be live in the replay with the hash its last block gave it, and (missing)
// every live key of the replay must still be in the store.
type recordCheck struct {
	g    *replayGate
	seen []bool
}

// take checks one stored record, looked up by a worker as idx; the error names it.
func (c *recordCheck) take(key []byte, idx int32, sha *[32]byte) error {
	if idx == -2 {
		return c.g.err
	}
	if idx < 0 {
		zh, en := describeKey(string(key))
		return &app.Error{Code: app.EINVALID,
			ZH: zh + " 不在记录链里：它是在阳光账本之外加进账本的。请从备份核对",
			EN: en + " is not in the record log: it was added outside Sunledger. Check against a backup"}
	}
	if *sha != c.g.r.recs[idx].sha {
		return errChanged(string(key))
	}
	if c.seen == nil {
		c.seen = make([]bool, len(c.g.r.recs))
	}
	c.seen[idx] = true
	return nil
}

// missing names the first record (in key order) the replay holds and the store lacks.
func (c *recordCheck) missing() error {
	r := c.g.r
	var missing []string
	for i := range r.recs {
		if r.recs[i].live && (c.seen == nil || !c.seen[i]) {
			missing = append(missing, string(r.key(int32(i))))
		}
	}
	if len(missing) == 0 {
		return nil
	}
	sort.Strings(missing)
	zh, en := describeKey(missing[0])
	return &app.Error{Code: app.EINVALID,
		ZH: fmt.Sprintf("%s 在记录链里有记载，账本里却没有了：它在阳光账本之外被删除（共 %d 条记录缺失）。请从备份恢复", zh, len(missing)),
		EN: fmt.Sprintf("%s is in the record log but no longer in the book: it was deleted outside Sunledger (%d records missing). Restore a backup", en, len(missing))}
}

// apply records one line of a block: key (hashed h) now holds the value hashed sha, or
// is deleted.
func (r *replay) apply(key []byte, h keyHash, sha *[32]byte, deleted bool) {
	i, ok := r.findHashed(key, h)
	switch {
	case ok:
		r.recs[i].sha, r.recs[i].live = *sha, !deleted
	case !deleted:
		r.add(key, h, sha)
	}
}

// replay is the record log replayed: what each key must hold. Every key ever written
// gets an index into recs; the index is keyed by a seeded 64-bit hash of the key so that
// the million entries of a large book hold no pointers for the garbage collector to
// scan, and a second hash, kept beside the value's hash, tells keys apart without
// reading the key itself (one memory access per lookup instead of three). The rare key
// whose first hash another key already has goes to other.
type replay struct {
	seeds [2]maphash.Seed
	idx   map[uint64]int32
	other map[string]int32
	arena []byte
	offs  []uint32 // key i is arena[offs[i]:offs[i+1]]
	recs  []replayRec
}

// replayRec is what key i must hold.
type replayRec struct {
	h2   uint64
	sha  [32]byte
	live bool
}

// keyHash is a key's two seeded hashes (replay.hash), computed on the workers.
type keyHash [2]uint64

// newReplay sizes the index for about keys keys.
func newReplay(keys int) *replay {
	keys = min(max(keys, 1<<12), 1<<24)
	return &replay{seeds: [2]maphash.Seed{maphash.MakeSeed(), maphash.MakeSeed()}, idx: make(map[uint64]int32, keys),
		other: map[string]int32{}, offs: make([]uint32, 1, keys+1), recs: make([]replayRec, 0, keys)}
}

func (r *replay) hash(key []byte) keyHash {
	return keyHash{maphash.Bytes(r.seeds[0], key), maphash.Bytes(r.seeds[1], key)}
}

func (r *replay) key(i int32) []byte { return r.arena[r.offs[i]:r.offs[i+1]] }

func (r *replay) find(key []byte) (int32, bool) { return r.findHashed(key, r.hash(key)) }

func (r *replay) findHashed(key []byte, h keyHash) (int32, bool) {
	i, ok := r.idx[h[0]]
	if !ok {
		return 0, false
	}
	if r.recs[i].h2 == h[1] {
		return i, true
	}
	i, ok = r.other[string(key)]
	return i, ok
}

func (r *replay) add(key []byte, h keyHash, sha *[32]byte) {
	i := int32(len(r.recs))
	r.arena = append(r.arena, key...)
	r.offs = append(r.offs, uint32(len(r.arena)))
	r.recs = append(r.recs, replayRec{h2: h[1], sha: *sha, live: true})
	if _, taken := r.idx[h[0]]; taken {
		r.other[string(key)] = i
		return
	}
	r.idx[h[0]] = i
}

// keyEstimate is about how many keys the store holds (Badger's count per table, which
// also counts old versions): enough to size verify's index once.
func (db *DB) keyEstimate() int {
	n := 0
	for _, t := range db.bdb.Tables() {
		n += int(t.KeyCount)
	}
	return n
}
