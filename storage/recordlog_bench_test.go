package storage

import (
	"bytes"
	"context"
	"crypto/sha256"
	"os"
	"runtime"
	"sort"
	"sync"
	"testing"

	"github.com/dgraph-io/badger/v4"
	"github.com/dgraph-io/badger/v4/y"

	"sunledger/app"
)

// benchBook is the book of SUNLEDGER_BENCH_DIR if set (e.g. a folder made once with
// `sunledger-cli --data DIR demo --units 3000 --years 10`), opened read-only as `verify`
// opens it, else the demo book.
func benchBook(b *testing.B) *DB {
	if dir := os.Getenv("SUNLEDGER_BENCH_DIR"); dir != "" {
		db, err := OpenReadOnly(dir)
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { db.Close() })
		return db
	}
	return demoBook(b)
}

// BenchmarkVerifyRecords is the replay of the record log, verify's part that runs beside
// its pass over the store. Figures for the whole of verify (BenchmarkVerifyWhole) and
// the command are in docs/record-log.md, "Cost".
func BenchmarkVerifyRecords(b *testing.B) {
	db := benchBook(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := db.view(func(tx *Tx) error { return tx.replayRecordLog(context.Background(), newRecordJoin(false), nil) }); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerifyWhole is the whole of verify on the same book.
func BenchmarkVerifyWhole(b *testing.B) {
	db := benchBook(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := db.ledgerService().Verify(context.Background()); err != nil {
			b.Fatal(err)
		}
	}
}

// The floor of verify (docs/record-log.md, "Cost"): what reading the book costs before any
// check. BenchmarkVerifyFloorRead reads every key and value, on as many iterators as there
// are cores, each over its share of the key space; BenchmarkVerifyFloorHash also takes the
// SHA-256 of every value, the least the record log's comparison needs.
func BenchmarkVerifyFloorRead(b *testing.B) { benchReadFloor(b, false) }

func BenchmarkVerifyFloorHash(b *testing.B) { benchReadFloor(b, true) }

func benchReadFloor(b *testing.B, hash bool) {
	db := benchBook(b)
	bounds := keyShares(b, db, runtime.NumCPU())
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		var wg sync.WaitGroup
		errs := make([]error, len(bounds)-1)
		for s := range len(bounds) - 1 {
			wg.Go(func() {
				errs[s] = db.bdb.View(func(txn *badger.Txn) error {
					it := txn.NewIterator(badger.IteratorOptions{})
					defer it.Close()
					for it.Seek(bounds[s]); it.Valid() && (bounds[s+1] == nil || bytes.Compare(it.Item().Key(), bounds[s+1]) < 0); it.Next() {
						if err := it.Item().Value(func(v []byte) error {
							if hash {
								_ = sha256.Sum256(v)
							}
							return nil
						}); err != nil {
							return err
						}
					}
					return nil
				})
			})
		}
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				b.Fatal(err)
			}
		}
	}
}

// keyShares cuts the key space into n runs of about equal size (by the tables' sizes):
// bounds[i] is where run i starts, nil for the end.
func keyShares(b *testing.B, db *DB, n int) [][]byte {
	tables := db.bdb.Tables()
	sort.Slice(tables, func(i, j int) bool { return bytes.Compare(tables[i].Left, tables[j].Left) < 0 })
	var total, run uint64
	for _, t := range tables {
		total += uint64(t.OnDiskSize)
	}
	bounds := [][]byte{{}}
	for _, t := range tables {
		if run >= total/uint64(n)*uint64(len(bounds)) && len(bounds) < n {
			bounds = append(bounds, y.ParseKey(t.Left))
		}
		run += uint64(t.OnDiskSize)
	}
	if len(bounds) < n {
		b.Logf("the book has too few tables to cut in %d", n)
	}
	return append(bounds, nil)
}

// BenchmarkVerifyJournalOnly is the part of verify that checks the journal alone (every
// entry decoded and re-hashed on all cores, the chain linked and balanced in order): what
// verify did before the record log.
func BenchmarkVerifyJournalOnly(b *testing.B) {
	db := benchBook(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		err := db.view(func(tx *Tx) error {
			chain := app.NewChainCheck()
			decode := func(_, v []byte) (app.PreparedEntry, error) {
				e, err := app.DecodeEntry(v)
				return app.PrepareEntry(e), err
			}
			return decodeInOrder(context.Background(), tx, prefixEntry, decode, func(_ []byte, e app.PreparedEntry) error {
				return chain.CheckPrepared(e)
			})
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}
