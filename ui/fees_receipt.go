package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/shopspring/decimal"

	"sunledger/app"
)

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
