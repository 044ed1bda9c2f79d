package storage

import (
	"context"
	"testing"
	"time"

	"sunledger/app"
)

func threeParties() []app.Attendee {
	return []app.Attendee{{Party: app.PartyCommunity, Name: "王网格"}, {Party: app.PartyCommittee, Name: "李主任"}, {Party: app.PartyProperty, Name: "赵经理"}}
}

func TestMeeting_DecisionsAndFollowUpsSurviveReopen(t *testing.T) {
	ctx := context.Background()
	db, dir := newBook(t)
	db.Now = func() time.Time { return time.Date(2026, 4, 10, 9, 0, 0, 0, time.Local) }
	if err := db.registerService().ImportUnits(ctx, []app.Unit{unit("1-1-101", "88", "P1"), unit("1-1-102", "90", "P2")}, "t", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := db.meetingService().NewMeeting(ctx, app.Meeting{Date: "2026-03-10", Place: "会议室", Attendees: threeParties(), Issues: []app.MeetingIssue{{Text: "x", Units: []string{"9-9-999"}}}}, "李主任"); app.ErrorCode(err) != app.ENOTFOUND {
		t.Fatalf("an issue about a unit not in the register: %v", err)
	}
	if _, err := db.meetingService().NewMeeting(ctx, app.Meeting{Date: "2026-04-11", Place: "会议室", Attendees: threeParties()}, "李主任"); app.ErrorCode(err) != app.EINVALID {
		t.Fatalf("a meeting after today: %v", err)
	}
	m, err := db.meetingService().NewMeeting(ctx, app.Meeting{Date: "2026-03-10", Place: "社区会议室", Topic: "车库照明", Attendees: threeParties(),
		Issues:    []app.MeetingIssue{{Party: app.PartyCommittee, Text: "地下车库照明不足", Units: []string{"1-1-101"}}},
		Decisions: []app.Decision{{Text: "更换车库灯具", Party: app.PartyProperty, Due: "2026-03-31", Issue: 1}}}, "李主任")
	if err != nil || m.ID != "MT000001" || m.Decisions[0].ID != "MT000001-1" || m.Issues[0].No != 1 {
		t.Fatalf("new: %+v %v", m, err)
	}
	if lastAudit(t, db).Action != "meeting.new" {
		t.Errorf("no audit record for meeting.new")
	}
	d, err := db.meetingService().AddDecision(ctx, "MT000001", app.Decision{Text: "社区协调电力扩容", Party: app.PartyCommunity, Due: "2026-06-30"}, "李主任")
	if err != nil || d.ID != "MT000001-2" {
		t.Fatalf("decide: %+v %v", d, err)
	}
	if _, err := db.meetingService().AddDecision(ctx, "MT000001", app.Decision{Text: "没有责任方", Due: "2026-06-30"}, "李主任"); app.ErrorCode(err) != app.EINVALID {
		t.Fatalf("a decision without a party: %v", err)
	}
	if _, err := db.meetingService().AddDecision(ctx, "MT000001", app.Decision{Text: "x", Party: app.PartyProperty, Due: "2026-06-30", Units: []string{"9-9-999"}}, "李主任"); app.ErrorCode(err) != app.ENOTFOUND {
		t.Fatalf("a decision about a unit not in the register: %v", err)
	}
	if _, err := db.meetingService().AddDecision(ctx, "MT000009", app.Decision{Text: "x", Party: app.PartyProperty, Due: "2026-06-30"}, "李主任"); app.ErrorCode(err) != app.ENOTFOUND {
		t.Fatalf("an unknown meeting: %v", err)
	}
	if _, err := db.meetingService().FollowUpDecision(ctx, "MT000001-3", app.FollowUp{Date: "2026-04-01", Note: "x"}, "李主任"); app.ErrorCode(err) != app.ENOTFOUND {
		t.Fatalf("an unknown decision: %v", err)
	}
	if _, err := db.meetingService().FollowUpDecision(ctx, "MT000007-1", app.FollowUp{Date: "2026-04-01", Note: "x"}, "李主任"); app.ErrorCode(err) != app.ENOTFOUND {
		t.Fatalf("a decision of an unknown meeting: %v", err)
	}
	if _, err := db.meetingService().FollowUpDecision(ctx, "MT000001-1", app.FollowUp{Date: "2026-04-12", Mark: app.FollowDone}, "李主任"); app.ErrorCode(err) != app.EINVALID {
		t.Fatalf("a follow-up after today: %v", err)
	}
	open, err := db.meetingService().OpenDecisions(ctx)
	if err != nil || len(open) != 2 || open[0].ID != "MT000001-1" || open[0].Status != app.DecisionOverdue || open[1].Status != app.DecisionOpen {
		t.Fatalf("open decisions: %+v %v", open, err)
	}
	if d, err = db.meetingService().FollowUpDecision(ctx, "mt000001-1", app.FollowUp{Date: "2026-04-08", Mark: app.FollowDone, Note: "已更换 24 盏"}, "赵经理"); err != nil || d.Status(db.Now()) != app.DecisionDone {
		t.Fatalf("done: %+v %v", d, err)
	}
	if a := lastAudit(t, db); a.Action != "meeting.follow" || a.Who != "赵经理" {
		t.Errorf("audit: %+v", a)
	}

	if _, err := db.meetingService().SetDutyList(ctx, app.DutyList{Date: "2026-01-05"}, "李主任", "首版"); app.ErrorCode(err) != app.EINVALID {
		t.Fatalf("an empty duty list: %v", err)
	}
	if _, err := db.meetingService().DutyList(ctx, 0); app.ErrorCode(err) != app.ENOTFOUND {
		t.Fatalf("no duty list yet: %v", err)
	}
	v1, err := db.meetingService().SetDutyList(ctx, app.DutyList{Date: "2026-01-05", Items: []app.DutyItem{{Party: app.PartyProperty, Duty: "保洁"}}}, "李主任", "首版")
	if err != nil || v1.Version != 1 {
		t.Fatalf("v1: %+v %v", v1, err)
	}
	if _, err := db.meetingService().SetDutyList(ctx, app.DutyList{Date: "2026-04-01", Items: []app.DutyItem{{Party: app.PartyProperty, Duty: "保洁"}, {Party: app.PartyCommunity, Duty: "指导监督"}}}, "李主任", "联席会议议定增加社区职责"); err != nil {
		t.Fatal(err)
	}
	if err := db.ledgerService().Verify(ctx); err != nil {
		t.Fatalf("verify: %v", err)
	}

	db.Close()
	db = openTest(t, dir)
	defer db.Close()
	db.Now = func() time.Time { return time.Date(2026, 7, 1, 9, 0, 0, 0, time.Local) }
	m, err = db.meetingService().Meeting(ctx, "MT000001")
	if err != nil || len(m.Decisions) != 2 || m.Decisions[0].DoneOn() != "2026-04-08" || m.Decisions[0].Follow[0].Who != "赵经理" {
		t.Fatalf("after reopen: %+v %v", m, err)
	}
	open, err = db.meetingService().OpenDecisions(ctx)
	if err != nil || len(open) != 1 || open[0].ID != "MT000001-2" || open[0].Status != app.DecisionOverdue {
		t.Fatalf("after reopen, open decisions: %+v %v", open, err)
	}
	cur, err := db.meetingService().DutyList(ctx, 0)
	if err != nil || cur.Version != 2 || len(cur.Items) != 2 || cur.Why != "联席会议议定增加社区职责" {
		t.Fatalf("current duty list: %+v %v", cur, err)
	}
	old, err := db.meetingService().DutyList(ctx, 1)
	if err != nil || len(old.Items) != 1 || old.Who != "李主任" {
		t.Fatalf("old versions stay readable: %+v %v", old, err)
	}
	if _, err := db.meetingService().DutyList(ctx, 3); app.ErrorCode(err) != app.ENOTFOUND {
		t.Fatalf("version 3: %v", err)
	}
}

func TestMeeting_ImportIsAllOrNothing(t *testing.T) {
	ctx := context.Background()
	db, _ := newBook(t)
	db.Now = func() time.Time { return time.Date(2026, 4, 10, 9, 0, 0, 0, time.Local) }
	good := app.Meeting{Date: "2026-02-01", Place: "会议室", Attendees: threeParties(),
		Decisions: []app.Decision{{Text: "a", Party: app.PartyProperty, Due: "2026-02-10", Follow: []app.FollowUp{{Date: "2026-02-09", Mark: app.FollowDone}}}}}
	bad := good
	bad.Decisions = []app.Decision{{Text: "b", Party: app.PartyProperty, Due: "2026-02-10", Follow: []app.FollowUp{{Date: "2026-02-09", Mark: app.FollowReopen, Note: "x"}}}}
	if err := db.meetingService().ImportMeetings(ctx, []app.Meeting{good, bad}, "demo", ""); app.ErrorCode(err) != app.ECONFLICT {
		t.Fatalf("a reopen of an open decision: %v", err)
	}
	if ms, _ := db.meetingService().Meetings(ctx); len(ms) != 0 {
		t.Fatalf("half an import: %d meetings", len(ms))
	}
	if err := db.meetingService().ImportMeetings(ctx, []app.Meeting{good, good}, "demo", ""); err != nil {
		t.Fatal(err)
	}
	ms, _ := db.meetingService().Meetings(ctx)
	if len(ms) != 2 || ms[1].ID != "MT000002" || ms[1].Decisions[0].ID != "MT000002-1" || ms[1].Decisions[0].Status(db.Now()) != app.DecisionDone {
		t.Fatalf("imported: %+v", ms)
	}
}
