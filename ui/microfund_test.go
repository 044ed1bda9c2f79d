package ui

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"github.com/shopspring/decimal"

	"sunledger/app"
)

// TestBudget_MicroFundSharePreviewsAndMoves types a share in the settlement tab: the
// amount is previewed, a share above 100 % is refused, and once the year is settled the
// share is moved by one entry that the settlement text then names.
func TestBudget_MicroFundSharePreviewsAndMoves(t *testing.T) {
	_, s := newBook(t)
	ctx := context.Background()
	last := s.Now().Year() - 1
	y := strconv.Itoa(last)
	if _, err := s.Income.RecordIncome(ctx, app.Income{Fund: app.FundPublic, Kind: "parking", Amount: decimal.RequireFromString("10000.03"), Date: y + "-05-01"}, "tester", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Budgets.SetBudgetLine(ctx, app.BudgetLine{Year: last, Fund: app.FundPublic, Category: "cleaning", Amount: decimal.NewFromInt(100)}, "tester", ""); err != nil {
		t.Fatal(err)
	}
	w := newWindow(t)
	b := newBudgetScreen(w, s)
	w.SetContent(b.content)
	b.year.SetSelected(y)
	if b.settled || b.settleB.Disabled() {
		t.Fatalf("%s should be open to settle", y)
	}
	test.Type(b.micro.share, "30%")
	if !strings.Contains(b.micro.preview.Text, "¥3,000.01") || !b.micro.moveB.Disabled() {
		t.Errorf("preview %q, move enabled before settling", b.micro.preview.Text)
	}
	b.micro.share.SetText("101%")
	if !strings.Contains(b.micro.preview.Text, "0–100%") {
		t.Errorf("share 101%%: preview %q", b.micro.preview.Text)
	}
	if _, err := s.Settlements.Settle(ctx, last, "tester", ""); err != nil {
		t.Fatal(err)
	}
	b.loadSettlement()
	b.micro.share.SetText("30")
	if b.micro.moveB.Disabled() {
		t.Fatal("move disabled on a settled year")
	}
	if err := b.micro.move(last, decimal.NewFromInt(30)); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.settle.Text, "业主微基金") || !strings.Contains(b.settle.Text, "¥3,000.01") || !b.micro.share.Disabled() {
		t.Errorf("after the move: %q", b.settle.Text)
	}
	if err := b.micro.move(last, decimal.NewFromInt(20)); app.ErrorCode(err) != app.ECONFLICT {
		t.Errorf("a second move: %v", err)
	}
}
