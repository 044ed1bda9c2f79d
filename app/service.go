package app

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Service requests (报修 / 投诉 / 咨询) and the community's response standard
// (服务响应标准). A trust-based community judges the property company by facts: when a
// request was registered and when each step followed, measured against the standard.

// ServiceKind is what a request is: a repair, a complaint or an enquiry.
type ServiceKind string

// Kinds of service request.
const (
	ServiceRepair    ServiceKind = "repair"    // 报修
	ServiceComplaint ServiceKind = "complaint" // 投诉
	ServiceEnquiry   ServiceKind = "enquiry"   // 咨询
)

// ServiceKinds lists the kinds in display order.
var ServiceKinds = []ServiceKind{ServiceRepair, ServiceComplaint, ServiceEnquiry}

// ServiceKindLabel is a kind's name for people.
func ServiceKindLabel(kind ServiceKind) string {
	switch kind {
	case ServiceRepair:
		return T("报修", "repair")
	case ServiceComplaint:
		return T("投诉", "complaint")
	case ServiceEnquiry:
		return T("咨询", "enquiry")
	}
	return string(kind)
}

// ServiceStep is a step of a service request after its registration.
type ServiceStep string

// Steps of a service request after its registration.
const (
	StepAnswered ServiceStep = "answered" // 响应（接听/答复）
	StepOnsite   ServiceStep = "onsite"   // 到场
	StepFixed    ServiceStep = "fixed"    // 修复/办结
	StepPlan     ServiceStep = "plan"     // 给出方案（复杂事项）
	StepVisit    ServiceStep = "visit"    // 回访
)

// StepRegistered is the standard's step "registered" (54321's 5 minutes): the
// registration itself, done at the request's --at, measured from the owner's report. It
// is never recorded with service step.
const StepRegistered ServiceStep = "registered"

// ServiceSteps lists every step a request can record, in the order they must come.
var ServiceSteps = []ServiceStep{StepAnswered, StepOnsite, StepPlan, StepFixed, StepVisit}

// StandardSteps lists every step a standard can limit, in their natural order.
var StandardSteps = []ServiceStep{StepRegistered, StepAnswered, StepOnsite, StepFixed, StepPlan, StepVisit}

// stepRank is the order steps must come in: answered → on site → plan → fixed → return
// visit (docs/service.md, "Steps in order").
var stepRank = map[ServiceStep]int{StepAnswered: 0, StepOnsite: 1, StepPlan: 2, StepFixed: 3, StepVisit: 4}

// ServiceStepLabel is a step's name for people.
func ServiceStepLabel(step ServiceStep) string { return serviceStepLabel(step, T) }

// serviceStepLabel is a step's name in the language t picks.
func serviceStepLabel(step ServiceStep, t func(zh, en string) string) string {
	switch step {
	case StepRegistered:
		return t("登记", "registered")
	case StepAnswered:
		return t("响应", "answered")
	case StepOnsite:
		return t("到场", "on site")
	case StepFixed:
		return t("修复", "fixed")
	case StepPlan:
		return t("方案", "plan")
	case StepVisit:
		return t("回访", "return visit")
	}
	return string(step)
}

func isServiceStep(s ServiceStep) bool {
	return slices.Contains(ServiceSteps, s)
}

// ServiceStepRecord is one step of a request as recorded: when it happened, the
// owner's rating if one was given with it, and who recorded it.
type ServiceStepRecord struct {
	Step   ServiceStep `json:"step"`
	At     time.Time   `json:"at"`
	Rating int         `json:"rating,omitempty"`
	Who    string      `json:"who,omitempty"`
	Note   string      `json:"note,omitempty"`
}

// How an owner reported a request (ServiceRequest.Channel).
const (
	ChannelPhone     = "phone"     // 电话
	ChannelCounter   = "counter"   // 前台
	ChannelWeChat    = "wechat"    // 微信
	ChannelVisit     = "visit"     // 上门（巡查、走访时提出）
	ChannelCommittee = "committee" // 经业委会委员转达
)

// ServiceChannels lists the channels in display order.
var ServiceChannels = []string{ChannelPhone, ChannelCounter, ChannelWeChat, ChannelVisit, ChannelCommittee}

// ServiceChannelLabel is a channel's name for people.
func ServiceChannelLabel(c string) string {
	switch c {
	case ChannelPhone:
		return T("电话", "phone")
	case ChannelCounter:
		return T("前台", "counter")
	case ChannelWeChat:
		return T("微信", "WeChat")
	case ChannelVisit:
		return T("上门", "visit")
	case ChannelCommittee:
		return T("业委会转达", "committee")
	}
	return c
}

// What happens to a request besides its steps (ServiceEvent.Kind).
const (
	EventAssign   = "assign"   // a handler named (Text: the name)
	EventNote     = "note"     // a note (Text)
	EventReopen   = "reopen"   // the owner says it is not fixed (Text: why)
	EventEscalate = "escalate" // put on the next joint meeting's agenda (Text: why)
	EventSignoff  = "signoff"  // the owner's signature on the paper slip (Slip: its number)
)

// ServiceReopenDays is how long after the fix an owner may still have a request reopened.
const ServiceReopenDays = 30

// ServiceEvent is one thing that happened to a request besides a step: At is the local
// time it happened (for a note, when it was written), Who recorded it.
type ServiceEvent struct {
	Kind string    `json:"kind"`
	At   time.Time `json:"at"`
	Who  string    `json:"who,omitempty"`
	Text string    `json:"text,omitempty"`
	Slip string    `json:"slip,omitempty"`
}

// ServiceEventLabel names an event kind.
func ServiceEventLabel(kind string) string {
	switch kind {
	case EventAssign:
		return T("指派", "assigned")
	case EventNote:
		return T("备注", "note")
	case EventReopen:
		return T("重新打开", "reopened")
	case EventEscalate:
		return T("提交联席会议", "escalated")
	case EventSignoff:
		return T("业主签字确认", "signed off")
	}
	return kind
}

// ServiceRequest is a 报修 / 投诉 / 咨询 from a unit: reported by the owner at
// ReportedAt (zero: at the registration) through Channel, registered at At (the local
// time of the community, kept with its zone), followed by its steps in order. Reporter
// is the owner's name as given: it stays in the book (never on a notice or in a
// snapshot).
type ServiceRequest struct {
	ID   string      `json:"id"`
	Unit string      `json:"unit"`
	Kind ServiceKind `json:"kind"`
	// Category is what it is about (电梯, 给排水…); "" = guessed from the description
	// (CategoryOf).
	Category    ServiceCategory     `json:"category,omitempty"`
	Complex     bool                `json:"complex,omitempty"`
	Description string              `json:"description"`
	Reporter    string              `json:"reporter,omitempty"`
	Channel     string              `json:"channel,omitempty"`
	ReportedAt  time.Time           `json:"reported_at,omitzero"`
	At          time.Time           `json:"at"`
	Steps       []ServiceStepRecord `json:"steps,omitempty"`
	Who         string              `json:"who,omitempty"`
	// Handler is the property company's person in charge (the latest assign event).
	Handler string         `json:"handler,omitempty"`
	Events  []ServiceEvent `json:"events,omitempty"`
	// Superseded are the fixed and return-visit steps a reopen undid, kept as history.
	Superseded []ServiceStepRecord `json:"superseded,omitempty"`
	// Photos are the pictures handed in with the request, stored by their SHA-256 like
	// an expense's attachments; Files carries their bytes into NewServiceRequest.
	Photos []Attachment     `json:"photos,omitempty"`
	Files  []AttachmentFile `json:"-"`
}

// ServiceRequestID is the id of the n-th request: S000001, S000002, … (key order is
// registration order of entry).
func ServiceRequestID(n int64) string { return fmt.Sprintf("S%06d", n) }

// Start is when the clock of every limit starts: the owner's report time, else the
// registration.
func (r ServiceRequest) Start() time.Time {
	if r.ReportedAt.IsZero() {
		return r.At
	}
	return r.ReportedAt
}

// CheckSteps checks the recorded steps of a request read from elsewhere, as AddStep
// would have under std when each was recorded (its events, made by AddEvent, and the
// steps a reopen undid are not replayed).
func (r ServiceRequest) CheckSteps(std ServiceStandard) error {
	x := r
	x.Steps, x.Events, x.Superseded = nil, nil, nil
	for _, s := range r.Steps {
		var err error
		if x, err = x.AddStep(std, s); err != nil {
			return err
		}
	}
	return nil
}

// Validate checks a new request (the unit's existence is storage's to check).
func (r ServiceRequest) Validate() error {
	if strings.TrimSpace(r.Unit) == "" {
		return Errorf(EINVALID, "缺少房号", "the unit is missing")
	}
	switch r.Kind {
	case ServiceRepair, ServiceComplaint, ServiceEnquiry:
	default:
		return Errorf(EINVALID, "类别 %q 无效：可选 repair（报修）、complaint（投诉）、enquiry（咨询）", "kind %q is not valid: use repair, complaint or enquiry", r.Kind)
	}
	if r.Category != "" {
		if _, err := ParseServiceCategory(string(r.Category)); err != nil {
			return err
		}
	}
	if err := checkText(T("描述", "description"), strings.TrimSpace(r.Description), 500, true); err != nil {
		return err
	}
	if err := checkText(T("报告人", "reporter"), r.Reporter, 50, false); err != nil {
		return err
	}
	if err := checkText(T("经办人", "handler"), r.Handler, 50, false); err != nil {
		return err
	}
	if r.At.IsZero() {
		return Errorf(EINVALID, "缺少登记时间", "the registration time is missing")
	}
	if r.ReportedAt.After(r.At) {
		return Errorf(EINVALID, "业主报告时间 %s 晚于登记时间 %s：--reported-at 是业主报告的时间，不能晚于登记（--at）；没有登记",
			"the owner's report time %s is after the registration %s: --reported-at is when the owner reported it, never after the registration (--at); nothing was registered",
			FormatServiceTime(r.ReportedAt), FormatServiceTime(r.At))
	}
	if !r.ReportedAt.IsZero() && r.At.Sub(r.ReportedAt) > 366*24*time.Hour {
		return Errorf(EINVALID, "业主报告时间 %s 比登记早一年以上；请检查时间，没有登记", "the owner's report time %s is more than a year before the registration: check it; nothing was registered", FormatServiceTime(r.ReportedAt))
	}
	if r.Channel != "" && !slices.Contains(ServiceChannels, r.Channel) {
		return Errorf(EINVALID, "报告渠道 %q 无效：可选 phone（电话）、counter（前台）、wechat（微信）、visit（上门）、committee（业委会转达）；没有登记",
			"channel %q is not valid: use phone, counter, wechat, visit or committee; nothing was registered", r.Channel)
	}
	if len(r.Files) > MaxAttachments {
		return Errorf(EINVALID, "照片太多（最多 %d 张）；没有登记", "too many photos (%d at most); nothing was registered", MaxAttachments)
	}
	for _, f := range r.Files {
		if err := checkText(T("照片文件名", "photo name"), f.Name, 200, true); err != nil {
			return err
		}
		if len(f.Data) == 0 || len(f.Data) > MaxAttachmentSize {
			return Errorf(EINVALID, "照片 %s 是空文件或太大（每张最多 %d MB）；没有登记", "photo %s is empty or too large (%d MB each at most); nothing was registered", f.Name, MaxAttachmentSize>>20)
		}
	}
	return nil
}

// Done returns when step was recorded, and false if it has not been (a fix a reopen
// undid is not done). The step registered is done at the registration.
func (r ServiceRequest) Done(step ServiceStep) (time.Time, bool) {
	if step == StepRegistered {
		return r.At, true
	}
	for _, s := range r.Steps {
		if s.Step == step {
			return s.At, true
		}
	}
	return time.Time{}, false
}

// Last is the time of the latest thing that happened to the request: the newest step
// (a superseded one too), reopen or sign-off, else the registration.
func (r ServiceRequest) Last() time.Time {
	last := r.At
	for _, s := range r.Steps {
		if s.At.After(last) {
			last = s.At
		}
	}
	for _, s := range r.Superseded {
		if s.At.After(last) {
			last = s.At
		}
	}
	for _, e := range r.Events {
		if (e.Kind == EventReopen || e.Kind == EventSignoff) && e.At.After(last) {
			last = e.At
		}
	}
	return last
}

// Event returns the latest event of kind, and false if there is none.
func (r ServiceRequest) Event(kind string) (ServiceEvent, bool) {
	for i := len(r.Events) - 1; i >= 0; i-- {
		if r.Events[i].Kind == kind {
			return r.Events[i], true
		}
	}
	return ServiceEvent{}, false
}

// Closed reports whether the owner signed the request off.
func (r ServiceRequest) Closed() bool { _, ok := r.Event(EventSignoff); return ok }

// Reopened counts the reopens.
func (r ServiceRequest) Reopened() int {
	n := 0
	for _, e := range r.Events {
		if e.Kind == EventReopen {
			n++
		}
	}
	return n
}

// Escalated reports whether the request is on the joint meeting's agenda.
func (r ServiceRequest) Escalated() bool { _, ok := r.Event(EventEscalate); return ok }

// Rating is the owner's latest rating (1–5), 0 if none was given.
func (r ServiceRequest) Rating() int {
	n := 0
	for _, s := range r.Steps {
		if s.Rating != 0 {
			n = s.Rating
		}
	}
	return n
}

// AddStep returns the request with step s recorded under std, the standard that judges
// it. Refused (EINVALID) are an unknown step, a rating outside 1–5, a time before the
// latest thing recorded (the registration, a step, a reopen, the sign-off), a step that
// comes before one already recorded (answered → on site → plan → fixed → return visit),
// a step whose earlier steps the standard holds the request to are not recorded yet (a
// fix before the on-site visit, a complex request's fix before its plan; answered is
// never required), a return visit before the fix, and any step
// but a return visit after the owner's sign-off; a step already recorded is ECONFLICT (a
// step happens once; a reopen undoes the fix and the return visit). A step the standard
// does not limit (e.g. answered under 54321) is still recorded: it is a fact, it just
// counts in no statistic.
func (r ServiceRequest) AddStep(std ServiceStandard, s ServiceStepRecord) (ServiceRequest, error) {
	if !isServiceStep(s.Step) {
		return r, Errorf(EINVALID, "没有步骤 %q：可选 answered、onsite、fixed、plan、visit；没有做任何更改", "there is no step %q: use answered, onsite, fixed, plan or visit; nothing was changed", s.Step)
	}
	if s.Rating != 0 && (s.Rating < 1 || s.Rating > 5) {
		return r, Errorf(EINVALID, "评价应为 1 到 5 分，收到 %d；没有做任何更改", "a rating must be 1 to 5, not %d; nothing was changed", s.Rating)
	}
	if s.At.IsZero() {
		return r, Errorf(EINVALID, "缺少步骤时间；没有做任何更改", "the step's time is missing; nothing was changed")
	}
	if err := checkText(T("备注", "note"), s.Note, 500, false); err != nil {
		return r, err
	}
	if _, done := r.Done(s.Step); done {
		return r, Errorf(ECONFLICT, "%s 的“%s”已经登记过了；没有做任何更改", "%s already has its %s step; nothing was changed", r.ID, ServiceStepLabel(s.Step))
	}
	if r.Closed() && s.Step != StepVisit {
		return r, Errorf(EINVALID, "%s 业主已签字确认办结，只能再登记回访；没有做任何更改", "%s was signed off by the owner: only a return visit may follow; nothing was changed", r.ID)
	}
	for _, x := range r.Steps {
		if stepRank[x.Step] > stepRank[s.Step] {
			return r, Errorf(EINVALID, "步骤顺序不对：%s 已经登记了“%s”，不能再登记在它之前的“%s”（顺序：响应 → 到场 → 方案 → 修复 → 回访）；没有做任何更改",
				"steps out of order: %s already has %s, which comes after %s (order: answered → on site → plan → fixed → return visit); nothing was changed",
				r.ID, ServiceStepLabel(x.Step), ServiceStepLabel(s.Step))
		}
	}
	for _, before := range ServiceSteps {
		if stepRank[before] >= stepRank[s.Step] || before == StepAnswered {
			// answered is never a prerequisite: going on site answers the owner, and a
			// standard that limits answered counts it missing anyway
			continue
		}
		_, held := std.Limit(before, r.Complex)
		if before == StepFixed && s.Step == StepVisit {
			held = true // a return visit asks whether it was fixed
		}
		if _, done := r.Done(before); held && !done {
			return r, Errorf(EINVALID, "步骤顺序不对：%s 还没有登记“%s”，不能先登记“%s”（标准 %s）；没有做任何更改",
				"steps out of order: %s has no %s step yet, which comes before %s (standard %s); nothing was changed",
				r.ID, ServiceStepLabel(before), ServiceStepLabel(s.Step), std.String())
		}
	}
	if last := r.Last(); s.At.Before(last) {
		return r, Errorf(EINVALID, "“%s”的时间 %s 早于上一步（%s）；请检查时间，没有做任何更改",
			"the %s time %s is before the previous step (%s): check the time; nothing was changed",
			ServiceStepLabel(s.Step), FormatServiceTime(s.At), FormatServiceTime(last))
	}
	out := r
	out.Steps = append(append([]ServiceStepRecord(nil), r.Steps...), s)
	return out, nil
}

// AddEvent returns the request with e recorded (docs/service.md, "Handler, notes,
// reopen, escalation, sign-off"). Refused (EINVALID, nothing changed): an empty text
// where one is needed; a reopen without a fix, after the sign-off, before the latest
// step, or more than ServiceReopenDays after the fix; a sign-off without a fix, without
// the slip's number, twice, or before the fix; an escalation of a request already on
// the agenda (ECONFLICT) or signed off.
func (r ServiceRequest) AddEvent(e ServiceEvent) (ServiceRequest, error) {
	if e.At.IsZero() {
		return r, Errorf(EINVALID, "缺少时间；没有做任何更改", "the time is missing; nothing was changed")
	}
	e.Text, e.Slip = strings.TrimSpace(e.Text), strings.TrimSpace(e.Slip)
	out := r
	out.Events = append(append([]ServiceEvent(nil), r.Events...), e)
	fixedAt, fixed := r.Done(StepFixed)
	switch e.Kind {
	case EventAssign:
		if err := checkText(T("经办人", "handler"), e.Text, 50, true); err != nil {
			return r, err
		}
		out.Handler = e.Text
	case EventNote:
		if err := checkText(T("备注", "note"), e.Text, 500, true); err != nil {
			return r, err
		}
	case EventReopen:
		if err := checkText(T("原因", "reason"), e.Text, 500, true); err != nil {
			return r, err
		}
		switch {
		case r.Closed():
			return r, Errorf(EINVALID, "%s 业主已签字确认办结，不能重新打开：请登记一条新的请求；没有做任何更改", "%s was signed off by the owner and cannot be reopened: register a new request; nothing was changed", r.ID)
		case !fixed:
			return r, Errorf(EINVALID, "%s 还没有登记“修复”，无需重新打开；没有做任何更改", "%s has no fixed step yet, so there is nothing to reopen; nothing was changed", r.ID)
		case e.At.Before(r.Last()):
			return r, Errorf(EINVALID, "重新打开的时间 %s 早于上一步（%s）；没有做任何更改", "the reopen time %s is before the previous step (%s); nothing was changed", FormatServiceTime(e.At), FormatServiceTime(r.Last()))
		case e.At.Sub(fixedAt) > ServiceReopenDays*24*time.Hour:
			return r, Errorf(EINVALID, "%s 修复于 %s，已超过 %d 天，不能重新打开：请登记一条新的请求；没有做任何更改", "%s was fixed on %s, more than %d days ago, and cannot be reopened: register a new request; nothing was changed", r.ID, FormatServiceTime(fixedAt), ServiceReopenDays)
		}
		// The fix and its return visit are undone: the request must be fixed again, and
		// the fix is judged against the original limit.
		out.Steps = nil
		for _, s := range r.Steps {
			if s.Step == StepFixed || s.Step == StepVisit {
				out.Superseded = append(append([]ServiceStepRecord(nil), out.Superseded...), s)
				continue
			}
			out.Steps = append(out.Steps, s)
		}
	case EventEscalate:
		if err := checkText(T("原因", "reason"), e.Text, 500, true); err != nil {
			return r, err
		}
		if r.Closed() {
			return r, Errorf(EINVALID, "%s 业主已签字确认办结，无需提交联席会议；没有做任何更改", "%s was signed off by the owner: nothing to escalate; nothing was changed", r.ID)
		}
		if last, ok := r.Event(EventEscalate); ok {
			if reo, ok := r.Event(EventReopen); !ok || reo.At.Before(last.At) {
				return r, Errorf(ECONFLICT, "%s 已于 %s 提交联席会议；没有做任何更改", "%s was already escalated on %s; nothing was changed", r.ID, FormatServiceTime(last.At))
			}
		}
	case EventSignoff:
		if err := checkText(T("签字单编号", "slip number"), e.Slip, 40, true); err != nil {
			return r, err
		}
		switch {
		case r.Closed():
			return r, Errorf(ECONFLICT, "%s 业主已经签字确认过了；没有做任何更改", "%s was already signed off; nothing was changed", r.ID)
		case !fixed:
			return r, Errorf(EINVALID, "%s 还没有登记“修复”（办结），业主不能签字确认；没有做任何更改", "%s has no fixed step yet: the owner cannot sign it off; nothing was changed", r.ID)
		case e.At.Before(fixedAt):
			return r, Errorf(EINVALID, "签字时间 %s 早于修复时间 %s；没有做任何更改", "the sign-off time %s is before the fix (%s); nothing was changed", FormatServiceTime(e.At), FormatServiceTime(fixedAt))
		}
	default:
		return r, Errorf(EINVALID, "未知的事项 %q；没有做任何更改", "unknown event %q; nothing was changed", e.Kind)
	}
	return out, nil
}

// ServiceTimeLayout is how a request's times are typed: YYYY-MM-DDTHH:MM, local time.
const ServiceTimeLayout = "2006-01-02T15:04"

// ParseServiceTime reads YYYY-MM-DDTHH:MM (a space instead of T, and seconds, are
// accepted) as the community's local time. Times are kept to the minute, as they are
// shown: seconds typed are dropped, so a step in the same minute as the one before it is
// never "before" it, and a limit met to the minute shown is met (docs/service.md).
func ParseServiceTime(s string) (time.Time, error) {
	s = strings.Replace(strings.TrimSpace(s), " ", "T", 1)
	t, err := time.ParseInLocation(ServiceTimeLayout, s, time.Local)
	if err != nil && len(s) == len(ServiceTimeLayout)+3 { // seconds given too
		t, err = time.ParseInLocation(ServiceTimeLayout+":05", s, time.Local)
	}
	if err != nil || t.Year() < 2000 || t.Year() > 2100 {
		return time.Time{}, Errorf(EINVALID, "时间 %q 应写成 YYYY-MM-DDTHH:MM，例如 2026-03-02T09:15", "time %q should be YYYY-MM-DDTHH:MM, e.g. 2026-03-02T09:15", s)
	}
	return t.Add(-time.Duration(t.Second()) * time.Second), nil
}

// FormatServiceTime writes a time as 2026-03-02 09:15 in local time.
func FormatServiceTime(t time.Time) string { return t.Local().Format("2006-01-02 15:04") }

// ServiceFacts is what the statistics need of a request, compact (times in Unix
// seconds) so that a year of tens of thousands of requests reads in a blink: storage
// keeps it beside each request, keyed by the month of registration.
type ServiceFacts struct {
	ID       string      `json:"i"`
	Kind     ServiceKind `json:"k"`
	Complex  bool        `json:"c,omitempty"`
	At       int64       `json:"t"`
	Reported int64       `json:"p,omitempty"` // the owner's report time; 0: none given
	Steps    []StepFacts `json:"s,omitempty"`
}

// StepFacts is one recorded step in ServiceFacts.
type StepFacts struct {
	Step   ServiceStep `json:"s"`
	At     int64       `json:"t"`
	Rating int         `json:"r,omitempty"`
}

// Facts is r's compact form.
func (r ServiceRequest) Facts() ServiceFacts {
	f := ServiceFacts{ID: r.ID, Kind: r.Kind, Complex: r.Complex, At: r.At.Unix()}
	if !r.ReportedAt.IsZero() {
		f.Reported = r.ReportedAt.Unix()
	}
	for _, s := range r.Steps {
		f.Steps = append(f.Steps, StepFacts{Step: s.Step, At: s.At.Unix(), Rating: s.Rating})
	}
	return f
}

// Request is the request the facts describe, in local time, without unit or text.
func (f ServiceFacts) Request() ServiceRequest {
	r := ServiceRequest{ID: f.ID, Kind: f.Kind, Complex: f.Complex, At: time.Unix(f.At, 0)}
	if f.Reported != 0 {
		r.ReportedAt = time.Unix(f.Reported, 0)
	}
	if len(f.Steps) > 0 {
		r.Steps = make([]ServiceStepRecord, len(f.Steps))
		for i, s := range f.Steps {
			r.Steps[i] = ServiceStepRecord{Step: s.Step, At: time.Unix(s.At, 0), Rating: s.Rating}
		}
	}
	return r
}

// ServiceMonth is the month (YYYY-MM, local time) a request was registered in.
func (r ServiceRequest) ServiceMonth() string { return r.At.Local().Format("2006-01") }

// ServiceDesk keeps the response standard and the service requests.
type ServiceDesk interface {
	// SetServiceStandard adds a standard version (ServiceStandards.Set says which are
	// refused, EINVALID) and audits it.
	SetServiceStandard(ctx context.Context, v ServiceStandardVersion, who, why string) error
	// ServiceStandard returns the standard in force today (54321 until one is set).
	ServiceStandard(ctx context.Context) (ServiceStandard, error)
	// ServiceStandards returns every standard version.
	ServiceStandards(ctx context.Context) (ServiceStandards, error)
	// NewServiceRequest registers a request and returns it with its id; EINVALID for a
	// bad one, ENOTFOUND for a unit not in the register.
	NewServiceRequest(ctx context.Context, r ServiceRequest, who string) (ServiceRequest, error)
	// RecordServiceStep records a step of request id; ENOTFOUND for an unknown id,
	// EINVALID / ECONFLICT as ServiceRequest.AddStep says under the request's standard.
	RecordServiceStep(ctx context.Context, id string, s ServiceStepRecord, who string) (ServiceRequest, error)
	// RecordServiceEvent records a handler, a note, a reopen, an escalation or the
	// owner's sign-off; ENOTFOUND for an unknown id, else as ServiceRequest.AddEvent.
	RecordServiceEvent(ctx context.Context, id string, e ServiceEvent, who string) (ServiceRequest, error)
	// ImportServiceRequests registers requests recorded elsewhere (a paper log, the
	// demo) with their steps, in one transaction: all or none. Each is checked as
	// NewServiceRequest and AddStep would; ids are given in order.
	ImportServiceRequests(ctx context.Context, reqs []ServiceRequest, who, why string) error
	// ServicePhoto returns photo n (0-based) of request id with its bytes; ENOTFOUND if
	// there is no such request or photo.
	ServicePhoto(ctx context.Context, id string, n int) (Attachment, []byte, error)
	// ServiceRequest returns one request; ENOTFOUND if there is none.
	ServiceRequest(ctx context.Context, id string) (ServiceRequest, error)
	// ServiceRequests lists every request in id order.
	ServiceRequests(ctx context.Context) ([]ServiceRequest, error)
	// ServiceStats counts the requests registered in a period (YYYY-MM, YYYYQn or YYYY),
	// each under the standard in force when it was reported, evaluated at the book's clock.
	ServiceStats(ctx context.Context, period string) (ServiceStats, error)
}
