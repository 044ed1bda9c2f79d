package demo

import (
	"context"

	"github.com/shopspring/decimal"

	"sunledger/app"
)

// MicroFundShare is the share of its public-income surplus the demo community moves
// to the owners' micro-fund when it settles its last year (docs/microfund.md): 30 %, as
// the community in the issue does.
var MicroFundShare = decimal.NewFromInt(30)

// demoSettleWithMicroFund settles year y and, in the same transaction, moves the demo's
// share of the public-income surplus to the micro-fund.
func demoSettleWithMicroFund(ctx context.Context, s app.Services, y int) error {
	_, err := s.Settlements.SettleWithMicroFund(ctx, y, MicroFundShare, "demo",
		"demo: 年度统结统算，结余归全体业主，结转下年；业委会决定公共收益结余的 30% 转入业主微基金")
	return err
}

// demoSettle settles last year, if the demo's books reach into it.
func demoSettle(ctx context.Context, s app.Services, d *builder) error {
	if s.Settlements == nil || d.Opts.Years <= 0 {
		return nil
	}
	first, _, _ := demoPeriod(d)
	y := d.now.Year() - 1
	if mustAtoi(first[:4]) > y {
		return nil
	}
	// Settled a month ago when that is this year (the micro-fund's project follows it),
	// else today.
	at := d.now.AddDate(0, 0, -31)
	if at.Year() != d.now.Year() {
		at = d.now
	}
	if err := demoSettleWithMicroFund(demoAt(ctx, at.Format(app.DateLayout), 10), s, y); err != nil {
		return err
	}
	return demoMicroFundProject(ctx, s, d)
}

// demoMicroFundProject is an owner's proposal for the micro-fund, approved by two
// committee members and posted for its 公示期 thirty days ago; once that is over the work
// is paid through the expense chain from public income, charged to the project, and the
// project reported. Early in the year (the settled year is locked) the project is posted
// today and its spending is still ahead.
func demoMicroFundProject(ctx context.Context, s app.Services, d *builder) error {
	if s.MicroFund == nil || len(d.Units) == 0 {
		return nil
	}
	start := d.now.AddDate(0, 0, -30)
	full := start.Year() == d.now.Year()
	if !full {
		start = d.now
	}
	at := func(days, hour int) context.Context {
		return demoAt(ctx, start.AddDate(0, 0, days).Format(app.DateLayout), hour)
	}
	p, err := s.MicroFund.ProposeMicroFundProject(at(0, 9), app.MicroFundProject{Title: "儿童游乐区滑梯和围栏翻新", Amount: decimal.NewFromInt(6800),
		ProposedBy: app.ProposerOwner, Unit: d.Units[0].ID, Description: "滑梯表面开裂、围栏松动，业主提议用微基金翻新"}, "demo")
	if err != nil {
		return err
	}
	for _, m := range []string{"张建国", "陈志明"} {
		if _, err := s.MicroFund.ApproveMicroFundProject(at(0, 15), p.ID, m); err != nil {
			return err
		}
	}
	if p, err = s.MicroFund.PublishMicroFundProject(at(0, 16), p.ID, "demo"); err != nil || !full {
		return err
	}
	_, balance, err := s.MicroFund.MicroFundProjects(ctx)
	if err != nil {
		return err
	}
	amount := decimal.NewFromInt(6500)
	if most := balance.Mul(decimal.RequireFromString("0.8")).Floor(); most.LessThan(amount) {
		amount = most
	}
	if amount.LessThan(decimal.NewFromInt(100)) {
		return nil // too little in the fund: the project waits
	}
	applied := start.AddDate(0, 0, 16).Format(app.DateLayout)
	payee := "乐途游乐设施工程公司"
	e, err := demoChain(ctx, s, d.today(), app.ExpenseRequest{Fund: app.FundPublic, Category: "upkeep", Payee: payee, Amount: amount,
		Description: p.ID + " " + p.Title + "（业主微基金项目）", Files: []app.AttachmentFile{{Name: "发票-" + p.ID + ".txt",
			Data: []byte("增值税普通发票（示例）\n开票方：" + payee + "\n金额：" + app.PlainAmount(amount) + "\n")}}}, applied, [2]string{"张建国", "陈志明"}, demoPaid, "")
	if err != nil || e.State != app.ExpensePaid {
		return err
	}
	if _, err := s.MicroFund.SpendMicroFundProject(at(23, 10), p.ID, e.ID, "demo"); err != nil {
		return err
	}
	_, err = s.MicroFund.ReportMicroFundProject(at(28, 10), p.ID, "滑梯更换为一体成型滑道，围栏全部加固并刷漆，已由提议业主和两位委员现场验收。", "demo")
	return err
}
