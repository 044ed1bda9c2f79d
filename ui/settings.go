package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"sunledger/theme"
)

// Preferences the window remembers between starts.
const (
	TextSizePreference     = "textsize"      // theme.TextStep's String
	WindowWidthPreference  = "window.width"  // the window's last content size
	WindowHeightPreference = "window.height" //
)

// textStepLabels name the text sizes as the committee sees them.
var textStepLabels = map[theme.TextStep]string{
	theme.TextStandard: "标准字号",
	theme.TextLarge:    "大字号",
	theme.TextLarger:   "特大字号",
}

// TextSizeSwitch lets a member with older eyes choose larger text. Unlike the language,
// it applies at once (the theme is replaced) and is remembered.
func TextSizeSwitch() fyne.CanvasObject {
	a := fyne.CurrentApp()
	current := theme.TextStandard
	if a != nil {
		current = theme.ParseTextStep(a.Preferences().String(TextSizePreference))
	}
	var opts []string
	for _, s := range theme.TextSteps {
		opts = append(opts, L(textStepLabels[s]))
	}
	sel := newSelect(opts, nil)
	for i, s := range theme.TextSteps {
		if s == current {
			sel.SetSelectedIndex(i)
		}
	}
	sel.OnChanged = func(string) {
		step := theme.TextSteps[sel.SelectedIndex()]
		if a := fyne.CurrentApp(); a != nil {
			a.Preferences().SetString(TextSizePreference, step.String())
			a.Settings().SetTheme(theme.NewSized(step))
		}
	}
	return container.NewBorder(nil, nil, widget.NewLabel("Aa"), nil, sel)
}
