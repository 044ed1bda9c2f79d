package ui

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"

	"sunledger/app"
	"sunledger/reports"
)

// SavePDF asks where to save a notice-board PDF made by package reports, then writes it
// the one way every document leaves the laptop (writePDF). what names the document in
// the record of published heads ("gui arrears").
func SavePDF(w fyne.Window, s app.Services, what, fileName string, doc func() (*reports.Doc, error)) {
	d := dialog.NewFileSave(func(f fyne.URIWriteCloser, err error) {
		if err != nil || f == nil {
			ShowError(err, w)
			return
		}
		path := f.URI().Path()
		f.Close()
		if err := writePDF(s, what, path, doc); err != nil {
			ShowError(err, w)
			return
		}
		ShowInfo(L("已保存"), L("已保存到 %s", path), w)
	}, w)
	d.SetFileName(fileName)
	d.SetFilter(storage.NewExtensionFileFilter([]string{".pdf"}))
	d.Resize(fyne.NewSize(900, 600))
	showFileDialog(d, w)
}

// writePDF makes the document and saves it through reports.SaveDocument: the community's
// name, the journal's head hash and the committee's notice settings on it, the head
// recorded as published by the member at the desk. A book without a head hash makes no
// document (see docs/snapshot.md).
func writePDF(s app.Services, what, path string, doc func() (*reports.Doc, error)) error {
	d, err := doc()
	if err != nil {
		return err
	}
	return reports.SaveDocument(context.Background(), s, d, path, reports.Publication{What: what, Who: Operator()})
}

// PrintDocument asks where to save the document of kind, then makes it from the book
// through the registry (reports.Make, exactly as `sunledger-cli report KIND` makes it)
// and saves it (SavePDF).
func PrintDocument(w fyne.Window, s app.Services, kind string, a reports.Args, fileName string) {
	SavePDF(w, s, "gui "+kind, fileName, document(s, kind, func() reports.Args { return a }))
}

// document makes the document of kind through the registry; args is read when it is made.
func document(s app.Services, kind string, args func() reports.Args) func() (*reports.Doc, error) {
	return func() (*reports.Doc, error) { return reports.Make(context.Background(), s, kind, args()) }
}
