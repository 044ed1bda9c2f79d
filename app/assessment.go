package app

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// The computed quarterly assessment (docs/survey.md): the survey score, the share of
// service steps done within the response standard, the owners' ratings of their
// requests and the committee's own items, each scaled to 100, weighted by a setting. A component without data (no survey that
// quarter, nothing due) is left out and the others' weights carry the score.

// Component names of a computed assessment, as Assessment.Scores items name them.
const (
	ComponentSurvey    = "满意度调查"
	ComponentService   = "服务时效"
	ComponentRatings   = "业主评价"
	ComponentCommittee = "委员会考核"
)

// AssessmentWeights are the weights of the four components (any positive numbers or
// zero; their sum over the components present is the denominator), and the survey's
// minimum participation (percent): a survey below it is marked unreliable and left out.
// Stored weights from before the ratings component and the minimum read these two
// from DefaultAssessmentWeights.
type AssessmentWeights struct {
	Survey           decimal.Decimal `json:"survey"`
	Service          decimal.Decimal `json:"service"`
	Ratings          decimal.Decimal `json:"ratings"`
	Committee        decimal.Decimal `json:"committee"`
	MinParticipation decimal.Decimal `json:"min_participation"`
}

// DefaultAssessmentWeights: survey 40, service 40, owners' ratings 20, committee 20;
// a survey counts from 30 % participation.
func DefaultAssessmentWeights() AssessmentWeights {
	return AssessmentWeights{Survey: decimal.NewFromInt(40), Service: decimal.NewFromInt(40), Ratings: decimal.NewFromInt(20),
		Committee: decimal.NewFromInt(20), MinParticipation: decimal.NewFromInt(30)}
}

// Validate checks the weights: none negative, not all zero, the minimum participation
// 0–100.
func (w AssessmentWeights) Validate() error {
	if w.Survey.IsNegative() || w.Service.IsNegative() || w.Ratings.IsNegative() || w.Committee.IsNegative() {
		return Errorf(EINVALID, "考核权重不能为负；没有做任何更改", "an assessment weight cannot be negative; nothing was changed")
	}
	if w.Survey.Add(w.Service).Add(w.Ratings).Add(w.Committee).IsZero() {
		return Errorf(EINVALID, "考核权重不能全为 0；没有做任何更改", "the assessment weights cannot all be 0; nothing was changed")
	}
	if w.MinParticipation.IsNegative() || w.MinParticipation.GreaterThan(decimal.NewFromInt(100)) {
		return Errorf(EINVALID, "调查最低参与率应在 0 到 100 之间；没有做任何更改", "the survey's minimum participation must be between 0 and 100; nothing was changed")
	}
	return nil
}

// QuarterEnd is the first moment (local time) after quarter q (YYYYQn).
func QuarterEnd(q string) (time.Time, error) {
	q, err := ParseQuarter(q)
	if err != nil {
		return time.Time{}, err
	}
	y, _ := ParseYear(q[:4])
	n := int(q[5] - '0')
	return time.Date(y, time.Month(3*n+1), 1, 0, 0, 0, 0, time.Local), nil
}

// CheckQuarterEnded refuses (EINVALID) an assessment of a quarter that has not ended at
// now: a score made mid-quarter, or for a quarter not begun, would be frozen on
// incomplete figures.
func CheckQuarterEnded(q string, now time.Time) error {
	end, err := QuarterEnd(q)
	if err != nil {
		return err
	}
	if now.Before(end) {
		return Errorf(EINVALID, "%s 还没有结束：季度考核要在季度结束后（%s 起）才能计算和登记；没有记录考核", "%s has not ended: a quarter's assessment can be computed and recorded only after it (from %s); no assessment was recorded", q, end.Format(DateLayout))
	}
	return nil
}

// RatingsScore is the owners' per-request ratings of the statistics as a score out of
// 100 (2 decimals): the mean rating on 1–5 mapped so that 1 is 0 and 5 is 100
// (25 × (mean − 1)); ok is false when nobody rated.
func RatingsScore(st ServiceStats) (decimal.Decimal, bool) {
	if st.Rated == 0 {
		return decimal.Zero, false
	}
	return decimal.NewFromInt(int64(st.RatingSum-st.Rated)*25).DivRound(decimal.NewFromInt(int64(st.Rated)), 2), true
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
	// Unreliable marks a survey below the minimum participation: its score is shown but
	// left out.
	Unreliable bool `json:"unreliable,omitempty"`
}

// AssessmentBasis is how a computed assessment was computed.
type AssessmentBasis struct {
	Weights    AssessmentWeights     `json:"weights"`
	Components []AssessmentComponent `json:"components"`
	Items      []AssessmentScore     `json:"committee_items,omitempty"`
	Computed   decimal.Decimal       `json:"computed"`
	// Inputs are the figures it was computed from (nil in one recorded before they
	// were kept).
	Inputs *AssessmentInputs `json:"inputs,omitempty"`
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

// AssessmentInputs are the figures a computed assessment was computed from, recorded
// with it so that verify can compute it again (docs/survey.md): the survey's identity,
// participation and total (nil: none that quarter), the service steps due and done
// within the standard and the owners' ratings (nil: no statistics), the committee's
// items being in AssessmentBasis.Items.
type AssessmentInputs struct {
	Survey  *AssessmentSurveyInput  `json:"survey,omitempty"`
	Service *AssessmentServiceInput `json:"service,omitempty"`
}

// AssessmentSurveyInput is what the assessment uses of a survey result.
type AssessmentSurveyInput struct {
	ID            string          `json:"id"`
	Title         string          `json:"title"`
	Participation decimal.Decimal `json:"participation"`
	Total         decimal.Decimal `json:"total"`
}

// AssessmentServiceInput is what the assessment uses of a quarter's service statistics.
type AssessmentServiceInput struct {
	Due       int `json:"due"`
	Within    int `json:"within"`
	Rated     int `json:"rated"`
	RatingSum int `json:"rating_sum"`
}

// InputsOf takes the assessment's inputs from a survey result (nil: none) and service
// statistics (nil: none). A survey without a total counts as none.
func InputsOf(survey *SurveyResult, svc *ServiceStats) AssessmentInputs {
	var in AssessmentInputs
	if survey != nil && survey.HasTotal {
		in.Survey = &AssessmentSurveyInput{ID: survey.ID, Title: survey.Title, Participation: survey.Participation, Total: survey.Total}
	}
	if svc != nil {
		_, due, within, _ := ServiceShare(*svc)
		in.Service = &AssessmentServiceInput{Due: due, Within: within, Rated: svc.Rated, RatingSum: svc.RatingSum}
	}
	return in
}

// ComputeAssessment computes quarter q's assessment from the survey result (nil: none),
// the service statistics of the quarter (nil: none) and the committee's items (may be
// empty). Scores holds the components present, so Total is the weighted score.
func ComputeAssessment(q string, w AssessmentWeights, survey *SurveyResult, svc *ServiceStats, items []AssessmentScore) (Assessment, error) {
	return ComputeFromInputs(q, w, InputsOf(survey, svc), items)
}

// ComputeFromInputs computes quarter q's assessment from its recorded inputs; the
// result's Basis holds them, so Recompute gives the same assessment again.
func ComputeFromInputs(q string, w AssessmentWeights, in AssessmentInputs, items []AssessmentScore) (Assessment, error) {
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
	inputs := in
	b := &AssessmentBasis{Weights: w, Items: items, Inputs: &inputs}
	add := func(name string, wt decimal.Decimal, present bool, score decimal.Decimal, src string) {
		b.Components = append(b.Components, AssessmentComponent{Name: name, Weight: wt, Present: present && wt.IsPositive(), Score: score, Source: src})
	}
	if sv := in.Survey; sv != nil {
		src := T("调查 ", "survey ") + sv.ID + " " + sv.Title + T("，参与率 ", ", participation ") + sv.Participation.StringFixed(2) + "%"
		if sv.Participation.LessThan(w.MinParticipation) {
			add(ComponentSurvey, w.Survey, false, sv.Total, src+T("，低于最低参与率 ", ", below the minimum ")+w.MinParticipation.String()+T("%：不可靠，未计入", "%: unreliable, left out"))
			b.Components[len(b.Components)-1].Unreliable = true
		} else {
			add(ComponentSurvey, w.Survey, true, sv.Total, src)
		}
	} else {
		add(ComponentSurvey, w.Survey, false, decimal.Zero, T("本季度没有已计分的调查", "no scored survey this quarter"))
	}
	if sv := in.Service; sv != nil {
		st := ServiceStats{Steps: map[ServiceStep]StepStats{"": {Due: sv.Due, Within: sv.Within}}, Rated: sv.Rated, RatingSum: sv.RatingSum}
		sc, due, within, ok := ServiceShare(st)
		add(ComponentService, w.Service, ok, sc, T("按时完成 ", "on time ")+itoa(within)+" / "+itoa(due)+T(" 个环节", " steps"))
		rs, rok := RatingsScore(st)
		add(ComponentRatings, w.Ratings, rok, rs, itoa(sv.Rated)+T(" 件请求的业主评价，平均 ", " requests rated by their owners, mean ")+st.AverageRating()+T(" 分（1 分为 0，5 分为 100）", " (1 is 0, 5 is 100)"))
	} else {
		add(ComponentService, w.Service, false, decimal.Zero, T("没有服务统计", "no service statistics"))
		add(ComponentRatings, w.Ratings, false, decimal.Zero, T("没有服务统计", "no service statistics"))
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

// CheckRecomputed computes a recorded assessment again from the inputs it was recorded
// with and reports the first difference (nil when they agree, or when it was typed by
// hand or recorded before its inputs were kept): its items and their scores, its
// components, the computed total and, without an override, the score. verify calls it
// for every assessment.
func (a Assessment) CheckRecomputed() error {
	if a.Basis == nil || a.Basis.Inputs == nil {
		return nil
	}
	r, err := ComputeFromInputs(a.Quarter, a.Basis.Weights, *a.Basis.Inputs, a.Basis.Items)
	if err != nil {
		e := Internal(err)
		return &Error{Code: EINVALID, ZH: a.Quarter + " 的考核无法按记录的输入重新计算：" + e.ZH, EN: "the " + a.Quarter + " assessment cannot be computed again from its recorded inputs: " + e.EN}
	}
	bad := func(zh, en, was, is string) error {
		return &Error{Code: EINVALID,
			ZH: fmt.Sprintf("%s 的考核与按记录的输入重新计算的结果不符：%s 记录为 %s，重新计算为 %s", a.Quarter, zh, was, is),
			EN: fmt.Sprintf("the %s assessment does not match its recomputation from its recorded inputs: %s is recorded as %s, recomputed %s", a.Quarter, en, was, is)}
	}
	if len(r.Scores) != len(a.Scores) {
		return bad("考核项目数", "the number of items", itoa(len(a.Scores)), itoa(len(r.Scores)))
	}
	for i, x := range r.Scores {
		y := a.Scores[i]
		if x.Item != y.Item || !x.Weight.Equal(y.Weight) || !x.Score.Equal(y.Score) {
			return bad("考核项目 "+y.Item, "item "+y.Item, y.Weight.String()+"×"+y.Score.String(), x.Item+" "+x.Weight.String()+"×"+x.Score.String())
		}
	}
	if len(r.Basis.Components) != len(a.Basis.Components) {
		return bad("组成部分数", "the number of components", itoa(len(a.Basis.Components)), itoa(len(r.Basis.Components)))
	}
	for i, x := range r.Basis.Components {
		y := a.Basis.Components[i]
		if x.Name != y.Name || x.Present != y.Present || x.Unreliable != y.Unreliable || !x.Weight.Equal(y.Weight) || !x.Score.Equal(y.Score) || !x.Contribution.Equal(y.Contribution) {
			return bad("组成部分 "+y.Name, "component "+y.Name, y.Score.String()+"/"+y.Contribution.String(), x.Score.String()+"/"+x.Contribution.String())
		}
	}
	if !r.Basis.Computed.Equal(a.Basis.Computed) {
		return bad("计算得分", "the computed score", a.Basis.Computed.StringFixed(2), r.Basis.Computed.StringFixed(2))
	}
	if a.Override == nil && !a.Total().Equal(r.Total()) {
		return bad("得分", "the score", a.Total().StringFixed(2), r.Total().StringFixed(2))
	}
	return nil
}

// ComputeQuarter gathers quarter q's figures from the book and computes its assessment
// (not recorded): the survey surveyID, or with "" the quarter's latest survey that has a
// total; the service statistics of the quarter; the committee's items; the weights set.
func ComputeQuarter(ctx context.Context, s Services, q, surveyID string, items []AssessmentScore) (Assessment, error) {
	q, err := ParseQuarter(q)
	if err != nil {
		return Assessment{}, err
	}
	if s.Now != nil {
		if err := CheckQuarterEnded(q, s.Now()); err != nil {
			return Assessment{}, err
		}
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
