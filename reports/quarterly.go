package reports

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"sunledger/app"
)

// FundFlow is one fund's movement over a period for the 收支公示: the money it held at
// the start and the end (bank and cash apart), the money that came in and went out,
// its income and expenses by account (the accrual view), and what it was owed, held in
// advance and owed to others at the end.
type FundFlow struct {
	Fund                     app.Fund
	OpeningBank, OpeningCash decimal.Decimal
	ClosingBank, ClosingCash decimal.Decimal
	MoneyIn, MoneyOut        decimal.Decimal      // cash received and paid in the period
	Income                   []app.AccountBalance // positive amounts
	Expense                  []app.AccountBalance // positive amounts
	Receivables              decimal.Decimal      // owed to the fund: fees billed and not yet paid, other receivables
	Prepaid                  decimal.Decimal      // fees paid in advance
	Payable                  decimal.Decimal      // what the fund owes: accrued and not yet paid (remuneration)
	// MicroFund is the public-income surplus set aside for the owners' micro-fund at the
	// end (docs/microfund.md), MicroFundMoved what the period moved to it.
	MicroFund, MicroFundMoved decimal.Decimal
	// MicroFundSpent is what left the micro-fund in the period: projects' charges, net
	// of a charge reversed (docs/microfund.md).
	MicroFundSpent decimal.Decimal
}

// Opening and Closing are the fund's money (bank and cash) at the start and the end.
func (f FundFlow) Opening() decimal.Decimal { return f.OpeningBank.Add(f.OpeningCash) }
func (f FundFlow) Closing() decimal.Decimal { return f.ClosingBank.Add(f.ClosingCash) }

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
// from and to (YYYY-MM-DD, inclusive). Each account counts by its app.Account.FundRole:
// money is the fund's bank and cash accounts (a second bank account the committee added
// counts as bank); a transfer between them (cash deposited to the bank) moves no money in
// or out.
func FundFlows(each func(fn func(app.Entry) error) error, from, to string) ([]FundFlow, error) {
	per := map[app.Fund]*fundFlowAcc{}
	for _, f := range app.Funds {
		per[f] = &fundFlowAcc{flow: FundFlow{Fund: f}, income: map[string]decimal.Decimal{}, expense: map[string]decimal.Decimal{}}
	}
	err := each(func(e app.Entry) error {
		if e.Date <= to {
			addFlowEntry(per, e, from)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	var out []FundFlow
	for _, f := range app.Funds {
		x := per[f]
		x.flow.Income, x.flow.Expense = nonZeroBalances(x.income), nonZeroBalances(x.expense)
		out = append(out, x.flow)
	}
	return out, nil
}

// fundFlowAcc is one fund's flow while FundFlows reads the journal, with its income and
// expenses by account.
type fundFlowAcc struct {
	flow            FundFlow
	income, expense map[string]decimal.Decimal
}

// addFlowEntry adds the postings of entry e to the funds' flows, e dated before the
// period (from) counting only toward the opening and closing balances; the money each
// fund's postings move in net counts as money in or out of it in the period.
func addFlowEntry(per map[app.Fund]*fundFlowAcc, e app.Entry, from string) {
	before := e.Date < from
	net := map[app.Fund]decimal.Decimal{}
	for _, p := range e.Postings {
		a := app.Account{Name: p.Account}
		f := a.Fund()
		x := per[f]
		if x == nil {
			continue
		}
		if moved, ok := x.addPosting(p, a, before); ok {
			net[f] = net[f].Add(moved)
		}
	}
	if before {
		return
	}
	for f, n := range net {
		if n.IsPositive() {
			per[f].flow.MoneyIn = per[f].flow.MoneyIn.Add(n)
		} else {
			per[f].flow.MoneyOut = per[f].flow.MoneyOut.Sub(n)
		}
	}
}

// addPosting adds posting p (to account a) to the flow; ok says that it moves
// the fund's money (cash or bank), by the amount moved.
func (x *fundFlowAcc) addPosting(p app.Posting, a app.Account, before bool) (moved decimal.Decimal, ok bool) {
	fl := &x.flow
	switch a.FundRole() {
	case app.RoleCash:
		if before {
			fl.OpeningCash = fl.OpeningCash.Add(p.Amount)
		}
		fl.ClosingCash = fl.ClosingCash.Add(p.Amount)
		return p.Amount, true
	case app.RoleBank:
		if before {
			fl.OpeningBank = fl.OpeningBank.Add(p.Amount)
		}
		fl.ClosingBank = fl.ClosingBank.Add(p.Amount)
		return p.Amount, true
	case app.RoleReceivable:
		fl.Receivables = fl.Receivables.Add(p.Amount)
		return decimal.Decimal{}, false
	case app.RolePrepaid:
		fl.Prepaid = fl.Prepaid.Sub(p.Amount)
		return decimal.Decimal{}, false
	case app.RolePayable:
		fl.Payable = fl.Payable.Sub(p.Amount)
		return decimal.Decimal{}, false
	}
	switch {
	case p.Account == app.MicroFundAccount:
		fl.MicroFund = fl.MicroFund.Sub(p.Amount)
		switch {
		case before:
		case p.Amount.IsNegative(): // a share moved in
			fl.MicroFundMoved = fl.MicroFundMoved.Sub(p.Amount)
		default: // a project's charge (or a move reversed) leaves it
			fl.MicroFundSpent = fl.MicroFundSpent.Add(p.Amount)
		}
	case before:
	case a.Type() == app.TypeIncome:
		x.income[p.Account] = x.income[p.Account].Sub(p.Amount)
	case a.Type() == app.TypeExpense:
		x.expense[p.Account] = x.expense[p.Account].Add(p.Amount)
	}
	return decimal.Decimal{}, false
}

// nonZeroBalances lists the accounts of m whose amount is not zero, by name.
func nonZeroBalances(m map[string]decimal.Decimal) []app.AccountBalance {
	var bs []app.AccountBalance
	for a, v := range m {
		if !v.IsZero() {
			bs = append(bs, app.AccountBalance{Account: a, Balance: v})
		}
	}
	sort.Slice(bs, func(i, j int) bool { return bs[i].Account < bs[j].Account })
	return bs
}

// Quarter is everything the quarterly disclosure (季度收支公示) prints, gathered once
// (GatherQuarter) for the command line, the window and the snapshot alike.
type Quarter struct {
	Community, Head, Date string // Date: the day the notice is made (YYYY-MM-DD)
	Year, Quarter         int
	From, To              string // YYYY-MM
	Complete              bool   // false while the quarter has not ended on Date
	Flows                 []FundFlow
	// Collection is the quarter's bills and what was received on them up to Date (the
	// collection rate is as of the day the notice is made, not the quarter's end).
	Collection app.Collection
	Paid       []app.Expense // requests paid in the quarter, by payment date
	// Banks are the reconciliations, at the quarter's end, of the bank accounts whose
	// statements were imported (figures only: no statement line's text leaves the laptop).
	Banks []app.Reconciliation
	// Warnings are the cash box's and the bank's warnings at the quarter's end (app.CashBoxWarnings).
	Warnings []string
	// CashOver are the funds whose cash went over its limit (ledger cash-limit) during
	// the quarter, flagged on the notice.
	CashOver []CashOver
	// Inspection is when and where owners may inspect the vouchers (settings --inspection).
	Inspection string
	// Assessment is the quarter's service assessment once recorded (nil before), with the
	// remuneration factor its score gives under the contract (HasFactor: a contract with
	// score bands is recorded).
	Assessment *app.Assessment
	Factor     decimal.Decimal
	HasFactor  bool
}

// CashOver is a fund's cash over its limit during a quarter: how many days it closed
// over the limit, and its highest closing balance and that day.
type CashOver struct {
	Fund        app.Fund
	Limit, Peak decimal.Decimal
	PeakDate    string
	Days        int
}

// GatherQuarter reads the quarter's figures from the books as they stand on date
// (YYYY-MM-DD); upTo > 0 counts only the journal entries up to that number (a snapshot
// shows the books as at its head).
func GatherQuarter(ctx context.Context, s app.Services, year, quarter int, date string, upTo int64) (Quarter, error) {
	qq := app.Quarter{Year: year, N: quarter}
	if err := qq.Valid(); err != nil {
		return Quarter{}, err
	}
	from, to := qq.Months()
	// A quarter that has not begun has nothing to disclose: an all-zero notice saying
	// 「本季度尚未结束」 would be posted for a mistyped year.
	if len(date) >= 7 && from > date[:7] {
		return Quarter{}, app.Errorf(app.EINVALID, "%d 年第 %d 季度还没有开始（今天是 %s）：没有生成公示。请检查年份和季度", "quarter %d Q%d has not begun yet (today is %s): no disclosure was made; check the year and the quarter", year, quarter, date)
	}
	q := Quarter{Year: year, Quarter: quarter, From: from, To: to, Date: date}
	q.Complete = quarterComplete(date, to)
	com, err := s.Book.Community(ctx)
	if err != nil {
		return q, err
	}
	q.Community = com.Name
	if q.Head, _, err = s.Ledger.Head(ctx); err != nil {
		return q, err
	}
	// The quarter's entries after one made-up entry dated before it that holds every
	// account's balance at its start: FundFlows adds what is before the period account
	// by account, so this gives the same figures as the whole journal, read from the
	// quarter alone (the journal is indexed by month).
	each := func(fn func(app.Entry) error) error {
		opening, err := s.Ledger.BalancesBefore(ctx, from+"-01", upTo)
		if err != nil {
			return err
		}
		open := app.Entry{Date: "0000-00-00"}
		for a, v := range opening {
			open.Postings = append(open.Postings, app.Posting{Account: a, Amount: v})
		}
		sort.Slice(open.Postings, func(i, j int) bool { return open.Postings[i].Account < open.Postings[j].Account })
		if err := fn(open); err != nil {
			return err
		}
		return s.Ledger.EachEntryDated(ctx, from+"-01", app.LastDay(to), upTo, fn)
	}
	if q.Flows, err = FundFlows(each, from+"-01", app.LastDay(to)); err != nil {
		return q, err
	}
	if q.Collection, err = s.Fees.Collection(ctx, from, to); err != nil {
		return q, err
	}
	q.Inspection = strings.TrimSpace(com.Notices.Inspection)
	if err := gatherAssessment(ctx, s, &q); err != nil {
		return q, err
	}
	if s.Expenses != nil {
		all, err := s.Expenses.Expenses(ctx)
		if err != nil {
			return q, err
		}
		for _, e := range all {
			for _, x := range e.Payments() { // a staged request: each stage paid (docs/maintenance.md)
				if x.PaidDate >= from+"-01" && x.PaidDate <= app.LastDay(to) && (upTo == 0 || x.Entry <= upTo) {
					q.Paid = append(q.Paid, x)
				}
			}
		}
		sort.SliceStable(q.Paid, func(i, j int) bool { return q.Paid[i].PaidDate < q.Paid[j].PaidDate })
	}
	if err := gatherBanks(ctx, s, &q, upTo); err != nil {
		return q, err
	}
	return q, nil
}

// gatherBanks reconciles each bank account with imported statements at the quarter's
// end (or on its date, while it runs) and collects the cash box's warnings.
func gatherBanks(ctx context.Context, s app.Services, q *Quarter, upTo int64) error {
	if s.Bank == nil {
		return nil
	}
	asOf := app.LastDay(q.To)
	if q.Date < asOf {
		asOf = q.Date
	}
	accounts, err := s.Bank.BankAccounts(ctx)
	if err != nil {
		return err
	}
	for _, a := range accounts {
		lines, err := s.Bank.StatementLines(ctx, a)
		if err != nil {
			return err
		}
		if len(lines) == 0 || lines[0].Date > asOf {
			continue
		}
		r, err := app.ReconcileAt(ctx, s.Bank, a, asOf[:7], app.MonthEnd(asOf[:7]), upTo, lines)
		if err != nil {
			return err
		}
		q.Banks = append(q.Banks, r)
	}
	if q.Warnings, err = app.CashBoxWarnings(ctx, s, asOf, upTo); err != nil {
		return err
	}
	q.CashOver, err = cashOverLimit(ctx, s, q.From+"-01", asOf, upTo)
	return err
}

// cashOverLimit finds, for each fund with a cash limit, the days from..to (YYYY-MM-DD)
// its cash closed over the limit.
func cashOverLimit(ctx context.Context, s app.Services, from, to string, upTo int64) ([]CashOver, error) {
	if s.Cash == nil {
		return nil, nil
	}
	limits, err := s.Cash.CashLimits(ctx)
	if err != nil {
		return nil, err
	}
	var out []CashOver
	for _, f := range app.Funds {
		lim, ok := limits[f]
		if !ok {
			continue
		}
		// The period's items after one that holds what those before it add up to, read
		// from the period alone (BookItemsFrom): a balance held before from counts only
		// from from on, and a limit is never negative, so the days and the peak are
		// those that every item of the account gives.
		items, err := s.Bank.BookItemsFrom(ctx, app.CashAccount(f), from, to, upTo)
		if err != nil {
			return nil, err
		}
		sort.SliceStable(items, func(i, j int) bool { return items[i].Date < items[j].Date })
		// The balance at the close of each day: the day before the quarter, then each
		// day with an item; between items the balance holds.
		bal, day := decimal.Zero, ""
		o := CashOver{Fund: f, Limit: lim}
		close := func(upto string) { // the balance held from day to the day before upto
			if day == "" || !bal.GreaterThan(lim) {
				return
			}
			start, end := max(day, from), min(addDays(upto, -1), to)
			if start > end {
				return
			}
			o.Days += daysBetween(start, end) + 1
			if bal.GreaterThan(o.Peak) {
				o.Peak, o.PeakDate = bal, start
			}
		}
		for _, it := range items {
			if it.Date > to || upTo > 0 && it.Seq > upTo {
				continue
			}
			if it.Date != day {
				close(it.Date)
				day = it.Date
			}
			bal = bal.Add(it.Amount)
		}
		close(addDays(to, 1))
		if o.Days > 0 {
			out = append(out, o)
		}
	}
	return out, nil
}

// gatherAssessment finds the quarter's assessment and the factor its score gives.
func gatherAssessment(ctx context.Context, s app.Services, q *Quarter) error {
	if s.Remuneration == nil {
		return nil
	}
	as, err := s.Remuneration.Assessments(ctx)
	if err != nil {
		return err
	}
	name := app.Quarter{Year: q.Year, N: q.Quarter}.String()
	for i := range as {
		if as[i].Quarter == name {
			q.Assessment = &as[i]
		}
	}
	if q.Assessment == nil {
		return nil
	}
	c, err := s.Remuneration.RemunerationContract(ctx)
	if app.ErrorCode(err) == app.ENOTFOUND {
		return nil
	}
	if err != nil {
		return err
	}
	q.Factor, q.HasFactor = c.Factor(q.Assessment.Total()), len(c.Bands) > 0
	return nil
}

// quarterComplete reports whether the quarter ending with month to is over on date.
func quarterComplete(date, to string) bool { return date > app.LastDay(to) }

// QuarterlyDoc lays out the quarterly disclosure of income and expenses (季度收支公示).
// For each fund it shows first the money: opening funds (bank, cash) + received − paid
// = closing funds, an identity that holds on the paper itself; then the accrual view
// (income and expenses by item, what owners still owe, what they paid in advance,
// what was accrued and not yet paid), which explains why the year's result and the
// change in money differ. Then every expense paid in the quarter, item by item with
// who signed it, the collection rate and the arrears. A quarter not yet over says so
// in the title on every page.
func QuarterlyDoc(q Quarter) *Doc {
	title := strconv.Itoa(q.Year) + " 年第 " + strconv.Itoa(q.Quarter) + " 季度收支公示"
	if !q.Complete {
		title += "（本季度尚未结束）"
	}
	d := NewDoc(DocMeta{Community: q.Community, Public: true, Title: title, Subtitle: q.From + " 至 " + q.To,
		HeadHash: q.Head, DocID: "quarterly-" + strconv.Itoa(q.Year) + "Q" + strconv.Itoa(q.Quarter), Date: q.Date})
	d.Para("依照信托制物业服务的约定，小区的物业服务资金、公共收益和维修资金分账管理，收支向全体业主公开。本公示由阳光账本按复式记账凭证生成，页脚的账本链头可用快照核对。")
	if !q.Complete {
		d.Note("本季度尚未结束：以下为截至 " + q.Date + " 的数字，季度结束后将重新公示。")
	}
	cols := []Col{{Title: "项目"}, {Title: "金额", Width: 45, Align: "R"}}
	for i, f := range q.Flows {
		d.Heading(cnIndex(i) + "、" + f.Fund.FundName())
		d.Table(cols, [][]string{
			{"期初资金：银行存款", app.FormatAmount(f.OpeningBank)},
			{"期初资金：库存现金", app.FormatAmount(f.OpeningCash)},
			{"期初资金合计", app.FormatAmount(f.Opening())},
			{"加：本期收到的款项", app.FormatAmount(f.MoneyIn)},
			{"减：本期付出的款项", app.FormatAmount(f.MoneyOut)},
			{"期末资金：银行存款", app.FormatAmount(f.ClosingBank)},
			{"期末资金：库存现金" + q.cashFlag(f), app.FormatAmount(f.ClosingCash)},
		}, TableOpts{Caption: "（一）资金变动：期初资金 + 本期收到 − 本期付出 = 期末资金", Totals: []string{"期末资金合计", app.FormatAmount(f.Closing())}})
		var rows [][]string
		for _, b := range f.Income {
			rows = append(rows, []string{"收入：" + lastLevel(b.Account), app.FormatAmount(b.Balance)})
		}
		rows = append(rows, []string{"本期收入合计", app.FormatAmount(f.IncomeTotal())})
		for _, b := range f.Expense {
			rows = append(rows, []string{"支出：" + lastLevel(b.Account), app.FormatAmount(b.Balance)})
		}
		rows = append(rows, []string{"本期支出合计", app.FormatAmount(f.ExpenseTotal())})
		rows = append(rows, []string{"本期收支结余（收入 − 支出）", app.FormatAmount(f.IncomeTotal().Sub(f.ExpenseTotal()))})
		// Only the service fund's receivables are owners' unpaid fees; a public-income
		// receivable is owed by a tenant or an advertiser.
		recv := "期末应收款"
		if f.Fund == app.FundService {
			recv = "期末应收款（业主欠费）"
		}
		rows = append(rows, []string{recv, app.FormatAmount(f.Receivables)})
		if f.Fund == app.FundService || !f.Prepaid.IsZero() {
			rows = append(rows, []string{"期末预收款（业主预交）", app.FormatAmount(f.Prepaid)})
		}
		rows = append(rows, []string{"期末应付款（已计提未支付，如酬金）", app.FormatAmount(f.Payable)})
		if !f.MicroFund.IsZero() || !f.MicroFundMoved.IsZero() {
			rows = append(rows, []string{"本期转入业主微基金（年度结余按比例转入）", app.FormatAmount(f.MicroFundMoved)})
			if !f.MicroFundSpent.IsZero() {
				rows = append(rows, []string{"本期业主微基金项目支出", app.FormatAmount(f.MicroFundSpent)})
			}
			rows = append(rows, []string{"期末业主微基金余额（属公共收益，归全体业主）", app.FormatAmount(f.MicroFund)})
		}
		d.Table(cols, rows, TableOpts{Zebra: true, Caption: "（二）收入与支出（权责发生制：账单开出即计收入，酬金按月计提）"})
	}
	d.Heading(cnIndex(len(q.Flows)) + "、本季度支出明细")
	if len(q.Paid) == 0 {
		d.Para("本季度没有支付的支出申请。")
	} else {
		var rows [][]string
		total := decimal.Zero
		for _, x := range q.Paid {
			rows = append(rows, []string{x.PaidDate, "#" + strconv.FormatInt(x.Entry, 10), purpose(x), x.Fund.FundName() + " " + x.CategoryLabel(), app.FormatAmount(x.Amount), x.Applicant, signers(x)})
			total = total.Add(x.Amount)
		}
		d.Table([]Col{{Title: "支付日期", Width: 21}, {Title: "凭证号", Width: 14}, {Title: "收款人与用途"}, {Title: "资金与类别", Width: 30}, {Title: "金额", Width: 25, Align: "R"}, {Title: "申请人", Width: 16}, {Title: "联签与复核", Width: 30}},
			rows, TableOpts{Zebra: true, Totals: []string{"合计", "", strconv.Itoa(len(q.Paid)) + " 笔", "", app.FormatAmount(total), "", ""}})
	}
	c := q.Collection
	next := len(q.Flows) + 1
	if len(q.Banks) > 0 || len(q.Warnings) > 0 || len(q.CashOver) > 0 {
		d.Heading(cnIndex(next) + "、银行存款核对与现金管理")
		next++
		var rows [][]string
		for _, r := range q.Banks {
			rows = append(rows, []string{r.Account, app.FormatAmount(r.BookBalance), app.FormatAmount(r.BankBalance), app.FormatAmount(r.Difference)})
		}
		if len(rows) > 0 {
			d.Table([]Col{{Title: "银行账户（科目）"}, {Title: "账面余额", Width: 32, Align: "R"}, {Title: "银行对账单余额", Width: 32, Align: "R"}, {Title: "调节后差额", Width: 26, Align: "R"}}, rows,
				TableOpts{Caption: "截至 " + app.MonthEnd(q.Banks[0].Period) + "，按银行存款余额调节表：差额为零即账实相符"})
		}
		for _, o := range q.CashOver {
			d.Para(fmt.Sprintf("【超限额】%s库存现金限额 %s：本季度有 %d 天日终现金超过限额，最高 %s（%s）。超过限额的现金应及时存入银行。",
				o.Fund.FundName(), app.FormatAmount(o.Limit), o.Days, app.FormatAmount(o.Peak), o.PeakDate))
		}
		for _, w := range q.Warnings {
			d.Para("提示：" + w)
		}
	}
	d.Heading(cnIndex(next) + "、物业服务费收缴情况")
	next++
	end := q.End()
	d.Table([]Col{{Title: "项目"}, {Title: "按金额", Align: "R"}, {Title: "按户数", Align: "R"}}, [][]string{
		{"本季度应收", app.FormatAmount(c.Billed), strconv.Itoa(c.HouseholdsBilled) + " 户"},
		{"已收（截至 " + q.Date + "）", app.FormatAmount(c.Received), strconv.Itoa(c.HouseholdsPaid) + " 户缴清"},
		{"收缴率（截至 " + q.Date + "）", app.Percent(c.RateByAmount()), app.Percent(c.RateByHouseholds())},
	}, TableOpts{})
	// One arrears figure: the receivable at the quarter's end, the figure of the fund's
	// table above (docs/notices.md "Quarterly disclosure").
	for _, f := range q.Flows {
		if f.Fund == app.FundService {
			d.Para("截至 " + end + "（季度末），业主欠缴物业费（应收款）合计 " + app.FormatAmount(f.Receivables) + "，即上表物业服务资金的期末应收款。收缴率按截至 " + q.Date + " 的收款计算，季度末以后的收款计入收缴率，不改变季度末欠费。")
		}
	}
	d.Heading(cnIndex(next) + "、物业服务考核与酬金")
	next++
	name := app.Quarter{Year: q.Year, N: q.Quarter}.String()
	switch a := q.Assessment; {
	case a == nil:
		d.Para(name + " 物业服务考核尚未登记：考核得分和酬金系数登记后在物业服务质量公示和下一期收支公示中公布。")
	case q.HasFactor:
		d.Para(fmt.Sprintf("%s 物业服务考核综合得分 %s 分（满分 100 分），按物业服务合同的考核分档，本季度酬金系数为 %s（酬金 = 计提基数 × 酬金比例 × 系数）。考核的组成见物业服务质量公示。",
			name, a.Total().StringFixed(2), q.Factor.String()))
	default:
		d.Para(fmt.Sprintf("%s 物业服务考核综合得分 %s 分（满分 100 分）；物业服务合同未约定考核分档，酬金系数为 1。", name, a.Total().StringFixed(2)))
	}
	d.Heading(cnIndex(next) + "、凭证查阅")
	if q.Inspection != "" {
		d.Para("业主可查阅本季度每一笔收支的原始凭证（发票、合同、联签记录）：" + q.Inspection + "。")
	} else {
		d.Para("业主可查阅本季度每一笔收支的原始凭证（发票、合同、联签记录），时间和地点请向业主委员会或物业服务中心询问。")
	}
	d.Note("资金变动按收付实现：只计银行存款和库存现金的实际收付，现金存入银行不算收付。收入与支出按权责发生制：物业费在开出当月账单时计入收入，收款冲减应收款；酬金按月计提为应付款，支付时冲减。收缴率 = 本季度账单已收金额 ÷ 本季度账单金额；按户数 = 本季度账单全部缴清的户数 ÷ 开出账单的户数。")
	d.Signatures("业主委员会（盖章）", "财务经办人", "物业服务企业（盖章）", "社区复核")
	return d
}

// End is the quarter's last day, or the notice's date while the quarter runs.
func (q Quarter) End() string {
	if end := app.LastDay(q.To); q.Complete || q.Date >= end {
		return end
	}
	return q.Date
}

// cashFlag marks a fund's closing cash when it is over the fund's limit.
func (q Quarter) cashFlag(f FundFlow) string {
	for _, o := range q.CashOver {
		if o.Fund == f.Fund && f.ClosingCash.GreaterThan(o.Limit) {
			return "（超过限额 " + app.FormatAmount(o.Limit) + "）"
		}
	}
	return ""
}

// purpose is what a paid request was for: the payee and the purpose as applied for, and
// for a maintenance-fund payment the vote and matter that allowed it.
func purpose(x app.Expense) string {
	s := x.Payee
	if d := strings.TrimSpace(x.Description); d != "" {
		s += "：" + d
	}
	if x.Invoice != "" {
		s += "（发票号 " + x.Invoice + "）"
	}
	if x.Vote != "" {
		s += "（依据表决 " + x.Vote + " 事项 " + strconv.Itoa(x.Matter) + "）"
	}
	return s
}

// signers names who signed a paid request: the two committee signatures and the
// community review.
func signers(x app.Expense) string {
	var names []string
	for _, s := range x.Signatures {
		switch s.Step {
		case app.StepApprove:
			names = append(names, s.Signer)
		case app.StepReview:
			names = append(names, s.Signer+"（复核）")
		}
	}
	return strings.Join(names, " ") // spaces: a name never breaks across lines (wrapCell)
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

// QuarterlyPDF renders the disclosure of year and quarter as the book stood at its first
// upTo entries on the day date, naming community and head: the disclosure a snapshot
// embeds (it is a snapshot.Disclosure).
func QuarterlyPDF(ctx context.Context, s app.Services, year, quarter int, date string, upTo int64, community, head string, w io.Writer) error {
	q, err := GatherQuarter(ctx, s, year, quarter, date, upTo)
	if err != nil {
		return err
	}
	q.Community, q.Head = community, head
	return QuarterlyDoc(q).Write(w)
}

// addDays is the day n days after day (YYYY-MM-DD).
func addDays(day string, n int) string {
	t, err := time.Parse(dateLayout, day)
	if err != nil {
		return day
	}
	return t.AddDate(0, 0, n).Format(dateLayout)
}

// daysBetween is how many days to is after from (YYYY-MM-DD).
func daysBetween(from, to string) int {
	a, err1 := time.Parse(dateLayout, from)
	b, err2 := time.Parse(dateLayout, to)
	if err1 != nil || err2 != nil {
		return 0
	}
	return int(b.Sub(a).Hours()/24 + 0.5)
}
