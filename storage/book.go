package storage

import (
	"context"

	"sunledger/app"
)

// Init creates an empty community book; ECONFLICT if the folder already holds one.
func (s BookService) Init(ctx context.Context, c app.Community, who string) error {
	if err := c.Validate(); err != nil {
		return err
	}
	return s.db.update(func(tx *Tx) error {
		if ok, err := tx.has(keyCommunity); err != nil || ok {
			if ok {
				return app.Errorf(app.ECONFLICT, "数据文件夹 %s 里已经有一个账本：没有做任何更改；新的小区请用另一个数据文件夹（--data）", "the data folder %s already holds a book: nothing was changed; use another data folder (--data) for a new community", s.db.dir)
			}
			return err
		}
		if c.CreatedAt.IsZero() {
			c.CreatedAt = tx.now.UTC()
		}
		if err := tx.put(keySchema, SchemaVersion); err != nil {
			return err
		}
		if err := tx.put(keyCommunity, c); err != nil {
			return err
		}
		id, err := newBookID()
		if err != nil {
			return err
		}
		if err := tx.put(keyBookID, id); err != nil {
			return err
		}
		return tx.audit(who, "book.init", c.Name, "")
	})
}

// Community returns the book's community; ENOTFOUND if the folder holds no book.
func (s BookService) Community(ctx context.Context) (app.Community, error) {
	var c app.Community
	err := s.db.view(func(tx *Tx) error {
		ok, err := tx.get(keyCommunity, &c)
		if err == nil && !ok {
			return ErrNoBook(s.db.dir)
		}
		return err
	})
	return c, err
}

// UpdateCommunity changes the community's name or settings.
func (s BookService) UpdateCommunity(ctx context.Context, c app.Community, who, why string) error {
	if err := c.Validate(); err != nil {
		return err
	}
	return s.db.update(func(tx *Tx) error {
		var old app.Community
		ok, err := tx.get(keyCommunity, &old)
		if err != nil {
			return err
		}
		if !ok {
			return ErrNoBook(s.db.dir)
		}
		c.CreatedAt = old.CreatedAt
		if err := tx.put(keyCommunity, c); err != nil {
			return err
		}
		return tx.audit(who, "book.settings", c.Name, why)
	})
}

// ErrNoBook is the ENOTFOUND error for a folder that holds no book.
func ErrNoBook(dir string) error {
	return app.Errorf(app.ENOTFOUND, "数据文件夹 %s 里还没有账本：请先用 init 创建，或用 demo 生成示例小区",
		"the data folder %s holds no book yet: create one with init, or a demo community with demo", dir)
}

// Audit returns the audit log, oldest first.
func (s BookService) Audit(ctx context.Context) ([]app.AuditRecord, error) {
	var out []app.AuditRecord
	err := s.db.view(func(tx *Tx) error {
		return eachJSON(tx, prefixAudit, func(_ string, r app.AuditRecord) error {
			out = append(out, r)
			return nil
		})
	})
	return out, err
}

// requireBook fails with ENOTFOUND inside a transaction when the folder holds no book.
func (tx *Tx) requireBook() error {
	ok, err := tx.has(keyCommunity)
	if err == nil && !ok {
		return ErrNoBook(tx.db.dir)
	}
	return err
}
