package ui

import (
	"context"
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"sunledger/app"
)

// Audit is the 操作日志 screen: every change anybody made, newest first, with who, when,
// what and why, searchable.
func Audit(w fyne.Window, s app.Services) fyne.CanvasObject {
	return newAuditScreen(w, s).content
}

type auditScreen struct {
	records []app.AuditRecord
	table   *SortTable
	search  *widget.Entry
	count   *widget.Label
	content fyne.CanvasObject
}

func newAuditScreen(w fyne.Window, s app.Services) *auditScreen {
	a := &auditScreen{}
	recs, err := s.Book.Audit(context.Background())
	if err != nil {
		ShowError(err, w)
	}
	a.records = recs
	a.table = NewSortTable([]Column{
		{Title: L("序号"), Width: 80, Numeric: true, Text: func(i int) string { return strconv.FormatInt(a.records[i].Seq, 10) },
			Less: func(x, y int) bool { return a.records[x].Seq < a.records[y].Seq }},
		{Title: L("时间"), Width: 165, Text: func(i int) string { return a.records[i].At.Local().Format("2006-01-02 15:04:05") },
			Less: func(x, y int) bool { return a.records[x].At.Before(a.records[y].At) }},
		{Title: L("操作人"), Width: 110, Text: func(i int) string { return a.records[i].Who }},
		{Title: L("操作"), Width: 130, Text: func(i int) string { return app.ActionLabel(a.records[i].Action) }},
		{Title: L("内容"), Width: 360, Text: func(i int) string { return a.records[i].What }},
		{Title: L("原因"), Width: 220, Text: func(i int) string { return a.records[i].Why }},
	})
	a.search = widget.NewEntry()
	a.search.SetPlaceHolder(L("搜索操作人、操作或内容…"))
	a.search.OnChanged = func(string) { a.filter() }
	a.count = widget.NewLabel("")
	a.table.OnChanged = func() { a.count.SetText(L("共 %d 条", a.table.Rows())) }
	a.table.OnRowSelected = func(i int) {
		r := a.records[i]
		ShowInfo(L("操作记录 #%d", r.Seq), L("时间：%s\n操作人：%s\n操作：%s\n内容：%s\n原因：%s",
			r.At.Local().Format("2006-01-02 15:04:05"), r.Who, app.ActionLabel(r.Action)+" ("+r.Action+")", r.What, r.Why), w)
	}
	a.table.SetData(len(recs))
	a.table.SortBy(0, true) // newest first
	searchBox := container.NewGridWrap(fyne.NewSize(320, a.search.MinSize().Height), a.search)
	top := container.NewVBox(Heading(L("操作日志")),
		wrapped(L("账本的每一次更改都记录在这里：谁、什么时候、做了什么、为什么。日志只能追加，不能修改。")),
		container.NewBorder(nil, nil, searchBox, a.count))
	a.content = container.NewBorder(top, nil, nil, nil, a.table)
	return a
}

func (a *auditScreen) filter() {
	q := a.search.Text
	a.table.SetFilter(func(i int) bool {
		r := a.records[i]
		return Matches(q, r.Who, r.Action, app.ActionLabel(r.Action), r.What, r.Why)
	})
}
