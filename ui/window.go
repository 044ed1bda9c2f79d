// Package ui holds Sunledger's Fyne screens. Each screen is a function that takes the
// window (for dialogs) and the services it needs and returns a fyne.CanvasObject, so that
// tests build it with fyne.io/fyne/v2/test over a real book. Screens call package app
// only, never storage; labels are Chinese keys translated by L.
package ui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"sunledger/app"
	sltheme "sunledger/theme"
)

// Page is one item of the main window's navigation.
type Page struct {
	ID    string // stable name for --page and tests
	Title string
	Icon  fyne.Resource
	Make  func(w fyne.Window, s app.Services) fyne.CanvasObject
}

// Pages lists the screens the book's services support, in the order of the navigation.
func Pages(s app.Services) []Page {
	var p []Page
	add := func(ok bool, id, title string, icon fyne.Resource, make func(fyne.Window, app.Services) fyne.CanvasObject) {
		if ok {
			p = append(p, Page{ID: id, Title: title, Icon: icon, Make: make})
		}
	}
	books := s.Ledger != nil && s.Fees != nil
	add(books, "dashboard", L("资金总览"), theme.GridIcon(), Dashboard)
	add(s.Register != nil && s.Prices != nil && s.Fees != nil && s.Members != nil && s.Book != nil, "setup", L("开始使用"), theme.ConfirmIcon(), Setup)
	add(s.Register != nil, "register", L("登记册"), theme.HomeIcon(), Register)
	add(books, "fees", L("收费"), theme.ContentAddIcon(), Fees)
	add(books, "arrears", L("欠费"), theme.WarningIcon(), Arrears)
	add(s.Ledger != nil, "journal", L("凭证"), theme.ListIcon(), Journal)
	add(s.Bank != nil && s.Chart != nil, "bank", L("银行对账"), theme.ContentPasteIcon(), Bank)
	add(s.Expenses != nil && s.Members != nil, "expenses", L("支出审批"), theme.DocumentIcon(), Expenses)
	add(s.Ledger != nil && s.Budgets != nil && s.Settlements != nil && s.Maintenance != nil, "budget", L("预算与结算"), theme.StorageIcon(), Budget)
	add(s.Votes != nil, "votes", L("表决"), theme.MailSendIcon(), Votes)
	add(s.Service != nil && s.Register != nil, "service", L("服务"), theme.InfoIcon(), Service)
	add(s.Surveys != nil && s.Remuneration != nil, "surveys", L("满意度调查"), theme.QuestionIcon(), Surveys)
	add(s.Meetings != nil, "meetings", L("联席会议"), theme.AccountIcon(), Meetings)
	add(s.Members != nil, "members", L("成员名单"), theme.AccountIcon(), Members)
	add(books && s.Book != nil && s.Register != nil, "print", L("公示打印"), theme.DocumentPrintIcon(), Print)
	add(s.Book != nil && s.Ledger != nil && s.Published != nil, "snapshot", L("快照"), theme.UploadIcon(), Snapshot)
	add(s.Book != nil, "audit", L("操作日志"), theme.HistoryIcon(), Audit)
	return p
}

// Main is the main window's content: the navigation on the left and the chosen screen
// on the right. start names the first page (its ID); "" opens the first one.
func Main(w fyne.Window, s app.Services, c app.Community, version, start string) fyne.CanvasObject {
	deskShown = false // until Desk puts this navigation in the window
	n := &mainNav{w: w, s: s, pages: Pages(s), area: container.NewStack(), current: -1, community: c.Name, tips: newTipLayer()}
	n.badges = make([]int, len(n.pages))
	n.list = n.newList()
	n.list.OnSelected = n.choose
	onSignIn(func() { n.recount(true) })
	// A page taller than the window scrolls; a wide one lays itself out to the width
	// (its tables scroll inside themselves, its texts wrap).
	page := container.NewPadded(container.NewVScroll(n.area))
	n.layout = &railLayout{}
	split := container.New(n.layout, n.sidebar(c, version), n.rail(version), page)
	n.selectStart(start)
	n.addShortcuts()
	installDialogKeys(w)
	lastNav = n
	return container.NewStack(split, n.tips.layer)
}

// Focus on a page being shown (ui.focusOnShow): a page's widgets are made before they are
// in the window, and Fyne focuses only what is in it. pendingFocus is the field the page
// being made asked for; choose gives it the keyboard once the page is in the area, if the
// desk is in the window (deskShown, set by Desk), else Desk does when it shows the desk.
var (
	pendingFocus fyne.Focusable
	makingPage   bool
	deskShown    bool
)

// focusOnShow gives o the keyboard: now, or once the page being made is shown.
func focusOnShow(w fyne.Window, o fyne.Focusable) {
	if makingPage || w.Canvas() == nil {
		pendingFocus = o
		return
	}
	w.Canvas().Focus(o)
}

// focusPending gives the keyboard to the field the page shown asked for, if any.
func focusPending(w fyne.Window) {
	if f := pendingFocus; f != nil && w.Canvas() != nil {
		pendingFocus = nil
		w.Canvas().Focus(f)
	}
}

// lastNav is the navigation Main made last (tests look at it).
var lastNav *mainNav

// mainNav is the main window's navigation: its pages with their badges of pending work
// ("支出审批 (3)"), the page chosen (current, -1 before the first) and the area that
// shows it.
type mainNav struct {
	w       fyne.Window
	s       app.Services
	pages   []Page
	badges  []int
	current int
	area    *fyne.Container
	list    *widget.List
	// icons is the narrow window's navigation (ui/rail.go), kept on the same page.
	icons     *widget.List
	tips      *tipLayer
	community string
	layout    *railLayout
}

// newList is the list of the pages, each with its icon and badge.
func (n *mainNav) newList() *widget.List {
	return widget.NewList(
		func() int { return len(n.pages) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.SizeName = theme.SizeNameSubHeadingText
			return container.NewBorder(nil, nil, widget.NewIcon(theme.HomeIcon()), nil, l)
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			c := o.(*fyne.Container)
			for _, obj := range c.Objects {
				switch x := obj.(type) {
				case *widget.Label:
					if n.badges[i] > 0 {
						x.SetText(fmt.Sprintf("%s (%d)", n.pages[i].Title, n.badges[i]))
					} else {
						x.SetText(n.pages[i].Title)
					}
				case *widget.Icon:
					x.SetResource(n.pages[i].Icon)
				}
			}
		})
}

// choose shows page i and counts the badges again (all of them the first time).
func (n *mainNav) choose(i widget.ListItemID) {
	touch()
	n.tips.hide()
	if n.icons != nil {
		n.icons.Select(i)
	}
	pendingFocus, makingPage = nil, true
	page := n.pages[i].Make(n.w, n.s)
	makingPage = false
	n.area.Objects = []fyne.CanvasObject{page}
	n.area.Refresh()
	if deskShown {
		focusPending(n.w)
	}
	first := n.current < 0
	n.current = i
	n.recount(first)
}

// recount counts the badges again, in the background (a big book's tallies take a
// moment), and shows them when ready: choosing a page never waits for its badges.
// Tallies and service requests are counted only when all is set (at sign-in and the
// first page) or when their page is the one chosen.
func (n *mainNav) recount(all bool) {
	counted := make([]int, len(n.pages))
	copy(counted, n.badges)
	sel := n.current
	Spawn(func() {
		for i, p := range n.pages {
			if (p.ID != "votes" && p.ID != "service") || all || sel == i {
				counted[i] = pendingBadge(n.s, p.ID)
			}
		}
	}, func() {
		copy(n.badges, counted)
		n.list.Refresh()
		n.icons.Refresh()
	})
}

// sidebar is the navigation with the community's name and who is signed in above it,
// and the session, language, text size and version below.
func (n *mainNav) sidebar(c app.Community, version string) fyne.CanvasObject {
	name := widget.NewLabel(c.Name)
	name.TextStyle.Bold = true
	name.Wrapping = fyne.TextWrapWord
	appName := widget.NewLabel(L("阳光账本"))
	appName.SizeName = theme.SizeNameCaptionText
	head := container.NewVBox(container.NewBorder(nil, nil, widget.NewIcon(AppIcon), sessionWho(), appName), name, widget.NewSeparator())
	foot := container.NewVBox(widget.NewSeparator(), sessionFooter(n.w, n.s), LanguageSwitch(n.w), TextSizeSwitch(n.w), versionLabel(version))
	side := container.NewBorder(head, foot, nil, nil, n.list)
	// The navigation is as wide as its longest title needs (at the chosen text size), so
	// no language cuts a page's name ("Budget and settleme").
	titles := make([]string, len(n.pages))
	for i, p := range n.pages {
		titles[i] = p.Title + " (99)"
	}
	return container.New(&navWidth{titles: titles}, container.NewPadded(side))
}

// selectStart shows the page whose ID is start, else the first page.
func (n *mainNav) selectStart(start string) {
	first := 0
	for i, p := range n.pages {
		if p.ID == start {
			first = i
		}
	}
	if len(n.pages) > 0 {
		n.list.Select(first)
	}
}

// addShortcuts makes Alt+1 … Alt+9 jump to a page, for keyboard users.
func (n *mainNav) addShortcuts() {
	keys := []fyne.KeyName{fyne.Key1, fyne.Key2, fyne.Key3, fyne.Key4, fyne.Key5, fyne.Key6, fyne.Key7, fyne.Key8, fyne.Key9}
	for i := range n.pages {
		if i < len(keys) && n.w.Canvas() != nil {
			n.w.Canvas().AddShortcut(&desktop.CustomShortcut{KeyName: keys[i], Modifier: fyne.KeyModifierAlt}, func(fyne.Shortcut) {
				if dialogOpen(n.w) {
					return // a dialog is open: it owns the keyboard
				}
				n.list.Select(i)
			})
		}
	}
}

// navWidth lays out the navigation at the width its longest page title needs, measured at
// the current theme's sizes (a larger text size widens it).
type navWidth struct{ titles []string }

func (n *navWidth) width(objects []fyne.CanvasObject) float32 {
	w := float32(170)
	size := theme.Size(theme.SizeNameSubHeadingText)
	for _, t := range n.titles {
		w = max(w, fyne.MeasureText(t, size, fyne.TextStyle{}).Width+theme.IconInlineSize()+6*theme.Padding())
	}
	for _, o := range objects {
		w = max(w, o.MinSize().Width)
	}
	return w
}

func (n *navWidth) MinSize(objects []fyne.CanvasObject) fyne.Size {
	h := float32(0)
	for _, o := range objects {
		h = max(h, o.MinSize().Height)
	}
	return fyne.NewSize(n.width(objects), h)
}

func (n *navWidth) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objects {
		o.Resize(size)
		o.Move(fyne.NewPos(0, 0))
	}
}

// AppIcon is the application icon shown in the navigation and at sign-in.
var AppIcon fyne.Resource = sltheme.Icon()

func versionLabel(v string) fyne.CanvasObject {
	l := widget.NewLabel(L("版本 %s", v))
	l.SizeName = theme.SizeNameCaptionText
	return l
}

// LanguageSwitch lets the committee choose Chinese or English. Fyne cannot switch a
// running window's language, so the choice is saved and applies at the next start.
func LanguageSwitch(w fyne.Window) fyne.CanvasObject {
	opts := []string{"中文", "English"}
	sel := newSelect(opts, nil)
	if English() {
		sel.SetSelectedIndex(1)
	} else {
		sel.SetSelectedIndex(0)
	}
	sel.OnChanged = func(v string) {
		code := "zh"
		if v == "English" {
			code = "en"
		}
		if a := fyne.CurrentApp(); a != nil {
			a.Preferences().SetString(LanguagePreference, code)
		}
		if (code == "en") == English() {
			return
		}
		dialog.ShowInformation("语言 Language", "重新启动阳光账本后生效。\nRestart Sunledger to apply.", w)
	}
	return container.NewBorder(nil, nil, widget.NewIcon(theme.SettingsIcon()), nil, sel)
}

// Message is a whole-window message with one action: a book that another program has
// open, a folder that cannot be read.
func Message(title, text, button string, action func()) fyne.CanvasObject {
	t := Heading(title)
	body := widget.NewLabel(text)
	body.Wrapping = fyne.TextWrapWord
	b := widget.NewButton(button, action)
	b.Importance = widget.HighImportance
	box := container.NewVBox(container.NewHBox(widget.NewIcon(theme.WarningIcon()), t), body, container.NewCenter(b))
	return container.NewCenter(container.NewGridWrap(fyne.NewSize(640, 300), box))
}
