package ui

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"sunledger/app"
)

func TestMeetingsScreen_RecordsAMeetingDecidesFollowsUpAndShowsTheDutyList(t *testing.T) {
	_, s := newBook(t, unit("1-1-101", app.KindResidential, "88.50", "O1", "王伟"))
	ctx := context.Background()
	day := func(d int) string { return s.Now().AddDate(0, 0, d).Format(app.MeetingDateLayout) }
	// an earlier meeting whose decision is past due: overdue on the dashboard and the badge
	old, err := s.Meetings.NewMeeting(ctx, app.Meeting{Date: day(-40), Place: "社区会议室",
		Attendees: []app.Attendee{{Party: app.PartyCommunity, Name: "甲"}, {Party: app.PartyCommittee, Name: "乙"}, {Party: app.PartyProperty, Name: "丙"}},
		Decisions: []app.Decision{{Text: "更换车库灯具", Party: app.PartyProperty, Due: day(-10)}}}, "t")
	if err != nil {
		t.Fatal(err)
	}
	w := newWindow(t)
	v := newMeetingsScreen(w, s)
	w.SetContent(v.content)
	if v.mtable.Rows() != 1 || v.dtable.Rows() != 1 || !strings.Contains(v.dtable.CellText(0, 4), "已逾期") {
		t.Fatalf("rows %d/%d, status %q", v.mtable.Rows(), v.dtable.Rows(), v.dtable.CellText(0, 4))
	}
	if n := pendingBadge(s, "meetings"); n != 1 {
		t.Errorf("badge %d, want 1 overdue decision", n)
	}
	if txt := strings.Join(texts(openDecisionsCard(s)), "\n"); !strings.Contains(txt, "1 项未完成") || !strings.Contains(txt, "其中 1 项已逾期") || !strings.Contains(txt, "MT000001-1 物业") {
		t.Errorf("dashboard card:\n%s", txt)
	}

	// a meeting without the property company is refused, nothing recorded
	v.place.SetText("业委会办公室")
	v.attendees.SetText("社区:王网格\n业委会:孙主任:主任")
	test.Tap(findButton(t, v.content, "登记会议"))
	if ms, _ := s.Meetings.Meetings(ctx); len(ms) != 1 {
		t.Fatalf("a meeting without all three parties was recorded")
	}
	if !strings.Contains(topDialogText(w), "物业") {
		t.Errorf("no error naming the missing party: %q", topDialogText(w))
	}
	v.attendees.SetText("社区:王网格\n业委会:孙主任:主任\n物业：赵经理：项目经理")
	v.issues.SetText("业委会:外墙渗水\n电动车充电")
	test.Tap(findButton(t, v.content, "登记会议"))
	if !strings.Contains(v.result.Text, "MT000002") || v.mtable.Rows() != 2 {
		t.Fatalf("recorded? %q", v.result.Text)
	}
	m, _ := s.Meetings.Meeting(ctx, "MT000002")
	if len(m.Attendees) != 3 || m.Attendees[2].Role != "项目经理" || m.Issues[0].Party != app.PartyCommittee || m.Issues[1].Party != "" {
		t.Errorf("meeting as recorded: %+v", m)
	}

	// a decision without an owner party is refused; with one it is added
	v.decText.SetText("出具外墙维修方案")
	test.Tap(v.decide)
	if m, _ := s.Meetings.Meeting(ctx, "MT000002"); len(m.Decisions) != 0 {
		t.Fatalf("a decision without a party was recorded")
	}
	v.decParty.SetSelectedIndex(2)
	v.decIssue.SetText("1")
	test.Tap(v.decide)
	if !strings.Contains(v.result.Text, "MT000002-1") {
		t.Fatalf("decided? %q", v.result.Text)
	}

	// follow up the old decision: done
	for r := 0; r < v.dtable.Rows(); r++ {
		if v.dtable.CellText(r, 0) == old.Decisions[0].ID {
			v.chooseDecision(v.dtable.DataRow(r))
		}
	}
	v.mark.SetSelectedIndex(1)
	v.note.SetText("已更换 24 盏")
	test.Tap(v.follow)
	if d, _ := s.Meetings.Meeting(ctx, old.ID); d.Decisions[0].Status(s.Now()) != app.DecisionDone {
		t.Fatalf("not done: %+v", d.Decisions[0])
	}
	if pendingBadge(s, "meetings") != 0 || !strings.Contains(v.summary.Text, "逾期 0 项") {
		t.Errorf("still overdue: badge %d, %q", pendingBadge(s, "meetings"), v.summary.Text)
	}
	if v.dtable.Rows() != 1 || v.dtable.CellText(0, 0) != "MT000002-1" {
		t.Errorf("open filter: %d rows", v.dtable.Rows())
	}
	v.onlyOpen.SetChecked(false)
	if v.dtable.Rows() != 2 {
		t.Errorf("every decision: %d rows", v.dtable.Rows())
	}

	// the duty list: none yet, then a version read from a file
	if !strings.Contains(v.duties.Text, "还没有登记权责清单") {
		t.Errorf("duties %q", v.duties.Text)
	}
	path := filepath.Join(t.TempDir(), "duties.txt")
	os.WriteFile(path, []byte("[物业]\n- 公共部位维修养护\n[社区]\n- 召集联席会议\n"), 0o600)
	v.setDuties(path, "首版")
	if !strings.Contains(v.duties.Text, "第 1 版") || !strings.Contains(v.duties.Text, "召集联席会议") {
		t.Errorf("duties %q", v.duties.Text)
	}
}

// findButton finds the button labelled text under the screen (on any tab).
func findButton(t *testing.T, o fyne.CanvasObject, text string) *widget.Button {
	t.Helper()
	var found *widget.Button
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch x := o.(type) {
		case *widget.Button:
			if x.Text == text {
				found = x
			}
		case *container.AppTabs:
			for _, it := range x.Items {
				walk(it.Content)
			}
		case *container.Scroll:
			walk(x.Content)
		case *container.Split:
			walk(x.Leading)
			walk(x.Trailing)
		case *widget.Form:
			for _, it := range x.Items {
				walk(it.Widget)
			}
		case *fyne.Container:
			for _, c := range x.Objects {
				walk(c)
			}
		}
	}
	walk(o)
	if found == nil {
		t.Fatalf("no button %q", text)
	}
	return found
}
