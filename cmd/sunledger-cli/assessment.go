package main

import (
	"fmt"
	"strings"

	"github.com/shopspring/decimal"

	"sunledger/app"
)

// The computed quarterly assessment and its override (docs/survey.md); `assessment
// add` and `list` (below) keep recording and listing typed-in scores.

func init() {
	register("assessment add", "--quarter YYYYQn --item 项目:权重:得分 ... [--note N]   "+app.T("登记季度物业服务考核得分", "record a quarter's service-assessment scores"), assessmentAdd)
	register("assessment list", "[--json]   "+app.T("历次考核", "the assessments"), assessmentList)
}

func assessmentCompute(e *env, args []string) error {
	fs := newFlags("assessment compute")
	quarter := fs.String("quarter", "", "YYYYQn")
	surveyID := fs.String("survey", "", "survey id (default: the quarter's latest scored survey)")
	asJSON := jsonFlag(fs)
	as := asFlag(fs)
	var items stringList
	fs.Var(&items, "item", "item:weight:score (repeatable)")
	if err := parseStrict(fs, args, "quarter"); err != nil {
		return err
	}
	q, err := app.ParseQuarter(*quarter)
	if err != nil {
		return err
	}
	scores, err := app.ParseScores(items)
	if err != nil {
		return err
	}
	svc, err := e.services()
	if err != nil {
		return err
	}
	a, err := app.ComputeQuarter(e.ctx, svc, q, *surveyID, scores)
	if err != nil {
		return err
	}
	if err := svc.Remuneration.RecordAssessment(e.ctx, a, who(*as), "computed"); err != nil {
		return err
	}
	if *asJSON {
		return printJSON(e.stdout, struct {
			Quarter string               `json:"quarter"`
			Score   string               `json:"score"`
			Basis   *app.AssessmentBasis `json:"basis"`
		}{q, a.Total().StringFixed(2), a.Basis})
	}
	tw := newTable(e.stdout)
	fmt.Fprintln(tw, app.T("组成\t权重\t得分\t贡献\t来源", "component\tweight\tscore\tcontribution\tsource"))
	for _, c := range a.Basis.Components {
		sc, ct := "–", "–"
		if c.Present {
			sc, ct = c.Score.StringFixed(2), c.Contribution.StringFixed(2)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", c.Name, c.Weight.String(), sc, ct, c.Source)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	printTrueUp(e, svc, q)
	fmt.Fprintf(e.stdout, app.T("%s 考核综合得分 %s\n", "%s assessment: weighted score %s\n"), q, a.Total().StringFixed(2))
	return nil
}

// printTrueUp says whether recording quarter q's assessment trued its remuneration up
// (docs/remuneration.md), or that it will once every month is accrued.
func printTrueUp(e *env, svc app.Services, q string) {
	if svc.Remuneration == nil {
		return
	}
	if _, err := svc.Remuneration.RemunerationContract(e.ctx); err != nil {
		return
	}
	tus, err := svc.Remuneration.TrueUps(e.ctx)
	if err != nil {
		return
	}
	for _, t := range tus {
		if t.Quarter == q {
			fmt.Fprintf(e.stdout, app.T("%s 酬金按系数 %s 调整：%s × %s = %s，调整 %s（凭证 #%d）\n", "%s remuneration trued up by factor %s: %s × %s = %s, adjusted by %s (entry #%d)\n"),
				q, t.Factor.String(), app.PlainAmount(t.Accrued), t.Factor.String(), app.PlainAmount(t.Due), app.PlainAmount(t.Amount), t.Entry)
			return
		}
	}
	fmt.Fprintf(e.stdout, app.T("%s 各月酬金全部计提后，将按此得分的系数自动调整\n", "%s: once every month's remuneration is accrued, the quarter is trued up by this score's factor\n"), q)
}

func assessmentWeights(e *env, args []string) error {
	fs := newFlags("assessment weights")
	survey := fs.String("survey", "", "weight of the survey")
	service := fs.String("service", "", "weight of the service standard")
	ratings := fs.String("ratings", "", "weight of the owners' per-request ratings")
	committee := fs.String("committee", "", "weight of the committee items")
	minPart := fs.String("min-participation", "", "percent: a survey below it is unreliable and left out")
	why := fs.String("why", "", "reason")
	asJSON := jsonFlag(fs)
	as := asFlag(fs)
	svc, err := e.parseOpen(fs, args)
	if err != nil {
		return err
	}
	w, err := svc.Surveys.AssessmentWeights(e.ctx)
	if err != nil {
		return err
	}
	if *survey != "" || *service != "" || *ratings != "" || *committee != "" || *minPart != "" {
		if err := need("why", *why); err != nil {
			return err
		}
		for _, f := range []struct {
			v  string
			to *decimal.Decimal
		}{{*survey, &w.Survey}, {*service, &w.Service}, {*ratings, &w.Ratings}, {*committee, &w.Committee}, {*minPart, &w.MinParticipation}} {
			if f.v == "" {
				continue
			}
			d, err := app.ParseNumber(f.v)
			if err != nil {
				return err
			}
			*f.to = d
		}
		if err := svc.Surveys.SetAssessmentWeights(e.ctx, w, who(*as), *why); err != nil {
			return err
		}
	}
	return e.printResult(*asJSON, w, func() error {
		fmt.Fprintf(e.stdout, app.T("考核权重：满意度调查 %s，服务时效 %s，业主评价 %s，委员会考核 %s；调查最低参与率 %s%%\n", "assessment weights: survey %s, service %s, owners' ratings %s, committee %s; survey minimum participation %s%%\n"), w.Survey, w.Service, w.Ratings, w.Committee, w.MinParticipation)
		return nil
	})
}

func assessmentOverride(e *env, args []string) error {
	fs := newFlags("assessment override")
	quarter := fs.String("quarter", "", "YYYYQn")
	score := fs.String("score", "", "score 0-100")
	why := fs.String("why", "", "reason")
	as := asFlag(fs)
	if err := parseStrict(fs, args, "quarter", "score", "why"); err != nil {
		return err
	}
	q, err := app.ParseQuarter(*quarter)
	if err != nil {
		return err
	}
	s, err := app.ParseNumber(*score)
	if err != nil {
		return err
	}
	svc, err := e.services()
	if err != nil {
		return err
	}
	as2, err := svc.Remuneration.Assessments(e.ctx)
	if err != nil {
		return err
	}
	for _, a := range as2 {
		if a.Quarter != q {
			continue
		}
		before := a.Total()
		a.Override, a.OverrideWhy = &s, *why
		if err := svc.Remuneration.RecordAssessment(e.ctx, a, who(*as), "override "+before.StringFixed(2)+" → "+s.StringFixed(2)+": "+*why); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, app.T("%s 考核得分由 %s 人工调整为 %s（原因：%s）\n", "%s assessment overridden from %s to %s (reason: %s)\n"), q, before.StringFixed(2), s.StringFixed(2), *why)
		return nil
	}
	return app.Errorf(app.ENOTFOUND, "%s 还没有考核结果（先用 assessment compute 计算）；没有做任何更改", "%s has no assessment yet (compute it with assessment compute first); nothing was changed", q)
}

func assessmentAdd(e *env, args []string) error {
	fs := newFlags("assessment add")
	quarter := fs.String("quarter", "", "YYYYQn")
	note := fs.String("note", "", "note")
	as := asFlag(fs)
	var items stringList
	fs.Var(&items, "item", "item:weight:score (repeatable)")
	if err := parseStrict(fs, args, "quarter"); err != nil {
		return err
	}
	scores, err := app.ParseScores(items)
	if err != nil {
		return err
	}
	a := app.Assessment{Quarter: *quarter, Scores: scores, Note: *note}
	svc, err := e.services()
	if err != nil {
		return err
	}
	if err := svc.Remuneration.RecordAssessment(e.ctx, a, who(*as), *note); err != nil {
		return err
	}
	q, _ := app.ParseQuarter(*quarter)
	printTrueUp(e, svc, q)
	fmt.Fprintf(e.stdout, app.T("%s 考核综合得分 %s\n", "%s assessment: weighted score %s\n"), q, a.Total().StringFixed(2))
	return nil
}

func assessmentList(e *env, args []string) error {
	fs := newFlags("assessment list")
	asJSON := jsonFlag(fs)
	svc, err := e.parseOpen(fs, args)
	if err != nil {
		return err
	}
	as, err := svc.Remuneration.Assessments(e.ctx)
	if err != nil {
		return err
	}
	if *asJSON {
		type item struct {
			Item   string `json:"item"`
			Weight string `json:"weight"`
			Score  string `json:"score"`
		}
		type row struct {
			Quarter string `json:"quarter"`
			Score   string `json:"score"`
			Items   []item `json:"items"`
		}
		out := []row{}
		for _, a := range as {
			r := row{Quarter: a.Quarter, Score: a.Total().StringFixed(2)}
			for _, s := range a.Scores {
				r.Items = append(r.Items, item{s.Item, s.Weight.String(), s.Score.String()})
			}
			out = append(out, r)
		}
		return printJSON(e.stdout, out)
	}
	for _, a := range as {
		var parts []string
		for _, s := range a.Scores {
			parts = append(parts, fmt.Sprintf("%s(%s) %s", s.Item, s.Weight.String(), s.Score.String()))
		}
		fmt.Fprintf(e.stdout, "%s  %s  %s\n", a.Quarter, a.Total().StringFixed(2), strings.Join(parts, app.T("，", ", ")))
	}
	return nil
}
