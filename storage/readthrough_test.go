package storage

import (
	"testing"

	"github.com/dgraph-io/badger/v4"
)

// TestReadingThrough_CutsTheBlockCacheAndReadingGoesOn: a job that reads the book
// through once (the snapshot export) keeps a block cache of readThroughCache, and the
// book reads as before.
func TestReadingThrough_CutsTheBlockCacheAndReadingGoesOn(t *testing.T) {
	db, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	before, _ := db.bdb.CacheMaxCost(badger.BlockCache, -1)
	db.ReadingThrough()
	after, _ := db.bdb.CacheMaxCost(badger.BlockCache, -1)
	if before != 16<<20 || after != readThroughCache {
		t.Fatalf("block cache %d bytes before, %d after, want %d then %d", before, after, 16<<20, readThroughCache)
	}
	if _, _, err := db.Services().Ledger.Head(t.Context()); err != nil {
		t.Fatal(err)
	}
}
