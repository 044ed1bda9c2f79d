package ui

import (
	"fmt"
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// A narrow window (docs/window.md "Window size") shows the navigation as a rail of
// icons, each naming its page in a tooltip, so that the page keeps the width: at
// 1024×600 the full navigation would take a quarter of it.

// wideNavFrom is the narrowest window that shows the navigation with its titles.
const wideNavFrom = 1200

// railLayout lays out [wide navigation, rail, page]: the wide navigation when the window
// is at least wideNavFrom wide and the page still fits beside it, else the rail. Its
// minimum size is the rail's and the page's, so a page that fits beside the rail fits
// the window.
type railLayout struct{ wide bool }

func (l *railLayout) MinSize(o []fyne.CanvasObject) fyne.Size {
	rail, page := o[1].MinSize(), o[2].MinSize()
	return fyne.NewSize(rail.Width+page.Width, max(rail.Height, page.Height))
}

func (l *railLayout) Layout(o []fyne.CanvasObject, size fyne.Size) {
	wide, rail, page := o[0], o[1], o[2]
	l.wide = size.Width >= wideNavFrom && wide.MinSize().Width+page.MinSize().Width <= size.Width
	side := rail
	if l.wide {
		side = wide
		rail.Hide()
		wide.Show()
	} else {
		wide.Hide()
		rail.Show()
	}
	sw := side.MinSize().Width
	side.Move(fyne.NewPos(0, 0))
	side.Resize(fyne.NewSize(sw, size.Height))
	page.Move(fyne.NewPos(sw, 0))
	page.Resize(fyne.NewSize(size.Width-sw, size.Height))
}

// rail is the narrow navigation: the app's icon (its tooltip names the community and who
// is signed in), the pages' icons with their badges, and below them switching member,
// the desk settings and a button that shows language, text size and version.
func (n *mainNav) rail(version string) fyne.CanvasObject {
	n.icons = widget.NewList(
		func() int { return len(n.pages) },
		func() fyne.CanvasObject {
			badge := widget.NewLabel("99") // room for a two-digit badge
			badge.SizeName = theme.SizeNameCaptionText
			return newTipped(n.tips, container.NewHBox(widget.NewIcon(theme.HomeIcon()), badge), "")
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			t := o.(*tipped)
			row := t.content.(*fyne.Container)
			row.Objects[0].(*widget.Icon).SetResource(n.pages[i].Icon)
			badge := row.Objects[1].(*widget.Label)
			t.tip = n.pages[i].Title
			if n.badges[i] > 0 {
				badge.SetText(strconv.Itoa(n.badges[i]))
				t.tip = fmt.Sprintf("%s (%d)", n.pages[i].Title, n.badges[i])
			} else {
				badge.SetText("")
			}
		})
	n.icons.OnSelected = func(i widget.ListItemID) { n.list.Select(i) } // calls choose unless already shown
	who := func() string {
		if m := SignedIn(); m != "" {
			return n.community + "\n" + L("当前：%s", m)
		}
		return n.community
	}
	head := newTipped(n.tips, widget.NewIcon(AppIcon), "")
	head.tipFunc = who
	var more *tipButton
	more = newTipButton(n.tips, theme.SettingsIcon(), L("语言、字号与版本"), func() {
		box := container.NewVBox(LanguageSwitch(n.w), TextSizeSwitch(n.w), versionLabel(version))
		pop := widget.NewPopUp(box, n.w.Canvas())
		pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(more)
		pop.ShowAtPosition(fyne.NewPos(pos.X+more.Size().Width, max(0, pos.Y+more.Size().Height-box.MinSize().Height-2*theme.Padding())))
	})
	foot := []fyne.CanvasObject{widget.NewSeparator()}
	session.Lock()
	open, member := session.open, session.member
	session.Unlock()
	if !open && member != "" {
		foot = append(foot, newTipButton(n.tips, theme.AccountIcon(), L("切换成员"), LockNow))
	}
	foot = append(foot, newTipButton(n.tips, theme.DocumentSaveIcon(), L("备份与锁定…"), func() { DeskSettings(n.w, n.s) }), more)
	return container.NewPadded(container.NewBorder(container.NewVBox(head, widget.NewSeparator()), container.NewVBox(foot...), nil, nil, n.icons))
}

// tipLayer shows one tooltip over the window's content, beside what the pointer rests on.
// It lies above the content but takes no taps or pointer moves.
type tipLayer struct {
	box   *fyne.Container
	label *widget.Label
	layer *fyne.Container
}

func newTipLayer() *tipLayer {
	l := widget.NewLabel("")
	bg := canvas.NewRectangle(theme.Color(theme.ColorNameOverlayBackground))
	bg.StrokeColor = theme.Color(theme.ColorNameShadow)
	bg.StrokeWidth = 1
	bg.CornerRadius = 4
	t := &tipLayer{label: l}
	t.box = container.NewStack(bg, container.NewPadded(l))
	t.box.Hide()
	t.layer = container.NewWithoutLayout(t.box)
	return t
}

// show puts text beside o, kept inside the layer.
func (t *tipLayer) show(o fyne.CanvasObject, text string) {
	if text == "" || fyne.CurrentApp() == nil {
		return
	}
	d := fyne.CurrentApp().Driver()
	at := d.AbsolutePositionForObject(o).Subtract(d.AbsolutePositionForObject(t.layer))
	t.label.SetText(text)
	size := t.box.MinSize()
	pos := fyne.NewPos(at.X+o.Size().Width+theme.Padding(), at.Y+(o.Size().Height-size.Height)/2)
	room := t.layer.Size()
	pos.X = max(0, min(pos.X, room.Width-size.Width))
	pos.Y = max(0, min(pos.Y, room.Height-size.Height))
	t.box.Resize(size)
	t.box.Move(pos)
	t.box.Show()
}

func (t *tipLayer) hide() { t.box.Hide() }

// tipped is content that shows a tooltip while the pointer rests on it.
type tipped struct {
	widget.BaseWidget
	content fyne.CanvasObject
	tips    *tipLayer
	tip     string
	tipFunc func() string
}

var _ desktop.Hoverable = (*tipped)(nil)

func newTipped(tips *tipLayer, content fyne.CanvasObject, tip string) *tipped {
	t := &tipped{content: content, tips: tips, tip: tip}
	t.ExtendBaseWidget(t)
	return t
}

func (t *tipped) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(t.content) }

func (t *tipped) MouseIn(*desktop.MouseEvent) {
	text := t.tip
	if t.tipFunc != nil {
		text = t.tipFunc()
	}
	t.tips.show(t, text)
}

func (t *tipped) MouseMoved(*desktop.MouseEvent) {}

func (t *tipped) MouseOut() { t.tips.hide() }

// tipButton is an icon button that names what it does in a tooltip.
type tipButton struct {
	widget.Button
	tips *tipLayer
	tip  string
}

func newTipButton(tips *tipLayer, icon fyne.Resource, tip string, tapped func()) *tipButton {
	b := &tipButton{tips: tips, tip: tip}
	b.Icon = icon
	b.OnTapped = func() {
		tips.hide()
		tapped()
	}
	b.ExtendBaseWidget(b)
	return b
}

func (b *tipButton) MouseIn(e *desktop.MouseEvent) {
	b.Button.MouseIn(e)
	b.tips.show(b, b.tip)
}

func (b *tipButton) MouseOut() {
	b.Button.MouseOut()
	b.tips.hide()
}
