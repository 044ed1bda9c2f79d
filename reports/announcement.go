package reports

import (
	"fmt"
	"io"
	"slices"
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

// AnnouncementDoc lays out the 表决结果公告: the vote's dates; total area and headcount;
// participating area and headcount (with deemed votes too if the assembly uses that
// rule); the ballot accounting (issued = returned + not returned, papers awaiting the
// third look counted as returned and listed); invalid ballots and their reasons; the
// units that answered without a counted ballot, each on its own line; each matter's
// agree / oppose / abstain by area and by headcount and whether it passed (with and
// without deemed votes); what is still to be resolved; the rules applied; signature
// lines for the counters (计票), the scrutineers (监票) and the committee; and, in every
// page's footer, the books' head hash.
//
// It is posted, so it names units and ballot numbers only: no owner's name or id and no
// unit's choices (a multi-unit owner whose ballots disagree is shown by unit numbers).
func AnnouncementDoc(community string, t app.Tally, head string) *Doc {
	d := NewDoc(DocMeta{
		Community: community,
		Public:    true,
		Title:     app.T("业主大会表决结果公告", "Owners' assembly: vote result announcement"),
		Subtitle:  fmt.Sprintf("%s（%s %s）", t.Title, app.T("表决编号", "vote"), t.Vote),
		HeadHash:  head,
		DocID:     "tally-" + t.Vote,
		Date:      t.CountedOn,
	})
	annDates(d, t)
	annParticipation(d, t)
	annBallots(d, t)
	annMatters(d, t)
	annClosing(d, t)
	return d
}

// annDates is section 1: the vote's dates.
func annDates(d *Doc, t app.Tally) {
	d.Heading(app.T("一、表决日期", "1. Dates"))
	var dates []KV
	if t.Created != "" {
		dates = append(dates, KV{app.T("表决创建日期", "vote created"), t.Created})
	}
	if t.VotingFrom != "" {
		dates = append(dates, KV{app.T("投票期", "voting period"), t.VotingFrom + app.T(" 至 ", " to ") + t.VotingTo})
	}
	if t.Date != "" {
		dates = append(dates, KV{app.T("大会（表决截止）日期", "assembly (end of voting)"), t.Date})
	}
	if t.CountedOn != "" {
		dates = append(dates, KV{app.T("计票日期", "counted on"), t.CountedOn})
	}
	d.KV(dates)
}

// annParticipation is section 2: area and headcount taking part, and the quorum.
func annParticipation(d *Doc, t app.Tally) {
	n := strconv.Itoa
	d.Heading(app.T("二、参与表决情况", "2. Participation"))
	rows := [][]string{
		{app.T("全体业主（总计）", "all owners (total)"), t.Total.Area.String(), n(t.Total.Heads)},
		{app.T("参与表决", "taking part"), t.Participating.Area.String(), n(t.Participating.Heads)},
		{app.T("参与比例", "share taking part"), annPct(t.Participating.Area, t.Total.Area), annPctInt(t.Participating.Heads, t.Total.Heads)},
	}
	if dt := t.DeemedTotals; dt != nil {
		rows = append(rows,
			[]string{annChoose(len(dt.Also) == 0, app.T("视为参与（送达未交回选票）", "deemed (delivered, no ballot)"), app.T("视为参与（依议事规则）", "deemed (community rules)")), dt.Area.String(), n(dt.Heads)},
			[]string{app.T("含视为表决参与", "taking part with deemed"), dt.Participating.Area.String(), n(dt.Participating.Heads)},
			[]string{app.T("含视为表决参与比例", "share with deemed"), annPct(dt.Participating.Area, t.Total.Area), annPctInt(dt.Participating.Heads, t.Total.Heads)})
	}
	d.Table([]Col{{Title: "", Width: 60}, rightCol(app.T("专有部分面积（m²）", "area (m²)"), 0), rightCol(app.T("人数", "headcount"), 0)}, rows, TableOpts{})
	quorum := app.T("达到《民法典》第二百七十八条规定的参与比例（面积和人数均不低于三分之二）。", "The quorum of Civil Code art. 278 (at least 2/3 of area and of headcount) is met.")
	if !t.QuorumMet {
		quorum = app.T("未达到《民法典》第二百七十八条规定的参与比例（面积和人数均须不低于三分之二），不含视为表决时本次表决所有事项均不通过。", "The quorum of Civil Code art. 278 (at least 2/3 of area and of headcount) is NOT met: without deemed votes no matter passes.")
	}
	d.Para(quorum)
	if dt := t.DeemedTotals; dt != nil {
		d.Para(fmt.Sprintf(app.T("含视为表决：视为参与 %d 户，面积 %s m²，新增人数 %d；参与面积 %s m²（%s），人数 %d（%s）；%s。",
			"With deemed votes: %d units deemed, area %s m², %d heads added; participating area %s m² (%s), heads %d (%s); %s."),
			dt.Units, dt.Area, dt.Heads, dt.Participating.Area, annPct(dt.Participating.Area, t.Total.Area),
			dt.Participating.Heads, annPctInt(dt.Participating.Heads, t.Total.Heads),
			annChoose(dt.QuorumMet, app.T("达到参与比例", "quorum met"), app.T("未达到参与比例", "quorum NOT met"))))
	}
}

// annBallots is section 3: the ballot accounting, then the papers awaiting the third
// look, the invalid ones by reason, the units that answered without a counted ballot,
// and the counts by batch.
func annBallots(d *Doc, t app.Tally) {
	d.Heading(app.T("三、选票统计", "3. Ballots"))
	ac, b := t.Accounting, t.Ballots
	d.Para(fmt.Sprintf(app.T("发出选票 %d 张（每个参与表决的房号一张）＝ 收回 %d 张 ＋ 未收回 %d 张。",
		"Ballots issued: %d (one per voting unit) = returned %d + not returned %d."), ac.Issued, ac.Returned, ac.NotReturned))
	papers := ac.Returned + ac.Extra
	d.Para(fmt.Sprintf(app.T("收回的纸质选票共 %d 张（收回 %d 张，另收 %d 张：同一房号的第二张票或不在发放名单的房号）＝ 核对一致的有效票 %d 张 ＋ 无效票 %d 张 ＋ 待核对原票 %d 张。待核对原票的选票已计为收回，在核对前不计入表决。",
		"Paper ballots returned: %d (returned %d, plus %d extra: a unit's second paper or a unit not issued a ballot) = valid and reconciled %d + invalid %d + awaiting the third look %d. Ballots awaiting the third look count as returned; they are not counted until looked at."),
		papers, ac.Returned, ac.Extra, b.Valid, b.Invalid, ac.Pending))
	d.Para(fmt.Sprintf(app.T("有效票中因同一房号多张而暂不计入 %d 张；计入表决的选票 %d 张，其中委托代理投票 %d 张。每张票由两人分别录入：录入A %d 张、录入B %d 张。",
		"%d valid ballots are held back because their unit has more than one; %d ballots are counted, %d of them cast by a proxy. Each ballot was keyed twice: entry A %d, entry B %d."),
		b.Duplicates, t.Participating.Ballots, t.Proxies, b.EnteredA, b.EnteredB))
	annPending(d, t)
	annInvalid(d, t)
	annAnswered(d, t)
	annBatches(d, t)
}

// annPending lists the returned ballots awaiting the third look.
func annPending(d *Doc, t app.Tally) {
	if len(t.Pending) > 0 {
		var prow [][]string
		for _, p := range t.Pending {
			prow = append(prow, []string{p.No, p.Units()})
		}
		d.Table([]Col{{Title: app.T("票号", "ballot no."), Width: 40}, {Title: app.T("房号（两次录入不一致时为 录入A / 录入B）", "unit (entry A / entry B when they differ)")}}, prow,
			TableOpts{Caption: app.T("已收回、待核对原票的选票", "Returned ballots awaiting the third look")})
	}
}

// annInvalid lists the invalid ballots by reason.
func annInvalid(d *Doc, t app.Tally) {
	n := strconv.Itoa
	if len(t.InvalidReasons) > 0 {
		reasons := make([]app.InvalidReason, 0, len(t.InvalidReasons))
		for r := range t.InvalidReasons {
			reasons = append(reasons, r)
		}
		slices.Sort(reasons)
		var rrows [][]string
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
			rrows = append(rrows, []string{app.ReasonLabel(r), n(t.InvalidReasons[r]), strings.Join(nos, "、")})
		}
		d.Table([]Col{{Title: app.T("无效原因", "invalid reason"), Width: 45}, rightCol(app.T("张数", "ballots"), 20), {Title: app.T("票号", "ballot numbers")}}, rrows, TableOpts{})
	}
}

// annAnswered shows the units that answered without a counted ballot, and the delivery
// record when deemed votes apply.
func annAnswered(d *Doc, t app.Tally) {
	n := strconv.Itoa
	ans := t.Answered
	if ans.Invalid.Units+ans.Pending.Units+ans.Duplicate.Units > 0 {
		deemNote := func(code string) string {
			if !t.Deemed {
				return ""
			}
			for _, c := range t.DeemAlso {
				if c == code {
					return app.T("依议事规则视为表决", "deemed under the community's rules")
				}
			}
			return app.T("已作答复，不视为表决", "answered: never deemed")
		}
		var arows [][]string
		for _, x := range []struct {
			label, code string
			ua          app.UnitsArea
		}{
			{app.T("交回的选票整张无效", "returned a wholly invalid ballot"), app.DeemInvalid, ans.Invalid},
			{app.T("选票待核对原票", "ballot awaiting the third look"), app.DeemPending, ans.Pending},
			{app.T("多张有效票暂不计入", "ballots held back as duplicates"), app.DeemDuplicate, ans.Duplicate},
		} {
			arows = append(arows, []string{x.label, n(x.ua.Units), x.ua.Area.String(), deemNote(x.code)})
		}
		d.Table([]Col{{Title: "", Width: 55}, rightCol(app.T("房号数", "units"), 22), rightCol(app.T("面积（m²）", "area (m²)"), 30), {Title: ""}}, arows,
			TableOpts{Caption: app.T("已交回选票但未计入表决的房号", "Units that answered without a counted ballot")})
	}
	if dt := t.DeemedTotals; dt != nil {
		dl := dt.Delivered
		d.Para(fmt.Sprintf(app.T("送达记录：有送达记录的房号 %d 户，其中已计入选票 %d 户，未交回任何选票 %d 户（视为参与 %d 户），交回无效票 %d 户、选票待核对 %d 户、重复票暂不计入 %d 户。",
			"Delivery: %d units have a delivery record; %d have a counted ballot, %d returned no ballot at all (%d units deemed), %d returned an invalid ballot, %d a ballot awaiting the third look, %d ballots held back as duplicates."),
			dl.Units, dl.Counted, dl.NoBallot, dt.Units, dl.Invalid, dl.Pending, dl.Duplicate))
	}
}

// annBatches is the accounting per batch (building).
func annBatches(d *Doc, t app.Tally) {
	n := strconv.Itoa
	ac, b := t.Accounting, t.Ballots
	if len(t.Batches) > 0 {
		var brows [][]string
		for _, bc := range t.Batches {
			name := bc.Batch
			if name == "?" {
				name = app.T("不在登记册", "not in the register")
			}
			brows = append(brows, []string{name, n(bc.Issued), n(bc.Returned), n(bc.NotReturned), n(bc.Extra), n(bc.Valid), n(bc.Invalid), n(bc.Pending), n(bc.Duplicates)})
		}
		totals := []string{app.T("合计", "total"), n(ac.Issued), n(ac.Returned), n(ac.NotReturned), n(ac.Extra), n(b.Valid), n(b.Invalid), n(ac.Pending), n(b.Duplicates)}
		d.Table([]Col{{Title: app.T("批次（楼栋）", "batch (building)"), Width: 30}, rightCol(app.T("发出", "issued"), 0), rightCol(app.T("收回", "returned"), 0), rightCol(app.T("未收回", "not returned"), 0),
			rightCol(app.T("另收", "extra"), 0), rightCol(app.T("有效", "valid"), 0), rightCol(app.T("无效", "invalid"), 0), rightCol(app.T("待核对", "pending"), 0), rightCol(app.T("重复", "duplicates"), 0)},
			brows, TableOpts{Zebra: true, Totals: totals, Caption: app.T("分批次统计：发出＝收回＋未收回；收回＋另收＝有效＋无效＋待核对", "By batch: issued = returned + not returned; returned + extra = valid + invalid + pending")})
	}
}

// annMatters is section 4: each matter's result.
func annMatters(d *Doc, t app.Tally) {
	d.Heading(app.T("四、各事项表决结果", "4. Results by matter"))
	for _, m := range t.Matters {
		annMatter(d, t, m)
	}
}

// annMatter is one matter's agree / oppose / abstain by area and heads, the rule it
// needed, and its result with and without deemed votes.
func annMatter(d *Doc, t app.Tally, m app.MatterResult) {
	n := strconv.Itoa
	mt := app.Matter{Kind: m.Kind, Item: m.Item}
	part := t.Participating
	if sc := m.ScopeCount; sc != nil {
		// A scoped matter's shares are of those taking part within its scope.
		part = *sc.Participating
	}
	t.Participating = part
	mrows := [][]string{
		{app.T("同意", "agree"), m.Agree.Area.String(), annPct(m.Agree.Area, t.Participating.Area), n(m.Agree.Heads), annPctInt(m.Agree.Heads, t.Participating.Heads)},
		{app.T("反对", "oppose"), m.Oppose.Area.String(), annPct(m.Oppose.Area, t.Participating.Area), n(m.Oppose.Heads), annPctInt(m.Oppose.Heads, t.Participating.Heads)},
		{app.T("弃权（含未填、多选）", "abstain (incl. blank, marked twice)"), m.Abstain.Area.String(), annPct(m.Abstain.Area, t.Participating.Area), n(m.Abstain.Heads), annPctInt(m.Abstain.Heads, t.Participating.Heads)},
	}
	if m.Undecided > 0 {
		mrows = append(mrows, []string{app.T("意见不一致待核定", "split, to be decided"), "—", "—", n(m.Undecided), annPctInt(m.Undecided, t.Participating.Heads)})
	}
	d.Table([]Col{{Title: "", Width: 50}, rightCol(app.T("面积（m²）", "area (m²)"), 0), rightCol(app.T("占参与面积", "of part. area"), 0), rightCol(app.T("人数", "heads"), 0), rightCol(app.T("占参与人数", "of part. heads"), 0)},
		mrows, TableOpts{Caption: fmt.Sprintf("%d. %s（%s）", m.No, m.Title, mt.KindLabel())})
	var about []string
	if m.Item != 0 {
		about = append(about, mt.ItemLabel())
	}
	if sc := m.ScopeCount; sc != nil {
		about = append(about, fmt.Sprintf(app.T("表决范围：%s，在范围内计票（总面积 %s m²、总人数 %d；参与 %s m²、%d 人；参与比例%s）",
			"scope: %s, counted within it (total %s m², %d heads; taking part %s m², %d heads; quorum %s)"),
			app.ScopeLabel(sc.Scope), sc.Total.Area, sc.Total.Heads, sc.Participating.Area, sc.Participating.Heads,
			annChoose(*sc.QuorumMet, app.T("达到", "met"), app.T("未达到", "not met"))))
	} else if m.Fund != "" {
		about = append(about, app.T("表决范围：全体业主", "scope: the whole community"))
	}
	if !m.Cap.IsZero() {
		about = append(about, fmt.Sprintf(app.T("从%s支付，限额 %s（%s）", "paid from the %s, cap %s (%s)"), m.Fund.Label(), app.FormatAmount(m.Cap), app.AmountInWords(m.Cap)))
	}
	if len(about) > 0 {
		d.Para(strings.Join(about, app.T("；", "; ")) + app.T("。", "."))
	}
	need := app.T("同意须超过参与表决面积的二分之一且超过参与表决人数的二分之一", "agree must exceed 1/2 of participating area and of participating heads")
	if m.Kind == app.MatterMajor {
		need = app.T("同意须达到参与表决面积的四分之三以上且参与表决人数的四分之三以上", "agree must reach at least 3/4 of participating area and of participating heads")
	}
	d.Para(fmt.Sprintf(app.T("表决规则：%s。面积%s，人数%s。结果：%s。", "Rule: %s. Area %s, heads %s. Result: %s."), need,
		annChoose(m.AreaMet, app.T("达到", "met"), app.T("未达到", "not met")), annChoose(m.HeadsMet, app.T("达到", "met"), app.T("未达到", "not met")),
		annChoose(m.Passed, app.T("通过", "PASSED"), app.T("未通过", "NOT PASSED"))))
	if wd := m.WithDeemed; wd != nil {
		dpart := t.DeemedTotals.Participating
		if wd.Participating != nil {
			dpart = *wd.Participating
		}
		side := app.T("同意与反对人数相同，视为参与的房号不计入任何一方", "agree and oppose have equal heads: the deemed units join neither side")
		switch wd.Side {
		case app.Agree:
			side = app.T("视为参与的房号计入同意", "the deemed units joined agree")
		case app.Oppose:
			side = app.T("视为参与的房号计入反对", "the deemed units joined oppose")
		}
		d.Para(fmt.Sprintf(app.T("含视为表决（%s）：同意 %s m²、%d 人，反对 %s m²、%d 人，参与 %s m²、%d 人；结果：%s。", "With deemed votes (%s): agree %s m², %d heads; oppose %s m², %d heads; taking part %s m², %d heads; result: %s."),
			side, wd.Agree.Area, wd.Agree.Heads, wd.Oppose.Area, wd.Oppose.Heads, dpart.Area, dpart.Heads,
			annChoose(wd.Passed, app.T("通过", "PASSED"), app.T("未通过", "NOT PASSED"))))
	}
}

// annClosing is what awaits the committee, the counting rules and the signatures.
func annClosing(d *Doc, t app.Tally) {
	if open := annOpenItems(t); len(open) > 0 {
		d.Heading(app.T("五、待核定事项", "5. Awaiting the committee"))
		for _, s := range open {
			d.Para("• " + s)
		}
	}

	d.Heading(app.T("计票规则", "How the ballots were counted"))
	// The rules are read by owners checking the count: body size, not a footnote's.
	for i, s := range app.TallyRules(t) {
		d.Para(fmt.Sprintf("%d. %s", i+1, s))
	}
	d.Para(app.T("选票原件及两次录入记录由业委会保存，业主可申请查阅。本公告只列房号和票号，不公布业主姓名及各户的表决意见。", "The paper ballots and both transcriptions are kept by the committee for inspection by any owner. This notice names units and ballot numbers only, never owners or how a unit voted."))
	d.Signatures(app.T("计票人（签字）", "Counters (sign)"), app.T("监票人（签字）", "Scrutineers (sign)"), app.T("业主委员会（盖章）", "Owners' committee (seal)"))
}

// rightCol is a right-aligned column (figures).
func rightCol(title string, w float64) Col { return Col{Title: title, Width: w, Align: "R"} }

// annOpenItems lists what awaits the committee, by ballot and unit numbers only.
func annOpenItems(t app.Tally) []string {
	var open []string
	if t.Ballots.Unreconciled > 0 {
		nos := t.Unreconciled
		if len(nos) > 40 {
			nos = append(append([]string(nil), nos[:40]...), "…")
		}
		open = append(open, fmt.Sprintf(app.T("两次录入不一致、尚未核对原票的选票 %d 张（票号 %s），已计为收回，未计入表决。", "%d ballots differ between the entries and await the paper (%s): returned, not counted."), t.Ballots.Unreconciled, strings.Join(nos, "、")))
	}
	for _, du := range t.Duplicates {
		open = append(open, fmt.Sprintf(app.T("房号 %s 有 %d 张有效选票（票号 %s），全部暂不计入，待业委会核定。", "Unit %s has %d valid ballots (%s): all held back until the committee decides."), du.Unit, len(du.Ballots), strings.Join(du.Ballots, "、")))
	}
	// One line per owner's units and state, naming every matter they disagree on (a
	// tally lists one conflict per owner and matter).
	type split struct {
		units   string
		ruled   bool
		matters []string
	}
	var splits []*split
	byKey := map[string]*split{}
	for _, c := range t.Conflicts {
		units := strings.Join(c.Units, "、")
		key := fmt.Sprintf("%s|%v", units, c.Ruled)
		s := byKey[key]
		if s == nil {
			s = &split{units: units, ruled: c.Ruled}
			byKey[key] = s
			splits = append(splits, s)
		}
		s.matters = append(s.matters, strconv.Itoa(c.Matter))
	}
	for _, s := range splits {
		state := app.T("人数暂不计入任何一方，待业委会核定", "the head counts on no side until the committee decides")
		if s.ruled {
			state = app.T("业委会已核定人数归属", "the committee has ruled on the head")
		}
		matter := "matter"
		if len(s.matters) > 1 {
			matter = "matters"
		}
		open = append(open, fmt.Sprintf(app.T("房号 %[1]s 同属一位业主，其选票在事项 %[3]s 上意见不一致：面积按各票分别计入，人数计一人，%[4]s。", "Units %[1]s belong to one owner whose ballots disagree on %[2]s %[3]s: area follows each ballot, the owner counts once, %[4]s."),
			s.units, matter, strings.Join(s.matters, app.T("、", ", ")), state))
	}
	for _, bc := range t.Batches {
		if bc.OverIssued {
			open = append(open, fmt.Sprintf(app.T("批次（楼栋）%s 收回纸质选票 %d 张，多于发出的 %d 张：多出的选票为同一房号的重复票或未发放的房号，已按上述规则不计入，待业委会核定。", "Batch (building) %s returned %d papers, more than the %d issued: the excess are a unit's second papers or units not issued a ballot, not counted, until the committee decides."), bc.Batch, bc.Returned+bc.Extra, bc.Issued))
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

// annPct is part/whole of two areas as a percentage, rounded half-up, from exact
// integers (分 of m²): "—" when whole is 0. See annRatio for the places.
func annPct(part, whole app.SqM) string { return annRatio(part.Fen(), whole.Fen()) }

func annPctInt(part, whole int) string { return annRatio(int64(part), int64(whole)) }

// annThresholds are the shares the rules compare with (docs/domain.md "Votes"): more
// than 1/2, at least 2/3, at least 3/4.
var annThresholds = [...][2]int64{{1, 2}, {2, 3}, {3, 4}}

// annRatio is n/d as a percentage with 2 places, rounded half-up, unless that would
// print a share that is not a threshold as the threshold itself (1999.99 of 3000 m²
// is 66.666%, not "66.67%" next to "quorum not met"): then with as many more places
// (up to 6) as it takes to tell them apart. An exact threshold prints with 2 places.
func annRatio(n, d int64) string {
	if d <= 0 {
		return "—"
	}
	for places := 2; ; places++ {
		s := annRound(n, d, places)
		clash := false
		for _, th := range annThresholds {
			if n*th[1] != th[0]*d && s == annRound(th[0], th[1], places) {
				clash = true
			}
		}
		if !clash || places == 6 {
			return s
		}
	}
}

// annRound is n/d as a percentage rounded half-up to places decimals.
func annRound(n, d int64, places int) string {
	unit := int64(1)
	for i := 0; i < places; i++ {
		unit *= 10
	}
	v := (n*100*unit*2 + d) / (2 * d)
	return fmt.Sprintf("%d.%0*d%%", v/unit, places, v%unit)
}
