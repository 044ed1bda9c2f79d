package reports

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"sunledger/app"
)

// MeetingNoticeDoc lays out the decisions notice of joint meetings (联席会议决议公示) for
// the notice board: for each meeting its day, place, how many came for each party, the
// issues raised and the decisions with the party that owns each, its due date and its
// status at now. One meeting prints in full; several (a year's) print a summary first.
// It names parties and units, never people: attendees are counted, not named, and
// follow-up notes (which may name someone) are left out. date is the day it is printed,
// the first day of the 公示期. See docs/meetings.md.
func MeetingNoticeDoc(community, head, date, title string, ms []app.Meeting, now time.Time) *Doc {
	id := "meetings-" + date
	sub := ""
	if len(ms) == 1 {
		id = "meeting-" + ms[0].ID
		sub = ms[0].Date + "　" + ms[0].Place
	} else if len(ms) > 1 {
		sub = ms[0].Date + " 至 " + ms[len(ms)-1].Date + "　共 " + strconv.Itoa(len(ms)) + " 次会议"
	}
	d := NewDoc(DocMeta{Community: community, Public: true, Title: title, Subtitle: sub, HeadHash: head, DocID: id, Date: date})
	d.Para("依照信托制物业管理的约定，社区、业主委员会和物业服务企业通过联席会议协商解决小区的共同事务。会议议定的事项逐项明确责任方和完成期限，办理情况向全体业主公开，接受业主监督。")

	if len(ms) > 1 {
		issues, decisions, late, counts := 0, 0, 0, map[app.DecisionStatus]int{}
		for _, m := range ms {
			issues += len(m.Issues)
			for _, x := range m.Decisions {
				decisions++
				counts[x.Status(now)]++
				if x.DoneLate() {
					late++
				}
			}
		}
		d.Heading("一、总体情况")
		d.Para("共召开联席会议 " + strconv.Itoa(len(ms)) + " 次，提出议题 " + strconv.Itoa(issues) + " 个，形成决议 " + strconv.Itoa(decisions) +
			" 项：已完成 " + strconv.Itoa(counts[app.DecisionDone]) + " 项（其中逾期完成 " + strconv.Itoa(late) + " 项），未到期 " + strconv.Itoa(counts[app.DecisionOpen]) +
			" 项，已逾期 " + strconv.Itoa(counts[app.DecisionOverdue]) + " 项，撤销 " + strconv.Itoa(counts[app.DecisionWithdrawn]) + " 项（截至 " + now.Local().Format(app.MeetingDateLayout) + "）。")
		var rows [][]string
		for _, m := range ms {
			done := 0
			for _, x := range m.Decisions {
				if x.Status(now) == app.DecisionDone {
					done++
				}
			}
			rows = append(rows, []string{m.ID, m.Date, m.Topic, strconv.Itoa(len(m.Issues)), strconv.Itoa(len(m.Decisions)), strconv.Itoa(done)})
		}
		d.Table([]Col{{Title: "编号", Width: 24}, {Title: "日期", Width: 24}, {Title: "主题"}, {Title: "议题", Width: 14, Align: "R"}, {Title: "决议", Width: 14, Align: "R"}, {Title: "已完成", Width: 16, Align: "R"}},
			rows, TableOpts{Zebra: true})
		d.Heading("二、决议办理情况")
	}
	for _, m := range ms {
		meetingSection(d, m, now, len(ms) == 1)
	}
	if len(ms) == 0 {
		d.Para("没有联席会议记录。")
	}
	d.Note("状态按 " + now.Local().Format(app.MeetingDateLayout) + " 计：已过完成期限仍未完成的为“已逾期”，到期当天仍算未到期。为保护个人信息，本公示只列三方单位和房号，不列参会人及业主姓名。页脚的账本链头可用快照核对。")
	d.Signatures("社区居委会（盖章）", "业主委员会（盖章）", "物业服务企业（盖章）")
	return d
}

// meetingSection prints one meeting: in full (attendance and issues) or, among many,
// its decisions under a caption.
func meetingSection(d *Doc, m app.Meeting, now time.Time, full bool) {
	count := map[app.Party]int{}
	for _, a := range m.Attendees {
		count[a.Party]++
	}
	var came []string
	for _, p := range app.Parties {
		came = append(came, app.PartyLabelZH(p)+" "+strconv.Itoa(count[p])+" 人")
	}
	caption := m.ID + "　" + m.Date + "　" + m.Place
	if m.Topic != "" {
		caption += "　" + m.Topic
	}
	if full {
		kv := []KV{{Key: "会议编号", Value: m.ID}, {Key: "日期", Value: m.Date}, {Key: "地点", Value: m.Place}}
		if m.Topic != "" {
			kv = append(kv, KV{Key: "主题", Value: m.Topic})
		}
		kv = append(kv, KV{Key: "参会", Value: strings.Join(came, "、")})
		d.KV(kv)
		d.Heading("一、议题")
		if len(m.Issues) == 0 {
			d.Para("本次会议没有记录议题。")
		} else {
			var rows [][]string
			for _, is := range m.Issues {
				rows = append(rows, []string{strconv.Itoa(is.No), app.PartyLabelZH(is.Party), is.Text, strings.Join(is.Units, "、")})
			}
			d.Table([]Col{{Title: "序号", Width: 12, Align: "R"}, {Title: "提出方", Width: 18}, {Title: "议题"}, {Title: "涉及房号", Width: 34}}, rows, TableOpts{Zebra: true})
		}
		d.Heading("二、决议")
		caption = ""
	}
	if len(m.Decisions) == 0 && (full || len(m.Issues) == 0) {
		if full {
			d.Para("本次会议没有形成决议。")
		}
		return
	}
	var rows [][]string
	for _, x := range m.Decisions {
		st := x.Status(now)
		label := map[app.DecisionStatus]string{app.DecisionOpen: "未到期", app.DecisionDone: "已完成", app.DecisionOverdue: "已逾期", app.DecisionWithdrawn: "已撤销"}[st]
		if st == app.DecisionDone {
			if x.DoneLate() {
				label = "逾期完成"
			}
			label += " " + x.DoneOn()
		}
		text := x.Text
		if x.Issue > 0 {
			issue := "议题 " + strconv.Itoa(x.Issue)
			for _, is := range m.Issues {
				if is.No == x.Issue && !full { // among many meetings the issues are not listed: name it here
					issue += "：" + is.Text
				}
			}
			text = "（" + issue + "）" + text
		}
		if len(x.Units) > 0 {
			text += "　涉及房号：" + strings.Join(x.Units, "、")
		}
		rows = append(rows, []string{x.ID, text, app.PartyLabelZH(x.Party), x.Due, label})
	}
	if !full { // among many meetings the issues are not listed: an issue without a decision is named here
		for _, is := range m.Issues {
			if !slices.ContainsFunc(m.Decisions, func(x app.Decision) bool { return x.Issue == is.No }) {
				rows = append(rows, []string{m.ID + " 议题 " + strconv.Itoa(is.No), "（议题 " + strconv.Itoa(is.No) + "：" + is.Text + "）未形成决议", app.PartyLabelZH(is.Party), "", ""})
			}
		}
	}
	d.Table([]Col{{Title: "编号", Width: 26}, {Title: "决议事项"}, {Title: "责任方", Width: 16}, {Title: "完成期限", Width: 24}, {Title: "状态", Width: 30}},
		rows, TableOpts{Zebra: true, Caption: caption})
}

// DutyListDoc prints one version of the three parties' duty list (三方权责清单): each
// party's duties, numbered, with the version, the day it took effect and why it was
// changed. It names parties only.
func DutyListDoc(community, head, date string, l app.DutyList) *Doc {
	v := strconv.Itoa(l.Version)
	d := NewDoc(DocMeta{Community: community, Title: "社区、业委会、物业三方权责清单", Subtitle: "第 " + v + " 版　" + l.Date + " 起施行",
		HeadHash: head, DocID: "duties-v" + v, Date: date})
	d.Para("为厘清社区居委会、业主委员会和物业服务企业在小区治理中的职责，三方议定本清单，各方按清单履职，清单调整经联席会议议定后登记为新版本。")
	if strings.TrimSpace(l.Why) != "" {
		d.KV([]KV{{Key: "本版说明", Value: l.Why}})
	}
	by := l.ByParty()
	for i, p := range app.Parties {
		d.Heading([]string{"一", "二", "三"}[i] + "、" + map[app.Party]string{app.PartyCommunity: "社区居委会", app.PartyCommittee: "业主委员会", app.PartyProperty: "物业服务企业"}[p])
		if len(by[p]) == 0 {
			d.Para("（本版没有列出职责）")
			continue
		}
		var rows [][]string
		for j, x := range by[p] {
			rows = append(rows, []string{strconv.Itoa(j + 1), x})
		}
		d.Table([]Col{{Title: "序号", Width: 12, Align: "R"}, {Title: "职责"}}, rows, TableOpts{Zebra: true})
	}
	d.Note("本清单由阳光账本按登记的第 " + v + " 版打印，旧版本保留在账本中可随时查阅。")
	d.Signatures("社区居委会（盖章）", "业主委员会（盖章）", "物业服务企业（盖章）")
	return d
}
