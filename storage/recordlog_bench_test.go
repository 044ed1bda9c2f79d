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

// BenchmarkVerifyRecords is the record log's part of verify: replay every block and
// hash every record of the book. Measured 2026-11-29 on the 3000-unit 10-year demo
// (≈1.2 M keys, ≈1.8 M logged writes), shared 2-core machine at load ≈15: 7.1 s wall,
// 3.4 s CPU; the whole of verify (BenchmarkVerifyWhole) 14–16 s CPU, against 4.7 s
// before the record log and the document cross-check (see docs/record-log.md).
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
