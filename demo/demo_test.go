package demo

import (
	"context"
	"math/rand/v2"
	"strings"
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
	if err := db.Services().Ledger.Verify(ctx); err != nil {
		t.Fatalf("the demo's books do not verify: %v", err)
	}
	head, n, err := db.Services().Ledger.Head(ctx)
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
	for _, o := range []Options{{Units: 0}, {Units: 20001}, {Units: 10, Years: -1}, {Units: 10, Years: 31}, {Units: 20000, Years: 30}, {Units: 10001, Years: 20}} {
		if _, err := Build(context.Background(), db.Services(), o); app.ErrorCode(err) != app.EINVALID {
			t.Errorf("%+v: %v, want EINVALID", o, err)
		}
	}
}

// The headcount rule is about multi-unit owners, co-owners and the developer's units:
// every register from four units up shows each of them, whatever the seed.
func TestRegister_ShowsEveryHeadcountCaseFromFourUnits(t *testing.T) {
	for n := 1; n <= 120; n++ {
		for seed := uint64(0); seed < 30; seed++ {
			units := Register(rand.New(rand.NewPCG(seed, 0x5eed)), n)
			if len(units) != n {
				t.Fatalf("n=%d seed=%d: %d units", n, seed, len(units))
			}
			owned := map[string]int{}
			names := map[string]string{}
			dev, co := 0, 0
			for _, u := range units {
				if err := u.Validate(); err != nil {
					t.Fatalf("n=%d seed=%d: %v", n, seed, err)
				}
				if u.DeveloperHeld {
					dev++
					continue
				}
				owned[u.OwnerID]++
				if prev, ok := names[u.OwnerID]; ok && prev != u.OwnerName {
					t.Errorf("n=%d seed=%d: owner %s named %q and %q", n, seed, u.OwnerID, prev, u.OwnerName)
				}
				names[u.OwnerID] = u.OwnerName
				if strings.Contains(u.OwnerName, "、") {
					co++
				}
			}
			multi := 0
			for _, c := range owned {
				if c > 1 {
					multi++
				}
			}
			if n >= 2 && dev == 0 || n >= 3 && multi == 0 || n >= 4 && co == 0 {
				t.Errorf("n=%d seed=%d: developer units %d, multi-unit owners %d, co-owned units %d", n, seed, dev, multi, co)
			}
		}
	}
}

// A small community still gets the whole demo: ballots keyed twice with a difference,
// matter 1 passed and exactly one maintenance-fund repair paid after the vote.
func TestBuild_SmallCommunityHasTheVoteAndTheRepair(t *testing.T) {
	day := time.Date(2026, 6, 15, 10, 0, 0, 0, time.Local)
	sizes := []int{1, 2, 7} // 2 and 7: the first draw misses the quorum with seed 3
	if testing.Short() {
		sizes = []int{2}
	}
	for _, n := range sizes {
		for _, seed := range []int64{3} {
			db, err := storage.Open(t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			db.Now = func() time.Time { return day }
			ctx := context.Background()
			s := db.Services()
			if _, err := Build(ctx, s, Options{Units: n, Years: 1, Seed: seed}); err != nil {
				db.Close()
				t.Fatalf("units=%d seed=%d: %v", n, seed, err)
			}
			as, err := s.Votes.Assemblies(ctx)
			if err != nil || len(as) != 1 {
				t.Fatalf("units=%d seed=%d: %d assemblies, %v", n, seed, len(as), err)
			}
			rec, err := s.Votes.VoteRecord(ctx, as[0].ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(rec.EntryA) == 0 || len(rec.EntryB) == 0 {
				t.Errorf("units=%d seed=%d: entries A %d and B %d", n, seed, len(rec.EntryA), len(rec.EntryB))
			}
			if _, diffs, _ := app.Reconcile(as[0].Matters, rec.EntryA, rec.EntryB, nil); len(diffs) == 0 {
				t.Errorf("units=%d seed=%d: entries A and B do not differ anywhere", n, seed)
			}
			if ok, err := s.Votes.MatterPassed(ctx, as[0].ID, 1); err != nil || !ok {
				t.Errorf("units=%d seed=%d: matter 1 passed=%v (%v)", n, seed, ok, err)
			}
			es, err := s.Expenses.Expenses(ctx)
			if err != nil {
				t.Fatal(err)
			}
			paid := 0
			for _, e := range es {
				// Separation of duties (docs/roster.md): the demo's payer is its treasurer,
				// who neither applied for nor approved what they pay.
				if pay, ok := e.Signed(app.StepPay); ok {
					if _, approved := e.SignedBy(app.StepApprove, pay.Signer); pay.Role != app.RoleTreasurer || approved || pay.Signer == e.Applicant {
						t.Errorf("units=%d seed=%d: %s paid by %s (%s) after approvals by %v", n, seed, e.ID, pay.Signer, pay.Role, e.Approvers())
					}
				}
				// The lift repair is paid in stages: advance and acceptance paid after the
				// signed 验收, the retention still held (docs/maintenance.md).
				if e.Fund == app.FundMaintenance && e.PaidSoFar().IsPositive() {
					paid++
					acc, accepted := e.Acceptance()
					if e.Vote != as[0].ID || len(e.Stages) != 3 || e.Stages[0].PaidDate < as[0].Date || !accepted || acc.Note < e.Stages[0].PaidDate ||
						e.Stages[1].PaidDate < acc.Note || e.Stages[2].PaidDate != "" || e.State == app.ExpensePaid {
						t.Errorf("units=%d seed=%d: repair %s on vote %q (of %s): stages %+v, acceptance %+v", n, seed, e.ID, e.Vote, as[0].Date, e.Stages, acc)
					}
				}
			}
			if paid != 1 {
				t.Errorf("units=%d seed=%d: %d maintenance-fund repairs paid, want 1", n, seed, paid)
			}
			if err := db.Services().Ledger.Verify(ctx); err != nil {
				t.Errorf("units=%d seed=%d: %v", n, seed, err)
			}
			db.Close()
		}
	}
}

// The demo's households pay about 90% of what they are billed (收缴率, received on the
// period's bills ÷ billed), even over a single year, and every unit has one bill a month.
func TestBuild_CollectsAboutNinetyPercentWithOneBillPerUnitAMonth(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 200-unit demo")
	}
	day := time.Date(2026, 6, 15, 10, 0, 0, 0, time.Local)
	db, err := storage.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.Now = func() time.Time { return day }
	ctx := context.Background()
	s := db.Services()
	if _, err := Build(ctx, s, Options{Units: 200, Years: 1, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	first, last := "2025-06", "2026-05"
	for m := first; m <= last; m = app.AddMonths(m, 1) {
		bills, err := s.Fees.Bills(ctx, m)
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		for _, b := range bills {
			seen[b.Unit] = true
		}
		if len(bills) != 200 || len(seen) != 200 {
			t.Errorf("%s: %d bills for %d units, want 200", m, len(bills), len(seen))
		}
	}
	if bills, _ := s.Fees.Bills(ctx, app.AddMonths(first, -1)); len(bills) != 0 {
		t.Errorf("a year of history billed the month before it")
	}
	c, err := s.Fees.Collection(ctx, first, last)
	if err != nil {
		t.Fatal(err)
	}
	rate := c.Received.Div(c.Billed).InexactFloat64()
	t.Logf("billed %s, received %s: %.4f", c.Billed, c.Received, rate)
	if rate < 0.85 || rate > 0.95 {
		t.Errorf("collection %.4f, want about 90%%", rate)
	}
}
