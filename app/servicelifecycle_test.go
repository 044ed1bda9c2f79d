package app

import (
	"reflect"
	"testing"
	"time"
)

func presetOf(t *testing.T, name string) ServiceStandard {
	t.Helper()
	s, err := ServiceStandardPreset(name)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestServiceStatus_EveryLimitCountsFromTheOwnersReportAtTheMinuteEdge: the owner
// reported at 09:00, the company registered later; each limit of both presets is met at
// exactly its minute and missed one minute after, counted from 09:00, not from --at.
func TestServiceStatus_EveryLimitCountsFromTheOwnersReportAtTheMinuteEdge(t *testing.T) {
	reported := svcTime(t, "2026-03-02T09:00")
	now := reported.Add(60 * 24 * time.Hour)
	for _, c := range []struct {
		preset  string
		step    ServiceStep
		complex bool
		limit   time.Duration
	}{
		{"54321", StepRegistered, false, 5 * time.Minute},
		{"54321", StepOnsite, false, 40 * time.Minute},
		{"54321", StepFixed, false, 3 * time.Hour},
		{"54321", StepPlan, true, 2 * 24 * time.Hour},
		{"54321", StepVisit, false, 7 * 24 * time.Hour},
		{"wuhan", StepAnswered, false, 20 * time.Minute},
		{"wuhan", StepOnsite, false, 30 * time.Minute},
		{"wuhan", StepFixed, false, 4 * time.Hour},
		{"wuhan", StepFixed, true, 24 * time.Hour},
	} {
		std := presetOf(t, c.preset)
		for _, e := range []struct {
			after time.Duration
			want  StepStatus
		}{{c.limit - time.Minute, StepWithin}, {c.limit, StepWithin}, {c.limit + time.Minute, StepLate}} {
			r := ServiceRequest{ID: "S000001", Kind: ServiceRepair, Complex: c.complex, ReportedAt: reported, At: reported.Add(4 * time.Minute)}
			if c.step == StepRegistered {
				r.At = reported.Add(e.after)
			} else {
				r.Steps = []ServiceStepRecord{{Step: c.step, At: reported.Add(e.after)}}
			}
			if got := r.Status(std, c.step, now); got != e.want {
				t.Errorf("%s %s complex=%v at report+%v: %v, want %v", c.preset, c.step, c.complex, e.after, got, e.want)
			}
		}
		// not done: pending up to the limit itself, overdue one minute after
		r := ServiceRequest{ID: "S000001", Kind: ServiceRepair, Complex: c.complex, ReportedAt: reported, At: reported}
		if c.step == StepRegistered {
			continue // done at the registration, never overdue
		}
		if got := r.Status(std, c.step, reported.Add(c.limit)); got != StepPending {
			t.Errorf("%s %s not done at the limit: %v, want pending", c.preset, c.step, got)
		}
		if got := r.Status(std, c.step, reported.Add(c.limit+time.Minute)); got != StepOverdue {
			t.Errorf("%s %s not done past the limit: %v, want overdue", c.preset, c.step, got)
		}
	}
}

func TestServiceRequestValidate_ReportTimeAndChannel(t *testing.T) {
	at := svcTime(t, "2026-03-02T09:00")
	ok := ServiceRequest{Unit: "1-1-101", Kind: ServiceRepair, Description: "漏水", At: at, ReportedAt: at.Add(-30 * time.Minute), Channel: ChannelPhone}
	if err := ok.Validate(); err != nil {
		t.Fatal(err)
	}
	for name, r := range map[string]ServiceRequest{
		"reported after the registration": {Unit: "1-1-101", Kind: ServiceRepair, Description: "漏水", At: at, ReportedAt: at.Add(time.Minute)},
		"unknown channel":                 {Unit: "1-1-101", Kind: ServiceRepair, Description: "漏水", At: at, Channel: "email"},
		"reported over a year before":     {Unit: "1-1-101", Kind: ServiceRepair, Description: "漏水", At: at, ReportedAt: at.AddDate(-1, 0, -2)},
	} {
		if err := r.Validate(); ErrorCode(err) != EINVALID {
			t.Errorf("%s: %v", name, err)
		}
	}
	for _, ch := range ServiceChannels {
		r := ok
		r.Channel = ch
		if err := r.Validate(); err != nil {
			t.Errorf("channel %s: %v", ch, err)
		}
	}
}

// TestServiceRequestAddStep_StepsComeInTheOrderTheStandardRequires: steps come in the
// order answered → on site → plan → fixed → return visit; a step the standard holds the
// request to must come before the ones after it; a return visit needs the fix.
func TestServiceRequestAddStep_StepsComeInTheOrderTheStandardRequires(t *testing.T) {
	reg := svcTime(t, "2026-03-02T09:00")
	type st = ServiceStep
	for _, c := range []struct {
		name    string
		preset  string
		complex bool
		before  []st // recorded first, a minute apart
		step    st
		ok      bool
	}{
		{"54321: a fix before the on-site visit", "54321", false, nil, StepFixed, false},
		{"54321: on site, then fixed", "54321", false, []st{StepOnsite}, StepFixed, true},
		{"54321: answered is not required", "54321", false, nil, StepOnsite, true},
		{"54321: answered after on site", "54321", false, []st{StepOnsite}, StepAnswered, false},
		{"54321: on site after the fix", "54321", false, []st{StepOnsite, StepFixed}, StepOnsite, false},
		{"54321: a return visit needs the fix", "54321", false, []st{StepOnsite}, StepVisit, false},
		{"54321: return visit after the fix", "54321", false, []st{StepOnsite, StepFixed}, StepVisit, true},
		{"54321 complex: the fix needs the plan", "54321", true, []st{StepOnsite}, StepFixed, false},
		{"54321 complex: plan, then fix", "54321", true, []st{StepOnsite, StepPlan}, StepFixed, true},
		{"54321 complex: return visit after plan only", "54321", true, []st{StepOnsite, StepPlan}, StepVisit, false},
		{"54321 complex: a plan after the fix", "54321", true, []st{StepOnsite, StepPlan, StepFixed}, StepPlan, false},
		{"wuhan: on site without answered (answered is then missing, not required)", "wuhan", false, nil, StepOnsite, true},
		{"wuhan: answered after on site", "wuhan", false, []st{StepOnsite}, StepAnswered, false},
		{"wuhan: answered, on site, fixed", "wuhan", false, []st{StepAnswered, StepOnsite}, StepFixed, true},
		{"wuhan: fixed without on site", "wuhan", false, []st{StepAnswered}, StepFixed, false},
		{"wuhan: a return visit needs the fix although wuhan has none", "wuhan", false, []st{StepAnswered, StepOnsite}, StepVisit, false},
	} {
		std := presetOf(t, c.preset)
		r := ServiceRequest{ID: "S000001", Kind: ServiceComplaint, Complex: c.complex, At: reg}
		for i, b := range c.before {
			var err error
			if r, err = r.AddStep(std, ServiceStepRecord{Step: b, At: reg.Add(time.Duration(i+1) * time.Minute)}); err != nil {
				t.Fatalf("%s: setting up %s: %v", c.name, b, err)
			}
		}
		got, err := r.AddStep(std, ServiceStepRecord{Step: c.step, At: reg.Add(time.Hour)})
		switch {
		case c.ok && err != nil:
			t.Errorf("%s: refused: %v", c.name, err)
		case !c.ok && err == nil:
			t.Errorf("%s: accepted", c.name)
		case !c.ok && !reflect.DeepEqual(got, r):
			t.Errorf("%s: a refusal changed the request", c.name)
		case !c.ok && ErrorCode(err) != EINVALID && ErrorCode(err) != ECONFLICT:
			t.Errorf("%s: %v", c.name, err)
		}
	}
}

// TestServiceRequest_ReopenUndoesTheFixAndTheRefixIsJudgedByTheOriginalLimit: a fix the
// owner disputes is undone; fixed again after the limit, the request is late, and
// before the new fix it is overdue.
func TestServiceRequest_ReopenUndoesTheFixAndTheRefixIsJudgedByTheOriginalLimit(t *testing.T) {
	std := presetOf(t, "54321")
	rep := svcTime(t, "2026-03-02T09:00")
	r := ServiceRequest{ID: "S000001", Kind: ServiceRepair, ReportedAt: rep, At: rep.Add(3 * time.Minute)}
	add := func(step ServiceStep, at time.Duration) {
		t.Helper()
		var err error
		if r, err = r.AddStep(std, ServiceStepRecord{Step: step, At: rep.Add(at)}); err != nil {
			t.Fatal(err)
		}
	}
	add(StepOnsite, 30*time.Minute)
	add(StepFixed, 2*time.Hour)
	add(StepVisit, 24*time.Hour)
	if r.Status(std, StepFixed, rep.Add(48*time.Hour)) != StepWithin {
		t.Fatal("fixed in 2 h is within")
	}
	ev := func(kind, text, slip string, at time.Duration) (ServiceRequest, error) {
		return r.AddEvent(ServiceEvent{Kind: kind, At: rep.Add(at), Text: text, Slip: slip})
	}
	for name, c := range map[string]struct {
		kind, text, slip string
		at               time.Duration
	}{
		"reopen without a reason":                   {EventReopen, " ", "", 25 * time.Hour},
		"reopen before the return visit":            {EventReopen, "还漏", "", 23 * time.Hour},
		"reopen 30 days and a minute after the fix": {EventReopen, "还漏", "", 2*time.Hour + ServiceReopenDays*24*time.Hour + time.Minute},
		"sign-off without a slip":                   {EventSignoff, "", "", 25 * time.Hour},
		"an unknown event":                          {"delete", "x", "", 25 * time.Hour},
	} {
		if _, err := ev(c.kind, c.text, c.slip, c.at); ErrorCode(err) != EINVALID {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := ev(EventReopen, "还漏", "", 2*time.Hour+ServiceReopenDays*24*time.Hour); err != nil {
		t.Errorf("reopen exactly 30 days after the fix: %v", err)
	}
	var err error
	if r, err = ev(EventReopen, "还在漏水", "", 26*time.Hour); err != nil {
		t.Fatal(err)
	}
	if _, done := r.Done(StepFixed); done || r.Reopened() != 1 || len(r.Superseded) != 2 {
		t.Fatalf("after a reopen: steps %v superseded %v", r.Steps, r.Superseded)
	}
	if got := r.Status(std, StepFixed, rep.Add(27*time.Hour)); got != StepOverdue {
		t.Errorf("reopened past the 3 h limit: %v, want overdue", got)
	}
	if _, err := ev(EventSignoff, "", "No.0001", 27*time.Hour); ErrorCode(err) != EINVALID {
		t.Errorf("sign-off with the fix undone: %v", err)
	}
	if _, err := r.AddStep(std, ServiceStepRecord{Step: StepFixed, At: rep.Add(25 * time.Hour)}); ErrorCode(err) != EINVALID {
		t.Errorf("a new fix before the reopen: %v", err)
	}
	add(StepFixed, 28*time.Hour)
	if got := r.Status(std, StepFixed, rep.Add(29*time.Hour)); got != StepLate {
		t.Errorf("fixed again after 28 h: %v, want late", got)
	}
	if _, err := ev(EventSignoff, "", "No.0001", 27*time.Hour); ErrorCode(err) != EINVALID {
		t.Errorf("sign-off before the fix: %v", err)
	}
	if r, err = ev(EventSignoff, "", "No.0001", 29*time.Hour); err != nil || !r.Closed() {
		t.Fatalf("sign-off: %v", err)
	}
	if _, err := ev(EventSignoff, "", "No.0002", 30*time.Hour); ErrorCode(err) != ECONFLICT {
		t.Errorf("a second sign-off: %v", err)
	}
	if _, err := ev(EventReopen, "又漏了", "", 30*time.Hour); ErrorCode(err) != EINVALID {
		t.Errorf("reopen after the sign-off: %v", err)
	}
	if _, err := ev(EventEscalate, "超时", "", 30*time.Hour); ErrorCode(err) != EINVALID {
		t.Errorf("escalate after the sign-off: %v", err)
	}
	if _, err := r.AddStep(std, ServiceStepRecord{Step: StepVisit, At: rep.Add(31 * time.Hour), Rating: 4}); err != nil {
		t.Errorf("a return visit after the sign-off: %v", err)
	}
}

func TestServiceRequest_HandlerNotesAndEscalationOnce(t *testing.T) {
	rep := svcTime(t, "2026-03-02T09:00")
	r := ServiceRequest{ID: "S000001", Kind: ServiceRepair, At: rep}
	var err error
	if r, err = r.AddEvent(ServiceEvent{Kind: EventAssign, At: rep, Text: "王师傅"}); err != nil || r.Handler != "王师傅" {
		t.Fatalf("assign: %v %q", err, r.Handler)
	}
	if _, err := r.AddEvent(ServiceEvent{Kind: EventNote, At: rep}); ErrorCode(err) != EINVALID {
		t.Errorf("an empty note: %v", err)
	}
	if r, err = r.AddEvent(ServiceEvent{Kind: EventEscalate, At: rep.Add(time.Hour), Text: "超时"}); err != nil || !r.Escalated() {
		t.Fatalf("escalate: %v", err)
	}
	if _, err := r.AddEvent(ServiceEvent{Kind: EventEscalate, At: rep.Add(2 * time.Hour), Text: "超时"}); ErrorCode(err) != ECONFLICT {
		t.Errorf("escalated twice: %v", err)
	}
	// escalation does not count as a step: a step may still come at an earlier minute
	if _, err := r.AddStep(presetOf(t, "54321"), ServiceStepRecord{Step: StepOnsite, At: rep.Add(30 * time.Minute)}); err != nil {
		t.Errorf("a step after notes and escalation: %v", err)
	}
}

// TestServiceStandards_AChangeNeverRejudgesRequestsReportedBeforeIt: versions by the
// day of the owner's report; a change needs a From once a standard is set.
func TestServiceStandards_AChangeNeverRejudgesRequestsReportedBeforeIt(t *testing.T) {
	s54321, wuhan := presetOf(t, "54321"), presetOf(t, "wuhan")
	var vs ServiceStandards
	if got := vs.On("2026-01-01"); got.Name != Standard54321 {
		t.Errorf("no version: %s", got.Name)
	}
	vs, _, err := vs.Set(ServiceStandardVersion{Standard: s54321})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := vs.Set(ServiceStandardVersion{Standard: wuhan}); ErrorCode(err) != EINVALID {
		t.Errorf("a change without --from: %v", err)
	}
	if same, _, err := vs.Set(ServiceStandardVersion{Standard: s54321}); err != nil || !reflect.DeepEqual(same, vs) {
		t.Errorf("the same standard again without --from: %v %+v", err, same)
	}
	for _, bad := range []string{"2026-7-1", "2026-02-30", "1999-12-31", "tomorrow"} {
		if _, _, err := vs.Set(ServiceStandardVersion{From: bad, Standard: wuhan}); ErrorCode(err) != EINVALID {
			t.Errorf("--from %q: %v", bad, err)
		}
	}
	if vs, _, err = vs.Set(ServiceStandardVersion{From: "2026-07-01", Standard: wuhan}); err != nil {
		t.Fatal(err)
	}
	req := func(reported, registered string) ServiceRequest {
		r := ServiceRequest{At: svcTime(t, registered)}
		if reported != "" {
			r.ReportedAt = svcTime(t, reported)
		}
		return r
	}
	for _, c := range []struct {
		r    ServiceRequest
		want string
	}{
		{req("", "2026-06-30T23:59"), Standard54321},
		{req("", "2026-07-01T00:00"), StandardWuhan},
		{req("2026-06-30T23:50", "2026-07-01T00:10"), Standard54321}, // reported before the change
		{req("", "2025-01-01T08:00"), Standard54321},
	} {
		if got := vs.For(c.r); got.Name != c.want {
			t.Errorf("reported %v registered %v: %s, want %s", c.r.ReportedAt, c.r.At, got.Name, c.want)
		}
	}
	// a change dated in the past of the first sits in order; the same day replaces
	vs2, replaced, err := vs.Set(ServiceStandardVersion{From: "2026-07-01", Standard: s54321})
	if err != nil || replaced == nil || replaced.Standard.Name != StandardWuhan || len(vs2) != 2 {
		t.Errorf("same day: %v %v %d", err, replaced, len(vs2))
	}
	vs3, _, err := vs.Set(ServiceStandardVersion{From: "2026-03-01", Standard: wuhan})
	if err != nil || len(vs3) != 3 || vs3[1].From != "2026-03-01" || vs3.On("2026-02-28").Name != Standard54321 {
		t.Errorf("an earlier day: %v %+v", err, vs3)
	}
	// stats over a period with both: each request by its own standard, keys of both
	mk := func(reported string, onsiteAfter time.Duration) ServiceRequest {
		at := svcTime(t, reported)
		return ServiceRequest{ID: "S" + reported, Kind: ServiceRepair, At: at, Steps: []ServiceStepRecord{{Step: StepOnsite, At: at.Add(onsiteAfter)}}}
	}
	reqs := []ServiceRequest{mk("2026-06-10T09:00", 35*time.Minute), mk("2026-07-10T09:00", 35*time.Minute)}
	now := svcTime(t, "2026-06-10T09:40")
	june := ComputeServiceStats(reqs, vs, "2026-06", "2026-06", now)
	q3 := ComputeServiceStats(reqs, vs, "2026-07", "2026-09", svcTime(t, "2026-07-10T09:40"))
	if june.Steps[StepOnsite] != (StepStats{Due: 1, Within: 1}) || june.Standard.Name != Standard54321 {
		t.Errorf("June under 54321: %v", june.Steps)
	}
	if q3.Steps[StepOnsite] != (StepStats{Due: 1, Within: 0}) || q3.Standard.Name != StandardWuhan {
		t.Errorf("Q3 under wuhan (35 min > 30): %v", q3.Steps)
	}
	if _, ok := june.Steps[StepRegistered]; !ok {
		t.Errorf("June: no registered key: %v", june.Steps)
	}
	if _, ok := q3.Steps[StepAnswered]; !ok {
		t.Errorf("Q3: no answered key: %v", q3.Steps)
	}
	if _, ok := q3.Steps[StepRegistered]; ok {
		t.Errorf("Q3 has no 54321 request and no day under 54321: %v", q3.Steps)
	}
	both := ComputeServiceStats(reqs, vs, "2026-06", "2026-07", svcTime(t, "2026-07-10T09:40"))
	if got := both.StepKeys(); !reflect.DeepEqual(got, []ServiceStep{StepRegistered, StepAnswered, StepOnsite, StepFixed, StepPlan, StepVisit}) {
		t.Errorf("June–July keys: %v", got)
	}
}

// TestCheckQuarterEnded_NotUntilTheQuarterIsOver: an assessment is refused up to the
// last minute of its quarter and accepted from the first of the next.
func TestCheckQuarterEnded_NotUntilTheQuarterIsOver(t *testing.T) {
	for _, c := range []struct {
		q, now string
		ok     bool
	}{
		{"2026Q3", "2026-09-30T23:59", false},
		{"2026Q3", "2026-10-01T00:00", true},
		{"2026Q4", "2026-12-06T10:00", false},
		{"2026Q4", "2027-01-01T00:00", true},
		{"2027Q1", "2026-12-06T10:00", false},
		{"2026Q1", "2026-04-01T00:00", true},
	} {
		err := CheckQuarterEnded(c.q, svcTime(t, c.now))
		if (err == nil) != c.ok || err != nil && ErrorCode(err) != EINVALID {
			t.Errorf("%s at %s: %v", c.q, c.now, err)
		}
	}
}

// TestRatingsScore_OneIsZeroFiveIsHundred: the owners' per-request ratings on 1–5 as a
// score out of 100.
func TestRatingsScore_OneIsZeroFiveIsHundred(t *testing.T) {
	for _, c := range []struct {
		rated, sum int
		want       string
		ok         bool
	}{{0, 0, "0", false}, {3, 3, "0.00", true}, {2, 10, "100.00", true}, {3, 10, "58.33", true}, {4, 14, "62.50", true}} {
		got, ok := RatingsScore(ServiceStats{Rated: c.rated, RatingSum: c.sum})
		if ok != c.ok || ok && got.StringFixed(2) != c.want {
			t.Errorf("%d ratings adding to %d: %s %v, want %s", c.rated, c.sum, got.StringFixed(2), ok, c.want)
		}
	}
}
