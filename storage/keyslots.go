package storage

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"sync"

	"github.com/dgraph-io/badger/v4"
	"golang.org/x/crypto/argon2"
	"golang.org/x/crypto/chacha20poly1305"

	"sunledger/app"
)

// An encrypted book is a Badger store encrypted (Badger's own AES encryption) under a
// random 32-byte data key. The data key is never derived from a passphrase and is never
// written in the clear: KeySlotsFile, beside the store inside the data folder, holds it
// wrapped once per member — sealed with XChaCha20-Poly1305 under a key derived from that
// member's passphrase by argon2id. Any member's passphrase opens the book; changing one
// passphrase rewrites one slot. A book without KeySlotsFile is a plain book.

// KeySlotsFile is the name of the key slot file in the data folder.
const KeySlotsFile = "keyslots.json"

const keySlotsFormat = "sunledger-keyslots"

// SlotKDF are the argon2id parameters of one slot (stored with it, so they can change).
type SlotKDF struct {
	Time      uint32 `json:"time"`
	MemoryKiB uint32 `json:"memory_kib"`
	Threads   uint8  `json:"threads"`
}

// DefaultSlotKDF takes about half a second on a 2-core laptop. Tests lower it.
var DefaultSlotKDF = SlotKDF{Time: 3, MemoryKiB: 64 << 10, Threads: 2}

// maxSlotKDF bounds what a slot file may ask for: a hostile file must not make an
// unlock take hours or all the memory.
var maxSlotKDF = SlotKDF{Time: 64, MemoryKiB: 1 << 20, Threads: 16}

// keySlot is one member's wrapped copy of the data key.
type keySlot struct {
	Name    string  `json:"name"`
	Salt    []byte  `json:"salt"`
	KDF     SlotKDF `json:"kdf"`
	Nonce   []byte  `json:"nonce"`
	Wrapped []byte  `json:"wrapped"`
}

type keySlots struct {
	Format  string `json:"format"`
	Version int    `json:"version"`
	// Book is a random id of the encrypted book; Check a short fingerprint of the data
	// key (not enough to guess it) that tells a damaged slot from a wrong passphrase.
	Book  string    `json:"book"`
	Check string    `json:"check"`
	Slots []keySlot `json:"slots"`
}

func keyCheck(key []byte) string {
	h := sha256.Sum256(append([]byte("sunledger keycheck\x00"), key...))
	return hex.EncodeToString(h[:8])
}

func slotAAD(book, name string) []byte {
	return []byte("sunledger keyslot v1\x00" + book + "\x00" + name)
}

func slotKEK(pass string, salt []byte, k SlotKDF) []byte {
	return argon2.IDKey([]byte(pass), salt, k.Time, k.MemoryKiB, k.Threads, chacha20poly1305.KeySize)
}

func newSlot(book, name, pass string, key []byte, k SlotKDF) (keySlot, error) {
	if err := app.ValidatePassphrase(pass); err != nil {
		return keySlot{}, err
	}
	s := keySlot{Name: name, KDF: k, Salt: make([]byte, 16), Nonce: make([]byte, chacha20poly1305.NonceSizeX)}
	if _, err := rand.Read(s.Salt); err != nil {
		return s, app.Internal(err)
	}
	if _, err := rand.Read(s.Nonce); err != nil {
		return s, app.Internal(err)
	}
	aead, err := chacha20poly1305.NewX(slotKEK(pass, s.Salt, k))
	if err != nil {
		return s, app.Internal(err)
	}
	s.Wrapped = aead.Seal(nil, s.Nonce, key, slotAAD(book, name))
	return s, nil
}

// open unwraps the data key with pass; ok is false for a wrong passphrase.
func (s keySlot) open(book, pass string) ([]byte, bool) {
	k := s.KDF
	if k.Time == 0 || k.Time > maxSlotKDF.Time || k.MemoryKiB < 8 || k.MemoryKiB > maxSlotKDF.MemoryKiB || k.Threads == 0 || k.Threads > maxSlotKDF.Threads ||
		len(s.Nonce) != chacha20poly1305.NonceSizeX || len(s.Salt) < 8 {
		return nil, false
	}
	aead, err := chacha20poly1305.NewX(slotKEK(pass, s.Salt, k))
	if err != nil {
		return nil, false
	}
	key, err := aead.Open(nil, s.Nonce, s.Wrapped, slotAAD(book, s.Name))
	if err != nil || len(key) != 32 {
		return nil, false
	}
	return key, true
}

func slotsPath(dir string) string { return filepath.Join(dir, KeySlotsFile) }

func restoreSlotsHint(dir string) (string, string) {
	return fmt.Sprintf("请把原数据文件夹中的 %s 复制回 %s，或用最近的备份恢复（sunledger-cli restore 备份文件 --force）", KeySlotsFile, dir),
		fmt.Sprintf("copy %s from the original data folder back into %s, or restore the last backup (sunledger-cli restore BACKUP --force)", KeySlotsFile, dir)
}

func errSlots(dir, zhWhy, enWhy string) error {
	hz, he := restoreSlotsHint(dir)
	return &app.Error{Code: app.EINVALID,
		ZH: fmt.Sprintf("账本 %s 是加密的，但它的密钥槽文件 %s %s：无法打开，没有做任何更改。%s", dir, KeySlotsFile, zhWhy, hz),
		EN: fmt.Sprintf("the book in %s is encrypted but its key slot file %s %s: it cannot be opened and nothing was changed; %s", dir, KeySlotsFile, enWhy, he)}
}

// readSlots reads the key slot file; a missing file is os.ErrNotExist.
func readSlots(dir string) (keySlots, error) {
	var ks keySlots
	b, err := os.ReadFile(slotsPath(dir))
	if errors.Is(err, os.ErrNotExist) {
		return ks, err
	}
	if err != nil {
		return ks, errSlots(dir, fmt.Sprintf("无法读取（%v）", err), fmt.Sprintf("cannot be read (%v)", err))
	}
	if len(b) > 1<<20 {
		return ks, errSlots(dir, "太大，不是密钥槽文件", "is too large to be a key slot file")
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&ks); err != nil || ks.Format != keySlotsFormat || ks.Book == "" || ks.Check == "" {
		return ks, errSlots(dir, "已损坏或被截断", "is damaged or cut short")
	}
	if ks.Version != 1 {
		return ks, errSlots(dir, fmt.Sprintf("的版本 %d 不受支持（请升级阳光账本）", ks.Version), fmt.Sprintf("has version %d, which this program does not know (upgrade Sunledger)", ks.Version))
	}
	if len(ks.Slots) == 0 {
		return ks, errSlots(dir, "里没有任何密钥槽", "holds no slot")
	}
	return ks, nil
}

// writeSlots replaces the key slot file atomically: a temporary file beside it, synced,
// renamed over it, and the folder synced.
func writeSlots(dir string, ks keySlots) error {
	sort.Slice(ks.Slots, func(i, j int) bool { return ks.Slots[i].Name < ks.Slots[j].Name })
	b, err := json.MarshalIndent(ks, "", "  ")
	if err != nil {
		return app.Internal(err)
	}
	f, err := os.CreateTemp(dir, "."+KeySlotsFile+".tmp-")
	if err != nil {
		return app.Errorf(app.EINTERNAL, "无法写入密钥槽文件：%v；没有做任何更改", "cannot write the key slot file: %v; nothing was changed", err)
	}
	tmp := f.Name()
	_, err = f.Write(append(b, '\n'))
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, slotsPath(dir))
	}
	if err != nil {
		os.Remove(tmp)
		return app.Errorf(app.EINTERNAL, "无法写入密钥槽文件：%v；没有做任何更改", "cannot write the key slot file: %v; nothing was changed", err)
	}
	syncDir(dir)
	return nil
}

// bookKeys holds the data key of every encrypted book this process unlocked, by folder.
var bookKeys sync.Map

func absDir(dir string) string {
	if a, err := filepath.Abs(dir); err == nil {
		return filepath.Clean(a)
	}
	return filepath.Clean(dir)
}

// UseKey makes later Open/OpenReadOnly calls on dir use the data key (from Unlock).
func UseKey(dir string, key []byte) { bookKeys.Store(absDir(dir), append([]byte(nil), key...)) }

// ForgetKey drops the data key of dir from this process.
func ForgetKey(dir string) { bookKeys.Delete(absDir(dir)) }

func keyFor(dir string) []byte {
	if v, ok := bookKeys.Load(absDir(dir)); ok {
		return v.([]byte)
	}
	return nil
}

// IsEncrypted reports whether the book in dir is encrypted: it has a key slot file, or
// its store was written with a key (a folder copied without its key slots).
func IsEncrypted(dir string) bool {
	if _, err := os.Stat(slotsPath(dir)); err == nil {
		return true
	}
	return registryEncrypted(dir)
}

func registryEncrypted(dir string) bool {
	if _, err := os.Stat(filepath.Join(dir, badger.KeyRegistryFileName)); err != nil {
		return false
	}
	_, err := badger.OpenKeyRegistry(badger.KeyRegistryOptions{Dir: dir, ReadOnly: true})
	return errors.Is(err, badger.ErrEncryptionKeyMismatch)
}

// SlotNames lists the names that have a key slot (nil for a plain book).
func SlotNames(dir string) ([]string, error) {
	ks, err := readSlots(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var names []string
	for _, s := range ks.Slots {
		names = append(names, s.Name)
	}
	return names, nil
}

// ErrNeedPassphrase is returned when an encrypted book is opened without its key.
func ErrNeedPassphrase(dir string) error {
	return app.Errorf(app.EUNAUTHORIZED, "账本 %s 是加密的：请给出一位成员的姓名和口令（--as 姓名 或 SUNLEDGER_USER；--passphrase-file 文件 或 SUNLEDGER_PASSPHRASE）；没有做任何更改",
		"the book in %s is encrypted: give a member's name and passphrase (--as NAME or SUNLEDGER_USER; --passphrase-file FILE or SUNLEDGER_PASSPHRASE); nothing was changed", dir)
}

// Unlock returns the data key of the encrypted book in dir, unwrapped with member's
// passphrase. With member "" every slot is tried in turn (about half a second each).
// A wrong passphrase is EUNAUTHORIZED; nothing in dir is written.
func Unlock(dir, member, passphrase string) ([]byte, error) {
	ks, err := readSlots(dir)
	if errors.Is(err, os.ErrNotExist) {
		if registryEncrypted(dir) {
			return nil, errSlots(dir, "不见了（数据文件夹是不是被单独复制过来的？）", "is missing (was the data folder copied without it?)")
		}
		return nil, app.Errorf(app.EINVALID, "账本 %s 没有加密，不需要口令", "the book in %s is not encrypted: it needs no passphrase", dir)
	}
	if err != nil {
		return nil, err
	}
	tried := 0
	for _, s := range ks.Slots {
		if member != "" && s.Name != member {
			continue
		}
		tried++
		if key, ok := s.open(ks.Book, passphrase); ok {
			if keyCheck(key) != ks.Check {
				return nil, errSlots(dir, "已损坏（解开的密钥与文件记录不符）", "is damaged (the unwrapped key does not match its record)")
			}
			return key, nil
		}
	}
	if tried == 0 {
		names, _ := SlotNames(dir)
		return nil, app.Errorf(app.EUNAUTHORIZED, "%s 没有这个账本的密钥槽（有密钥槽的成员：%v）；没有做任何更改", "%s has no key slot in this book (members with a slot: %v); nothing was changed", member, names)
	}
	if member == "" {
		return nil, app.Errorf(app.EUNAUTHORIZED, "口令不对：它打不开这个账本的任何密钥槽；没有做任何更改。请检查口令（用 --as 姓名 指明是谁会更快）",
			"wrong passphrase: it opens none of this book's key slots; nothing was changed. Check the passphrase (naming yourself with --as NAME is faster)")
	}
	return nil, app.Errorf(app.EUNAUTHORIZED, "%s 的口令不对，打不开账本；没有做任何更改", "wrong passphrase for %s: the book was not opened; nothing was changed", member)
}

// withBookKey adds the data key of dir to Badger's options, or refuses to open an
// encrypted book without it (or with a key that is not its own).
func withBookKey(opts badger.Options, dir string) (badger.Options, error) {
	key := keyFor(dir)
	_, slotErr := os.Stat(slotsPath(dir))
	hasSlots := slotErr == nil
	if key == nil {
		if hasSlots {
			return opts, ErrNeedPassphrase(dir)
		}
		if registryEncrypted(dir) {
			return opts, errSlots(dir, "不见了（数据文件夹是不是被单独复制过来的？）", "is missing (was the data folder copied without it?)")
		}
		return opts, nil
	}
	if _, err := os.Stat(filepath.Join(dir, badger.KeyRegistryFileName)); err == nil {
		_, err := badger.OpenKeyRegistry(badger.KeyRegistryOptions{Dir: dir, ReadOnly: true, EncryptionKey: key})
		if errors.Is(err, badger.ErrEncryptionKeyMismatch) {
			if !hasSlots {
				return opts, app.Errorf(app.EINVALID, "账本 %s 没有加密，却给了密钥；没有做任何更改", "the book in %s is not encrypted but a key was given; nothing was changed", dir)
			}
			return opts, errSlots(dir, "属于另一个账本（它解开的密钥打不开这里的数据）", "belongs to another book (the key it holds does not open this store)")
		}
	}
	return opts.WithEncryptionKey(key), nil
}

// CreateKeySlots makes dir an encrypted book's folder: a new random data key, wrapped
// for founder with passphrase, written to the key slot file; the key is registered for
// later opens (UseKey) and returned. dir must not hold a store yet.
func CreateKeySlots(dir, founder, passphrase string) ([]byte, error) {
	if founder == "" {
		return nil, app.Errorf(app.EINVALID, "加密账本需要写明第一个密钥槽属于谁（--as 姓名 或 SUNLEDGER_USER）", "an encrypted book needs the name of its first key slot's owner (--as NAME or SUNLEDGER_USER)")
	}
	if _, err := os.Stat(slotsPath(dir)); err == nil {
		return nil, app.Errorf(app.ECONFLICT, "%s 已经有密钥槽文件：账本已经加密", "%s already has a key slot file: the book is encrypted", dir)
	}
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return nil, app.Internal(err)
	}
	id := make([]byte, 16)
	if _, err := rand.Read(id); err != nil {
		return nil, app.Internal(err)
	}
	ks := keySlots{Format: keySlotsFormat, Version: 1, Book: hex.EncodeToString(id), Check: keyCheck(key)}
	s, err := newSlot(ks.Book, founder, passphrase, key, DefaultSlotKDF)
	if err != nil {
		return nil, err
	}
	ks.Slots = []keySlot{s}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, app.Errorf(app.EINVALID, "无法使用数据文件夹 %s：%v", "cannot use the data folder %s: %v", dir, err)
	}
	if err := writeSlots(dir, ks); err != nil {
		return nil, err
	}
	UseKey(dir, key)
	return key, nil
}

// Encrypted reports whether the open book is encrypted.
func (db *DB) Encrypted() bool { return keyFor(db.dir) != nil }

// SetKeySlot adds (or replaces) the key slot of name, wrapping the open book's data key
// with passphrase. A plain book is left alone (ok false).
func (db *DB) SetKeySlot(name, passphrase string) (ok bool, err error) {
	key := keyFor(db.dir)
	if key == nil {
		return false, nil
	}
	ks, err := readSlots(db.dir)
	if err != nil {
		return false, err
	}
	s, err := newSlot(ks.Book, name, passphrase, key, DefaultSlotKDF)
	if err != nil {
		return false, err
	}
	out := ks.Slots[:0]
	for _, o := range ks.Slots {
		if o.Name != name {
			out = append(out, o)
		}
	}
	ks.Slots = append(out, s)
	return true, writeSlots(db.dir, ks)
}

// SyncKeySlots removes the key slot of every member who has left the roster (and of the
// names in also: members removed outright while the roster was open); it never removes
// the last slot. It returns the names removed.
func (db *DB) SyncKeySlots(ctx context.Context, also ...string) ([]string, error) {
	if keyFor(db.dir) == nil {
		return nil, nil
	}
	ms, err := db.MemberService().Members(ctx)
	if err != nil {
		return nil, err
	}
	gone := map[string]bool{}
	for _, m := range ms {
		if m.Removed != "" {
			gone[m.Name] = true
		}
	}
	for _, n := range also {
		gone[n] = true
	}
	for _, m := range ms {
		if m.Removed == "" {
			delete(gone, m.Name) // still (or again) on the roster
		}
	}
	ks, err := readSlots(db.dir)
	if err != nil {
		return nil, err
	}
	var keep []keySlot
	var removed []string
	for _, s := range ks.Slots {
		if gone[s.Name] {
			removed = append(removed, s.Name)
		} else {
			keep = append(keep, s)
		}
	}
	if len(removed) == 0 || len(keep) == 0 {
		return nil, nil
	}
	ks.Slots = keep
	if err := writeSlots(db.dir, ks); err != nil {
		return nil, err
	}
	return removed, db.update(func(tx *Tx) error {
		return tx.audit("sunledger", "keyslot.remove", fmt.Sprint(removed), "")
	})
}
