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
		return tx.audit(who, "cash.deposit", fmt.Sprintf("#%d %s %s %s %s", e.Seq, d.Date, d.Fund, d.Slip, app.PlainAmount(d.Amount)), why)
	})
	return d, err
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
