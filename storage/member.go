package storage

import (
	"context"
	"sort"
	"time"

	"sunledger/app"
)

var _ app.MemberService = MemberService{}

// AddMember adds a founding member while the roster is open; once it is sealed, it
// files a roster-change request that takes effect when signed (ApproveRosterChange).
func (s MemberService) AddMember(ctx context.Context, m app.Member, who, why string) (c app.RosterChange, err error) {
	defer func() {
		if err != nil {
			s.db.auditRefused(who, "member.add", m.Name+" "+string(m.Role), err)
		}
	}()
	if err := m.Validate(); err != nil {
		return c, err
	}
	if err := app.ValidateRosterNote(why); err != nil {
		return c, err
	}
	m.Request, m.Removed, m.History = "", "", nil
	err = s.db.update(func(tx *Tx) error {
		c = app.RosterChange{}
		if err := tx.requireBook(); err != nil {
			return err
		}
		if err := tx.nameFree(m.Name); err != nil {
			return err
		}
		seal, sealed, err := tx.rosterSeal()
		if err != nil {
			return err
		}
		if !sealed {
			if m.Created.IsZero() {
				m.Created = tx.now.UTC()
			}
			if err := tx.put(memberKey(m.Name), m); err != nil {
				return err
			}
			return tx.audit(who, "member.add", m.Name+" "+string(m.Role), why)
		}
		nm := m
		nm.Created = time.Time{}
		c = app.RosterChange{Action: app.RosterAdd, Name: m.Name, Role: m.Role, PublicKey: m.PublicKey, Newcomer: &nm}
		return tx.fileRosterChange(&c, seal, who, why)
	})
	if err != nil {
		c = app.RosterChange{}
	}
	return c, err
}

// nameFree refuses a name that is on the roster (or was: a removed member's name stays
// with their past signatures) or has a change pending.
func (tx *Tx) nameFree(name string) error {
	if ok, err := tx.has(memberKey(name)); err != nil || ok {
		if ok {
			return app.Errorf(app.ECONFLICT, "已有名为 %s 的成员（移出名单的成员的姓名也不能再用）；没有做任何更改", "there is already a member called %s (the name of a removed member cannot be reused either); nothing was changed", name)
		}
		return err
	}
	return tx.noPendingChange(name)
}

// Members lists the members by name.
func (s MemberService) Members(ctx context.Context) ([]app.Member, error) {
	return read(s.db, (*Tx).members)
}

func (tx *Tx) members() ([]app.Member, error) {
	var out []app.Member
	err := eachJSON(tx, prefixMember, func(k string, m app.Member) error {
		if memberKey(m.Name) != k {
			return app.Errorf(app.EINVALID, "存放位置 %s 的成员记录自称 %s：账本被改动过，请从备份恢复", "the member record stored at %s claims to be %s: the book was tampered with; restore the last backup", k, m.Name)
		}
		out = append(out, m)
		return nil
	})
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, err
}

// Member returns one member.
func (s MemberService) Member(ctx context.Context, name string) (app.Member, error) {
	var m app.Member
	err := s.db.view(func(tx *Tx) error {
		var err error
		m, err = tx.member(name)
		return err
	})
	return m, err
}

func (tx *Tx) member(name string) (app.Member, error) {
	var m app.Member
	ok, err := tx.get(memberKey(name), &m)
	if err == nil && !ok {
		return m, app.Errorf(app.ENOTFOUND, "没有名为 %s 的成员（用 members add 添加，members list 查看）", "there is no member called %s (add one with members add, see members list)", name)
	}
	return m, err
}

// VerifyPassphrase checks a member's passphrase against their sealed key; a wrong one is
// recorded as a refused sign-in.
func (s MemberService) VerifyPassphrase(ctx context.Context, name, passphrase string) error {
	m, err := s.Member(ctx, name)
	if err != nil {
		return err
	}
	if !m.Active() {
		return app.Errorf(app.EINVALID, "%s 已不在成员名单上，不能登录", "%s is no longer on the roster and cannot sign in", name)
	}
	if _, err := m.Unlock(passphrase); err != nil {
		if app.WrongPassphrase(err) {
			e := app.Errorf(app.EUNAUTHORIZED, "%s 的口令不正确，未登录（本次尝试已记入操作日志）", "wrong passphrase for %s: not signed in (the attempt is in the audit log)", name)
			e.Err = app.ErrPassphrase
			err = e
		}
		if app.ErrorCode(err) == app.EUNAUTHORIZED {
			s.db.AuditRefusal(name, "member.signin", name, err)
		}
		return err
	}
	return nil
}

// ChangePassphrase reseals a member's key under a new passphrase.
func (s MemberService) ChangePassphrase(ctx context.Context, name, oldPass, newPass string) error {
	m, err := s.Member(ctx, name)
	if err != nil {
		return err
	}
	m2, err := m.Reseal(oldPass, newPass, nil)
	if err != nil {
		if app.ErrorCode(err) == app.EUNAUTHORIZED {
			s.db.AuditRefusal(name, "member.passphrase", name, err)
		}
		return err
	}
	return s.db.update(func(tx *Tx) error {
		cur, err := tx.member(name)
		if err != nil {
			return err
		}
		if !cur.PublicKey.Equal(m.PublicKey) {
			return app.Errorf(app.ECONFLICT, "成员 %s 的记录刚被改动过，请重试", "the record of %s changed meanwhile; try again", name)
		}
		if err := tx.put(memberKey(name), m2); err != nil {
			return err
		}
		return tx.audit(name, "member.passphrase", name, "")
	})
}
