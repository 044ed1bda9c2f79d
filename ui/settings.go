package ui

import (
	"time"

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
// it applies at once (the theme is replaced) and is remembered. A size whose pages no
// longer fit the screen is taken back at once, with a word why (docs/window.md).
func TextSizeSwitch(w fyne.Window) fyne.CanvasObject {
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
	var onChanged func(string)
	onChanged = func(string) {
		step := theme.TextSteps[sel.SelectedIndex()]
		a := fyne.CurrentApp()
		if a == nil || step == current {
			return
		}
		prev := current
		apply := func(s theme.TextStep) {
			current = s
			a.Preferences().SetString(TextSizePreference, s.String())
			a.Settings().SetTheme(theme.NewSized(s))
		}
		apply(step)
		// The pages are laid out again in the new size on the next frames: look then.
		go func() {
			time.Sleep(300 * time.Millisecond)
			fyne.Do(func() {
				if w == nil || w.Content() == nil || fitsScreen(w.Content().MinSize()) {
					ClampToScreen(w)
					return
				}
				apply(prev)
				sel.OnChanged = nil
				for i, s := range theme.TextSteps {
					if s == prev {
						sel.SetSelectedIndex(i)
					}
				}
				sel.OnChanged = onChanged
				ClampToScreen(w)
				ShowInfo(L("屏幕放不下这个字号"), L("这个字号的页面超出了屏幕，已恢复为%s", L(textStepLabels[prev])), w)
			})
		}()
	}
	sel.OnChanged = onChanged
	return container.NewBorder(nil, nil, widget.NewLabel("Aa"), nil, sel)
}
