package reports

import (
	"sort"
	"strconv"

	"github.com/shopspring/decimal"

	"sunledger/app"
)

// FundFlow is one fund's movement over a period for the 收支公示: the money it held
// (bank and cash) at the start and the end, its income and expenses by account, and
// its receivables at the end.
type FundFlow struct {
	Fund        app.Fund
	Opening     decimal.Decimal
	Closing     decimal.Decimal
	Income      []app.AccountBalance // positive amounts
	Expense     []app.AccountBalance // positive amounts
	Receivables decimal.Decimal
	Prepaid     decimal.Decimal
}

// IncomeTotal and ExpenseTotal add up the lines.
func (f FundFlow) IncomeTotal() decimal.Decimal  { return sumBalances(f.Income) }
func (f FundFlow) ExpenseTotal() decimal.Decimal { return sumBalances(f.Expense) }

func sumBalances(bs []app.AccountBalance) decimal.Decimal {
	t := decimal.Zero
	for _, b := range bs {
		t = t.Add(b.Balance)
	}
	return t
}

// FundFlows walks the journal once and sums each fund's movement between the dates
// from and to (YYYY-MM-DD, inclusive).
func FundFlows(each func(fn func(app.Entry) error) error, from, to string) ([]FundFlow, error) {
	type acc struct {
		opening, closing, recv, prepaid decimal.Decimal
		income, expense                 map[string]decimal.Decimal
	}
	per := map[app.Fund]*acc{}
	for _, f := range app.Funds {
		per[f] = &acc{income: map[string]decimal.Decimal{}, expense: map[string]decimal.Decimal{}}
	}
	err := each(func(e app.Entry) error {
		if e.Date > to {
			return nil
		}
		for _, p := range e.Postings {
			a := app.Account{Name: p.Account}
			x := per[a.Fund()]
			if x == nil {
				continue
			}
			isMoney := p.Account == app.BankAccount(a.Fund()) || p.Account == app.CashAccount(a.Fund()) ||
				(a.Type() == app.TypeAsset && p.Account != app.ReceivableAccount(a.Fund()))
			switch {
			case isMoney:
				if e.Date < from {
					x.opening = x.opening.Add(p.Amount)
				}
				x.closing = x.closing.Add(p.Amount)
			case p.Account == app.ReceivableAccount(a.Fund()):
				x.recv = x.recv.Add(p.Amount)
			case p.Account == app.PrepaidFeesAccount:
				x.prepaid = x.prepaid.Sub(p.Amount)
			case e.Date < from:
			case a.Type() == app.TypeIncome:
				x.income[p.Account] = x.income[p.Account].Sub(p.Amount)
			case a.Type() == app.TypeExpense:
				x.expense[p.Account] = x.expense[p.Account].Add(p.Amount)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	var out []FundFlow
	list := func(m map[string]decimal.Decimal) []app.AccountBalance {
		var bs []app.AccountBalance
		for a, v := range m {
			if !v.IsZero() {
				bs = append(bs, app.AccountBalance{Account: a, Balance: v})
			}
		}
		sort.Slice(bs, func(i, j int) bool { return bs[i].Account < bs[j].Account })
		return bs
	}
	for _, f := range app.Funds {
		x := per[f]
		out = append(out, FundFlow{Fund: f, Opening: x.opening, Closing: x.closing, Income: list(x.income), Expense: list(x.expense), Receivables: x.recv, Prepaid: x.prepaid})
	}
	return out, nil
}

// QuarterlyDoc lays out the quarterly disclosure of income and expenses (季度收支公示):
// for each of the three funds the money at the start, income and expenses by account,
// the money at the end; then the quarter's property-fee collection rate by amount and
// by households, and the arrears. The head hash in the footer ties the paper to the books.
func QuarterlyDoc(community, head, date string, year, quarter int, flows []FundFlow, c app.Collection, arrearsTotal decimal.Decimal, arrearsUnits int) *Doc {
	title := strconv.Itoa(year) + " 年第 " + strconv.Itoa(quarter) + " 季度收支公示"
	incomplete := len(date) >= 7 && date[:7] <= c.To // the quarter has not ended yet
	if incomplete {
		title += "（季度未完结）"
	}
	d := NewDoc(DocMeta{Community: community, Title: title, Subtitle: c.From + " 至 " + c.To,
		HeadHash: head, DocID: "quarterly-" + strconv.Itoa(year) + "Q" + strconv.Itoa(quarter), Date: date})
	d.Para("依照信托制物业服务的约定，小区的物业服务资金、公共收益和维修资金分账管理，收支向全体业主公开。本公示由阳光账本按复式记账凭证生成，页脚的账本链头可用快照核对。")
	if incomplete {
		d.Para("注意：本季度尚未结束，以下为截至 " + date + " 的未完结数据，不是本季度的最终公示。")
	}
	cols := []Col{{Title: "项目"}, {Title: "金额", Width: 45, Align: "R"}}
	for i, f := range flows {
		d.Heading(cnIndex(i) + "、" + f.Fund.FundName())
		rows := [][]string{{"期初资金（银行存款 + 库存现金）", app.FormatAmount(f.Opening)}}
		for _, b := range f.Income {
			rows = append(rows, []string{"收入：" + lastLevel(b.Account), app.FormatAmount(b.Balance)})
		}
		rows = append(rows, []string{"本期收入合计", app.FormatAmount(f.IncomeTotal())})
		for _, b := range f.Expense {
			rows = append(rows, []string{"支出：" + lastLevel(b.Account), app.FormatAmount(b.Balance)})
		}
		rows = append(rows, []string{"本期支出合计", app.FormatAmount(f.ExpenseTotal())})
		rows = append(rows, []string{"本期收支结余", app.FormatAmount(f.IncomeTotal().Sub(f.ExpenseTotal()))})
		if !f.Receivables.IsZero() {
			rows = append(rows, []string{"期末应收款（欠费）", app.FormatAmount(f.Receivables)})
		}
		if !f.Prepaid.IsZero() {
			rows = append(rows, []string{"期末预收款（业主预交）", app.FormatAmount(f.Prepaid)})
		}
		d.Table(cols, rows, TableOpts{Zebra: true, Totals: []string{"期末资金（银行存款 + 库存现金）", app.FormatAmount(f.Closing)}})
	}
	d.Heading(cnIndex(len(flows)) + "、物业服务费收缴情况")
	d.Table([]Col{{Title: "项目"}, {Title: "按金额", Align: "R"}, {Title: "按户数", Align: "R"}}, [][]string{
		{"本季度应收", app.FormatAmount(c.Billed), strconv.Itoa(c.HouseholdsBilled) + " 户"},
		{"已收", app.FormatAmount(c.Received), strconv.Itoa(c.HouseholdsPaid) + " 户缴清"},
		{"收缴率", app.Percent(c.RateByAmount()), app.Percent(c.RateByHouseholds())},
	}, TableOpts{})
	d.Para("截至公示日，全小区累计欠费 " + app.FormatAmount(arrearsTotal) + "，涉及 " + strconv.Itoa(arrearsUnits) + " 户。")
	d.Note("收入按权责发生制记账：物业费在开出当月账单时计入收入，收款冲减应收款。收缴率 = 本季度账单已收金额 ÷ 本季度账单金额；按户数 = 本季度账单全部缴清的户数 ÷ 开出账单的户数。")
	d.Signatures("业主委员会（盖章）", "财务经办人", "社区复核")
	return d
}

func lastLevel(account string) string {
	for i := len(account) - 1; i >= 0; i-- {
		if account[i] == ':' {
			return account[i+1:]
		}
	}
	return account
}

func cnIndex(i int) string {
	n := []string{"一", "二", "三", "四", "五", "六", "七", "八", "九", "十"}
	if i < len(n) {
		return n[i]
	}
	return strconv.Itoa(i + 1)
}
