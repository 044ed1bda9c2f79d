package storage

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/dgraph-io/badger/v4"
	"github.com/dgraph-io/badger/v4/fb"
	"github.com/dgraph-io/badger/v4/options"
	"github.com/dgraph-io/badger/v4/pb"
	"github.com/dgraph-io/badger/v4/table"
	"github.com/dgraph-io/badger/v4/y"
	"github.com/dgraph-io/ristretto/v2/z"
	"github.com/klauspost/compress/snappy"
	"google.golang.org/protobuf/proto"

	"sunledger/app"
)

// A book is a Badger folder: MANIFEST (which tables exist), KEYREGISTRY, the tables
// (*.sst), the value log (*.vlog) and, after a crash, the write-ahead memtables (*.mem).
// Badger, opened on a folder whose MANIFEST is missing or stale, deletes every table the
// MANIFEST does not name, even when opened read-only; a bad copy or a sync tool would
// then cost the whole book. So before any open, preflight checks that the files form a
// whole store and refuses, touching nothing, when they do not.

// restoreHint is the way out named by every refusal.
func restoreHint() (zh, en string) {
	return "没有打开也没有改动任何文件。请用最近的备份恢复：sunledger-cli restore 备份文件 --force（或在窗口程序中恢复备份）",
		"nothing was opened or changed. Restore the last backup: sunledger-cli restore BACKUP --force (or restore it in the window program)"
}

// damaged is the error for a folder that is not a whole store.
func damaged(dir, zh, en string, args ...any) error {
	hz, he := restoreHint()
	return &app.Error{Code: app.EINVALID,
		ZH: fmt.Sprintf("数据文件夹 %s 不是完整的账本：%s。%s", dir, fmt.Sprintf(zh, args...), hz),
		EN: fmt.Sprintf("the data folder %s is not a whole book: %s; %s", dir, fmt.Sprintf(en, args...), he)}
}

// storeFiles is what a folder holds of a Badger store.
type storeFiles struct {
	manifest, registry bool
	tables             map[uint64]string // id → file name
	vlogs, mems        int
}

func listStore(dir string) (storeFiles, error) {
	f := storeFiles{tables: map[uint64]string{}}
	ents, err := os.ReadDir(dir)
	if err != nil {
		return f, err
	}
	for _, e := range ents {
		n := e.Name()
		switch {
		case n == badger.ManifestFilename:
			f.manifest = true
		case n == "KEYREGISTRY":
			f.registry = true
		case strings.HasSuffix(n, ".sst"):
			if id, err := strconv.ParseUint(strings.TrimSuffix(n, ".sst"), 10, 64); err == nil {
				f.tables[id] = n
			}
		case strings.HasSuffix(n, ".vlog"):
			f.vlogs++
		case strings.HasSuffix(n, ".mem"):
			f.mems++
		}
	}
	return f, nil
}

// preflight checks dir before Badger opens it. It returns the tables on disk that the
// MANIFEST does not name (left by a crash during a compaction); the caller moves them
// aside (orphanedDir) rather than let Badger delete them.
//
// Each table's index is checked on every open; a table is checked whole when it is new,
// changed or not checked for a while (tablecheck.go), or every one when how is checkAll.
func preflight(dir string, how tableCheck) (orphans []string, err error) {
	f, err := listStore(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, app.Errorf(app.EINVALID, "无法读取数据文件夹 %s：%v", "cannot read the data folder %s: %v", dir, err)
	}
	data := len(f.tables) + f.vlogs + f.mems
	if !f.manifest {
		if data > 0 {
			return nil, damaged(dir, "缺少 MANIFEST（账本的目录文件），但还有 %d 个数据文件", "MANIFEST (the book's table of contents) is missing but %d data files are there", data)
		}
		return nil, nil // an empty folder: a new book
	}
	if !f.registry {
		return nil, damaged(dir, "缺少 KEYREGISTRY 文件", "the KEYREGISTRY file is missing")
	}
	if plainRegistryDamaged(dir) && !canWrite(dir) {
		// Not "encrypted" (Badger would say the key does not match), and no backup
		// needed: a plain book's registry holds nothing but its check text, which
		// prepareFolder writes again where it may.
		return nil, app.Errorf(app.EINVALID, "数据文件夹 %s 中账本的 KEYREGISTRY 文件已损坏（这个账本没有加密；该文件只有一段校验文字，其中有字节被改动），而这个文件夹是只读的。账本的数据不在这个文件里：请把整个文件夹复制到可写的地方，再用 --data 指向副本打开，程序会重写它；不要从备份恢复；没有做任何更改",
			"the KEYREGISTRY file of the book in %s is damaged (this book is not encrypted; the file holds only a check text, and bytes of it changed) and the folder is read-only. None of the book's data is in that file: copy the whole folder to a writable place and open the copy (--data COPY), which writes it again; do not restore a backup; nothing was changed", dir)
	}
	if f.vlogs == 0 {
		return nil, damaged(dir, "缺少值日志文件（*.vlog）", "the value log (*.vlog) is missing")
	}
	m, err := readManifest(dir)
	if err != nil {
		return nil, err
	}
	var missing []string
	for id := range m.Tables {
		if _, ok := f.tables[id]; !ok {
			missing = append(missing, fmt.Sprintf("%06d.sst", id))
		}
	}
	if len(missing) > 0 {
		sort.Strings(missing)
		return nil, damaged(dir, "缺少数据表文件 %s", "table files are missing: %s", strings.Join(missing, ", "))
	}
	for id, name := range f.tables {
		if _, ok := m.Tables[id]; !ok {
			orphans = append(orphans, name)
		}
	}
	if name, err := checkTables(dir, m, f.tables, how); err != nil {
		return nil, damaged(dir, "数据表 %s 已损坏（%v）", "table %s is damaged (%v)", name, err)
	}
	sort.Strings(orphans)
	return orphans, nil
}

// readManifest reads which tables the book's MANIFEST names.
func readManifest(dir string) (badger.Manifest, error) {
	mf, err := os.Open(filepath.Join(dir, badger.ManifestFilename))
	if err != nil {
		return badger.Manifest{}, damaged(dir, "无法读取 MANIFEST（%v）", "cannot read MANIFEST (%v)", err)
	}
	defer mf.Close()
	m, _, err := badger.ReplayManifestFile(mf, 0, badger.DefaultOptions(dir))
	if err != nil {
		return badger.Manifest{}, damaged(dir, "MANIFEST 已损坏（%v）", "MANIFEST is damaged (%v)", err)
	}
	return m, nil
}

// VerifyTables checks every table of the book in dir block by block, whatever was
// checked before (verify does; see tablecheck.go), and notes them as checked.
func VerifyTables(dir string) error {
	f, err := listStore(dir)
	if err != nil || !f.manifest {
		return nil // opening the book said what is wrong
	}
	m, err := readManifest(dir)
	if err != nil {
		return err
	}
	if name, err := checkTables(dir, m, f.tables, checkAll); err != nil {
		return Damage(dir, fmt.Sprintf("%s: %v", name, err))
	}
	return nil
}

// noteTables checks whole the tables this program wrote into dir while it had the
// book open (Badger writes its tables as it compacts, and at Close), so that the next
// open need not: the cost of a table is paid once, by the command that made it.
func noteTables(dir string) {
	f, err := listStore(dir)
	if err != nil || !f.manifest {
		return
	}
	if m, err := readManifest(dir); err == nil {
		checkTables(dir, m, f.tables, checkChanged)
	}
}

// emptyLogs lists the value-log and write-ahead files (*.vlog, *.mem) of dir that are
// empty: Badger creates such a file and then sizes it, so a program killed in between
// leaves it at 0 bytes. It holds nothing, but Badger refuses to open a store that has
// one ("Create a new file") and would call the book damaged; Open removes them first.
func emptyLogs(dir string) []string {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range ents {
		n := e.Name()
		if !strings.HasSuffix(n, ".vlog") && !strings.HasSuffix(n, ".mem") {
			continue
		}
		if info, err := e.Info(); err == nil && info.Mode().IsRegular() && info.Size() == 0 {
			out = append(out, n)
		}
	}
	return out
}

// orphanedDir is where tables the MANIFEST does not name are moved, inside the data
// folder: kept for whoever investigates, ignored by Badger.
const orphanedDir = "orphaned-tables"

// setAside moves the orphaned tables into orphanedDir.
func setAside(dir string, orphans []string) error {
	to := filepath.Join(dir, orphanedDir)
	if err := os.MkdirAll(to, 0o700); err != nil {
		return err
	}
	for _, n := range orphans {
		if err := os.Rename(filepath.Join(dir, n), filepath.Join(to, n)); err != nil {
			return err
		}
	}
	return nil
}

// committedFile holds the version of the last committed write. Badger, replaying a
// damaged write-ahead log after a crash, silently drops everything after the damage;
// comparing the store's newest version with this file on open makes that loss visible.
// A book that holds anything has the file (it is made, and synced, with the first
// write), so a missing one is noticed too (checkCommitted): deleted, or left behind by a
// copy, it can no longer tell whether writes were lost.
const committedFile = "COMMITTED"

// readCommitted returns the version the marker claims, and whether the marker exists.
func readCommitted(dir string) (uint64, bool) {
	b, err := os.ReadFile(filepath.Join(dir, committedFile))
	if errors.Is(err, os.ErrNotExist) {
		return 0, false
	}
	if err != nil {
		return 0, true // unreadable: no claim, but not missing
	}
	v, err := strconv.ParseUint(strings.TrimSpace(string(b)), 10, 64)
	if err != nil {
		return 0, true // a torn write of the marker itself: no claim
	}
	return v, true
}

// noteCommitted records the store's newest version after a committed write.
func (db *DB) noteCommitted() {
	if db.readOnly {
		return
	}
	db.markMu.Lock()
	defer db.markMu.Unlock()
	v := db.bdb.MaxVersion()
	if v <= db.committed && db.marked {
		return
	}
	db.committed = v
	f, err := os.OpenFile(filepath.Join(db.dir, committedFile), os.O_WRONLY|os.O_CREATE, 0o600)
	if err != nil {
		return
	}
	// Fixed width, so an overwrite never leaves digits of a longer old number behind.
	fmt.Fprintf(f, "%020d\n", v)
	if !db.marked {
		// The marker's first write is synced, file and folder: a marker missing after a
		// power cut would otherwise be taken for one deleted.
		if f.Sync() == nil {
			syncDir(db.dir)
			db.marked = true
		}
	}
	// Later writes are not synced: a marker lost in a power cut only lags behind, which
	// claims nothing.
	f.Close()
}

// checkCommitted refuses a store that holds less than was committed, and notices a
// store that holds something but has no marker: its last writes can no longer be
// checked. That is said (Note) and, when the book can be written, recorded in the audit
// log; the marker is made again from the store as it is.
func (db *DB) checkCommitted() error {
	want, exists := readCommitted(db.dir)
	db.committed = db.bdb.MaxVersion()
	db.marked = exists
	if want > db.committed {
		hz, he := restoreHint()
		return &app.Error{Code: app.EINVALID,
			ZH: fmt.Sprintf("数据文件夹 %s 中的账本缺少最近写入的内容（上次异常退出后数据文件可能已损坏）。%s", db.dir, hz),
			EN: fmt.Sprintf("the book in %s lacks its most recent writes (its files may have been damaged after a crash); %s", db.dir, he)}
	}
	db.markerMissing = !exists && db.committed > 0
	return nil
}

// noticeMissingMarker says that the COMMITTED marker was missing (checkCommitted) and,
// when the book can be written, records it in the audit log, which makes the marker
// again from the store as it is.
func (db *DB) noticeMissingMarker() error {
	if !db.markerMissing {
		return nil
	}
	zh := fmt.Sprintf("数据文件夹 %s 中没有 COMMITTED 文件（它记录最后一次写入，用来发现断电后丢失的内容）：它被删除了，或文件夹被复制时漏掉了它，因此无法确认最近的写入是否都在。请运行 sunledger-cli verify 核对账本", db.dir)
	en := fmt.Sprintf("the data folder %s has no COMMITTED file (it records the last write, to catch writes lost in a crash): it was deleted, or left behind when the folder was copied, so whether the latest writes are all there cannot be told. Run sunledger-cli verify to check the book", db.dir)
	if db.readOnly {
		db.addNote(app.T(zh, en))
		return nil
	}
	db.addNote(app.T(zh+"；已按账本现有内容重建该文件，并记入操作日志", en+"; the file was made again from the book as it is, and the audit log records it"))
	return db.update(func(tx *Tx) error {
		return tx.audit("sunledger", "book.committed.missing", committedFile, en)
	})
}

// Damage turns a failure of Badger while reading (a checksum, a truncated file, a
// panic) into a message that names the damage and the way out.
func Damage(dir string, cause any) error {
	if err, ok := cause.(error); ok && isNoSpace(err) || !ok && isNoSpace(fmt.Errorf("%v", cause)) {
		// A full disk is not damage, and a backup would not help.
		return app.Errorf(app.EINVALID, "数据文件夹 %s 所在的磁盘已满，写入失败；没有做任何更改。请清理磁盘后再试（查看账本的命令仍可使用）",
			"the disk of the data folder %s is full and the write failed; nothing was changed. Free some space and try again (commands that only read still work)", dir)
	}
	return app.Errorf(app.EINVALID, "数据文件夹 %s 中的账本已损坏或无法读取（%v）：没有做任何更改。请用最近的备份恢复：sunledger-cli restore 备份文件 --force（或在窗口程序中恢复备份）",
		"the book in %s is damaged or unreadable (%v): nothing was changed. Restore the last backup: sunledger-cli restore BACKUP --force (or restore it in the window program)", dir, cause)
}

// checkTable opens one table and checks its index (bloom filter, block offsets) against
// its checksum and, when whole, every block's checksum, here, where a panic can be
// caught. (Checking only each block as it is read is not enough: a damaged bloom filter
// or index entry makes a key look absent, and an iterator that meets a damaged block
// stops as if the keys had ended; either way a balance silently changes.) Badger itself,
// meeting a damaged table when it opens the store, either leaves the table out without a
// word (the bills in it vanish) or panics in a goroutine of its own; so every table's
// index is checked before Badger sees it, and the blocks of every table once (see
// tablecheck.go; on the 3,000-unit, 10-year demo, 83 MB of tables, the whole check takes
// about 0.35 s, the index check a few milliseconds). Tables of an encrypted store are
// left to Badger's block checks.
func checkTable(path string, tm badger.TableManifest, whole bool) (err error) {
	if tm.KeyID != 0 {
		return nil
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%v", r)
		}
	}()
	mf, err := z.OpenMmapFile(path, os.O_RDONLY, 0)
	if err != nil && !errors.Is(err, z.NewFile) {
		return err
	}
	// The index is always checked (table.OpenTable's initIndex), the blocks when whole.
	t, err := table.OpenTable(mf, table.Options{ReadOnly: true, ChkMode: options.OnBlockRead, BlockSize: 4 << 10, Compression: tm.Compression})
	if err != nil {
		return err
	}
	defer t.DecrRef()
	if !whole {
		return nil
	}
	tableChecks.Add(1)
	return checkBlocks(mf.Data, tm.Compression)
}

// checkBlocks checks every block of the table file data (whose index table.OpenTable has
// checked) against its checksum, as Badger's Table.VerifyChecksum does, but
// decompressing each block into one buffer: Badger's keeps every block of the table
// allocated until it is done (0.45 GB per verify of the 3,000-unit demo,
// docs/record-log.md "Measured").
func checkBlocks(data []byte, c options.CompressionType) error {
	u32 := func(at int) (int, error) {
		if at < 0 || at+4 > len(data) {
			return 0, errors.New("table footer out of range")
		}
		return int(binary.BigEndian.Uint32(data[at:])), nil
	}
	pos := len(data) - 4
	chkLen, err := u32(pos)
	if err != nil {
		return err
	}
	pos -= chkLen + 4
	indexLen, err := u32(pos)
	if err != nil {
		return err
	}
	pos -= indexLen
	if pos < 0 {
		return errors.New("table index out of range")
	}
	index := fb.GetRootAsTableIndex(data[pos:pos+indexLen], 0)
	indexStart := pos
	var (
		ko  fb.BlockOffset
		buf []byte
		cs  pb.Checksum
	)
	for i := range index.OffsetsLength() {
		if !index.Offsets(&ko, i) {
			return fmt.Errorf("block %d: no offset", i)
		}
		off, n := int(ko.Offset()), int(ko.Len())
		if off < 0 || n < 0 || off+n > indexStart {
			return fmt.Errorf("block %d: offset %d, length %d out of range", i, off, n)
		}
		blk := data[off : off+n]
		switch c {
		case options.None:
		case options.Snappy:
			if buf, err = snappy.Decode(buf[:cap(buf)], blk); err != nil {
				return fmt.Errorf("block %d, offset %d: %v", i, off, err)
			}
			blk = buf
		case options.ZSTD:
			if buf, err = y.ZSTDDecompress(buf[:cap(buf)], blk); err != nil {
				return fmt.Errorf("block %d, offset %d: %v", i, off, err)
			}
			blk = buf
		default:
			return fmt.Errorf("unsupported compression %d", c)
		}
		if len(blk) < 8 {
			return fmt.Errorf("block %d, offset %d: too short", i, off)
		}
		chk := int(binary.BigEndian.Uint32(blk[len(blk)-4:]))
		if chk > len(blk)-8 {
			return fmt.Errorf("block %d, offset %d: invalid checksum length", i, off)
		}
		end := len(blk) - 4 - chk
		cs.Reset()
		if err := proto.Unmarshal(blk[end:end+chk], &cs); err != nil {
			return fmt.Errorf("block %d, offset %d: checksum unreadable: %v", i, off, err)
		}
		if err := y.VerifyChecksum(blk[:end], &cs); err != nil {
			return fmt.Errorf("checksum validation failed for block %d, offset %d: %w", i, off, err)
		}
	}
	return nil
}

// repairPlainRegistry writes the check text of a plain book's damaged KEYREGISTRY
// again (plainRegistryDamaged): the file holds nothing else, so nothing is lost.
func repairPlainRegistry(dir string) error {
	p := filepath.Join(dir, badger.KeyRegistryFileName)
	b, err := os.ReadFile(p)
	if err != nil {
		return err
	}
	copy(b[16:], registryCheckText)
	f, err := os.OpenFile(p, os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	if _, err := f.WriteAt(b[16:16+len(registryCheckText)], 16); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// hasMemtables reports whether dir holds write-ahead memtables (*.mem): the book was not
// closed cleanly.
func hasMemtables(dir string) bool {
	f, err := listStore(dir)
	return err == nil && f.mems > 0
}
