package storage

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"sync"

	"github.com/dgraph-io/badger/v4"

	"sunledger/app"
)

// An encrypted book is a Badger store encrypted (Badger's own AES encryption) under a
// random 32-byte data key. The data key is never derived from a passphrase and is never
// written in the clear: KeySlotsFile, beside the store inside the data folder, holds it
// once per member. A slot of format 2 holds the member's X25519 key pair — the public
// key in the clear, the private key sealed (XChaCha20-Poly1305) under a key derived from
// the member's passphrase by argon2id — and the data key sealed to that public key
// (HPKE). So whoever holds the data key can seal a new one to every member without
// their passphrases, which is how removing a member changes the key (rotate.go). A slot
// of format 1 (books made before) holds the data key sealed under the passphrase key
// directly; it still opens, and is upgraded to format 2 when its member next unlocks.
// Any member's passphrase opens the book; changing one passphrase rewrites one slot.
// A book without KeySlotsFile is a plain book. The whole format: docs/encryption.md.

// KeySlotsFile is the name of the key slot file in the data folder.
const KeySlotsFile = "keyslots.json"

const keySlotsFormat = "sunledger-keyslots"

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
	if ks.Version != 1 && ks.Version != 2 {
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
	// Version 1 while every slot is of format 1, so that a book nobody has unlocked
	// since the upgrade still opens in the program before it.
	ks.Version = 1
	for _, s := range ks.Slots {
		if s.v2() {
			ks.Version = 2
		}
	}
	if len(ks.Pending) > 0 {
		ks.Version = 2
	}
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

// registryEncrypted reports whether the store's KEYREGISTRY was written with an
// encryption key: its check text does not read "Hello Badger" in the clear. A plain
// book's registry with a byte or two flipped is not encrypted but damaged
// (plainRegistryDamaged): an encrypted check text looks random, differing from the
// clear text in nearly every byte.
func registryEncrypted(dir string) bool {
	if _, err := os.Stat(filepath.Join(dir, badger.KeyRegistryFileName)); err != nil {
		return false
	}
	_, err := badger.OpenKeyRegistry(badger.KeyRegistryOptions{Dir: dir, ReadOnly: true})
	return errors.Is(err, badger.ErrEncryptionKeyMismatch) && !plainRegistryDamaged(dir)
}

// registryCheckText is what Badger writes after the registry's 16-byte IV, in the clear
// for a plain store, encrypted with the store's key otherwise.
var registryCheckText = []byte("Hello Badger")

// plainRegistryDamaged reports whether dir's KEYREGISTRY is a plain store's with its
// check text damaged (up to a third of its bytes changed).
func plainRegistryDamaged(dir string) bool {
	b, err := os.ReadFile(filepath.Join(dir, badger.KeyRegistryFileName))
	const iv = 16
	if err != nil || len(b) < iv+len(registryCheckText) {
		return false
	}
	diff := 0
	for i, c := range registryCheckText {
		if b[iv+i] != c {
			diff++
		}
	}
	return diff > 0 && diff <= len(registryCheckText)/3
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
		key, kek, res := s.open(ks.Book, passphrase)
		switch {
		case res == slotDamaged:
			return nil, errSlots(dir, fmt.Sprintf("中 %s 的密钥槽已损坏或被改动过（口令是对的，但槽里的公钥或封存的密钥不对）", s.Name),
				fmt.Sprintf("holds a damaged or altered key slot for %s (the passphrase is right but the slot's public key or sealed key is not)", s.Name))
		case res != slotOpened:
			continue
		case keyCheck(key) != ks.Check:
			return nil, errSlots(dir, "已损坏（解开的密钥与文件记录不符）", "is damaged (the unwrapped key does not match its record)")
		}
		if !s.v2() {
			upgradeSlot(dir, s, ks.Book, kek, key)
		}
		return key, nil
	}
	if tried == 0 {
		names, _ := SlotNames(dir)
		return nil, app.Errorf(app.EUNAUTHORIZED, "%s 没有这个账本的密钥槽（有密钥槽的成员：%v）；没有做任何更改", "%s has no key slot in this book (members with a slot: %v); nothing was changed", member, names)
	}
	var e *app.Error
	if member == "" {
		e = app.Errorf(app.EUNAUTHORIZED, "口令不对：它打不开这个账本的任何密钥槽；没有做任何更改。请检查口令（用 --as 姓名 指明是谁会更快）",
			"wrong passphrase: it opens none of this book's key slots; nothing was changed. Check the passphrase (naming yourself with --as NAME is faster)")
	} else {
		e = app.Errorf(app.EUNAUTHORIZED, "%s 的口令不对，打不开账本；没有做任何更改", "wrong passphrase for %s: the book was not opened; nothing was changed", member)
	}
	e.Err = app.ErrPassphrase
	return nil, e
}

// upgradeSlot replaces the format-1 slot s, just opened, by a format-2 slot of the same
// member with the same passphrase (its key pair is new). It is done only while no program
// has the book open (the folder's lock is held meanwhile) and only if the file still holds
// s as it was; otherwise, or on any failure, the slot stays as it is: it still opens, and
// the upgrade is tried at the next unlock.
func upgradeSlot(dir string, s keySlot, book string, kek, key []byte) {
	withFolderLock(dir, func() {
		ks, err := readSlots(dir)
		if err != nil || ks.Book != book || ks.Check != keyCheck(key) {
			return
		}
		for i, o := range ks.Slots {
			if o.Name != s.Name {
				continue
			}
			if !bytes.Equal(o.Wrapped, s.Wrapped) || o.v2() {
				return
			}
			ns, err := newSlotKEK(book, s.Name, s.Salt, s.KDF, kek, key)
			if err != nil {
				return
			}
			ks.Slots[i] = ns
			writeSlots(dir, ks)
			return
		}
	})
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
			return opts, errSlots(dir, "属于另一个账本，或是移除成员更换密钥之前的旧副本（它解开的密钥打不开这里的数据）", "belongs to another book, or is an old copy from before a removal changed the key (the key it holds does not open this store)")
		}
	}
	return opts.WithEncryptionKey(key).WithBlockCacheSize(writingBlockCache), nil
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
