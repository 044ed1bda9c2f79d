package reports

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"sunledger/app"
)

// SettlementDoc is the annual settlement notice (年度统结统算公示): for each fund the
// balance carried in, income and expenses by item (remuneration shown), the surplus or
// deficit of the year and the balance carried forward, which belongs to all owners.
// date is the day it is printed (YYYY-MM-DD).
func SettlementDoc(community, head, date string, s app.Settlement, preview bool) *Doc {
	sub := fmt.Sprintf(app.T("%s 结算，账期已锁定至 %d 年 12 月", "settled %s; the books are locked through December %d"), s.SettledAt.Local().Format(app.DateLayout), s.Year)
	if preview {
		sub = app.T("预览：本年度尚未统结统算，数字可能变动", "preview: the year is not settled yet; figures may change")
	}
	d := NewDoc(DocMeta{Community: community, Public: true, HeadHash: head, DocID: "settlement-" + strconv.Itoa(s.Year), Date: date,
		Title: fmt.Sprintf(app.T("%d 年度统结统算公示", "Annual settlement %d"), s.Year), Subtitle: sub})
	d.Para(app.T("信托制物业：全部收入归全体业主，物业服务企业按合同取得酬金；年度收支结余或差额都归全体业主，结转下一年度。各项金额按记账凭证汇总。",
		"Trust-based management: all income belongs to the owners and the property company earns the contracted remuneration; the year's surplus or deficit is the owners' and is carried forward. Amounts summed from the journal."))
	cols := []Col{{Title: app.T("项目", "Item")}, {Title: app.T("金额", "Amount"), Width: 40, Align: "R"}}
	for i, f := range s.Funds {
		d.Heading(fmt.Sprintf("%s、%s", cnNum(i+1), f.Fund.Label()))
		rows := [][]string{{app.T("期初结余（上年结转）", "Opening balance (carried in)"), app.FormatAmount(f.Opening)}}
		for _, l := range f.Income {
			rows = append(rows, []string{app.T("收入：", "Income: ") + l.Name, app.FormatAmount(l.Amount)})
		}
		rows = append(rows, []string{app.T("收入合计", "Total income"), app.FormatAmount(f.IncomeTotal)})
		for _, l := range f.Expenses {
			rows = append(rows, []string{app.T("支出：", "Expense: ") + l.Name, app.FormatAmount(l.Amount)})
		}
		rows = append(rows, []string{app.T("支出合计", "Total expenses"), app.FormatAmount(f.ExpenseTotal)})
		if !f.Remuneration.IsZero() {
			rows = append(rows, []string{app.T("其中：物业服务企业酬金", "of which: the property company's remuneration"), app.FormatAmount(f.Remuneration)})
		}
		label := app.T("本年结余", "Surplus of the year")
		switch {
		case f.Fund == app.FundMaintenance:
			// The maintenance fund is spent on repairs the owners voted for: more spent
			// than raised is a draw on the fund, not a loss.
			label = app.T("本年净增加（负数为净使用）", "Net change of the year (negative: net use of the fund)")
		case f.Surplus.IsNegative():
			label = app.T("本年收支差额（支出大于收入）", "Shortfall of the year (expenses above income)")
		}
		rows = append(rows, []string{label, app.FormatAmount(f.Surplus)})
		d.Table(cols, rows, TableOpts{Zebra: true, Totals: []string{app.T("期末结余（结转下年，归全体业主）", "Closing balance (carried forward, the owners')"), app.FormatAmount(f.Closing)}})
		made := [][]string{{app.T("银行存款和库存现金", "Bank deposits and cash"), app.FormatAmount(f.Money)}}
		if !f.Receivable.IsZero() {
			made = append(made, []string{app.T("加：业主尚未缴纳的物业费（应收）", "plus: fees owners have not paid yet (receivable)"), app.FormatAmount(f.Receivable)})
		}
		if !f.Prepaid.IsZero() {
			made = append(made, signedPart(app.T("业主预交的物业费（预收）", "fees owners paid in advance"), f.Prepaid.Neg()))
		}
		if !f.Payable.IsZero() {
			made = append(made, signedPart(app.T("已计提尚未支付的款项（如酬金）", "accrued and not yet paid (remuneration)"), f.Payable.Neg()))
		}
		if !f.Other.IsZero() {
			made = append(made, []string{app.T("其他", "Other"), app.FormatAmount(f.Other)})
		}
		d.Table(cols, made, TableOpts{Caption: app.T("期末结余的构成", "What the closing balance is made of"), Totals: []string{app.T("期末结余", "Closing balance"), app.FormatAmount(f.Closing)}})
		if f.Fund == app.FundPublic {
			microFundTable(d, cols, s)
		}
		if f.Fund == app.FundService {
			remunerationTable(d, s)
		}
		var pend [][]string
		total := decimal.Zero
		for _, p := range s.Pending {
			if p.Fund == f.Fund {
				pend = append(pend, []string{p.ID + " " + p.Payee, app.FormatAmount(p.Amount)})
				total = total.Add(p.Amount)
			}
		}
		if len(pend) > 0 {
			d.Table(cols, pend, TableOpts{Caption: app.T("已审批尚未支付的支出（将在支付年度列支）", "Approved, not yet paid (booked in the year they are paid)"),
				Totals: []string{app.T("合计", "Total"), app.FormatAmount(total)}})
		}
	}
	if len(s.Pending) == 0 && len(s.Unpaid) > 0 { // settled before amounts were kept
		d.Note(app.T("已审批尚未支付的支出申请（在支付年度列支）：", "Requests approved but not yet paid (booked in the year they are paid): ") + strings.Join(s.Unpaid, "、"))
	}
	if a, ok := s.Audit(); ok {
		line := fmt.Sprintf(app.T("审计：本年度收支已由 %s 审计，审计报告 %s（%s）", "Audit: the year was audited by %s, report %s (%s)"), a.Auditor, a.Report, a.Date)
		if a.Opinion != "" {
			line += app.T("，审计意见：", "; opinion: ") + a.Opinion
		}
		d.Para(line + app.T("。业主可向业主委员会查阅审计报告。", ". Owners may read the report at the committee."))
	} else if !preview {
		d.Para(app.T("审计：本年度尚未登记审计；审计完成后将公布审计单位和报告文号。", "Audit: no audit of this year is recorded yet; who audited it and the report's number will be published once it is done."))
	}
	if !preview {
		d.Note(fmt.Sprintf(app.T("结算时账本链头：#%d %s", "Journal head when settled: #%d %s"), s.HeadSeq, s.Head))
	}
	d.Signatures(app.T("业主委员会（盖章）", "Owners' committee (seal)"), app.T("财务委员", "Treasurer"), app.T("物业服务企业", "Property company"), app.T("社区复核", "Community review"))
	return d
}

func cnNum(n int) string {
	zh := []string{"", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十"}
	if !app.English() && n < len(zh) {
		return zh[n]
	}
	return strconv.Itoa(n)
}

// microFundTable shows the share of the public-income surplus moved to the owners'
// micro-fund (docs/microfund.md): the share, the surplus it applies to, the amount and
// its entry, or that nothing moved.
func microFundTable(d *Doc, cols []Col, s app.Settlement) {
	m, ok := s.MicroFundDecision()
	if !ok {
		return
	}
	rows := [][]string{
		{app.T("转入比例（业委会决定）", "Share (set by the committee)"), m.Share.String() + "%"},
		{app.T("公共收益本年结余", "Public-income surplus of the year"), app.FormatAmount(m.Surplus)},
	}
	if m.Base == app.MicroFundBaseIncome {
		rows[1] = []string{app.T("公共收益本年收入（转入基数）", "Public income of the year (the base)"), app.FormatAmount(m.Income)}
	}
	total := app.FormatAmount(m.Amount)
	switch {
	case m.Entry == 0:
		d.Table(cols, rows, TableOpts{Caption: app.T("业主微基金", "Owners' micro-fund"), Totals: []string{app.T("本年无结余，未转入", "No surplus: nothing moved"), total}})
		return
	case m.Reversed != 0:
		rows = append(rows, []string{fmt.Sprintf(app.T("已被凭证 #%d 冲销", "Reversed by entry #%d"), m.Reversed), ""})
		total = app.FormatAmount(decimal.Zero)
	}
	d.Table(cols, rows, TableOpts{Caption: app.T("业主微基金（公共收益结余按比例转入，仍属公共收益，归全体业主）", "Owners' micro-fund (a share of the public-income surplus set aside; still the owners' public income)"),
		Totals: []string{fmt.Sprintf(app.T("转入业主微基金（凭证 #%d）", "Moved to the micro-fund (entry #%d)"), m.Entry), total}})
}

// remunerationTable shows the year's remuneration by quarter (docs/remuneration.md):
// the base, the rate, the assessment's score and factor and the remuneration (base ×
// rate × factor once the quarter is assessed, at the base rate until then), and what of
// all remuneration is still unpaid, since when.
func remunerationTable(d *Doc, s app.Settlement) {
	r := s.Remuneration
	if r == nil {
		return
	}
	year := strconv.Itoa(s.Year)
	var rows [][]string
	total := decimal.Zero
	for _, q := range r.Quarters {
		if !strings.HasPrefix(q.Quarter, year) {
			continue
		}
		rate := q.Percent.String() + "%"
		if q.Mode == app.RemunerationFixed {
			rate = app.T("固定", "fixed")
		}
		score, factor := app.T("待考核", "not assessed"), "1"
		if q.TrueUp {
			score, factor = q.Score.StringFixed(2), q.Factor.String()
		}
		rows = append(rows, []string{q.Quarter, app.FormatAmount(q.Base), rate, score, factor, app.FormatAmount(q.Due)})
		total = total.Add(q.Due)
	}
	if len(rows) == 0 && r.Since == "" {
		return
	}
	if len(rows) > 0 {
		d.Table([]Col{{Title: app.T("季度", "Quarter")}, {Title: app.T("基数", "Base"), Width: 32, Align: "R"}, {Title: app.T("比例", "Rate"), Width: 16, Align: "R"},
			{Title: app.T("考核得分", "Score"), Width: 22, Align: "R"}, {Title: app.T("系数", "Factor"), Width: 14, Align: "R"}, {Title: app.T("酬金", "Remuneration"), Width: 32, Align: "R"}},
			rows, TableOpts{Caption: app.T("物业服务企业酬金（基数 × 比例 × 季度考核系数）", "The property company's remuneration (base × rate × the quarter's assessment factor)"),
				Totals: []string{app.T("合计", "Total"), "", "", "", "", app.FormatAmount(total)}})
	}
	if r.Since != "" {
		d.Note(fmt.Sprintf(app.T("截至打印日，已计提尚未支付的酬金 %s，最早自 %s 起未付（%d 个月）。", "At the date of printing, remuneration accrued and not paid: %s, unpaid since %s (%d months)."), app.FormatAmount(r.Owed), r.Since, r.AgeMonths))
	} else {
		d.Note(app.T("截至打印日，已计提的酬金均已支付。", "At the date of printing, all remuneration accrued has been paid."))
	}
}

// signedPart is a row of what a balance is made of: "减：" and the amount plain when the
// part lowers the balance, "加：" when it raises it. A minus after 减 would read as adding.
func signedPart(what string, part decimal.Decimal) []string {
	if part.IsNegative() {
		return []string{app.T("减：", "less: ") + what, app.FormatAmount(part.Neg())}
	}
	return []string{app.T("加：", "plus: ") + what, app.FormatAmount(part)}
}
