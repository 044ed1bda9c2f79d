package ui

import (
	"context"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"sunledger/app"
)

// newMeetingTab is the form that records a new meeting, then the form that adds a
// decision to the meeting chosen in the list (or just recorded).
func (v *meetingsScreen) newMeetingTab() fyne.CanvasObject {
	record := widget.NewButtonWithIcon(L("登记会议"), theme.ConfirmIcon(), v.recordMeeting)
	record.Importance = widget.HighImportance
	meeting, decision := v.meetingForm(), v.decisionForm() // the second sets v.decMeeting and v.decide
	v.result = widget.NewLabel("")
	v.result.Wrapping = fyne.TextWrapWord
	return container.NewVScroll(container.NewVBox(meeting, container.NewHBox(record), widget.NewSeparator(),
		v.decMeeting, decision, container.NewHBox(v.decide), v.result))
}

// meetingForm is the form of a new meeting: date, place, topic, attendees and issues.
func (v *meetingsScreen) meetingForm() *widget.Form {
	v.date, v.place, v.topic = widget.NewEntry(), widget.NewEntry(), widget.NewEntry()
	v.date.Validator = func(s string) error { _, err := app.ParseMeetingDate(L("会议日期"), s); return err }
	v.attendees = widget.NewMultiLineEntry()
	v.attendees.SetPlaceHolder(L("每行一人：单位:姓名[:职务]，单位写 社区、业委会 或 物业"))
	v.attendees.SetMinRowsVisible(4)
	v.issues = widget.NewMultiLineEntry()
	v.issues.SetPlaceHolder(L("每行一个议题，可在前面写提出方，如 业委会:车库照明不足"))
	v.issues.SetMinRowsVisible(3)
	return widget.NewForm(
		widget.NewFormItem(L("会议日期"), v.date),
		widget.NewFormItem(L("地点"), v.place),
		widget.NewFormItem(L("主题"), v.topic),
		widget.NewFormItem(L("参会人"), v.attendees),
		widget.NewFormItem(L("议题"), v.issues),
	)
}

// decisionForm is the form of a decision: its text, owner party, due date and issue. It
// also makes the label naming the meeting it goes to (v.decMeeting) and its button (v.decide).
func (v *meetingsScreen) decisionForm() *widget.Form {
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
	return widget.NewForm(
		widget.NewFormItem(L("决议内容"), v.decText),
		widget.NewFormItem(L("责任方"), v.decParty),
		widget.NewFormItem(L("完成期限"), v.decDue),
		widget.NewFormItem(L("议题"), v.decIssue),
	)
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
func parsePartyLine(line string) (party app.Party, parts []string, ok bool) {
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
