package ui

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"github.com/shopspring/decimal"

	"sunledger/app"
)

// A prepayment of more than 24 months' fees is not recorded at once: the cashier is
// asked, with the months it covers.
func TestFees_LargePrepaymentAsksForConfirmation(t *testing.T) {
	s := demoBook(t)
	ctx := context.Background()
	rows, err := s.Fees.Arrears(ctx)
	if err != nil || len(rows) == 0 {
		t.Fatalf("demo has no arrears: %v", err)
	}
	debtor := rows[0]
	before, _ := s.Fees.Statement(ctx, debtor.Unit)
	w := newWindow(t)
	p := newPaymentForm(w, s)
	w.SetContent(p.content)
	test.Type(p.unit, debtor.Unit)
	p.amount.SetText(app.PlainAmount(debtor.Owed.Add(decimal.NewFromInt(50000)))) // far more than 24 months of any unit
	test.Tap(p.pay)
	if p.last != nil {
		t.Fatalf("a large prepayment was recorded without asking: %+v", p.last)
	}
	shoot(t, w, "fees-large-prepayment")
	msg := topDialogText(w)
	if !strings.Contains(msg, "预交") || !strings.Contains(msg, "个月") || !strings.Contains(msg, "24") {
		t.Errorf("dialog = %q", msg)
	}
	after, _ := s.Fees.Statement(ctx, debtor.Unit)
	if len(after.Payments) != len(before.Payments) {
		t.Error("the refused payment was recorded")
	}
}
