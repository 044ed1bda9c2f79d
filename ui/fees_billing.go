package ui

import (
	"context"
	"errors"
	"maps"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/shopspring/decimal"

	"sunledger/app"
)

// billingPane lists the billing runs and prices and starts new ones.
type billingPane struct {
	w      fyne.Window
	s      app.Services
	runs   []app.BillingRun
	prices []app.FeePrice
	runT   *SortTable
	priceT *SortTable
	from   *widget.Entry // the first month to bill
	// The price form: kind (of kinds), price and first month.
	kind             *widget.Select
	kinds            []app.UnitKind
	price, priceFrom *widget.Entry
	content          fyne.CanvasObject
}

func newBillingPane(w fyne.Window, s app.Services) *billingPane {
	b := &billingPane{w: w, s: s}
	b.runT = b.runsTable()
	b.priceT = b.pricesTable()
	next := s.Now().Format("2006-01")
	left := container.NewVScroll(container.NewVBox(b.billCard(next), b.priceCard(next)))
	right := container.NewVSplit(
		container.NewBorder(widget.NewLabelWithStyle(L("已开账单"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), nil, nil, nil, b.runT),
		container.NewBorder(widget.NewLabelWithStyle(L("单价表"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), nil, nil, nil, b.priceT))
	right.Offset = 0.65
	split := container.NewHSplit(left, right)
	split.Offset = 0.4
	b.content = split
	b.reload()
	if n := len(b.runs); n > 0 {
		b.from.SetPlaceHolder(app.AddMonths(b.runs[n-1].Period, 1))
	}
	return b
}

// runsTable is the table of the months billed (b.runs).
func (b *billingPane) runsTable() *SortTable {
	return NewSortTable([]Column{
		{Title: L("月份"), Width: 100, Text: func(i int) string { return b.runs[i].Period }},
		{Title: L("户数"), Width: 80, Numeric: true, Text: func(i int) string { return itoa(b.runs[i].Units) }},
		{Title: L("金额"), Width: 150, Numeric: true, Text: func(i int) string { return app.FormatAmount(b.runs[i].Total) },
			Less: func(x, y int) bool { return b.runs[x].Total.LessThan(b.runs[y].Total) }},
		{Title: L("未计费"), Width: 90, Numeric: true, Text: func(i int) string {
			n := 0
			for _, c := range b.runs[i].Unpriced {
				n += c
			}
			if n == 0 {
				return ""
			}
			return itoa(n)
		}},
		{Title: L("预交冲抵"), Width: 130, Numeric: true, Text: func(i int) string { return app.FormatAmount(b.runs[i].CreditApplied) }},
		{Title: L("凭证"), Width: 90, Numeric: true, Text: func(i int) string { return "#" + itoa(int(b.runs[i].EntrySeq)) }},
		{Title: L("经办人"), Width: 110, Text: func(i int) string { return b.runs[i].Who }},
	})
}

// pricesTable is the table of price records (b.prices).
func (b *billingPane) pricesTable() *SortTable {
	return NewSortTable([]Column{
		{Title: L("类型"), Width: 90, Text: func(i int) string { return app.KindLabel(b.prices[i].Kind) }},
		{Title: L("单价（元/m²·月）"), Width: 150, Numeric: true, Text: func(i int) string { return b.prices[i].Price.String() }},
		{Title: L("起始月份"), Width: 100, Text: func(i int) string { return b.prices[i].From }},
	})
}

// billCard is the form that bills a range of months (from defaults to next, to to
// from) after a confirmation.
func (b *billingPane) billCard(next string) fyne.CanvasObject {
	w, s := b.w, b.s
	b.from = widget.NewEntry()
	from, to := b.from, widget.NewEntry()
	from.SetPlaceHolder(next)
	to.SetPlaceHolder(L("同起始月"))
	billBtn := widget.NewButtonWithIcon(L("开账单"), theme.DocumentCreateIcon(), func() {
		f, t := strings.TrimSpace(from.Text), strings.TrimSpace(to.Text)
		if f == "" {
			f = from.PlaceHolder
		}
		if t == "" {
			t = f
		}
		dialog.ShowConfirm(L("开账单"), L("为全部房号开出 %s 至 %s 的物业费账单？开出后不能重开，只能冲销。", f, t), func(ok bool) {
			if !ok {
				return
			}
			runs, err := s.Fees.Bill(context.Background(), f, t, Operator(), "")
			if err != nil {
				b.billFailed(err)
				return
			}
			ShowInfo(L("开账单"), billedMessage(runs), w)
			b.reload()
			from.SetText("")
		}, w)
	})
	return widget.NewCard(L("开账单"), L("按“面积 × 单价”为每个房号开出物业费，每笔四舍五入到分；开发商持有的房号由开发商缴纳。"),
		container.NewVBox(widget.NewForm(widget.NewFormItem(L("从（YYYY-MM）"), from), widget.NewFormItem(L("到（YYYY-MM）"), to)), container.NewHBox(billBtn)))
}

// billedMessage says how many months were billed for how much, and which unit kinds
// had no price.
func billedMessage(runs []app.BillingRun) string {
	total, billed := decimal.Zero, 0
	for _, r := range runs {
		if !r.Skipped { // months billed before are returned too, marked skipped
			total, billed = total.Add(r.Total), billed+1
		}
	}
	msg := L("已开出 %d 个月的账单，合计 %s。", billed, app.FormatAmount(total))
	if u := unpriced(runs); u != "" {
		msg += "\n" + L("这些类型没有单价，没有开账单（如车位另行收费或不收费）：%s。", u)
	}
	return msg
}

// priceCard is the form that sets a unit kind's price from a month on (default next).
func (b *billingPane) priceCard(next string) fyne.CanvasObject {
	w, s := b.w, b.s
	kind := newSelect(nil, nil)
	units, err := s.Register.Units(context.Background())
	if err != nil {
		ShowError(err, w)
	}
	kinds := Kinds(units)
	for _, k := range kinds {
		kind.Options = append(kind.Options, app.KindLabel(k))
	}
	price, priceFrom := widget.NewEntry(), widget.NewEntry()
	b.kind, b.kinds, b.price, b.priceFrom = kind, kinds, price, priceFrom
	price.SetPlaceHolder("0.35")
	priceFrom.SetPlaceHolder(next)
	priceBtn := widget.NewButton(L("设定单价"), func() {
		i := kind.SelectedIndex()
		if i < 0 {
			ShowError(app.Errorf(app.EINVALID, "请选择房号类型", "choose a unit kind"), w)
			return
		}
		pr, err := app.ParseRate(price.Text) // as the command line reads --price
		if err != nil {
			ShowError(err, w)
			return
		}
		m := strings.TrimSpace(priceFrom.Text)
		if m == "" {
			m = priceFrom.PlaceHolder
		}
		if err := s.Prices.SetPrice(context.Background(), app.FeePrice{Kind: kinds[i], Price: pr, From: m}, Operator(), ""); err != nil {
			ShowError(err, w)
			return
		}
		price.SetText("")
		b.reload()
	})
	return widget.NewCard(L("单价"), L("单价变化时新增一条记录，旧账单不受影响。"),
		container.NewVBox(widget.NewForm(widget.NewFormItem(L("类型"), kind), widget.NewFormItem(L("单价（元/m²·月）"), price), widget.NewFormItem(L("起始月份"), priceFrom)), container.NewHBox(priceBtn)))
}

func (b *billingPane) reload() {
	ctx := context.Background()
	var err error
	if b.runs, err = b.s.Fees.BillingRuns(ctx); err != nil {
		ShowError(err, b.w)
	}
	if b.prices, err = b.s.Prices.Prices(ctx); err != nil {
		ShowError(err, b.w)
	}
	b.runT.SetData(len(b.runs))
	b.runT.SortBy(0, true)
	b.priceT.SetData(len(b.prices))
}

// unpriced lists, over billing runs, the unit kinds left unbilled for want of a price.
func unpriced(runs []app.BillingRun) string {
	n := map[app.UnitKind]int{}
	for _, r := range runs {
		for k, c := range r.Unpriced {
			n[k] += c
		}
	}
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(n)) {
		parts = append(parts, L("%s %d 户", app.KindLabel(k), n[k]))
	}
	return strings.Join(parts, "，")
}

// billFailed explains a refused billing; a month without a price is answered in the
// user's words with the price form filled in for it (kind and month), ready for the price.
func (b *billingPane) billFailed(err error) {
	var np *app.NoPriceError
	if !errors.As(err, &np) || b.kind == nil {
		ShowError(err, b.w)
		return
	}
	if i := slices.Index(b.kinds, np.Kind); i >= 0 {
		b.kind.SetSelectedIndex(i)
	}
	b.priceFrom.SetText(np.Month)
	ShowInfo(L("还没有单价"), L("%s 还没有%s的物业费单价，所以没有开出任何账单。\n请在下面的“单价”里填写%s每平方米每月的单价（已选好类型和起始月份 %s），点“设定单价”，再点“开账单”。",
		np.Month, app.KindLabel(np.Kind), app.KindLabel(np.Kind), np.Month), b.w)
	b.w.Canvas().Focus(b.price)
}
