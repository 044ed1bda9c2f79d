package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The page creates a survey, keys both entries from sheet files, shows the difference
// and the score, and computes the quarter's assessment from it.
func TestSurveys_CreateEnterBothEntriesAndCompute(t *testing.T) {
	_, s := newBook(t, unit("1-101", "residential", "90", "O1", "张三"), unit("1-102", "residential", "90", "O2", "李四"))
	w := newWindow(t)
	v := newSurveysScreen(w, s)
	w.SetContent(v.content)
	if !strings.Contains(v.detail.Text, "还没有调查") {
		t.Fatalf("empty page: %q", v.detail.Text)
	}
	if err := v.create("三季度调查", "2026Q3", "1-5", "保洁：2\n\n维修:1"); err != nil {
		t.Fatal(err)
	}
	if err := v.create("x", "2026Q5", "1-5", "保洁:1"); err == nil {
		t.Fatal("quarter 5 accepted")
	}
	dir := t.TempDir()
	a := filepath.Join(dir, "a.csv")
	b := filepath.Join(dir, "b.csv")
	os.WriteFile(a, []byte("答卷编号,房号,问题1,问题2\n1,1-101,5,4\n2,1-102,3,\n"), 0o644)
	os.WriteFile(b, []byte("答卷编号,房号,问题1,问题2\n1,1-101,5,4\n2,1-102,4,\n"), 0o644)
	if err := v.enterFile("A", a); err != nil {
		t.Fatal(err)
	}
	if err := v.enterFile("B", b); err != nil {
		t.Fatal(err)
	}
	if got := tableColumn(v.table, 5); len(got) != 1 || got[0] != "1" {
		t.Fatalf("unreconciled column %v", got)
	}
	// Only sheet 1 counts; on a 1–5 scale the lowest answer scores 0 and the top 100:
	// q1 = 100, q2 = 75, total (2·100+75)/3 = 91.67.
	if !strings.Contains(v.detail.Text, "1 处差异") || !strings.Contains(v.detail.Text, "加权总分 91.67") {
		t.Fatalf("detail %q", v.detail.Text)
	}
	asmt, err := v.Compute("2026Q3", "安保:1:90")
	if err != nil {
		t.Fatal(err)
	}
	// survey 40 × 91.67 + committee 20 × 90 over 60 (no service request, no rating): 91.11
	if asmt.Total().StringFixed(2) != "91.11" {
		t.Fatalf("computed %s: %+v", asmt.Total(), asmt.Basis)
	}
}
