package app

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// The community's response standard (服务响应标准) that service requests are measured
// against: a named list of step limits, the two presets from practice, and how limits
// are typed and printed.

// Which requests a limit of the standard applies to.
const (
	ForAll     = ""        // every request
	ForSmall   = "small"   // requests not marked complex
	ForComplex = "complex" // complex requests (复杂维修)
)

// StepLimit is one line of a response standard: step Step must happen within Minutes
// of the owner's report (ServiceRequest.Start), for the requests For names. Limits are
// inclusive: exactly Minutes after the report is still within.
type StepLimit struct {
	Step    ServiceStep `json:"step"`
	Minutes int         `json:"minutes"`
	For     string      `json:"for,omitempty"`
}

// ServiceStandard is the community's response standard: a setting, with two presets
// from practice and custom lines. Every limit counts from the owner's report time (the
// registration time when no report time was given). The
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

// ServiceStandardPreset returns a preset: "54321" (Changzhou: registered within 5 min
// of the owner's report, on site within 40 min, small repairs fixed within 3 h, a plan
// for complex ones within 2 days, a return visit within 7 days) or "wuhan" (answered
// within 20 min, on site within 30 min, fixed within 4 h, complex work within 1 day).
// 54321's "5" is the step "registered": the registration time (--at) against the
// owner's report time (--reported-at).
func ServiceStandardPreset(name string) (ServiceStandard, error) {
	switch strings.ToLower(strings.TrimSpace(name)) {
	case Standard54321:
		return ServiceStandard{Name: Standard54321, Limits: []StepLimit{
			{Step: StepRegistered, Minutes: 5},
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
	if l.Step != StepRegistered && !isServiceStep(l.Step) {
		return Errorf(EINVALID, "没有步骤 %q：可选 registered、answered、onsite、fixed、plan、visit", "there is no step %q: use registered, answered, onsite, fixed, plan or visit", l.Step)
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
	for _, step := range StandardSteps {
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

// ServiceStandardVersion is the standard in force from a day on (docs/service.md,
// "Standard versions"): it judges the requests the owner reported on or after From
// (local date), until the next version's From. From "" is "from the beginning": only
// the first standard of a book may be set that way.
type ServiceStandardVersion struct {
	From     string          `json:"from,omitempty"`
	Standard ServiceStandard `json:"standard"`
	SetAt    time.Time       `json:"set_at,omitzero"`
	Who      string          `json:"who,omitempty"`
}

// ServiceStandards are a book's standard versions, by From ascending. Before the first
// version (or with none) the 54321 preset applies.
type ServiceStandards []ServiceStandardVersion

// ServiceDay is the local day YYYY-MM-DD of t, as versions' From days are compared.
func ServiceDay(t time.Time) string { return t.Local().Format(DateLayout) }

// On is the standard in force on day (YYYY-MM-DD).
func (v ServiceStandards) On(day string) ServiceStandard {
	std := DefaultServiceStandard()
	for _, x := range v {
		if x.From <= day {
			std = x.Standard
		}
	}
	return std
}

// For is the standard that judges r: the one in force on the day the owner reported it.
func (v ServiceStandards) For(r ServiceRequest) ServiceStandard { return v.On(ServiceDay(r.Start())) }

// During lists the standards in force on some day from..to (YYYY-MM-DD, inclusive), in
// order, each version once.
func (v ServiceStandards) During(from, to string) []ServiceStandard {
	out := []ServiceStandard{v.On(from)}
	for _, x := range v {
		if x.From > from && x.From <= to {
			out = append(out, x.Standard)
		}
	}
	return out
}

// Set returns the versions with nv added (FORMATS: on a book with no standard, one set
// without a From applies to every request; after that a From is needed, and a past day
// is allowed), except that setting the latest standard again without one changes
// nothing. A version with the same From as one already set replaces it; replaced says
// which. It never changes which standard judges a request reported before nv.From.
func (v ServiceStandards) Set(nv ServiceStandardVersion) (out ServiceStandards, replaced *ServiceStandardVersion, err error) {
	if err := nv.Standard.Validate(); err != nil {
		return v, nil, err
	}
	if nv.From != "" {
		d, err := time.ParseInLocation(DateLayout, nv.From, time.Local)
		if err != nil || d.Year() < 2000 || d.Year() > 2100 {
			return v, nil, Errorf(EINVALID, "--from 应为 YYYY-MM-DD 格式的日期（2000 至 2100 年），收到 %q；没有做任何更改", "--from must be a date YYYY-MM-DD (years 2000 to 2100), not %q; nothing was changed", nv.From)
		}
		nv.From = d.Format(DateLayout)
	} else if len(v) > 0 && nv.Standard.String() == v[len(v)-1].Standard.String() {
		return v, nil, nil // the standard in force set again: nothing changes
	} else if len(v) > 0 {
		return v, nil, Errorf(EINVALID, "已经设定过服务标准（%s）：更改标准须用 --from YYYY-MM-DD 写明从哪天起报告的请求按新标准考核（可以是过去的日期），之前的请求仍按原标准；没有做任何更改",
			"a service standard is already set (%s): a change needs --from YYYY-MM-DD, the day from which requests reported are judged by it (a past day is allowed); earlier requests keep theirs; nothing was changed", v[len(v)-1].Standard.String())
	}
	out = make(ServiceStandards, 0, len(v)+1)
	done := false
	for _, x := range v {
		switch {
		case !done && x.From == nv.From:
			old := x
			replaced = &old
			out = append(out, nv)
			done = true
			continue
		case !done && x.From > nv.From:
			out = append(out, nv)
			done = true
		}
		out = append(out, x)
	}
	if !done {
		out = append(out, nv)
	}
	return out, replaced, nil
}
