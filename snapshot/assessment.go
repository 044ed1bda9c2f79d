package snapshot

import (
	"context"

	"github.com/shopspring/decimal"

	"sunledger/app"
)

// AssessmentsFile is assessments.json in a snapshot: each quarter's service assessment
// as published (docs/survey.md, docs/remuneration.md) — the score, its parts, the
// inputs it was computed from (so anyone can compute it again), an override with its
// reason — and the quarter's remuneration: the months at the base rate and, once trued
// up, the factor and what the quarter came to.
type AssessmentsFile struct {
	Quarters []AssessmentsFileQuarter `json:"quarters"`
}

// AssessmentsFileQuarter is one quarter.
type AssessmentsFileQuarter struct {
	Quarter     string                 `json:"quarter"`
	Score       string                 `json:"score"`
	Computed    string                 `json:"computed,omitempty"`
	Override    string                 `json:"override_why,omitempty"`
	Recorded    string                 `json:"recorded"` // YYYY-MM-DD
	Weights     *app.AssessmentWeights `json:"weights,omitempty"`
	Parts       []AssessmentsFilePart  `json:"parts"`
	Inputs      *app.AssessmentInputs  `json:"inputs,omitempty"`
	Items       []app.AssessmentScore  `json:"committee_items,omitempty"`
	Accrued     string                 `json:"accrued,omitempty"` // the months at the base rate
	Factor      string                 `json:"factor,omitempty"`
	Due         string                 `json:"due,omitempty"` // accrued × factor, once trued up
	TrueUpEntry int64                  `json:"trueup_entry,omitempty"`
}

// AssessmentsFilePart is one part of a score.
type AssessmentsFilePart struct {
	Name         string `json:"name"`
	Weight       string `json:"weight"`
	Present      bool   `json:"present"`
	Unreliable   bool   `json:"unreliable,omitempty"`
	Score        string `json:"score"`
	Contribution string `json:"contribution,omitempty"`
}

// snapAssessments writes assessments.json. A true-up posted after the snapshot's head is
// left out (the quarter shows its months at the base rate).
func snapAssessments(ctx context.Context, z *snapWriter) error {
	out := AssessmentsFile{Quarters: []AssessmentsFileQuarter{}}
	if z.s.Remuneration == nil {
		return z.json("assessments.json", out)
	}
	as, err := z.s.Remuneration.Assessments(ctx)
	if err != nil {
		return err
	}
	acc, err := z.s.Remuneration.Accruals(ctx)
	if err != nil {
		return err
	}
	tus, err := z.s.Remuneration.TrueUps(ctx)
	if err != nil {
		return err
	}
	for _, a := range as {
		q := AssessmentsFileQuarter{Quarter: a.Quarter, Score: a.Total().StringFixed(2), Recorded: a.At.Local().Format(app.DateLayout), Parts: []AssessmentsFilePart{}}
		if a.Override != nil {
			q.Override = a.OverrideWhy
		}
		if b := a.Basis; b != nil {
			q.Computed, q.Weights, q.Inputs, q.Items = b.Computed.StringFixed(2), &b.Weights, b.Inputs, b.Items
			for _, c := range b.Components {
				p := AssessmentsFilePart{Name: c.Name, Weight: c.Weight.String(), Present: c.Present, Unreliable: c.Unreliable, Score: c.Score.StringFixed(2)}
				if c.Present {
					p.Contribution = c.Contribution.StringFixed(2)
				}
				q.Parts = append(q.Parts, p)
			}
		} else {
			for _, s := range a.Scores {
				q.Parts = append(q.Parts, AssessmentsFilePart{Name: s.Item, Weight: s.Weight.String(), Present: true, Score: s.Score.StringFixed(2)})
			}
		}
		accrued, any := decimal.Zero, false
		for _, x := range acc {
			if app.QuarterOf(x.Month) == a.Quarter && (z.manifest.Entries == 0 || x.Entry <= z.manifest.Entries) {
				accrued, any = accrued.Add(x.Amount), true
			}
		}
		if any {
			q.Accrued = amt(accrued)
		}
		for _, t := range tus {
			if t.Quarter == a.Quarter && (z.manifest.Entries == 0 || t.Entry <= z.manifest.Entries) {
				q.Factor, q.Due, q.TrueUpEntry = t.Factor.String(), amt(t.Due), t.Entry
			}
		}
		out.Quarters = append(out.Quarters, q)
	}
	return z.json("assessments.json", out)
}
