package app

import (
	"sort"
	"strconv"
	"strings"
)

// The phases of CountVotes (tally.go states the rules they apply): entries A and B are
// reconciled, each voting unit is sorted by what came back for it, the counted ballots
// are summed per owner, the deemed units are added, and each matter is decided.

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

// Reconcile matches entries A and B by ballot number (the two-person keying every paper
// form shares, see Transcription). It returns the reconciled ballots (in ballot-number
// order), every difference (resolved or not) and the numbers of the ballots not
// reconciled.
func Reconcile(matters []Matter, a, b []Ballot, res []Resolution) (final []Ballot, diffs []Difference, unreconciled []string) {
	resolved := make([]Ballot, len(res))
	for i, r := range res {
		resolved[i] = r.Ballot
	}
	return BallotEntry(matters).Reconcile(a, b, resolved)
}

// BallotEntry reads ballots for two-person keying: fields unit, m<no> per matter,
// invalid_reason and proxy.
func BallotEntry(matters []Matter) Transcription[Ballot] {
	return Transcription[Ballot]{
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
			return append(fs, PaperField{"invalid_reason", string(b.Invalid)}, PaperField{"proxy", b.Proxy})
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

	counted []int    // indexes into final of the counted ballots, in unit order
	deemed  []string // the deemed units
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
		VotingFrom: a.VotingFrom, VotingTo: a.VotingTo, InvalidReasons: map[InvalidReason]int{}}
	if !a.Created.IsZero() {
		c.t.Created = a.Created.Format(DateLayout)
	}
	if c.t.Deemed {
		c.t.DeemAlso = NormalizeDeemAlso(a.DeemAlso)
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
		c.counted = append(c.counted, idx[0])
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
		c.deemed = append(c.deemed, d.Unit)
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
		if len(mt.Scope) > 0 {
			c.t.Matters = append(c.t.Matters, c.scoped(m, mt, rulings, awaiting))
			continue
		}
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
		res := MatterResult{No: mt.No, Title: mt.Title, Kind: mt.Kind, Item: mt.Item, Fund: mt.Fund, Cap: mt.Cap,
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
	return c.sideOf(key, c.persons[key], m)
}

// sideOf is side for an owner p whose counted ballots are those of p.units.
func (c *counter) sideOf(key string, p *owner, m int) (Choice, *Conflict) {
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
