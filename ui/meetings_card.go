package ui

import (
	"context"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"sunledger/app"
)

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
