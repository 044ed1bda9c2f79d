package main

import (
	"fmt"

	"fyne.io/fyne/v2"

	"sunledger/ui"
)

// fitsLaptop is the window's first size: the commonest committee laptop screen is
// 1366×768, and after the Windows taskbar (40 px) and the title bar (about 30 px) about
// 1366×698 is left, so the window opens inside that and every page is laid out to stay
// usable down to 1024×600.
var fitsLaptop = fyne.NewSize(1280, 680)

// minUsable is the smallest size we lay pages out for; a remembered size is never smaller.
var minUsable = fyne.NewSize(1024, 600)

// windowSize is --size if given, else the size the window had when it was last closed,
// else fitsLaptop.
func windowSize(p fyne.Preferences, flagValue string) fyne.Size {
	if flagValue != "" {
		var w, h float32
		if _, err := fmt.Sscanf(flagValue, "%gx%g", &w, &h); err == nil && w > 0 && h > 0 {
			return fyne.NewSize(w, h)
		}
	}
	w, h := p.Float(ui.WindowWidthPreference), p.Float(ui.WindowHeightPreference)
	if w < float64(minUsable.Width) || h < float64(minUsable.Height) {
		return fitsLaptop
	}
	return fyne.NewSize(float32(w), float32(h))
}

// rememberSize saves the window's size for the next start.
func rememberSize(p fyne.Preferences, s fyne.Size) {
	if s.Width >= minUsable.Width && s.Height >= minUsable.Height {
		p.SetFloat(ui.WindowWidthPreference, float64(s.Width))
		p.SetFloat(ui.WindowHeightPreference, float64(s.Height))
	}
}
