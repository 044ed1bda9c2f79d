package app

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
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
//   - Deemed votes (only if the assembly uses the rule): every voting unit with a
//     delivery record and no counted ballot participates; its area (and its owner's head
//     if that person is not already participating) joins, on each matter, whichever of
//     agree/oppose has more participating heads; on a tie it joins neither side but still
//     participates. The quorum and every result are recomputed with them.

// AreaHeads is an area (m², 2 decimals) and a headcount, as the tally JSON writes them.
type AreaHeads struct {
	Area  string `json:"area"`
	Heads int    `json:"heads"`
}

// Participation adds the number of counted ballots.
type Participation struct {
	Area    string `json:"area"`
	Heads   int    `json:"heads"`
	Ballots int    `json:"ballots"`
}

// BallotCounts is the ballot accounting of FORMATS.md. entered_a/entered_b count rows
// keyed; reconciled/unreconciled count ballot numbers; valid + invalid = reconciled;
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

// DeemedResult is a matter's result with deemed votes (FORMATS.md `with_deemed`).
type DeemedResult struct {
	Agree  AreaHeads `json:"agree"`
	Passed bool      `json:"passed"`
	// Oppose and Side are for the announcement: the result against, and the side the
	// deemed units joined (Agree, Oppose, or Blank on a tie).
	Oppose AreaHeads `json:"-"`
	Side   Choice    `json:"-"`
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
	// AreaMet and HeadsMet say which axis of the threshold held (for the announcement).
	AreaMet  bool `json:"-"`
	HeadsMet bool `json:"-"`
	// Undecided counts persons whose ballots disagree on this matter and who are on no side.
	Undecided int `json:"-"`
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

// Conflict is a person whose counted ballots disagree on a matter: flagged for the
// committee instead of guessed.
type Conflict struct {
	Person  string
	Name    string
	Matter  int
	Units   []string
	Choices []string // "unit: choice" per ballot
	Ruled   bool     // the committee recorded a HeadRuling
}

// BatchCount is the ballot accounting of one batch: the ballots issued to one building
// (the part of the unit id before the first "-"); ballots whose unit is not in the
// register form the batch "?".
type BatchCount struct {
	Batch       string
	Issued      int
	Returned    int
	NotReturned int // issued units with no reconciled ballot
	Valid       int
	Invalid     int
	Duplicates  int
	// OverIssued: more ballots came back than were issued. Since one ballot is issued
	// per unit, the excess are second ballots for a unit (held back as duplicates) or
	// ballots for units of no batch; the batch is flagged for the committee.
	OverIssued bool
}

// Tally is the result of counting an assembly's ballots. Its JSON is exactly FORMATS.md
// "Tally JSON"; the other fields are details for the announcement and the committee.
type Tally struct {
	Vote           string         `json:"vote"`
	Title          string         `json:"title"`
	Total          AreaHeads      `json:"total"`
	Participating  Participation  `json:"participating"`
	QuorumMet      bool           `json:"quorum_met"`
	Ballots        BallotCounts   `json:"ballots"`
	InvalidReasons map[string]int `json:"invalid_reasons"`
	Matters        []MatterResult `json:"matters"`

	Date         string          `json:"-"`
	Deemed       bool            `json:"-"`
	Rule         string          `json:"-"`
	CountParking bool            `json:"-"`
	Issued       int             `json:"-"` // ballots issued: one per voting unit
	NotReturned  int             `json:"-"`
	Proxies      int             `json:"-"` // counted ballots cast by a proxy
	Invalid      []InvalidBallot `json:"-"`
	Duplicates   []DuplicateUnit `json:"-"`
	Unreconciled []string        `json:"-"`
	Conflicts    []Conflict      `json:"-"`
	Batches      []BatchCount    `json:"-"`
	// With deemed votes (only if Deemed): units deemed to participate, participation and quorum.
	DeemedUnits         int       `json:"-"`
	DeemedParticipating AreaHeads `json:"-"`
	DeemedQuorumMet     bool      `json:"-"`
	// Delivered counts units with a delivery record.
	Delivered int `json:"-"`
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

// Reconcile matches entries A and B by ballot number. It returns the reconciled ballots
// (in ballot-number order), every difference (resolved or not) and the numbers of the
// ballots not reconciled.
func Reconcile(matters []Matter, a, b []Ballot, res []Resolution) (final []Ballot, diffs []Difference, unreconciled []string) {
	byA := make(map[string]Ballot, len(a))
	byB := make(map[string]Ballot, len(b))
	for _, x := range a {
		byA[x.No] = x
	}
	for _, x := range b {
		byB[x.No] = x
	}
	resolved := make(map[string]Ballot, len(res))
	for _, r := range res {
		resolved[r.Ballot.No] = r.Ballot
	}
	nos := make([]string, 0, len(byA)+len(byB))
	for no := range byA {
		nos = append(nos, no)
	}
	for no := range byB {
		if _, ok := byA[no]; !ok {
			nos = append(nos, no)
		}
	}
	sort.Slice(nos, func(i, j int) bool { return UnitLess(nos[i], nos[j]) })
	final = make([]Ballot, 0, len(nos))
	for _, no := range nos {
		x, inA := byA[no]
		y, inB := byB[no]
		r, isResolved := resolved[no]
		switch {
		case !inA || !inB:
			d := Difference{Ballot: no, Field: "ballot_no", Resolved: isResolved}
			if inA {
				d.A = no
			} else {
				d.B = no
			}
			diffs = append(diffs, d)
		case !x.Same(y):
			diffs = append(diffs, ballotDiffs(matters, x, y, isResolved)...)
		default:
			if !isResolved {
				final = append(final, x)
				continue
			}
		}
		if isResolved {
			r.No = no
			final = append(final, r)
		} else {
			unreconciled = append(unreconciled, no)
		}
	}
	return final, diffs, unreconciled
}

func ballotDiffs(matters []Matter, x, y Ballot, resolved bool) []Difference {
	var out []Difference
	add := func(field, a, b string) {
		if a != b {
			out = append(out, Difference{Ballot: x.No, Field: field, A: a, B: b, Resolved: resolved})
		}
	}
	add("unit", x.Unit, y.Unit)
	for i := 0; i < len(x.Choices) || i < len(y.Choices); i++ {
		field := "m" + strconv.Itoa(i+1)
		if i < len(matters) {
			field = "m" + strconv.Itoa(matters[i].No)
		}
		var a, b string
		if i < len(x.Choices) {
			a = x.Choices[i].String()
		}
		if i < len(y.Choices) {
			b = y.Choices[i].String()
		}
		add(field, a, b)
	}
	add("invalid_reason", x.Invalid, y.Invalid)
	add("proxy", x.Proxy, y.Proxy)
	return out
}

// BatchOf is the batch a unit's ballot was issued in: its building, the part of the id
// before the first "-" ("3" for 3-2-1501, "P" for P-0012).
func BatchOf(unitID string) string {
	if i := strings.IndexAny(unitID, "-/"); i > 0 {
		return unitID[:i]
	}
	return unitID
}

type voter struct {
	unit   Unit
	fen    int64
	voting bool
}

// CountVotes tallies an assembly: reconciliation, ballot accounting, quorum and each
// matter's result by area and by headcount, with and (if the assembly uses the rule)
// without deemed votes. The result does not depend on the order of the ballots.
func CountVotes(r VoteRecord) Tally {
	a := r.Assembly
	t := Tally{Vote: a.ID, Title: a.Title, Date: a.Date, Deemed: a.Deemed, Rule: a.Rule, CountParking: a.CountParking,
		InvalidReasons: map[string]int{}}
	if t.Deemed && strings.TrimSpace(t.Rule) == "" {
		t.Rule = DefaultDeemedRule
	}
	reg := make(map[string]voter, len(r.Register))
	var totalFen int64
	totalPersons := map[string]bool{}
	batches := map[string]*BatchCount{}
	batch := func(name string) *BatchCount {
		b := batches[name]
		if b == nil {
			b = &BatchCount{Batch: name}
			batches[name] = b
		}
		return b
	}
	for _, u := range r.Register {
		v := voter{unit: u, fen: areaFen(u), voting: VotingUnit(u, a.CountParking)}
		reg[u.ID] = v
		if v.voting {
			totalFen += v.fen
			totalPersons[u.Person()] = true
			t.Issued++
			batch(BatchOf(u.ID)).Issued++
		}
	}
	t.Total = AreaHeads{Area: fenString(totalFen), Heads: len(totalPersons)}

	final, _, unreconciled := Reconcile(a.Matters, r.EntryA, r.EntryB, r.Resolutions)
	t.Unreconciled = unreconciled
	t.Ballots = BallotCounts{EnteredA: len(r.EntryA), EnteredB: len(r.EntryB), Reconciled: len(final), Unreconciled: len(unreconciled)}

	// Sort out invalid ballots and group the valid ones by unit.
	returnedUnits := map[string]bool{}
	validByUnit := map[string][]int{}
	var unitOrder []string
	for i, b := range final {
		v, known := reg[b.Unit]
		bname := "?"
		if known {
			bname = BatchOf(b.Unit)
			returnedUnits[b.Unit] = true
		}
		bc := batch(bname)
		bc.Returned++
		reason := b.Invalid
		switch {
		case reason != "":
		case !known:
			reason = ReasonUnknownUnit
		case !v.voting:
			reason = ReasonParkingNotCounted
		}
		if reason != "" {
			t.Ballots.Invalid++
			bc.Invalid++
			t.InvalidReasons[reason]++
			t.Invalid = append(t.Invalid, InvalidBallot{No: b.No, Unit: b.Unit, Reason: reason})
			continue
		}
		t.Ballots.Valid++
		bc.Valid++
		if _, seen := validByUnit[b.Unit]; !seen {
			unitOrder = append(unitOrder, b.Unit)
		}
		validByUnit[b.Unit] = append(validByUnit[b.Unit], i)
	}
	sort.Slice(unitOrder, func(i, j int) bool { return UnitLess(unitOrder[i], unitOrder[j]) })

	// Count the counted ballots.
	nm := len(a.Matters)
	type person struct {
		mask  []uint8 // per matter: bit per counted choice
		units []int   // indexes into final
	}
	persons := map[string]*person{}
	var personOrder []string
	agreeFen, opposeFen, abstainFen := make([]int64, nm), make([]int64, nm), make([]int64, nm)
	var partFen int64
	counted := map[string]bool{}
	for _, unit := range unitOrder {
		idx := validByUnit[unit]
		if len(idx) > 1 {
			d := DuplicateUnit{Unit: unit}
			for _, i := range idx {
				d.Ballots = append(d.Ballots, final[i].No)
			}
			t.Duplicates = append(t.Duplicates, d)
			t.Ballots.Duplicates += len(idx)
			batch(BatchOf(unit)).Duplicates += len(idx)
			continue
		}
		b := final[idx[0]]
		v := reg[unit]
		counted[unit] = true
		t.Participating.Ballots++
		if b.Proxy != "" {
			t.Proxies++
		}
		partFen += v.fen
		key := v.unit.Person()
		p := persons[key]
		if p == nil {
			p = &person{mask: make([]uint8, nm)}
			persons[key] = p
			personOrder = append(personOrder, key)
		}
		p.units = append(p.units, idx[0])
		for m := 0; m < nm; m++ {
			c := Abstain
			if m < len(b.Choices) {
				c = b.Choices[m].Counted()
			}
			switch c {
			case Agree:
				agreeFen[m] += v.fen
			case Oppose:
				opposeFen[m] += v.fen
			default:
				abstainFen[m] += v.fen
			}
			p.mask[m] |= 1 << c
		}
	}
	sort.Strings(personOrder)
	partHeads := len(persons)
	t.Participating.Area, t.Participating.Heads = fenString(partFen), partHeads
	t.QuorumMet = QuorumMet(partFen, totalFen, partHeads, len(totalPersons))

	rulings := map[string]Choice{}
	for _, h := range r.Rulings {
		rulings[h.Person+"#"+strconv.Itoa(h.Matter)] = h.Choice.Counted()
	}

	// Deemed participants: delivered, voting, no counted ballot.
	var deemedFen int64
	deemedNewPersons := map[string]bool{}
	if a.Deemed {
		seen := map[string]bool{}
		for _, d := range r.Deliveries {
			v, ok := reg[d.Unit]
			if !ok || seen[d.Unit] {
				continue
			}
			seen[d.Unit] = true
			t.Delivered++
			if !v.voting || counted[d.Unit] {
				continue
			}
			t.DeemedUnits++
			deemedFen += v.fen
			if _, part := persons[v.unit.Person()]; !part {
				deemedNewPersons[v.unit.Person()] = true
			}
		}
		dHeads := partHeads + len(deemedNewPersons)
		t.DeemedParticipating = AreaHeads{Area: fenString(partFen + deemedFen), Heads: dHeads}
		t.DeemedQuorumMet = QuorumMet(partFen+deemedFen, totalFen, dHeads, len(totalPersons))
	}

	for m, mt := range a.Matters {
		var heads [Double + 1]int
		undecided := 0
		for _, key := range personOrder {
			p := persons[key]
			side := Blank
			switch p.mask[m] {
			case 1 << Agree:
				side = Agree
			case 1 << Oppose:
				side = Oppose
			case 1 << Abstain:
				side = Abstain
			default:
				c := Conflict{Person: key, Matter: mt.No}
				for _, i := range p.units {
					b := final[i]
					c.Units = append(c.Units, b.Unit)
					c.Choices = append(c.Choices, b.Unit+": "+b.Choices[m].Counted().Label())
					if c.Name == "" {
						c.Name = reg[b.Unit].unit.OwnerName
					}
				}
				if key == DeveloperPerson {
					c.Name = T("开发商", "the developer")
				}
				if ch, ok := rulings[key+"#"+strconv.Itoa(mt.No)]; ok {
					side, c.Ruled = ch, true
				} else {
					undecided++
				}
				t.Conflicts = append(t.Conflicts, c)
			}
			heads[side]++
		}
		res := MatterResult{No: mt.No, Title: mt.Title, Kind: mt.Kind,
			Agree:     AreaHeads{fenString(agreeFen[m]), heads[Agree]},
			Oppose:    AreaHeads{fenString(opposeFen[m]), heads[Oppose]},
			Abstain:   AreaHeads{fenString(abstainFen[m]), heads[Abstain]},
			Undecided: undecided,
		}
		if partHeads > 0 { // nobody taking part meets no threshold, even 0 ≥ 3/4 × 0
			res.AreaMet, res.HeadsMet = MatterPasses(mt.Kind, agreeFen[m], partFen, heads[Agree], partHeads)
		}
		res.Passed = t.QuorumMet && res.AreaMet && res.HeadsMet
		if a.Deemed {
			ag, op := agreeFen[m], opposeFen[m]
			agH, opH := heads[Agree], heads[Oppose]
			d := &DeemedResult{}
			switch {
			case agH > opH:
				ag, agH, d.Side = ag+deemedFen, agH+len(deemedNewPersons), Agree
			case opH > agH:
				op, opH, d.Side = op+deemedFen, opH+len(deemedNewPersons), Oppose
			}
			dHeads := partHeads + len(deemedNewPersons)
			areaOK, headsOK := MatterPasses(mt.Kind, ag, partFen+deemedFen, agH, dHeads)
			d.Agree, d.Oppose = AreaHeads{fenString(ag), agH}, AreaHeads{fenString(op), opH}
			d.Passed = t.DeemedQuorumMet && dHeads > 0 && areaOK && headsOK
			res.WithDeemed = d
		}
		t.Matters = append(t.Matters, res)
	}

	// Batch accounting.
	for id, v := range reg {
		if v.voting && !returnedUnits[id] {
			t.NotReturned++
			batch(BatchOf(id)).NotReturned++
		}
	}
	for _, b := range batches {
		b.OverIssued = b.Batch != "?" && b.Returned > b.Issued
		t.Batches = append(t.Batches, *b)
	}
	sort.Slice(t.Batches, func(i, j int) bool { return UnitLess(t.Batches[i].Batch, t.Batches[j].Batch) })
	return t
}

// areaFen is a unit's area in 分 of m²; the register holds at most 2 decimals.
func areaFen(u Unit) int64 {
	return u.Area.Shift(2).Round(0).IntPart()
}

// fenString writes 分 of m² as a decimal string with 2 places ("12345.67").
func fenString(f int64) string {
	sign := ""
	if f < 0 {
		sign, f = "-", -f
	}
	return fmt.Sprintf("%s%d.%02d", sign, f/100, f%100)
}

// TallyRules is the wording of how the count was made, printed on the announcement
// (DESIGN.md: "The announcement states these rules").
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
		T("每张选票由两人分别录入（录入A、录入B），逐票比对；不一致的票经第三次核对原票后方计入，未核对一致的票不计入，并单独列明张数。",
			"Each ballot was keyed twice (entries A and B) and compared; differing ballots count only after a third look at the paper; unreconciled ballots are not counted and their number is stated."),
		T("未签名、无法辨认、房号不在登记册等整张无效的选票不计入参与表决；同一房号有两张及以上有效选票的，全部暂不计入，待业委会核定；有效选票中某事项未填或多选的，该事项按弃权计；弃权计入参与表决，不计入同意。",
			"Wholly invalid ballots (unsigned, illegible, unit not in the register…) do not participate; when a unit has two or more valid ballots, all are held back until the committee decides; on a valid ballot a matter left blank or marked twice counts as abstain; abstaining participates but does not agree."),
		T("同一业主多户分别投票的，面积按每张票分别计入，人数只计一人；其各票对同一事项意见不一致的，该业主计入参与人数，但在业委会核定前不计入同意、反对或弃权任何一方，并在公告中列明。",
			"An owner of several units may vote once per unit: area follows each ballot, the person counts once; if their ballots disagree on a matter the person participates but counts on no side until the committee decides, and this is listed."),
		T("未达到参与表决法定比例的，所有事项均不通过。", "Without the quorum no matter passes."),
	}
	if t.Deemed {
		lines = append(lines,
			T("本次大会适用议事规则中的视为表决条款，原文：“", "This assembly applies the deemed-vote clause of the community's rules, verbatim: “")+t.Rule+"”",
			T("适用方式：有送达记录且无计入选票的房号视为参与表决，其面积（及尚未计入的业主人数）计入该事项同意与反对中参与人数较多的一方，人数相同时不计入任何一方但仍计入参与表决。以下同时公布不含与含视为表决的结果。",
				"How it is applied: each unit with a delivery record and no counted ballot takes part; its area (and its owner, if not already counted) joins whichever of agree/oppose has more participating heads on the matter, neither side on a tie (but still participates). Results are given both without and with deemed votes."))
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
