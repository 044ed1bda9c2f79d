package storage

import "sync/atomic"

// verify must know that no table of the book is damaged. Badger checks every block it
// reads against its checksum (OnBlockRead), but an iterator that meets a damaged block
// stops as if the table had ended, without a word; so verify used to check every table
// block by block beside its pass over the store, decompressing every block a second
// time (a sixth of its work on the 3,000-unit 10-year demo).
//
// Now the pass proves it read every block: its two iterators (the store and the record
// log) step over every version of every key, Badger's own keys too, and count them. Each
// table's index says how many entries it holds (the index is checked against its
// checksum on every open, tablecheck.go); when the count is their sum, every entry was
// reached, so every block was read and checked. A damaged block shows as a count short,
// and then every table is checked block by block, which names it. The count is only
// taken when the memtables are empty (their entries would be counted too): the book was
// closed cleanly before it was opened, and nothing has been written since, as in the
// command line; in the window, which writes, verify checks every table as before.
// docs/record-log.md, "Cost" (table checksums, proved by the pass).

// tableCount is what one pass must count: the entries of the tables it started with.
type tableCount struct {
	want    uint64
	tables  map[uint64]bool // the tables' ids
	version uint64          // the store's newest version, that of a table
	read    atomic.Uint64   // entries stepped over, by both iterators
}

// tableCount is ready for a pass over db, or nil when the memtables may hold entries.
func (db *DB) tableCount() *tableCount {
	if db.memAtOpen || len(db.bdb.Opts().EncryptionKey) > 0 {
		return nil
	}
	c := &tableCount{tables: map[uint64]bool{}}
	for _, t := range db.bdb.Tables() {
		c.want += uint64(t.KeyCount)
		c.tables[t.ID] = true
		c.version = max(c.version, t.MaxVersion)
	}
	if db.bdb.MaxVersion() != c.version { // a memtable holds a newer version
		return nil
	}
	return c
}

// whole reports whether the pass stepped over exactly the entries of its tables, and
// the store is as it was when the pass began (no table made or removed, nothing written).
func (c *tableCount) whole(db *DB) bool {
	if c == nil || c.read.Load() != c.want || db.bdb.MaxVersion() != c.version {
		return false
	}
	ts := db.bdb.Tables()
	if len(ts) != len(c.tables) {
		return false
	}
	for _, t := range ts {
		if !c.tables[t.ID] {
			return false
		}
	}
	return true
}
