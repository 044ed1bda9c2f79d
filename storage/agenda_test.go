package storage

import (
	"context"
	"testing"
	"time"

	"sunledger/app"
)

// TestMeeting_OverdueAndReopenedRequestsGoOnTheAgendaByThemselves: recording a joint
// meeting puts on its agenda every request that was overdue or reopened and not signed
// off on its day — as the request stood then — and escalates it (once); a request stays
// on the agenda of each later meeting until the owner signs it off; one reported after
// the meeting, or signed off before it, is not there.
func TestMeeting_OverdueAndReopenedRequestsGoOnTheAgendaByThemselves(t *testing.T) {
	ctx := context.Background()
	db, _ := newBook(t)
	at := func(s string) time.Time {
		x, err := app.ParseServiceTime(s)
		if err != nil {
			t.Fatal(err)
		}
		return x
	}
	db.Now = func() time.Time { return at("2026-04-10T08:00") }
	if err := db.registerService().ImportUnits(ctx, []app.Unit{unit("1-1-101", "88", "P1"), unit("1-1-102", "90", "P2")}, "t", ""); err != nil {
		t.Fatal(err)
	}
	desk := db.serviceDesk()
	newReq := func(unit, when string) app.ServiceRequest {
		r, err := desk.NewServiceRequest(ctx, app.ServiceRequest{Unit: unit, Kind: app.ServiceRepair, Description: "灯不亮", At: at(when)}, "t")
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	step := func(id string, s app.ServiceStep, when string) {
		if _, err := desk.RecordServiceStep(ctx, id, app.ServiceStepRecord{Step: s, At: at(when), Rating: map[bool]int{true: 4}[s == app.StepVisit]}, "t"); err != nil {
			t.Fatalf("%s %s: %v", id, s, err)
		}
	}
	event := func(id string, e app.ServiceEvent) {
		if _, err := desk.RecordServiceEvent(ctx, id, e, "t"); err != nil {
			t.Fatalf("%s %s: %v", id, e.Kind, err)
		}
	}
	overdue := newReq("1-1-101", "2026-03-02T09:00") // nothing done
	reopened := newReq("1-1-102", "2026-03-05T09:00")
	step(reopened.ID, app.StepAnswered, "2026-03-05T09:01")
	step(reopened.ID, app.StepOnsite, "2026-03-05T09:10")
	step(reopened.ID, app.StepFixed, "2026-03-05T10:00")
	step(reopened.ID, app.StepVisit, "2026-03-05T12:00")
	event(reopened.ID, app.ServiceEvent{Kind: app.EventReopen, At: at("2026-03-06T09:00"), Text: "又不亮了"})
	closed := newReq("1-1-101", "2026-03-03T09:00")
	step(closed.ID, app.StepAnswered, "2026-03-03T09:01")
	step(closed.ID, app.StepOnsite, "2026-03-03T09:10")
	step(closed.ID, app.StepFixed, "2026-03-03T10:00")
	step(closed.ID, app.StepVisit, "2026-03-03T12:00")
	event(closed.ID, app.ServiceEvent{Kind: app.EventSignoff, At: at("2026-03-04T09:00"), Slip: "H-001"})
	later := newReq("1-1-102", "2026-03-20T09:00") // after the first meeting
	step(later.ID, app.StepAnswered, "2026-03-20T09:01")
	step(later.ID, app.StepOnsite, "2026-03-20T09:10")
	step(later.ID, app.StepFixed, "2026-03-20T10:00")
	step(later.ID, app.StepVisit, "2026-03-20T12:00")
	event(later.ID, app.ServiceEvent{Kind: app.EventSignoff, At: at("2026-03-21T09:00"), Slip: "H-002"})

	meet := func(date string) app.Meeting {
		m, err := db.meetingService().NewMeeting(ctx, app.Meeting{Date: date, Place: "社区会议室", Attendees: threeParties()}, "李主任")
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	m1 := meet("2026-03-10")
	if len(m1.Agenda) != 2 || m1.Agenda[0].Request != overdue.ID || m1.Agenda[0].Why != "overdue" || m1.Agenda[1].Request != reopened.ID || m1.Agenda[1].Reopened != 1 {
		t.Fatalf("first meeting's agenda: %+v", m1.Agenda)
	}
	for _, id := range []string{overdue.ID, reopened.ID} {
		r, _ := desk.ServiceRequest(ctx, id)
		if e, ok := r.Event(app.EventEscalate); !ok || !e.At.Equal(at("2026-03-10T23:59").Add(59*time.Second)) {
			t.Errorf("%s not escalated at the meeting: %+v", id, r.Events)
		}
	}
	if a := lastAudit(t, db); a.Action != "meeting.new" {
		t.Errorf("last audit %+v", a)
	}
	// The overdue one is fixed and signed off after the first meeting; the reopened one is not.
	step(overdue.ID, app.StepAnswered, "2026-03-12T09:00")
	step(overdue.ID, app.StepOnsite, "2026-03-12T10:00")
	step(overdue.ID, app.StepFixed, "2026-03-12T11:00")
	event(overdue.ID, app.ServiceEvent{Kind: app.EventSignoff, At: at("2026-03-13T09:00"), Slip: "H-003"})
	m2 := meet("2026-04-09")
	if len(m2.Agenda) != 1 || m2.Agenda[0].Request != reopened.ID || m2.Agenda[0].Why == "" {
		t.Fatalf("second meeting's agenda: %+v", m2.Agenda)
	}
	r, _ := desk.ServiceRequest(ctx, reopened.ID)
	n := 0
	for _, e := range r.Events {
		if e.Kind == app.EventEscalate {
			n++
		}
	}
	if n != 1 {
		t.Errorf("escalated %d times, want once: %+v", n, r.Events)
	}
	if err := db.ledgerService().Verify(ctx); err != nil {
		t.Fatal(err)
	}
}
