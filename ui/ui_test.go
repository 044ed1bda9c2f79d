package ui

import (
	"context"
	"os"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/shopspring/decimal"

	"sunledger/app"
	"sunledger/storage"
)

func TestMain(m *testing.M) {
	Synchronous = true
	os.Setenv("SUNLEDGER_LANG", "")
	if os.Getenv("UI_LANG_CHILD") == "" {
		SetLanguage(false) // Chinese, as a committee member starts it
	}
	code := m.Run()
	if demoDir != "" {
		os.RemoveAll(demoDir)
	}
	os.Exit(code)
}

// newBook opens a real book in a temp folder with a community and the given units.
func newBook(t *testing.T, units ...app.Unit) (*storage.DB, app.Services) {
	t.Helper()
	db, err := storage.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	s := db.Services()
	ctx := context.Background()
	// The settings every notice needs (docs/notices.md), so that screens can print.
	notices := app.NoticeSettings{OfficePhone: "0519-88886666", PayAccount: "户名 测试小区业主大会 账号 6222", PayChannels: "微信、支付宝扫码"}
	if err := s.Book.Init(ctx, app.Community{Name: "测试小区", Notices: notices}, "tester"); err != nil {
		t.Fatal(err)
	}
	if len(units) > 0 {
		if err := s.Register.ImportUnits(ctx, units, "tester", "test"); err != nil {
			t.Fatal(err)
		}
	}
	return db, s
}

func unit(id string, kind app.UnitKind, area, owner, name string) app.Unit {
	return app.Unit{ID: id, Kind: kind, Area: decimal.RequireFromString(area), OwnerID: owner, OwnerName: name}
}

func devUnit(id string, kind app.UnitKind, area string) app.Unit {
	return app.Unit{ID: id, Kind: kind, Area: decimal.RequireFromString(area), OwnerID: "DEV", OwnerName: "开发商", DeveloperHeld: true}
}

// newWindow is a test window of a fresh test app, closed when the test ends.
func newWindow(t *testing.T) fyne.Window {
	t.Helper()
	test.NewTempApp(t)
	w := test.NewTempWindow(t, widget.NewLabel(""))
	w.Resize(fyne.NewSize(1280, 800))
	return w
}

// texts collects every label, button and entry text under o (for checking dialogs).
func texts(o fyne.CanvasObject) []string {
	var out []string
	for _, x := range test.LaidOutObjects(o) {
		switch x := x.(type) {
		case *widget.Label:
			out = append(out, x.Text)
		case *widget.Button:
			out = append(out, x.Text)
		case *widget.Entry:
			out = append(out, x.Text)
		}
	}
	return out
}

// button finds the button with this text under o.
func button(o fyne.CanvasObject, text string) *widget.Button {
	for _, x := range test.LaidOutObjects(o) {
		if b, ok := x.(*widget.Button); ok && b.Text == text {
			return b
		}
	}
	return nil
}

// topDialogText is all the text of the top overlay (a dialog), "" if none is shown.
func topDialogText(w fyne.Window) string {
	top := w.Canvas().Overlays().Top()
	if top == nil {
		return ""
	}
	return strings.Join(texts(top), "\n")
}

func tableColumn(t *SortTable, col int) []string {
	var out []string
	for r := 0; r < t.Rows(); r++ {
		out = append(out, t.CellText(r, col))
	}
	return out
}
