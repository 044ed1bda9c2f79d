package storage

import (
	"context"
	"testing"

	"github.com/shopspring/decimal"

	"sunledger/app"
)

func openTest(t *testing.T, dir string) *DB {
	t.Helper()
	db, err := Open(dir)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	return db
}

func newBook(t *testing.T) (*DB, string) {
	t.Helper()
	dir := t.TempDir()
	db := openTest(t, dir)
	if err := db.bookService().Init(context.Background(), app.Community{Name: "测试小区"}, "tester"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db, dir
}

func unit(id, area, owner string) app.Unit {
	return app.Unit{ID: id, Kind: app.KindResidential, Area: decimal.RequireFromString(area), OwnerID: owner, OwnerName: "业主" + owner}
}

func TestRegister_ImportSurvivesReopen(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db := openTest(t, dir)
	if err := db.bookService().Init(ctx, app.Community{Name: "阳光花园"}, "t"); err != nil {
		t.Fatal(err)
	}
	if err := db.registerService().ImportUnits(ctx, []app.Unit{unit("10-1-101", "88.50", "A"), unit("2-1-101", "70", "B")}, "t", "why"); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db = openTest(t, dir)
	defer db.Close()
	units, err := db.registerService().Units(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(units) != 2 || units[0].ID != "2-1-101" || units[1].ID != "10-1-101" {
		t.Fatalf("units after reopen = %+v", units)
	}
	if !units[1].Area.Equal(decimal.RequireFromString("88.5")) {
		t.Errorf("area = %s", units[1].Area)
	}
	c, err := db.bookService().Community(ctx)
	if err != nil || c.Name != "阳光花园" {
		t.Errorf("community = %+v, %v", c, err)
	}
	log, _ := db.bookService().Audit(ctx)
	if len(log) != 2 || log[1].Action != "units.import" || log[1].Who != "t" {
		t.Errorf("audit = %+v", log)
	}
}

func TestRegister_BadUnitWritesNothing(t *testing.T) {
	ctx := context.Background()
	db, _ := newBook(t)
	bad := []app.Unit{unit("1-1-101", "80", "A"), unit("1-1-102", "0", "B")}
	err := db.registerService().ImportUnits(ctx, bad, "t", "")
	if app.ErrorCode(err) != app.EINVALID {
		t.Fatalf("err = %v", err)
	}
	dup := []app.Unit{unit("1-1-101", "80", "A"), unit("1-1-101", "81", "B")}
	if err := db.registerService().ImportUnits(ctx, dup, "t", ""); app.ErrorCode(err) != app.EINVALID {
		t.Fatalf("duplicate err = %v", err)
	}
	units, _ := db.registerService().Units(ctx)
	if len(units) != 0 {
		t.Fatalf("half-written import: %+v", units)
	}
}

func TestRegister_ReimportReplacesSameUnit(t *testing.T) {
	ctx := context.Background()
	db, _ := newBook(t)
	if err := db.registerService().ImportUnits(ctx, []app.Unit{unit("1-1-101", "80", "A")}, "t", ""); err != nil {
		t.Fatal(err)
	}
	if err := db.registerService().ImportUnits(ctx, []app.Unit{unit("1-1-101", "81", "C"), unit("1-1-102", "60", "D")}, "t", ""); err != nil {
		t.Fatal(err)
	}
	u, err := db.registerService().Unit(ctx, "1-1-101")
	if err != nil || u.OwnerID != "C" {
		t.Fatalf("unit = %+v, %v", u, err)
	}
	if _, err := db.registerService().Unit(ctx, "9-9-999"); app.ErrorCode(err) != app.ENOTFOUND {
		t.Errorf("missing unit err = %v", err)
	}
}

func TestOpen_SecondOpenIsLockedNotACrash(t *testing.T) {
	dir := t.TempDir()
	db := openTest(t, dir)
	defer db.Close()
	_, err := Open(dir)
	if app.ErrorCode(err) != app.ELOCKED {
		t.Fatalf("second open err = %v (code %s)", err, app.ErrorCode(err))
	}
}

func TestInit_Twice_Conflicts(t *testing.T) {
	db, _ := newBook(t)
	err := db.bookService().Init(context.Background(), app.Community{Name: "x"}, "t")
	if app.ErrorCode(err) != app.ECONFLICT {
		t.Fatalf("err = %v", err)
	}
}

func TestUnits_NoBook_NotFound(t *testing.T) {
	db := openTest(t, t.TempDir())
	defer db.Close()
	if _, err := db.registerService().Units(context.Background()); app.ErrorCode(err) != app.ENOTFOUND {
		t.Fatalf("err = %v", err)
	}
}

// TestRegister_FullWidthUnitIDsAreOneUnit: a unit id typed in full width (a Chinese input
// method's "３-２-１５０１") is stored, paid, looked up and stated as 3-2-1501, the way
// ballots already read it, so it is one unit everywhere.
func TestRegister_FullWidthUnitIDsAreOneUnit(t *testing.T) {
	db, _ := newBook(t)
	if err := db.registerService().ImportUnits(ctx, []app.Unit{unit(" ３-２-１５０１ ", "100", "A")}, "t", ""); err != nil {
		t.Fatal(err)
	}
	units, err := db.registerService().Units(ctx)
	if err != nil || len(units) != 1 || units[0].ID != "3-2-1501" {
		t.Fatalf("register: %+v %v; want the unit stored as 3-2-1501", units, err)
	}
	if err := db.registerService().ImportUnits(ctx, []app.Unit{unit("3-2-1501", "100", "A"), unit("３-２-１５０１", "100", "A")}, "t", ""); app.ErrorCode(err) != app.EINVALID {
		t.Errorf("the same unit typed both ways in one file: %v; want a duplicate", err)
	}
	if _, err := db.registerService().Unit(ctx, "３-２-１５０１"); err != nil {
		t.Errorf("looked up in full width: %v", err)
	}
	if err := db.priceService().SetPrice(ctx, app.FeePrice{Kind: app.KindResidential, Price: dec("1"), From: "2026-01"}, "t", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := db.feeService().Bill(ctx, "2026-01", "2026-01", "t", ""); err != nil {
		t.Fatal(err)
	}
	p, err := db.feeService().Pay(ctx, app.PaymentRequest{Unit: "３-２-１５０１", Amount: dec("100"), Date: "2026-01-10", Method: app.MethodCash}, "t", "")
	if err != nil || p.Unit != "3-2-1501" {
		t.Fatalf("paid in full width: %+v %v", p, err)
	}
	st, err := db.feeService().Statement(ctx, "３-２-１５０１")
	if err != nil || st.Unit.ID != "3-2-1501" {
		t.Fatalf("statement: %v %v", st.Unit.ID, err)
	}
	if err := db.ledgerService().Verify(ctx); err != nil {
		t.Fatal(err)
	}
}
