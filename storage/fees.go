package storage

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/dgraph-io/badger/v4"
	"github.com/shopspring/decimal"

	"sunledger/app"
)

var _ app.FeeService = FeeService{}

// SetPrice records a price from a month on. A month already billed cannot be repriced:
// its bills were made at the old price.
func (db FeeService) SetPrice(ctx context.Context, p app.FeePrice, who, why string) error {
	p.Kind = app.CanonicalKind(string(p.Kind)) // "Residential" and "住宅" price the same units
	if err := p.Validate(); err != nil {
		return err
	}
	return db.update(func(tx *Tx) error {
		if err := tx.requireBook(); err != nil {
			return err
		}
		if err := tx.refuseWhilePending("单价没有改动", "the price was not changed"); err != nil {
			return err
		}
		runs, err := tx.billingRuns()
		if err != nil {
			return err
		}
		if n := len(runs); n > 0 && runs[n-1].Period >= p.From {
			return app.Errorf(app.ECONFLICT, "%s 已经开过账单：新单价只能从 %s 之后的月份起生效", "%s has already been billed: a new price can only start after %s",
				runs[n-1].Period, runs[n-1].Period)
		}
		if err := tx.put(priceKey(p.Kind, p.From), p); err != nil {
			return err
		}
		return tx.audit(who, "fees.price", fmt.Sprintf("%s %s 元/m²·月 from %s", p.Kind, p.Price.String(), p.From), why)
	})
}

// Prices lists every price record.
func (db FeeService) Prices(ctx context.Context) ([]app.FeePrice, error) {
	return read(db.DB, (*Tx).prices)
}

func (tx *Tx) prices() ([]app.FeePrice, error) {
	return all[app.FeePrice](tx, prefixPrice)
}

func (tx *Tx) billingRuns() ([]app.BillingRun, error) {
	return all[app.BillingRun](tx, prefixRun)
}

// BillingRuns lists the months billed.
func (db FeeService) BillingRuns(ctx context.Context) ([]app.BillingRun, error) {
	return read(db.DB, (*Tx).billingRuns)
}

// Bill bills every unit for each month from..to, each month whole or not at all as far
// as anyone can see. The range is checked first (every month at most one month ahead,
// priced and unlocked, no other month pending) so a refused run writes nothing. Months
// already billed are skipped and returned with Skipped set: re-running an interrupted
// range finishes it. A month left pending by an interrupted run is finished first.
// Each month is then written on its own (see billMonth), because a range of many
// months of a large community does not fit one database transaction.
func (db FeeService) Bill(ctx context.Context, from, to, who, why string) ([]app.BillingRun, error) {
	months, err := app.ParseMonthRange(from, to)
	if err != nil {
		return nil, err
	}
	check := func(tx *Tx, ms []string) ([]app.Unit, []app.FeePrice, error) {
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
	var plan []string
	var skipped []app.BillingRun
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
		_, _, err = check(tx, plan)
		return err
	})
	if err != nil {
		return nil, err
	}
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
		run, err := db.billMonth(m, check, who, why)
		if err != nil {
			if len(runs) > 0 {
				done := make([]string, len(runs))
				for i, r := range runs {
					done[i] = r.Period
				}
				list := strings.Join(done, "、")
				return out(), &app.Error{Code: app.ErrorCode(err), Err: err,
					ZH: "已开出 " + list + " 的账单，" + m + " 未开出：" + errZH(err),
					EN: "billed " + strings.Join(done, ", ") + ", but not " + m + ": " + errEN(err)}
			}
			return out(), err
		}
		runs = append(runs, run)
	}
	return out(), nil
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

func (tx *Tx) feeAccount(unit string) (app.FeeAccount, error) {
	fa := app.FeeAccount{Unit: unit}
	_, err := tx.get(feeAccountKey(unit), &fa)
	return fa, err
}

// Pay records one payment.
func (db FeeService) Pay(ctx context.Context, p app.PaymentRequest, who, why string) (app.Payment, error) {
	ps, err := db.payMany(ctx, []app.PaymentRequest{p}, who, why)
	if err != nil {
		return app.Payment{}, err
	}
	return ps[0], nil
}

// PayMany records many payments in one transaction, all or nothing.
func (db FeeService) PayMany(ctx context.Context, reqs []app.PaymentRequest, who, why string) ([]app.Payment, error) {
	return db.payMany(ctx, reqs, who, why)
}

func (db *DB) payMany(ctx context.Context, reqs []app.PaymentRequest, who, why string) ([]app.Payment, error) {
	for _, r := range reqs {
		if err := r.Validate(); err != nil {
			return nil, err
		}
	}
	if len(reqs) == 0 {
		return nil, nil
	}
	var out []app.Payment
	err := db.update(func(tx *Tx) error {
		out = out[:0]
		if err := tx.requireBook(); err != nil {
			return err
		}
		if err := tx.refuseWhilePending("没有记录任何缴费", "no payment was recorded"); err != nil {
			return err
		}
		l, err := tx.ledger()
		if err != nil {
			return err
		}
		var seq int64
		if _, err := tx.get(keySeq+"receipt", &seq); err != nil {
			return err
		}
		accts := map[string]*app.FeeAccount{}
		units := map[string]app.Unit{}
		var prices []app.FeePrice // read when a payment prepays (CheckPrepayment)
		today := tx.today()
		for _, r := range reqs {
			u, ok := units[r.Unit]
			if !ok {
				found, err := tx.get(unitKey(r.Unit), &u)
				if err != nil {
					return err
				}
				if !found {
					return app.Errorf(app.ENOTFOUND, "登记册里没有房号 %s；没有记录任何缴费", "unit %s is not in the register; no payment was recorded", r.Unit)
				}
				units[r.Unit] = u
			}
			fa := accts[r.Unit]
			if fa == nil {
				a, err := tx.feeAccount(r.Unit)
				if err != nil {
					return err
				}
				fa = &a
				accts[r.Unit] = fa
			}
			if r.Date == "" {
				r.Date = today
			}
			if err := tx.checkAhead(r.Date); err != nil {
				return err
			}
			method, _ := app.ParseMethod(string(r.Method))
			allocs, credit, err := fa.Allocate(r.Amount, r.Bills)
			if err != nil {
				return err
			}
			if credit.IsPositive() && !r.AllowLarge {
				if prices == nil {
					if prices, err = tx.prices(); err != nil {
						return err
					}
				}
				monthly, _ := app.MonthlyFee(u, prices, r.Date[:7])
				if err := app.CheckPrepayment(r.Unit, credit, monthly, false); err != nil {
					return err
				}
			}
			seq++
			p := app.Payment{Receipt: app.ReceiptNo(seq), Unit: r.Unit, Payer: r.Payer, Amount: r.Amount, Date: r.Date,
				Method: method, Allocations: allocs, Credit: credit, Who: who, At: tx.now.UTC()}
			if strings.TrimSpace(p.Payer) == "" {
				p.Payer = app.PayerOf(u)
			}
			e, err := l.post(app.PaymentEntry(p), who)
			if err != nil {
				return err
			}
			p.EntrySeq = e.Seq
			if err := tx.put(paymentKey(p.Receipt), p); err != nil {
				return err
			}
			if err := tx.putRaw(unitPaymentKey(p.Unit, p.Receipt), nil); err != nil {
				return err
			}
			out = append(out, p)
		}
		for unit, fa := range accts {
			if err := tx.put(feeAccountKey(unit), fa); err != nil {
				return err
			}
		}
		if err := tx.put(keySeq+"receipt", seq); err != nil {
			return err
		}
		if err := l.flush(); err != nil {
			return err
		}
		if len(out) == 1 {
			p := out[0]
			return tx.audit(who, "fees.pay", fmt.Sprintf("%s %s %s %s %s #%d", p.Receipt, p.Unit, app.PlainAmount(p.Amount), p.Method, p.Date, p.EntrySeq), why)
		}
		total := decimal.Zero
		for _, p := range out {
			total = total.Add(p.Amount)
		}
		return tx.audit(who, "fees.pay", fmt.Sprintf("%d payments %s–%s, total %s", len(out), out[0].Receipt, out[len(out)-1].Receipt, app.PlainAmount(total)), why)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// reversePayment marks a receipt reversed by entry seq and reopens what it paid.
func (tx *Tx) reversePayment(receipt string, by int64) error {
	if err := tx.refuseWhilePending("没有冲销任何收据", "no receipt was reversed"); err != nil {
		return err
	}
	var p app.Payment
	ok, err := tx.get(paymentKey(receipt), &p)
	if err != nil {
		return err
	}
	if !ok {
		return app.Errorf(app.ENOTFOUND, "没有收据 %s", "there is no receipt %s", receipt)
	}
	fa, err := tx.feeAccount(p.Unit)
	if err != nil {
		return err
	}
	amounts := map[string]decimal.Decimal{}
	for _, a := range p.Allocations {
		var b app.Bill
		if _, err := tx.get(billKey(a.Period, p.Unit), &b); err != nil {
			return err
		}
		amounts[a.Period] = b.Amount
	}
	if err := fa.Unallocate(p.Allocations, p.Credit, amounts); err != nil {
		return err
	}
	p.Reversed = by
	if err := tx.put(paymentKey(receipt), p); err != nil {
		return err
	}
	return tx.put(feeAccountKey(p.Unit), fa)
}

// Payment returns one receipt.
func (db FeeService) Payment(ctx context.Context, receipt string) (app.Payment, error) {
	var p app.Payment
	err := db.view(func(tx *Tx) error {
		ok, err := tx.get(paymentKey(strings.ToUpper(strings.TrimSpace(receipt))), &p)
		if err == nil && !ok {
			return app.Errorf(app.ENOTFOUND, "没有收据 %s", "there is no receipt %s", receipt)
		}
		return err
	})
	return p, err
}

// Arrears lists every unit that owes money, in unit order.
func (db FeeService) Arrears(ctx context.Context) ([]app.Arrears, error) {
	var out []app.Arrears
	err := db.view(func(tx *Tx) error {
		if err := tx.requireBook(); err != nil {
			return err
		}
		var rule app.LateFeeRule
		if _, err := tx.get(keyLateFee, &rule); err != nil {
			return err
		}
		today := tx.today()
		return tx.eachShownFeeAccount(func(fa app.FeeAccount) error {
			if len(fa.Open) == 0 {
				return nil
			}
			var u app.Unit
			if _, err := tx.get(unitKey(fa.Unit), &u); err != nil {
				return err
			}
			out = append(out, app.ArrearsOf(fa, app.PayerOf(u), today[:7], rule, today))
			return nil
		})
	})
	app.SortArrears(out)
	return out, err
}

// Collection is the collection rate over the months from..to: billed from the billing
// runs, received = billed − what is still open on those months' bills.
func (db FeeService) Collection(ctx context.Context, from, to string) (app.Collection, error) {
	c := app.Collection{From: from, To: to, Billed: decimal.Zero, Received: decimal.Zero, Outstanding: decimal.Zero}
	err := db.view(func(tx *Tx) error {
		if err := tx.requireBook(); err != nil {
			return err
		}
		billed := map[string]bool{}
		for _, m := range app.MonthRange(from, to) {
			var run app.BillingRun
			ok, err := tx.get(runKey(m), &run)
			if err != nil {
				return err
			}
			if !ok {
				continue
			}
			c.Billed = c.Billed.Add(run.Total)
			opts := badger.DefaultIteratorOptions
			opts.PrefetchValues = false
			opts.Prefix = []byte(billPrefix(m))
			it := tx.txn.NewIterator(opts)
			for it.Rewind(); it.Valid(); it.Next() {
				billed[strings.TrimPrefix(string(it.Item().Key()), billPrefix(m))] = true
			}
			it.Close()
		}
		unpaid := map[string]bool{}
		err := tx.eachShownFeeAccount(func(fa app.FeeAccount) error {
			for _, b := range fa.Open {
				if b.Period >= from && b.Period <= to {
					c.Outstanding = c.Outstanding.Add(b.Due)
					unpaid[fa.Unit] = true
				}
			}
			return nil
		})
		c.Received = c.Billed.Sub(c.Outstanding)
		c.HouseholdsBilled = len(billed)
		c.HouseholdsPaid = len(billed) - len(unpaid)
		return err
	})
	return c, err
}

// Bills lists the bills of a month in unit order.
func (db FeeService) Bills(ctx context.Context, month string) ([]app.Bill, error) {
	var out []app.Bill
	err := db.view(func(tx *Tx) error {
		if pending, err := tx.has(pendingKey(month)); err != nil || pending {
			return err // a month still being billed has no bills yet, as far as anyone sees
		}
		return eachJSON(tx, billPrefix(month), func(_ string, b app.Bill) error {
			out = append(out, b)
			return nil
		})
	})
	sort.SliceStable(out, func(i, j int) bool { return app.UnitLess(out[i].Unit, out[j].Unit) })
	return out, err
}

// Statement is one unit's bills, open position and payments.
func (db FeeService) Statement(ctx context.Context, unit string) (app.UnitStatement, error) {
	var st app.UnitStatement
	err := db.view(func(tx *Tx) error {
		ok, err := tx.get(unitKey(unit), &st.Unit)
		if err != nil {
			return err
		}
		if !ok {
			return app.Errorf(app.ENOTFOUND, "登记册里没有房号 %s", "unit %s is not in the register", unit)
		}
		runs, err := tx.billingRuns()
		if err != nil {
			return err
		}
		for _, r := range runs {
			var b app.Bill
			ok, err := tx.get(billKey(r.Period, unit), &b)
			if err != nil {
				return err
			}
			if ok {
				st.Bills = append(st.Bills, b)
			}
		}
		if st.Account, err = tx.shownFeeAccount(unit); err != nil {
			return err
		}
		return tx.each(unitPaymentPrefix(unit), func(k string, _ []byte) error {
			var p app.Payment
			if _, err := tx.get(paymentKey(strings.TrimPrefix(k, unitPaymentPrefix(unit))), &p); err != nil {
				return err
			}
			st.Payments = append(st.Payments, p)
			return nil
		})
	})
	return st, err
}

// SetLateFeeRule records the contract's late-fee clause.
func (db FeeService) SetLateFeeRule(ctx context.Context, r app.LateFeeRule, who, why string) error {
	if err := r.Validate(); err != nil {
		return err
	}
	return db.update(func(tx *Tx) error {
		if err := tx.requireBook(); err != nil {
			return err
		}
		if err := tx.put(keyLateFee, r); err != nil {
			return err
		}
		return tx.audit(who, "fees.latefee", fmt.Sprintf("daily rate %s, grace %d days", r.DailyRate.String(), r.GraceDays), why)
	})
}

// LateFeeRule returns the late-fee clause.
func (db FeeService) LateFeeRule(ctx context.Context) (app.LateFeeRule, error) {
	var r app.LateFeeRule
	err := db.view(func(tx *Tx) error {
		_, err := tx.get(keyLateFee, &r)
		return err
	})
	return r, err
}

// verifyFees checks the fee sub-ledger against its control accounts: the open bills of
// all units add up to the receivable, and their credits to the prepaid fees.
func (tx *Tx) verifyFees(bal map[string]decimal.Decimal) error {
	owed, credit := decimal.Zero, decimal.Zero
	err := tx.eachShownFeeAccount(func(fa app.FeeAccount) error {
		owed = owed.Add(fa.Owed())
		credit = credit.Add(fa.Credit)
		return nil
	})
	if err != nil {
		return err
	}
	if r := bal[app.ReceivableAccount(app.FundService)]; !r.Equal(owed) {
		return app.Errorf(app.EINVALID, "各房号未缴账单合计 %s，与科目 %s 的余额 %s 不符：欠费明细被改动过",
			"the open bills of all units add up to %s but %s holds %s: the fee detail was tampered with",
			app.PlainAmount(owed), app.ReceivableAccount(app.FundService), app.PlainAmount(r))
	}
	if p := bal[app.PrepaidFeesAccount].Neg(); !p.Equal(credit) {
		return app.Errorf(app.EINVALID, "各房号预交款合计 %s，与科目 %s 的余额 %s 不符：预交明细被改动过",
			"the prepayments of all units add up to %s but %s holds %s: the prepayment detail was tampered with",
			app.PlainAmount(credit), app.PrepaidFeesAccount, app.PlainAmount(p))
	}
	return nil
}

// FeeAccounts returns every unit's fee account (open bills and credit) by unit, for fee
// notices and screens that show many units at once.
func (db *DB) FeeAccounts(ctx context.Context) (map[string]app.FeeAccount, error) {
	out := map[string]app.FeeAccount{}
	err := db.view(func(tx *Tx) error {
		return tx.eachShownFeeAccount(func(fa app.FeeAccount) error {
			out[fa.Unit] = fa
			return nil
		})
	})
	return out, err
}
