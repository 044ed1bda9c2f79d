package ui

import (
	"context"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/shopspring/decimal"

	"sunledger/app"
)

// postingRow is one line of a manual journal entry: an account and a debit or a credit.
type postingRow struct {
	account       *widget.Select
	debit, credit *widget.Entry
}

// entryForm is the 记账凭证 form for an adjustment the services do not post themselves
// (bank charges, an opening balance, a correction in the current period). It shows
// whether debits equal credits as you type; the ledger refuses an unbalanced entry.
type entryForm struct {
	accounts []string
	date     *widget.Entry
	desc     *widget.Entry
	rows     []*postingRow
	list     *fyne.Container
	balance  *widget.Label
}

// newEntryForm is the form of a manual journal entry over accounts, dated today (the book's date).
func newEntryForm(accounts []string, today time.Time) *entryForm {
	f := &entryForm{accounts: accounts, date: widget.NewEntry(), desc: widget.NewEntry(), list: container.NewVBox(), balance: widget.NewLabel("")}
	f.date.SetText(today.Format(app.DateLayout))
	f.desc.SetPlaceHolder(L("摘要，例如：银行手续费"))
	f.addRow()
	f.addRow()
	return f
}

func (f *entryForm) addRow() {
	r := &postingRow{account: newSelect(f.accounts, nil), debit: widget.NewEntry(), credit: widget.NewEntry()}
	r.debit.SetPlaceHolder(L("借方"))
	r.credit.SetPlaceHolder(L("贷方"))
	r.debit.OnChanged = func(string) { f.check() }
	r.credit.OnChanged = func(string) { f.check() }
	f.rows = append(f.rows, r)
	f.list.Add(container.NewBorder(nil, nil, nil, container.NewGridWithColumns(2, sized(r.debit, 130), sized(r.credit, 130)), r.account))
	f.check()
}

// Entry is the entry as typed: debits positive, credits negative.
func (f *entryForm) Entry() (app.Entry, error) {
	e := app.Entry{Date: strings.TrimSpace(f.date.Text), Description: strings.TrimSpace(f.desc.Text)}
	for _, r := range f.rows {
		if strings.TrimSpace(r.debit.Text) == "" && strings.TrimSpace(r.credit.Text) == "" {
			continue
		}
		if r.account.Selected == "" {
			return e, app.Errorf(app.EINVALID, "有金额的行要选科目", "every line with an amount needs an account")
		}
		for _, side := range []struct {
			text string
			sign int64
		}{{r.debit.Text, 1}, {r.credit.Text, -1}} {
			if strings.TrimSpace(side.text) == "" {
				continue
			}
			a, err := app.ParseAmount(side.text)
			if err != nil {
				return e, err
			}
			e.Postings = append(e.Postings, app.Posting{Account: r.account.Selected, Amount: a.Mul(decimal.NewFromInt(side.sign))})
		}
	}
	return e, e.Validate(nil)
}

func (f *entryForm) check() {
	debit, credit := decimal.Zero, decimal.Zero
	for _, r := range f.rows {
		if a, err := app.ParseAmount(r.debit.Text); err == nil {
			debit = debit.Add(a)
		}
		if a, err := app.ParseAmount(r.credit.Text); err == nil {
			credit = credit.Add(a)
		}
	}
	msg := L("借方合计 %s，贷方合计 %s", app.FormatAmount(debit), app.FormatAmount(credit))
	if debit.Equal(credit) && debit.IsPositive() {
		f.balance.Importance = widget.SuccessImportance
		msg += L("：借贷平衡")
	} else {
		f.balance.Importance = widget.DangerImportance
		msg += L("：借贷不平")
	}
	f.balance.SetText(msg)
}

// askPost opens the entry form and posts it.
func (j *journalScreen) askPost() {
	accts, err := j.s.Chart.Accounts(context.Background())
	if err != nil {
		ShowError(err, j.w)
		return
	}
	var names []string
	for _, a := range accts {
		names = append(names, a.Name)
	}
	f := newEntryForm(names, j.s.Now())
	why := widget.NewEntry()
	why.SetPlaceHolder(L("为什么要记这笔（记入操作日志）"))
	more := widget.NewButtonWithIcon(L("加一行"), theme.ContentAddIcon(), f.addRow)
	items := []*widget.FormItem{
		widget.NewFormItem(L("日期"), f.date),
		widget.NewFormItem(L("摘要"), f.desc),
		widget.NewFormItem(L("分录"), container.NewVBox(f.list, container.NewHBox(more), f.balance)),
		widget.NewFormItem(L("原因"), why),
	}
	d := dialog.NewForm(L("记账凭证"), L("记账"), L("取消"), items, func(ok bool) {
		if !ok {
			return
		}
		e, err := f.Entry()
		if err == nil {
			e, err = j.s.Ledger.Post(context.Background(), e, Operator(), strings.TrimSpace(why.Text))
		}
		if err != nil {
			ShowError(err, j.w)
			return
		}
		j.load(0)
		ShowInfo(L("已记账"), L("凭证 #%d 已记入账本。", e.Seq), j.w)
	}, j.w)
	d.Resize(fyne.NewSize(900, 560))
	d.Show()
}
