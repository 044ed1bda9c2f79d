package reports

import (
	"context"
	"fmt"
	"strconv"

	"github.com/shopspring/decimal"

	"sunledger/app"
)

// The owners' micro-fund notice (业主微基金收支及项目公示, docs/microfund.md): what was
// moved into the fund each year, every project from proposal to report, each charge
// (a reversed one shown as reversed and not counted), and the balance, which the
// journal's micro-fund account must equal.

// MicroFundNotice is what the notice prints.
type MicroFundNotice struct {
	Moves    []MicroFundNoticeMove
	Projects []app.MicroFundProject
	Balance  decimal.Decimal // the micro-fund account's balance (a credit, positive)
	Day      string
}

// MicroFundNoticeMove is one year's move into the fund.
type MicroFundNoticeMove struct {
	Year int
	app.MicroFundMove
}

func makeMicroFund(ctx context.Context, b book, a Args) (*Doc, error) {
	n := MicroFundNotice{Day: b.date}
	if b.s.Settlements != nil {
		ss, err := b.s.Settlements.Settlements(ctx)
		if err != nil {
			return nil, err
		}
		for _, s := range ss {
			for _, m := range s.MicroFundMoves {
				n.Moves = append(n.Moves, MicroFundNoticeMove{Year: s.Year, MicroFundMove: m})
			}
		}
	}
	if b.s.MicroFund != nil {
		ps, bal, err := b.s.MicroFund.MicroFundProjects(ctx)
		if err != nil {
			return nil, err
		}
		n.Projects, n.Balance = ps, bal
	}
	return MicroFundDoc(b.c.Name, b.head, b.date, n), nil
}

// MicroFundDoc lays the notice out. date is the day it is printed, the first day of the
// 公示期.
func MicroFundDoc(community, head, date string, n MicroFundNotice) *Doc {
	d := NewDoc(DocMeta{Community: community, Public: true, Title: app.T("业主微基金收支及项目公示", "The owners' micro-fund: money and projects"),
		Subtitle: app.T("截至 ", "As of ") + date, HeadHash: head, DocID: "microfund-" + date, Date: date})
	d.Para(app.T("业主微基金由业委会按年度公共收益（或其结余）的一定比例转入，仍属公共收益、归全体业主，用于业主或业委会提议、经两位委员批准并公示期满的小型项目。项目支出经支出审批流程支付后列入项目，并从微基金转出。",
		"The owners' micro-fund is a share of the year's public income (or its surplus) set aside by the committee; it remains public income and belongs to all owners. It pays for small projects proposed by an owner or the committee, approved by two members and posted for the notice period; a project's spending is paid through the expense chain and then charged to the project, leaving the fund."))

	cols := []Col{{Title: app.T("项目", "Item")}, {Title: app.T("金额", "Amount"), Width: 40, Align: "R"}}
	d.Heading(app.T("一、转入", "1. Money in"))
	var rows [][]string
	in := decimal.Zero
	for _, m := range n.Moves {
		base := app.T("结余", "surplus") + " " + app.FormatAmount(m.Surplus)
		if m.Base == app.MicroFundBaseIncome {
			base = app.T("收入", "income") + " " + app.FormatAmount(m.Income)
		}
		what := fmt.Sprintf(app.T("%d 年公共收益%s × %s%%", "%d public %s × %s%%"), m.Year, base, m.Share.String())
		amount := app.FormatAmount(m.Amount)
		switch {
		case m.Entry == 0:
			what += app.T("（无结余，未转入）", " (nothing to move)")
		case m.Reversed != 0:
			what += fmt.Sprintf(app.T("（凭证 #%d，已被凭证 #%d 冲销）", " (entry #%d, reversed by #%d)"), m.Entry, m.Reversed)
			amount = app.FormatAmount(decimal.Zero)
		default:
			what += fmt.Sprintf(app.T("（凭证 #%d）", " (entry #%d)"), m.Entry)
			in = in.Add(m.Amount)
		}
		rows = append(rows, []string{what, amount})
	}
	if len(rows) == 0 {
		d.Para(app.T("尚无转入。", "Nothing has been moved in yet."))
	} else {
		d.Table(cols, rows, TableOpts{Zebra: true, Totals: []string{app.T("转入合计", "Moved in"), app.FormatAmount(in)}})
	}

	d.Heading(app.T("二、项目", "2. Projects"))
	rows = nil
	for _, p := range n.Projects {
		by := app.T("业委会", "the committee")
		if p.ProposedBy == app.ProposerOwner {
			by = app.T("业主（", "an owner (") + p.Unit + app.T("）", ")")
		}
		rows = append(rows, []string{p.ID, p.Title, by, projectState(p, n.Day), app.FormatAmount(p.Amount), app.FormatAmount(p.Spent())})
	}
	if len(rows) == 0 {
		d.Para(app.T("尚无项目。", "No project yet."))
	} else {
		d.Table([]Col{{Title: app.T("编号", "No."), Width: 18}, {Title: app.T("项目", "Project")}, {Title: app.T("提议人", "Proposed by"), Width: 32}, {Title: app.T("进展", "Stage"), Width: 40},
			{Title: app.T("预算", "Budget"), Width: 28, Align: "R"}, {Title: app.T("已支出", "Spent"), Width: 28, Align: "R"}}, rows, TableOpts{Zebra: true})
	}

	d.Heading(app.T("三、支出", "3. Spending"))
	rows = nil
	out := decimal.Zero
	for _, p := range n.Projects {
		for _, x := range p.Spends {
			what := p.ID + " " + x.Expense + fmt.Sprintf(app.T("（凭证 #%d）", " (entry #%d)"), x.Entry)
			amount := app.FormatAmount(x.Amount)
			if x.Reversed != 0 {
				what += fmt.Sprintf(app.T("，已被凭证 #%d 冲销，不计入", ", reversed by #%d, not counted"), x.Reversed)
				amount = app.FormatAmount(decimal.Zero)
			} else {
				out = out.Add(x.Amount)
			}
			rows = append(rows, []string{x.Date, what, amount})
		}
	}
	if len(rows) == 0 {
		d.Para(app.T("尚无支出。", "Nothing spent yet."))
	} else {
		d.Table([]Col{{Title: app.T("日期", "Date"), Width: 24}, {Title: app.T("项目与支出申请", "Project and expense")}, {Title: app.T("金额", "Amount"), Width: 40, Align: "R"}},
			rows, TableOpts{Zebra: true, Totals: []string{"", app.T("支出合计", "Spent"), app.FormatAmount(out)}})
	}

	d.Heading(app.T("四、余额", "4. Balance"))
	d.KV([]KV{
		{Key: app.T("转入合计", "Moved in"), Value: app.FormatAmount(in)},
		{Key: app.T("支出合计", "Spent"), Value: app.FormatAmount(out)},
		{Key: app.T("微基金余额（账面）", "Balance (the journal)"), Value: app.FormatAmount(n.Balance)},
	})
	if !in.Sub(out).Equal(n.Balance) {
		d.Note(fmt.Sprintf(app.T("注意：转入减支出为 %s，与账面余额不一致，差额来自手工凭证，请查阅日记账。", "Note: money in less spending is %s, not the balance in the journal; the difference comes from manual entries (see the journal)."), app.FormatAmount(in.Sub(out))))
	}
	d.Note(app.T("提议业主只列房号，不列姓名。页脚的账本链头可用快照核对。", "An owner who proposed a project is named by unit only. The journal head in the footer can be checked against a snapshot."))
	d.Signatures(app.T("业主委员会（盖章）", "Owners' committee (seal)"), app.T("社区复核", "Community review"))
	return d
}

// projectState names where a project stands on day, with its dates.
func projectState(p app.MicroFundProject, day string) string {
	switch p.State(day) {
	case app.ProjectProposed:
		return app.T("待批准（", "proposed (") + strconv.Itoa(len(p.Approvals)) + app.T("/2 位委员）", "/2 approvals)")
	case app.ProjectApproved:
		return app.T("已批准，待公示", "approved, not posted yet")
	case app.ProjectPublished:
		return app.T("公示中，至 ", "posted until ") + p.NoticeEnds
	case app.ProjectOpen:
		return app.T("实施中", "under way")
	case app.ProjectReported:
		return app.T("已完成（", "reported (") + p.ReportedOn + app.T("）", ")")
	case app.ProjectRejected:
		return app.T("未通过：", "rejected: ") + p.Rejected
	}
	return ""
}
