package app

import (
	"strings"
	"testing"
	"time"
)

func testMeeting() Meeting {
	return Meeting{ID: "MT000001", Date: "2026-03-10", Place: "社区会议室",
		Attendees: []Attendee{{Party: PartyCommunity, Name: "王网格"}, {Party: PartyCommittee, Name: "李主任"}, {Party: PartyProperty, Name: "赵经理"}},
		Issues:    []MeetingIssue{{No: 1, Party: PartyCommittee, Text: "地下车库照明不足", Units: []string{"1-1-101"}}}}
}

func TestMeeting_ValidateRefusesBadMeetings(t *testing.T) {
	for _, c := range []struct {
		name string
		edit func(m *Meeting)
		want string
	}{
		{"a date that is not a date", func(m *Meeting) { m.Date = "2026-02-30" }, "YYYY-MM-DD"},
		{"no date", func(m *Meeting) { m.Date = "" }, "YYYY-MM-DD"},
		{"a date in year 1", func(m *Meeting) { m.Date = "0001-03-10" }, "2000 至 2100"},
		{"no place", func(m *Meeting) { m.Place = " " }, "地点"},
		{"a party missing", func(m *Meeting) { m.Attendees = m.Attendees[1:] }, "三方"},
		{"an unknown party", func(m *Meeting) { m.Attendees[0].Party = "街道办x" }, "三方之一"},
		{"an attendee without a name", func(m *Meeting) { m.Attendees[0].Name = "" }, "参会人姓名"},
		{"an empty issue", func(m *Meeting) { m.Issues[0].Text = "" }, "议题"},
		{"a decision without an owner party", func(m *Meeting) {
			m.Decisions = []Decision{{ID: "MT000001-1", No: 1, Text: "更换灯具", Due: "2026-04-01"}}
		}, "没有责任方"},
		{"a decision due before the meeting", func(m *Meeting) {
			m.Decisions = []Decision{{ID: "MT000001-1", No: 1, Text: "更换灯具", Party: PartyProperty, Due: "2026-03-09"}}
		}, "早于会议日期"},
		{"a decision with a bad due date", func(m *Meeting) {
			m.Decisions = []Decision{{ID: "MT000001-1", No: 1, Text: "更换灯具", Party: PartyProperty, Due: "4/1"}}
		}, "完成期限"},
		{"a decision on an issue not raised", func(m *Meeting) {
			m.Decisions = []Decision{{ID: "MT000001-1", No: 1, Text: "更换灯具", Party: PartyProperty, Due: "2026-04-01", Issue: 2}}
		}, "没有第 2 个议题"},
	} {
		t.Run(c.name, func(t *testing.T) {
			m := testMeeting()
			m.Attendees = append([]Attendee(nil), m.Attendees...)
			m.Issues = append([]MeetingIssue(nil), m.Issues...)
			c.edit(&m)
			err := m.Validate()
			if ErrorCode(err) != EINVALID || !strings.Contains(err.(*Error).ZH, c.want) || !strings.Contains(err.(*Error).ZH, "没有做任何更改") {
				t.Fatalf("got %v, want EINVALID mentioning %q", err, c.want)
			}
		})
	}
	if err := testMeeting().Validate(); err != nil {
		t.Fatalf("a good meeting: %v", err)
	}
}

func TestMeeting_FollowUpOnAnUnknownDecisionIsNotFound(t *testing.T) {
	m, d, err := testMeeting().AddDecision(Decision{Text: "更换灯具", Party: PartyProperty, Due: "2026-04-01", Issue: 1})
	if err != nil || d.ID != "MT000001-1" {
		t.Fatalf("decide: %+v %v", d, err)
	}
	for _, id := range []string{"MT000001-2", "MT000002-1"} {
		if _, _, err := m.AddFollowUp(id, FollowUp{Date: "2026-03-20", Note: "x"}); ErrorCode(err) != ENOTFOUND {
			t.Errorf("%s: %v, want not found", id, err)
		}
	}
	if _, _, err := m.AddFollowUp("第一项", FollowUp{Date: "2026-03-20", Note: "x"}); ErrorCode(err) != EINVALID {
		t.Errorf("a malformed id: %v", err)
	}
}

func TestDecision_StatusFollowsMarksAndTheClock(t *testing.T) {
	day := func(s string) time.Time {
		x, _ := time.ParseInLocation(MeetingDateLayout, s, time.Local)
		return x.Add(15 * time.Hour)
	}
	m, _, _ := testMeeting().AddDecision(Decision{Text: "更换灯具", Party: PartyProperty, Due: "2026-04-01"})
	id := "MT000001-1"
	steps := []struct {
		f       *FollowUp
		now     string
		want    DecisionStatus
		errCode Code
	}{
		{nil, "2026-04-01", DecisionOpen, ""}, // the due day itself is on time
		{nil, "2026-04-02", DecisionOverdue, ""},
		{&FollowUp{Date: "2026-04-03", Note: "灯具已订货"}, "2026-04-03", DecisionOverdue, ""},
		{&FollowUp{Date: "2026-04-02", Note: "早于上一条"}, "2026-04-03", DecisionOverdue, EINVALID},
		{&FollowUp{Date: "2026-03-01", Note: "早于会议"}, "2026-04-03", DecisionOverdue, EINVALID},
		{&FollowUp{Date: "2026-04-05", Mark: FollowReopen, Note: "未完成不能重开"}, "2026-04-05", DecisionOverdue, ECONFLICT},
		{&FollowUp{Date: "2026-04-05", Mark: FollowDone}, "2026-04-05", DecisionDone, ""},
		{&FollowUp{Date: "2026-04-06", Mark: FollowDone}, "2026-04-06", DecisionDone, ECONFLICT},
		{&FollowUp{Date: "2026-04-07", Mark: FollowReopen}, "2026-04-07", DecisionDone, EINVALID}, // a reopen needs a note
		{&FollowUp{Date: "2026-04-07", Mark: FollowReopen, Note: "误标完成，车库仍有两盏不亮"}, "2026-04-07", DecisionOverdue, ""},
		{&FollowUp{Date: "2026-04-08", Mark: FollowWithdraw, Note: "并入 MT000002 的决议"}, "2026-04-08", DecisionWithdrawn, ""},
		{&FollowUp{Date: "2026-04-09", Note: "撤销后不能再记"}, "2026-04-09", DecisionWithdrawn, ECONFLICT},
	}
	for i, s := range steps {
		if s.f != nil {
			m2, _, err := m.AddFollowUp(id, *s.f)
			if ErrorCode(err) != s.errCode {
				t.Fatalf("step %d: %v, want %q", i, err, s.errCode)
			}
			if err == nil {
				m = m2
			}
		}
		d, _ := m.Decision(id)
		if got := d.Status(day(s.now)); got != s.want {
			t.Fatalf("step %d: status %s, want %s", i, got, s.want)
		}
	}
	d, _ := m.Decision(id)
	if len(d.Follow) != 4 || d.Follow[0].Note != "灯具已订货" || d.Follow[1].Mark != FollowDone || d.DoneOn() != "" {
		t.Errorf("follow-ups are appended, never edited: %+v", d.Follow)
	}
	if err := m.Validate(); err != nil {
		t.Errorf("the meeting stays valid: %v", err)
	}
}

func TestOpenDecisions_OverdueFirstThenByDueDate(t *testing.T) {
	m := testMeeting()
	for _, d := range []Decision{
		{Text: "a", Party: PartyProperty, Due: "2026-05-01"},
		{Text: "b", Party: PartyCommittee, Due: "2026-03-20"},
		{Text: "c", Party: PartyCommunity, Due: "2026-04-20"},
		{Text: "d", Party: PartyProperty, Due: "2026-03-15"},
	} {
		m, _, _ = m.AddDecision(d)
	}
	m, _, _ = m.AddFollowUp("MT000001-4", FollowUp{Date: "2026-03-14", Mark: FollowDone})
	now, _ := time.ParseInLocation(MeetingDateLayout, "2026-04-01", time.Local)
	var got []string
	for _, d := range OpenDecisions([]Meeting{m}, now) {
		got = append(got, d.Text+":"+string(d.Status))
	}
	if strings.Join(got, " ") != "b:overdue c:open a:open" {
		t.Errorf("got %v", got)
	}
}

func TestParseParty_AcceptsEnglishAndChinese(t *testing.T) {
	for in, want := range map[string]Party{"property": PartyProperty, "物业公司": PartyProperty, " 业委会 ": PartyCommittee, "居委会": PartyCommunity, "Community": PartyCommunity} {
		if got, err := ParseParty(in); err != nil || got != want {
			t.Errorf("%q: %q %v", in, got, err)
		}
	}
	if _, err := ParseParty("开发商"); ErrorCode(err) != EINVALID {
		t.Errorf("developer is not a party: %v", err)
	}
}
