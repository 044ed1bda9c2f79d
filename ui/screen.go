package ui

import (
	"sync"

	"fyne.io/fyne/v2"
)

// The window never exceeds the screen (docs/window.md "Window size"): cmd/sunledger
// tells the screen's size once the driver knows it; until then (and in tests) it is
// unknown and only the 1366×768 cap applies.

// ScreenMargin is what the taskbar and the title bar take from the screen's height.
var ScreenMargin = fyne.NewSize(0, 70)

var screen struct {
	sync.Mutex
	size fyne.Size
}

// SetScreenSize records the screen's size in Fyne units (zero: unknown).
func SetScreenSize(s fyne.Size) {
	screen.Lock()
	screen.size = s
	screen.Unlock()
}

// ScreenSize is the screen's size in Fyne units, zero while it is not known.
func ScreenSize() fyne.Size {
	screen.Lock()
	defer screen.Unlock()
	return screen.size
}

// FitScreen is the largest size not over want that fits on a screen of the given size
// (less ScreenMargin); an unknown (zero) screen leaves want as it is.
func FitScreen(want, scr fyne.Size) fyne.Size {
	if scr.Width <= 0 || scr.Height <= 0 {
		return want
	}
	room := fyne.NewSize(max(scr.Width-ScreenMargin.Width, 1), max(scr.Height-ScreenMargin.Height, 1))
	return fyne.NewSize(min(want.Width, room.Width), min(want.Height, room.Height))
}

// fitsScreen says whether a window whose content needs min fits the screen (true while
// the screen is not known).
func fitsScreen(min fyne.Size) bool {
	return FitScreen(min, ScreenSize()) == min
}

// ClampToScreen shrinks w to the screen if it has grown past it.
func ClampToScreen(w fyne.Window) {
	if w == nil {
		return
	}
	if now := w.Canvas().Size(); FitScreen(now, ScreenSize()) != now {
		w.Resize(FitScreen(now, ScreenSize()))
	}
}
