package app

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// The three parties of a trust-based community's joint meeting (联席会议): the community
// (社区居委会, the government's side), the owners' committee (业委会) and the property
// company (物业服务企业). Every decision is owned by one of them. See docs/meetings.md.
type Party string

const (
	PartyCommunity Party = "community"
	PartyCommittee Party = "committee"
	PartyProperty  Party = "property"
)

// Parties in the order they are printed.
var Parties = []Party{PartyCommunity, PartyCommittee, PartyProperty}

// PartyLabel is a party's name on paper and on screen.
func PartyLabel(p Party) string {
	switch p {
	case PartyCommunity:
		return T("社区", "community")
	case PartyCommittee:
		return T("业委会", "committee")
	case PartyProperty:
		return T("物业", "property company")
	}
	return string(p)
}

var partyEN = map[Party]string{PartyCommunity: "community", PartyCommittee: "committee", PartyProperty: "property company"}

// PartyLabelZH is a party's Chinese name, for notices (printed in Chinese).
func PartyLabelZH(p Party) string {
	switch p {
	case PartyCommunity:
		return "社区"
	case PartyCommittee:
		return "业委会"
	case PartyProperty:
		return "物业"
	}
	return string(p)
}

// ParseParty reads a party in English or Chinese ("property", "物业", "物业公司", "居委会" …).
func ParseParty(s string) (Party, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case string(PartyCommunity), "社区", "居委会", "社区居委会", "街道":
		return PartyCommunity, nil
	case string(PartyCommittee), "业委会", "业主委员会":
		return PartyCommittee, nil
	case string(PartyProperty), "物业", "物业公司", "物业服务企业":
		return PartyProperty, nil
	}
	return "", Errorf(EINVALID, "未知的责任方 %q（应为 community 社区、committee 业委会或 property 物业）；没有做任何更改",
		"unknown party %q (use community, committee or property); nothing was changed", s)
}

// MeetingDateLayout is how meeting days, due dates and follow-up days are written.
const MeetingDateLayout = DateLayout

// ParseMeetingDate reads a day YYYY-MM-DD; what names the field in the message.
func ParseMeetingDate(what, s string) (string, error) {
	s = strings.TrimSpace(s)
	t, err := time.ParseInLocation(MeetingDateLayout, s, time.Local)
	if err != nil || t.Year() < 2000 || t.Year() > 2100 { // years 2000–2100, like every date of the book
		return "", Errorf(EINVALID, "%s应为 YYYY-MM-DD 格式的日期（2000 至 2100 年），收到 %q；没有做任何更改", "%s must be a date YYYY-MM-DD (years 2000 to 2100), not %q; nothing was changed", what, s)
	}
	return t.Format(MeetingDateLayout), nil
}

// Attendee is one person at a joint meeting and the party they came for. Names and
// roles stay in the book; notices print only how many came for each party.
type Attendee struct {
	Party Party  `json:"party"`
	Name  string `json:"name"`
	Role  string `json:"role,omitempty"` // e.g. 主任, 项目经理, 网格员
}

// MeetingIssue is a matter raised at a meeting (议题), by a party, possibly about some
// units (房号; never owners).
type MeetingIssue struct {
	No    int      `json:"no"`
	Party Party    `json:"party,omitempty"` // who raised it; "" = not recorded
	Text  string   `json:"text"`
	Units []string `json:"units,omitempty"`
}

// Decision statuses. A decision is open until a follow-up marks it done; an open
// decision whose due date has passed (by the book's clock) is overdue. A decision
// recorded in error is withdrawn by a follow-up, never deleted.
type DecisionStatus string

const (
	DecisionOpen      DecisionStatus = "open"
	DecisionDone      DecisionStatus = "done"
	DecisionOverdue   DecisionStatus = "overdue"
	DecisionWithdrawn DecisionStatus = "withdrawn"
)

// DecisionStatusLabel names a status.
func DecisionStatusLabel(s DecisionStatus) string {
	switch s {
	case DecisionOpen:
		return T("未完成", "open")
	case DecisionDone:
		return T("已完成", "done")
	case DecisionOverdue:
		return T("已逾期", "overdue")
	case DecisionWithdrawn:
		return T("已撤销", "withdrawn")
	}
	return string(s)
}

// Follow-up marks: what a follow-up does to its decision's status besides adding a note.
const (
	FollowNote     = ""         // a note only
	FollowDone     = "done"     // the decision is carried out
	FollowReopen   = "reopen"   // it was marked done in error, or came undone: open again
	FollowWithdraw = "withdraw" // it was recorded in error or overtaken: withdrawn
)

// FollowUp is a note appended to a decision (跟进记录). Notes are never edited or
// removed: a wrong one is corrected by a later one (a reopen after a wrong done).
type FollowUp struct {
	Date string    `json:"date"`           // the day it happened, YYYY-MM-DD
	Mark string    `json:"mark,omitempty"` // FollowDone, FollowReopen, FollowWithdraw or "" (a note)
	Note string    `json:"note"`
	Who  string    `json:"who"`
	At   time.Time `json:"at"` // when it was recorded (the book's clock)
}

// Decision is a 决议 of a joint meeting: what is to be done, the party that owns it and
// the day it is due, with its follow-ups.
type Decision struct {
	ID     string     `json:"id"` // <meeting id>-<n>, e.g. MT000003-2
	No     int        `json:"no"`
	Text   string     `json:"text"`
	Party  Party      `json:"party"`
	Due    string     `json:"due"`             // YYYY-MM-DD, inclusive
	Issue  int        `json:"issue,omitempty"` // the issue it settles, 0 = none
	Units  []string   `json:"units,omitempty"`
	Follow []FollowUp `json:"follow,omitempty"`
	// Requests and Expenses are the service requests (S000001…) and expense requests
	// (E000001…) the decision is about; each of them lists the decision back
	// (DecisionsAbout).
	Requests []string `json:"requests,omitempty"`
	Expenses []string `json:"expenses,omitempty"`
}

// DecisionsAbout lists the ids of the decisions of ms that name id (a service request
// or an expense request), in meeting order.
func DecisionsAbout(ms []Meeting, id string) []string {
	out := []string{}
	for _, m := range ms {
		for _, d := range m.Decisions {
			for _, x := range append(append([]string(nil), d.Requests...), d.Expenses...) {
				if x == id {
					out = append(out, d.ID)
					break
				}
			}
		}
	}
	return out
}

// Meeting is one joint meeting (联席会议) of community, committee and property company.
type Meeting struct {
	ID        string         `json:"id"` // MT000001…
	Date      string         `json:"date"`
	Place     string         `json:"place"`
	Topic     string         `json:"topic,omitempty"`
	Attendees []Attendee     `json:"attendees"`
	Issues    []MeetingIssue `json:"issues,omitempty"`
	Decisions []Decision     `json:"decisions,omitempty"`
	// Agenda are the service requests the meeting took up because they were overdue,
	// reopened or escalated and not signed off on its day: put there automatically when
	// the meeting is recorded (docs/meetings.md "Escalated requests").
	Agenda []AgendaItem `json:"agenda,omitempty"`
	Who    string       `json:"who"`
	At     time.Time    `json:"at"`
}

// AgendaItem is one service request on a joint meeting's agenda and why it is there.
type AgendaItem struct {
	Request string `json:"request"`
	Unit    string `json:"unit"`
	Kind    string `json:"kind"`
	// Why: "overdue" (past a limit of its standard), "reopened", "escalated" (by hand),
	// joined with "+" when more than one holds.
	Why string `json:"why"`
	// Reopened counts its reopens by then; Late names the steps overdue then.
	Reopened int      `json:"reopened,omitempty"`
	Late     []string `json:"late,omitempty"`
}

// Reason says why the request is on the agenda, in the screens' language: its overdue
// steps, its reopens, an escalation by hand.
func (it AgendaItem) Reason() string { return it.reason(T) }

// ReasonZH is Reason in Chinese, for the minutes (printed in Chinese).
func (it AgendaItem) ReasonZH() string {
	return it.reason(func(zh, _ string) string { return zh })
}

func (it AgendaItem) reason(t func(zh, en string) string) string {
	var parts []string
	for _, w := range strings.Split(it.Why, "+") {
		switch w {
		case "overdue":
			var late []string
			for _, l := range it.Late {
				late = append(late, serviceStepLabel(ServiceStep(l), t))
			}
			parts = append(parts, t("超时：", "overdue: ")+strings.Join(late, t("、", ", ")))
		case "reopened":
			parts = append(parts, fmt.Sprintf(t("重新打开 %d 次", "reopened %d times"), it.Reopened))
		case "escalated":
			parts = append(parts, t("已提交联席会议", "escalated"))
		}
	}
	return strings.Join(parts, t("；", "; "))
}

// MeetingID numbers meetings in the order recorded.
func MeetingID(n int64) string { return fmt.Sprintf("MT%06d", n) }

// DecisionID names decision no of a meeting.
func DecisionID(meeting string, no int) string { return meeting + "-" + strconv.Itoa(no) }

// SplitDecisionID reads MT000003-2 into its meeting and number.
func SplitDecisionID(id string) (string, int, error) {
	id = strings.ToUpper(strings.TrimSpace(id))
	m, n, ok := strings.Cut(id, "-")
	no, err := strconv.Atoi(n)
	if !ok || err != nil || no < 1 || !strings.HasPrefix(m, "MT") {
		return "", 0, Errorf(EINVALID, "决议编号应形如 MT000003-2，收到 %q；没有做任何更改", "a decision id looks like MT000003-2, not %q; nothing was changed", id)
	}
	return m, no, nil
}

// Bounds on what a meeting record holds, so a slip of the keyboard cannot bloat the book.
const (
	maxMeetingText = 2000
	maxMeetingList = 200
)

func checkMeetingText(what, s string, required bool) error {
	en := meetingFieldEN[what]
	if required && strings.TrimSpace(s) == "" {
		return &Error{Code: EINVALID, ZH: "缺少" + what + "；没有做任何更改", EN: "the " + en + " is missing; nothing was changed"}
	}
	if !utf8.ValidString(s) || utf8.RuneCountInString(s) > maxMeetingText {
		return &Error{Code: EINVALID, ZH: fmt.Sprintf("%s太长或不是有效文字（最多 %d 字）；没有做任何更改", what, maxMeetingText),
			EN: fmt.Sprintf("the %s is too long or not valid text (at most %d characters); nothing was changed", en, maxMeetingText)}
	}
	return nil
}

var meetingFieldEN = map[string]string{"地点": "place", "议题": "issue", "决议内容": "decision text", "跟进说明": "follow-up note", "参会人姓名": "attendee's name", "职责": "duty"}

// Validate checks a meeting as recorded: a date, a place, at least one attendee of
// each of the three parties (it is not a joint meeting otherwise), issues with text,
// and each decision valid and due no earlier than the meeting.
func (m Meeting) Validate() error {
	if _, err := ParseMeetingDate(T("会议日期", "the meeting date"), m.Date); err != nil {
		return err
	}
	if err := checkMeetingText("地点", m.Place, true); err != nil {
		return err
	}
	if err := checkMeetingText("议题", m.Topic, false); err != nil {
		return err
	}
	if len(m.Attendees) > maxMeetingList || len(m.Issues) > maxMeetingList || len(m.Decisions) > maxMeetingList {
		return Errorf(EINVALID, "一次会议最多记录 %d 名参会人、%d 个议题和 %d 项决议；没有做任何更改", "a meeting holds at most %d attendees, %d issues and %d decisions; nothing was changed", maxMeetingList, maxMeetingList, maxMeetingList)
	}
	came := map[Party]bool{}
	for _, a := range m.Attendees {
		if p, err := ParseParty(string(a.Party)); err != nil || p != a.Party {
			return Errorf(EINVALID, "参会人 %s 的单位 %q 不是三方之一；没有做任何更改", "attendee %s: %q is not one of the three parties; nothing was changed", a.Name, a.Party)
		}
		if err := checkMeetingText("参会人姓名", a.Name, true); err != nil {
			return err
		}
		came[a.Party] = true
	}
	for _, p := range Parties {
		if !came[p] {
			return &Error{Code: EINVALID, ZH: "联席会议须有社区、业委会和物业三方参加，没有" + PartyLabelZH(p) + "的参会人；没有做任何更改",
				EN: "a joint meeting needs all three parties; no one came for the " + partyEN[p] + "; nothing was changed"}
		}
	}
	for i, is := range m.Issues {
		if is.No != i+1 {
			return Errorf(EINVALID, "议题应依次编号，第 %d 个议题的编号是 %d；没有做任何更改", "issues are numbered in order; issue %d has number %d; nothing was changed", i+1, is.No)
		}
		if is.Party != "" {
			if p, err := ParseParty(string(is.Party)); err != nil || p != is.Party {
				return Errorf(EINVALID, "议题 %d 的提出方 %q 不是三方之一；没有做任何更改", "issue %d: %q is not one of the three parties; nothing was changed", is.No, is.Party)
			}
		}
		if err := checkMeetingText("议题", is.Text, true); err != nil {
			return err
		}
	}
	for i, d := range m.Decisions {
		if d.No != i+1 || d.ID != DecisionID(m.ID, d.No) {
			return Errorf(EINVALID, "决议应依次编号，第 %d 项决议的编号是 %s；没有做任何更改", "decisions are numbered in order; decision %d is %s; nothing was changed", i+1, d.ID)
		}
		if err := m.CheckDecision(d); err != nil {
			return err
		}
		for _, f := range d.Follow {
			if err := m.checkFollowUp(f); err != nil {
				return err
			}
		}
	}
	return nil
}

// CheckDecision checks a decision against its meeting: text, an owner party, a due date
// on or after the meeting, and an issue number the meeting has.
func (m Meeting) CheckDecision(d Decision) error {
	if err := checkMeetingText("决议内容", d.Text, true); err != nil {
		return err
	}
	if strings.TrimSpace(string(d.Party)) == "" {
		return Errorf(EINVALID, "决议“%s”没有责任方：每项决议须由社区、业委会或物业之一负责；没有做任何更改", "decision %q has no owner party: each decision is owned by the community, the committee or the property company; nothing was changed", short(d.Text))
	}
	if p, err := ParseParty(string(d.Party)); err != nil {
		return err
	} else if p != d.Party {
		return Errorf(EINVALID, "决议的责任方应写作 %s；没有做任何更改", "the decision's party should be written %s; nothing was changed", p)
	}
	due, err := ParseMeetingDate(T("完成期限", "the due date"), d.Due)
	if err != nil {
		return err
	}
	if due != d.Due {
		return Errorf(EINVALID, "完成期限应写作 %s；没有做任何更改", "the due date should be written %s; nothing was changed", due)
	}
	if d.Due < m.Date {
		return Errorf(EINVALID, "完成期限 %s 早于会议日期 %s；没有做任何更改", "the due date %s is before the meeting (%s); nothing was changed", d.Due, m.Date)
	}
	if d.Issue < 0 || d.Issue > len(m.Issues) {
		return Errorf(EINVALID, "会议 %s 没有第 %d 个议题；没有做任何更改", "meeting %s has no issue %d; nothing was changed", m.ID, d.Issue)
	}
	return nil
}

func short(s string) string {
	r := []rune(strings.TrimSpace(s))
	if len(r) > 20 {
		return string(r[:20]) + "…"
	}
	return string(r)
}

func (m Meeting) checkFollowUp(f FollowUp) error {
	if _, err := ParseMeetingDate(T("跟进日期", "the follow-up date"), f.Date); err != nil {
		return err
	}
	if f.Date < m.Date {
		return Errorf(EINVALID, "跟进日期 %s 早于会议日期 %s；没有做任何更改", "the follow-up date %s is before the meeting (%s); nothing was changed", f.Date, m.Date)
	}
	switch f.Mark {
	case FollowNote, FollowDone, FollowReopen, FollowWithdraw:
	default:
		return Errorf(EINVALID, "未知的跟进标记 %q；没有做任何更改", "unknown follow-up mark %q; nothing was changed", f.Mark)
	}
	return checkMeetingText("跟进说明", f.Note, f.Mark != FollowDone)
}

// Decision returns decision id of the meeting; ENOTFOUND if it has none such.
func (m Meeting) Decision(id string) (Decision, error) {
	mid, no, err := SplitDecisionID(id)
	if err != nil {
		return Decision{}, err
	}
	if mid != m.ID || no > len(m.Decisions) {
		return Decision{}, Errorf(ENOTFOUND, "没有编号为 %s 的决议；没有做任何更改", "there is no decision %s; nothing was changed", id)
	}
	return m.Decisions[no-1], nil
}

// AddDecision appends a decision, numbered next, after checking it.
func (m Meeting) AddDecision(d Decision) (Meeting, Decision, error) {
	d.No = len(m.Decisions) + 1
	d.ID = DecisionID(m.ID, d.No)
	d.Follow = nil
	if len(m.Decisions) >= maxMeetingList {
		return m, d, Errorf(EINVALID, "一次会议最多记录 %d 项决议；没有做任何更改", "a meeting holds at most %d decisions; nothing was changed", maxMeetingList)
	}
	if err := m.CheckDecision(d); err != nil {
		return m, d, err
	}
	m.Decisions = append(append([]Decision(nil), m.Decisions...), d)
	return m, d, nil
}

// AddFollowUp appends a follow-up to decision id. Marks must make sense for the status
// so far: done only when not done, reopen only when done or withdrawn, nothing after
// a withdrawal but a reopen.
func (m Meeting) AddFollowUp(id string, f FollowUp) (Meeting, Decision, error) {
	d, err := m.Decision(id)
	if err != nil {
		return m, d, err
	}
	if err := m.checkFollowUp(f); err != nil {
		return m, d, err
	}
	if n := len(d.Follow); n > 0 && f.Date < d.Follow[n-1].Date {
		return m, d, Errorf(EINVALID, "跟进日期 %s 早于上一条跟进（%s）；没有做任何更改", "the follow-up date %s is before the previous follow-up (%s); nothing was changed", f.Date, d.Follow[n-1].Date)
	}
	st := d.settled()
	switch {
	case f.Mark == FollowDone && st == DecisionDone:
		return m, d, Errorf(ECONFLICT, "决议 %s 已标记完成；没有做任何更改", "decision %s is already done; nothing was changed", id)
	case f.Mark == FollowReopen && st == DecisionOpen:
		return m, d, Errorf(ECONFLICT, "决议 %s 尚未完成，无需重新打开；没有做任何更改", "decision %s is still open; nothing was changed", id)
	case st == DecisionWithdrawn && f.Mark != FollowReopen:
		return m, d, Errorf(ECONFLICT, "决议 %s 已撤销，只能先重新打开；没有做任何更改", "decision %s was withdrawn; reopen it first; nothing was changed", id)
	}
	if len(d.Follow) >= maxMeetingList {
		return m, d, Errorf(EINVALID, "一项决议最多记录 %d 条跟进；没有做任何更改", "a decision holds at most %d follow-ups; nothing was changed", maxMeetingList)
	}
	d.Follow = append(append([]FollowUp(nil), d.Follow...), f)
	m.Decisions = append([]Decision(nil), m.Decisions...)
	m.Decisions[d.No-1] = d
	return m, d, nil
}

// settled is the status the follow-ups give, before the clock is looked at.
func (d Decision) settled() DecisionStatus {
	st := DecisionOpen
	for _, f := range d.Follow {
		switch f.Mark {
		case FollowDone:
			st = DecisionDone
		case FollowReopen:
			st = DecisionOpen
		case FollowWithdraw:
			st = DecisionWithdrawn
		}
	}
	return st
}

// Status is the decision's status on the day of now (local time): done or withdrawn
// by its follow-ups, else overdue once its due day has passed, else open. The due day
// itself is still on time.
func (d Decision) Status(now time.Time) DecisionStatus {
	st := d.settled()
	if st == DecisionOpen && now.Local().Format(MeetingDateLayout) > d.Due {
		return DecisionOverdue
	}
	return st
}

// DoneOn is the day the decision was last marked done ("" if it is not done).
func (d Decision) DoneOn() string {
	if d.settled() != DecisionDone {
		return ""
	}
	for i := len(d.Follow) - 1; i >= 0; i-- {
		if d.Follow[i].Mark == FollowDone {
			return d.Follow[i].Date
		}
	}
	return ""
}

// DoneLate reports whether the decision was done after its due day (逾期完成): owners
// see that it was finished, and that it was finished late.
func (d Decision) DoneLate() bool {
	on := d.DoneOn()
	return on != "" && on > d.Due
}

// OpenDecision is an open or overdue decision with its meeting's day, for lists.
type OpenDecision struct {
	Decision
	MeetingDate string         `json:"meeting_date"`
	Status      DecisionStatus `json:"status"`
}

// OpenDecisions lists the decisions not yet done or withdrawn, overdue first, then by
// due date.
func OpenDecisions(ms []Meeting, now time.Time) []OpenDecision {
	var out []OpenDecision
	for _, m := range ms {
		for _, d := range m.Decisions {
			if st := d.Status(now); st == DecisionOpen || st == DecisionOverdue {
				out = append(out, OpenDecision{Decision: d, MeetingDate: m.Date, Status: st})
			}
		}
	}
	for i := 1; i < len(out); i++ { // insertion sort: a few dozen at most
		for j := i; j > 0 && openBefore(out[j], out[j-1]); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

func openBefore(a, b OpenDecision) bool {
	if (a.Status == DecisionOverdue) != (b.Status == DecisionOverdue) {
		return a.Status == DecisionOverdue
	}
	if a.Due != b.Due {
		return a.Due < b.Due
	}
	return a.ID < b.ID
}

// MeetingService keeps the joint meetings, their decisions and follow-ups, and the
// three parties' duty list.
type MeetingService interface {
	// NewMeeting records a meeting with its attendees, issues and any decisions (their
	// follow-ups are dropped) and returns it with its id; EINVALID for a bad one or a
	// date after today.
	NewMeeting(ctx context.Context, m Meeting, who string) (Meeting, error)
	// AddDecision adds a decision to a meeting; ENOTFOUND for an unknown meeting,
	// EINVALID for a bad decision.
	AddDecision(ctx context.Context, meeting string, d Decision, who string) (Decision, error)
	// FollowUpDecision appends a follow-up to decision id (MT000003-2); ENOTFOUND for
	// an unknown decision, EINVALID for a bad note or a date after today, ECONFLICT for
	// a mark that does not fit the decision's status.
	FollowUpDecision(ctx context.Context, id string, f FollowUp, who string) (Decision, error)
	// ImportMeetings records meetings held earlier, with their decisions and
	// follow-ups, in one transaction: all or none (the demo, a paper minute book).
	ImportMeetings(ctx context.Context, ms []Meeting, who, why string) error
	// Meeting returns one meeting; ENOTFOUND if there is none.
	Meeting(ctx context.Context, id string) (Meeting, error)
	// Meetings lists every meeting in id order.
	Meetings(ctx context.Context) ([]Meeting, error)
	// OpenDecisions lists the open and overdue decisions at the book's clock.
	OpenDecisions(ctx context.Context) ([]OpenDecision, error)
	// SetDutyList records a new version of the duty list; EINVALID for an empty or
	// bad one.
	SetDutyList(ctx context.Context, l DutyList, who, why string) (DutyList, error)
	// DutyList returns version n of the duty list, the newest for n = 0; ENOTFOUND if
	// there is no such version (or none at all).
	DutyList(ctx context.Context, n int) (DutyList, error)
	// DutyLists lists every version, oldest first.
	DutyLists(ctx context.Context) ([]DutyList, error)
}

// MeetingsOfYear keeps the meetings held in year y (all for y = 0).
func MeetingsOfYear(ms []Meeting, y int) []Meeting {
	if y == 0 {
		return ms
	}
	var out []Meeting
	for _, m := range ms {
		if strings.HasPrefix(m.Date, strconv.Itoa(y)+"-") {
			out = append(out, m)
		}
	}
	return out
}
