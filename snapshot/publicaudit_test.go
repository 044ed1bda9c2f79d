package snapshot

import (
	"archive/zip"
	"io"
	"strings"
	"testing"

	"sunledger/app"
)

// TestPublicAudit_NoVoteChoiceOrOwnerLeavesTheLaptop: the records that carry a unit's
// vote choices, an owner's id, a survey's answers, a proxy's or a reporter's name are
// published without those details; every other record as it is.
func TestPublicAudit_NoVoteChoiceOrOwnerLeavesTheLaptop(t *testing.T) {
	for _, c := range []struct {
		action, what, why string
		wantWhat, wantWhy string
	}{
		{"vote.resolve", `V0001 ballot 55: unit P-0004, choices [agree abstain], invalid "", proxy "王五"`, "核对原票，以录入A为准", "V0001 ballot 55", ""},
		{"vote.unenter", `V0001 entry A: ballot 7 (unit 1-1-101, choices [oppose], invalid "", proxy "") taken back`, "", "V0001 entry A", ""},
		{"vote.rule", "V0001 matter 2: owner:O00012 counted as agree", "书面意见", "V0001 matter 2", ""},
		{"survey.resolve", `Q0001 sheet 11: unit 1-1-403, answers [满意 一般], invalid ""`, "核对原卷", "Q0001 sheet 11", ""},
		{"service.new", "S000001 1-1-101 repair 2026-03-02 09:15", "张三家厨房漏水", "S000001 1-1-101 repair 2026-03-02 09:15", ""},
		{"service.note", "S000001 note 2026-03-02 10:00", "张三说周末在家", "S000001 note 2026-03-02 10:00", ""},
		{"service.reopen", "S000001 reopen 2026-03-05 10:00", "张三：还在漏", "S000001 reopen 2026-03-05 10:00", ""},
		{"service.step", "S000001 fixed 2026-03-02 11:00", "换了张三家的阀门", "S000001 fixed 2026-03-02 11:00", ""},
		{"service.standard", "from 2026-07-01: wuhan", "业主大会决定", "from 2026-07-01: wuhan", "业主大会决定"},
		{"vote.deliver", "V0001: 60 delivery records (上门送达, 2026-10-06)", "业主张三签收", "V0001: 60 delivery records (上门送达, 2026-10-06)", ""},
		{"expense.apply", "E000001 service cleaning 保洁公司 300.50", "三月保洁", "E000001 service cleaning 保洁公司 300.50", "三月保洁"},
		{"vote.enter", "V0001 entry A: 60 ballots", "", "V0001 entry A: 60 ballots", ""},
		{"income.add", "#12 2026-03-01 车位租金 3月 300.00" + app.PayerNote + "张三", "月租", "#12 2026-03-01 车位租金 3月 300.00", "月租"},
	} {
		got := PublicAudit(app.AuditRecord{Seq: 1, Who: "计票人", Action: c.action, What: c.what, Why: c.why})
		if got.What != c.wantWhat || got.Why != c.wantWhy || got.Who != "计票人" || got.Action != c.action {
			t.Errorf("%s: got %q / %q, want %q / %q", c.action, got.What, got.Why, c.wantWhat, c.wantWhy)
		}
	}
}

// TestSnapshot_AuditLogHasNoBallotChoices: the demo resolves ballots and survey sheets
// by hand; the snapshot's audit.csv keeps those records without the choices.
func TestSnapshot_AuditLogHasNoBallotChoices(t *testing.T) {
	snapshotFixture(t)
	zr, err := zip.OpenReader(snapFixture.zip)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	var audit string
	for _, f := range zr.File {
		if f.Name == "audit.csv" {
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(rc)
			rc.Close()
			audit = string(b)
		}
	}
	if !strings.Contains(audit, "vote.resolve") {
		t.Fatal("the fixture's audit.csv has no vote.resolve record to check")
	}
	for _, bad := range []string{"choices [", "answers [", "owner:", "proxy "} {
		if i := strings.Index(audit, bad); i >= 0 {
			t.Errorf("audit.csv publishes %q: …%s…", bad, audit[max(0, i-80):min(len(audit), i+80)])
		}
	}
}
