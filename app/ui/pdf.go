package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"

	"sunledger/app"
	"sunledger/reports"
)

// SavePDF asks where to save a notice-board PDF made by package reports, then writes it.
func SavePDF(w fyne.Window, fileName string, doc func() *reports.Doc) {
	d := dialog.NewFileSave(func(f fyne.URIWriteCloser, err error) {
		if err != nil || f == nil {
			ShowError(err, w)
			return
		}
		path := f.URI().Path()
		f.Close()
		if err := doc().Save(path); err != nil {
			ShowError(app.Internal(err), w)
			return
		}
		ShowInfo(L("已保存"), L("已保存到 %s", path), w)
	}, w)
	d.SetFileName(fileName)
	d.SetFilter(storage.NewExtensionFileFilter([]string{".pdf"}))
	d.Resize(fyne.NewSize(900, 600))
	d.Show()
}
