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
