package ui

import (
	"context"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"sunledger/app"
)

// incomeFunds are the funds other income goes to: public income and the maintenance fund.
var incomeFunds = []app.Fund{app.FundPublic, app.FundMaintenance}

// incomeForm records public income (parking, advertising, rents of common parts) and
// maintenance-fund deposits and interest: Civil Code art. 282, the owners' money.
func incomeForm(w fyne.Window, s app.Services) fyne.CanvasObject {
	var fundOpts []string
	for _, f := range incomeFunds {
		fundOpts = append(fundOpts, f.Label())
	}
	kind := newSelect(nil, nil)
	var kinds []app.IncomeKind
	fund := newSelect(fundOpts, func(string) {})
	setKinds := func() {
		kinds, kind.Options = nil, nil
		f := incomeFunds[max(fund.SelectedIndex(), 0)]
		for _, k := range app.IncomeKinds {
			if k.Fund == f {
				kinds = append(kinds, k)
				kind.Options = append(kind.Options, k.Name+"（"+k.Label+"）")
			}
		}
		kind.ClearSelected()
		kind.SetSelectedIndex(0)
	}
	fund.OnChanged = func(string) { setKinds() }
	fund.SetSelectedIndex(0)
	amount := widget.NewEntry()
	amount.SetPlaceHolder("0.00")
	words := widget.NewLabel("")
	amount.OnChanged = func(v string) {
		if a, err := app.ParseAmount(v); err == nil && a.IsPositive() {
			words.SetText(app.AmountInWords(a))
		} else {
			words.SetText("")
		}
	}
	date := widget.NewEntry()
	date.SetText(s.Now().Format(app.DateLayout))
	method := widget.NewRadioGroup([]string{app.MethodLabel(app.MethodBank), app.MethodLabel(app.MethodCash)}, nil)
	method.Horizontal, method.Required = true, true
	method.SetSelected(app.MethodLabel(app.MethodBank))
	payer, desc := widget.NewEntry(), widget.NewEntry()
	result := widget.NewLabel("")
	result.Wrapping = fyne.TextWrapWord
	save := widget.NewButtonWithIcon(L("记入"), theme.ConfirmIcon(), func() {
		a, err := app.ParseAmount(amount.Text)
		if err != nil {
			ShowError(err, w)
			return
		}
		i := app.Income{Fund: incomeFunds[max(fund.SelectedIndex(), 0)], Amount: a, Date: strings.TrimSpace(date.Text),
			Method: app.MethodBank, Payer: strings.TrimSpace(payer.Text), Description: strings.TrimSpace(desc.Text)}
		if k := kind.SelectedIndex(); k >= 0 && k < len(kinds) {
			i.Kind = kinds[k].Code
		}
		if method.Selected == app.MethodLabel(app.MethodCash) {
			i.Method = app.MethodCash
		}
		e, err := s.Income.RecordIncome(context.Background(), i, Operator(), "")
		if err != nil {
			ShowError(err, w)
			return
		}
		result.SetText(L("已记入凭证 #%d：%s %s", e.Seq, e.Description, app.FormatAmount(a)))
		amount.SetText("")
		payer.SetText("")
		desc.SetText("")
	})
	save.Importance = widget.HighImportance
	form := widget.NewForm(
		widget.NewFormItem(L("资金"), fund),
		widget.NewFormItem(L("收入类别"), kind),
		widget.NewFormItem(L("金额（元）"), amount),
		widget.NewFormItem("", words),
		widget.NewFormItem(L("日期"), date),
		widget.NewFormItem(L("付款方式"), method),
		widget.NewFormItem(L("付款单位"), payer),
		widget.NewFormItem(L("摘要"), desc),
	)
	note := widget.NewLabel(L("停车、广告、场地出租等利用共有部分的收入属于全体业主（《民法典》第二百八十二条），记入公共收益，不进物业公司的账。"))
	note.Wrapping = fyne.TextWrapWord
	return container.NewVScroll(container.NewVBox(note, form, container.NewHBox(save), result))
}
