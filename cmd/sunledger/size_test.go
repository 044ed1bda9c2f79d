package main

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"sunledger/ui"
)

// TestWindowSize_NeverLargerThanTheScreenUnlessAsked pins the size rule of
// docs/window.md "Window size": a remembered size is capped at 1366×768 before the
// screen is known, and every size but an explicit --size is then fitted to the screen
// less the taskbar and title bar.
func TestWindowSize_NeverLargerThanTheScreenUnlessAsked(t *testing.T) {
	unknown := fyne.Size{}
	cases := []struct {
		name             string
		remembered, flag string
		rw, rh           float64
		screen           fyne.Size
		first, final     fyne.Size
	}{
		{"nothing remembered, unknown screen", "", "", 0, 0, unknown, fitsLaptop, fitsLaptop},
		{"nothing remembered, 1024×600 screen", "", "", 0, 0, fyne.NewSize(1024, 600), fitsLaptop, fyne.NewSize(1024, 530)},
		{"nothing remembered, 1366×768 screen", "", "", 0, 0, fyne.NewSize(1366, 768), fitsLaptop, fyne.NewSize(1280, 680)},
		{"remembered at 特大 on a big screen", "", "", 1280, 873, unknown, fyne.NewSize(1280, 768), fyne.NewSize(1280, 768)},
		{"remembered huge, 1366×768 screen", "", "", 2500, 1400, fyne.NewSize(1366, 768), fyne.NewSize(1366, 768), fyne.NewSize(1366, 698)},
		{"remembered small enough", "", "", 1100, 640, fyne.NewSize(1920, 1080), fyne.NewSize(1100, 640), fyne.NewSize(1100, 640)},
		{"remembered below usable is ignored", "", "", 800, 500, fyne.NewSize(1024, 600), fitsLaptop, fyne.NewSize(1024, 530)},
		{"--size is kept as asked", "", "1024x600", 1280, 873, fyne.NewSize(1024, 600), fyne.NewSize(1024, 600), fyne.NewSize(1024, 600)},
		{"--size past the screen is kept too", "", "1920x1080", 0, 0, fyne.NewSize(1366, 768), fyne.NewSize(1920, 1080), fyne.NewSize(1920, 1080)},
		{"a bad --size falls back to the rule", "", "big", 0, 0, fyne.NewSize(1024, 600), fitsLaptop, fyne.NewSize(1024, 530)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := test.NewTempApp(t)
			p := a.Preferences()
			if c.rw > 0 {
				p.SetFloat(ui.WindowWidthPreference, c.rw)
				p.SetFloat(ui.WindowHeightPreference, c.rh)
			}
			first, asked := windowSize(p, c.flag)
			if first != c.first {
				t.Fatalf("first size %v, want %v", first, c.first)
			}
			if got := onScreen(first, asked, c.screen); got != c.final {
				t.Fatalf("on screen %v: %v, want %v", c.screen, got, c.final)
			}
		})
	}
}

// TestWindowSize_ClampToScreenShrinksAGrownWindow: a window grown past the screen (a
// larger text size) is brought back inside it; one inside is left alone.
func TestWindowSize_ClampToScreenShrinksAGrownWindow(t *testing.T) {
	test.NewTempApp(t)
	w := test.NewWindow(nil)
	defer w.Close()
	defer ui.SetScreenSize(fyne.Size{})
	ui.SetScreenSize(fyne.NewSize(1024, 600))
	w.Resize(fyne.NewSize(1280, 873))
	ui.ClampToScreen(w)
	if got := w.Canvas().Size(); got != fyne.NewSize(1024, 530) {
		t.Fatalf("grown window clamped to %v", got)
	}
	w.Resize(fyne.NewSize(900, 500))
	ui.ClampToScreen(w)
	if got := w.Canvas().Size(); got != fyne.NewSize(900, 500) {
		t.Fatalf("window inside the screen changed to %v", got)
	}
}
