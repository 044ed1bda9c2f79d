package demo

import (
	"context"
	"time"

	"sunledger/app"

	"github.com/shopspring/decimal"
)

// The maintenance-fund repair the demo assembly voted for: applied for after the vote,
// within its cap, with a payment plan (30 % advance, 65 % after acceptance, 5 % retention
// held two years), its advance paid once the result was announced and its 公示期 had
// passed, then accepted (验收) and its acceptance stage paid; the retention is still held.
// The sub-ledger shares each stage among the units of the matter's scope by area
// (docs/maintenance.md).

// demoRepair applies for the lift replacement that the demo assembly's matter 1 allows
// (its scope: buildings 1 and 2; its cap), and pays it in stages once the vote has passed
// and the announcement's 公示期 is over.
func demoRepair(ctx context.Context, s app.Services, d *builder) error {
	if s.Votes == nil || s.Expenses == nil || d.Opts.Years <= 0 {
		return nil
	}
	as, err := s.Votes.Assemblies(ctx)
	if err != nil {
		return err
	}
	var vote app.Assembly
	for _, a := range as {
		if a.Title == VoteTitle {
			vote = a
		}
	}
	if vote.ID == "" || len(vote.Matters) == 0 {
		return nil
	}
	m := vote.Matters[0]
	amount := m.Cap
	if amount.LessThan(decimal.NewFromInt(1000)) {
		return nil
	}
	passed, err := s.Votes.MatterPassed(ctx, vote.ID, m.No)
	if err != nil || !passed {
		return err
	}
	where := app.ScopeLabel(m.Scope)
	today := d.today()
	applied := demoDay(vote.Date, 3, today)
	req := app.ExpenseRequest{Fund: app.FundMaintenance, Category: "repair", Payee: "迅达电梯（中国）有限公司", Amount: amount,
		Description: "更换" + where + "电梯（业主大会表决 " + vote.ID + " 第 1 项通过，使用专项维修资金，由" + where + "业主按面积分摊）", Vote: vote.ID, Matter: m.No,
		Stages: []app.PaymentStage{{Name: app.StageAdvance, Percent: decimal.NewFromInt(30)}, {Name: app.StageAcceptance, Percent: decimal.NewFromInt(65)},
			{Name: app.StageRetention, Percent: decimal.NewFromInt(5), Due: retentionDue(applied)}},
		Files: []app.AttachmentFile{
			{Name: "电梯更换合同.txt", Data: []byte("电梯更换工程合同（示例）\n甲方：" + d.Opts.Name + "业主大会（" + where + "业主）\n乙方：迅达电梯（中国）有限公司\n工程：更换" + where + "电梯\n合同金额：" + app.PlainAmount(amount) + "\n")},
			{Name: "三家比价记录.txt", Data: []byte("比价记录（示例）：迅达、奥的斯、日立三家报价，迅达最低。\n")},
		}}
	e, err := demoChain(ctx, s, today, req, applied, [2]string{Members[1].Name, Members[3].Name}, demoAwaitingReview, "")
	if err != nil || e.ID == "" {
		return err
	}
	if e, err = s.Expenses.ReviewExpense(demoAt(ctx, demoDay(applied, 3, today), 11), e.ID, Members[5].Name, Passphrase); err != nil {
		return err
	}
	// Paid on the first day after the announcement's 公示期, if that day has come.
	c, err := s.Book.Community(ctx)
	if err != nil {
		return err
	}
	var announced string
	if s.Prints != nil {
		ps, err := s.Prints.Prints(ctx, app.TallyDoc(vote.ID))
		if err != nil {
			return err
		}
		if len(ps) > 0 {
			announced = ps[0].At.Local().Format(app.DateLayout)
		}
	}
	if announced == "" {
		return nil
	}
	pay := demoDay(announced, c.Notices.Days(), "9999-12-31")
	if pay < applied {
		pay = applied
	}
	if pay > today {
		return nil // approved, waiting for the 公示期 to end
	}
	if _, err = s.Expenses.PayExpenseStage(demoAt(ctx, pay, 14), e.ID, app.StageAdvance, Members[2].Name, Passphrase, pay); err != nil {
		return err
	}
	// Accepted by the chair a month later (or today), the acceptance stage paid three days on.
	accept := demoDay(pay, 30, today)
	if _, err = s.Expenses.AcceptExpense(demoAt(ctx, accept, 10), e.ID, Members[1].Name, Passphrase, accept); err != nil {
		return err
	}
	second := demoDay(accept, 3, today)
	_, err = s.Expenses.PayExpenseStage(demoAt(ctx, second, 14), e.ID, app.StageAcceptance, Members[2].Name, Passphrase, second)
	return err
}

// retentionDue is when the lift's retention (质保金) is released: two years after the
// application (the warranty period), so the demo still holds it.
func retentionDue(applied string) string {
	t, err := time.Parse(app.DateLayout, applied)
	if err != nil {
		return applied
	}
	return t.AddDate(2, 0, 0).Format(app.DateLayout)
}
