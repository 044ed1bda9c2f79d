package theme_test

import (
	"bytes"
	"image"
	"image/png"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	fynetheme "fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"sunledger/theme"
	"sunledger/theme/font"
)

const chinese = "阳光账本"

func TestFontResourceIsOurs(t *testing.T) {
	a := test.NewTempApp(t)
	a.Settings().SetTheme(theme.New())
	th := a.Settings().Theme()

	for _, style := range []fyne.TextStyle{{}, {Bold: true}, {Italic: true}, {Bold: true, Italic: true}, {Monospace: true}} {
		res := th.Font(style)
		if res == nil || !bytes.Equal(res.Content(), font.TTF) {
			t.Errorf("Font(%+v) is not the bundled %s", style, font.Name)
		}
	}
	if got := th.Size(fynetheme.SizeNameText); got != theme.TextSize {
		t.Errorf("text size = %v, want %v", got, theme.TextSize)
	}
	if got := th.Size(fynetheme.SizeNamePadding); got != fynetheme.DefaultTheme().Size(fynetheme.SizeNamePadding) {
		t.Errorf("padding = %v, want default", got)
	}
	// Always the light look, whatever the OS asks for: screens match the printed notices.
	for _, name := range []fyne.ThemeColorName{fynetheme.ColorNamePrimary, fynetheme.ColorNameBackground, fynetheme.ColorNameForeground, fynetheme.ColorNameHeaderBackground} {
		light, dark := th.Color(name, fynetheme.VariantLight), th.Color(name, fynetheme.VariantDark)
		if light == nil || light != dark {
			t.Errorf("%s: light %v, dark %v; want the same light colour", name, light, dark)
		}
	}
}

func TestChineseLabelRenders(t *testing.T) {
	a := test.NewTempApp(t)
	a.Settings().SetTheme(theme.New())

	// CJK glyphs are about one em wide: four characters should measure about
	// 4*TextSize (a sanity check; which face is used is checked by
	// TestFontResourceIsOurs).
	size := fyne.MeasureText(chinese, theme.TextSize, fyne.TextStyle{})
	if size.Width < 3.5*theme.TextSize || size.Width > 4.5*theme.TextSize || size.Height <= 0 {
		t.Errorf("MeasureText(%q) = %v, want width about %v", chinese, size, 4*theme.TextSize)
	}

	label := widget.NewLabel(chinese + " 壹仟肆佰零玖元伍角整 1234.50")
	w := test.NewWindow(label)
	defer w.Close()
	w.Resize(fyne.NewSize(400, 80))

	if ms := label.MinSize(); ms.Width <= 0 || ms.Height <= 0 {
		t.Fatalf("label MinSize = %v, want non-zero", ms)
	}
	if sz := label.Size(); sz.Width <= 0 || sz.Height <= 0 {
		t.Fatalf("label Size = %v, want non-zero", sz)
	}

	// The software-rendered canvas must contain text pixels (foreground on background).
	img := w.Canvas().Capture()
	bg := img.At(img.Bounds().Max.X-2, img.Bounds().Max.Y-2)
	if n := differentPixels(img, bg); n < 100 {
		t.Errorf("rendered label has only %d non-background pixels", n)
	}
}

func TestIcon(t *testing.T) {
	res := theme.Icon()
	if res == nil || res.Name() == "" {
		t.Fatal("no icon resource")
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(res.Content()))
	if err != nil {
		t.Fatalf("decode icon: %v", err)
	}
	if format != "png" || cfg.Width != 512 || cfg.Height != 512 {
		t.Errorf("icon is %s %dx%d, want png 512x512", format, cfg.Width, cfg.Height)
	}
}

var _ = png.Decode // register the PNG decoder for image.DecodeConfig

func differentPixels(img image.Image, bg interface{ RGBA() (r, g, b, a uint32) }) int {
	br, bgG, bb, _ := bg.RGBA()
	n := 0
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			if absDiff(r, br)+absDiff(g, bgG)+absDiff(bl, bb) > 0x6000 {
				n++
			}
		}
	}
	return n
}

func absDiff(a, b uint32) uint32 {
	if a > b {
		return a - b
	}
	return b - a
}

// TestTextSteps_GrowTextNotPadding: each larger step has larger text and inline icons,
// the same paddings, and a saved preference comes back as the same step.
func TestTextSteps_GrowTextNotPadding(t *testing.T) {
	prev := float32(0)
	for _, step := range theme.TextSteps {
		th := theme.NewSized(step)
		text := th.Size(fynetheme.SizeNameText)
		if text <= prev {
			t.Errorf("step %v: text %v not larger than the previous step's %v", step, text, prev)
		}
		prev = text
		if th.Size(fynetheme.SizeNamePadding) != fynetheme.DefaultTheme().Size(fynetheme.SizeNamePadding) {
			t.Errorf("step %v changes the padding", step)
		}
		if got := theme.ParseTextStep(step.String()); got != step {
			t.Errorf("ParseTextStep(%q) = %v, want %v", step.String(), got, step)
		}
	}
	if theme.ParseTextStep("nonsense") != theme.TextStandard {
		t.Error("an unknown preference must give the standard size")
	}
	if len(theme.TextSteps) < 3 {
		t.Error("at least three text sizes")
	}
}
