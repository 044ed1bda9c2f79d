package app

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"sort"
	"testing"
	"time"
)

// TestComputeServiceStats_AgreesWithAnIndependentModelAcrossStandardChanges: random
// histories (report times, registration delays, steps at, around and past their
// limits, reopened fixes) under random dated changes between 54321 and wuhan; a model
// written here from the rules alone — the standard of the report day, limits in whole
// minutes from the report, inclusive, overdue = not done and past — must give exactly
// the same figures for every month and quarter.
func TestComputeServiceStats_AgreesWithAnIndependentModelAcrossStandardChanges(t *testing.T) {
	// limits in minutes per preset, step → [small, complex]; 0 = not held
	model := map[string]map[ServiceStep][2]int{
		"54321": {StepRegistered: {5, 5}, StepOnsite: {40, 40}, StepFixed: {180, 0}, StepPlan: {0, 2880}, StepVisit: {10080, 10080}},
		"wuhan": {StepAnswered: {20, 20}, StepOnsite: {30, 30}, StepFixed: {240, 1440}},
	}
	for seed := uint64(1); seed <= 40; seed++ {
		rng := rand.New(rand.NewPCG(seed, 7))
		base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.Local)
		// versions: the first from the beginning, then 0–3 dated changes
		type ver struct {
			from string
			name string
		}
		names := []string{"54321", "wuhan"}
		vers := []ver{{"", names[rng.IntN(2)]}}
		var vs ServiceStandards
		vs, _, _ = vs.Set(ServiceStandardVersion{Standard: presetOf(t, vers[0].name)})
		for i, n := 0, rng.IntN(4); i < n; i++ {
			v := ver{base.AddDate(0, 0, rng.IntN(365)).Format(DateLayout), names[rng.IntN(2)]}
			var err error
			var replaced *ServiceStandardVersion
			if vs, replaced, err = vs.Set(ServiceStandardVersion{From: v.from, Standard: presetOf(t, v.name)}); err != nil {
				t.Fatal(err)
			}
			if replaced != nil {
				for j := range vers {
					if vers[j].from == v.from {
						vers[j].name = v.name
					}
				}
			} else {
				vers = append(vers, v)
			}
		}
		sort.Slice(vers, func(i, j int) bool { return vers[i].from < vers[j].from })
		nameOn := func(day string) string {
			n := vers[0].name
			for _, v := range vers {
				if v.from <= day {
					n = v.name
				}
			}
			return n
		}
		now := base.AddDate(1, 0, 10)
		var reqs []ServiceRequest
		for i := 0; i < 150; i++ {
			rep := base.Add(time.Duration(rng.IntN(365*24*60)) * time.Minute)
			r := ServiceRequest{ID: fmt.Sprintf("S%06d", i+1), Kind: ServiceRepair, Complex: rng.IntN(4) == 0,
				ReportedAt: rep, At: rep.Add(time.Duration(rng.IntN(9)) * time.Minute)}
			std := vs.For(r)
			prev := r.At
			for _, st := range ServiceSteps {
				if rng.IntN(6) == 0 {
					break // never done, nor anything after it
				}
				lim, held := std.Limit(st, r.Complex)
				if !held {
					if rng.IntN(2) == 0 {
						continue
					}
					lim = time.Hour
				}
				at := rep.Add(lim + time.Duration(rng.IntN(3)-1)*time.Minute) // a minute before, at, a minute after
				if rng.IntN(3) == 0 {
					at = rep.Add(time.Duration(rng.IntN(int(lim/time.Minute)+1)) * time.Minute)
				}
				if at.Before(prev) {
					at = prev
				}
				next, err := r.AddStep(std, ServiceStepRecord{Step: st, At: at})
				if err != nil {
					break // a step the order refuses (e.g. a visit after a fix never done)
				}
				r, prev = next, at
				if st == StepFixed && rng.IntN(8) == 0 { // the owner disputes it
					if reo, err := r.AddEvent(ServiceEvent{Kind: EventReopen, At: at.Add(time.Hour), Text: "还没修好"}); err == nil {
						r = reo
						if rng.IntN(2) == 0 {
							if again, err := r.AddStep(std, ServiceStepRecord{Step: StepFixed, At: at.Add(5 * time.Hour)}); err == nil {
								r = again
							}
						}
					}
					break
				}
			}
			reqs = append(reqs, r)
		}
		type counts struct{ due, within int }
		for _, p := range []string{"2026-01", "2026-06", "2026-12", "2026Q1", "2026Q3", "2026"} {
			from, to, err := ParseCollectionPeriod(p)
			if err != nil {
				t.Fatal(err)
			}
			got := ComputeServiceStats(reqs, vs, from, to, now)
			// the model
			want := map[ServiceStep]counts{}
			var overdue []string
			first := from + "-01"
			last := ServiceDay(time.Date(mustAtoi(to[:4]), time.Month(mustAtoi(to[5:])+1), 0, 0, 0, 0, 0, time.Local))
			keys := map[string]bool{nameOn(first): true}
			for _, v := range vers {
				if v.from > first && v.from <= last {
					keys[v.name] = true
				}
			}
			n := 0
			for _, r := range reqs {
				m := r.At.Format("2006-01")
				if m < from || m > to {
					continue
				}
				n++
				name := nameOn(r.ReportedAt.Format(DateLayout))
				keys[name] = true
				late := false
				for st, lims := range model[name] {
					lim := lims[0]
					if r.Complex {
						lim = lims[1]
					}
					if lim == 0 {
						continue
					}
					deadline := r.ReportedAt.Add(time.Duration(lim) * time.Minute)
					var done time.Time
					ok := false
					if st == StepRegistered {
						done, ok = r.At, true
					}
					for _, s := range r.Steps {
						if s.Step == st {
							done, ok = s.At, true
						}
					}
					c := want[st]
					switch {
					case ok:
						c.due++
						if !done.After(deadline) {
							c.within++
						}
					case now.After(deadline):
						c.due++
						late = true
					}
					want[st] = c
				}
				if late {
					overdue = append(overdue, r.ID)
				}
			}
			for name := range keys {
				for st := range model[name] {
					if _, ok := want[st]; !ok {
						want[st] = counts{}
					}
				}
			}
			gotC := map[ServiceStep]counts{}
			for st, c := range got.Steps {
				gotC[st] = counts{c.Due, c.Within}
			}
			sort.Strings(overdue)
			if overdue == nil {
				overdue = []string{}
			}
			if got.Requests != n || !reflect.DeepEqual(gotC, want) || !reflect.DeepEqual(got.Overdue, overdue) {
				t.Fatalf("seed %d %s (versions %v):\n got %d %v %v\nwant %d %v %v", seed, p, vers, got.Requests, gotC, got.Overdue, n, want, overdue)
			}
		}
	}
}

func mustAtoi(s string) int {
	n := 0
	for _, c := range s {
		n = n*10 + int(c-'0')
	}
	return n
}
