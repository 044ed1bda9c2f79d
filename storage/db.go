// Package storage keeps a community book in an embedded Badger database and implements
// the service interfaces that package app declares. Every write is one Badger
// transaction with synced writes: it lands whole or not at all, and it is on disk
// before the call returns.
package storage

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/dgraph-io/badger/v4"
	"github.com/dgraph-io/badger/v4/options"

	"sunledger/app"
)

// SchemaVersion is the key layout version written into every book (see keys.go).
const SchemaVersion = 1

// DB is an open community book.
type DB struct {
	bdb      *badger.DB
	dir      string
	readOnly bool
	// committed is the newest version known committed (see committedFile); markMu
	// serialises concurrent writers noting it.
	committed uint64
	markMu    sync.Mutex
	// marked: the COMMITTED marker exists on disk (made durable when first written);
	// markerMissing: the store held something but the marker was missing on open.
	marked, markerMissing bool
	// note says what opening the book did that the user should know (Note).
	note string
	// memAtOpen: the folder held write-ahead memtables when it was opened (it was not
	// closed cleanly), whose entries Badger replays (tablecount.go).
	memAtOpen bool
	// balancesMemo: the balances before months that read-only transactions found
	// (dateindex.go).
	balancesMemo balancesMemo
	// Now is the clock; tests replace it.
	Now func() time.Time
}

// Open opens (creating if needed) the Badger store in dir for reading and writing. A
// book that another Sunledger program has open is reported as ELOCKED instead of
// crashing; a folder whose files do not form a whole store is refused untouched.
func Open(dir string) (*DB, error) { return open(dir, false) }

// OpenReadOnly opens the book in dir for reading only: nothing in the folder is written
// (it may be on a read-only medium), and other readers may have it open at once.
func OpenReadOnly(dir string) (*DB, error) { return open(dir, true) }

// minFree is the free disk space a writing open needs: Badger maps its write-ahead
// memtable (2 × MemTableSize) and value log into memory and grows them as it writes;
// a full disk under a mapped file kills the process (SIGBUS) instead of failing a write.
//
// The same floor is checked again before every write (DB.update, checkSpace): Badger
// writes through memory maps (the write-ahead memtable, the value log, new tables), and a
// disk that fills under a map kills the process with SIGBUS in one of Badger's own
// goroutines, where no recover can reach it (debug.SetPanicOnFault is per goroutine). So
// a write starts only while the disk holds what the maps may still take, and a disk
// filling up ends in a one-line refusal while reading goes on.
const (
	memTableSize = 32 << 20
	vlogFileSize = 64 << 20
	minFree      = 2*memTableSize + 2*vlogFileSize + memTableSize
)

// freeSpace is diskFree; tests replace it to fill the disk.
var freeSpace = diskFree

func open(dir string, readOnly bool) (*DB, error) {
	memAtOpen := hasMemtables(dir)
	crashed := readOnly && memAtOpen
	readOnly, note, err := prepareFolder(dir, readOnly)
	if err != nil {
		return nil, err
	}
	opts := badgerOptions(dir, readOnly)
	if opts, err = withBookKey(opts, dir); err != nil { // encrypted books: see keyslots.go
		return nil, err
	}
	bdb, err := openBadger(opts)
	if err != nil {
		return nil, openError(dir, err)
	}
	db := &DB{bdb: bdb, dir: dir, readOnly: readOnly, Now: time.Now, note: note, memAtOpen: memAtOpen}
	if crashed && !readOnly {
		db.addNote(app.T("账本上次没有正常关闭（程序被中断或断电），这次只读的打开先重放了它的预写日志（写了一次数据文件夹）；已提交的内容都在",
			"the book was not closed cleanly (the program was stopped or the power failed): this reading command first replayed its write-ahead log (writing to the folder once); everything committed is there"))
	}
	if err := db.checkOpened(); err != nil {
		bdb.Close()
		return nil, err
	}
	return db, nil
}

// Note says, in one line, what opening the book did or found that the user should know
// (a crashed book's log replayed by a reading command, a missing COMMITTED marker); ""
// when nothing. The CLI prints it on stderr.
func (db *DB) Note() string { return db.note }

func (db *DB) addNote(s string) {
	if db.note != "" {
		db.note += app.T("；", "; ")
	}
	db.note += s
}

// prepareFolder readies dir before Badger sees it: a restore or encryption killed
// half-way is settled, a read-only open needs a book there (a writing one makes the
// folder), the files are checked (preflight) and tables a crash left behind are set
// aside. It returns whether the open stays read-only: setting tables aside, or a
// write-ahead log to replay, needs one writing open.
func prepareFolder(dir string, readOnly bool) (_ bool, note string, _ error) {
	// A restore or encryption killed half-way is finished or undone first (swap.go); the
	// CLI calls SettleSwap itself before this, to tell the user what it found.
	if _, err := SettleSwap(dir); err != nil {
		return readOnly, "", err
	}
	if readOnly {
		if _, err := os.Stat(filepath.Join(dir, badger.ManifestFilename)); errors.Is(err, os.ErrNotExist) {
			if _, err := preflight(dir, checkChanged); err != nil {
				return readOnly, "", err
			}
			return readOnly, "", ErrNoBook(dir)
		}
	} else if err := os.MkdirAll(dir, 0o700); err != nil {
		return readOnly, "", app.Errorf(app.EINVALID, "无法使用数据文件夹 %s：%v", "cannot use the data folder %s: %v", dir, err)
	}
	orphans, err := preflight(dir, checkChanged)
	if err != nil {
		return readOnly, "", err
	}
	if plainRegistryDamaged(dir) { // preflight refused it where the folder cannot be written
		if err := repairPlainRegistry(dir); err != nil {
			return readOnly, "", app.Errorf(app.EINVALID, "无法重写数据文件夹 %s 中损坏的 KEYREGISTRY 文件（%v）；没有做任何更改", "cannot write the damaged KEYREGISTRY file in %s again (%v); nothing was changed", dir, err)
		}
		note = app.T("KEYREGISTRY 文件的校验文字有字节被改动（这个账本没有加密，该文件不含账本数据），已重写；磁盘可能有问题，请及时备份并运行 verify",
			"bytes of the KEYREGISTRY file's check text had changed (this book is not encrypted and the file holds none of its data); it was written again. The disk may be failing: make a backup and run verify")
	}
	if len(orphans) > 0 {
		if readOnly {
			// Tables a crash left behind must be moved aside before Badger sees them
			// (it would delete them): that is a write, so open for writing once.
			readOnly = false
		}
		if err := setAside(dir, orphans); err != nil {
			return readOnly, "", app.Errorf(app.EINVALID, "无法整理数据文件夹 %s（%v）；没有做任何更改", "cannot tidy the data folder %s (%v); nothing was changed", dir, err)
		}
	}
	if empty := emptyLogs(dir); len(empty) > 0 && canWrite(dir) {
		for _, n := range empty {
			if err := os.Remove(filepath.Join(dir, n)); err != nil {
				return readOnly, "", app.Errorf(app.EINVALID, "无法整理数据文件夹 %s（%v）；没有做任何更改", "cannot tidy the data folder %s (%v); nothing was changed", dir, err)
			}
		}
		syncDir(dir)
	}
	if readOnly && hasMemtables(dir) && canWrite(dir) {
		// Not closed cleanly (a crash, a kill): Badger must replay and trim its write-ahead
		// log before it can read it, which a read-only open cannot do. Open for writing
		// once; the folder was checked above and Badger replays only what was committed.
		readOnly = false
	}
	return readOnly, note, checkWritable(dir, readOnly)
}

// checkWritable refuses a writing open of a folder that cannot be written, or on a disk
// too full to write safely (minFree).
func checkWritable(dir string, readOnly bool) error {
	if readOnly {
		return nil
	}
	if !canWrite(dir) {
		if hasMemtables(dir) { // reading needs a replay too: not "reading still works"
			return errCrashedReadOnly(dir)
		}
		return errReadOnlyFolder(dir)
	}
	return checkSpace(dir)
}

// checkSpace refuses a write on a disk with less than minFree free.
func checkSpace(dir string) error {
	if free, ok := freeSpace(dir); ok && free < minFree {
		return app.Errorf(app.EINVALID, "磁盘空间不足：数据文件夹 %s 所在的磁盘只剩 %d MB，至少需要 %d MB 才能安全写入；没有做任何更改。请清理磁盘后再试（查看账本的命令仍可使用）",
			"the disk is full: the disk of the data folder %s has %d MB free and needs at least %d MB to write safely; nothing was changed. Free some space and try again (commands that only read still work)",
			dir, free>>20, minFree>>20)
	}
	return nil
}

// writingBlockCache is the block cache of a writing open: Badger requires one for
// compressed or encrypted tables, and keeps in it decompressed blocks for the reads that
// come back to them (a window, a report).
const writingBlockCache = 16 << 20

// badgerOptions are the store's settings: synced writes, every block read checked,
// and small tables and caches for a committee laptop.
func badgerOptions(dir string, readOnly bool) badger.Options {
	opts := badger.DefaultOptions(dir).
		WithReadOnly(readOnly).
		WithSyncWrites(true). // money: a write is on disk before we say it is done
		WithLogger(quietLogger{}).
		// Every block read is checked against its checksum: a damaged file is reported,
		// never read as if it held fewer bills. Tables are checked by preflight
		// (checkTable: the index on every open, every block once, tablecheck.go) before
		// Badger opens them: Badger's own check on open drops a bad table silently.
		WithChecksumVerificationMode(options.OnBlockRead).
		// A committee laptop, not a server: small tables and caches.
		WithMemTableSize(memTableSize).
		WithValueLogFileSize(vlogFileSize).
		WithBlockCacheSize(writingBlockCache).
		WithIndexCacheSize(8 << 20).
		WithNumMemtables(2).
		WithNumLevelZeroTables(2).
		WithNumLevelZeroTablesStall(4).
		WithNumCompactors(2).
		WithCompactL0OnClose(true)
	if readOnly {
		// A read-only open writes no table, so the compression it would write with does
		// not matter (each table's own is in the manifest), and it has no block cache: a
		// command that reads the book through (verify) decompresses each block once
		// into a buffer of its own instead of passing every block through the cache,
		// which cost a twentieth of verify's CPU on the 3,000-unit 10-year demo
		// (docs/record-log.md, "Measured"). Badger refuses a compressed open without a
		// cache. An encrypted book keeps one (withBookKey).
		opts = opts.WithCompression(options.None).WithBlockCacheSize(0)
	}
	return opts
}

// openError is the refusal when Badger does not open the store: the folder in use by
// another program (ELOCKED), a read-only folder, or else damage.
func openError(dir string, err error) error {
	switch {
	case isLockError(err):
		return app.Errorf(app.ELOCKED, "数据文件夹 %s 正被另一个阳光账本程序使用：请先关闭它再试",
			"the data folder %s is open in another Sunledger program: close that one first", dir)
	case errors.Is(err, badger.ErrTruncateNeeded), strings.Contains(err.Error(), badger.ErrTruncateNeeded.Error()),
		hasMemtables(dir) && isReadOnlyFolder(err):
		// A crashed book on read-only media: whole, but its log must be replayed (and
		// trimmed) before it can be read. A backup would lose everything since.
		return errCrashedReadOnly(dir)
	case isReadOnlyFolder(err):
		return errReadOnlyFolder(dir)
	}
	return Damage(dir, err)
}

// errCrashedReadOnly is the refusal of a book that was not closed cleanly, in a folder
// that cannot be written.
func errCrashedReadOnly(dir string) error {
	return app.Errorf(app.EINVALID, "数据文件夹 %s 中的账本上次没有正常关闭（程序被中断或断电），而这个文件夹是只读的：读取前需要先重放它的预写日志，这要写文件夹。账本本身是完整的：请把整个文件夹复制到可写的地方（如桌面），再用 --data 指向副本打开。不要从备份恢复：那会丢掉备份之后的全部记录；没有做任何更改",
		"the book in %s was not closed cleanly (the program was stopped or the power failed) and its folder is read-only: its write-ahead log must be replayed before it can be read, which writes to the folder. The book is whole: copy the whole folder to a writable place and open the copy (--data COPY). Do not restore a backup: that would lose everything recorded since; nothing was changed", dir)
}

// checkOpened checks a freshly opened book before anyone uses it: what was committed is
// all there (committedFile), the key layout is one this program reads, a book from
// before the record log gets its log started (and its journal indexed by month), and a
// missing COMMITTED marker is noticed.
func (db *DB) checkOpened() error {
	if err := db.checkCommitted(); err != nil {
		return err
	}
	if err := db.checkSchema(); err != nil {
		return err
	}
	if err := db.startRecordLog(); err != nil { // a book from before the record log
		return err
	}
	if err := db.startDateIndex(); err != nil { // a book from before the journal's index by date
		return err
	}
	return db.noticeMissingMarker()
}

// openBadger opens the store, turning a panic inside Badger (a damaged file it does not
// expect) into an error.
func openBadger(opts badger.Options) (bdb *badger.DB, err error) {
	defer func() {
		if r := recover(); r != nil {
			bdb, err = nil, fmt.Errorf("%v", r)
		}
	}()
	return badger.Open(opts)
}

func errReadOnlyFolder(dir string) error {
	return app.Errorf(app.EINVALID, "数据文件夹 %s 是只读的（例如只读的U盘或光盘、没有写权限）：不能在这里修改账本，没有做任何更改；查看账本的命令（verify、ledger balance、units list…）仍可使用",
		"the data folder %s is read-only (a locked USB stick, a CD, no write permission): the book cannot be changed there and nothing was changed; commands that only read (verify, ledger balance, units list…) still work", dir)
}

// ReadOnly reports whether the book was opened for reading only.
func (db *DB) ReadOnly() bool { return db.readOnly }

// isReadOnlyFolder recognises a folder Badger cannot write its lock or files into.
func isReadOnlyFolder(err error) bool {
	s := err.Error()
	return strings.Contains(s, "read-only file system") || strings.Contains(s, "permission denied") ||
		strings.Contains(s, "Access is denied") || strings.Contains(s, "Cannot write pid file")
}

// Close flushes and closes the store. Always call it: Badger needs it to leave a clean book.
// A book opened for writing has its new tables checked and noted (noteTables).
func (db *DB) Close() error {
	err := db.bdb.Close()
	if err == nil && !db.readOnly {
		noteTables(db.dir)
	}
	return err
}

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
