package storage

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"strings"
	"time"

	"sunledger/app"
)

// The roster's seal and its signed changes (app/roster.go has the rules).

// roster is the roster as stored, read in one transaction.
type roster struct {
	seal    *app.RosterSeal
	members []app.Member
	byName  map[string]app.Member
	changes []app.RosterChange
}

func (r roster) keys() map[string]ed25519.PublicKey {
	out := make(map[string]ed25519.PublicKey, len(r.members))
	for _, m := range r.members {
		out[m.Name] = m.PublicKey
	}
	return out
}

func (tx *Tx) rosterSeal() (app.RosterSeal, bool, error) {
	var s app.RosterSeal
	ok, err := tx.get(keyRosterSeal, &s)
	return s, ok, err
}

func (tx *Tx) loadRoster() (roster, error) {
	var r roster
	s, ok, err := tx.rosterSeal()
	if err != nil {
		return r, err
	}
	if ok {
		r.seal = &s
	}
	if r.members, err = tx.members(); err != nil {
		return r, err
	}
	r.byName = make(map[string]app.Member, len(r.members))
	for _, m := range r.members {
		r.byName[m.Name] = m
	}
	err = eachJSON(tx, prefixRoster, func(k string, c app.RosterChange) error {
		if rosterKey(c.ID) != k {
			return app.Errorf(app.EINVALID, "存放位置 %s 的成员变更申请自称 %s：账本被改动过，请从备份恢复", "the roster change stored at %s claims to be %s: the book was tampered with; restore the last backup", k, c.ID)
		}
		r.changes = append(r.changes, c)
		return nil
	})
	if err != nil {
		return r, err
	}
	for _, m := range r.members {
		if err := m.Validate(); err != nil {
			return r, app.Errorf(app.EINVALID, "成员 %s 的记录无效（%v）：账本被改动过，请从备份恢复", "the record of member %s is not valid (%v): the book was tampered with; restore the last backup", m.Name, err)
		}
	}
	return r, nil
}

// verifiedRoster loads the roster and checks it whole (app.VerifyRoster): every step
// that relies on a member's key or role runs on a roster that holds.
func (tx *Tx) verifiedRoster() (roster, error) {
	r, err := tx.loadRoster()
	if err != nil {
		return r, err
	}
	hasExpenses, err := tx.anyKey(prefixExpense)
	if err != nil {
		return r, err
	}
	return r, app.VerifyRoster(r.seal, r.members, r.changes, hasExpenses)
}

func (tx *Tx) anyKey(prefix string) (bool, error) {
	found := false
	err := tx.each(prefix, func(string, []byte) error {
		found = true
		return errStop
	})
	if errors.Is(err, errStop) {
		err = nil
	}
	return found, err
}

var errStop = errors.New("stop")

// sealRoster seals the founding roster inside tx, as of at.
func (tx *Tx) sealRoster(at time.Time, who, why string) (app.RosterSeal, error) {
	ms, err := tx.members()
	if err != nil {
		return app.RosterSeal{}, err
	}
	if err := app.CanSeal(ms); err != nil {
		return app.RosterSeal{}, err
	}
	h, n := app.FoundingHash(ms)
	s := app.RosterSeal{At: at.UTC().Truncate(time.Second), By: who, Why: why, Members: n, Hash: h}
	if err := tx.put(keyRosterSeal, s); err != nil {
		return s, err
	}
	return s, tx.audit(who, "member.seal", fmt.Sprintf("%d founding members, roster %s", n, h), why)
}

// SealRoster seals the founding roster.
func (s MemberService) SealRoster(ctx context.Context, who, why string) (seal app.RosterSeal, err error) {
	defer func() {
		if err != nil {
			s.db.auditRefused(who, "member.seal", "", err)
		}
	}()
	err = s.db.update(func(tx *Tx) error {
		if err := tx.requireBook(); err != nil {
			return err
		}
		if cur, ok, err := tx.rosterSeal(); err != nil || ok {
			if ok {
				return app.Errorf(app.ECONFLICT, "成员名单已于 %s 封存；此后的成员变更需两位委员签字（members approve）", "the roster was sealed on %s; changes since need two committee signatures (members approve)", cur.At.Local().Format("2006-01-02 15:04"))
			}
			return err
		}
		if _, err := tx.verifiedRoster(); err != nil {
			return err
		}
		seal, err = tx.sealRoster(tx.now, who, why)
		return err
	})
	return seal, err
}

// RosterSeal returns the seal, if the roster is sealed.
func (s MemberService) RosterSeal(ctx context.Context) (app.RosterSeal, bool, error) {
	var seal app.RosterSeal
	var ok bool
	err := s.db.view(func(tx *Tx) error {
		var err error
		seal, ok, err = tx.rosterSeal()
		return err
	})
	return seal, ok, err
}

// RosterChanges lists every roster change, oldest first.
func (s MemberService) RosterChanges(ctx context.Context) ([]app.RosterChange, error) {
	return read(s.db, func(tx *Tx) ([]app.RosterChange, error) { return all[app.RosterChange](tx, prefixRoster) })
}

// VerifyRoster checks the seal, every roster change and every member record.
func (s MemberService) VerifyRoster(ctx context.Context) error {
	return s.db.view(func(tx *Tx) error {
		_, err := tx.verifiedRoster()
		return err
	})
}

func (tx *Tx) noPendingChange(name string) error {
	return eachJSON(tx, prefixRoster, func(_ string, c app.RosterChange) error {
		if c.State == app.RosterPending && c.Name == name {
			return app.Errorf(app.ECONFLICT, "%s 已有一份待签的成员变更申请 %s（%s）：请先完成它；没有做任何更改",
				"%s already has a pending roster change %s (%s): finish that one first; nothing was changed", name, c.ID, c.Describe())
		}
		return nil
	})
}

// fileRosterChange numbers and stores a pending change.
func (tx *Tx) fileRosterChange(c *app.RosterChange, seal app.RosterSeal, who, why string) error {
	n, err := tx.next("roster")
	if err != nil {
		return err
	}
	c.ID, c.Reason, c.By, c.Roster = app.RosterChangeID(n), why, who, seal.Hash
	c.Requested, c.State = tx.now.UTC().Truncate(time.Second), app.RosterPending
	if err := tx.put(rosterKey(c.ID), *c); err != nil {
		return err
	}
	return tx.audit(who, "member.request", c.ID+" "+c.Describe(), why)
}

// keepsTwoCommittee refuses a change that would leave fewer than two committee members,
// after which nothing could be signed any more.
func keepsTwoCommittee(r roster, name string, newRole app.Role) error {
	n := 0
	for _, m := range r.members {
		role := m.Role
		if m.Name == name {
			role = newRole
		}
		if m.Active() && role.Committee() {
			n++
		}
	}
	if n < 2 {
		return app.Errorf(app.EINVALID, "这样名单上只剩 %d 位业委会成员，以后任何支出和成员变更都无法联签：请先添加新委员；没有做任何更改",
			"that would leave %d committee members, and nothing could be signed any more: add a new committee member first; nothing was changed", n)
	}
	return nil
}

// RemoveMember takes a member off the roster: at once while it is open (nobody has
// signed anything yet), by a signed roster change once it is sealed.
func (s MemberService) RemoveMember(ctx context.Context, name, who, reason string) (c app.RosterChange, err error) {
	defer func() {
		if err != nil {
			s.db.auditRefused(who, "member.remove", name, err)
		}
	}()
	if strings.TrimSpace(reason) == "" {
		return c, app.Errorf(app.EINVALID, "移除成员必须说明理由（--reason）", "removing a member needs a reason (--reason)")
	}
	if err := app.ValidateRosterNote(reason); err != nil {
		return c, err
	}
	err = s.db.update(func(tx *Tx) error {
		c = app.RosterChange{}
		r, m, err := tx.rosterSubject(name)
		if err != nil {
			return err
		}
		if r.seal == nil {
			if err := tx.delete(memberKey(name)); err != nil {
				return err
			}
			return tx.audit(who, "member.remove", name+" "+string(m.Role), reason)
		}
		if err := keepsTwoCommittee(r, name, ""); err != nil {
			return err
		}
		c = app.RosterChange{Action: app.RosterRemove, Name: name, From: m.Role, PublicKey: m.PublicKey}
		return tx.fileRosterChange(&c, *r.seal, who, reason)
	})
	if err != nil {
		c = app.RosterChange{}
	}
	return c, err
}

// ChangeRole gives a member another role: at once while the roster is open, by a signed
// roster change once it is sealed.
func (s MemberService) ChangeRole(ctx context.Context, name string, role app.Role, who, why string) (c app.RosterChange, err error) {
	defer func() {
		if err != nil {
			s.db.auditRefused(who, "member.role", name+" "+string(role), err)
		}
	}()
	if role, err = app.ParseRole(string(role)); err != nil {
		return c, err
	}
	if err := app.ValidateRosterNote(why); err != nil {
		return c, err
	}
	err = s.db.update(func(tx *Tx) error {
		c = app.RosterChange{}
		r, m, err := tx.rosterSubject(name)
		if err != nil {
			return err
		}
		if m.Role == role {
			return app.Errorf(app.EINVALID, "%s 已经是%s；没有做任何更改", "%s is already a %s; nothing was changed", name, role.Label())
		}
		if r.seal == nil {
			m.Role = role
			if err := tx.put(memberKey(name), m); err != nil {
				return err
			}
			return tx.audit(who, "member.role", name+" "+string(role), why)
		}
		if err := keepsTwoCommittee(r, name, role); err != nil {
			return err
		}
		c = app.RosterChange{Action: app.RosterRole, Name: name, Role: role, From: m.Role, PublicKey: m.PublicKey}
		return tx.fileRosterChange(&c, *r.seal, who, why)
	})
	if err != nil {
		c = app.RosterChange{}
	}
	return c, err
}

// rosterSubject returns the verified roster and the active member name, with no change
// pending for them.
func (tx *Tx) rosterSubject(name string) (roster, app.Member, error) {
	if err := tx.requireBook(); err != nil {
		return roster{}, app.Member{}, err
	}
	r, err := tx.verifiedRoster()
	if err != nil {
		return r, app.Member{}, err
	}
	m, ok := r.byName[name]
	if !ok {
		_, err := tx.member(name)
		return r, m, err
	}
	if !m.Active() {
		return r, m, app.Errorf(app.ECONFLICT, "%s 已被移出名单（%s）；没有做任何更改", "%s was already removed from the roster (%s); nothing was changed", name, m.Removed)
	}
	return r, m, tx.noPendingChange(name)
}

func (tx *Tx) rosterChange(id string) (app.RosterChange, error) {
	var c app.RosterChange
	ok, err := tx.get(rosterKey(id), &c)
	if err == nil && !ok {
		return c, app.Errorf(app.ENOTFOUND, "没有成员变更申请 %s（members requests 列出全部）", "there is no roster change %s (members requests lists them)", id)
	}
	if err == nil && c.ID != id {
		return c, app.Errorf(app.EINVALID, "存放位置 %s 的成员变更申请自称 %s：账本被改动过", "the roster change stored as %s claims to be %s: the book was tampered with", id, c.ID)
	}
	return c, err
}

// signable checks, in one transaction, that the roster holds, the change's signatures
// verify and name may sign it now.
func (tx *Tx) signable(id, name string) (roster, app.RosterChange, app.Member, error) {
	r, err := tx.verifiedRoster()
	if err != nil {
		return r, app.RosterChange{}, app.Member{}, err
	}
	c, err := tx.rosterChange(id)
	if err != nil {
		return r, c, app.Member{}, err
	}
	if err := c.VerifyRosterSignatures(r.keys()); err != nil {
		return r, c, app.Member{}, err
	}
	m, ok := r.byName[name]
	if !ok {
		if name == c.Name { // the newcomer, not on the roster yet
			return r, c, m, c.CheckRosterSigner(app.Member{Name: name})
		}
		_, err := tx.member(name)
		return r, c, m, err
	}
	return r, c, m, c.CheckRosterSigner(m)
}

// ApproveRosterChange adds a signature; the change takes effect in the same write once
// it has every signature it needs.
func (s MemberService) ApproveRosterChange(ctx context.Context, id, name, passphrase string) (c app.RosterChange, err error) {
	id, err = app.ParseRosterChangeID(id)
	if err != nil {
		s.db.auditRefused(name, "member.approve", id, err)
		return c, err
	}
	defer func() {
		if err != nil {
			s.db.auditRefused(name, "member.approve", id, err)
		}
	}()
	var m app.Member
	if err = s.db.view(func(tx *Tx) error {
		var err error
		_, c, m, err = tx.signable(id, name)
		return err
	}); err != nil {
		return c, err
	}
	key, err := m.Unlock(passphrase)
	if err != nil {
		return c, err
	}
	err = s.db.update(func(tx *Tx) error {
		r, c2, m, err := tx.signable(id, name)
		if err != nil {
			return err
		}
		at := tx.now.UTC().Truncate(time.Second)
		if c2, err = c2.SignRoster(m, key, at); err != nil {
			return err
		}
		if err := tx.audit(name, "member.approve", c2.ID+" "+c2.Describe(), ""); err != nil {
			return err
		}
		if n, rev := c2.RosterNeeds(app.ActiveRoles(r.members)); n == 0 && !rev {
			seq, err := tx.next("roster-done")
			if err != nil {
				return err
			}
			c2.State, c2.Done, c2.Seq = app.RosterDone, at, seq
			nm := app.ApplyRosterChange(c2, r.byName[c2.Name], at)
			if err := tx.put(memberKey(nm.Name), nm); err != nil {
				return err
			}
			if err := tx.audit(name, "member."+string(c2.Action), c2.ID+" "+c2.Describe(), c2.Reason); err != nil {
				return err
			}
		}
		c = c2
		return tx.put(rosterKey(c2.ID), c2)
	})
	return c, err
}
