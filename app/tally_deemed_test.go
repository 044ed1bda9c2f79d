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

// deemedRecord is a vote on one ordinary matter using the deemed-vote rule.
func deemedRecord(reg []Unit, a, b []Ballot, delivered ...string) VoteRecord {
	r := record("O", reg)
	r.EntryA, r.EntryB = a, b
	r.Assembly.Deemed = true
	for _, u := range delivered {
		r.Deliveries = append(r.Deliveries, Delivery{Unit: u})
	}
	return r
}

func invalidBallot(no, unit, choices, reason string) Ballot {
	b := ballot(no, unit, choices)
	b.Invalid = reason
	return b
}

// TestTally_DeemedVotesDefaultReadingDeemsOnlyUnitsWithNoBallotAtAll: a delivered unit
// that returned no ballot at all is deemed; one that answered (invalid, awaiting the
// third look, held back as a duplicate) is reported on its own line and never deemed,
// unless the community's rules (DeemAlso) say otherwise. Deeming is per unit; heads
// count once per person, and an owner who voted on one unit already takes part.
func TestTally_DeemedVotesDefaultReadingDeemsOnlyUnitsWithNoBallotAtAll(t *testing.T) {
	three := []Unit{unit("1", "100", "O1"), unit("2", "100", "O2"), unit("3", "100", "O3")}
	both := func(bs ...Ballot) ([]Ballot, []Ballot) { return bs, bs }
	cases := []struct {
		name      string
		rec       func() VoteRecord
		units     int
		area      string
		heads     int
		delivered DeliveredUnits
		answered  Answered
	}{
		{name: "no ballot and delivered: deemed", rec: func() VoteRecord {
			a, b := both(ballot("1", "1", "a"))
			return deemedRecord(three, a, b, "2")
		}, units: 1, area: "100.00", heads: 1, delivered: DeliveredUnits{Units: 1, NoBallot: 1}},
		{name: "no ballot and not delivered: not deemed", rec: func() VoteRecord {
			a, b := both(ballot("1", "1", "a"))
			return deemedRecord(three, a, b)
		}, units: 0, area: "0.00"},
		{name: "invalid ballot and delivered: answered, not deemed", rec: func() VoteRecord {
			a, b := both(ballot("1", "1", "a"), invalidBallot("2", "2", "a", ReasonUnsigned))
			return deemedRecord(three, a, b, "2")
		}, units: 0, area: "0.00", delivered: DeliveredUnits{Units: 1, Invalid: 1}, answered: Answered{Invalid: UnitsArea{1, sqm(10000)}}},
		{name: "invalid ballot and delivered, rules deem invalid: deemed", rec: func() VoteRecord {
			a, b := both(ballot("1", "1", "a"), invalidBallot("2", "2", "a", ReasonUnsigned))
			r := deemedRecord(three, a, b, "2")
			r.Assembly.DeemAlso = []string{DeemInvalid}
			return r
		}, units: 1, area: "100.00", heads: 1, delivered: DeliveredUnits{Units: 1, Invalid: 1}, answered: Answered{Invalid: UnitsArea{1, sqm(10000)}}},
		{name: "duplicate ballots and delivered: answered, not deemed", rec: func() VoteRecord {
			a, b := both(ballot("1", "1", "a"), ballot("2", "2", "a"), ballot("3", "2", "o"))
			return deemedRecord(three, a, b, "2")
		}, units: 0, area: "0.00", delivered: DeliveredUnits{Units: 1, Duplicate: 1}, answered: Answered{Duplicate: UnitsArea{1, sqm(10000)}}},
		{name: "duplicate ballots and delivered, rules deem duplicates: deemed", rec: func() VoteRecord {
			a, b := both(ballot("1", "1", "a"), ballot("2", "2", "a"), ballot("3", "2", "o"))
			r := deemedRecord(three, a, b, "2")
			r.Assembly.DeemAlso = []string{DeemDuplicate}
			return r
		}, units: 1, area: "100.00", heads: 1, delivered: DeliveredUnits{Units: 1, Duplicate: 1}, answered: Answered{Duplicate: UnitsArea{1, sqm(10000)}}},
		{name: "unreconciled ballot (A and B differ) and delivered: answered, not deemed", rec: func() VoteRecord {
			return deemedRecord(three, []Ballot{ballot("1", "1", "a"), ballot("2", "2", "a")}, []Ballot{ballot("1", "1", "a"), ballot("2", "2", "o")}, "2")
		}, units: 0, area: "0.00", delivered: DeliveredUnits{Units: 1, Pending: 1}, answered: Answered{Pending: UnitsArea{1, sqm(10000)}}},
		{name: "ballot keyed in entry A only and delivered: answered, not deemed", rec: func() VoteRecord {
			return deemedRecord(three, []Ballot{ballot("1", "1", "a"), ballot("2", "2", "a")}, []Ballot{ballot("1", "1", "a")}, "2")
		}, units: 0, area: "0.00", delivered: DeliveredUnits{Units: 1, Pending: 1}, answered: Answered{Pending: UnitsArea{1, sqm(10000)}}},
		{name: "unreconciled ballot keyed for unit 2 by A and unit 3 by B: neither is deemed", rec: func() VoteRecord {
			return deemedRecord(three, []Ballot{ballot("1", "1", "a"), ballot("2", "2", "a")}, []Ballot{ballot("1", "1", "a"), ballot("2", "3", "a")}, "2", "3")
		}, units: 0, area: "0.00", delivered: DeliveredUnits{Units: 2, Pending: 2}, answered: Answered{Pending: UnitsArea{2, sqm(20000)}}},
		{name: "unreconciled ballot and delivered, rules deem pending: deemed", rec: func() VoteRecord {
			r := deemedRecord(three, []Ballot{ballot("1", "1", "a"), ballot("2", "2", "a")}, []Ballot{ballot("1", "1", "a"), ballot("2", "2", "o")}, "2")
			r.Assembly.DeemAlso = []string{DeemPending}
			return r
		}, units: 1, area: "100.00", heads: 1, delivered: DeliveredUnits{Units: 1, Pending: 1}, answered: Answered{Pending: UnitsArea{1, sqm(10000)}}},
		{name: "third look puts the paper on unit 2: unit 3 returned nothing and is deemed", rec: func() VoteRecord {
			r := deemedRecord(three, []Ballot{ballot("1", "1", "a"), ballot("2", "2", "a")}, []Ballot{ballot("1", "1", "a"), ballot("2", "3", "a")}, "2", "3")
			r.Resolutions = []Resolution{{Ballot: ballot("2", "2", "a")}}
			return r
		}, units: 1, area: "100.00", heads: 1, delivered: DeliveredUnits{Units: 2, Counted: 1, NoBallot: 1}},
		{name: "a counted ballot is never deemed", rec: func() VoteRecord {
			a, b := both(ballot("1", "1", "a"))
			return deemedRecord(three, a, b, "1")
		}, units: 0, area: "0.00", delivered: DeliveredUnits{Units: 1, Counted: 1}},
		{name: "multi-unit owner voted on one unit: the other unit is deemed, no head added", rec: func() VoteRecord {
			reg := []Unit{unit("1", "100", "O1"), unit("2", "80", "O1"), unit("3", "100", "O2")}
			a, b := both(ballot("1", "1", "o"), ballot("3", "3", "a"))
			return deemedRecord(reg, a, b, "2")
		}, units: 1, area: "80.00", heads: 0, delivered: DeliveredUnits{Units: 1, NoBallot: 1}},
		{name: "multi-unit owner with no ballot: both units deemed, one head", rec: func() VoteRecord {
			reg := []Unit{unit("1", "100", "O1"), unit("2", "80", "O1"), unit("3", "100", "O2")}
			a, b := both(ballot("3", "3", "a"))
			return deemedRecord(reg, a, b, "1", "2")
		}, units: 2, area: "180.00", heads: 1, delivered: DeliveredUnits{Units: 2, NoBallot: 2}},
		{name: "multi-unit owner with an invalid ballot on one unit: only the unit with no ballot is deemed, adding the head", rec: func() VoteRecord {
			reg := []Unit{unit("1", "100", "O1"), unit("2", "80", "O1"), unit("3", "100", "O2")}
			a, b := both(invalidBallot("1", "1", "a", ReasonIllegible), ballot("3", "3", "a"))
			return deemedRecord(reg, a, b, "1", "2")
		}, units: 1, area: "80.00", heads: 1, delivered: DeliveredUnits{Units: 2, NoBallot: 1, Invalid: 1}, answered: Answered{Invalid: UnitsArea{1, sqm(10000)}}},
		{name: "developer units without ballots: one head however many units", rec: func() VoteRecord {
			reg := []Unit{unit("1", "100", "O1"), unit("2", "100", "DEV"), unit("3", "100", "DEV"), unit("4", "100", "DEV")}
			a, b := both(ballot("1", "1", "a"))
			return deemedRecord(reg, a, b, "2", "3", "4")
		}, units: 3, area: "300.00", heads: 1, delivered: DeliveredUnits{Units: 3, NoBallot: 3}},
		{name: "a delivered parking space that does not vote is not deemed", rec: func() VoteRecord {
			reg := append(append([]Unit{}, three...), Unit{ID: "P-1", Kind: KindParking, Area: decimal.NewFromInt(12), OwnerID: "O9"})
			a, b := both(ballot("1", "1", "a"))
			return deemedRecord(reg, a, b, "P-1")
		}, units: 0, area: "0.00"},
		{name: "a withdrawn second ballot: the unit's other ballot counts, nothing deemed", rec: func() VoteRecord {
			a, b := both(ballot("1", "1", "a"), ballot("2", "2", "a"), ballot("3", "2", "o"))
			r := deemedRecord(three, a, b, "2")
			r.Resolutions = []Resolution{{Ballot: invalidBallot("3", "2", "o", ReasonWithdrawn)}}
			return r
		}, units: 0, area: "0.00", delivered: DeliveredUnits{Units: 1, Counted: 1}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tl := CountVotes(c.rec())
			d := tl.DeemedTotals
			if d == nil {
				t.Fatalf("no deemed totals")
			}
			if d.Units != c.units || d.Area.String() != c.area || d.Heads != c.heads {
				t.Errorf("deemed units %d area %s heads %d, want %d %s %d", d.Units, d.Area, d.Heads, c.units, c.area, c.heads)
			}
			if d.Delivered != c.delivered {
				t.Errorf("delivered = %+v, want %+v", d.Delivered, c.delivered)
			}
			if got, want := fmt.Sprint(tl.Answered), fmt.Sprint(c.answered); got != want {
				t.Errorf("answered = %s, want %s", got, want)
			}
			if want := sqm(tl.Participating.Area.Fen() + d.Area.Fen()).String(); d.Participating.Area.String() != want || d.Participating.Heads != tl.Participating.Heads+d.Heads {
				t.Errorf("participating with deemed %+v, without %+v", d.Participating, tl.Participating)
			}
			if brute := bruteCount(c.rec()); brute.String() != summarize(tl) {
				t.Errorf("brute-force recount differs:\n got %s\nwant %s", summarize(tl), brute)
			}
		})
	}
}

// TestTally_DeemedVotesThroughTheThresholds drives the law's edges with deemed votes.
func TestTally_DeemedVotesThroughTheThresholds(t *testing.T) {
	// Six owners of 100 m²; three vote, the others' ballots were delivered.
	six := func() []Unit {
		var reg []Unit
		for i := 1; i <= 6; i++ {
			reg = append(reg, unit(fmt.Sprint(i), "100", fmt.Sprintf("O%d", i)))
		}
		return reg
	}
	cases := []struct {
		name                 string
		kinds                string
		ballots              []Ballot
		delivered            []string
		quorum, deemedQuorum bool
		passed, deemedPassed bool
		side                 Choice
	}{
		{"3 of 6 vote: no quorum; 1 deemed makes exactly 2/3 and the majority carries an ordinary matter", "O",
			[]Ballot{ballot("1", "1", "a"), ballot("2", "2", "a"), ballot("3", "3", "o")}, []string{"4"}, false, true, false, true, Agree},
		{"deemed join oppose when oppose has more heads", "O",
			[]Ballot{ballot("1", "1", "o"), ballot("2", "2", "o"), ballot("3", "3", "a")}, []string{"4", "5", "6"}, false, true, false, false, Oppose},
		{"a tie adds nothing: 2 agree 2 oppose, 2 deemed participate on no side", "O",
			[]Ballot{ballot("1", "1", "a"), ballot("2", "2", "a"), ballot("3", "3", "o"), ballot("4", "4", "o")}, []string{"5", "6"}, true, true, false, false, Blank},
		{"major: 3 agree of 4, 2 deemed join agree: 5 of 6 ≥ 3/4", "M",
			[]Ballot{ballot("1", "1", "a"), ballot("2", "2", "a"), ballot("3", "3", "a"), ballot("4", "4", "o")}, []string{"5", "6"}, true, true, true, true, Agree},
		{"major: 2 agree 1 oppose 1 abstain: 2 deemed to agree make 4 of 6, short of 3/4", "M",
			[]Ballot{ballot("1", "1", "a"), ballot("2", "2", "a"), ballot("3", "3", "o"), ballot("4", "4", "s")}, []string{"5", "6"}, true, true, false, false, Agree},
		{"abstentions do not pick the side: 1 agree 0 oppose 3 abstain, 2 deemed join agree: 3 of 6 is not more than half", "O",
			[]Ballot{ballot("1", "1", "a"), ballot("2", "2", "s"), ballot("3", "3", "s"), ballot("4", "4", "s")}, []string{"5", "6"}, true, true, false, false, Agree},
		{"invalid ballots stay out: 3 vote, units 4-6 answered invalid: no quorum either way", "O",
			[]Ballot{ballot("1", "1", "a"), ballot("2", "2", "a"), ballot("3", "3", "a"), invalidBallot("4", "4", "a", ReasonUnsigned), invalidBallot("5", "5", "a", ReasonUnsigned), invalidBallot("6", "6", "a", ReasonUnsigned)},
			[]string{"4", "5", "6"}, false, false, false, false, Agree},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := deemedRecord(six(), c.ballots, c.ballots, c.delivered...)
			r.Assembly.Matters[0].Kind = map[byte]string{'O': MatterOrdinary, 'M': MatterMajor}[c.kinds[0]]
			tl := CountVotes(r)
			m := tl.Matters[0]
			if tl.QuorumMet != c.quorum || tl.DeemedTotals.QuorumMet != c.deemedQuorum {
				t.Errorf("quorum %v / with deemed %v, want %v / %v", tl.QuorumMet, tl.DeemedTotals.QuorumMet, c.quorum, c.deemedQuorum)
			}
			if m.Passed != c.passed || m.WithDeemed.Passed != c.deemedPassed || m.WithDeemed.Side != c.side {
				t.Errorf("passed %v / with deemed %v side %v, want %v / %v %v (%+v)", m.Passed, m.WithDeemed.Passed, m.WithDeemed.Side, c.passed, c.deemedPassed, c.side, m.WithDeemed)
			}
			if brute := bruteCount(r); brute.String() != summarize(tl) {
				t.Errorf("brute-force recount differs:\n got %s\nwant %s", summarize(tl), brute)
			}
		})
	}
}

// TestTally_BallotAccountingAddsUp: issued = returned + not returned, and returned +
// extra = valid + invalid + awaiting the third look, in total and per batch.
func TestTally_BallotAccountingAddsUp(t *testing.T) {
	reg := []Unit{unit("1-1-101", "100", "O1"), unit("1-1-102", "100", "O2"), unit("2-1-101", "100", "O3"), unit("2-1-102", "100", "O4")}
	a := []Ballot{ballot("1", "1-1-101", "a"), ballot("2", "1-1-101", "o"), ballot("3", "9-9-999", "a"), ballot("4", "2-1-101", "a"), ballot("5", "2-1-102", "a")}
	b := []Ballot{ballot("1", "1-1-101", "a"), ballot("2", "1-1-101", "o"), ballot("3", "9-9-999", "a"), ballot("4", "2-1-101", "o")}
	tl := CountVotes(record("O", reg, a...))
	_ = tl
	r := record("O", reg)
	r.EntryA, r.EntryB = a, b
	tl = CountVotes(r)
	want := Accounting{Issued: 4, Returned: 3, NotReturned: 1, Extra: 2, Pending: 2}
	if tl.Accounting != want {
		t.Fatalf("accounting = %+v, want %+v", tl.Accounting, want)
	}
	if len(tl.Pending) != 2 || tl.Pending[0].No != "4" || tl.Pending[1].Units() != "2-1-102" {
		t.Fatalf("pending = %+v", tl.Pending)
	}
	checkAccounting(t, tl)
}

func checkAccounting(t *testing.T, tl Tally) {
	t.Helper()
	ac, b := tl.Accounting, tl.Ballots
	if ac.Issued != ac.Returned+ac.NotReturned || ac.Returned+ac.Extra != b.Valid+b.Invalid+ac.Pending || ac.Pending != b.Unreconciled {
		t.Fatalf("accounting does not add up: %+v %+v", ac, b)
	}
	var sum BatchCount
	for _, bc := range tl.Batches {
		if bc.Issued != bc.Returned+bc.NotReturned || bc.Returned+bc.Extra != bc.Valid+bc.Invalid+bc.Pending {
			t.Fatalf("batch %+v does not add up", bc)
		}
		sum.Issued += bc.Issued
		sum.Returned += bc.Returned
		sum.NotReturned += bc.NotReturned
		sum.Extra += bc.Extra
		sum.Pending += bc.Pending
		sum.Duplicates += bc.Duplicates
	}
	if sum.Issued != ac.Issued || sum.Returned != ac.Returned || sum.NotReturned != ac.NotReturned || sum.Extra != ac.Extra || sum.Pending != ac.Pending || sum.Duplicates != b.Duplicates {
		t.Fatalf("batches add up to %+v, total %+v", sum, ac)
	}
}

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
				b.Invalid = []string{ReasonUnsigned, ReasonIllegible}[r.IntN(2)]
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

	passes := func(kind string, agA, pA, agH, pH int64) bool {
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
