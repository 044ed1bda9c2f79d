package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"sunledger/app"
	"sunledger/internal/atomicfile"
)

func init() {
	register("service standard", "[--preset 54321|wuhan | --step STEP=LIMIT[/small|/complex] ... [--name N]]   "+app.T("设定服务响应标准（不带参数时显示当前标准）；时限从登记时起算", "set the service response standard (without arguments: show it); limits count from registration"), serviceStandard)
	register("service new", "--unit U --kind repair|complaint|enquiry [--complex] --desc D --at YYYY-MM-DDTHH:MM [--reporter R] [--attach PHOTO]...   "+app.T("登记报修/投诉/咨询（当地时间）；输出编号", "register a repair, complaint or enquiry (local time); prints its id"), serviceNew)
	register("service step", "--id ID --step answered|onsite|fixed|plan|visit --at YYYY-MM-DDTHH:MM [--rating 1-5]   "+app.T("登记处理步骤；早于上一步的时间被拒绝", "record a step; a time before the previous step is refused"), serviceStep)
	register("service stats", "--period YYYY-MM|YYYYQn|YYYY [--json]   "+app.T("该期间登记的请求：按类别计数、各步骤达标率、中位用时、超时清单", "the period's requests: counts by kind, share within each step, median times, overdue list"), serviceStats)
	register("service photo", "--id ID [--n N] --out FILE   "+app.T("取出服务请求的第 N 张照片（从 1 起）", "save photo N (from 1) of a service request"), servicePhoto)
	register("service list", "[--period YYYY-MM|YYYYQn|YYYY] [--overdue] [--json]   "+app.T("服务请求及其步骤（超时的标出）", "service requests with their steps (overdue ones flagged)"), serviceList)
}

func serviceStandard(e *env, args []string) error {
	fs := newFlags("service standard")
	preset := fs.String("preset", "", "54321|wuhan")
	var steps stringList
	fs.Var(&steps, "step", "STEP=LIMIT[/small|/complex]")
	name := fs.String("name", "", "name of a custom standard")
	as := asFlag(fs)
	why := fs.String("why", "", "note for the audit log")
	svc, err := e.parseOpen(fs, args)
	if err != nil {
		return err
	}
	if *preset == "" && len(steps) == 0 {
		s, err := svc.Service.ServiceStandard(e.ctx)
		if err != nil {
			return err
		}
		fmt.Fprintln(e.stdout, app.T("服务标准 ", "service standard ")+s.String())
		return nil
	}
	if *preset != "" && len(steps) > 0 {
		return usageError("--preset 和 --step 只能二选一", "give either --preset or --step, not both")
	}
	var s app.ServiceStandard
	if *preset != "" {
		if s, err = app.ServiceStandardPreset(*preset); err != nil {
			return err
		}
	} else {
		s.Name = strings.TrimSpace(*name)
		for _, x := range steps {
			l, err := app.ParseStepLimit(x)
			if err != nil {
				return err
			}
			s.Limits = append(s.Limits, l)
		}
	}
	if err := svc.Service.SetServiceStandard(e.ctx, s, who(*as), *why); err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, app.T("服务标准已设为 ", "service standard set to ")+s.String())
	return nil
}

// serviceAt reads --at, or takes the book's clock to the minute when it is left out.
func serviceAt(svc app.Services, s string) (time.Time, error) {
	if strings.TrimSpace(s) == "" {
		return svc.Now().Local().Truncate(time.Minute), nil
	}
	return app.ParseServiceTime(s)
}

func serviceNew(e *env, args []string) error {
	fs := newFlags("service new")
	unit := fs.String("unit", "", "unit")
	kind := fs.String("kind", "", "repair|complaint|enquiry")
	complex := fs.Bool("complex", false, "a complex request (plan instead of a quick fix)")
	desc := fs.String("desc", "", "description")
	at := fs.String("at", "", "YYYY-MM-DDTHH:MM")
	reporter := fs.String("reporter", "", "who reported it")
	var attach stringList
	fs.Var(&attach, "attach", "photo file (repeatable)")
	as := asFlag(fs)
	svc, err := e.parseOpen(fs, args, "unit", "kind", "desc")
	if err != nil {
		return err
	}
	t, err := serviceAt(svc, *at)
	if err != nil {
		return err
	}
	r := app.ServiceRequest{Unit: strings.TrimSpace(*unit), Kind: app.ServiceKind(strings.ToLower(strings.TrimSpace(*kind))), Complex: *complex,
		Description: strings.TrimSpace(*desc), Reporter: strings.TrimSpace(*reporter), At: t}
	for _, path := range attach {
		st, err := os.Stat(path)
		if err == nil && st.Size() > app.MaxAttachmentSize {
			return app.Errorf(app.EINVALID, "照片 %s 太大（%d MB），每张最多 %d MB；没有登记", "photo %s is too large (%d MB); each may be %d MB at most; nothing was registered", path, st.Size()>>20, app.MaxAttachmentSize>>20)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return app.Errorf(app.EINVALID, "无法读取照片 %s：%v；没有登记", "cannot read the photo %s: %v; nothing was registered", path, err)
		}
		r.Files = append(r.Files, app.AttachmentFile{Name: filepath.Base(path), Data: b})
	}
	r, err = svc.Service.NewServiceRequest(e.ctx, r, who(*as))
	if err != nil {
		return err
	}
	for _, a := range r.Photos {
		fmt.Fprintf(e.stdout, app.T("照片 %s（%d 字节）SHA-256 %s\n", "photo %s (%d bytes) SHA-256 %s\n"), a.Name, a.Size, a.SHA256)
	}
	fmt.Fprintf(e.stdout, app.T("已登记 %s %s %s\n服务请求 %s\n", "registered %s %s at %s\nservice request %s\n"), r.Unit, app.ServiceKindLabel(r.Kind), app.FormatServiceTime(r.At), r.ID)
	return nil
}

func serviceStep(e *env, args []string) error {
	fs := newFlags("service step")
	id := fs.String("id", "", "request id")
	step := fs.String("step", "", "answered|onsite|fixed|plan|visit")
	at := fs.String("at", "", "YYYY-MM-DDTHH:MM")
	rating := fs.String("rating", "", "1-5")
	as := asFlag(fs)
	if err := parseStrict(fs, args, "id", "step"); err != nil {
		return err
	}
	s := app.ServiceStepRecord{Step: app.ServiceStep(strings.ToLower(strings.TrimSpace(*step)))}
	if strings.TrimSpace(*rating) != "" {
		n, err := strconv.Atoi(strings.TrimSpace(*rating))
		if err != nil || n < 1 || n > 5 {
			return app.Errorf(app.EINVALID, "评价应为 1 到 5 的整数，收到 %q；没有做任何更改", "a rating must be a whole number from 1 to 5, not %q; nothing was changed", *rating)
		}
		s.Rating = n
	}
	svc, err := e.services()
	if err != nil {
		return err
	}
	if s.At, err = serviceAt(svc, *at); err != nil {
		return err
	}
	r, err := svc.Service.RecordServiceStep(e.ctx, serviceID(*id), s, who(*as))
	if err != nil {
		return err
	}
	std, err := svc.Service.ServiceStandard(e.ctx)
	if err != nil {
		return err
	}
	note := ""
	switch r.Status(std, s.Step, svc.Now()) {
	case app.StepWithin:
		note = app.T("（达标）", " (within the standard)")
	case app.StepLate:
		note = app.T("（超时）", " (late)")
	case app.StepNotHeld:
		note = app.T("（当前标准不考核此步骤）", " (not a step of the standard in force)")
	}
	fmt.Fprintf(e.stdout, app.T("%s 已登记“%s” %s%s\n", "%s: %s recorded at %s%s\n"), r.ID, app.ServiceStepLabel(s.Step), app.FormatServiceTime(s.At), note)
	return nil
}

// serviceStatsJSON is the shape scripts rely on: only these three keys.
type serviceStatsJSON struct {
	Requests int                               `json:"requests"`
	Steps    map[app.ServiceStep]app.StepStats `json:"steps"`
	Overdue  []string                          `json:"overdue"`
}

func serviceStats(e *env, args []string) error {
	fs := newFlags("service stats")
	period := fs.String("period", "", "YYYY-MM|YYYYQn|YYYY")
	asJSON := jsonFlag(fs)
	svc, err := e.parseOpen(fs, args, "period")
	if err != nil {
		return err
	}
	st, err := svc.Service.ServiceStats(e.ctx, *period)
	if err != nil {
		return err
	}
	return e.printResult(*asJSON, serviceStatsJSON{Requests: st.Requests, Steps: st.Steps, Overdue: st.Overdue}, func() error { return printServiceStats(e, st) })
}

// printServiceStats prints the period's service statistics as text: counts by kind, each
// step's share within the standard and median time, ratings and the overdue list.
func printServiceStats(e *env, st app.ServiceStats) error {
	w := e.stdout
	fmt.Fprintf(w, app.T("期间 %s 至 %s，标准 %s，统计时间 %s\n", "period %s to %s, standard %s, as of %s\n"), st.From, st.To, st.Standard.String(), app.FormatServiceTime(st.At))
	fmt.Fprintf(w, app.T("请求 %d 件（复杂 %d 件）：", "%d requests (%d complex): "), st.Requests, st.Complex)
	var kinds []string
	for _, k := range app.ServiceKinds {
		kinds = append(kinds, fmt.Sprintf("%s %d", app.ServiceKindLabel(k), st.ByKind[k]))
	}
	fmt.Fprintln(w, strings.Join(kinds, app.T("，", ", ")))
	tw := newTable(w)
	fmt.Fprintln(tw, app.T("步骤\t应考核\t达标\t达标率\t已完成\t中位用时", "step\tdue\twithin\tshare\tdone\tmedian time"))
	for _, step := range serviceStepsShown(st) {
		c, held := st.Steps[step]
		due, within, share := "–", "–", "–"
		if held {
			due, within, share = strconv.Itoa(c.Due), strconv.Itoa(c.Within), c.Share()
		}
		tm := st.Times[step]
		med := "–"
		if tm.Done > 0 {
			med = app.FormatDuration(tm.Median)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%s\n", app.ServiceStepLabel(step), due, within, share, tm.Done, med)
	}
	tw.Flush()
	if st.Rated > 0 {
		fmt.Fprintf(w, app.T("业主评价 %d 件，平均 %s 分\n", "%d owner ratings, average %s\n"), st.Rated, st.AverageRating())
	}
	if len(st.Overdue) == 0 {
		fmt.Fprintln(w, app.T("没有超时未办的请求", "no overdue requests"))
	} else {
		fmt.Fprintf(w, app.T("超时未办 %d 件：%s\n", "%d overdue: %s\n"), len(st.Overdue), strings.Join(st.Overdue, " "))
	}
	return nil
}

// serviceStepsShown are the standard's steps and then any other step recorded.
func serviceStepsShown(st app.ServiceStats) []app.ServiceStep {
	out := st.Standard.Steps()
	for _, s := range app.ServiceSteps {
		if _, held := st.Steps[s]; !held && st.Times[s].Done > 0 {
			out = append(out, s)
		}
	}
	return out
}

// serviceListStep and serviceListRow are service list's JSON: a request with its steps,
// each step's status at the book's clock.
type serviceListStep struct {
	Step   app.ServiceStep `json:"step"`
	At     string          `json:"at"`
	Rating int             `json:"rating,omitempty"`
	Status string          `json:"status"`
}

type serviceListRow struct {
	ID          string            `json:"id"`
	Unit        string            `json:"unit"`
	Kind        app.ServiceKind   `json:"kind"`
	Complex     bool              `json:"complex"`
	Description string            `json:"description"`
	Reporter    string            `json:"reporter,omitempty"`
	At          string            `json:"at"`
	Steps       []serviceListStep `json:"steps"`
	Overdue     bool              `json:"overdue"`
	Rating      int               `json:"rating,omitempty"`
}

func serviceList(e *env, args []string) error {
	fs := newFlags("service list")
	period := fs.String("period", "", "YYYY-MM|YYYYQn|YYYY")
	onlyOverdue := fs.Bool("overdue", false, "only overdue requests")
	asJSON := jsonFlag(fs)
	if err := parseStrict(fs, args); err != nil {
		return err
	}
	from, to := "", "9999-12"
	if *period != "" {
		var err error
		if from, to, err = app.ParseCollectionPeriod(*period); err != nil {
			return err
		}
	}
	svc, err := e.services()
	if err != nil {
		return err
	}
	reqs, err := svc.Service.ServiceRequests(e.ctx)
	if err != nil {
		return err
	}
	std, err := svc.Service.ServiceStandard(e.ctx)
	if err != nil {
		return err
	}
	rows := serviceListRows(reqs, std, svc.Now(), from, to, *onlyOverdue)
	return e.printResult(*asJSON, rows, func() error { return printServiceList(e.stdout, rows) })
}

// serviceListRows keeps the requests registered from month from to month to (overdue
// ones only if onlyOverdue), with each step's status under the standard std at now.
func serviceListRows(reqs []app.ServiceRequest, std app.ServiceStandard, now time.Time, from, to string, onlyOverdue bool) []serviceListRow {
	out := []serviceListRow{}
	for _, r := range reqs {
		if !r.InPeriod(from, to) {
			continue
		}
		od := r.Overdue(std, now)
		if onlyOverdue && !od {
			continue
		}
		x := serviceListRow{ID: r.ID, Unit: r.Unit, Kind: r.Kind, Complex: r.Complex, Description: r.Description, Reporter: r.Reporter,
			At: r.At.Local().Format(app.ServiceTimeLayout), Steps: []serviceListStep{}, Overdue: od, Rating: r.Rating()}
		for _, s := range r.Steps {
			x.Steps = append(x.Steps, serviceListStep{s.Step, s.At.Local().Format(app.ServiceTimeLayout), s.Rating, stepStatusName(r.Status(std, s.Step, now))})
		}
		out = append(out, x)
	}
	return out
}

// printServiceList prints the rows of service list as a table, overdue ones flagged.
func printServiceList(w io.Writer, rows []serviceListRow) error {
	tw := newTable(w)
	fmt.Fprintln(tw, app.T("编号\t房号\t类别\t登记时间\t步骤\t评价\t超时", "id\tunit\tkind\tregistered\tsteps\trating\toverdue"))
	for _, x := range rows {
		var steps []string
		for _, s := range x.Steps {
			steps = append(steps, string(s.Step)+"@"+strings.Replace(s.At, "T", " ", 1))
		}
		kind := app.ServiceKindLabel(x.Kind)
		if x.Complex {
			kind += app.T("（复杂）", " (complex)")
		}
		rating, od := "", ""
		if x.Rating > 0 {
			rating = strconv.Itoa(x.Rating)
		}
		if x.Overdue {
			od = app.T("超时", "OVERDUE")
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", x.ID, x.Unit, kind, strings.Replace(x.At, "T", " ", 1), strings.Join(steps, ", "), rating, od)
	}
	return tw.Flush()
}

func stepStatusName(s app.StepStatus) string {
	switch s {
	case app.StepWithin:
		return "within"
	case app.StepLate:
		return "late"
	case app.StepNotHeld:
		return "not_held"
	}
	return "pending"
}

func servicePhoto(e *env, args []string) error {
	fs := newFlags("service photo")
	id := fs.String("id", "", "request id")
	n := fs.Int("n", 1, "photo number, from 1")
	out := fs.String("out", "", "FILE")
	svc, err := e.parseOpen(fs, args, "id", "out")
	if err != nil {
		return err
	}
	a, data, err := svc.Service.ServicePhoto(e.ctx, serviceID(*id), *n-1)
	if err != nil {
		return err
	}
	if err := atomicfile.Write(*out, func(w io.Writer) error { _, err := w.Write(data); return err }); err != nil {
		return app.Internal(err)
	}
	fmt.Fprintf(e.stdout, app.T("照片 %s（SHA-256 %s）已保存到 %s\n", "photo %s (SHA-256 %s) saved to %s\n"), a.Name, a.SHA256, *out)
	return nil
}

// serviceID is a request id as typed: s000001 is S000001, as e000001 is E000001.
func serviceID(s string) string { return strings.ToUpper(strings.TrimSpace(s)) }
