package ui

import (
	"context"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"sunledger/app"
)

// TestBank_MatchConfirmPostAndReconcileFromThePage: the page lists a statement's lines
// beside the books, matches the sure ones automatically, confirms a batch settlement
// with one step, books the interest the books lack, and then shows a reconciliation
// without a difference.
func TestBank_MatchConfirmPostAndReconcileFromThePage(t *testing.T) {
	_, s := newBook(t)
	ctx := context.Background()
	acct := app.BankAccount(app.FundPublic)
	for _, c := range []struct{ amount, date string }{{"1000", "2026-03-02"}, {"200", "2026-03-05"}, {"300", "2026-03-05"}} {
		if _, err := s.Income.RecordIncome(ctx, app.Income{Fund: app.FundPublic, Kind: "parking", Amount: decimal.RequireFromString(c.amount), Date: c.date}, "t", ""); err != nil {
			t.Fatal(err)
		}
	}
	st := app.Statement{}
	bal := decimal.Zero
	for i, c := range []struct{ date, amount, desc string }{{"2026-03-03", "1000", "停车费"}, {"2026-03-06", "500", "微信结算"}, {"2026-03-21", "3.5", "结息"}} {
		a := decimal.RequireFromString(c.amount)
		bal = bal.Add(a)
		st.Lines = append(st.Lines, app.StatementLine{Date: c.date, Amount: a, Balance: bal, Description: c.desc, Counterparty: "张三", Row: i + 2})
	}
	if _, err := s.Bank.ImportStatement(ctx, acct, st, "t", ""); err != nil {
		t.Fatal(err)
	}
	w := newWindow(t)
	b := newBankScreen(w, s)
	w.SetContent(b.content)
	b.account.SetSelected(acct)
	if len(b.props) != 3 || !strings.Contains(b.openText(1), "批量结算：2 笔收款") || !strings.Contains(b.openText(2), "账上没有") {
		t.Fatalf("open lines: %q / %q / %q", b.openText(0), b.openText(1), b.openText(2))
	}
	if msg, err := b.autoMatch(); err != nil || !strings.Contains(msg, "自动对上 1 行") {
		t.Fatalf("auto: %q %v", msg, err)
	}
	if _, err := b.confirm(0); err != nil || len(b.matched) != 2 {
		t.Fatalf("batch confirm: %v, matched %d", err, len(b.matched))
	}
	if _, err := b.post(3, app.AccountName(app.TypeIncome, app.FundPublic, "利息")); err != nil || len(b.props) != 0 {
		t.Fatalf("post: %v, still open %d", err, len(b.props))
	}
	b.month.SetText("2026-03")
	b.reconcile()
	if !strings.Contains(b.summary.Text, "账实相符") || !strings.Contains(b.summary.Text, "¥1,503.50") {
		t.Errorf("summary %q", b.summary.Text)
	}
}
