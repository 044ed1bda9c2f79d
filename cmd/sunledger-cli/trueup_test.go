package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"sunledger/internal/testtool"
)

// TestRemuneration_TrueUpAndTheQuarterNoticeThroughTheBinary: the months accrue at the
// base rate; the quarter's assessment, recorded afterwards, trues the quarter up by its
// factor (base × 15 % × factor), which remuneration list shows by quarter and the
// assessment notice prints; the assessment of a quarter not over is refused, and so is
// changing one already applied.
func TestRemuneration_TrueUpAndTheQuarterNoticeThroughTheBinary(t *testing.T) {
	t.Parallel()
	data := feesBook(t) // 2025-01..03 billed
	noticeSettings(t, data)
	ok(t, data, "remuneration", "contract", "--percent", "15", "--base", "billed", "--from", "2025-01", "--bands", "90:1,70:0.9,0:0.8")
	r := ok(t, data, "remuneration", "accrue", "--month", "2025-01", "--to", "2025-03")
	if strings.Contains(r.stdout, "调整") {
		t.Errorf("trued up before the assessment: %s", r.stdout)
	}
	fails(t, data, "assessment", "add", "--quarter", "2099Q1", "--item", "保洁:1:75")
	r = ok(t, data, "assessment", "add", "--quarter", "2025Q1", "--item", "保洁:1:75")
	// 338.64 a month × 15 % = 50.80 (each month rounded); 152.40 × 0.9 = 137.16
	if !strings.Contains(r.stdout, "152.40 × 0.9 = 137.16") || !strings.Contains(r.stdout, "调整 -15.24") {
		t.Errorf("assessment add printed %q", r.stdout)
	}
	fails(t, data, "assessment", "add", "--quarter", "2025Q1", "--item", "保洁:1:95")
	var l struct {
		Quarters []struct {
			Quarter, Due, Factor, Adjusted string
			TruedUp                        bool `json:"trued_up"`
		}
		Unpaid string
	}
	if err := json.Unmarshal([]byte(ok(t, data, "remuneration", "list", "--json").stdout), &l); err != nil {
		t.Fatal(err)
	}
	if len(l.Quarters) != 1 || l.Quarters[0].Due != "137.16" || !l.Quarters[0].TruedUp || l.Quarters[0].Adjusted != "-15.24" || l.Unpaid != "137.16" {
		t.Errorf("remuneration list --json: %+v", l)
	}
	out := filepath.Join(t.TempDir(), "assessment.pdf")
	ok(t, data, "report", "assessment", "--period", "2025Q1", "--out", out)
	text := testtool.Squeeze(testtool.PDFText(t, out))
	for _, want := range []string{"2025年第1季度物业服务考核及酬金公示", "综合得分：75.00分", "¥152.40×0.9=¥137.16", "考核调整：-¥15.24"} {
		if !strings.Contains(text, want) {
			t.Errorf("the notice lacks %q:\n%s", want, text)
		}
	}
	fails(t, data, "report", "assessment", "--period", "2025Q2", "--out", filepath.Join(t.TempDir(), "x.pdf"))
	ok(t, data, "verify")
}
