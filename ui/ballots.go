package ui

import (
	"context"
	"slices"
	"sort"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"sunledger/app"
	"sunledger/reports"
	"sunledger/sheet"
)

// ballotKeys are the keys of the choice field: one key per choice, per matter.
var ballotKeys = map[rune]app.Choice{
	'1': app.Agree, '2': app.Oppose, '3': app.Abstain, '4': app.Double, '0': app.Blank, ' ': app.Blank,
}

// invalidReasons are the reasons the 9 key cycles through ("" = a valid ballot).
var invalidReasons = []app.InvalidReason{"", app.ReasonUnsigned, app.ReasonIllegible, app.ReasonNotIdentifiable, app.ReasonSpoiled, app.ReasonNoAuthorization}

// ChoiceField is the keyboard-first field for a ballot's choices: 1 agree, 2 oppose,
// 3 abstain, 4 marked twice, 0 or space blank, one key per matter; the last matter's key
// saves the ballot (OnComplete). Backspace steps back (from the first matter: back to the
// ballot number, OnBack); 9 cycles the reason for an invalid ballot, then Enter saves it;
// 8 goes to the proxy's name (OnProxy).
type ChoiceField struct {
	widget.BaseWidget
	matters []app.Matter
	Choices []app.Choice
	Invalid app.InvalidReason
	pos     int // the matter the next key answers
	focused bool
	text    *widget.Label
	bg      *canvas.Rectangle
	// OnEnter saves the ballot; OnComplete runs when the last matter is answered on a
	// ballot not marked invalid; OnChanged follows every key.
	OnEnter, OnComplete, OnProxy, OnBack func()
	OnChanged                            func()
}

// NewChoiceField makes the field for an assembly's matters.
func NewChoiceField(matters []app.Matter) *ChoiceField {
	c := &ChoiceField{matters: matters, text: widget.NewLabel("")}
	c.text.TextStyle.Monospace = false
	c.bg = canvas.NewRectangle(theme.Color(theme.ColorNameInputBackground))
	c.bg.CornerRadius = theme.InputRadiusSize()
	c.bg.StrokeWidth = 2
	c.ExtendBaseWidget(c)
	c.Reset()
	return c
}

// Reset clears the field for the next ballot.
func (c *ChoiceField) Reset() {
	c.Choices = make([]app.Choice, len(c.matters))
	c.Invalid, c.pos = "", 0
	c.redraw()
}

// Done reports whether every matter has been answered (a key pressed for each).
func (c *ChoiceField) Done() bool { return c.pos >= len(c.matters) }

func (c *ChoiceField) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewStack(c.bg, container.NewPadded(c.text)))
}

func (c *ChoiceField) redraw() {
	var parts []string
	for i, m := range c.matters {
		v := "＿"
		if i < c.pos {
			v = c.Choices[i].Label()
		}
		mark := ""
		if i == c.pos && c.focused {
			mark = "▸"
		}
		parts = append(parts, mark+L("事项%d：", m.No)+v)
	}
	s := strings.Join(parts, "　")
	if c.Invalid != "" {
		s = L("整张无效：%s", app.ReasonLabel(c.Invalid)) + "　" + s
	}
	c.text.SetText(s)
	if c.focused {
		c.bg.StrokeColor = theme.Color(theme.ColorNamePrimary)
	} else {
		c.bg.StrokeColor = theme.Color(theme.ColorNameInputBorder)
	}
	c.bg.Refresh()
	if c.OnChanged != nil {
		c.OnChanged()
	}
}

func (c *ChoiceField) FocusGained() { c.focused = true; c.redraw() }
func (c *ChoiceField) FocusLost()   { c.focused = false; c.redraw() }

// Tapped focuses the field.
func (c *ChoiceField) Tapped(*fyne.PointEvent) {
	if cv := fyne.CurrentApp().Driver().CanvasForObject(c); cv != nil {
		cv.Focus(c)
	}
}

func (c *ChoiceField) TypedRune(r rune) {
	if r == '8' {
		if c.OnProxy != nil {
			c.OnProxy()
		}
		return
	}
	if r == '9' {
		i := 0
		for k, code := range invalidReasons {
			if code == c.Invalid {
				i = k
			}
		}
		c.Invalid = invalidReasons[(i+1)%len(invalidReasons)]
		c.redraw()
		return
	}
	ch, ok := ballotKeys[r]
	if !ok || c.pos >= len(c.matters) {
		return
	}
	c.Choices[c.pos] = ch
	c.pos++
	c.redraw()
	if c.pos == len(c.matters) && c.Invalid == "" && c.OnComplete != nil {
		c.OnComplete()
	}
}

func (c *ChoiceField) TypedKey(e *fyne.KeyEvent) {
	switch e.Name {
	case fyne.KeyBackspace, fyne.KeyLeft:
		if c.pos > 0 {
			c.pos--
			c.Choices[c.pos] = app.Blank
			c.redraw()
		} else if c.OnBack != nil {
			c.OnBack()
		}
	case fyne.KeyReturn, fyne.KeyEnter:
		// Nothing keyed yet: the ballot just saved by its last key is not saved again.
		if c.pos == 0 && c.Invalid == "" {
			return
		}
		if c.OnEnter != nil {
			c.OnEnter()
		}
	}
}

// ballotEntry is the tab where one person keys the paper ballots into entry A or B.
// A ballot printed by Sunledger (report ballots) is keyed as its number and one key per
// matter: the number names the unit (app.VoteRecord.IssuedUnit), a number of full width
// moves on by itself, and the last matter's key saves (docs/votes.md "Keying").
type ballotEntry struct {
	w        fyne.Window
	s        app.Services
	v        *votesScreen
	entry    *widget.RadioGroup
	no       *widget.Entry
	unit     *UnitEntry
	proxy    *widget.Entry
	choices  *ChoiceField
	status   *widget.Label
	keyer    *widget.Label
	counters *widget.Label
	recent   *widget.Label
	undo     *widget.Button
	// lastNo is the ballot the undo button takes back, in lastEntry (A or B): undo acts
	// only on the entry the ballot was keyed into, whichever entry is chosen now.
	lastNo, lastEntry string
	// nextNo is the number after the last one saved: Enter on an empty number takes it.
	nextNo string
	// settingNo: the number field is being set by the program, not typed.
	settingNo bool
	content   fyne.CanvasObject
}

func newBallotEntry(w fyne.Window, s app.Services, v *votesScreen) *ballotEntry {
	b := &ballotEntry{w: w, s: s, v: v}
	a := v.rec.Assembly
	b.entry = widget.NewRadioGroup([]string{L("录入 A"), L("录入 B")}, nil)
	b.entry.Horizontal = true
	b.entry.Required = true
	b.entry.SetSelected(L("录入 A"))
	b.entry.OnChanged = func(string) { b.switchEntry() }
	b.no = widget.NewEntry()
	b.no.SetPlaceHolder(L("票号"))
	b.unit = NewUnitEntry(v.rec.Register)
	b.proxy = widget.NewEntry()
	b.proxy.SetPlaceHolder(L("代理人姓名（有书面委托时）"))
	b.choices = NewChoiceField(a.Matters)
	b.status = widget.NewLabel("")
	b.status.Wrapping = fyne.TextWrapWord
	b.keyer = widget.NewLabel("")
	b.keyer.Wrapping = fyne.TextWrapWord
	b.counters = widget.NewLabel("")
	b.counters.Wrapping = fyne.TextWrapWord
	b.recent = widget.NewLabel("")
	b.recent.Wrapping = fyne.TextWrapWord
	b.undo = widget.NewButtonWithIcon(L("撤回上一张"), theme.ContentUndoIcon(), b.undoLast)
	b.undo.Disable()
	importBtn := widget.NewButtonWithIcon(L("从表格导入本录入…"), theme.FolderOpenIcon(), b.chooseFile)

	// Keyboard flow: ballot number (Enter, or none at full width) → one key per matter
	// (the last one saves) → the next ballot's number. A number that is not a printed
	// ballot's asks for the unit: number ⏎ unit ⏎ choices.
	b.no.OnChanged = b.numberTyped
	b.no.OnSubmitted = func(string) { b.numberDone() }
	b.unit.OnEnter = func() { b.focus(b.choices) }
	b.proxy.OnSubmitted = func(string) { b.focus(b.choices) }
	b.choices.OnEnter = b.save
	b.choices.OnComplete = b.save
	b.choices.OnProxy = func() { b.focus(b.proxy) }
	b.choices.OnBack = func() {
		b.setNo("")
		b.focus(b.no)
	}

	var help []string
	for _, m := range a.Matters {
		help = append(help, L("事项%d（%s）：%s", m.No, m.KindLabel(), m.Title))
	}
	keys := widget.NewLabel(L("按键：票号（位数满或回车；空着回车 = 下一号）→ 每个事项一键：1 同意　2 反对　3 弃权　4 多选　0 或空格 未填，最后一个事项按下即保存。退格 上一项　8 代理人　9 整张无效（再按切换原因，回车保存）"))
	keys.Wrapping = fyne.TextWrapWord
	matters := widget.NewLabel(strings.Join(help, "\n"))
	matters.Wrapping = fyne.TextWrapWord
	// One page per unit (thousands for a big community): made like the print page's
	// documents, with progress and cancel, into the print folder, then opened to print.
	printBtn := widget.NewButtonWithIcon(L("打印表决票…"), theme.DocumentPrintIcon(), func() {
		makeAndOpen(w, s, printDoc{title: L("表决票"), file: "ballots-" + a.ID + ".pdf",
			make: func(ctx context.Context) (*reports.Doc, error) {
				return reports.Make(ctx, s, "ballots", reports.Args{Vote: a.ID})
			}}, func() {})
	})
	form := widget.NewForm(
		widget.NewFormItem(L("录入"), b.entry),
		widget.NewFormItem(L("录入人"), b.keyer),
		widget.NewFormItem(L("票号"), b.no),
		widget.NewFormItem(L("房号"), b.unit),
		widget.NewFormItem("", b.unit.Hint()),
		widget.NewFormItem(L("选项"), b.choices),
		widget.NewFormItem(L("代理人"), b.proxy),
	)
	// Two rows of buttons: in English three in a row would widen the window past 1024.
	left := container.NewVBox(matters, form, b.status, container.NewHBox(b.undo, printBtn), container.NewHBox(importBtn), keys)
	right := container.NewVBox(widget.NewLabelWithStyle(L("本录入计数"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), b.counters,
		widget.NewLabelWithStyle(L("已录选票（票号从大到小）"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), b.recent)
	split := container.NewHSplit(container.NewVScroll(left), container.NewVScroll(right))
	split.Offset = 0.6
	b.content = split
	b.nextNo = b.firstOpen()
	b.clearForm()
	b.refresh()
	return b
}

// firstOpen is the lowest printed ballot number not yet keyed into this entry ("" when
// every one is): what Enter on an empty number takes when nothing was saved yet.
func (b *ballotEntry) firstOpen() string {
	have := make(map[string]bool, len(b.keyed()))
	for _, x := range b.keyed() {
		have[x.No] = true
	}
	for _, x := range b.v.rec.IssuedBallots() {
		if !have[x.No] {
			return x.No
		}
	}
	return ""
}

func (b *ballotEntry) focus(o fyne.Focusable) {
	if c := b.w.Canvas(); c != nil {
		c.Focus(o)
	}
}

// setNo sets the number field without treating it as typed.
func (b *ballotEntry) setNo(s string) {
	b.settingNo = true
	b.no.SetText(s)
	b.settingNo = false
}

// numberTyped moves on once the typed number has as many digits as the highest printed
// ballot number and is a printed ballot's: no Enter is needed.
func (b *ballotEntry) numberTyped(s string) {
	if b.settingNo {
		return
	}
	t := strings.TrimSpace(s)
	if t == "" || len(t) < b.v.rec.BallotNoWidth() {
		return
	}
	for _, r := range t {
		if r < '0' || r > '9' {
			return
		}
	}
	if _, ok := b.v.rec.IssuedUnit(t); ok {
		b.numberDone()
	}
}

// ballotNo reads the number field: a printed ballot's QR code as a scanner types it
// ("V0001-17") gives its number, another assembly's is refused; empty takes the next number.
func (b *ballotEntry) ballotNo() (string, error) {
	t := strings.TrimSpace(b.no.Text)
	if t == "" {
		return b.nextNo, nil
	}
	if i := strings.LastIndex(t, "-"); i > 0 && (t[0] == 'V' || t[0] == 'v') {
		if !strings.EqualFold(t[:i], b.v.rec.Assembly.ID) {
			return "", app.Errorf(app.EINVALID, "这是大会 %s 的表决票，不是本次大会（%s）的", "this is a ballot of assembly %s, not of this one (%s)", strings.ToUpper(t[:i]), b.v.rec.Assembly.ID)
		}
		t = t[i+1:]
	}
	return app.NormalizeBallotNo(t), nil
}

// numberDone takes the typed number: a printed ballot's fills in its unit and goes to
// the choices; any other number asks for the unit.
func (b *ballotEntry) numberDone() {
	no, err := b.ballotNo()
	if err != nil {
		b.fail(err.Error())
		b.setNo("")
		return
	}
	if no == "" {
		b.fail(L("请先输入票号"))
		return
	}
	b.setNo(no)
	if b.status.Importance == widget.DangerImportance {
		b.status.SetText("") // the last save's message stays; a refusal is answered
	}
	for _, x := range b.keyed() {
		if x.No == no {
			b.fail(L("票号 %s 已在录入%s中（%s）：请核对票号", no, b.which(), x.Unit))
		}
	}
	if u, ok := b.v.rec.IssuedUnit(no); ok {
		b.unit.SetText(u)
		b.focus(b.choices)
		return
	}
	b.unit.SetText("")
	b.focus(b.unit)
}

// which is "A" or "B".
func (b *ballotEntry) which() string {
	if b.entry.Selected == L("录入 B") {
		return app.EntryB
	}
	return app.EntryA
}

func (b *ballotEntry) keyed() []app.Ballot {
	if b.which() == app.EntryB {
		return b.v.rec.EntryB
	}
	return b.v.rec.EntryA
}

// keyers are who keyed this entry and who keyed the other one.
func (b *ballotEntry) keyers() (mine, theirs []string) {
	if b.which() == app.EntryB {
		return b.v.rec.KeyersB, b.v.rec.KeyersA
	}
	return b.v.rec.KeyersA, b.v.rec.KeyersB
}

// save keys the ballot into the entry; problems are shown in the status line so the
// keyboard flow is never broken by a dialog.
func (b *ballotEntry) save() {
	no, err := b.ballotNo()
	if err != nil {
		b.fail(err.Error())
		b.focus(b.no)
		return
	}
	if no == "" {
		b.fail(L("请先输入票号"))
		b.focus(b.no)
		return
	}
	if strings.TrimSpace(b.unit.Text) == "" {
		if u, ok := b.v.rec.IssuedUnit(no); ok {
			b.unit.SetText(u)
		}
	}
	b.unit.Complete()
	ballot := app.Ballot{No: no, Unit: app.NormalizeUnitID(b.unit.Text), Choices: append([]app.Choice(nil), b.choices.Choices...),
		Invalid: b.choices.Invalid, Proxy: strings.TrimSpace(b.proxy.Text)}
	if ballot.Unit == "" && ballot.Invalid == "" {
		b.fail(L("请输入房号（无法确认房号的票按 9 标为无效）"))
		b.focus(b.unit)
		return
	}
	if !b.choices.Done() && ballot.Invalid == "" {
		b.fail(L("还有事项没有按键：未填的事项请按 0 或空格"))
		return
	}
	err = b.s.Votes.EnterBallots(app.WithKeyer(context.Background(), SignedIn()), b.v.rec.Assembly.ID, b.which(), []app.Ballot{ballot}, false, Operator())
	if err != nil {
		b.fail(err.Error())
		b.choices.Reset()
		b.focus(b.choices)
		return
	}
	b.v.reload()
	b.lastNo, b.lastEntry = no, b.which()
	warn := ""
	for _, x := range b.keyed() {
		if x.Unit == ballot.Unit && x.No != no && ballot.Unit != "" {
			warn = L("　注意：房号 %s 在本录入中已有票 %s（重复票将暂不计入，待业委会核定）", ballot.Unit, x.No)
		}
	}
	if ballot.Unit != "" && b.unit.Unit() == nil {
		warn += L("　注意：房号 %s 不在登记册，计票时按无效处理", ballot.Unit)
	}
	if u, ok := b.v.rec.IssuedUnit(no); ok && u != ballot.Unit && ballot.Unit != "" {
		warn += L("　注意：票号 %s 印发给 %s，录入的房号是 %s", no, u, ballot.Unit)
	}
	b.status.Importance = widget.SuccessImportance
	b.status.SetText(L("已保存票 %s（%s）", no, ballot.Unit) + warn)
	// Next ballot: the number after this one if it is a number (Enter on the empty field).
	b.nextNo = ""
	if n, err := strconv.Atoi(no); err == nil {
		b.nextNo = strconv.Itoa(n + 1)
	}
	b.clearForm()
	b.focus(b.no)
	b.refresh()
}

// clearForm empties the fields for the next ballot; the number field offers the next number.
func (b *ballotEntry) clearForm() {
	b.setNo("")
	if b.nextNo != "" {
		b.no.SetPlaceHolder(L("票号（回车 = %s）", b.nextNo))
	} else {
		b.no.SetPlaceHolder(L("票号"))
	}
	b.unit.SetText("")
	b.proxy.SetText("")
	b.choices.Reset()
}

func (b *ballotEntry) fail(msg string) {
	b.status.Importance = widget.DangerImportance
	b.status.SetText(msg)
}

// switchEntry starts the other entry afresh: a second person keys entry B from the
// paper ballots, not from what entry A left in the form, and the undo button no longer
// reaches the ballot keyed into the other entry.
func (b *ballotEntry) switchEntry() {
	b.lastNo, b.lastEntry = "", ""
	b.nextNo = b.firstOpen()
	b.clearForm()
	b.status.SetText("")
	b.refresh()
	b.focus(b.no) // the keyer starts typing numbers at once
	if me := SignedIn(); me != "" {
		if _, theirs := b.keyers(); slices.Contains(theirs, me) {
			b.fail(L("%s 已录入过另一份录入：录入%s 须由另一位成员登录后录入（切换成员）", me, b.which()))
		}
	}
}

func (b *ballotEntry) undoLast() {
	if b.lastNo == "" || b.lastEntry != b.which() {
		return
	}
	if err := b.s.Votes.RemoveBallot(context.Background(), b.v.rec.Assembly.ID, b.lastEntry, b.lastNo, Operator()); err != nil {
		ShowError(err, b.w)
		return
	}
	no := b.lastNo
	b.lastNo, b.lastEntry = "", ""
	b.v.reload()
	b.refresh()
	b.clearForm()
	b.setNo(no)
	b.numberDone()
	b.status.Importance = widget.WarningImportance
	b.status.SetText(L("已撤回票 %s，请重新录入", no))
}

// refresh recounts the entry: ballots keyed, invalid ones, and each matter's choices.
func (b *ballotEntry) refresh() {
	keyed := b.keyed()
	a := b.v.rec.Assembly
	counts := make([][5]int, len(a.Matters))
	invalid, proxies := 0, 0
	units := map[string]int{}
	for _, x := range keyed {
		if x.Invalid != "" {
			invalid++
			continue
		}
		if x.Proxy != "" {
			proxies++
		}
		units[x.Unit]++
		for i, c := range x.Choices {
			if i < len(counts) && int(c) < 5 {
				counts[i][c]++
			}
		}
	}
	dups := 0
	for _, n := range units {
		if n > 1 {
			dups++
		}
	}
	lines := []string{L("已录 %d 张（发出 %d 张）：有效 %d，无效 %d，代理 %d，重复房号 %d",
		len(keyed), b.v.issued(), len(keyed)-invalid, invalid, proxies, dups),
		L("两份录入进度：录入 A %d 张，录入 B %d 张", len(b.v.rec.EntryA), len(b.v.rec.EntryB))}
	for i, m := range a.Matters {
		c := counts[i]
		lines = append(lines, L("事项%d：同意 %d　反对 %d　弃权 %d　未填 %d　多选 %d", m.No, c[app.Agree], c[app.Oppose], c[app.Abstain], c[app.Blank], c[app.Double]))
	}
	b.counters.SetText(strings.Join(lines, "\n"))
	mine, theirs := b.keyers()
	who := SignedIn()
	if who == "" {
		who = L("（未登录成员：不记录录入人）")
	}
	k := L("%s 正在录入　本录入由：%s　另一份由：%s", who, nameList(mine), nameList(theirs))
	b.keyer.SetText(k)
	byNo := append([]app.Ballot(nil), keyed...)
	sort.Slice(byNo, func(i, j int) bool { return app.UnitLess(byNo[i].No, byNo[j].No) })
	var recent []string
	for i := len(byNo) - 1; i >= 0 && len(recent) < 12; i-- {
		x := byNo[i]
		var cs []string
		for _, c := range x.Choices {
			cs = append(cs, c.Label())
		}
		line := x.No + "　" + x.Unit + "　" + strings.Join(cs, " / ")
		if x.Invalid != "" {
			line += "　" + L("无效：%s", app.ReasonLabel(x.Invalid))
		}
		recent = append(recent, line)
	}
	b.recent.SetText(strings.Join(recent, "\n"))
	if b.lastNo != "" && b.lastEntry == b.which() {
		b.undo.Enable()
	} else {
		b.undo.Disable()
	}
}

// chooseFile imports a whole transcription (CSV or XLSX, docs/formats.md) into the chosen entry.
func (b *ballotEntry) chooseFile() {
	ChooseSheet(b.w, b.importFile)
}

// importFile adds the file's ballots to the entry, all or nothing.
func (b *ballotEntry) importFile(path string) {
	rows, err := sheet.Read(path)
	var ballots []app.Ballot
	if err == nil {
		ballots, err = app.ParseBallotRows(rows, b.v.rec.Assembly.Matters)
		b.v.rec.FillIssuedUnits(ballots)
	}
	if err == nil {
		err = b.s.Votes.EnterBallots(app.WithKeyer(context.Background(), SignedIn()), b.v.rec.Assembly.ID, b.which(), ballots, false, Operator())
	}
	if err != nil {
		ShowError(app.Errorf(app.ErrorCode(err), "选票没有导入，没有做任何更改：\n%s", "the ballots were not imported; nothing was changed:\n%s", err.Error()), b.w)
		return
	}
	b.v.reload()
	b.refresh()
	ShowInfo(L("导入完成"), L("已把 %d 张选票导入录入 %s。", len(ballots), b.which()), b.w)
}

// nameList is a list of names for a label, "—" when empty.
func nameList(names []string) string {
	if len(names) == 0 {
		return "—"
	}
	return strings.Join(names, L("、"))
}
