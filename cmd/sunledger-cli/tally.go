package main

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"sunledger/app"
)

// The result of an assembly: the tally as text or JSON, and its notice (docs/votes.md).

func init() {
	register("vote tally", "--vote ID [--json]   "+app.T("计票结果", "the result"), voteTally)
}

func voteTally(e *env, args []string) error {
	fs := newFlags("vote tally")
	id := fs.String("vote", "", "vote id")
	asJSON := jsonFlag(fs)
	svc, err := e.parseOpen(fs, args, "vote")
	if err != nil {
		return err
	}
	t, err := svc.Votes.Tally(e.ctx, *id)
	if err != nil {
		return err
	}
	return e.printResult(*asJSON, t, func() error { printTally(e, t); return nil })
}

func yesNo(b bool) string {
	if b {
		return app.T("是", "yes")
	}
	return app.T("否", "no")
}

func passLabel(b bool) string {
	if b {
		return app.T("通过", "PASSED")
	}
	return app.T("未通过", "NOT PASSED")
}

func printTally(e *env, t app.Tally) {
	w := e.stdout
	fmt.Fprintf(w, "%s  %s  (%s)\n", t.Vote, t.Title, t.Date)
	fmt.Fprintf(w, app.T("总面积 %s m²，总人数 %d\n", "total area %s m², headcount %d\n"), t.Total.Area, t.Total.Heads)
	fmt.Fprintf(w, app.T("参与表决：面积 %s m²，人数 %d，计入选票 %d 张；达到参与比例：%s\n", "participating: area %s m², heads %d, counted ballots %d; quorum met: %s\n"),
		t.Participating.Area, t.Participating.Heads, t.Participating.Ballots, yesNo(t.QuorumMet))
	b, ac := t.Ballots, t.Accounting
	fmt.Fprintf(w, app.T("选票：发出 %d ＝ 收回 %d ＋ 未收回 %d；纸质选票 %d 张（另收 %d）＝ 有效 %d ＋ 无效 %d ＋ 待核对 %d；重复暂不计入 %d；录入A %d，录入B %d\n",
		"ballots: issued %d = returned %d + not returned %d; papers %d (%d extra) = valid %d + invalid %d + awaiting the third look %d; held back as duplicates %d; entry A %d, entry B %d\n"),
		ac.Issued, ac.Returned, ac.NotReturned, ac.Returned+ac.Extra, ac.Extra, b.Valid, b.Invalid, ac.Pending, b.Duplicates, b.EnteredA, b.EnteredB)
	for _, r := range sortedReasons(t.InvalidReasons) {
		fmt.Fprintf(w, app.T("  无效：%s %d 张\n", "  invalid: %s %d\n"), app.ReasonLabel(r), t.InvalidReasons[r])
	}
	an := t.Answered
	fmt.Fprintf(w, app.T("已交回但未计入的房号：无效票 %d 户 %s m²，待核对 %d 户 %s m²，重复暂不计入 %d 户 %s m²\n", "units that answered without a counted ballot: invalid %d (%s m²), awaiting the third look %d (%s m²), duplicates %d (%s m²)\n"),
		an.Invalid.Units, an.Invalid.Area, an.Pending.Units, an.Pending.Area, an.Duplicate.Units, an.Duplicate.Area)
	tw := newTable(w)
	fmt.Fprintln(tw, app.T("事项\t类型\t同意 面积/人数\t反对 面积/人数\t弃权 面积/人数\t待核定人数\t结果", "matter\tkind\tagree area/heads\toppose area/heads\tabstain area/heads\tawaiting ruling\tresult"))
	for _, m := range t.Matters {
		res := passLabel(m.Passed)
		if m.WithDeemed != nil {
			res += app.T("；含视为表决：", "; with deemed votes: ") + passLabel(m.WithDeemed.Passed)
		}
		fmt.Fprintf(tw, "%d. %s\t%s\t%s/%d\t%s/%d\t%s/%d\t%d\t%s\n", m.No, m.Title, app.Matter{Kind: m.Kind}.KindLabel(),
			m.Agree.Area, m.Agree.Heads, m.Oppose.Area, m.Oppose.Heads, m.Abstain.Area, m.Abstain.Heads, m.Undecided, res)
	}
	tw.Flush()
	for _, m := range t.Matters {
		if m.Item != 0 {
			fmt.Fprintf(w, app.T("事项 %d：%s\n", "matter %d: %s\n"), m.No, app.Matter{Item: m.Item}.ItemLabel())
		}
		if !m.Cap.IsZero() {
			fmt.Fprintf(w, app.T("事项 %d：%s，限额 %s\n", "matter %d: %s, cap %s\n"), m.No, m.Fund.Label(), app.FormatAmount(m.Cap))
		}
		if sc := m.ScopeCount; sc != nil {
			fmt.Fprintf(w, app.T("事项 %d 在范围（%s）内计票：总面积 %s m²，总人数 %d；参与面积 %s m²，人数 %d；达到参与比例：%s\n", "matter %d is counted within its scope (%s): total area %s m², heads %d; participating area %s m², heads %d; quorum met: %s\n"),
				m.No, app.ScopeLabel(sc.Scope), sc.Total.Area, sc.Total.Heads, sc.Participating.Area, sc.Participating.Heads, yesNo(*sc.QuorumMet))
		}
	}
	if dt := t.DeemedTotals; dt != nil {
		dl := dt.Delivered
		fmt.Fprintln(w, deemedReading(dt.Also))
		fmt.Fprintf(w, app.T("含视为表决：有送达记录 %d 户（已计入 %d，未交回 %d，无效票 %d，待核对 %d，重复 %d），视为参与 %d 户 %s m²、新增 %d 人；参与面积 %s m²，人数 %d；达到参与比例：%s\n",
			"with deemed votes: %d units delivered (counted %d, no ballot %d, invalid %d, pending %d, duplicates %d), %d deemed, %s m², %d heads added; participating area %s m², heads %d; quorum met: %s\n"),
			dl.Units, dl.Counted, dl.NoBallot, dl.Invalid, dl.Pending, dl.Duplicate, dt.Units, dt.Area, dt.Heads, dt.Participating.Area, dt.Participating.Heads, yesNo(dt.QuorumMet))
	}
	for _, d := range t.Duplicates {
		fmt.Fprintf(w, app.T("待核定：房号 %s 有多张有效选票（票号 %s），全部暂不计入\n", "to decide: unit %s has several valid ballots (%s), all held back\n"), d.Unit, strings.Join(d.Ballots, ", "))
	}
	for _, c := range t.Conflicts {
		if c.Ruled {
			continue
		}
		fmt.Fprintf(w, app.T("待核定：%s（%s）的多张选票在事项 %d 上意见不一致（%s），人数暂不计入任何一方\n", "to decide: %s (%s): ballots disagree on matter %d (%s); the head counts on no side\n"),
			c.Name, strings.TrimPrefix(c.Person, "owner:"), c.Matter, strings.Join(c.Choices, "; "))
	}
	tw = newTable(w)
	fmt.Fprintln(tw, app.T("批次（楼栋）\t发出\t收回\t未收回\t另收\t有效\t无效\t待核对\t重复\t", "batch (building)\tissued\treturned\tnot returned\textra\tvalid\tinvalid\tpending\tduplicates\t"))
	for _, bc := range t.Batches {
		note := ""
		if bc.OverIssued {
			note = app.T("收回多于发出", "more returned than issued")
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%s\n", bc.Batch, bc.Issued, bc.Returned, bc.NotReturned, bc.Extra, bc.Valid, bc.Invalid, bc.Pending, bc.Duplicates, note)
	}
	tw.Flush()
	if len(t.Pending) > 0 {
		var ps []string
		for _, p := range t.Pending {
			ps = append(ps, p.No+" ("+p.Units()+")")
		}
		fmt.Fprintf(w, app.T("还有 %d 张选票未核对一致，已计为收回但未计入（vote diff 列出差异）：%s\n", "%d ballots are not reconciled: returned but not counted (vote diff lists the differences): %s\n"), len(t.Pending), strings.Join(ps, ", "))
	}
}

func sortedReasons(m map[app.InvalidReason]int) []app.InvalidReason {
	return slices.Sorted(maps.Keys(m))
}
