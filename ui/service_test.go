package ui

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"github.com/shopspring/decimal"

	"sunledger/app"
	"sunledger/reports"
)

func serviceFixture(t *testing.T) (*serviceScreen, app.Services) {
	t.Helper()
	_, s := newBook(t,
		unit("1-1-101", app.KindResidential, "88.50", "O1", "王伟"),
		unit("1-1-102", app.KindResidential, "70.00", "O2", "李娜"),
	)
	ctx := context.Background()
	at := func(x string) time.Time { tm, _ := app.ParseServiceTime(x); return tm }
	// an old request with nothing done: overdue
	if _, err := s.Service.NewServiceRequest(ctx, app.ServiceRequest{Unit: "1-1-102", Kind: app.ServiceComplaint, Description: "噪音", At: at("2026-01-05T09:00")}, "t"); err != nil {
		t.Fatal(err)
	}
	w := newWindow(t)
	v := newServiceScreen(w, s)
	w.SetContent(v.content)
	return v, s
}

func TestServiceScreen_FlagsOverdueAndRegistersAndRecordsSteps(t *testing.T) {
	v, s := serviceFixture(t)
	if v.table.Rows() != 1 || !strings.Contains(v.table.CellText(0, 7), "超时") {
		t.Fatalf("the old request is not flagged overdue: %q", v.table.CellText(0, 7))
	}
	if !strings.Contains(v.summary.Text, "超时 1 件") {
		t.Errorf("summary %q", v.summary.Text)
	}

	// an unknown unit is refused and nothing is registered
	test.Type(v.unit, "9-9-999")
	v.desc.SetText("漏水")
	test.Tap(v.register)
	if n, _ := s.Service.ServiceRequests(context.Background()); len(n) != 1 {
		t.Fatalf("a request for an unknown unit was registered")
	}
	if !strings.Contains(topDialogText(v.w), "9-9-999") {
		t.Errorf("no error dialog for the unknown unit: %q", topDialogText(v.w))
	}

	v.unit.SetText("1-1-101")
	v.desc.SetText("厨房水管漏水")
	now := time.Now().Add(-10 * time.Minute).Truncate(time.Minute)
	v.at.SetText(now.Format(app.ServiceTimeLayout))
	test.Tap(v.register)
	if !strings.Contains(v.result.Text, "S000002") || v.table.Rows() != 2 {
		t.Fatalf("registered? %q rows %d", v.result.Text, v.table.Rows())
	}
	// newest first; just registered: in progress, not overdue
	if v.table.CellText(0, 0) != "S000002" || v.table.CellText(0, 7) != "办理中" {
		t.Errorf("first row %q %q", v.table.CellText(0, 0), v.table.CellText(0, 7))
	}

	v.choose(v.table.DataRow(0))
	if v.step.Selected != app.ServiceStepLabel(app.StepOnsite) {
		t.Errorf("proposed step %q, want on site", v.step.Selected)
	}
	// a time before the registration is refused
	v.stepAt.SetText(now.Add(-time.Minute).Format(app.ServiceTimeLayout))
	test.Tap(v.recordStep)
	r, _ := s.Service.ServiceRequest(context.Background(), "S000002")
	if len(r.Steps) != 0 {
		t.Fatalf("a step before the registration was recorded")
	}
	v.stepAt.SetText(now.Add(5 * time.Minute).Format(app.ServiceTimeLayout))
	v.rating.SetSelectedIndex(5)
	test.Tap(v.recordStep)
	r, _ = s.Service.ServiceRequest(context.Background(), "S000002")
	if len(r.Steps) != 1 || r.Steps[0].Step != app.StepOnsite || r.Rating() != 5 {
		t.Fatalf("steps %+v", r.Steps)
	}

	test.Tap(v.onlyLate)
	if v.table.Rows() != 1 || v.table.CellText(0, 0) != "S000001" {
		t.Errorf("only overdue: %d rows", v.table.Rows())
	}
	v.period.SetText("2026Q1")
	v.showStats()
	if !strings.Contains(v.stats.Text, "S000001") || !strings.Contains(v.stats.Text, "投诉 1") {
		t.Errorf("stats %q", v.stats.Text)
	}
	if d, err := reports.Make(context.Background(), s, "service", reports.Args{Period: v.period.Text}); err != nil || d == nil {
		t.Errorf("report: %v", err)
	}
}

func TestDashboard_WarnsWhenCashIsOverTheLimit(t *testing.T) {
	_, s := newBook(t)
	ctx := context.Background()
	if _, err := s.Income.RecordIncome(ctx, app.Income{Fund: app.FundPublic, Kind: "parking", Amount: decimal.RequireFromString("9000"), Method: app.MethodCash}, "t", ""); err != nil {
		t.Fatal(err)
	}
	if err := s.Cash.SetCashLimit(ctx, app.FundPublic, decimal.RequireFromString("5000"), "t", ""); err != nil {
		t.Fatal(err)
	}
	w := newWindow(t)
	d := newDashboard(w, s)
	if !strings.Contains(d.fundNotes[1].Text, "现金超过限额") {
		t.Errorf("public fund note %q", d.fundNotes[1].Text)
	}
	if strings.Contains(d.fundNotes[0].Text, "现金超过限额") {
		t.Errorf("service fund warned without a limit: %q", d.fundNotes[0].Text)
	}
}

// TestServiceScreen_TheOwnersReportTimeAndTheLifecycle: the form records when and how
// the owner reported; the panel refuses a fix before the on-site visit and records a
// handler, a reopen and the owner's sign-off.
func TestServiceScreen_TheOwnersReportTimeAndTheLifecycle(t *testing.T) {
	v, s := serviceFixture(t)
	ctx := context.Background()
	at := time.Now().Add(-3 * time.Hour).Truncate(time.Minute)
	v.unit.SetText("1-1-101")
	v.desc.SetText("阳台漏水")
	v.reported.SetText(at.Add(-6 * time.Minute).Format(app.ServiceTimeLayout))
	v.channel.SetSelectedIndex(3) // wechat
	v.at.SetText(at.Format(app.ServiceTimeLayout))
	test.Tap(v.register)
	r, err := s.Service.ServiceRequest(ctx, "S000002")
	if err != nil || r.Channel != app.ChannelWeChat || !r.ReportedAt.Equal(at.Add(-6*time.Minute)) {
		t.Fatalf("registered %+v %v", r, err)
	}
	v.reload()
	for i := range v.reqs {
		if v.reqs[i].ID == "S000002" {
			v.choose(i)
		}
	}
	if !strings.Contains(v.chosenL.Text, "业主报告于") {
		t.Errorf("chosen line %q", v.chosenL.Text)
	}
	step := func(st app.ServiceStep, when time.Time) {
		v.step.SetSelectedIndex(slices.Index(app.ServiceSteps, st))
		v.stepAt.SetText(when.Format(app.ServiceTimeLayout))
		test.Tap(v.recordStep)
	}
	act := func(kind, text string, when time.Time) {
		v.action.SetSelectedIndex(slices.Index(serviceActions, kind))
		v.actionText.SetText(text)
		v.stepAt.SetText(when.Format(app.ServiceTimeLayout))
		test.Tap(v.recordAct)
	}
	step(app.StepFixed, at.Add(time.Minute)) // before on site: refused
	if r, _ = s.Service.ServiceRequest(ctx, "S000002"); len(r.Steps) != 0 {
		t.Fatalf("a fix before the on-site visit was recorded")
	}
	act(app.EventAssign, "王师傅", at)
	step(app.StepOnsite, at.Add(20*time.Minute))
	step(app.StepFixed, at.Add(40*time.Minute))
	act(app.EventReopen, "还在漏", at.Add(60*time.Minute))
	step(app.StepFixed, at.Add(90*time.Minute))
	act(app.EventSignoff, "No.7", at.Add(100*time.Minute))
	r, _ = s.Service.ServiceRequest(ctx, "S000002")
	if r.Handler != "王师傅" || r.Reopened() != 1 || !r.Closed() || len(r.Superseded) != 1 {
		t.Errorf("after the panel: %+v", r)
	}
	if !strings.Contains(v.chosenL.Text, "No.7") {
		t.Errorf("chosen line %q", v.chosenL.Text)
	}
}

func TestDashboard_WarnsOfCashNotBankedInTime(t *testing.T) {
	_, s := newBook(t)
	ctx := context.Background()
	old := s.Now().AddDate(0, 0, -30).Format(app.DateLayout)
	if _, err := s.Income.RecordIncome(ctx, app.Income{Fund: app.FundPublic, Kind: "parking", Amount: decimal.RequireFromString("900"), Method: app.MethodCash, Date: old}, "t", ""); err != nil {
		t.Fatal(err)
	}
	if err := s.Cash.SetCashDays(ctx, 7, "t", ""); err != nil {
		t.Fatal(err)
	}
	d := newDashboard(newWindow(t), s)
	if !strings.Contains(d.fundNotes[1].Text, "¥900.00 现金收款超过 7 天未存入银行") {
		t.Errorf("public fund note %q", d.fundNotes[1].Text)
	}
	if strings.Contains(d.fundNotes[0].Text, "未存入银行") {
		t.Errorf("service fund warned without cash: %q", d.fundNotes[0].Text)
	}
}
