package storage

import "github.com/dgraph-io/badger/v4"

// readThroughCache is the block cache of a job that reads the book through once.
const readThroughCache = 2 << 20

// ReadingThrough tells the store that the job ahead reads the book through about once
// (`snapshot export`, `verify`): Badger's block cache, which keeps decompressed or
// decrypted blocks for reads that come back to them, is cut to readThroughCache for the
// rest of the open, since a scan of every table only churns it, and what it holds is heap
// the process keeps (docs/snapshot.md, "Size and speed"). A plain book opened read-only
// has no block cache (badgerOptions): for it this does nothing.
func (db *DB) ReadingThrough() {
	db.bdb.CacheMaxCost(badger.BlockCache, readThroughCache)
}
