package storage

import (
	"context"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"sunledger/app"
)

func TestCash_DepositMovesCashToBankOncePerSlip(t *testing.T) {
	ctx := context.Background()
	db, _ := newBook(t)
	if _, err := db.incomeService().RecordIncome(ctx, app.Income{Fund: app.FundPublic, Kind: "parking", Amount: decimal.RequireFromString("5000"), Date: "2026-03-01", Method: app.MethodCash}, "t", ""); err != nil {
		t.Fatal(err)
	}
	dep := app.CashDeposit{Fund: app.FundPublic, Amount: decimal.RequireFromString("3000.50"), Slip: "JK-0001", Date: "2026-03-02"}
	d, err := db.cashService().DepositCash(ctx, dep, "t", "")
	if err != nil || d.Entry == 0 {
		t.Fatalf("deposit: %+v %v", d, err)
	}
	if c, b := balanceOf(t, db, app.CashAccount(app.FundPublic)), balanceOf(t, db, app.BankAccount(app.FundPublic)); c.String() != "1999.5" || b.String() != "3000.5" {
		t.Errorf("cash %s bank %s", c, b)
	}
	if lastAudit(t, db).Action != "cash.deposit" {
		t.Errorf("no audit record")
	}
	if _, err := db.cashService().DepositCash(ctx, dep, "t", ""); app.ErrorCode(err) != app.ECONFLICT {
		t.Errorf("slip used twice: %v", err)
	}
	tooMuch := app.CashDeposit{Fund: app.FundPublic, Amount: decimal.RequireFromString("2000"), Slip: "JK-0002", Date: "2026-03-02"}
	if _, err := db.cashService().DepositCash(ctx, tooMuch, "t", ""); app.ErrorCode(err) != app.EINVALID {
		t.Errorf("more than the cash on hand: %v", err)
	}
	other := app.CashDeposit{Fund: app.FundService, Amount: decimal.RequireFromString("1"), Slip: "JK-0003", Date: "2026-03-02"}
	if _, err := db.cashService().DepositCash(ctx, other, "t", ""); app.ErrorCode(err) != app.EINVALID {
		t.Errorf("a fund without cash: %v", err)
	}
	if _, err := db.ledgerService().Reverse(ctx, d.Entry, "2026-03-03", "t", "wrong amount"); err != nil {
		t.Fatal(err)
	}
	all, _ := db.cashService().CashDeposits(ctx)
	if len(all) != 1 || all[0].Reversed == 0 {
		t.Errorf("deposits after the reversal: %+v", all)
	}
	if err := db.ledgerService().Verify(ctx); err != nil {
		t.Error(err)
	}

	if err := db.cashService().SetCashLimit(ctx, app.FundPublic, decimal.RequireFromString("1000"), "t", ""); err != nil {
		t.Fatal(err)
	}
	limits, _ := db.cashService().CashLimits(ctx)
	bals, _ := db.ledgerService().Balances(ctx)
	if w := app.CashWarnings(bals, limits); len(w) != 1 || w[0].Fund != app.FundPublic || w[0].Cash.String() != "5000" {
		t.Errorf("warnings %+v", w)
	}
	if err := db.cashService().SetCashLimit(ctx, app.FundPublic, decimal.Zero, "t", ""); err != nil {
		t.Fatal(err)
	}
	if limits, _ = db.cashService().CashLimits(ctx); len(limits) != 0 {
		t.Errorf("limit not removed: %v", limits)
	}
}

// A deposit and its journal entry are checked against each other by verify, both ways,
// and no manual entry can pose as a deposit.
func TestVerify_DepositsAndTheirEntriesMustAgree(t *testing.T) {
	book := func(t *testing.T) (*DB, app.CashDeposit) {
		db, _ := newBook(t)
		if _, err := db.incomeService().RecordIncome(ctx, app.Income{Fund: app.FundPublic, Kind: "parking", Amount: dec("5000"), Date: "2026-03-01", Method: app.MethodCash}, "t", ""); err != nil {
			t.Fatal(err)
		}
		d, err := db.cashService().DepositCash(ctx, app.CashDeposit{Fund: app.FundPublic, Amount: dec("3000.50"), Slip: "JK-0001", Date: "2026-03-02"}, "t", "")
		if err != nil {
			t.Fatal(err)
		}
		if err := db.ledgerService().Verify(ctx); err != nil {
			t.Fatalf("a sound book: %v", err)
		}
		return db, d
	}
	t.Run("a manual entry cannot use a deposit's Ref", func(t *testing.T) {
		db, _ := book(t)
		e := app.Entry{Date: "2026-03-03", Description: "x", Ref: app.DocDeposit.Ref("JK-0002"), Postings: []app.Posting{
			{Account: app.BankAccount(app.FundPublic), Amount: dec("1")}, {Account: app.CashAccount(app.FundPublic), Amount: dec("-1")}}}
		if _, err := db.ledgerService().Post(ctx, e, "t", ""); app.ErrorCode(err) != app.EINVALID {
			t.Errorf("manual entry with a deposit's Ref: %v", err)
		}
	})
	for _, f := range []struct {
		name  string
		forge func(tx *Tx, d app.CashDeposit) error
		want  string
	}{
		{"the deposit's amount", func(tx *Tx, d app.CashDeposit) error {
			d.Amount = dec("3500.50")
			return tx.put(cashDepositKey(d.Slip), d)
		}, "缴款单 JK-0001"},
		{"the deposit says it was reversed", func(tx *Tx, d app.CashDeposit) error {
			d.Reversed = 1
			return tx.put(cashDepositKey(d.Slip), d)
		}, "缴款单 JK-0001"},
		{"the deposit record gone", func(tx *Tx, d app.CashDeposit) error { return tx.delete(cashDepositKey(d.Slip)) }, "deposit:JK-0001"},
	} {
		t.Run(f.name, func(t *testing.T) {
			db, d := book(t)
			if err := db.update(func(tx *Tx) error { return f.forge(tx, d) }); err != nil {
				t.Fatal(err)
			}
			err := db.ledgerService().Verify(ctx)
			if err == nil || !strings.Contains(zhOf(err), f.want) {
				t.Errorf("verify says %v; want a mismatch naming %q", err, f.want)
			}
		})
	}
}
