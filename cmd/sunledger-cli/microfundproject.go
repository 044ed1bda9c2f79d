package main

import (
	"fmt"
	"strings"

	"sunledger/app"
)

// Micro-fund projects: proposal → two committee approvals → 公示 → spending through the
// expense chain → report (docs/microfund.md, "Projects").

func init() {
	register("microfund propose", "--title T --amount A --by owner|committee [--unit U] [--desc D]   "+app.T("业主或业委会提议一个微基金项目（业主须写房号）；输出编号", "an owner or the committee proposes a micro-fund project (an owner gives the unit); prints its id"), microfundPropose)
	register("microfund approve", "--as NAME --id ID [--passphrase-file F]   "+app.T("业委会委员批准项目（须两位不同委员，凭口令）", "a committee member approves a project (two different members, with their passphrase)"), microfundApprove)
	register("microfund reject", "--id ID --reason R   "+app.T("驳回尚未列支的项目", "reject a project with no spending yet"), microfundReject)
	register("microfund publish", "--id ID   "+app.T("公示已批准的项目（公示期满后才能列支）", "post an approved project for its 公示期 (spending only after it)"), microfundPublish)
	register("microfund spend", "--id ID --expense E   "+app.T("把已支付的公共收益支出列入项目，从微基金中转出", "charge a paid public-income expense to the project, moving it out of the micro-fund"), microfundSpend)
	register("microfund report", "--id ID --report TEXT   "+app.T("登记项目完成报告", "record the project's completion report"), microfundReport)
	register("microfund projects", "[--json]   "+app.T("微基金余额和各项目", "the micro-fund's balance and its projects"), microfundProjects)
}

func microfundPropose(e *env, args []string) error {
	fs := newFlags("microfund propose")
	title := fs.String("title", "", "title")
	amount := fs.String("amount", "", "budget")
	by := fs.String("by", "", "owner|committee")
	unit := fs.String("unit", "", "the proposing owner's unit")
	desc := fs.String("desc", "", "description")
	as := asFlag(fs)
	svc, err := e.parseOpen(fs, args, "title", "amount", "by")
	if err != nil {
		return err
	}
	amt, err := app.ParseAmount(*amount)
	if err != nil {
		return err
	}
	p, err := svc.MicroFund.ProposeMicroFundProject(e.ctx, app.MicroFundProject{Title: strings.TrimSpace(*title), Amount: amt,
		ProposedBy: strings.ToLower(strings.TrimSpace(*by)), Unit: *unit, Description: strings.TrimSpace(*desc)}, who(*as))
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, app.T("已登记微基金项目提议“%s”（预算 %s），待两位委员批准\n项目 %s\n", "micro-fund project proposed: %s (budget %s), awaiting two members' approval\nproject %s\n"), p.Title, app.FormatAmount(p.Amount), p.ID)
	return nil
}

func microfundApprove(e *env, args []string) error {
	fs := newFlags("microfund approve")
	sf := addSignerFlags(fs, "project id")
	if err := sf.parse(fs, args); err != nil {
		return err
	}
	pass, err := sf.passphrase()
	if err != nil {
		return err
	}
	svc, err := e.services()
	if err != nil {
		return err
	}
	if err := svc.Members.VerifyPassphrase(e.ctx, *sf.as, pass); err != nil {
		return err
	}
	p, err := svc.MicroFund.ApproveMicroFundProject(e.ctx, *sf.id, *sf.as)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, app.T("%s 已批准项目 %s（%d/2）\n", "%s approved project %s (%d/2)\n"), *sf.as, p.ID, len(p.Approvals))
	return nil
}

func microfundReject(e *env, args []string) error {
	fs := newFlags("microfund reject")
	id := fs.String("id", "", "project id")
	reason := fs.String("reason", "", "why")
	as := asFlag(fs)
	svc, err := e.parseOpen(fs, args, "id", "reason")
	if err != nil {
		return err
	}
	p, err := svc.MicroFund.RejectMicroFundProject(e.ctx, *id, *reason, who(*as))
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, app.T("项目 %s 已驳回\n", "project %s rejected\n"), p.ID)
	return nil
}

func microfundPublish(e *env, args []string) error {
	fs := newFlags("microfund publish")
	id := fs.String("id", "", "project id")
	as := asFlag(fs)
	svc, err := e.parseOpen(fs, args, "id")
	if err != nil {
		return err
	}
	p, err := svc.MicroFund.PublishMicroFundProject(e.ctx, *id, who(*as))
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, app.T("项目 %s 公示期 %s 至 %s，期满后可以列支\n", "project %s is posted from %s to %s; spending may follow after it\n"), p.ID, p.Published, p.NoticeEnds)
	return nil
}

func microfundSpend(e *env, args []string) error {
	fs := newFlags("microfund spend")
	id := fs.String("id", "", "project id")
	expense := fs.String("expense", "", "expense request id")
	as := asFlag(fs)
	svc, err := e.parseOpen(fs, args, "id", "expense")
	if err != nil {
		return err
	}
	p, err := svc.MicroFund.SpendMicroFundProject(e.ctx, *id, *expense, who(*as))
	if err != nil {
		return err
	}
	s := p.Spends[len(p.Spends)-1]
	fmt.Fprintf(e.stdout, app.T("项目 %s 列支 %s %s（凭证 #%d），已支出 %s / 预算 %s\n", "project %s: %s %s charged (entry #%d), spent %s of %s\n"),
		p.ID, s.Expense, app.FormatAmount(s.Amount), s.Entry, app.FormatAmount(p.Spent()), app.FormatAmount(p.Amount))
	return nil
}

func microfundReport(e *env, args []string) error {
	fs := newFlags("microfund report")
	id := fs.String("id", "", "project id")
	report := fs.String("report", "", "the completion report")
	as := asFlag(fs)
	svc, err := e.parseOpen(fs, args, "id", "report")
	if err != nil {
		return err
	}
	p, err := svc.MicroFund.ReportMicroFundProject(e.ctx, *id, *report, who(*as))
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, app.T("项目 %s 已报告完成，共支出 %s\n", "project %s reported done, %s spent\n"), p.ID, app.FormatAmount(p.Spent()))
	return nil
}

func microfundProjects(e *env, args []string) error {
	fs := newFlags("microfund projects")
	asJSON := jsonFlag(fs)
	svc, err := e.parseOpen(fs, args)
	if err != nil {
		return err
	}
	ps, bal, err := svc.MicroFund.MicroFundProjects(e.ctx)
	if err != nil {
		return err
	}
	day := today(svc)
	type row struct {
		app.MicroFundProject
		State string `json:"state"`
		Spent string `json:"spent"`
	}
	rows := []row{}
	for _, p := range ps {
		rows = append(rows, row{p, p.State(day), app.PlainAmount(p.Spent())})
	}
	return e.printResult(*asJSON, map[string]any{"balance": app.PlainAmount(bal), "projects": rows}, func() error {
		fmt.Fprintf(e.stdout, app.T("业主微基金余额 %s\n", "micro-fund balance %s\n"), app.FormatAmount(bal))
		tw := newTable(e.stdout)
		fmt.Fprintln(tw, app.T("编号\t项目\t提议\t预算\t已支出\t状态", "id\tproject\tby\tbudget\tspent\tstate"))
		for _, r := range rows {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", r.ID, r.Title, r.ProposedBy, app.PlainAmount(r.Amount), r.Spent, r.State)
		}
		return tw.Flush()
	})
}
