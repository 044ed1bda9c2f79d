package reports

import (
	"testing"

	"github.com/shopspring/decimal"

	"sunledger/app"
)

// TestFundRole_CommitteeReceivableCountsAlikeEverywhere: an account the committee adds
// to the chart ("…其他应收款") is owed to the fund, not its money, in the annual
// settlement, on the dashboard (app.FundPositions) and in the quarterly disclosure alike.
func TestFundRole_CommitteeReceivableCountsAlikeEverywhere(t *testing.T) {
	d := decimal.RequireFromString
	f := app.FundService
	other := "资产:物业服务资金:其他应收款"
	second := "资产:物业服务资金:工商银行一般户"
	es := []app.Entry{
		{Date: "2025-12-31", Postings: []app.Posting{{Account: app.BankAccount(f), Amount: d("1000")}, {Account: app.OpeningAccount(f), Amount: d("-1000")}}},
		// the committee lends 300 to the property company against a receipt
		{Date: "2026-02-03", Postings: []app.Posting{{Account: other, Amount: d("300")}, {Account: app.BankAccount(f), Amount: d("-300")}}},
		// and moves 200 to a second bank account: still money
		{Date: "2026-02-04", Postings: []app.Posting{{Account: second, Amount: d("200")}, {Account: app.BankAccount(f), Amount: d("-200")}}},
	}

	s, err := app.ComputeSettlement(2026, es)
	if err != nil {
		t.Fatal(err)
	}
	set := s.Fund(f)

	bal := map[string]decimal.Decimal{}
	for _, e := range es {
		for _, p := range e.Postings {
			bal[p.Account] = bal[p.Account].Add(p.Amount)
		}
	}
	var bals []app.AccountBalance
	for a, b := range bal {
		bals = append(bals, app.AccountBalance{Account: a, Balance: b})
	}
	dash := app.FundPositions(bals)[0]

	flows, err := FundFlows(func(fn func(app.Entry) error) error {
		for _, e := range es {
			if err := fn(e); err != nil {
				return err
			}
		}
		return nil
	}, "2026-01-01", "2026-03-31")
	if err != nil {
		t.Fatal(err)
	}
	q := flows[0]

	for _, c := range []struct {
		where             string
		money, receivable decimal.Decimal
	}{
		{"settlement", set.Money, set.Receivable},
		{"dashboard", dash.Available(), dash.Receivable},
		{"quarterly", q.Closing(), q.Receivables},
	} {
		if !c.money.Equal(d("700")) || !c.receivable.Equal(d("300")) {
			t.Errorf("%s: money %s, receivable %s; want 700 and 300", c.where, c.money, c.receivable)
		}
	}
	if !set.Other.IsZero() || !dash.Other.IsZero() {
		t.Errorf("other: settlement %s, dashboard %s; want 0", set.Other, dash.Other)
	}
	// lending the money out is money out of the fund in the quarter; the move between
	// its bank accounts is not
	if !q.MoneyOut.Equal(d("300")) {
		t.Errorf("quarterly money out %s, want 300", q.MoneyOut)
	}
}
