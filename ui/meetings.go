package ui

import (
	"context"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"sunledger/app"
	"sunledger/reports"
)

// Meetings is the 联席会议 screen: the joint meetings of community, committee and
// property company; their decisions with owner party, due date and status, where a
// follow-up is appended; a form to record a meeting and its decisions; and the three
// parties' duty list by version. The decisions notice and the duty list print from here
// (docs/meetings.md).
func Meetings(w fyne.Window, s app.Services) fyne.CanvasObject {
	return newMeetingsScreen(w, s).content
}

type meetingsScreen struct {
	w   fyne.Window
	s   app.Services
	now time.Time

	meetings  []app.Meeting
	decisions []app.OpenDecision // every decision, its status at now
	mtable    *SortTable
	dtable    *SortTable
	detail    *widget.Label
	chosenM   int // data row of the meeting chosen, -1 none
	onlyOpen  *widget.Check
	summary   *widget.Label
	chosenD   int // data row of the decision chosen, -1 none
	chosenDL  *widget.Label
	mark      *widget.Select
	followOn  *widget.Entry
	note      *widget.Entry
	follow    *widget.Button
	noticeBtn *widget.Button

	// the new-meeting form
	date, place, topic *widget.Entry
	attendees, issues  *widget.Entry
	// the decision form, for the meeting chosen in the list
	decMeeting *widget.Label
	decText    *widget.Entry
	decParty   *widget.Select
	decDue     *widget.Entry
	decIssue   *widget.Entry
	decide     *widget.Button
	result     *widget.Label

	// duty list
	versions []app.DutyList
	version  *widget.Select
	duties   *widget.Label

	content fyne.CanvasObject
}

var followMarks = []string{app.FollowNote, app.FollowDone, app.FollowReopen, app.FollowWithdraw}

func followMarkLabel(m string) string {
	switch m {
	case app.FollowDone:
		return L("标记完成")
	case app.FollowReopen:
		return L("重新打开（更正）")
	case app.FollowWithdraw:
		return L("撤销决议")
	}
	return L("仅记录进展")
}

func newMeetingsScreen(w fyne.Window, s app.Services) *meetingsScreen {
	v := &meetingsScreen{w: w, s: s, chosenM: -1, chosenD: -1}
	tabs := container.NewAppTabs(
		container.NewTabItem(L("会议"), v.meetingsTab()),
		container.NewTabItem(L("决议"), v.decisionsTab()),
		container.NewTabItem(L("新会议"), v.newMeetingTab()),
		container.NewTabItem(L("权责清单"), v.dutiesTab()),
	)
	v.reload()
	v.resetForm()
	v.reloadDuties()
	v.content = container.NewBorder(Heading(L("联席会议")), nil, nil, nil, tabs)
	return v
}

// meetingsTab is the list of meetings over the chosen meeting's issues and decisions,
// with the buttons that print the decisions notice of one meeting or of a year.
func (v *meetingsScreen) meetingsTab() fyne.CanvasObject {
	v.mtable = NewSortTable([]Column{
		{Title: L("编号"), Width: 90, Text: func(i int) string { return v.meetings[i].ID }},
		{Title: L("日期"), Width: 100, Text: func(i int) string { return v.meetings[i].Date }},
		{Title: L("地点"), Width: 150, Text: func(i int) string { return v.meetings[i].Place }},
		{Title: L("主题"), Width: 200, Text: func(i int) string { return v.meetings[i].Topic }},
		{Title: L("议题"), Width: 60, Numeric: true, Text: func(i int) string { return strconv.Itoa(len(v.meetings[i].Issues)) }},
		{Title: L("决议"), Width: 60, Numeric: true, Text: func(i int) string { return strconv.Itoa(len(v.meetings[i].Decisions)) }},
		{Title: L("已完成"), Width: 70, Numeric: true, Text: func(i int) string { return strconv.Itoa(v.countStatus(i, app.DecisionDone)) }},
		{Title: L("逾期"), Width: 60, Numeric: true, Text: func(i int) string { return strconv.Itoa(v.countStatus(i, app.DecisionOverdue)) }},
	})
	v.mtable.OnRowSelected = v.chooseMeeting
	v.detail = widget.NewLabel(L("在列表中选择一次会议，查看议题和决议。"))
	v.detail.Wrapping = fyne.TextWrapWord
	v.noticeBtn = widget.NewButtonWithIcon(L("本次会议决议公示 PDF"), theme.DocumentSaveIcon(), func() {
		if v.chosenM >= 0 {
			m := v.meetings[v.chosenM]
			PrintDocument(v.w, v.s, "meetings", reports.Args{Meeting: m.ID}, L("联席会议决议公示-%s.pdf", m.ID))
		}
	})
	v.noticeBtn.Disable()
	yearBtn := widget.NewButtonWithIcon(L("年度决议公示 PDF…"), theme.DocumentSaveIcon(), v.askYearNotice)
	meetTab := container.NewVSplit(v.mtable, container.NewBorder(container.NewHBox(v.noticeBtn, yearBtn), nil, nil, nil, container.NewVScroll(v.detail)))
	meetTab.SetOffset(0.5)
	return meetTab
}

// decisionsTab is the list of every decision (open and overdue ones first) with the
// form that appends a follow-up to the decision chosen.
func (v *meetingsScreen) decisionsTab() fyne.CanvasObject {
	v.dtable = NewSortTable([]Column{
		{Title: L("编号"), Width: 110, Text: func(i int) string { return v.decisions[i].ID }},
		{Title: L("会议日期"), Width: 100, Text: func(i int) string { return v.decisions[i].MeetingDate }},
		{Title: L("责任方"), Width: 80, Text: func(i int) string { return app.PartyLabel(v.decisions[i].Party) }},
		{Title: L("完成期限"), Width: 100, Text: func(i int) string { return v.decisions[i].Due }},
		{Title: L("状态"), Width: 90, Text: func(i int) string { return decisionStateText(v.decisions[i]) }},
		{Title: L("决议内容"), Width: 320, Text: func(i int) string { return v.decisions[i].Text }},
		{Title: L("跟进"), Width: 60, Numeric: true, Text: func(i int) string { return strconv.Itoa(len(v.decisions[i].Follow)) }},
	})
	v.dtable.OnRowSelected = v.chooseDecision
	v.onlyOpen = widget.NewCheck(L("只看未完成和逾期"), nil)
	v.onlyOpen.Checked = true // what needs following up comes first
	v.onlyOpen.OnChanged = func(bool) { v.filter() }
	v.summary = widget.NewLabel("")
	v.dtable.OnChanged = v.updateSummary
	v.chosenDL = widget.NewLabel(L("在列表中选择一项决议，再追加跟进记录。"))
	v.chosenDL.Wrapping = fyne.TextWrapWord
	var markOpts []string
	for _, m := range followMarks {
		markOpts = append(markOpts, followMarkLabel(m))
	}
	v.mark = newSelect(markOpts, nil)
	v.mark.SetSelectedIndex(0)
	v.followOn = widget.NewEntry()
	v.followOn.Validator = func(s string) error { _, err := app.ParseMeetingDate(L("跟进日期"), s); return err }
	v.note = widget.NewEntry()
	v.note.SetPlaceHolder(L("跟进说明（只追加，不能修改）"))
	v.follow = widget.NewButtonWithIcon(L("追加跟进"), theme.ConfirmIcon(), v.addFollowUp)
	v.follow.Disable()
	followBox := container.NewVBox(widget.NewSeparator(), v.chosenDL,
		container.NewBorder(nil, nil, container.NewHBox(sized(v.mark, 170), widget.NewLabel(L("日期")), sized(v.followOn, 120)), v.follow, v.note))
	return container.NewBorder(v.onlyOpen, container.NewVBox(v.summary, followBox), nil, nil, v.dtable)
}

func decisionStateText(d app.OpenDecision) string {
	if d.Status == app.DecisionOverdue {
		return "⚠ " + app.DecisionStatusLabel(d.Status)
	}
	return app.DecisionStatusLabel(d.Status)
}

func (v *meetingsScreen) countStatus(i int, st app.DecisionStatus) int {
	n := 0
	for _, d := range v.meetings[i].Decisions {
		if d.Status(v.now) == st {
			n++
		}
	}
	return n
}

// reload reads the meetings again, keeping the choice and the filter.
func (v *meetingsScreen) reload() {
	ms, err := v.s.Meetings.Meetings(context.Background())
	if err != nil {
		ShowError(err, v.w)
	}
	v.meetings, v.now = ms, v.s.Now()
	v.decisions = nil
	for _, m := range ms {
		for _, d := range m.Decisions {
			v.decisions = append(v.decisions, app.OpenDecision{Decision: d, MeetingDate: m.Date, Status: d.Status(v.now)})
		}
	}
	v.mtable.SetData(len(ms))
	if c, _ := v.mtable.SortColumn(); c < 0 {
		v.mtable.SortBy(1, true)
	}
	v.dtable.SetData(len(v.decisions))
	if c, _ := v.dtable.SortColumn(); c < 0 {
		v.dtable.SortBy(3, false)
	}
	v.filter()
	if v.chosenM >= 0 && v.chosenM < len(ms) {
		v.chooseMeeting(v.chosenM)
	}
}

func (v *meetingsScreen) filter() {
	open := v.onlyOpen.Checked
	v.dtable.SetFilter(func(i int) bool {
		st := v.decisions[i].Status
		return !open || st == app.DecisionOpen || st == app.DecisionOverdue
	})
}

func (v *meetingsScreen) updateSummary() {
	open, late := 0, 0
	for _, d := range v.decisions {
		switch d.Status {
		case app.DecisionOpen:
			open++
		case app.DecisionOverdue:
			late++
		}
	}
	v.summary.SetText(L("共 %d 项决议：未完成 %d 项，逾期 %d 项", len(v.decisions), open+late, late))
}

func (v *meetingsScreen) chooseMeeting(i int) {
	if i < 0 || i >= len(v.meetings) {
		return
	}
	v.chosenM = i
	m := v.meetings[i]
	var b strings.Builder
	b.WriteString(m.ID + "　" + m.Date + "　" + m.Place + "　" + m.Topic + "\n")
	for _, p := range app.Parties {
		var names []string
		for _, a := range m.Attendees {
			if a.Party == p {
				names = append(names, strings.TrimSpace(a.Name+" "+a.Role))
			}
		}
		b.WriteString(app.PartyLabel(p) + "：" + strings.Join(names, "、") + "\n")
	}
	for _, is := range m.Issues {
		b.WriteString(L("议题 %d：%s", is.No, is.Text))
		if len(is.Units) > 0 {
			b.WriteString("（" + strings.Join(is.Units, "、") + "）")
		}
		b.WriteString("\n")
	}
	for _, d := range m.Decisions {
		b.WriteString(L("决议 %s：%s —— %s，%s 前，%s", d.ID, d.Text, app.PartyLabel(d.Party), d.Due, app.DecisionStatusLabel(d.Status(v.now))) + "\n")
		for _, f := range d.Follow {
			b.WriteString("    " + f.Date + " " + f.Note)
			if f.Mark != "" {
				b.WriteString("（" + followMarkLabel(f.Mark) + "）")
			}
			b.WriteString("\n")
		}
	}
	v.detail.SetText(strings.TrimRight(b.String(), "\n"))
	v.noticeBtn.Enable()
	v.decMeeting.SetText(L("为会议 %s（%s）添加决议：", m.ID, m.Date))
	v.decide.Enable()
}

func (v *meetingsScreen) chooseDecision(i int) {
	if i < 0 || i >= len(v.decisions) {
		return
	}
	v.chosenD = i
	d := v.decisions[i]
	v.chosenDL.SetText(L("%s　%s　%s 前　%s", d.ID, app.PartyLabel(d.Party), d.Due, d.Text))
	v.followOn.SetText(v.s.Now().Format(app.MeetingDateLayout))
	v.note.SetText("")
	v.mark.SetSelectedIndex(0)
	v.follow.Enable()
}

func (v *meetingsScreen) addFollowUp() {
	if v.chosenD < 0 {
		return
	}
	day, err := app.ParseMeetingDate(L("跟进日期"), v.followOn.Text)
	if err != nil {
		ShowError(err, v.w)
		return
	}
	f := app.FollowUp{Date: day, Mark: followMarks[max(v.mark.SelectedIndex(), 0)], Note: strings.TrimSpace(v.note.Text)}
	id := v.decisions[v.chosenD].ID
	d, err := v.s.Meetings.FollowUpDecision(context.Background(), id, f, Operator())
	if err != nil {
		ShowError(err, v.w)
		return
	}
	v.reload()
	v.chosenDL.SetText(L("%s 已追加跟进，现状：%s", d.ID, app.DecisionStatusLabel(d.Status(v.s.Now()))))
	v.note.SetText("")
}

func (v *meetingsScreen) askYearNotice() {
	y := widget.NewEntry()
	y.SetText(strconv.Itoa(v.s.Now().Year()))
	dialog.ShowForm(L("年度决议公示"), L("生成"), L("取消"), []*widget.FormItem{widget.NewFormItem(L("年份"), y)}, func(ok bool) {
		if !ok {
			return
		}
		year, err := app.ParseYear(y.Text)
		if err != nil {
			ShowError(err, v.w)
			return
		}
		PrintDocument(v.w, v.s, "meetings", reports.Args{Year: year}, L("联席会议决议公示-%d.pdf", year))
	}, v.w)
}
