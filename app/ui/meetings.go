package ui

import (
	"context"
	"os"
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

	// meetings
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
			v.savePDF(L("联席会议决议公示-%s.pdf", m.ID), "联席会议决议公示", []app.Meeting{m})
		}
	})
	v.noticeBtn.Disable()
	yearBtn := widget.NewButtonWithIcon(L("年度决议公示 PDF…"), theme.DocumentSaveIcon(), v.askYearNotice)
	meetTab := container.NewVSplit(v.mtable, container.NewBorder(container.NewHBox(v.noticeBtn, yearBtn), nil, nil, nil, container.NewVScroll(v.detail)))
	meetTab.SetOffset(0.5)

	// decisions
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
	decTab := container.NewBorder(v.onlyOpen, container.NewVBox(v.summary, followBox), nil, nil, v.dtable)

	// new meeting and decisions
	v.date, v.place, v.topic = widget.NewEntry(), widget.NewEntry(), widget.NewEntry()
	v.date.Validator = func(s string) error { _, err := app.ParseMeetingDate(L("会议日期"), s); return err }
	v.attendees = widget.NewMultiLineEntry()
	v.attendees.SetPlaceHolder(L("每行一人：单位:姓名[:职务]，单位写 社区、业委会 或 物业"))
	v.attendees.SetMinRowsVisible(4)
	v.issues = widget.NewMultiLineEntry()
	v.issues.SetPlaceHolder(L("每行一个议题，可在前面写提出方，如 业委会:车库照明不足"))
	v.issues.SetMinRowsVisible(3)
	record := widget.NewButtonWithIcon(L("登记会议"), theme.ConfirmIcon(), v.recordMeeting)
	record.Importance = widget.HighImportance
	newForm := widget.NewForm(
		widget.NewFormItem(L("会议日期"), v.date),
		widget.NewFormItem(L("地点"), v.place),
		widget.NewFormItem(L("主题"), v.topic),
		widget.NewFormItem(L("参会人"), v.attendees),
		widget.NewFormItem(L("议题"), v.issues),
	)
	v.decMeeting = widget.NewLabel(L("先在“会议”中选择一次会议，或登记一次新会议。"))
	v.decText = widget.NewEntry()
	var partyOpts []string
	for _, p := range app.Parties {
		partyOpts = append(partyOpts, app.PartyLabel(p))
	}
	v.decParty = newSelect(partyOpts, nil)
	v.decDue = widget.NewEntry()
	v.decDue.Validator = func(s string) error { _, err := app.ParseMeetingDate(L("完成期限"), s); return err }
	v.decIssue = widget.NewEntry()
	v.decIssue.SetPlaceHolder(L("议题序号（可不填）"))
	v.decide = widget.NewButtonWithIcon(L("添加决议"), theme.ContentAddIcon(), v.addDecision)
	v.decide.Disable()
	decForm := widget.NewForm(
		widget.NewFormItem(L("决议内容"), v.decText),
		widget.NewFormItem(L("责任方"), v.decParty),
		widget.NewFormItem(L("完成期限"), v.decDue),
		widget.NewFormItem(L("议题"), v.decIssue),
	)
	v.result = widget.NewLabel("")
	v.result.Wrapping = fyne.TextWrapWord
	newTab := container.NewVScroll(container.NewVBox(newForm, container.NewHBox(record), widget.NewSeparator(),
		v.decMeeting, decForm, container.NewHBox(v.decide), v.result))

	// duty list
	v.version = newSelect(nil, func(string) { v.showDuties() })
	v.duties = widget.NewLabel("")
	v.duties.Wrapping = fyne.TextWrapWord
	dutyPDF := widget.NewButtonWithIcon(L("打印此版 PDF"), theme.DocumentSaveIcon(), v.saveDutiesPDF)
	setDuties := widget.NewButtonWithIcon(L("登记新版本…"), theme.FolderOpenIcon(), v.askDutyFile)
	dutyTab := container.NewBorder(container.NewHBox(widget.NewLabel(L("版本")), sized(v.version, 220), dutyPDF, setDuties), nil, nil, nil,
		container.NewVScroll(v.duties))

	tabs := container.NewAppTabs(
		container.NewTabItem(L("会议"), meetTab),
		container.NewTabItem(L("决议"), decTab),
		container.NewTabItem(L("新会议"), newTab),
		container.NewTabItem(L("权责清单"), dutyTab),
	)
	v.reload()
	v.resetForm()
	v.reloadDuties()
	v.content = container.NewBorder(Heading(L("联席会议")), nil, nil, nil, tabs)
	return v
}

func decisionStateText(d app.OpenDecision) string {
	if d.Status == app.DecisionOverdue {
		return "⚠ " + app.DecisionStatusLabel(d.Status)
	}
	return app.DecisionStatusLabel(d.Status)
}

func (v *meetingsScreen) countStatus(i int, st string) int {
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

func (v *meetingsScreen) resetForm() {
	v.date.SetText(v.s.Now().Format(app.MeetingDateLayout))
	v.place.SetText("")
	v.topic.SetText("")
	v.attendees.SetText("")
	v.issues.SetText("")
	v.decDue.SetText(v.s.Now().AddDate(0, 0, 14).Format(app.MeetingDateLayout))
}

// parsePartyLine reads "物业:赵经理:项目经理" (a full-width colon works too).
func parsePartyLine(line string) (party string, parts []string, ok bool) {
	f := strings.Split(strings.ReplaceAll(line, "：", ":"), ":")
	p, err := app.ParseParty(f[0])
	if err != nil || len(f) < 2 {
		return "", nil, false
	}
	for i := range f {
		f[i] = strings.TrimSpace(f[i])
	}
	return p, f[1:], true
}

func (v *meetingsScreen) recordMeeting() {
	m := app.Meeting{Date: strings.TrimSpace(v.date.Text), Place: strings.TrimSpace(v.place.Text), Topic: strings.TrimSpace(v.topic.Text)}
	for i, line := range strings.Split(v.attendees.Text, "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		p, f, ok := parsePartyLine(line)
		if !ok {
			ShowError(app.Errorf(app.EINVALID, "参会人第 %d 行应写作 单位:姓名[:职务]，单位为社区、业委会或物业；没有登记", "attendee line %d: write PARTY:NAME[:ROLE], PARTY being community, committee or property; nothing was recorded", i+1), v.w)
			return
		}
		a := app.Attendee{Party: p, Name: f[0]}
		if len(f) > 1 {
			a.Role = strings.Join(f[1:], " ")
		}
		m.Attendees = append(m.Attendees, a)
	}
	for _, line := range strings.Split(v.issues.Text, "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		is := app.MeetingIssue{Text: strings.TrimSpace(line)}
		if p, f, ok := parsePartyLine(line); ok {
			is.Party, is.Text = p, strings.Join(f, ":")
		}
		m.Issues = append(m.Issues, is)
	}
	m, err := v.s.Meetings.NewMeeting(context.Background(), m, Operator())
	if err != nil {
		ShowError(err, v.w)
		return
	}
	v.result.SetText(L("已登记联席会议 %s（%s）", m.ID, m.Date))
	v.resetForm()
	v.chosenM = -1
	v.reload()
	for i, x := range v.meetings {
		if x.ID == m.ID {
			v.chooseMeeting(i)
		}
	}
}

func (v *meetingsScreen) addDecision() {
	if v.chosenM < 0 {
		return
	}
	if v.decParty.SelectedIndex() < 0 {
		ShowError(app.Errorf(app.EINVALID, "请选择决议的责任方（社区、业委会或物业）；没有登记", "choose the decision's owner party (community, committee or property); nothing was recorded"), v.w)
		return
	}
	d := app.Decision{Text: strings.TrimSpace(v.decText.Text), Party: app.Parties[v.decParty.SelectedIndex()], Due: strings.TrimSpace(v.decDue.Text)}
	if s := strings.TrimSpace(v.decIssue.Text); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			ShowError(app.Errorf(app.EINVALID, "议题序号应为整数，收到 %q；没有登记", "the issue number must be a whole number, not %q; nothing was recorded", s), v.w)
			return
		}
		d.Issue = n
	}
	m := v.meetings[v.chosenM]
	d, err := v.s.Meetings.AddDecision(context.Background(), m.ID, d, Operator())
	if err != nil {
		ShowError(err, v.w)
		return
	}
	v.result.SetText(L("已添加决议 %s", d.ID))
	v.decText.SetText("")
	v.decIssue.SetText("")
	v.reload()
}

// savePDF asks where to save a decisions notice of the meetings given.
func (v *meetingsScreen) savePDF(file, title string, ms []app.Meeting) {
	SavePDF(v.w, v.s, "gui meetings", file, func() (*reports.Doc, error) {
		now := v.s.Now()
		return reports.MeetingNoticeDoc("", "", now.Format(app.MeetingDateLayout), title, ms, now), nil
	})
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
		var ms []app.Meeting
		for _, m := range v.meetings {
			if strings.HasPrefix(m.Date, strconv.Itoa(year)+"-") {
				ms = append(ms, m)
			}
		}
		v.savePDF(L("联席会议决议公示-%d.pdf", year), strconv.Itoa(year)+" 年联席会议决议公示", ms)
	}, v.w)
}

func (v *meetingsScreen) reloadDuties() {
	ls, err := v.s.Meetings.DutyLists(context.Background())
	if err != nil {
		ShowError(err, v.w)
	}
	v.versions = ls
	var opts []string
	for _, l := range ls {
		opts = append(opts, L("第 %d 版（%s）", l.Version, l.Date))
	}
	v.version.Options = opts
	if len(opts) > 0 {
		v.version.SetSelectedIndex(len(opts) - 1)
	} else {
		v.version.ClearSelected()
		v.duties.SetText(L("还没有登记权责清单。用“登记新版本…”读入一个 CSV 或文本文件（格式见 docs/meetings.md）。"))
	}
}

func (v *meetingsScreen) showDuties() {
	i := v.version.SelectedIndex()
	if i < 0 || i >= len(v.versions) {
		return
	}
	l := v.versions[i]
	var b strings.Builder
	b.WriteString(L("第 %d 版，%s 起施行；%s 登记：%s", l.Version, l.Date, l.Who, l.Why) + "\n")
	by := l.ByParty()
	for _, p := range app.Parties {
		b.WriteString("\n" + app.PartyLabel(p) + "\n")
		for j, x := range by[p] {
			b.WriteString("  " + strconv.Itoa(j+1) + ". " + x + "\n")
		}
	}
	v.duties.SetText(strings.TrimRight(b.String(), "\n"))
}

func (v *meetingsScreen) saveDutiesPDF() {
	i := v.version.SelectedIndex()
	if i < 0 || i >= len(v.versions) {
		ShowError(app.Errorf(app.ENOTFOUND, "还没有登记权责清单", "no duty list has been recorded yet"), v.w)
		return
	}
	l := v.versions[i]
	SavePDF(v.w, v.s, "gui duties", L("三方权责清单-第%d版.pdf", l.Version), func() (*reports.Doc, error) {
		return reports.DutyListDoc("", "", v.s.Now().Format(app.MeetingDateLayout), l), nil
	})
}

// askDutyFile asks why the list changes and then for the file of the new version.
func (v *meetingsScreen) askDutyFile() {
	why := widget.NewEntry()
	why.SetPlaceHolder(L("例如：联席会议议定增加社区职责"))
	dialog.ShowForm(L("登记新版本"), L("选择文件"), L("取消"), []*widget.FormItem{widget.NewFormItem(L("说明"), why)}, func(ok bool) {
		if !ok {
			return
		}
		d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
			if err != nil || r == nil {
				ShowError(err, v.w)
				return
			}
			path := r.URI().Path()
			r.Close()
			v.setDuties(path, strings.TrimSpace(why.Text))
		}, v.w)
		d.Resize(fyne.NewSize(900, 600))
		d.Show()
	}, v.w)
}

// setDuties records the file at path as the duty list's next version.
func (v *meetingsScreen) setDuties(path, why string) {
	data, err := os.ReadFile(path)
	if err != nil {
		ShowError(app.Errorf(app.EINVALID, "无法读取文件 %s：%v；没有做任何更改", "cannot read %s: %v; nothing was changed", path, err), v.w)
		return
	}
	items, err := app.ParseDutyList(data)
	if err != nil {
		ShowError(err, v.w)
		return
	}
	l, err := v.s.Meetings.SetDutyList(context.Background(), app.DutyList{Date: v.s.Now().Format(app.MeetingDateLayout), Items: items}, Operator(), why)
	if err != nil {
		ShowError(err, v.w)
		return
	}
	v.reloadDuties()
	ShowInfo(L("权责清单"), L("已登记第 %d 版，共 %d 条", l.Version, len(l.Items)), v.w)
}

// openDecisionsCard is the dashboard's panel of the joint meetings' decisions not yet
// done: how many are open and overdue, and the first three, overdue first.
func openDecisionsCard(s app.Services) fyne.CanvasObject {
	if s.Meetings == nil {
		return container.NewVBox()
	}
	list, err := s.Meetings.OpenDecisions(context.Background())
	if err != nil {
		return container.NewVBox()
	}
	late := 0
	for _, d := range list {
		if d.Status == app.DecisionOverdue {
			late++
		}
	}
	value := widget.NewLabel(L("%d 项未完成", len(list)))
	var lines []string
	if late > 0 {
		lines = append(lines, "⚠ "+L("其中 %d 项已逾期", late))
	}
	for i, d := range list {
		if i == 3 {
			lines = append(lines, L("…另有 %d 项，见“联席会议”", len(list)-3))
			break
		}
		lines = append(lines, L("%s %s：%s 前，%s", d.ID, app.PartyLabel(d.Party), d.Due, app.DecisionStatusLabel(d.Status)))
	}
	if len(list) == 0 {
		lines = append(lines, L("联席会议的决议都已完成"))
	}
	note := widget.NewLabel(strings.Join(lines, "\n"))
	note.Wrapping = fyne.TextWrapWord
	return Card(widget.NewLabel(L("联席会议决议")), value, note)
}

// overdueDecisions counts the joint meetings' decisions past their due date (the badge
// of 联席会议).
func overdueDecisions(s app.Services) int {
	if s.Meetings == nil {
		return 0
	}
	list, err := s.Meetings.OpenDecisions(context.Background())
	if err != nil {
		return 0
	}
	n := 0
	for _, d := range list {
		if d.Status == app.DecisionOverdue {
			n++
		}
	}
	return n
}
