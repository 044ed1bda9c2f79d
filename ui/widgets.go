package ui

import (
	"context"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"
	"unsafe"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	fynestorage "fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"sunledger/app"
)

// Column is one column of a SortTable. Text gives the cell of data row i; Less, if set,
// orders rows for sorting (otherwise the texts are compared).
type Column struct {
	Title string
	Width float32
	// Numeric columns are right-aligned and sorted by Less.
	Numeric bool
	Text    func(i int) string
	Less    func(a, b int) bool
}

// SortTable is a table over rows 0..n-1 of some data the screen holds: a click on a
// header sorts by that column (a second click reverses), and a filter hides rows.
type SortTable struct {
	*widget.Table
	cols    []Column
	n       int
	keep    func(i int) bool
	view    []int // data rows in display order
	sortCol int   // -1: data order
	desc    bool
	// OnRowSelected is called with the data row when a row is clicked.
	OnRowSelected func(i int)
	// OnChanged is called after the visible rows change (data, filter or sort).
	OnChanged func()
}

// NewSortTable makes a table with clickable headers.
func NewSortTable(cols []Column) *SortTable {
	t := &SortTable{cols: cols, sortCol: -1}
	t.Table = widget.NewTable(
		func() (int, int) { return len(t.view), len(t.cols) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(id widget.TableCellID, o fyne.CanvasObject) {
			l := o.(*widget.Label)
			if id.Row >= len(t.view) || id.Col >= len(t.cols) {
				l.SetText("")
				return
			}
			c := t.cols[id.Col]
			if c.Numeric {
				l.Alignment = fyne.TextAlignTrailing
			} else {
				l.Alignment = fyne.TextAlignLeading
			}
			l.SetText(c.Text(t.view[id.Row]))
		})
	t.ShowHeaderRow = true
	t.CreateHeader = func() fyne.CanvasObject {
		b := widget.NewButton("", nil)
		b.Importance = widget.LowImportance
		b.IconPlacement = widget.ButtonIconTrailingText
		return b
	}
	t.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		b := o.(*widget.Button)
		if id.Col < 0 || id.Col >= len(t.cols) {
			b.SetText("")
			return
		}
		col := id.Col
		b.SetText(t.cols[col].Title)
		switch {
		case col != t.sortCol:
			b.SetIcon(nil)
		case t.desc:
			b.SetIcon(theme.MenuDropDownIcon())
		default:
			b.SetIcon(theme.MenuDropUpIcon())
		}
		b.OnTapped = func() { t.TapHeader(col) }
	}
	t.Table.OnSelected = func(id widget.TableCellID) {
		if t.OnRowSelected != nil && id.Row >= 0 && id.Row < len(t.view) {
			t.OnRowSelected(t.view[id.Row])
		}
	}
	for i, c := range cols {
		if c.Width > 0 {
			t.SetColumnWidth(i, c.Width)
		}
	}
	return t
}

// SetData says the screen's data now has n rows; the filter and sort are kept.
func (t *SortTable) SetData(n int) {
	t.n = n
	t.fitColumns()
	t.rebuild()
}

// maxFitWidth bounds how wide a column grows to fit its content; longer texts (a payee's
// full name) end in "…" and show in full in the detail beside the table.
const maxFitWidth = 260

// fitColumns widens each column to its header and the texts of its first rows, so that
// neither language cuts a fund's name or a state ("property-se…"); Column.Width is the
// least a column gets.
func (t *SortTable) fitColumns() {
	size := theme.TextSize()
	cell := widget.NewLabel("").MinSize().Width + 2*theme.Padding() // a label's own padding, and the table's
	head := cell + theme.IconInlineSize()                           // the sort arrow beside a header
	for i, c := range t.cols {
		w := fyne.MeasureText(c.Title, size, fyne.TextStyle{}).Width + head
		for r := 0; r < t.n && r < 300; r++ {
			w = max(w, fyne.MeasureText(c.Text(r), size, fyne.TextStyle{}).Width+cell)
		}
		t.SetColumnWidth(i, max(c.Width, min(w, maxFitWidth)))
	}
}

// SetFilter keeps only the rows for which keep is true (nil keeps all).
func (t *SortTable) SetFilter(keep func(i int) bool) {
	t.keep = keep
	t.rebuild()
}

// TapHeader is what a click on column col's header does: sort by it ascending, or
// reverse if it already is the sort column.
func (t *SortTable) TapHeader(col int) {
	if col == t.sortCol {
		t.SortBy(col, !t.desc)
	} else {
		t.SortBy(col, false)
	}
}

// SortBy sorts by column col (-1 for data order).
func (t *SortTable) SortBy(col int, desc bool) {
	t.sortCol, t.desc = col, desc
	t.rebuild()
}

// SortColumn is the column sorted by (-1 for none) and whether it is descending.
func (t *SortTable) SortColumn() (int, bool) { return t.sortCol, t.desc }

// Rows is how many rows are shown.
func (t *SortTable) Rows() int { return len(t.view) }

// DataRow is the data row shown at display row r.
func (t *SortTable) DataRow(r int) int { return t.view[r] }

// CellText is the text shown at display row r, column c.
func (t *SortTable) CellText(r, c int) string { return t.cols[c].Text(t.view[r]) }

func (t *SortTable) rebuild() {
	t.view = t.view[:0]
	for i := 0; i < t.n; i++ {
		if t.keep == nil || t.keep(i) {
			t.view = append(t.view, i)
		}
	}
	if t.sortCol >= 0 && t.sortCol < len(t.cols) {
		c := t.cols[t.sortCol]
		less := c.Less
		if less == nil {
			less = func(a, b int) bool { return c.Text(a) < c.Text(b) }
		}
		sort.SliceStable(t.view, func(x, y int) bool {
			if t.desc {
				return less(t.view[y], t.view[x])
			}
			return less(t.view[x], t.view[y])
		})
	}
	t.UnselectAll()
	t.Refresh()
	if t.OnChanged != nil {
		t.OnChanged()
	}
}

// Matches reports whether any of the fields contains the search text (case-insensitive);
// an empty search matches everything.
func Matches(search string, fields ...string) bool {
	search = strings.ToLower(strings.TrimSpace(search))
	if search == "" {
		return true
	}
	for _, f := range fields {
		if strings.Contains(strings.ToLower(f), search) {
			return true
		}
	}
	return false
}

// Heading is a screen's title line.
func Heading(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.SizeName = theme.SizeNameHeadingText
	l.TextStyle.Bold = true
	return l
}

// Card is a figure on the dashboard: a caption above a big number and a note below.
func Card(caption fyne.CanvasObject, value, note *widget.Label) fyne.CanvasObject {
	value.SizeName = theme.SizeNameHeadingText
	value.TextStyle.Bold = true
	note.SizeName = theme.SizeNameCaptionText
	note.Wrapping = fyne.TextWrapWord
	if l, ok := caption.(*widget.Label); ok {
		l.Wrapping = fyne.TextWrapWord // a long English caption must not widen the row of cards
	}
	bg := canvas.NewRectangle(theme.Color(theme.ColorNameHeaderBackground))
	bg.CornerRadius = 8
	body := container.NewVBox(caption, value, note)
	return container.NewStack(bg, container.NewPadded(body))
}

// ShowError shows err in a dialog: the application's message in the chosen language,
// never a stack trace.
func ShowError(err error, w fyne.Window) {
	if err == nil {
		return
	}
	msg := widget.NewLabel(err.Error())
	msg.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustom(L("出错了"), L("知道了"), container.NewGridWrap(fyne.NewSize(460, msg.MinSize().Height*3), msg), w)
	d.Show()
}

// ShowInfo shows a short message with one button.
func ShowInfo(title, text string, w fyne.Window) {
	msg := widget.NewLabel(text)
	msg.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustom(title, L("好的"), container.NewGridWrap(fyne.NewSize(460, msg.MinSize().Height*3), msg), w)
	d.Show()
}

// Busy shows an endless progress bar with a message while a long job runs; call the
// returned func (on the UI goroutine) to close it.
func Busy(title, text string, w fyne.Window) (setText func(string), done func()) {
	label := widget.NewLabel(text)
	bar := widget.NewProgressBarInfinite()
	d := dialog.NewCustomWithoutButtons(title, container.NewVBox(label, bar, layout.NewSpacer()), w)
	d.Resize(fyne.NewSize(420, 160))
	d.Show()
	return label.SetText, func() { bar.Stop(); d.Hide() }
}

// BusyCancel is Busy with a 取消 button: ctx ends when it is pressed (the job stops at its
// next check and says so); call done (on the UI goroutine) to close the dialog.
func BusyCancel(title, text string, w fyne.Window) (ctx context.Context, done func()) {
	ctx, cancel := context.WithCancel(context.Background())
	label := widget.NewLabel(text)
	label.Wrapping = fyne.TextWrapWord
	bar := widget.NewProgressBarInfinite()
	var stop *widget.Button
	stop = widget.NewButtonWithIcon(L("取消"), theme.CancelIcon(), func() {
		cancel()
		label.SetText(L("正在取消…"))
		stop.Disable()
	})
	d := dialog.NewCustomWithoutButtons(title, container.NewVBox(label, bar, container.NewHBox(layout.NewSpacer(), stop)), w)
	d.Resize(fyne.NewSize(460, 200))
	d.Show()
	return ctx, func() { bar.Stop(); d.Hide(); cancel() }
}

// Spawn runs job away from the UI goroutine and then finish on it. Tests set
// Synchronous so that everything happens before the call returns.
func Spawn(job func(), finish func()) {
	if Synchronous {
		job()
		finish()
		return
	}
	jobs.Add(1)
	runningJobs.Add(1) // the idle lock waits for it (ui/idle.go)
	go func() {
		defer jobs.Done()
		job()
		fyne.Do(func() {
			runningJobs.Add(-1)
			touch() // the idle time counts from the job's end
			finish()
		})
	}()
}

// Synchronous makes Spawn run jobs inline (tests).
var Synchronous bool

// Kinds lists the unit kinds present, in a stable order, with their labels.
func Kinds(units []app.Unit) []app.UnitKind {
	seen := map[app.UnitKind]bool{}
	var kinds []app.UnitKind
	for _, u := range units {
		if !seen[u.Kind] {
			seen[u.Kind] = true
			kinds = append(kinds, u.Kind)
		}
	}
	order := map[app.UnitKind]int{app.KindResidential: 0, app.KindCommercial: 1, app.KindParking: 2}
	sort.SliceStable(kinds, func(i, j int) bool {
		oi, iok := order[kinds[i]]
		oj, jok := order[kinds[j]]
		switch {
		case iok && jok:
			return oi < oj
		case iok != jok:
			return iok
		}
		return kinds[i] < kinds[j]
	})
	return kinds
}

func itoa(n int) string { return strconv.Itoa(n) }

// UnitEntry is a text entry for a unit id with completion from the register: as you
// type it lists the matching units (by id prefix or owner name) below, and Enter fills
// in the only match. OnUnit is called whenever the text starts or stops naming a unit.
type UnitEntry struct {
	widget.Entry
	units   map[string]*app.Unit
	ids     []string // in reading order
	hint    *widget.Label
	current *app.Unit
	// OnUnit is told the unit the text now names (nil when it names none).
	OnUnit func(u *app.Unit)
	// OnEnter runs after Enter (and completion), e.g. to move to the next field.
	OnEnter func()
}

// NewUnitEntry makes the entry over the register's units.
func NewUnitEntry(units []app.Unit) *UnitEntry {
	e := &UnitEntry{units: make(map[string]*app.Unit, len(units)), hint: widget.NewLabel("")}
	e.hint.Wrapping = fyne.TextWrapWord
	e.hint.SizeName = theme.SizeNameCaptionText
	for i := range units {
		u := &units[i]
		e.units[strings.ToUpper(u.ID)] = u
		e.ids = append(e.ids, u.ID)
	}
	e.ExtendBaseWidget(e)
	e.SetPlaceHolder(L("房号，例如 1-1-101"))
	e.Entry.OnChanged = func(string) { e.changed() }
	e.Entry.OnSubmitted = func(string) {
		e.Complete()
		if e.OnEnter != nil {
			e.OnEnter()
		}
	}
	return e
}

// Hint is the label that lists the matches; put it under the entry.
func (e *UnitEntry) Hint() *widget.Label { return e.hint }

// Unit is the unit the text names, nil if none.
func (e *UnitEntry) Unit() *app.Unit { return e.current }

// Matches lists up to n units whose id starts with the text or whose owner's name
// contains it.
func (e *UnitEntry) Matches(n int) []*app.Unit {
	q := strings.ToUpper(strings.TrimSpace(e.Text))
	if q == "" {
		return nil
	}
	var out []*app.Unit
	for _, id := range e.ids {
		u := e.units[strings.ToUpper(id)]
		if strings.HasPrefix(strings.ToUpper(id), q) || strings.Contains(u.OwnerName, e.Text) {
			out = append(out, u)
			if len(out) == n {
				break
			}
		}
	}
	return out
}

// Complete fills in the only matching unit; it reports whether the text names a unit.
func (e *UnitEntry) Complete() bool {
	if e.current != nil {
		return true
	}
	if m := e.Matches(2); len(m) == 1 {
		e.SetText(m[0].ID)
	}
	return e.current != nil
}

func (e *UnitEntry) changed() {
	u := e.units[strings.ToUpper(strings.TrimSpace(e.Text))]
	if u != nil && u.ID != e.Text {
		e.SetText(u.ID) // the register's spelling; calls changed again
		return
	}
	switch m := e.Matches(9); {
	case u != nil:
		e.hint.SetText("✓ " + u.ID + "　" + u.OwnerName)
	case strings.TrimSpace(e.Text) == "":
		e.hint.SetText("")
	case len(m) == 0:
		e.hint.SetText(L("登记册里没有这个房号"))
	default:
		var parts []string
		for i, x := range m {
			if i == 8 {
				parts = append(parts, "…")
				break
			}
			parts = append(parts, x.ID+" "+x.OwnerName)
		}
		e.hint.SetText(strings.Join(parts, "　"))
	}
	if u != e.current {
		e.current = u
		if e.OnUnit != nil {
			e.OnUnit(u)
		}
	}
}

// newSelect is a drop-down whose empty state says 请选择 in the screens' language.
func newSelect(options []string, changed func(string)) *widget.Select {
	s := widget.NewSelect(options, changed)
	s.PlaceHolder = L("请选择")
	return s
}

// sized gives a widget a fixed width in a row (a drop-down is otherwise only as wide as
// its placeholder).
func sized(o fyne.CanvasObject, width float32) fyne.CanvasObject {
	return container.NewGridWrap(fyne.NewSize(width, o.MinSize().Height), o)
}

// ChooseSheet asks for a spreadsheet (CSV or XLSX) and hands its path to then; cancelling
// does nothing.
func ChooseSheet(w fyne.Window, then func(path string)) {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil {
			ShowError(err, w)
			return
		}
		if r == nil {
			return
		}
		path := r.URI().Path()
		r.Close()
		then(path)
	}, w)
	d.SetFilter(fynestorage.NewExtensionFileFilter([]string{".csv", ".CSV", ".xlsx", ".XLSX"}))
	d.Resize(fyne.NewSize(900, 600))
	showFileDialog(d, w)
}

// fyneFolderNames are the places Fyne's file dialog lists by their English names (it
// does not translate them), in our keys.
var fyneFolderNames = map[string]string{
	"Home": "主目录", "Computer": "计算机", "Desktop": "桌面", "Documents": "文档", "Downloads": "下载",
	"Music": "音乐", "Pictures": "图片", "Videos": "视频", "Movies": "影片", "App Files": "应用文件",
}

// showFileDialog shows a Fyne file or folder dialog with its places named in the
// screens' language.
func showFileDialog(d *dialog.FileDialog, w fyne.Window) {
	d.Show()
	renameFileDialogPlaces(d)
}

// renameFileDialogPlaces names the places of a shown file dialog in the screens'
// language. Fyne 2.7 keeps them as English names in unexported fields (the favourites'
// locName) and draws them as they are, so they are renamed there; a later Fyne that
// changes those fields leaves the English names, nothing worse.
func renameFileDialogPlaces(d *dialog.FileDialog) {
	fd := reflect.ValueOf(d).Elem().FieldByName("dialog")
	if !fd.IsValid() || fd.Kind() != reflect.Pointer || fd.IsNil() {
		return
	}
	favs := fd.Elem().FieldByName("favorites")
	if !favs.IsValid() || favs.Kind() != reflect.Slice {
		return
	}
	for i := 0; i < favs.Len(); i++ {
		f := favs.Index(i).FieldByName("locName")
		if !f.IsValid() || f.Kind() != reflect.String {
			return
		}
		name := reflect.NewAt(f.Type(), unsafe.Pointer(f.UnsafeAddr())).Elem()
		if zh, ok := fyneFolderNames[name.String()]; ok {
			name.SetString(L(zh))
		}
	}
	if l := fd.Elem().FieldByName("favoritesList"); l.IsValid() && l.Kind() == reflect.Pointer && !l.IsNil() {
		list := reflect.NewAt(l.Type(), unsafe.Pointer(l.UnsafeAddr())).Elem().Interface().(*widget.List)
		list.Refresh()
	}
}

// noticeFor is how long a short notice stays.
var noticeFor = 3 * time.Second

// notices are the short notices showing (Fyne thread only): not dialogs, so they do
// not take the keyboard (mainNav's shortcuts still work over them).
var notices = map[fyne.CanvasObject]bool{}

// ShowNotice says that something worked in a short notice at the foot of the window,
// which goes away by itself (or on a click): success needs no button to dismiss.
func ShowNotice(text string, w fyne.Window) {
	if w == nil || w.Canvas() == nil {
		return
	}
	l := widget.NewLabel("✓ " + text)
	l.Wrapping = fyne.TextWrapWord
	bg := canvas.NewRectangle(theme.Color(theme.ColorNameSuccess))
	bg.CornerRadius = 6
	size := fyne.NewSize(min(560, w.Canvas().Size().Width-40), 0)
	l.Resize(fyne.NewSize(size.Width-2*theme.Padding(), l.MinSize().Height))
	box := container.NewStack(bg, container.NewPadded(l))
	pop := widget.NewPopUp(box, w.Canvas())
	size.Height = box.MinSize().Height
	pop.Resize(size)
	c := w.Canvas().Size()
	notices[pop] = true
	pop.ShowAtPosition(fyne.NewPos((c.Width-size.Width)/2, max(0, c.Height-size.Height-3*theme.Padding())))
	hide := func() {
		delete(notices, pop)
		pop.Hide()
	}
	if Synchronous {
		return // tests look at it; it stays
	}
	time.AfterFunc(noticeFor, func() { fyne.Do(hide) })
}

// dialogOpen says whether a dialog (not a short notice) is open over the window.
func dialogOpen(w fyne.Window) bool {
	if w == nil || w.Canvas() == nil {
		return false
	}
	for _, o := range w.Canvas().Overlays().List() {
		if !notices[o] {
			return true
		}
	}
	return false
}

// atLeast keeps o at least h high: a table under a tall page still shows some rows when
// the page scrolls (a table's own minimum is one row).
func atLeast(o fyne.CanvasObject, h float32) fyne.CanvasObject {
	return container.New(minHeight(h), o)
}

type minHeight float32

func (m minHeight) MinSize(o []fyne.CanvasObject) fyne.Size {
	s := o[0].MinSize()
	return fyne.NewSize(s.Width, max(s.Height, float32(m)))
}

func (m minHeight) Layout(o []fyne.CanvasObject, size fyne.Size) {
	o[0].Move(fyne.NewPos(0, 0))
	o[0].Resize(size)
}

// wrapped is a label whose text wraps at the width it is given.
func wrapped(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	return l
}

// paragraph is a wrapped text that never leaves closing punctuation (。，、；：！？）」)
// alone at the start of its last line: Fyne breaks a line of Chinese, which has no spaces,
// after the last character that fits, so "……不会保存" could fill a line and "。" stand
// alone below it. When that would happen the text is laid out a character narrower, so
// the last character goes down with its punctuation.
func paragraph(text string) fyne.CanvasObject {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	return container.New(noOrphanLayout{l}, l)
}

type noOrphanLayout struct{ l *widget.Label }

func (n noOrphanLayout) MinSize([]fyne.CanvasObject) fyne.Size { return n.l.MinSize() }

func (n noOrphanLayout) Layout(_ []fyne.CanvasObject, size fyne.Size) {
	n.l.Move(fyne.NewPos(0, 0))
	w := size.Width
	if cut := orphanCut(n.l.Text, w-2*theme.InnerPadding(), theme.TextSize()); cut > 0 {
		w -= cut
	}
	n.l.Resize(fyne.NewSize(w, size.Height))
}

// closing is punctuation that must not begin a line.
const closing = "。，、；：！？）」』”’…"

// orphanCut is how much narrower text must be laid out so that its last line does not
// hold closing punctuation only, when the text (no spaces: Chinese) breaks by character
// at width; 0 when it does not need to be.
func orphanCut(text string, width, size float32) float32 {
	if strings.ContainsAny(text, " \n") || width <= 0 {
		return 0
	}
	runes := []rune(text)
	style := fyne.TextStyle{}
	line, start := float32(0), 0
	prev := float32(0)
	for i, r := range runes {
		cw := fyne.MeasureText(string(r), size, style).Width
		if line+cw > width && i > start {
			start, line = i, 0
		}
		line += cw
		if i == len(runes)-1 {
			tail := string(runes[start:])
			if start > 0 && strings.Trim(tail, closing) == "" {
				return prev + 1
			}
		}
		prev = cw
	}
	return 0
}
