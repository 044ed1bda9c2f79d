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
	add(s.Register != nil, "register", L("登记册"), theme.HomeIcon(), Register)
	add(books, "fees", L("收费"), theme.ContentAddIcon(), Fees)
	add(books, "arrears", L("欠费"), theme.WarningIcon(), Arrears)
	add(s.Ledger != nil, "journal", L("凭证"), theme.ListIcon(), Journal)
	add(s.Expenses != nil && s.Members != nil, "expenses", L("支出审批"), theme.DocumentIcon(), Expenses)
	add(s.Ledger != nil && s.Budgets != nil && s.Settlements != nil && s.Maintenance != nil, "budget", L("预算与结算"), theme.StorageIcon(), Budget)
	add(s.Votes != nil, "votes", L("表决"), theme.MailSendIcon(), Votes)
	add(s.Service != nil && s.Register != nil, "service", L("服务"), theme.InfoIcon(), Service)
	add(s.Surveys != nil && s.Remuneration != nil, "surveys", L("满意度调查"), theme.QuestionIcon(), Surveys)
	add(s.Meetings != nil, "meetings", L("联席会议"), theme.AccountIcon(), Meetings)
	add(books && s.Book != nil && s.Register != nil, "print", L("公示打印"), theme.DocumentPrintIcon(), Print)
	add(s.Book != nil && s.Ledger != nil && s.Published != nil, "snapshot", L("快照"), theme.UploadIcon(), Snapshot)
	add(s.Book != nil, "audit", L("操作日志"), theme.HistoryIcon(), Audit)
	return p
}

// Main is the main window's content: the navigation on the left and the chosen screen
// on the right. start names the first page (its ID); "" opens the first one.
func Main(w fyne.Window, s app.Services, c app.Community, version, start string) fyne.CanvasObject {
	pages := Pages(s)
	area := container.NewStack()
	badges := make([]int, len(pages))
	show := func(i int) {
		touch()
		area.Objects = []fyne.CanvasObject{pages[i].Make(w, s)}
		area.Refresh()
	}
	nav := widget.NewList(
		func() int { return len(pages) },
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
					if badges[i] > 0 {
						x.SetText(fmt.Sprintf("%s (%d)", pages[i].Title, badges[i]))
					} else {
						x.SetText(pages[i].Title)
					}
				case *widget.Icon:
					x.SetResource(pages[i].Icon)
				}
			}
		})
	// Pending work as badges ("支出审批 (3)"), counted again whenever a page is chosen.
	// Tallies and service requests take a moment on a big book: those badges are counted at sign-in and
	// when their page is chosen.
	current := -1
	// The counts are made in the background (a big book's tallies take a moment) and
	// shown when ready: choosing a page never waits for its badges.
	recount := func(all bool) {
		counted := make([]int, len(pages))
		copy(counted, badges)
		sel := current
		Spawn(func() {
			for i, p := range pages {
				if (p.ID != "votes" && p.ID != "service") || all || sel == i {
					counted[i] = pendingBadge(s, p.ID)
				}
			}
		}, func() {
			copy(badges, counted)
			nav.Refresh()
		})
	}
	nav.OnSelected = func(i widget.ListItemID) {
		show(i)
		first := current < 0
		current = i
		recount(first)
	}
	onSignIn(func() { recount(true) })

	name := widget.NewLabel(c.Name)
	name.TextStyle.Bold = true
	name.Wrapping = fyne.TextWrapWord
	appName := widget.NewLabel(L("阳光账本"))
	appName.SizeName = theme.SizeNameCaptionText
	head := container.NewVBox(container.NewBorder(nil, nil, widget.NewIcon(AppIcon), sessionWho(), appName), name, widget.NewSeparator())
	foot := container.NewVBox(widget.NewSeparator(), sessionFooter(w, s), LanguageSwitch(w), TextSizeSwitch(), versionLabel(version))
	side := container.NewBorder(head, foot, nil, nil, nav)
	// The navigation is as wide as its longest title needs (at the chosen text size), so
	// no language cuts a page's name ("Budget and settleme").
	titles := make([]string, len(pages))
	for i, p := range pages {
		titles[i] = p.Title + " (99)"
	}
	split := container.NewBorder(nil, nil, container.New(&navWidth{titles: titles}, container.NewPadded(side)), nil, container.NewPadded(area))

	first := 0
	for i, p := range pages {
		if p.ID == start {
			first = i
		}
	}
	if len(pages) > 0 {
		nav.Select(first)
	}
	// Alt+1 … Alt+9 jump to a page, for keyboard users.
	keys := []fyne.KeyName{fyne.Key1, fyne.Key2, fyne.Key3, fyne.Key4, fyne.Key5, fyne.Key6, fyne.Key7, fyne.Key8, fyne.Key9}
	for i := range pages {
		if i < len(keys) && w.Canvas() != nil {
			i := i
			w.Canvas().AddShortcut(&desktop.CustomShortcut{KeyName: keys[i], Modifier: fyne.KeyModifierAlt}, func(fyne.Shortcut) { nav.Select(i) })
		}
	}
	return split
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
