package app

import (
	"fmt"
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

func invalidBallot(no, unit, choices string, reason InvalidReason) Ballot {
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
			r.Assembly.Matters[0].Kind = map[byte]MatterKind{'O': MatterOrdinary, 'M': MatterMajor}[c.kinds[0]]
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
