package ui

import (
	"context"
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/shopspring/decimal"

	"sunledger/app"
	"sunledger/reports"
)

// Dashboard is the 资金总览: what each of the three funds holds, this month's
// collection rate by amount and by households, the arrears, and the journal's head hash
// (the number printed on every notice) with a button to check the whole chain.
func Dashboard(w fyne.Window, s app.Services) fyne.CanvasObject {
	return newDashboard(w, s).content
}

type dashboard struct {
	funds      [3]*widget.Label
	fundNotes  [3]*widget.Label
	rate       *widget.Label
	rateNote   *widget.Label
	arrears    *widget.Label
	arrearNote *widget.Label
	remu       *widget.Label
	remuNote   *widget.Label
	head       *widget.Label
	months     *SortTable
	content    fyne.CanvasObject

	rateCaption *widget.Label    // "本月收缴率", or the last month billed when that is not this month
	cols        []app.Collection // the rows of months, once loaded
}

func newDashboard(w fyne.Window, s app.Services) *dashboard {
	d := &dashboard{}
	ctx := context.Background()
	d.build(w, s)
	// Load: balances, arrears and collection on the book. Quick enough to do inline
	// (a few hundred ms on a 3000-unit, 10-year book).
	d.showBalances(ctx, w, s)
	d.loadCollection(ctx, w, s)
	d.showArrears(ctx, w, s)
	d.showRemuneration(ctx, s)
	d.showHead(ctx, s)
	return d
}

// build lays the page out with empty figures: a card per fund, the collection rate,
// arrears (and open decisions), the journal head with the disclosure and verify
// buttons, and the table of the last twelve months.
func (d *dashboard) build(w fyne.Window, s app.Services) {
	grid := container.NewGridWithColumns(3)
	for i, f := range app.Funds {
		d.funds[i], d.fundNotes[i] = widget.NewLabel("—"), widget.NewLabel("")
		grid.Add(Card(widget.NewLabel(f.Label()), d.funds[i], d.fundNotes[i]))
	}
	d.rate, d.rateNote = widget.NewLabel("—"), widget.NewLabel("")
	d.arrears, d.arrearNote = widget.NewLabel("—"), widget.NewLabel("")
	d.head = widget.NewLabel("")
	d.head.Wrapping = fyne.TextWrapBreak
	d.head.SizeName = theme.SizeNameCaptionText
	d.rateCaption = widget.NewLabel(L("本月收缴率"))
	cards := []fyne.CanvasObject{Card(d.rateCaption, d.rate, d.rateNote), Card(widget.NewLabel(L("欠费合计")), d.arrears, d.arrearNote)}
	if s.Meetings != nil {
		cards = append(cards, openDecisionsCard(s))
	}
	if s.Remuneration != nil {
		d.remu, d.remuNote = widget.NewLabel("—"), widget.NewLabel("")
		cards = append(cards, Card(widget.NewLabel(L("未付酬金")), d.remu, d.remuNote))
	}
	grid2 := container.NewGridWithColumns(len(cards), cards...)
	d.months = d.monthsTable()
	disclose := widget.NewButtonWithIcon(L("季度收支公示 PDF…"), theme.DocumentSaveIcon(), func() { askQuarterly(w, s) })
	headBox := container.NewBorder(nil, nil, nil, container.NewHBox(disclose, verifyButton(w, s)), d.head)
	top := container.NewVBox(Heading(L("资金总览")), backupLine(w, s), grid, grid2, headBox, widget.NewLabel(L("最近 12 个月的收缴率")))
	d.content = container.NewBorder(top, nil, nil, nil, atLeast(d.months, 7*tableRowHeight()))
}

// monthsTable is the table of the months' collection (d.cols).
func (d *dashboard) monthsTable() *SortTable {
	return NewSortTable([]Column{
		{Title: L("月份"), Width: 100, Text: func(i int) string { return d.cols[i].From }},
		{Title: L("应收"), Width: 150, Numeric: true, Text: func(i int) string { return app.FormatAmount(d.cols[i].Billed) },
			Less: func(a, b int) bool { return d.cols[a].Billed.LessThan(d.cols[b].Billed) }},
		{Title: L("已收"), Width: 150, Numeric: true, Text: func(i int) string { return app.FormatAmount(d.cols[i].Received) },
			Less: func(a, b int) bool { return d.cols[a].Received.LessThan(d.cols[b].Received) }},
		{Title: L("收缴率（金额）"), Width: 140, Numeric: true, Text: func(i int) string { return app.Percent(d.cols[i].RateByAmount()) },
			Less: func(a, b int) bool { return d.cols[a].RateByAmount().LessThan(d.cols[b].RateByAmount()) }},
		{Title: L("收缴率（户数）"), Width: 140, Numeric: true, Text: func(i int) string { return app.Percent(d.cols[i].RateByHouseholds()) },
			Less: func(a, b int) bool { return d.cols[a].RateByHouseholds().LessThan(d.cols[b].RateByHouseholds()) }},
		{Title: L("已缴清 / 应缴户数"), Width: 160, Numeric: true, Text: func(i int) string {
			return itoa(d.cols[i].HouseholdsPaid) + " / " + itoa(d.cols[i].HouseholdsBilled)
		}},
	})
}

// verifyButton checks the journal's hash chain and balances, and the expense requests'
// signatures and attachments, in the background.
func verifyButton(w fyne.Window, s app.Services) *widget.Button {
	ctx := context.Background()
	return widget.NewButtonWithIcon(L("核对账本"), theme.ConfirmIcon(), func() {
		_, done := Busy(L("核对账本"), L("正在逐张核对凭证的哈希链和全部余额…"), w)
		var err error
		var warnings []string
		Spawn(func() {
			err = s.Ledger.Verify(ctx)
			if err == nil && s.Expenses != nil {
				err = s.Expenses.VerifyExpenses(ctx) // signatures, states, attachments
			}
			if err == nil && s.Now != nil {
				// cash over its limit or not banked in time, a bank difference (docs/bank.md)
				warnings, err = app.CashBoxWarnings(ctx, s, s.Now().Local().Format(app.DateLayout), 0)
			}
		}, func() {
			done()
			if err != nil {
				ShowError(err, w)
				return
			}
			msg := L("凭证哈希链完整，全部余额与凭证相符；支出申请的签字和附件完好。")
			for _, x := range warnings {
				msg += "\n⚠ " + x
			}
			ShowInfo(L("核对账本"), msg, w)
		})
	})
}

// showBalances fills the fund cards: what each fund holds, in bank and cash, its
// receivables and payables, and a warning when its cash is over the limit.
func (d *dashboard) showBalances(ctx context.Context, w fyne.Window, s app.Services) {
	bals, err := s.Ledger.Balances(ctx)
	if err != nil {
		ShowError(err, w)
		return
	}
	over := cashOverLimit(s, bals)
	for i, p := range app.FundPositions(bals) {
		d.funds[i].SetText(app.FormatAmount(p.Available()))
		note := L("银行 %s · 现金 %s", app.FormatAmount(p.Bank), app.FormatAmount(p.Cash))
		if !p.Receivable.IsZero() {
			note += "\n" + L("应收 %s", app.FormatAmount(p.Receivable))
		}
		if owed := p.Owed(); !owed.IsZero() {
			note += "\n" + L("预收及应付 %s", app.FormatAmount(owed))
		}
		if x, bad := over[p.Fund]; bad {
			note += "\n⚠ " + L("现金超过限额 %s，请尽快存入银行", app.FormatAmount(x.Limit))
		}
		d.fundNotes[i].SetText(note)
	}
	d.loadCashAge(ctx, s)
}

// loadCashAge adds to a fund's card the cash it has held longer than the committee's
// number of days (ledger cash-limit --days, docs/bank.md). It walks the journal, so it
// runs after the page is shown.
func (d *dashboard) loadCashAge(ctx context.Context, s app.Services) {
	if s.Cash == nil || s.Bank == nil || s.Now == nil {
		return
	}
	days, err := s.Cash.CashDays(ctx)
	if err != nil || days <= 0 {
		return
	}
	today := s.Now().Local().Format(app.DateLayout)
	late := map[app.Fund]app.CashAgeWarning{}
	Spawn(func() {
		for _, f := range app.Funds {
			items, err := app.CashItems(ctx, s.Bank, f, today, days, 0)
			if err != nil {
				return
			}
			if w, ok := app.UndepositedCash(f, items, today, days); ok {
				late[f] = w
			}
		}
	}, func() {
		for i, f := range app.Funds {
			if w, ok := late[f]; ok && i < len(d.fundNotes) {
				d.fundNotes[i].SetText(d.fundNotes[i].Text + "\n⚠ " + L("%s 现金收款超过 %d 天未存入银行", app.FormatAmount(w.Amount), w.Days))
			}
		}
	})
}

// loadCollection reads the last twelve billed months' collection. It walks every fee
// account once per month: on a big book that takes a second or two, so it is read
// after the page is shown, then fills the rate card and the months table.
func (d *dashboard) loadCollection(ctx context.Context, w fyne.Window, s app.Services) {
	runs, err := s.Fees.BillingRuns(ctx)
	if err != nil {
		ShowError(err, w)
		return
	}
	if len(runs) == 0 {
		d.rateNote.SetText(L("还没有开过物业费账单"))
		return
	}
	last := runs[len(runs)-1].Period
	d.rateNote.SetText(L("正在读取 %s …", L("收缴率")))
	var (
		got     []app.Collection
		loadErr error
	)
	Spawn(func() {
		for _, r := range runs[max(0, len(runs)-12):] {
			c, err := s.Fees.Collection(ctx, r.Period, r.Period)
			if err != nil {
				loadErr = err
				return
			}
			got = append(got, c)
		}
	}, func() {
		if loadErr != nil {
			d.rateNote.SetText(L("读取失败：%s", loadErr.Error()))
			d.rateNote.Importance = widget.DangerImportance
			d.rateNote.Refresh()
			return
		}
		d.showCollection(got, last, s.Now().Format("2006-01"))
	})
}

// showCollection shows the months read (cols) and, when the last of them is last (the
// last month billed), its rate on the card, captioned as the last month billed when that
// is not thisMonth (the book's month, YYYY-MM).
func (d *dashboard) showCollection(cols []app.Collection, last, thisMonth string) {
	d.cols = cols
	if n := len(cols); n > 0 && cols[n-1].From == last {
		c := cols[n-1]
		d.rate.SetText(app.Percent(c.RateByAmount()))
		if last != thisMonth {
			d.rateCaption.SetText(L("最近一期（%s）收缴率", last))
		}
		d.rateNote.SetText(L("%s：按金额 %s（已收 %s / 应收 %s）；按户数 %s（%d / %d 户）", last, app.Percent(c.RateByAmount()),
			app.FormatAmount(c.Received), app.FormatAmount(c.Billed), app.Percent(c.RateByHouseholds()), c.HouseholdsPaid, c.HouseholdsBilled))
	}
	d.months.SetData(len(cols))
	d.months.SortBy(0, true)
}

// showArrears fills the arrears card: the total owed and how many units owe, and for
// more than six months.
func (d *dashboard) showArrears(ctx context.Context, w fyne.Window, s app.Services) {
	rows, err := s.Fees.Arrears(ctx)
	if err != nil {
		ShowError(err, w)
		return
	}
	total, old := decimal.Zero, 0
	for _, r := range rows {
		total = total.Add(r.Owed)
		if !r.Ageing[2].Add(r.Ageing[3]).IsZero() {
			old++
		}
	}
	d.arrears.SetText(app.FormatAmount(total))
	d.arrearNote.SetText(L("%d 户欠费，其中 %d 户欠费超过 6 个月", len(rows), old))
}

// showRemuneration fills the unpaid-remuneration card: what the property company has
// earned and not been paid (accruals and true-ups, docs/remuneration.md) and since when.
func (d *dashboard) showRemuneration(ctx context.Context, s app.Services) {
	if d.remu == nil {
		return
	}
	st, err := s.Remuneration.RemunerationStatus(ctx)
	if err != nil {
		d.remuNote.SetText(L("读取失败：%s", err.Error()))
		return
	}
	d.remu.SetText(app.FormatAmount(st.Owed))
	if st.Since == "" {
		d.remuNote.SetText(L("已计提的酬金均已支付"))
		return
	}
	d.remuNote.SetText(L("最早自 %s 起未付（%d 个月）", st.Since, st.AgeMonths))
}

// showHead shows the journal's entry count and head hash (printed on every notice).
func (d *dashboard) showHead(ctx context.Context, s app.Services) {
	if hash, seq, err := s.Ledger.Head(ctx); err != nil {
		d.head.SetText(L("读取失败：%s", err.Error()))
		d.head.Importance = widget.DangerImportance
	} else {
		d.head.SetText(L("凭证 %d 张，最新哈希（印在每份公示上）：%s", seq, hash))
	}
}

// askQuarterly asks for a quarter and saves its disclosure (收支公示) for the notice board.
func askQuarterly(w fyne.Window, s app.Services) {
	q := widget.NewEntry()
	q.SetText(app.Month(s.Now().AddDate(0, -3, 0).Format("2006-01")).Quarter())
	items := []*widget.FormItem{widget.NewFormItem(L("季度（YYYYQn）"), q)}
	dialog.ShowForm(L("季度收支公示"), L("生成"), L("取消"), items, func(ok bool) {
		if !ok {
			return
		}
		a, err := quarterArgs(q.Text)
		if err != nil {
			ShowError(err, w)
			return
		}
		PrintDocument(w, s, "quarterly", a, L("收支公示-%s.pdf", fmt.Sprintf("%dQ%d", a.Year, a.Quarter)))
	}, w)
}

// quarterArgs are the arguments of the quarterly disclosure of a quarter written YYYYQn.
func quarterArgs(quarter string) (reports.Args, error) {
	q, err := app.ReadQuarter(quarter)
	if err != nil {
		return reports.Args{}, err
	}
	return reports.Args{Year: q.Year, Quarter: q.N}, nil
}

// cashOverLimit are the funds holding more cash than the committee's limit.
func cashOverLimit(s app.Services, bals []app.AccountBalance) map[app.Fund]app.CashWarning {
	out := map[app.Fund]app.CashWarning{}
	if s.Cash == nil {
		return out
	}
	limits, err := s.Cash.CashLimits(context.Background())
	if err != nil {
		return out
	}
	for _, x := range app.CashWarnings(bals, limits) {
		out[x.Fund] = x
	}
	return out
}

// tableRowHeight is about one row of a table at the current text size.
func tableRowHeight() float32 {
	return theme.TextSize() + 4*theme.Padding()
}
