package app

import (
	"crypto/ed25519"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// A roster change (成员变更申请) once the roster is sealed: what it does, the canonical
// text its signatures sign, whose signatures it still needs, and the member record it
// leaves when it takes effect. roster.go replays the changes to verify the roster.

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
		return Errorf(ECONFLICT, "成员变更申请 %s 已于 %s 生效，不能再签名", "roster change %s already took effect on %s and takes no more signatures", c.ID, c.Done.Local().Format(DateLayout))
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
