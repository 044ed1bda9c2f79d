package storage

import (
	"context"
	"os"
	"strconv"
	"sync"
	"testing"

	"sunledger/demo"
)

// The speed targets of the books (issue 3), on the committee's 2-core laptop:
//
//	go test ./storage -run '^$' -bench 'Demo3000x10|LedgerBalance|Verify' -benchtime 1x
//
// BenchmarkDemo3000x10 builds `demo --units 3000 --years 10` (target < 60 s);
// BenchmarkLedgerBalance reads every balance of that book (target < 1 s; it is O(accounts)
// because balances are kept as each entry is posted); BenchmarkVerify re-walks its chain.
// SUNLEDGER_BENCH_UNITS and SUNLEDGER_BENCH_YEARS shrink the book for a quick run.
//
// Measured 2026-11-22 on the 2-core build machine (AMD EPYC, other builds running,
// load ≈ 4), book of 3000 units × 10 years: 360k bills, ≈240k receipts, ≈241k entries:
//
//	BenchmarkDemo3000x10     24–32 s   (the fees step ≈ 23 s; the whole `demo` CLI ≈ 29–34 s)
//	BenchmarkLedgerBalance   0.1–0.2 ms
//	BenchmarkVerify          2.2–3.1 s (chain, hashes, every balance, fee sub-ledger)
//	BenchmarkArrears         0.1–0.3 s
//
// Side by side on the same book (`sunledger-cli ledger export --format ledger`, 93 MB):
//
//	sunledger-cli ledger balance          0.02 s,  22 MB
//	ledger -f books.journal balance       2.7 s,  810 MB  (ledger-cli 3, same balances)
//	hledger -f books.journal balance     15.5 s,  2.5 GB  (same balances)

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
	if _, err := demo.Build(context.Background(), db.Services(), demo.Options{Units: units, Years: years, Seed: 1}); err != nil {
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
		if _, err := db.ledgerService().Balances(context.Background()); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerify(b *testing.B) {
	db := demoBook(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := db.ledgerService().Verify(context.Background()); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkArrears(b *testing.B) {
	db := demoBook(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := db.feeService().Arrears(context.Background()); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkOpenAndBalance is `ledger balance` without the process: open the book
// read-only (the folder checks of integrity.go and tablecheck.go included), read every
// balance, close. The book is SUNLEDGER_BENCH_BOOK (a closed demo book; it is opened
// read-only, but its TABLES-CHECKED is written once) or one built here. The sub-benchmark
// "every-table-whole" is the check every open made before tablecheck.go, for comparison.
//
//	SUNLEDGER_BENCH_BOOK=/tmp/big go test ./storage -run '^$' -bench OpenAndBalance -benchtime 20x
func BenchmarkOpenAndBalance(b *testing.B) {
	dir := os.Getenv("SUNLEDGER_BENCH_BOOK")
	if dir == "" {
		dir = b.TempDir()
		buildDemo(b, dir).Close()
	}
	run := func(b *testing.B, before func()) {
		for b.Loop() {
			before()
			db, err := OpenReadOnly(dir)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := db.ledgerService().Balances(context.Background()); err != nil {
				b.Fatal(err)
			}
			db.Close()
		}
	}
	b.Run("remembered", func(b *testing.B) { run(b, func() {}) })
	b.Run("every-table-whole", func(b *testing.B) {
		run(b, func() {
			if err := VerifyTables(dir); err != nil {
				b.Fatal(err)
			}
		})
	})
}
