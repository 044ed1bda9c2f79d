package ui

import (
	"context"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"sunledger/app"
	"sunledger/reports"
)

// Service is the 服务 screen: the repairs, complaints and enquiries with the overdue ones
// flagged, a form to register a new one, a panel to record the next step of the request
// chosen in the list, and the period's statistics with the service report PDF.
func Service(w fyne.Window, s app.Services) fyne.CanvasObject {
	return newServiceScreen(w, s).content
}

type serviceScreen struct {
	w   fyne.Window
	s   app.Services
	vs  app.ServiceStandards
	now time.Time

	reqs     []app.ServiceRequest
	overdue  []bool
	table    *SortTable
	search   *widget.Entry
	onlyLate *widget.Check
	summary  *widget.Label
	stdLabel *widget.Label

	// the new-request form
	unit     *UnitEntry
	kind     *widget.Select
	complex  *widget.Check
	desc     *widget.Entry
	reporter *widget.Entry
	reported *widget.Entry
	channel  *widget.Select
	at       *widget.Entry
	register *widget.Button
	result   *widget.Label

	// the step panel for the chosen request
	chosen     int // data row, -1 none
	chosenL    *widget.Label
	step       *widget.Select
	stepAt     *widget.Entry
	rating     *widget.Select
	recordStep *widget.Button
	action     *widget.Select
	actionText *widget.Entry
	recordAct  *widget.Button

	// statistics
	period *widget.Entry
	stats  *widget.Label

	content fyne.CanvasObject
}

func newServiceScreen(w fyne.Window, s app.Services) *serviceScreen {
	v := &serviceScreen{w: w, s: s, chosen: -1}
	ctx := context.Background()
	units, err := s.Register.Units(ctx)
	if err != nil {
		ShowError(err, w)
	}
	tabs := container.NewAppTabs(
		container.NewTabItem(L("请求"), v.listTab()),
		container.NewTabItem(L("新登记"), v.newRequestTab(units)),
		container.NewTabItem(L("统计"), v.statsTab()),
	)
	v.reload()
	v.resetForm()
	v.period.SetText(app.QuarterOf(v.now.Local().Format("2006-01")))
	v.showStats()
	v.content = container.NewBorder(Heading(L("服务")), nil, nil, nil, tabs)
	return v
}

// listTab is the requests tab: the searchable table of requests, its summary, and
// the panel that records the chosen request's next step.
func (v *serviceScreen) listTab() fyne.CanvasObject {
	cols := []Column{
		{Title: L("编号"), Width: 90, Text: func(i int) string { return v.reqs[i].ID }},
		{Title: L("房号"), Width: 100, Text: func(i int) string { return v.reqs[i].Unit },
			Less: func(a, b int) bool { return app.UnitLess(v.reqs[a].Unit, v.reqs[b].Unit) }},
		{Title: L("类别"), Width: 100, Text: func(i int) string { return serviceKindText(v.reqs[i]) }},
		{Title: L("登记时间"), Width: 140, Text: func(i int) string { return app.FormatServiceTime(v.reqs[i].At) },
			Less: func(a, b int) bool { return v.reqs[a].At.Before(v.reqs[b].At) }},
		{Title: L("描述"), Width: 200, Text: func(i int) string { return v.reqs[i].Description }},
		{Title: L("已办步骤"), Width: 200, Text: func(i int) string { return serviceStepsText(v.reqs[i]) }},
		{Title: L("评价"), Width: 50, Numeric: true, Text: func(i int) string {
			if n := v.reqs[i].Rating(); n > 0 {
				return strconv.Itoa(n)
			}
			return ""
		}},
		{Title: L("状态"), Width: 110, Text: func(i int) string { return v.stateText(i) }},
	}
	v.table = NewSortTable(cols)
	v.table.OnRowSelected = v.choose
	v.search = widget.NewEntry()
	v.search.SetPlaceHolder(L("搜索编号、房号或描述…"))
	v.search.OnChanged = func(string) { v.filter() }
	v.onlyLate = widget.NewCheck(L("只看超时"), func(bool) { v.filter() })
	v.summary = widget.NewLabel("")
	v.table.OnChanged = v.updateSummary
	v.stdLabel = widget.NewLabel("")
	v.stdLabel.Wrapping = fyne.TextWrapWord
	top := container.NewVBox(container.NewBorder(nil, nil, container.NewHBox(sized(v.search, 240), v.onlyLate), nil), v.stdLabel)
	return container.NewBorder(top, container.NewVBox(v.summary, v.stepPanel()), nil, nil, v.table)
}

// stepPanel is the panel under the table that records the next step (and the owner's
// rating) of the chosen request.
func (v *serviceScreen) stepPanel() fyne.CanvasObject {
	v.chosenL = widget.NewLabel(L("在列表中选择一条请求，再登记它的下一步。"))
	v.chosenL.Wrapping = fyne.TextWrapWord
	var stepOpts []string
	for _, st := range app.ServiceSteps {
		stepOpts = append(stepOpts, app.ServiceStepLabel(st))
	}
	v.step = newSelect(stepOpts, nil)
	v.stepAt = widget.NewEntry()
	v.stepAt.Validator = func(s string) error { _, err := app.ParseServiceTime(s); return err }
	v.rating = newSelect([]string{L("无"), "1", "2", "3", "4", "5"}, nil)
	v.rating.SetSelectedIndex(0)
	v.recordStep = widget.NewButtonWithIcon(L("登记步骤"), theme.ConfirmIcon(), v.recordChosenStep)
	v.recordStep.Disable()
	var actOpts []string
	for _, k := range serviceActions {
		actOpts = append(actOpts, app.ServiceEventLabel(k))
	}
	v.action = newSelect(actOpts, nil)
	v.actionText = widget.NewEntry()
	v.actionText.SetPlaceHolder(L("经办人、备注、原因或回执单号"))
	v.recordAct = widget.NewButtonWithIcon(L("登记事项"), theme.ConfirmIcon(), v.recordChosenEvent)
	v.recordAct.Disable()
	return container.NewVBox(widget.NewSeparator(), v.chosenL,
		container.NewHBox(widget.NewLabel(L("步骤")), sized(v.step, 130), widget.NewLabel(L("时间")), sized(v.stepAt, 170),
			widget.NewLabel(L("评价")), sized(v.rating, 80), v.recordStep),
		container.NewBorder(nil, nil, container.NewHBox(widget.NewLabel(L("事项")), sized(v.action, 150)), v.recordAct, v.actionText))
}

// serviceActions are what the panel records besides steps, in its menu's order.
var serviceActions = []string{app.EventAssign, app.EventNote, app.EventReopen, app.EventEscalate, app.EventSignoff}

// recordChosenEvent records the action chosen for the chosen request: the text is the
// handler, the note, the reason or the slip's number; the time is the step panel's.
func (v *serviceScreen) recordChosenEvent() {
	if v.chosen < 0 {
		return
	}
	if v.action.SelectedIndex() < 0 {
		ShowError(app.Errorf(app.EINVALID, "请选择事项", "choose what to record"), v.w)
		return
	}
	at, err := app.ParseServiceTime(v.stepAt.Text)
	if err != nil {
		ShowError(err, v.w)
		return
	}
	ev := app.ServiceEvent{Kind: serviceActions[v.action.SelectedIndex()], At: at, Text: v.actionText.Text}
	if ev.Kind == app.EventSignoff {
		ev.Text, ev.Slip = "", v.actionText.Text
	}
	r, err := v.s.Service.RecordServiceEvent(context.Background(), v.reqs[v.chosen].ID, ev, Operator())
	if err != nil {
		ShowError(err, v.w)
		return
	}
	v.actionText.SetText("")
	v.reload()
	for i := range v.reqs {
		if v.reqs[i].ID == r.ID {
			v.choose(i)
		}
	}
}

// newRequestTab is the form that registers a new request for one of units.
func (v *serviceScreen) newRequestTab(units []app.Unit) fyne.CanvasObject {
	v.unit = NewUnitEntry(units)
	var kindOpts []string
	for _, k := range app.ServiceKinds {
		kindOpts = append(kindOpts, app.ServiceKindLabel(k))
	}
	v.kind = newSelect(kindOpts, nil)
	v.kind.SetSelectedIndex(0)
	v.complex = widget.NewCheck(L("复杂事项（先出方案）"), nil)
	v.desc = widget.NewMultiLineEntry()
	v.desc.SetPlaceHolder(L("例如：厨房水管漏水"))
	v.desc.Validator = func(s string) error {
		if strings.TrimSpace(s) == "" {
			return app.Errorf(app.EINVALID, "请填写描述", "enter a description")
		}
		return nil
	}
	v.reporter = widget.NewEntry()
	v.reported = widget.NewEntry()
	v.reported.SetPlaceHolder(L("业主报告的时间，晚于登记时可不填"))
	v.reported.Validator = func(s string) error {
		if strings.TrimSpace(s) == "" {
			return nil
		}
		_, err := app.ParseServiceTime(s)
		return err
	}
	chOpts := []string{L("不填")}
	for _, c := range app.ServiceChannels {
		chOpts = append(chOpts, app.ServiceChannelLabel(c))
	}
	v.channel = newSelect(chOpts, nil)
	v.at = widget.NewEntry()
	v.at.Validator = func(s string) error { _, err := app.ParseServiceTime(s); return err }
	v.result = widget.NewLabel("")
	v.result.Wrapping = fyne.TextWrapWord
	v.register = widget.NewButtonWithIcon(L("登记"), theme.ConfirmIcon(), v.registerRequest)
	v.register.Importance = widget.HighImportance
	form := widget.NewForm(
		widget.NewFormItem(L("房号"), v.unit),
		widget.NewFormItem("", v.unit.Hint()),
		widget.NewFormItem(L("类别"), v.kind),
		widget.NewFormItem("", v.complex),
		widget.NewFormItem(L("描述"), v.desc),
		widget.NewFormItem(L("报告人"), v.reporter),
		widget.NewFormItem(L("报告渠道"), v.channel),
		widget.NewFormItem(L("业主报告时间"), v.reported),
		widget.NewFormItem(L("登记时间"), v.at),
	)
	return container.NewVScroll(container.NewVBox(form, container.NewHBox(v.register), v.result))
}

// statsTab is the statistics tab: a period's service figures and their notice PDF.
func (v *serviceScreen) statsTab() fyne.CanvasObject {
	w, s := v.w, v.s
	v.period = widget.NewEntry()
	v.stats = widget.NewLabel("")
	v.stats.Wrapping = fyne.TextWrapWord
	show := widget.NewButtonWithIcon(L("统计"), theme.SearchIcon(), v.showStats)
	pdf := widget.NewButtonWithIcon(L("服务质量公示 PDF…"), theme.DocumentSaveIcon(), func() {
		period := strings.TrimSpace(v.period.Text)
		if _, _, err := app.ParseCollectionPeriod(period); err != nil {
			ShowError(err, w)
			return
		}
		PrintDocument(w, s, "service", reports.Args{Period: period}, L("服务质量公示-%s.pdf", period))
	})
	return container.NewVScroll(container.NewVBox(
		container.NewHBox(widget.NewLabel(L("期间")), sized(v.period, 130), show, pdf),
		widget.NewLabel(L("期间写成 2026Q1、2026-03 或 2026。")), v.stats))
}

func serviceKindText(r app.ServiceRequest) string {
	k := app.ServiceKindLabel(r.Kind)
	if r.Complex {
		k += L("（复杂）")
	}
	return k
}

func serviceStepsText(r app.ServiceRequest) string {
	var parts []string
	for _, s := range r.Steps {
		parts = append(parts, app.ServiceStepLabel(s.Step)+" "+s.At.Local().Format("01-02 15:04"))
	}
	return strings.Join(parts, "，")
}

// stateText is 超时 when a step is past its limit, else 办理中 or 已办结.
func (v *serviceScreen) stateText(i int) string {
	if v.overdue[i] {
		return "⚠ " + L("超时")
	}
	std := v.vs.For(v.reqs[i])
	for _, st := range std.Steps() {
		if v.reqs[i].Status(std, st, v.now) == app.StepPending {
			return L("办理中")
		}
	}
	return L("已办结")
}

// reload reads the requests and the standard again and keeps the filter.
func (v *serviceScreen) reload() {
	ctx := context.Background()
	std, err := v.s.Service.ServiceStandard(ctx)
	if err != nil {
		ShowError(err, v.w)
	}
	vs, err := v.s.Service.ServiceStandards(ctx)
	if err != nil {
		ShowError(err, v.w)
	}
	reqs, err := v.s.Service.ServiceRequests(ctx)
	if err != nil {
		ShowError(err, v.w)
	}
	v.vs, v.reqs, v.now = vs, reqs, v.s.Now()
	v.overdue = make([]bool, len(reqs))
	for i, r := range reqs {
		v.overdue[i] = r.Overdue(vs.For(r), v.now)
	}
	v.stdLabel.SetText(L("服务标准 %s（时限从业主报告时起算）", std.String()))
	v.table.SetData(len(reqs))
	if v.table.sortCol < 0 {
		v.table.SortBy(3, true) // newest first
	}
	v.filter()
}

func (v *serviceScreen) filter() {
	q, late := v.search.Text, v.onlyLate.Checked
	v.table.SetFilter(func(i int) bool {
		if late && !v.overdue[i] {
			return false
		}
		r := v.reqs[i]
		return Matches(q, r.ID, r.Unit, r.Description)
	})
}

func (v *serviceScreen) updateSummary() {
	late := 0
	for r := 0; r < v.table.Rows(); r++ {
		if v.overdue[v.table.DataRow(r)] {
			late++
		}
	}
	v.summary.SetText(L("显示 %d 件，其中超时 %d 件", v.table.Rows(), late))
}

func (v *serviceScreen) resetForm() {
	v.unit.SetText("")
	v.desc.SetText("")
	v.reporter.SetText("")
	v.reported.SetText("")
	v.channel.SetSelectedIndex(0)
	v.complex.SetChecked(false)
	v.at.SetText(v.s.Now().Format(app.ServiceTimeLayout))
}

func (v *serviceScreen) registerRequest() {
	if !v.unit.Complete() {
		ShowError(app.Errorf(app.ENOTFOUND, "登记册里没有房号 %s；没有登记，请检查房号", "unit %s is not in the register; nothing was registered: check the unit", strings.TrimSpace(v.unit.Text)), v.w)
		return
	}
	at, err := app.ParseServiceTime(v.at.Text)
	if err != nil {
		ShowError(err, v.w)
		return
	}
	r := app.ServiceRequest{Unit: v.unit.Unit().ID, Kind: app.ServiceKinds[max(v.kind.SelectedIndex(), 0)], Complex: v.complex.Checked,
		Description: strings.TrimSpace(v.desc.Text), Reporter: strings.TrimSpace(v.reporter.Text), At: at}
	if i := v.channel.SelectedIndex(); i > 0 {
		r.Channel = app.ServiceChannels[i-1]
	}
	if strings.TrimSpace(v.reported.Text) != "" {
		if r.ReportedAt, err = app.ParseServiceTime(v.reported.Text); err != nil {
			ShowError(err, v.w)
			return
		}
	}
	r, err = v.s.Service.NewServiceRequest(context.Background(), r, Operator())
	if err != nil {
		ShowError(err, v.w)
		return
	}
	v.result.SetText(L("已登记 %s：%s %s", r.ID, r.Unit, app.ServiceKindLabel(r.Kind)))
	v.resetForm()
	v.reload()
}

// choose makes data row i the request whose next step the panel records.
func (v *serviceScreen) choose(i int) {
	if i < 0 || i >= len(v.reqs) {
		return
	}
	v.chosen = i
	r := v.reqs[i]
	v.chosenL.SetText(L("%s　%s　%s　登记于 %s", r.ID, r.Unit, serviceKindText(r), app.FormatServiceTime(r.At)) + serviceChosenState(r))
	// propose the first step of the standard not yet done
	v.step.ClearSelected()
	std := v.vs.For(r)
	for _, st := range std.Steps() {
		if _, done := r.Done(st); !done {
			if _, held := std.Limit(st, r.Complex); held {
				v.step.SetSelectedIndex(stepIndex(st))
				break
			}
		}
	}
	v.stepAt.SetText(v.s.Now().Format(app.ServiceTimeLayout))
	v.rating.SetSelectedIndex(0)
	v.recordStep.Enable()
	v.recordAct.Enable()
}

func stepIndex(step app.ServiceStep) int {
	return slices.Index(app.ServiceSteps, step)
}

func (v *serviceScreen) recordChosenStep() {
	if v.chosen < 0 {
		return
	}
	if v.step.SelectedIndex() < 0 {
		ShowError(app.Errorf(app.EINVALID, "请选择步骤", "choose a step"), v.w)
		return
	}
	at, err := app.ParseServiceTime(v.stepAt.Text)
	if err != nil {
		ShowError(err, v.w)
		return
	}
	rec := app.ServiceStepRecord{Step: app.ServiceSteps[v.step.SelectedIndex()], At: at, Rating: max(v.rating.SelectedIndex(), 0)}
	id := v.reqs[v.chosen].ID
	r, err := v.s.Service.RecordServiceStep(context.Background(), id, rec, Operator())
	if err != nil {
		ShowError(err, v.w)
		return
	}
	v.reload()
	for i := range v.reqs {
		if v.reqs[i].ID == r.ID {
			v.choose(i)
		}
	}
}

func (v *serviceScreen) showStats() {
	st, err := v.s.Service.ServiceStats(context.Background(), v.period.Text)
	if err != nil {
		v.stats.SetText(err.Error())
		return
	}
	lines := []string{L("%s 至 %s 登记 %d 件（复杂 %d 件）", st.From, st.To, st.Requests, st.Complex)}
	var kinds []string
	for _, k := range app.ServiceKinds {
		kinds = append(kinds, app.ServiceKindLabel(k)+" "+strconv.Itoa(st.ByKind[k]))
	}
	lines = append(lines, strings.Join(kinds, "　"))
	for _, step := range st.StepKeys() {
		c := st.Steps[step]
		med := "–"
		if tm := st.Times[step]; tm.Done > 0 {
			med = app.FormatDuration(tm.Median)
		}
		lines = append(lines, L("%s：应考核 %d，达标 %d（%s），中位用时 %s", app.ServiceStepLabel(step), c.Due, c.Within, c.Share(), med))
	}
	if st.Rated > 0 {
		lines = append(lines, L("业主评价 %d 件，平均 %s 分", st.Rated, st.AverageRating()))
	}
	if len(st.Overdue) > 0 {
		ids := append([]string(nil), st.Overdue...)
		sort.Strings(ids)
		lines = append(lines, L("超时未办 %d 件：%s", len(ids), strings.Join(ids, " ")))
	} else {
		lines = append(lines, L("没有超时未办的请求"))
	}
	v.stats.SetText(strings.Join(lines, "\n"))
}

// serviceChosenState adds to the chosen request's line when the owner reported it, its
// handler, reopens, escalation and sign-off.
func serviceChosenState(r app.ServiceRequest) string {
	var parts []string
	if !r.ReportedAt.IsZero() {
		parts = append(parts, L("业主报告于 %s", app.FormatServiceTime(r.ReportedAt)))
	}
	if r.Handler != "" {
		parts = append(parts, L("经办人 %s", r.Handler))
	}
	if n := r.Reopened(); n > 0 {
		parts = append(parts, L("重新打开 %d 次", n))
	}
	if r.Escalated() {
		parts = append(parts, L("已提交联席会议"))
	}
	if so, ok := r.Event(app.EventSignoff); ok {
		parts = append(parts, L("业主已签字确认（回执单 %s）", so.Slip))
	}
	if len(parts) == 0 {
		return ""
	}
	return "　" + strings.Join(parts, "，")
}
