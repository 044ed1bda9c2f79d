package ui

import (
	"strings"
	"testing"

	"sunledger/app"
)

func TestAudit_NewestFirstAndSearchable(t *testing.T) {
	_, s := newBook(t, unit("1-1-101", app.KindResidential, "80", "O1", "王伟"))
	w := newWindow(t)
	a := newAuditScreen(w, s)
	w.SetContent(a.content)
	if a.table.Rows() != 2 {
		t.Fatalf("audit rows = %d, want 2 (init, import)", a.table.Rows())
	}
	if a.table.CellText(0, 0) != "2" || a.table.CellText(1, 0) != "1" {
		t.Errorf("order = %s, %s; want newest (2) first", a.table.CellText(0, 0), a.table.CellText(1, 0))
	}
	if a.table.CellText(0, 2) != "tester" {
		t.Errorf("who = %q", a.table.CellText(0, 2))
	}
	a.search.SetText(a.records[0].Action)
	if a.table.Rows() != 1 {
		t.Errorf("search %q shows %d rows", a.records[0].Action, a.table.Rows())
	}
	a.table.OnRowSelected(a.table.DataRow(0))
	if msg := topDialogText(w); !strings.Contains(msg, "操作人：tester") {
		t.Errorf("detail dialog = %q", msg)
	}
}
