package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"sunledger/app"
	"sunledger/internal/atomicfile"
)

func init() {
	register("service standard", "[--preset 54321|wuhan | --step STEP=LIMIT[/small|/complex] ... [--name N]] [--from YYYY-MM-DD] [--why TEXT]   "+app.T("设定服务响应标准（不带参数时列出各版本）；时限从业主报告时起算；已有标准后更改须写 --from", "set the service response standard (without arguments: list its versions); limits count from the owner's report; once one is set, a change needs --from"), serviceStandard)
	register("service new", "--unit U --kind repair|complaint|enquiry [--category lift|water|power|building|security|cleaning|greening|admin|other] [--complex] --desc D --at YYYY-MM-DDTHH:MM [--reported-at YYYY-MM-DDTHH:MM] [--channel phone|counter|wechat|visit|committee] [--reporter NAME] [--handler NAME] [--attach PHOTO]...   "+app.T("登记报修/投诉/咨询（当地时间）；时限从业主报告时起算；输出编号", "register a repair, complaint or enquiry (local time); limits count from the owner's report; prints its id"), serviceNew)
	register("service step", "--id ID --step answered|onsite|fixed|plan|visit --at YYYY-MM-DDTHH:MM [--rating 1-5] [--note TEXT]   "+app.T("按顺序登记处理步骤；早于上一步的时间、乱序的步骤被拒绝", "record a step in order; a time before the previous step, or a step out of order, is refused"), serviceStep)
	register("service assign", "--id ID --handler NAME   "+app.T("指定物业经办人", "name the property company's handler"), serviceEventCmd(app.EventAssign))
	register("service note", "--id ID --text TEXT   "+app.T("给服务请求加备注", "add a note to a request"), serviceEventCmd(app.EventNote))
	register("service reopen", "--id ID --why TEXT [--at YYYY-MM-DDTHH:MM]   "+app.T("业主说没修好：修复后 30 天内重新打开（撤销修复和回访，须重新修复）", "the owner says it is not fixed: reopen within 30 days of the fix (the fix and return visit are undone)"), serviceEventCmd(app.EventReopen))
	register("service escalate", "(--id ID --why TEXT | --overdue) [--at YYYY-MM-DDTHH:MM]   "+app.T("提交下次联席会议（--overdue：所有超时或重新打开、尚未提交的请求）", "put on the next joint meeting's agenda (--overdue: every overdue or reopened request not yet on it)"), serviceEscalate)
	register("service signoff", "--id ID --slip NO [--at YYYY-MM-DDTHH:MM]   "+app.T("业主在回执单上签字确认办结（记录单号）", "the owner's signature on the paper slip closes the request (its number recorded)"), serviceEventCmd(app.EventSignoff))
	register("service show", "--id ID [--json]   "+app.T("一条服务请求的全部经过", "one request with its whole history"), serviceShow)
	register("service stats", "--period YYYY-MM|YYYYQn|YYYY [--json]   "+app.T("该期间登记的请求：按类别计数、各步骤达标率、中位用时、超时清单", "the period's requests: counts by kind, share within each step, median times, overdue list"), serviceStats)
	register("service photo", "--id ID [--n N] --out FILE   "+app.T("取出服务请求的第 N 张照片（从 1 起）", "save photo N (from 1) of a service request"), servicePhoto)
	register("service list", "[--period YYYY-MM|YYYYQn|YYYY] [--overdue] [--escalated] [--json]   "+app.T("服务请求及其步骤（超时的标出）；--escalated 列出提交联席会议、尚未办结的请求（下次会议的议程）", "service requests with their steps (overdue ones flagged); --escalated lists those on the joint meeting's agenda and not signed off"), serviceList)
}

func serviceStandard(e *env, args []string) error {
	fs := newFlags("service standard")
	preset := fs.String("preset", "", "54321|wuhan")
	var steps stringList
	fs.Var(&steps, "step", "STEP=LIMIT[/small|/complex]")
	name := fs.String("name", "", "name of a custom standard")
	from := fs.String("from", "", "YYYY-MM-DD: judges requests reported on or after this day")
	as := asFlag(fs)
	why := fs.String("why", "", "note for the audit log")
	svc, err := e.parseOpen(fs, args)
	if err != nil {
		return err
	}
	if *preset == "" && len(steps) == 0 {
		if *from != "" {
			return usageError("--from 需要和 --preset 或 --step 一起用", "--from goes with --preset or --step")
		}
		vs, err := svc.Service.ServiceStandards(e.ctx)
		if err != nil {
			return err
		}
		s, err := svc.Service.ServiceStandard(e.ctx)
		if err != nil {
			return err
		}
		if len(vs) == 0 {
			fmt.Fprintln(e.stdout, app.T("尚未设定服务标准，按 54321 考核", "no service standard set yet: 54321 applies"))
		}
		for _, v := range vs {
			if v.From == "" {
				fmt.Fprintf(e.stdout, app.T("全部请求：%s\n", "every request: %s\n"), v.Standard.String())
				continue
			}
			fmt.Fprintf(e.stdout, app.T("自 %s 起报告的请求：%s\n", "reported from %s on: %s\n"), v.From, v.Standard.String())
		}
		fmt.Fprintln(e.stdout, app.T("当前服务标准 ", "service standard in force ")+s.String())
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
	v := app.ServiceStandardVersion{From: strings.TrimSpace(*from), Standard: s}
	if err := svc.Service.SetServiceStandard(e.ctx, v, who(*as), *why); err != nil {
		return err
	}
	if v.From == "" {
		fmt.Fprintln(e.stdout, app.T("服务标准已设为 ", "service standard set to ")+s.String())
	} else {
		fmt.Fprintf(e.stdout, app.T("自 %s 起报告的请求按此标准考核：%s\n", "requests reported from %s on are judged by: %s\n"), v.From, s.String())
	}
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
	category := fs.String("category", "", "what it is about: lift|water|power|building|security|cleaning|greening|admin|other (guessed from --desc when left out)")
	desc := fs.String("desc", "", "description")
	at := fs.String("at", "", "YYYY-MM-DDTHH:MM")
	reportedAt := fs.String("reported-at", "", "YYYY-MM-DDTHH:MM: when the owner reported it")
	channel := fs.String("channel", "", "phone|counter|wechat|visit|committee")
	reporter := fs.String("reporter", "", "who reported it (stays in the book)")
	handler := fs.String("handler", "", "the property company's handler")
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
		Description: strings.TrimSpace(*desc), Reporter: strings.TrimSpace(*reporter), At: t,
		Channel: strings.ToLower(strings.TrimSpace(*channel)), Handler: strings.TrimSpace(*handler)}
	if r.Category, err = app.ParseServiceCategory(*category); err != nil {
		return err
	}
	if strings.TrimSpace(*reportedAt) != "" {
		if r.ReportedAt, err = app.ParseServiceTime(*reportedAt); err != nil {
			return err
		}
	}
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
	if !r.ReportedAt.IsZero() {
		fmt.Fprintf(e.stdout, app.T("业主报告于 %s，时限从此时起算\n", "reported by the owner at %s: the limits count from then\n"), app.FormatServiceTime(r.ReportedAt))
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
	note := fs.String("note", "", "a note with the step")
	as := asFlag(fs)
	if err := parseStrict(fs, args, "id", "step"); err != nil {
		return err
	}
	s := app.ServiceStepRecord{Step: app.ServiceStep(strings.ToLower(strings.TrimSpace(*step))), Note: strings.TrimSpace(*note)}
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
	vs, err := svc.Service.ServiceStandards(e.ctx)
	if err != nil {
		return err
	}
	status := ""
	switch r.Status(vs.For(r), s.Step, svc.Now()) {
	case app.StepWithin:
		status = app.T("（达标）", " (within the standard)")
	case app.StepLate:
		status = app.T("（超时）", " (late)")
	case app.StepNotHeld:
		status = app.T("（该请求的标准不考核此步骤）", " (not a step of the request's standard)")
	}
	fmt.Fprintf(e.stdout, app.T("%s 已登记“%s” %s%s\n", "%s: %s recorded at %s%s\n"), r.ID, app.ServiceStepLabel(s.Step), app.FormatServiceTime(s.At), status)
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
	var stds []string
	for _, s := range st.Standards {
		stds = append(stds, s.String())
	}
	fmt.Fprintf(w, app.T("期间 %s 至 %s，标准 %s，统计时间 %s\n", "period %s to %s, standard %s, as of %s\n"), st.From, st.To, strings.Join(stds, app.T("；", "; ")), app.FormatServiceTime(st.At))
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
	out := st.StepKeys()
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
	Channel     string            `json:"channel,omitempty"`
	ReportedAt  string            `json:"reported_at,omitempty"`
	At          string            `json:"at"`
	Handler     string            `json:"handler,omitempty"`
	Standard    string            `json:"standard"`
	Steps       []serviceListStep `json:"steps"`
	Overdue     bool              `json:"overdue"`
	Rating      int               `json:"rating,omitempty"`
	Reopened    int               `json:"reopened,omitempty"`
	Escalated   bool              `json:"escalated,omitempty"`
	Closed      bool              `json:"closed,omitempty"`
	Slip        string            `json:"slip,omitempty"`
}

func serviceList(e *env, args []string) error {
	fs := newFlags("service list")
	period := fs.String("period", "", "YYYY-MM|YYYYQn|YYYY")
	onlyOverdue := fs.Bool("overdue", false, "only overdue requests")
	onlyEscalated := fs.Bool("escalated", false, "only requests escalated and not signed off: the next joint meeting's agenda")
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
	vs, err := svc.Service.ServiceStandards(e.ctx)
	if err != nil {
		return err
	}
	rows := serviceListRows(reqs, vs, svc.Now(), from, to, *onlyOverdue)
	if *onlyEscalated {
		kept := rows[:0]
		for _, x := range rows {
			if x.Escalated && !x.Closed {
				kept = append(kept, x)
			}
		}
		rows = kept
	}
	return e.printResult(*asJSON, rows, func() error { return printServiceList(e.stdout, rows) })
}

// serviceListRows keeps the requests registered from month from to month to (overdue
// ones only if onlyOverdue), with each step's status under the request's standard at now.
func serviceListRows(reqs []app.ServiceRequest, vs app.ServiceStandards, now time.Time, from, to string, onlyOverdue bool) []serviceListRow {
	out := []serviceListRow{}
	for _, r := range reqs {
		if !r.InPeriod(from, to) {
			continue
		}
		std := vs.For(r)
		od := r.Overdue(std, now)
		if onlyOverdue && !od {
			continue
		}
		x := serviceListRow{ID: r.ID, Unit: r.Unit, Kind: r.Kind, Complex: r.Complex, Description: r.Description, Reporter: r.Reporter,
			Channel: r.Channel, At: r.At.Local().Format(app.ServiceTimeLayout), Handler: r.Handler, Standard: std.Name,
			Steps: []serviceListStep{}, Overdue: od, Rating: r.Rating(), Reopened: r.Reopened(), Escalated: r.Escalated(), Closed: r.Closed()}
		if !r.ReportedAt.IsZero() {
			x.ReportedAt = r.ReportedAt.Local().Format(app.ServiceTimeLayout)
		}
		if so, ok := r.Event(app.EventSignoff); ok {
			x.Slip = so.Slip
		}
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

// serviceEventCmd is service assign / note / reopen / signoff: one event on one request.
func serviceEventCmd(kind string) func(e *env, args []string) error {
	return func(e *env, args []string) error {
		fs := newFlags("service " + map[string]string{app.EventAssign: "assign", app.EventNote: "note", app.EventReopen: "reopen", app.EventSignoff: "signoff"}[kind])
		id := fs.String("id", "", "request id")
		var text, slip, at *string
		required := []string{"id"}
		switch kind {
		case app.EventAssign:
			text = fs.String("handler", "", "the property company's handler")
			required = append(required, "handler")
		case app.EventNote:
			text = fs.String("text", "", "the note")
			required = append(required, "text")
		case app.EventReopen:
			text = fs.String("why", "", "what the owner says is not fixed")
			required = append(required, "why")
		case app.EventSignoff:
			slip = fs.String("slip", "", "the number of the slip the owner signed")
			required = append(required, "slip")
		}
		if kind == app.EventReopen || kind == app.EventSignoff {
			at = fs.String("at", "", "YYYY-MM-DDTHH:MM (default now)")
		}
		as := asFlag(fs)
		if err := parseStrict(fs, args, required...); err != nil {
			return err
		}
		svc, err := e.services()
		if err != nil {
			return err
		}
		ev := app.ServiceEvent{Kind: kind}
		when := ""
		if at != nil {
			when = *at
		}
		if ev.At, err = serviceAt(svc, when); err != nil {
			return err
		}
		if text != nil {
			ev.Text = *text
		}
		if slip != nil {
			ev.Slip = *slip
		}
		r, err := svc.Service.RecordServiceEvent(e.ctx, serviceID(*id), ev, who(*as))
		if err != nil {
			return err
		}
		switch kind {
		case app.EventAssign:
			fmt.Fprintf(e.stdout, app.T("%s 经办人：%s\n", "%s handler: %s\n"), r.ID, r.Handler)
		case app.EventNote:
			fmt.Fprintf(e.stdout, app.T("%s 已加备注\n", "%s: note added\n"), r.ID)
		case app.EventReopen:
			fmt.Fprintf(e.stdout, app.T("%s 已重新打开（第 %d 次）：修复和回访已撤销，须重新修复，仍按原时限考核\n", "%s reopened (%d time(s)): the fix and the return visit are undone; it must be fixed again, judged by the original limit\n"), r.ID, r.Reopened())
		case app.EventSignoff:
			fmt.Fprintf(e.stdout, app.T("%s 业主已签字确认办结，回执单号 %s\n", "%s signed off by the owner, slip %s\n"), r.ID, ev.Slip)
		}
		return nil
	}
}

// serviceEscalate puts one request, or with --overdue every overdue or reopened request
// not signed off and not yet escalated, on the next joint meeting's agenda.
func serviceEscalate(e *env, args []string) error {
	fs := newFlags("service escalate")
	id := fs.String("id", "", "request id")
	why := fs.String("why", "", "why it goes to the joint meeting")
	overdue := fs.Bool("overdue", false, "every overdue or reopened request not yet escalated")
	at := fs.String("at", "", "YYYY-MM-DDTHH:MM (default now)")
	as := asFlag(fs)
	if err := parseStrict(fs, args); err != nil {
		return err
	}
	if (*id == "") == !*overdue {
		return usageError("请给出 --id ID --why 原因，或 --overdue", "give --id ID --why TEXT, or --overdue")
	}
	if *id != "" && strings.TrimSpace(*why) == "" {
		return usageError("缺少 --why", "missing --why")
	}
	svc, err := e.services()
	if err != nil {
		return err
	}
	t, err := serviceAt(svc, *at)
	if err != nil {
		return err
	}
	if *id != "" {
		r, err := svc.Service.RecordServiceEvent(e.ctx, serviceID(*id), app.ServiceEvent{Kind: app.EventEscalate, At: t, Text: *why}, who(*as))
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, app.T("%s 已提交下次联席会议\n", "%s is on the next joint meeting's agenda\n"), r.ID)
		return nil
	}
	reqs, err := svc.Service.ServiceRequests(e.ctx)
	if err != nil {
		return err
	}
	vs, err := svc.Service.ServiceStandards(e.ctx)
	if err != nil {
		return err
	}
	var done []string
	for _, r := range app.ToEscalate(reqs, vs, svc.Now()) {
		reason := app.T("超时未办", "overdue")
		if !r.Overdue(vs.For(r), svc.Now()) {
			reason = app.T("业主表示没有修好，已重新打开", "reopened: the owner says it is not fixed")
		}
		if _, err := svc.Service.RecordServiceEvent(e.ctx, r.ID, app.ServiceEvent{Kind: app.EventEscalate, At: t, Text: reason}, who(*as)); err != nil {
			return err
		}
		done = append(done, r.ID)
	}
	if len(done) == 0 {
		fmt.Fprintln(e.stdout, app.T("没有需要提交联席会议的请求", "no request to escalate"))
		return nil
	}
	fmt.Fprintf(e.stdout, app.T("已提交下次联席会议 %d 件：%s\n", "%d put on the next joint meeting's agenda: %s\n"), len(done), strings.Join(done, " "))
	return nil
}

// serviceShowJSON is service show --json: the request as stored (without photos' bytes),
// with its standard.
type serviceShowJSON struct {
	app.ServiceRequest
	Standard  string   `json:"standard"`
	Overdue   bool     `json:"overdue"`
	Decisions []string `json:"decisions"` // the joint meetings' decisions about it
}

func serviceShow(e *env, args []string) error {
	fs := newFlags("service show")
	id := fs.String("id", "", "request id")
	asJSON := jsonFlag(fs)
	svc, err := e.parseOpen(fs, args, "id")
	if err != nil {
		return err
	}
	r, err := svc.Service.ServiceRequest(e.ctx, serviceID(*id))
	if err != nil {
		return err
	}
	vs, err := svc.Service.ServiceStandards(e.ctx)
	if err != nil {
		return err
	}
	std := vs.For(r)
	out := serviceShowJSON{ServiceRequest: r, Standard: std.String(), Overdue: r.Overdue(std, svc.Now()), Decisions: []string{}}
	if svc.Meetings != nil {
		ms, err := svc.Meetings.Meetings(e.ctx)
		if err != nil {
			return err
		}
		out.Decisions = app.DecisionsAbout(ms, r.ID)
	}
	return e.printResult(*asJSON, out, func() error {
		w := e.stdout
		kind := app.ServiceKindLabel(r.Kind)
		if r.Complex {
			kind += app.T("（复杂）", " (complex)")
		}
		fmt.Fprintf(w, "%s %s %s：%s\n", r.ID, r.Unit, kind, r.Description)
		if !r.ReportedAt.IsZero() {
			fmt.Fprintf(w, app.T("业主报告 %s %s %s\n", "reported %s %s %s\n"), app.FormatServiceTime(r.ReportedAt), app.ServiceChannelLabel(r.Channel), r.Reporter)
		} else if r.Channel != "" || r.Reporter != "" {
			fmt.Fprintf(w, app.T("报告渠道 %s %s\n", "reported via %s %s\n"), app.ServiceChannelLabel(r.Channel), r.Reporter)
		}
		fmt.Fprintf(w, app.T("登记 %s（%s）\n", "registered %s (%s)\n"), app.FormatServiceTime(r.At), r.Who)
		fmt.Fprintln(w, app.T("标准 ", "standard ")+std.String())
		if r.Handler != "" {
			fmt.Fprintln(w, app.T("经办人 ", "handler ")+r.Handler)
		}
		tw := newTable(w)
		fmt.Fprintln(tw, app.T("时间\t事项\t状态\t经手\t说明", "time\twhat\tstatus\tby\tnote"))
		type line struct {
			at                      time.Time
			what, status, who, note string
		}
		var lines []line
		for _, s := range r.Steps {
			n := s.Note
			if s.Rating > 0 {
				n = strings.TrimSpace(fmt.Sprintf(app.T("评价 %d 分 %s", "rating %d %s"), s.Rating, n))
			}
			lines = append(lines, line{s.At, app.ServiceStepLabel(s.Step), stepStatusName(r.Status(std, s.Step, svc.Now())), s.Who, n})
		}
		for _, s := range r.Superseded {
			lines = append(lines, line{s.At, app.ServiceStepLabel(s.Step), app.T("已撤销（重新打开）", "undone (reopened)"), s.Who, s.Note})
		}
		for _, ev := range r.Events {
			n := ev.Text
			if ev.Slip != "" {
				n = app.T("回执单 ", "slip ") + ev.Slip
			}
			lines = append(lines, line{ev.At, app.ServiceEventLabel(ev.Kind), "", ev.Who, n})
		}
		slices.SortStableFunc(lines, func(a, b line) int { return a.at.Compare(b.at) })
		for _, l := range lines {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", app.FormatServiceTime(l.at), l.what, l.status, l.who, l.note)
		}
		tw.Flush()
		if out.Overdue {
			fmt.Fprintln(w, app.T("⚠ 超时未办", "⚠ overdue"))
		}
		if len(out.Decisions) > 0 {
			fmt.Fprintln(w, app.T("联席会议决议：", "joint meeting decisions: ")+strings.Join(out.Decisions, " "))
		}
		return nil
	})
}
