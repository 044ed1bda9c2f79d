package reports

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"sunledger/app"
)

// BudgetDoc is the open budget's notice (年度预算及执行情况公示): each line's budget,
// actual spending, what is left and the share used, spending on items without a line,
// then the actual spending month by month, with the approval it rests on. date is the
// day it is printed (YYYY-MM-DD).
//
// A year not over says up to which day the spending is counted (截至); excess, when
// given, are the payments that took a line over its budget, with who approved each
// (BudgetExcesses).
func BudgetDoc(community, head, date string, r app.BudgetReport, excess ...BudgetExcess) *Doc {
	asOf := app.T("（全年）", " (the whole year)")
	if end := strconv.Itoa(r.Year) + "-12-31"; date <= end {
		asOf = fmt.Sprintf(app.T("（实际支出截至 %s，年度尚未结束）", " (spending up to %s; the year is not over)"), date)
	}
	d := NewDoc(DocMeta{Community: community, Public: true, HeadHash: head, DocID: "budget-" + strconv.Itoa(r.Year), Date: date,
		Title:    fmt.Sprintf(app.T("%d 年度预算及执行情况公示", "Budget and spending %d"), r.Year),
		Subtitle: budgetState(r.Budget)})
	d.Para(app.T("开放式预算：业委会编制年度预算，按业主大会表决或业委会决议批准后执行；每笔支出经物业申请、两位委员联签、社区复核后支付，实际支出按凭证逐月统计。金额单位：元。",
		"Open budget: the committee drafts the year's budget, which an owners' vote or committee decision approves; every payment goes through the clerk's application, two committee signatures and the community's review. Actual spending is summed from the journal month by month. Amounts in yuan."))
	cols := []Col{{Title: app.T("资金", "Fund"), Width: 28}, {Title: app.T("类别", "Item"), Width: 30},
		{Title: app.T("预算", "Budget"), Align: "R"}, {Title: app.T("实际", "Actual"), Align: "R"},
		{Title: app.T("余额", "Left"), Align: "R"}, {Title: app.T("执行率", "Used"), Width: 18, Align: "R"}}
	// Each fund is its own trust money: its lines end in its own subtotal, and there is
	// never one total across funds (a maintenance-fund repair would make the service
	// budget read as overspent).
	lines := append([]app.BudgetActualLine(nil), r.Lines...)
	sort.SliceStable(lines, func(i, j int) bool { return fundOrder(lines[i].Fund) < fundOrder(lines[j].Fund) })
	var rows [][]string
	for i, l := range lines {
		item := l.CategoryLabel()
		if !l.Budgeted {
			item += app.T("（无预算）", " (no budget)")
		}
		pct := l.Percent.StringFixed(1) + "%"
		if !l.Budgeted {
			pct = "—"
		}
		rows = append(rows, []string{l.Fund.Label(), item, app.FormatAmount(l.Amount), app.FormatAmount(l.Actual), app.FormatAmount(l.Left), pct})
		if i == len(lines)-1 || lines[i+1].Fund != l.Fund {
			b, a := r.Total(l.Fund)
			rows = append(rows, []string{l.Fund.Label(), app.T("小计", "Subtotal"), app.FormatAmount(b), app.FormatAmount(a), app.FormatAmount(b.Sub(a)), ""})
		}
	}
	d.Heading(app.T("一、预算与实际", "1. Budget and actual") + asOf)
	if len(rows) == 0 {
		d.Para(app.T("本年度没有预算，也没有支出。", "There is no budget and no spending this year."))
	} else {
		d.Table(cols, rows, TableOpts{Zebra: true})
	}
	if len(excess) > 0 {
		d.Heading(app.T("二、超出预算的支出及其批准", "2. Spending over budget and who approved it"))
		var xrows [][]string
		for _, x := range excess {
			for _, e := range x.Payments {
				basis := signers(e)
				if e.Vote != "" {
					basis += fmt.Sprintf(app.T("；依据表决 %s 事项 %d", "; under vote %s matter %d"), e.Vote, e.Matter)
				}
				xrows = append(xrows, []string{x.Fund.Label() + " " + x.Item, app.FormatAmount(x.Over), e.ID + " #" + strconv.FormatInt(e.Entry, 10) + " " + e.PaidDate + " " + app.FormatAmount(e.Amount), basis})
			}
		}
		d.Table([]Col{{Title: app.T("资金与类别", "Fund and item"), Width: 34}, {Title: app.T("超出预算", "Over"), Width: 26, Align: "R"},
			{Title: app.T("使该项超出预算的支出", "Payments beyond the budget")}, {Title: app.T("批准（联签与复核）", "Approved by")}}, xrows,
			TableOpts{Zebra: true, Caption: app.T("每项列出累计超过预算那一笔起的各笔支出；没有支出申请的（如按月计提的酬金）不列", "for each item, the payments from the one that passed its budget on; accruals without a request (remuneration) are not listed")})
	}
	d.Heading(cnIndex(1+min(len(excess), 1)) + app.T("、逐月实际支出（元，取整）", ". Actual spending by month (yuan, rounded)"))
	mcols := []Col{{Title: app.T("类别", "Item"), Width: 30}}
	for m := 1; m <= 12; m++ {
		mcols = append(mcols, Col{Title: strconv.Itoa(m) + app.T("月", ""), Align: "R"})
	}
	var mrows [][]string
	for _, l := range r.Lines {
		if l.Actual.IsZero() {
			continue
		}
		row := []string{l.Fund.Label() + " " + l.CategoryLabel()}
		for _, v := range l.Months {
			if v.IsZero() {
				row = append(row, "")
			} else {
				row = append(row, wholeYuan(v))
			}
		}
		mrows = append(mrows, row)
	}
	if len(mrows) == 0 {
		d.Para(app.T("本年度尚无支出。", "No spending yet this year."))
	} else {
		d.Table(mcols, mrows, TableOpts{Zebra: true, FontSize: SizeSmall})
		d.Note(app.T("逐月金额四舍五入到元；合计以上表为准。", "Monthly amounts rounded to the yuan; the table above is exact."))
	}
	d.Signatures(app.T("业主委员会（盖章）", "Owners' committee (seal)"), app.T("财务委员", "Treasurer"))
	return d
}

func budgetState(b app.Budget) string {
	switch {
	case len(b.Lines) == 0:
		return app.T("本年度未编制预算", "no budget drafted for this year")
	case b.State == app.BudgetApproved:
		return app.T("预算已批准，依据：", "approved by ") + b.Basis.String()
	}
	return app.T("预算草案（尚未批准）", "draft budget (not approved yet)")
}

// wholeYuan is an amount rounded to the yuan with thousands separators ("4,000"), for
// the twelve narrow month columns; the exact amounts are in the table above.
func wholeYuan(v decimal.Decimal) string {
	s := strings.TrimSuffix(app.FormatAmount(v.Round(0)), ".00")
	return strings.Replace(s, "¥", "", 1)
}

// fundOrder is the order the funds are listed in: service, public income, maintenance.
func fundOrder(f app.Fund) int {
	for i, g := range app.Funds {
		if g == f {
			return i
		}
	}
	return len(app.Funds)
}

// BudgetExcess is a budget line over its budget (or spending on an item without one):
// by how much, and the payments from the one that passed the budget on.
type BudgetExcess struct {
	Fund     app.Fund
	Item     string
	Over     decimal.Decimal
	Payments []app.Expense
}

// BudgetExcesses finds, for each line of r over its budget, the paid requests of the
// year (each stage of a staged one) from the one that took the line's spending past its
// budget, in payment order.
func BudgetExcesses(r app.BudgetReport, expenses []app.Expense) []BudgetExcess {
	var out []BudgetExcess
	y := strconv.Itoa(r.Year)
	for _, l := range r.Lines {
		if !l.Left.IsNegative() {
			continue
		}
		var paid []app.Expense
		for _, e := range expenses {
			for _, x := range e.Payments() {
				if x.Fund == l.Fund && x.Category == l.Category && strings.HasPrefix(x.PaidDate, y) {
					paid = append(paid, x)
				}
			}
		}
		sort.SliceStable(paid, func(i, j int) bool { return paid[i].PaidDate < paid[j].PaidDate })
		item := l.CategoryLabel()
		if !l.Budgeted {
			item += app.T("（无预算）", " (no budget)")
		}
		x := BudgetExcess{Fund: l.Fund, Item: item, Over: l.Left.Neg()}
		sum := decimal.Zero
		for _, e := range paid {
			sum = sum.Add(e.Amount)
			if sum.GreaterThan(l.Amount) {
				x.Payments = append(x.Payments, e)
			}
		}
		if len(x.Payments) > 0 {
			out = append(out, x)
		}
	}
	return out
}
