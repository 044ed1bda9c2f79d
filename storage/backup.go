package storage

import (
	"bytes"
	"context"
	"crypto/cipher"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	badger "github.com/dgraph-io/badger/v4"
	"github.com/dgraph-io/badger/v4/pb"
	"golang.org/x/crypto/chacha20poly1305"
	"google.golang.org/protobuf/proto"

	"sunledger/app"
)

// A backup file (备份文件) is Badger's own full backup stream, encrypted, because Badger
// writes backups in plain text (docs/architecture.md) and a book holds owners' names and money.
//
//	header  "SUNLEDGER-BACKUP" | version u8 | argon2id time u32 | memory KiB u32 | threads u8 | salt [16]
//	check   16 bytes: the AEAD tag of nothing under the derived key (nonce all 0xff),
//	        so a wrong passphrase is told apart from a damaged file before anything is read
//	chunks  length u32 (top bit: last chunk) | ChaCha20-Poly1305 ciphertext of ≤ 64 KiB
//
// All numbers big-endian. Chunk n is sealed with nonce = n (8 bytes) | 0 0 0 | last flag,
// and with the header and check as associated data: a chunk moved, dropped, flipped or
// cut off, or a header edited, fails to open. The file must end right after the chunk
// flagged last, so a truncated file never passes for a whole one.
const (
	backupMagic   = "SUNLEDGER-BACKUP"
	backupVersion = 1
	backupChunk   = 64 << 10
	backupLast    = 1 << 31
	saltSize      = 16
	headerSize    = len(backupMagic) + 1 + 4 + 4 + 1 + saltSize
)

// backupKDF derives the file key from the passphrase: argon2id, 64 MiB, two passes —
// a fraction of a second once per backup or restore, costly for someone guessing.
var backupKDF = app.KDF{Name: "argon2id", Time: 2, MemoryKiB: 64 * 1024, Threads: 4}

func errBackupPassphrase() error {
	return app.Errorf(app.EUNAUTHORIZED, "备份口令不正确（或备份文件头已损坏）：没有恢复任何内容",
		"wrong backup passphrase (or a damaged backup header): nothing was restored")
}

func errBackupDamaged(why string) error {
	return app.Errorf(app.EINVALID, "备份文件已损坏、被改动或不完整（%s）：没有恢复任何内容",
		"the backup file is damaged, altered or incomplete (%s): nothing was restored", why)
}

func backupKey(k app.KDF, passphrase string, salt []byte) ([]byte, error) {
	// A header's costs are bounded (app.MaxKDF), so a crafted file cannot make us
	// allocate gigabytes or spin for minutes.
	key, err := k.Key(passphrase, salt)
	if err != nil {
		return nil, errBackupDamaged(app.T("不支持的密钥参数", "unsupported key parameters"))
	}
	return key, nil
}

func backupNonce(n uint64, last bool) []byte {
	nonce := make([]byte, chacha20poly1305.NonceSize)
	binary.BigEndian.PutUint64(nonce, n)
	if last {
		nonce[len(nonce)-1] = 1
	}
	return nonce
}

func checkNonce() []byte { return bytes.Repeat([]byte{0xff}, chacha20poly1305.NonceSize) }

// Backup writes an encrypted full backup of the book to w and records it in the audit
// log. The passphrase is needed again to restore; it is not kept anywhere.
func (s BackupService) Backup(ctx context.Context, w io.Writer, passphrase, who string) error {
	if err := app.ValidatePassphrase(passphrase); err != nil {
		return err
	}
	if _, err := s.db.bookService().Community(ctx); err != nil {
		return err
	}
	bw, err := newBackupWriter(w, passphrase, backupKDF)
	if err != nil {
		return err
	}
	cw := &ctxWriter{ctx: ctx, w: bw}
	if err := streamBackup(s.db.bdb, cw); err != nil {
		if e := ctxErr(ctx); e != nil {
			return e
		}
		if cw.err != nil { // the file, not the book: say so plainly
			return app.Errorf(app.EINVALID, "无法写入备份：%v", "cannot write the backup: %v", cw.err)
		}
		return wrap(err)
	}
	if err := bw.Close(); err != nil {
		return app.Errorf(app.EINVALID, "无法写入备份：%v", "cannot write the backup: %v", err)
	}
	_, seq, err := s.db.ledgerService().Head(ctx)
	if err != nil {
		return err
	}
	return s.db.update(func(tx *Tx) error {
		return tx.audit(who, "backup", fmt.Sprintf("%d bytes, journal #%d", bw.written, seq), "")
	})
}

// ctxWriter stops a backup when the caller cancels and remembers a write error, so it
// can be told apart from a problem in the book.
type ctxWriter struct {
	ctx context.Context
	w   io.Writer
	err error
}

func (c *ctxWriter) Write(p []byte) (int, error) {
	if err := ctxErr(c.ctx); err != nil {
		return 0, err
	}
	n, err := c.w.Write(p)
	if err != nil {
		c.err = err
	}
	return n, err
}

// backupWriter encrypts what is written to it in chunks; Close seals the last one.
type backupWriter struct {
	w       io.Writer
	aead    cipher.AEAD
	ad      []byte
	buf     []byte
	n       uint64
	written int64
}

func newBackupWriter(w io.Writer, passphrase string, k app.KDF) (*backupWriter, error) {
	salt := make([]byte, saltSize)
	if _, err := io.ReadFull(rand.Reader, salt); err != nil {
		return nil, app.Internal(err)
	}
	hdr := make([]byte, 0, headerSize+chacha20poly1305.Overhead)
	hdr = append(hdr, backupMagic...)
	hdr = append(hdr, backupVersion)
	hdr = binary.BigEndian.AppendUint32(hdr, k.Time)
	hdr = binary.BigEndian.AppendUint32(hdr, k.MemoryKiB)
	hdr = append(hdr, k.Threads)
	hdr = append(hdr, salt...)
	key, err := backupKey(k, passphrase, salt)
	if err != nil {
		return nil, err
	}
	aead, err := chacha20poly1305.New(key)
	if err != nil {
		return nil, app.Internal(err)
	}
	hdr = aead.Seal(hdr, checkNonce(), nil, hdr)
	bw := &backupWriter{w: w, aead: aead, ad: hdr, buf: make([]byte, 0, backupChunk)}
	if err := bw.out(hdr); err != nil {
		return nil, app.Errorf(app.EINVALID, "无法写入备份：%v", "cannot write the backup: %v", err)
	}
	return bw, nil
}

func (bw *backupWriter) out(b []byte) error {
	n, err := bw.w.Write(b)
	bw.written += int64(n)
	return err
}

func (bw *backupWriter) Write(p []byte) (int, error) {
	total := len(p)
	for len(p) > 0 {
		if len(bw.buf) == backupChunk {
			// A full chunk goes out only once more data follows, so the last chunk
			// is always the one Close seals.
			if err := bw.seal(false); err != nil {
				return total - len(p), err
			}
		}
		k := min(backupChunk-len(bw.buf), len(p))
		bw.buf = append(bw.buf, p[:k]...)
		p = p[k:]
	}
	return total, nil
}

func (bw *backupWriter) seal(last bool) error {
	ct := bw.aead.Seal(nil, backupNonce(bw.n, last), bw.buf, bw.ad)
	size := uint32(len(ct))
	if last {
		size |= backupLast
	}
	if err := bw.out(binary.BigEndian.AppendUint32(nil, size)); err != nil {
		return err
	}
	if err := bw.out(ct); err != nil {
		return err
	}
	bw.n++
	bw.buf = bw.buf[:0]
	return nil
}

// Close writes the last chunk (possibly empty).
func (bw *backupWriter) Close() error { return bw.seal(true) }

// backupReader decrypts a backup file; it returns io.EOF only after the chunk flagged
// last has been opened and nothing follows it.
type backupReader struct {
	r    io.Reader
	aead cipher.AEAD
	ad   []byte
	n    uint64
	buf  []byte // opened plaintext not yet read
	done bool
}

// openBackup reads and checks the header: EINVALID if it is not a backup file,
// EUNAUTHORIZED if the passphrase does not open it.
func openBackup(r io.Reader, passphrase string) (*backupReader, error) {
	hdr := make([]byte, headerSize+chacha20poly1305.Overhead)
	if _, err := io.ReadFull(r, hdr); err != nil || !bytes.HasPrefix(hdr, []byte(backupMagic)) {
		if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, app.Errorf(app.EINVALID, "无法读取备份文件：%v", "cannot read the backup file: %v", err)
		}
		return nil, app.Errorf(app.EINVALID, "这不是阳光账本的备份文件：没有恢复任何内容", "this is not a Sunledger backup file: nothing was restored")
	}
	p := hdr[len(backupMagic):]
	if p[0] != backupVersion {
		return nil, app.Errorf(app.EINVALID, "备份文件格式 %d 不受支持，请升级程序", "backup format %d is not supported: please upgrade", p[0])
	}
	k := app.KDF{Name: "argon2id", Time: binary.BigEndian.Uint32(p[1:]), MemoryKiB: binary.BigEndian.Uint32(p[5:]), Threads: p[9]}
	salt := p[10 : 10+saltSize]
	key, err := backupKey(k, passphrase, salt)
	if err != nil {
		return nil, err
	}
	aead, err := chacha20poly1305.New(key)
	if err != nil {
		return nil, app.Internal(err)
	}
	if _, err := aead.Open(nil, checkNonce(), hdr[headerSize:], hdr[:headerSize]); err != nil {
		return nil, errBackupPassphrase()
	}
	return &backupReader{r: r, aead: aead, ad: hdr}, nil
}

func (br *backupReader) Read(p []byte) (int, error) {
	for len(br.buf) == 0 {
		if br.done {
			return 0, io.EOF
		}
		if err := br.next(); err != nil {
			return 0, err
		}
	}
	n := copy(p, br.buf)
	br.buf = br.buf[n:]
	return n, nil
}

func (br *backupReader) next() error {
	var lenb [4]byte
	if _, err := io.ReadFull(br.r, lenb[:]); err != nil {
		return br.readErr(err)
	}
	size := binary.BigEndian.Uint32(lenb[:])
	last := size&backupLast != 0
	size &^= backupLast
	if size < chacha20poly1305.Overhead || size > backupChunk+chacha20poly1305.Overhead {
		return errBackupDamaged(app.T("分块长度不对", "bad chunk length"))
	}
	ct := make([]byte, size)
	if _, err := io.ReadFull(br.r, ct); err != nil {
		return br.readErr(err)
	}
	pt, err := br.aead.Open(ct[:0], backupNonce(br.n, last), ct, br.ad)
	if err != nil {
		return errBackupDamaged(fmt.Sprintf(app.T("第 %d 块校验失败", "chunk %d fails its check"), br.n+1))
	}
	br.n++
	br.buf = pt
	if last {
		var extra [1]byte
		if n, _ := io.ReadFull(br.r, extra[:]); n > 0 {
			return errBackupDamaged(app.T("结尾后还有多余数据", "data after the end"))
		}
		br.done = true
	}
	return nil
}

func (br *backupReader) readErr(err error) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return errBackupDamaged(app.T("文件被截断", "the file is cut short"))
	}
	return app.Errorf(app.EINVALID, "无法读取备份文件：%v", "cannot read the backup file: %v", err)
}

// Restore replaces the book in dir with the one in the backup read from r. The target
// need not be open (and must not be: Restore opens it itself to check it). A wrong
// passphrase, a damaged file or any failure leaves dir as it was: the backup is loaded
// into a new folder beside dir and checked there, and only then swapped into place.
// A folder that already holds a book is replaced only with force (ECONFLICT otherwise).
func Restore(ctx context.Context, dir string, r io.Reader, passphrase string, force bool, who string) error {
	br, err := openBackup(r, passphrase)
	if err != nil {
		return err
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return app.Errorf(app.EINVALID, "无法使用数据文件夹 %s：%v", "cannot use the data folder %s: %v", dir, err)
	}
	if _, err := SettleSwap(abs); err != nil { // an earlier restore killed half-way
		return err
	}
	// Hold the old book open while the backup loads, so no other program starts
	// writing to it meanwhile; it is closed just before the swap.
	old, err := openTarget(ctx, abs, force)
	if err != nil {
		return err
	}
	closeOld := func() {
		if old != nil {
			old.Close()
			old = nil
		}
	}
	defer closeOld()

	tmp, err := os.MkdirTemp(filepath.Dir(abs), "."+filepath.Base(abs)+".restore-")
	if err != nil {
		return app.Errorf(app.EINVALID, "无法在 %s 旁边建立临时文件夹：%v", "cannot make a temporary folder beside %s: %v", abs, err)
	}
	swapped := false
	defer func() {
		if !swapped {
			os.RemoveAll(tmp)
		}
	}()
	if err := carryKeySlots(abs, tmp); err != nil { // an encrypted book stays encrypted
		return err
	}
	if err := loadBackup(ctx, tmp, br, who, ""); err != nil {
		return err
	}
	closeOld()
	if err := swapIn(tmp, abs); err != nil {
		return err
	}
	swapped = true
	return nil
}

// openTarget opens the book being replaced: nil if there is none. It refuses a book
// without force, a folder another program has open, and a folder holding anything
// other than a Badger store (restoring must never sweep away someone's files).
func openTarget(ctx context.Context, dir string, force bool) (*DB, error) {
	ents, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, app.Errorf(app.EINVALID, "无法使用数据文件夹 %s：%v", "cannot use the data folder %s: %v", dir, err)
	}
	if len(ents) == 0 {
		return nil, nil
	}
	if f := ForeignFile(dir); f != "" {
		return nil, app.Errorf(app.ECONFLICT, "文件夹 %s 里有不属于账本的文件（%s）：请换一个空文件夹恢复",
			"the folder %s holds files that are not part of a book (%s): restore into an empty folder", dir, f)
	}
	if force && keyFor(dir) == nil && IsEncrypted(dir) {
		return nil, nil // an encrypted book whose key is lost: replaced whole (keyslots.go)
	}
	if !force { // a refusal only reads the folder
		ro, err := OpenReadOnly(dir)
		if err != nil {
			return nil, err
		}
		_, cerr := ro.bookService().Community(ctx)
		ro.Close()
		if cerr == nil {
			return nil, app.Errorf(app.ECONFLICT, "账本不是空的：%s 里已经有一个账本；没有做任何更改；确认要用备份替换它，请用 --force 覆盖",
				"the book is not empty: %s already holds a book; nothing was changed; to replace it with the backup, use --force", dir)
		}
	}
	db, err := Open(dir)
	if err != nil {
		return nil, err
	}
	if _, err := db.bookService().Community(ctx); err == nil && !force { // made meanwhile
		db.Close()
		return nil, app.Errorf(app.ECONFLICT, "账本不是空的：%s 里已经有一个账本；没有做任何更改；确认要用备份替换它，请用 --force 覆盖",
			"the book is not empty: %s already holds a book; nothing was changed; to replace it with the backup, use --force", dir)
	}
	return db, nil
}

// loadBackup loads the decrypted stream into a new store in dir, checks it is a whole
// book, and records the restore in its audit log (and, with founder set, the book's
// encryption: in the same transaction, so a book swapped in always says how it came).
func loadBackup(ctx context.Context, dir string, br *backupReader, who, founder string) (err error) {
	db, err := Open(dir)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := db.Close(); cerr != nil && err == nil {
			err = app.Internal(cerr)
		}
	}()
	cr := &ctxReader{ctx: ctx, r: br, dir: dir}
	// Few writes in flight: each is a batch of megabytes, and 256 of them (the usual
	// figure) held about a gigabyte for a 3,000-unit, 10-year book (docs/window.md "Speed").
	if err := db.bdb.Load(cr, 4); err != nil {
		if cr.err != nil { // the disk filled up: say so, not "the backup is damaged"
			return cr.err
		}
		return loadErr(ctx, err)
	}
	// Badger stops at the end of its own stream; the file must end there too, sealed.
	if _, err := io.Copy(io.Discard, br); err != nil {
		return loadErr(ctx, err)
	}
	if err := db.checkSchema(); err != nil {
		return err
	}
	if err := db.startRecordLog(); err != nil { // a backup from before the record log
		return err
	}
	c, err := db.bookService().Community(ctx)
	if err != nil {
		return errBackupDamaged(app.T("其中没有账本", "it holds no book"))
	}
	_, seq, err := db.ledgerService().Head(ctx)
	if err != nil {
		return err
	}
	return db.update(func(tx *Tx) error {
		if err := tx.audit(who, "backup.restore", fmt.Sprintf("%s, journal #%d", c.Name, seq), ""); err != nil {
			return err
		}
		if founder != "" {
			return tx.audit(who, "book.encrypt", founder, "")
		}
		return nil
	})
}

func loadErr(ctx context.Context, err error) error {
	if e := ctxErr(ctx); e != nil {
		return e
	}
	var ae *app.Error
	if errors.As(err, &ae) {
		return ae
	}
	return errBackupDamaged(err.Error())
}

// ctxReader feeds a backup to Badger's Load, stopping when ctx is cancelled and, with
// dir set, when the disk of dir runs short (checkSpace, every spaceEvery bytes): Load
// writes past DB.update's check, through the same memory maps.
type ctxReader struct {
	ctx  context.Context
	r    io.Reader
	dir  string
	read int64
	err  error // why the reader stopped the load, if it did
}

var spaceEvery int64 = 4 << 20 // tests make it small

func (c *ctxReader) Read(p []byte) (int, error) {
	if err := ctxErr(c.ctx); err != nil {
		return 0, err
	}
	if c.dir != "" && (c.read == 0 || c.read/spaceEvery != (c.read+int64(len(p)))/spaceEvery) {
		if err := checkSpace(c.dir); err != nil {
			c.err = err
			return 0, err
		}
	}
	n, err := c.r.Read(p)
	c.read += int64(n)
	return n, err
}

// syncDir makes renames in dir durable where the OS allows it (not on Windows).
func syncDir(dir string) {
	if f, err := os.Open(dir); err == nil {
		f.Sync()
		f.Close()
	}
}

// streamBackup writes what badger's DB.Backup(w, 0) writes (the same stream: batches of
// KV lists, each a little-endian u64 length and the protobuf bytes, every version down to
// a delete or discard marker, which DB.Load reads back), from one iterator in batches of
// about a megabyte. DB.Backup runs eight readers feeding a queue of up to 32 batches of
// 16 MB: about a gigabyte resident for a 3,000-unit, 10-year book, and no faster on two
// cores (docs/window.md "Speed").
func streamBackup(bdb *badger.DB, w io.Writer) error {
	const batch = 1 << 20
	return bdb.View(func(txn *badger.Txn) error {
		o := badger.DefaultIteratorOptions
		o.AllVersions = true
		o.PrefetchValues = false
		it := txn.NewIterator(o)
		defer it.Close()
		list := &pb.KVList{}
		size := 0
		flush := func() error {
			if len(list.Kv) == 0 {
				return nil
			}
			buf, err := proto.Marshal(list)
			if err != nil {
				return err
			}
			var n [8]byte
			binary.LittleEndian.PutUint64(n[:], uint64(len(buf)))
			if _, err := w.Write(n[:]); err != nil {
				return err
			}
			if _, err := w.Write(buf); err != nil {
				return err
			}
			list.Kv, size = list.Kv[:0], 0
			return nil
		}
		var skip []byte // a key whose older versions are not written (below a delete or discard)
		for it.Rewind(); it.Valid(); it.Next() {
			item := it.Item()
			if skip != nil && bytes.Equal(item.Key(), skip) {
				continue
			}
			skip = nil
			kv := &pb.KV{Key: item.KeyCopy(nil), Version: item.Version(), ExpiresAt: item.ExpiresAt(), UserMeta: []byte{item.UserMeta()}}
			var meta byte
			if item.IsDeletedOrExpired() {
				meta = bitDelete
			} else if err := item.Value(func(v []byte) error {
				kv.Value = bytes.Clone(v)
				return nil
			}); err != nil {
				return err
			}
			if item.DiscardEarlierVersions() {
				meta |= bitDiscardEarlierVersions
			}
			kv.Meta = []byte{meta}
			list.Kv = append(list.Kv, kv)
			size += len(kv.Key) + len(kv.Value) + 16
			switch {
			case item.DiscardEarlierVersions():
				// As DB.Backup: a delete marker just below, and nothing older.
				list.Kv = append(list.Kv, &pb.KV{Key: item.KeyCopy(nil), Version: item.Version() - 1, Meta: []byte{bitDelete}})
				skip = kv.Key
			case item.IsDeletedOrExpired():
				skip = kv.Key
			}
			if size >= batch {
				if err := flush(); err != nil {
					return err
				}
			}
		}
		return flush()
	})
}

// badger's meta bits (its unexported bitDelete and bitDiscardEarlierVersions), as its
// backup stream carries them.
const (
	bitDelete                 byte = 1 << 0
	bitDiscardEarlierVersions byte = 1 << 2
)
