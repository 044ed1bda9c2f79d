package ui

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"sunledger/app"
)

// TestBookClock_DefaultDatesAreTheBooksDay: a form's default date is the services' clock
// (app.Services.Now, the clock the CLI and the demo use), not the computer's: a book
// whose clock is set to a past day shows that day.
func TestBookClock_DefaultDatesAreTheBooksDay(t *testing.T) {
	app.DefaultKDF.MemoryKiB = 1024 // fast keys in tests
	w := newWindow(t)
	_, s := newBook(t, unit("1-1-101", app.KindResidential, "80", "O1", "王伟"))
	day := time.Date(2024, 2, 20, 9, 30, 0, 0, time.Local)
	s.Now = func() time.Time { return day }
	dialogText := func(open func()) func() []string {
		return func() []string {
			open()
			defer w.Canvas().Overlays().Top().Hide()
			return strings.Split(topDialogText(w), "\n")
		}
	}
	for _, c := range []struct {
		name string
		got  func() []string
		want string
	}{
		{"payment form's date", func() []string { return []string{newPaymentForm(w, s).date.Text} }, "2024-02-20"},
		{"other income form's date", func() []string { return texts(incomeForm(w, s)) }, "2024-02-20"},
		{"expense payment's date", dialogText(func() { newExpensesScreen(w, s).askStep(app.StepPay) }), "2024-02-20"},
		{"journal entry's date", func() []string { return []string{newEntryForm(nil, s.Now()).date.Text} }, "2024-02-20"},
		{"lock through last month", dialogText(func() { newJournalScreen(w, s).askLock() }), "2024-01"},
		{"assembly's date", dialogText(func() { newVotesScreen(w, s).askNew() }), "2024-02-20"},
		{"meeting's date", func() []string { return []string{newMeetingsScreen(w, s).date.Text} }, "2024-02-20"},
		{"decision's due date", func() []string { return []string{newMeetingsScreen(w, s).decDue.Text} }, "2024-03-05"},
		{"service request's time", func() []string { return []string{newServiceScreen(w, s).at.Text} }, "2024-02-20T09:30"},
		{"billing month", func() []string { return []string{newBillingPane(w, s).from.PlaceHolder} }, "2024-02"},
	} {
		if got := c.got(); !slices.Contains(got, c.want) {
			t.Errorf("%s: %q has no %q (the book's clock)", c.name, got, c.want)
		}
	}
}

// TestBookClock_DashboardThisMonth: the dashboard calls the last month billed "this
// month" by the book's clock, and "the last month billed" once the clock is past it.
func TestBookClock_DashboardThisMonth(t *testing.T) {
	w := newWindow(t)
	_, s := newBook(t, unit("1-1-101", app.KindResidential, "80", "O1", "王伟"))
	ctx := context.Background()
	if err := s.Prices.SetPrice(ctx, app.FeePrice{Kind: app.KindResidential, Price: decimal.RequireFromString("1.5"), From: "2024-01"}, "tester", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Fees.Bill(ctx, "2024-02", "2024-02", "tester", ""); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		day  time.Time
		want string
	}{
		{time.Date(2024, 2, 20, 9, 0, 0, 0, time.Local), "本月收缴率"},
		{time.Date(2024, 5, 3, 9, 0, 0, 0, time.Local), "最近一期（2024-02）收缴率"},
	} {
		s.Now = func() time.Time { return c.day }
		if got := newDashboard(w, s).rateCaption.Text; got != c.want {
			t.Errorf("on %s the rate card says %q, want %q", c.day.Format(app.DateLayout), got, c.want)
		}
	}
}
