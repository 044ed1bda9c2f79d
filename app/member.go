package app

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"io"
	"strings"
	"time"
	"unicode"

	"golang.org/x/crypto/argon2"
	"golang.org/x/crypto/chacha20poly1305"
)

// Role is what a member may do in the approval chain (审批流程) of expenses.
type Role string

const (
	RoleChair     Role = "chair"     // 主任: signs approvals
	RoleTreasurer Role = "treasurer" // 财务委员: signs approvals, pays what others approved
	RoleMember    Role = "member"    // 委员: signs approvals
	RoleReviewer  Role = "reviewer"  // 社区复核人: the community's re-review (社区复核)
	RoleClerk     Role = "clerk"     // 物业经办人: the property company's clerk, applies
)

// Roles in the order lists show them.
var Roles = []Role{RoleChair, RoleTreasurer, RoleMember, RoleReviewer, RoleClerk}

// ParseRole reads a role as typed: the English code or the Chinese name.
func ParseRole(s string) (Role, error) {
	s = strings.TrimSpace(strings.ToLower(s))
	for _, r := range Roles {
		if s == string(r) || s == r.zh() {
			return r, nil
		}
	}
	switch s {
	case "主任委员", "业委会主任":
		return RoleChair, nil
	case "财务", "出纳":
		return RoleTreasurer, nil
	case "社区", "复核", "复核人":
		return RoleReviewer, nil
	case "物业", "经办", "经办人":
		return RoleClerk, nil
	}
	return "", Errorf(EINVALID, "未知的角色 %q：应为 chair（主任）、treasurer（财务委员）、member（委员）、reviewer（社区复核人）或 clerk（物业经办人）",
		"unknown role %q: use chair, treasurer, member, reviewer or clerk", s)
}

func (r Role) zh() string {
	switch r {
	case RoleChair:
		return "主任"
	case RoleTreasurer:
		return "财务委员"
	case RoleMember:
		return "委员"
	case RoleReviewer:
		return "社区复核人"
	case RoleClerk:
		return "物业经办人"
	}
	return string(r)
}

// Label is the role's name in the user's language.
func (r Role) Label() string {
	switch r {
	case RoleChair:
		return T("主任", "chair")
	case RoleTreasurer:
		return T("财务委员", "treasurer")
	case RoleMember:
		return T("委员", "committee member")
	case RoleReviewer:
		return T("社区复核人", "community reviewer")
	case RoleClerk:
		return T("物业经办人", "property-company clerk")
	}
	return string(r)
}

// Committee reports whether the role is a member of the owners' committee: only they
// sign the committee's approval (双人审核、联签).
func (r Role) Committee() bool { return r == RoleChair || r == RoleTreasurer || r == RoleMember }

// Pays reports whether the role makes payments: only the treasurer (财务委员) pays an
// expense, and never one they applied for or approved (Expense.Check, 不相容职务分离).
func (r Role) Pays() bool { return r == RoleTreasurer }

// KDF are the parameters of the key-derivation function that turns a passphrase into
// the key that seals a member's signing key. Argon2id with 64 MiB and one pass takes a
// fraction of a second on a committee laptop: slow enough to make guessing expensive,
// fast enough that signing a stack of requests does not feel slow. (minisign's 1 GiB
// scrypt would make each signature take seconds.)
type KDF struct {
	Name      string `json:"name"` // "argon2id"
	Time      uint32 `json:"time"`
	MemoryKiB uint32 `json:"memory_kib"`
	Threads   uint8  `json:"threads"`
}

// DefaultKDF seals new keys. Tests may lower it; the parameters are stored with each key.
var DefaultKDF = KDF{Name: "argon2id", Time: 1, MemoryKiB: 64 * 1024, Threads: 4}

// MaxKDF bounds the argon2id parameters read from any file — a member's sealed key, a
// book's key slot, a backup's header — so that a damaged or hostile file cannot make an
// unlock take hours or take all the memory. The one place these bounds live.
var MaxKDF = KDF{Name: "argon2id", Time: 64, MemoryKiB: 1 << 20, Threads: 16}

// Check refuses parameters Sunledger does not derive keys with: another function than
// argon2id, or costs of zero or beyond MaxKDF.
func (k KDF) Check() error {
	if k.Name != "argon2id" || k.Time == 0 || k.Time > MaxKDF.Time || k.MemoryKiB < 8 || k.MemoryKiB > MaxKDF.MemoryKiB ||
		k.Threads == 0 || k.Threads > MaxKDF.Threads {
		return Errorf(EINVALID, "不支持的密钥保护参数", "unsupported key-protection parameters")
	}
	return nil
}

// Key derives a 32-byte key from the passphrase and salt with argon2id, once Check
// passes.
func (k KDF) Key(passphrase string, salt []byte) ([]byte, error) {
	if err := k.Check(); err != nil {
		return nil, err
	}
	return argon2.IDKey([]byte(passphrase), salt, k.Time, k.MemoryKiB, k.Threads, chacha20poly1305.KeySize), nil
}

// SealedKey is a member's Ed25519 secret key encrypted with a key derived from their
// passphrase (XChaCha20-Poly1305). The member's name is bound in as associated data, so
// one member's sealed key copied onto another's record does not open.
type SealedKey struct {
	KDF   KDF    `json:"kdf"`
	Salt  []byte `json:"salt"`
	Nonce []byte `json:"nonce"`
	Box   []byte `json:"box"`
}

// Member is a person who acts in the approval chain: a committee member (主任、财务委员、
// 委员), the community's reviewer (社区复核人) or the property company's clerk (物业经办人).
// Each has an Ed25519 key pair; a signature on an expense request is made with the
// secret key, which only the member's passphrase unseals, and checked with PublicKey.
type Member struct {
	Name      string            `json:"name"`
	Role      Role              `json:"role"`
	PublicKey ed25519.PublicKey `json:"public_key"`
	Sealed    SealedKey         `json:"sealed"`
	Created   time.Time         `json:"created"`
	// Request is the roster change that admitted the member after the roster was sealed
	// ("" = a founding member); Removed the one that took them off the roster.
	Request string `json:"request,omitempty"`
	Removed string `json:"removed,omitempty"`
	// History is every role the member held, once a roster change touched them (empty
	// for a founding member never changed: they hold Role from the start).
	History []RoleSpan `json:"history,omitempty"`
}

// MinPassphrase is the shortest passphrase accepted.
const MinPassphrase = 4

// ValidatePassphrase checks a new passphrase.
func ValidatePassphrase(p string) error {
	if len([]rune(p)) < MinPassphrase {
		return Errorf(EINVALID, "口令太短：至少 %d 个字符", "the passphrase is too short: at least %d characters", MinPassphrase)
	}
	if len(p) > 1024 {
		return Errorf(EINVALID, "口令太长", "the passphrase is too long")
	}
	return nil
}

// ValidateMemberName checks a member's name as typed.
func ValidateMemberName(name string) error {
	if strings.TrimSpace(name) == "" {
		return Errorf(EINVALID, "成员需要姓名", "a member needs a name")
	}
	if strings.TrimSpace(name) != name {
		return Errorf(EINVALID, "姓名 %q 不能以空格开头或结尾", "the name %q must not start or end with a space", name)
	}
	if len([]rune(name)) > 50 {
		return Errorf(EINVALID, "姓名太长（最多 50 字）", "the name is too long (50 characters at most)")
	}
	for _, r := range name {
		if unicode.IsControl(r) || r == '"' {
			return Errorf(EINVALID, "姓名 %q 含有不允许的字符", "the name %q contains a character that is not allowed", name)
		}
	}
	return nil
}

// Validate checks a member record.
func (m Member) Validate() error {
	if err := ValidateMemberName(m.Name); err != nil {
		return err
	}
	if _, err := ParseRole(string(m.Role)); err != nil {
		return err
	}
	if len(m.PublicKey) != ed25519.PublicKeySize {
		return Errorf(EINVALID, "成员 %s 没有有效的公钥", "member %s has no valid public key", m.Name)
	}
	return nil
}

// NewMember makes a member with a fresh key pair sealed with passphrase. rnd is the
// randomness (nil = crypto/rand).
func NewMember(name string, role Role, passphrase string, rnd io.Reader) (Member, error) {
	return NewMemberKDF(name, role, passphrase, DefaultKDF, rnd)
}

// NewMemberKDF is NewMember with the key derivation given: the demo seals its members'
// keys with a light one, since it signs hundreds of times.
func NewMemberKDF(name string, role Role, passphrase string, kdf KDF, rnd io.Reader) (Member, error) {
	if rnd == nil {
		rnd = rand.Reader
	}
	if err := ValidateMemberName(name); err != nil {
		return Member{}, err
	}
	role, err := ParseRole(string(role))
	if err != nil {
		return Member{}, err
	}
	if err := ValidatePassphrase(passphrase); err != nil {
		return Member{}, err
	}
	pub, priv, err := ed25519.GenerateKey(rnd)
	if err != nil {
		return Member{}, Internal(err)
	}
	m := Member{Name: name, Role: role, PublicKey: pub}
	if m.Sealed, err = sealKey(name, priv.Seed(), passphrase, kdf, rnd); err != nil {
		return Member{}, err
	}
	return m, nil
}

func (k KDF) derive(passphrase string, salt []byte) ([]byte, error) { return k.Key(passphrase, salt) }

func sealAD(name string) []byte { return []byte("sunledger-member-key-v1\x00" + name) }

func sealKey(name string, seed []byte, passphrase string, kdf KDF, rnd io.Reader) (SealedKey, error) {
	s := SealedKey{KDF: kdf, Salt: make([]byte, 16), Nonce: make([]byte, chacha20poly1305.NonceSizeX)}
	if _, err := io.ReadFull(rnd, s.Salt); err != nil {
		return s, Internal(err)
	}
	if _, err := io.ReadFull(rnd, s.Nonce); err != nil {
		return s, Internal(err)
	}
	key, err := kdf.derive(passphrase, s.Salt)
	if err != nil {
		return s, err
	}
	aead, err := chacha20poly1305.NewX(key)
	if err != nil {
		return s, Internal(err)
	}
	s.Box = aead.Seal(nil, s.Nonce, seed, sealAD(name))
	return s, nil
}

// ErrWrongPassphrase is the refusal for a passphrase that does not open a member's key.
func ErrWrongPassphrase(name string) error {
	e := Errorf(EUNAUTHORIZED, "%s 的口令不正确，未签名（本次尝试已记入操作日志）", "wrong passphrase for %s: nothing was signed (the attempt is in the audit log)", name)
	e.Err = ErrPassphrase
	return e
}

// ErrPassphrase is the cause under every refusal of a wrong passphrase (a signature,
// the desk's sign-in, opening an encrypted book), so that callers can count them
// (WrongPassphrase) whatever the message says.
var ErrPassphrase = errors.New("wrong passphrase")

// WrongPassphrase reports whether err refuses a wrong passphrase.
func WrongPassphrase(err error) bool { return errors.Is(err, ErrPassphrase) }

// PassphraseDelay is how long the next try waits after the n-th wrong passphrase in a
// row: twice as long each time, 1 s, 2 s, 4 s … up to a minute, so that guessing a
// passphrase at the desk takes years while a typing mistake costs a second. The window's
// sign-in and unlock screens count the failures of the session; the CLI counts them
// across runs in the book's folder (storage.PassphraseWait).
func PassphraseDelay(n int) time.Duration {
	if n <= 0 {
		return 0
	}
	if n > 7 {
		return time.Minute
	}
	return min(time.Second<<(n-1), time.Minute)
}

// Unlock opens the member's secret key with their passphrase; EUNAUTHORIZED if the
// passphrase is wrong.
func (m Member) Unlock(passphrase string) (ed25519.PrivateKey, error) {
	key, err := m.Sealed.KDF.derive(passphrase, m.Sealed.Salt)
	if err != nil {
		return nil, err
	}
	aead, err := chacha20poly1305.NewX(key)
	if err != nil || len(m.Sealed.Nonce) != aead.NonceSize() {
		return nil, ErrWrongPassphrase(m.Name)
	}
	seed, err := aead.Open(nil, m.Sealed.Nonce, m.Sealed.Box, sealAD(m.Name))
	if err != nil || len(seed) != ed25519.SeedSize {
		return nil, ErrWrongPassphrase(m.Name)
	}
	priv := ed25519.NewKeyFromSeed(seed)
	if !priv.Public().(ed25519.PublicKey).Equal(m.PublicKey) {
		return nil, Errorf(EUNAUTHORIZED, "%s 的密钥与登记的公钥不符：成员记录可能被改动过", "the key of %s does not match the registered public key: the member record may have been altered", m.Name)
	}
	return priv, nil
}

// Reseal returns the member with their key sealed under a new passphrase; the key pair
// (and so every signature made with it) stays the same.
func (m Member) Reseal(oldPass, newPass string, rnd io.Reader) (Member, error) {
	if rnd == nil {
		rnd = rand.Reader
	}
	priv, err := m.Unlock(oldPass)
	if err != nil {
		return m, err
	}
	if err := ValidatePassphrase(newPass); err != nil {
		return m, err
	}
	m.Sealed, err = sealKey(m.Name, priv.Seed(), newPass, DefaultKDF, rnd)
	return m, err
}

// MemberService keeps the members of the approval chain (see RosterService for the
// seal and the signing of roster changes).
type MemberService interface {
	RosterService
	// AddMember adds a member made with NewMember. While the founding roster is open
	// the member is added at once and the returned change is zero; once it is sealed,
	// the result is a pending roster change (its ID set) that takes effect when signed.
	// ECONFLICT if the name is taken or already has a pending change, EINVALID for a
	// bad record.
	AddMember(ctx context.Context, m Member, who, why string) (RosterChange, error)
	// RemoveMember takes a member off the roster (their record and past signatures
	// stay); after the seal it files a roster change, like AddMember.
	RemoveMember(ctx context.Context, name, who, reason string) (RosterChange, error)
	// ChangeRole gives a member another role; after the seal it files a roster change.
	ChangeRole(ctx context.Context, name string, role Role, who, why string) (RosterChange, error)
	// Members lists the members by name.
	Members(ctx context.Context) ([]Member, error)
	// Member returns one member; ENOTFOUND if there is none by that name.
	Member(ctx context.Context, name string) (Member, error)
	// ChangePassphrase reseals a member's key; EUNAUTHORIZED (audited) for a wrong old
	// passphrase.
	ChangePassphrase(ctx context.Context, name, oldPass, newPass string) error
	// VerifyPassphrase checks that the passphrase opens the member's sealed key (the
	// window's sign-in); EUNAUTHORIZED (audited as a refusal) if it does not, ENOTFOUND
	// for no such member, EINVALID for a member removed from the roster. Nothing is
	// written on success.
	VerifyPassphrase(ctx context.Context, name, passphrase string) error
}
