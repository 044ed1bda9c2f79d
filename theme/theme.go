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
	base fyne.Theme
}

var _ fyne.Theme = (*sunTheme)(nil)

// New returns the Sunledger theme: theme.DefaultTheme()'s light variant with the
// bundled font, a deep-blue palette and larger text.
func New() fyne.Theme {
	return &sunTheme{base: fynetheme.DefaultTheme()}
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
	switch name {
	case fynetheme.SizeNameText:
		return TextSize
	case fynetheme.SizeNameCaptionText:
		return 12
	case fynetheme.SizeNameSubHeadingText:
		return 19
	case fynetheme.SizeNameHeadingText:
		return 25
	case fynetheme.SizeNameInlineIcon:
		return 21
	}
	return t.base.Size(name)
}
