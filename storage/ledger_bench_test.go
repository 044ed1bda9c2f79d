package storage

import (
	"context"
	"os"
	"strconv"
	"sync"
	"testing"

	"sunledger/app"
)

// The speed targets of the books (issue 3), on the committee's 2-core laptop:
//
//	go test ./storage -run '^$' -bench 'Demo3000x10|LedgerBalance|Verify' -benchtime 1x
//
// BenchmarkDemo3000x10 builds `demo --units 3000 --years 10` (target < 60 s);
// BenchmarkLedgerBalance reads every balance of that book (target < 1 s; it is O(accounts)
// because balances are kept as each entry is posted); BenchmarkVerify re-walks its chain.
// SUNLEDGER_BENCH_UNITS and SUNLEDGER_BENCH_YEARS shrink the book for a quick run.

func benchSize() (int, int) {
	units, years := 3000, 10
	if n, err := strconv.Atoi(os.Getenv("SUNLEDGER_BENCH_UNITS")); err == nil {
		units = n
	}
	if n, err := strconv.Atoi(os.Getenv("SUNLEDGER_BENCH_YEARS")); err == nil {
		years = n
	}
	return units, years
}

func buildDemo(b *testing.B, dir string) *DB {
	b.Helper()
	db, err := Open(dir)
	if err != nil {
		b.Fatal(err)
	}
	units, years := benchSize()
	if _, err := app.BuildDemo(context.Background(), db.Services(), app.DemoOptions{Units: units, Years: years, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	return db
}

func BenchmarkDemo3000x10(b *testing.B) {
	for i := 0; i < b.N; i++ {
		db := buildDemo(b, b.TempDir())
		db.Close()
	}
}

var (
	demoOnce sync.Once
	demoDB   *DB
)

// demoBook builds the demo book once for the read benchmarks.
func demoBook(b *testing.B) *DB {
	demoOnce.Do(func() {
		dir, err := os.MkdirTemp("", "sunledger-bench")
		if err != nil {
			b.Fatal(err)
		}
		demoDB = buildDemo(b, dir)
	})
	return demoDB
}

func BenchmarkLedgerBalance(b *testing.B) {
	db := demoBook(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := db.Balances(context.Background()); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerify(b *testing.B) {
	db := demoBook(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := db.Verify(context.Background()); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkArrears(b *testing.B) {
	db := demoBook(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := db.Arrears(context.Background()); err != nil {
			b.Fatal(err)
		}
	}
}
