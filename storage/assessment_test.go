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
			if err := db.remunerationService().RecordAssessment(ctx, a, "委员甲", ""); err != nil {
				t.Fatal(err)
			}
			if err := db.ledgerService().Verify(ctx); err != nil {
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
			err = db.ledgerService().Verify(ctx)
			if err == nil {
				t.Fatal("verify passed an edited assessment")
			}
			if !strings.Contains(zhOf(err), "2026Q3 的考核") {
				t.Errorf("verify says %q", zhOf(err))
			}
		})
	}
}

// TestRemuneration_TrueUpWhenTheAssessmentFollowsTheMonths: the months are accrued at the
// base rate; recording the quarter's assessment afterwards posts the true-up (here a
// factor below 1, so a negative adjustment), the quarter's remuneration is then
// base × 15 % × factor, the assessment can no longer change, verify passes, and an
// edited true-up is named by verify.
func TestRemuneration_TrueUpWhenTheAssessmentFollowsTheMonths(t *testing.T) {
	db := feeBook(t) // Jan–Mar billed; now 2026-06-15
	r := db.remunerationService()
	c := app.RemunerationContract{Mode: app.RemunerationPercent, Percent: dec("15"), Base: app.BaseBilled, From: "2026-01", Bands: []app.ScoreBand{{MinScore: 90, Factor: dec("1")}, {MinScore: 60, Factor: dec("0.8")}, {MinScore: 0, Factor: dec("0.5")}}}
	if err := r.SetRemunerationContract(ctx, c, "tester", ""); err != nil {
		t.Fatal(err)
	}
	acc, err := r.AccrueRemuneration(ctx, "2026-01", "2026-03", "tester", "")
	if err != nil {
		t.Fatal(err)
	}
	if tus, _ := r.TrueUps(ctx); len(tus) != 0 {
		t.Fatalf("trued up before the assessment: %+v", tus)
	}
	st, err := r.RemunerationStatus(ctx)
	if err != nil || len(st.Quarters) != 1 || st.Quarters[0].TrueUp || st.Since != "2026-01" || st.AgeMonths != 5 {
		t.Fatalf("status before the assessment: %+v %v", st, err)
	}
	sum := acc[0].Amount.Add(acc[1].Amount).Add(acc[2].Amount)
	if !st.Owed.Equal(sum) {
		t.Errorf("owed %s, accrued %s", st.Owed, sum)
	}
	if err := r.RecordAssessment(ctx, app.Assessment{Quarter: "2026Q1", Scores: []app.AssessmentScore{{Item: "保洁", Weight: dec("1"), Score: dec("75")}}}, "tester", ""); err != nil {
		t.Fatal(err)
	}
	tus, _ := r.TrueUps(ctx)
	want := app.Round2(sum.Mul(dec("0.8")))
	if len(tus) != 1 || !tus[0].Due.Equal(want) || !tus[0].Amount.Equal(want.Sub(sum)) || tus[0].Entry == 0 || tus[0].Date != "2026-06-15" {
		t.Fatalf("true-up %+v, want due %s", tus, want)
	}
	st, _ = r.RemunerationStatus(ctx)
	if q := st.Quarters[0]; !q.TrueUp || !q.Due.Equal(want) || !q.Factor.Equal(dec("0.8")) || !st.Owed.Equal(want) {
		t.Errorf("status after the true-up: %+v", st)
	}
	if err := r.RecordAssessment(ctx, app.Assessment{Quarter: "2026Q1", Scores: []app.AssessmentScore{{Item: "保洁", Weight: dec("1"), Score: dec("95")}}}, "tester", ""); app.ErrorCode(err) != app.ECONFLICT {
		t.Errorf("changing an applied assessment: %v", err)
	}
	if err := db.ledgerService().Verify(ctx); err != nil {
		t.Fatal(err)
	}
	if err := db.update(func(tx *Tx) error {
		var x app.RemunerationTrueUp
		if _, err := tx.get(trueUpKey("2026Q1"), &x); err != nil {
			return err
		}
		x.Factor, x.Due, x.Amount = dec("1"), sum, decimal.Zero
		return tx.put(trueUpKey("2026Q1"), x)
	}); err != nil {
		t.Fatal(err)
	}
	if err := db.ledgerService().Verify(ctx); err == nil || !strings.Contains(zhOf(err), "2026Q1 的酬金考核调整") {
		t.Errorf("verify of an edited true-up: %v", err)
	}
}
