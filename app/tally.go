package app

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"
)

// The tally (计票) of an owners' assembly under Civil Code art. 278 and the SPC
// interpretation on 建筑物区分所有权 arts. 8–9. Everything here is a pure function of a
// VoteRecord; areas are counted in integer 分 of m² (0.01 m²) and every threshold is an
// exact integer comparison, never a float.
//
// How the count reads the rules (printed on the announcement, see TallyRules):
//   - Entries A and B are matched by ballot number. A ballot is reconciled when A and B
//     agree on every field, or when a third look at the paper was recorded (Resolution);
//     only reconciled ballots are counted.
//   - A reconciled ballot is invalid as a whole when it carries an invalid reason, when
//     its unit is not in the register frozen at the assembly's creation (unknown_unit),
//     or when it is for a parking space and the community's rules do not count parking
//     (parking_not_counted). Invalid ballots do not participate.
//   - Two or more valid ballots for one unit are all held back as duplicates until the
//     committee withdraws all but one (a Resolution marking the others withdrawn).
//     Duplicates are among the valid ballots and do not participate.
//   - Counted ballots are the remaining valid ones. Participating area is the sum of the
//     areas of their units; participating heads are the distinct persons (Unit.Person:
//     one owner of several units is one person, co-owners are one, all developer-held
//     units are one) owning those units.
//   - On a counted ballot a blank or double-marked matter counts as abstain; abstaining
//     participates but does not agree.
//   - Area follows each ballot. A person's head goes to the side all of their counted
//     ballots take on a matter; if their ballots disagree (any two different counted
//     choices), the person still participates but their head goes to no side on that
//     matter and the conflict is flagged, until the committee records a HeadRuling.
//   - Totals are over the voting units of the frozen register (parking only if the rules
//     count it), as RegisterTotals computes them.
//   - Quorum: participating area ≥ 2/3 of total area AND participating heads ≥ 2/3 of
//     total heads. Ordinary matter: agree > 1/2 of participating area AND heads. Major
//     matter: agree ≥ 3/4 of participating area AND heads. No quorum, or nobody taking
//     part, means not passed.
//   - Deemed votes (only if the assembly uses the rule), default reading: every voting
//     unit with a delivery record that returned no ballot at all (no paper names it, in
//     either entry or a resolution) is deemed to participate. A unit that answered with
//     a wholly invalid ballot, a paper still awaiting the third look, or ballots held
//     back as duplicates is reported on its own line and not deemed, unless the
//     assembly's DeemAlso names that category (a community whose rules say otherwise).
//     Deeming is per unit: a deemed unit's area joins, on each matter, whichever of
//     agree/oppose has more participating heads (a tie: neither side, but it still
//     participates); its owner's head is added once, and only if that person is not
//     already taking part through a counted ballot (an owner who voted on one unit keeps
//     their own side). The quorum and every result are recomputed with them, and both
//     results are reported.

// SqM is an area in m², kept to 2 decimals as the register holds it. It stays a decimal
// everywhere; the tally JSON and fmt's %s write it with exactly 2 places ("12345.67").
type SqM struct{ decimal.Decimal }

// sqm is an area of f 分 of m² (0.01 m²).
func sqm(f int64) SqM { return SqM{decimal.New(f, -2)} }

// String writes the area with 2 decimals.
func (a SqM) String() string { return a.StringFixed(2) }

// Format makes every fmt verb (%s, %v, %d…) write the area with 2 decimals, instead of
// the embedded decimal's own formatting.
func (a SqM) Format(f fmt.State, _ rune) { fmt.Fprint(f, a.StringFixed(2)) }

// MarshalJSON writes the area as a 2-decimal string, as the tally JSON requires.
func (a SqM) MarshalJSON() ([]byte, error) { return []byte(`"` + a.StringFixed(2) + `"`), nil }

// UnmarshalJSON reads an area written by MarshalJSON.
func (a *SqM) UnmarshalJSON(b []byte) error { return a.Decimal.UnmarshalJSON(b) }

// Fen is the area in 分 of m², for exact integer ratios.
func (a SqM) Fen() int64 { return a.Shift(2).Round(0).IntPart() }

// AreaHeads is an area (m², 2 decimals) and a headcount, as the tally JSON writes them.
type AreaHeads struct {
	Area  SqM `json:"area"`
	Heads int `json:"heads"`
}

// Participation adds the number of counted ballots.
type Participation struct {
	Area    SqM `json:"area"`
	Heads   int `json:"heads"`
	Ballots int `json:"ballots"`
}

// BallotCounts is the ballot accounting of the tally JSON. entered_a/entered_b count
// rows keyed; reconciled/unreconciled count ballot numbers; valid + invalid = reconciled;
// duplicates are the valid ballots held back because their unit has more than one.
type BallotCounts struct {
	EnteredA     int `json:"entered_a"`
	EnteredB     int `json:"entered_b"`
	Reconciled   int `json:"reconciled"`
	Unreconciled int `json:"unreconciled"`
	Valid        int `json:"valid"`
	Invalid      int `json:"invalid"`
	Duplicates   int `json:"duplicates"`
}

// Accounting is the ballot accounting by issued ballot (one per voting unit):
// Issued = Returned + NotReturned, where a unit's ballot is returned when any paper
// came back for it, counted or not (a paper still awaiting the third look counts as
// returned, under the unit entry A keyed, or entry B if A lacks it). Papers that are not
// the first for an issued ballot (a second paper for a unit, a unit not in the register
// or not voting) are Extra, so Returned + Extra = valid + invalid + unreconciled papers.
// Pending is the number of returned papers awaiting the third look.
type Accounting struct {
	Issued      int `json:"issued"`
	Returned    int `json:"returned"`
	NotReturned int `json:"not_returned"`
	Extra       int `json:"extra"`
	Pending     int `json:"pending"`
}

// UnitsArea is a number of units and their area.
type UnitsArea struct {
	Units int `json:"units"`
	Area  SqM `json:"area"`
}

// Answered are the voting units that answered but have no counted ballot, each unit
// on one line (a duplicate outranks a pending paper, which outranks an invalid one).
// By default the deemed-vote rule never deems them.
type Answered struct {
	Invalid   UnitsArea `json:"invalid"`
	Pending   UnitsArea `json:"pending"`
	Duplicate UnitsArea `json:"duplicate"`
}

// DeliveredUnits splits the voting units with a delivery record by what came back.
type DeliveredUnits struct {
	Units     int `json:"units"`
	Counted   int `json:"counted"`
	NoBallot  int `json:"no_ballot"`
	Invalid   int `json:"invalid"`
	Pending   int `json:"pending"`
	Duplicate int `json:"duplicate"`
}

// DeemedTotals is the count with deemed votes (only for an assembly using the rule):
// the rule's wording and reading (Also: the answering categories deemed all the same),
// the delivered units, the units deemed with their area and the heads they add (owners
// not already taking part), and participation and quorum with them.
type DeemedTotals struct {
	Rule          string         `json:"rule"`
	Also          []string       `json:"also"`
	Delivered     DeliveredUnits `json:"delivered"`
	Units         int            `json:"units"`
	Area          SqM            `json:"area"`
	Heads         int            `json:"heads"`
	Participating AreaHeads      `json:"participating"`
	QuorumMet     bool           `json:"quorum_met"`
}

// DeemedResult is a matter's result with deemed votes (`with_deemed`): agree and passed
// as the tally JSON has always written them, plus oppose and the side the deemed units
// joined ("agree", "oppose", or "none" on a tie).
type DeemedResult struct {
	Agree    AreaHeads `json:"agree"`
	Passed   bool      `json:"passed"`
	Oppose   AreaHeads `json:"oppose"`
	SideName string    `json:"side"`
	Side     Choice    `json:"-"` // Agree, Oppose, or Blank on a tie
}

// MatterResult is one matter's count.
type MatterResult struct {
	No         int           `json:"no"`
	Title      string        `json:"title"`
	Kind       string        `json:"kind"`
	Agree      AreaHeads     `json:"agree"`
	Oppose     AreaHeads     `json:"oppose"`
	Abstain    AreaHeads     `json:"abstain"`
	Passed     bool          `json:"passed"`
	WithDeemed *DeemedResult `json:"with_deemed,omitempty"`
	// Undecided counts persons whose ballots disagree on this matter, who take part but
	// are on no side until the committee rules.
	Undecided int `json:"awaiting_ruling_heads"`
	// AreaMet and HeadsMet say which axis of the threshold held (for the announcement).
	AreaMet  bool `json:"-"`
	HeadsMet bool `json:"-"`
}

// InvalidBallot is a reconciled ballot that does not count, with its reason code.
type InvalidBallot struct {
	No     string
	Unit   string
	Reason string
}

// DuplicateUnit is a unit with more than one valid ballot, all held back.
type DuplicateUnit struct {
	Unit    string
	Ballots []string
}

// PendingBallot is a returned paper whose two entries differ and that awaits the third
// look: the unit each entry keyed ("" if the entry lacks the paper).
type PendingBallot struct {
	No    string
	UnitA string
	UnitB string
}

// Units is the unit(s) the paper is for as keyed: one id, or "A / B" when they differ.
func (p PendingBallot) Units() string {
	switch {
	case p.UnitA == "":
		return p.UnitB
	case p.UnitB == "" || p.UnitB == p.UnitA:
		return p.UnitA
	}
	return p.UnitA + " / " + p.UnitB
}

// Conflict is a person whose counted ballots disagree on a matter: flagged for the
// committee instead of guessed. Person and Name identify the owner for the committee's
// own screens only; what is posted names the Units.
type Conflict struct {
	Person  string
	Name    string
	Matter  int
	Units   []string
	Choices []string // "unit: choice" per ballot, for the committee's screens only
	Ruled   bool     // the committee recorded a HeadRuling
}

// BatchCount is the ballot accounting of one batch: the ballots issued to one building
// (the part of the unit id before the first "-"); papers whose unit is not in the
// register form the batch "?". Issued = Returned + NotReturned; Returned + Extra =
// Valid + Invalid + Pending (papers).
type BatchCount struct {
	Batch       string
	Issued      int
	Returned    int // issued ballots of the batch that came back
	NotReturned int
	Extra       int // papers beyond one per issued ballot
	Valid       int
	Invalid     int
	Pending     int
	Duplicates  int
	// OverIssued: more papers came back than were issued; the batch is flagged for the
	// committee (the excess are second papers for a unit or papers of units not issued).
	OverIssued bool
}

// Tally is the result of counting an assembly's ballots. Its JSON has every key of
// the documented tally format (vote, title, total, participating, quorum_met, ballots,
// invalid_reasons, matters) and adds accounting, answered, awaiting_ruling_heads and,
// for an assembly using the deemed-vote rule, deemed; the other fields are details for
// the announcement and the committee.
type Tally struct {
	Vote           string         `json:"vote"`
	Title          string         `json:"title"`
	Total          AreaHeads      `json:"total"`
	Participating  Participation  `json:"participating"`
	QuorumMet      bool           `json:"quorum_met"`
	Ballots        BallotCounts   `json:"ballots"`
	InvalidReasons map[string]int `json:"invalid_reasons"`
	Matters        []MatterResult `json:"matters"`

	Accounting Accounting `json:"accounting"`
	Answered   Answered   `json:"answered"`
	// AwaitingRuling counts the persons with at least one matter on which their ballots
	// disagree and the committee has not ruled yet.
	AwaitingRuling int           `json:"awaiting_ruling_heads"`
	DeemedTotals   *DeemedTotals `json:"deemed,omitempty"`

	Date         string          `json:"-"`
	Created      string          `json:"-"` // YYYY-MM-DD the assembly was created
	VotingFrom   string          `json:"-"`
	VotingTo     string          `json:"-"`
	CountedOn    string          `json:"-"` // YYYY-MM-DD of the count, set by whoever counts
	Deemed       bool            `json:"-"`
	Rule         string          `json:"-"`
	DeemAlso     []string        `json:"-"`
	CountParking bool            `json:"-"`
	Proxies      int             `json:"-"` // counted ballots cast by a proxy
	Invalid      []InvalidBallot `json:"-"`
	Duplicates   []DuplicateUnit `json:"-"`
	Unreconciled []string        `json:"-"`
	Pending      []PendingBallot `json:"-"`
	Conflicts    []Conflict      `json:"-"`
	Batches      []BatchCount    `json:"-"`
}

// QuorumMet is Civil Code art. 278's quorum: owners holding ≥ 2/3 of the total area AND
// ≥ 2/3 of the total headcount took part. Areas in 分 of m².
func QuorumMet(partArea, totalArea int64, partHeads, totalHeads int) bool {
	return partArea*3 >= totalArea*2 && int64(partHeads)*3 >= int64(totalHeads)*2
}

// MatterPasses is Civil Code art. 278's threshold on both axes: a major matter needs
// agree ≥ 3/4 of participating area AND heads (以上: ≥), an ordinary one agree > 1/2
// of participating area AND heads (过半数: strictly more). It returns the two axes.
func MatterPasses(kind string, agreeArea, partArea int64, agreeHeads, partHeads int) (area, heads bool) {
	ah, ph := int64(agreeHeads), int64(partHeads)
	if kind == MatterMajor {
		return agreeArea*4 >= partArea*3, ah*4 >= ph*3
	}
	return agreeArea*2 > partArea, ah*2 > ph
}

// Difference is one field on which entries A and B disagree for a ballot number.
// Field is "ballot_no" when the ballot is in one entry only (the other side is empty),
// "unit", "m<no>" for a matter, "invalid_reason" or "proxy".
type Difference struct {
	Ballot   string `json:"ballot"`
	Field    string `json:"field"`
	A        string `json:"a"`
	B        string `json:"b"`
	Resolved bool   `json:"resolved"`
}

// Reconcile matches entries A and B by ballot number (the double entry every paper
// form shares, see DoubleEntry). It returns the reconciled ballots (in ballot-number
// order), every difference (resolved or not) and the numbers of the ballots not
// reconciled.
func Reconcile(matters []Matter, a, b []Ballot, res []Resolution) (final []Ballot, diffs []Difference, unreconciled []string) {
	resolved := make([]Ballot, len(res))
	for i, r := range res {
		resolved[i] = r.Ballot
	}
	return BallotEntry(matters).Reconcile(a, b, resolved)
}

// BallotEntry reads ballots for the double entry: fields unit, m<no> per matter,
// invalid_reason and proxy.
func BallotEntry(matters []Matter) DoubleEntry[Ballot] {
	return DoubleEntry[Ballot]{
		No: func(b Ballot) string { return b.No },
		Fields: func(b Ballot) []PaperField {
			fs := make([]PaperField, 0, len(b.Choices)+3)
			fs = append(fs, PaperField{"unit", b.Unit})
			for i, c := range b.Choices {
				field := "m" + strconv.Itoa(i+1)
				if i < len(matters) {
					field = "m" + strconv.Itoa(matters[i].No)
				}
				fs = append(fs, PaperField{field, c.String()})
			}
			return append(fs, PaperField{"invalid_reason", b.Invalid}, PaperField{"proxy", b.Proxy})
		},
	}
}

// BatchOf is the batch a unit's ballot was issued in: its building, the part of the id
// before the first "-" ("3" for 3-2-1501, "P" for P-0012).
func BatchOf(unitID string) string {
	if i := strings.IndexAny(unitID, "-/"); i > 0 {
		return unitID[:i]
	}
	return unitID
}

// CountVotes tallies an assembly: reconciliation, ballot accounting, quorum and each
// matter's result by area and by headcount, without and (if the assembly uses the rule)
// with deemed votes. The result does not depend on the order of the ballots.
func CountVotes(r VoteRecord) Tally {
	c := newCounter(r)
	final, _, unreconciled := Reconcile(c.a.Matters, r.EntryA, r.EntryB, r.Resolutions)
	c.t.Unreconciled = unreconciled
	c.t.Ballots = BallotCounts{EnteredA: len(r.EntryA), EnteredB: len(r.EntryB), Reconciled: len(final), Unreconciled: len(unreconciled)}
	c.final = final
	c.pending(unreconciled)
	c.count(c.sortOut())
	c.answered()
	if c.a.Deemed {
		c.deem()
	}
	c.matters()
	c.notReturned()
	return c.t
}

// counter holds a tally while CountVotes builds it, phase by phase.
type counter struct {
	a     Assembly
	r     VoteRecord
	t     Tally
	final []Ballot // the reconciled papers

	reg          map[string]voter
	totalFen     int64
	totalPersons map[string]bool
	batches      map[string]*BatchCount
	claimed      map[string]bool      // issued ballots that came back
	state        map[string]unitState // what came back for each voting unit

	// the counted ballots, by owner (all of an owner's units make one head)
	persons     map[string]*owner
	personOrder []string
	agreeFen    []int64 // per matter
	opposeFen   []int64
	abstainFen  []int64
	partFen     int64

	deemedFen        int64
	deemedNewPersons map[string]bool // deemed owners without a counted ballot of their own
}

type voter struct {
	unit   Unit
	fen    int64
	voting bool
}

type owner struct {
	mask  []uint8 // per matter: bit per counted choice
	units []int   // indexes into final
}

// What came back for a voting unit, from most to least decisive: a unit is in the
// first state that applies.
type unitState uint8

const (
	stNone      unitState = iota // no paper names the unit
	stInvalid                    // only wholly invalid papers
	stPending                    // a paper naming it (in entry A or B) awaits the third look
	stDuplicate                  // two or more valid papers, held back
	stCounted                    // exactly one valid paper, counted
)

// newCounter starts the tally from the assembly and its frozen register: the ballots
// issued, per batch, and the totals of area and owners.
func newCounter(r VoteRecord) *counter {
	a := r.Assembly
	c := &counter{a: a, r: r, reg: make(map[string]voter, len(r.Register)), totalPersons: map[string]bool{},
		batches: map[string]*BatchCount{}, claimed: map[string]bool{}, state: map[string]unitState{},
		persons: map[string]*owner{}, deemedNewPersons: map[string]bool{}}
	c.t = Tally{Vote: a.ID, Title: a.Title, Date: a.Date, Deemed: a.Deemed, Rule: a.Rule, CountParking: a.CountParking,
		VotingFrom: a.VotingFrom, VotingTo: a.VotingTo, InvalidReasons: map[string]int{}}
	if !a.Created.IsZero() {
		c.t.Created = a.Created.Format("2006-01-02")
	}
	if c.t.Deemed {
		c.t.DeemAlso = NormalizeDeemAlso(a.DeemAlso)
		if strings.TrimSpace(c.t.Rule) == "" {
			c.t.Rule = DefaultDeemedRule
		}
	}
	for _, u := range r.Register {
		v := voter{unit: u, fen: areaFen(u), voting: VotingUnit(u, a.CountParking)}
		c.reg[u.ID] = v
		if v.voting {
			c.totalFen += v.fen
			c.totalPersons[u.Person()] = true
			c.t.Accounting.Issued++
			c.batch(BatchOf(u.ID)).Issued++
		}
	}
	c.t.Total = AreaHeads{Area: sqm(c.totalFen), Heads: len(c.totalPersons)}
	n := len(a.Matters)
	c.agreeFen, c.opposeFen, c.abstainFen = make([]int64, n), make([]int64, n), make([]int64, n)
	return c
}

func (c *counter) batch(name string) *BatchCount {
	b := c.batches[name]
	if b == nil {
		b = &BatchCount{Batch: name}
		c.batches[name] = b
	}
	return b
}

// paperBatch is the batch a returned paper counts in: its unit's, or "?" for a unit
// the register does not know.
func (c *counter) paperBatch(unit string) *BatchCount {
	if _, known := c.reg[unit]; known {
		return c.batch(BatchOf(unit))
	}
	return c.batch("?")
}

// claim counts a returned paper in the accounting: the first paper for an issued
// ballot returns it, any other paper is extra.
func (c *counter) claim(unit string) {
	bc := c.paperBatch(unit)
	if v, ok := c.reg[unit]; ok && v.voting && !c.claimed[unit] {
		c.claimed[unit] = true
		c.t.Accounting.Returned++
		bc.Returned++
		return
	}
	c.t.Accounting.Extra++
	bc.Extra++
}

func (c *counter) mark(unit string, s unitState) {
	if v, ok := c.reg[unit]; ok && v.voting && c.state[unit] < s {
		c.state[unit] = s
	}
}

// pending accounts for the papers awaiting the third look: returned, not counted, and
// the units either entry keyed answered.
func (c *counter) pending(unreconciled []string) {
	if len(unreconciled) == 0 {
		return
	}
	unitOf := func(bs []Ballot) map[string]string {
		m := make(map[string]string, len(bs))
		for _, b := range bs {
			m[b.No] = b.Unit
		}
		return m
	}
	ua, ub := unitOf(c.r.EntryA), unitOf(c.r.EntryB)
	for _, no := range unreconciled {
		p := PendingBallot{No: no, UnitA: ua[no], UnitB: ub[no]}
		c.t.Pending = append(c.t.Pending, p)
		primary := p.UnitA
		if _, inA := ua[no]; !inA {
			primary = p.UnitB
		}
		c.claim(primary)
		c.paperBatch(primary).Pending++
		c.t.Accounting.Pending++
		c.mark(p.UnitA, stPending)
		c.mark(p.UnitB, stPending)
	}
}

// sortOut sets the invalid papers aside, with their reasons, and groups the valid ones
// by unit; it returns the units with valid papers, in unit order, and their papers.
func (c *counter) sortOut() (units []string, valid map[string][]int) {
	valid = map[string][]int{}
	for i, b := range c.final {
		v, known := c.reg[b.Unit]
		c.claim(b.Unit)
		bc := c.paperBatch(b.Unit)
		reason := b.Invalid
		switch {
		case reason != "":
		case !known:
			reason = ReasonUnknownUnit
		case !v.voting:
			reason = ReasonParkingNotCounted
		}
		if reason != "" {
			c.t.Ballots.Invalid++
			bc.Invalid++
			c.t.InvalidReasons[reason]++
			c.t.Invalid = append(c.t.Invalid, InvalidBallot{No: b.No, Unit: b.Unit, Reason: reason})
			c.mark(b.Unit, stInvalid)
			continue
		}
		c.t.Ballots.Valid++
		bc.Valid++
		if _, seen := valid[b.Unit]; !seen {
			units = append(units, b.Unit)
		}
		valid[b.Unit] = append(valid[b.Unit], i)
	}
	sort.Slice(units, func(i, j int) bool { return UnitLess(units[i], units[j]) })
	return units, valid
}

// count counts each unit's one valid ballot (a unit with more is held back as a
// duplicate): its area to each matter's side, its choices to its owner's head.
func (c *counter) count(units []string, valid map[string][]int) {
	nm := len(c.a.Matters)
	for _, unit := range units {
		idx := valid[unit]
		if len(idx) > 1 {
			d := DuplicateUnit{Unit: unit}
			for _, i := range idx {
				d.Ballots = append(d.Ballots, c.final[i].No)
			}
			c.t.Duplicates = append(c.t.Duplicates, d)
			c.t.Ballots.Duplicates += len(idx)
			c.batch(BatchOf(unit)).Duplicates += len(idx)
			c.mark(unit, stDuplicate)
			continue
		}
		b := c.final[idx[0]]
		v := c.reg[unit]
		c.mark(unit, stCounted)
		c.t.Participating.Ballots++
		if b.Proxy != "" {
			c.t.Proxies++
		}
		c.partFen += v.fen
		key := v.unit.Person()
		p := c.persons[key]
		if p == nil {
			p = &owner{mask: make([]uint8, nm)}
			c.persons[key] = p
			c.personOrder = append(c.personOrder, key)
		}
		p.units = append(p.units, idx[0])
		for m := 0; m < nm; m++ {
			ch := Abstain
			if m < len(b.Choices) {
				ch = b.Choices[m].Counted()
			}
			switch ch {
			case Agree:
				c.agreeFen[m] += v.fen
			case Oppose:
				c.opposeFen[m] += v.fen
			default:
				c.abstainFen[m] += v.fen
			}
			p.mask[m] |= 1 << ch
		}
	}
	sort.Strings(c.personOrder)
	c.t.Participating.Area, c.t.Participating.Heads = sqm(c.partFen), len(c.persons)
	c.t.QuorumMet = QuorumMet(c.partFen, c.totalFen, len(c.persons), len(c.totalPersons))
}

// answered totals the units that answered without a counted ballot, each kind on its
// own line.
func (c *counter) answered() {
	var invalidFen, pendingFen, duplicateFen int64
	for unit, st := range c.state {
		f := c.reg[unit].fen
		switch st {
		case stInvalid:
			c.t.Answered.Invalid.Units++
			invalidFen += f
		case stPending:
			c.t.Answered.Pending.Units++
			pendingFen += f
		case stDuplicate:
			c.t.Answered.Duplicate.Units++
			duplicateFen += f
		}
	}
	c.t.Answered.Invalid.Area, c.t.Answered.Pending.Area, c.t.Answered.Duplicate.Area = sqm(invalidFen), sqm(pendingFen), sqm(duplicateFen)
}

// deem finds the deemed participants: delivered voting units that returned no ballot
// at all, and those of the answering categories the community's rules deem all the same.
func (c *counter) deem() {
	dt := &DeemedTotals{Rule: c.t.Rule, Also: append([]string{}, c.t.DeemAlso...)}
	seen := map[string]bool{}
	for _, d := range c.r.Deliveries {
		v, ok := c.reg[d.Unit]
		if !ok || !v.voting || seen[d.Unit] {
			continue
		}
		seen[d.Unit] = true
		dt.Delivered.Units++
		deem := false
		switch c.state[d.Unit] {
		case stCounted:
			dt.Delivered.Counted++
		case stNone:
			dt.Delivered.NoBallot++
			deem = true
		case stInvalid:
			dt.Delivered.Invalid++
			deem = c.a.Deems(DeemInvalid)
		case stPending:
			dt.Delivered.Pending++
			deem = c.a.Deems(DeemPending)
		case stDuplicate:
			dt.Delivered.Duplicate++
			deem = c.a.Deems(DeemDuplicate)
		}
		if !deem {
			continue
		}
		dt.Units++
		c.deemedFen += v.fen
		if _, part := c.persons[v.unit.Person()]; !part {
			c.deemedNewPersons[v.unit.Person()] = true
		}
	}
	dHeads := len(c.persons) + len(c.deemedNewPersons)
	dt.Area, dt.Heads = sqm(c.deemedFen), len(c.deemedNewPersons)
	dt.Participating = AreaHeads{Area: sqm(c.partFen + c.deemedFen), Heads: dHeads}
	dt.QuorumMet = QuorumMet(c.partFen+c.deemedFen, c.totalFen, dHeads, len(c.totalPersons))
	c.t.DeemedTotals = dt
}

// matters decides each matter: heads per side (an owner whose units answered
// differently is a conflict for the committee's ruling), the double majority, and the
// result with deemed votes.
func (c *counter) matters() {
	rulings := map[string]Choice{}
	for _, h := range c.r.Rulings {
		rulings[h.Person+"#"+strconv.Itoa(h.Matter)] = h.Choice.Counted()
	}
	awaiting := map[string]bool{}
	partHeads := len(c.persons)
	for m, mt := range c.a.Matters {
		var heads [Double + 1]int
		undecided := 0
		for _, key := range c.personOrder {
			side, conflict := c.side(key, m)
			if conflict != nil {
				if ch, ok := rulings[key+"#"+strconv.Itoa(mt.No)]; ok {
					side, conflict.Ruled = ch, true
				} else {
					undecided++
					awaiting[key] = true
				}
				c.t.Conflicts = append(c.t.Conflicts, *conflict)
			}
			heads[side]++
		}
		res := MatterResult{No: mt.No, Title: mt.Title, Kind: mt.Kind,
			Agree:     AreaHeads{sqm(c.agreeFen[m]), heads[Agree]},
			Oppose:    AreaHeads{sqm(c.opposeFen[m]), heads[Oppose]},
			Abstain:   AreaHeads{sqm(c.abstainFen[m]), heads[Abstain]},
			Undecided: undecided,
		}
		if partHeads > 0 { // nobody taking part meets no threshold, even 0 ≥ 3/4 × 0
			res.AreaMet, res.HeadsMet = MatterPasses(mt.Kind, c.agreeFen[m], c.partFen, heads[Agree], partHeads)
		}
		res.Passed = c.t.QuorumMet && res.AreaMet && res.HeadsMet
		if c.a.Deemed {
			res.WithDeemed = c.withDeemed(m, mt, heads)
		}
		c.t.Matters = append(c.t.Matters, res)
	}
	c.t.AwaitingRuling = len(awaiting)
}

// side is an owner's head on matter m: the one choice all their counted ballots make,
// or, when their units answered differently, Blank and the conflict to rule on.
func (c *counter) side(key string, m int) (Choice, *Conflict) {
	p := c.persons[key]
	switch p.mask[m] {
	case 1 << Agree:
		return Agree, nil
	case 1 << Oppose:
		return Oppose, nil
	case 1 << Abstain:
		return Abstain, nil
	}
	mt := c.a.Matters[m]
	cf := &Conflict{Person: key, Matter: mt.No}
	for _, i := range p.units {
		b := c.final[i]
		cf.Units = append(cf.Units, b.Unit)
		ch := Blank
		if m < len(b.Choices) {
			ch = b.Choices[m]
		}
		cf.Choices = append(cf.Choices, b.Unit+": "+ch.Counted().Label())
		if cf.Name == "" {
			cf.Name = c.reg[b.Unit].unit.OwnerName
		}
	}
	sort.Slice(cf.Units, func(i, j int) bool { return UnitLess(cf.Units[i], cf.Units[j]) })
	if key == DeveloperPerson {
		cf.Name = T("开发商", "the developer")
	}
	return Blank, cf
}

// withDeemed is matter m's result when the deemed participants follow the majority of
// those who voted (and nobody's side when agree and oppose heads are equal).
func (c *counter) withDeemed(m int, mt Matter, heads [Double + 1]int) *DeemedResult {
	ag, op := c.agreeFen[m], c.opposeFen[m]
	agH, opH := heads[Agree], heads[Oppose]
	newHeads := len(c.deemedNewPersons)
	d := &DeemedResult{SideName: "none"}
	switch {
	case agH > opH:
		ag, agH, d.Side, d.SideName = ag+c.deemedFen, agH+newHeads, Agree, "agree"
	case opH > agH:
		op, opH, d.Side, d.SideName = op+c.deemedFen, opH+newHeads, Oppose, "oppose"
	}
	dHeads := len(c.persons) + newHeads
	areaOK, headsOK := MatterPasses(mt.Kind, ag, c.partFen+c.deemedFen, agH, dHeads)
	d.Agree, d.Oppose = AreaHeads{sqm(ag), agH}, AreaHeads{sqm(op), opH}
	d.Passed = c.t.DeemedTotals.QuorumMet && dHeads > 0 && areaOK && headsOK
	return d
}

// notReturned counts the issued ballots that did not come back, and closes the
// per-batch accounting.
func (c *counter) notReturned() {
	for id, v := range c.reg {
		if v.voting && !c.claimed[id] {
			c.t.Accounting.NotReturned++
			c.batch(BatchOf(id)).NotReturned++
		}
	}
	for _, b := range c.batches {
		b.OverIssued = b.Batch != "?" && b.Returned+b.Extra > b.Issued
		c.t.Batches = append(c.t.Batches, *b)
	}
	sort.Slice(c.t.Batches, func(i, j int) bool { return UnitLess(c.t.Batches[i].Batch, c.t.Batches[j].Batch) })
}

// areaFen is a unit's area in 分 of m²; the register holds at most 2 decimals.
func areaFen(u Unit) int64 {
	return u.Area.Shift(2).Round(0).IntPart()
}

// TallyRules is the wording of how the count was made, printed on the announcement
// (docs/domain.md: "The announcement states these rules").
func TallyRules(t Tally) []string {
	parking := T("车位面积及车位业主不计入表决（依议事规则）。", "Parking spaces do not count toward area or headcount (community rules).")
	if t.CountParking {
		parking = T("车位按议事规则计入专有部分面积和人数。", "Parking spaces count toward area and headcount (community rules).")
	}
	lines := []string{
		T("依据《民法典》第二百七十八条：表决须由专有部分面积占比三分之二以上且人数占比三分之二以上的业主参与；一般事项须经参与表决专有部分面积过半数且参与表决人数过半数的业主同意；重大事项（筹集维修资金、改建重建、改变共有部分用途或利用共有部分从事经营活动）须经参与表决专有部分面积四分之三以上且参与表决人数四分之三以上的业主同意。“以上”含本数，“过半数”不含半数。",
			"Civil Code art. 278: owners holding at least 2/3 of the area and at least 2/3 of the headcount must take part; an ordinary matter needs more than 1/2 of participating area and heads agreeing; a major matter (raising the maintenance fund, rebuilding, changing the use of common parts or running a business with them) needs at least 3/4 of participating area and heads."),
		T("面积为登记册所载专有部分面积，以大会创建时冻结的登记册为准；人数按最高法建筑物区分所有权司法解释计算：一户一人，同一业主多户计一人，共有人计一人，开发商未出售或未交付的房屋合计一人。"+parking,
			"Area is the exclusive area of the register frozen when the assembly was created; headcount: one unit one person, one owner of several units one person, co-owners one person, all units held by the developer together one person. "+parking),
		T("每张选票由两人分别录入（录入A、录入B），逐票比对；不一致的票经第三次核对原票后方计入；尚未核对一致的票计为已收回，但不计入表决，并单独列明票号。",
			"Each ballot was keyed twice (entries A and B) and compared; differing ballots count only after a third look at the paper; ballots not yet reconciled count as returned but are not counted in the vote, and are listed by number."),
		T("未签名、无法辨认、房号不在登记册等整张无效的选票不计入参与表决；同一房号有两张及以上有效选票的，全部暂不计入，待业委会核定；有效选票中某事项未填或多选的，该事项按弃权计；弃权计入参与表决，不计入同意。",
			"Wholly invalid ballots (unsigned, illegible, unit not in the register…) do not participate; when a unit has two or more valid ballots, all are held back until the committee decides; on a valid ballot a matter left blank or marked twice counts as abstain; abstaining participates but does not agree."),
		T("同一业主多户分别投票的，面积按每张票分别计入，人数只计一人；其各票对同一事项意见不一致的，该业主计入参与人数，但在业委会核定前不计入同意、反对或弃权任何一方，并在公告中列明。",
			"An owner of several units may vote once per unit: area follows each ballot, the person counts once; if their ballots disagree on a matter the person participates but counts on no side until the committee decides, and this is listed."),
		T("未达到参与表决法定比例的，所有事项均不通过。", "Without the quorum no matter passes."),
	}
	if t.Deemed {
		lines = append(lines,
			T("本次大会适用议事规则中的视为表决条款，原文：“", "This assembly applies the deemed-vote clause of the community's rules, verbatim: “")+t.Rule+"”",
			T("适用方式：选票已送达（有送达记录）且未交回任何选票的房号，视为参与表决；其面积计入该事项同意与反对中参与表决人数较多的一方，人数相同时不计入任何一方但仍计入参与表决。视为表决按房号计算：同一业主已有计入的选票的，人数不重复计算，仍按其本人选票计入；尚未计入的业主计一人。以下同时公布不含与含视为表决的结果。",
				"How it is applied: each unit whose ballot was delivered (a delivery record) and that returned no ballot at all takes part; its area joins whichever of agree/oppose has more participating heads on the matter, neither side on a tie (but it still takes part). Deeming is per unit: an owner already counted through a ballot of their own is not counted again and keeps their own side; an owner not yet counted adds one head. Results are given both without and with deemed votes."))
		var also []string
		for _, c := range t.DeemAlso {
			also = append(also, DeemCategoryLabel(c))
		}
		if len(also) == 0 {
			lines = append(lines, T("交回了选票但选票整张无效、尚待核对原票或因重复暂不计入的房号，均已作出答复，单独列明，不视为表决。",
				"Units that answered with a wholly invalid ballot, a ballot awaiting the third look, or ballots held back as duplicates did answer: they are listed on their own and never deemed."))
		} else {
			lines = append(lines, T("依本小区议事规则，下列已交回选票的房号有送达记录的，也视为表决：", "Under this community's rules, these units that did answer are deemed as well when their ballot was delivered: ")+
				strings.Join(also, T("；", "; "))+T("。其余已交回选票的房号单独列明，不视为表决。", ". Other units that answered are listed on their own and not deemed."))
		}
	}
	return lines
}

// MatterPassedIn is the result of one matter of a tally; ENOTFOUND if it has no such matter.
func MatterPassedIn(t Tally, matterNo int) (bool, error) {
	for _, m := range t.Matters {
		if m.No == matterNo {
			return m.Passed, nil
		}
	}
	return false, Errorf(ENOTFOUND, "表决 %s 没有事项 %d", "vote %s has no matter %d", t.Vote, matterNo)
}
