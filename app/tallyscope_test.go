package app

import (
	"encoding/json"
	"strings"
	"testing"
)

// scopedRecord is a vote on one matter of the given kind whose scope is buildings 1 and 2.
func scopedRecord(kind MatterKind, reg []Unit, ballots ...Ballot) VoteRecord {
	r := record("O", reg, ballots...)
	r.Assembly.Matters[0].Kind = kind
	r.Assembly.Matters[0].Scope = []string{"1", "2"}
	return r
}

func TestTally_ScopedMatterIsCountedWithinItsScopeAtTheThresholds(t *testing.T) {
	// Buildings 1 and 2: six units of 100 m², six owners. Building 3: six more, who all
	// vote and agree, and never count on the scoped matter.
	reg := []Unit{}
	for _, id := range []string{"1-1-101", "1-1-102", "1-1-103", "1-1-104", "2-1-101", "2-1-102", "3-1-101", "3-1-102", "3-1-103", "3-1-104", "3-1-105", "3-1-106"} {
		reg = append(reg, unit(id, "100", "O"+id))
	}
	outside := []Ballot{ballot("31", "3-1-101", "a"), ballot("32", "3-1-102", "a"), ballot("33", "3-1-103", "a"), ballot("34", "3-1-104", "a"), ballot("35", "3-1-105", "a"), ballot("36", "3-1-106", "a")}
	in := func(bs ...Ballot) []Ballot { return append(append([]Ballot{}, outside...), bs...) }
	cases := []struct {
		name        string
		kind        MatterKind
		ballots     []Ballot
		partHeads   int
		quorum      bool
		agreeHeads  int
		passed      bool
		topQuorumOK bool
	}{
		{"exactly 2/3 of the scope take part, 3 of 4 agree: passes", MatterOrdinary,
			in(ballot("1", "1-1-101", "a"), ballot("2", "1-1-102", "a"), ballot("3", "1-1-103", "a"), ballot("4", "2-1-101", "o")), 4, true, 3, true, true},
		{"one unit short of 2/3 of the scope: no quorum, although the assembly has one", MatterOrdinary,
			in(ballot("1", "1-1-101", "a"), ballot("2", "1-1-102", "a"), ballot("3", "1-1-103", "a")), 3, false, 3, false, true},
		{"exactly half of those taking part in the scope agree: not 过半数", MatterOrdinary,
			in(ballot("1", "1-1-101", "a"), ballot("2", "1-1-102", "a"), ballot("3", "1-1-103", "o"), ballot("4", "2-1-101", "s")), 4, true, 2, false, true},
		{"major: exactly 3/4 of the scope's participants agree: passes (以上)", MatterMajor,
			in(ballot("1", "1-1-101", "a"), ballot("2", "1-1-102", "a"), ballot("3", "1-1-103", "a"), ballot("4", "2-1-101", "o")), 4, true, 3, true, true},
		{"major: 4 of 6 agree is below 3/4", MatterMajor,
			in(ballot("1", "1-1-101", "a"), ballot("2", "1-1-102", "a"), ballot("3", "1-1-103", "a"), ballot("4", "1-1-104", "a"), ballot("5", "2-1-101", "o"), ballot("6", "2-1-102", "o")), 6, true, 4, false, true},
		{"the scope passes although the assembly as a whole has no quorum", MatterOrdinary,
			[]Ballot{ballot("1", "1-1-101", "a"), ballot("2", "1-1-102", "a"), ballot("3", "1-1-103", "a"), ballot("4", "2-1-101", "a")}, 4, true, 4, true, false},
	}
	for _, c := range cases {
		tl := CountVotes(scopedRecord(c.kind, reg, c.ballots...))
		m := tl.Matters[0]
		if m.ScopeCount == nil {
			t.Fatalf("%s: no scope count", c.name)
		}
		if m.Total.Area.Fen() != 60000 || m.Total.Heads != 6 {
			t.Errorf("%s: scope total %v", c.name, *m.Total)
		}
		if m.Participating.Heads != c.partHeads || *m.ScopeCount.QuorumMet != c.quorum || m.Agree.Heads != c.agreeHeads || m.Passed != c.passed {
			t.Errorf("%s: heads %d quorum %v agree %d passed %v; want %d %v %d %v", c.name, m.Participating.Heads, *m.ScopeCount.QuorumMet, m.Agree.Heads, m.Passed, c.partHeads, c.quorum, c.agreeHeads, c.passed)
		}
		if tl.Total.Heads != 12 || tl.QuorumMet != c.topQuorumOK {
			t.Errorf("%s: the assembly's own figures changed: %v quorum %v", c.name, tl.Total, tl.QuorumMet)
		}
	}
}

func TestTally_ScopedHeadcountCountsOwnersAndTheDeveloperOnce(t *testing.T) {
	// In the scope: O1 owns 1-1-101 and 2-1-101 (one person), the developer holds 1-1-102
	// and 1-1-103 (one person), O2 owns 1-1-104 and 3-1-101 (outside) and votes
	// differently there: no conflict within the scope.
	reg := []Unit{unit("1-1-101", "100", "O1"), unit("2-1-101", "50", "O1"), unit("1-1-102", "80", "DEV"), unit("1-1-103", "80", "DEV"),
		unit("1-1-104", "90", "O2"), unit("3-1-101", "90", "O2"), unit("3-1-102", "70", "O3")}
	tl := CountVotes(scopedRecord(MatterOrdinary, reg,
		ballot("1", "1-1-101", "a"), ballot("2", "2-1-101", "a"), ballot("3", "1-1-102", "o"), ballot("4", "1-1-104", "a"), ballot("5", "3-1-101", "o")))
	m := tl.Matters[0]
	if m.Total.Heads != 3 || m.Total.Area.Fen() != 40000 {
		t.Fatalf("scope total %+v, want 3 heads 400 m²", *m.Total)
	}
	if m.Participating.Heads != 3 || m.Participating.Area.Fen() != 32000 || m.Participating.Ballots != 4 {
		t.Fatalf("scope participation %+v", *m.Participating)
	}
	if m.Agree.Heads != 2 || m.Oppose.Heads != 1 || m.Undecided != 0 || !m.Passed {
		t.Fatalf("result %+v", m)
	}
	for _, c := range tl.Conflicts {
		t.Fatalf("a conflict outside the scope was flagged on the scoped matter: %+v", c)
	}
	b, _ := json.Marshal(m)
	for _, key := range []string{`"scope":["1","2"]`, `"total":{"area":"400.00","heads":3}`, `"participating":{"area":"320.00","heads":3,"ballots":4}`, `"quorum_met":true`} {
		if !strings.Contains(string(b), key) {
			t.Errorf("JSON %s lacks %s", b, key)
		}
	}
	// An unscoped matter carries none of these keys.
	b, _ = json.Marshal(CountVotes(record("O", reg, ballot("1", "1-1-101", "a"))).Matters[0])
	if strings.Contains(string(b), `"scope"`) || strings.Contains(string(b), `"quorum_met"`) {
		t.Errorf("unscoped matter JSON %s", b)
	}
}

func TestTally_ScopedMatterWithDeemedVotesDeemsOnlyUnitsInTheScope(t *testing.T) {
	reg := []Unit{unit("1-1-101", "100", "O1"), unit("1-1-102", "100", "O2"), unit("2-1-101", "100", "O3"), unit("3-1-101", "100", "O4"), unit("3-1-102", "100", "O5")}
	r := scopedRecord(MatterOrdinary, reg, ballot("1", "1-1-101", "a"))
	r.Assembly.Deemed, r.Assembly.Rule = true, "规则原文"
	for _, u := range reg {
		r.Deliveries = append(r.Deliveries, Delivery{Unit: u.ID, Date: "2026-01-01", Method: "m", Evidence: "e"})
	}
	m := CountVotes(r).Matters[0]
	if m.Passed || m.WithDeemed == nil || !m.WithDeemed.Passed || m.WithDeemed.Agree.Heads != 3 || m.WithDeemed.Agree.Area.Fen() != 30000 {
		t.Fatalf("got %+v / %+v", m, m.WithDeemed)
	}
}
