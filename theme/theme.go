// Package theme provides Sunledger's Fyne look: the bundled CJK font
// (WenQuanYi Micro Hei, see package sunledger/theme/font) for every text
// style, a calm deep-blue palette and slightly larger text for readability,
// plus the application icon.
//
// Code that must not depend on Fyne (e.g. PDF generation) should import
// sunledger/theme/font directly instead of this package.
package theme

import (
	_ "embed"
	"image/color"

	"fyne.io/fyne/v2"
	fynetheme "fyne.io/fyne/v2/theme"

	"sunledger/theme/font"
)

// TextSize is the body text size used by the theme (Fyne's default is 14).
const TextSize float32 = 15

//go:embed icon.png
var iconPNG []byte

var (
	fontResource = fyne.NewStaticResource(font.FileName, font.TTF)
	iconResource = fyne.NewStaticResource("icon.png", iconPNG)
)

// Palette: deep blue on the light background.
var (
	primary   = color.NRGBA{R: 0x1F, G: 0x4E, B: 0x8C, A: 0xFF} // #1F4E8C, same as the icon
	hyperlink = color.NRGBA{R: 0x1A, G: 0x5F, B: 0xB4, A: 0xFF}
	header    = color.NRGBA{R: 0xE8, G: 0xEE, B: 0xF6, A: 0xFF} // table/list headers
)

type sunTheme struct {
	base  fyne.Theme
	scale float32 // text and icon sizes relative to the standard step
}

// TextStep is one of the text sizes a committee member can choose (older eyes want larger
// text); the choice is a preference saved by the window program.
type TextStep int

// The text sizes offered, from the standard one up.
const (
	TextStandard TextStep = iota // 标准
	TextLarge                    // 大
	TextLarger                   // 特大
)

// TextSteps lists every step, in order.
var TextSteps = []TextStep{TextStandard, TextLarge, TextLarger}

// Scale is the factor a step applies to text and inline icons.
func (s TextStep) Scale() float32 {
	switch s {
	case TextLarge:
		return 1.2
	case TextLarger:
		return 1.4
	}
	return 1
}

// ParseTextStep reads a saved preference ("standard", "large", "larger"); anything else
// is the standard size.
func ParseTextStep(s string) TextStep {
	switch s {
	case "large":
		return TextLarge
	case "larger":
		return TextLarger
	}
	return TextStandard
}

// String is the preference value of the step.
func (s TextStep) String() string {
	switch s {
	case TextLarge:
		return "large"
	case TextLarger:
		return "larger"
	}
	return "standard"
}

var _ fyne.Theme = (*sunTheme)(nil)

// New returns the Sunledger theme: theme.DefaultTheme()'s light variant with the
// bundled font, a deep-blue palette and larger text.
func New() fyne.Theme {
	return NewSized(TextStandard)
}

// NewSized is the theme with text (and the icons that stand in lines of text) at the
// given step; paddings stay as they are, so larger text takes more room, not more air.
func NewSized(step TextStep) fyne.Theme {
	return &sunTheme{base: fynetheme.DefaultTheme(), scale: step.Scale()}
}

// Icon returns the 512x512 PNG application icon (账 on a deep-blue rounded
// square with a small sun), suitable for fyne.App.SetIcon.
func Icon() fyne.Resource {
	return iconResource
}

// Font returns the bundled font as a Fyne resource (the same bytes as
// font.TTF).
func Font() fyne.Resource {
	return fontResource
}

// Color is always the light variant's: the screens should look like the paper the
// committee prints and posts, and a few custom-drawn parts (table headers) read colours
// outside Fyne's variant plumbing, which gave pale headers under white text when the OS
// asked for dark.
func (t *sunTheme) Color(name fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	switch name {
	case fynetheme.ColorNamePrimary:
		return primary
	case fynetheme.ColorNameForegroundOnPrimary:
		return color.White
	case fynetheme.ColorNameFocus:
		c := primary
		c.A = 0x7F
		return c
	case fynetheme.ColorNameSelection:
		c := primary
		c.A = 0x3F
		return c
	case fynetheme.ColorNameHyperlink:
		return hyperlink
	case fynetheme.ColorNameHeaderBackground:
		return header
	}
	return t.base.Color(name, fynetheme.VariantLight)
}

// Font returns the bundled face for every style except Symbol, which keeps
// Fyne's own symbol font (WenQuanYi has no such glyphs). Bold and italic use
// the same face: the font has no bold/italic variants.
func (t *sunTheme) Font(style fyne.TextStyle) fyne.Resource {
	if style.Symbol {
		return t.base.Font(style)
	}
	return fontResource
}

func (t *sunTheme) Icon(name fyne.ThemeIconName) fyne.Resource {
	return t.base.Icon(name)
}

func (t *sunTheme) Size(name fyne.ThemeSizeName) float32 {
	scale := t.scale
	if scale == 0 {
		scale = 1
	}
	switch name {
	case fynetheme.SizeNameText:
		return TextSize * scale
	case fynetheme.SizeNameCaptionText:
		return 12 * scale
	case fynetheme.SizeNameSubHeadingText:
		return 19 * scale
	case fynetheme.SizeNameHeadingText:
		return 25 * scale
	case fynetheme.SizeNameInlineIcon:
		return 21 * scale
	}
	return t.base.Size(name)
}
