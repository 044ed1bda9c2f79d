package app

import (
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"sort"
	"strconv"
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

// VerifyRoster checks the roster as stored: the founding members hash to the seal;
// replaying every roster change that took effect, in order, each had valid signatures
// from two committee members on the roster at the time (other than the member
// concerned), and the reviewer's when required; and every member record is exactly what
// the replay makes it. Pending changes' signatures must verify too. hasExpenses: an
// expense request exists, so the roster must be sealed.
func VerifyRoster(seal *RosterSeal, members []Member, changes []RosterChange, hasExpenses bool) error {
	if seal == nil {
		return verifyUnsealed(members, changes, hasExpenses)
	}
	if h, _ := FoundingHash(members); h != seal.Hash {
		return Errorf(EINVALID, "创始成员名单与 %s 封存时的不一致（有成员被添加、删除或改了角色、公钥）：账本可能被改动过，请从备份恢复",
			"the founding roster differs from the one sealed on %s (a member was added, deleted, or had their role or key changed): the book may have been tampered with; restore the last backup",
			seal.At.Local().Format("2006-01-02 15:04"))
	}
	want, keys := foundingReplay(members)
	done, err := doneRosterChanges(seal, changes)
	if err != nil {
		return err
	}
	for i, c := range done {
		if c.Seq != int64(i+1) {
			return rosterBad(c.ID, "生效顺序号 %d 不连续（应为 %d）", "its effect number %d is out of sequence (want %d)", c.Seq, i+1)
		}
		if err := replayRosterChange(c, want, keys); err != nil {
			return err
		}
	}
	// Pending changes: their signatures must still verify.
	for _, c := range changes {
		if c.State == RosterPending {
			if err := c.VerifyRosterSignatures(keys); err != nil {
				return err
			}
		}
	}
	return matchReplay(members, want)
}

// verifyUnsealed checks a roster that was never sealed: allowed only while there is no
// expense request, and then it can have no change and no member record showing one.
func verifyUnsealed(members []Member, changes []RosterChange, hasExpenses bool) error {
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

// foundingReplay starts the replay from the founding members (those not added by a
// change): each in their founding role, with the public keys that may sign.
func foundingReplay(members []Member) (want map[string]Member, keys map[string]ed25519.PublicKey) {
	want = map[string]Member{}
	keys = map[string]ed25519.PublicKey{}
	for _, m := range members {
		if m.Request == "" {
			f := Member{Name: m.Name, Role: m.FoundingRole(), PublicKey: m.PublicKey}
			want[m.Name] = f
			keys[m.Name] = m.PublicKey
		}
	}
	return want, keys
}

// doneRosterChanges checks that every change cites the sealed roster and has a known
// state, and returns the changes that took effect in the order they did.
func doneRosterChanges(seal *RosterSeal, changes []RosterChange) ([]RosterChange, error) {
	done := []RosterChange{}
	for _, c := range changes {
		if c.Roster != seal.Hash {
			return nil, rosterBad(c.ID, "它引用的创始名单与封存的不一致", "it cites a founding roster other than the sealed one")
		}
		switch c.State {
		case RosterDone:
			done = append(done, c)
		case RosterPending:
			if c.Action == RosterAdd && c.Newcomer == nil {
				return nil, rosterBad(c.ID, "缺少新成员的密钥", "the newcomer's key is missing")
			}
		default:
			return nil, rosterBad(c.ID, "状态 %q 无效", "its state %q is not valid", c.State)
		}
	}
	sort.SliceStable(done, func(i, j int) bool { return done[i].Seq < done[j].Seq })
	return done, nil
}

// replayRosterChange checks one change that took effect against the roster the replay
// has reached (want, keys): its signatures verify, its signers were active in the role
// they signed in and signed between request and effect, no signature is missing, and
// it fits the member concerned. It then applies the change to want and keys.
func replayRosterChange(c RosterChange, want map[string]Member, keys map[string]ed25519.PublicKey) error {
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
	return nil
}

// matchReplay checks that the stored member records are exactly those the replay made:
// none extra, none missing, each with the replayed role, key and history.
func matchReplay(members []Member, want map[string]Member) error {
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
