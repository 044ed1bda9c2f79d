package app

import (
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

// unit makes a residential unit; owner "DEV" makes it developer-held.
func unit(id, area, owner string) Unit {
	u := Unit{ID: id, Kind: KindResidential, Area: decimal.RequireFromString(area), OwnerID: owner, OwnerName: owner}
	if owner == "DEV" {
		u.DeveloperHeld = true
	}
	return u
}

// ballot makes a ballot from a choices string, one letter per matter:
// a=agree o=oppose s=abstain (弃权) -=blank d=double.
func ballot(no, unit, choices string) Ballot {
	b := Ballot{No: no, Unit: unit}
	for _, c := range choices {
		b.Choices = append(b.Choices, map[rune]Choice{'a': Agree, 'o': Oppose, 's': Abstain, '-': Blank, 'd': Double}[c])
	}
	return b
}

// record is a vote where entries A and B agree on every ballot.
func record(kinds string, reg []Unit, ballots ...Ballot) VoteRecord {
	var ms []Matter
	for i, k := range kinds {
		kind := MatterOrdinary
		if k == 'M' {
			kind = MatterMajor
		}
		ms = append(ms, Matter{No: i + 1, Title: fmt.Sprintf("事项%d", i+1), Kind: kind})
	}
	return VoteRecord{Assembly: Assembly{ID: "V0001", Title: "t", Matters: ms}, Register: reg, EntryA: ballots, EntryB: ballots}
}

func TestTally_QuorumNeedsTwoThirdsOfAreaAndHeads(t *testing.T) {
	cases := []struct {
		name                  string
		partArea, totalArea   int64
		partHeads, totalHeads int
		want                  bool
	}{
		{"exactly 2/3 of both is enough (以上 includes it)", 200, 300, 2, 3, true},
		{"area one 分 short of 2/3", 199, 300, 2, 3, false},
		{"heads short of 2/3", 200, 300, 5, 9, false},
		{"heads exactly 2/3 of 9", 200, 300, 6, 9, true},
		{"everything", 300, 300, 3, 3, true},
		{"area 2/3 not a whole number of 分: 66667 of 100000", 66667, 100000, 2, 3, true},
		{"area 66666 of 100000 is below 2/3", 66666, 100000, 2, 3, false},
	}
	for _, c := range cases {
		if got := QuorumMet(c.partArea, c.totalArea, c.partHeads, c.totalHeads); got != c.want {
			t.Errorf("%s: QuorumMet(%d,%d,%d,%d) = %v, want %v", c.name, c.partArea, c.totalArea, c.partHeads, c.totalHeads, got, c.want)
		}
	}
}

func TestTally_OrdinaryMatterNeedsMoreThanHalfOfBothAxes(t *testing.T) {
	cases := []struct {
		name                 string
		agreeArea, partArea  int64
		agreeHeads, partHead int
		wantArea, wantHeads  bool
	}{
		{"exactly half is not 过半数", 500, 1000, 2, 4, false, false},
		{"one 分 and one head over half", 501, 1000, 3, 4, true, true},
		{"area over, heads exactly half", 501, 1000, 2, 4, true, false},
		{"heads over, area exactly half", 500, 1000, 3, 5, false, true},
		{"odd heads: 3 of 5", 1000, 1000, 3, 5, true, true},
	}
	for _, c := range cases {
		a, h := MatterPasses(MatterOrdinary, c.agreeArea, c.partArea, c.agreeHeads, c.partHead)
		if a != c.wantArea || h != c.wantHeads {
			t.Errorf("%s: got area %v heads %v, want %v %v", c.name, a, h, c.wantArea, c.wantHeads)
		}
	}
}

func TestTally_MajorMatterNeedsThreeQuartersOfBothAxes(t *testing.T) {
	cases := []struct {
		name                 string
		agreeArea, partArea  int64
		agreeHeads, partHead int
		wantArea, wantHeads  bool
	}{
		{"exactly 3/4 is enough (以上)", 750, 1000, 3, 4, true, true},
		{"one 分 short", 749, 1000, 3, 4, false, true},
		{"heads 5 of 7 is short of 3/4", 750, 1000, 5, 7, true, false},
		{"heads 6 of 8 is exactly 3/4", 750, 1000, 6, 8, true, true},
		{"more than half is not enough", 600, 1000, 3, 5, false, false},
	}
	for _, c := range cases {
		a, h := MatterPasses(MatterMajor, c.agreeArea, c.partArea, c.agreeHeads, c.partHead)
		if a != c.wantArea || h != c.wantHeads {
			t.Errorf("%s: got area %v heads %v, want %v %v", c.name, a, h, c.wantArea, c.wantHeads)
		}
	}
}

// TestTally_ThresholdsThroughTheCount drives the same edges through CountVotes.
func TestTally_ThresholdsThroughTheCount(t *testing.T) {
	// Four owners of 100 m² each: 2 agreeing is exactly half (fails ordinary), 3 is 3/4
	// (passes major).
	reg := []Unit{unit("1-1-101", "100", "O1"), unit("1-1-102", "100", "O2"), unit("1-1-103", "100", "O3"), unit("1-1-104", "100", "O4")}
	tl := CountVotes(record("OM", reg,
		ballot("1", "1-1-101", "aa"), ballot("2", "1-1-102", "aa"), ballot("3", "1-1-103", "oa"), ballot("4", "1-1-104", "so")))
	if !tl.QuorumMet || tl.Participating.Heads != 4 || tl.Participating.Area.String() != "400.00" {
		t.Fatalf("participation: %+v quorum %v", tl.Participating, tl.QuorumMet)
	}
	if tl.Matters[0].Passed {
		t.Errorf("ordinary matter with exactly half agreeing passed")
	}
	if !tl.Matters[1].Passed {
		t.Errorf("major matter with exactly 3/4 agreeing failed")
	}
	if got := tl.Matters[0].Abstain; got.Heads != 1 || got.Area.String() != "100.00" {
		t.Errorf("abstain = %+v", got)
	}
}

func TestTally_MatterCanPassOnAreaButFailOnHeads(t *testing.T) {
	// One big owner agrees, two small ones oppose.
	reg := []Unit{unit("1", "300", "O1"), unit("2", "50", "O2"), unit("3", "50", "O3")}
	tl := CountVotes(record("O", reg, ballot("1", "1", "a"), ballot("2", "2", "o"), ballot("3", "3", "o")))
	m := tl.Matters[0]
	if !m.AreaMet || m.HeadsMet || m.Passed {
		t.Fatalf("area %v heads %v passed %v, want area only", m.AreaMet, m.HeadsMet, m.Passed)
	}
}

func TestTally_MatterCanPassOnHeadsButFailOnArea(t *testing.T) {
	reg := []Unit{unit("1", "300", "O1"), unit("2", "50", "O2"), unit("3", "50", "O3")}
	tl := CountVotes(record("O", reg, ballot("1", "1", "o"), ballot("2", "2", "a"), ballot("3", "3", "a")))
	m := tl.Matters[0]
	if m.AreaMet || !m.HeadsMet || m.Passed {
		t.Fatalf("area %v heads %v passed %v, want heads only", m.AreaMet, m.HeadsMet, m.Passed)
	}
}

func TestTally_DeveloperWithManyUnitsIsOnePerson(t *testing.T) {
	// 15 developer units agree, 3 owners oppose: the developer is one head, so agree is
	// 1 of 4 heads and the matter fails on heads however much area the developer holds.
	var reg []Unit
	var bs []Ballot
	for i := 0; i < 15; i++ {
		id := fmt.Sprintf("2-1-%d", 101+i)
		reg = append(reg, unit(id, "100", "DEV"))
		bs = append(bs, ballot(fmt.Sprint(i+1), id, "a"))
	}
	for i := 0; i < 3; i++ {
		id := fmt.Sprintf("1-1-%d", 101+i)
		reg = append(reg, unit(id, "100", fmt.Sprintf("O%d", i)))
		bs = append(bs, ballot(fmt.Sprint(100+i), id, "o"))
	}
	tl := CountVotes(record("O", reg, bs...))
	if tl.Total.Heads != 4 || tl.Participating.Heads != 4 {
		t.Fatalf("heads total %d participating %d, want 4 and 4", tl.Total.Heads, tl.Participating.Heads)
	}
	m := tl.Matters[0]
	if m.Agree.Heads != 1 || m.Oppose.Heads != 3 || m.Agree.Area.String() != "1500.00" || m.Passed {
		t.Fatalf("developer swung the count: %+v", m)
	}
}

func TestTally_CoOwnersOfAUnitAreOnePerson(t *testing.T) {
	co := unit("1-1-101", "90", "O1")
	co.OwnerName = "张三、李四"
	reg := []Unit{co, unit("1-1-102", "90", "O2")}
	tl := CountVotes(record("O", reg, ballot("1", "1-1-101", "a"), ballot("2", "1-1-102", "o")))
	if tl.Total.Heads != 2 || tl.Matters[0].Agree.Heads != 1 {
		t.Fatalf("co-owners counted as more than one: total %d agree %d", tl.Total.Heads, tl.Matters[0].Agree.Heads)
	}
}

func TestTally_MultiUnitOwnerAreaFollowsEachBallotHeadCountsOnce(t *testing.T) {
	reg := []Unit{unit("1-1-101", "100", "O1"), unit("1-1-102", "80", "O1"), unit("1-1-103", "100", "O2")}
	tl := CountVotes(record("OO", reg,
		ballot("1", "1-1-101", "aa"), ballot("2", "1-1-102", "ao"), ballot("3", "1-1-103", "oo")))
	if tl.Participating.Heads != 2 || tl.Participating.Area.String() != "280.00" || tl.Participating.Ballots != 3 {
		t.Fatalf("participating = %+v", tl.Participating)
	}
	m1, m2 := tl.Matters[0], tl.Matters[1]
	if m1.Agree.Heads != 1 || m1.Agree.Area.String() != "180.00" || len(tl.Conflicts) != 1 {
		t.Fatalf("matter 1 = %+v, conflicts %v", m1, tl.Conflicts)
	}
	// On matter 2 O1's ballots disagree: area follows each ballot, the head is on no side.
	if m2.Agree.Area.String() != "100.00" || m2.Oppose.Area.String() != "180.00" || m2.Agree.Heads != 0 || m2.Oppose.Heads != 1 || m2.Undecided != 1 {
		t.Fatalf("matter 2 = %+v", m2)
	}
	c := tl.Conflicts[0]
	if c.Person != "owner:O1" || c.Matter != 2 || c.Ruled {
		t.Fatalf("conflict = %+v", c)
	}
	// The committee rules: O1 counts as agreeing on matter 2.
	r := record("OO", reg, ballot("1", "1-1-101", "aa"), ballot("2", "1-1-102", "ao"), ballot("3", "1-1-103", "oo"))
	r.Rulings = []HeadRuling{{Person: "owner:O1", Matter: 2, Choice: Agree}}
	tl = CountVotes(r)
	if m := tl.Matters[1]; m.Agree.Heads != 1 || m.Undecided != 0 || !tl.Conflicts[0].Ruled {
		t.Fatalf("after ruling: %+v %+v", m, tl.Conflicts)
	}
}

func TestTally_BlankAndDoubleMarksAreAbstentions(t *testing.T) {
	reg := []Unit{unit("1", "100", "O1"), unit("2", "100", "O2"), unit("3", "100", "O3")}
	tl := CountVotes(record("O", reg, ballot("1", "1", "-"), ballot("2", "2", "d"), ballot("3", "3", "a")))
	m := tl.Matters[0]
	if m.Abstain.Heads != 2 || m.Abstain.Area.String() != "200.00" || tl.Participating.Heads != 3 || m.Passed {
		t.Fatalf("matter = %+v participating %+v", m, tl.Participating)
	}
}

func TestTally_InvalidUnknownAndDuplicateBallotsDoNotParticipate(t *testing.T) {
	reg := []Unit{unit("1", "100", "O1"), unit("2", "100", "O2"), unit("3", "100", "O3"), unit("4", "100", "O4"),
		{ID: "P-1", Kind: KindParking, Area: decimal.NewFromInt(12), OwnerID: "O5"}}
	unsigned := ballot("1", "1", "a")
	unsigned.Invalid = ReasonUnsigned
	tl := CountVotes(record("O", reg, unsigned,
		ballot("2", "2", "a"), ballot("3", "2", "o"), // unit 2 twice: both held back
		ballot("4", "9-9-9", "a"), // not in the register
		ballot("5", "P-1", "a"),   // parking does not vote by default
		ballot("6", "3", "a"), ballot("7", "4", "a")))
	want := BallotCounts{EnteredA: 7, EnteredB: 7, Reconciled: 7, Unreconciled: 0, Valid: 4, Invalid: 3, Duplicates: 2}
	if tl.Ballots != want {
		t.Fatalf("ballots = %+v, want %+v", tl.Ballots, want)
	}
	if !reflect.DeepEqual(tl.InvalidReasons, map[InvalidReason]int{"unsigned": 1, "unknown_unit": 1, "parking_not_counted": 1}) {
		t.Fatalf("reasons = %v", tl.InvalidReasons)
	}
	if tl.Participating.Heads != 2 || tl.Participating.Ballots != 2 || tl.Total.Heads != 4 || tl.Total.Area.String() != "400.00" {
		t.Fatalf("participating %+v total %+v", tl.Participating, tl.Total)
	}
	if tl.QuorumMet || tl.Matters[0].Passed {
		t.Fatalf("2 of 4 heads met the quorum")
	}
	if len(tl.Duplicates) != 1 || tl.Duplicates[0].Unit != "2" {
		t.Fatalf("duplicates = %+v", tl.Duplicates)
	}
	// The committee withdraws one of unit 2's ballots: the other counts.
	r := record("O", reg, ballot("2", "2", "a"), ballot("3", "2", "o"), ballot("6", "3", "a"), ballot("7", "4", "a"))
	w := ballot("3", "2", "o")
	w.Invalid = ReasonWithdrawn
	r.Resolutions = []Resolution{{Ballot: w}}
	tl = CountVotes(r)
	if tl.Ballots.Duplicates != 0 || tl.Participating.Heads != 3 || !tl.QuorumMet || !tl.Matters[0].Passed {
		t.Fatalf("after withdrawal: %+v %+v", tl.Ballots, tl.Participating)
	}
}

func TestTally_CountParkingSettingCountsParkingSpaces(t *testing.T) {
	reg := []Unit{unit("1", "100", "O1"), {ID: "P-1", Kind: KindParking, Area: decimal.NewFromInt(12), OwnerID: "O5"}}
	r := record("O", reg, ballot("1", "1", "a"), ballot("2", "P-1", "o"))
	r.Assembly.CountParking = true
	tl := CountVotes(r)
	if tl.Total.Heads != 2 || tl.Total.Area.String() != "112.00" || tl.Participating.Heads != 2 || tl.Ballots.Invalid != 0 {
		t.Fatalf("total %+v participating %+v ballots %+v", tl.Total, tl.Participating, tl.Ballots)
	}
	want := RegisterTotals(reg, true)
	if want.Area.StringFixed(2) != tl.Total.Area.String() || want.Headcount != tl.Total.Heads {
		t.Fatalf("tally total %+v disagrees with RegisterTotals %+v", tl.Total, want)
	}
}

func TestTally_OnlyReconciledBallotsCount(t *testing.T) {
	reg := []Unit{unit("1", "100", "O1"), unit("2", "100", "O2"), unit("3", "100", "O3")}
	r := record("O", reg)
	r.EntryA = []Ballot{ballot("1", "1", "a"), ballot("2", "2", "a"), ballot("3", "3", "a")}
	r.EntryB = []Ballot{ballot("1", "1", "a"), ballot("2", "2", "o")} // 2 differs, 3 missing
	tl := CountVotes(r)
	if tl.Ballots.EnteredA != 3 || tl.Ballots.EnteredB != 2 || tl.Ballots.Reconciled != 1 || tl.Ballots.Unreconciled != 2 {
		t.Fatalf("ballots = %+v", tl.Ballots)
	}
	if !reflect.DeepEqual(tl.Unreconciled, []string{"2", "3"}) {
		t.Fatalf("unreconciled = %v", tl.Unreconciled)
	}
	_, diffs, _ := Reconcile(r.Assembly.Matters, r.EntryA, r.EntryB, nil)
	want := []Difference{{Ballot: "2", Field: "m1", A: "agree", B: "oppose"}, {Ballot: "3", Field: "ballot_no", A: "3"}}
	if !reflect.DeepEqual(diffs, want) {
		t.Fatalf("diffs = %+v", diffs)
	}
	// The paper says oppose for ballot 2, and ballot 3 is on the table too.
	r.Resolutions = []Resolution{{Ballot: ballot("2", "2", "o")}, {Ballot: ballot("3", "3", "a")}}
	tl = CountVotes(r)
	if tl.Ballots.Reconciled != 3 || tl.Ballots.Unreconciled != 0 || tl.Matters[0].Oppose.Heads != 1 || tl.Matters[0].Agree.Heads != 2 {
		t.Fatalf("after resolving: %+v %+v", tl.Ballots, tl.Matters[0])
	}
}

func TestTally_NoQuorumMeansNotPassed(t *testing.T) {
	reg := []Unit{unit("1", "100", "O1"), unit("2", "100", "O2"), unit("3", "100", "O3")}
	tl := CountVotes(record("OM", reg, ballot("1", "1", "aa")))
	if tl.QuorumMet || tl.Matters[0].Passed || tl.Matters[1].Passed {
		t.Fatalf("passed without quorum: %+v", tl.Matters)
	}
	if empty := CountVotes(record("M", reg)); empty.Matters[0].Passed {
		t.Fatalf("a vote with no ballots passed")
	}
}

func TestTally_DeemedVotesJoinTheMajorityOfHeads(t *testing.T) {
	reg := []Unit{unit("1", "100", "O1"), unit("2", "100", "O2"), unit("3", "100", "O3"), unit("4", "100", "O4"), unit("5", "100", "O5"), unit("6", "100", "O6")}
	r := record("OOO", reg, ballot("1", "1", "aoa"), ballot("2", "2", "aoo"), ballot("3", "3", "oas"))
	r.Assembly.Deemed = true
	r.Deliveries = []Delivery{{Unit: "4"}, {Unit: "5"}, {Unit: "1"}} // unit 1 voted: not deemed
	tl := CountVotes(r)
	if tl.QuorumMet {
		t.Fatalf("3 of 6 met the quorum")
	}
	if d := tl.DeemedTotals; d == nil || d.Units != 2 || !d.QuorumMet || d.Participating.Heads != 5 {
		t.Fatalf("deemed: %+v", tl.DeemedTotals)
	}
	m1, m2, m3 := tl.Matters[0].WithDeemed, tl.Matters[1].WithDeemed, tl.Matters[2].WithDeemed
	if m1.Side != Agree || m1.Agree.Heads != 4 || m1.Agree.Area.String() != "400.00" || !m1.Passed || tl.Matters[0].Passed {
		t.Fatalf("matter 1 with deemed = %+v", m1)
	}
	if m2.Side != Oppose || m2.Agree.Heads != 1 || m2.Oppose.Heads != 4 || m2.Passed {
		t.Fatalf("matter 2 with deemed = %+v", m2)
	}
	// Matter 3: 1 agree, 1 oppose: a tie adds nothing to either side.
	if m3.Side != Blank || m3.Agree.Heads != 1 || m3.Oppose.Heads != 1 || m3.Passed {
		t.Fatalf("matter 3 with deemed = %+v", m3)
	}
	// Without the rule there is no with_deemed in the JSON.
	r.Assembly.Deemed = false
	b, _ := json.Marshal(CountVotes(r))
	if strings.Contains(string(b), "with_deemed") {
		t.Fatalf("with_deemed without the rule: %s", b)
	}
}

// TestTally_JSONKeepsTheDocumentedKeysAndAddsOnlyTheListedOnes pins the shape of the
// tally JSON: every documented key as it was, plus the added keys and nothing else.
func TestTally_JSONKeepsTheDocumentedKeysAndAddsOnlyTheListedOnes(t *testing.T) {
	reg := []Unit{unit("1", "100.5", "O1")}
	r := record("O", reg, ballot("1", "1", "a"))
	r.Assembly.Deemed = true
	b, err := json.Marshal(CountVotes(r))
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	json.Unmarshal(b, &got)
	keys := func(m map[string]any) string {
		var ks []string
		for k := range m {
			ks = append(ks, k)
		}
		sort.Strings(ks)
		return strings.Join(ks, ",")
	}
	checks := map[string]string{
		// documented: ballots,invalid_reasons,matters,participating,quorum_met,title,total,vote
		// added: accounting,answered,awaiting_ruling_heads,deemed
		"":              "accounting,answered,awaiting_ruling_heads,ballots,deemed,invalid_reasons,matters,participating,quorum_met,title,total,vote",
		"total":         "area,heads",
		"participating": "area,ballots,heads",
		"ballots":       "duplicates,entered_a,entered_b,invalid,reconciled,unreconciled,valid",
		"accounting":    "extra,issued,not_returned,pending,returned",
		"answered":      "duplicate,invalid,pending",
		"deemed":        "also,area,delivered,heads,participating,quorum_met,rule,units",
	}
	for path, want := range checks {
		m := got
		if path != "" {
			m = got[path].(map[string]any)
		}
		if k := keys(m); k != want {
			t.Errorf("%q keys = %s, want %s", path, k, want)
		}
	}
	if k := keys(got["deemed"].(map[string]any)["delivered"].(map[string]any)); k != "counted,duplicate,invalid,no_ballot,pending,units" {
		t.Errorf("deemed.delivered keys = %s", k)
	}
	m := got["matters"].([]any)[0].(map[string]any)
	if k := keys(m); k != "abstain,agree,awaiting_ruling_heads,kind,no,oppose,passed,title,with_deemed" {
		t.Errorf("matter keys = %s", k)
	}
	if k := keys(m["with_deemed"].(map[string]any)); k != "agree,oppose,passed,side" {
		t.Errorf("with_deemed keys = %s", k)
	}
	if got["total"].(map[string]any)["area"] != "100.50" {
		t.Errorf("area not a 2-decimal string: %v", got["total"])
	}
	if string(b[:1]) != "{" || !strings.Contains(string(b), `"invalid_reasons":{}`) {
		t.Errorf("invalid_reasons must be an object even when empty: %s", b)
	}
	if !strings.Contains(string(b), `"also":[]`) {
		t.Errorf("deemed.also must be a list even when empty: %s", b)
	}
	// Without the rule: neither with_deemed nor deemed.
	r.Assembly.Deemed = false
	b, _ = json.Marshal(CountVotes(r))
	if strings.Contains(string(b), "with_deemed") || strings.Contains(string(b), `"deemed"`) {
		t.Errorf("deemed keys without the rule: %s", b)
	}
	// Areas read back as the same decimals.
	var back Tally
	if err := json.Unmarshal(b, &back); err != nil || back.Total.Area.String() != "100.50" {
		t.Errorf("read back: %v %v", err, back.Total)
	}
}
