package app

import (
	"fmt"
	mbig "math/big"
	"math/rand/v2"
	"reflect"
	"sort"
	"testing"
	"time"

	"github.com/shopspring/decimal"
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

// modelHistory is a random year of requests under random dated standard changes, as the
// test above makes them, with owners' ratings on the return visits.
func modelHistory(t *testing.T, seed uint64) ([]ServiceRequest, ServiceStandards, time.Time) {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 11))
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.Local)
	names := []string{"54321", "wuhan"}
	var vs ServiceStandards
	vs, _, _ = vs.Set(ServiceStandardVersion{Standard: presetOf(t, names[rng.IntN(2)])})
	for i, n := 0, 1+rng.IntN(3); i < n; i++ {
		var err error
		if vs, _, err = vs.Set(ServiceStandardVersion{From: base.AddDate(0, 0, 1+rng.IntN(364)).Format("2006-01-02"), Standard: presetOf(t, names[rng.IntN(2)])}); err != nil {
			t.Fatal(err)
		}
	}
	var reqs []ServiceRequest
	for i := 0; i < 120; i++ {
		rep := base.Add(time.Duration(rng.IntN(365*24*60)) * time.Minute)
		r := ServiceRequest{ID: fmt.Sprintf("S%06d", i+1), Kind: ServiceRepair, Complex: rng.IntN(4) == 0,
			ReportedAt: rep, At: rep.Add(time.Duration(rng.IntN(9)) * time.Minute)}
		std := vs.For(r)
		prev := r.At
		for _, st := range ServiceSteps {
			if rng.IntN(7) == 0 {
				break
			}
			lim, held := std.Limit(st, r.Complex)
			if !held {
				lim = time.Hour
			}
			at := rep.Add(lim + time.Duration(rng.IntN(3)-1)*time.Minute)
			if at.Before(prev) {
				at = prev
			}
			rec := ServiceStepRecord{Step: st, At: at}
			if st == StepVisit && rng.IntN(3) > 0 {
				rec.Rating = 1 + rng.IntN(5)
			}
			next, err := r.AddStep(std, rec)
			if err != nil {
				break
			}
			r, prev = next, at
		}
		reqs = append(reqs, r)
	}
	return reqs, vs, base.AddDate(1, 0, 10)
}

// ratRound2 rounds a rational half away from zero to 0.01, the model's only rounding.
func ratRound2(x *mbig.Rat) *mbig.Rat {
	h := new(mbig.Rat).Mul(x, mbig.NewRat(100, 1))
	n, d := h.Num(), h.Denom()
	q, m := new(mbig.Int).QuoRem(new(mbig.Int).Abs(n), d, new(mbig.Int))
	if new(mbig.Int).Mul(m, mbig.NewInt(2)).Cmp(d) >= 0 {
		q.Add(q, mbig.NewInt(1))
	}
	if n.Sign() < 0 {
		q.Neg(q)
	}
	return new(mbig.Rat).SetFrac(q, mbig.NewInt(100))
}

func ratOf(d decimal.Decimal) *mbig.Rat { r, _ := new(mbig.Rat).SetString(d.String()); return r }

// TestAssessmentAndRemuneration_AgreeWithAnIndependentModel: for random histories under
// standard changes, random surveys (some below the minimum participation), committee
// items, weights, monthly bases, rates and bands, a model written from the rules with
// exact fractions — compliance = within ÷ due, ratings 1–5 scaled so 1 is 0 and 5 is
// 100, the score the weighted mean of the parts present, each month at the base rate,
// the quarter trued up to round₂(Σ months × factor of the score) — gives exactly the
// quarter's parts, score, accruals, true-up and remuneration.
func TestAssessmentAndRemuneration_AgreeWithAnIndependentModel(t *testing.T) {
	for seed := uint64(1); seed <= 30; seed++ {
		reqs, vs, now := modelHistory(t, seed)
		rng := rand.New(rand.NewPCG(seed, 13))
		dec := func(cents int) decimal.Decimal { return decimal.New(int64(cents), -2) }
		for qn := 1; qn <= 4; qn++ {
			q := fmt.Sprintf("2026Q%d", qn)
			months := QuarterMonths(q)
			st := ComputeServiceStats(reqs, vs, months[0], months[2], now)
			w := AssessmentWeights{Survey: decimal.NewFromInt(int64(rng.IntN(50))), Service: decimal.NewFromInt(int64(1 + rng.IntN(50))),
				Ratings: decimal.NewFromInt(int64(rng.IntN(30))), Committee: decimal.NewFromInt(int64(rng.IntN(30))), MinParticipation: decimal.NewFromInt(30)}
			var survey *SurveyResult
			if rng.IntN(4) > 0 {
				survey = &SurveyResult{ID: "Q1", HasTotal: true, Participation: dec(1000 + rng.IntN(6000)), Total: dec(rng.IntN(10001))}
			}
			var items []AssessmentScore
			for i, n := 0, rng.IntN(3); i < n; i++ {
				items = append(items, AssessmentScore{Item: fmt.Sprintf("项目%d", i), Weight: decimal.NewFromInt(int64(1 + rng.IntN(40))), Score: decimal.NewFromInt(int64(rng.IntN(101)))})
			}
			a, err := ComputeAssessment(q, w, survey, &st, items)

			// the model
			type part struct{ w, s *mbig.Rat }
			var parts []part
			if survey != nil && survey.Participation.GreaterThanOrEqual(w.MinParticipation) && w.Survey.IsPositive() {
				parts = append(parts, part{ratOf(w.Survey), ratOf(survey.Total)})
			}
			due, within, rated, sum := 0, 0, 0, 0
			for _, r := range reqs {
				m := r.At.Format("2006-01")
				if m < months[0] || m > months[2] {
					continue
				}
				if n := latestRating(r); n > 0 {
					rated, sum = rated+1, sum+n
				}
				std := vs.For(r)
				for _, s := range StandardSteps {
					lim, held := std.Limit(s, r.Complex)
					if !held {
						continue
					}
					deadline := r.ReportedAt.Add(lim)
					done, ok := r.At, s == StepRegistered
					for _, x := range r.Steps {
						if x.Step == s {
							done, ok = x.At, true
						}
					}
					switch {
					case ok:
						due++
						if !done.After(deadline) {
							within++
						}
					case now.After(deadline):
						due++
					}
				}
			}
			if due > 0 && w.Service.IsPositive() {
				parts = append(parts, part{ratOf(w.Service), ratRound2(mbig.NewRat(int64(100*within), int64(due)))})
			}
			if rated > 0 && w.Ratings.IsPositive() {
				parts = append(parts, part{ratOf(w.Ratings), ratRound2(mbig.NewRat(int64(25*(sum-rated)), int64(rated)))})
			}
			if len(items) > 0 && w.Committee.IsPositive() {
				ws, ss := new(mbig.Rat), new(mbig.Rat)
				for _, it := range items {
					ws.Add(ws, ratOf(it.Weight))
					ss.Add(ss, new(mbig.Rat).Mul(ratOf(it.Weight), ratOf(it.Score)))
				}
				parts = append(parts, part{ratOf(w.Committee), ratRound2(new(mbig.Rat).Quo(ss, ws))})
			}
			if len(parts) == 0 {
				if ErrorCode(err) != EINVALID {
					t.Fatalf("seed %d %s: nothing to compute from, got %v %v", seed, q, a.Total(), err)
				}
				continue
			}
			if err != nil {
				t.Fatalf("seed %d %s: %v", seed, q, err)
			}
			ws, ss := new(mbig.Rat), new(mbig.Rat)
			for _, p := range parts {
				ws.Add(ws, p.w)
				ss.Add(ss, new(mbig.Rat).Mul(p.w, p.s))
			}
			score := ratRound2(new(mbig.Rat).Quo(ss, ws))
			if len(a.Scores) != len(parts) || ratOf(a.Total()).Cmp(score) != 0 {
				t.Fatalf("seed %d %s: score %s with %d parts, model %s with %d (due %d within %d rated %d sum %d)", seed, q, a.Total(), len(a.Scores), score.FloatString(2), len(parts), due, within, rated, sum)
			}
			for i, p := range parts {
				if ratOf(a.Scores[i].Score).Cmp(p.s) != 0 {
					t.Fatalf("seed %d %s: part %s = %s, model %s", seed, q, a.Scores[i].Item, a.Scores[i].Score, p.s.FloatString(2))
				}
			}
			if err := a.CheckRecomputed(); err != nil {
				t.Fatalf("seed %d %s: %v", seed, q, err)
			}

			// remuneration: each month at the base rate, the quarter trued up
			pct := []string{"15", "12.5", "8", "10.25"}[rng.IntN(4)]
			c := RemunerationContract{Mode: RemunerationPercent, Percent: decimal.RequireFromString(pct), Base: BaseCollected, From: "2026-01"}
			c.Bands, _ = ParseBands([]string{"90:1,80:0.95,70:0.9,0:0.8", "85:1.05,60:1,0:0.5", ""}[rng.IntN(3)])
			var accr []RemunerationAccrual
			sumM := new(mbig.Rat)
			for _, m := range months {
				base := dec(rng.IntN(5_000_000))
				x := Accrue(c, m, base, nil)
				mm := ratRound2(new(mbig.Rat).Quo(new(mbig.Rat).Mul(ratOf(base), ratOf(c.Percent)), mbig.NewRat(100, 1)))
				if ratOf(x.Amount).Cmp(mm) != 0 || !x.Factor.Equal(decimal.NewFromInt(1)) {
					t.Fatalf("seed %d %s: accrual %s, model %s", seed, m, x.Amount, mm.FloatString(2))
				}
				accr = append(accr, x)
				sumM.Add(sumM, mm)
				if _, ok := TrueUp(c, q, accr, a, "2026-12-31"); ok != (len(accr) == 3) {
					t.Fatalf("seed %d %s: a true-up with %d months accrued: %v", seed, q, len(accr), ok)
				}
			}
			factor := mbig.NewRat(1, 1)
			best := -1
			for _, b := range c.Bands {
				if ratOf(decimal.NewFromInt(int64(b.MinScore))).Cmp(score) <= 0 && b.MinScore > best {
					best, factor = b.MinScore, ratOf(b.Factor)
				}
			}
			wantDue := ratRound2(new(mbig.Rat).Mul(sumM, factor))
			tu, ok := TrueUp(c, q, accr, a, "2026-12-31")
			if !ok || ratOf(tu.Accrued).Cmp(sumM) != 0 || ratOf(tu.Factor).Cmp(factor) != 0 || ratOf(tu.Due).Cmp(wantDue) != 0 ||
				ratOf(tu.Amount).Cmp(new(mbig.Rat).Sub(wantDue, sumM)) != 0 {
				t.Fatalf("seed %d %s: true-up %+v, model accrued %s factor %s due %s", seed, q, tu, sumM.FloatString(2), factor.FloatString(4), wantDue.FloatString(2))
			}
			stq := StatusOf(accr, []RemunerationTrueUp{tu}, tu.Due, "2027-01-15")
			if len(stq.Quarters) != 1 || ratOf(stq.Quarters[0].Due).Cmp(wantDue) != 0 || stq.Since != months[0] || stq.AgeMonths != 12-3*(qn-1) {
				t.Fatalf("seed %d %s: status %+v", seed, q, stq)
			}
		}
	}
}

// latestRating is the model's owner's rating: the last rating given among the steps.
func latestRating(r ServiceRequest) int {
	n := 0
	for _, s := range r.Steps {
		if s.Rating > 0 {
			n = s.Rating
		}
	}
	return n
}
