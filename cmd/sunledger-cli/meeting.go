package main

import (
	"fmt"
	"strings"
	"time"

	"sunledger/app"
)

// Joint meetings of community, committee and property company, their decisions and the
// three parties' duty list (docs/meetings.md).
func init() {
	register("meeting new", "--date YYYY-MM-DD --place P [--topic T] --attend PARTY:NAME[:ROLE]... [--issue [PARTY:]TEXT]...   "+app.T("登记联席会议（社区、业委会、物业三方须各有人参加）；输出会议编号", "record a joint meeting (all three parties must attend); prints its id"), meetingNew)
	register("meeting decide", "--meeting ID --text T --party community|committee|property --due YYYY-MM-DD [--issue N] [--unit U]... [--request S000001]... [--expense E000001]...   "+app.T("登记会议决议及其责任方和完成期限；输出决议编号", "record a decision with its owner party and due date; prints its id"), meetingDecide)
	register("meeting follow", "--decision ID --note N [--date YYYY-MM-DD] [--done|--reopen|--withdraw]   "+app.T("追加跟进记录（只追加，不修改；误标用 --reopen 更正）", "append a follow-up (never edited; correct a wrong mark with --reopen)"), meetingFollow)
	register("meeting list", "[--year Y] [--open] [--json]   "+app.T("联席会议及其决议办理情况；--open 只列未完成和逾期的决议", "joint meetings and how their decisions stand; --open lists only open and overdue decisions"), meetingList)
	register("meeting minutes", "--meeting ID --out FILE.pdf   "+app.T("打印会议纪要和签到表（含姓名，留档，不公示）", "print the minutes with the sign-in sheet (names included: for the file, not a notice)"), meetingMinutes)
	register("meeting agenda", "[--json]   "+app.T("下次联席会议将自动列入议程的服务请求（超时、重新打开或已提交，业主尚未签字确认）", "the service requests the next joint meeting will take up automatically (overdue, reopened or escalated, not signed off)"), meetingAgenda)
	register("meeting show", "--meeting ID [--json]   "+app.T("一次会议的参会、议题、决议和跟进", "one meeting: attendees, issues, decisions and follow-ups"), meetingShow)
	register("meeting notice", "--meeting ID | --year Y  --out FILE.pdf   "+app.T("打印联席会议决议公示（只列三方和房号）", "print the decisions notice (parties and units only)"), meetingNotice)
}

// meetingDay reads a day flag, or takes the book's today when it is left out.
func meetingDay(svc app.Services, what, s string) (string, error) {
	if strings.TrimSpace(s) == "" {
		return svc.Now().Local().Format(app.MeetingDateLayout), nil
	}
	return app.ParseMeetingDate(what, s)
}

// splitParty reads "PARTY:REST" (a full-width colon works too); ok is false when the
// part before the colon is not a party.
func splitParty(s string) (party app.Party, rest string, ok bool) {
	s = strings.ReplaceAll(s, "：", ":")
	p, r, found := strings.Cut(s, ":")
	if !found {
		return "", strings.TrimSpace(s), false
	}
	party, err := app.ParseParty(p)
	if err != nil {
		return "", strings.TrimSpace(s), false
	}
	return party, strings.TrimSpace(r), true
}

func meetingNew(e *env, args []string) error {
	fs := newFlags("meeting new")
	date := fs.String("date", "", "YYYY-MM-DD")
	place := fs.String("place", "", "place")
	topic := fs.String("topic", "", "topic")
	var attend, issues stringList
	fs.Var(&attend, "attend", "PARTY:NAME[:ROLE] (repeatable)")
	fs.Var(&issues, "issue", "[PARTY:]TEXT (repeatable)")
	as := asFlag(fs)
	if err := parseStrict(fs, args, "date", "place"); err != nil {
		return err
	}
	if len(attend) == 0 {
		return usageError("缺少 --attend（每方至少一人，如 --attend 物业:赵经理）", "--attend is required (at least one per party, e.g. --attend property:Zhao)")
	}
	m := app.Meeting{Place: strings.TrimSpace(*place), Topic: strings.TrimSpace(*topic)}
	var err error
	if m.Date, err = app.ParseMeetingDate(app.T("会议日期", "the meeting date"), *date); err != nil {
		return err
	}
	for _, a := range attend {
		p, rest, ok := splitParty(a)
		if !ok {
			return app.Errorf(app.EINVALID, "参会人 %q 应写作 责任方:姓名[:职务]，责任方为 community 社区、committee 业委会或 property 物业；没有做任何更改",
				"attendee %q: write PARTY:NAME[:ROLE], PARTY being community, committee or property; nothing was changed", a)
		}
		name, role, _ := strings.Cut(rest, ":")
		m.Attendees = append(m.Attendees, app.Attendee{Party: p, Name: strings.TrimSpace(name), Role: strings.TrimSpace(role)})
	}
	for _, is := range issues {
		p, text, _ := splitParty(is)
		m.Issues = append(m.Issues, app.MeetingIssue{Party: p, Text: text})
	}
	svc, err := e.services()
	if err != nil {
		return err
	}
	m, err = svc.Meetings.NewMeeting(e.ctx, m, who(*as))
	if err != nil {
		return err
	}
	for _, it := range m.Agenda {
		fmt.Fprintf(e.stdout, app.T("自动列入议程：服务请求 %s %s（%s）\n", "on the agenda automatically: service request %s %s (%s)\n"), it.Request, it.Unit, it.Reason())
	}
	fmt.Fprintf(e.stdout, app.T("已登记 %s 在%s召开的联席会议，参会 %d 人，议题 %d 个\n联席会议 %s\n", "recorded the joint meeting of %s at %s: %d attendees, %d issues\njoint meeting %s\n"), m.Date, m.Place, len(m.Attendees), len(m.Issues), m.ID)
	return nil
}

// meetingAgenda shows what the next joint meeting will take up: the requests overdue,
// reopened or escalated and not signed off, as of now.
func meetingAgenda(e *env, args []string) error {
	fs := newFlags("meeting agenda")
	asJSON := jsonFlag(fs)
	svc, err := e.parseOpen(fs, args)
	if err != nil {
		return err
	}
	reqs, err := svc.Service.ServiceRequests(e.ctx)
	if err != nil {
		return err
	}
	vs, err := svc.Service.ServiceStandards(e.ctx)
	if err != nil {
		return err
	}
	items := app.MeetingAgenda(reqs, vs, svc.Now())
	if items == nil {
		items = []app.AgendaItem{}
	}
	return e.printResult(*asJSON, items, func() error {
		for _, it := range items {
			fmt.Fprintf(e.stdout, "%s %s %s：%s\n", it.Request, it.Unit, app.ServiceKindLabel(app.ServiceKind(it.Kind)), it.Reason())
		}
		fmt.Fprintf(e.stdout, app.T("下次联席会议将自动列入 %d 件服务请求\n", "the next joint meeting will take up %d service requests\n"), len(items))
		return nil
	})
}

func meetingDecide(e *env, args []string) error {
	fs := newFlags("meeting decide")
	meeting := fs.String("meeting", "", "meeting id")
	text := fs.String("text", "", "decision")
	party := fs.String("party", "", "community|committee|property")
	due := fs.String("due", "", "YYYY-MM-DD")
	issue := fs.Int("issue", 0, "the issue it settles")
	var units, requests, expenses stringList
	fs.Var(&units, "unit", "unit concerned (repeatable)")
	fs.Var(&requests, "request", "service request the decision is about (repeatable)")
	fs.Var(&expenses, "expense", "expense request the decision is about (repeatable)")
	as := asFlag(fs)
	if err := parseStrict(fs, args, "meeting", "text", "party", "due"); err != nil {
		return err
	}
	p, err := app.ParseParty(*party)
	if err != nil {
		return err
	}
	d := app.Decision{Text: strings.TrimSpace(*text), Party: p, Issue: *issue}
	if d.Due, err = app.ParseMeetingDate(app.T("完成期限", "the due date"), *due); err != nil {
		return err
	}
	svc, err := e.services()
	if err != nil {
		return err
	}
	for _, u := range units {
		d.Units = append(d.Units, strings.TrimSpace(u))
	}
	for _, r := range requests {
		d.Requests = append(d.Requests, serviceID(r))
	}
	for _, x := range expenses {
		id, err := app.ParseExpenseID(x)
		if err != nil {
			return err
		}
		d.Expenses = append(d.Expenses, id)
	}
	d, err = svc.Meetings.AddDecision(e.ctx, strings.ToUpper(strings.TrimSpace(*meeting)), d, who(*as))
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, app.T("已登记决议，责任方 %s，完成期限 %s\n决议 %s\n", "decision recorded, owned by the %s, due %s\ndecision %s\n"), app.PartyLabel(d.Party), d.Due, d.ID)
	return nil
}

func meetingFollow(e *env, args []string) error {
	fs := newFlags("meeting follow")
	id := fs.String("decision", "", "decision id")
	note := fs.String("note", "", "what happened")
	date := fs.String("date", "", "YYYY-MM-DD (default today)")
	done := fs.Bool("done", false, "the decision is carried out")
	reopen := fs.Bool("reopen", false, "it was marked done or withdrawn in error: open again")
	withdraw := fs.Bool("withdraw", false, "it was recorded in error or overtaken: withdraw it")
	as := asFlag(fs)
	if err := parseStrict(fs, args, "decision"); err != nil {
		return err
	}
	f := app.FollowUp{Note: strings.TrimSpace(*note)}
	marks := 0
	for _, m := range []struct {
		on   bool
		mark string
	}{{*done, app.FollowDone}, {*reopen, app.FollowReopen}, {*withdraw, app.FollowWithdraw}} {
		if m.on {
			f.Mark = m.mark
			marks++
		}
	}
	if marks > 1 {
		return usageError("--done、--reopen 和 --withdraw 只能选一个", "give at most one of --done, --reopen and --withdraw")
	}
	if f.Mark != app.FollowDone {
		if err := need("note", f.Note); err != nil {
			return err
		}
	}
	svc, err := e.services()
	if err != nil {
		return err
	}
	if f.Date, err = meetingDay(svc, app.T("跟进日期", "the follow-up date"), *date); err != nil {
		return err
	}
	d, err := svc.Meetings.FollowUpDecision(e.ctx, *id, f, who(*as))
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, app.T("%s 已追加跟进（%s），现状：%s\n", "%s: follow-up added (%s); now %s\n"), d.ID, f.Date, app.DecisionStatusLabel(d.Status(svc.Now())))
	return nil
}

// decisionJSON is a decision with its status at the book's clock.
type decisionJSON struct {
	app.Decision
	Status app.DecisionStatus `json:"status"`
	DoneOn string             `json:"done_on,omitempty"`
}

type meetingJSON struct {
	ID        string             `json:"id"`
	Date      string             `json:"date"`
	Place     string             `json:"place"`
	Topic     string             `json:"topic,omitempty"`
	Attendees []app.Attendee     `json:"attendees"`
	Issues    []app.MeetingIssue `json:"issues"`
	Decisions []decisionJSON     `json:"decisions"`
	Agenda    []app.AgendaItem   `json:"agenda"`
}

func toMeetingJSON(m app.Meeting, now time.Time) meetingJSON {
	out := meetingJSON{ID: m.ID, Date: m.Date, Place: m.Place, Topic: m.Topic, Attendees: m.Attendees, Issues: m.Issues, Decisions: []decisionJSON{}, Agenda: m.Agenda}
	if out.Agenda == nil {
		out.Agenda = []app.AgendaItem{}
	}
	if out.Attendees == nil {
		out.Attendees = []app.Attendee{}
	}
	if out.Issues == nil {
		out.Issues = []app.MeetingIssue{}
	}
	for _, d := range m.Decisions {
		out.Decisions = append(out.Decisions, decisionJSON{Decision: d, Status: d.Status(now), DoneOn: d.DoneOn()})
	}
	return out
}

func meetingList(e *env, args []string) error {
	fs := newFlags("meeting list")
	year := fs.String("year", "", "YYYY")
	open := fs.Bool("open", false, "only open and overdue decisions")
	asJSON := jsonFlag(fs)
	if err := parseStrict(fs, args); err != nil {
		return err
	}
	y := 0
	if *year != "" {
		var err error
		if y, err = app.ParseYear(*year); err != nil {
			return err
		}
	}
	svc, err := e.services()
	if err != nil {
		return err
	}
	ms, err := svc.Meetings.Meetings(e.ctx)
	if err != nil {
		return err
	}
	ms, now := app.MeetingsOfYear(ms, y), svc.Now()
	if *open {
		list := app.OpenDecisions(ms, now)
		if *asJSON {
			if list == nil {
				list = []app.OpenDecision{}
			}
			return printJSON(e.stdout, list)
		}
		tw := newTable(e.stdout)
		fmt.Fprintln(tw, app.T("决议\t会议日期\t责任方\t完成期限\t状态\t内容", "decision\tmeeting\tparty\tdue\tstatus\ttext"))
		for _, d := range list {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", d.ID, d.MeetingDate, app.PartyLabel(d.Party), d.Due, app.DecisionStatusLabel(d.Status), d.Text)
		}
		tw.Flush()
		overdue := 0
		for _, d := range list {
			if d.Status == app.DecisionOverdue {
				overdue++
			}
		}
		fmt.Fprintf(e.stdout, app.T("未完成 %d 项，其中逾期 %d 项\n", "%d open, %d of them overdue\n"), len(list), overdue)
		return nil
	}
	if *asJSON {
		out := []meetingJSON{}
		for _, m := range ms {
			out = append(out, toMeetingJSON(m, now))
		}
		return printJSON(e.stdout, out)
	}
	tw := newTable(e.stdout)
	fmt.Fprintln(tw, app.T("编号\t日期\t地点\t主题\t议题\t决议\t已完成\t未到期\t逾期", "id\tdate\tplace\ttopic\tissues\tdecisions\tdone\topen\toverdue"))
	for _, m := range ms {
		c := map[app.DecisionStatus]int{}
		for _, d := range m.Decisions {
			c[d.Status(now)]++
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%d\t%d\t%d\t%d\n", m.ID, m.Date, m.Place, m.Topic, len(m.Issues), len(m.Decisions), c[app.DecisionDone], c[app.DecisionOpen], c[app.DecisionOverdue])
	}
	return tw.Flush()
}

func meetingShow(e *env, args []string) error {
	fs := newFlags("meeting show")
	id := fs.String("meeting", "", "meeting id")
	asJSON := jsonFlag(fs)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if *id == "" && len(pos) == 1 {
		*id, pos = pos[0], nil
	}
	if err := noArgs(pos); err != nil {
		return err
	}
	if err := need("meeting", *id); err != nil {
		return err
	}
	svc, err := e.services()
	if err != nil {
		return err
	}
	m, err := svc.Meetings.Meeting(e.ctx, *id)
	if err != nil {
		return err
	}
	now := svc.Now()
	return e.printResult(*asJSON, toMeetingJSON(m, now), func() error { return printMeeting(e, m, now) })
}

// printMeeting prints a meeting as text: attendees by party, issues, and each decision
// with its status at now and its follow-ups.
func printMeeting(e *env, m app.Meeting, now time.Time) error {
	w := e.stdout
	fmt.Fprintf(w, app.T("联席会议 %s　%s　%s　%s\n", "joint meeting %s  %s  %s  %s\n"), m.ID, m.Date, m.Place, m.Topic)
	for _, p := range app.Parties {
		var names []string
		for _, a := range m.Attendees {
			if a.Party == p {
				n := a.Name
				if a.Role != "" {
					n += "（" + a.Role + "）"
				}
				names = append(names, n)
			}
		}
		fmt.Fprintf(w, "  %s: %s\n", app.PartyLabel(p), strings.Join(names, app.T("、", ", ")))
	}
	for _, is := range m.Issues {
		by := ""
		if is.Party != "" {
			by = " [" + app.PartyLabel(is.Party) + "]"
		}
		fmt.Fprintf(w, app.T("议题 %d%s：%s\n", "issue %d%s: %s\n"), is.No, by, is.Text)
	}
	for _, it := range m.Agenda {
		fmt.Fprintf(w, app.T("议程（服务请求）%s %s：%s\n", "agenda (service request) %s %s: %s\n"), it.Request, it.Unit, it.Reason())
	}
	for _, d := range m.Decisions {
		fmt.Fprintf(w, app.T("决议 %s [%s] 期限 %s %s：%s\n", "decision %s [%s] due %s %s: %s\n"), d.ID, app.PartyLabel(d.Party), d.Due, app.DecisionStatusLabel(d.Status(now)), d.Text)
		for _, f := range d.Follow {
			mark := ""
			if f.Mark != "" {
				mark = " [" + f.Mark + "]"
			}
			fmt.Fprintf(w, app.T("    %s%s %s（%s）\n", "    %s%s %s (%s)\n"), f.Date, mark, f.Note, f.Who)
		}
	}
	return nil
}

func meetingNotice(e *env, args []string) error {
	return reportCommand(e, "meeting notice", "meetings", reportKinds["meetings"], args)
}

// meetingMinutes prints a meeting's minutes with its sign-in sheet, through the
// registry of documents like every other paper (reports.Make "minutes").
func meetingMinutes(e *env, args []string) error {
	return reportCommand(e, "meeting minutes", "minutes", reportKinds["minutes"], args)
}
