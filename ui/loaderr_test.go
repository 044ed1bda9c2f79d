package ui

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2"

	"sunledger/app"
)

// diskTrouble is the error the failing services below return.
var diskTrouble = app.Errorf(app.EINTERNAL, "磁盘读取失败（测试）", "disk read failed (test)")

type failingRegister struct{ app.RegisterService }

func (failingRegister) Units(context.Context) ([]app.Unit, error) { return nil, diskTrouble }

type failingBook struct{ app.BookService }

func (failingBook) Community(context.Context) (app.Community, error) {
	return app.Community{}, diskTrouble
}

type failingPublished struct{ app.PublicationService }

func (failingPublished) Published(context.Context) ([]app.PublishedHead, error) {
	return nil, diskTrouble
}

// A screen whose load fails says so: in a message line of the page or a dialog, never
// an empty screen.
func TestLoadErrors_EveryFailedLoadIsShown(t *testing.T) {
	base := demoBook(t)
	for _, tc := range []struct {
		name   string
		break_ func(s *app.Services)
		page   func(w fyne.Window, s app.Services) fyne.CanvasObject
	}{
		{"arrears without the register", func(s *app.Services) { s.Register = failingRegister{s.Register} }, Arrears},
		{"register without the community", func(s *app.Services) { s.Book = failingBook{s.Book} }, Register},
		{"fees without the register", func(s *app.Services) { s.Register = failingRegister{s.Register} }, Fees},
		{"print without the community", func(s *app.Services) { s.Book = failingBook{s.Book} }, Print},
		{"snapshot without the published heads", func(s *app.Services) { s.Published = failingPublished{s.Published} }, Snapshot},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := newWindow(t)
			s := base
			tc.break_(&s)
			w.SetContent(tc.page(w, s))
			shown := strings.Join(texts(w.Content()), "\n") + "\n" + topDialogText(w)
			if !strings.Contains(shown, "磁盘读取失败（测试）") {
				t.Errorf("the failed load is not shown:\n%s", shown)
			}
		})
	}
}
