package demo

import (
	"context"
	"testing"
	"time"

	"sunledger/app"
	"sunledger/storage"
)

// TestBuild_TheServiceSideEndToEnd: the demo holds requests on every path (reopened,
// escalated, overdue, signed off), a standard changed mid-year, each ended quarter
// assessed after it ended and trued up, a micro-fund project from proposal to report,
// deposits confirmed by a second member with their scans (the last awaiting), and
// joint meetings whose agendas took up requests by themselves — and verify passes.
func TestBuild_TheServiceSideEndToEnd(t *testing.T) {
	db, err := storage.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.Now = func() time.Time { return time.Date(2026, 6, 15, 10, 0, 0, 0, time.Local) }
	ctx := context.Background()
	s := db.Services()
	if _, err := Build(ctx, s, Options{Units: 60, Years: 1, Seed: 5}); err != nil {
		t.Fatal(err)
	}
	reqs, _ := s.Service.ServiceRequests(ctx)
	vs, _ := s.Service.ServiceStandards(ctx)
	var reopened, escalated, closed, overdue int
	for _, r := range reqs {
		if r.Reopened() > 0 {
			reopened++
		}
		if r.Escalated() {
			escalated++
		}
		if r.Closed() {
			closed++
		}
		if r.Overdue(vs.For(r), s.Now()) {
			overdue++
		}
	}
	if reopened == 0 || escalated == 0 || closed == 0 || overdue == 0 || len(vs) < 2 {
		t.Errorf("paths: reopened %d escalated %d signed off %d overdue %d, %d standard versions", reopened, escalated, closed, overdue, len(vs))
	}
	as, _ := s.Remuneration.Assessments(ctx)
	tus, _ := s.Remuneration.TrueUps(ctx)
	if len(as) < 2 || len(tus) != len(as) {
		t.Errorf("%d assessments, %d true-ups", len(as), len(tus))
	}
	for _, a := range as {
		end, _ := app.QuarterEnd(a.Quarter)
		if a.At.Before(end) || a.Basis == nil || a.Basis.Inputs == nil {
			t.Errorf("%s assessed %s, before its end %s, or without inputs", a.Quarter, a.At, end)
		}
	}
	ps, _, _ := s.MicroFund.MicroFundProjects(ctx)
	if len(ps) != 1 || ps[0].State(s.Now().Format(app.DateLayout)) != app.ProjectReported || ps[0].Spent().IsZero() {
		t.Errorf("micro-fund project: %+v", ps)
	}
	deps, _ := s.Cash.CashDeposits(ctx)
	waiting := 0
	for _, d := range deps {
		if d.Scan == nil {
			t.Errorf("deposit %s has no scan", d.Slip)
		}
		if d.Confirmed == nil {
			waiting++
		} else if d.Confirmed.Signer == d.Who {
			t.Errorf("deposit %s confirmed by who recorded it", d.Slip)
		}
	}
	if len(deps) == 0 || waiting != 1 {
		t.Errorf("%d deposits, %d awaiting confirmation", len(deps), waiting)
	}
	ms, _ := s.Meetings.Meetings(ctx)
	on := 0
	for _, m := range ms {
		on += len(m.Agenda)
	}
	if on == 0 {
		t.Error("no meeting took up a request")
	}
	if err := s.Ledger.Verify(ctx); err != nil {
		t.Fatal(err)
	}
}
