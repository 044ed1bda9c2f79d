package storage

import (
	"context"
	"os"
	"testing"
)

// benchBook is the book of SUNLEDGER_BENCH_DIR if set (e.g. a folder made once with
// `sunledger-cli --data DIR demo --units 3000 --years 10`), else the demo book.
func benchBook(b *testing.B) *DB {
	if dir := os.Getenv("SUNLEDGER_BENCH_DIR"); dir != "" {
		db, err := Open(dir)
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
		if err := db.view(func(tx *Tx) error { _, err := tx.replayRecordLog(context.Background()); return err }); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerifyWhole is the whole of verify on the same book.
func BenchmarkVerifyWhole(b *testing.B) {
	db := benchBook(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := db.LedgerService().Verify(context.Background()); err != nil {
			b.Fatal(err)
		}
	}
}
