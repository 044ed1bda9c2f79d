package storage

import (
	"testing"

	"github.com/dgraph-io/badger/v4"
	"github.com/dgraph-io/badger/v4/options"
)

// TestReadingThrough_CutsTheBlockCacheAndReadingGoesOn: a plain book writes its tables
// uncompressed and has no block cache (badgerOptions); an encrypted book has one, which
// a job that reads the book through once (verify, the snapshot export) cuts to
// readThroughCache, and the book reads as before.
func TestReadingThrough_CutsTheBlockCacheAndReadingGoesOn(t *testing.T) {
	plain, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer plain.Close()
	if c := plain.bdb.Opts().Compression; c != options.None {
		t.Fatalf("a plain book's tables are written with compression %v, want none", c)
	}
	plain.ReadingThrough() // no cache: nothing to cut, and no panic
	if _, _, err := plain.Services().Ledger.Head(t.Context()); err != nil {
		t.Fatal(err)
	}

	cheapSlots(t)
	dir := t.TempDir()
	newEncryptedBook(t, dir)
	db, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	before, _ := db.bdb.CacheMaxCost(badger.BlockCache, -1)
	db.ReadingThrough()
	after, _ := db.bdb.CacheMaxCost(badger.BlockCache, -1)
	if before != encryptedBlockCache || after != readThroughCache {
		t.Fatalf("block cache %d bytes before, %d after, want %d then %d", before, after, encryptedBlockCache, readThroughCache)
	}
	if _, _, err := db.Services().Ledger.Head(t.Context()); err != nil {
		t.Fatal(err)
	}
}
