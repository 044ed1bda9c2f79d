package demo

import (
	"context"
	"math/rand/v2"
	"sunledger/app"
	"time"
)

// demoAgenda is a matter a joint meeting takes up: the issue, who raised it, and the
// decisions it leads to (text and owner party).
type demoAgenda struct {
	party     app.Party
	issue     string
	unit      bool // the issue concerns a unit, named by its number
	decisions []demoDecision
}

// demoDecision is a decision an agenda leads to: its owner party and text.
type demoDecision struct {
	party app.Party
	text  string
}

func agenda(party app.Party, issue string, unit bool, ds ...demoDecision) demoAgenda {
	return demoAgenda{party: party, issue: issue, unit: unit, decisions: ds}
}

func dec(party app.Party, text string) demoDecision { return demoDecision{party, text} }

var demoAgendas = []demoAgenda{
	agenda(app.PartyCommittee, "地下车库照明不足，多处灯管损坏", false, dec(app.PartyProperty, "两周内更换车库全部损坏灯具并改为感应灯")),
	agenda(app.PartyProperty, "外墙渗水影响多户，需动用维修资金", true, dec(app.PartyCommittee, "组织业主表决使用维修资金维修外墙"), dec(app.PartyProperty, "出具外墙维修方案和三家报价")),
	agenda(app.PartyCommunity, "电动车楼道充电存在消防隐患", false, dec(app.PartyCommunity, "协调供电部门增设集中充电桩"), dec(app.PartyProperty, "每周巡查楼道并劝离电动车")),
	agenda(app.PartyCommittee, "公共收益公示不够及时", false, dec(app.PartyProperty, "每月 10 日前报送上月公共收益明细"), dec(app.PartyCommittee, "按季在公告栏和小程序公示公共收益")),
	agenda(app.PartyProperty, "部分业主长期拖欠物业费", false, dec(app.PartyCommittee, "上门沟通欠费原因并记录诉求"), dec(app.PartyCommunity, "对困难家庭协调减免政策")),
	agenda(app.PartyCommittee, "夜间装修噪音投诉增多", true, dec(app.PartyProperty, "装修登记时书面告知施工时间"), dec(app.PartyCommunity, "联合执法队对违规施工劝导")),
	agenda(app.PartyCommunity, "小区垃圾分类投放点设置不合理", false, dec(app.PartyProperty, "调整投放点并增加定时投放督导"), dec(app.PartyCommunity, "组织垃圾分类宣传进楼栋")),
	agenda(app.PartyCommittee, "电梯年检到期、故障率偏高", false, dec(app.PartyProperty, "联系维保单位完成年检并提交故障记录"), dec(app.PartyCommittee, "审核电梯大修费用预算")),
	agenda(app.PartyProperty, "绿化带被占用种菜", false, dec(app.PartyProperty, "张贴告示并限期恢复绿化"), dec(app.PartyCommunity, "对拒不整改的协调城管处理")),
	agenda(app.PartyCommittee, "监控设备老化、存在盲区", false, dec(app.PartyProperty, "排查监控盲区并报更换方案"), dec(app.PartyCommittee, "将监控改造列入下年度预算")),
	agenda(app.PartyCommunity, "老旧小区改造项目征求意见", false, dec(app.PartyCommittee, "组织业主填写改造意见征询表"), dec(app.PartyCommunity, "汇总意见报街道")),
	agenda(app.PartyProperty, "消防通道被私家车占用", true, dec(app.PartyProperty, "施划禁停标线并每日巡查"), dec(app.PartyCommunity, "联系交警对占用车辆处理")),
	agenda(app.PartyCommittee, "物业服务合同续签", false, dec(app.PartyCommittee, "起草续签方案并提交业主大会"), dec(app.PartyProperty, "提交年度服务报告和酬金测算")),
	agenda(app.PartyCommittee, "报修回访率偏低", false, dec(app.PartyProperty, "落实一周内电话回访并登记评价")),
}

var demoPlaces = []string{"社区居委会会议室", "物业服务中心二楼会议室", "业委会办公室"}

// demoMeetings records a joint meeting about every month of the past year, two or three
// agenda items each, with their own random stream from the seed. Decisions due long ago
// are done (a few late, one reopened after a wrong "done"); recent ones are still open;
// exactly one is overdue. Then the duty list's first version.
func demoMeetings(ctx context.Context, s app.Services, d *builder) error {
	if s.Meetings == nil {
		return nil
	}
	r := rand.New(rand.NewPCG(uint64(d.Opts.Seed), 0x3ee71))
	y := &demoMeetingYear{r: r, now: d.now, people: demoAttendees(r), flats: residentialUnits(d.Units)}
	y.order = r.Perm(len(demoAgendas))
	today := d.now.Format(app.MeetingDateLayout)
	var ms []app.Meeting
	for i := 12; i >= 1; i-- {
		if m := y.meeting(i); m.Date <= today {
			ms = append(ms, m)
		}
	}
	markOverdue(ms, today)
	if err := s.Meetings.ImportMeetings(ctx, ms, "demo", "demo"); err != nil {
		return err
	}
	var items []app.DutyItem
	for _, x := range demoDuties {
		items = append(items, app.DutyItem{Party: x.party, Duty: x.duty})
	}
	_, err := s.Meetings.SetDutyList(ctx, app.DutyList{Date: d.now.AddDate(-1, 0, 0).Format(app.MeetingDateLayout), Items: items}, "demo", "三方联席会议议定的首版权责清单")
	return err
}

// demoAttendees are the people of the three parties who attend the joint meetings,
// the first of each party always.
func demoAttendees(r *rand.Rand) map[app.Party][]app.Attendee {
	people := map[app.Party][]app.Attendee{}
	for _, p := range []struct {
		party app.Party
		role  string
	}{
		{app.PartyCommunity, "社区书记"}, {app.PartyCommunity, "网格员"},
		{app.PartyCommittee, "业委会主任"}, {app.PartyCommittee, "业委会委员"}, {app.PartyCommittee, "业委会委员"},
		{app.PartyProperty, "项目经理"}, {app.PartyProperty, "客服主管"},
	} {
		people[p.party] = append(people[p.party], app.Attendee{Party: p.party, Name: demoName(r), Role: p.role})
	}
	return people
}

// residentialUnits are the ids of the residential units, which an issue may concern.
func residentialUnits(units []app.Unit) []string {
	var flats []string
	for _, u := range units {
		if u.Kind == app.KindResidential {
			flats = append(flats, u.ID)
		}
	}
	return flats
}

// demoMeetingYear is the state of a year of joint meetings as demoMeetings makes them:
// the attendees, the flats an issue may name, and the agendas in the order the
// meetings take them up (next is the next one).
type demoMeetingYear struct {
	r      *rand.Rand
	now    time.Time
	people map[app.Party][]app.Attendee
	flats  []string
	order  []int
	next   int
}

// meeting is the meeting held in the month monthsAgo before now: on a day from the 9th
// to the 20th, the first of each party and about two in three of the others attending,
// two or three agenda items with their decisions, each due two to seven weeks later
// and followed up as demoFollowUps decides.
func (y *demoMeetingYear) meeting(monthsAgo int) app.Meeting {
	r, now := y.r, y.now
	day := func(t time.Time) string { return t.Format(app.MeetingDateLayout) }
	held := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.Local).AddDate(0, -monthsAgo, 8+r.IntN(12))
	m := app.Meeting{Date: day(held), Place: demoPlaces[r.IntN(len(demoPlaces))]}
	for _, p := range app.Parties {
		for j, a := range y.people[p] {
			if j == 0 || r.IntN(3) > 0 {
				m.Attendees = append(m.Attendees, a)
			}
		}
	}
	items := 2 + r.IntN(2)
	for k := 0; k < items; k++ {
		a := demoAgendas[y.order[y.next%len(y.order)]]
		y.next++
		if k == 0 {
			m.Topic = a.issue
		}
		is := app.MeetingIssue{No: k + 1, Party: a.party, Text: a.issue}
		if a.unit && len(y.flats) > 0 {
			is.Units = []string{y.flats[r.IntN(len(y.flats))]}
		}
		m.Issues = append(m.Issues, is)
		for _, x := range a.decisions {
			dec := app.Decision{Text: x.text, Party: x.party, Issue: k + 1, Units: is.Units}
			dueAt := held.AddDate(0, 0, 14+7*r.IntN(6))
			dec.Due = day(dueAt)
			dec.Follow = demoFollowUps(r, held, dueAt, now)
			m.Decisions = append(m.Decisions, dec)
		}
	}
	return m
}

// markOverdue makes the decision past due most recently the demo's overdue one: it was
// not carried out, only a note ten days after its meeting says it is delayed.
func markOverdue(ms []app.Meeting, today string) {
	var late *app.Decision
	var lateMeeting string
	for i := range ms {
		for j := range ms[i].Decisions {
			x := &ms[i].Decisions[j]
			if x.Due < today && (late == nil || x.Due > late.Due) {
				late, lateMeeting = x, ms[i].Date
			}
		}
	}
	if late != nil {
		held, _ := time.ParseInLocation(app.MeetingDateLayout, lateMeeting, time.Local)
		late.Follow = []app.FollowUp{{Date: held.AddDate(0, 0, 10).Format(app.MeetingDateLayout), Note: "责任方称材料尚未备齐，延期未完成", Who: "demo"}}
	}
}

// demoFollowUps decides how a decision went: one due in the past is done on time or a
// little late, a few with a progress note first, one in twenty reopened after a wrong
// "done" and then done again; one not yet due may have a progress note.
func demoFollowUps(r *rand.Rand, held, due, now time.Time) []app.FollowUp {
	day := func(t time.Time) string { return t.Format(app.MeetingDateLayout) }
	var fs []app.FollowUp
	if due.After(now) {
		if mid := held.AddDate(0, 0, 7); mid.Before(now) && r.IntN(2) == 0 {
			fs = append(fs, app.FollowUp{Date: day(mid), Note: "已布置落实，正在推进", Who: "demo"})
		}
		return fs
	}
	doneAt := due.AddDate(0, 0, -r.IntN(10))
	if r.IntN(6) == 0 {
		doneAt = due.AddDate(0, 0, 1+r.IntN(7)) // done, but late
	}
	if doneAt.After(now) {
		doneAt = now
	}
	if doneAt.Before(held) {
		doneAt = held
	}
	if r.IntN(3) == 0 && doneAt.AddDate(0, 0, -5).After(held) {
		fs = append(fs, app.FollowUp{Date: day(doneAt.AddDate(0, 0, -5)), Note: "已完成大部分，待验收", Who: "demo"})
	}
	fs = append(fs, app.FollowUp{Date: day(doneAt), Mark: app.FollowDone, Note: "三方现场验收完成", Who: "demo"})
	if r.IntN(20) == 0 && doneAt.AddDate(0, 0, 3).Before(now) {
		fs = append(fs,
			app.FollowUp{Date: day(doneAt.AddDate(0, 0, 2)), Mark: app.FollowReopen, Note: "业主反映仍有问题，重新打开", Who: "demo"},
			app.FollowUp{Date: day(doneAt.AddDate(0, 0, 3)), Mark: app.FollowDone, Note: "返工后复验合格", Who: "demo"})
	}
	return fs
}

var demoDuties = []struct {
	party app.Party
	duty  string
}{
	{app.PartyCommunity, "指导和监督业主大会、业主委员会依法履职"},
	{app.PartyCommunity, "召集和主持三方联席会议，协调解决重大矛盾纠纷"},
	{app.PartyCommunity, "对业委会换届和重大事项表决进行指导、复核"},
	{app.PartyCommunity, "协调供电、供水、城管、消防等部门解决小区问题"},
	{app.PartyCommittee, "召集业主大会，执行业主大会决定"},
	{app.PartyCommittee, "审核物业服务企业的支出申请，管理共有资金账户"},
	{app.PartyCommittee, "按季公示收支、公共收益和维修资金使用情况"},
	{app.PartyCommittee, "组织业主满意度测评，考核物业服务质量"},
	{app.PartyProperty, "按合同提供保洁、秩序维护、绿化养护和共用设施设备维修养护"},
	{app.PartyProperty, "按服务响应标准受理报修、投诉和咨询并回访"},
	{app.PartyProperty, "按月报送收支明细和原始凭证，接受业主查阅"},
	{app.PartyProperty, "制止违规装修、占用消防通道等行为并及时报告"},
}
