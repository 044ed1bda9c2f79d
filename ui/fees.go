package ui

import (
	"context"
	"errors"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

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
	p.date.SetText(s.Now().Format(app.DateLayout))
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
				if prices, perr := p.s.Prices.Prices(context.Background()); perr == nil {
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
	var done dialog.Dialog
	printB := widget.NewButtonWithIcon(L("打印收据"), theme.DocumentPrintIcon(), func() {
		done.Hide()
		p.printReceipt(pay)
	})
	printB.Importance = widget.HighImportance
	box.Add(container.NewHBox(printB, widget.NewButtonWithIcon(L("另存为 PDF…"), theme.DocumentSaveIcon(), func() { p.saveReceipt(pay, st.Unit) })))
	done = dialog.NewCustom(L("收款完成"), L("好的"), box, p.w)
	done.Show()
	made := receiptOf(p.community, pay, st.Unit)
	p.preview.show(made)
	// Ready for the next payer.
	p.stmt = nil
	p.unit.SetText("")
	p.amount.SetText("")
	p.payer.SetText("")
	p.owner.SetText("")
	p.open.SetText("")
	p.preview.show(made)
	p.pay.Disable()
	p.last = &pay
}

// printReceipt makes the receipt into the print folder (receipt-NO.pdf, as the print
// page names it) and opens it in the system's PDF viewer to print (docs/window.md
// "公示打印 / Print").
func (p *paymentForm) printReceipt(pay app.Payment) {
	makeAndOpen(p.w, p.s, printDoc{title: L("收据"), file: "receipt-" + safeName(pay.Receipt) + ".pdf",
		make: func(ctx context.Context) (*reports.Doc, error) {
			return reports.Make(ctx, p.s, "receipt", reports.Args{Receipt: pay.Receipt, Who: Operator()})
		}}, func() {})
}

func (p *paymentForm) saveReceipt(pay app.Payment, u app.Unit) {
	// Through the print log: saving the receipt a second time prints 补打. A receipt
	// carries its own journal entry's hash, not the head at print time.
	PrintDocument(p.w, p.s, "receipt", reports.Args{Receipt: pay.Receipt, Who: Operator()}, L("收据-%s.pdf", pay.Receipt))
}
