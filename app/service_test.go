package app

import (
	"reflect"
	"testing"
	"time"
)

func svcTime(t *testing.T, s string) time.Time {
	t.Helper()
	at, err := ParseServiceTime(s)
	if err != nil {
		t.Fatal(err)
	}
	return at
}

// limitOf is the preset's own threshold, so the tests follow the standard's numbers.
func limitOf(t *testing.T, preset string, step ServiceStep, complex bool) time.Duration {
	t.Helper()
	std, err := ServiceStandardPreset(preset)
	if err != nil {
		t.Fatal(err)
	}
	d, ok := std.Limit(step, complex)
	if !ok {
		t.Fatalf("%s has no %s for complex=%v", preset, step, complex)
	}
	return d
}

func TestServiceStandardPreset_Thresholds(t *testing.T) {
	for _, c := range []struct {
		preset  string
		step    ServiceStep
		complex bool
		want    time.Duration
		held    bool
	}{
		{"54321", StepRegistered, false, 5 * time.Minute, true},
		{"54321", StepRegistered, true, 5 * time.Minute, true},
		{"54321", StepOnsite, false, 40 * time.Minute, true},
		{"54321", StepFixed, false, 3 * time.Hour, true},
		{"54321", StepFixed, true, 0, false},
		{"54321", StepPlan, true, 48 * time.Hour, true},
		{"54321", StepPlan, false, 0, false},
		{"54321", StepVisit, true, 7 * 24 * time.Hour, true},
		{"54321", StepAnswered, false, 0, false},
		{"wuhan", StepAnswered, false, 20 * time.Minute, true},
		{"wuhan", StepOnsite, true, 30 * time.Minute, true},
		{"wuhan", StepFixed, false, 4 * time.Hour, true},
		{"wuhan", StepFixed, true, 24 * time.Hour, true},
		{"wuhan", StepVisit, false, 0, false},
		{"wuhan", StepRegistered, false, 0, false},
	} {
		std, err := ServiceStandardPreset(c.preset)
		if err != nil {
			t.Fatal(err)
		}
		if err := std.Validate(); err != nil {
			t.Fatalf("%s: %v", c.preset, err)
		}
		got, held := std.Limit(c.step, c.complex)
		if got != c.want || held != c.held {
			t.Errorf("%s %s complex=%v: got %v %v, want %v %v", c.preset, c.step, c.complex, got, held, c.want, c.held)
		}
	}
	if _, err := ServiceStandardPreset("beijing"); ErrorCode(err) != EINVALID {
		t.Errorf("unknown preset: %v", err)
	}
	if got := DefaultServiceStandard().Steps(); !reflect.DeepEqual(got, []ServiceStep{StepRegistered, StepOnsite, StepFixed, StepPlan, StepVisit}) {
		t.Errorf("54321 steps %v", got)
	}
}

func TestServiceStatus_LimitIsInclusiveAndCountsFromRegistration(t *testing.T) {
	reg := svcTime(t, "2026-03-02T09:00")
	now := reg.Add(30 * 24 * time.Hour)
	for _, c := range []struct {
		preset  string
		step    ServiceStep
		complex bool
		after   time.Duration // step done this long after registration; <0: not done
		want    StepStatus
	}{
		{"54321", StepOnsite, false, limitOf(t, "54321", StepOnsite, false), StepWithin},
		{"54321", StepOnsite, false, limitOf(t, "54321", StepOnsite, false) + time.Minute, StepLate},
		{"54321", StepFixed, false, limitOf(t, "54321", StepFixed, false), StepWithin},
		{"54321", StepFixed, false, limitOf(t, "54321", StepFixed, false) + time.Minute, StepLate},
		{"54321", StepPlan, true, limitOf(t, "54321", StepPlan, true), StepWithin},
		{"54321", StepPlan, true, -1, StepOverdue},
		{"54321", StepFixed, true, -1, StepNotHeld},
		{"54321", StepVisit, false, limitOf(t, "54321", StepVisit, false) + time.Minute, StepLate},
		{"wuhan", StepAnswered, false, limitOf(t, "wuhan", StepAnswered, false), StepWithin},
		{"wuhan", StepAnswered, false, limitOf(t, "wuhan", StepAnswered, false) + time.Minute, StepLate},
		{"wuhan", StepFixed, true, limitOf(t, "wuhan", StepFixed, true), StepWithin},
		{"wuhan", StepFixed, false, limitOf(t, "wuhan", StepFixed, true), StepLate},
		{"wuhan", StepOnsite, false, -1, StepOverdue},
	} {
		std, _ := ServiceStandardPreset(c.preset)
		r := ServiceRequest{ID: "S000001", Unit: "1-1-101", Kind: ServiceRepair, Complex: c.complex, Description: "x", At: reg}
		if c.after >= 0 {
			var err error
			r.Steps = append(r.Steps, ServiceStepRecord{Step: c.step, At: reg.Add(c.after)})
			_ = err
		}
		if got := r.Status(std, c.step, now); got != c.want {
			t.Errorf("%s %s complex=%v after %v: got %v, want %v", c.preset, c.step, c.complex, c.after, got, c.want)
		}
	}
}

func TestServiceStatus_NotDoneIsPendingUntilItsLimitPasses(t *testing.T) {
	std := DefaultServiceStandard()
	reg := svcTime(t, "2026-03-02T09:00")
	r := ServiceRequest{ID: "S000001", Kind: ServiceRepair, At: reg}
	lim := limitOf(t, "54321", StepOnsite, false)
	if got := r.Status(std, StepOnsite, reg.Add(lim)); got != StepPending {
		t.Errorf("exactly at the limit: %v, want pending", got)
	}
	if got := r.Status(std, StepOnsite, reg.Add(lim+time.Second)); got != StepOverdue {
		t.Errorf("past the limit: %v, want overdue", got)
	}
}

func TestServiceRequestAddStep_Refusals(t *testing.T) {
	reg := svcTime(t, "2026-03-02T09:00")
	r := ServiceRequest{ID: "S000001", Kind: ServiceRepair, At: reg}
	r, err := r.AddStep(DefaultServiceStandard(), ServiceStepRecord{Step: StepOnsite, At: reg.Add(30 * time.Minute)})
	if err != nil {
		t.Fatal(err)
	}
	for name, c := range map[string]struct {
		s    ServiceStepRecord
		code Code
	}{
		"before the previous step": {ServiceStepRecord{Step: StepFixed, At: reg.Add(29 * time.Minute)}, EINVALID},
		"before registration":      {ServiceStepRecord{Step: StepAnswered, At: reg.Add(-time.Minute)}, EINVALID},
		"rating 0 given":           {ServiceStepRecord{Step: StepVisit, At: reg.Add(time.Hour), Rating: -1}, EINVALID},
		"rating 6":                 {ServiceStepRecord{Step: StepVisit, At: reg.Add(time.Hour), Rating: 6}, EINVALID},
		"unknown step":             {ServiceStepRecord{Step: "closed", At: reg.Add(time.Hour)}, EINVALID},
		"step twice":               {ServiceStepRecord{Step: StepOnsite, At: reg.Add(time.Hour)}, ECONFLICT},
	} {
		if _, err := r.AddStep(DefaultServiceStandard(), c.s); ErrorCode(err) != c.code {
			t.Errorf("%s: got %v, want %s", name, err, c.code)
		}
	}
	// The same minute as the previous step is not before it.
	if _, err := r.AddStep(DefaultServiceStandard(), ServiceStepRecord{Step: StepFixed, At: reg.Add(30 * time.Minute), Rating: 5}); err != nil {
		t.Errorf("same time as previous step: %v", err)
	}
}

func TestComputeServiceStats_CountsDueWithinOverdue(t *testing.T) {
	std := DefaultServiceStandard()
	reg := svcTime(t, "2026-03-02T09:00")
	mk := func(id string, complex bool, at time.Time, steps map[ServiceStep]time.Duration) ServiceRequest {
		r := ServiceRequest{ID: id, Unit: "1-1-101", Kind: ServiceRepair, Complex: complex, Description: "x", At: at}
		for _, s := range ServiceSteps {
			if d, ok := steps[s]; ok {
				var err error
				if r, err = r.AddStep(std, ServiceStepRecord{Step: s, At: at.Add(d)}); err != nil {
					t.Fatal(err)
				}
			}
		}
		return r
	}
	now := svcTime(t, "2026-03-31T12:00")
	reqs := []ServiceRequest{
		// on time everywhere
		mk("S000001", false, reg, map[ServiceStep]time.Duration{StepOnsite: 40 * time.Minute, StepFixed: 3 * time.Hour, StepVisit: 7 * 24 * time.Hour}),
		// late on site, never fixed, no visit: overdue
		mk("S000002", false, reg, map[ServiceStep]time.Duration{StepOnsite: 41 * time.Minute}),
		// complex: plan in time, no visit yet but only 1 h ago -> visit pending, not due
		mk("S000003", true, now.Add(-time.Hour), map[ServiceStep]time.Duration{StepOnsite: 10 * time.Minute, StepPlan: 20 * time.Minute}),
		// another month: not counted
		mk("S000004", false, svcTime(t, "2026-02-27T09:00"), nil),
	}
	reqs[3].Kind = ServiceEnquiry
	st := ComputeServiceStats(reqs, ServiceStandards{{Standard: std}}, "2026-03", "2026-03", now)
	want := map[ServiceStep]StepStats{
		StepRegistered: {Due: 3, Within: 3},
		StepOnsite:     {Due: 3, Within: 2},
		StepFixed:      {Due: 2, Within: 1},
		StepPlan:       {Due: 1, Within: 1},
		StepVisit:      {Due: 2, Within: 1},
	}
	if st.Requests != 3 || !reflect.DeepEqual(st.Steps, want) || !reflect.DeepEqual(st.Overdue, []string{"S000002"}) {
		t.Errorf("got requests %d steps %v overdue %v", st.Requests, st.Steps, st.Overdue)
	}
	if st.ByKind[ServiceRepair] != 3 || st.Complex != 1 {
		t.Errorf("by kind %v complex %d", st.ByKind, st.Complex)
	}
	if got := st.Times[StepOnsite]; got.Done != 3 || got.Median != 40*time.Minute {
		t.Errorf("onsite times %+v", got)
	}
	q := ComputeServiceStats(reqs, ServiceStandards{{Standard: std}}, "2026-01", "2026-03", now)
	if q.Requests != 4 || !reflect.DeepEqual(q.Overdue, []string{"S000002", "S000004"}) {
		t.Errorf("quarter: %d %v", q.Requests, q.Overdue)
	}
	empty := ComputeServiceStats(nil, ServiceStandards{{Standard: std}}, "2025-01", "2025-01", now)
	if len(empty.Steps) != 5 || empty.Overdue == nil {
		t.Errorf("an empty period still lists every step and an empty overdue list: %+v", empty)
	}
}

func TestParseStepLimit_CustomLines(t *testing.T) {
	for in, want := range map[string]StepLimit{
		"onsite=40m":      {Step: StepOnsite, Minutes: 40},
		"fixed=3h/small":  {Step: StepFixed, Minutes: 180, For: ForSmall},
		"plan=2d/complex": {Step: StepPlan, Minutes: 2880, For: ForComplex},
		"answered=1h30m":  {Step: StepAnswered, Minutes: 90},
		" visit = 7d ":    {Step: StepVisit, Minutes: 7 * 1440},
	} {
		got, err := ParseStepLimit(in)
		if err != nil || got != want {
			t.Errorf("%q: got %+v %v, want %+v", in, got, err, want)
		}
	}
	for _, in := range []string{"onsite", "onsite=", "onsite=40", "onsite=0m", "closed=1h", "fixed=3h/big", "onsite=-5m", "onsite=9999999m"} {
		if _, err := ParseStepLimit(in); ErrorCode(err) != EINVALID {
			t.Errorf("%q: got %v, want invalid", in, err)
		}
	}
	s := ServiceStandard{Limits: []StepLimit{{Step: StepFixed, Minutes: 60}, {Step: StepFixed, Minutes: 90, For: ForComplex}}}
	if err := s.Validate(); ErrorCode(err) != EINVALID {
		t.Errorf("two limits for complex fixed: %v", err)
	}
}

func FuzzParseStepLimit(f *testing.F) {
	for _, s := range []string{"onsite=40m", "fixed=3h/small", "plan=2d/complex", "x=", "=1h"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if l, err := ParseStepLimit(s); err == nil {
			if err := l.Validate(); err != nil {
				t.Errorf("%q parsed to an invalid line: %v", s, err)
			}
		}
	})
}

func TestParseServiceTime_LocalMinutes(t *testing.T) {
	for _, in := range []string{"2026-03-02T09:15", "2026-03-02 09:15", " 2026-03-02T09:15:00 "} {
		got, err := ParseServiceTime(in)
		if err != nil || got.Format(ServiceTimeLayout) != "2026-03-02T09:15" || got.Location() != time.Local {
			t.Errorf("%q: %v %v", in, got, err)
		}
	}
	// Seconds are accepted and dropped: times are kept to the minute, as shown.
	if got, err := ParseServiceTime("2026-03-02T09:15:40"); err != nil || got.Second() != 0 || got.Format(ServiceTimeLayout) != "2026-03-02T09:15" {
		t.Errorf("seconds: %v %v", got, err)
	}
	for _, in := range []string{"", "2026-03-02", "2026-13-02T09:15", "2026-03-02T25:00", "09:15", "2026-03-02T09:15+08:00"} {
		if _, err := ParseServiceTime(in); ErrorCode(err) != EINVALID {
			t.Errorf("%q: %v", in, err)
		}
	}
}

func FuzzParseServiceTime(f *testing.F) {
	for _, s := range []string{"2026-03-02T09:15", "2026-03-02 09:15:00", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if at, err := ParseServiceTime(s); err == nil && at.IsZero() {
			t.Errorf("%q parsed to the zero time", s)
		}
	})
}

// TestServiceStats_ShareAndAverageAreExactDecimals: percentages and the mean rating are
// computed with decimals and rounded half-up once, never through floats.
func TestServiceStats_ShareAndAverageAreExactDecimals(t *testing.T) {
	for _, c := range []struct {
		s    StepStats
		want string
	}{{StepStats{Due: 3, Within: 2}, "66.7%"}, {StepStats{Due: 8, Within: 1}, "12.5%"}, {StepStats{Due: 0}, "–"}, {StepStats{Due: 7, Within: 7}, "100.0%"}} {
		if got := c.s.Share(); got != c.want {
			t.Errorf("%+v.Share() = %s, want %s", c.s, got, c.want)
		}
	}
	for _, c := range []struct {
		st   ServiceStats
		want string
	}{{ServiceStats{Rated: 3, RatingSum: 14}, "4.67"}, {ServiceStats{Rated: 8, RatingSum: 37}, "4.63"}, {ServiceStats{}, "–"}} {
		if got := c.st.AverageRating(); got != c.want {
			t.Errorf("%d/%d: AverageRating() = %s, want %s", c.st.RatingSum, c.st.Rated, got, c.want)
		}
	}
}

// TestServiceRequestAddStep_TheSameMinuteIsNeverBefore: a registration typed with
// seconds and a step typed in the same minute without them is in order (the same minute
// is fine), and a limit met to the minute is within.
func TestServiceRequestAddStep_TheSameMinuteIsNeverBefore(t *testing.T) {
	for _, c := range []struct{ registered, step string }{
		{"2026-05-02T09:15:40", "2026-05-02T09:15"},
		{"2026-05-02T09:15:59", "2026-05-02 09:15:00"},
		{"2026-05-02T09:15", "2026-05-02T09:15:30"},
	} {
		at, err := ParseServiceTime(c.registered)
		if err != nil {
			t.Fatal(err)
		}
		st, err := ParseServiceTime(c.step)
		if err != nil {
			t.Fatal(err)
		}
		r := ServiceRequest{ID: "S000001", At: at}
		if _, err := r.AddStep(must54321(t), ServiceStepRecord{Step: StepOnsite, At: st}); err != nil {
			t.Errorf("registered %s, step %s: %v", c.registered, c.step, err)
		}
	}
	at, _ := ParseServiceTime("2026-05-02T09:15:40")
	st, _ := ParseServiceTime("2026-05-02T09:55:10")
	r, err := ServiceRequest{ID: "S000001", At: at}.AddStep(must54321(t), ServiceStepRecord{Step: StepOnsite, At: st})
	if err != nil {
		t.Fatal(err)
	}
	if got := r.Status(must54321(t), StepOnsite, st); got != StepWithin {
		t.Errorf("40 minutes to the minute: status %v, want within", got)
	}
}

func must54321(t *testing.T) ServiceStandard {
	t.Helper()
	s, err := ServiceStandardPreset("54321")
	if err != nil {
		t.Fatal(err)
	}
	return s
}
