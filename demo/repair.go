package demo

import (
	"context"
	"sunledger/app"
	"time"

	"github.com/shopspring/decimal"
)

// The maintenance-fund repair the demo assembly voted for: applied for after the vote
// and paid once it passed.

// demoRepair applies for the lift replacement that the demo assembly's matter 1 allows,
// and pays it once the vote has passed.
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
	if vote.ID == "" {
		return nil
	}
	bals, err := s.Ledger.Balances(ctx)
	if err != nil {
		return err
	}
	var held decimal.Decimal
	for _, b := range bals {
		if b.Account == app.BankAccount(app.FundMaintenance) {
			held = b.Balance
		}
	}
	amount := decimal.NewFromInt(386000)
	if cap := held.Mul(decimal.RequireFromString("0.4")).Round(-2); cap.LessThan(amount) {
		amount = cap
	}
	if amount.LessThan(decimal.NewFromInt(1000)) {
		return nil
	}
	// The repair is applied for three days after the vote and paid after that: a
	// maintenance-fund payment never predates the vote it relies on.
	applied := d.today()
	if t, err := time.Parse("2006-01-02", vote.Date); err == nil {
		if x := t.AddDate(0, 0, 3).Format("2006-01-02"); x < applied {
			applied = x
		}
	}
	req := app.ExpenseRequest{Fund: app.FundMaintenance, Category: "repair", Payee: "迅达电梯（中国）有限公司", Amount: amount, Building: "1",
		Description: "更换1号楼两部电梯（业主大会表决通过，使用专项维修资金）", Vote: vote.ID, Matter: 1,
		Files: []app.AttachmentFile{
			{Name: "电梯更换合同.txt", Data: []byte("电梯更换工程合同（示例）\n甲方：" + d.Opts.Name + "业主大会\n乙方：迅达电梯（中国）有限公司\n合同金额：" + app.PlainAmount(amount) + "\n")},
			{Name: "三家比价记录.txt", Data: []byte("比价记录（示例）：迅达、奥的斯、日立三家报价，迅达最低。\n")},
		}}
	passed, err := s.Votes.MatterPassed(ctx, vote.ID, 1)
	if err != nil {
		return err
	}
	outcome := demoPaid
	if !passed {
		outcome = demoAwaitingReview
	}
	_, err = demoChain(ctx, s, d.today(), req, applied, [2]string{Members[1].Name, Members[3].Name}, outcome, "")
	return err
}
