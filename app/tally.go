package app

import "strings"

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

// Tally is the result of counting an assembly's ballots. Its JSON has every key of
// the documented tally format (vote, title, total, participating, quorum_met, ballots,
// invalid_reasons, matters) and adds accounting, answered, awaiting_ruling_heads and,
// for an assembly using the deemed-vote rule, deemed; the other fields are details for
// the announcement and the committee.
type Tally struct {
	Vote           string                `json:"vote"`
	Title          string                `json:"title"`
	Total          AreaHeads             `json:"total"`
	Participating  Participation         `json:"participating"`
	QuorumMet      bool                  `json:"quorum_met"`
	Ballots        BallotCounts          `json:"ballots"`
	InvalidReasons map[InvalidReason]int `json:"invalid_reasons"`
	Matters        []MatterResult        `json:"matters"`

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
func MatterPasses(kind MatterKind, agreeArea, partArea int64, agreeHeads, partHeads int) (area, heads bool) {
	ah, ph := int64(agreeHeads), int64(partHeads)
	if kind == MatterMajor {
		return agreeArea*4 >= partArea*3, ah*4 >= ph*3
	}
	return agreeArea*2 > partArea, ah*2 > ph
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
			DeemedRuleLine(t.Rule),
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

// DeemedRuleLine is how the announcement quotes the deemed-vote clause: the wording the
// committee entered from the community's own rules, verbatim and said to be so; never a
// wording of the program's own (an assembly recorded without the wording says that).
func DeemedRuleLine(rule string) string {
	if strings.TrimSpace(rule) == "" {
		return T("本次大会适用视为表决条款，但未录入本小区议事规则的条款原文；本公告不代拟条款表述，以业主大会议事规则原件为准。",
			"This assembly applies the deemed-vote clause, but the wording of the community's rules was not entered; this notice does not word the clause itself: the community's rules as adopted prevail.")
	}
	return T("本次大会适用本小区《业主大会议事规则》中的视为表决条款，原文（由业委会照录）：“", "This assembly applies the deemed-vote clause of the community's own rules, verbatim as entered by the committee: “") + rule + "”"
}
