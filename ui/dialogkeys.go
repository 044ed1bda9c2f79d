package ui

import (
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"
)

// Enter and Esc in dialogs (docs/window.md "Keys"): in any dialog, Enter presses its
// confirming button (签字, 确定, 是 …: the one button Fyne and we draw in the high
// importance, else a dialog's only button) and Esc its dismissing one (取消, 否, 关闭,
// 知道了 …). Keys typed while no field has the focus reach the window, which passes them
// to the dialog on top; in a one-line field of a dialog, Enter does the same (the field's
// own Enter action, where it has one, comes first). While a dialog is open it owns the
// keyboard: the pages' shortcuts (Alt+1 …) do nothing.

var dialogKeysOn sync.Map // fyne.Window → true: installed

// installDialogKeys makes Enter and Esc work in w's dialogs (once per window).
func installDialogKeys(w fyne.Window) {
	if w == nil || w.Canvas() == nil {
		return
	}
	if _, done := dialogKeysOn.LoadOrStore(w, true); done {
		return
	}
	c := w.Canvas()
	prev := c.OnTypedKey()
	c.SetOnTypedKey(func(e *fyne.KeyEvent) {
		if dialogOpen(w) {
			dialogKey(w, e.Name)
			return
		}
		if prev != nil {
			prev(e)
		}
	})
	if Synchronous {
		return // tests call armDialog themselves
	}
	// Fyne says nothing when a dialog opens: look a few times a second.
	go func() {
		for range time.Tick(250 * time.Millisecond) {
			fyne.Do(func() { armDialog(w) })
		}
	}()
}

// armed is the dialog whose fields were last given Enter (Fyne thread only).
var armed fyne.CanvasObject

// armDialog gives Enter to the one-line fields of the dialog on top that have no Enter
// action of their own.
func armDialog(w fyne.Window) {
	top := topDialog(w)
	if top == nil || top == armed {
		return
	}
	armed = top
	eachExported(top, func(o fyne.CanvasObject) {
		if e, ok := o.(*widget.Entry); ok && !e.MultiLine && e.OnSubmitted == nil {
			e.OnSubmitted = func(string) { dialogKey(w, fyne.KeyReturn) }
		}
	})
}

// topDialog is the dialog on top of w (not a short notice), nil if none.
func topDialog(w fyne.Window) fyne.CanvasObject {
	if w == nil || w.Canvas() == nil {
		return nil
	}
	list := w.Canvas().Overlays().List()
	for i := len(list) - 1; i >= 0; i-- {
		if !notices[list[i]] {
			return list[i]
		}
	}
	return nil
}

// dismissTexts are the buttons Esc presses, in order of preference.
func dismissTexts() []string {
	return []string{L("取消"), lang.L("Cancel"), lang.L("No"), L("关闭"), L("知道了"), L("好的"), lang.L("OK")}
}

// dialogKey presses the button of the top dialog that key means; it reports whether
// there was one.
func dialogKey(w fyne.Window, key fyne.KeyName) bool {
	top := topDialog(w)
	if top == nil {
		return false
	}
	var buttons []*widget.Button
	eachExported(top, func(o fyne.CanvasObject) {
		if b, ok := o.(*widget.Button); ok && b.Visible() && !b.Disabled() && b.OnTapped != nil {
			buttons = append(buttons, b)
		}
	})
	var press *widget.Button
	switch key {
	case fyne.KeyEscape:
		for _, t := range dismissTexts() {
			for _, b := range buttons {
				if press == nil && b.Text == t {
					press = b
				}
			}
		}
	case fyne.KeyReturn, fyne.KeyEnter:
		var high []*widget.Button
		for _, b := range buttons {
			if b.Importance == widget.HighImportance {
				high = append(high, b)
			}
		}
		switch {
		case len(high) == 1:
			press = high[0]
		case len(buttons) == 1:
			press = buttons[0]
		}
	}
	if press == nil {
		return false
	}
	touch()
	press.OnTapped()
	return true
}

// eachExported calls f with o and what it holds, through the fields Fyne exports
// (containers' objects, pop-ups', scrolls' and cards' content, forms' items, splits and
// tabs): enough to reach a dialog's fields and buttons.
func eachExported(o fyne.CanvasObject, f func(fyne.CanvasObject)) {
	if o == nil {
		return
	}
	f(o)
	switch x := o.(type) {
	case *fyne.Container:
		for _, c := range x.Objects {
			eachExported(c, f)
		}
	case *widget.PopUp:
		eachExported(x.Content, f)
	case *container.Scroll:
		eachExported(x.Content, f)
	case *widget.Card:
		eachExported(x.Content, f)
	case *widget.Form:
		for _, it := range x.Items {
			eachExported(it.Widget, f)
		}
	case *container.Split:
		eachExported(x.Leading, f)
		eachExported(x.Trailing, f)
	case *container.AppTabs:
		if s := x.Selected(); s != nil {
			eachExported(s.Content, f)
		}
	case *activity:
		eachExported(x.content, f)
	}
}
