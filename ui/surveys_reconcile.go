package ui

import (
	"context"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"sunledger/app"
)

// surveyReconcile is the 核对差异 view of a survey (docs/survey.md): the answer sheets
// whose entries A and B disagree, each shown from both entries beside the paper, and the
// third look recorded as "the paper says what A (or B) says", as `survey resolve` does.
type surveyReconcile struct {
	w       fyne.Window
	s       app.Services
	v       *surveysScreen
	rec     app.SurveyRecord
	open    []string // sheet numbers not reconciled
	list    *widget.List
	detail  *widget.Label
	note    *widget.Entry
	useA    *widget.Button
	useB    *widget.Button
	useOwn  *widget.Button
	chosen  string
	summary *widget.Label
	content fyne.CanvasObject
}

func newSurveyReconcile(w fyne.Window, s app.Services, v *surveysScreen) *surveyReconcile {
	r := &surveyReconcile{w: w, s: s, v: v}
	r.list = widget.NewList(func() int { return len(r.open) }, func() fyne.CanvasObject { return widget.NewLabel("") },
		func(i widget.ListItemID, o fyne.CanvasObject) { o.(*widget.Label).SetText(L("答卷 %s", r.open[i])) })
	r.list.OnSelected = func(i widget.ListItemID) { r.choose(r.open[i]) }
	r.detail = widget.NewLabel(L("选择一份答卷，拿出原卷核对。"))
	r.detail.Wrapping = fyne.TextWrapWord
	r.note = widget.NewEntry()
	r.note.SetPlaceHolder(L("核对说明，例如：核对原卷，A 正确"))
	r.useA = widget.NewButton(L("原卷与录入 A 相同"), func() { r.Resolve(r.chosen, app.EntryA) })
	r.useB = widget.NewButton(L("原卷与录入 B 相同"), func() { r.Resolve(r.chosen, app.EntryB) })
	r.useOwn = widget.NewButton(L("原卷与两份都不同…"), func() { r.askPaper(r.chosen) })
	r.useA.Disable()
	r.useB.Disable()
	r.useOwn.Disable()
	r.summary = widget.NewLabel("")
	r.summary.Wrapping = fyne.TextWrapWord
	split := container.NewHSplit(r.list, container.NewVScroll(container.NewVBox(r.detail, r.note, container.NewHBox(r.useA, r.useB), container.NewHBox(r.useOwn))))
	split.Offset = 0.3
	r.content = container.NewBorder(r.summary, nil, nil, nil, split)
	r.refresh()
	return r
}

func (r *surveyReconcile) refresh() {
	sv := r.v.surveys[r.v.sel]
	rec, err := r.s.Surveys.SurveyRecord(context.Background(), sv.ID)
	if err != nil {
		ShowError(err, r.w)
		return
	}
	r.rec = rec
	resolved := make([]app.SurveySheet, len(rec.Resolutions))
	for i, x := range rec.Resolutions {
		resolved[i] = x.Sheet
	}
	final, diffs, unrec := app.SurveyEntry.Reconcile(rec.EntryA, rec.EntryB, resolved)
	r.open = unrec
	r.list.UnselectAll()
	r.list.Refresh()
	r.summary.SetText(L("%s：录入A %d 份，录入B %d 份；一致或已核对 %d 份，待核对 %d 份（差异 %d 处）。只有一致或已核对的答卷计入得分。",
		sv.ID, len(rec.EntryA), len(rec.EntryB), len(final), len(unrec), len(diffs)))
}

func findSheet(ss []app.SurveySheet, no string) *app.SurveySheet {
	for i := range ss {
		if ss[i].No == no {
			return &ss[i]
		}
	}
	return nil
}

// sheetText is one entry's reading of a sheet, question by question.
func (r *surveyReconcile) sheetText(x *app.SurveySheet) string {
	if x == nil {
		return L("（这一份录入里没有这张答卷）")
	}
	parts := []string{L("房号 %s", x.Unit)}
	for i, a := range x.Answers {
		if i < len(r.rec.Survey.Questions) {
			parts = append(parts, L("问题%d：%s", r.rec.Survey.Questions[i].No, orDash(a)))
		}
	}
	if x.Invalid != "" {
		parts = append(parts, L("无效：%s", app.ReasonLabel(x.Invalid)))
	}
	return strings.Join(parts, "　")
}

func (r *surveyReconcile) choose(no string) {
	r.chosen = no
	a, b := findSheet(r.rec.EntryA, no), findSheet(r.rec.EntryB, no)
	r.detail.SetText(L("答卷 %s\n录入 A：%s\n录入 B：%s", no, r.sheetText(a), r.sheetText(b)))
	r.useA.Disable()
	r.useB.Disable()
	if a != nil {
		r.useA.Enable()
	}
	if b != nil {
		r.useB.Enable()
	}
	r.useOwn.Enable()
}

// askPaper records what the paper says when it matches neither entry: the unit and each
// answer as written on the sheet (a scale label, or empty when not answered).
func (r *surveyReconcile) askPaper(no string) {
	if no == "" {
		return
	}
	base := findSheet(r.rec.EntryA, no)
	if base == nil {
		base = findSheet(r.rec.EntryB, no)
	}
	unit := widget.NewEntry()
	answers := make([]*widget.Entry, len(r.rec.Survey.Questions))
	items := []*widget.FormItem{widget.NewFormItem(L("房号"), unit)}
	for i, q := range r.rec.Survey.Questions {
		answers[i] = widget.NewEntry()
		if base != nil && i < len(base.Answers) {
			answers[i].SetText(base.Answers[i])
		}
		items = append(items, widget.NewFormItem(L("问题%d", q.No), answers[i]))
	}
	if base != nil {
		unit.SetText(base.Unit)
	}
	d := dialog.NewForm(L("按原卷录入答卷 %s", no), L("保存"), L("取消"), items, func(ok bool) {
		if !ok {
			return
		}
		x := app.SurveySheet{No: no, Unit: app.NormalizeUnitID(unit.Text)}
		for _, a := range answers {
			x.Answers = append(x.Answers, strings.TrimSpace(a.Text))
		}
		r.record(x, L("核对原卷，两份录入都不对"))
	}, r.w)
	d.Resize(fyne.NewSize(560, 420))
	d.Show()
}

// Resolve records that paper sheet no says what entry e says (the third look).
func (r *surveyReconcile) Resolve(no, e string) {
	src := r.rec.EntryA
	if e == app.EntryB {
		src = r.rec.EntryB
	}
	x := findSheet(src, no)
	if x == nil {
		return
	}
	r.record(*x, L("核对原卷，与录入 %s 相同", e))
}

// record saves the third look at a sheet; a typed note replaces the default one.
func (r *surveyReconcile) record(x app.SurveySheet, note string) {
	if n := strings.TrimSpace(r.note.Text); n != "" {
		note = n
	}
	if err := r.s.Surveys.ResolveSheet(context.Background(), r.rec.Survey.ID, app.SurveyResolution{Sheet: x, Note: note}, Operator()); err != nil {
		ShowError(err, r.w)
		return
	}
	r.note.SetText("")
	r.refresh()
	r.detail.SetText(L("答卷 %s 已核对。", x.No))
	r.useA.Disable()
	r.useB.Disable()
	r.useOwn.Disable()
	r.v.reload()
}

// reconcile opens the 核对差异 view of the chosen survey.
func (v *surveysScreen) reconcile() *surveyReconcile {
	if v.sel < 0 {
		return nil
	}
	r := newSurveyReconcile(v.w, v.s, v)
	d := dialog.NewCustom(L("核对差异"), L("关闭"), r.content, v.w)
	d.Resize(fyne.NewSize(900, 500))
	d.Show()
	return r
}
