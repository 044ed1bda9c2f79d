package reports

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode"

	"sunledger/app"
	"sunledger/internal/testtool"
)

func meetingPDFText(t *testing.T, d *Doc) string {
	t.Helper()
	tool := testtool.Require(t, "pdftotext")
	path := filepath.Join(t.TempDir(), "m.pdf")
	if err := d.Save(path); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(tool, "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, string(out))
}

func noticeMeeting(t *testing.T) app.Meeting {
	m := app.Meeting{ID: "MT000001", Date: "2026-03-10", Place: "社区会议室", Topic: "车库照明",
		Attendees: []app.Attendee{{Party: app.PartyCommunity, Name: "王网格"}, {Party: app.PartyCommittee, Name: "李主任"}, {Party: app.PartyCommittee, Name: "孙委员"}, {Party: app.PartyProperty, Name: "赵经理"}},
		Issues:    []app.MeetingIssue{{No: 1, Party: app.PartyCommittee, Text: "地下车库照明不足", Units: []string{"1-1-101"}}}}
	var err error
	for _, d := range []app.Decision{
		{Text: "更换车库灯具", Party: app.PartyProperty, Due: "2026-03-31", Issue: 1},
		{Text: "协调电力扩容", Party: app.PartyCommunity, Due: "2026-04-15"},
		{Text: "公示维修资金使用", Party: app.PartyCommittee, Due: "2026-05-30", Units: []string{"2-1-502"}},
	} {
		if m, _, err = m.AddDecision(d); err != nil {
			t.Fatal(err)
		}
	}
	if m, _, err = m.AddFollowUp("MT000001-1", app.FollowUp{Date: "2026-03-28", Mark: app.FollowDone, Note: "赵经理已更换"}); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestMeetingNotice_ShowsPartiesDueDatesStatusAndNoNames(t *testing.T) {
	now := time.Date(2026, 4, 20, 9, 0, 0, 0, time.Local)
	d := MeetingNoticeDoc("阳光花园", "abcdef0123456789", "2026-04-20", "联席会议决议公示", []app.Meeting{noticeMeeting(t)}, now)
	d.ApplySettings(app.NoticeSettings{NoticeDays: 10})
	text := meetingPDFText(t, d)
	for _, want := range []string{"联席会议决议公示", "社区1人、业委会2人、物业1人", "地下车库照明不足", "1-1-101", "2-1-502",
		"MT000001-1", "更换车库灯具", "已完成2026-03-28", "协调电力扩容", "已逾期", "未到期", "2026-05-30",
		"公示期", "2026-04-29", "abcdef0123456789"} {
		if !strings.Contains(text, want) {
			t.Errorf("notice lacks %q", want)
		}
	}
	for _, name := range []string{"王网格", "李主任", "孙委员", "赵经理"} {
		if strings.Contains(text, name) {
			t.Errorf("the notice names %s", name)
		}
	}
}

func TestMeetingNotice_AYearSummarisesEveryMeeting(t *testing.T) {
	a, b := noticeMeeting(t), noticeMeeting(t)
	b.ID, b.Date = "MT000002", "2026-04-01"
	now := time.Date(2026, 4, 20, 9, 0, 0, 0, time.Local)
	text := meetingPDFText(t, MeetingNoticeDoc("阳光花园", "", "2026-04-20", "2026 年联席会议决议公示", []app.Meeting{a, b}, now))
	for _, want := range []string{"共召开联席会议2次，提出议题2个，形成决议6项：已完成2项（其中逾期完成0项），未到期2项，已逾期2项", "MT0000022026-04-01"} {
		if !strings.Contains(text, want) {
			t.Errorf("summary lacks %q", want)
		}
	}
}

func TestDutyListDoc_PrintsEachPartysDutiesAndTheVersion(t *testing.T) {
	l := app.DutyList{Version: 2, Date: "2026-04-01", Why: "增加社区职责", Who: "李主任",
		Items: []app.DutyItem{{Party: app.PartyProperty, Duty: "公共部位日常维修养护"}, {Party: app.PartyCommunity, Duty: "指导监督业委会换届"}, {Party: app.PartyProperty, Duty: "按标准响应报修"}}}
	text := meetingPDFText(t, DutyListDoc("阳光花园", "", "2026-04-20", l))
	for _, want := range []string{"三方权责清单", "第2版", "2026-04-01起施行", "增加社区职责", "社区居委会", "指导监督业委会换届", "物业服务企业", "1公共部位日常维修养护", "2按标准响应报修", "本版没有列出职责"} {
		if !strings.Contains(text, want) {
			t.Errorf("duty list lacks %q", want)
		}
	}
	if strings.Contains(text, "李主任") {
		t.Errorf("the duty list names who recorded it")
	}
}

// A decision done after its due day is marked 逾期完成 with the day it was done, and the
// year's notice names the issue a decision settles (its issues are not listed there).
func TestMeetingNotice_ADecisionDoneLateSaysSo(t *testing.T) {
	a, b := noticeMeeting(t), noticeMeeting(t)
	b.ID, b.Date = "MT000002", "2026-04-01"
	var err error
	if a, _, err = a.AddFollowUp("MT000001-2", app.FollowUp{Date: "2026-04-18", Mark: app.FollowDone, Note: "已扩容"}); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 4, 20, 9, 0, 0, 0, time.Local)
	text := meetingPDFText(t, MeetingNoticeDoc("阳光花园", "", "2026-04-20", "2026 年联席会议决议公示", []app.Meeting{a, b}, now))
	for _, want := range []string{"逾期完成2026-04-18", "已完成2026-03-28", "已完成3项（其中逾期完成1项）", "（议题1：地下车库照明不足）更换车库灯具"} {
		if !strings.Contains(text, want) {
			t.Errorf("notice lacks %q:\n%s", want, text)
		}
	}
}

// A year's notice names every issue: with its decisions, or, without one, on its own row.
func TestMeetingNotice_YearNamesAnIssueWithoutADecision(t *testing.T) {
	now := time.Date(2026, 6, 1, 9, 0, 0, 0, time.Local)
	ms := []app.Meeting{
		{ID: "MT000001", Date: "2026-03-01", Place: "会议室", Issues: []app.MeetingIssue{{No: 1, Party: app.PartyCommittee, Text: "电梯异响"}, {No: 2, Party: app.PartyCommittee, Text: "路灯不亮"}},
			Decisions: []app.Decision{{ID: "MT000001-1", No: 1, Issue: 1, Party: app.PartyProperty, Text: "联系维保", Due: "2026-03-03",
				Follow: []app.FollowUp{{Date: "2026-03-06", Mark: app.FollowDone, Note: "已完成"}}}}},
		{ID: "MT000002", Date: "2026-04-01", Place: "会议室", Issues: []app.MeetingIssue{{No: 1, Party: app.PartyCommunity, Text: "绿化带被占"}}},
	}
	text := docText(t, MeetingNoticeDoc("阳光花园小区", "h", "2026-06-01", "2026 年联席会议决议公示", ms, now))
	for _, w := range []string{"电梯异响", "路灯不亮）未形成决议", "绿化带被占）未形成决议", "逾期完成"} {
		if !strings.Contains(text, w) {
			t.Errorf("the year's notice lacks %q:\n%s", w, text)
		}
	}
}

// The minutes list the service requests the meeting took up by itself (overdue,
// reopened, escalated), with why in words, before the decisions.
func TestMeetingMinutes_ListTheRequestsOnTheAgendaAndWhy(t *testing.T) {
	m := noticeMeeting(t)
	m.Agenda = []app.AgendaItem{
		{Request: "S000007", Unit: "1-1-101", Kind: string(app.ServiceRepair), Why: "overdue+reopened", Late: []string{string(app.StepOnsite), string(app.StepFixed)}, Reopened: 2},
		{Request: "S000009", Unit: "2-1-502", Kind: string(app.ServiceComplaint), Why: "escalated"},
	}
	text := meetingPDFText(t, MeetingMinutesDoc("阳光花园", "abcdef0123456789", "2026-04-20", m))
	for _, want := range []string{"三、自动列入议程的服务请求", "S000007", "超时：到场、修复；重新打开2次", "S000009", "已提交联席会议", "四、决议", "王网格"} {
		if !strings.Contains(text, want) {
			t.Errorf("minutes lack %q", want)
		}
	}
	if strings.Contains(text, "onsite") || strings.Contains(text, "overdue") {
		t.Error("the minutes print a step or reason code")
	}
	if got := MeetingMinutesDoc("阳光花园", "abc", "2026-04-20", noticeMeeting(t)); !strings.Contains(meetingPDFText(t, got), "三、决议") {
		t.Error("minutes without an agenda number the decisions 三")
	}
}
