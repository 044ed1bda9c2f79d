package ui

import (
	"context"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/shopspring/decimal"

	"sunledger/app"
	"sunledger/reports"
)

// Arrears is the 欠费 screen: every unit that owes fees, with the amount split by age
// (0–2, 3–5, 6–11, 12+ months), filtered by building, kind, age and a search, with the
// total of what is shown.
func Arrears(w fyne.Window, s app.Services) fyne.CanvasObject {
	return newArrearsScreen(w, s).content
}

type arrearsScreen struct {
	rows     []app.Arrears
	units    map[string]app.Unit
	table    *SortTable
	search   *widget.Entry
	building *widget.Select
	age      *widget.Select
	// minAmount leaves out the units owing less (a few fen are not posted): the
	// notice's --min-amount.
	minAmount *widget.Entry
	total     *widget.Label
	content   fyne.CanvasObject
	month     string // YYYY-MM the ages are counted to
}

func newArrearsScreen(w fyne.Window, s app.Services) *arrearsScreen {
	a := &arrearsScreen{units: map[string]app.Unit{}, month: s.Now().Format("2006-01")}
	rule := a.load(w, s)
	a.table = NewSortTable(a.columns(rule))
	a.filters()
	a.total = widget.NewLabel("")
	a.total.Wrapping = fyne.TextWrapWord // the sums by age are one long line in English
	a.table.OnChanged = a.updateTotal
	a.table.SetData(len(a.rows))
	a.filter()

	searchBox := container.NewGridWrap(fyne.NewSize(240, a.search.MinSize().Height), a.search)
	noteL := widget.NewLabel(arrearsNote(rule))
	noteL.Wrapping = fyne.TextWrapWord
	pdf := widget.NewButtonWithIcon(L("欠费公示 PDF…"), theme.DocumentSaveIcon(), func() {
		SavePDF(w, s, "gui arrears", L("欠费公示-%s.pdf", s.Now().Format(app.DateLayout)), document(s, "arrears", a.args))
	})
	top := container.NewVBox(Heading(L("欠费")), container.NewBorder(nil, nil, container.NewHBox(searchBox, sized(a.building, 150), sized(a.age, 200), sized(a.minAmount, 130)), pdf))
	a.content = container.NewBorder(top, container.NewVBox(widget.NewSeparator(), a.total, noteL), nil, nil, a.table)
	return a
}

// load reads the arrears, the units (for their kinds) and the late-fee rule it returns;
// a read that fails is shown and the page opens with what could be read.
func (a *arrearsScreen) load(w fyne.Window, s app.Services) app.LateFeeRule {
	ctx := context.Background()
	rows, err := s.Fees.Arrears(ctx)
	if err != nil {
		ShowError(err, w)
	}
	a.rows = rows
	units, err := s.Register.Units(ctx)
	if err != nil {
		ShowError(err, w)
	}
	for _, u := range units {
		a.units[u.ID] = u
	}
	rule, err := s.Prices.LateFeeRule(ctx)
	if err != nil {
		ShowError(err, w)
	}
	return rule
}

// columns are the table's columns: unit, kind, payer, what is owed, months, the oldest
// month, one column per age bucket, and the late fee when the contract has one.
func (a *arrearsScreen) columns(rule app.LateFeeRule) []Column {
	money := func(get func(r app.Arrears) decimal.Decimal, title string) Column {
		return Column{Title: title, Width: 120, Numeric: true,
			Text: func(i int) string {
				if v := get(a.rows[i]); !v.IsZero() {
					return app.FormatAmount(v)
				}
				return ""
			},
			Less: func(x, y int) bool { return get(a.rows[x]).LessThan(get(a.rows[y])) }}
	}
	cols := []Column{
		{Title: L("房号"), Width: 110, Text: func(i int) string { return a.rows[i].Unit },
			Less: func(x, y int) bool { return app.UnitLess(a.rows[x].Unit, a.rows[y].Unit) }},
		{Title: L("类型"), Width: 70, Text: func(i int) string { return app.KindLabel(a.units[a.rows[i].Unit].Kind) }},
		{Title: L("缴费人"), Width: 150, Text: func(i int) string { return a.rows[i].Payer }},
		money(func(r app.Arrears) decimal.Decimal { return r.Owed }, L("欠费合计")),
		{Title: L("月数"), Width: 60, Numeric: true, Text: func(i int) string { return itoa(a.rows[i].Bills) },
			Less: func(x, y int) bool { return a.rows[x].Bills < a.rows[y].Bills }},
		{Title: L("最早欠费月"), Width: 110, Text: func(i int) string { return a.rows[i].Oldest }},
	}
	for i, b := range app.AgeBuckets {
		cols = append(cols, money(func(r app.Arrears) decimal.Decimal { return r.Ageing[i] }, L("%s 个月", b.Label)))
	}
	if rule.DailyRate.IsPositive() {
		cols = append(cols, money(func(r app.Arrears) decimal.Decimal { return r.LateFee }, L("滞纳金")))
	}
	return cols
}

// filters makes the search box and the building and age choices, each filtering the
// table as it changes.
func (a *arrearsScreen) filters() {
	a.search = widget.NewEntry()
	a.search.SetPlaceHolder(L("搜索房号或缴费人…"))
	a.search.OnChanged = func(string) { a.filter() }
	buildings := []string{L("全部楼栋")}
	seen := map[string]bool{}
	for _, r := range a.rows {
		if b := app.BuildingOf(r.Unit); !seen[b] {
			seen[b] = true
			buildings = append(buildings, b)
		}
	}
	a.building = newSelect(buildings, nil)
	a.building.SetSelectedIndex(0)
	a.age = newSelect([]string{L("全部账龄"), L("欠费超过 3 个月"), L("欠费超过 6 个月"), L("欠费超过 12 个月")}, nil)
	a.age.SetSelectedIndex(0)
	a.building.OnChanged = func(string) { a.filter() }
	a.age.OnChanged = func(string) { a.filter() }
	a.minAmount = widget.NewEntry()
	a.minAmount.SetPlaceHolder(L("最低金额（元）"))
	a.minAmount.OnChanged = func(string) { a.filter() }
}

// min is the minimum amount typed, zero when none or not an amount.
func (a *arrearsScreen) min() (decimal.Decimal, string) {
	t := strings.TrimSpace(a.minAmount.Text)
	if t == "" {
		return decimal.Zero, ""
	}
	v, err := app.ParseAmount(t)
	if err != nil {
		return decimal.Zero, ""
	}
	return v, t
}

// arrearsNote is the note under the table: how ages are counted and the late-fee rule.
func arrearsNote(rule app.LateFeeRule) string {
	note := L("账龄按账单月份计：本月为 0。收缴率和欠费只算物业服务费。")
	if rule.DailyRate.IsPositive() {
		return note + L("滞纳金按合同约定：每日 %s，宽限 %d 天。", rule.DailyRate.String(), rule.GraceDays)
	}
	return note + L("合同没有约定滞纳金，不计收。")
}

func (a *arrearsScreen) filter() {
	q := a.search.Text
	b := ""
	if i := a.building.SelectedIndex(); i > 0 {
		b = a.building.Selected
	}
	months := 0
	if i := a.age.SelectedIndex(); i > 0 {
		months = app.AgeBuckets[i].From // 1: 3+ months
	}
	min, _ := a.min()
	a.table.SetFilter(func(i int) bool {
		r := a.rows[i]
		if b != "" && app.BuildingOf(r.Unit) != b {
			return false
		}
		if months > 0 && !r.OwingFor(months, a.month) {
			return false
		}
		if r.Owed.LessThan(min) {
			return false
		}
		return Matches(q, r.Unit, r.Payer)
	})
}

func (a *arrearsScreen) updateTotal() {
	total := decimal.Zero
	var ageing [4]decimal.Decimal
	for k := range ageing {
		ageing[k] = decimal.Zero
	}
	for r := 0; r < a.table.Rows(); r++ {
		row := a.rows[a.table.DataRow(r)]
		total = total.Add(row.Owed)
		for k := range ageing {
			ageing[k] = ageing[k].Add(row.Ageing[k])
		}
	}
	parts := []string{L("%d 户欠费，合计 %s", a.table.Rows(), app.FormatAmount(total))}
	for k, b := range app.AgeBuckets {
		parts = append(parts, L("%s 个月 %s", b.Label, app.FormatAmount(ageing[k])))
	}
	a.total.SetText(strings.Join(parts, "　"))
}

// args are the arrears notice's arguments for the units shown: the age and building
// chosen, and the units a search left.
func (a *arrearsScreen) args() reports.Args {
	var r reports.Args
	if i := a.age.SelectedIndex(); i > 0 {
		r.MinMonths = app.AgeBuckets[i].From
	}
	if i := a.building.SelectedIndex(); i > 0 {
		r.Building = a.building.Selected
	}
	_, r.MinAmount = a.min()
	if strings.TrimSpace(a.search.Text) != "" {
		r.Units = []string{}
		for i := 0; i < a.table.Rows(); i++ {
			r.Units = append(r.Units, a.rows[a.table.DataRow(i)].Unit)
		}
	}
	return r
}
