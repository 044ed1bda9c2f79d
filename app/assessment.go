package app

import (
	"context"
	"strings"

	"github.com/shopspring/decimal"
)

// The computed quarterly assessment (docs/survey.md): the survey score, the share of
// service steps done within the response standard and the committee's own items, each
// scaled to 100, weighted by a setting. A component without data (no survey that
// quarter, nothing due) is left out and the others' weights carry the score.

// Component names of a computed assessment, as Assessment.Scores items name them.
const (
	ComponentSurvey    = "满意度调查"
	ComponentService   = "服务时效"
	ComponentCommittee = "委员会考核"
)

// AssessmentWeights are the weights of the three components (any positive numbers or
// zero; their sum is the denominator).
type AssessmentWeights struct {
	Survey    decimal.Decimal `json:"survey"`
	Service   decimal.Decimal `json:"service"`
	Committee decimal.Decimal `json:"committee"`
}

// DefaultAssessmentWeights: survey 40 %, service 40 %, committee 20 %.
func DefaultAssessmentWeights() AssessmentWeights {
	return AssessmentWeights{Survey: decimal.NewFromInt(40), Service: decimal.NewFromInt(40), Committee: decimal.NewFromInt(20)}
}

// Validate checks the weights: none negative, not all zero.
func (w AssessmentWeights) Validate() error {
	if w.Survey.IsNegative() || w.Service.IsNegative() || w.Committee.IsNegative() {
		return Errorf(EINVALID, "考核权重不能为负；没有做任何更改", "an assessment weight cannot be negative; nothing was changed")
	}
	if w.Survey.Add(w.Service).Add(w.Committee).IsZero() {
		return Errorf(EINVALID, "考核权重不能全为 0；没有做任何更改", "the assessment weights cannot all be 0; nothing was changed")
	}
	return nil
}

// AssessmentComponent is one component of a computed score: its weight, its score out
// of 100, its contribution to the total (weight × score / Σ weights of the components
// present, to 0.01) and where the score came from.
type AssessmentComponent struct {
	Name         string          `json:"name"`
	Weight       decimal.Decimal `json:"weight"`
	Present      bool            `json:"present"`
	Score        decimal.Decimal `json:"score"`
	Contribution decimal.Decimal `json:"contribution"`
	Source       string          `json:"source"`
}

// AssessmentBasis is how a computed assessment was computed.
type AssessmentBasis struct {
	Weights    AssessmentWeights     `json:"weights"`
	Components []AssessmentComponent `json:"components"`
	Items      []AssessmentScore     `json:"committee_items,omitempty"`
	Computed   decimal.Decimal       `json:"computed"`
}

// ServiceShare is the share of service steps done within the standard among those due
// in the statistics, as a score out of 100 (2 decimals); ok is false when nothing was due.
func ServiceShare(st ServiceStats) (score decimal.Decimal, due, within int, ok bool) {
	for _, s := range st.Steps {
		due += s.Due
		within += s.Within
	}
	if due == 0 {
		return decimal.Zero, 0, 0, false
	}
	return decimal.NewFromInt(int64(within)*100).DivRound(decimal.NewFromInt(int64(due)), 2), due, within, true
}

// ComputeAssessment computes quarter q's assessment from the survey result (nil: none),
// the service statistics of the quarter (nil: none) and the committee's items (may be
// empty). Scores holds the components present, so Total is the weighted score.
func ComputeAssessment(q string, w AssessmentWeights, survey *SurveyResult, svc *ServiceStats, items []AssessmentScore) (Assessment, error) {
	q, err := ParseQuarter(q)
	if err != nil {
		return Assessment{}, err
	}
	if err := w.Validate(); err != nil {
		return Assessment{}, err
	}
	if len(items) > 0 {
		if err := (Assessment{Quarter: q, Scores: items}).Validate(); err != nil {
			return Assessment{}, err
		}
	}
	b := &AssessmentBasis{Weights: w, Items: items}
	add := func(name string, wt decimal.Decimal, present bool, score decimal.Decimal, src string) {
		b.Components = append(b.Components, AssessmentComponent{Name: name, Weight: wt, Present: present && wt.IsPositive(), Score: score, Source: src})
	}
	if survey != nil && survey.HasTotal {
		add(ComponentSurvey, w.Survey, true, survey.Total, T("调查 ", "survey ")+survey.ID+" "+survey.Title)
	} else {
		add(ComponentSurvey, w.Survey, false, decimal.Zero, T("本季度没有已计分的调查", "no scored survey this quarter"))
	}
	if svc != nil {
		sc, due, within, ok := ServiceShare(*svc)
		add(ComponentService, w.Service, ok, sc, T("按时完成 ", "on time ")+itoa(within)+" / "+itoa(due)+T(" 个环节", " steps"))
	} else {
		add(ComponentService, w.Service, false, decimal.Zero, T("没有服务统计", "no service statistics"))
	}
	if len(items) > 0 {
		ca := Assessment{Scores: items}
		var parts []string
		for _, it := range items {
			parts = append(parts, it.Item+"("+it.Weight.String()+") "+it.Score.String())
		}
		add(ComponentCommittee, w.Committee, true, ca.Total(), strings.Join(parts, T("，", ", ")))
	} else {
		add(ComponentCommittee, w.Committee, false, decimal.Zero, T("没有委员会考核项目", "no committee items"))
	}
	a := Assessment{Quarter: q, Basis: b}
	sum := decimal.Zero
	for _, c := range b.Components {
		if c.Present {
			sum = sum.Add(c.Weight)
			a.Scores = append(a.Scores, AssessmentScore{Item: c.Name, Weight: c.Weight, Score: c.Score})
		}
	}
	if len(a.Scores) == 0 {
		return Assessment{}, Errorf(EINVALID, "%s 没有可计算的考核数据（没有调查结果、到期的服务环节或委员会考核项目）；没有记录考核", "%s has nothing to compute from (no survey result, no service step due, no committee item); no assessment was recorded", q)
	}
	for i := range b.Components {
		c := &b.Components[i]
		if c.Present {
			c.Contribution = c.Weight.Mul(c.Score).DivRound(sum, 2)
		}
	}
	b.Computed = a.Total()
	return a, nil
}

// ComputeQuarter gathers quarter q's figures from the book and computes its assessment
// (not recorded): the survey surveyID, or with "" the quarter's latest survey that has a
// total; the service statistics of the quarter; the committee's items; the weights set.
func ComputeQuarter(ctx context.Context, s Services, q, surveyID string, items []AssessmentScore) (Assessment, error) {
	q, err := ParseQuarter(q)
	if err != nil {
		return Assessment{}, err
	}
	w := DefaultAssessmentWeights()
	var sr *SurveyResult
	if s.Surveys != nil {
		if w, err = s.Surveys.AssessmentWeights(ctx); err != nil {
			return Assessment{}, err
		}
		ss, err := s.Surveys.Surveys(ctx)
		if err != nil {
			return Assessment{}, err
		}
		for _, sv := range ss {
			if (surveyID != "" && sv.ID != surveyID) || (surveyID == "" && sv.Quarter != q) {
				continue
			}
			rec, err := s.Surveys.SurveyRecord(ctx, sv.ID)
			if err != nil {
				return Assessment{}, err
			}
			if r := ScoreSurvey(rec); r.HasTotal || surveyID != "" {
				sr = &r
			}
		}
	}
	if surveyID != "" && sr == nil {
		return Assessment{}, Errorf(ENOTFOUND, "没有编号为 %s 的调查（survey list 列出所有调查）；没有记录考核", "there is no survey %s (survey list shows them); no assessment was recorded", surveyID)
	}
	var st *ServiceStats
	if s.Service != nil {
		x, err := s.Service.ServiceStats(ctx, q)
		if err != nil {
			return Assessment{}, err
		}
		st = &x
	}
	return ComputeAssessment(q, w, sr, st, items)
}
