package app

import (
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

// The roster (成员名单) is who may sign in the approval chain. While the committee sets
// the book up, the founding members are added freely. Sealing the roster (explicitly, or
// automatically by the first expense request) fixes the founding members by a hash of
// their names, roles and public keys; from then on adding a member, removing one or
// changing a role is a roster-change request (成员变更申请) that takes effect only once
// two committee members other than the member concerned have signed it, and the
// community reviewer too when the reviewer role is concerned. Signatures are Ed25519
// over CanonicalRosterChange, like expense signatures.

// RosterSeal records when the founding roster was sealed and what it was.
type RosterSeal struct {
	At      time.Time `json:"at"`
	By      string    `json:"by"`
	Why     string    `json:"why,omitempty"`
	Members int       `json:"members"`
	// Hash is the hex SHA-256 of FoundingRoster over the founding members. Every expense
	// request and roster change carries it under its signatures, so rewriting the
	// founding roster breaks every signature made since.
	Hash string `json:"hash"`
}

// RoleSpan is a stretch of time in which a member held a role. From is zero for a
// founding member's first role; Until is zero while the role lasts.
type RoleSpan struct {
	Role    Role      `json:"role"`
	From    time.Time `json:"from"`
	Until   time.Time `json:"until"`
	Request string    `json:"request,omitempty"` // the roster change that began it ("" = founding)
}

// FoundingRole is the role the member held when the roster was sealed, or the role
// they were admitted with.
func (m Member) FoundingRole() Role {
	if len(m.History) > 0 {
		return m.History[0].Role
	}
	return m.Role
}

// Active reports whether the member is still on the roster.
func (m Member) Active() bool { return m.Removed == "" }

// HeldRoleAt reports whether the member held role at time t (bounds inclusive, to the
// second, since signatures are timed to the second).
func (m Member) HeldRoleAt(role Role, t time.Time) bool {
	if len(m.History) == 0 {
		return m.Role == role && m.Active()
	}
	t = t.UTC().Truncate(time.Second)
	for _, s := range m.History {
		if s.Role != role {
			continue
		}
		if !s.From.IsZero() && t.Before(s.From) {
			continue
		}
		if !s.Until.IsZero() && t.After(s.Until) {
			continue
		}
		return true
	}
	return false
}

// FoundingRoster is the text whose SHA-256 seals the founding roster: one line per
// founding member, sorted by name:
//
//	sunledger-roster-founding-v1
//	member "张建国" "chair" <base64 public key>
func FoundingRoster(members []Member) []byte {
	ms := append([]Member(nil), members...)
	sort.Slice(ms, func(i, j int) bool { return ms[i].Name < ms[j].Name })
	b := []byte("sunledger-roster-founding-v1\n")
	for _, m := range ms {
		b = append(b, "member "...)
		b = strconv.AppendQuote(b, m.Name)
		b = append(b, ' ')
		b = strconv.AppendQuote(b, string(m.FoundingRole()))
		b = append(b, ' ')
		b = append(b, base64.StdEncoding.EncodeToString(m.PublicKey)...)
		b = append(b, '\n')
	}
	return b
}

// FoundingHash is the hex SHA-256 of FoundingRoster over the members that have no
// admitting request.
func FoundingHash(members []Member) (hash string, n int) {
	var founding []Member
	for _, m := range members {
		if m.Request == "" {
			founding = append(founding, m)
		}
	}
	sum := sha256.Sum256(FoundingRoster(founding))
	return hex.EncodeToString(sum[:]), len(founding)
}

// CanSeal says whether the roster may be sealed: sealing needs two committee members,
// without whom no roster change could ever be approved.
func CanSeal(members []Member) error {
	n := 0
	for _, m := range members {
		if m.Active() && m.Role.Committee() {
			n++
		}
	}
	if n < 2 {
		return Errorf(EINVALID, "名单里只有 %d 位业委会成员：封存名单（以及第一份支出申请）之前至少要有两位（主任、财务委员或委员），否则以后无法联签任何变更；没有做任何更改",
			"the roster has only %d committee members: sealing it (and so the first expense request) needs at least two (chair, treasurer or member), or no change could ever be signed; nothing was changed", n)
	}
	return nil
}

// RosterAction is what a roster change does.
type RosterAction string

const (
	RosterAdd    RosterAction = "add"    // 添加成员
	RosterRemove RosterAction = "remove" // 移除成员
	RosterRole   RosterAction = "role"   // 变更角色
)

// Label is the action's name for lists.
func (a RosterAction) Label() string {
	switch a {
	case RosterAdd:
		return T("添加成员", "add member")
	case RosterRemove:
		return T("移除成员", "remove member")
	case RosterRole:
		return T("变更角色", "change role")
	}
	return string(a)
}

// Roster-change states.
const (
	RosterPending = "pending" // 待签
	RosterDone    = "done"    // 已生效
)

// RosterSignature is a member's Ed25519 signature on a roster change, over
// RosterSignatureMessage.
type RosterSignature struct {
	Signer string    `json:"signer"`
	Role   Role      `json:"role"`
	At     time.Time `json:"at"`
	Sig    []byte    `json:"sig"`
}

// RosterChange is a request to add a member, remove one or change a role once the
// roster is sealed.
type RosterChange struct {
	ID     string       `json:"id"`
	Action RosterAction `json:"action"`
	Name   string       `json:"name"` // the newcomer, or the member concerned
	// Role is the newcomer's role (add) or the new role (role); From is the role the
	// member held before (role, remove).
	Role      Role              `json:"role,omitempty"`
	From      Role              `json:"from,omitempty"`
	PublicKey ed25519.PublicKey `json:"public_key"` // the newcomer's or the member's key
	Reason    string            `json:"reason,omitempty"`
	Requested time.Time         `json:"requested"`
	By        string            `json:"by,omitempty"` // who filed it
	Roster    string            `json:"roster"`       // RosterSeal.Hash
	// Newcomer is the member to add (their key sealed by their own passphrase).
	Newcomer *Member `json:"newcomer,omitempty"`

	State      string            `json:"state"`
	Signatures []RosterSignature `json:"signatures,omitempty"`
	Done       time.Time         `json:"done"`
	Seq        int64             `json:"seq,omitempty"` // the order in which changes took effect
}

// RosterChangeID is the id of the n-th roster change.
func RosterChangeID(n int64) string { return fmt.Sprintf("M%06d", n) }

// ParseRosterChangeID accepts an id as typed: "M000012", "m12" or "12".
func ParseRosterChangeID(s string) (string, error) {
	s = strings.TrimSpace(s)
	digits := strings.TrimPrefix(strings.TrimPrefix(s, "M"), "m")
	n, err := strconv.ParseInt(digits, 10, 64)
	if err != nil || n <= 0 || digits == "" || digits[0] == '+' {
		return "", Errorf(EINVALID, "成员变更申请编号 %q 无效（例如 M000001）", "%q is not a roster-change id (e.g. M000001)", s)
	}
	return RosterChangeID(n), nil
}

// ConcernsReviewer reports whether the change gives or takes the reviewer role; such a
// change needs the community reviewer's signature too.
func (c RosterChange) ConcernsReviewer() bool {
	return c.Role == RoleReviewer || c.From == RoleReviewer
}

// Describe is a one-line description: "添加 委员 刘海燕".
func (c RosterChange) Describe() string {
	switch c.Action {
	case RosterAdd:
		return fmt.Sprintf("%s %s %s", c.Action.Label(), c.Role.Label(), c.Name)
	case RosterRemove:
		return fmt.Sprintf("%s %s %s", c.Action.Label(), c.From.Label(), c.Name)
	}
	return fmt.Sprintf("%s %s %s → %s", c.Action.Label(), c.Name, c.From.Label(), c.Role.Label())
}

// CanonicalRosterChange is the exact text every signature on a roster change covers:
//
//	sunledger-roster-change-v1
//	id "M000001"
//	action "add"
//	name "刘海燕"
//	role "member"
//	from ""
//	key <base64 Ed25519 public key of the member concerned>
//	reason "…"
//	requested 2026-01-15T08:30:00Z
//	by "…"
//	roster "<hex SHA-256 of the founding roster>"
//
// (strings Go-quoted, each line ending in "\n").
func CanonicalRosterChange(c RosterChange) []byte {
	b := make([]byte, 0, 256)
	b = append(b, "sunledger-roster-change-v1\nid "...)
	b = strconv.AppendQuote(b, c.ID)
	b = append(b, "\naction "...)
	b = strconv.AppendQuote(b, string(c.Action))
	b = append(b, "\nname "...)
	b = strconv.AppendQuote(b, c.Name)
	b = append(b, "\nrole "...)
	b = strconv.AppendQuote(b, string(c.Role))
	b = append(b, "\nfrom "...)
	b = strconv.AppendQuote(b, string(c.From))
	b = append(b, "\nkey "...)
	b = append(b, base64.StdEncoding.EncodeToString(c.PublicKey)...)
	b = append(b, "\nreason "...)
	b = strconv.AppendQuote(b, c.Reason)
	b = append(b, "\nrequested "...)
	b = append(b, c.Requested.UTC().Format(time.RFC3339)...)
	b = append(b, "\nby "...)
	b = strconv.AppendQuote(b, c.By)
	b = append(b, "\nroster "...)
	b = strconv.AppendQuote(b, c.Roster)
	return append(b, '\n')
}

// RosterSignatureMessage is what a signature on a roster change signs: the canonical
// change followed by
//
//	signer "…"
//	role "chair"
//	at 2026-01-16T09:00:00Z
func RosterSignatureMessage(c RosterChange, s RosterSignature) []byte {
	b := CanonicalRosterChange(c)
	b = append(b, "signer "...)
	b = strconv.AppendQuote(b, s.Signer)
	b = append(b, "\nrole "...)
	b = strconv.AppendQuote(b, string(s.Role))
	b = append(b, "\nat "...)
	b = append(b, s.At.UTC().Format(time.RFC3339)...)
	return append(b, '\n')
}

// RosterNeeds says what a change still lacks, given the active roster (name → role):
// committee signatures (of 2) and whether the reviewer's is still missing. Only
// signatures by active members in the role they signed in, other than the member
// concerned, count.
func (c RosterChange) RosterNeeds(active map[string]Role) (committee int, reviewer bool) {
	signed := map[string]bool{}
	revSigned := false
	for _, s := range c.Signatures {
		r, ok := active[s.Signer]
		if !ok || r != s.Role || s.Signer == c.Name {
			continue
		}
		if r.Committee() {
			signed[s.Signer] = true
		} else if r == RoleReviewer {
			revSigned = true
		}
	}
	committee = max(0, 2-len(signed))
	if c.ConcernsReviewer() && !revSigned {
		for n, r := range active {
			if r == RoleReviewer && n != c.Name {
				reviewer = true
			}
		}
	}
	return committee, reviewer
}

// CheckRosterSigner says whether member m may sign the change now: the change must be
// pending; the member concerned never signs; committee members sign any change and the
// community reviewer signs a change of the reviewer role; nobody signs twice.
func (c RosterChange) CheckRosterSigner(m Member) error {
	if c.State != RosterPending {
		return Errorf(ECONFLICT, "成员变更申请 %s 已于 %s 生效，不能再签名", "roster change %s already took effect on %s and takes no more signatures", c.ID, c.Done.Local().Format("2006-01-02"))
	}
	if m.Name == c.Name {
		return Errorf(EUNAUTHORIZED, "%s 是这份成员变更申请（%s）所涉及的本人，不能为自己签名；需两位其他委员签字",
			"%s is the member roster change %s is about and cannot sign it; two other committee members must", m.Name, c.ID)
	}
	if !m.Active() {
		return Errorf(EUNAUTHORIZED, "%s 已被移出名单（%s），不能签名", "%s was removed from the roster (%s) and cannot sign", m.Name, m.Removed)
	}
	if !m.Role.Committee() && !(m.Role == RoleReviewer && c.ConcernsReviewer()) {
		return Errorf(EUNAUTHORIZED, "%s 是%s，只有业委会成员（主任、财务委员、委员）可以签署成员变更（涉及社区复核人角色时，社区复核人也要签）",
			"%s is a %s: only committee members (chair, treasurer, member) sign roster changes (and the community reviewer, for a change of the reviewer role)", m.Name, m.Role.Label())
	}
	for _, s := range c.Signatures {
		if s.Signer == m.Name {
			return Errorf(ECONFLICT, "%s 已经签过成员变更申请 %s：需要两位不同的委员", "%s has already signed roster change %s: it needs two different committee members", m.Name, c.ID)
		}
	}
	return nil
}

// SignRoster adds m's signature made with key at time at.
func (c RosterChange) SignRoster(m Member, key ed25519.PrivateKey, at time.Time) (RosterChange, error) {
	if err := c.CheckRosterSigner(m); err != nil {
		return c, err
	}
	s := RosterSignature{Signer: m.Name, Role: m.Role, At: at.UTC().Truncate(time.Second)}
	s.Sig = ed25519.Sign(key, RosterSignatureMessage(c, s))
	c.Signatures = append(append([]RosterSignature(nil), c.Signatures...), s)
	return c, nil
}

// VerifyRosterSignatures checks every signature of the change against keys (name →
// public key); the error names the first that does not verify.
func (c RosterChange) VerifyRosterSignatures(keys map[string]ed25519.PublicKey) error {
	for _, s := range c.Signatures {
		k, ok := keys[s.Signer]
		if !ok {
			return rosterBad(c.ID, "签名人 %s 不是登记的成员", "the signer %s is not a registered member", s.Signer)
		}
		if !ed25519.Verify(k, RosterSignatureMessage(c, s), s.Sig) {
			return rosterBad(c.ID, "%s 的签名与申请内容不符（签名后内容被改动过，或签名是从别处复制来的）", "the signature of %s does not match the change (it was edited after signing, or the signature was copied from elsewhere)", s.Signer)
		}
	}
	return nil
}

func rosterBad(id, zh, en string, args ...any) error {
	return Errorf(EINVALID, "成员变更申请 %s 有问题："+zh+"。账本可能被改动过，请从备份恢复", "roster change %s is bad: "+en+". The book may have been tampered with: restore the last backup",
		append([]any{id}, args...)...)
}

func memberBad(name, zh, en string, args ...any) error {
	return Errorf(EINVALID, "成员 %s 的记录有问题："+zh+"。账本可能被改动过，请从备份恢复", "the record of member %s is bad: "+en+". The book may have been tampered with: restore the last backup",
		append([]any{name}, args...)...)
}

// ApplyRosterChange returns the member record as the change, taking effect at t,
// leaves it (cur is the member's record before; unused for an add).
func ApplyRosterChange(c RosterChange, cur Member, t time.Time) Member {
	t = t.UTC().Truncate(time.Second)
	if c.Action == RosterAdd {
		m := *c.Newcomer
		m.Request, m.Removed = c.ID, ""
		m.History = []RoleSpan{{Role: c.Role, From: t, Request: c.ID}}
		m.Created = t
		return m
	}
	m := cur
	h := append([]RoleSpan(nil), m.History...)
	if len(h) == 0 {
		h = []RoleSpan{{Role: m.Role}}
	}
	h[len(h)-1].Until = t
	switch c.Action {
	case RosterRemove:
		m.Removed = c.ID
	case RosterRole:
		h = append(h, RoleSpan{Role: c.Role, From: t, Request: c.ID})
		m.Role = c.Role
	}
	m.History = h
	return m
}

// VerifyRoster checks the roster as stored: the founding members hash to the seal;
// replaying every roster change that took effect, in order, each had valid signatures
// from two committee members on the roster at the time (other than the member
// concerned), and the reviewer's when required; and every member record is exactly what
// the replay makes it. Pending changes' signatures must verify too. hasExpenses: an
// expense request exists, so the roster must be sealed.
func VerifyRoster(seal *RosterSeal, members []Member, changes []RosterChange, hasExpenses bool) error {
	if seal == nil {
		if hasExpenses {
			return Errorf(EINVALID, "已有支出申请，但成员名单没有封存记录（第一份支出申请会自动封存）：账本可能被改动过，请从备份恢复",
				"there are expense requests but no record of the roster being sealed (the first request seals it): the book may have been tampered with; restore the last backup")
		}
		if len(changes) > 0 {
			return rosterBad(changes[0].ID, "名单尚未封存，却有成员变更申请", "the roster is not sealed, yet there is a roster change")
		}
		for _, m := range members {
			if m.Request != "" || m.Removed != "" || len(m.History) > 0 {
				return memberBad(m.Name, "名单尚未封存，却记有变更", "the roster is not sealed, yet the record shows changes")
			}
		}
		return nil
	}
	if h, _ := FoundingHash(members); h != seal.Hash {
		return Errorf(EINVALID, "创始成员名单与 %s 封存时的不一致（有成员被添加、删除或改了角色、公钥）：账本可能被改动过，请从备份恢复",
			"the founding roster differs from the one sealed on %s (a member was added, deleted, or had their role or key changed): the book may have been tampered with; restore the last backup",
			seal.At.Local().Format("2006-01-02 15:04"))
	}
	// Replay.
	want := map[string]Member{}
	keys := map[string]ed25519.PublicKey{}
	for _, m := range members {
		if m.Request == "" {
			f := Member{Name: m.Name, Role: m.FoundingRole(), PublicKey: m.PublicKey}
			want[m.Name] = f
			keys[m.Name] = m.PublicKey
		}
	}
	done := []RosterChange{}
	for _, c := range changes {
		if c.Roster != seal.Hash {
			return rosterBad(c.ID, "它引用的创始名单与封存的不一致", "it cites a founding roster other than the sealed one")
		}
		switch c.State {
		case RosterDone:
			done = append(done, c)
		case RosterPending:
			if c.Action == RosterAdd && c.Newcomer == nil {
				return rosterBad(c.ID, "缺少新成员的密钥", "the newcomer's key is missing")
			}
		default:
			return rosterBad(c.ID, "状态 %q 无效", "its state %q is not valid", c.State)
		}
	}
	sort.SliceStable(done, func(i, j int) bool { return done[i].Seq < done[j].Seq })
	for i, c := range done {
		if c.Seq != int64(i+1) {
			return rosterBad(c.ID, "生效顺序号 %d 不连续（应为 %d）", "its effect number %d is out of sequence (want %d)", c.Seq, i+1)
		}
		if err := c.VerifyRosterSignatures(keys); err != nil {
			return err
		}
		active := map[string]Role{}
		for n, m := range want {
			if m.Active() {
				active[n] = m.Role
			}
		}
		for _, s := range c.Signatures {
			if r, ok := active[s.Signer]; !ok || r != s.Role {
				return rosterBad(c.ID, "签名人 %s 签名时不在名单上，或角色与名单不符", "the signer %s was not on the roster, or not in that role, when it took effect", s.Signer)
			}
			if s.At.After(c.Done) || s.At.Before(c.Requested.Truncate(time.Second)) {
				return rosterBad(c.ID, "%s 的签名时间不在申请与生效之间", "the signature of %s is not dated between the request and its effect", s.Signer)
			}
		}
		if n, rev := c.RosterNeeds(active); n > 0 || rev {
			return rosterBad(c.ID, "已生效，但缺少签名（还差 %d 位委员%s）", "it took effect without its signatures (%d committee signatures missing%s)",
				n, map[bool]string{true: T("及社区复核人", " and the reviewer's"), false: ""}[rev])
		}
		cur, exists := want[c.Name]
		switch c.Action {
		case RosterAdd:
			if exists {
				return rosterBad(c.ID, "要添加的 %s 已在名单上", "it adds %s, who is already on the roster", c.Name)
			}
			if c.Newcomer == nil || !c.Newcomer.PublicKey.Equal(c.PublicKey) || c.Newcomer.Name != c.Name || c.Newcomer.Role != c.Role {
				return rosterBad(c.ID, "新成员的记录与申请不符", "the newcomer's record does not match the change")
			}
		case RosterRemove, RosterRole:
			if !exists || !cur.Active() || cur.Role != c.From || !cur.PublicKey.Equal(c.PublicKey) {
				return rosterBad(c.ID, "所涉及的成员 %s 与当时的名单不符", "the member concerned, %s, does not match the roster of the time", c.Name)
			}
		default:
			return rosterBad(c.ID, "未知的变更 %q", "unknown action %q", c.Action)
		}
		m := ApplyRosterChange(c, cur, c.Done)
		m.Sealed, m.Created = SealedKey{}, time.Time{}
		want[c.Name] = m
		keys[c.Name] = m.PublicKey
	}
	// Pending changes: their signatures must still verify.
	for _, c := range changes {
		if c.State == RosterPending {
			if err := c.VerifyRosterSignatures(keys); err != nil {
				return err
			}
		}
	}
	seen := map[string]bool{}
	for _, m := range members {
		w, ok := want[m.Name]
		if !ok {
			return memberBad(m.Name, "它引用的成员变更申请 %s 不存在或尚未生效", "it cites roster change %s, which does not exist or has not taken effect", m.Request)
		}
		seen[m.Name] = true
		if m.Role != w.Role || !m.PublicKey.Equal(w.PublicKey) || m.Request != w.Request || m.Removed != w.Removed || !sameHistory(m.History, w.History) {
			return memberBad(m.Name, "角色、公钥或变更记录与已签署的成员变更不符", "its role, key or history does not match the signed roster changes")
		}
	}
	for n, w := range want {
		if !seen[n] {
			return memberBad(n, "成员变更申请 %s 已生效，但成员记录不见了", "roster change %s took effect but the member record is missing", w.Request)
		}
	}
	return nil
}

func sameHistory(a, b []RoleSpan) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Role != b[i].Role || !a[i].From.Equal(b[i].From) || !a[i].Until.Equal(b[i].Until) || a[i].Request != b[i].Request {
			return false
		}
	}
	return true
}

// RosterService keeps the roster sealed and its changes signed. The methods that add,
// remove or change a member are on MemberService.
type RosterService interface {
	// SealRoster seals the founding roster; ECONFLICT if it is sealed already, EINVALID
	// with fewer than two committee members.
	SealRoster(ctx context.Context, who, why string) (RosterSeal, error)
	// RosterSeal returns the seal; false while the founding roster is open.
	RosterSeal(ctx context.Context) (RosterSeal, bool, error)
	// ApproveRosterChange adds member name's signature; the change takes effect in the
	// same write once complete. Refusals (unknown id, the member concerned signing, a
	// non-committee signer, a second signature, a wrong passphrase) write nothing but
	// the audit record.
	ApproveRosterChange(ctx context.Context, id, name, passphrase string) (RosterChange, error)
	// RosterChanges lists every roster change, oldest first.
	RosterChanges(ctx context.Context) ([]RosterChange, error)
	// VerifyRoster checks the seal, every change's signatures and every member record.
	VerifyRoster(ctx context.Context) error
}

// ValidateRosterNote checks the reason given with a roster change.
func ValidateRosterNote(s string) error { return checkText(T("理由", "reason"), s, 500, false) }

// ActiveRoles maps every member still on the roster to their role.
func ActiveRoles(members []Member) map[string]Role {
	out := map[string]Role{}
	for _, m := range members {
		if m.Active() {
			out[m.Name] = m.Role
		}
	}
	return out
}
