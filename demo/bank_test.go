package demo

import (
	"context"
	"testing"
	"time"

	"sunledger/app"
	"sunledger/storage"
)

// The demo's bank statement reconciles: every month it covers shows a difference of
// 0.00, its interest and fees are booked, and at the last quarter's end the cash
// deposited that day is in transit (in the books, on the statement the next day).
func TestDemoBank_EveryStatementMonthReconcilesWithTheQuarterEndDepositInTransit(t *testing.T) {
	for _, now := range []time.Time{
		time.Date(2026, 6, 15, 10, 0, 0, 0, time.Local),
		time.Date(2027, 2, 10, 10, 0, 0, 0, time.Local), // the quarter lies in the year the demo settles
	} {
		t.Run(now.Format(app.DateLayout), func(t *testing.T) {
			db, err := storage.Open(t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			db.Now = func() time.Time { return now }
			ctx := context.Background()
			s := db.Services()
			if _, err := Build(ctx, s, Options{Units: 60, Years: 1, Seed: 7}); err != nil {
				t.Fatal(err)
			}
			bank := app.BankAccount(app.FundService)
			lines, err := s.Bank.StatementLines(ctx, bank)
			if err != nil || len(lines) == 0 {
				t.Fatalf("no statement lines (%v)", err)
			}
			d := &builder{now: now}
			qEnd, from, _ := demoBankWindow(d)
			if lines[0].Date < from {
				t.Errorf("the statement starts %s, before %s", lines[0].Date, from)
			}
			for _, l := range lines {
				if len(l.Entries) == 0 {
					t.Errorf("line %d (%s %s %s) is not matched", l.N, l.Date, l.Description, l.Amount)
				}
			}
			var interest, fees int
			for _, l := range lines {
				switch l.Description {
				case "结息":
					interest++
				case "账户管理费":
					fees++
				}
			}
			if interest < 4 || fees < 4 {
				t.Errorf("%d interest and %d fee lines over at least 4 months", interest, fees)
			}
			for m := lines[0].Date[:7]; m <= now.Format("2006-01"); m = app.AddMonths(m, 1) {
				r, err := s.Bank.Reconcile(ctx, bank, m)
				if err != nil {
					t.Fatal(err)
				}
				if !r.Difference.IsZero() {
					t.Errorf("%s: difference %s (book %s, bank %s)", m, r.Difference, r.BookBalance, r.BankBalance)
				}
			}
			r, err := s.Bank.Reconcile(ctx, bank, qEnd[:7])
			if err != nil {
				t.Fatal(err)
			}
			deps, err := s.Cash.CashDeposits(ctx)
			if err != nil {
				t.Fatal(err)
			}
			var dep app.CashDeposit
			for _, x := range deps {
				if x.Date == qEnd {
					dep = x
				}
			}
			if dep.Entry == 0 {
				t.Fatalf("no cash deposit on %s", qEnd)
			}
			inTransit := false
			for _, it := range r.BookOnly {
				if it.Seq == dep.Entry && it.Amount.Equal(dep.Amount) {
					inTransit = true
				}
			}
			if !inTransit || r.BookNotBank.In.LessThan(dep.Amount) {
				t.Errorf("%s: the deposit %s of %s is not in transit (book_not_bank in %s)", qEnd, dep.Slip, dep.Amount, r.BookNotBank.In)
			}
			if len(deps) < 4 {
				t.Errorf("%d cash deposits over about 5 months: not banked weekly", len(deps))
			}
		})
	}
}
