package main

import (
	"flag"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/shopspring/decimal"

	"sunledger/app"
	"sunledger/reports"
)

func init() {
	register("budget set", "--year Y --fund F --category CAT --amount A [--note N]   "+app.T("编制年度预算草案的一行（金额 0 删除该行）", "add or change a line of the year's draft budget (amount 0 removes it)"), budgetSet)
	register("budget approve", "--year Y (--vote ID --matter N | --decision TEXT)   "+app.T("按业主大会表决或业委会决议批准预算", "approve the budget by an owners' vote or a committee decision"), budgetApprove)
	register("budget show", "--year Y [--json]   "+app.T("预算执行情况（预算与实际，按月）", "budget vs actual, by month"), budgetShow)
	register("remuneration contract", "(--percent P | --fixed A) --from YYYY-MM [--bands 90:1,80:0.95,0:0.9]   "+app.T("登记物业合同的酬金条款（可按考核分数调整）", "record the contract's remuneration clause (optionally scaled by the assessment score)"), remunerationContract)
	register("remuneration accrue", "--month YYYY-MM [--to YYYY-MM]   "+app.T("按月计提酬金并记账", "accrue each month's remuneration and post it"), remunerationAccrue)
	register("remuneration list", "[--json]   "+app.T("酬金条款和各月计提", "the clause and the monthly accruals"), remunerationList)
	register("assessment add", "--quarter YYYYQn --item 项目:权重:得分 ... [--note N]   "+app.T("登记季度物业服务考核得分", "record a quarter's service-assessment scores"), assessmentAdd)
	register("assessment list", "[--json]   "+app.T("历次考核", "the assessments"), assessmentList)
	register("settlement run", "--year Y [--microfund SHARE%]   "+app.T("年度统结统算并锁定该年（可同时把公共收益结余的一定比例转入业主微基金）", "settle the year and lock it (optionally moving a share of the public-income surplus to the owners' micro-fund)"), settlementRun)
	register("settlement show", "--year Y [--json]   "+app.T("年度统结统算（未结算时为预览）", "the year's settlement (a preview if not settled)"), settlementShow)
	register("maintenance show", "--year Y [--json]   "+app.T("维修资金收支、使用申请进度和各楼栋分摊", "the maintenance fund: balance, usage applications, per-building shares"), maintenanceShow)
	reportKinds["budget"] = reportBudget
	reportKinds["settlement"] = reportSettlement
	reportKinds["fund"] = reportFund
}

func yearFlag(fs *flag.FlagSet) *string { return fs.String("year", "", "YYYY") }

func needYear(s string) (int, error) {
	if err := need("year", s); err != nil {
		return 0, err
	}
	return app.ParseYear(s)
}

func budgetSet(e *env, args []string) error {
	fs := newFlags("budget set")
	year := yearFlag(fs)
	fund := fs.String("fund", "", "service|public|maintenance")
	category := fs.String("category", "", "category")
	amount := fs.String("amount", "", "amount")
	note := fs.String("note", "", "note")
	as := asFlag(fs)
	why := fs.String("why", "", "note for the audit log")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	y, err := needYear(*year)
	if err != nil {
		return err
	}
	for _, f := range []struct{ n, v string }{{"fund", *fund}, {"category", *category}, {"amount", *amount}} {
		if err := need(f.n, f.v); err != nil {
			return err
		}
	}
	l, err := app.ParseBudgetLineID(fmt.Sprintf("%d:%s:%s", y, *fund, *category))
	if err != nil {
		return err
	}
	if l.Amount, err = app.ParseAmount(*amount); err != nil {
		return err
	}
	l.Note = *note
	svc, err := e.services()
	if err != nil {
		return err
	}
	b, err := svc.Budgets.SetBudgetLine(e.ctx, l, who(*as), *why)
	if err != nil {
		return err
	}
	total := decimal.Zero
	for _, x := range b.Lines {
		total = total.Add(x.Amount)
	}
	fmt.Fprintf(e.stdout, app.T("%d 年度预算草案共 %d 行，合计 %s\n预算科目 %s\n", "the %d draft budget has %d lines, %s in total\nbudget line %s\n"), y, len(b.Lines), app.FormatAmount(total), l.ID())
	return nil
}

func budgetApprove(e *env, args []string) error {
	fs := newFlags("budget approve")
	year := yearFlag(fs)
	vote := fs.String("vote", "", "vote id")
	matter := fs.Int("matter", 0, "matter number")
	decision := fs.String("decision", "", "committee decision")
	as := asFlag(fs)
	why := whyFlag(fs)
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	y, err := needYear(*year)
	if err != nil {
		return err
	}
	svc, err := e.services()
	if err != nil {
		return err
	}
	b, err := svc.Budgets.ApproveBudget(e.ctx, y, app.BudgetBasis{Vote: *vote, Matter: *matter, Decision: *decision}, who(*as), *why)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, app.T("%d 年度预算已批准（%s）\n", "the %d budget is approved (%s)\n"), y, b.Basis.String())
	return nil
}

func budgetShow(e *env, args []string) error {
	fs := newFlags("budget show")
	year := yearFlag(fs)
	asJSON := jsonFlag(fs)
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	y, err := needYear(*year)
	if err != nil {
		return err
	}
	svc, err := e.services()
	if err != nil {
		return err
	}
	r, err := svc.Budgets.BudgetVsActual(e.ctx, y)
	if err != nil {
		return err
	}
	if *asJSON {
		type line struct {
			Line     string   `json:"line"`
			Fund     string   `json:"fund"`
			Category string   `json:"category"`
			Account  string   `json:"account"`
			Budget   string   `json:"budget"`
			Actual   string   `json:"actual"`
			Left     string   `json:"left"`
			Percent  string   `json:"percent"`
			Budgeted bool     `json:"budgeted"`
			Months   []string `json:"months"`
		}
		out := struct {
			Year     int    `json:"year"`
			State    string `json:"state"`
			Basis    string `json:"basis,omitempty"`
			Lines    []line `json:"lines"`
			Budget   string `json:"budget"`
			Actual   string `json:"actual"`
			Approved bool   `json:"approved"`
		}{Year: y, State: r.Budget.State, Basis: r.Budget.Basis.String(), Lines: []line{}, Approved: r.Budget.State == app.BudgetApproved}
		for _, l := range r.Lines {
			x := line{Line: l.ID(), Fund: string(l.Fund), Category: l.Category, Account: l.Account, Budget: app.PlainAmount(l.Amount),
				Actual: app.PlainAmount(l.Actual), Left: app.PlainAmount(l.Left), Percent: l.Percent.StringFixed(1), Budgeted: l.Budgeted}
			for _, m := range l.Months {
				x.Months = append(x.Months, app.PlainAmount(m))
			}
			out.Lines = append(out.Lines, x)
		}
		b, a := r.Total("")
		out.Budget, out.Actual = app.PlainAmount(b), app.PlainAmount(a)
		return printJSON(e.stdout, out)
	}
	state := app.T("草案", "draft")
	if r.Budget.State == app.BudgetApproved {
		state = app.T("已批准：", "approved: ") + r.Budget.Basis.String()
	}
	if len(r.Budget.Lines) == 0 {
		state = app.T("无预算", "no budget")
	}
	fmt.Fprintf(e.stdout, app.T("%d 年度预算执行情况（%s）\n", "budget vs actual %d (%s)\n"), y, state)
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, app.T("资金\t类别\t预算\t实际\t余额\t执行率%\t", "fund\tcategory\tbudget\tactual\tleft\tused %\t"))
	for _, l := range r.Lines {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t\n", l.Fund.Label(), l.CategoryLabel(), app.PlainAmount(l.Amount), app.PlainAmount(l.Actual), app.PlainAmount(l.Left), l.Percent.StringFixed(1))
	}
	b, a := r.Total("")
	fmt.Fprintf(tw, "%s\t\t%s\t%s\t%s\t\t\n", app.T("合计", "total"), app.PlainAmount(b), app.PlainAmount(a), app.PlainAmount(b.Sub(a)))
	return tw.Flush()
}

func remunerationContract(e *env, args []string) error {
	fs := newFlags("remuneration contract")
	percent := fs.String("percent", "", "percent of fee income, e.g. 15")
	fixed := fs.String("fixed", "", "fixed amount a month")
	from := fs.String("from", "", "YYYY-MM")
	bands := fs.String("bands", "", "score:factor,... e.g. 90:1,80:0.95,0:0.9")
	as := asFlag(fs)
	why := whyFlag(fs)
	if _, err := parseArgs(fs, args, "from"); err != nil {
		return err
	}
	c := app.RemunerationContract{From: *from}
	var err error
	switch {
	case *percent != "" && *fixed == "":
		c.Mode = app.RemunerationPercent
		if c.Percent, err = app.ParseNumber(*percent); err != nil {
			return err
		}
	case *fixed != "" && *percent == "":
		c.Mode = app.RemunerationFixed
		if c.Monthly, err = app.ParseAmount(*fixed); err != nil {
			return err
		}
	default:
		return usageError("请给出 --percent 或 --fixed 之一", "give one of --percent or --fixed")
	}
	if *bands != "" {
		if c.Bands, err = app.ParseBands(*bands); err != nil {
			return err
		}
	}
	svc, err := e.services()
	if err != nil {
		return err
	}
	if err := svc.Remuneration.SetRemunerationContract(e.ctx, c, who(*as), *why); err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, app.T("已登记酬金条款：", "remuneration clause recorded: ")+describeContract(c))
	return nil
}

func describeContract(c app.RemunerationContract) string {
	s := fmt.Sprintf(app.T("自 %s 起，每月物业费收入的 %s%%", "from %s, %s%% of each month's fee income"), c.From, c.Percent.String())
	if c.Mode == app.RemunerationFixed {
		s = fmt.Sprintf(app.T("自 %s 起，每月 %s", "from %s, %s a month"), c.From, app.FormatAmount(c.Monthly))
	}
	if len(c.Bands) > 0 {
		var parts []string
		for _, b := range c.Bands {
			parts = append(parts, fmt.Sprintf(app.T("≥%d 分 ×%s", "≥%d ×%s"), b.MinScore, b.Factor.String()))
		}
		s += app.T("；按季度考核得分调整：", "; scaled by the quarterly assessment: ") + strings.Join(parts, app.T("，", ", "))
	}
	return s
}

func remunerationAccrue(e *env, args []string) error {
	fs := newFlags("remuneration accrue")
	month := fs.String("month", "", "YYYY-MM")
	to := fs.String("to", "", "YYYY-MM")
	as := asFlag(fs)
	why := whyFlag(fs)
	svc, err := e.parseOpen(fs, args, "month")
	if err != nil {
		return err
	}
	acc, err := svc.Remuneration.AccrueRemuneration(e.ctx, *month, *to, who(*as), *why)
	if err != nil {
		return err
	}
	for _, a := range acc {
		fmt.Fprintf(e.stdout, app.T("%s 计提酬金 %s（基数 %s，系数 %s），凭证 #%d\n", "%s remuneration %s (base %s, factor %s), entry #%d\n"), a.Month, app.FormatAmount(a.Amount), app.PlainAmount(a.Base), a.Factor.String(), a.Entry)
	}
	return nil
}

func remunerationList(e *env, args []string) error {
	fs := newFlags("remuneration list")
	asJSON := jsonFlag(fs)
	svc, err := e.parseOpen(fs, args)
	if err != nil {
		return err
	}
	c, cerr := svc.Remuneration.RemunerationContract(e.ctx)
	if cerr != nil && app.ErrorCode(cerr) != app.ENOTFOUND {
		return cerr
	}
	acc, err := svc.Remuneration.Accruals(e.ctx)
	if err != nil {
		return err
	}
	if *asJSON {
		type row struct {
			Month   string `json:"month"`
			Base    string `json:"base"`
			Quarter string `json:"quarter,omitempty"`
			Score   string `json:"score,omitempty"`
			Factor  string `json:"factor"`
			Amount  string `json:"amount"`
			Entry   int64  `json:"entry,omitempty"`
		}
		rows := []row{}
		for _, a := range acc {
			r := row{Month: a.Month, Base: app.PlainAmount(a.Base), Quarter: a.Quarter, Factor: a.Factor.String(), Amount: app.PlainAmount(a.Amount), Entry: a.Entry}
			if a.Quarter != "" {
				r.Score = a.Score.StringFixed(2)
			}
			rows = append(rows, r)
		}
		out := map[string]any{"accruals": rows}
		if cerr == nil {
			out["contract"] = c
		}
		return printJSON(e.stdout, out)
	}
	if cerr == nil {
		fmt.Fprintln(e.stdout, app.T("酬金条款：", "remuneration clause: ")+describeContract(c))
	}
	tw := newTable(e.stdout)
	fmt.Fprintln(tw, app.T("月份\t基数\t考核\t系数\t酬金\t凭证", "month\tbase\tassessment\tfactor\tamount\tentry"))
	total := decimal.Zero
	for _, a := range acc {
		q := ""
		if a.Quarter != "" {
			q = a.Quarter + " " + a.Score.StringFixed(2)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t#%d\n", a.Month, app.PlainAmount(a.Base), q, a.Factor.String(), app.PlainAmount(a.Amount), a.Entry)
		total = total.Add(a.Amount)
	}
	fmt.Fprintf(tw, "%s\t\t\t\t%s\t\n", app.T("合计", "total"), app.PlainAmount(total))
	return tw.Flush()
}

func assessmentAdd(e *env, args []string) error {
	fs := newFlags("assessment add")
	quarter := fs.String("quarter", "", "YYYYQn")
	note := fs.String("note", "", "note")
	as := asFlag(fs)
	var items stringList
	fs.Var(&items, "item", "item:weight:score (repeatable)")
	if _, err := parseArgs(fs, args, "quarter"); err != nil {
		return err
	}
	scores, err := app.ParseScores(items)
	if err != nil {
		return err
	}
	a := app.Assessment{Quarter: *quarter, Scores: scores, Note: *note}
	svc, err := e.services()
	if err != nil {
		return err
	}
	if err := svc.Remuneration.RecordAssessment(e.ctx, a, who(*as), *note); err != nil {
		return err
	}
	q, _ := app.ParseQuarter(*quarter)
	fmt.Fprintf(e.stdout, app.T("%s 考核综合得分 %s\n", "%s assessment: weighted score %s\n"), q, a.Total().StringFixed(2))
	return nil
}

func assessmentList(e *env, args []string) error {
	fs := newFlags("assessment list")
	asJSON := jsonFlag(fs)
	svc, err := e.parseOpen(fs, args)
	if err != nil {
		return err
	}
	as, err := svc.Remuneration.Assessments(e.ctx)
	if err != nil {
		return err
	}
	if *asJSON {
		type item struct {
			Item   string `json:"item"`
			Weight string `json:"weight"`
			Score  string `json:"score"`
		}
		type row struct {
			Quarter string `json:"quarter"`
			Score   string `json:"score"`
			Items   []item `json:"items"`
		}
		out := []row{}
		for _, a := range as {
			r := row{Quarter: a.Quarter, Score: a.Total().StringFixed(2)}
			for _, s := range a.Scores {
				r.Items = append(r.Items, item{s.Item, s.Weight.String(), s.Score.String()})
			}
			out = append(out, r)
		}
		return printJSON(e.stdout, out)
	}
	for _, a := range as {
		var parts []string
		for _, s := range a.Scores {
			parts = append(parts, fmt.Sprintf("%s(%s) %s", s.Item, s.Weight.String(), s.Score.String()))
		}
		fmt.Fprintf(e.stdout, "%s  %s  %s\n", a.Quarter, a.Total().StringFixed(2), strings.Join(parts, app.T("，", ", ")))
	}
	return nil
}

func settlementRun(e *env, args []string) error {
	fs := newFlags("settlement run")
	year := yearFlag(fs)
	as := asFlag(fs)
	why := whyFlag(fs)
	micro := fs.String("microfund", "", "share of the public-income surplus moved to the micro-fund, e.g. 30%")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	y, err := needYear(*year)
	if err != nil {
		return err
	}
	var share decimal.Decimal
	if *micro != "" {
		if share, err = app.ParseShare(*micro); err != nil {
			return err
		}
	}
	svc, err := e.services()
	if err != nil {
		return err
	}
	var s app.Settlement
	if *micro != "" {
		s, err = svc.Settlements.SettleWithMicroFund(e.ctx, y, share, who(*as), *why)
	} else {
		s, err = svc.Settlements.Settle(e.ctx, y, who(*as), *why)
	}
	if err != nil {
		return err
	}
	printSettlement(e, s, false)
	fmt.Fprintf(e.stdout, app.T("%d 年度已统结统算，账期已锁定至 %d-12\n", "the year %d is settled; the books are locked through %d-12\n"), y, y)
	return nil
}

func settlementShow(e *env, args []string) error {
	fs := newFlags("settlement show")
	year := yearFlag(fs)
	asJSON := jsonFlag(fs)
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	y, err := needYear(*year)
	if err != nil {
		return err
	}
	s, preview, err := loadSettlement(e, y)
	if err != nil {
		return err
	}
	if *asJSON {
		return printJSON(e.stdout, settlementJSON(s, preview))
	}
	printSettlement(e, s, preview)
	return nil
}

// loadSettlement returns the recorded settlement, or a preview if the year is not settled.
func loadSettlement(e *env, y int) (app.Settlement, bool, error) {
	svc, err := e.services()
	if err != nil {
		return app.Settlement{}, false, err
	}
	s, err := svc.Settlements.Settlement(e.ctx, y)
	if app.ErrorCode(err) == app.ENOTFOUND {
		s, err = svc.Settlements.PreviewSettlement(e.ctx, y)
		return s, true, err
	}
	return s, false, err
}

func settlementJSON(s app.Settlement, preview bool) any {
	type line struct {
		Account string `json:"account"`
		Amount  string `json:"amount"`
	}
	type fund struct {
		Fund         string `json:"fund"`
		Opening      string `json:"opening"`
		Income       []line `json:"income"`
		IncomeTotal  string `json:"income_total"`
		Expenses     []line `json:"expenses"`
		ExpenseTotal string `json:"expense_total"`
		Remuneration string `json:"remuneration"`
		Surplus      string `json:"surplus"`
		Closing      string `json:"closing"`
	}
	out := struct {
		Year      int            `json:"year"`
		Settled   bool           `json:"settled"`
		Funds     []fund         `json:"funds"`
		Unpaid    []string       `json:"unpaid"`
		Head      string         `json:"head"`
		MicroFund *microFundJSON `json:"micro_fund"`
	}{Year: s.Year, Settled: !preview, Unpaid: s.Unpaid, Head: s.Head, MicroFund: microFundOf(s)}
	if out.Unpaid == nil {
		out.Unpaid = []string{}
	}
	lines := func(ls []app.SettlementLine) []line {
		r := []line{}
		for _, l := range ls {
			r = append(r, line{l.Account, app.PlainAmount(l.Amount)})
		}
		return r
	}
	for _, f := range s.Funds {
		out.Funds = append(out.Funds, fund{Fund: string(f.Fund), Opening: app.PlainAmount(f.Opening), Income: lines(f.Income), IncomeTotal: app.PlainAmount(f.IncomeTotal),
			Expenses: lines(f.Expenses), ExpenseTotal: app.PlainAmount(f.ExpenseTotal), Remuneration: app.PlainAmount(f.Remuneration),
			Surplus: app.PlainAmount(f.Surplus), Closing: app.PlainAmount(f.Closing)})
	}
	return out
}

func printSettlement(e *env, s app.Settlement, preview bool) {
	w := e.stdout
	if preview {
		fmt.Fprintf(w, app.T("%d 年度统结统算（预览，尚未结算）\n", "settlement %d (preview, not settled yet)\n"), s.Year)
	} else {
		fmt.Fprintf(w, app.T("%d 年度统结统算（%s 由 %s 结算）\n", "settlement %d (settled %s by %s)\n"), s.Year, s.SettledAt.Local().Format("2006-01-02"), s.SettledBy)
	}
	tw := newTable(w)
	for _, f := range s.Funds {
		fmt.Fprintf(tw, "%s\t\n", f.Fund.Label())
		fmt.Fprintf(tw, "  %s\t%s\n", app.T("期初结余", "opening"), app.PlainAmount(f.Opening))
		for _, l := range f.Income {
			fmt.Fprintf(tw, "  %s %s\t%s\n", app.T("收入", "income"), l.Name, app.PlainAmount(l.Amount))
		}
		for _, l := range f.Expenses {
			fmt.Fprintf(tw, "  %s %s\t%s\n", app.T("支出", "expense"), l.Name, app.PlainAmount(l.Amount))
		}
		fmt.Fprintf(tw, "  %s\t%s\n", app.T("本年结余（负数为亏损）", "surplus (negative = deficit)"), app.PlainAmount(f.Surplus))
		fmt.Fprintf(tw, "  %s\t%s\n", app.T("期末结余（结转下年，归全体业主）", "closing, carried forward for the owners"), app.PlainAmount(f.Closing))
	}
	tw.Flush()
	printMicroFund(e, s)
	if len(s.Unpaid) > 0 {
		fmt.Fprintf(w, app.T("已审批未支付的申请：%s\n", "approved but unpaid requests: %s\n"), strings.Join(s.Unpaid, " "))
	}
}

func maintenanceShow(e *env, args []string) error {
	fs := newFlags("maintenance show")
	year := yearFlag(fs)
	asJSON := jsonFlag(fs)
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	y, err := needYear(*year)
	if err != nil {
		return err
	}
	svc, err := e.services()
	if err != nil {
		return err
	}
	s, err := svc.Maintenance.MaintenanceStatement(e.ctx, y)
	if err != nil {
		return err
	}
	if *asJSON {
		type application struct {
			ID       string `json:"id"`
			Payee    string `json:"payee"`
			Amount   string `json:"amount"`
			Vote     string `json:"vote"`
			Matter   int    `json:"matter"`
			Passed   bool   `json:"passed"`
			Progress string `json:"progress"`
			Building string `json:"building,omitempty"`
		}
		type share struct {
			Building string `json:"building"`
			Area     string `json:"area"`
			Repairs  string `json:"repairs"`
			Share    string `json:"share"`
		}
		out := struct {
			Year         int           `json:"year"`
			Opening      string        `json:"opening"`
			Deposits     string        `json:"deposits"`
			Interest     string        `json:"interest"`
			OtherIncome  string        `json:"other_income"`
			Repairs      string        `json:"repairs"`
			Closing      string        `json:"closing"`
			Applications []application `json:"applications"`
			Shares       []share       `json:"shares"`
		}{Year: y, Opening: app.PlainAmount(s.Opening), Deposits: app.PlainAmount(s.Deposits), Interest: app.PlainAmount(s.Interest),
			OtherIncome: app.PlainAmount(s.OtherIncome), Repairs: app.PlainAmount(s.Repairs), Closing: app.PlainAmount(s.Closing), Applications: []application{}, Shares: []share{}}
		for _, a := range s.Applications {
			x := a.Expense
			out.Applications = append(out.Applications, application{x.ID, x.Payee, app.PlainAmount(x.Amount), x.Vote, x.Matter, a.Passed, a.Progress, x.Building})
		}
		for _, sh := range s.Shares {
			out.Shares = append(out.Shares, share{sh.Building, sh.Area.StringFixed(2), app.PlainAmount(sh.Repairs), app.PlainAmount(sh.Share)})
		}
		return printJSON(e.stdout, out)
	}
	w := e.stdout
	fmt.Fprintf(w, app.T("%d 年度维修资金\n期初余额 %s\n缴存 %s\n利息及增值收益 %s\n其他收入 %s\n维修支出 %s\n期末余额 %s\n", "maintenance fund %d\nopening %s\ndeposits %s\ninterest %s\nother income %s\nrepairs %s\nclosing %s\n"),
		y, app.PlainAmount(s.Opening), app.PlainAmount(s.Deposits), app.PlainAmount(s.Interest), app.PlainAmount(s.OtherIncome), app.PlainAmount(s.Repairs), app.PlainAmount(s.Closing))
	for _, a := range s.Applications {
		x := a.Expense
		fmt.Fprintf(w, "%s  %s  %s  %s %s#%d  %s\n", x.ID, x.Payee, app.PlainAmount(x.Amount), app.T("表决", "vote"), x.Vote, x.Matter, app.ProgressLabel(a.Progress))
	}
	return nil
}

// yearReport makes `report KIND --year Y --out FILE.pdf` for a document about one year:
// build gets the open book, the year, and the community name and head hash every
// notice prints.
func yearReport(kind string, build func(e *env, svc app.Services, y int, name, head string) (*reports.Doc, error)) func(*env, []string) error {
	return func(e *env, args []string) error {
		fs := newFlags("report " + kind)
		year := yearFlag(fs)
		out := reportOut(fs)
		if _, err := parseFlags(fs, args); err != nil {
			return err
		}
		y, err := needYear(*year)
		if err != nil {
			return err
		}
		if err := needOut(*out); err != nil {
			return err
		}
		svc, name, head, err := reportHead(e)
		if err != nil {
			return err
		}
		doc, err := build(e, svc, y, name, head)
		if err != nil {
			return err
		}
		if err := saveDoc(e, "report "+kind, doc, *out); err != nil {
			return err
		}
		saved(e, *out)
		return nil
	}
}

// 预算执行情况公示: budget against actual, by month.
var reportBudget = yearReport("budget", func(e *env, svc app.Services, y int, name, head string) (*reports.Doc, error) {
	r, err := svc.Budgets.BudgetVsActual(e.ctx, y)
	if err != nil {
		return nil, err
	}
	return reports.BudgetDoc(name, head, r), nil
})

// 年度统结统算公示: the settled year, or a preview of an open one.
var reportSettlement = yearReport("settlement", func(e *env, svc app.Services, y int, name, head string) (*reports.Doc, error) {
	s, preview, err := loadSettlement(e, y)
	if err != nil {
		return nil, err
	}
	return reports.SettlementDoc(name, head, s, preview), nil
})

// 维修资金收支公示: the maintenance fund's year.
var reportFund = yearReport("fund", func(e *env, svc app.Services, y int, name, head string) (*reports.Doc, error) {
	s, err := svc.Maintenance.MaintenanceStatement(e.ctx, y)
	if err != nil {
		return nil, err
	}
	return reports.FundDoc(name, head, s), nil
})
