package storage

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/shopspring/decimal"

	"sunledger/app"
)

func (tx *Tx) billingRuns() ([]app.BillingRun, error) {
	return all[app.BillingRun](tx, prefixRun)
}

// BillingRuns lists the months billed.
func (s FeeService) BillingRuns(ctx context.Context) ([]app.BillingRun, error) {
	return read(s.db, (*Tx).billingRuns)
}

// Bill bills every unit for each month from..to, each month whole or not at all as far
// as anyone can see. The range is checked first (every month at most one month ahead,
// priced and unlocked, no other month pending) so a refused run writes nothing. Months
// already billed are skipped and returned with Skipped set: re-running an interrupted
// range finishes it. A month left pending by an interrupted run is finished first.
// Each month is then written on its own (see billMonth), because a range of many
// months of a large community does not fit one database transaction.
func (s FeeService) Bill(ctx context.Context, from, to, who, why string) ([]app.BillingRun, error) {
	months, err := app.ParseMonthRange(from, to)
	if err != nil {
		return nil, err
	}
	plan, skipped, err := s.db.planBilling(months)
	if err != nil {
		return nil, err
	}
	return s.db.billPlan(ctx, plan, skipped, who, why)
}

// checkBillable checks that the months ms can be billed now (book open, none billed
// or locked, units registered, every bill priceable) and returns the register and
// prices to bill them with. It runs before anything is written and again in every
// transaction that writes a month.
func checkBillable(tx *Tx, ms []string) ([]app.Unit, []app.FeePrice, error) {
	if err := tx.requireBook(); err != nil {
		return nil, nil, err
	}
	var lock string
	if _, err := tx.get(keyLedgerLock, &lock); err != nil {
		return nil, nil, err
	}
	for _, m := range ms {
		if ok, err := tx.has(runKey(m)); err != nil || ok {
			if ok {
				return nil, nil, app.Errorf(app.ECONFLICT, "%s 已经开过账单，不能重复开单；没有开出任何账单", "%s has already been billed and cannot be billed again; nothing was billed", m)
			}
			return nil, nil, err
		}
		if app.Locked(m+"-01", lock) {
			return nil, nil, app.Errorf(app.ELOCKED, "%s 所在期间已锁定（已公示至 %s），不能开单；没有开出任何账单", "%s is in a locked period (disclosed through %s); nothing was billed", m, lock)
		}
	}
	units, err := tx.units()
	if err != nil {
		return nil, nil, err
	}
	if len(units) == 0 {
		return nil, nil, app.Errorf(app.EINVALID, "登记册是空的：请先导入房号", "the register is empty: import the units first")
	}
	prices, err := tx.prices()
	if err != nil {
		return nil, nil, err
	}
	for _, m := range ms {
		if _, err := app.MakeBills(units, prices, m); err != nil {
			return nil, nil, err
		}
	}
	return units, prices, nil
}

// planBilling decides, in one read, which months of the range to write and in what
// order: months left pending by an interrupted run first, then the months not yet
// billed. Months already billed come back as skipped runs. It refuses the whole range
// (writing nothing) when a month is too far ahead, a pending month lies outside the
// range, every month is already billed, or checkBillable refuses.
func (db *DB) planBilling(months []string) (plan []string, skipped []app.BillingRun, err error) {
	err = db.view(func(tx *Tx) error {
		if err := tx.requireBook(); err != nil {
			return err
		}
		ahead := app.AddMonths(tx.today()[:7], 1)
		for _, m := range months {
			if m > ahead {
				return app.Errorf(app.EINVALID, "%s 比本月 %s 超前一个月以上，不能提前开单；没有开出任何账单", "%s is more than one month ahead of this month (%s) and cannot be billed yet; nothing was billed", m, tx.today()[:7])
			}
		}
		pend, err := tx.pendingBillings()
		if err != nil {
			return err
		}
		pending := map[string]bool{}
		for _, p := range pend {
			if p.Period < months[0] || p.Period > months[len(months)-1] {
				return errPending(p.Period, "没有开出任何账单", "nothing was billed")
			}
			pending[p.Period] = true
			plan = append(plan, p.Period)
		}
		for _, m := range months {
			if pending[m] {
				continue
			}
			var r app.BillingRun
			ok, err := tx.get(runKey(m), &r)
			if err != nil {
				return err
			}
			if ok {
				r.Skipped = true
				skipped = append(skipped, r)
				continue
			}
			plan = append(plan, m)
		}
		if len(plan) == 0 {
			span := app.MonthSpan(months[0], months[len(months)-1])
			return app.Errorf(app.ECONFLICT, "%s 已经开过账单，不能重复开单；没有开出任何账单", "%s has already been billed and cannot be billed again; nothing was billed", span)
		}
		_, _, err = checkBillable(tx, plan)
		return err
	})
	return plan, skipped, err
}

// billPlan bills the planned months one after the other (each whole, see billMonth)
// and returns every run of the range, skipped ones included, by month. When a month
// fails after others were billed, the error says which months were billed.
func (db *DB) billPlan(ctx context.Context, plan []string, skipped []app.BillingRun, who, why string) ([]app.BillingRun, error) {
	var runs []app.BillingRun
	out := func() []app.BillingRun {
		all := append(append([]app.BillingRun(nil), skipped...), runs...)
		sort.SliceStable(all, func(i, j int) bool { return all[i].Period < all[j].Period })
		return all
	}
	for _, m := range plan {
		if err := ctx.Err(); err != nil {
			return out(), err
		}
		run, err := db.billMonth(m, checkBillable, who, why)
		if err != nil {
			if len(runs) > 0 {
				return out(), errPartlyBilled(runs, m, err)
			}
			return out(), err
		}
		runs = append(runs, run)
	}
	return out(), nil
}

// errPartlyBilled says that the months of runs were billed but month m failed with err.
func errPartlyBilled(runs []app.BillingRun, m string, err error) error {
	done := make([]string, len(runs))
	for i, r := range runs {
		done[i] = r.Period
	}
	list := strings.Join(done, "、")
	return &app.Error{Code: app.ErrorCode(err), Err: err,
		ZH: "已开出 " + list + " 的账单，" + m + " 未开出：" + errZH(err),
		EN: "billed " + strings.Join(done, ", ") + ", but not " + m + ": " + errEN(err)}
}

// errPending refuses something while a month is pending.
func errPending(month, zhTail, enTail string) error {
	return app.Errorf(app.ECONFLICT, "%[1]s 的物业费账单只开出了一部分（上次开单被中断，尚未生效）：请先重新运行 fees bill --period %[1]s 完成它；%[2]s",
		"the billing of %[1]s was interrupted and is only partly written (not in effect yet): finish it first by running fees bill --period %[1]s again; %[3]s",
		month, zhTail, enTail)
}

// refuseWhilePending refuses a change to what a pending month's bills depend on or sit
// on (payments, reversed receipts, prices, locks) until the month is finished.
func (tx *Tx) refuseWhilePending(zhTail, enTail string) error {
	pend, err := tx.pendingBillings()
	if err != nil || len(pend) == 0 {
		return err
	}
	return errPending(pend[0].Period, zhTail, enTail)
}

// pendingBillings lists the months being billed in parts (normally none).
func (tx *Tx) pendingBillings() ([]app.PendingBilling, error) {
	return all[app.PendingBilling](tx, prefixPending)
}

// shown turns a stored fee account into the one the books show: without the bills of
// months still pending. While a month is pending nothing else may touch the accounts
// (refuseWhilePending), so taking its bill off restores the account exactly.
func (tx *Tx) shown(fa *app.FeeAccount, pend []app.PendingBilling) error {
	for _, p := range pend {
		var b app.Bill
		ok, err := tx.get(billKey(p.Period, fa.Unit), &b)
		if err != nil {
			return err
		}
		if ok {
			fa.RemoveBill(b)
		}
	}
	return nil
}

// shownFeeAccount is a unit's fee account as the books show it.
func (tx *Tx) shownFeeAccount(unit string) (app.FeeAccount, error) {
	fa, err := tx.feeAccount(unit)
	if err != nil {
		return fa, err
	}
	pend, err := tx.pendingBillings()
	if err != nil {
		return fa, err
	}
	return fa, tx.shown(&fa, pend)
}

// eachShownFeeAccount calls fn with every unit's fee account as the books show it.
func (tx *Tx) eachShownFeeAccount(fn func(fa app.FeeAccount) error) error {
	pend, err := tx.pendingBillings()
	if err != nil {
		return err
	}
	return eachJSON(tx, prefixFeeAccount, func(_ string, fa app.FeeAccount) error {
		if err := tx.shown(&fa, pend); err != nil {
			return err
		}
		return fn(fa)
	})
}

// billMonth bills one month. For any community up to several thousand units this is
// one transaction: bills, unit accounts, the journal entry, run record and audit land
// together or not at all. A month too large for one database transaction (very large
// registers, or many units with years of open bills) is written in parts: each part
// stores its bills and puts them on the unit accounts, and adds its totals to the
// month's pending record (fee/pending/M). Nothing of a pending month is visible: it
// has no run record and no journal entry, readers take its bills off the accounts
// they show (shown), and payments, prices and locks wait for it. The last part posts
// the month's one billing entry (and the credit entry), writes the run record and
// drops the pending record in one transaction: that is when the month appears, whole.
// Running the same billing again after an interruption finishes the month (bills
// already written are skipped), so no unit is ever billed twice.
func (db *DB) billMonth(m string, check func(*Tx, []string) ([]app.Unit, []app.FeePrice, error), who, why string) (app.BillingRun, error) {
	start := 0
	for {
		var run app.BillingRun
		finished, resumed, wrote := false, false, 0
		err := db.update(func(tx *Tx) error {
			units, prices, err := check(tx, []string{m})
			if err != nil {
				return err
			}
			bills, err := app.MakeBills(units, prices, m)
			if err != nil {
				return err
			}
			p := app.PendingBilling{Period: m, Total: decimal.Zero, CreditApplied: decimal.Zero, Started: tx.now.UTC(), Who: who}
			if resumed, err = tx.get(pendingKey(m), &p); err != nil {
				return err
			}
			if start > len(bills) {
				start = len(bills)
			}
			n, err := tx.writeBills(&p, bills[start:], resumed)
			if err != nil {
				return err
			}
			wrote = n
			if start+n < len(bills) {
				if err := tx.put(pendingKey(m), p); err != nil {
					return err
				}
				return tx.audit(who, "fees.bill.part", fmt.Sprintf("%s: %d of %d units written so far, not in effect until the month is complete", m, p.Units, len(bills)), why)
			}
			finished = true
			run = app.BillingRun{Period: m, Units: p.Units, Total: p.Total, CreditApplied: p.CreditApplied,
				At: tx.now.UTC(), Who: who, Unpriced: app.UnpricedKinds(units, prices, m)}
			l, err := tx.ledger()
			if err != nil {
				return err
			}
			if run.Total.IsPositive() {
				e, err := l.post(app.BillingEntry(m, run.Total, run.Units), who)
				if err != nil {
					return err
				}
				run.EntrySeq = e.Seq
			}
			if run.CreditApplied.IsPositive() {
				if _, err := l.post(app.CreditEntry(m, run.CreditApplied), who); err != nil {
					return err
				}
			}
			if err := l.flush(); err != nil {
				return err
			}
			if resumed {
				if err := tx.delete(pendingKey(m)); err != nil {
					return err
				}
			}
			if err := tx.put(runKey(m), run); err != nil {
				return err
			}
			return tx.audit(who, "fees.bill", fmt.Sprintf("%s: %d units, %s, entry #%d", m, run.Units, app.PlainAmount(run.Total), run.EntrySeq), why)
		})
		if err != nil {
			if resumed || start > 0 {
				return run, &app.Error{Code: app.ErrorCode(err), Err: err,
					ZH: m + " 的账单只开出了一部分，尚未生效；排除问题后重新运行同一条 fees bill 命令即可完成：" + errZH(err),
					EN: m + " is only partly billed and not in effect; once the problem is fixed, run the same fees bill command again to finish it: " + errEN(err)}
			}
			return run, err
		}
		if finished {
			run.Resumed = resumed && start == 0
			return run, nil
		}
		start += wrote
	}
}

func errZH(err error) string {
	if e, ok := err.(*app.Error); ok {
		return e.ZH
	}
	return err.Error()
}

func errEN(err error) string {
	if e, ok := err.(*app.Error); ok {
		return e.EN
	}
	return err.Error()
}

// billPartBytes bounds what one transaction of a billing run writes, well under
// Badger's limit (15% of the 32 MB memtable); a few thousand units fit in one part.
var billPartBytes = 2 << 20 // a variable so tests can force parts

// writeBills stores bills from the front of bills until about billPartBytes are
// written and puts each on its unit's fee account (paying it from prepayment credit
// where there is some), adding them to p's totals. It posts nothing: the month's
// journal entries are posted by the part that completes it. It returns how many bills
// it consumed. With resume set (an interrupted run before), bills already stored are
// skipped.
func (tx *Tx) writeBills(p *app.PendingBilling, bills []app.Bill, resume bool) (int, error) {
	n, size := 0, 0
	for n < len(bills) && size < billPartBytes {
		b := bills[n]
		n++
		key := billKey(p.Period, b.Unit)
		if resume {
			if ok, err := tx.has(key); err != nil || ok {
				if err != nil {
					return n, err
				}
				continue
			}
		}
		fa, err := tx.feeAccount(b.Unit)
		if err != nil {
			return n, err
		}
		used := fa.AddBill(b)
		bb, err := json.Marshal(b)
		if err != nil {
			return n, err
		}
		fb, err := json.Marshal(fa)
		if err != nil {
			return n, err
		}
		if err := tx.putRaw(key, bb); err != nil {
			return n, err
		}
		if err := tx.putRaw(feeAccountKey(b.Unit), fb); err != nil {
			return n, err
		}
		size += len(key) + len(bb) + len(b.Unit) + len(fb) + 64
		p.Units++
		p.Total = p.Total.Add(b.Amount)
		p.CreditApplied = p.CreditApplied.Add(used)
	}
	return n, nil
}
