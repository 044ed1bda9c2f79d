package app

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// How service requests stand against the response standard: each step's status at a
// moment, and the statistics of a period (share within the limit, median times,
// overdue requests, owners' ratings).

// FormatDuration writes a time taken to the minute: 35分钟, 2小时05分, 1天3小时.
func FormatDuration(d time.Duration) string {
	m := int(d / time.Minute)
	switch {
	case m < 60:
		return fmt.Sprintf(T("%d分钟", "%d min"), m)
	case m < 24*60:
		return fmt.Sprintf(T("%d小时%02d分", "%d h %02d min"), m/60, m%60)
	}
	return fmt.Sprintf(T("%d天%d小时", "%d d %d h"), m/(24*60), m%(24*60)/60)
}

// StepStatus is how one step of one request stands against the standard at a moment.
type StepStatus int

const (
	StepNotHeld StepStatus = iota // the standard does not hold this request to the step
	StepPending                   // not done yet, limit not passed: not counted yet
	StepWithin                    // done at or before registration + limit
	StepLate                      // done after the limit
	StepOverdue                   // not done and the limit has passed
)

// Status is where step of r stands under std at now. The limit counts from the owner's
// report (Start) and is inclusive.
func (r ServiceRequest) Status(std ServiceStandard, step ServiceStep, now time.Time) StepStatus {
	limit, held := std.Limit(step, r.Complex)
	if !held {
		return StepNotHeld
	}
	deadline := r.Start().Add(limit)
	if at, done := r.Done(step); done {
		if at.After(deadline) {
			return StepLate
		}
		return StepWithin
	}
	if now.After(deadline) {
		return StepOverdue
	}
	return StepPending
}

// Overdue reports whether any step the standard holds r to is past its limit and not
// done at now.
func (r ServiceRequest) Overdue(std ServiceStandard, now time.Time) bool {
	for _, step := range std.Steps() {
		if r.Status(std, step, now) == StepOverdue {
			return true
		}
	}
	return false
}

// StepStats counts one step over the requests of a period. Due is how many requests the
// standard holds to the step and whose step is either done or past its limit (a step
// still inside its limit and not done is not counted yet); Within is how many were
// done at or before registration + limit. Due − Within are late or overdue.
type StepStats struct {
	Due    int `json:"due"`
	Within int `json:"within"`
}

// StepTimes are how long a step took among the requests that recorded it (held to it
// by the standard or not): how many, and the median time from the owner's report.
type StepTimes struct {
	Done   int
	Median time.Duration
}

// Share is Within/Due as a percentage to one decimal ("–" when nothing was due).
func (s StepStats) Share() string {
	if s.Due == 0 {
		return "–"
	}
	return decimal.NewFromInt(int64(s.Within)*100).DivRound(decimal.NewFromInt(int64(s.Due)), 1).StringFixed(1) + "%"
}

// ServiceStats are the statistics of the requests registered in a period, each under
// the standard in force when it was reported, evaluated at a moment (the book's clock).
type ServiceStats struct {
	From, To string // months YYYY-MM, inclusive
	// Standard is the one in force at the end of the period; Standards every one in force
	// during it or judging one of its requests, in order.
	Standard  ServiceStandard
	Standards []ServiceStandard
	// Versions are the book's standard versions: Versions.For(r) judges request r.
	Versions ServiceStandards
	At       time.Time
	Requests int
	ByKind   map[ServiceKind]int
	Complex  int
	Steps    map[ServiceStep]StepStats // every step of the standard
	Times    map[ServiceStep]StepTimes // every step recorded at least once
	Overdue  []string                  // ids, sorted
	// Rated counts the requests with an owner's rating; RatingSum adds the ratings up.
	Rated     int
	RatingSum int
}

// AverageRating is the owners' mean rating to 2 decimals ("–" when nobody rated), the one
// figure the CLI, the page and the report print.
func (st ServiceStats) AverageRating() string {
	if st.Rated == 0 {
		return "–"
	}
	return decimal.NewFromInt(int64(st.RatingSum)).DivRound(decimal.NewFromInt(int64(st.Rated)), 2).StringFixed(2)
}

// InPeriod reports whether r was registered (local time) in the months from..to.
func (r ServiceRequest) InPeriod(from, to string) bool {
	m := r.ServiceMonth()
	return m >= from && m <= to
}

// ComputeServiceStats counts the requests registered in from..to (months, inclusive),
// each under the standard stds gives it (the one in force the day it was reported), at
// now. Steps has a key for every step limited by a standard in force during the period
// or judging one of its requests, even with nothing due.
func ComputeServiceStats(reqs []ServiceRequest, stds ServiceStandards, from, to string, now time.Time) ServiceStats {
	st := ServiceStats{From: from, To: to, At: now, Versions: stds, ByKind: map[ServiceKind]int{}, Steps: map[ServiceStep]StepStats{}, Times: map[ServiceStep]StepTimes{}}
	lastDay := ""
	if t, err := time.ParseInLocation("2006-01", to, time.Local); err == nil {
		lastDay = ServiceDay(t.AddDate(0, 1, -1))
	}
	st.Standard = stds.On(lastDay)
	used := map[string]bool{}
	use := func(std ServiceStandard) {
		k := std.String()
		if used[k] {
			return
		}
		used[k] = true
		st.Standards = append(st.Standards, std)
		for _, step := range std.Steps() {
			if _, ok := st.Steps[step]; !ok {
				st.Steps[step] = StepStats{}
			}
		}
	}
	for _, std := range stds.During(from+"-01", lastDay) {
		use(std)
	}
	durs := map[ServiceStep][]time.Duration{}
	for _, r := range reqs {
		if !r.InPeriod(from, to) {
			continue
		}
		std := stds.For(r)
		use(std)
		st.Requests++
		st.ByKind[r.Kind]++
		if r.Complex {
			st.Complex++
		}
		if n := r.Rating(); n > 0 {
			st.Rated++
			st.RatingSum += n
		}
		overdue := false
		for _, s := range r.Steps {
			durs[s.Step] = append(durs[s.Step], s.At.Sub(r.Start()))
		}
		for _, step := range std.Steps() {
			c := st.Steps[step]
			switch r.Status(std, step, now) {
			case StepWithin:
				c.Due++
				c.Within++
			case StepLate:
				c.Due++
			case StepOverdue:
				c.Due++
				overdue = true
			}
			st.Steps[step] = c
		}
		if overdue {
			st.Overdue = append(st.Overdue, r.ID)
		}
	}
	for step, ds := range durs {
		st.Times[step] = StepTimes{Done: len(ds), Median: median(ds)}
	}
	sort.Strings(st.Overdue)
	if st.Overdue == nil {
		st.Overdue = []string{}
	}
	return st
}

// StepKeys are the steps of the statistics (the keys of Steps) in the natural order.
func (st ServiceStats) StepKeys() []ServiceStep {
	var out []ServiceStep
	for _, step := range StandardSteps {
		if _, ok := st.Steps[step]; ok {
			out = append(out, step)
		}
	}
	return out
}

func median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// ToEscalate lists the requests service escalate --overdue puts on the joint meeting's
// agenda: not signed off, overdue under their standard at now or reopened, and not
// escalated since they were last reopened.
func ToEscalate(reqs []ServiceRequest, vs ServiceStandards, now time.Time) []ServiceRequest {
	var out []ServiceRequest
	for _, r := range reqs {
		if r.Closed() {
			continue
		}
		esc, escalated := r.Event(EventEscalate)
		reo, reopened := r.Event(EventReopen)
		if escalated && (!reopened || reo.At.Before(esc.At) || reo.At.Equal(esc.At)) {
			continue
		}
		if reopened || r.Overdue(vs.For(r), now) {
			out = append(out, r)
		}
	}
	return out
}

// AsOf is the request as it stood at t: the steps and events recorded for a time up to
// t (a step or a sign-off of later is not yet there).
func (r ServiceRequest) AsOf(t time.Time) ServiceRequest {
	out := r
	out.Steps, out.Events = nil, nil
	for _, s := range r.Steps {
		if !s.At.After(t) {
			out.Steps = append(out.Steps, s)
		}
	}
	for _, e := range r.Events {
		if !e.At.After(t) {
			out.Events = append(out.Events, e)
		}
	}
	return out
}

// MeetingAgenda lists the requests a joint meeting held at at takes up (docs/meetings.md
// "Escalated requests"): every request reported by then and not signed off by then that
// was overdue under its standard, reopened, or escalated by hand — as it stood at at.
// A request stays on each meeting's agenda until the owner signs it off.
func MeetingAgenda(reqs []ServiceRequest, vs ServiceStandards, at time.Time) []AgendaItem {
	var out []AgendaItem
	for _, r := range reqs {
		if r.At.After(at) {
			continue
		}
		v := r.AsOf(at)
		if v.Closed() {
			continue
		}
		std := vs.For(r)
		var why, late []string
		for _, step := range std.Steps() {
			if v.Status(std, step, at) == StepOverdue {
				late = append(late, string(step))
			}
		}
		if len(late) > 0 {
			why = append(why, "overdue")
		}
		if v.Reopened() > 0 {
			why = append(why, "reopened")
		}
		if v.Escalated() {
			why = append(why, "escalated")
		}
		if len(why) == 0 {
			continue
		}
		out = append(out, AgendaItem{Request: r.ID, Unit: r.Unit, Kind: string(r.Kind), Why: strings.Join(why, "+"), Reopened: v.Reopened(), Late: late})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Request < out[j].Request })
	return out
}
