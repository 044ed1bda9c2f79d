package demo

import (
	"context"
	"testing"
	"time"

	"sunledger/app"
	"sunledger/storage"
)

// build makes the demo into a fresh book whose clock stands still at now, and returns
// its journal's head hash.
func build(t *testing.T, seed int64, now time.Time) string {
	t.Helper()
	db, err := storage.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.Now = func() time.Time { return now }
	ctx := context.Background()
	res, err := Build(ctx, db.Services(), Options{Units: 60, Years: 1, Seed: seed})
	if err != nil {
		t.Fatal(err)
	}
	if res.Units != 60 {
		t.Errorf("built %d units", res.Units)
	}
	if err := db.LedgerService().Verify(ctx); err != nil {
		t.Fatalf("the demo's books do not verify: %v", err)
	}
	head, n, err := db.LedgerService().Head(ctx)
	if err != nil || n == 0 {
		t.Fatalf("head %q (%d entries): %v", head, n, err)
	}
	return head
}

// The same seed on the same day builds the same books, entry for entry; another seed
// builds another community. Nothing depends on the wall clock or the order of init().
func TestBuild_SameSeedAndClockSameBooks(t *testing.T) {
	day := time.Date(2026, 6, 15, 10, 0, 0, 0, time.Local)
	a, b := build(t, 3, day), build(t, 3, day)
	if a != b {
		t.Errorf("seed 3 built two different journals: %s and %s", a, b)
	}
	if c := build(t, 4, day); c == a {
		t.Error("seeds 3 and 4 built the same journal")
	}
	if c := build(t, 3, day.AddDate(0, 1, 0)); c == a {
		t.Error("a month later the demo ends on the same entry: its history is not counted from the book's clock")
	}
}

func TestBuild_RefusesAbsurdSizes(t *testing.T) {
	db, err := storage.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, o := range []Options{{Units: 0}, {Units: 20001}, {Units: 10, Years: -1}, {Units: 10, Years: 31}} {
		if _, err := Build(context.Background(), db.Services(), o); app.ErrorCode(err) != app.EINVALID {
			t.Errorf("%+v: %v, want EINVALID", o, err)
		}
	}
}
