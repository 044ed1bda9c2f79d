package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"sunledger/app"
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

// stillLoading refuses a document whose figures a page is still reading.
func stillLoading() error {
	return app.Errorf(app.EINVALID, "数据还在读取中，没有生成文件；请稍候再试", "the figures are still being read; no file was made. Try again in a moment")
}
