package app

import (
	"encoding/json"
	"fmt"
	bigmath "math/big"
	"math/rand/v2"
	"sort"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

// TestTally_AgreesWithABruteForceRecount compares CountVotes with bruteCount, a second
// implementation written the plainest way (unit by unit, rationals for every ratio), on
// random small registers full of trouble: multi-unit owners, co-owners, developer
// units, parking, invalid, duplicate and unknown-unit ballots, entries that differ,
// third looks, committee rulings, deliveries and every deemed-vote reading.
func TestTally_AgreesWithABruteForceRecount(t *testing.T) {
	for seed := uint64(1); seed <= 600; seed++ {
		r := rand.New(rand.NewPCG(seed, 2026))
		v := troubledVote(r)
		got := CountVotes(v)
		if s, want := summarize(got), bruteCount(v).String(); s != want {
			b, _ := json.Marshal(v)
			t.Fatalf("seed %d: CountVotes and the brute-force recount differ:\n got %s\nwant %s\nvote %s", seed, s, want, b)
		}
		checkAccounting(t, got)
	}
}

// troubledVote is a small random vote where every rule gets exercised.
func troubledVote(r *rand.Rand) VoteRecord {
	n := 3 + r.IntN(25)
	areas := []string{"100", "100", "50", "75.25", "100.5", "33.33"}
	var reg []Unit
	for i := 0; i < n; i++ {
		owner := fmt.Sprintf("O%d", r.IntN(n*2/3+1))
		if r.IntN(8) == 0 {
			owner = "DEV"
		}
		u := unit(fmt.Sprintf("%d-1-%d", 1+r.IntN(3), 101+i), areas[r.IntN(len(areas))], owner)
		if r.IntN(10) == 0 {
			u.Kind = KindParking
		}
		reg = append(reg, u)
	}
	kinds := ""
	for m := 0; m < 1+r.IntN(3); m++ {
		kinds += string("OM"[r.IntN(2)])
	}
	v := record(kinds, reg)
	v.Assembly.CountParking = r.IntN(2) == 0
	v.Assembly.Deemed = r.IntN(4) != 0
	if v.Assembly.Deemed {
		for _, c := range DeemCategories {
			if r.IntN(3) == 0 {
				v.Assembly.DeemAlso = append(v.Assembly.DeemAlso, c)
			}
		}
	}
	letters := "aaaoos-d"
	choices := func() string {
		var sb strings.Builder
		for range kinds {
			sb.WriteByte(letters[r.IntN(len(letters))])
		}
		return sb.String()
	}
	no := 0
	for i := 0; i < n; i++ {
		if r.IntN(3) == 0 {
			v.Deliveries = append(v.Deliveries, Delivery{Unit: reg[i].ID})
		}
		papers := 0
		switch x := r.IntN(10); {
		case x < 3:
		case x < 9:
			papers = 1
		default:
			papers = 2
		}
		for p := 0; p < papers; p++ {
			no++
			u := reg[i].ID
			if r.IntN(25) == 0 {
				u = "9-9-" + u
			}
			b := ballot(fmt.Sprint(no), u, choices())
			if r.IntN(8) == 0 {
				b.Invalid = []InvalidReason{ReasonUnsigned, ReasonIllegible}[r.IntN(2)]
			}
			if r.IntN(10) == 0 {
				b.Proxy = "代理人"
			}
			c := b
			c.Choices = append([]Choice(nil), b.Choices...)
			switch r.IntN(12) {
			case 0:
				c.Unit = reg[r.IntN(n)].ID // B keyed another unit
			case 1:
				c.Choices[0] = Choice(1 + r.IntN(3))
			case 2:
				c.Invalid = ReasonSpoiled
			}
			inA, inB := true, true
			switch r.IntN(30) {
			case 0:
				inA = false
			case 1:
				inB = false
			}
			if inA {
				v.EntryA = append(v.EntryA, b)
			}
			if inB {
				v.EntryB = append(v.EntryB, c)
			}
			if !c.Same(b) || !inA || !inB {
				switch r.IntN(3) {
				case 0:
					v.Resolutions = append(v.Resolutions, Resolution{Ballot: b})
				case 1:
					w := b
					w.Invalid = ReasonWithdrawn
					v.Resolutions = append(v.Resolutions, Resolution{Ballot: w})
				}
			}
		}
	}
	persons := map[string]bool{}
	for _, u := range reg {
		persons[u.Person()] = true
	}
	for p := range persons {
		for m := range kinds {
			if r.IntN(6) == 0 {
				v.Rulings = append(v.Rulings, HeadRuling{Person: p, Matter: m + 1, Choice: Choice(1 + r.IntN(3))})
			}
		}
	}
	sort.Slice(v.Rulings, func(i, j int) bool {
		return v.Rulings[i].Person+fmt.Sprint(v.Rulings[i].Matter) < v.Rulings[j].Person+fmt.Sprint(v.Rulings[j].Matter)
	})
	return v
}

// summarize writes the figures bruteCount recomputes, from a Tally.
func summarize(t Tally) string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "total %s/%d part %s/%d quorum %v acct %+v answered %s/%d %s/%d %s/%d awaiting %d",
		t.Total.Area, t.Total.Heads, t.Participating.Area, t.Participating.Heads, t.QuorumMet, t.Accounting,
		t.Answered.Invalid.Area, t.Answered.Invalid.Units, t.Answered.Pending.Area, t.Answered.Pending.Units, t.Answered.Duplicate.Area, t.Answered.Duplicate.Units, t.AwaitingRuling)
	if d := t.DeemedTotals; d != nil {
		fmt.Fprintf(&sb, " deemed %d/%s/%d part %s/%d quorum %v delivered %+v", d.Units, d.Area, d.Heads, d.Participating.Area, d.Participating.Heads, d.QuorumMet, d.Delivered)
	}
	for _, m := range t.Matters {
		fmt.Fprintf(&sb, " | m%d a %s/%d o %s/%d s %s/%d u %d passed %v", m.No, m.Agree.Area, m.Agree.Heads, m.Oppose.Area, m.Oppose.Heads, m.Abstain.Area, m.Abstain.Heads, m.Undecided, m.Passed)
		if d := m.WithDeemed; d != nil {
			fmt.Fprintf(&sb, " deemed %s a %s/%d o %s/%d passed %v", d.SideName, d.Agree.Area, d.Agree.Heads, d.Oppose.Area, d.Oppose.Heads, d.Passed)
		}
	}
	return sb.String()
}

// bruteResult is what bruteCount finds; String writes it like summarize.
type bruteResult struct{ s string }

func (b bruteResult) String() string { return b.s }

// bruteCount recounts a vote independently of CountVotes: it walks the voting units
// one by one, asks what papers name each, and decides every ratio with big.Rat.
func bruteCount(v VoteRecord) bruteResult {
	a := v.Assembly
	rat := func(n, d int64) *bigmath.Rat { return bigmath.NewRat(n, d) }
	ge := func(n, d int64, frac *bigmath.Rat) bool { // n/d ≥ frac (d > 0)
		return rat(n, d).Cmp(frac) >= 0
	}
	gt := func(n, d int64, frac *bigmath.Rat) bool { return rat(n, d).Cmp(frac) > 0 }
	fen := func(u Unit) int64 { return u.Area.Mul(decimal.NewFromInt(100)).IntPart() }
	f2 := func(x int64) string { return decimal.New(x, -2).StringFixed(2) }

	// Reconcile: a paper is final if both entries say the same, or a third look exists.
	inA, inB := map[string]Ballot{}, map[string]Ballot{}
	for _, b := range v.EntryA {
		inA[b.No] = b
	}
	for _, b := range v.EntryB {
		inB[b.No] = b
	}
	res := map[string]Ballot{}
	for _, x := range v.Resolutions {
		res[x.Ballot.No] = x.Ballot
	}
	same := func(x, y Ballot) bool {
		return x.Unit == y.Unit && x.Invalid == y.Invalid && x.Proxy == y.Proxy && fmt.Sprint(x.Choices) == fmt.Sprint(y.Choices)
	}
	all := map[string]bool{}
	for no := range inA {
		all[no] = true
	}
	for no := range inB {
		all[no] = true
	}
	var final []Ballot
	type pend struct{ primary, other string }
	var pending []pend
	for no := range all {
		x, okA := inA[no]
		y, okB := inB[no]
		if r, ok := res[no]; ok {
			final = append(final, r)
		} else if okA && okB && same(x, y) {
			final = append(final, x)
		} else if okA {
			pending = append(pending, pend{x.Unit, y.Unit})
		} else {
			pending = append(pending, pend{y.Unit, ""})
		}
	}
	regByID := map[string]Unit{}
	var voting []Unit
	for _, u := range v.Register {
		regByID[u.ID] = u
		if a.CountParking || u.Kind != KindParking {
			voting = append(voting, u)
		}
	}
	isVoting := map[string]bool{}
	for _, u := range voting {
		isVoting[u.ID] = true
	}
	var totalFen int64
	totalP := map[string]bool{}
	for _, u := range voting {
		totalFen += fen(u)
		totalP[u.Person()] = true
	}

	// What each voting unit returned.
	status := map[string]string{}
	counted := map[string]Ballot{}
	var validN, invalidN int
	for _, b := range final {
		if b.Invalid != "" || !isVoting[b.Unit] {
			invalidN++
		} else {
			validN++
		}
	}
	returned := 0
	for _, u := range voting {
		var valid []Ballot
		anyFinal := false
		for _, b := range final {
			if b.Unit == u.ID {
				anyFinal = true
				if b.Invalid == "" {
					valid = append(valid, b)
				}
			}
		}
		anyPending, primary := false, false
		for _, p := range pending {
			if p.primary == u.ID || p.other == u.ID {
				anyPending = true
			}
			primary = primary || p.primary == u.ID
		}
		switch {
		case len(valid) == 1:
			status[u.ID] = "counted"
			counted[u.ID] = valid[0]
		case len(valid) > 1:
			status[u.ID] = "duplicate"
		case anyPending:
			status[u.ID] = "pending"
		case anyFinal:
			status[u.ID] = "invalid"
		default:
			status[u.ID] = "none"
		}
		if anyFinal || primary {
			returned++
		}
	}
	papers := len(final) + len(pending)

	var partFen int64
	partP := map[string][]Ballot{}
	for id, b := range counted {
		partFen += fen(regByID[id])
		p := regByID[id].Person()
		partP[p] = append(partP[p], b)
	}
	partH := int64(len(partP))
	quorum := func(area, heads int64) bool {
		return ge(area, totalFen, rat(2, 3)) && ge(heads, int64(len(totalP)), rat(2, 3))
	}
	q := totalFen > 0 && len(totalP) > 0 && quorum(partFen, partH)

	ansArea, ansUnits := map[string]int64{}, map[string]int{}
	for _, u := range voting {
		st := status[u.ID]
		ansArea[st] += fen(u)
		ansUnits[st]++
	}

	var sb strings.Builder
	fmt.Fprintf(&sb, "total %s/%d part %s/%d quorum %v acct {Issued:%d Returned:%d NotReturned:%d Extra:%d Pending:%d} answered %s/%d %s/%d %s/%d",
		f2(totalFen), len(totalP), f2(partFen), partH, q, len(voting), returned, len(voting)-returned, papers-returned, len(pending),
		f2(ansArea["invalid"]), ansUnits["invalid"], f2(ansArea["pending"]), ansUnits["pending"], f2(ansArea["duplicate"]), ansUnits["duplicate"])
	_ = validN

	ruling := func(person string, m int) (Choice, bool) {
		for _, h := range v.Rulings {
			if h.Person == person && h.Matter == m {
				return h.Choice.Counted(), true
			}
		}
		return 0, false
	}
	awaiting := map[string]bool{}
	type side struct {
		area  map[Choice]int64
		heads map[Choice]int64
		undec int
	}
	sides := make([]side, len(a.Matters))
	for m, mt := range a.Matters {
		s := side{area: map[Choice]int64{}, heads: map[Choice]int64{}}
		for id, b := range counted {
			s.area[b.Choices[m].Counted()] += fen(regByID[id])
		}
		for p, bs := range partP {
			cs := map[Choice]bool{}
			for _, b := range bs {
				cs[b.Choices[m].Counted()] = true
			}
			if len(cs) == 1 {
				for c := range cs {
					s.heads[c]++
				}
				continue
			}
			if c, ok := ruling(p, mt.No); ok {
				s.heads[c]++
			} else {
				s.undec++
				awaiting[p] = true
			}
		}
		sides[m] = s
	}
	fmt.Fprintf(&sb, " awaiting %d", len(awaiting))

	passes := func(kind MatterKind, agA, pA, agH, pH int64) bool {
		if pH == 0 || pA == 0 {
			return false
		}
		if kind == MatterMajor {
			return ge(agA, pA, rat(3, 4)) && ge(agH, pH, rat(3, 4))
		}
		return gt(agA, pA, rat(1, 2)) && gt(agH, pH, rat(1, 2))
	}

	var dFen int64
	dNew := map[string]bool{}
	dq := false
	if a.Deemed {
		also := map[string]bool{}
		for _, c := range a.DeemAlso {
			also[c] = true
		}
		dl := DeliveredUnits{}
		units := 0
		seen := map[string]bool{}
		for _, d := range v.Deliveries {
			if !isVoting[d.Unit] || seen[d.Unit] {
				continue
			}
			seen[d.Unit] = true
			dl.Units++
			st := status[d.Unit]
			switch st {
			case "counted":
				dl.Counted++
			case "none":
				dl.NoBallot++
			case "invalid":
				dl.Invalid++
			case "pending":
				dl.Pending++
			case "duplicate":
				dl.Duplicate++
			}
			if st == "none" || also[st] {
				units++
				dFen += fen(regByID[d.Unit])
				if _, ok := partP[regByID[d.Unit].Person()]; !ok {
					dNew[regByID[d.Unit].Person()] = true
				}
			}
		}
		dq = quorum(partFen+dFen, partH+int64(len(dNew)))
		fmt.Fprintf(&sb, " deemed %d/%s/%d part %s/%d quorum %v delivered %+v", units, f2(dFen), len(dNew), f2(partFen+dFen), partH+int64(len(dNew)), dq, dl)
	}
	for m, mt := range a.Matters {
		s := sides[m]
		passed := q && passes(mt.Kind, s.area[Agree], partFen, s.heads[Agree], partH)
		fmt.Fprintf(&sb, " | m%d a %s/%d o %s/%d s %s/%d u %d passed %v", mt.No, f2(s.area[Agree]), s.heads[Agree], f2(s.area[Oppose]), s.heads[Oppose], f2(s.area[Abstain]), s.heads[Abstain], s.undec, passed)
		if a.Deemed {
			agA, agH, opA, opH := s.area[Agree], s.heads[Agree], s.area[Oppose], s.heads[Oppose]
			name := "none"
			if agH > opH {
				name, agA, agH = "agree", agA+dFen, agH+int64(len(dNew))
			} else if opH > agH {
				name, opA, opH = "oppose", opA+dFen, opH+int64(len(dNew))
			}
			dp := dq && passes(mt.Kind, agA, partFen+dFen, agH, partH+int64(len(dNew)))
			fmt.Fprintf(&sb, " deemed %s a %s/%d o %s/%d passed %v", name, f2(agA), agH, f2(opA), opH, dp)
		}
	}
	return bruteResult{sb.String()}
}
