package reports

import (
	"strings"

	"github.com/jung-kurt/gofpdf"

	"sunledger/app"
)

// ReceiptDoc lays out a property-fee receipt (物业费收据): its number, the unit and payer,
// the amount in figures and in capitals (大写, PBOC rules), the method, which months it
// paid and what it kept as prepayment, the journal entry it was posted as, and
// signature lines for the collector and the payer. A reversed receipt says so.
func ReceiptDoc(community, head string, p app.Payment, u app.Unit) *Doc {
	d := NewDoc(DocMeta{Community: community, Title: "物业服务费收据", Subtitle: "收据号 " + p.Receipt,
		HeadHash: head, DocID: "receipt-" + p.Receipt, Date: p.Date})
	kind := app.KindLabel(u.Kind)
	d.KV([]KV{
		{"收据号", p.Receipt},
		{"收款日期", p.Date},
		{"房号", p.Unit + "（" + kind + "，" + u.Area.StringFixed(2) + " m²）"},
		{"交款人", p.Payer},
		{"金额（小写）", app.FormatAmount(p.Amount)},
		{"金额（大写）", app.AmountInWords(p.Amount)},
		{"付款方式", app.MethodLabelZH(p.Method)},
		{"收款账户", app.MethodAccount(app.FundService, p.Method)},
	})
	var rows [][]string
	for _, a := range p.Allocations {
		rows = append(rows, []string{a.Period + " 物业服务费", app.FormatAmount(a.Amount)})
	}
	if p.Credit.IsPositive() {
		rows = append(rows, []string{"预交物业费（自动冲抵以后月份的账单）", app.FormatAmount(p.Credit)})
	}
	d.Table([]Col{{Title: "项目"}, {Title: "金额", Width: 45, Align: "R"}}, rows, TableOpts{Totals: []string{"合计", app.FormatAmount(p.Amount)}})
	if p.Reversed != 0 {
		d.Box(14, func(pdf *gofpdf.Fpdf, x, y, w float64) {
			SetFont(pdf, SizeHeading)
			pdf.SetTextColor(200, 0, 0)
			pdf.SetDrawColor(200, 0, 0)
			pdf.SetLineWidth(0.6)
			pdf.Rect(x, y, w, 12, "D")
			pdf.SetXY(x, y+1)
			pdf.CellFormat(w, 10, "本收据已作废：已由凭证 #"+itoa(p.Reversed)+" 冲销", "", 0, "C", false, 0, "")
		})
	}
	d.Note("本收据金额已记入物业服务资金（信托共管账户），记账凭证 #" + itoa(p.EntrySeq) + "，经办人 " + p.Who +
		"。物业费按“面积 × 单价”计算，每笔账单四舍五入到分，只取整一次；缴款先冲抵最早的未缴账单，多缴部分作为预交款。")
	d.Signatures("收款人", "交款人")
	return d
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
