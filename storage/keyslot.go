package storage

import (
	"bytes"
	"crypto/ecdh"
	"crypto/hmac"
	"crypto/hpke"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"

	"golang.org/x/crypto/argon2"
	"golang.org/x/crypto/chacha20poly1305"

	"sunledger/app"
)

// One member's key slot: its format (1 and 2), sealing and opening (docs/encryption.md).

// SlotKDF are the argon2id parameters of one slot (stored with it, so they can change).
type SlotKDF struct {
	Time      uint32 `json:"time"`
	MemoryKiB uint32 `json:"memory_kib"`
	Threads   uint8  `json:"threads"`
}

// DefaultSlotKDF takes about half a second on a 2-core laptop. Tests lower it.
var DefaultSlotKDF = SlotKDF{Time: 3, MemoryKiB: 64 << 10, Threads: 2}

// kdf is the slot's parameters as app.KDF, whose Check bounds what a slot file may ask
// for (app.MaxKDF).
func (k SlotKDF) kdf() app.KDF {
	return app.KDF{Name: "argon2id", Time: k.Time, MemoryKiB: k.MemoryKiB, Threads: k.Threads}
}

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
	if k.kdf().Check() != nil || len(s.Nonce) != chacha20poly1305.NonceSizeX || len(s.Salt) < 8 {
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
