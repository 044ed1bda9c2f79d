package ui

import (
	"context"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/shopspring/decimal"

	"sunledger/app"
)

// journalPage is how many entries the journal screen holds at once: a 3000-unit book
// has hundreds of thousands after ten years.
const journalPage = 1000

// Journal is the 凭证 screen: the hash-chained journal a page at a time, newest first,
// each entry's postings and hashes, and reversal (红字冲销) that asks why. Entries are
// never edited or deleted.
func Journal(w fyne.Window, s app.Services) fyne.CanvasObject {
	return newJournalScreen(w, s).content
}

type journalScreen struct {
	w          fyne.Window
	s          app.Services
	entries    []app.Entry
	reversedBy map[int64]int64
	head       int64
	from       int64 // first entry of the page
	table      *SortTable
	search     *widget.Entry
	pageLabel  *widget.Label
	detail     *widget.Label
	reverse    *widget.Button
	selected   *app.Entry
	locked     *widget.Label
	content    fyne.CanvasObject
}

func entryTotal(e app.Entry) decimal.Decimal {
	sum := decimal.Zero
	for _, p := range e.Postings {
		if p.Amount.IsPositive() {
			sum = sum.Add(p.Amount)
		}
	}
	return sum
}

func newJournalScreen(w fyne.Window, s app.Services) *journalScreen {
	j := &journalScreen{w: w, s: s}
	j.table = NewSortTable([]Column{
		{Title: L("凭证号"), Width: 85, Numeric: true, Text: func(i int) string { return "#" + strconv.FormatInt(j.entries[i].Seq, 10) },
			Less: func(a, b int) bool { return j.entries[a].Seq < j.entries[b].Seq }},
		{Title: L("日期"), Width: 105, Text: func(i int) string { return j.entries[i].Date }},
		{Title: L("摘要"), Width: 270, Text: func(i int) string { return j.entries[i].Description }},
		{Title: L("金额"), Width: 125, Numeric: true, Text: func(i int) string { return app.FormatAmount(entryTotal(j.entries[i])) },
			Less: func(a, b int) bool { return entryTotal(j.entries[a]).LessThan(entryTotal(j.entries[b])) }},
		{Title: L("状态"), Width: 110, Text: func(i int) string { return j.status(j.entries[i]) }},
		{Title: L("来源"), Width: 140, Text: func(i int) string { return j.entries[i].Ref }},
	})
	j.table.OnRowSelected = func(i int) { j.show(&j.entries[i]) }
	j.search = widget.NewEntry()
	j.search.SetPlaceHolder(L("搜索摘要、来源或日期…"))
	j.search.OnChanged = func(string) { j.filter() }
	j.pageLabel = widget.NewLabel("")
	j.detail = widget.NewLabel(L("选择一张凭证查看分录和哈希。"))
	j.detail.Wrapping = fyne.TextWrapBreak
	j.reverse = widget.NewButtonWithIcon(L("冲销这张凭证…"), theme.ContentUndoIcon(), j.askReverse)
	j.reverse.Importance = widget.DangerImportance
	j.reverse.Disable()

	older := widget.NewButtonWithIcon(L("更早"), theme.NavigateBackIcon(), func() { j.load(max(1, j.from-journalPage)) })
	newer := widget.NewButtonWithIcon(L("最新"), theme.NavigateNextIcon(), func() { j.load(0) })
	jump := widget.NewEntry()
	jump.SetPlaceHolder(L("跳到凭证号"))
	jump.OnSubmitted = func(v string) {
		n, err := strconv.ParseInt(strings.TrimPrefix(strings.TrimSpace(v), "#"), 10, 64)
		if err != nil || n < 1 {
			ShowError(app.Errorf(app.EINVALID, "凭证号应为正整数", "an entry number is a positive whole number"), w)
			return
		}
		j.load(max(1, n-journalPage/2))
		j.search.SetText("#" + strconv.FormatInt(n, 10))
	}
	j.locked = widget.NewLabel("")
	lock := widget.NewButtonWithIcon(L("锁定账期…"), theme.VisibilityOffIcon(), j.askLock)
	post := widget.NewButtonWithIcon(L("记账凭证…"), theme.DocumentCreateIcon(), j.askPost)
	searchBox := container.NewGridWrap(fyne.NewSize(260, j.search.MinSize().Height), j.search)
	jumpBox := container.NewGridWrap(fyne.NewSize(140, jump.MinSize().Height), jump)
	top := container.NewVBox(container.NewBorder(nil, nil, nil, container.NewHBox(j.locked, lock, post), Heading(L("凭证"))),
		container.NewHBox(searchBox, older, newer, jumpBox, j.pageLabel))
	side := container.NewBorder(nil, container.NewHBox(j.reverse), nil, nil, container.NewVScroll(j.detail))
	split := container.NewHSplit(j.table, side)
	split.Offset = 0.74
	j.content = container.NewBorder(top, nil, nil, nil, split)
	j.load(0)
	return j
}

// load reads the page starting at from (0: the newest page).
func (j *journalScreen) load(from int64) {
	ctx := context.Background()
	_, head, err := j.s.Ledger.Head(ctx)
	if err != nil {
		ShowError(err, j.w)
		return
	}
	j.head = head
	if from == 0 || from > head {
		from = max(1, head-journalPage+1)
	}
	j.from = from
	j.entries = nil
	if head > 0 {
		if j.entries, err = j.s.Ledger.Entries(ctx, from, journalPage); err != nil {
			ShowError(err, j.w)
		}
	}
	j.reversedBy = map[int64]int64{}
	for _, e := range j.entries {
		if e.Reverses != 0 {
			j.reversedBy[e.Reverses] = e.Seq
		}
	}
	if n := len(j.entries); n > 0 {
		j.pageLabel.SetText(L("凭证 #%d – #%d，共 %d 张", j.entries[0].Seq, j.entries[n-1].Seq, head))
	} else {
		j.pageLabel.SetText(L("还没有凭证"))
	}
	j.table.SetData(len(j.entries))
	if c, _ := j.table.SortColumn(); c < 0 {
		j.table.SortBy(0, true)
	}
	j.selected = nil
	j.reverse.Disable()
	if m, err := j.s.Chart.LockedThrough(ctx); err != nil {
		j.locked.SetText(L("读取失败：%s", err.Error()))
	} else if m != "" {
		j.locked.SetText(L("已锁定至 %s", m))
	} else {
		j.locked.SetText(L("未锁定"))
	}
}

// askLock locks the periods through a month after their disclosure.
func (j *journalScreen) askLock() {
	month := widget.NewEntry()
	month.SetText(j.s.Now().AddDate(0, -1, 0).Format("2006-01"))
	why := widget.NewEntry()
	why.SetPlaceHolder(L("例如：2026 年第三季度收支已公示"))
	note := widget.NewLabel(L("公示后锁定：锁定月份及以前的日期不能再记入凭证，只能在当期用冲销或调整凭证更正。锁定只能向后推进。"))
	note.Wrapping = fyne.TextWrapWord
	items := []*widget.FormItem{
		widget.NewFormItem("", note),
		widget.NewFormItem(L("锁定至（YYYY-MM）"), month),
		widget.NewFormItem(L("原因"), why),
	}
	d := dialog.NewForm(L("锁定账期"), L("锁定"), L("取消"), items, func(ok bool) {
		if !ok {
			return
		}
		if err := j.s.Chart.Lock(context.Background(), strings.TrimSpace(month.Text), Operator(), strings.TrimSpace(why.Text)); err != nil {
			ShowError(err, j.w)
			return
		}
		j.load(j.from)
	}, j.w)
	d.Resize(fyne.NewSize(560, 320))
	d.Show()
}

func (j *journalScreen) status(e app.Entry) string {
	switch {
	case e.Reverses != 0:
		return L("冲销 #%d", e.Reverses)
	case j.reversedBy[e.Seq] != 0:
		return L("已被 #%d 冲销", j.reversedBy[e.Seq])
	}
	return ""
}

func (j *journalScreen) filter() {
	q := strings.TrimSpace(j.search.Text)
	if strings.HasPrefix(q, "#") {
		n, _ := strconv.ParseInt(q[1:], 10, 64)
		j.table.SetFilter(func(i int) bool { return j.entries[i].Seq == n })
		return
	}
	j.table.SetFilter(func(i int) bool {
		e := j.entries[i]
		return Matches(q, e.Description, e.Ref, e.Date, e.Who)
	})
}

func (j *journalScreen) show(e *app.Entry) {
	j.selected = e
	var b strings.Builder
	b.WriteString(L("凭证 #%d　%s\n%s\n", e.Seq, e.Date, e.Description))
	b.WriteString(L("来源：%s　经办人：%s\n\n", e.Ref, e.Who))
	for _, p := range e.Postings {
		side := L("借")
		if p.Amount.IsNegative() {
			side = L("贷")
		}
		b.WriteString(side + "　" + p.Account + "　" + app.FormatAmount(p.Amount.Abs()) + "\n")
	}
	if s := j.status(*e); s != "" {
		b.WriteString("\n" + s + "\n")
	}
	b.WriteString(L("\n本张哈希：%s\n上一张哈希：%s", e.Hash, e.PrevHash))
	j.detail.SetText(b.String())
	if e.Reverses == 0 && j.reversedBy[e.Seq] == 0 {
		j.reverse.Enable()
	} else {
		j.reverse.Disable()
	}
}

// askReverse asks why and when, then posts the reversing entry.
func (j *journalScreen) askReverse() {
	e := j.selected
	if e == nil {
		return
	}
	why := widget.NewMultiLineEntry()
	why.SetPlaceHolder(L("例如：金额录错，应为 1,200.00"))
	why.SetMinRowsVisible(3)
	date := widget.NewEntry()
	date.SetText(j.s.Now().Format(app.DateLayout))
	items := []*widget.FormItem{
		widget.NewFormItem(L("冲销原因"), why),
		widget.NewFormItem(L("冲销日期"), date),
	}
	d := dialog.NewForm(L("冲销凭证 #%d", e.Seq), L("冲销"), L("取消"), items, func(ok bool) {
		if !ok {
			return
		}
		j.reverseEntry(e.Seq, date.Text, why.Text)
	}, j.w)
	d.Resize(fyne.NewSize(560, 320))
	d.Show()
}

// reverseEntry posts the reversal of entry seq; the reason is required.
func (j *journalScreen) reverseEntry(seq int64, date, why string) {
	if strings.TrimSpace(why) == "" {
		ShowError(app.Errorf(app.EINVALID, "请写明冲销原因：它会记入凭证和操作日志", "say why: the reason goes into the entry and the audit log"), j.w)
		return
	}
	r, err := j.s.Ledger.Reverse(context.Background(), seq, strings.TrimSpace(date), Operator(), strings.TrimSpace(why))
	if err != nil {
		ShowError(err, j.w)
		return
	}
	j.load(0)
	ShowInfo(L("已冲销"), L("凭证 #%d 已由凭证 #%d 冲销。原凭证保留不变。", seq, r.Seq), j.w)
}
