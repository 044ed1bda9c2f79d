package app

import (
	"fmt"

	"github.com/shopspring/decimal"
)

// The parts of a Tally: areas in m² (SqM), the ballot accounting, the deemed-vote
// totals and each matter's result, as the tally JSON writes them. How they are counted
// is in tally.go (the rules) and tallycount.go (the phases of CountVotes).

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
	// Participating and QuorumMet are set for a scoped matter only: participation and
	// quorum with deemed votes within its scope (the assembly's are in DeemedTotals).
	Participating *AreaHeads `json:"participating,omitempty"`
	QuorumMet     *bool      `json:"quorum_met,omitempty"`
}

// MatterResult is one matter's count. A matter with a scope also carries ScopeCount
// (scope, total, participating, quorum_met counted within the scope), and then its
// agree/oppose/abstain and result are counted within the scope too (tallyscope.go).
type MatterResult struct {
	No          int             `json:"no"`
	Title       string          `json:"title"`
	Kind        MatterKind      `json:"kind"`
	Item        int             `json:"item,omitempty"`
	Fund        Fund            `json:"fund,omitempty"`
	Cap         decimal.Decimal `json:"cap,omitzero"`
	*ScopeCount `json:",omitempty"`
	Agree       AreaHeads     `json:"agree"`
	Oppose      AreaHeads     `json:"oppose"`
	Abstain     AreaHeads     `json:"abstain"`
	Passed      bool          `json:"passed"`
	WithDeemed  *DeemedResult `json:"with_deemed,omitempty"`
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
	Reason InvalidReason
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
