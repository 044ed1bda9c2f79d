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
	"sunledger/reports"
)

// Fees is the 收费 screen: payment entry with a receipt preview that follows every
// keystroke (amount in figures and in 大写, the months it will pay), and billing with
// the price list.
func Fees(w fyne.Window, s app.Services) fyne.CanvasObject {
	p := newPaymentForm(w, s)
	b := newBillingPane(w, s)
	tabs := container.NewAppTabs(
		container.NewTabItemWithIcon(L("收款"), theme.ContentAddIcon(), p.content),
		container.NewTabItemWithIcon(L("计费与单价"), theme.ListIcon(), b.content))
	if s.Income != nil {
		tabs.Append(container.NewTabItemWithIcon(L("公共收益及其他收入"), theme.ContentAddIcon(), incomeForm(w, s)))
	}
	return container.NewBorder(Heading(L("收费")), nil, nil, nil, tabs)
}

// paymentForm records a payment; the preview shows the receipt as it will print.
type paymentForm struct {
	w         fyne.Window
	s         app.Services
	community string
	unit      *UnitEntry
	amount    *widget.Entry
	method    *widget.RadioGroup
	date      *widget.Entry
	payer     *widget.Entry
	pay       *widget.Button
	owner     *widget.Label
	open      *widget.Label
	preview   *receiptPreview
	stmt      *app.UnitStatement // the chosen unit's statement, nil if none
	last      *app.Payment       // the receipt just issued
	content   fyne.CanvasObject
}

var methodCodes = []app.PaymentMethod{app.MethodBank, app.MethodWeChat, app.MethodAlipay, app.MethodCash}

func newPaymentForm(w fyne.Window, s app.Services) *paymentForm {
	p := &paymentForm{w: w, s: s}
	ctx := context.Background()
	if c, err := s.Book.Community(ctx); err != nil {
		ShowError(err, w)
	} else {
		p.community = c.Name
	}
	units, err := s.Register.Units(ctx)
	if err != nil {
		ShowError(err, w)
	}
	p.unit = NewUnitEntry(units)
	p.unit.OnUnit = func(u *app.Unit) { p.chooseUnit(u) }
	p.unit.OnEnter = func() {
		if c := w.Canvas(); c != nil && p.stmt != nil {
			c.Focus(p.amount)
		}
	}
	p.amount = widget.NewEntry()
	p.amount.SetPlaceHolder("0.00")
	var labels []string
	for _, m := range methodCodes {
		labels = append(labels, app.MethodLabel(m))
	}
	p.method = widget.NewRadioGroup(labels, nil)
	p.method.Horizontal = true
	p.method.Required = true
	p.method.SetSelected(labels[0])
	p.method.OnChanged = func(string) { p.update() }
	p.date = widget.NewEntry()
	p.date.SetText(s.Now().Format("2006-01-02"))
	p.payer = widget.NewEntry()
	p.payer.SetPlaceHolder(L("默认为业主"))
	p.owner = widget.NewLabel("")
	p.owner.Wrapping = fyne.TextWrapWord
	p.open = widget.NewLabel("")
	p.open.Wrapping = fyne.TextWrapWord
	p.pay = widget.NewButtonWithIcon(L("收款并开收据"), theme.ConfirmIcon(), p.submit)
	p.pay.Importance = widget.HighImportance
	p.amount.OnSubmitted = func(string) { p.submit() }
	p.preview = newReceiptPreview()
	for _, e := range []*widget.Entry{p.amount, p.date, p.payer} {
		e.OnChanged = func(string) { p.update() }
	}

	form := widget.NewForm(
		widget.NewFormItem(L("房号"), p.unit),
		widget.NewFormItem("", p.unit.Hint()),
		widget.NewFormItem(L("金额（元）"), p.amount),
		widget.NewFormItem(L("付款方式"), p.method),
		widget.NewFormItem(L("收款日期"), p.date),
		widget.NewFormItem(L("交款人"), p.payer),
	)
	left := container.NewVBox(form, p.owner, p.open, container.NewHBox(p.pay))
	right := container.NewVBox(widget.NewLabelWithStyle(L("收据预览"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), p.preview.content)
	split := container.NewHSplit(container.NewVScroll(left), container.NewVScroll(right))
	split.Offset = 0.45
	p.content = split
	p.update()
	return p
}

func (p *paymentForm) chooseUnit(u *app.Unit) {
	p.stmt, p.last = nil, nil
	if u == nil {
		p.owner.SetText("")
		p.open.SetText("")
		p.update()
		return
	}
	st, err := p.s.Fees.Statement(context.Background(), u.ID)
	if err != nil {
		ShowError(err, p.w)
		return
	}
	p.stmt = &st
	owner := u.OwnerName
	if u.DeveloperHeld {
		owner = app.DeveloperPayer
	}
	p.owner.SetText(L("%s　%s　%s m²　业主：%s", u.ID, app.KindLabel(u.Kind), u.Area.StringFixed(2), owner))
	owed := st.Account.Owed()
	switch {
	case len(st.Account.Open) > 0:
		var months []string
		for _, b := range st.Account.Open {
			months = append(months, b.Period+" "+app.FormatAmount(b.Due))
		}
		p.open.SetText(L("欠费 %s（%d 个月）：%s", app.FormatAmount(owed), len(st.Account.Open), strings.Join(months, "，")))
		p.amount.SetText(app.PlainAmount(owed))
	case st.Account.Credit.IsPositive():
		p.open.SetText(L("没有欠费；预交余额 %s", app.FormatAmount(st.Account.Credit)))
	default:
		p.open.SetText(L("没有欠费"))
	}
	p.update()
}

// request is the payment as typed so far.
func (p *paymentForm) request() (app.PaymentRequest, error) {
	r := app.PaymentRequest{Unit: p.unit.Text, Date: strings.TrimSpace(p.date.Text), Payer: strings.TrimSpace(p.payer.Text)}
	for _, m := range methodCodes {
		if app.MethodLabel(m) == p.method.Selected {
			r.Method = m
		}
	}
	amt, err := app.ParseAmount(p.amount.Text)
	if err != nil {
		return r, err
	}
	r.Amount = amt
	return r, r.Validate()
}

// update redraws the preview from what is typed: the allocation is worked out on a copy
// of the unit's account, exactly as the service will apply it.
func (p *paymentForm) update() {
	pv := receipt{Community: p.community, Receipt: L("（收款后生成）")}
	r, err := p.request()
	pv.Date, pv.Method = r.Date, app.MethodLabel(r.Method)
	if err == nil {
		pv.Amount = &r.Amount
	} else if strings.TrimSpace(p.amount.Text) != "" {
		pv.Problem = err.Error()
	}
	if p.stmt != nil {
		u := p.stmt.Unit
		pv.Unit = u.ID + "（" + app.KindLabel(u.Kind) + "，" + u.Area.StringFixed(2) + " m²）"
		pv.Payer = r.Payer
		if pv.Payer == "" {
			pv.Payer = u.OwnerName
			if u.DeveloperHeld {
				pv.Payer = app.DeveloperPayer
			}
		}
		if pv.Amount != nil {
			acct := p.stmt.Account
			acct.Open = append([]app.OpenBill(nil), acct.Open...)
			allocs, credit, err := acct.Allocate(r.Amount, nil)
			if err == nil {
				pv.Allocations, pv.Credit = allocs, credit
			}
		}
	} else if p.unit.Text != "" {
		pv.Problem = L("登记册里没有房号 %s", p.unit.Text)
	}
	p.preview.show(pv)
	if p.stmt != nil && err == nil {
		p.pay.Enable()
	} else {
		p.pay.Disable()
	}
}

// submit records the payment and shows the receipt number, with the PDF on offer.
func (p *paymentForm) submit() {
	r, err := p.request()
	if err == nil && p.stmt == nil {
		err = app.Errorf(app.ENOTFOUND, "登记册里没有房号 %s", "unit %s is not in the register", p.unit.Text)
	}
	if err != nil {
		ShowError(err, p.w)
		return
	}
	p.record(r)
}

// record pays r. A prepayment of more than app.LargePrepaymentMonths months' fees is
// refused by the service unless confirmed: the cashier is asked here, and on yes the
// same payment is recorded with AllowLarge set.
func (p *paymentForm) record(r app.PaymentRequest) {
	pay, err := p.s.Fees.Pay(context.Background(), r, Operator(), "")
	if errors.Is(err, app.ErrLargePrepayment) && !r.AllowLarge {
		months := ""
		if p.stmt != nil {
			acct := p.stmt.Account
			acct.Open = append([]app.OpenBill(nil), acct.Open...)
			if _, credit, aerr := acct.Allocate(r.Amount, r.Bills); aerr == nil {
				if prices, perr := p.s.Fees.Prices(context.Background()); perr == nil {
					month := r.Date
					if len(month) >= 7 {
						month = month[:7]
					} else {
						month = p.s.Now().Format("2006-01")
					}
					if monthly, ok := app.MonthlyFee(p.stmt.Unit, prices, month); ok {
						months = app.MonthsCovered(credit, monthly).StringFixed(1)
					}
				}
			}
		}
		dialog.ShowConfirm(L("预交金额较大"), L("这笔缴费预交约 %s 个月的物业费，超过 %d 个月。金额 %s 确认无误吗？", months, app.LargePrepaymentMonths, app.FormatAmount(r.Amount)), func(ok bool) {
			if ok {
				r.AllowLarge = true
				p.record(r)
			}
		}, p.w)
		return
	}
	if err != nil {
		ShowError(err, p.w)
		return
	}
	p.last = &pay
	st := p.stmt
	msg := widget.NewLabel(L("已收款 %s，收据号 %s（凭证 #%d）。", app.FormatAmount(pay.Amount), pay.Receipt, pay.EntrySeq))
	box := container.NewVBox(msg)
	box.Add(widget.NewButtonWithIcon(L("保存收据 PDF…"), theme.DocumentSaveIcon(), func() { p.saveReceipt(pay, st.Unit) }))
	dialog.ShowCustom(L("收款完成"), L("好的"), box, p.w)
	done := receiptOf(p.community, pay, st.Unit)
	p.preview.show(done)
	// Ready for the next payer.
	p.stmt = nil
	p.unit.SetText("")
	p.amount.SetText("")
	p.payer.SetText("")
	p.owner.SetText("")
	p.open.SetText("")
	p.preview.show(done)
	p.pay.Disable()
	p.last = &pay
}

func (p *paymentForm) saveReceipt(pay app.Payment, u app.Unit) {
	SavePDF(p.w, p.s, "gui receipt", L("收据-%s.pdf", pay.Receipt), func() (*reports.Doc, error) {
		// Through the print log: saving the receipt a second time prints 补打. A receipt
		// carries its own journal entry's hash, not the head at print time.
		r, err := reports.PrintReceipt(context.Background(), p.s, pay.Receipt, Operator())
		if err != nil {
			return nil, err
		}
		return reports.ReceiptDoc(r), nil
	})
}

// receipt is what the preview shows.
type receipt struct {
	Community, Receipt, Date, Unit, Payer, Method string
	Amount                                        *decimal.Decimal
	Allocations                                   []app.Allocation
	Credit                                        decimal.Decimal
	Problem                                       string
}

func receiptOf(community string, p app.Payment, u app.Unit) receipt {
	return receipt{Community: community, Receipt: p.Receipt, Date: p.Date,
		Unit:  u.ID + "（" + app.KindLabel(u.Kind) + "，" + u.Area.StringFixed(2) + " m²）",
		Payer: p.Payer, Method: app.MethodLabel(p.Method), Amount: &p.Amount, Allocations: p.Allocations, Credit: p.Credit}
}

type receiptPreview struct {
	title, no, unit, payer, figures, words, method, lines, problem *widget.Label
	content                                                        fyne.CanvasObject
}

func newReceiptPreview() *receiptPreview {
	r := &receiptPreview{}
	for _, l := range []**widget.Label{&r.title, &r.no, &r.unit, &r.payer, &r.figures, &r.words, &r.method, &r.lines, &r.problem} {
		*l = widget.NewLabel("")
		(*l).Wrapping = fyne.TextWrapWord
	}
	r.title.Alignment = fyne.TextAlignCenter
	r.title.TextStyle.Bold = true
	r.title.SizeName = theme.SizeNameSubHeadingText
	r.figures.TextStyle.Bold = true
	r.figures.SizeName = theme.SizeNameSubHeadingText
	r.words.TextStyle.Bold = true
	r.problem.Importance = widget.DangerImportance
	body := container.NewVBox(r.title, r.no, widget.NewSeparator(), r.unit, r.payer, r.figures, r.words, r.method, widget.NewSeparator(), r.lines, r.problem)
	r.content = widget.NewCard("", "", body)
	return r
}

func (r *receiptPreview) show(v receipt) {
	r.title.SetText(v.Community + " " + L("物业服务费收据"))
	r.no.SetText(L("收据号：%s　　日期：%s", v.Receipt, v.Date))
	r.unit.SetText(L("房号：%s", v.Unit))
	r.payer.SetText(L("交款人：%s", v.Payer))
	if v.Amount != nil {
		r.figures.SetText(L("金额（小写）：%s", app.FormatAmount(*v.Amount)))
		r.words.SetText(L("金额（大写）：%s", app.AmountInWords(*v.Amount)))
	} else {
		r.figures.SetText(L("金额（小写）："))
		r.words.SetText(L("金额（大写）："))
	}
	r.method.SetText(L("付款方式：%s", v.Method))
	var lines []string
	for _, a := range v.Allocations {
		lines = append(lines, L("%s 物业服务费　%s", a.Period, app.FormatAmount(a.Amount)))
	}
	if v.Credit.IsPositive() {
		lines = append(lines, L("预交物业费（冲抵以后月份）　%s", app.FormatAmount(v.Credit)))
	}
	r.lines.SetText(strings.Join(lines, "\n"))
	r.problem.SetText(v.Problem)
	if v.Problem == "" {
		r.problem.Hide()
	} else {
		r.problem.Show()
	}
}

// billingPane lists the billing runs and prices and starts new ones.
type billingPane struct {
	w       fyne.Window
	s       app.Services
	runs    []app.BillingRun
	prices  []app.FeePrice
	runT    *SortTable
	priceT  *SortTable
	from    *widget.Entry // the first month to bill
	content fyne.CanvasObject
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
				ShowError(err, w)
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
	price.SetPlaceHolder("0.35")
	priceFrom.SetPlaceHolder(next)
	priceBtn := widget.NewButton(L("设定单价"), func() {
		i := kind.SelectedIndex()
		if i < 0 {
			ShowError(app.Errorf(app.EINVALID, "请选择房号类型", "choose a unit kind"), w)
			return
		}
		pr, err := decimal.NewFromString(strings.TrimSpace(price.Text))
		if err != nil {
			ShowError(app.Errorf(app.EINVALID, "单价 %q 不是数字", "price %q is not a number", price.Text), w)
			return
		}
		m := strings.TrimSpace(priceFrom.Text)
		if m == "" {
			m = priceFrom.PlaceHolder
		}
		if err := s.Fees.SetPrice(context.Background(), app.FeePrice{Kind: kinds[i], Price: pr, From: m}, Operator(), ""); err != nil {
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
	if b.prices, err = b.s.Fees.Prices(ctx); err != nil {
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
