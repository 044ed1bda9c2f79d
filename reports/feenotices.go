package reports

import (
	"github.com/jung-kurt/gofpdf"
	"github.com/shopspring/decimal"

	"sunledger/app"
)

// FeeNotice is what one unit's payment notice (缴费通知单) for a month says.
type FeeNotice struct {
	Bill    app.Bill
	Paid    decimal.Decimal // already paid on this month's bill (shown when something is still due)
	Earlier decimal.Decimal // still owed on earlier months
	Credit  decimal.Decimal // prepayment waiting for bills
	Due     decimal.Decimal // what to pay now: this month's due + earlier arrears
}

// FeeNoticesDoc lays out the month's payment notices, three to a page, one per billed
// unit: area × price = the month's fee, what is still owed from earlier months, the
// prepayment on account and the total to pay, in figures and in capitals, with the
// rounding rule stated (docs/domain.md "Money": the rule is stated on notices).
//
// Each notice also says by when to pay (dueDate, YYYY-MM-DD), how, into which account and
// whom to call: the committee's notice settings (app.NoticeSettings), set once.
func FeeNoticesDoc(c app.Community, head, month, date, dueDate string, notices []FeeNotice) *Doc {
	set := c.Notices
	// Each notice carries its own title: three 76 mm notices fill the page, cut apart.
	d := NewDoc(DocMeta{Community: c.Name, Title: month + " 物业服务费缴费通知单（共 " + itoa(int64(len(notices))) + " 户）", OwnTitle: true, FeeNotice: true,
		HeadHash: head, DocID: "fee-notices-" + month, Date: date})
	d.digest(dueDate, set.PayChannels, set.PayAccount, set.OfficePhone)
	for _, n := range notices {
		d.digest(n.Bill.Unit, n.Bill.Amount.String(), n.Paid.String(), n.Earlier.String(), n.Credit.String(), n.Due.String())
	}
	const h = 76.0
	for _, n := range notices {
		n := n
		d.Box(h, func(pdf *gofpdf.Fpdf, x, y, w float64) {
			pdf.SetDrawColor(90, 90, 90)
			pdf.SetLineWidth(0.3)
			pdf.SetDashPattern([]float64{1.5, 1}, 0)
			pdf.Line(x, y+h-2, x+w, y+h-2) // cut here
			pdf.SetDashPattern(nil, 0)
			SetFont(pdf, SizeHeading)
			pdf.SetXY(x, y+1)
			pdf.CellFormat(w, 7, "物业服务费缴费通知单（"+month+"）", "", 0, "C", false, 0, "")
			lh := LineHeight(SizeBody)
			SetFont(pdf, SizeBody)
			b := n.Bill
			// Notices are cut apart and handed out or pinned at the entrance: they name
			// the unit, never its owner.
			lines := [][2]string{
				{"房号", b.Unit + "（" + app.KindLabel(b.Kind) + "）"},
				{"本月物业费", b.Area.StringFixed(2) + " m² × " + b.Price.String() + " 元/m²·月 = " + app.FormatAmount(b.Amount)},
			}
			// A month already partly paid says so, so that the figures on the notice add
			// up to what is due: 本月物业费 − 本月已缴 + 以前月份欠费 = 本次应缴.
			if n.Paid.IsPositive() && n.Due.IsPositive() {
				lines = append(lines, [2]string{"本月已缴", app.FormatAmount(n.Paid)})
			}
			due := app.FormatAmount(n.Due) + "（" + app.AmountInWords(n.Due) + "）"
			if !n.Due.IsPositive() {
				due = "¥0.00（已缴清，谢谢！）"
			}
			lines = append(lines,
				[2]string{"以前月份欠费", app.FormatAmount(n.Earlier)},
				[2]string{"预交款余额", app.FormatAmount(n.Credit)},
				[2]string{"本次应缴", due})
			pay := "缴费截止 " + dueDate
			if set.OfficePhone != "" {
				pay += "；物业服务中心电话 " + set.OfficePhone
			}
			lines = append(lines, [2]string{"缴费时间", pay})
			how := set.PayChannels
			if set.PayAccount != "" {
				if how != "" {
					how += "；"
				}
				how += "共管账户：" + set.PayAccount
			}
			if how != "" {
				lines = append(lines, [2]string{"缴费方式", how})
			}
			const rule = "物业费 = 面积 × 单价，每笔账单四舍五入到分，只取整一次；缴款先冲抵最早的未缴账单，多缴部分作为预交款自动冲抵以后的账单。款项存入小区物业服务资金共管账户，请凭收据核对。"
			// Wrap everything first: long notice settings (payment channels, account,
			// phone) close the lines up so that the notice stays above its cut line.
			wrapped := make([][]string, len(lines))
			n := 0
			for i, l := range lines {
				wrapped[i] = Wrap(pdf, l[1], w-40)
				n += len(wrapped[i])
			}
			SetFont(pdf, SizeSmall+0.5)
			notes := Wrap(pdf, rule, w-8)
			nh := LineHeight(SizeSmall + 0.5)
			if avail := h - 3 - 10 - 1 - float64(len(notes))*nh; n > 0 && float64(n)*lh > avail {
				lh = avail / float64(n)
			}
			SetFont(pdf, SizeBody)
			yy := y + 10
			for i, l := range lines {
				pdf.SetXY(x+4, yy)
				pdf.CellFormat(32, lh, l[0]+"：", "", 0, "L", false, 0, "")
				// One line down per wrapped line, so a value of three lines or more does
				// not run into what follows.
				for _, s := range wrapped[i] {
					pdf.SetXY(x+36, yy)
					pdf.CellFormat(w-40, lh, s, "", 0, "L", false, 0, "")
					yy += lh
				}
			}
			SetFont(pdf, SizeSmall+0.5)
			pdf.SetTextColor(90, 90, 90)
			for _, s := range notes {
				pdf.SetXY(x+4, yy+1)
				pdf.CellFormat(w-8, nh, s, "", 0, "L", false, 0, "")
				yy += nh
			}
		})
	}
	if len(notices) == 0 {
		d.Para(month + " 没有账单。")
	}
	return d
}
