package reports

import (
	"context"
	"fmt"
	"strconv"

	"sunledger/app"
)

// makeBankReconcile is the reconciliation of Args.Account at the end of Args.Period.
func makeBankReconcile(ctx context.Context, b book, a Args) (*Doc, error) {
	if err := needArg(a.Account != "", "account"); err != nil {
		return nil, err
	}
	if err := needArg(a.Period != "", "period"); err != nil {
		return nil, err
	}
	month, err := app.ParseReconcilePeriod(a.Period)
	if err != nil {
		return nil, err
	}
	r, err := b.s.Bank.Reconcile(ctx, app.ParseBankAccount(a.Account), month)
	if err != nil {
		return nil, err
	}
	return BankReconciliationDoc(b.c.Name, b.head, r), nil
}

// BankReconciliationDoc is a bank account's reconciliation statement at a month's end
// (银行存款余额调节表), for the notice board and the archives: the book's balance and the
// bank's side by side, each adjusted by what the other side has not yet recorded, and the
// difference left unexplained. Statement lines are named by number, date and amount only:
// what a bank writes about them (counterparties, often owners) stays on the laptop.
func BankReconciliationDoc(community, head string, r app.Reconciliation) *Doc {
	d := NewDoc(DocMeta{Community: community, HeadHash: head, DocID: "bankrec-" + r.Period,
		Title:    fmt.Sprintf(app.T("银行存款余额调节表（%s）", "Bank reconciliation (%s)"), r.Period),
		Subtitle: fmt.Sprintf(app.T("科目 %s，截至 %s", "account %s, as at %s"), r.Account, app.MonthEnd(r.Period))})
	d.Para(app.T("账面余额加上银行已记、账上未记的款项，应等于银行对账单余额加上账上已记、银行未记的款项。两边调节后的余额相等，差额为零，即账实相符。金额单位：元。",
		"The book balance plus what the bank has recorded and the books have not should equal the bank's balance plus what the books have recorded and the bank has not. When both adjusted balances agree, the difference is zero and the books match the bank. Amounts in yuan."))
	cols := []Col{{Title: app.T("项目", "Item")}, {Title: app.T("金额", "Amount"), Width: 40, Align: "R"},
		{Title: app.T("项目", "Item")}, {Title: app.T("金额", "Amount"), Width: 40, Align: "R"}}
	rows := [][]string{
		{app.T("账面余额", "Book balance"), app.FormatAmount(r.BookBalance), app.T("银行对账单余额", "Bank statement balance"), app.FormatAmount(r.BankBalance)},
		{app.T("加：银行已收、账上未收", "Add: received by the bank, not in the books"), app.FormatAmount(r.BankNotBook.In),
			app.T("加：账上已收、银行未收", "Add: in the books, not yet received by the bank"), app.FormatAmount(r.BookNotBank.In)},
		{app.T("减：银行已付、账上未付", "Less: paid by the bank, not in the books"), app.FormatAmount(r.BankNotBook.Out),
			app.T("减：账上已付、银行未付", "Less: paid in the books, not yet by the bank"), app.FormatAmount(r.BookNotBank.Out)},
	}
	d.Table(cols, rows, TableOpts{Totals: []string{app.T("调节后余额", "Adjusted balance"), app.FormatAmount(r.AdjustedBook), app.T("调节后余额", "Adjusted balance"), app.FormatAmount(r.AdjustedBank)}})
	if r.Difference.IsZero() {
		d.Para(app.T("差额：0.00。调节后两边相等，账实相符。", "Difference: 0.00. Both sides agree after adjustment."))
	} else {
		d.Para(fmt.Sprintf(app.T("未解释的差额：%s。在查明之前，本期不能锁定。", "Unexplained difference: %s. The period cannot be locked until it is explained."), app.FormatAmount(r.Difference)))
	}
	if len(r.BookOnly) > 0 {
		d.Heading(app.T("账上已记、银行未记", "In the books, not yet at the bank"))
		var rs [][]string
		for _, it := range r.BookOnly {
			rs = append(rs, []string{"#" + strconv.FormatInt(it.Seq, 10), it.Date, it.Description, app.FormatAmount(it.Amount)})
		}
		d.Table([]Col{{Title: app.T("凭证", "Entry"), Width: 20}, {Title: app.T("日期", "Date"), Width: 26}, {Title: app.T("摘要", "Description")}, {Title: app.T("金额", "Amount"), Width: 36, Align: "R"}}, rs, TableOpts{Zebra: true})
	}
	if len(r.BankOnly) > 0 {
		d.Heading(app.T("银行已记、账上未记", "At the bank, not yet in the books"))
		var rs [][]string
		for _, l := range r.BankOnly {
			rs = append(rs, []string{strconv.FormatInt(l.N, 10), l.Date, app.FormatAmount(l.Amount)})
		}
		d.Table([]Col{{Title: app.T("对账单行", "Statement line"), Width: 30}, {Title: app.T("日期", "Date"), Width: 30}, {Title: app.T("金额", "Amount"), Align: "R"}}, rs, TableOpts{Zebra: true})
	}
	d.Signatures(app.T("财务委员", "Treasurer"), app.T("复核委员", "Checked by"), app.T("业主委员会（盖章）", "Owners' committee (seal)"))
	return d
}
