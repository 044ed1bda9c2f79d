package reports

import (
	"strconv"
	"strings"

	"sunledger/app"
)

// MeetingMinutesDoc is a joint meeting's minutes (联席会议纪要) for the committee's file:
// the sign-in sheet (签到表: each attendee's party, name and role, with a blank for their
// signature), the issues raised, and the decisions with their owner, due date and what
// they are about (units, service requests, expense requests). It carries names, so it is
// not a public notice: the notice (MeetingNoticeDoc) is.
func MeetingMinutesDoc(community, head, date string, m app.Meeting) *Doc {
	d := NewDoc(DocMeta{Community: community, Title: "联席会议纪要", Subtitle: "会议编号 " + m.ID,
		HeadHash: head, DocID: "minutes-" + m.ID, Date: date})
	kv := []KV{{Key: "日期", Value: m.Date}, {Key: "地点", Value: m.Place}}
	if m.Topic != "" {
		kv = append(kv, KV{Key: "主题", Value: m.Topic})
	}
	d.KV(kv)
	d.Heading("一、签到表")
	var rows [][]string
	for i, a := range m.Attendees {
		rows = append(rows, []string{strconv.Itoa(i + 1), app.PartyLabelZH(a.Party), a.Name, a.Role, ""})
	}
	d.Table([]Col{{Title: "序号", Width: 12, Align: "R"}, {Title: "参会方", Width: 22}, {Title: "姓名", Width: 34}, {Title: "职务", Width: 34}, {Title: "签到（本人签字）"}},
		rows, TableOpts{})
	d.Heading("二、议题")
	if len(m.Issues) == 0 {
		d.Para("无。")
	}
	for _, is := range m.Issues {
		line := strconv.Itoa(is.No) + ". " + is.Text
		if is.Party != "" {
			line += "（" + app.PartyLabelZH(is.Party) + "提出）"
		}
		if len(is.Units) > 0 {
			line += " 房号：" + strings.Join(is.Units, "、")
		}
		d.Para(line)
	}
	if len(m.Agenda) > 0 {
		d.Heading("三、自动列入议程的服务请求")
		rows = nil
		for _, it := range m.Agenda {
			rows = append(rows, []string{it.Request, it.Unit, app.ServiceKindLabel(app.ServiceKind(it.Kind)), it.ReasonZH()})
		}
		d.Table([]Col{{Title: "请求", Width: 24}, {Title: "房号", Width: 26}, {Title: "类别", Width: 22}, {Title: "列入原因"}}, rows, TableOpts{Zebra: true})
		d.Note("超时、重新打开或已提交联席会议而业主尚未签字确认的服务请求，登记会议时自动列入。")
	}
	d.Heading(map[bool]string{true: "四、决议", false: "三、决议"}[len(m.Agenda) > 0])
	rows = nil
	for _, x := range m.Decisions {
		var about []string
		if x.Issue > 0 {
			about = append(about, "议题"+strconv.Itoa(x.Issue))
		}
		about = append(about, x.Units...)
		about = append(about, x.Requests...)
		about = append(about, x.Expenses...)
		rows = append(rows, []string{x.ID, x.Text, app.PartyLabelZH(x.Party), x.Due, strings.Join(about, "、")})
	}
	if len(rows) == 0 {
		d.Para("无。")
	} else {
		d.Table([]Col{{Title: "编号", Width: 26}, {Title: "决议"}, {Title: "责任方", Width: 16}, {Title: "期限", Width: 22}, {Title: "涉及", Width: 40}}, rows, TableOpts{Zebra: true})
		d.Note("涉及：议题编号、房号、服务请求（S 开头）和支出申请（E 开头）；服务请求和支出申请在账本中也列出与其相关的决议。")
	}
	d.Signatures("记录人", "社区", "业委会", "物业")
	return d
}
