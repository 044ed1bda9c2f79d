package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strconv"

	"sunledger/app"
)

var demoSurveyQuestions = [][2]string{{"保洁与环境卫生:25", "Cleaning and hygiene:25"}, {"秩序维护与安全:25", "Order and safety:25"},
	{"设施设备维修:20", "Repairs of the facilities:20"}, {"绿化养护:10", "Green areas:10"}, {"客服与报修响应:20", "Customer service and response:20"}}

// demoSurveys runs two paper surveys, half a year and a quarter before the last month,
// the second better received than the first (the committee acted on the first). About
// seven units in ten return a sheet; entry B has a few keying slips and misses a sheet,
// and the third look settled all but one of them. Its own random stream from the seed.
func demoSurveys(ctx context.Context, s app.Services, d *builder) error {
	if s.Surveys == nil || d.Opts.Years <= 0 || len(d.Units) == 0 {
		return nil
	}
	r := rand.New(rand.NewPCG(uint64(d.Opts.Seed), 0x5e7e75))
	_, last, _ := demoPeriod(d)
	scale, _ := app.ParseSurveyScale(app.T(app.DefaultSurveyScale, "very satisfied=5,satisfied=4,neutral=3,dissatisfied=2,very dissatisfied=1"))
	for i, back := range []int{6, 3} {
		month := app.AddMonths(last, -back)
		at := demoAt(ctx, app.LastDay(month), 10)
		sv, err := demoSurvey(at, s, month, scale)
		if err != nil {
			return err
		}
		a := demoSurveySheets(r, sv, scale, 55+25*i) // percent of answers 非常满意/满意
		if len(a) == 0 {
			continue
		}
		b, slips := demoSurveyEntryB(r, a, scale)
		if err := demoEnterSurvey(at, s, sv.ID, a, b, slips, i == 1); err != nil {
			return err
		}
	}
	return nil
}

// demoSurvey creates the survey of month's quarter at the end of month, with the
// demo's questions and scale.
func demoSurvey(at context.Context, s app.Services, month string, scale []app.ScalePoint) (app.Survey, error) {
	q := app.QuarterOf(month)
	sv := app.Survey{Title: app.T(q[:4]+" 年第 "+q[5:]+" 季度业主满意度调查", q+" owner satisfaction survey"), Quarter: q, Date: app.LastDay(month), Scale: scale}
	for n, text := range demoSurveyQuestions {
		qq, err := app.ParseSurveyQuestion(n+1, app.T(text[0], text[1]))
		if err != nil {
			return sv, err
		}
		sv.Questions = append(sv.Questions, qq)
	}
	return s.Surveys.CreateSurvey(at, sv, "demo")
}

// demoSurveySheets are the sheets returned, as entry A keys them: about seven units in
// ten answer, good percent of the answers satisfied or better, a few left blank, and
// a sheet in fifty unsigned.
func demoSurveySheets(r *rand.Rand, sv app.Survey, scale []app.ScalePoint, good int) []app.SurveySheet {
	var a []app.SurveySheet
	for _, u := range sv.Units {
		if r.IntN(100) >= 70 {
			continue
		}
		sh := app.SurveySheet{No: strconv.Itoa(len(a) + 1), Unit: u, Answers: make([]string, len(sv.Questions))}
		for k := range sh.Answers {
			switch x := r.IntN(100); {
			case x < 4:
				// left blank
			case x < good:
				sh.Answers[k] = scale[r.IntN(2)].Label
			case x < good+(100-good)/2:
				sh.Answers[k] = scale[2].Label
			default:
				sh.Answers[k] = scale[3+r.IntN(2)].Label
			}
		}
		if r.IntN(100) < 2 {
			sh.Invalid = "unsigned"
		}
		a = append(a, sh)
	}
	return a
}

// demoSurveyEntryB is entry B of sheets a: up to three keying slips (each a sheet of A
// with one answer changed; slips lists the sheets as A has them) and, in a file of
// more than three sheets, the last sheet missed.
func demoSurveyEntryB(r *rand.Rand, a []app.SurveySheet, scale []app.ScalePoint) (b, slips []app.SurveySheet) {
	b = make([]app.SurveySheet, len(a))
	copy(b, a)
	for k := 0; k < 3 && len(b) > 3; k++ {
		j := r.IntN(len(b) - 1)
		x := b[j]
		x.Answers = append([]string(nil), x.Answers...)
		m := r.IntN(len(x.Answers))
		if x.Answers[m] == scale[0].Label {
			x.Answers[m] = scale[1].Label
		} else {
			x.Answers[m] = scale[0].Label
		}
		b[j] = x
		slips = append(slips, a[j])
	}
	if len(b) > 3 {
		b = b[:len(b)-1] // B missed the last sheet
	}
	return b, slips
}

// demoEnterSurvey enters both entries of a survey and records the third look at the
// papers: every slip settled as A has it (for the newer survey, all but the last one)
// and the sheet B missed.
func demoEnterSurvey(at context.Context, s app.Services, id string, a, b, slips []app.SurveySheet, newer bool) error {
	if err := s.Surveys.EnterSheets(at, id, app.EntryA, a, false, "录入员 陈晓明"); err != nil {
		return err
	}
	if err := s.Surveys.EnterSheets(at, id, app.EntryB, b, false, "录入员 刘婷"); err != nil {
		return err
	}
	for k, x := range slips {
		if k == len(slips)-1 && newer {
			break // one slip of the newer survey still awaits the third look
		}
		if err := s.Surveys.ResolveSheet(at, id, app.SurveyResolution{Sheet: x, Note: "核对原卷，以录入A为准"}, "demo"); err != nil {
			return err
		}
	}
	if len(b) < len(a) {
		if err := s.Surveys.ResolveSheet(at, id, app.SurveyResolution{Sheet: a[len(a)-1], Note: "录入B漏录，核对原卷"}, "demo"); err != nil {
			return err
		}
	}
	return nil
}

// demoAssessQuarter records quarter q's assessment computed from its survey (if any),
// the service requests of the quarter under the standard and the committee's items.
func demoAssessQuarter(ctx context.Context, s app.Services, q string, items []app.AssessmentScore) error {
	a, err := app.ComputeQuarter(ctx, s, q, "", items)
	if err != nil {
		return err
	}
	a.Note = "按满意度调查、服务时效和业委会考核计算"
	return s.Remuneration.RecordAssessment(ctx, a, "demo", fmt.Sprintf("demo: computed %s", a.Total().StringFixed(2)))
}
