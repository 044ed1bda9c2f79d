package demo

import (
	"context"
	"fmt"
	"hash/fnv"
	"strconv"
	"sunledger/app"
	"time"

	"github.com/shopspring/decimal"
)

// Passphrase is the passphrase of every member of the demo community, so that
// whoever tries the demo can sign, e.g. `SUNLEDGER_PASSPHRASE=sunledger-demo
// sunledger-cli expense approve --as 陈志明 --id E000077`.
const Passphrase = "sunledger-demo"

// Members are the demo community's people in the approval chain.
var Members = []struct {
	Name string
	Role app.Role
}{
	{"王丽", app.RoleClerk},      // 物业经办人
	{"张建国", app.RoleChair},     // 业委会主任
	{"李秀英", app.RoleTreasurer}, // 财务委员
	{"陈志明", app.RoleMember},    // 委员
	{"刘海燕", app.RoleMember},    // 委员
	{"赵文斌", app.RoleReviewer},  // 社区复核人
}

// demoKDF seals the demo members' keys with a light key derivation: the demo signs a
// few hundred times and is for trying the program out, not for real money.
var demoKDF = app.KDF{Name: "argon2id", Time: 1, MemoryKiB: 4 * 1024, Threads: 1}

const demoCompany = "阳光物业服务有限公司"

// demoPeriod is the span of the demo's fee history (see demoFees): first..last month.
func demoPeriod(d *builder) (first, last string, months int) {
	now := d.now
	last = now.AddDate(0, 0, -now.Day()+1).AddDate(0, -1, 0).Format("2006-01")
	months = 12 * d.Opts.Years
	first = app.AddMonths(last, -(months - 1))
	return
}

// demoAt runs a step of the chain as of a date (a local time on that day), never later
// than now.
func demoAt(ctx context.Context, date string, hour int) context.Context {
	t, err := time.ParseInLocation(app.DateLayout, date, time.Local)
	if err != nil {
		return ctx
	}
	return app.AsOf(ctx, t.Add(time.Duration(hour)*time.Hour))
}

// Outcomes of a demo request.
const (
	demoPaid = iota
	demoRejectedByCommittee
	demoRejectedByReviewer
	demoWithdrawn
	demoOneSignature
	demoAwaitingReview
)

// demoChain takes a request through the chain from the application on day applied
// (YYYY-MM-DD) to the outcome; payment waits when the fund's bank account cannot cover it.
func demoChain(ctx context.Context, s app.Services, today string, r app.ExpenseRequest, applied string, signers [2]string, outcome int, reason string) (app.Expense, error) {
	if applied > today {
		return app.Expense{}, nil
	}
	day := func(n int) string {
		t, _ := time.Parse(app.DateLayout, applied)
		x := t.AddDate(0, 0, n).Format(app.DateLayout)
		if x > today {
			x = today
		}
		return x
	}
	clerk, reviewer, payer := Members[0].Name, Members[5].Name, Members[2].Name // the treasurer pays
	e, err := s.Expenses.ApplyExpense(demoAt(ctx, applied, 9), r, clerk, Passphrase)
	if err != nil {
		return e, err
	}
	if outcome == demoWithdrawn {
		return s.Expenses.RejectExpense(demoAt(ctx, day(1), 10), e.ID, clerk, Passphrase, reason)
	}
	if outcome == demoRejectedByCommittee {
		return s.Expenses.RejectExpense(demoAt(ctx, day(2), 15), e.ID, signers[0], Passphrase, reason)
	}
	if e, err = s.Expenses.ApproveExpense(demoAt(ctx, day(1), 10), e.ID, signers[0], Passphrase); err != nil || outcome == demoOneSignature {
		return e, err
	}
	if e, err = s.Expenses.ApproveExpense(demoAt(ctx, day(2), 16), e.ID, signers[1], Passphrase); err != nil || outcome == demoAwaitingReview {
		return e, err
	}
	if outcome == demoRejectedByReviewer {
		return s.Expenses.RejectExpense(demoAt(ctx, day(3), 11), e.ID, reviewer, Passphrase, reason)
	}
	if e, err = s.Expenses.ReviewExpense(demoAt(ctx, day(3), 11), e.ID, reviewer, Passphrase); err != nil {
		return e, err
	}
	bals, err := s.Ledger.Balances(ctx)
	if err != nil {
		return e, err
	}
	for _, b := range bals {
		if b.Account == app.BankAccount(e.Fund) && b.Balance.LessThan(e.Amount) {
			return e, nil // waits for money: approved, not paid
		}
	}
	return s.Expenses.PayExpense(demoAt(ctx, day(5), 14), e.ID, payer, Passphrase, day(5))
}

// demoExpenses adds the members, a budget for each year of its requests, the
// remuneration clause with quarterly assessments and monthly accruals, and expense
// requests over the last twelve months and all of last year: the monthly running costs
// of the service fund, a few public-income expenses, the quarterly remuneration, three
// rejections and two requests still under way.
func demoExpenses(ctx context.Context, s app.Services, d *builder) error {
	if s.Members == nil || s.Expenses == nil {
		return nil
	}
	if err := demoCommittee(ctx, s); err != nil {
		return err
	}
	if d.Opts.Years <= 0 {
		return nil
	}
	sp := newSpending(d)
	if err := sp.budgets(ctx, s); err != nil {
		return err
	}
	accrued, err := sp.remuneration(ctx, s)
	if err != nil {
		return err
	}
	if err := sp.requests(ctx, s, accrued); err != nil {
		return err
	}
	return demoRosterChange(ctx, s)
}

// demoCommittee puts the approval chain's members on the roster and has every expense
// reviewed by the community.
func demoCommittee(ctx context.Context, s app.Services) error {
	for _, m := range Members {
		mm, err := app.NewMemberKDF(m.Name, m.Role, Passphrase, demoKDF, nil)
		if err != nil {
			return err
		}
		if _, err := s.Members.AddMember(ctx, mm, "demo", "demo: 审批流程成员"); err != nil {
			return err
		}
	}
	if err := s.Expenses.SetExpenseRules(ctx, app.ExpenseRules{ReviewAbove: decimal.Zero}, "demo", "demo: 所有支出均经社区复核"); err != nil {
		return err
	}
	return nil
}

// spending is what the demo's running costs are made of: a month's bills at the first
// prices, the cost lines, and the months the requests cover.
type spending struct {
	d                     *builder
	first, last, winFirst string
	monthly               decimal.Decimal
	costs                 []cost
}

type cost struct {
	cat, payee, desc, pct string
	every                 int // months between requests
}

func newSpending(d *builder) *spending {
	first, last, _ := demoPeriod(d)
	sp := &spending{d: d, first: first, last: last}
	// What a month's bills come to, at the demo's first prices.
	for _, u := range d.Units {
		price := "1.20"
		switch u.Kind {
		case app.KindCommercial:
			price = "3.00"
		case app.KindParking:
			price = "0.50"
		}
		sp.monthly = sp.monthly.Add(u.Area.Mul(decimal.RequireFromString(price)))
	}
	sp.costs = []cost{
		{"staff", demoCompany, "%s 管理服务人员工资及社会保险", "0.30", 1},
		{"cleaning", "洁美保洁服务有限公司", "%s 公共区域保洁外包费", "0.09", 1},
		{"greening", "绿源园林绿化工程公司", "%s 绿化养护费", "0.04", 1},
		{"security", "安泰保安服务有限公司", "%s 秩序维护（门岗、巡逻）外包费", "0.10", 1},
		{"upkeep", "宏达机电设备维保公司", "%s 电梯、消防、供水设备日常维保", "0.04", 1},
		{"office", demoCompany, "%s 物业服务中心办公费用（季度）", "0.015", 3},
	}
	// The requests cover the last twelve months and all of last year, which the demo
	// settles, so that its settlement shows a whole year of running costs.
	sp.winFirst = app.AddMonths(last, -11)
	if ly := fmt.Sprintf("%d-01", d.now.Year()-1); ly < sp.winFirst {
		sp.winFirst = ly
	}
	if sp.winFirst < first {
		sp.winFirst = first
	}
	return sp
}

// share is pct of a month's bills.
func (sp *spending) share(pct string) decimal.Decimal {
	return sp.monthly.Mul(decimal.RequireFromString(pct))
}

// wiggle moves an amount by up to 5% either way, as real invoices do.
func (sp *spending) wiggle(x decimal.Decimal) decimal.Decimal {
	return app.Round2(x.Mul(decimal.NewFromInt(int64(95 + sp.d.Rand.IntN(11)))).Div(decimal.NewFromInt(100)))
}

// budgets approves, by committee decision, a budget for each year the requests fall in.
func (sp *spending) budgets(ctx context.Context, s app.Services) error {
	share, costs, monthly := sp.share, sp.costs, sp.monthly
	for y, _ := strconv.Atoi(sp.winFirst[:4]); y <= mustAtoi(sp.last[:4]); y++ {
		year := y
		lines := []app.BudgetLine{}
		for _, c := range costs {
			lines = append(lines, app.BudgetLine{Year: year, Fund: app.FundService, Category: c.cat, Amount: app.Round2(share(c.pct).Mul(decimal.NewFromInt(12)).Mul(decimal.RequireFromString("1.05"))).Round(-2)})
		}
		lines = append(lines,
			app.BudgetLine{Year: year, Fund: app.FundService, Category: "insurance", Amount: app.Round2(share("0.01").Mul(decimal.NewFromInt(12))).Round(-2)},
			app.BudgetLine{Year: year, Fund: app.FundService, Category: "remuneration", Amount: app.Round2(monthly.Mul(decimal.NewFromInt(12)).Mul(decimal.RequireFromString("0.15"))).Round(-2), Note: "合同约定：物业费收入的 15%"},
			app.BudgetLine{Year: year, Fund: app.FundPublic, Category: "upkeep", Amount: decimal.NewFromInt(30000), Note: "停车场道闸、监控维修"},
			app.BudgetLine{Year: year, Fund: app.FundPublic, Category: "other", Amount: decimal.NewFromInt(12000), Note: "业主活动、公示栏"},
		)
		for _, l := range lines {
			if _, err := s.Budgets.SetBudgetLine(ctx, l, "demo", "demo: 编制年度预算"); err != nil {
				return err
			}
		}
		if _, err := s.Budgets.ApproveBudget(ctx, year, app.BudgetBasis{Decision: fmt.Sprintf("业委会 %d 年第 1 次会议决议（%d-01-15）", year, year)}, "demo", "demo"); err != nil {
			return err
		}
	}
	return nil
}

// remuneration records the contract's clause (15% of fee income, scaled by the
// quarter's assessment), computes each quarter's assessment, accrues every month, and
// returns what was accrued per quarter.
func (sp *spending) remuneration(ctx context.Context, s app.Services) (map[string]decimal.Decimal, error) {
	bands, _ := app.ParseBands("90:1,80:0.95,70:0.9,0:0.8")
	if err := s.Remuneration.SetRemunerationContract(ctx, app.RemunerationContract{Mode: app.RemunerationPercent, Percent: decimal.NewFromInt(15), From: sp.first, Bands: bands}, "demo", "demo: 信托制物业服务合同第八条"); err != nil {
		return nil, err
	}
	items := []struct {
		name   string
		weight int64
	}{{"保洁", 25}, {"绿化", 15}, {"秩序维护", 25}, {"设施设备", 20}, {"客户服务", 15}}
	// Quarter by quarter: the months accrued at the base rate as each ends, the
	// assessment computed a few days after the quarter, which trues the quarter up by its
	// factor (docs/remuneration.md).
	for q := app.QuarterOf(sp.first); q <= app.QuarterOf(sp.last); q = nextQuarter(q) {
		a := app.Assessment{Quarter: q, Note: "业委会与业主代表季度考核"}
		for _, it := range items {
			a.Scores = append(a.Scores, app.AssessmentScore{Item: it.name, Weight: decimal.NewFromInt(it.weight), Score: decimal.NewFromInt(int64(76 + sp.d.Rand.IntN(23)))})
		}
		from, to := "", ""
		for _, m := range app.QuarterMonths(q) {
			if m >= sp.first && m <= sp.last {
				if from == "" {
					from = m
				}
				to = m
			}
		}
		if from != "" {
			if _, err := s.Remuneration.AccrueRemuneration(ctx, from, to, "demo", "demo: 按月计提酬金"); err != nil {
				return nil, err
			}
		}
		if app.CheckQuarterEnded(q, sp.d.now) != nil {
			continue // assessed only once the quarter is over; its months stay at the base rate
		}
		end, _ := app.QuarterEnd(q)
		at := end.AddDate(0, 0, 4)
		if at.After(sp.d.now) {
			at = sp.d.now
		}
		if err := demoAssessQuarter(demoAt(ctx, at.Format(app.DateLayout), 10), s, q, a.Scores); err != nil { // computed: demo_survey.go
			return nil, err
		}
	}
	st, err := s.Remuneration.RemunerationStatus(ctx)
	if err != nil {
		return nil, err
	}
	accrued := map[string]decimal.Decimal{} // by quarter: what is due, trued up once assessed
	for _, q := range st.Quarters {
		accrued[q.Quarter] = q.Due
	}
	return accrued, nil
}

// requests runs a year of expense requests through the approval chain: the running
// costs every month, insurance, the quarter's remuneration, parking repairs and an owners'
// event from public income, with a duplicate, a rejection, a withdrawal and two requests
// still under way among them.
func (sp *spending) requests(ctx context.Context, s app.Services, accrued map[string]decimal.Decimal) error {
	months := app.MonthRange(sp.winFirst, sp.last)
	for mi, m := range months {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := sp.runningCosts(ctx, s, mi, m, mi == len(months)-1); err != nil {
			return err
		}
		if err := sp.otherRequests(ctx, s, mi, m, accrued); err != nil {
			return err
		}
	}
	return nil
}

// pair is two different committee members, drawn at random, to sign an approval. The
// treasurer is never drawn: the treasurer pays, and the payer may not have approved
// (separation of duties, docs/roster.md).
func (sp *spending) pair() [2]string {
	r := sp.d.Rand
	committee := []string{Members[1].Name, Members[3].Name, Members[4].Name}
	i := r.IntN(len(committee))
	j := (i + 1 + r.IntN(len(committee)-1)) % len(committee)
	return [2]string{committee[i], committee[j]}
}

// invoice is the (sample) invoice attached to a request of month m.
// invoiceNo is the demo's invoice number for payee's invoice of month m: eight digits,
// the same for the same month and payee (a duplicate invoice carries the same number),
// drawn from neither random stream so the demo's other figures stay as they were.
func invoiceNo(m, payee string) string {
	h := fnv.New32a()
	h.Write([]byte(m + " " + payee))
	return fmt.Sprintf("%08d", h.Sum32()%100000000)
}

func (sp *spending) invoice(m, payee string, amount decimal.Decimal) []app.AttachmentFile {
	return []app.AttachmentFile{{Name: "发票-" + m + ".txt", Data: []byte(fmt.Sprintf("增值税普通发票（示例）\n开票方：%s\n购买方：%s业主大会\n金额：%s（%s）\n", payee, sp.d.Opts.Name, app.PlainAmount(amount), app.AmountInWords(amount)))}}
}

// runningCosts files the running costs due in month m (the mi-th of the window): each
// paid, except a duplicate cleaning invoice the committee stops (third month), an
// upkeep request the reviewer rejects (sixth), an office request withdrawn and filed
// again for less (eighth), and, in the last month, two requests still under way.
func (sp *spending) runningCosts(ctx context.Context, s app.Services, mi int, m string, lastMonth bool) error {
	d := sp.d
	for ci, c := range sp.costs {
		if mi%c.every != 0 {
			continue
		}
		amount := sp.wiggle(sp.share(c.pct).Mul(decimal.NewFromInt(int64(c.every))))
		req := app.ExpenseRequest{Fund: app.FundService, Category: c.cat, Payee: c.payee, Amount: amount, Description: fmt.Sprintf(c.desc, m), Invoice: invoiceNo(m, c.payee), Files: sp.invoice(m, c.payee, amount)}
		outcome, reason := demoPaid, ""
		switch {
		case mi == 2 && c.cat == "cleaning":
			// a duplicate of this month's cleaning invoice, stopped by the committee
			dup := req
			dup.Description += "（重复提交）"
			if _, err := demoChain(ctx, s, d.today(), dup, m+"-04", sp.pair(), demoRejectedByCommittee, "与本月保洁费申请为同一张发票，重复申请"); err != nil {
				return err
			}
		case mi == 5 && c.cat == "upkeep":
			outcome, reason = demoRejectedByReviewer, "维保报价高于同类小区市场价约 20%，请重新比价后申请"
		case mi == 7 && c.cat == "office":
			outcome, reason = demoWithdrawn, "金额填写有误，撤回后重新申请"
		case lastMonth && ci == 0:
			outcome = demoAwaitingReview
		case lastMonth && ci == 1:
			outcome = demoOneSignature
		}
		if _, err := demoChain(ctx, s, d.today(), req, fmt.Sprintf("%s-%02d", m, 3+ci), sp.pair(), outcome, reason); err != nil {
			return err
		}
		if outcome == demoWithdrawn { // the corrected one
			req.Amount = app.Round2(req.Amount.Mul(decimal.RequireFromString("0.9")))
			req.Files = sp.invoice(m, c.payee, req.Amount)
			if _, err := demoChain(ctx, s, d.today(), req, fmt.Sprintf("%s-%02d", m, 12), sp.pair(), demoPaid, ""); err != nil {
				return err
			}
		}
	}
	return nil
}

// otherRequests files month m's other requests, all paid: the year's insurance (each
// January and the first month), the quarter before's remuneration as accrued (the
// first month of a quarter), a parking-gate repair from public income (every fourth
// month) and an owners' event from public income (the fifth month).
func (sp *spending) otherRequests(ctx context.Context, s app.Services, mi int, m string, accrued map[string]decimal.Decimal) error {
	d, r := sp.d, sp.d.Rand
	mo := mustAtoi(m[5:])
	if mo == 1 || mi == 0 {
		amount := sp.wiggle(sp.share("0.01").Mul(decimal.NewFromInt(12)))
		if _, err := demoChain(ctx, s, d.today(), app.ExpenseRequest{Fund: app.FundService, Category: "insurance", Payee: "平安财产保险公司", Amount: amount,
			Description: m[:4] + " 年度公众责任险及共用设施设备保险", Invoice: invoiceNo(m, "平安财产保险公司"), Files: sp.invoice(m, "平安财产保险公司", amount)}, m+"-18", sp.pair(), demoPaid, ""); err != nil {
			return err
		}
	}
	if mo%3 == 1 { // the quarter before's remuneration
		q := app.QuarterOf(app.AddMonths(m, -1))
		if a := accrued[q]; a.IsPositive() {
			if _, err := demoChain(ctx, s, d.today(), app.ExpenseRequest{Fund: app.FundService, Category: "remuneration", Payee: demoCompany, Amount: a,
				Description: q + " 酬金（按考核结果计提）"}, m+"-20", sp.pair(), demoPaid, ""); err != nil {
				return err
			}
		}
	}
	if mi%4 == 1 {
		amount := decimal.NewFromInt(int64(1500 + 100*r.IntN(60)))
		if _, err := demoChain(ctx, s, d.today(), app.ExpenseRequest{Fund: app.FundPublic, Category: "upkeep", Payee: "捷通智能停车设备公司", Amount: amount,
			Description: m + " 停车场道闸维修", Invoice: invoiceNo(m, "捷通智能停车设备公司"), Files: sp.invoice(m, "捷通智能停车设备公司", amount)}, m+"-22", sp.pair(), demoPaid, ""); err != nil {
			return err
		}
	}
	if mi == 4 {
		if _, err := demoChain(ctx, s, d.today(), app.ExpenseRequest{Fund: app.FundPublic, Category: "other", Payee: "社区文化服务中心", Amount: decimal.NewFromInt(4800),
			Description: "业主中秋联谊活动（公共收益列支，经业委会会议同意）"}, m+"-24", sp.pair(), demoPaid, ""); err != nil {
			return err
		}
	}
	return nil
}

// demoRosterChange shows two things the audit log should: the clerk trying to sign her
// own request, and, the roster being sealed now, a newly elected member waiting for a
// second signature.
func demoRosterChange(ctx context.Context, s app.Services) error {
	if xs, err := s.Expenses.Expenses(ctx); err == nil {
		for i := len(xs) - 1; i >= 0; i-- {
			if xs[i].State == app.ExpenseApplied {
				_, _ = s.Expenses.ApproveExpense(ctx, xs[i].ID, Members[0].Name, Passphrase)
				break
			}
		}
	}
	// The roster is sealed now (by the first request): a newly elected committee member
	// waits for a second signature, e.g. `members approve --as 李秀英 --id M000001`.
	nm, err := app.NewMemberKDF(Newcomer, app.RoleMember, Passphrase, demoKDF, nil)
	if err != nil {
		return err
	}
	c, err := s.Members.AddMember(ctx, nm, "demo", "demo: 业主大会补选委员")
	if err != nil {
		return err
	}
	if c.ID != "" {
		if _, err := s.Members.ApproveRosterChange(ctx, c.ID, Members[1].Name, Passphrase); err != nil {
			return err
		}
	}
	return nil
}

// Newcomer is the committee member the demo's owners elected after the roster was
// sealed; their admission waits for a second signature.
const Newcomer = "孙建华"

func nextQuarter(q string) string {
	qq, _ := app.ReadQuarter(q)
	return qq.Next().String()
}

func mustAtoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}
