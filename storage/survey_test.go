package storage

import (
	"context"
	"testing"

	"sunledger/app"
)

func TestSurvey_EntriesResolveAndScore(t *testing.T) {
	ctx := context.Background()
	db, _ := newBook(t)
	defer db.Close()
	if err := db.registerService().ImportUnits(ctx, []app.Unit{unit("1-1-101", "100", "O1"), unit("1-1-102", "100", "O2"), unit("1-1-103", "100", "O3")}, "t", ""); err != nil {
		t.Fatal(err)
	}
	scale, _ := app.ParseSurveyScale("满意=5,基本满意=3,不满意=0")
	q1, _ := app.ParseSurveyQuestion(1, "保洁:2")
	q2, _ := app.ParseSurveyQuestion(2, "维修:1")
	s, err := db.surveyService().CreateSurvey(ctx, app.Survey{Title: "三季度满意度", Quarter: "2026q3", Questions: []app.SurveyQuestion{q1, q2}, Scale: scale}, "t")
	if err != nil || s.ID != "Q0001" || len(s.Units) != 3 || s.Quarter != "2026Q3" {
		t.Fatalf("%+v %v", s, err)
	}
	a := []app.SurveySheet{{No: "1", Unit: "1-1-101", Answers: []string{"满意", "满意"}}, {No: "2", Unit: "1-1-102", Answers: []string{"不满意", ""}}}
	b := []app.SurveySheet{{No: "1", Unit: "1-1-101", Answers: []string{"满意", "满意"}}, {No: "2", Unit: "1-1-102", Answers: []string{"基本满意", ""}}}
	if err := db.surveyService().EnterSheets(ctx, s.ID, "a", a, false, "t"); err != nil {
		t.Fatal(err)
	}
	if err := db.surveyService().EnterSheets(ctx, s.ID, "B", b, false, "t"); err != nil {
		t.Fatal(err)
	}
	if err := db.surveyService().EnterSheets(ctx, s.ID, "B", b[:1], false, "t"); app.ErrorCode(err) != app.ECONFLICT {
		t.Fatalf("a sheet keyed twice in one entry: %v", err)
	}
	bad := []app.SurveySheet{{No: "9", Unit: "1-1-103", Answers: []string{"满意", "满意"}}, {No: "10", Unit: "1-1-103", Answers: []string{"很好", ""}}}
	if err := db.surveyService().EnterSheets(ctx, s.ID, "A", bad, false, "t"); app.ErrorCode(err) != app.EINVALID {
		t.Fatalf("an answer off the scale: %v", err)
	}
	rec, err := db.surveyService().SurveyRecord(ctx, s.ID)
	if err != nil || len(rec.EntryA) != 2 {
		t.Fatalf("a rejected file left sheets behind: %d %v", len(rec.EntryA), err)
	}
	r := app.ScoreSurvey(rec)
	if len(r.Unreconciled) != 1 || r.Counted != 1 {
		t.Fatalf("before the third look: %+v", r)
	}
	if err := db.surveyService().ResolveSheet(ctx, s.ID, app.SurveyResolution{Sheet: app.SurveySheet{No: "7", Unit: "1-1-102", Answers: []string{"满意", ""}}}, "t"); app.ErrorCode(err) != app.ENOTFOUND {
		t.Fatalf("resolving a sheet nobody keyed: %v", err)
	}
	if err := db.surveyService().ResolveSheet(ctx, s.ID, app.SurveyResolution{Sheet: b[1], Note: "原卷为基本满意"}, "t"); err != nil {
		t.Fatal(err)
	}
	rec, _ = db.surveyService().SurveyRecord(ctx, s.ID)
	r = app.ScoreSurvey(rec)
	// q1 = (5+3)/2/5 = 80, q2 = 100 (one answer); total (2·80+100)/3 = 86.67
	if len(r.Unreconciled) != 0 || r.Total.StringFixed(2) != "86.67" || r.Participation.StringFixed(2) != "66.67" {
		t.Fatalf("after the third look: %+v", r)
	}
	w, err := db.surveyService().AssessmentWeights(ctx)
	if err != nil || w.Survey.String() != "40" {
		t.Fatalf("default weights %+v %v", w, err)
	}
	w.Committee = w.Committee.Sub(w.Committee)
	if err := db.surveyService().SetAssessmentWeights(ctx, w, "t", "no committee items"); err != nil {
		t.Fatal(err)
	}
	if w2, _ := db.surveyService().AssessmentWeights(ctx); !w2.Committee.IsZero() {
		t.Fatalf("weights not kept: %+v", w2)
	}
}
