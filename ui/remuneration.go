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
)

// remunerationPane shows the property company's remuneration (酬金): the contract's
// clause, the quarterly service assessments and the monthly accruals, and accrues the
// months not yet accrued.
type remunerationPane struct {
	w        fyne.Window
	s        app.Services
	contract *widget.Label
	quarters *widget.Label // each quarter's remuneration and what is unpaid
	accruals []app.RemunerationAccrual
	assess   []app.Assessment
	accT     *SortTable
	assT     *SortTable
	content  fyne.CanvasObject
}

func newRemunerationPane(w fyne.Window, s app.Services) *remunerationPane {
	r := &remunerationPane{w: w, s: s}
	r.contract = widget.NewLabel("")
	r.quarters = widget.NewLabel("")
	r.quarters.Wrapping = fyne.TextWrapWord
	r.contract.Wrapping = fyne.TextWrapWord
	r.accT = NewSortTable([]Column{
		{Title: L("月份"), Width: 90, Text: func(i int) string { return r.accruals[i].Month }},
		{Title: L("物业费收入"), Width: 140, Numeric: true, Text: func(i int) string { return app.FormatAmount(r.accruals[i].Base) }},
		{Title: L("考核"), Width: 130, Text: func(i int) string {
			a := r.accruals[i]
			if a.Quarter == "" {
				return ""
			}
			return a.Quarter + " " + a.Score.StringFixed(1)
		}},
		{Title: L("系数"), Width: 70, Numeric: true, Text: func(i int) string { return r.accruals[i].Factor.String() }},
		{Title: L("酬金"), Width: 130, Numeric: true, Text: func(i int) string { return app.FormatAmount(r.accruals[i].Amount) },
			Less: func(a, b int) bool { return r.accruals[a].Amount.LessThan(r.accruals[b].Amount) }},
		{Title: L("凭证"), Width: 80, Numeric: true, Text: func(i int) string { return "#" + itoa(int(r.accruals[i].Entry)) }},
	})
	r.assT = NewSortTable([]Column{
		{Title: L("季度"), Width: 90, Text: func(i int) string { return r.assess[i].Quarter }},
		{Title: L("加权得分"), Width: 90, Numeric: true, Text: func(i int) string { return r.assess[i].Total().StringFixed(1) }},
		{Title: L("考核项（权重：得分）"), Width: 420, Text: func(i int) string {
			var parts []string
			for _, sc := range r.assess[i].Scores {
				parts = append(parts, sc.Item+" "+sc.Weight.String()+"："+sc.Score.String())
			}
			return strings.Join(parts, "，")
		}},
	})
	accrue := widget.NewButtonWithIcon(L("计提酬金…"), theme.ContentAddIcon(), r.askAccrue)
	assess := widget.NewButtonWithIcon(L("录入季度考核…"), theme.DocumentCreateIcon(), r.askAssessment)
	clause := widget.NewButtonWithIcon(L("酬金条款…"), theme.DocumentCreateIcon(), r.askContract)
	split := container.NewVSplit(
		container.NewBorder(widget.NewLabelWithStyle(L("逐月计提"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), nil, nil, nil, r.accT),
		container.NewBorder(widget.NewLabelWithStyle(L("季度服务考核"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), nil, nil, nil, r.assT))
	split.Offset = 0.6
	// The clause above its buttons: beside three buttons it was squeezed to a column.
	r.content = container.NewBorder(container.NewVBox(r.contract, r.quarters, container.NewHBox(clause, accrue, assess)), nil, nil, nil, split)
	r.reload()
	return r
}

func (r *remunerationPane) reload() {
	ctx := context.Background()
	c, err := r.s.Remuneration.RemunerationContract(ctx)
	switch {
	case err != nil && app.ErrorCode(err) != app.ENOTFOUND:
		r.contract.SetText(L("读取失败：%s", err.Error()))
		r.contract.Importance = widget.DangerImportance
	case err != nil || c.Mode == "":
		r.contract.SetText(L("合同的酬金条款还没有录入：点“酬金条款…”照合同填写。"))
	case c.Mode == app.RemunerationPercent:
		r.contract.SetText(L("合同约定：酬金为物业费收入的 %s%%，自 %s 起；%s", c.Percent.String(), c.From, bandsText(c)))
	default:
		r.contract.SetText(L("合同约定：酬金每月固定 %s，自 %s 起；%s", app.FormatAmount(c.Monthly), c.From, bandsText(c)))
	}
	if r.accruals, err = r.s.Remuneration.Accruals(ctx); err != nil {
		ShowError(err, r.w)
	}
	r.quarters.SetText(quartersText(ctx, r.s))
	if r.assess, err = r.s.Remuneration.Assessments(ctx); err != nil {
		ShowError(err, r.w)
	}
	r.accT.SetData(len(r.accruals))
	r.accT.SortBy(0, true)
	r.assT.SetData(len(r.assess))
	r.assT.SortBy(0, true)
}

// quartersText is the last four quarters' remuneration (base × rate × factor once the
// quarter is trued up, docs/remuneration.md) and what is unpaid, since when.
func quartersText(ctx context.Context, s app.Services) string {
	st, err := s.Remuneration.RemunerationStatus(ctx)
	if err != nil {
		return L("读取失败：%s", err.Error())
	}
	var parts []string
	qs := st.Quarters
	if len(qs) > 4 {
		qs = qs[len(qs)-4:]
	}
	for _, q := range qs {
		if q.TrueUp {
			parts = append(parts, L("%s %s（系数 %s）", q.Quarter, app.FormatAmount(q.Due), q.Factor.String()))
		} else {
			parts = append(parts, L("%s %s（待考核）", q.Quarter, app.FormatAmount(q.Due)))
		}
	}
	if len(parts) == 0 {
		return ""
	}
	text := L("季度酬金（基数 × 比例 × 考核系数）：%s", strings.Join(parts, "，"))
	if st.Since != "" {
		text += L("；未付 %s，最早自 %s 起（%d 个月）", app.FormatAmount(st.Owed), st.Since, st.AgeMonths)
	}
	return text
}

func bandsText(c app.RemunerationContract) string {
	if len(c.Bands) == 0 {
		return L("不按考核得分调整。")
	}
	var parts []string
	for _, b := range c.Bands {
		parts = append(parts, L("%d 分以上 × %s", b.MinScore, b.Factor.String()))
	}
	return L("按季度考核得分调整：%s。", strings.Join(parts, "，"))
}

func (r *remunerationPane) askAccrue() {
	from, to := widget.NewEntry(), widget.NewEntry()
	last := r.s.Now().AddDate(0, -1, 0).Format("2006-01")
	from.SetText(last)
	to.SetText(last)
	items := []*widget.FormItem{widget.NewFormItem(L("从（YYYY-MM）"), from), widget.NewFormItem(L("到（YYYY-MM）"), to)}
	d := dialog.NewForm(L("计提酬金"), L("计提"), L("取消"), items, func(ok bool) {
		if !ok {
			return
		}
		acc, err := r.s.Remuneration.AccrueRemuneration(context.Background(), strings.TrimSpace(from.Text), strings.TrimSpace(to.Text), Operator(), "")
		if err != nil {
			ShowError(err, r.w)
			return
		}
		r.reload()
		ShowInfo(L("计提酬金"), L("已计提 %d 个月的酬金。", len(acc)), r.w)
	}, r.w)
	d.Resize(fyne.NewSize(480, 240))
	d.Show()
}

func (r *remunerationPane) askAssessment() {
	q := widget.NewEntry()
	q.SetPlaceHolder("2026Q1")
	items := widget.NewMultiLineEntry()
	items.SetPlaceHolder(L("每行一项：项目:权重:得分，例如 保洁:30:92"))
	items.SetMinRowsVisible(5)
	note := widget.NewEntry()
	form := []*widget.FormItem{widget.NewFormItem(L("季度"), q), widget.NewFormItem(L("考核项"), items), widget.NewFormItem(L("备注"), note)}
	d := dialog.NewForm(L("季度服务考核"), L("保存"), L("取消"), form, func(ok bool) {
		if !ok {
			return
		}
		if err := r.RecordAssessment(q.Text, items.Text, note.Text); err != nil {
			ShowError(err, r.w)
		}
	}, r.w)
	d.Resize(fyne.NewSize(560, 380))
	d.Show()
}

// RecordAssessment records a quarter's scores typed one item a line.
func (r *remunerationPane) RecordAssessment(quarter, lines, note string) error {
	qq, err := app.ParseQuarter(quarter)
	if err != nil {
		return err
	}
	scores, err := scoreLines(lines)
	if err != nil {
		return err
	}
	if err := r.s.Remuneration.RecordAssessment(context.Background(), app.Assessment{Quarter: qq, Scores: scores, Note: strings.TrimSpace(note)}, Operator(), ""); err != nil {
		return err
	}
	r.reload()
	return nil
}

// remunerationBases are the bases of a percentage clause, in the form's order.
var remunerationBases = []string{app.BaseCollected, app.BaseBilled, app.BaseExpenses}

// askContract is the form of the contract's remuneration clause (as `remuneration
// contract`): a percentage of a base or a fixed amount a month, from a month on,
// optionally scaled by the quarter's assessment score.
func (r *remunerationPane) askContract() {
	cur, _ := r.s.Remuneration.RemunerationContract(context.Background())
	mode := widget.NewRadioGroup([]string{L("按比例"), L("每月固定")}, nil)
	mode.Horizontal = true
	var baseOpts []string
	for _, b := range remunerationBases {
		baseOpts = append(baseOpts, app.RemunerationBaseLabel(b))
	}
	base := newSelect(baseOpts, nil)
	base.SetSelectedIndex(0)
	percent, monthly, from, bands, why := widget.NewEntry(), widget.NewEntry(), widget.NewEntry(), widget.NewEntry(), widget.NewEntry()
	percent.SetPlaceHolder("15")
	monthly.SetPlaceHolder("20000.00")
	from.SetText(r.s.Now().Format("2006-01"))
	bands.SetPlaceHolder(L("例如 90:1,80:0.95,0:0.9（留空：不按考核调整）"))
	why.SetPlaceHolder(L("例如 2026 年物业服务合同第 8 条"))
	mode.SetSelected(L("按比例"))
	if cur.Mode != "" {
		from.SetText(cur.From)
		if cur.Mode == app.RemunerationFixed {
			mode.SetSelected(L("每月固定"))
			monthly.SetText(cur.Monthly.StringFixed(2))
		} else {
			percent.SetText(cur.Percent.String())
			for i, b := range remunerationBases {
				if b == cur.Base || (cur.Base == "" && b == app.BaseBilled) {
					base.SetSelectedIndex(i)
				}
			}
		}
		var parts []string
		for _, b := range cur.Bands {
			parts = append(parts, itoa(b.MinScore)+":"+b.Factor.String())
		}
		bands.SetText(strings.Join(parts, ","))
	}
	items := []*widget.FormItem{
		widget.NewFormItem(L("方式"), mode),
		widget.NewFormItem(L("比例（%）"), percent),
		widget.NewFormItem(L("比例的基数"), base),
		widget.NewFormItem(L("每月固定金额"), monthly),
		widget.NewFormItem(L("自（YYYY-MM）起"), from),
		widget.NewFormItem(L("按考核得分调整"), bands),
		widget.NewFormItem(L("依据"), why),
	}
	d := dialog.NewForm(L("酬金条款"), L("保存"), L("取消"), items, func(ok bool) {
		if !ok {
			return
		}
		f := ContractForm{Fixed: mode.Selected == L("每月固定"), Percent: percent.Text, Monthly: monthly.Text, From: from.Text, Bands: bands.Text, Why: why.Text}
		if i := base.SelectedIndex(); i >= 0 {
			f.Base = remunerationBases[i]
		}
		if err := r.SetContract(f); err != nil {
			ShowError(err, r.w)
		}
	}, r.w)
	d.Resize(fyne.NewSize(620, 460))
	d.Show()
}

// ContractForm is the remuneration clause as typed.
type ContractForm struct {
	Fixed                                    bool
	Percent, Base, Monthly, From, Bands, Why string
}

// SetContract records the clause; a bad figure changes nothing.
func (r *remunerationPane) SetContract(f ContractForm) error {
	c := app.RemunerationContract{From: strings.TrimSpace(f.From)}
	var err error
	if f.Fixed {
		c.Mode = app.RemunerationFixed
		if c.Monthly, err = app.ParseAmount(f.Monthly); err != nil {
			return err
		}
	} else {
		c.Mode, c.Base = app.RemunerationPercent, f.Base
		if c.Percent, err = app.ParseNumber(f.Percent); err != nil {
			return err
		}
	}
	if strings.TrimSpace(f.Bands) != "" {
		if c.Bands, err = app.ParseBands(f.Bands); err != nil {
			return err
		}
	}
	if err := r.s.Remuneration.SetRemunerationContract(context.Background(), c, Operator(), strings.TrimSpace(f.Why)); err != nil {
		return err
	}
	r.reload()
	return nil
}
