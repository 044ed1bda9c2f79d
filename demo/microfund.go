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
	if err := demoSettleWithMicroFund(ctx, s, y); err != nil {
		return err
	}
	return demoMicroFundProject(ctx, s, d)
}

// demoMicroFundProject is an owner's proposal for the micro-fund, approved by two
// committee members and posted for its 公示期 today (its spending comes after it).
func demoMicroFundProject(ctx context.Context, s app.Services, d *builder) error {
	if s.MicroFund == nil || len(d.Units) == 0 {
		return nil
	}
	p, err := s.MicroFund.ProposeMicroFundProject(ctx, app.MicroFundProject{Title: "儿童游乐区滑梯和围栏翻新", Amount: decimal.NewFromInt(6800),
		ProposedBy: app.ProposerOwner, Unit: d.Units[0].ID, Description: "滑梯表面开裂、围栏松动，业主提议用微基金翻新"}, "demo")
	if err != nil {
		return err
	}
	for _, m := range []string{"张建国", "陈志明"} {
		if _, err := s.MicroFund.ApproveMicroFundProject(ctx, p.ID, m); err != nil {
			return err
		}
	}
	_, err = s.MicroFund.PublishMicroFundProject(ctx, p.ID, "demo")
	return err
}
