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

// Palette. Deep blue on light backgrounds; a lighter blue in dark mode so
// that the primary colour keeps enough contrast against the dark background.
var (
	primaryLight   = color.NRGBA{R: 0x1F, G: 0x4E, B: 0x8C, A: 0xFF} // #1F4E8C, same as the icon
	primaryDark    = color.NRGBA{R: 0x6A, G: 0xA5, B: 0xE8, A: 0xFF} // #6AA5E8
	hyperlinkLight = color.NRGBA{R: 0x1A, G: 0x5F, B: 0xB4, A: 0xFF}
	hyperlinkDark  = color.NRGBA{R: 0x8C, G: 0xBE, B: 0xF5, A: 0xFF}
	headerLight    = color.NRGBA{R: 0xE8, G: 0xEE, B: 0xF6, A: 0xFF} // table/list headers
)

type sunTheme struct {
	base fyne.Theme
}

var _ fyne.Theme = (*sunTheme)(nil)

// New returns the Sunledger theme. It wraps theme.DefaultTheme(), so it
// follows the system light/dark variant, and overrides fonts, the primary
// palette and text sizes.
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

func (t *sunTheme) Color(name fyne.ThemeColorName, variant fyne.ThemeVariant) color.Color {
	// Always the light variant: the screens should look like the paper the committee
	// prints and posts, and a few custom-drawn parts (table headers) read the colour
	// outside Fyne's variant plumbing, which gave pale headers under white text when the
	// OS asked for dark.
	variant = fynetheme.VariantLight
	dark := false
	pick := func(light, darkC color.NRGBA) color.NRGBA {
		if dark {
			return darkC
		}
		return light
	}
	switch name {
	case fynetheme.ColorNamePrimary:
		return pick(primaryLight, primaryDark)
	case fynetheme.ColorNameForegroundOnPrimary:
		if dark {
			return color.NRGBA{R: 0x10, G: 0x18, B: 0x24, A: 0xFF}
		}
		return color.White
	case fynetheme.ColorNameFocus:
		c := pick(primaryLight, primaryDark)
		c.A = 0x7F
		return c
	case fynetheme.ColorNameSelection:
		c := pick(primaryLight, primaryDark)
		c.A = 0x3F
		return c
	case fynetheme.ColorNameHyperlink:
		return pick(hyperlinkLight, hyperlinkDark)
	case fynetheme.ColorNameHeaderBackground:
		if !dark {
			return headerLight
		}
	}
	return t.base.Color(name, variant)
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
