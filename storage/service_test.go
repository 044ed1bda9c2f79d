package storage

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"sunledger/app"

	"github.com/shopspring/decimal"
)

func TestService_RequestsStepsAndStatsSurviveReopen(t *testing.T) {
	ctx := context.Background()
	db, dir := newBook(t)
	if err := db.registerService().ImportUnits(ctx, []app.Unit{unit("1-1-101", "88", "P1"), unit("1-1-102", "90", "P2")}, "t", ""); err != nil {
		t.Fatal(err)
	}
	at := func(s string) time.Time {
		x, err := app.ParseServiceTime(s)
		if err != nil {
			t.Fatal(err)
		}
		return x
	}
	db.Now = func() time.Time { return at("2026-04-10T08:00") }

	std, err := db.serviceDesk().ServiceStandard(ctx)
	if err != nil || std.Name != app.Standard54321 {
		t.Fatalf("default standard: %+v %v", std, err)
	}
	if _, err := db.serviceDesk().NewServiceRequest(ctx, app.ServiceRequest{Unit: "9-9-999", Kind: app.ServiceRepair, Description: "x", At: at("2026-03-02T09:00")}, "t"); app.ErrorCode(err) != app.ENOTFOUND {
		t.Fatalf("unknown unit: %v", err)
	}
	r, err := db.serviceDesk().NewServiceRequest(ctx, app.ServiceRequest{Unit: "1-1-101", Kind: app.ServiceRepair, Description: "水管漏水", At: at("2026-03-02T09:00")}, "t")
	if err != nil || r.ID != "S000001" {
		t.Fatalf("new: %+v %v", r, err)
	}
	if lastAudit(t, db).Action != "service.new" {
		t.Errorf("no audit record for service.new")
	}
	if _, err := db.serviceDesk().RecordServiceStep(ctx, r.ID, app.ServiceStepRecord{Step: app.StepOnsite, At: at("2026-03-02T09:40")}, "t"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.serviceDesk().RecordServiceStep(ctx, r.ID, app.ServiceStepRecord{Step: app.StepFixed, At: at("2026-03-02T09:39")}, "t"); app.ErrorCode(err) != app.EINVALID {
		t.Fatalf("step before the previous one: %v", err)
	}
	if _, err := db.serviceDesk().RecordServiceStep(ctx, "S000099", app.ServiceStepRecord{Step: app.StepFixed, At: at("2026-03-02T10:00")}, "t"); app.ErrorCode(err) != app.ENOTFOUND {
		t.Fatalf("unknown id: %v", err)
	}
	if _, err := db.serviceDesk().NewServiceRequest(ctx, app.ServiceRequest{Unit: "1-1-102", Kind: app.ServiceComplaint, Complex: true, Description: "噪音", At: at("2026-03-20T21:00")}, "t"); err != nil {
		t.Fatal(err)
	}
	if err := db.serviceDesk().SetServiceStandard(ctx, app.ServiceStandardVersion{}, "t", ""); app.ErrorCode(err) != app.EINVALID {
		t.Fatalf("empty standard: %v", err)
	}
	db.Close()

	db = openTest(t, dir)
	defer db.Close()
	db.Now = func() time.Time { return at("2026-04-10T08:00") }
	st, err := db.serviceDesk().ServiceStats(ctx, "2026Q1")
	if err != nil {
		t.Fatal(err)
	}
	want := map[app.ServiceStep]app.StepStats{
		app.StepRegistered: {Due: 2, Within: 2},
		app.StepOnsite:     {Due: 2, Within: 1},
		app.StepFixed:      {Due: 1, Within: 0},
		app.StepPlan:       {Due: 1, Within: 0},
		app.StepVisit:      {Due: 2, Within: 0},
	}
	if st.Requests != 2 || !reflect.DeepEqual(st.Steps, want) || strings.Join(st.Overdue, ",") != "S000001,S000002" {
		t.Errorf("stats: %d %v %v", st.Requests, st.Steps, st.Overdue)
	}
	wuhan, _ := app.ServiceStandardPreset(app.StandardWuhan)
	if err := db.serviceDesk().SetServiceStandard(ctx, app.ServiceStandardVersion{Standard: wuhan}, "t", ""); err != nil {
		t.Fatal(err)
	}
	if st, _ = db.serviceDesk().ServiceStats(ctx, "2026-03"); len(st.Steps) != 3 || st.Steps[app.StepOnsite] != (app.StepStats{Due: 2, Within: 0}) {
		t.Errorf("wuhan stats: %v", st.Steps)
	}
	if _, err := db.serviceDesk().ServiceStats(ctx, "2026Q5"); app.ErrorCode(err) != app.EINVALID {
		t.Errorf("bad period: %v", err)
	}
}

func TestService_ImportIsAllOrNothing(t *testing.T) {
	ctx := context.Background()
	db, _ := newBook(t)
	if err := db.registerService().ImportUnits(ctx, []app.Unit{unit("1-1-101", "88", "P1")}, "t", ""); err != nil {
		t.Fatal(err)
	}
	at, _ := app.ParseServiceTime("2026-03-02T09:00")
	good := app.ServiceRequest{Unit: "1-1-101", Kind: app.ServiceRepair, Description: "x", At: at,
		Steps: []app.ServiceStepRecord{{Step: app.StepOnsite, At: at.Add(30 * time.Minute)}}}
	backwards := good
	backwards.Steps = []app.ServiceStepRecord{{Step: app.StepOnsite, At: at.Add(30 * time.Minute)}, {Step: app.StepFixed, At: at.Add(20 * time.Minute)}}
	stranger := good
	stranger.Unit = "9-9-999"
	for name, batch := range map[string][]app.ServiceRequest{"step backwards": {good, backwards}, "unknown unit": {good, stranger}} {
		err := db.serviceDesk().ImportServiceRequests(ctx, batch, "t", "")
		if err == nil || !strings.Contains(err.Error(), "2") {
			t.Errorf("%s: %v", name, err)
		}
		if all, _ := db.serviceDesk().ServiceRequests(ctx); len(all) != 0 {
			t.Fatalf("%s: %d requests written", name, len(all))
		}
	}
	if err := db.serviceDesk().ImportServiceRequests(ctx, []app.ServiceRequest{good, good}, "t", ""); err != nil {
		t.Fatal(err)
	}
	if all, _ := db.serviceDesk().ServiceRequests(ctx); len(all) != 2 || all[1].ID != "S000002" || len(all[1].Steps) != 1 {
		t.Errorf("imported: %+v", all)
	}
	if lastAudit(t, db).Action != "service.import" {
		t.Errorf("no audit record")
	}
}

func TestService_PhotosAreStoredByHashAndDroppedWhenRefused(t *testing.T) {
	ctx := context.Background()
	db, _ := newBook(t)
	if err := db.registerService().ImportUnits(ctx, []app.Unit{unit("1-1-101", "88", "P1")}, "t", ""); err != nil {
		t.Fatal(err)
	}
	at, _ := app.ParseServiceTime("2026-03-02T09:00")
	photo := app.AttachmentFile{Name: "leak.jpg", Data: []byte("jpeg bytes")}
	sha := photo.Describe().SHA256
	_, err := db.serviceDesk().NewServiceRequest(ctx, app.ServiceRequest{Unit: "9-9-999", Kind: app.ServiceRepair, Description: "x", At: at, Files: []app.AttachmentFile{photo}}, "t")
	if app.ErrorCode(err) != app.ENOTFOUND {
		t.Fatalf("unknown unit: %v", err)
	}
	var left bool
	_ = db.view(func(tx *Tx) error { left, _ = tx.has(attachmentKey(sha, 0)); return nil })
	if left {
		t.Errorf("the photo of a refused request was kept")
	}
	r, err := db.serviceDesk().NewServiceRequest(ctx, app.ServiceRequest{Unit: "1-1-101", Kind: app.ServiceRepair, Description: "x", At: at, Files: []app.AttachmentFile{photo}}, "t")
	if err != nil || len(r.Photos) != 1 || r.Photos[0].SHA256 != sha {
		t.Fatalf("%+v %v", r, err)
	}
	a, data, err := db.serviceDesk().ServicePhoto(ctx, r.ID, 0)
	if err != nil || string(data) != "jpeg bytes" || a.Name != "leak.jpg" {
		t.Errorf("photo: %+v %q %v", a, data, err)
	}
	if _, _, err := db.serviceDesk().ServicePhoto(ctx, r.ID, 1); app.ErrorCode(err) != app.ENOTFOUND {
		t.Errorf("no second photo: %v", err)
	}
}

// TestServiceStandards_ABookFromBeforeVersionsKeepsItsStandardForEveryRequest: the one
// standard of an older book (meta/service-standard) applies from the beginning, its
// 54321 with the registered step; a change then needs --from and is audited.
func TestServiceStandards_ABookFromBeforeVersionsKeepsItsStandardForEveryRequest(t *testing.T) {
	ctx := context.Background()
	db, _ := newBook(t)
	defer db.Close()
	db.Now = func() time.Time { return time.Date(2026, 12, 6, 10, 0, 0, 0, time.Local) }
	old := app.ServiceStandard{Name: app.Standard54321, Limits: []app.StepLimit{{Step: app.StepOnsite, Minutes: 40}}}
	if err := db.update(func(tx *Tx) error { return tx.put(keyServiceStandard, old) }); err != nil {
		t.Fatal(err)
	}
	vs, err := db.serviceDesk().ServiceStandards(ctx)
	if err != nil || len(vs) != 1 || vs[0].From != "" {
		t.Fatalf("legacy: %+v %v", vs, err)
	}
	if _, held := vs[0].Standard.Limit(app.StepRegistered, false); !held {
		t.Errorf("a legacy 54321 lacks the registered step: %s", vs[0].Standard)
	}
	wuhan, _ := app.ServiceStandardPreset(app.StandardWuhan)
	if err := db.serviceDesk().SetServiceStandard(ctx, app.ServiceStandardVersion{Standard: wuhan}, "t", ""); app.ErrorCode(err) != app.EINVALID {
		t.Fatalf("a change without a From: %v", err)
	}
	if err := db.serviceDesk().SetServiceStandard(ctx, app.ServiceStandardVersion{From: "2026-07-01", Standard: wuhan}, "委员甲", "业主大会决定"); err != nil {
		t.Fatal(err)
	}
	a := lastAudit(t, db)
	if a.Action != "service.standard" || !strings.Contains(a.What, "from 2026-07-01") || !strings.Contains(a.What, "past date") || a.Why != "业主大会决定" || a.Who != "委员甲" {
		t.Errorf("audit: %+v", a)
	}
	if vs, _ = db.serviceDesk().ServiceStandards(ctx); len(vs) != 2 || vs[1].Who != "委员甲" || vs[0].Standard.Name != app.Standard54321 {
		t.Errorf("versions: %+v", vs)
	}
	if std, _ := db.serviceDesk().ServiceStandard(ctx); std.Name != app.StandardWuhan {
		t.Errorf("in force today: %s", std.Name)
	}
}

// TestRecordAssessment_RefusedUntilTheQuarterHasEnded: neither a computed nor a typed
// score is recorded for a quarter still under way or not begun, and nothing is written.
func TestRecordAssessment_RefusedUntilTheQuarterHasEnded(t *testing.T) {
	ctx := context.Background()
	db, _ := newBook(t)
	defer db.Close()
	db.Now = func() time.Time { return time.Date(2026, 12, 6, 10, 0, 0, 0, time.Local) }
	a := func(q string) app.Assessment {
		return app.Assessment{Quarter: q, Scores: []app.AssessmentScore{{Item: "保洁", Weight: decimal.NewFromInt(1), Score: decimal.NewFromInt(80)}}}
	}
	for _, q := range []string{"2026Q4", "2027Q1"} {
		if err := db.remunerationService().RecordAssessment(ctx, a(q), "t", ""); app.ErrorCode(err) != app.EINVALID {
			t.Errorf("%s: %v", q, err)
		}
	}
	if err := db.remunerationService().RecordAssessment(ctx, a("2026Q3"), "t", ""); err != nil {
		t.Fatal(err)
	}
	if as, _ := db.remunerationService().Assessments(ctx); len(as) != 1 || as[0].Quarter != "2026Q3" {
		t.Errorf("assessments: %+v", as)
	}
}
