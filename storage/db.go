// Package storage keeps a community book in an embedded Badger database and implements
// the service interfaces that package app declares. Every write is one Badger
// transaction with synced writes: it lands whole or not at all, and it is on disk
// before the call returns.
package storage

import (
	"context"
	"fmt"
	"log"
	"os"
	"strings"
	"time"

	"github.com/dgraph-io/badger/v4"

	"sunledger/app"
)

// SchemaVersion is the key layout version written into every book (see keys.go).
const SchemaVersion = 1

// DB is an open community book.
type DB struct {
	bdb *badger.DB
	dir string
	// Now is the clock; tests replace it.
	Now func() time.Time
}

// Open opens (creating if needed) the Badger store in dir. A book that another
// Sunledger program has open is reported as ELOCKED instead of crashing.
func Open(dir string) (*DB, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, app.Errorf(app.EINVALID, "无法使用数据文件夹 %s：%v", "cannot use the data folder %s: %v", dir, err)
	}
	opts := badger.DefaultOptions(dir).
		WithSyncWrites(true). // money: a write is on disk before we say it is done
		WithLogger(quietLogger{}).
		// A committee laptop, not a server: small tables and caches.
		WithMemTableSize(32 << 20).
		WithValueLogFileSize(64 << 20).
		WithBlockCacheSize(16 << 20).
		WithIndexCacheSize(8 << 20).
		WithNumMemtables(2).
		WithNumLevelZeroTables(2).
		WithNumLevelZeroTablesStall(4).
		WithNumCompactors(2).
		WithCompactL0OnClose(true)
	bdb, err := badger.Open(opts)
	if err != nil {
		if isLockError(err) {
			return nil, app.Errorf(app.ELOCKED, "数据文件夹 %s 正被另一个阳光账本程序使用：请先关闭它再试",
				"the data folder %s is open in another Sunledger program: close that one first", dir)
		}
		return nil, app.Internal(fmt.Errorf("open %s: %w", dir, err))
	}
	db := &DB{bdb: bdb, dir: dir, Now: time.Now}
	if err := db.checkSchema(); err != nil {
		bdb.Close()
		return nil, err
	}
	if err := db.startRecordLog(); err != nil { // a book from before the record log
		bdb.Close()
		return nil, err
	}
	return db, nil
}

// Close flushes and closes the store. Always call it: Badger needs it to leave a clean book.
func (db *DB) Close() error { return db.bdb.Close() }

// Dir is the folder the book lives in.
func (db *DB) Dir() string { return db.dir }

func (db *DB) checkSchema() error {
	return db.view(func(tx *Tx) error {
		var v int
		ok, err := tx.get(keySchema, &v)
		if err != nil || !ok {
			return err
		}
		if v > SchemaVersion {
			return app.Errorf(app.EINVALID, "这个账本由较新版本的阳光账本创建（格式 %d），请升级程序", "this book was made by a newer Sunledger (format %d): please upgrade", v)
		}
		return nil
	})
}

type quietLogger struct{}

func (quietLogger) Errorf(f string, a ...any)   { log.Printf("badger: "+f, a...) }
func (quietLogger) Warningf(f string, a ...any) { log.Printf("badger: "+f, a...) }
func (quietLogger) Infof(string, ...any)        {}
func (quietLogger) Debugf(string, ...any)       {}

// ctxErr lets long jobs stop when the caller cancels.
func ctxErr(ctx context.Context) error {
	if ctx == nil {
		return nil
	}
	return ctx.Err()
}

// isLockError recognises Badger's "another program has this folder open" on every OS:
// Unix says "Cannot acquire directory lock ... resource temporarily unavailable",
// Windows "Cannot create lock file ... Another process is using this Badger database".
func isLockError(err error) bool {
	s := err.Error()
	return strings.Contains(s, "Cannot acquire directory lock") ||
		strings.Contains(s, "Another process is using this Badger database") ||
		strings.Contains(s, "resource temporarily unavailable")
}
