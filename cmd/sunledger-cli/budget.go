package main

import (
	"fmt"
	"text/tabwriter"

	"github.com/shopspring/decimal"

	"sunledger/app"
)

// The year's open budget: its draft lines, its approval, budget against actual, and its
// notice. Remuneration, settlement and the maintenance fund have files of their own.

func init() {
	register("budget set", "--year Y --fund F --category CAT --amount A [--note N]   "+app.T("编制年度预算草案的一行（金额 0 删除该行）", "add or change a line of the year's draft budget (amount 0 removes it)"), budgetSet)
	register("budget approve", "--year Y (--vote ID --matter N | --decision TEXT)   "+app.T("按业主大会表决或业委会决议批准预算", "approve the budget by an owners' vote or a committee decision"), budgetApprove)
	register("budget show", "--year Y [--json]   "+app.T("预算执行情况（预算与实际，按月）", "budget vs actual, by month"), budgetShow)
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
	y, err := parseYear(fs, args, year)
	if err != nil {
		return err
	}
	if err := needFlags(fs, "fund", "category", "amount"); err != nil {
		return err
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
	svc, y, err := e.parseYearOpen(fs, args, year)
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
	svc, y, err := e.parseYearOpen(fs, args, year)
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
