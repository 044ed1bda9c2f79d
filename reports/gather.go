package reports

import (
	"context"
	"strings"

	"github.com/shopspring/decimal"

	"sunledger/app"
)

// The inputs of the documents the CLI's report commands and the window's 公示打印 page
// both make, assembled in one place.

// FeeAccountLister lists every unit's fee account at once (storage.DB does); without it
// GatherFeeNotices reads each unit's statement.
type FeeAccountLister interface {
	FeeAccounts(ctx context.Context) (map[string]app.FeeAccount, error)
}

// GatherFeeNotices is each billed unit's payment notice for month (YYYY-MM): the month's
// bill, what is still owed on earlier months, the prepayment on account and what to pay
// now. ENOTFOUND if the month is not billed.
func GatherFeeNotices(ctx context.Context, s app.Services, month string) ([]FeeNotice, error) {
	bills, err := s.Fees.Bills(ctx, month)
	if err != nil {
		return nil, err
	}
	if len(bills) == 0 {
		return nil, app.Errorf(app.ENOTFOUND, "%s 还没有开账单：请先运行 fees bill --period %s", "%s has not been billed yet: run fees bill --period %s first", month, month)
	}
	account := func(unit string) (app.FeeAccount, error) {
		st, err := s.Fees.Statement(ctx, unit)
		return st.Account, err
	}
	if l, ok := s.Fees.(FeeAccountLister); ok {
		accts, err := l.FeeAccounts(ctx)
		if err != nil {
			return nil, err
		}
		account = func(unit string) (app.FeeAccount, error) { return accts[unit], nil }
	}
	notices := make([]FeeNotice, 0, len(bills))
	for _, b := range bills {
		fa, err := account(b.Unit)
		if err != nil {
			return nil, err
		}
		n := FeeNotice{Bill: b, Earlier: decimal.Zero, Credit: fa.Credit, Due: decimal.Zero}
		open := decimal.Zero // still due on this month's bill
		for _, o := range fa.Open {
			switch {
			case o.Period < month:
				n.Earlier = n.Earlier.Add(o.Due)
				n.Due = n.Due.Add(o.Due)
			case o.Period == month:
				n.Due = n.Due.Add(o.Due)
				open = open.Add(o.Due)
			}
		}
		n.Paid = b.Amount.Sub(open)
		notices = append(notices, n)
	}
	return notices, nil
}

// GatherReceipt is the receipt of a payment by its number, with the unit and the hash of
// its own journal entry (a receipt carries that, not the head at print time).
func GatherReceipt(ctx context.Context, s app.Services, no string) (Receipt, error) {
	c, err := s.Book.Community(ctx)
	if err != nil {
		return Receipt{}, err
	}
	p, err := s.Fees.Payment(ctx, no)
	if err != nil {
		return Receipt{}, err
	}
	u, err := s.Register.Unit(ctx, p.Unit)
	if err != nil {
		return Receipt{}, err
	}
	entry, err := s.Ledger.Entry(ctx, p.EntrySeq)
	if err != nil {
		return Receipt{}, err
	}
	r := Receipt{Community: c.Name, Payment: p, Unit: u, EntryHash: entry.Hash}
	if p.Credit.IsPositive() && s.Prices != nil {
		if err := gatherPrepaid(ctx, s, &r); err != nil {
			return Receipt{}, err
		}
	}
	if s.Log != nil {
		// The tree now and the receipt's leaf in it; a book whose tree is not built yet
		// (read-only, before its first writing open) prints neither.
		if th, err := s.Log.TreeHead(ctx); err == nil {
			r.Tree = th
			if leaf, ok, err := s.Log.EntryLeaf(ctx, p.EntrySeq); err == nil && ok && leaf < th.Size {
				r.Leaf, r.HasLeaf = leaf, true
			}
		}
	}
	return r, nil
}

// gatherPrepaid works out which months a receipt's prepayment covers: from the month
// after the last one billed (or paid) when it was paid, at that month's fee.
func gatherPrepaid(ctx context.Context, s app.Services, r *Receipt) error {
	p := r.Payment
	prices, err := s.Prices.Prices(ctx)
	if err != nil {
		return err
	}
	st, err := s.Fees.Statement(ctx, p.Unit)
	if err != nil {
		return err
	}
	last := ""
	for _, b := range st.Bills {
		if b.Period <= p.Date[:min(7, len(p.Date))] && b.Period > last {
			last = b.Period
		}
	}
	for _, a := range p.Allocations {
		if a.Period > last {
			last = a.Period
		}
	}
	from := p.Date[:min(7, len(p.Date))]
	if last != "" {
		from = app.AddMonths(last, 1)
	}
	if m, ok := app.MonthlyFee(r.Unit, prices, from); ok && m.IsPositive() {
		r.PrepaidFrom, r.Monthly = from, m
	}
	return nil
}

// PrintReceipt gathers receipt no for printing and records the print in the print log
// (app.PrintService) first: a receipt printed before says 补打. who is the operator.
// The CLI's `report receipt`, the GUI's print page and its payment form all print
// receipts through here (docs/notices.md "Print log").
func PrintReceipt(ctx context.Context, s app.Services, no, who string) (Receipt, error) {
	r, err := GatherReceipt(ctx, s, no)
	if err != nil {
		return Receipt{}, err
	}
	if s.Prints == nil {
		return Receipt{}, app.Errorf(app.EINTERNAL, "这本账没有打印记录，收据没有打印", "this book keeps no print log; the receipt was not printed")
	}
	rec, err := s.Prints.RecordPrint(ctx, app.ReceiptDoc(r.Payment.Receipt), who)
	if err != nil {
		return Receipt{}, err
	}
	r.Reprint = rec.Reprint()
	return r, nil
}

// FeeNoticeOptions are what the committee may ask of a month's fee notices: a new due
// date (YYYY-MM-DD) when the settings' one has passed, and only the units that owe.
type FeeNoticeOptions struct {
	Due       string
	OwingOnly bool
}

// FeeNoticesFor builds the fee notices of month as both front ends print them, on the
// day today (YYYY-MM-DD). A month whose due date (from the settings, or o.Due) is
// before today is refused: a notice must not ask owners to pay by a day already past.
// With o.OwingOnly only the units whose notice shows an amount due are printed.
func FeeNoticesFor(ctx context.Context, s app.Services, month, today, head string, o FeeNoticeOptions) (*Doc, error) {
	c, err := s.Book.Community(ctx)
	if err != nil {
		return nil, err
	}
	if err := c.Notices.ReadyToPublish(true); err != nil {
		return nil, err
	}
	due := c.Notices.DueDate(month)
	if o.Due != "" {
		d := strings.TrimSpace(o.Due)
		if err := app.ValidDate(d); err != nil {
			return nil, err
		}
		if d < today {
			return nil, app.Errorf(app.EINVALID, "新的缴费截止日 %s 早于今天（%s）：没有生成缴费通知单；请给出今天或以后的日期",
				"the new due date %s is before today (%s): no fee notices were made; give today or a later day", d, today)
		}
		due = d
	} else if due < today {
		return nil, app.Errorf(app.EINVALID, "%s 的缴费截止日 %s 已过（今天是 %s）：没有生成缴费通知单；请用 --due YYYY-MM-DD 给出新的截止日",
			"the due date of %s, %s, has passed (today is %s): no fee notices were made; give a new one with --due YYYY-MM-DD", month, due, today)
	}
	notices, err := GatherFeeNotices(ctx, s, month)
	if err != nil {
		return nil, err
	}
	if o.OwingOnly {
		owing := notices[:0:0]
		for _, n := range notices {
			if n.Due.IsPositive() {
				owing = append(owing, n)
			}
		}
		if len(owing) == 0 {
			return nil, app.Errorf(app.EINVALID, "%s 没有欠费的房号：没有生成缴费通知单", "no unit owes anything for %s: no fee notices were made", month)
		}
		notices = owing
	}
	return FeeNoticesDoc(c, head, month, today, due, notices), nil
}

// PrintTally counts an assembly for its result announcement (表决结果公告) and records
// the print in the print log (app.TallyDoc) first: the first print is when the result
// was announced, from which the 公示期 runs before the maintenance fund may pay against
// it. The CLI's `report tally` and the window's print buttons both go through here.
func PrintTally(ctx context.Context, s app.Services, vote, who string) (app.Tally, error) {
	t, err := s.Votes.Tally(ctx, vote)
	if err != nil {
		return t, err
	}
	if s.Prints == nil {
		return t, app.Errorf(app.EINTERNAL, "这本账没有打印记录，公告没有打印", "this book keeps no print log; the announcement was not printed")
	}
	if _, err := s.Prints.RecordPrint(ctx, app.TallyDoc(t.Vote), who); err != nil {
		return t, err
	}
	return t, nil
}
