package ui

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/shopspring/decimal"

	"sunledger/app"
	"sunledger/reports"
)

// Budget is the 预算与结算 screen for one year: the open budget against what was
// actually spent (预算执行), the annual settlement (年度统结统算, preview or settled) and
// the maintenance fund's statement with its usage applications.
func Budget(w fyne.Window, s app.Services) fyne.CanvasObject {
	return newBudgetScreen(w, s).content
}

type budgetScreen struct {
	w          fyne.Window
	s          app.Services
	year       *widget.Select
	report     app.BudgetReport
	table      *SortTable
	state      *widget.Label
	months     *widget.Label
	settle     *widget.Label
	settleB    *widget.Button
	approveB   *widget.Button
	settlement app.Settlement
	settled    bool
	micro      *microFundBar
	gen        int // counts loads, so that a slow read of an earlier year is dropped
	pending    int // background reads (settlement, maintenance fund) not yet shown
	maintSt    app.MaintenanceStatement
	maint      *widget.Label
	content    fyne.CanvasObject
}

func newBudgetScreen(w fyne.Window, s app.Services) *budgetScreen {
	b := &budgetScreen{w: w, s: s}
	opts, years := budgetYears(w, s)
	b.year = newSelect(opts, nil)
	b.table = b.linesTable()
	b.table.OnRowSelected = func(i int) { b.showMonths(b.report.Lines[i]) }
	b.state = widget.NewLabel("")
	b.state.Wrapping = fyne.TextWrapWord
	b.months = widget.NewLabel(L("选择一行查看逐月支出。"))
	b.months.Wrapping = fyne.TextWrapWord
	b.settle = widget.NewLabel("")
	b.settle.Wrapping = fyne.TextWrapWord
	b.settleB = widget.NewButtonWithIcon(L("结算并锁定这一年…"), theme.ConfirmIcon(), b.askSettle)
	b.settleB.Importance = widget.DangerImportance
	b.maint = widget.NewLabel("")
	b.maint.Wrapping = fyne.TextWrapWord

	tabs := container.NewAppTabs(
		container.NewTabItemWithIcon(L("预算执行"), theme.ListIcon(), b.budgetTab()),
		container.NewTabItemWithIcon(L("年度结算"), theme.DocumentIcon(), b.settleTab()),
		container.NewTabItemWithIcon(L("维修资金"), theme.StorageIcon(), b.maintTab()))
	if s.Remuneration != nil {
		tabs.Append(container.NewTabItemWithIcon(L("物业酬金"), theme.AccountIcon(), newRemunerationPane(w, s).content))
	}
	top := container.NewVBox(Heading(L("预算与结算")), container.NewHBox(widget.NewLabel(L("年度")), sized(b.year, 120)))
	b.content = container.NewBorder(top, nil, nil, nil, tabs)
	// The latest year with a budget, else this year.
	sel := len(opts) - 1
	for i, o := range opts {
		if y, _ := strconv.Atoi(o); years[y] && y <= b.s.Now().Year() {
			sel = i
		}
	}
	b.year.SetSelectedIndex(sel)
	b.load()
	b.year.OnChanged = func(string) { b.load() }
	return b
}

// budgetYears are the years the screen offers, oldest first: this year (by the book's
// clock) and every year with a budget. A budget list that cannot be read is shown.
func budgetYears(w fyne.Window, s app.Services) (opts []string, years map[int]bool) {
	years = map[int]bool{s.Now().Year(): true}
	if bs, err := s.Budgets.Budgets(context.Background()); err != nil {
		ShowError(err, w)
	} else {
		for _, x := range bs {
			years[x.Year] = true
		}
	}
	for y := range years {
		opts = append(opts, strconv.Itoa(y))
	}
	slices.Sort(opts)
	return opts, years
}

// linesTable is the table of the year's budget lines against actual spending.
func (b *budgetScreen) linesTable() *SortTable {
	lines := func() []app.BudgetActualLine { return b.report.Lines }
	money := func(get func(l app.BudgetActualLine) decimal.Decimal, title string) Column {
		return Column{Title: title, Width: 130, Numeric: true,
			Text: func(i int) string { return app.FormatAmount(get(lines()[i])) },
			Less: func(x, y int) bool { return get(lines()[x]).LessThan(get(lines()[y])) }}
	}
	return NewSortTable([]Column{
		{Title: L("资金"), Width: 110, Text: func(i int) string { return lines()[i].Fund.Label() }},
		{Title: L("类别"), Width: 110, Text: func(i int) string { return lines()[i].CategoryLabel() }},
		money(func(l app.BudgetActualLine) decimal.Decimal { return l.Amount }, L("预算")),
		money(func(l app.BudgetActualLine) decimal.Decimal { return l.Actual }, L("实际支出")),
		money(func(l app.BudgetActualLine) decimal.Decimal { return l.Left }, L("结余")),
		{Title: L("执行率"), Width: 90, Numeric: true, Text: func(i int) string {
			if !lines()[i].Budgeted {
				return L("无预算")
			}
			return lines()[i].Percent.StringFixed(1) + "%"
		}, Less: func(x, y int) bool { return lines()[x].Percent.LessThan(lines()[y].Percent) }},
	})
}

// budgetTab is the year's budget against actuals, with the months of the line chosen
// and the buttons that edit lines, approve the budget and print it.
func (b *budgetScreen) budgetTab() fyne.CanvasObject {
	split := container.NewHSplit(b.table, container.NewVScroll(b.months))
	split.Offset = 0.78
	b.approveB = widget.NewButtonWithIcon(L("批准预算…"), theme.ConfirmIcon(), b.askApprove)
	lineB := widget.NewButtonWithIcon(L("编制预算科目…"), theme.DocumentCreateIcon(), b.askLine)
	budgetPDF := widget.NewButtonWithIcon(L("PDF…"), theme.DocumentSaveIcon(), func() {
		PrintDocument(b.w, b.s, "budget", reports.Args{Year: b.yearNo()}, L("预算执行-%d.pdf", b.yearNo()))
	})
	return container.NewBorder(container.NewBorder(nil, nil, nil, container.NewHBox(lineB, b.approveB, budgetPDF), b.state), nil, nil, nil, split)
}

// settleTab is the year's settlement (统结统算) with the micro-fund bar, the button that
// settles and locks the year, and its PDF.
func (b *budgetScreen) settleTab() fyne.CanvasObject {
	settlePDF := widget.NewButtonWithIcon(L("年度结算 PDF…"), theme.DocumentSaveIcon(), func() {
		PrintDocument(b.w, b.s, "settlement", reports.Args{Year: b.yearNo()}, L("年度结算-%d.pdf", b.yearNo()))
	})
	b.micro = newMicroFundBar(b)
	return container.NewBorder(nil, container.NewVBox(b.micro.content, container.NewHBox(b.settleB, settlePDF)), nil, nil, container.NewVScroll(b.settle))
}

// maintTab is the maintenance fund's statement for the year and its PDF.
func (b *budgetScreen) maintTab() fyne.CanvasObject {
	maintPDF := widget.NewButtonWithIcon(L("维修资金收支 PDF…"), theme.DocumentSaveIcon(), func() {
		PrintDocument(b.w, b.s, "fund", reports.Args{Year: b.yearNo()}, L("维修资金-%d.pdf", b.yearNo()))
	})
	return container.NewBorder(nil, container.NewHBox(maintPDF), nil, nil, container.NewVScroll(b.maint))
}

func (b *budgetScreen) yearNo() int { y, _ := strconv.Atoi(b.year.Selected); return y }

// load reads the year's budget against actual spending, its settlement and its
// maintenance fund statement, all in the background: each walks the journal, which on
// a big book takes longer than a page may take to open.
func (b *budgetScreen) load() {
	ctx := context.Background()
	y := b.yearNo()
	b.gen++
	gen := b.gen
	b.state.SetText(L("正在读取 %s …", L("预算执行")))
	b.approveB.Disable()
	b.pending++
	var (
		rep app.BudgetReport
		err error
	)
	Spawn(func() {
		defer oneJournalRead()()
		rep, err = b.s.Budgets.BudgetVsActual(ctx, y)
	}, func() {
		b.pending--
		if gen != b.gen {
			return
		}
		b.showReport(y, rep, err)
	})
	b.loadSettlement()
	b.loadMaintenance()
}

// journalReads lets the page's background reads walk the journal one at a time: each
// already decodes on all cores, and three at once only hold three times the memory.
var journalReads = make(chan struct{}, 1)

// oneJournalRead waits for the page's other journal reads and returns the release.
func oneJournalRead() func() {
	journalReads <- struct{}{}
	return func() { <-journalReads }
}

func (b *budgetScreen) showReport(y int, rep app.BudgetReport, err error) {
	if err != nil && app.ErrorCode(err) != app.ENOTFOUND {
		ShowError(err, b.w)
	}
	b.report = rep
	b.table.SetData(len(rep.Lines))
	switch {
	case err != nil:
		b.state.SetText(L("%d 年还没有预算。", y))
	case rep.Budget.State == app.BudgetApproved:
		b.state.SetText(L("%d 年预算已批准（%s，%s）。", y, rep.Budget.Basis.String(), rep.Budget.ApprovedAt.Local().Format(app.DateLayout)))
	default:
		b.state.SetText(L("%d 年预算为草案，尚未批准。", y))
	}
	b.months.SetText(L("选择一行查看逐月支出。"))
	if err == nil && rep.Budget.State != app.BudgetApproved && len(rep.Budget.Lines) > 0 {
		b.approveB.Enable()
	} else {
		b.approveB.Disable()
	}
}

func (b *budgetScreen) showMonths(l app.BudgetActualLine) {
	var parts []string
	for i, m := range l.Months {
		if !m.IsZero() {
			parts = append(parts, L("%d 月　%s", i+1, app.FormatAmount(m)))
		}
	}
	b.months.SetText(l.Fund.Label() + " · " + l.CategoryLabel() + "\n" + l.Account + "\n\n" + strings.Join(parts, "\n"))
}

// loadSettlement reads the year's settlement (or its preview) in the background: on a
// big book it walks the year's journal, and the page opens without waiting for it.
func (b *budgetScreen) loadSettlement() {
	ctx := context.Background()
	y, gen := b.yearNo(), b.gen
	b.settle.SetText(L("正在读取 %s …", L("年度结算")))
	b.settleB.Disable()
	b.pending++
	var (
		st      app.Settlement
		settled bool
		err     error
	)
	Spawn(func() {
		defer oneJournalRead()()
		var preview bool
		st, preview, err = app.SettlementOrPreview(ctx, b.s.Settlements, y)
		settled = !preview
	}, func() {
		b.pending--
		if gen != b.gen {
			return
		}
		if err != nil {
			b.settle.SetText(L("读取失败：%s", err.Error()))
			return
		}
		b.showSettlement(y, st, settled)
	})
}

func (b *budgetScreen) showSettlement(y int, st app.Settlement, settled bool) {
	b.settlement, b.settled = st, settled
	b.settle.SetText(SettlementText(st, settled))
	b.micro.refresh()
	if settled || y >= b.s.Now().Year() {
		b.settleB.Disable()
	} else {
		b.settleB.Enable()
	}
}

// SettlementText is the annual settlement in words.
func SettlementText(st app.Settlement, settled bool) string {
	var sb strings.Builder
	w := func(s string) { sb.WriteString(s + "\n") }
	if settled {
		w(L("%d 年已结算（%s，%s），该年账期已锁定。结算时的凭证哈希：%s", st.Year, st.SettledBy, st.SettledAt.Local().Format(app.DateLayout), st.Head))
	} else {
		w(L("%d 年结算预览（尚未结算）：结余或亏损归全体业主，结转下一年。", st.Year))
	}
	for _, f := range st.Funds {
		w("")
		w(L("【%s】期初 %s", f.Fund.Label(), app.FormatAmount(f.Opening)))
		for _, l := range f.Income {
			w(L("　收入　%s　%s", l.Name, app.FormatAmount(l.Amount)))
		}
		for _, l := range f.Expenses {
			w(L("　支出　%s　%s", l.Name, app.FormatAmount(l.Amount)))
		}
		word := L("结余")
		if f.Surplus.IsNegative() {
			word = L("亏损")
		}
		w(L("　收入合计 %s，支出合计 %s（其中酬金 %s），%s %s，期末 %s",
			app.FormatAmount(f.IncomeTotal), app.FormatAmount(f.ExpenseTotal), app.FormatAmount(f.Remuneration), word, app.FormatAmount(f.Surplus.Abs()), app.FormatAmount(f.Closing)))
	}
	if t := microFundText(st); t != "" {
		w("")
		w(t)
	}
	if len(st.Unpaid) > 0 {
		w("")
		w(L("已批准未支付的申请：%s", strings.Join(st.Unpaid, "，")))
	}
	return sb.String()
}

func (b *budgetScreen) askSettle() {
	y := b.yearNo()
	share, err := b.micro.shareForSettle()
	if err != nil {
		ShowError(err, b.w)
		return
	}
	ask := L("结算 %d 年并锁定该年全部账期？之后不能再记入该年的凭证。", y)
	if share != nil {
		_, text, _ := sharePreview(b.settlement, b.micro.share.Text)
		ask += "\n" + L("业主微基金：%s", text)
	}
	dialog.ShowConfirm(L("年度结算"), ask, func(ok bool) {
		if !ok {
			return
		}
		var err error
		if share != nil {
			_, err = b.s.Settlements.SettleWithMicroFund(context.Background(), y, *share, Operator(), "")
		} else {
			_, err = b.s.Settlements.Settle(context.Background(), y, Operator(), "")
		}
		if err != nil {
			ShowError(err, b.w)
			return
		}
		b.loadSettlement()
	}, b.w)
}

// loadMaintenance reads the year's maintenance-fund statement in the background (it
// walks the whole journal on a big book).
func (b *budgetScreen) loadMaintenance() {
	y, gen := b.yearNo(), b.gen
	b.maint.SetText(L("正在读取 %s …", L("维修资金")))
	b.pending++
	var (
		m   app.MaintenanceStatement
		err error
	)
	Spawn(func() {
		defer oneJournalRead()()
		m, err = b.s.Maintenance.MaintenanceStatement(context.Background(), y)
	}, func() {
		b.pending--
		if gen != b.gen {
			return
		}
		if err != nil {
			b.maint.SetText(L("读取失败：%s", err.Error()))
			return
		}
		b.showMaintenance(m)
	})
}

func (b *budgetScreen) showMaintenance(m app.MaintenanceStatement) {
	b.maintSt = m
	var sb strings.Builder
	w := func(s string) { sb.WriteString(s + "\n") }
	w(L("%d 年维修资金：期初 %s，缴存 %s，利息 %s，其他收入 %s，维修支出 %s，期末 %s。", m.Year,
		app.FormatAmount(m.Opening), app.FormatAmount(m.Deposits), app.FormatAmount(m.Interest), app.FormatAmount(m.OtherIncome), app.FormatAmount(m.Repairs), app.FormatAmount(m.Closing)))
	if len(m.Applications) > 0 {
		w("")
		w(L("使用申请："))
		for _, a := range m.Applications {
			vote := L("表决未通过或未关联")
			if a.Passed {
				vote = L("表决已通过")
			}
			w(L("　%s　%s　%s　%s　%s（%s）", a.Expense.ID, a.Expense.Payee, app.FormatAmount(a.Expense.Amount), a.Expense.Description, a.Progress, vote))
		}
	}
	if len(m.Shares) > 0 {
		w("")
		w(L("各楼栋分户账（按专有面积分摊）："))
		for _, s := range m.Shares {
			w(L("　%s 栋　面积 %s m²　专项维修 %s　份额 %s", s.Building, s.Area.StringFixed(2), app.FormatAmount(s.Repairs), app.FormatAmount(s.Share)))
		}
	}
	b.maint.SetText(sb.String())
}

// askLine sets one line of the year's draft budget.
func (b *budgetScreen) askLine() {
	var fundOpts []string
	for _, f := range app.Funds {
		fundOpts = append(fundOpts, f.Label())
	}
	fund := newSelect(fundOpts, nil)
	fund.SetSelectedIndex(0)
	var catOpts []string
	for _, c := range app.ExpenseCategories {
		catOpts = append(catOpts, c.Name)
	}
	cat := newSelect(catOpts, nil)
	amount, note := widget.NewEntry(), widget.NewEntry()
	amount.SetPlaceHolder("0.00")
	items := []*widget.FormItem{
		widget.NewFormItem(L("资金"), fund),
		widget.NewFormItem(L("类别"), cat),
		widget.NewFormItem(L("预算金额（元）"), amount),
		widget.NewFormItem(L("说明"), note),
	}
	d := dialog.NewForm(L("%d 年预算科目", b.yearNo()), L("保存"), L("取消"), items, func(ok bool) {
		if !ok {
			return
		}
		if err := b.SetLine(fund.SelectedIndex(), cat.SelectedIndex(), amount.Text, note.Text); err != nil {
			ShowError(err, b.w)
		}
	}, b.w)
	d.Resize(fyne.NewSize(520, 320))
	d.Show()
}

// SetLine records a draft budget line for the chosen year.
func (b *budgetScreen) SetLine(fund, cat int, amount, note string) error {
	if fund < 0 || cat < 0 {
		return app.Errorf(app.EINVALID, "请选择资金和类别", "choose the fund and the category")
	}
	a, err := app.ParseAmount(amount)
	if err != nil {
		return err
	}
	l := app.BudgetLine{Year: b.yearNo(), Fund: app.Funds[fund], Category: app.ExpenseCategories[cat].Code, Amount: a, Note: strings.TrimSpace(note)}
	if _, err := b.s.Budgets.SetBudgetLine(context.Background(), l, Operator(), ""); err != nil {
		return err
	}
	b.load()
	return nil
}

// askApprove approves the draft with its basis: an owners' vote or a committee decision.
func (b *budgetScreen) askApprove() {
	vote, decision := widget.NewEntry(), widget.NewEntry()
	vote.SetPlaceHolder(L("例如 V0001:1"))
	decision.SetPlaceHolder(L("例如：业委会 2026 年第 1 次会议决议"))
	items := []*widget.FormItem{
		widget.NewFormItem(L("依据表决"), vote),
		widget.NewFormItem(L("或业委会决议"), decision),
	}
	d := dialog.NewForm(L("批准 %d 年预算", b.yearNo()), L("批准"), L("取消"), items, func(ok bool) {
		if !ok {
			return
		}
		v, m, err := parseVoteRef(vote.Text)
		if err == nil {
			_, err = b.s.Budgets.ApproveBudget(context.Background(), b.yearNo(), app.BudgetBasis{Vote: v, Matter: m, Decision: strings.TrimSpace(decision.Text)}, Operator(), "")
		}
		if err != nil {
			ShowError(err, b.w)
			return
		}
		b.load()
	}, b.w)
	d.Resize(fyne.NewSize(560, 260))
	d.Show()
}
