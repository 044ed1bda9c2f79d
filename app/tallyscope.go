package app

import (
	"sort"
	"strconv"
)

// A matter with a scope (列支/分摊范围: the buildings or units that share its cost) is
// decided by the owners in that scope alone (docs/votes.md "Scoped matters"): its total,
// participation, quorum and both majorities are counted over the voting units in the
// scope and the counted ballots of those units, with the usual headcount (an owner of
// several units in the scope is one person, all developer-held units in it are one).
// A ballot for a unit outside the scope does not count on that matter; the assembly's
// own figures (the top-level total, participation and quorum) stay the whole assembly's.

// ScopeCount is what a scoped matter adds to its result: the scope and the figures
// counted within it.
type ScopeCount struct {
	Scope         []string       `json:"scope"`
	Total         *AreaHeads     `json:"total"`
	Participating *Participation `json:"participating"`
	QuorumMet     *bool          `json:"quorum_met"`
}

// scoped decides matter m (index) within its scope.
func (c *counter) scoped(m int, mt Matter, rulings map[string]Choice, awaiting map[string]bool) MatterResult {
	var totalFen, partFen, agreeFen, opposeFen, abstainFen int64
	totalPersons := map[string]bool{}
	for id, v := range c.reg {
		if v.voting && InScope(mt.Scope, id) {
			totalFen += v.fen
			totalPersons[v.unit.Person()] = true
		}
	}
	persons := map[string]*owner{}
	var order []string
	ballots := 0
	for _, i := range c.counted {
		b := c.final[i]
		if !InScope(mt.Scope, b.Unit) {
			continue
		}
		v := c.reg[b.Unit]
		ballots++
		partFen += v.fen
		key := v.unit.Person()
		p := persons[key]
		if p == nil {
			p = &owner{mask: make([]uint8, len(c.a.Matters))}
			persons[key] = p
			order = append(order, key)
		}
		p.units = append(p.units, i)
		ch := Abstain
		if m < len(b.Choices) {
			ch = b.Choices[m].Counted()
		}
		switch ch {
		case Agree:
			agreeFen += v.fen
		case Oppose:
			opposeFen += v.fen
		default:
			abstainFen += v.fen
		}
		p.mask[m] |= 1 << ch
	}
	sort.Strings(order)
	var heads [Double + 1]int
	undecided := 0
	for _, key := range order {
		side, conflict := c.sideOf(key, persons[key], m)
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
	quorum := QuorumMet(partFen, totalFen, len(persons), len(totalPersons))
	res := MatterResult{No: mt.No, Title: mt.Title, Kind: mt.Kind, Item: mt.Item, Fund: mt.Fund, Cap: mt.Cap,
		Agree:     AreaHeads{sqm(agreeFen), heads[Agree]},
		Oppose:    AreaHeads{sqm(opposeFen), heads[Oppose]},
		Abstain:   AreaHeads{sqm(abstainFen), heads[Abstain]},
		Undecided: undecided,
		ScopeCount: &ScopeCount{Scope: mt.Scope,
			Total:         &AreaHeads{sqm(totalFen), len(totalPersons)},
			Participating: &Participation{Area: sqm(partFen), Heads: len(persons), Ballots: ballots},
			QuorumMet:     &quorum},
	}
	if len(persons) > 0 {
		res.AreaMet, res.HeadsMet = MatterPasses(mt.Kind, agreeFen, partFen, heads[Agree], len(persons))
	}
	res.Passed = quorum && res.AreaMet && res.HeadsMet
	if !c.a.Deemed {
		return res
	}
	// Deemed votes within the scope: the deemed units in it, their owners' heads once
	// and only if not already taking part in the scope.
	var dFen int64
	newPersons := map[string]bool{}
	for _, id := range c.deemed {
		if !InScope(mt.Scope, id) {
			continue
		}
		v := c.reg[id]
		dFen += v.fen
		if persons[v.unit.Person()] == nil {
			newPersons[v.unit.Person()] = true
		}
	}
	ag, op := agreeFen, opposeFen
	agH, opH := heads[Agree], heads[Oppose]
	d := &DeemedResult{SideName: "none"}
	switch {
	case agH > opH:
		ag, agH, d.Side, d.SideName = ag+dFen, agH+len(newPersons), Agree, "agree"
	case opH > agH:
		op, opH, d.Side, d.SideName = op+dFen, opH+len(newPersons), Oppose, "oppose"
	}
	dHeads := len(persons) + len(newPersons)
	areaOK, headsOK := MatterPasses(mt.Kind, ag, partFen+dFen, agH, dHeads)
	d.Agree, d.Oppose = AreaHeads{sqm(ag), agH}, AreaHeads{sqm(op), opH}
	dq := QuorumMet(partFen+dFen, totalFen, dHeads, len(totalPersons))
	d.Participating, d.QuorumMet = &AreaHeads{sqm(partFen + dFen), dHeads}, &dq
	d.Passed = dq && dHeads > 0 && areaOK && headsOK
	res.WithDeemed = d
	return res
}
