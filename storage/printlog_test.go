package storage

import (
	"errors"
	"strings"
	"testing"

	"sunledger/app"
)

func TestPrintLog_NumbersEveryPrintAndAuditsIt(t *testing.T) {
	db := feeBook(t)
	p, err := db.feeService().Pay(ctx, app.PaymentRequest{Unit: "1-1-101", Amount: dec("120"), Date: "2026-04-01"}, "tester", "")
	if err != nil {
		t.Fatal(err)
	}
	doc := app.ReceiptDoc(strings.ToLower(p.Receipt))
	for n := int64(1); n <= 3; n++ {
		r, err := db.printService().RecordPrint(ctx, doc, "张会计")
		if err != nil {
			t.Fatal(err)
		}
		if r.N != n || r.Reprint() != (n > 1) || r.Who != "张会计" {
			t.Errorf("print %d: %+v", n, r)
		}
	}
	prints, err := db.printService().Prints(ctx, doc)
	if err != nil || len(prints) != 3 {
		t.Fatalf("prints %v %v", prints, err)
	}
	audit, _ := db.bookService().Audit(ctx)
	count := 0
	for _, a := range audit {
		if a.Action == "print.receipt" {
			count++
		}
	}
	if count != 3 {
		t.Errorf("%d print audit records, want 3", count)
	}
	// Another receipt has its own count.
	if r, err := db.printService().RecordPrint(ctx, app.ReceiptDoc("R00000099"), "x"); app.ErrorCode(err) != app.ENOTFOUND {
		t.Errorf("unknown receipt: %+v %v", r, err)
	}
	for _, bad := range []string{"", "receipt/", "vote/V0001", "receipt/R1/x"} {
		if _, err := db.printService().RecordPrint(ctx, bad, "x"); app.ErrorCode(err) != app.EINVALID {
			t.Errorf("%q: %v", bad, err)
		}
	}
}

func TestPay_LargePrepaymentIsRefusedUnlessAllowed(t *testing.T) {
	db := feeBook(t)
	// 1-1-101 pays 120.00 a month and owes 360.00: 360 + 24 × 120 = 3240 is the most
	// that needs no confirmation.
	if _, err := db.feeService().Pay(ctx, app.PaymentRequest{Unit: "1-1-101", Amount: dec("3240.01"), Date: "2026-04-01"}, "tester", ""); !errors.Is(err, app.ErrLargePrepayment) {
		t.Fatalf("3240.01: %v", err)
	}
	if a, _ := db.feeService().Arrears(ctx); len(a) == 0 {
		t.Fatal("a refused payment changed the arrears")
	}
	if _, err := db.feeService().PayMany(ctx, []app.PaymentRequest{{Unit: "1-1-102", Amount: dec("10"), Date: "2026-04-01"}, {Unit: "1-1-101", Amount: dec("9999"), Date: "2026-04-01"}}, "tester", ""); !errors.Is(err, app.ErrLargePrepayment) {
		t.Fatalf("PayMany: %v", err)
	}
	if _, err := db.feeService().Pay(ctx, app.PaymentRequest{Unit: "1-1-101", Amount: dec("3240.00"), Date: "2026-04-01"}, "tester", ""); err != nil {
		t.Fatalf("24 months: %v", err)
	}
	if _, err := db.feeService().Pay(ctx, app.PaymentRequest{Unit: "1-1-102", Amount: dec("9999"), Date: "2026-04-01", AllowLarge: true}, "tester", ""); err != nil {
		t.Fatalf("confirmed: %v", err)
	}
}

// A public notice's number counts its kind's notices in the year; the same notice
// printed again keeps its number; a new number is audited, a kept one is not; a bad
// kind or year is refused and numbers nothing.
func TestPrintLog_ReferenceIsASequencePerKindAndYearKeptOnReprint(t *testing.T) {
	db := feeBook(t)
	ps := db.printService()
	cases := []struct {
		kind string
		year int
		what string
		want int64
	}{
		{"quarterly", 2026, "2026Q1", 1},
		{"quarterly", 2026, "2026Q2", 2},
		{"arrears", 2026, "all", 1},
		{"quarterly", 2026, "2026Q1", 1}, // a reprint
		{"quarterly", 2027, "2027Q1", 1}, // a new year starts again
		{"quarterly", 2026, "2026Q3", 3},
	}
	for _, c := range cases {
		r, err := ps.Reference(ctx, c.kind, c.year, c.what, "张会计")
		if err != nil || r.N != c.want || r.Kind != c.kind || r.Year != c.year {
			t.Errorf("%s %d %s: %+v %v, want №%d", c.kind, c.year, c.what, r, err, c.want)
		}
	}
	if got := (app.DocRef{Year: 2026, N: 12}).RefText("阳光花园小区"); got != "阳光花园业委〔2026〕第12号" {
		t.Errorf("RefText: %s", got)
	}
	for _, bad := range []struct {
		kind string
		year int
	}{{"", 2026}, {"a/b", 2026}, {"quarterly", 0}} {
		if _, err := ps.Reference(ctx, bad.kind, bad.year, "x", "张会计"); app.ErrorCode(err) != app.EINVALID {
			t.Errorf("%q %d: %v, want EINVALID", bad.kind, bad.year, err)
		}
	}
	audit, _ := db.bookService().Audit(ctx)
	count := 0
	for _, a := range audit {
		if a.Action == "print.ref" {
			count++
		}
	}
	if count != 5 {
		t.Errorf("%d numbering audit records, want 5", count)
	}
}
