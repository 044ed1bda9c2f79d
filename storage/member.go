package storage

import (
	"context"
	"sort"

	"sunledger/app"
)

var _ app.MemberService = (*DB)(nil)

// AddMember records a member of the approval chain.
func (db *DB) AddMember(ctx context.Context, m app.Member, who, why string) error {
	if err := m.Validate(); err != nil {
		return err
	}
	return db.update(func(tx *Tx) error {
		if err := tx.requireBook(); err != nil {
			return err
		}
		if ok, err := tx.has(memberKey(m.Name)); err != nil || ok {
			if ok {
				return app.Errorf(app.ECONFLICT, "已有名为 %s 的成员", "there is already a member called %s", m.Name)
			}
			return err
		}
		if m.Created.IsZero() {
			m.Created = tx.now.UTC()
		}
		if err := tx.put(memberKey(m.Name), m); err != nil {
			return err
		}
		return tx.audit(who, "member.add", m.Name+" "+string(m.Role), why)
	})
}

// Members lists the members by name.
func (db *DB) Members(ctx context.Context) ([]app.Member, error) {
	return read(db, (*Tx).members)
}

func (tx *Tx) members() ([]app.Member, error) {
	var out []app.Member
	err := eachJSON(tx, prefixMember, func(_ string, m app.Member) error {
		out = append(out, m)
		return nil
	})
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, err
}

// Member returns one member.
func (db *DB) Member(ctx context.Context, name string) (app.Member, error) {
	var m app.Member
	err := db.view(func(tx *Tx) error {
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

// ChangePassphrase reseals a member's key under a new passphrase.
func (db *DB) ChangePassphrase(ctx context.Context, name, oldPass, newPass string) error {
	m, err := db.Member(ctx, name)
	if err != nil {
		return err
	}
	m2, err := m.Reseal(oldPass, newPass, nil)
	if err != nil {
		if app.ErrorCode(err) == app.EUNAUTHORIZED {
			db.AuditRefusal(name, "member.passphrase", name, err)
		}
		return err
	}
	return db.update(func(tx *Tx) error {
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
