package storage

import (
	"context"
	"fmt"
	"testing"

	"github.com/dgraph-io/badger/v4"
	"github.com/dgraph-io/badger/v4/options"

	"sunledger/app"
)

// TestReadingThrough_CutsTheBlockCacheAndReadingGoesOn: a writing open has a block cache
// of writingBlockCache, which a job that reads the book through once (verify, the
// snapshot export) cuts to readThroughCache; an encrypted book's too. The book reads as
// before.
func TestReadingThrough_CutsTheBlockCacheAndReadingGoesOn(t *testing.T) {
	cheapSlots(t)
	encrypted := t.TempDir()
	newEncryptedBook(t, encrypted)
	for _, dir := range []string{t.TempDir(), encrypted} {
		db, err := Open(dir)
		if err != nil {
			t.Fatal(err)
		}
		before, _ := db.bdb.CacheMaxCost(badger.BlockCache, -1)
		db.ReadingThrough()
		after, _ := db.bdb.CacheMaxCost(badger.BlockCache, -1)
		if before != writingBlockCache || after != readThroughCache {
			t.Errorf("block cache %d bytes before, %d after, want %d then %d", before, after, writingBlockCache, readThroughCache)
		}
		if _, _, err := db.Services().Ledger.Head(t.Context()); err != nil {
			t.Fatal(err)
		}
		db.Close()
	}
}

// TestOpenReadOnly_ReadsCompressedTablesWithoutACache: a read-only open of a plain book
// has no block cache (badgerOptions) and reads, checks and verifies the compressed tables
// a writing open made; an encrypted book's read-only open keeps its cache.
func TestOpenReadOnly_ReadsCompressedTablesWithoutACache(t *testing.T) {
	ctx := context.Background()
	db, dir := newBook(t)
	var units []app.Unit
	for i := range 300 {
		units = append(units, unit(fmt.Sprintf("1-1-%03d", i), "80", fmt.Sprint(i)))
	}
	if err := db.registerService().ImportUnits(ctx, units, "t", "why"); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	m, err := readManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	for id, tm := range m.Tables {
		if tm.Compression != options.Snappy {
			t.Errorf("table %d written with compression %v, want Snappy", id, tm.Compression)
		}
	}
	ro, err := OpenReadOnly(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	if c := ro.bdb.Opts().BlockCacheSize; c != 0 {
		t.Errorf("a read-only open has a block cache of %d bytes", c)
	}
	ro.ReadingThrough() // no cache: nothing to cut
	if err := ro.ledgerService().Verify(ctx); err != nil {
		t.Fatalf("verify on a read-only open: %v", err)
	}
	if got, err := ro.registerService().Units(ctx); err != nil || len(got) != 300 {
		t.Fatalf("units on a read-only open: %d, %v", len(got), err)
	}

	cheapSlots(t)
	encrypted := t.TempDir()
	newEncryptedBook(t, encrypted)
	ero, err := OpenReadOnly(encrypted)
	if err != nil {
		t.Fatal(err)
	}
	defer ero.Close()
	if c := ero.bdb.Opts().BlockCacheSize; c != writingBlockCache {
		t.Errorf("an encrypted book's read-only open has a block cache of %d bytes, want %d", c, writingBlockCache)
	}
	if err := ero.ledgerService().Verify(ctx); err != nil {
		t.Fatalf("verify of the encrypted book on a read-only open: %v", err)
	}
}
