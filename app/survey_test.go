package app

import (
	"testing"

	"github.com/shopspring/decimal"
)

func testSurvey(t *testing.T, scale string, weights ...string) Survey {
	t.Helper()
	sc, err := ParseSurveyScale(scale)
	if err != nil {
		t.Fatal(err)
	}
	s := Survey{ID: "Q0001", Title: "t", Quarter: "2026Q3", Scale: sc, Units: []string{"1-101", "1-102", "1-103", "1-104"}}
	for i, w := range weights {
		q, err := ParseSurveyQuestion(i+1, "问题:"+w)
		if err != nil {
			t.Fatal(err)
		}
		s.Questions = append(s.Questions, q)
	}
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	return s
}

// Two-person keying is one function for ballots and survey sheets: the same keying slips
// give the same differences and reconciliation for both kinds of paper.
func TestTwoPersonKeyingReconcilesBallotsAndSheetsAlike(t *testing.T) {
	matters := []Matter{{No: 1, Title: "x", Kind: MatterOrdinary}}
	ballot := func(no, unit string, c Choice) Ballot { return Ballot{No: no, Unit: unit, Choices: []Choice{c}} }
	sheet := func(no, unit, a string) SurveySheet { return SurveySheet{No: no, Unit: unit, Answers: []string{a}} }
	type kase struct {
		name       string
		a, b, res  [3]string // no, unit, answer ("" ignores)
		wantFields []string
		wantFinal  int
	}
	for _, c := range []kase{
		{"agreeing entries reconcile", [3]string{"1", "1-101", "x"}, [3]string{"1", "1-101", "x"}, [3]string{}, nil, 1},
		{"an answer keyed differently is not counted", [3]string{"1", "1-101", "x"}, [3]string{"1", "1-101", "y"}, [3]string{}, []string{"1"}, 0},
		{"a unit keyed differently", [3]string{"1", "1-101", "x"}, [3]string{"1", "1-102", "x"}, [3]string{}, []string{"unit"}, 0},
		{"the third look reconciles", [3]string{"1", "1-101", "x"}, [3]string{"1", "1-101", "y"}, [3]string{"1", "1-101", "y"}, []string{"1"}, 1},
		{"a paper in one entry only", [3]string{"1", "1-101", "x"}, [3]string{"2", "1-101", "x"}, [3]string{}, []string{"ballot_no", "ballot_no"}, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			ch := map[string]Choice{"x": Agree, "y": Oppose}
			ans := map[string]string{"x": "满意", "y": "不满意"}
			var bres []Resolution
			var sres []SurveySheet
			if c.res[0] != "" {
				bres = []Resolution{{Ballot: ballot(c.res[0], c.res[1], ch[c.res[2]])}}
				sres = []SurveySheet{sheet(c.res[0], c.res[1], ans[c.res[2]])}
			}
			bf, bd, bu := Reconcile(matters, []Ballot{ballot(c.a[0], c.a[1], ch[c.a[2]])}, []Ballot{ballot(c.b[0], c.b[1], ch[c.b[2]])}, bres)
			sf, sd, su := SurveyEntry.Reconcile([]SurveySheet{sheet(c.a[0], c.a[1], ans[c.a[2]])}, []SurveySheet{sheet(c.b[0], c.b[1], ans[c.b[2]])}, sres)
			if len(bf) != c.wantFinal || len(sf) != c.wantFinal || len(bu) != len(su) {
				t.Fatalf("final %d/%d unreconciled %v/%v, want %d", len(bf), len(sf), bu, su, c.wantFinal)
			}
			if len(bd) != len(c.wantFields) || len(sd) != len(c.wantFields) {
				t.Fatalf("diffs %v / %v, want fields %v", bd, sd, c.wantFields)
			}
			for i, f := range c.wantFields {
				bw, sw := f, f
				if f == "1" {
					bw, sw = "m1", "q1"
				}
				if bd[i].Field != bw || sd[i].Field != sw || bd[i].Resolved != (c.res[0] != "") {
					t.Fatalf("diff %d: %v / %v, want %s", i, bd[i], sd[i], f)
				}
			}
		})
	}
}

func TestSurveyScoreWeightingAndRounding(t *testing.T) {
	for _, c := range []struct {
		name    string
		scale   string
		weights []string
		answers [][]string // per unit
		want    []string   // per question, then total
		part    string
	}{
		{"one question, 1-5 from the lowest (0) to the top (100)", "1-5", []string{"1"}, [][]string{{"5"}, {"4"}}, []string{"87.50", "87.50"}, "50.00"},
		{"1-5: the lowest answer scores 0, not 20", "1-5", []string{"1"}, [][]string{{"1"}, {"1"}}, []string{"0.00", "0.00"}, "50.00"},
		{"1-5: the middle answer scores 50", "1-5", []string{"1"}, [][]string{{"3"}}, []string{"50.00", "50.00"}, "25.00"},
		{"thirds round half up once", "1-5", []string{"1"}, [][]string{{"5"}, {"5"}, {"4"}}, []string{"91.67", "91.67"}, "75.00"},
		{"weights 2:1", "满意=5,基本满意=3,不满意=0", []string{"2", "1"}, [][]string{{"满意", "不满意"}, {"基本满意", "满意"}}, []string{"80.00", "50.00", "70.00"}, "50.00"},
		{"total from unrounded scores", "1-3", []string{"1", "1"}, [][]string{{"1", "2"}, {"2", "3"}, {"3", "3"}}, []string{"50.00", "83.33", "66.67"}, "75.00"},
		{"an unanswered question is left out", "1-5", []string{"3", "1"}, [][]string{{"5", ""}}, []string{"100.00", "-", "100.00"}, "25.00"},
		{"points 0.5 step", "好=2.5,差=0", []string{"1"}, [][]string{{"好"}, {"好"}, {"差"}, {"好"}}, []string{"75.00", "75.00"}, "100.00"},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := testSurvey(t, c.scale, c.weights...)
			var sheets []SurveySheet
			for i, a := range c.answers {
				sheets = append(sheets, SurveySheet{No: itoa(i + 1), Unit: s.Units[i], Answers: a})
			}
			r := ScoreSurvey(SurveyRecord{Survey: s, EntryA: sheets, EntryB: sheets})
			for i, q := range r.Questions {
				got := "-"
				if q.HasScore {
					got = q.Score.StringFixed(2)
				}
				if got != c.want[i] {
					t.Errorf("question %d: %s, want %s", i+1, got, c.want[i])
				}
			}
			if r.Total.StringFixed(2) != c.want[len(c.want)-1] || r.Participation.StringFixed(2) != c.part {
				t.Errorf("total %s participation %s, want %s %s", r.Total.StringFixed(2), r.Participation.StringFixed(2), c.want[len(c.want)-1], c.part)
			}
		})
	}
}

func TestSurveySheetsThatDoNotCount(t *testing.T) {
	s := testSurvey(t, "1-5", "1")
	a := []SurveySheet{
		{No: "1", Unit: "1-101", Answers: []string{"5"}},
		{No: "2", Unit: "1-102", Answers: []string{"1"}, Invalid: "unsigned"},
		{No: "3", Unit: "9-999", Answers: []string{"1"}},
		{No: "4", Unit: "1-103", Answers: []string{"1"}},
		{No: "5", Unit: "1-103", Answers: []string{"1"}},
	}
	r := ScoreSurvey(SurveyRecord{Survey: s, EntryA: a, EntryB: a})
	if r.Total.StringFixed(2) != "100.00" || r.Returned != 1 || len(r.Invalid) != 2 || len(r.Duplicates) != 1 {
		t.Fatalf("%+v", r)
	}
}

func TestComputeAssessmentWeights(t *testing.T) {
	d := decimal.RequireFromString
	svc := ServiceStats{Steps: map[ServiceStep]StepStats{"a": {Due: 3, Within: 2}, "b": {Due: 0}}}
	sr := &SurveyResult{ID: "Q1", Total: d("93.33"), HasTotal: true, Participation: d("30")}
	thin := &SurveyResult{ID: "Q2", Total: d("20"), HasTotal: true, Participation: d("29.99")}
	rated := svc
	rated.Rated, rated.RatingSum = 4, 14 // mean 3.5: 62.5
	items := []AssessmentScore{{Item: "保洁", Weight: d("1"), Score: d("90")}, {Item: "安保", Weight: d("1"), Score: d("81")}}
	for _, c := range []struct {
		name  string
		s     *SurveyResult
		st    *ServiceStats
		items []AssessmentScore
		want  string
	}{
		{"all three 40/40/20", sr, &svc, items, "81.10"},                         // (40·93.33+40·66.67+20·85.5)/100
		{"no survey: service and committee carry it", nil, &svc, items, "72.95"}, // (40·66.67+20·85.5)/60 = 72.946…,
		{"service only", nil, &svc, nil, "66.67"},
		{"a survey below 30 % participation is left out", thin, &svc, items, "72.95"},
		{"per-request ratings 1 to 5 as 0 to 100", sr, &rated, items, "78.00"}, // (40·93.33+40·66.67+20·62.5+20·85.5)/120
	} {
		t.Run(c.name, func(t *testing.T) {
			a, err := ComputeAssessment("2026Q3", DefaultAssessmentWeights(), c.s, c.st, c.items)
			if err != nil {
				t.Fatal(err)
			}
			if a.Total().StringFixed(2) != c.want {
				t.Fatalf("total %s, want %s (%+v)", a.Total(), c.want, a.Basis)
			}
		})
	}
	a, _ := ComputeAssessment("2026Q3", DefaultAssessmentWeights(), thin, &svc, nil)
	if c := a.Basis.Components[0]; c.Present || !c.Unreliable {
		t.Errorf("a thin survey: %+v", c)
	}
	if _, err := ComputeAssessment("2026Q3", DefaultAssessmentWeights(), nil, nil, nil); ErrorCode(err) != EINVALID {
		t.Fatalf("nothing to compute from: %v", err)
	}
	o := d("88")
	a = Assessment{Quarter: "2026Q3", Scores: items, Override: &o}
	if a.Validate() == nil {
		t.Fatal("an override without a reason was accepted")
	}
	a.OverrideWhy = "复核"
	if a.Validate() != nil || a.Total().String() != "88" {
		t.Fatal("override")
	}
}
