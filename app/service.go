package app

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"
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

// ServiceSteps lists every step a request can record, in their natural order.
var ServiceSteps = []ServiceStep{StepAnswered, StepOnsite, StepFixed, StepPlan, StepVisit}

// ServiceStepLabel is a step's name for people.
func ServiceStepLabel(step ServiceStep) string {
	switch step {
	case StepAnswered:
		return T("响应", "answered")
	case StepOnsite:
		return T("到场", "on site")
	case StepFixed:
		return T("修复", "fixed")
	case StepPlan:
		return T("方案", "plan")
	case StepVisit:
		return T("回访", "return visit")
	}
	return string(step)
}

func isServiceStep(s ServiceStep) bool {
	return slices.Contains(ServiceSteps, s)
}

// Which requests a limit of the standard applies to.
const (
	ForAll     = ""        // every request
	ForSmall   = "small"   // requests not marked complex
	ForComplex = "complex" // complex requests (复杂维修)
)

// FormatDuration writes a time taken to the minute: 35分钟, 2小时05分, 1天3小时.
func FormatDuration(d time.Duration) string {
	m := int(d / time.Minute)
	switch {
	case m < 60:
		return fmt.Sprintf(T("%d分钟", "%d min"), m)
	case m < 24*60:
		return fmt.Sprintf(T("%d小时%02d分", "%d h %02d min"), m/60, m%60)
	}
	return fmt.Sprintf(T("%d天%d小时", "%d d %d h"), m/(24*60), m%(24*60)/60)
}

// StepLimit is one line of a response standard: step Step must happen within Minutes
// of the registration, for the requests For names. Limits are inclusive: exactly
// Minutes after registration is still within.
type StepLimit struct {
	Step    ServiceStep `json:"step"`
	Minutes int         `json:"minutes"`
	For     string      `json:"for,omitempty"`
}

// ServiceStandard is the community's response standard: a setting, with two presets
// from practice and custom lines. Every limit counts from the registration time. The
// standard holds every kind of request (repair, complaint, enquiry) alike: for a
// complaint or an enquiry "fixed" means settled or answered in full.
type ServiceStandard struct {
	Name   string      `json:"name"`
	Limits []StepLimit `json:"limits"`
}

// Preset names of response standards.
const (
	Standard54321 = "54321"
	StandardWuhan = "wuhan"
)

// ServiceStandardPreset returns a preset: "54321" (Changzhou: registered within 5 min,
// on site within 40 min, small repairs fixed within 3 h, a plan for complex ones within
// 2 days, a return visit within 7 days) or "wuhan" (answered within 20 min, on site
// within 30 min, fixed within 4 h, complex work within 1 day). Registration itself is
// the request's own time, so 54321's "5" is not a separate step.
func ServiceStandardPreset(name string) (ServiceStandard, error) {
	switch strings.ToLower(strings.TrimSpace(name)) {
	case Standard54321:
		return ServiceStandard{Name: Standard54321, Limits: []StepLimit{
			{Step: StepOnsite, Minutes: 40},
			{Step: StepFixed, Minutes: 3 * 60, For: ForSmall},
			{Step: StepPlan, Minutes: 2 * 24 * 60, For: ForComplex},
			{Step: StepVisit, Minutes: 7 * 24 * 60},
		}}, nil
	case StandardWuhan:
		return ServiceStandard{Name: StandardWuhan, Limits: []StepLimit{
			{Step: StepAnswered, Minutes: 20},
			{Step: StepOnsite, Minutes: 30},
			{Step: StepFixed, Minutes: 4 * 60, For: ForSmall},
			{Step: StepFixed, Minutes: 24 * 60, For: ForComplex},
		}}, nil
	}
	return ServiceStandard{}, Errorf(EINVALID, "没有名为 %q 的标准预设：可选 54321 或 wuhan", "there is no standard preset %q: use 54321 or wuhan", name)
}

// DefaultServiceStandard is the standard used until the committee sets one: 54321.
func DefaultServiceStandard() ServiceStandard {
	s, _ := ServiceStandardPreset(Standard54321)
	return s
}

// ParseStepLimit reads a custom line written STEP=DURATION[/small|/complex], e.g.
// "onsite=40m", "fixed=3h/small", "plan=2d/complex". A duration is a number with m
// (minutes), h (hours) or d (days), or a combination such as 1h30m.
func ParseStepLimit(s string) (StepLimit, error) {
	bad := Errorf(EINVALID, "标准条目 %q 应写成 步骤=时限[/small|/complex]，例如 onsite=40m、fixed=3h/small、plan=2d/complex",
		"standard line %q should be STEP=LIMIT[/small|/complex], e.g. onsite=40m, fixed=3h/small, plan=2d/complex", s)
	step, rest, ok := strings.Cut(strings.TrimSpace(s), "=")
	if !ok {
		return StepLimit{}, bad
	}
	step = strings.ToLower(strings.TrimSpace(step))
	dur, forWhom, _ := strings.Cut(rest, "/")
	mins, err := parseLimitMinutes(strings.TrimSpace(dur))
	if err != nil {
		return StepLimit{}, bad
	}
	l := StepLimit{Step: ServiceStep(step), Minutes: mins, For: strings.ToLower(strings.TrimSpace(forWhom))}
	if err := l.Validate(); err != nil {
		return StepLimit{}, err
	}
	return l, nil
}

func parseLimitMinutes(s string) (int, error) {
	if s == "" {
		return 0, fmt.Errorf("empty")
	}
	total, num := 0, ""
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			num += string(r)
			if len(num) > 6 {
				return 0, fmt.Errorf("too long")
			}
		case r == 'm' || r == 'h' || r == 'd':
			if num == "" {
				return 0, fmt.Errorf("no number")
			}
			n, _ := strconv.Atoi(num)
			total += n * map[rune]int{'m': 1, 'h': 60, 'd': 24 * 60}[r]
			num = ""
		default:
			return 0, fmt.Errorf("bad rune")
		}
	}
	if num != "" {
		return 0, fmt.Errorf("no unit")
	}
	return total, nil
}

// FormatLimit writes minutes the way a committee reads them: 40分钟, 3小时, 2天.
func FormatLimit(minutes int) string {
	switch {
	case minutes%(24*60) == 0:
		return fmt.Sprintf(T("%d天", "%d d"), minutes/(24*60))
	case minutes%60 == 0:
		return fmt.Sprintf(T("%d小时", "%d h"), minutes/60)
	}
	return fmt.Sprintf(T("%d分钟", "%d min"), minutes)
}

// Validate checks one line of a standard.
func (l StepLimit) Validate() error {
	if !isServiceStep(l.Step) {
		return Errorf(EINVALID, "没有步骤 %q：可选 answered、onsite、fixed、plan、visit", "there is no step %q: use answered, onsite, fixed, plan or visit", l.Step)
	}
	if l.Minutes <= 0 || l.Minutes > 366*24*60 {
		return Errorf(EINVALID, "步骤 %s 的时限应在 1 分钟到 366 天之间", "the limit of step %s must be between 1 minute and 366 days", l.Step)
	}
	if l.For != ForAll && l.For != ForSmall && l.For != ForComplex {
		return Errorf(EINVALID, "时限的适用范围应为 small（一般事项）或 complex（复杂事项），或不写（全部）", "a limit applies to small or complex requests, or (left out) to all")
	}
	return nil
}

// Validate checks a standard: at least one line, and no request held to two limits of
// the same step.
func (s ServiceStandard) Validate() error {
	if len(s.Limits) == 0 {
		return Errorf(EINVALID, "服务标准至少要有一个步骤的时限", "a service standard needs at least one step limit")
	}
	if err := checkText(T("标准名称", "standard name"), s.Name, 40, false); err != nil {
		return err
	}
	seen := map[string]bool{}
	for _, l := range s.Limits {
		if err := l.Validate(); err != nil {
			return err
		}
		for _, who := range []string{ForSmall, ForComplex} {
			if l.For != ForAll && l.For != who {
				continue
			}
			if seen[string(l.Step)+"/"+who] {
				return Errorf(EINVALID, "步骤 %s 的时限写了两次", "step %s has two limits for the same requests", l.Step)
			}
			seen[string(l.Step)+"/"+who] = true
		}
	}
	return nil
}

// Steps lists the standard's steps, each once, in the natural order of steps.
func (s ServiceStandard) Steps() []ServiceStep {
	var out []ServiceStep
	for _, step := range ServiceSteps {
		for _, l := range s.Limits {
			if l.Step == step {
				out = append(out, step)
				break
			}
		}
	}
	return out
}

// Limit is how long step may take for a request (complex or not), and false when the
// standard does not hold that request to the step.
func (s ServiceStandard) Limit(step ServiceStep, complex bool) (time.Duration, bool) {
	for _, l := range s.Limits {
		if l.Step != step {
			continue
		}
		if l.For == ForAll || l.For == ForComplex && complex || l.For == ForSmall && !complex {
			return time.Duration(l.Minutes) * time.Minute, true
		}
	}
	return 0, false
}

// String describes the standard in one line: "54321：到场 ≤ 40分钟，…".
func (s ServiceStandard) String() string {
	parts := make([]string, 0, len(s.Limits))
	for _, l := range s.Limits {
		p := ServiceStepLabel(l.Step) + " ≤ " + FormatLimit(l.Minutes)
		switch l.For {
		case ForSmall:
			p += T("（一般）", " (small)")
		case ForComplex:
			p += T("（复杂）", " (complex)")
		}
		parts = append(parts, p)
	}
	name := s.Name
	if name == "" {
		name = T("自定义", "custom")
	}
	return name + T("：", ": ") + strings.Join(parts, T("，", ", "))
}

// ServiceStepRecord is one step of a request as recorded: when it happened, the
// owner's rating if one was given with it, and who recorded it.
type ServiceStepRecord struct {
	Step   ServiceStep `json:"step"`
	At     time.Time   `json:"at"`
	Rating int         `json:"rating,omitempty"`
	Who    string      `json:"who,omitempty"`
}

// ServiceRequest is a 报修 / 投诉 / 咨询 from a unit: registered at At (the local time
// of the community, kept with its zone), followed by its steps in time order.
type ServiceRequest struct {
	ID          string              `json:"id"`
	Unit        string              `json:"unit"`
	Kind        ServiceKind         `json:"kind"`
	Complex     bool                `json:"complex,omitempty"`
	Description string              `json:"description"`
	Reporter    string              `json:"reporter,omitempty"`
	At          time.Time           `json:"at"`
	Steps       []ServiceStepRecord `json:"steps,omitempty"`
	Who         string              `json:"who,omitempty"`
	// Photos are the pictures handed in with the request, stored by their SHA-256 like
	// an expense's attachments; Files carries their bytes into NewServiceRequest.
	Photos []Attachment     `json:"photos,omitempty"`
	Files  []AttachmentFile `json:"-"`
}

// ServiceRequestID is the id of the n-th request: S000001, S000002, … (key order is
// registration order of entry).
func ServiceRequestID(n int64) string { return fmt.Sprintf("S%06d", n) }

// CheckSteps checks the recorded steps of a request read from elsewhere, as AddStep
// would have when each was recorded.
func (r ServiceRequest) CheckSteps() error {
	x := r
	x.Steps = nil
	for _, s := range r.Steps {
		var err error
		if x, err = x.AddStep(s); err != nil {
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
	if err := checkText(T("描述", "description"), strings.TrimSpace(r.Description), 500, true); err != nil {
		return err
	}
	if err := checkText(T("报告人", "reporter"), r.Reporter, 50, false); err != nil {
		return err
	}
	if r.At.IsZero() {
		return Errorf(EINVALID, "缺少登记时间", "the registration time is missing")
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

// Done returns when step was recorded, and false if it has not been.
func (r ServiceRequest) Done(step ServiceStep) (time.Time, bool) {
	for _, s := range r.Steps {
		if s.Step == step {
			return s.At, true
		}
	}
	return time.Time{}, false
}

// Last is the time of the latest thing recorded: the newest step, else the registration.
func (r ServiceRequest) Last() time.Time {
	last := r.At
	for _, s := range r.Steps {
		if s.At.After(last) {
			last = s.At
		}
	}
	return last
}

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

// AddStep returns the request with step s recorded. Refused (EINVALID) are an unknown
// step, a rating outside 1–5, and a time before the previous step (or the
// registration); a step already recorded is ECONFLICT (a step happens once; a wrong
// time is corrected by the committee's note, not by rewriting). A step the standard in
// force does not have (e.g. answered under 54321) is still recorded: it is a fact, it
// just counts in no statistic.
func (r ServiceRequest) AddStep(s ServiceStepRecord) (ServiceRequest, error) {
	if !isServiceStep(s.Step) {
		return r, Errorf(EINVALID, "没有步骤 %q：可选 answered、onsite、fixed、plan、visit；没有做任何更改", "there is no step %q: use answered, onsite, fixed, plan or visit; nothing was changed", s.Step)
	}
	if s.Rating != 0 && (s.Rating < 1 || s.Rating > 5) {
		return r, Errorf(EINVALID, "评价应为 1 到 5 分，收到 %d；没有做任何更改", "a rating must be 1 to 5, not %d; nothing was changed", s.Rating)
	}
	if s.At.IsZero() {
		return r, Errorf(EINVALID, "缺少步骤时间；没有做任何更改", "the step's time is missing; nothing was changed")
	}
	if _, done := r.Done(s.Step); done {
		return r, Errorf(ECONFLICT, "%s 的“%s”已经登记过了；没有做任何更改", "%s already has its %s step; nothing was changed", r.ID, ServiceStepLabel(s.Step))
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

// ServiceTimeLayout is how a request's times are typed: YYYY-MM-DDTHH:MM, local time.
const ServiceTimeLayout = "2006-01-02T15:04"

// ParseServiceTime reads YYYY-MM-DDTHH:MM (a space instead of T, and seconds, are
// accepted) as the community's local time.
func ParseServiceTime(s string) (time.Time, error) {
	s = strings.Replace(strings.TrimSpace(s), " ", "T", 1)
	t, err := time.ParseInLocation(ServiceTimeLayout, s, time.Local)
	if err != nil && len(s) == len(ServiceTimeLayout)+3 { // seconds given too
		t, err = time.ParseInLocation(ServiceTimeLayout+":05", s, time.Local)
	}
	if err != nil || t.Year() < 2000 || t.Year() > 2100 {
		return time.Time{}, Errorf(EINVALID, "时间 %q 应写成 YYYY-MM-DDTHH:MM，例如 2026-03-02T09:15", "time %q should be YYYY-MM-DDTHH:MM, e.g. 2026-03-02T09:15", s)
	}
	return t, nil
}

// FormatServiceTime writes a time as 2026-03-02 09:15 in local time.
func FormatServiceTime(t time.Time) string { return t.Local().Format("2006-01-02 15:04") }

// ServiceFacts is what the statistics need of a request, compact (times in Unix
// seconds) so that a year of tens of thousands of requests reads in a blink: storage
// keeps it beside each request, keyed by the month of registration.
type ServiceFacts struct {
	ID      string      `json:"i"`
	Kind    ServiceKind `json:"k"`
	Complex bool        `json:"c,omitempty"`
	At      int64       `json:"t"`
	Steps   []StepFacts `json:"s,omitempty"`
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
	for _, s := range r.Steps {
		f.Steps = append(f.Steps, StepFacts{Step: s.Step, At: s.At.Unix(), Rating: s.Rating})
	}
	return f
}

// Request is the request the facts describe, in local time, without unit or text.
func (f ServiceFacts) Request() ServiceRequest {
	r := ServiceRequest{ID: f.ID, Kind: f.Kind, Complex: f.Complex, At: time.Unix(f.At, 0)}
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

// StepStatus is how one step of one request stands against the standard at a moment.
type StepStatus int

const (
	StepNotHeld StepStatus = iota // the standard does not hold this request to the step
	StepPending                   // not done yet, limit not passed: not counted yet
	StepWithin                    // done at or before registration + limit
	StepLate                      // done after the limit
	StepOverdue                   // not done and the limit has passed
)

// Status is where step of r stands under std at now. The limit counts from the
// registration and is inclusive.
func (r ServiceRequest) Status(std ServiceStandard, step ServiceStep, now time.Time) StepStatus {
	limit, held := std.Limit(step, r.Complex)
	if !held {
		return StepNotHeld
	}
	deadline := r.At.Add(limit)
	if at, done := r.Done(step); done {
		if at.After(deadline) {
			return StepLate
		}
		return StepWithin
	}
	if now.After(deadline) {
		return StepOverdue
	}
	return StepPending
}

// Overdue reports whether any step the standard holds r to is past its limit and not
// done at now.
func (r ServiceRequest) Overdue(std ServiceStandard, now time.Time) bool {
	for _, step := range std.Steps() {
		if r.Status(std, step, now) == StepOverdue {
			return true
		}
	}
	return false
}

// StepStats counts one step over the requests of a period. Due is how many requests the
// standard holds to the step and whose step is either done or past its limit (a step
// still inside its limit and not done is not counted yet); Within is how many were
// done at or before registration + limit. Due − Within are late or overdue.
type StepStats struct {
	Due    int `json:"due"`
	Within int `json:"within"`
}

// StepTimes are how long a step took among the requests that recorded it (held to it
// by the standard or not): how many, and the median time from registration.
type StepTimes struct {
	Done   int
	Median time.Duration
}

// Share is Within/Due as a percentage to one decimal ("–" when nothing was due).
func (s StepStats) Share() string {
	if s.Due == 0 {
		return "–"
	}
	return decimal.NewFromInt(int64(s.Within)*100).DivRound(decimal.NewFromInt(int64(s.Due)), 1).StringFixed(1) + "%"
}

// ServiceStats are the statistics of the requests registered in a period under a
// standard, evaluated at a moment (the book's clock).
type ServiceStats struct {
	From, To string // months YYYY-MM, inclusive
	Standard ServiceStandard
	At       time.Time
	Requests int
	ByKind   map[ServiceKind]int
	Complex  int
	Steps    map[ServiceStep]StepStats // every step of the standard
	Times    map[ServiceStep]StepTimes // every step recorded at least once
	Overdue  []string                  // ids, sorted
	// Rated counts the requests with an owner's rating; RatingSum adds the ratings up.
	Rated     int
	RatingSum int
}

// AverageRating is the owners' mean rating to 2 decimals ("–" when nobody rated), the one
// figure the CLI, the page and the report print.
func (st ServiceStats) AverageRating() string {
	if st.Rated == 0 {
		return "–"
	}
	return decimal.NewFromInt(int64(st.RatingSum)).DivRound(decimal.NewFromInt(int64(st.Rated)), 2).StringFixed(2)
}

// InPeriod reports whether r was registered (local time) in the months from..to.
func (r ServiceRequest) InPeriod(from, to string) bool {
	m := r.ServiceMonth()
	return m >= from && m <= to
}

// ComputeServiceStats counts the requests registered in from..to (months, inclusive)
// under std at now. Every step of the standard appears in Steps, even with nothing due.
func ComputeServiceStats(reqs []ServiceRequest, std ServiceStandard, from, to string, now time.Time) ServiceStats {
	st := ServiceStats{From: from, To: to, Standard: std, At: now, ByKind: map[ServiceKind]int{}, Steps: map[ServiceStep]StepStats{}, Times: map[ServiceStep]StepTimes{}}
	durs := map[ServiceStep][]time.Duration{}
	for _, step := range std.Steps() {
		st.Steps[step] = StepStats{}
	}
	for _, r := range reqs {
		if !r.InPeriod(from, to) {
			continue
		}
		st.Requests++
		st.ByKind[r.Kind]++
		if r.Complex {
			st.Complex++
		}
		if n := r.Rating(); n > 0 {
			st.Rated++
			st.RatingSum += n
		}
		overdue := false
		for _, s := range r.Steps {
			durs[s.Step] = append(durs[s.Step], s.At.Sub(r.At))
		}
		for _, step := range std.Steps() {
			c := st.Steps[step]
			switch r.Status(std, step, now) {
			case StepWithin:
				c.Due++
				c.Within++
			case StepLate:
				c.Due++
			case StepOverdue:
				c.Due++
				overdue = true
			}
			st.Steps[step] = c
		}
		if overdue {
			st.Overdue = append(st.Overdue, r.ID)
		}
	}
	for step, ds := range durs {
		st.Times[step] = StepTimes{Done: len(ds), Median: median(ds)}
	}
	sort.Strings(st.Overdue)
	if st.Overdue == nil {
		st.Overdue = []string{}
	}
	return st
}

func median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// ServiceService keeps the response standard and the service requests.
type ServiceService interface {
	// SetServiceStandard records the standard in force; EINVALID for a bad one.
	SetServiceStandard(ctx context.Context, s ServiceStandard, who, why string) error
	// ServiceStandard returns the standard in force (54321 until one is set).
	ServiceStandard(ctx context.Context) (ServiceStandard, error)
	// NewServiceRequest registers a request and returns it with its id; EINVALID for a
	// bad one, ENOTFOUND for a unit not in the register.
	NewServiceRequest(ctx context.Context, r ServiceRequest, who string) (ServiceRequest, error)
	// RecordServiceStep records a step of request id; ENOTFOUND for an unknown id,
	// EINVALID / ECONFLICT as ServiceRequest.AddStep says.
	RecordServiceStep(ctx context.Context, id string, s ServiceStepRecord, who string) (ServiceRequest, error)
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
	// ServiceStats counts the requests registered in a period (YYYY-MM, YYYYQn or YYYY)
	// under the standard in force, evaluated at the book's clock.
	ServiceStats(ctx context.Context, period string) (ServiceStats, error)
}
