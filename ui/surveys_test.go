package ui

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"sunledger/app"
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

// The 核对差异 view resolves a differing sheet from the window: the paper says what one
// entry says, and the sheet then counts (as `survey resolve`).
func TestSurveys_ReconcileADifferingSheetFromTheWindow(t *testing.T) {
	_, s := newBook(t, unit("1-101", "residential", "90", "O1", "张三"), unit("1-102", "residential", "90", "O2", "李四"))
	w := newWindow(t)
	v := newSurveysScreen(w, s)
	w.SetContent(v.content)
	if err := v.create("三季度调查", "2026Q3", "1-5", "保洁:2\n维修:1"); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.csv"), filepath.Join(dir, "b.csv")
	os.WriteFile(a, []byte("答卷编号,房号,问题1,问题2\n1,1-101,5,4\n2,1-102,3,2\n"), 0o644)
	os.WriteFile(b, []byte("答卷编号,房号,问题1,问题2\n1,1-101,5,4\n2,1-102,4,2\n"), 0o644)
	if err := v.enterFile("A", a); err != nil {
		t.Fatal(err)
	}
	if err := v.enterFile("B", b); err != nil {
		t.Fatal(err)
	}
	r := v.reconcile()
	if len(r.open) != 1 || r.open[0] != "2" || !strings.Contains(r.summary.Text, "待核对 1 份") {
		t.Fatalf("open sheets %v, %q", r.open, r.summary.Text)
	}
	r.list.Select(0)
	if !strings.Contains(r.detail.Text, "录入 A：房号 1-102　问题1：3") || !strings.Contains(r.detail.Text, "录入 B：房号 1-102　问题1：4") {
		t.Fatalf("detail %q", r.detail.Text)
	}
	shoot(t, w, "surveys-reconcile")
	test.Tap(r.useB)
	if len(r.open) != 0 || v.results[v.sel].Returned != 2 || len(v.results[v.sel].Unreconciled) != 0 {
		t.Fatalf("after the third look: open %v, result %+v", r.open, v.results[v.sel])
	}
	rec, _ := s.Surveys.SurveyRecord(context.Background(), v.surveys[v.sel].ID)
	if len(rec.Resolutions) != 1 || rec.Resolutions[0].Sheet.Answers[0] != "4" || rec.Resolutions[0].Note != "核对原卷，与录入 B 相同" {
		t.Fatalf("resolutions %+v", rec.Resolutions)
	}
}

// The remuneration clause is recorded from the window (as `remuneration contract`);
// bad figures change nothing.
func TestRemuneration_ContractClauseFromTheWindow(t *testing.T) {
	_, s := newBook(t, unit("1-101", "residential", "90", "O1", "张三"))
	w := newWindow(t)
	r := newRemunerationPane(w, s)
	w.SetContent(r.content)
	if !strings.Contains(r.contract.Text, "还没有录入") || strings.Contains(r.contract.Text, "remuneration contract") {
		t.Fatalf("no clause yet: %q", r.contract.Text)
	}
	if err := r.SetContract(ContractForm{Percent: "150", Base: app.BaseCollected, From: "2026-01"}); err == nil {
		t.Fatal("150% accepted")
	}
	if err := r.SetContract(ContractForm{Percent: "12", Base: app.BaseCollected, From: "2026-01", Bands: "90:1,80:0.95,0:0.9", Why: "合同第 8 条"}); err != nil {
		t.Fatal(err)
	}
	c, err := s.Remuneration.RemunerationContract(context.Background())
	if err != nil || c.Mode != app.RemunerationPercent || c.Percent.String() != "12" || c.Base != app.BaseCollected || len(c.Bands) != 3 {
		t.Fatalf("clause %+v %v", c, err)
	}
	if !strings.Contains(r.contract.Text, "12%") {
		t.Errorf("pane says %q", r.contract.Text)
	}
	if err := r.SetContract(ContractForm{Fixed: true, Monthly: "20000", From: "2026-07"}); err != nil {
		t.Fatal(err)
	}
	if c, _ = s.Remuneration.RemunerationContract(context.Background()); c.Mode != app.RemunerationFixed || c.Monthly.String() != "20000" {
		t.Fatalf("fixed clause %+v", c)
	}
}

// A sheet that matches neither entry is recorded as the paper says it.
func TestSurveys_ReconcileASheetThatMatchesNeitherEntry(t *testing.T) {
	_, s := newBook(t, unit("1-101", "residential", "90", "O1", "张三"))
	w := newWindow(t)
	v := newSurveysScreen(w, s)
	w.SetContent(v.content)
	if err := v.create("三季度调查", "2026Q3", "1-5", "保洁:1"); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.csv"), filepath.Join(dir, "b.csv")
	os.WriteFile(a, []byte("答卷编号,房号,问题1\n1,1-101,3\n"), 0o644)
	os.WriteFile(b, []byte("答卷编号,房号,问题1\n1,1-101,4\n"), 0o644)
	v.enterFile("A", a)
	v.enterFile("B", b)
	r := v.reconcile()
	r.list.Select(0)
	r.record(app.SurveySheet{No: "1", Unit: "1-101", Answers: []string{"5"}}, "核对原卷，两份录入都不对")
	rec, _ := s.Surveys.SurveyRecord(context.Background(), v.surveys[v.sel].ID)
	if len(r.open) != 0 || len(rec.Resolutions) != 1 || rec.Resolutions[0].Sheet.Answers[0] != "5" {
		t.Fatalf("open %v, resolutions %+v", r.open, rec.Resolutions)
	}
}
