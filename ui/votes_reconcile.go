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

// reconcilePane lists every difference between entries A and B and records the third
// look at the paper.
type reconcilePane struct {
	w       fyne.Window
	s       app.Services
	v       *votesScreen
	diffs   []app.Difference
	table   *SortTable
	summary *widget.Label
	detail  *widget.Label
	note    *widget.Entry
	useA    *widget.Button
	useB    *widget.Button
	useOwn  *widget.Button
	chosen  string
	content fyne.CanvasObject
}

func fieldLabel(f string) string {
	switch {
	case f == "ballot_no":
		return L("只在一份录入中")
	case f == "unit":
		return L("房号")
	case f == "invalid_reason":
		return L("无效原因")
	case f == "proxy":
		return L("代理人")
	case strings.HasPrefix(f, "m"):
		return L("事项%s", f[1:])
	}
	return f
}

// diffValue shows a differing field in words: choices and reasons by their labels.
func diffValue(field, v string) string {
	switch {
	case field == "invalid_reason" && v != "":
		return app.ReasonLabel(app.InvalidReason(v))
	case strings.HasPrefix(field, "m"):
		if c, ok := app.ParseChoice(v); ok {
			return c.Label()
		}
	}
	return v
}

func newReconcilePane(w fyne.Window, s app.Services, v *votesScreen) *reconcilePane {
	r := &reconcilePane{w: w, s: s, v: v}
	r.table = NewSortTable([]Column{
		{Title: L("票号"), Width: 90, Text: func(i int) string { return r.diffs[i].Ballot },
			Less: func(a, b int) bool { return app.UnitLess(r.diffs[a].Ballot, r.diffs[b].Ballot) }},
		{Title: L("项目"), Width: 130, Text: func(i int) string { return fieldLabel(r.diffs[i].Field) }},
		{Title: L("录入 A"), Width: 130, Text: func(i int) string { return diffValue(r.diffs[i].Field, r.diffs[i].A) }},
		{Title: L("录入 B"), Width: 130, Text: func(i int) string { return diffValue(r.diffs[i].Field, r.diffs[i].B) }},
		{Title: L("状态"), Width: 100, Text: func(i int) string {
			if r.diffs[i].Resolved {
				return L("已核对")
			}
			return L("待核对")
		}},
	})
	r.table.OnRowSelected = func(i int) { r.choose(r.diffs[i].Ballot) }
	r.summary = widget.NewLabel("")
	r.summary.Wrapping = fyne.TextWrapWord
	r.detail = widget.NewLabel(L("选择一行，拿出这张原票核对。"))
	r.detail.Wrapping = fyne.TextWrapWord
	r.note = widget.NewEntry()
	r.note.SetPlaceHolder(L("核对说明，例如：核对原票，A 正确"))
	r.useA = widget.NewButton(L("原票与录入 A 相同"), func() { r.resolve(app.EntryA) })
	r.useB = widget.NewButton(L("原票与录入 B 相同"), func() { r.resolve(app.EntryB) })
	r.useOwn = widget.NewButton(L("原票与两份都不同…"), r.askPaper)
	r.useA.Disable()
	r.useB.Disable()
	r.useOwn.Disable()
	side := container.NewVBox(r.detail, r.note, container.NewHBox(r.useA, r.useB), container.NewHBox(r.useOwn))
	split := container.NewHSplit(r.table, container.NewVScroll(side))
	split.Offset = 0.6
	r.content = container.NewBorder(r.summary, nil, nil, nil, split)
	r.refresh()
	return r
}

func (r *reconcilePane) refresh() {
	rec := r.v.rec
	final, diffs, unrec := app.Reconcile(rec.Assembly.Matters, rec.EntryA, rec.EntryB, rec.Resolutions)
	r.diffs = diffs
	r.table.SetData(len(diffs))
	r.summary.SetText(L("录入 A %d 张，录入 B %d 张；一致或已核对 %d 张，待核对 %d 张（差异 %d 处）。只有一致或已核对的票计入结果。",
		len(rec.EntryA), len(rec.EntryB), len(final), len(unrec), len(diffs)))
}

func ballotText(b *app.Ballot, matters []app.Matter) string {
	if b == nil {
		return L("（没有这张票）")
	}
	var parts []string
	for i, c := range b.Choices {
		if i < len(matters) {
			parts = append(parts, L("事项%d：", matters[i].No)+c.Label())
		}
	}
	s := L("房号 %s", b.Unit) + "　" + strings.Join(parts, "　")
	if b.Invalid != "" {
		s += "　" + L("无效：%s", app.ReasonLabel(b.Invalid))
	}
	if b.Proxy != "" {
		s += "　" + L("代理人：%s", b.Proxy)
	}
	return s
}

func findBallot(bs []app.Ballot, no string) *app.Ballot {
	for i := range bs {
		if bs[i].No == no {
			return &bs[i]
		}
	}
	return nil
}

func (r *reconcilePane) choose(no string) {
	r.chosen = no
	m := r.v.rec.Assembly.Matters
	a, b := findBallot(r.v.rec.EntryA, no), findBallot(r.v.rec.EntryB, no)
	r.detail.SetText(L("票号 %s\n录入 A：%s\n录入 B：%s", no, ballotText(a, m), ballotText(b, m)))
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

// askPaper records what the paper says when it matches neither entry.
func (r *reconcilePane) askPaper() {
	no := r.chosen
	unit := NewUnitEntry(r.v.rec.Register)
	choices := NewChoiceField(r.v.rec.Assembly.Matters)
	proxy := widget.NewEntry()
	if a := findBallot(r.v.rec.EntryA, no); a != nil {
		unit.SetText(a.Unit)
	}
	items := []*widget.FormItem{
		widget.NewFormItem(L("房号"), unit),
		widget.NewFormItem(L("选项"), choices),
		widget.NewFormItem(L("代理人"), proxy),
	}
	d := dialog.NewForm(L("按原票录入票 %s", no), L("保存"), L("取消"), items, func(ok bool) {
		if !ok {
			return
		}
		if !choices.Done() && choices.Invalid == "" {
			ShowError(app.Errorf(app.EINVALID, "每个事项都要按键（未填按 0）", "press a key for every matter (0 for blank)"), r.w)
			return
		}
		b := app.Ballot{No: no, Unit: app.NormalizeUnitID(unit.Text), Choices: choices.Choices, Invalid: choices.Invalid, Proxy: strings.TrimSpace(proxy.Text)}
		r.record(b, L("核对原票，两份录入都不对"))
	}, r.w)
	d.Resize(fyne.NewSize(620, 300))
	d.Show()
	r.w.Canvas().Focus(choices)
}

// resolve records that the paper says what entry e says.
func (r *reconcilePane) resolve(e string) {
	src := r.v.rec.EntryA
	if e == app.EntryB {
		src = r.v.rec.EntryB
	}
	b := findBallot(src, r.chosen)
	if b == nil {
		return
	}
	r.record(*b, L("核对原票，与录入 %s 相同", e))
}

// record saves the third look at the paper; a typed note replaces the default one.
func (r *reconcilePane) record(b app.Ballot, note string) {
	if n := strings.TrimSpace(r.note.Text); n != "" {
		note = n
	}
	if err := r.s.Votes.Resolve(context.Background(), r.v.rec.Assembly.ID, app.Resolution{Ballot: b, Note: note}, Operator()); err != nil {
		ShowError(err, r.w)
		return
	}
	r.v.reload()
	r.note.SetText("")
	r.refresh()
	r.detail.SetText(L("票 %s 已核对。", r.chosen))
	r.useA.Disable()
	r.useB.Disable()
	r.useOwn.Disable()
}
