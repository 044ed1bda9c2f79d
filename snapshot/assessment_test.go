package snapshot

import (
	"encoding/json"
	"testing"

	"github.com/shopspring/decimal"

	"sunledger/app"
)

// TestSnapshot_AssessmentsFileLetsAnyoneRecomputeTheScore: assessments.json publishes
// each quarter's score with the inputs it was computed from — computing it again from
// them gives the published score — and, for a trued-up quarter, the months at the base
// rate, the factor and the remuneration due.
func TestSnapshot_AssessmentsFileLetsAnyoneRecomputeTheScore(t *testing.T) {
	snapshotFixture(t)
	_, files := zipFiles(t, snapFixture.zip)
	var f AssessmentsFile
	if err := json.Unmarshal(files["assessments.json"], &f); err != nil {
		t.Fatal(err)
	}
	if len(f.Quarters) == 0 {
		t.Fatal("no quarter published")
	}
	trued := 0
	for _, q := range f.Quarters {
		if q.Inputs == nil || q.Weights == nil {
			t.Fatalf("%s: no inputs: %+v", q.Quarter, q)
		}
		a, err := app.ComputeFromInputs(q.Quarter, *q.Weights, *q.Inputs, q.Items)
		if err != nil || a.Total().StringFixed(2) != q.Score {
			t.Errorf("%s: recomputed %s (%v), published %s", q.Quarter, a.Total(), err, q.Score)
		}
		if q.Due != "" {
			trued++
			if q.Accrued == "" || q.Factor == "" {
				t.Errorf("%s: a true-up without its figures: %+v", q.Quarter, q)
			}
			if want := app.Round2(decimal.RequireFromString(q.Accrued).Mul(decimal.RequireFromString(q.Factor))).StringFixed(2); want != q.Due {
				t.Errorf("%s: due %s, accrued × factor %s", q.Quarter, q.Due, want)
			}
		}
	}
	if trued == 0 {
		t.Error("no quarter trued up in the demo")
	}
}
