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

// maxRestored caps a remembered size while the screen is not known yet: the window is
// made before the driver can say how large the screen is (docs/window.md "Window size").
var maxRestored = fyne.NewSize(1366, 768)

// windowSize is --size if given (as asked, even past the screen), else the size the
// window had when it was last closed, no larger than maxRestored, else fitsLaptop.
// Once the screen is known, onScreen shrinks it further to fit.
func windowSize(p fyne.Preferences, flagValue string) (size fyne.Size, asked bool) {
	if flagValue != "" {
		var w, h float32
		if _, err := fmt.Sscanf(flagValue, "%gx%g", &w, &h); err == nil && w > 0 && h > 0 {
			return fyne.NewSize(w, h), true
		}
	}
	w, h := p.Float(ui.WindowWidthPreference), p.Float(ui.WindowHeightPreference)
	if w < float64(minUsable.Width) || h < float64(minUsable.Height) {
		return fitsLaptop, false
	}
	return fyne.NewSize(min(float32(w), maxRestored.Width), min(float32(h), maxRestored.Height)), false
}

// onScreen is the size the window takes once the screen (in Fyne units; zero:
// unknown) is known: a size --size asked for stays, any other fits the screen.
func onScreen(size fyne.Size, asked bool, screen fyne.Size) fyne.Size {
	if asked {
		return size
	}
	return ui.FitScreen(size, screen)
}

// rememberSize saves the window's size for the next start.
func rememberSize(p fyne.Preferences, s fyne.Size) {
	if s.Width >= minUsable.Width && s.Height >= minUsable.Height {
		p.SetFloat(ui.WindowWidthPreference, float64(s.Width))
		p.SetFloat(ui.WindowHeightPreference, float64(s.Height))
	}
}
