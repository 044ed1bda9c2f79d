package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// errorLine is the message line a screen shows when one of its loads fails: what went
// wrong, in the chosen language, in the screen itself rather than dropped or only logged.
// Every load error of a screen is shown (see docs/window.md).
func errorLine(err error) *widget.Label {
	l := widget.NewLabel(L("读取失败：%s", err.Error()))
	l.Importance = widget.DangerImportance
	l.Wrapping = fyne.TextWrapWord
	return l
}
