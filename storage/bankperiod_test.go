package storage

import (
	"fmt"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"sunledger/app"
)

// bankPeriodBook is datedBook (the public fund's bank and cash moved on dates out of
// order) with a statement of the public bank account from 2026-03-31 on, its lines matched
// to the entries (one of them dated before April), cash received in January and never
// banked, and a maintenance-fund bank account whose statement's opening balance does not
// add up to the book.
func bankPeriodBook(t *testing.T) *DB {
	t.Helper()
	db := datedBook(t)
	pub, cash := app.BankAccount(app.FundPublic), app.CashAccount(app.FundPublic)
	income := app.AccountName(app.TypeIncome, app.FundPublic, "停车费")
	for _, p := range []struct{ date, amt string }{{"2026-01-05", "50.00"}, {"2026-06-20", "8.00"}, {"2026-06-28", "9.00"}} {
		if _, err := db.ledgerService().Post(ctx, app.Entry{Date: p.date, Description: "现金收款", Postings: []app.Posting{
			{Account: cash, Amount: dec(p.amt)}, {Account: income, Amount: dec(p.amt).Neg()}}}, "t", ""); err != nil {
			t.Fatal(err)
		}
	}
	maint := app.BankAccount(app.FundMaintenance)
	if _, err := db.ledgerService().Post(ctx, app.Entry{Date: "2026-02-01", Description: "首期", Postings: []app.Posting{
		{Account: maint, Amount: dec("100.00")}, {Account: app.OpeningAccount(app.FundMaintenance), Amount: dec("-100.00")}}}, "t", ""); err != nil {
		t.Fatal(err)
	}
	bank := db.bankService()
	// Opening 7.50 = the items of January and February (5.25 + 2.25).
	if _, err := bank.ImportStatement(ctx, pub, stmtLines("2026-03-31 6.25 13.75", "2026-04-30 4.25 18.00", "2026-05-03 1.25 19.25", "2026-06-01 3.25 22.50"), "t", ""); err != nil {
		t.Fatal(err)
	}
	items, err := bank.BookItems(ctx, pub)
	if err != nil {
		t.Fatal(err)
	}
	seqOn := map[string]int64{}
	for _, it := range items {
		seqOn[it.Date] = it.Seq
	}
	for n, date := range []string{"2026-03-31", "2026-04-30", "2026-05-03"} { // 06-01's line left unmatched
		if err := bank.ConfirmMatch(ctx, pub, int64(n+1), []int64{seqOn[date]}, "t", ""); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := bank.ImportStatement(ctx, maint, stmtLines("2026-05-10 10.00 999.00"), "t", ""); err != nil {
		t.Fatal(err)
	}
	return db
}

func itemsText(its []app.BookItem) string {
	var b strings.Builder
	for _, it := range its {
		fmt.Fprintf(&b, "#%d %s %s line %d; ", it.Seq, it.Date, it.Amount.StringFixed(2), it.Line)
	}
	return b.String()
}

func reconText(r app.Reconciliation) string {
	f := func(d decimal.Decimal) string { return d.StringFixed(2) }
	s := fmt.Sprintf("book %s bank %s book-not-bank %s/%s bank-not-book %s/%s diff %s; book only: %s bank only:", f(r.BookBalance), f(r.BankBalance),
		f(r.BookNotBank.In), f(r.BookNotBank.Out), f(r.BankNotBook.In), f(r.BankNotBook.Out), f(r.Difference), itemsText(r.BookOnly))
	for _, l := range r.BankOnly {
		s += fmt.Sprintf(" %d %s", l.N, f(l.Amount))
	}
	return s
}

// The movements of a period read through the index by month are the whole journal's,
// with the earlier unmatched ones folded into one opening item and the earlier matched
// ones listed each, for every period, end and head.
func TestBank_BookItemsFromTheIndexAreTheWholeJournals(t *testing.T) {
	db := bankPeriodBook(t)
	bank := db.bankService()
	_, head, _ := db.ledgerService().Head(ctx)
	for _, account := range []string{app.BankAccount(app.FundPublic), app.CashAccount(app.FundPublic), app.BankAccount(app.FundService)} {
		all, err := bank.BookItems(ctx, account)
		if err != nil {
			t.Fatal(err)
		}
		for _, from := range []string{"2026-01-01", "2026-02-01", "2026-04-01", "2026-05-01", "2026-06-01", "2026-07-01"} {
			for _, to := range []string{"2026-03-31", "2026-04-30", "2026-06-15", "2026-12-31"} {
				for _, upTo := range []int64{0, 3, head - 4, head} {
					got, err := bank.BookItemsFrom(ctx, account, from, to, upTo)
					if err != nil {
						t.Fatal(err)
					}
					if g, w := itemsText(got), itemsText(app.FoldBookItems(all, from, to, upTo)); g != w {
						t.Errorf("%s from %s to %s up to #%d:\n got %s\nwant %s", account, from, to, upTo, g, w)
					}
				}
			}
		}
	}
	// A matched entry dated before the period is listed, not folded.
	got, _ := bank.BookItemsFrom(ctx, app.BankAccount(app.FundPublic), "2026-04-01", "2026-12-31", 0)
	listed := false
	for _, it := range got {
		listed = listed || it.Seq != 0 && it.Date == "2026-03-31" && it.Line == 1
	}
	if len(got) < 2 || got[0].Seq != 0 || !got[0].Amount.Equal(dec("7.50")) || !listed {
		t.Errorf("before April: %s", itemsText(got))
	}
}

// The reconciliation and the cash box's figures read from the period are those of the
// whole journal: when the statement's opening does not add up, or cash was held longer
// than the period read, every item is read again.
func TestBank_ReconcileAtAndCashItemsGiveTheWholeJournalsFigures(t *testing.T) {
	db := bankPeriodBook(t)
	bank := db.bankService()
	for _, account := range []string{app.BankAccount(app.FundPublic), app.BankAccount(app.FundMaintenance)} {
		lines, err := bank.StatementLines(ctx, account)
		if err != nil {
			t.Fatal(err)
		}
		all, _ := bank.BookItems(ctx, account)
		for _, asOf := range []string{"2026-03-31", "2026-05-31", "2026-06-15", "2026-06-30"} {
			got, err := app.ReconcileAt(ctx, bank, account, asOf[:7], asOf, 0, lines)
			if err != nil {
				t.Fatal(err)
			}
			want, err := app.ReconcileBank(account, asOf[:7], lines, app.FoldBookItems(all, "", asOf, 0))
			if err != nil {
				t.Fatal(err)
			}
			if g, w := reconText(got), reconText(want); g != w {
				t.Errorf("%s on %s:\n got %s\nwant %s", account, asOf, g, w)
			}
			for _, it := range got.BookOnly {
				if it.Seq == 0 {
					t.Errorf("%s on %s: the folded opening item is listed", account, asOf)
				}
			}
		}
	}
	cash := app.CashAccount(app.FundPublic)
	all, _ := bank.BookItems(ctx, cash)
	for _, days := range []int{0, 3, 10, 200} {
		for _, asOf := range []string{"2026-06-30", "2026-01-20"} {
			got, err := app.CashItems(ctx, bank, app.FundPublic, asOf, days, 0)
			if err != nil {
				t.Fatal(err)
			}
			whole := app.FoldBookItems(all, "", asOf, 0)
			sum := func(its []app.BookItem) decimal.Decimal {
				s := decimal.Zero
				for _, it := range its {
					s = s.Add(it.Amount)
				}
				return s
			}
			gw, gok := app.UndepositedCash(app.FundPublic, got, asOf, days)
			ww, wok := app.UndepositedCash(app.FundPublic, whole, asOf, days)
			if !sum(got).Equal(sum(whole)) || gok != wok || !gw.Amount.Equal(ww.Amount) || gw.Since != ww.Since {
				t.Errorf("cash on %s, %d days: held %s, late %s since %s; the journal says %s, %s since %s",
					asOf, days, sum(got), gw.Amount, gw.Since, sum(whole), ww.Amount, ww.Since)
			}
		}
	}
}

// The match proposals and the stored reconciliation read from the statement's period give
// what every item gives.
func TestBank_MatchItemsAndReconcileReadThePeriodWithTheSameResult(t *testing.T) {
	db := bankPeriodBook(t)
	bank := db.bankService()
	for _, account := range []string{app.BankAccount(app.FundPublic), app.BankAccount(app.FundMaintenance)} {
		lines, _ := bank.StatementLines(ctx, account)
		all, _ := bank.BookItems(ctx, account)
		some, err := app.MatchItems(ctx, bank, account, lines)
		if err != nil {
			t.Fatal(err)
		}
		for _, auto := range []bool{false, true} {
			gp, gt := app.ProposeMatches(lines, some, auto)
			wp, wt := app.ProposeMatches(lines, all, auto)
			if g, w := fmt.Sprint(gt, proposalsText(gp)), fmt.Sprint(wt, proposalsText(wp)); g != w {
				t.Errorf("%s auto=%v:\n got %s\nwant %s", account, auto, g, w)
			}
		}
		for _, month := range []string{"2026-03", "2026-05", "2026-06"} {
			got, err := bank.Reconcile(ctx, account, month)
			if err != nil {
				t.Fatal(err)
			}
			want, _ := app.ReconcileBank(account, month, lines, all)
			if g, w := reconText(got), reconText(want); g != w {
				t.Errorf("%s %s:\n got %s\nwant %s", account, month, g, w)
			}
		}
	}
}

func proposalsText(ps []app.MatchProposal) string {
	var b strings.Builder
	for _, p := range ps {
		fmt.Fprintf(&b, "line %d: %s batch %s; ", p.Line.N, itemsText(p.Candidates), itemsText(p.Batch))
	}
	return b.String()
}
