package reports

import (
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"sunledger/app"
)

// WriteAnnouncement writes the vote result announcement (表决结果公告) of a tally to a
// PDF file for the notice board. The file is written whole or not at all.
func WriteAnnouncement(path, community string, t app.Tally, head string) error {
	return AnnouncementDoc(community, t, head).Save(path)
}

// Announcement writes the 表决结果公告 PDF to w (see AnnouncementDoc).
func Announcement(w io.Writer, community string, t app.Tally, head string) error {
	return AnnouncementDoc(community, t, head).Write(w)
}

// AnnouncementDoc lays out the 表决结果公告 (DESIGN.md "Votes"): total area and
// headcount; participating area and headcount; each matter's agree / oppose / abstain by
// area and by headcount; invalid ballots and their reasons; the rules applied, including
// how blanks, double marks, invalid ballots and duplicates are treated; whether each
// matter passed (with and without deemed votes if the assembly uses that rule); what is
// still to be resolved; the date; signature lines for the counters (计票), the
// scrutineers (监票) and the committee; and, in every page's footer, the books' head hash.
func AnnouncementDoc(community string, t app.Tally, head string) *Doc {
	d := NewDoc(DocMeta{
		Community: community,
		Title:     app.T("业主大会表决结果公告", "Owners' assembly: vote result announcement"),
		Subtitle:  fmt.Sprintf("%s（%s %s）", t.Title, app.T("表决编号", "vote"), t.Vote),
		HeadHash:  head,
		DocID:     "tally-" + t.Vote,
		Date:      t.Date,
	})
	right := func(title string, w float64) Col { return Col{Title: title, Width: w, Align: "R"} }

	d.Heading(app.T("一、参与表决情况", "1. Participation"))
	d.Table([]Col{{Title: "", Width: 60}, right(app.T("专有部分面积（m²）", "area (m²)"), 0), right(app.T("人数", "headcount"), 0)}, [][]string{
		{app.T("全体业主（总计）", "all owners (total)"), t.Total.Area, strconv.Itoa(t.Total.Heads)},
		{app.T("参与表决", "taking part"), t.Participating.Area, strconv.Itoa(t.Participating.Heads)},
		{app.T("参与比例", "share taking part"), annPct(t.Participating.Area, t.Total.Area), annPctInt(t.Participating.Heads, t.Total.Heads)},
	}, TableOpts{})
	quorum := app.T("达到《民法典》第二百七十八条规定的参与比例（面积和人数均不低于三分之二）。", "The quorum of Civil Code art. 278 (at least 2/3 of area and of headcount) is met.")
	if !t.QuorumMet {
		quorum = app.T("未达到《民法典》第二百七十八条规定的参与比例（面积和人数均须不低于三分之二），本次表决所有事项均不通过。", "The quorum of Civil Code art. 278 (at least 2/3 of area and of headcount) is NOT met: no matter passes.")
	}
	d.Para(quorum)
	if t.Deemed {
		d.Para(fmt.Sprintf(app.T("含视为表决：有送达记录 %d 户，其中视为参与 %d 户；参与面积 %s m²（%s），人数 %d（%s）；%s。",
			"With deemed votes: %d units with delivery records, %d of them deemed to take part; participating area %s m² (%s), heads %d (%s); %s."),
			t.Delivered, t.DeemedUnits, t.DeemedParticipating.Area, annPct(t.DeemedParticipating.Area, t.Total.Area),
			t.DeemedParticipating.Heads, annPctInt(t.DeemedParticipating.Heads, t.Total.Heads),
			annChoose(t.DeemedQuorumMet, app.T("达到参与比例", "quorum met"), app.T("未达到参与比例", "quorum NOT met"))))
	}

	d.Heading(app.T("二、选票统计", "2. Ballots"))
	b := t.Ballots
	d.Para(fmt.Sprintf(app.T("发出选票 %d 张（每个参与表决的房号一张），收回并核对一致 %d 张，未收回 %d 户。录入A %d 张、录入B %d 张，两次录入不一致且尚未核对原票的 %d 张，未计入。核对一致的选票中有效 %d 张、无效 %d 张；有效选票中因同一房号多张而暂不计入的 %d 张；计入表决的选票 %d 张，其中委托代理投票 %d 张。",
		"Ballots issued: %d (one per voting unit); returned and reconciled: %d; units not returned: %d. Entry A %d, entry B %d; %d ballots differ between the entries and await a look at the paper, not counted. Of the reconciled ballots %d are valid and %d invalid; %d valid ballots are held back because their unit has more than one; %d ballots are counted, %d of them cast by a proxy."),
		t.Issued, b.Reconciled, t.NotReturned, b.EnteredA, b.EnteredB, b.Unreconciled, b.Valid, b.Invalid, b.Duplicates, t.Participating.Ballots, t.Proxies))
	if len(t.InvalidReasons) > 0 {
		reasons := make([]string, 0, len(t.InvalidReasons))
		for r := range t.InvalidReasons {
			reasons = append(reasons, r)
		}
		sort.Strings(reasons)
		var rows [][]string
		for _, r := range reasons {
			var nos []string
			for _, ib := range t.Invalid {
				if ib.Reason == r {
					nos = append(nos, ib.No)
				}
			}
			if len(nos) > 40 {
				nos = append(nos[:40], "…")
			}
			rows = append(rows, []string{app.ReasonLabel(r), strconv.Itoa(t.InvalidReasons[r]), strings.Join(nos, "、")})
		}
		d.Table([]Col{{Title: app.T("无效原因", "invalid reason"), Width: 45}, right(app.T("张数", "ballots"), 20), {Title: app.T("票号", "ballot numbers")}}, rows, TableOpts{})
	}

	if len(t.Batches) > 0 {
		var rows [][]string
		for _, bc := range t.Batches {
			name := bc.Batch
			if name == "?" {
				name = app.T("不在登记册", "not in the register")
			}
			rows = append(rows, []string{name, strconv.Itoa(bc.Issued), strconv.Itoa(bc.Returned), strconv.Itoa(bc.NotReturned), strconv.Itoa(bc.Valid), strconv.Itoa(bc.Invalid), strconv.Itoa(bc.Duplicates)})
		}
		rows = append(rows, []string{app.T("合计", "total"), strconv.Itoa(t.Issued), strconv.Itoa(b.Reconciled), strconv.Itoa(t.NotReturned), strconv.Itoa(b.Valid), strconv.Itoa(b.Invalid), strconv.Itoa(b.Duplicates)})
		d.Table([]Col{{Title: app.T("批次（楼栋）", "batch (building)"), Width: 40}, right(app.T("发出", "issued"), 0), right(app.T("收回", "returned"), 0), right(app.T("未收回", "not returned"), 0), right(app.T("有效", "valid"), 0), right(app.T("无效", "invalid"), 0), right(app.T("重复暂不计", "duplicates"), 0)}, rows[:len(rows)-1], TableOpts{Zebra: true, Totals: rows[len(rows)-1]})
	}

	d.Heading(app.T("三、各事项表决结果", "3. Results by matter"))
	for _, m := range t.Matters {
		mt := app.Matter{Kind: m.Kind}
		rows := [][]string{
			{app.T("同意", "agree"), m.Agree.Area, annPct(m.Agree.Area, t.Participating.Area), strconv.Itoa(m.Agree.Heads), annPctInt(m.Agree.Heads, t.Participating.Heads)},
			{app.T("反对", "oppose"), m.Oppose.Area, annPct(m.Oppose.Area, t.Participating.Area), strconv.Itoa(m.Oppose.Heads), annPctInt(m.Oppose.Heads, t.Participating.Heads)},
			{app.T("弃权（含未填、多选）", "abstain (incl. blank, marked twice)"), m.Abstain.Area, annPct(m.Abstain.Area, t.Participating.Area), strconv.Itoa(m.Abstain.Heads), annPctInt(m.Abstain.Heads, t.Participating.Heads)},
		}
		if m.Undecided > 0 {
			rows = append(rows, []string{app.T("意见不一致待核定", "split, to be decided"), "—", "—", strconv.Itoa(m.Undecided), annPctInt(m.Undecided, t.Participating.Heads)})
		}
		d.Table([]Col{{Title: "", Width: 50}, right(app.T("面积（m²）", "area (m²)"), 0), right(app.T("占参与面积", "of part. area"), 0), right(app.T("人数", "heads"), 0), right(app.T("占参与人数", "of part. heads"), 0)},
			rows, TableOpts{Caption: fmt.Sprintf("%d. %s（%s）", m.No, m.Title, mt.KindLabel())})
		need := app.T("同意须超过参与表决面积的二分之一且超过参与表决人数的二分之一", "agree must exceed 1/2 of participating area and of participating heads")
		if m.Kind == app.MatterMajor {
			need = app.T("同意须达到参与表决面积的四分之三以上且参与表决人数的四分之三以上", "agree must reach at least 3/4 of participating area and of participating heads")
		}
		d.Para(fmt.Sprintf(app.T("表决规则：%s。面积%s，人数%s。结果：%s。", "Rule: %s. Area %s, heads %s. Result: %s."), need,
			annChoose(m.AreaMet, app.T("达到", "met"), app.T("未达到", "not met")), annChoose(m.HeadsMet, app.T("达到", "met"), app.T("未达到", "not met")),
			annChoose(m.Passed, app.T("通过", "PASSED"), app.T("未通过", "NOT PASSED"))))
		if m.WithDeemed != nil {
			side := app.T("同意与反对人数相同，不计入任何一方", "agree and oppose have equal heads: neither side")
			switch m.WithDeemed.Side {
			case app.Agree:
				side = app.T("计入同意", "joined agree")
			case app.Oppose:
				side = app.T("计入反对", "joined oppose")
			}
			d.Para(fmt.Sprintf(app.T("含视为表决（%s）：同意 %s m²、%d 人，反对 %s m²、%d 人；结果：%s。", "With deemed votes (%s): agree %s m², %d heads; oppose %s m², %d heads; result: %s."),
				side, m.WithDeemed.Agree.Area, m.WithDeemed.Agree.Heads, m.WithDeemed.Oppose.Area, m.WithDeemed.Oppose.Heads,
				annChoose(m.WithDeemed.Passed, app.T("通过", "PASSED"), app.T("未通过", "NOT PASSED"))))
		}
	}

	if open := annOpenItems(t); len(open) > 0 {
		d.Heading(app.T("四、待核定事项", "4. Awaiting the committee"))
		for _, s := range open {
			d.Para("• " + s)
		}
	}

	d.Heading(app.T("计票规则", "How the ballots were counted"))
	for i, s := range app.TallyRules(t) {
		d.Note(fmt.Sprintf("%d. %s", i+1, s))
	}
	d.Note(app.T("选票原件及两次录入记录由业委会保存，业主可申请查阅。", "The paper ballots and both transcriptions are kept by the committee for inspection by any owner."))
	d.Signatures(app.T("计票人（签字）", "Counters (sign)"), app.T("监票人（签字）", "Scrutineers (sign)"), app.T("业主委员会（盖章）", "Owners' committee (seal)"))
	return d
}

func annOpenItems(t app.Tally) []string {
	var open []string
	if t.Ballots.Unreconciled > 0 {
		nos := t.Unreconciled
		if len(nos) > 40 {
			nos = append(append([]string(nil), nos[:40]...), "…")
		}
		open = append(open, fmt.Sprintf(app.T("两次录入不一致、尚未核对原票的选票 %d 张（票号 %s），未计入。", "%d ballots differ between the entries and await the paper (%s): not counted."), t.Ballots.Unreconciled, strings.Join(nos, "、")))
	}
	for _, du := range t.Duplicates {
		open = append(open, fmt.Sprintf(app.T("房号 %s 有 %d 张有效选票（票号 %s），全部暂不计入，待业委会核定。", "Unit %s has %d valid ballots (%s): all held back until the committee decides."), du.Unit, len(du.Ballots), strings.Join(du.Ballots, "、")))
	}
	for _, c := range t.Conflicts {
		state := app.T("人数暂不计入任何一方，待业委会核定", "the head counts on no side until the committee decides")
		if c.Ruled {
			state = app.T("已由业委会核定人数归属", "the committee has ruled on the head")
		}
		open = append(open, fmt.Sprintf(app.T("%s 持有多户，其选票在事项 %d 上意见不一致（%s），面积按各票分别计入，%s。", "%s holds several units whose ballots disagree on matter %d (%s): area follows each ballot, %s."),
			c.Name, c.Matter, strings.Join(c.Choices, "；"), state))
	}
	for _, bc := range t.Batches {
		if bc.OverIssued {
			open = append(open, fmt.Sprintf(app.T("批次（楼栋）%s 收回 %d 张，多于发出的 %d 张：多出的选票为同一房号的重复票，已按上述规则暂不计入。", "Batch (building) %s returned %d ballots, more than the %d issued: the excess are second ballots of a unit, held back as above."), bc.Batch, bc.Returned, bc.Issued))
		}
	}
	return open
}

func annChoose(b bool, yes, no string) string {
	if b {
		return yes
	}
	return no
}

// annPct is part/whole of two 2-decimal strings as a percentage to 2 places, rounded
// half-up, from integers: "—" when whole is 0.
func annPct(part, whole string) string {
	return annRatio(annFen(part), annFen(whole))
}

func annPctInt(part, whole int) string { return annRatio(int64(part), int64(whole)) }

func annRatio(n, d int64) string {
	if d <= 0 {
		return "—"
	}
	v := (n*20000 + d) / (2 * d) // hundredths of a percent, half-up
	return fmt.Sprintf("%d.%02d%%", v/100, v%100)
}

func annFen(s string) int64 {
	whole, frac, _ := strings.Cut(s, ".")
	w, _ := strconv.ParseInt(whole, 10, 64)
	for len(frac) < 2 {
		frac += "0"
	}
	f, _ := strconv.ParseInt(frac[:2], 10, 64)
	return w*100 + f
}
