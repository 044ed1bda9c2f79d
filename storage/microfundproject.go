package storage

import (
	"context"
	"fmt"
	"strings"

	"github.com/shopspring/decimal"

	"sunledger/app"
)

var _ app.MicroFundService = MicroFundService{}

func (tx *Tx) microFundProject(id string) (app.MicroFundProject, error) {
	var p app.MicroFundProject
	ok, err := tx.get(microFundProjectKey(strings.ToUpper(strings.TrimSpace(id))), &p)
	if err == nil && !ok {
		return p, app.Errorf(app.ENOTFOUND, "没有编号为 %s 的微基金项目；没有做任何更改", "there is no micro-fund project %s; nothing was changed", id)
	}
	return p, err
}

// changeProject reads project id, lets fn change it, writes it back with an audit record.
func (s MicroFundService) changeProject(id, who, action string, fn func(tx *Tx, p *app.MicroFundProject) (string, error)) (app.MicroFundProject, error) {
	var out app.MicroFundProject
	err := s.db.update(func(tx *Tx) error {
		if err := tx.requireBook(); err != nil {
			return err
		}
		p, err := tx.microFundProject(id)
		if err != nil {
			return err
		}
		what, err := fn(tx, &p)
		if err != nil {
			return err
		}
		if err := tx.put(microFundProjectKey(p.ID), p); err != nil {
			return err
		}
		out = p
		return tx.audit(who, "microfund."+action, p.ID+" "+what, "")
	})
	return out, err
}

// ProposeMicroFundProject records a proposal.
func (s MicroFundService) ProposeMicroFundProject(ctx context.Context, p app.MicroFundProject, who string) (app.MicroFundProject, error) {
	p.Unit = app.NormalizeUnitID(p.Unit)
	if p.ProposedBy == app.ProposerCommittee {
		p.Unit = ""
	}
	if err := p.Validate(); err != nil {
		return p, err
	}
	err := s.db.update(func(tx *Tx) error {
		if err := tx.requireBook(); err != nil {
			return err
		}
		if p.Unit != "" {
			if ok, err := tx.has(unitKey(p.Unit)); err != nil {
				return err
			} else if !ok {
				return app.Errorf(app.ENOTFOUND, "登记册里没有房号 %s；没有做任何更改", "unit %s is not in the register; nothing was changed", p.Unit)
			}
		}
		n, err := tx.next("microfund")
		if err != nil {
			return err
		}
		p.ID, p.Who, p.At = app.MicroFundProjectID(n), who, app.StepTime(ctx, tx.now).UTC()
		p.Approvals, p.Spends, p.Published, p.NoticeEnds, p.Rejected, p.Report, p.ReportedOn = nil, nil, "", "", "", "", ""
		if err := tx.put(microFundProjectKey(p.ID), p); err != nil {
			return err
		}
		return tx.audit(who, "microfund.propose", fmt.Sprintf("%s %s %s by %s %s", p.ID, p.Title, app.PlainAmount(p.Amount), p.ProposedBy, p.Unit), p.Description)
	})
	return p, err
}

// ApproveMicroFundProject adds a committee member's approval.
func (s MicroFundService) ApproveMicroFundProject(ctx context.Context, id, member string) (app.MicroFundProject, error) {
	return s.changeProject(id, member, "approve", func(tx *Tx, p *app.MicroFundProject) (string, error) {
		m, err := tx.member(member)
		if err != nil {
			return "", err
		}
		if !m.Active() || (m.Role != app.RoleChair && m.Role != app.RoleTreasurer && m.Role != app.RoleMember) {
			return "", app.Errorf(app.EINVALID, "%s 不是在任的业委会委员，不能批准微基金项目；没有做任何更改", "%s is not a serving committee member and cannot approve a micro-fund project; nothing was changed", member)
		}
		x, err := p.Approve(member)
		if err != nil {
			return "", err
		}
		*p = x
		return fmt.Sprintf("approval %d by %s", len(p.Approvals), member), nil
	})
}

// RejectMicroFundProject stops a project not yet charged.
func (s MicroFundService) RejectMicroFundProject(ctx context.Context, id, reason, who string) (app.MicroFundProject, error) {
	return s.changeProject(id, who, "reject", func(tx *Tx, p *app.MicroFundProject) (string, error) {
		if strings.TrimSpace(reason) == "" {
			return "", app.Errorf(app.EINVALID, "驳回须写明原因（--reason）；没有做任何更改", "a rejection needs a reason (--reason); nothing was changed")
		}
		if p.Rejected != "" || p.Report != "" || len(p.Spends) > 0 {
			return "", app.Errorf(app.ECONFLICT, "项目 %s 已驳回、已有支出或已报告，不能驳回；没有做任何更改", "project %s is rejected, has spending or is reported: it cannot be rejected; nothing was changed", p.ID)
		}
		p.Rejected = strings.TrimSpace(reason)
		return "rejected: " + p.Rejected, nil
	})
}

// PublishMicroFundProject starts the 公示期 of an approved project today.
func (s MicroFundService) PublishMicroFundProject(ctx context.Context, id, who string) (app.MicroFundProject, error) {
	return s.changeProject(id, who, "publish", func(tx *Tx, p *app.MicroFundProject) (string, error) {
		now := app.StepTime(ctx, tx.now).Local() // the demo posts its project on a past day
		if st := p.State(now.Format(app.DateLayout)); st != app.ProjectApproved {
			return "", app.Errorf(app.EINVALID, "项目 %s 须先由两位委员批准、且尚未公示（现在：%s）；没有做任何更改", "project %s must be approved by two members and not yet posted (it is %s); nothing was changed", p.ID, st)
		}
		var c app.Community
		if _, err := tx.get(keyCommunity, &c); err != nil {
			return "", err
		}
		from := now.Format(app.DateLayout)
		to := now.AddDate(0, 0, c.Notices.Days()-1).Format(app.DateLayout)
		p.Published, p.NoticeEnds = from, to
		return "公示 " + from + " – " + to, nil
	})
}

// SpendMicroFundProject charges a paid public-income expense to an open project.
func (s MicroFundService) SpendMicroFundProject(ctx context.Context, id, expense, who string) (app.MicroFundProject, error) {
	return s.changeProject(id, who, "spend", func(tx *Tx, p *app.MicroFundProject) (string, error) {
		day := app.StepTime(ctx, tx.now).Local().Format(app.DateLayout)
		if st := p.State(day); st != app.ProjectOpen {
			return "", app.Errorf(app.EINVALID, "项目 %s 现在是“%s”：只有批准并公示期满的项目才能列支；没有做任何更改", "project %s is %s: only an approved project whose 公示期 is over takes spending; nothing was changed", p.ID, st)
		}
		eid, err := app.ParseExpenseID(expense)
		if err != nil {
			return "", err
		}
		e, err := tx.expense(eid)
		if err != nil {
			return "", err
		}
		if e.Fund != app.FundPublic || e.State != app.ExpensePaid {
			return "", app.Errorf(app.EINVALID, "支出申请 %s 须是已支付的公共收益支出；没有做任何更改", "expense request %s must be a paid public-income expense; nothing was changed", eid)
		}
		if ok, err := tx.has(microFundExpenseKey(eid)); err != nil {
			return "", err
		} else if ok {
			return "", app.Errorf(app.ECONFLICT, "支出申请 %s 已经列入微基金项目；没有做任何更改", "expense request %s is already charged to a micro-fund project; nothing was changed", eid)
		}
		if left := p.Amount.Sub(p.Spent()); e.Amount.GreaterThan(left) {
			return "", app.Errorf(app.EINVALID, "项目 %s 预算余额 %s，不足以列支 %s 的 %s；没有做任何更改", "project %s has %s of its budget left, less than the %s of %s; nothing was changed", p.ID, app.FormatAmount(left), eid, app.FormatAmount(e.Amount))
		}
		bal, err := tx.accountBalance(app.MicroFundAccount)
		if err != nil {
			return "", err
		}
		if e.Amount.GreaterThan(bal.Neg()) {
			return "", app.Errorf(app.EINVALID, "业主微基金余额 %s，不足以列支 %s；没有做任何更改", "the micro-fund holds %s, less than %s; nothing was changed", app.FormatAmount(bal.Neg()), app.FormatAmount(e.Amount))
		}
		entry, err := tx.postEntry(app.MicroFundSpendEntry(*p, eid, e.Amount, day), who)
		if err != nil {
			return "", err
		}
		if err := tx.put(microFundExpenseKey(eid), p.ID); err != nil {
			return "", err
		}
		p.Spends = append(p.Spends, app.MicroFundSpend{Expense: eid, Amount: e.Amount, Entry: entry.Seq, Date: day})
		return fmt.Sprintf("%s %s #%d", eid, app.PlainAmount(e.Amount), entry.Seq), nil
	})
}

// ReportMicroFundProject records the completion report.
func (s MicroFundService) ReportMicroFundProject(ctx context.Context, id, report, who string) (app.MicroFundProject, error) {
	return s.changeProject(id, who, "report", func(tx *Tx, p *app.MicroFundProject) (string, error) {
		if strings.TrimSpace(report) == "" {
			return "", app.Errorf(app.EINVALID, "完成报告不能为空（--report）；没有做任何更改", "the report is empty (--report); nothing was changed")
		}
		if err := app.CheckText("完成报告", "report", strings.TrimSpace(report), 1000); err != nil {
			return "", err
		}
		if p.Report != "" || len(p.Spends) == 0 {
			return "", app.Errorf(app.EINVALID, "项目 %s 须有支出且尚未报告；没有做任何更改", "project %s needs spending and no report yet; nothing was changed", p.ID)
		}
		p.Report, p.ReportedOn = strings.TrimSpace(report), app.StepTime(ctx, tx.now).Local().Format(app.DateLayout)
		return "reported, spent " + app.PlainAmount(p.Spent()), nil
	})
}

// MicroFundProjects lists the projects and the micro-fund's balance.
func (s MicroFundService) MicroFundProjects(ctx context.Context) ([]app.MicroFundProject, decimal.Decimal, error) {
	var ps []app.MicroFundProject
	var bal decimal.Decimal
	err := s.db.view(func(tx *Tx) error {
		var err error
		if ps, err = all[app.MicroFundProject](tx, prefixMicroFundProject); err != nil {
			return err
		}
		b, err := tx.accountBalance(app.MicroFundAccount)
		bal = b.Neg()
		return err
	})
	return ps, bal, err
}

// reverseMicroFundSpend marks the charge that entry seq made to project id reversed by
// entry by, in the reversal's transaction (LedgerService.Reverse): the project no longer
// counts it as spent and its expense may be charged again.
func (tx *Tx) reverseMicroFundSpend(id string, seq, by int64) error {
	p, err := tx.microFundProject(id)
	if err != nil {
		return err
	}
	for i, x := range p.Spends {
		if x.Entry == seq {
			p.Spends[i].Reversed = by
			if err := tx.delete(microFundExpenseKey(x.Expense)); err != nil {
				return err
			}
			return tx.put(microFundProjectKey(p.ID), p)
		}
	}
	return nil
}
