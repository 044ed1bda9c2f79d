package ui

import (
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	sltheme "sunledger/theme"
)

// shoot saves what the window shows as a PNG when UI_SHOTS names a folder: a way to
// look at screens and dialogs in states the smoke test does not reach.
func shoot(t *testing.T, w fyne.Window, name string) {
	t.Helper()
	dir := os.Getenv("UI_SHOTS")
	if dir == "" {
		return
	}
	test.ApplyTheme(t, sltheme.New())
	w.Resize(fyne.NewSize(1280, 800))
	img := w.Canvas().Capture()
	f, err := os.Create(filepath.Join(dir, name+".png"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, img); err != nil {
		t.Fatal(err)
	}
}
