package ui

import (
	"fmt"
	"math"
	"os"
	"os/exec"
	"reflect"
	"sort"
	"strings"
	"sync"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	sltheme "sunledger/theme"
)

// fitSizes are the window sizes every page is laid out for (docs/window.md "Window
// size"): the smallest laptop screen and the commonest one, each whole (--size) and
// less its taskbar and title bar (the size the window opens at there).
var fitSizes = []fyne.Size{{Width: 1024, Height: 600}, {Width: 1024, Height: 530}, {Width: 1366, Height: 768}, {Width: 1366, Height: 698}}

// Every page and every tab of the demo book, in both languages, at each of fitSizes:
// the window's content needs no more than the window, and no visible widget lies
// outside the window (wide tables and long forms scroll inside themselves). Each
// language runs in its own process: Fyne's translations are process-wide.
func TestFit_EveryPageFitsTheWindowInBothLanguages(t *testing.T) {
	if l := os.Getenv("UI_FIT_CHILD"); l != "" {
		fitScreens(t, l == "en")
		return
	}
	var wg sync.WaitGroup
	for _, l := range []string{"en", "zh"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cmd := exec.Command(os.Args[0], "-test.run=^TestFit_EveryPageFitsTheWindowInBothLanguages$", "-test.count=1", "-test.v")
			cmd.Env = append(os.Environ(), "UI_FIT_CHILD="+l, "UI_LANG_CHILD=1")
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Errorf("%s: %v\n%s", l, err, filterFyneNoise(string(out)))
			} else if testing.Verbose() {
				t.Logf("%s:\n%s", l, filterFyneNoise(string(out)))
			}
		}()
	}
	wg.Wait()
}

func fitScreens(t *testing.T, english bool) {
	SetLanguage(english)
	s := demoBook(t)
	c, _ := s.Book.Community(t.Context())
	w := newWindow(t)
	test.ApplyTheme(t, sltheme.New())
	var bad []string
	checked := 0
	step := sltheme.TextStandard
	check := func(where string, size fyne.Size) {
		checked++
		w.Resize(size)
		for _, p := range outOfWindow(w, size) {
			bad = append(bad, fmt.Sprintf("%v %s %s: %s", size, textStepLabels[step], where, p))
		}
	}
	type setting struct {
		size fyne.Size
		step sltheme.TextStep
	}
	var settings []setting
	for _, size := range fitSizes {
		settings = append(settings, setting{size, sltheme.TextStandard})
	}
	// The larger text sizes on the commonest screen less its taskbar (docs/window.md
	// "Window size": a text size scales the content, never the window; on a smaller
	// screen a text size whose pages do not fit is taken back).
	for _, step := range sltheme.TextSteps[1:] {
		settings = append(settings, setting{fyne.NewSize(1366, 698), step})
	}
	for _, set := range settings {
		size := set.size
		step = set.step
		test.ApplyTheme(t, sltheme.NewSized(step))
		for _, p := range Pages(s) {
			w.SetContent(Main(w, s, c, "test", p.ID))
			w.Resize(size)
			check(p.ID, size)
			for _, o := range test.LaidOutObjects(w.Content()) {
				if tabs, ok := o.(*container.AppTabs); ok {
					for i := range tabs.Items {
						tabs.SelectIndex(i)
						check(fmt.Sprintf("%s tab %q", p.ID, tabs.Items[i].Text), size)
					}
					tabs.SelectIndex(0)
				}
			}
		}
	}
	t.Logf("%d screens checked", checked)
	sort.Strings(bad)
	if len(bad) > 0 {
		t.Errorf("%d screens do not fit their window:\n%s", len(bad), strings.Join(bad, "\n"))
	}
}

// outOfWindow lists what does not fit a window of the given size: content whose
// minimum size is larger, and visible objects that are not inside the window (outside
// a scrolling or clipping container, which is checked itself).
func outOfWindow(w fyne.Window, size fyne.Size) []string {
	var out []string
	need := w.Content().MinSize()
	if w.Padded() {
		need = need.Add(fyne.NewSquareSize(2 * theme.Padding()))
	}
	if need.Width > size.Width+0.5 || need.Height > size.Height+0.5 {
		out = append(out, fmt.Sprintf("content needs %.0f×%.0f%s", need.Width, need.Height, widest(w.Content())))
	}
	seen := map[string]bool{}
	win := bounds{0, 0, size.Width, size.Height}
	walkUnclipped(w.Content(), w.Content().Position(), win, func(o fyne.CanvasObject, pos fyne.Position, b bounds) {
		sz := o.Size()
		switch x := o.(type) {
		case *fyne.Container:
			return // what it holds is checked; an empty box overhanging draws nothing
		case *canvas.Text:
			// Only the text's own width is drawn, whatever room it was given.
			if x.Text == "" {
				return
			}
			tw := fyne.MeasureText(x.Text, x.TextSize, x.TextStyle).Width
			switch x.Alignment {
			case fyne.TextAlignTrailing:
				pos.X += sz.Width - tw
			case fyne.TextAlignCenter:
				pos.X += (sz.Width - tw) / 2
			}
			sz.Width = min(sz.Width, tw)
		}
		if sz.Width < 1 || sz.Height < 1 {
			return
		}
		if pos.X < b.x0-0.5 || pos.Y < b.y0-0.5 || pos.X+sz.Width > b.x1+0.5 || pos.Y+sz.Height > b.y1+0.5 {
			d := fmt.Sprintf("%s at %.0f,%.0f size %.0f×%.0f%s", reflect.TypeOf(o), pos.X, pos.Y, sz.Width, sz.Height, describe(o))
			if os.Getenv("UI_FIT_DEBUG") != "" {
				d += fmt.Sprintf(" bounds %v path %s", b, fitPath)
			}
			if !seen[d] {
				seen[d] = true
				out = append(out, d)
			}
		}
	})
	if len(out) > 6 {
		out = append(out[:6], fmt.Sprintf("… and %d more", len(out)-6))
	}
	return out
}

// bounds is where objects must lie: the window, or across a vertical scroll, its width.
type bounds struct{ x0, y0, x1, y1 float32 }

// walkUnclipped calls f with every visible object under o, its position in the window
// and the bounds it must lie in. It does not descend into what clips its content
// (scroll containers, tables, lists, entries), except that inside a scroll that only
// scrolls one way, objects are still held to the other way's bounds.
func walkUnclipped(o fyne.CanvasObject, pos fyne.Position, b bounds, f func(fyne.CanvasObject, fyne.Position, bounds)) {
	if o == nil || !o.Visible() {
		return
	}
	f(o, pos, b)
	if sc, ok := o.(*container.Scroll); ok {
		inf := float32(math.MaxFloat32)
		switch sc.Direction {
		case container.ScrollVerticalOnly:
			b = bounds{max(b.x0, pos.X), -inf, min(b.x1, pos.X+sc.Size().Width), inf}
		case container.ScrollHorizontalOnly:
			b = bounds{-inf, max(b.y0, pos.Y), inf, min(b.y1, pos.Y+sc.Size().Height)}
		default:
			return
		}
		walkUnclipped(sc.Content, pos.Add(sc.Content.Position()), b, f)
		return
	}
	if _, ok := o.(fyne.Scrollable); ok {
		return
	}
	var children []fyne.CanvasObject
	switch x := o.(type) {
	case *fyne.Container:
		children = x.Objects
	case fyne.Widget:
		r := test.WidgetRenderer(x)
		if _, clip := r.(interface{ IsClip() }); clip {
			return
		}
		children = r.Objects()
	}
	for _, c := range children {
		if c != nil {
			fitPath = append(fitPath, reflect.TypeOf(c).String())
			walkUnclipped(c, pos.Add(c.Position()), b, f)
			fitPath = fitPath[:len(fitPath)-1]
		}
	}
}

var fitPath []string

// describe names what an object shows, to find it on the page.
func describe(o fyne.CanvasObject) string {
	if ts := visibleTexts(o); len(ts) > 0 {
		var keep []string
		for _, t := range ts {
			if t != "" {
				keep = append(keep, t)
			}
			if len(keep) == 3 {
				break
			}
		}
		if len(keep) > 0 {
			return fmt.Sprintf(" %q", keep)
		}
	}
	return ""
}

// widest names the widgets with the widest minimum sizes (UI_FIT_DEBUG): where to look
// when a page is too wide.
func widest(o fyne.CanvasObject) string {
	if os.Getenv("UI_FIT_DEBUG") == "" {
		return ""
	}
	type wd struct {
		w float32
		d string
	}
	var all []wd
	for _, x := range test.LaidOutObjects(o) {
		if _, ok := x.(fyne.Widget); ok {
			all = append(all, wd{x.MinSize().Width, fmt.Sprintf("%s%s", reflect.TypeOf(x), describe(x))})
		}
	}
	sort.Slice(all, func(i, j int) bool { return all[i].w > all[j].w })
	var b strings.Builder
	for i, x := range all {
		if i == 12 {
			break
		}
		fmt.Fprintf(&b, "\n    %.0f %s", x.w, x.d)
	}
	return b.String()
}

// Below wideNavFrom the navigation is a rail of icons; resting the pointer on one names
// its page, and a click shows it. At 1366 the titles are back.
func TestFit_NarrowWindowNavigatesByIconsWithTooltips(t *testing.T) {
	s := demoBook(t)
	c, _ := s.Book.Community(t.Context())
	w := newWindow(t)
	test.ApplyTheme(t, sltheme.New())
	w.SetContent(Main(w, s, c, "test", "dashboard"))
	w.Resize(fyne.NewSize(1024, 600))
	n := lastNav
	tips := n.tips
	if n.layout.wide {
		t.Fatalf("at 1024 wide the navigation shows its titles")
	}
	// The third page's icon: rest the pointer on it.
	d := fyne.CurrentApp().Driver()
	pitch := n.icons.MinSize().Height + theme.SeparatorThicknessSize()
	pos := d.AbsolutePositionForObject(n.icons).Add(fyne.NewPos(10, 2.5*pitch))
	test.MoveMouse(w.Canvas(), pos)
	if !tips.box.Visible() || tips.label.Text != n.pages[2].Title[:len(tips.label.Text)] {
		t.Errorf("tooltip shown %v, says %q; want %q", tips.box.Visible(), tips.label.Text, n.pages[2].Title)
	}
	test.MoveMouse(w.Canvas(), fyne.NewPos(900, 300))
	if tips.box.Visible() {
		t.Errorf("the tooltip stayed after the pointer left")
	}
	n.icons.Select(2)
	if n.current != 2 {
		t.Errorf("choosing the third icon shows page %d", n.current)
	}
	w.Resize(fyne.NewSize(1366, 768))
	if !n.layout.wide {
		t.Errorf("at 1366 wide the navigation is still a rail")
	}
}

// A Chinese paragraph never ends with its closing punctuation alone on a line (the
// snapshot page's "。" at 1366 wide): wherever that would happen, it is laid out a
// character narrower and its last line then holds more than punctuation.
func TestFit_NoLoneClosingPunctuation(t *testing.T) {
	test.NewTempApp(t)
	test.ApplyTheme(t, sltheme.New())
	text := "签名快照是给业主核对的账本副本：开放格式的账目、季度公示和查看页，用业委会的私钥签名。只写房号，不含业主姓名和证件号。口令每次询问，不会保存。"
	size := theme.TextSize()
	found := 0
	for w := float32(300); w < 1400; w++ {
		cut := orphanCut(text, w, size)
		if cut == 0 {
			continue
		}
		found++
		if again := orphanCut(text, w-cut, size); again != 0 {
			t.Errorf("at %v wide: still a lone mark after narrowing by %v", w, cut)
		}
	}
	if found == 0 {
		t.Errorf("no width leaves a lone 。: the check does not look")
	}
	if orphanCut("one two。", 10, size) != 0 {
		t.Errorf("text with spaces is left to Fyne's word wrap")
	}
}
