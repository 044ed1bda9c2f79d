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
	// newForm is the open 新建业主大会 form's matters (for the tests).
	newForm *matterForm
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
		case v.entry.content:
			focusOnShow(v.w, v.entry.no)
		case v.recon.content:
			v.recon.refresh()
		case v.result.content:
			v.result.refresh()
		}
	}
	v.body.Objects = []fyne.CanvasObject{v.tabs}
	v.body.Refresh()
	// The page opens on ballot entry: keying starts at once, with the ballot number.
	focusOnShow(v.w, v.entry.no)
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

// ParseMatters reads matters written one per line (the tests' quick way to make an
// assembly; the window's form has a row per matter, ui/votes_matters.go); a line starting
// with "重大" (or "major") is a major matter, e.g. "重大：利用共有部分设置充电桩".
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
	date.SetText(v.s.Now().Format(app.DateLayout))
	matters := newMatterForm()
	v.newForm = matters
	deemed := widget.NewCheck(L("议事规则有“送达即参与/未投票视为同意多数”条款"), nil)
	rule := widget.NewMultiLineEntry()
	rule.SetPlaceHolder(L("条款原文（照录本小区议事规则；留空则用设置中登记的原文）"))
	// By default only delivered units that returned no ballot at all are deemed; these
	// are for rules that also deem units that answered.
	deemInvalid := widget.NewCheck(L("议事规则规定：交回无效票的房号也视为表决"), nil)
	deemPending := widget.NewCheck(L("议事规则规定：选票待核对原票的房号也视为表决"), nil)
	deemDup := widget.NewCheck(L("议事规则规定：重复票暂不计入的房号也视为表决"), nil)
	items := []*widget.FormItem{
		widget.NewFormItem(L("大会名称"), title),
		widget.NewFormItem(L("日期"), date),
		widget.NewFormItem(L("表决事项"), matters.content),
		widget.NewFormItem("", deemed),
		widget.NewFormItem(L("条款原文"), rule),
		widget.NewFormItem("", container.NewVBox(deemInvalid, deemPending, deemDup)),
	}
	var d *dialog.ConfirmDialog
	// A refusal shows the form again with what was typed, the reason on top.
	fail := func(err error) {
		d.Show()
		ShowError(err, v.w)
	}
	// A scrolling form: with several matters it is taller than a 600-pixel screen.
	d = dialog.NewCustomConfirm(L("新建业主大会"), L("创建"), L("取消"), container.NewVScroll(widget.NewForm(items...)), func(ok bool) {
		if !ok {
			return
		}
		ms, err := matters.matters()
		if err != nil {
			fail(err)
			return
		}
		a := app.Assembly{Title: strings.TrimSpace(title.Text), Date: strings.TrimSpace(date.Text), Matters: ms,
			Deemed: deemed.Checked, Rule: strings.TrimSpace(rule.Text)}
		if a.Deemed && a.Rule == "" {
			if c, err := v.s.Book.Community(context.Background()); err == nil {
				a.Rule = c.Notices.DeemedRule
			}
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
			fail(err)
			return
		}
		v.loadAssemblies(created.ID)
		if warn := capWarnings(v.s, created); warn != "" {
			ShowInfo(L("注意"), warn, v.w)
		}
	}, v.w)
	size := fyne.NewSize(720, 560)
	if c := v.w.Canvas(); c != nil && c.Size().Height > 0 {
		size = fyne.NewSize(min(size.Width, c.Size().Width-40), min(size.Height, c.Size().Height-20))
	}
	d.Resize(size)
	d.Show()
}
