package reports

import (
	"fmt"
	"io"
	"testing"

	"github.com/shopspring/decimal"

	"sunledger/app"
)

// BenchmarkFeeNotices3000 is the month's fee notices of a 3,000-unit community (1,000
// pages). Goal: under 5 s on a 2-core laptop.
func BenchmarkFeeNotices3000(b *testing.B) {
	var ns []FeeNotice
	for i := range 3000 {
		area := decimal.New(int64(6000+i%9000), -2)
		price := decimal.RequireFromString("1.35")
		ns = append(ns, FeeNotice{Bill: app.Bill{Unit: fmt.Sprintf("%d-%d-%d", i/300+1, i/100%3+1, 101+i%100), Period: "2026-10", Kind: app.KindResidential,
			Area: area, Price: price, Amount: app.Round2(area.Mul(price)), Payer: "业主"}, Earlier: decimal.Zero, Credit: decimal.Zero, Due: app.Round2(area.Mul(price))})
	}
	c := app.Community{Name: "阳光花园小区", Notices: app.NoticeSettings{OfficePhone: "0519-88886666"}}
	for b.Loop() {
		if err := FeeNoticesDoc(c, "abc", "2026-10", "2026-10-01", ns).Write(io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkQuarterlyDisclosureBigCommunity lays out a quarter with 400 paid expenses
// (more than a 3,000-unit community pays in a quarter). Goal: under 5 s.
func BenchmarkQuarterlyDisclosureBigCommunity(b *testing.B) {
	q := Quarter{Community: "阳光花园小区", Head: "abc", Date: "2026-10-10", Year: 2026, Quarter: 3, From: "2026-07", To: "2026-09", Complete: true}
	for _, f := range app.Funds {
		q.Flows = append(q.Flows, FundFlow{Fund: f, Income: []app.AccountBalance{{Account: app.FeeIncomeAccount, Balance: decimal.New(1234567, -2)}}})
	}
	for i := range 400 {
		q.Paid = append(q.Paid, app.Expense{ID: fmt.Sprintf("E%06d", i), Fund: app.FundService, Category: "cleaning", Payee: "洁美保洁服务有限公司",
			Amount: decimal.New(123456, -2), PaidDate: "2026-08-01", Entry: int64(i), State: app.ExpensePaid})
	}
	for b.Loop() {
		if err := QuarterlyDoc(q).Write(io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}
