package ui

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"sunledger/app"
)

func registerFixture(t *testing.T) (*registerScreen, app.Services) {
	t.Helper()
	_, s := newBook(t,
		unit("10-1-101", app.KindResidential, "88.50", "O1", "王伟"),
		unit("2-1-101", app.KindResidential, "70.00", "O2", "李娜"),
		unit("2-1-102", app.KindResidential, "65.25", "O1", "王伟"), // second unit of O1: still one person
		unit("S-001", app.KindCommercial, "120.00", "O3", "张强、刘芳"),
		devUnit("2-1-1801", app.KindResidential, "99.99"),
		devUnit("S-002", app.KindCommercial, "45.00"),
		unit("P-0001", app.KindParking, "13.20", "O2", "李娜"),
	)
	w := newWindow(t)
	r := newRegisterScreen(w, s)
	w.SetContent(r.content)
	return r, s
}

func TestRegister_ShowsUnitsInReadingOrder(t *testing.T) {
	r, _ := registerFixture(t)
	got := tableColumn(r.table, 0)
	want := []string{"2-1-101", "2-1-102", "2-1-1801", "10-1-101", "P-0001", "S-001", "S-002"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("unit column = %v, want %v", got, want)
	}
	if r.table.CellText(0, 1) != "住宅" || r.table.CellText(0, 2) != "70.00" || r.table.CellText(0, 3) != "李娜" {
		t.Errorf("first row = %q %q %q", r.table.CellText(0, 1), r.table.CellText(0, 2), r.table.CellText(0, 3))
	}
	if r.table.CellText(2, 5) != "是" {
		t.Errorf("developer-held column of 2-1-1801 = %q, want 是", r.table.CellText(2, 5))
	}
}

// Headcount by the legal rule: O1's two flats are one person, the developer's units
// are together one person; parking counts by default (its owner already counts):
// O1, O2, O3, developer = 4.
func TestRegister_TotalsCountHeadsByTheLegalRule(t *testing.T) {
	r, _ := registerFixture(t)
	txt := r.totals.Text
	for _, want := range []string{"共 7 个房号", "总面积 501.94 m²", "人数 4", "车位计入面积和人数"} {
		if !strings.Contains(txt, want) {
			t.Errorf("totals %q lack %q", txt, want)
		}
	}
}

func TestRegister_HeaderClickSortsAndSecondClickReverses(t *testing.T) {
	r, _ := registerFixture(t)
	r.table.TapHeader(2) // area
	areas := tableColumn(r.table, 2)
	if areas[0] != "13.20" || areas[len(areas)-1] != "120.00" {
		t.Fatalf("ascending by area = %v", areas)
	}
	r.table.TapHeader(2)
	areas = tableColumn(r.table, 2)
	if areas[0] != "120.00" || areas[len(areas)-1] != "13.20" {
		t.Fatalf("descending by area = %v", areas)
	}
	r.table.TapHeader(3) // owner, ascending again
	if col, desc := r.table.SortColumn(); col != 3 || desc {
		t.Errorf("sort = %d desc=%v, want 3 ascending", col, desc)
	}
}

func TestRegister_SearchAndKindFilter(t *testing.T) {
	r, _ := registerFixture(t)
	test.Type(r.search, "王伟")
	if got := tableColumn(r.table, 0); !reflect.DeepEqual(got, []string{"2-1-102", "10-1-101"}) {
		t.Fatalf("search 王伟 shows %v", got)
	}
	if !strings.Contains(r.shown.Text, "2 / 7") {
		t.Errorf("shown = %q", r.shown.Text)
	}
	r.search.SetText("s-0")
	if got := tableColumn(r.table, 0); !reflect.DeepEqual(got, []string{"S-001", "S-002"}) {
		t.Fatalf("search s-0 shows %v", got)
	}
	r.search.SetText("")
	r.kind.SetSelected("车位")
	if got := tableColumn(r.table, 0); !reflect.DeepEqual(got, []string{"P-0001"}) {
		t.Fatalf("kind 车位 shows %v", got)
	}
	r.kind.SetSelected("全部类型")
	if r.table.Rows() != 7 {
		t.Errorf("all kinds shows %d rows", r.table.Rows())
	}
}

func TestRegister_BadFileShowsRowAndReasonAndChangesNothing(t *testing.T) {
	r, s := registerFixture(t)
	before, _ := s.Register.Units(context.Background())
	auditBefore, _ := s.Book.Audit(context.Background())
	path := filepath.Join(t.TempDir(), "登记册.csv")
	csv := "房号,类型,面积,业主编号,业主姓名\n9-9-901,住宅,80,O9,赵六\n9-9-902,住宅,abc,O10,钱七\n"
	if err := os.WriteFile(path, []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	r.importFile(path)
	msg := topDialogText(r.w)
	if !strings.Contains(msg, "第 3 行") || !strings.Contains(msg, "没有做任何更改") {
		t.Fatalf("error dialog = %q, want the row number and 'nothing changed'", msg)
	}
	after, _ := s.Register.Units(context.Background())
	auditAfter, _ := s.Book.Audit(context.Background())
	if len(after) != len(before) || len(auditAfter) != len(auditBefore) || r.table.Rows() != 7 {
		t.Errorf("a bad file changed the book: %d→%d units, %d→%d audit records", len(before), len(after), len(auditBefore), len(auditAfter))
	}
}

func TestRegister_ImportAsksThenAddsAndUpdates(t *testing.T) {
	r, s := registerFixture(t)
	path := filepath.Join(t.TempDir(), "units.csv")
	csv := "\ufeffunit,kind,area,owner_id,owner_name\n9-9-901,住宅,80.5,O9,赵六\n2-1-101,住宅,71.00,O2,李娜\n"
	if err := os.WriteFile(path, []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	r.importFile(path)
	msg := topDialogText(r.w)
	if !strings.Contains(msg, "新增 1 个，更新 1 个") {
		t.Fatalf("confirm dialog = %q", msg)
	}
	yes := button(r.w.Canvas().Overlays().Top(), "是")
	if yes == nil {
		yes = button(r.w.Canvas().Overlays().Top(), "Yes")
	}
	if yes == nil {
		t.Fatalf("no confirm button in %q", msg)
	}
	test.Tap(yes)
	if !strings.Contains(topDialogText(r.w), "已导入 2 个房号") {
		t.Errorf("after import the dialog says %q", topDialogText(r.w))
	}
	u, err := s.Register.Unit(context.Background(), "2-1-101")
	if err != nil || u.Area.StringFixed(2) != "71.00" {
		t.Errorf("2-1-101 after import = %+v, %v", u, err)
	}
	if r.table.Rows() != 8 || !strings.Contains(r.totals.Text, "共 8 个房号") {
		t.Errorf("screen after import: %d rows, totals %q", r.table.Rows(), r.totals.Text)
	}
}

func TestRegister_RowShowsTheOwnersOtherUnits(t *testing.T) {
	r, _ := registerFixture(t)
	i := r.table.DataRow(0) // 2-1-101 of 李娜, who also holds P-0001
	txt := r.unitText(r.units[i])
	if !strings.Contains(txt, "李娜") || !strings.Contains(txt, "P-0001") {
		t.Errorf("unit text = %q", txt)
	}
	r.table.OnRowSelected(i)
	if !strings.Contains(topDialogText(r.w), "P-0001") {
		t.Errorf("dialog = %q", topDialogText(r.w))
	}
}

func TestRegister_EditAUnitNeedsAReasonAndIsAudited(t *testing.T) {
	r, s := registerFixture(t)
	ctx := context.Background()
	u, _ := s.Register.Unit(ctx, "2-1-1801")
	u.DeveloperHeld, u.OwnerID, u.OwnerName = false, "O9", "赵六"
	if err := r.SaveUnit(u, "99.99", " "); err == nil {
		t.Fatal("saved without a reason")
	}
	if err := r.SaveUnit(u, "99.999", "过户"); err == nil {
		t.Fatal("saved an area with 3 decimals")
	}
	if err := r.SaveUnit(u, "99.99", "开发商售出，过户给赵六"); err != nil {
		t.Fatal(err)
	}
	got, _ := s.Register.Unit(ctx, "2-1-1801")
	if got.DeveloperHeld || got.OwnerName != "赵六" {
		t.Errorf("unit after edit = %+v", got)
	}
	if !strings.Contains(r.totals.Text, "人数 5") {
		t.Errorf("totals after the sale = %q (the buyer is a new person)", r.totals.Text)
	}
	recs, _ := s.Book.Audit(ctx)
	if last := recs[len(recs)-1]; last.Why != "开发商售出，过户给赵六" {
		t.Errorf("audit = %+v", last)
	}
}
