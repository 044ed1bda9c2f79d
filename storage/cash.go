package storage

import (
	"context"
	"fmt"
	"strings"

	"github.com/shopspring/decimal"

	"sunledger/app"
)

var _ app.CashService = CashService{}

func init() {
	// A reversed deposit keeps its record (and its slip), marked with the reversal.
	reversalHooks[app.DocDeposit] = func(tx *Tx, slip string, reversed app.Entry, by int64) error {
		var d app.CashDeposit
		ok, err := tx.get(cashDepositKey(slip), &d)
		if err != nil || !ok || d.Entry != reversed.Seq {
			return err
		}
		d.Reversed = by
		return tx.put(cashDepositKey(slip), d)
	}
}

// DepositCash posts cash taken to the bank, refusing more than the fund's cash on hand.
func (s CashService) DepositCash(ctx context.Context, d app.CashDeposit, who, why string) (app.CashDeposit, error) {
	if err := d.Validate(); err != nil {
		return d, err
	}
	d.Slip = strings.TrimSpace(d.Slip)
	d.Confirmed, d.Scan = nil, nil
	var fresh []string
	if d.ScanFile != nil {
		a, err := s.storeScan(*d.ScanFile)
		if err != nil {
			return d, err
		}
		if a != nil {
			fresh = []string{a.SHA256}
		}
		x := d.ScanFile.Describe()
		d.Scan = &x
	}
	d.ScanFile = nil
	err := s.db.update(func(tx *Tx) error {
		if err := tx.requireBook(); err != nil {
			return err
		}
		if d.Date == "" {
			d.Date = tx.today()
		}
		if d.Date > tx.today() {
			return errFutureDate(d.Date)
		}
		if used, err := tx.has(cashDepositKey(d.Slip)); err != nil {
			return err
		} else if used {
			return app.Errorf(app.ECONFLICT, "缴款单 %s 已经记过账了；没有做任何更改", "deposit slip %s is already booked; nothing was changed", d.Slip)
		}
		cash, err := tx.accountBalance(app.CashAccount(d.Fund))
		if err != nil {
			return err
		}
		if d.Amount.GreaterThan(cash) {
			return app.Errorf(app.EINVALID, "%s的库存现金只有 %s，不能存入 %s；没有做任何更改", "%s holds only %s in cash, not %s; nothing was changed",
				d.Fund.Label(), app.FormatAmount(cash), app.FormatAmount(d.Amount))
		}
		e, err := tx.postEntry(d.JournalEntry(), who)
		if err != nil {
			return err
		}
		d.Entry, d.Who = e.Seq, who
		if err := tx.put(cashDepositKey(d.Slip), d); err != nil {
			return err
		}
		what := fmt.Sprintf("#%d %s %s %s %s", e.Seq, d.Date, d.Fund, d.Slip, app.PlainAmount(d.Amount))
		if d.Scan != nil {
			what += " scan " + d.Scan.SHA256[:12]
		}
		return tx.audit(who, "cash.deposit", what, why)
	})
	if err != nil {
		s.db.dropBlobs(fresh)
	}
	return d, err
}

// storeScan stores a slip's scan as a content-addressed blob in its own transaction and
// returns it when this call added it (nil when it was already stored), for removal if
// what it belongs to is refused.
func (s CashService) storeScan(f app.AttachmentFile) (*app.Attachment, error) {
	if len(f.Data) == 0 || strings.TrimSpace(f.Name) == "" {
		return nil, app.Errorf(app.EINVALID, "缴款单扫描件是空文件；没有做任何更改", "the slip's scan is an empty file; nothing was changed")
	}
	a := f.Describe()
	var had bool
	err := s.db.update(func(tx *Tx) error {
		var err error
		if had, err = tx.has(attachmentKey(a.SHA256, 0)); err != nil || had {
			return err
		}
		return tx.putBlob(a.SHA256, f.Data)
	})
	if err != nil || had {
		return nil, err
	}
	return &a, nil
}

func (tx *Tx) cashDeposit(slip string) (app.CashDeposit, error) {
	var d app.CashDeposit
	ok, err := tx.get(cashDepositKey(strings.TrimSpace(slip)), &d)
	if err == nil && !ok {
		return d, app.Errorf(app.ENOTFOUND, "没有缴款单号为 %s 的存款；没有做任何更改", "there is no deposit with slip %s; nothing was changed", slip)
	}
	return d, err
}

// AttachDepositScan keeps the slip's scan with a deposit recorded without one.
func (s CashService) AttachDepositScan(ctx context.Context, slip string, f app.AttachmentFile, who string) (app.CashDeposit, error) {
	a, err := s.storeScan(f)
	if err != nil {
		return app.CashDeposit{}, err
	}
	var out app.CashDeposit
	err = s.db.update(func(tx *Tx) error {
		d, err := tx.cashDeposit(slip)
		if err != nil {
			return err
		}
		if d.Scan != nil {
			return app.Errorf(app.ECONFLICT, "缴款单 %s 已有扫描件 %s；没有做任何更改", "deposit slip %s already has its scan %s; nothing was changed", d.Slip, d.Scan.Name)
		}
		x := f.Describe()
		d.Scan = &x
		if err := tx.put(cashDepositKey(d.Slip), d); err != nil {
			return err
		}
		out = d
		return tx.audit(who, "cash.deposit.scan", d.Slip+" "+x.Name+" "+x.SHA256[:12], "")
	})
	if err != nil && a != nil {
		s.db.dropBlobs([]string{a.SHA256})
	}
	return out, err
}

// ConfirmDeposit adds a second member's signed confirmation of a deposit.
func (s CashService) ConfirmDeposit(ctx context.Context, slip, member, passphrase string) (app.CashDeposit, error) {
	m, err := s.db.memberService().Member(ctx, member)
	if err != nil {
		return app.CashDeposit{}, err
	}
	key, err := m.Unlock(passphrase)
	if err != nil {
		if app.WrongPassphrase(err) {
			_ = s.db.update(func(tx *Tx) error {
				return tx.audit(member, "cash.deposit.confirm.refused", strings.TrimSpace(slip)+" wrong passphrase", "")
			})
			return app.CashDeposit{}, app.Errorf(app.EUNAUTHORIZED, "%s 的口令不正确，没有确认（本次尝试已记入操作日志）", "wrong passphrase for %s: nothing was confirmed (the attempt is in the audit log)", member)
		}
		return app.CashDeposit{}, err
	}
	var out app.CashDeposit
	err = s.db.update(func(tx *Tx) error {
		d, err := tx.cashDeposit(slip)
		if err != nil {
			return err
		}
		if d, err = d.Confirm(m, key, app.StepTime(ctx, tx.now)); err != nil {
			return err
		}
		if err := tx.put(cashDepositKey(d.Slip), d); err != nil {
			return err
		}
		out = d
		return tx.audit(member, "cash.deposit.confirm", fmt.Sprintf("%s #%d %s recorded by %s", d.Slip, d.Entry, app.PlainAmount(d.Amount), d.Who), "")
	})
	return out, err
}

// DepositScan returns a deposit's scan with its bytes.
func (s CashService) DepositScan(ctx context.Context, slip string) (app.Attachment, []byte, error) {
	var a app.Attachment
	var data []byte
	err := s.db.view(func(tx *Tx) error {
		d, err := tx.cashDeposit(slip)
		if err != nil {
			return err
		}
		if d.Scan == nil {
			return app.Errorf(app.ENOTFOUND, "缴款单 %s 没有扫描件", "deposit slip %s has no scan", d.Slip)
		}
		a = *d.Scan
		data, err = tx.blob(a.SHA256)
		return err
	})
	return a, data, err
}

// CashDeposits lists the deposits by slip number.
func (s CashService) CashDeposits(ctx context.Context) ([]app.CashDeposit, error) {
	return read(s.db, func(tx *Tx) ([]app.CashDeposit, error) { return all[app.CashDeposit](tx, prefixCashDeposit) })
}

// SetCashLimit sets or (with 0) removes a fund's cash limit.
func (s CashService) SetCashLimit(ctx context.Context, f app.Fund, limit decimal.Decimal, who, why string) error {
	if _, err := app.ParseFund(string(f)); err != nil {
		return err
	}
	if limit.IsNegative() || !limit.Equal(limit.Round(2)) {
		return app.Errorf(app.EINVALID, "现金限额不能为负数，最多两位小数；没有做任何更改", "a cash limit cannot be negative and has at most 2 decimals; nothing was changed")
	}
	return s.db.update(func(tx *Tx) error {
		if err := tx.requireBook(); err != nil {
			return err
		}
		limits, err := tx.cashLimits()
		if err != nil {
			return err
		}
		if limit.IsZero() {
			delete(limits, f)
		} else {
			limits[f] = limit
		}
		if err := tx.put(keyCashLimits, limits); err != nil {
			return err
		}
		return tx.audit(who, "cash.limit", fmt.Sprintf("%s %s", f, app.PlainAmount(limit)), why)
	})
}

func (tx *Tx) cashLimits() (map[app.Fund]decimal.Decimal, error) {
	limits := map[app.Fund]decimal.Decimal{}
	_, err := tx.get(keyCashLimits, &limits)
	return limits, err
}

// CashLimits returns the limits set, by fund.
func (s CashService) CashLimits(ctx context.Context) (map[app.Fund]decimal.Decimal, error) {
	return read(s.db, func(tx *Tx) (map[app.Fund]decimal.Decimal, error) { return tx.cashLimits() })
}

// SetCashDays sets within how many days cash received should be banked (0: not checked).
func (s CashService) SetCashDays(ctx context.Context, days int, who, why string) error {
	if days < 0 || days > 366 {
		return app.Errorf(app.EINVALID, "存入银行的天数应为 0 到 366（0 表示不检查）；没有做任何更改", "the days to bank cash within must be 0 to 366 (0: not checked); nothing was changed")
	}
	return s.db.update(func(tx *Tx) error {
		if err := tx.requireBook(); err != nil {
			return err
		}
		if err := tx.put(keyCashDays, days); err != nil {
			return err
		}
		return tx.audit(who, "cash.days", fmt.Sprint(days), why)
	})
}

// CashDays is within how many days cash should be banked (0 if not set).
func (s CashService) CashDays(ctx context.Context) (int, error) {
	return read(s.db, func(tx *Tx) (int, error) {
		var n int
		_, err := tx.get(keyCashDays, &n)
		return n, err
	})
}
