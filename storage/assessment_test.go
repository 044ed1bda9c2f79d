package storage

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"sunledger/app"
)

// TestVerify_AssessmentIsRecomputedFromItsInputs: a computed assessment is recorded with
// the figures it came from; verify computes it again and names the quarter when its
// score, a component or the computed total was edited afterwards (even with the record
// log kept consistent), and passes the untouched book.
func TestVerify_AssessmentIsRecomputedFromItsInputs(t *testing.T) {
	ctx := context.Background()
	in := app.AssessmentInputs{
		Survey:  &app.AssessmentSurveyInput{ID: "S1", Title: "三季度满意度", Participation: decimal.RequireFromString("61.50"), Total: decimal.RequireFromString("88.40")},
		Service: &app.AssessmentServiceInput{Due: 40, Within: 37, Rated: 12, RatingSum: 50},
	}
	items := []app.AssessmentScore{{Item: "保洁", Weight: decimal.NewFromInt(1), Score: decimal.NewFromInt(90)}}
	forges := []struct {
		name  string
		forge func(a *app.Assessment)
	}{
		{"the score of a part", func(a *app.Assessment) { a.Scores[0].Score = decimal.NewFromInt(100) }},
		{"the computed total", func(a *app.Assessment) { a.Basis.Computed = a.Basis.Computed.Add(decimal.NewFromInt(5)) }},
		{"an input", func(a *app.Assessment) { a.Basis.Inputs.Service.Within = 40 }},
		{"a part dropped", func(a *app.Assessment) { a.Scores = a.Scores[1:] }},
	}
	for _, f := range append(forges, struct {
		name  string
		forge func(a *app.Assessment)
	}{"untouched", nil}) {
		t.Run(f.name, func(t *testing.T) {
			db, _ := newBook(t)
			defer db.Close()
			db.Now = func() time.Time { return time.Date(2026, 10, 3, 10, 0, 0, 0, time.Local) }
			a, err := app.ComputeFromInputs("2026Q3", app.DefaultAssessmentWeights(), in, items)
			if err != nil {
				t.Fatal(err)
			}
			if err := db.RemunerationService().RecordAssessment(ctx, a, "委员甲", ""); err != nil {
				t.Fatal(err)
			}
			if err := db.LedgerService().Verify(ctx); err != nil {
				t.Fatalf("verify of the untouched book: %v", err)
			}
			if f.forge == nil {
				return
			}
			if err := db.update(func(tx *Tx) error {
				var x app.Assessment
				if _, err := tx.get(assessmentKey("2026Q3"), &x); err != nil {
					return err
				}
				f.forge(&x)
				return tx.put(assessmentKey("2026Q3"), x)
			}); err != nil {
				t.Fatal(err)
			}
			err = db.LedgerService().Verify(ctx)
			if err == nil {
				t.Fatal("verify passed an edited assessment")
			}
			if !strings.Contains(zhOf(err), "2026Q3 的考核") {
				t.Errorf("verify says %q", zhOf(err))
			}
		})
	}
}
