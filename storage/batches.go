package storage

import (
	"bytes"
	"context"
	"runtime"
	"sync"

	"github.com/dgraph-io/badger/v4"

	"sunledger/app"
)

// Reading a large part of the book fast: one goroutine reads the store (Badger's
// iterators belong to one goroutine) in batches, every core decodes batches, and the
// caller takes the results in key order. verify reads the whole book this way.

// orderedBatch is a run of consecutive stored values, decoded by a worker.
type orderedBatch[T any] struct {
	arena arena // holds keys and vals
	keys  [][]byte
	vals  [][]byte
	out   []T
	errs  []error
	done  chan struct{}
}

// decodeInOrder reads every value under prefix and decodes it on all cores, in batches;
// use gets each result in key order on the calling goroutine and may stop the walk with
// an error. A decode error stops it at that record. A panic in the reader or a worker
// (Badger meeting a damaged block) becomes the error.
func decodeInOrder[T any](ctx context.Context, tx *Tx, prefix string, decode func(key, val []byte) (T, error), use func(key []byte, v T) error) error {
	return decodeRange(ctx, tx, prefix, "", nil, decode, use)
}

// decodeRange is decodeInOrder that leaves out the keys under skip (sought past, their
// values never read) and, with count, counts every entry of the tables it steps over
// (tablecount.go).
func decodeRange[T any](ctx context.Context, tx *Tx, prefix, skip string, count *tableCount, decode func(key, val []byte) (T, error), use func(key []byte, v T) error) error {
	work := make(chan *orderedBatch[T], 8)
	order := make(chan *orderedBatch[T], 8)
	stop := make(chan struct{})
	readerDone := make(chan struct{})
	defer func() {
		close(stop)
		<-readerDone // it reads the transaction, which ends after this returns
	}()
	var iterErr error
	go func() { // the reader: Badger iterators belong to one goroutine
		defer close(readerDone)
		defer close(work)
		defer close(order)
		defer tx.db.recoverDamage(&iterErr)
		iterErr = readBatches(tx, prefix, skip, count, work, order, stop)
	}()
	for range max(runtime.NumCPU(), 1) {
		go func() {
			for b := range work {
				decodeBatch(b, decode)
			}
		}()
	}
	for b := range order {
		<-b.done
		for i := range b.keys {
			if b.errs[i] != nil {
				return b.errs[i]
			}
			if err := use(b.keys[i], b.out[i]); err != nil {
				return err
			}
		}
		b.arena.release() // use keeps nothing of the keys and values it was given
		if err := ctxErr(ctx); err != nil {
			return err
		}
	}
	return iterErr
}

// decodeBatch decodes one batch; a panic while decoding is that record's error.
func decodeBatch[T any](b *orderedBatch[T], decode func(key, val []byte) (T, error)) {
	b.out = make([]T, len(b.vals))
	b.errs = make([]error, len(b.vals))
	defer close(b.done)
	for i, v := range b.vals {
		func() {
			defer func() {
				if r := recover(); r != nil {
					b.errs[i] = app.Errorf(app.EINVALID, "记录 %s 无法读取（%v）：账本可能被改动过", "record %s cannot be read (%v): the book may have been tampered with", b.keys[i], r)
				}
			}()
			b.out[i], b.errs[i] = decode(b.keys[i], v)
		}()
	}
	b.vals = nil
}

// arena copies many small byte slices into a few large blocks: a quarter of a million
// entries read one allocation each would keep the garbage collector busy. Blocks go
// back to a pool once the batch they hold has been used (release).
type arena struct {
	buf    []byte
	blocks []*[]byte
}

const arenaBlock = 256 << 10

var arenaBlocks = sync.Pool{New: func() any { b := make([]byte, 0, arenaBlock); return &b }}

func (a *arena) copy(b []byte) []byte {
	if cap(a.buf)-len(a.buf) < len(b) {
		if len(b) > arenaBlock {
			return append([]byte(nil), b...)
		}
		blk := arenaBlocks.Get().(*[]byte)
		a.blocks = append(a.blocks, blk)
		a.buf = (*blk)[:0]
	}
	n := len(a.buf)
	a.buf = append(a.buf, b...)
	return a.buf[n:len(a.buf):len(a.buf)]
}

// release returns the blocks to the pool: nothing may use what copy returned after it.
func (a *arena) release() {
	for _, blk := range a.blocks {
		arenaBlocks.Put(blk)
	}
	a.buf, a.blocks = nil, nil
}

// readBatches reads the values under prefix (but not under skip) into batches of 2048
// and hands each to the workers (work) and to the consumer (order), until the range
// ends or stop closes. With count, it steps over every version of every key, Badger's
// own keys too, adding them up in count once the range has ended, and hands on what a
// plain iteration gives: each key's newest version, unless it is deleted.
func readBatches[T any](tx *Tx, prefix, skip string, count *tableCount, work, order chan<- *orderedBatch[T], stop <-chan struct{}) error {
	// A batch ends at size values or at batchBytes, whichever comes first: the record
	// log's blocks can be large (a demo's run of bills is one block of a hundred
	// kilobytes), and a batch is what one worker decodes.
	const size, batchBytes = 2048, 1 << 20
	opts := badger.DefaultIteratorOptions
	opts.Prefix = []byte(prefix)
	// Values are read here, one by one, straight into the batch: Badger's prefetching
	// starts a goroutine per value and copies each value twice more.
	opts.PrefetchValues = false
	opts.AllVersions, opts.InternalAccess = count != nil, count != nil
	it := tx.txn.NewIterator(opts)
	defer it.Close()
	past := []byte(skip)
	if skip != "" {
		past[len(past)-1]++ // the first key after every key under skip
	}
	newBatch := func() *orderedBatch[T] {
		return &orderedBatch[T]{done: make(chan struct{}), keys: make([][]byte, 0, size), vals: make([][]byte, 0, size)}
	}
	b := newBatch()
	bytesIn := 0
	send := func() bool {
		bytesIn = 0
		select {
		case work <- b:
		case <-stop:
			return false
		}
		select {
		case order <- b:
		case <-stop:
			return false
		}
		b = newBatch()
		return true
	}
	var stepped uint64 // entries stepped over, with count
	var last []byte    // the key of the entry before, with count
	for it.Rewind(); it.Valid(); it.Next() {
		item := it.Item()
		if skip != "" && bytes.HasPrefix(item.Key(), []byte(skip)) {
			if it.Seek(past); !it.Valid() {
				break
			}
			item = it.Item()
		}
		if count != nil {
			stepped++
			k := item.Key()
			if bytes.HasPrefix(k, badgerKeys) || bytes.Equal(k, last) {
				continue // Badger's own, or an older version
			}
			last = append(last[:0], k...)
			if item.IsDeletedOrExpired() {
				continue
			}
		}
		var v []byte
		if err := item.Value(func(val []byte) error { v = b.arena.copy(val); return nil }); err != nil {
			return Damage(tx.db.dir, err)
		}
		b.keys = append(b.keys, b.arena.copy(item.Key()))
		b.vals = append(b.vals, v)
		bytesIn += len(v)
		if (len(b.keys) == size || bytesIn >= batchBytes) && !send() {
			return nil
		}
	}
	if len(b.keys) > 0 && !send() {
		return nil
	}
	if count != nil {
		count.read.Add(stepped)
	}
	return nil
}

// badgerKeys is the prefix of Badger's own keys, which only an iteration with
// InternalAccess meets.
var badgerKeys = []byte("!badger!")
