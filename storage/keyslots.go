package storage

import (
	"bytes"
	"context"
	"crypto/ecdh"
	"crypto/hmac"
	"crypto/hpke"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
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

// keySlot is one member's copy of the data key. Format 1 (Public empty): Wrapped is the
// data key sealed under the passphrase key. Format 2: Wrapped is the member's X25519
// private key sealed under the passphrase key, Public its public key, Sealed the data
// key sealed to Public (HPKE), and MAC an HMAC of the public key under the data key, so
// that whoever seals a new data key can tell a public key swapped in by someone who
// does not hold the key.
type keySlot struct {
	Name    string  `json:"name"`
	Salt    []byte  `json:"salt"`
	KDF     SlotKDF `json:"kdf"`
	Nonce   []byte  `json:"nonce"`
	Wrapped []byte  `json:"wrapped"`
	Public  []byte  `json:"public,omitempty"`
	Sealed  []byte  `json:"sealed,omitempty"`
	MAC     []byte  `json:"mac,omitempty"`
}

type keySlots struct {
	Format  string `json:"format"`
	Version int    `json:"version"`
	// Book is a random id of the encrypted book; Check a short fingerprint of the data
	// key (not enough to guess it) that tells a damaged slot from a wrong passphrase.
	Book  string    `json:"book"`
	Check string    `json:"check"`
	Slots []keySlot `json:"slots"`
	// Pending names members whose removal is under way or done while the data key has
	// not been changed yet (rotate.go): the next command that writes changes it.
	Pending []string `json:"rotate_pending,omitempty"`
}

// v2 reports whether the slot holds a key pair (format 2).
func (s keySlot) v2() bool { return len(s.Public) > 0 }

func keyCheck(key []byte) string {
	h := sha256.Sum256(append([]byte("sunledger keycheck\x00"), key...))
	return hex.EncodeToString(h[:8])
}

func slotAAD(book, name string) []byte {
	return []byte("sunledger keyslot v1\x00" + book + "\x00" + name)
}

// slotPrivateAAD binds a format-2 slot's sealed private key to the book and the name.
func slotPrivateAAD(book, name string) []byte {
	return []byte("sunledger keyslot v2 private\x00" + book + "\x00" + name)
}

// slotSealInfo is the HPKE info of the data key sealed to a member's public key.
func slotSealInfo(book, name string) []byte {
	return []byte("sunledger keyslot v2 data key\x00" + book + "\x00" + name)
}

func slotMAC(key []byte, book, name string, public []byte) []byte {
	h := hmac.New(sha256.New, key)
	h.Write([]byte("sunledger keyslot v2 public\x00" + book + "\x00" + name + "\x00"))
	h.Write(public)
	return h.Sum(nil)
}

// slotKEM is the key encapsulation of format-2 slots: DHKEM(X25519, HKDF-SHA256), with
// HKDF-SHA256 and ChaCha20-Poly1305 (HPKE, RFC 9180).
var slotKEM = hpke.DHKEM(ecdh.X25519())

func slotKEK(pass string, salt []byte, k SlotKDF) []byte {
	return argon2.IDKey([]byte(pass), salt, k.Time, k.MemoryKiB, k.Threads, chacha20poly1305.KeySize)
}

func newSlot(book, name, pass string, key []byte, k SlotKDF) (keySlot, error) {
	if err := app.ValidatePassphrase(pass); err != nil {
		return keySlot{}, err
	}
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return keySlot{}, app.Internal(err)
	}
	return newSlotKEK(book, name, salt, k, slotKEK(pass, salt, k), key)
}

// newSlotKEK makes a format-2 slot: a new key pair, its private key sealed under kek
// (derived from the passphrase with salt and k), and the data key sealed to it.
func newSlotKEK(book, name string, salt []byte, k SlotKDF, kek, key []byte) (keySlot, error) {
	s := keySlot{Name: name, KDF: k, Salt: salt, Nonce: make([]byte, chacha20poly1305.NonceSizeX)}
	if _, err := rand.Read(s.Nonce); err != nil {
		return s, app.Internal(err)
	}
	priv, err := slotKEM.GenerateKey()
	if err != nil {
		return s, app.Internal(err)
	}
	pb, err := priv.Bytes()
	if err != nil {
		return s, app.Internal(err)
	}
	aead, err := chacha20poly1305.NewX(kek)
	if err != nil {
		return s, app.Internal(err)
	}
	s.Wrapped = aead.Seal(nil, s.Nonce, pb, slotPrivateAAD(book, name))
	s.Public = priv.PublicKey().Bytes()
	return s, s.sealTo(book, key)
}

// sealTo seals the data key to the slot's public key (format 2), and marks the public
// key with key.
func (s *keySlot) sealTo(book string, key []byte) error {
	pub, err := slotKEM.NewPublicKey(s.Public)
	if err != nil {
		return app.Errorf(app.EINVALID, "%s 的密钥槽里的公钥无效（%v）", "the public key in the key slot of %s is not valid (%v)", s.Name, err)
	}
	ct, err := hpke.Seal(pub, hpke.HKDFSHA256(), hpke.ChaCha20Poly1305(), slotSealInfo(book, s.Name), key)
	if err != nil {
		return app.Errorf(app.EINVALID, "无法为 %s 封存数据密钥（%v）", "cannot seal the data key to %s (%v)", s.Name, err)
	}
	s.Sealed, s.MAC = ct, slotMAC(key, book, s.Name, s.Public)
	return nil
}

// macOK reports whether the slot's public key was marked with key (format 2).
func (s keySlot) macOK(book string, key []byte) bool {
	return s.v2() && hmac.Equal(s.MAC, slotMAC(key, book, s.Name, s.Public))
}

// slotOpen is what opening a slot with a passphrase found.
type slotOpen int

const (
	slotOpened    slotOpen = iota
	slotWrongPass          // the passphrase does not open the slot
	slotDamaged            // the passphrase opens it, but what it holds is not right
)

// open unwraps the data key with pass, and returns the passphrase key too (to upgrade a
// format-1 slot without a second argon2id run).
func (s keySlot) open(book, pass string) (key, kek []byte, res slotOpen) {
	k := s.KDF
	if k.Time == 0 || k.Time > maxSlotKDF.Time || k.MemoryKiB < 8 || k.MemoryKiB > maxSlotKDF.MemoryKiB || k.Threads == 0 || k.Threads > maxSlotKDF.Threads ||
		len(s.Nonce) != chacha20poly1305.NonceSizeX || len(s.Salt) < 8 {
		return nil, nil, slotWrongPass
	}
	kek = slotKEK(pass, s.Salt, k)
	aead, err := chacha20poly1305.NewX(kek)
	if err != nil {
		return nil, nil, slotWrongPass
	}
	if !s.v2() {
		key, err := aead.Open(nil, s.Nonce, s.Wrapped, slotAAD(book, s.Name))
		if err != nil || len(key) != 32 {
			return nil, nil, slotWrongPass
		}
		return key, kek, slotOpened
	}
	pb, err := aead.Open(nil, s.Nonce, s.Wrapped, slotPrivateAAD(book, s.Name))
	if err != nil {
		return nil, nil, slotWrongPass
	}
	// The passphrase is right from here on: anything wrong is damage (or tampering).
	priv, err := slotKEM.NewPrivateKey(pb)
	if err != nil || !bytes.Equal(priv.PublicKey().Bytes(), s.Public) {
		return nil, nil, slotDamaged
	}
	key, err = hpke.Open(priv, hpke.HKDFSHA256(), hpke.ChaCha20Poly1305(), slotSealInfo(book, s.Name), s.Sealed)
	if err != nil || len(key) != 32 || !s.macOK(book, key) {
		return nil, nil, slotDamaged
	}
	return key, kek, slotOpened
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
	if member == "" {
		return nil, app.Errorf(app.EUNAUTHORIZED, "口令不对：它打不开这个账本的任何密钥槽；没有做任何更改。请检查口令（用 --as 姓名 指明是谁会更快）",
			"wrong passphrase: it opens none of this book's key slots; nothing was changed. Check the passphrase (naming yourself with --as NAME is faster)")
	}
	return nil, app.Errorf(app.EUNAUTHORIZED, "%s 的口令不对，打不开账本；没有做任何更改", "wrong passphrase for %s: the book was not opened; nothing was changed", member)
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

// goneFromRoster is the set of names whose key slots must go: members removed from a
// sealed roster (still listed, with Removed set), names in also, and names marked pending
// in the slot file (a removal under way) that are no longer active members. A name that
// is (again) an active member never goes.
func goneFromRoster(ms []app.Member, ks keySlots, also ...string) map[string]bool {
	gone := map[string]bool{}
	for _, m := range ms {
		if m.Removed != "" {
			gone[m.Name] = true
		}
	}
	for _, n := range also {
		gone[n] = true
	}
	for _, n := range ks.Pending {
		gone[n] = true
	}
	for _, m := range ms {
		if m.Removed == "" {
			delete(gone, m.Name) // still (or again) on the roster
		}
	}
	return gone
}

// MarkKeySlotRemoval records in the slot file, before an immediate removal of name from
// the roster (an open roster deletes the member outright), that the data key must change
// once the removal is done; a program killed between the two then finishes the job at its
// next command (RotationPending). Nothing is marked for a plain book or for a name that
// is not an active member holding a slot. UnmarkKeySlotRemoval takes the mark back when
// the removal was refused.
func (db *DB) MarkKeySlotRemoval(ctx context.Context, name string) error {
	return db.markPending(ctx, name, true)
}

// UnmarkKeySlotRemoval takes back MarkKeySlotRemoval's mark (the removal was refused).
func (db *DB) UnmarkKeySlotRemoval(ctx context.Context, name string) error {
	return db.markPending(ctx, name, false)
}

func (db *DB) markPending(ctx context.Context, name string, on bool) error {
	if keyFor(db.dir) == nil {
		return nil
	}
	ks, err := readSlots(db.dir)
	if err != nil {
		return err
	}
	has := false
	for _, s := range ks.Slots {
		has = has || s.Name == name
	}
	marked := slices.Contains(ks.Pending, name)
	if !on {
		if !marked {
			return nil
		}
		ks.Pending = slices.DeleteFunc(ks.Pending, func(n string) bool { return n == name })
		return writeSlots(db.dir, ks)
	}
	if !has || marked {
		return nil
	}
	ms, err := db.MemberService().Members(ctx)
	if err != nil {
		return err
	}
	if !slices.ContainsFunc(ms, func(m app.Member) bool { return m.Name == name && m.Removed == "" }) {
		return nil // not an active member: the removal will be refused
	}
	ks.Pending = append(ks.Pending, name)
	return writeSlots(db.dir, ks)
}

// SyncKeySlots removes the key slot of every member who has left the roster (and of the
// names in also: members removed outright while the roster was open); it never removes
// the last slot. The names removed stay marked in the slot file until the data key is
// changed (RotateKey, rotate.go). It returns the names removed.
func (db *DB) SyncKeySlots(ctx context.Context, also ...string) ([]string, error) {
	if keyFor(db.dir) == nil {
		return nil, nil
	}
	ms, err := db.MemberService().Members(ctx)
	if err != nil {
		return nil, err
	}
	ks, err := readSlots(db.dir)
	if err != nil {
		return nil, err
	}
	gone := goneFromRoster(ms, ks, also...)
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
	for _, n := range removed {
		if !slices.Contains(ks.Pending, n) {
			ks.Pending = append(ks.Pending, n)
		}
	}
	if err := writeSlots(db.dir, ks); err != nil {
		return nil, err
	}
	return removed, db.update(func(tx *Tx) error {
		return tx.audit("sunledger", "keyslot.remove", fmt.Sprint(removed), "")
	})
}

// RotationPending reports whether the data key of the open book must still change after
// a removal: a removed member still holds a slot (a program stopped between the removal
// and its key slot's), or the slot file marks a removal whose key change was not done.
func (db *DB) RotationPending(ctx context.Context) (bool, error) {
	if keyFor(db.dir) == nil {
		return false, nil
	}
	ks, err := readSlots(db.dir)
	if err != nil {
		return false, err
	}
	ms, err := db.MemberService().Members(ctx)
	if err != nil {
		return false, err
	}
	gone := goneFromRoster(ms, ks)
	for _, s := range ks.Slots {
		if gone[s.Name] {
			return true, nil
		}
	}
	for _, n := range ks.Pending {
		if gone[n] {
			return true, nil
		}
	}
	return false, nil
}
