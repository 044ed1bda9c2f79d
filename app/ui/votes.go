package ui

import (
	"context"
	"sort"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"sunledger/app"
	"sunledger/reports"
)

// Votes is the 表决 screen of an owners' assembly on paper ballots: keying the ballots
// twice (entries A and B), reconciling the differences against the paper, and the
// result by the Civil Code double majority, to be read out loud.
func Votes(w fyne.Window, s app.Services) fyne.CanvasObject {
	return newVotesScreen(w, s).content
}

type votesScreen struct {
	w          fyne.Window
	s          app.Services
	assemblies []app.Assembly
	pick       *widget.Select
	rec        app.VoteRecord
	body       *fyne.Container
	tabs       *container.AppTabs
	entry      *ballotEntry
	recon      *reconcilePane
	result     *resultPane
	deliver    *deliveryPane
	content    fyne.CanvasObject
}

func newVotesScreen(w fyne.Window, s app.Services) *votesScreen {
	v := &votesScreen{w: w, s: s, body: container.NewStack()}
	v.pick = newSelect(nil, nil)
	newBtn := widget.NewButtonWithIcon(L("新建大会…"), theme.ContentAddIcon(), v.askNew)
	top := container.NewVBox(Heading(L("表决")), container.NewBorder(nil, nil, widget.NewLabel(L("业主大会")), newBtn, v.pick))
	v.content = container.NewBorder(top, nil, nil, nil, v.body)
	v.loadAssemblies("")
	v.pick.OnChanged = func(string) { v.open(v.pick.SelectedIndex()) }
	return v
}

func (v *votesScreen) loadAssemblies(selectID string) {
	as, err := v.s.Votes.Assemblies(context.Background())
	if err != nil {
		ShowError(err, v.w)
	}
	v.assemblies = as
	var opts []string
	sel := len(as) - 1
	for i, a := range as {
		opts = append(opts, a.ID+"　"+a.Title+"　"+a.Date)
		if a.ID == selectID {
			sel = i
		}
	}
	v.pick.Options = opts
	if sel < 0 {
		v.body.Objects = []fyne.CanvasObject{container.NewCenter(widget.NewLabel(L("还没有业主大会：点“新建大会…”录入表决事项。")))}
		v.body.Refresh()
		return
	}
	cb := v.pick.OnChanged
	v.pick.OnChanged = nil
	v.pick.SetSelectedIndex(sel)
	v.pick.OnChanged = cb
	v.open(sel)
}

// open shows assembly i.
func (v *votesScreen) open(i int) {
	if i < 0 || i >= len(v.assemblies) {
		return
	}
	rec, err := v.s.Votes.VoteRecord(context.Background(), v.assemblies[i].ID)
	if err != nil {
		ShowError(err, v.w)
		return
	}
	v.rec = rec
	v.entry = newBallotEntry(v.w, v.s, v)
	v.recon = newReconcilePane(v.w, v.s, v)
	v.result = newResultPane(v.w, v.s, v)
	v.deliver = newDeliveryPane(v.w, v.s, v)
	v.tabs = container.NewAppTabs(
		container.NewTabItemWithIcon(L("录入选票"), theme.DocumentCreateIcon(), v.entry.content),
		container.NewTabItemWithIcon(L("核对差异"), theme.SearchIcon(), v.recon.content),
		container.NewTabItemWithIcon(L("计票结果"), theme.InfoIcon(), v.result.content),
		container.NewTabItemWithIcon(L("送达记录"), theme.MailSendIcon(), v.deliver.content))
	v.tabs.OnSelected = func(t *container.TabItem) {
		switch t.Content {
		case v.recon.content:
			v.recon.refresh()
		case v.result.content:
			v.result.refresh()
		}
	}
	v.body.Objects = []fyne.CanvasObject{v.tabs}
	v.body.Refresh()
}

// reload reads the assembly's record again after a change.
func (v *votesScreen) reload() {
	rec, err := v.s.Votes.VoteRecord(context.Background(), v.rec.Assembly.ID)
	if err != nil {
		ShowError(err, v.w)
		return
	}
	v.rec = rec
}

// issued is the number of ballots issued: one per voting unit of the frozen register.
func (v *votesScreen) issued() int {
	n := 0
	for _, u := range v.rec.Register {
		if app.VotingUnit(u, v.rec.Assembly.CountParking) {
			n++
		}
	}
	return n
}

// ParseMatters reads the matters typed one per line; a line starting with "重大" (or
// "major") is a major matter, e.g. "重大：利用共有部分设置充电桩".
func ParseMatters(text string) []app.Matter {
	var out []app.Matter
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		kind := app.MatterOrdinary
		for _, p := range []string{"重大：", "重大:", "重大 ", "[重大]", "【重大】", "major:", "major "} {
			if strings.HasPrefix(strings.ToLower(line), p) {
				kind, line = app.MatterMajor, strings.TrimSpace(line[len(p):])
				break
			}
		}
		out = append(out, app.Matter{No: len(out) + 1, Title: line, Kind: kind})
	}
	return out
}

func (v *votesScreen) askNew() {
	title := widget.NewEntry()
	title.SetPlaceHolder(L("例如：2026年度第一次业主大会"))
	date := widget.NewEntry()
	date.SetText(v.s.Now().Format("2006-01-02"))
	matters := widget.NewMultiLineEntry()
	matters.SetPlaceHolder(L("每行一个事项；重大事项以“重大：”开头"))
	matters.SetMinRowsVisible(5)
	deemed := widget.NewCheck(L("议事规则有“送达即参与/未投票视为同意多数”条款"), nil)
	rule := widget.NewMultiLineEntry()
	rule.SetPlaceHolder(L("条款原文（留空则用默认表述）"))
	// By default only delivered units that returned no ballot at all are deemed; these
	// are for rules that also deem units that answered.
	deemInvalid := widget.NewCheck(L("议事规则规定：交回无效票的房号也视为表决"), nil)
	deemPending := widget.NewCheck(L("议事规则规定：选票待核对原票的房号也视为表决"), nil)
	deemDup := widget.NewCheck(L("议事规则规定：重复票暂不计入的房号也视为表决"), nil)
	items := []*widget.FormItem{
		widget.NewFormItem(L("大会名称"), title),
		widget.NewFormItem(L("日期"), date),
		widget.NewFormItem(L("表决事项"), matters),
		widget.NewFormItem("", deemed),
		widget.NewFormItem(L("条款原文"), rule),
		widget.NewFormItem("", container.NewVBox(deemInvalid, deemPending, deemDup)),
	}
	d := dialog.NewForm(L("新建业主大会"), L("创建"), L("取消"), items, func(ok bool) {
		if !ok {
			return
		}
		a := app.Assembly{Title: strings.TrimSpace(title.Text), Date: strings.TrimSpace(date.Text), Matters: ParseMatters(matters.Text),
			Deemed: deemed.Checked, Rule: strings.TrimSpace(rule.Text)}
		if a.Deemed && a.Rule == "" {
			a.Rule = app.DefaultDeemedRule
		}
		if a.Deemed {
			for code, c := range map[string]*widget.Check{app.DeemInvalid: deemInvalid, app.DeemPending: deemPending, app.DeemDuplicate: deemDup} {
				if c.Checked {
					a.DeemAlso = append(a.DeemAlso, code)
				}
			}
			a.DeemAlso = app.NormalizeDeemAlso(a.DeemAlso)
		}
		created, err := v.s.Votes.CreateAssembly(context.Background(), a, Operator())
		if err != nil {
			ShowError(err, v.w)
			return
		}
		v.loadAssemblies(created.ID)
	}, v.w)
	d.Resize(fyne.NewSize(720, 560))
	d.Show()
}

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
		return app.ReasonLabel(v)
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

// resultPane is the tally in words a committee member can read out loud.
type resultPane struct {
	w       fyne.Window
	s       app.Services
	v       *votesScreen
	tally   app.Tally
	verdict *widget.Label
	big     *fyne.Container // one large line per matter, green or red
	text    *widget.Label
	content fyne.CanvasObject
}

func newResultPane(w fyne.Window, s app.Services, v *votesScreen) *resultPane {
	r := &resultPane{w: w, s: s, v: v}
	r.verdict = widget.NewLabel("")
	r.verdict.Wrapping = fyne.TextWrapWord
	r.text = widget.NewLabel("")
	r.text.Wrapping = fyne.TextWrapWord
	buttons := container.NewHBox(widget.NewButtonWithIcon(L("重新计票"), theme.ViewRefreshIcon(), r.refresh))
	buttons.Add(widget.NewButtonWithIcon(L("保存表决结果公告 PDF…"), theme.DocumentSaveIcon(), r.savePDF))
	r.big = container.NewVBox()
	r.content = container.NewBorder(buttons, nil, nil, nil, container.NewVScroll(container.NewVBox(r.big, r.verdict, widget.NewSeparator(), r.text)))
	r.refresh()
	return r
}

func passWord(p bool) string {
	if p {
		return L("通过")
	}
	return L("未通过")
}

func (r *resultPane) refresh() {
	t, err := r.s.Votes.Tally(context.Background(), r.v.rec.Assembly.ID)
	if err != nil {
		ShowError(err, r.w)
		return
	}
	r.tally = t
	r.verdict.SetText(ResultVerdict(t))
	r.big.Objects = nil
	for _, m := range t.Matters {
		word := passWord(m.Passed)
		if t.Ballots.Unreconciled > 0 {
			word += L("（暂定）")
		}
		l := widget.NewLabel(L("事项%d %s：%s", m.No, m.Title, word))
		l.SizeName = theme.SizeNameHeadingText
		l.TextStyle.Bold = true
		l.Wrapping = fyne.TextWrapWord
		l.Importance = widget.DangerImportance
		if m.Passed {
			l.Importance = widget.SuccessImportance
		}
		r.big.Add(l)
	}
	r.big.Refresh()
	r.text.SetText(ResultText(t))
}

// ResultVerdict is the one-line outcome: each matter passed or not.
func ResultVerdict(t app.Tally) string {
	var parts []string
	for _, m := range t.Matters {
		parts = append(parts, L("事项%d %s", m.No, passWord(m.Passed)))
	}
	s := strings.Join(parts, "　")
	if !t.QuorumMet {
		s = L("参与表决未达到法定比例，全部事项不通过。") + "　" + s
	}
	if t.Ballots.Unreconciled > 0 {
		s += "　" + L("（仍有 %d 张票待核对，结果未定）", t.Ballots.Unreconciled)
	}
	return s
}

// ResultText is the tally as the announcement words it.
func ResultText(t app.Tally) string {
	var b strings.Builder
	w := func(s string) { b.WriteString(s + "\n") }
	ac := t.Accounting
	w(L("总面积 %s m²，总人数 %d；发出选票 %d 张 ＝ 收回 %d 张 ＋ 未收回 %d 张（收回含待核对原票 %d 张）。", t.Total.Area, t.Total.Heads, ac.Issued, ac.Returned, ac.NotReturned, ac.Pending))
	w(L("参与表决：面积 %s m²，人数 %d（有效选票 %d 张，其中代理 %d 张）。法定比例：面积和人数均须达到三分之二以上 —— %s。",
		t.Participating.Area, t.Participating.Heads, t.Participating.Ballots, t.Proxies, map[bool]string{true: L("已达到"), false: L("未达到")}[t.QuorumMet]))
	w(L("选票：录入 A %d 张，录入 B %d 张；一致或已核对 %d 张，待核对 %d 张；有效 %d，无效 %d，重复房号暂不计入 %d。",
		t.Ballots.EnteredA, t.Ballots.EnteredB, t.Ballots.Reconciled, t.Ballots.Unreconciled, t.Ballots.Valid, t.Ballots.Invalid, t.Ballots.Duplicates))
	if len(t.InvalidReasons) > 0 {
		var rs []string
		for code, n := range t.InvalidReasons {
			rs = append(rs, app.ReasonLabel(code)+" "+itoa(n))
		}
		sort.Strings(rs)
		w(L("无效原因：%s", strings.Join(rs, "，")))
	}
	w("")
	for _, m := range t.Matters {
		rule := L("参与表决面积和人数均过半数同意")
		if m.Kind == app.MatterMajor {
			rule = L("参与表决面积和人数均四分之三以上同意")
		}
		w(L("事项%d（%s）%s", m.No, kindLabel(m.Kind), m.Title))
		w(L("　同意：面积 %s m²，%d 人；反对：面积 %s m²，%d 人；弃权：面积 %s m²，%d 人。", m.Agree.Area, m.Agree.Heads, m.Oppose.Area, m.Oppose.Heads, m.Abstain.Area, m.Abstain.Heads))
		w(L("　需%s：面积%s，人数%s —— %s", rule, metWord(m.AreaMet), metWord(m.HeadsMet), passWord(m.Passed)))
		if m.Undecided > 0 {
			w(L("　另有 %d 位多户业主各票意见不一，待业委会核定，暂不计入任何一方。", m.Undecided))
		}
		if m.WithDeemed != nil {
			w(L("　含视为表决：同意 面积 %s m²，%d 人 —— %s", m.WithDeemed.Agree.Area, m.WithDeemed.Agree.Heads, passWord(m.WithDeemed.Passed)))
		}
	}
	if dt := t.DeemedTotals; dt != nil {
		dl := dt.Delivered
		w("")
		w(L("视为表决：有送达记录 %d 户，其中未交回任何选票 %d 户；视为参与 %d 户，面积 %s m²，新增 %d 人；含视为表决的参与面积 %s m²，%d 人，法定比例%s。",
			dl.Units, dl.NoBallot, dt.Units, dt.Area, dt.Heads, dt.Participating.Area, dt.Participating.Heads, map[bool]string{true: L("已达到"), false: L("未达到")}[dt.QuorumMet]))
		w(L("有送达记录但已交回选票、未计入的：无效票 %d 户，待核对 %d 户，重复票 %d 户。", dl.Invalid, dl.Pending, dl.Duplicate))
	}
	if len(t.Conflicts) > 0 {
		w("")
		w(L("待业委会核定：%d 处多户业主各票意见不一。", len(t.Conflicts)))
	}
	if len(t.Duplicates) > 0 {
		var ds []string
		for _, d := range t.Duplicates {
			ds = append(ds, d.Unit+"（"+strings.Join(d.Ballots, "、")+"）")
		}
		w(L("同一房号多张有效票，暂不计入：%s", strings.Join(ds, "；")))
	}
	return b.String()
}

func kindLabel(kind string) string {
	if kind == app.MatterMajor {
		return L("重大事项")
	}
	return L("一般事项")
}

func metWord(ok bool) string {
	if ok {
		return L("达到")
	}
	return L("未达到")
}

func (r *resultPane) savePDF() {
	SavePDF(r.w, r.s, "gui tally "+r.v.rec.Assembly.ID, L("表决结果公告-%s.pdf", r.v.rec.Assembly.ID), r.announcement)
}

// announcement is the result announcement (表决结果公告) of the current tally.
func (r *resultPane) announcement() (*reports.Doc, error) {
	ctx := context.Background()
	c, err := r.s.Book.Community(ctx)
	if err != nil {
		return nil, err
	}
	head := ""
	if r.s.Ledger != nil {
		if head, _, err = r.s.Ledger.Head(ctx); err != nil {
			return nil, err
		}
	}
	return reports.AnnouncementDoc(c.Name, r.tally, head), nil
}
