package storage

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/dgraph-io/badger/v4"
	"github.com/shopspring/decimal"

	"sunledger/app"
)

var _ app.FeeService = FeeService{}

func (tx *Tx) prices() ([]app.FeePrice, error) {
	return all[app.FeePrice](tx, prefixPrice)
}

func (tx *Tx) feeAccount(unit string) (app.FeeAccount, error) {
	fa := app.FeeAccount{Unit: unit}
	_, err := tx.get(feeAccountKey(unit), &fa)
	return fa, err
}

// Pay records one payment.
func (s FeeService) Pay(ctx context.Context, p app.PaymentRequest, who, why string) (app.Payment, error) {
	ps, err := s.db.payMany(ctx, []app.PaymentRequest{p}, who, why)
	if err != nil {
		return app.Payment{}, err
	}
	return ps[0], nil
}

// PayMany records many payments in one transaction, all or nothing.
func (s FeeService) PayMany(ctx context.Context, reqs []app.PaymentRequest, who, why string) ([]app.Payment, error) {
	return s.db.payMany(ctx, reqs, who, why)
}

// payMany records reqs in one transaction, all or nothing: each payment gets the next
// receipt number, its journal entry and its allocation on the unit's fee account.
func (db *DB) payMany(ctx context.Context, reqs []app.PaymentRequest, who, why string) ([]app.Payment, error) {
	reqs = append([]app.PaymentRequest(nil), reqs...)
	for i := range reqs {
		reqs[i].Unit = app.NormalizeUnitID(reqs[i].Unit) // "３-２-１５０１" typed in full width
	}
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
		b, err := tx.newPayBatch(who)
		if err != nil {
			return err
		}
		for _, r := range reqs {
			p, err := b.pay(r)
			if err != nil {
				return err
			}
			out = append(out, p)
		}
		if err := b.flush(); err != nil {
			return err
		}
		return tx.audit(who, "fees.pay", payAuditDetail(out), why)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// payBatch is the state of one payMany transaction: the ledger, the receipt counter
// and the units and fee accounts read so far (written back once, by flush).
type payBatch struct {
	tx     *Tx
	l      *ledgerTx
	who    string
	today  string
	seq    int64
	accts  map[string]*app.FeeAccount
	units  map[string]app.Unit
	prices []app.FeePrice // read when a payment prepays (CheckPrepayment)
}

// newPayBatch opens the ledger and reads the receipt counter for a batch of payments.
func (tx *Tx) newPayBatch(who string) (*payBatch, error) {
	l, err := tx.ledger()
	if err != nil {
		return nil, err
	}
	b := &payBatch{tx: tx, l: l, who: who, today: tx.today(),
		accts: map[string]*app.FeeAccount{}, units: map[string]app.Unit{}}
	if _, err := tx.get(keySeq+"receipt", &b.seq); err != nil {
		return nil, err
	}
	return b, nil
}

// unit reads a unit and its fee account (once per batch), refusing a unit that is
// not in the register.
func (b *payBatch) unit(unit string) (app.Unit, *app.FeeAccount, error) {
	u, ok := b.units[unit]
	if !ok {
		found, err := b.tx.get(unitKey(unit), &u)
		if err != nil {
			return u, nil, err
		}
		if !found {
			return u, nil, app.Errorf(app.ENOTFOUND, "登记册里没有房号 %s；没有记录任何缴费", "unit %s is not in the register; no payment was recorded", unit)
		}
		b.units[unit] = u
	}
	fa := b.accts[unit]
	if fa == nil {
		a, err := b.tx.feeAccount(unit)
		if err != nil {
			return u, nil, err
		}
		fa = &a
		b.accts[unit] = fa
	}
	return u, fa, nil
}

// pay allocates one payment on its unit's account, checks a prepayment it leaves
// against the unit's monthly fee (unless AllowLarge), and stores the payment with its
// journal entry.
func (b *payBatch) pay(r app.PaymentRequest) (app.Payment, error) {
	tx := b.tx
	u, fa, err := b.unit(r.Unit)
	if err != nil {
		return app.Payment{}, err
	}
	if r.Date == "" {
		r.Date = b.today
	}
	if err := tx.checkAhead(r.Date); err != nil {
		return app.Payment{}, err
	}
	method, _ := app.ParseMethod(string(r.Method))
	allocs, credit, err := fa.Allocate(r.Amount, r.Bills)
	if err != nil {
		return app.Payment{}, err
	}
	if credit.IsPositive() && !r.AllowLarge {
		if b.prices == nil {
			if b.prices, err = tx.prices(); err != nil {
				return app.Payment{}, err
			}
		}
		monthly, _ := app.MonthlyFee(u, b.prices, r.Date[:7])
		if err := app.CheckPrepayment(r.Unit, credit, monthly, false); err != nil {
			return app.Payment{}, err
		}
	}
	b.seq++
	p := app.Payment{Receipt: app.ReceiptNo(b.seq), Unit: r.Unit, Payer: r.Payer, Amount: r.Amount, Date: r.Date,
		Method: method, Allocations: allocs, Credit: credit, Who: b.who, At: tx.now.UTC()}
	if strings.TrimSpace(p.Payer) == "" {
		p.Payer = app.PayerOf(u)
	}
	e, err := b.l.post(app.PaymentEntry(p), b.who)
	if err != nil {
		return app.Payment{}, err
	}
	p.EntrySeq = e.Seq
	if err := tx.put(paymentKey(p.Receipt), p); err != nil {
		return app.Payment{}, err
	}
	if err := tx.putRaw(unitPaymentKey(p.Unit, p.Receipt), nil); err != nil {
		return app.Payment{}, err
	}
	return p, nil
}

// flush writes back the fee accounts, the receipt counter and the ledger.
func (b *payBatch) flush() error {
	for unit, fa := range b.accts {
		if err := b.tx.put(feeAccountKey(unit), fa); err != nil {
			return err
		}
	}
	if err := b.tx.put(keySeq+"receipt", b.seq); err != nil {
		return err
	}
	return b.l.flush()
}

// payAuditDetail is the audit line of a batch of payments: the payment itself when
// there is one, otherwise the count, receipt range and total.
func payAuditDetail(out []app.Payment) string {
	if len(out) == 1 {
		p := out[0]
		return fmt.Sprintf("%s %s %s %s %s #%d", p.Receipt, p.Unit, app.PlainAmount(p.Amount), p.Method, p.Date, p.EntrySeq)
	}
	total := decimal.Zero
	for _, p := range out {
		total = total.Add(p.Amount)
	}
	return fmt.Sprintf("%d payments %s–%s, total %s", len(out), out[0].Receipt, out[len(out)-1].Receipt, app.PlainAmount(total))
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
func (s FeeService) Payment(ctx context.Context, receipt string) (app.Payment, error) {
	var p app.Payment
	err := s.db.view(func(tx *Tx) error {
		ok, err := tx.get(paymentKey(strings.ToUpper(strings.TrimSpace(receipt))), &p)
		if err == nil && !ok {
			return app.Errorf(app.ENOTFOUND, "没有收据 %s", "there is no receipt %s", receipt)
		}
		return err
	})
	return p, err
}

// Arrears lists every unit that owes money, in unit order.
func (s FeeService) Arrears(ctx context.Context) ([]app.Arrears, error) {
	var out []app.Arrears
	err := s.db.view(func(tx *Tx) error {
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
			a := app.ArrearsOf(fa, app.PayerOf(u), today[:7], rule, today)
			a.Developer = u.DeveloperHeld
			out = append(out, a)
			return nil
		})
	})
	app.SortArrears(out)
	return out, err
}

// Collection is the collection rate over the months from..to: billed from the billing
// runs, received = billed − what is still open on those months' bills.
func (s FeeService) Collection(ctx context.Context, from, to string) (app.Collection, error) {
	c := app.Collection{From: from, To: to, Billed: decimal.Zero, Received: decimal.Zero, Outstanding: decimal.Zero}
	err := s.db.view(func(tx *Tx) error {
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
func (s FeeService) Bills(ctx context.Context, month string) ([]app.Bill, error) {
	var out []app.Bill
	err := s.db.view(func(tx *Tx) error {
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
func (s FeeService) Statement(ctx context.Context, unit string) (app.UnitStatement, error) {
	unit = app.NormalizeUnitID(unit)
	var st app.UnitStatement
	err := s.db.view(func(tx *Tx) error {
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

// FeeAccounts returns every unit's fee account (open bills and credit) by unit, in one
// read (reports.FeeAccountLister): fee notices for 3,000 units asked one statement each
// read the book 3,000 times (12 s instead of 1 s on the 3,000-unit demo).
func (s FeeService) FeeAccounts(ctx context.Context) (map[string]app.FeeAccount, error) {
	return s.db.FeeAccounts(ctx)
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
