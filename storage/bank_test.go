package storage

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"sunledger/app"
)

func stmtLines(rows ...string) app.Statement {
	var st app.Statement
	for i, r := range rows {
		f := strings.Fields(r) // date amount balance [serial]
		l := app.StatementLine{Date: f[0], Amount: decimal.RequireFromString(f[1]), Balance: decimal.RequireFromString(f[2]), Row: i + 2}
		if len(f) > 3 {
			l.Serial = f[3]
		}
		st.Lines = append(st.Lines, l)
	}
	return st
}

func TestBank_OverlappingStatementsAddNothingTwice(t *testing.T) {
	ctx := context.Background()
	db, _ := newBook(t)
	bank := db.bankService()
	acct := app.BankAccount(app.FundService)
	if _, err := bank.ImportStatement(ctx, acct, stmtLines("2026-03-01 100 100", "2026-03-02 -30 70"), "t", ""); err != nil {
		t.Fatal(err)
	}
	res, err := bank.ImportStatement(ctx, acct, stmtLines("2026-03-02 -30 70", "2026-03-04 10 80", "2026-03-04 10 90"), "t", "")
	if err != nil || res.Added != 2 || res.Skipped != 1 {
		t.Fatalf("overlap: %+v %v", res, err)
	}
	if lastAudit(t, db).Action != "bank.import" {
		t.Error("import not audited")
	}
	ls, _ := bank.StatementLines(ctx, acct)
	if len(ls) != 4 || ls[3].N != 4 || !ls[3].Balance.Equal(decimal.NewFromInt(90)) {
		t.Errorf("lines %+v", ls)
	}
	// A statement that skips a month is refused.
	if _, err := bank.ImportStatement(ctx, acct, stmtLines("2026-05-01 5 500"), "t", ""); app.ErrorCode(err) != app.EINVALID {
		t.Errorf("gap: %v", err)
	}
	// Another account's lines are its own.
	if _, err := bank.ImportStatement(ctx, app.BankAccount(app.FundPublic), stmtLines("2026-03-01 100 100"), "t", ""); err != nil {
		t.Errorf("other account: %v", err)
	}
}

func TestBank_PostedLineIsFreedByItsReversal(t *testing.T) {
	ctx := context.Background()
	db, _ := newBook(t)
	bank := db.bankService()
	acct := app.BankAccount(app.FundPublic)
	if _, err := bank.ImportStatement(ctx, acct, stmtLines("2026-03-21 3.5 3.5 T3"), "t", ""); err != nil {
		t.Fatal(err)
	}
	e, err := bank.PostLine(ctx, acct, 1, app.AccountName(app.TypeIncome, app.FundPublic, "利息"), "", "t", "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := bank.PostLine(ctx, acct, 1, app.AccountName(app.TypeIncome, app.FundPublic, "利息"), "", "t", ""); app.ErrorCode(err) != app.ECONFLICT {
		t.Errorf("posted twice: %v", err)
	}
	if _, err := db.ledgerService().Reverse(ctx, e.Seq, "2026-03-22", "t", "记错了"); err != nil {
		t.Fatal(err)
	}
	ls, _ := bank.StatementLines(ctx, acct)
	if len(ls[0].Entries) != 0 {
		t.Errorf("the reversed entry still holds the line: %+v", ls[0])
	}
	if err := bank.ConfirmMatch(ctx, acct, 1, []int64{e.Seq + 1}, "t", ""); app.ErrorCode(err) != app.EINVALID {
		t.Errorf("matched to an entry of the wrong sign: %v", err)
	}
	if err := db.ledgerService().Verify(ctx); err != nil {
		t.Error(err)
	}
}

// TestBank_FiftyThousandLinesImportInSeconds: a statement of a few MB.
func TestBank_FiftyThousandLinesImportInSeconds(t *testing.T) {
	ctx := context.Background()
	db, _ := newBook(t)
	var st app.Statement
	bal := decimal.Zero
	day := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i < 50_000; i++ {
		a := decimal.NewFromInt(int64(i%97 + 1))
		bal = bal.Add(a)
		st.Lines = append(st.Lines, app.StatementLine{Date: day.AddDate(0, 0, i/30).Format(app.DateLayout), Amount: a, Balance: bal,
			Description: "微信支付结算款 商户号 1234567890", Counterparty: "财付通支付科技有限公司", Serial: fmt.Sprintf("20200101%010d", i), Row: i + 2})
	}
	start := time.Now()
	res, err := db.bankService().ImportStatement(ctx, app.BankAccount(app.FundService), st, "t", "")
	if err != nil || res.Added != 50_000 {
		t.Fatalf("%+v %v", res, err)
	}
	if took := time.Since(start); took > 20*time.Second {
		t.Errorf("took %v", took)
	}
}
