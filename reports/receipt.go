package reports

import (
	"strconv"
	"strings"

	"github.com/jung-kurt/gofpdf"
	"github.com/shopspring/decimal"

	"sunledger/app"
)

// Receipt is what a property-fee receipt (物业费收据) prints besides the payment itself.
type Receipt struct {
	Community string      // the collecting community (收款单位)
	Payment   app.Payment //
	Unit      app.Unit    //
	EntryHash string      // the hash of the receipt's own journal entry, not the head at print time
	// Tree is the record log's tree when the receipt was printed (unsigned) and Leaf the
	// leaf that names its entry (docs/record-log.md); HasLeaf false if none was found.
	Tree     app.TreeHead
	Leaf     int64
	HasLeaf  bool
	Operator string // who took the money (fees pay --as, the window's member); Payment.Who if ""
	Reprint  bool   // printed before: this copy says 补打
	// PrepaidFrom is the first month the prepayment (Payment.Credit) pays, at Monthly a
	// month ("" when the unit has no price): the receipt says which months it covers.
	PrepaidFrom string
	Monthly     decimal.Decimal
}

// accountWords names where the money went as people say it (物业服务资金银行账户), not as
// the books name the account.
func accountWords(method app.PaymentMethod) string {
	if method == app.MethodCash {
		return "物业服务资金库存现金（待存入共管账户）"
	}
	return "物业服务资金银行账户（信托共管账户）"
}

// receiptHalf is the height (mm) of one copy: two copies and the cut line between them
// fill the content area of an A4 page, so a cashier prints, cuts, hands one half over
// and keeps the other (存根).
const receiptHalf = 112.0

// ReceiptDoc lays out a property-fee receipt on half an A4 page each for the stub
// (存根, kept by the committee) and the payer's copy (交款人联), with a cut line between:
// the number, the collecting unit, the unit and payer, the amount in figures and in
// capitals (大写, PBOC rules), the method and the account it went to, the months it paid
// and what it kept as prepayment, the operator, the journal entry and its own hash, and a
// 收款单位（盖章） box. A reversed receipt says so on both copies; a reprint says 补打.
func ReceiptDoc(r Receipt) *Doc {
	p := r.Payment
	title := "物业服务费收据"
	if r.Reprint {
		title += "（补打）"
	}
	d := NewDoc(DocMeta{Community: r.Community, Title: title, HeadHash: r.EntryHash, HashLabel: "本收据凭证哈希", OwnTitle: true,
		DocID: "receipt-" + p.Receipt, Date: p.Date, Tree: r.Tree.Short(), Leaf: r.leaf()})
	d.digest(p.Receipt, p.Unit, p.Payer, p.Amount.String(), string(p.Method), r.EntryHash)
	operator := r.Operator
	if operator == "" {
		operator = p.Who
	}
	copyOf := func(which string) func(pdf *gofpdf.Fpdf, x, y, w float64) {
		return func(pdf *gofpdf.Fpdf, x, y, w float64) {
			drawReceipt(pdf, x, y, w, r, which, operator)
		}
	}
	d.Box(receiptHalf, copyOf("第一联 存根（收款单位留存）"))
	d.Box(6, func(pdf *gofpdf.Fpdf, x, y, w float64) {
		pdf.SetDrawColor(120, 120, 120)
		pdf.SetLineWidth(0.2)
		pdf.SetDashPattern([]float64{2, 1.5}, 0)
		pdf.Line(x-8, y+3, x+w+8, y+3)
		pdf.SetDashPattern(nil, 0)
		SetFont(pdf, SizeSmall)
		pdf.SetTextColor(120, 120, 120)
		pdf.SetXY(x, y+0.2)
		pdf.CellFormat(w, 2.5, "沿此线裁开", "", 0, "C", false, 0, "")
	})
	d.Box(receiptHalf, copyOf("第二联 交款人收执"))
	return d
}

// drawReceipt draws one copy of the receipt in the frame at (x, y), w wide: its frame,
// title, rows, seal box, signature lines and note.
func drawReceipt(pdf *gofpdf.Fpdf, x, y, w float64, r Receipt, which, operator string) {
	h := receiptHalf - 2
	pdf.SetDrawColor(60, 60, 60)
	pdf.SetLineWidth(0.4)
	pdf.Rect(x, y, w, h, "D")
	drawReceiptTitle(pdf, x, y, w, r, which)
	drawReceiptRows(pdf, x, y+17, w, receiptRows(r, operator))
	drawReceiptStamp(pdf, x+w-4-receiptStampW, y+18, r.Payment.Reversed)
	drawReceiptFooter(pdf, x, y+h, w, r)
}

// receiptStampW is the side (mm) of the 收款单位（盖章） box at the right of a copy.
const receiptStampW = 42.0

// receiptLine writes s on one line at height y of the copy at x, w wide.
func receiptLine(pdf *gofpdf.Fpdf, x, y, w, size float64, s, align string) {
	SetFont(pdf, size)
	pdf.SetXY(x+4, y)
	pdf.CellFormat(w-8, LineHeight(size), s, "", 0, align, false, 0, "")
}

// drawReceiptTitle writes the title (补打 on a reprint), which copy this is, and the
// receipt number and date.
func drawReceiptTitle(pdf *gofpdf.Fpdf, x, y, w float64, r Receipt, which string) {
	p := r.Payment
	title := "物业服务费收据"
	if r.Reprint {
		title += "（补打）"
	}
	pdf.SetTextColor(0, 0, 0)
	receiptLine(pdf, x, y+3, w, SizeTitle, title, "C")
	pdf.SetTextColor(90, 90, 90)
	receiptLine(pdf, x, y+11, w, SizeSmall+0.5, which, "L")
	receiptLine(pdf, x, y+11, w, SizeSmall+0.5, "收据号 "+p.Receipt+"　收款日期 "+p.Date, "R")
	pdf.SetTextColor(0, 0, 0)
}

// receiptRows are the receipt's lines: who collected, the unit and payer, the amount in
// figures and in capitals, the method and account, the months paid and the operator.
func receiptRows(r Receipt, operator string) []KV {
	p := r.Payment
	kind := app.KindLabel(r.Unit.Kind)
	rows := []KV{
		{"收款单位", r.Community + " 业主委员会（物业服务资金共管账户）"},
		{"房号", p.Unit + "（" + kind + "，" + r.Unit.Area.StringFixed(2) + " m²）"},
		{"交款人", p.Payer},
		{"金额（小写）", app.FormatAmount(p.Amount)},
		{"金额（大写）", app.AmountInWords(p.Amount)},
		{"付款方式", app.MethodLabelZH(p.Method) + "，存入" + accountWords(p.Method)},
		{"缴费项目", receiptItems(p)},
	}
	if m := r.prepaidMonths(); m != "" {
		rows = append(rows, KV{"预交可抵", m})
	}
	return append(rows, KV{"经办人", operator + "　记账凭证 #" + itoa(p.EntrySeq)})
}

// drawReceiptRows writes the rows from height y down in the copy at x, w wide: keys in
// grey, values wrapped to at most three lines of the width left of the seal box.
func drawReceiptRows(pdf *gofpdf.Fpdf, x, y, w float64, rows []KV) {
	SetFont(pdf, SizeBody)
	kw := 0.0
	for _, kv := range rows {
		kw = max(kw, pdf.GetStringWidth(kv.Key+"："))
	}
	valW := w - 8 - kw - receiptStampW - 4
	lh := LineHeight(SizeBody)
	for _, kv := range rows {
		SetFont(pdf, SizeBody)
		vals := Wrap(pdf, kv.Value, valW)
		if len(vals) > 3 {
			vals = append(vals[:2], clip(pdf, strings.Join(vals[2:], ""), valW))
		}
		pdf.SetTextColor(80, 80, 80)
		pdf.SetXY(x+4, y)
		pdf.CellFormat(kw, lh, kv.Key+"：", "", 0, "L", false, 0, "")
		pdf.SetTextColor(0, 0, 0)
		for i, v := range vals {
			pdf.SetXY(x+4+kw, y+float64(i)*lh)
			pdf.CellFormat(valW, lh, v, "", 0, "L", false, 0, "")
		}
		y += float64(len(vals)) * lh
	}
}

// drawReceiptStamp draws the empty 收款单位（盖章） box for the committee's seal at
// (sx, sy) and, under it, 本收据已作废 in red when entry reversed (not 0) reversed it.
func drawReceiptStamp(pdf *gofpdf.Fpdf, sx, sy float64, reversed int64) {
	const stampW = receiptStampW
	pdf.SetDrawColor(150, 150, 150)
	pdf.SetLineWidth(0.3)
	pdf.Rect(sx, sy, stampW, stampW, "D")
	SetFont(pdf, SizeSmall)
	pdf.SetTextColor(120, 120, 120)
	pdf.SetXY(sx, sy+stampW-6)
	pdf.CellFormat(stampW, 5, "收款单位（盖章）", "", 0, "C", false, 0, "")
	if reversed != 0 {
		pdf.SetTextColor(200, 0, 0)
		pdf.SetDrawColor(200, 0, 0)
		pdf.SetLineWidth(0.6)
		pdf.Rect(sx, sy+stampW+3, stampW, 12, "D")
		SetFont(pdf, SizeBody)
		pdf.SetXY(sx, sy+stampW+4)
		pdf.CellFormat(stampW, 5, "本收据已作废", "", 0, "C", false, 0, "")
		SetFont(pdf, SizeSmall)
		pdf.SetXY(sx, sy+stampW+9)
		pdf.CellFormat(stampW, 4, "已由凭证 #"+itoa(reversed)+" 冲销", "", 0, "C", false, 0, "")
	}
}

// drawReceiptFooter writes, above the bottom (y) of the copy, the payee's and payer's
// signature lines and the note with the entry's hash and how fees are reckoned.
func drawReceiptFooter(pdf *gofpdf.Fpdf, x, bottom, w float64, r Receipt) {
	SetFont(pdf, SizeSmall)
	note := "本收据凭证哈希 " + r.EntryHash + "。"
	if t := r.Tree.Short(); t != "" {
		note += "记录树 " + t
		if l := r.leaf(); l != "" {
			note += "，叶子 " + l
		}
		note += "（下一份签名快照可核对）。"
	}
	note += "物业费按“面积 × 单价”计算，每笔账单四舍五入到分；缴款先冲抵最早的未缴账单，多缴部分作为预交款。"
	lines := Wrap(pdf, note, w-8)
	// The note ends 1.5 mm above the bottom, the signature lines above it, however many
	// lines the note takes.
	ny := bottom - 1.5 - float64(len(lines))*LineHeight(SizeSmall)
	pdf.SetTextColor(0, 0, 0)
	SetFont(pdf, SizeBody)
	pdf.SetXY(x+4, min(bottom-LineHeight(SizeBody)-9, ny-LineHeight(SizeBody)-1))
	pdf.CellFormat((w-8)/2, LineHeight(SizeBody), "收款人：________________", "", 0, "L", false, 0, "")
	pdf.CellFormat((w-8)/2, LineHeight(SizeBody), "交款人：________________", "", 0, "L", false, 0, "")
	SetFont(pdf, SizeSmall)
	pdf.SetTextColor(90, 90, 90)
	for _, l := range lines {
		pdf.SetXY(x+4, ny)
		pdf.CellFormat(w-8, LineHeight(SizeSmall), l, "", 0, "L", false, 0, "")
		ny += LineHeight(SizeSmall)
	}
	pdf.SetTextColor(0, 0, 0)
}

// receiptItems lists what the payment paid: each month's fee, and the prepayment.
func receiptItems(p app.Payment) string {
	var items []string
	// Three or more consecutive months of the same amount are written as one run
	// (2024-12…2025-10 物业费 11 个月 × ¥294.48), so that a payment of two years of
	// arrears still lists every month it paid within the receipt's three lines.
	as := p.Allocations
	for i := 0; i < len(as); {
		j := i + 1
		for j < len(as) && as[j].Amount.Equal(as[i].Amount) && as[j].Period == app.AddMonths(as[j-1].Period, 1) {
			j++
		}
		if n := j - i; n >= 3 {
			items = append(items, app.MonthSpan(as[i].Period, as[j-1].Period)+" 物业费 "+itoa(int64(n))+" 个月 × "+app.FormatAmount(as[i].Amount))
			i = j
			continue
		}
		items = append(items, as[i].Period+" 物业费 "+app.FormatAmount(as[i].Amount))
		i++
	}
	if p.Credit.IsPositive() {
		items = append(items, "预交物业费 "+app.FormatAmount(p.Credit))
	}
	if len(items) == 0 {
		return "—"
	}
	return strings.Join(items, "；")
}

// prepaidMonths says which months the prepayment covers at the month's fee:
// "2026-10 至 2026-12 物业费，共 3 个月（按月费 ¥303.00 计…）", with what is left over.
func (r Receipt) prepaidMonths() string {
	c := r.Payment.Credit
	if r.PrepaidFrom == "" || !r.Monthly.IsPositive() || !c.IsPositive() {
		return ""
	}
	full := c.Div(r.Monthly).Floor().IntPart()
	var s string
	switch {
	case full == 0:
		s = r.PrepaidFrom + " 物业费的一部分"
	case full == 1:
		s = r.PrepaidFrom + " 物业费，共 1 个月"
	default:
		s = r.PrepaidFrom + " 至 " + app.AddMonths(r.PrepaidFrom, int(full)-1) + " 物业费，共 " + itoa(full) + " 个月"
	}
	if rest := c.Sub(r.Monthly.Mul(decimal.NewFromInt(full))); full > 0 && rest.IsPositive() {
		s += "，余 " + app.FormatAmount(rest)
	}
	return s + "（按月费 " + app.FormatAmount(r.Monthly) + " 计，以实际账单为准）"
}

// itoa formats an entry number.
func itoa(n int64) string {
	var b [20]byte
	i := len(b)
	neg := n < 0
	if neg {
		n = -n
	}
	for {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
		if n == 0 {
			break
		}
	}
	if neg {
		i--
		b[i] = '-'
	}
	return strings.Clone(string(b[i:]))
}

// leaf is the receipt's leaf index as printed, "" if unknown.
func (r Receipt) leaf() string {
	if !r.HasLeaf {
		return ""
	}
	return strconv.FormatInt(r.Leaf, 10)
}
