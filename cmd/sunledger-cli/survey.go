package main

import (
	"flag"
	"fmt"
	"strconv"
	"strings"

	"sunledger/app"
)

// Owner satisfaction surveys on paper and the computed assessment, docs/survey.md.

func init() {
	register("survey new", "--title T --quarter YYYYQn --question 问题:权重 ... [--scale 满意=5,基本满意=3,不满意=0|1-5] [--date YYYY-MM-DD]   "+app.T("创建满意度调查（冻结当前房号），输出编号", "create a satisfaction survey (freezes the units); prints its id"), surveyNew)
	register("survey enter", "--survey ID --entry A|B FILE [--replace]   "+app.T("录入一份纸质答卷转录（CSV/XLSX）", "enter one transcription of the answer sheets (CSV/XLSX)"), surveyEnter)
	register("survey diff", "--survey ID [--json]   "+app.T("录入A与录入B的全部差异", "every difference between entries A and B"), surveyDiff)
	register("survey resolve", "--survey ID --sheet NO [--from A|B] [--unit U] [--q N=ANSWER]... [--invalid REASON|--valid] [--note TEXT]   "+app.T("记录核对原卷的结果", "record the third look at a paper sheet"), surveyResolve)
	register("survey result", "--survey ID [--json] [--out FILE.pdf]   "+app.T("调查结果：各题得分、总分、参与率", "the result: score per question, total, participation"), surveyResult)
	register("survey list", "[--json]   "+app.T("所有调查", "all surveys"), surveyList)
	register("assessment compute", "--quarter YYYYQn [--survey ID] [--item 项目:权重:得分 ...] [--json]   "+app.T("季度结束后，按调查、服务时效、业主评价和委员会考核计算季度考核得分并记录", "once the quarter has ended, compute and record its score from the survey, the service standard, the owners' ratings and committee items"), assessmentCompute)
	register("assessment weights", "[--survey N --service N --ratings N --committee N --min-participation P --why TEXT] [--json]   "+app.T("查看或设置计算考核得分的权重和调查最低参与率", "show or set the weights of the computed score and the survey's minimum participation"), assessmentWeights)
	register("assessment override", "--quarter YYYYQn --score S --why TEXT   "+app.T("人工调整季度考核得分（须写明原因，记入审计日志）", "override a quarter's score by hand (needs a reason; audited)"), assessmentOverride)
}

func surveyNew(e *env, args []string) error {
	fs := newFlags("survey new")
	title := fs.String("title", "", "title")
	quarter := fs.String("quarter", "", "YYYYQn")
	scale := fs.String("scale", app.DefaultSurveyScale, "label=points,... or 1-5")
	date := fs.String("date", "", "YYYY-MM-DD")
	as := asFlag(fs)
	var qs stringList
	fs.Var(&qs, "question", "text:weight (repeatable)")
	if err := parseStrict(fs, args, "title", "quarter"); err != nil {
		return err
	}
	if len(qs) == 0 {
		return usageError("至少要有一个 --question 问题:权重", "at least one --question TEXT:WEIGHT is needed")
	}
	s := app.Survey{Title: *title, Quarter: *quarter, Date: *date}
	var err error
	if s.Scale, err = app.ParseSurveyScale(*scale); err != nil {
		return err
	}
	for i, q := range qs {
		sq, err := app.ParseSurveyQuestion(i+1, q)
		if err != nil {
			return err
		}
		s.Questions = append(s.Questions, sq)
	}
	svc, err := e.services()
	if err != nil {
		return err
	}
	if s, err = svc.Surveys.CreateSurvey(e.ctx, s, who(*as)); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, app.T("已创建调查（%s，%d 个问题，%d 户） %s\n", "created survey (%s, %d questions, %d units) %s\n"), s.Quarter, len(s.Questions), len(s.Units), s.ID)
	return nil
}

func surveyEnter(e *env, args []string) error {
	ea, err := parseEnter("survey enter", "survey", args)
	if err != nil {
		return err
	}
	svc, err := e.services()
	if err != nil {
		return err
	}
	rec, err := svc.Surveys.SurveyRecord(e.ctx, ea.id)
	if err != nil {
		return err
	}
	sheets, err := app.ParseSurveyRows(ea.rows, rec.Survey)
	if err != nil {
		return err
	}
	if err := svc.Surveys.EnterSheets(e.ctx, ea.id, ea.entry, sheets, ea.replace, ea.who); err != nil {
		return err
	}
	if rec, err = svc.Surveys.SurveyRecord(e.ctx, ea.id); err != nil {
		return err
	}
	entered(e, ea, len(sheets), len(rec.EntryA), len(rec.EntryB), [2]string{"份答卷", "sheets"})
	return nil
}

func surveyFlags(name string) (*flag.FlagSet, *string, *bool) {
	fs := newFlags(name)
	return fs, fs.String("survey", "", "survey id"), jsonFlag(fs)
}

func surveyDiff(e *env, args []string) error {
	fs, id, asJSON := surveyFlags("survey diff")
	svc, err := e.parseOpen(fs, args, "survey")
	if err != nil {
		return err
	}
	rec, err := svc.Surveys.SurveyRecord(e.ctx, *id)
	if err != nil {
		return err
	}
	_, diffs, unreconciled := app.SurveyEntry.Reconcile(rec.EntryA, rec.EntryB, resolvedSheets(rec))
	if *asJSON {
		if diffs == nil {
			diffs = []app.Difference{}
		}
		return printJSON(e.stdout, diffs)
	}
	label := func(f string) string {
		if n, ok := strings.CutPrefix(f, "q"); ok {
			return app.T("问题", "question ") + n
		}
		if f == "ballot_no" {
			return app.T("答卷编号（仅一方录入）", "sheet no (in one entry only)")
		}
		return fieldLabel(f)
	}
	if err := printDiffs(e, app.T("答卷", "sheet"), diffs, label, func(_, v string) string { return v }); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, app.T("录入A %d 份，录入B %d 份；%d 处差异，%d 份答卷尚未核对一致\n", "entry A %d, entry B %d sheets; %d differences, %d sheets not reconciled\n"),
		len(rec.EntryA), len(rec.EntryB), len(diffs), len(unreconciled))
	return nil
}

func resolvedSheets(rec app.SurveyRecord) []app.SurveySheet {
	out := make([]app.SurveySheet, len(rec.Resolutions))
	for i, r := range rec.Resolutions {
		out[i] = r.Sheet
	}
	return out
}

func surveyResolve(e *env, args []string) error {
	fs := newFlags("survey resolve")
	look := addThirdLook(fs, "survey", "sheet")
	var answers stringList
	fs.Var(&answers, "q", "N=ANSWER (repeatable)")
	if err := look.parse(fs, args); err != nil {
		return err
	}
	svc, err := e.services()
	if err != nil {
		return err
	}
	rec, err := svc.Surveys.SurveyRecord(e.ctx, *look.id)
	if err != nil {
		return err
	}
	sno := app.NormalizeBallotNo(*look.no)
	base, err := pickPaper(rec.EntryA, rec.EntryB, func(s app.SurveySheet) string { return s.No }, sno, *look.from, [2]string{"答卷编号", "sheet"})
	if err != nil {
		return err
	}
	s := rec.Survey
	base.Answers = append([]string(nil), base.Answers...)
	for _, kv := range answers {
		k, v, ok := strings.Cut(kv, "=")
		n, err := strconv.Atoi(strings.TrimPrefix(strings.TrimSpace(k), "q"))
		if !ok || err != nil {
			return usageError("--q 应写成 问题序号=回答，例如 --q 1=满意", "--q must be NO=ANSWER, e.g. --q 1=满意")
		}
		if n < 1 || n > len(s.Questions) {
			return app.Errorf(app.EINVALID, "本调查没有问题 %d（共 %d 个）；没有做任何更改", "the survey has no question %d (it has %d); nothing was changed", n, len(s.Questions))
		}
		l, ok := s.Answer(v)
		if !ok {
			return app.Errorf(app.EINVALID, "问题%d 的回答 %q 不在评分尺度上；没有做任何更改", "question %d: the answer %q is not on the scale; nothing was changed", n, v)
		}
		base.Answers[n-1] = l
	}
	state := look.apply(&base.Unit, &base.Invalid)
	if err := svc.Surveys.ResolveSheet(e.ctx, *look.id, app.SurveyResolution{Sheet: base, Note: *look.note}, who(*look.as)); err != nil {
		return err
	}
	parts := make([]string, len(base.Answers))
	for i, a := range base.Answers {
		parts[i] = fmt.Sprintf("%d:%s", i+1, show(a))
	}
	fmt.Fprintf(e.stdout, app.T("答卷 %s 已按原卷核定：房号 %s，%s，%s\n", "sheet %s resolved from the paper: unit %s, %s, %s\n"), sno, base.Unit, strings.Join(parts, " "), state)
	return nil
}

func surveyResult(e *env, args []string) error {
	fs, id, asJSON := surveyFlags("survey result")
	out := reportOut(fs)
	if err := parseStrict(fs, args, "survey"); err != nil {
		return err
	}
	if *out != "" {
		if err := report(e, []string{"survey", "--survey", *id, "--out", *out}); err != nil {
			return err
		}
		if !*asJSON {
			return nil
		}
	}
	svc, err := e.services()
	if err != nil {
		return err
	}
	rec, err := svc.Surveys.SurveyRecord(e.ctx, *id)
	if err != nil {
		return err
	}
	r := app.ScoreSurvey(rec)
	return e.printResult(*asJSON, r, func() error { return printSurveyResult(e, r) })
}

// printSurveyResult prints a survey's result as text: participation, each question's
// score and the weighted total.
func printSurveyResult(e *env, r app.SurveyResult) error {
	fmt.Fprintf(e.stdout, "%s %s（%s）\n", r.ID, r.Title, r.Quarter)
	fmt.Fprintf(e.stdout, app.T("调查 %d 户，有效答卷 %d 份，参与率 %s%%；无效 %d 份，重复 %d 户，尚未核对一致 %d 份\n", "%d units surveyed, %d sheets counted, participation %s%%; %d invalid, %d units with duplicates, %d not reconciled\n"),
		r.Surveyed, r.Returned, r.Participation.StringFixed(2), len(r.Invalid), len(r.Duplicates), len(r.Unreconciled))
	tw := newTable(e.stdout)
	fmt.Fprintln(tw, app.T("问题\t权重\t作答\t得分", "question\tweight\tanswered\tscore"))
	for _, q := range r.Questions {
		sc := "–"
		if q.HasScore {
			sc = q.Score.StringFixed(2)
		}
		fmt.Fprintf(tw, "%d %s\t%s\t%d\t%s\n", q.No, q.Text, q.Weight.String(), q.Answered, sc)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	total := "–"
	if r.HasTotal {
		total = r.Total.StringFixed(2)
	}
	fmt.Fprintf(e.stdout, app.T("加权总分 %s\n", "weighted total %s\n"), total)
	return nil
}

func surveyList(e *env, args []string) error {
	fs, _, asJSON := surveyFlags("survey list")
	svc, err := e.parseOpen(fs, args)
	if err != nil {
		return err
	}
	ss, err := svc.Surveys.Surveys(e.ctx)
	if err != nil {
		return err
	}
	type row struct {
		ID           string `json:"id"`
		Title        string `json:"title"`
		Quarter      string `json:"quarter"`
		Date         string `json:"date"`
		Questions    int    `json:"questions"`
		Surveyed     int    `json:"surveyed"`
		Returned     int    `json:"returned"`
		Unreconciled int    `json:"unreconciled"`
		Total        string `json:"total"`
	}
	rows := []row{}
	for _, s := range ss {
		rec, err := svc.Surveys.SurveyRecord(e.ctx, s.ID)
		if err != nil {
			return err
		}
		r := app.ScoreSurvey(rec)
		x := row{ID: s.ID, Title: s.Title, Quarter: s.Quarter, Date: s.Date, Questions: len(s.Questions), Surveyed: r.Surveyed, Returned: r.Returned, Unreconciled: len(r.Unreconciled)}
		if r.HasTotal {
			x.Total = r.Total.StringFixed(2)
		}
		rows = append(rows, x)
	}
	return e.printResult(*asJSON, rows, func() error {
		tw := newTable(e.stdout)
		fmt.Fprintln(tw, app.T("编号\t季度\t日期\t标题\t答卷\t未核对\t总分", "id\tquarter\tdate\ttitle\tsheets\tunreconciled\ttotal"))
		for _, x := range rows {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d/%d\t%d\t%s\n", x.ID, x.Quarter, x.Date, x.Title, x.Returned, x.Surveyed, x.Unreconciled, show(x.Total))
		}
		return tw.Flush()
	})
}
