package ui

import (
	"context"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"sunledger/app"
	"sunledger/reports"
	"sunledger/sheet"
)

// Surveys is the owner satisfaction survey screen (docs/survey.md): the surveys with
// their reconciliation status and score; create one, key entry A or B from a sheet,
// print the result notice, and compute a quarter's assessment.
func Surveys(w fyne.Window, s app.Services) fyne.CanvasObject {
	return newSurveysScreen(w, s).content
}

type surveysScreen struct {
	w       fyne.Window
	s       app.Services
	surveys []app.Survey
	results []app.SurveyResult
	recs    []app.SurveyRecord
	sel     int
	table   *SortTable
	detail  *widget.Label
	content fyne.CanvasObject
}

func newSurveysScreen(w fyne.Window, s app.Services) *surveysScreen {
	v := &surveysScreen{w: w, s: s, sel: -1}
	v.table = NewSortTable([]Column{
		{Title: L("编号"), Width: 70, Text: func(i int) string { return v.surveys[i].ID }},
		{Title: L("季度"), Width: 80, Text: func(i int) string { return v.surveys[i].Quarter }},
		{Title: L("标题"), Width: 280, Text: func(i int) string { return v.surveys[i].Title }},
		{Title: L("有效答卷"), Width: 100, Numeric: true, Text: func(i int) string {
			return itoa(v.results[i].Returned) + "/" + itoa(v.results[i].Surveyed)
		}},
		{Title: L("录入A/B"), Width: 90, Numeric: true, Text: func(i int) string {
			return itoa(v.results[i].EnteredA) + "/" + itoa(v.results[i].EnteredB)
		}},
		{Title: L("未核对"), Width: 70, Numeric: true, Text: func(i int) string { return itoa(len(v.results[i].Unreconciled)) }},
		{Title: L("总分"), Width: 80, Numeric: true, Text: func(i int) string {
			if !v.results[i].HasTotal {
				return "–"
			}
			return v.results[i].Total.StringFixed(2)
		}},
	})
	v.table.OnRowSelected = func(i int) { v.sel = i; v.showDetail() }
	v.detail = widget.NewLabel("")
	v.detail.Wrapping = fyne.TextWrapWord
	// Keying in one row, results in another: one row of six is wider than a 1024-wide
	// screen in English.
	bar := container.NewHBox(
		widget.NewButtonWithIcon(L("新建调查…"), theme.ContentAddIcon(), v.askNew),
		widget.NewButtonWithIcon(L("录入A…"), theme.UploadIcon(), func() { v.enter(app.EntryA) }),
		widget.NewButtonWithIcon(L("录入B…"), theme.UploadIcon(), func() { v.enter(app.EntryB) }),
		widget.NewButtonWithIcon(L("核对差异…"), theme.SearchIcon(), func() { v.reconcile() }),
	)
	results := container.NewHBox(
		widget.NewButtonWithIcon(L("打印结果公示…"), theme.DocumentPrintIcon(), v.print),
		widget.NewButtonWithIcon(L("计算季度考核…"), theme.ConfirmIcon(), v.askCompute),
	)
	split := container.NewVSplit(v.table, container.NewVScroll(v.detail))
	split.Offset = 0.5
	v.content = container.NewBorder(container.NewVBox(Heading(L("满意度调查")), bar, results), nil, nil, nil, split)
	v.reload()
	return v
}

func (v *surveysScreen) reload() {
	ctx := context.Background()
	v.surveys, _ = v.s.Surveys.Surveys(ctx)
	v.results, v.recs = make([]app.SurveyResult, len(v.surveys)), make([]app.SurveyRecord, len(v.surveys))
	for i, sv := range v.surveys {
		rec, err := v.s.Surveys.SurveyRecord(ctx, sv.ID)
		if err != nil {
			ShowError(err, v.w)
			continue
		}
		v.recs[i], v.results[i] = rec, app.ScoreSurvey(rec)
	}
	v.table.SetData(len(v.surveys))
	if v.sel >= len(v.surveys) || v.sel < 0 {
		v.sel = len(v.surveys) - 1
	}
	v.showDetail()
}

// showDetail writes the chosen survey's reconciliation and score per question.
func (v *surveysScreen) showDetail() {
	if v.sel < 0 {
		v.detail.SetText(L("还没有调查。新建一个调查，把纸质答卷由两人分别录入 A 和 B。"))
		return
	}
	r := v.results[v.sel]
	rec := v.recs[v.sel]
	resolved := make([]app.SurveySheet, len(rec.Resolutions))
	for i, x := range rec.Resolutions {
		resolved[i] = x.Sheet
	}
	_, diffs, _ := app.SurveyEntry.Reconcile(rec.EntryA, rec.EntryB, resolved)
	var b strings.Builder
	b.WriteString(L("%s：调查 %d 户，有效答卷 %d 份，参与率 %s%%；无效 %d 份，重复 %d 户。", r.ID, r.Surveyed, r.Returned, r.Participation.StringFixed(2), len(r.Invalid), len(r.Duplicates)))
	b.WriteString("\n")
	b.WriteString(L("录入A %d 份，录入B %d 份，%d 处差异，%d 份尚未核对一致（点“核对差异…”对照原卷记录结果）。", r.EnteredA, r.EnteredB, len(diffs), len(r.Unreconciled)))
	b.WriteString("\n")
	for _, q := range r.Questions {
		sc := "–"
		if q.HasScore {
			sc = q.Score.StringFixed(2)
		}
		b.WriteString(L("问题%d %s（权重 %s）：%d 人作答，得分 %s", q.No, q.Text, q.Weight.String(), q.Answered, sc) + "\n")
	}
	if r.HasTotal {
		b.WriteString(L("加权总分 %s", r.Total.StringFixed(2)) + "\n")
	}
	shown := 0
	for _, d := range diffs {
		if d.Resolved || shown == 20 {
			continue
		}
		if shown == 0 {
			b.WriteString("\n" + L("待核对的差异（最多列 20 处）：") + "\n")
		}
		shown++
		field := d.Field
		switch {
		case field == "unit":
			field = L("房号")
		case field == "ballot_no":
			field = L("仅一方录入")
		case strings.HasPrefix(field, "q"):
			field = L("问题 %s", field[1:])
		case field == "invalid_reason":
			field = L("无效原因")
		}
		b.WriteString(L("答卷 %s %s：录入A %s，录入B %s", d.Ballot, field, orDash(d.A), orDash(d.B)) + "\n")
	}
	v.detail.SetText(b.String())
}

func (v *surveysScreen) askNew() {
	title, quarter, scale := widget.NewEntry(), widget.NewEntry(), widget.NewEntry()
	quarter.SetPlaceHolder("2026Q3")
	scale.SetText(L(app.DefaultSurveyScale))
	qs := widget.NewMultiLineEntry()
	qs.SetPlaceHolder(L("每行一个问题：问题:权重，例如 保洁:25"))
	qs.SetMinRowsVisible(5)
	form := []*widget.FormItem{widget.NewFormItem(L("标题"), title), widget.NewFormItem(L("季度"), quarter),
		widget.NewFormItem(L("评分尺度"), scale), widget.NewFormItem(L("问题"), qs)}
	d := dialog.NewForm(L("新建调查"), L("创建"), L("取消"), form, func(ok bool) {
		if !ok {
			return
		}
		if err := v.create(title.Text, quarter.Text, scale.Text, qs.Text); err != nil {
			ShowError(err, v.w)
		}
	}, v.w)
	d.Resize(fyne.NewSize(620, 440))
	d.Show()
}

// create records a survey with one question a line.
func (v *surveysScreen) create(title, quarter, scale, lines string) error {
	sv := app.Survey{Title: strings.TrimSpace(title), Quarter: quarter}
	var err error
	if sv.Scale, err = app.ParseSurveyScale(scale); err != nil {
		return err
	}
	for _, l := range strings.Split(lines, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			q, err := app.ParseSurveyQuestion(len(sv.Questions)+1, l)
			if err != nil {
				return err
			}
			sv.Questions = append(sv.Questions, q)
		}
	}
	if _, err := v.s.Surveys.CreateSurvey(context.Background(), sv, Operator()); err != nil {
		return err
	}
	v.sel = len(v.surveys)
	v.reload()
	return nil
}

func (v *surveysScreen) enter(entry string) {
	if v.sel < 0 {
		return
	}
	ChooseSheet(v.w, func(path string) {
		if err := v.enterFile(entry, path); err != nil {
			ShowError(err, v.w)
		}
	})
}

// enterFile keys one transcription of the chosen survey's sheets from a CSV/XLSX file.
func (v *surveysScreen) enterFile(entry, path string) error {
	rows, err := sheet.Read(path)
	if err != nil {
		return err
	}
	sheets, err := app.ParseSurveyRows(rows, v.surveys[v.sel])
	if err != nil {
		return err
	}
	if err := v.s.Surveys.EnterSheets(context.Background(), v.surveys[v.sel].ID, entry, sheets, false, Operator()); err != nil {
		return err
	}
	v.reload()
	return nil
}

func (v *surveysScreen) print() {
	if v.sel < 0 {
		return
	}
	sv := v.surveys[v.sel]
	PrintDocument(v.w, v.s, "survey", reports.Args{Survey: sv.ID}, L("满意度调查-%s.pdf", sv.ID))
}

func (v *surveysScreen) askCompute() {
	quarter := widget.NewEntry()
	if v.sel >= 0 {
		quarter.SetText(v.surveys[v.sel].Quarter)
	}
	items := widget.NewMultiLineEntry()
	items.SetPlaceHolder(L("每行一项：项目:权重:得分，例如 保洁:30:92"))
	items.SetMinRowsVisible(4)
	form := []*widget.FormItem{widget.NewFormItem(L("季度"), quarter), widget.NewFormItem(L("委员会考核项"), items)}
	d := dialog.NewForm(L("计算季度考核"), L("计算并记录"), L("取消"), form, func(ok bool) {
		if !ok {
			return
		}
		a, err := v.Compute(quarter.Text, items.Text)
		if err != nil {
			ShowError(err, v.w)
			return
		}
		var b strings.Builder
		for _, c := range a.Basis.Components {
			if c.Present {
				b.WriteString(L("%s：权重 %s，得分 %s，贡献 %s", L(c.Name), c.Weight.String(), c.Score.StringFixed(2), c.Contribution.StringFixed(2)) + "\n")
			} else {
				b.WriteString(L("%s：无数据，不计入", L(c.Name)) + "\n")
			}
		}
		b.WriteString(L("%s 考核综合得分 %s", a.Quarter, a.Total().StringFixed(2)))
		ShowInfo(L("计算季度考核"), b.String(), v.w)
	}, v.w)
	d.Resize(fyne.NewSize(560, 340))
	d.Show()
}

// Compute computes and records quarter's assessment from its latest scored survey, the
// service statistics and the committee items typed one a line.
func (v *surveysScreen) Compute(quarter, lines string) (app.Assessment, error) {
	ctx := context.Background()
	q, err := app.ParseQuarter(quarter)
	if err != nil {
		return app.Assessment{}, err
	}
	items, err := scoreLines(lines)
	if err != nil {
		return app.Assessment{}, err
	}
	a, err := app.ComputeQuarter(ctx, v.s, q, "", items)
	if err != nil {
		return app.Assessment{}, err
	}
	return a, v.s.Remuneration.RecordAssessment(ctx, a, Operator(), "computed")
}

// scoreLines reads assessment items typed one a line (项目:权重:得分, a full-width colon
// is fine).
func scoreLines(lines string) ([]app.AssessmentScore, error) {
	var raw []string
	for _, l := range strings.Split(strings.ReplaceAll(lines, "：", ":"), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			raw = append(raw, l)
		}
	}
	return app.ParseScores(raw)
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}
