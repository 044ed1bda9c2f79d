package storage

import (
	"context"
	"strings"

	"sunledger/app"
)

var _ app.ChartService = ChartService{}

// Accounts returns the chart of accounts.
func (s ChartService) Accounts(ctx context.Context) ([]app.Account, error) {
	return read(s.db, (*Tx).accounts)
}

// AddAccount extends the chart.
func (s ChartService) AddAccount(ctx context.Context, a app.Account, who, why string) error {
	a.Builtin = false
	if err := a.Validate(); err != nil {
		return err
	}
	return s.db.update(func(tx *Tx) error {
		if err := tx.requireBook(); err != nil {
			return err
		}
		accts, err := tx.accounts()
		if err != nil {
			return err
		}
		for _, x := range accts {
			if x.Name == a.Name {
				return app.Errorf(app.ECONFLICT, "科目 %s 已经存在", "account %s already exists", a.Name)
			}
			if strings.HasPrefix(x.Name, a.Name+":") || strings.HasPrefix(a.Name, x.Name+":") {
				return app.Errorf(app.ECONFLICT, "科目 %s 与已有科目 %s 互为上下级：只在最末级记账，请换个名称", "account %s would be a parent or child of %s: entries go to leaf accounts only, choose another name", a.Name, x.Name)
			}
		}
		if err := tx.put(accountKey(a.Name), a); err != nil {
			return err
		}
		return tx.audit(who, "ledger.account.add", a.Name, why)
	})
}

// Lock locks every period through month, refusing while a month being locked shows an
// unexplained bank reconciliation difference (docs/bank.md).
func (s ChartService) Lock(ctx context.Context, month, who, why string) error {
	return s.lock(month, who, why, false)
}

// LockOverriding locks through month even with an unexplained bank difference; the
// reason is required and audited.
func (s ChartService) LockOverriding(ctx context.Context, month, who, why string) error {
	if strings.TrimSpace(why) == "" {
		return app.Errorf(app.EINVALID, "越过对账差额锁定必须写明原因（--why）；没有锁定任何期间", "locking over a bank difference needs a reason (--why); nothing was locked")
	}
	return s.lock(month, who, why, true)
}

func (s ChartService) lock(month, who, why string, override bool) error {
	if _, err := app.ParseMonth(month); err != nil {
		return err
	}
	return s.db.update(func(tx *Tx) error {
		if err := tx.requireBook(); err != nil {
			return err
		}
		var cur string
		if _, err := tx.get(keyLedgerLock, &cur); err != nil {
			return err
		}
		if month < cur {
			return app.Errorf(app.ECONFLICT, "账期已锁定至 %s，锁定只能向后推进，不能解锁", "the books are locked through %s; a lock only moves forward and cannot be undone", cur)
		}
		if month > tx.today()[:7] {
			return app.Errorf(app.EINVALID, "不能锁定未来的月份 %s", "cannot lock a future month (%s)", month)
		}
		if err := tx.refuseWhilePending("没有锁定任何期间", "nothing was locked"); err != nil {
			return err
		}
		action := "ledger.lock"
		if err := tx.unreconciled(cur, month); err != nil {
			if !override {
				return err
			}
			action = "ledger.lock.override"
		}
		if err := tx.put(keyLedgerLock, month); err != nil {
			return err
		}
		return tx.audit(who, action, month, why)
	})
}

// LockedThrough is the last locked month.
func (s ChartService) LockedThrough(ctx context.Context) (string, error) {
	var m string
	err := s.db.view(func(tx *Tx) error {
		_, err := tx.get(keyLedgerLock, &m)
		return err
	})
	return m, err
}
