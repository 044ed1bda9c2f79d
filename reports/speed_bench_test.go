package reports

import (
	"context"
	"fmt"
	"io"
	"os"
	"strconv"
	"testing"

	"github.com/shopspring/decimal"

	"sunledger/app"
	"sunledger/demo"
	"sunledger/storage"
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
		if err := FeeNoticesDoc(c, "abc", "2026-10", "2026-10-01", c.Notices.DueDate("2026-10"), ns).Write(io.Discard); err != nil {
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

// demoBook3000 opens the 3,000-unit demo community with a year of history: the book in
// SUNLEDGER_BENCH_BOOK if set (made with `sunledger-cli demo --units 3000 --years 1`,
// reused across runs), else one built here in a temp folder (about a minute).
func demoBook3000(b *testing.B) app.Services {
	b.Helper()
	dir := os.Getenv("SUNLEDGER_BENCH_BOOK")
	build := dir == ""
	if build {
		dir = b.TempDir()
	}
	db, err := storage.Open(dir)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	ctx := context.Background()
	if build {
		if _, err := demo.Build(ctx, db.Services(), demo.Options{Units: 3000, Years: 1, Seed: 1}); err != nil {
			b.Fatal(err)
		}
	}
	return db.Services()
}

// lastBilled is the newest billed month of the book.
func lastBilled(b *testing.B, s app.Services) string {
	runs, err := s.Fees.BillingRuns(context.Background())
	if err != nil || len(runs) == 0 {
		b.Fatalf("no billed month: %v", err)
	}
	return runs[len(runs)-1].Period
}

// BenchmarkYearDisclosure3000Demo gathers from the book and lays out the four quarterly
// disclosures of the 3,000-unit demo's last year. Goal: under 5 s in all.
func BenchmarkYearDisclosure3000Demo(b *testing.B) {
	s := demoBook3000(b)
	ctx := context.Background()
	last := lastBilled(b, s)
	y, _ := strconv.Atoi(last[:4])
	m, _ := strconv.Atoi(last[5:7])
	q := (m + 2) / 3
	var quarters [][2]int
	for range 4 {
		quarters = append([][2]int{{y, q}}, quarters...)
		if q--; q == 0 {
			q, y = 4, y-1
		}
	}
	for b.Loop() {
		for _, yq := range quarters {
			qq, err := GatherQuarter(ctx, s, yq[0], yq[1], app.LastDay(last), 0)
			if err != nil {
				b.Fatal(err)
			}
			if err := QuarterlyDoc(qq).Write(io.Discard); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkFeeNotices3000Demo gathers and lays out a month's fee notices of the
// 3,000-unit demo from the book (arrears and prepayments included). Goal: under 5 s.
func BenchmarkFeeNotices3000Demo(b *testing.B) {
	s := demoBook3000(b)
	ctx := context.Background()
	month := lastBilled(b, s)
	c, err := s.Book.Community(ctx)
	if err != nil {
		b.Fatal(err)
	}
	head, _, err := s.Ledger.Head(ctx)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		ns, err := GatherFeeNotices(ctx, s, month)
		if err != nil {
			b.Fatal(err)
		}
		if len(ns) < 3000 {
			b.Fatalf("%d notices", len(ns))
		}
		if err := FeeNoticesDoc(c, head, month, app.LastDay(month), c.Notices.DueDate(month), ns).Write(io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkGatherQuarter gathers the newest complete quarter's disclosure from the
// book (SUNLEDGER_BENCH_BOOK, e.g. the 3,000-unit 10-year demo): "by-month" reads the
// quarter's entries through the journal's index and the balances before it (what
// `report quarterly` does), "whole-journal" the fund flows from every entry (what it
// did before), for comparison on the same book.
//
//	SUNLEDGER_BENCH_BOOK=/tmp/big go test ./reports -run '^$' -bench GatherQuarter -benchtime 5x
func BenchmarkGatherQuarter(b *testing.B) {
	s := demoBook3000(b)
	ctx := context.Background()
	month := lastBilled(b, s)
	year, _ := strconv.Atoi(month[:4])
	m, _ := strconv.Atoi(month[5:7])
	quarter := (m-1)/3 + 1
	from, to, _ := app.ParseCollectionPeriod(fmt.Sprintf("%dQ%d", year, quarter))
	b.Run("by-month", func(b *testing.B) {
		for b.Loop() {
			if _, err := GatherQuarter(ctx, s, year, quarter, app.LastDay(to), 0); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("whole-journal", func(b *testing.B) {
		for b.Loop() {
			if _, err := FundFlows(func(fn func(app.Entry) error) error { return s.Ledger.EachEntry(ctx, fn) }, from+"-01", app.LastDay(to)); err != nil {
				b.Fatal(err)
			}
		}
	})
}
