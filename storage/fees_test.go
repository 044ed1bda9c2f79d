package storage

import (
	"testing"
	"time"

	"sunledger/app"
)

// A bank statement imported as one batch is all or nothing: one bad line (here an unknown
// unit, the last of three) records none of the batch — no receipt, no entry, no audit line,
// no receipt number used up — and the good batch that follows gets the next numbers.
func TestPayMany_OneBadPaymentRecordsNone(t *testing.T) {
	db := feeBook(t)
	before := snapshotState(t, db)
	owed := balanceOf(t, db, app.ReceivableAccount(app.FundService))
	batch := []app.PaymentRequest{
		{Unit: "1-1-101", Amount: dec("120.00"), Date: "2026-04-01", Method: app.MethodBank},
		{Unit: "1-1-102", Amount: dec("106.20"), Date: "2026-04-01", Method: app.MethodBank},
		{Unit: "9-9-999", Amount: dec("10.00"), Date: "2026-04-01", Method: app.MethodBank},
	}
	if _, err := db.feeService().PayMany(ctx, batch, "cashier", "bank statement"); app.ErrorCode(err) != app.ENOTFOUND {
		t.Fatalf("a batch with an unknown unit: err = %v, want ENOTFOUND", err)
	}
	if after := snapshotState(t, db); after != before {
		t.Fatalf("the refused batch wrote something: %s → %s", before, after)
	}
	if got := balanceOf(t, db, app.ReceivableAccount(app.FundService)); !got.Equal(owed) {
		t.Errorf("receivables moved from %s to %s", owed, got)
	}

	ps, err := db.feeService().PayMany(ctx, batch[:2], "cashier", "bank statement")
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 2 || ps[0].Receipt == ps[1].Receipt || ps[0].EntrySeq == 0 {
		t.Fatalf("payments = %+v", ps)
	}
	for _, p := range ps {
		got, err := db.feeService().Payment(ctx, p.Receipt)
		if err != nil {
			t.Fatal(err)
		}
		if got.Unit != p.Unit || !got.Amount.Equal(p.Amount) || got.EntrySeq != p.EntrySeq || got.Who != "cashier" {
			t.Errorf("Payment(%s) = %+v, want %+v", p.Receipt, got, p)
		}
	}
	if got := balanceOf(t, db, app.ReceivableAccount(app.FundService)); !got.Equal(owed.Sub(dec("226.20"))) {
		t.Errorf("receivables after the batch = %s, want %s", got, owed.Sub(dec("226.20")))
	}
	if _, err := db.feeService().Payment(ctx, "R999999"); app.ErrorCode(err) != app.ENOTFOUND {
		t.Errorf("an unknown receipt: err = %v, want ENOTFOUND", err)
	}
}

// What the committee set (prices, the late-fee clause) and what billing did (its runs)
// read back exactly as recorded, also after the book is closed and opened again.
func TestFees_SettingsAndRunsReadBackAfterReopen(t *testing.T) {
	db, dir := newBook(t)
	db.Now = func() time.Time { return time.Date(2026, 6, 15, 10, 0, 0, 0, time.Local) }
	if err := db.registerService().ImportUnits(ctx, []app.Unit{unit("1-1-101", "100.00", "O1")}, "t", ""); err != nil {
		t.Fatal(err)
	}
	if rule, err := db.priceService().LateFeeRule(ctx); err != nil || !rule.DailyRate.IsZero() {
		t.Fatalf("a new book's late-fee rule = %+v, %v; want none", rule, err)
	}
	prices := []app.FeePrice{
		{Kind: app.KindResidential, Price: dec("1.20"), From: "2026-01"},
		{Kind: app.KindResidential, Price: dec("1.35"), From: "2026-04"},
		{Kind: app.KindParking, Price: dec("0.50"), From: "2026-01"},
	}
	for _, p := range prices {
		if err := db.priceService().SetPrice(ctx, p, "t", "contract"); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.priceService().SetLateFeeRule(ctx, app.LateFeeRule{DailyRate: dec("0.0003"), GraceDays: 30}, "t", "contract §7"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.feeService().Bill(ctx, "2026-03", "2026-04", "t", ""); err != nil {
		t.Fatal(err)
	}
	db.Close()
	db = openTest(t, dir)
	defer db.Close()

	got, err := db.priceService().Prices(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(prices) {
		t.Fatalf("prices = %+v", got)
	}
	for _, want := range prices {
		found := false
		for _, p := range got {
			found = found || p.Kind == want.Kind && p.From == want.From && p.Price.Equal(want.Price)
		}
		if !found {
			t.Errorf("price %+v missing from %+v", want, got)
		}
	}
	rule, err := db.priceService().LateFeeRule(ctx)
	if err != nil || !rule.DailyRate.Equal(dec("0.0003")) || rule.GraceDays != 30 {
		t.Errorf("late-fee rule = %+v, %v", rule, err)
	}
	runs, err := db.feeService().BillingRuns(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// March at 1.20 and April at the new 1.35 per m² of the one 100 m² unit.
	if len(runs) != 2 || runs[0].Period != "2026-03" || !runs[0].Total.Equal(dec("120.00")) ||
		runs[1].Period != "2026-04" || !runs[1].Total.Equal(dec("135.00")) || runs[0].EntrySeq == 0 {
		t.Errorf("billing runs = %+v", runs)
	}
}
