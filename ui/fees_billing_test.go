package ui

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"sunledger/app"
)

// The price form reads a price exactly as `prices set --price` does (app.ParseRate): a
// number in exponent form ("1e-1", which a float parser takes for 0.1) is refused and
// nothing is set; full-width digits are read as digits.
func TestPriceForm_ReadsThePriceAsTheCommandLineDoes(t *testing.T) {
	_, s := newBook(t, unit("1-1-101", app.KindResidential, "100", "O1", "甲"))
	w := newWindow(t)
	b := newBillingPane(w, s)
	card := b.priceCard("2026-01")
	w.SetContent(card)
	var kind *widget.Select
	var price *widget.Entry
	for _, o := range test.LaidOutObjects(card) {
		switch o := o.(type) {
		case *widget.Select:
			kind = o
		case *widget.Entry:
			if o.PlaceHolder == "0.35" {
				price = o
			}
		}
	}
	if kind == nil || price == nil {
		t.Fatal("the price form has no kind or price field")
	}
	kind.SetSelectedIndex(0)
	set := button(card, L("设定单价"))
	prices := func() []app.FeePrice {
		t.Helper()
		ps, err := s.Prices.Prices(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		return ps
	}

	for _, bad := range []string{"1e-1", "-0.35", "0.1234567", "abc"} {
		price.SetText(bad)
		test.Tap(set)
		if msg := topDialogText(w); msg == "" {
			t.Errorf("%q: no error shown", bad)
		}
		if ps := prices(); len(ps) != 0 {
			t.Fatalf("%q set a price: %+v", bad, ps)
		}
		w.Canvas().Overlays().Top().Hide()
		w.Canvas().Overlays().Remove(w.Canvas().Overlays().Top())
	}
	if _, err := app.ParseRate("1e-1"); err == nil {
		t.Fatal("the command line's parser takes 1e-1")
	}

	price.SetText("０.３５")
	test.Tap(set)
	if msg := topDialogText(w); msg != "" {
		t.Fatalf("a good price was refused: %s", msg)
	}
	ps := prices()
	if len(ps) != 1 || ps[0].Price.String() != "0.35" || ps[0].From != "2026-01" || ps[0].Kind != app.KindResidential {
		t.Fatalf("prices after the form: %+v", ps)
	}
	if strings.TrimSpace(price.Text) != "" {
		t.Errorf("the price field kept %q after it was set", price.Text)
	}
}
