package main

import (
	"flag"
	"fmt"
	"sort"
	"strings"

	"sunledger/app"
	"sunledger/reports"
)

// reportKinds maps `report KIND` to its handler, which gets the arguments after KIND
// (its own flags, including --out FILE.pdf). A capability adds its kind by adding a
// line to this map, or from an init() in its own file: reportKinds["tally"] = reportTally.
var reportKinds = map[string]func(e *env, args []string) error{
	"receipt":     reportReceipt,
	"arrears":     reportArrears,
	"fee-notices": reportFeeNotices,
	"quarterly":   reportQuarterly,
}

// reportUsage lists every kind of `report` with its arguments, for `report --help` and
// docs/cli.md; TestReport_HelpListsEveryKind keeps it equal to reportKinds.
const reportUsage = "receipt --receipt NO, quarterly --year Y --quarter Q, tally --vote ID, arrears [--min-months N], " +
	"fee-notices --period YYYY-MM [--due YYYY-MM-DD] [--owing-only], budget --year Y, settlement --year Y, fund --year Y, " +
	"service --period YYYY-MM|YYYYQn, survey --survey ID"

func init() {
	register("report", "KIND ... --out FILE.pdf   "+app.T("打印公示材料和单据", "print notices and documents")+" (KIND: "+reportUsage+"; report KIND --help)", report)
}

func report(e *env, args []string) error {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		return usageError("用法：report 类型 ... --out 文件.pdf（类型：%s）", "usage: report KIND ... --out FILE.pdf (KIND: %s)", strings.Join(reportKindNames(), ", "))
	}
	run, ok := reportKinds[args[0]]
	if !ok {
		return usageError("未知的报表类型 %q（可用：%s）", "unknown report kind %q (available: %s)", args[0], strings.Join(reportKindNames(), ", "))
	}
	return run(e, args[1:])
}

func reportKindNames() []string {
	names := make([]string, 0, len(reportKinds))
	for k := range reportKinds {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}

// reportOut adds --out to a report's flags; call needOut after parsing.
func reportOut(fs *flag.FlagSet) *string { return fs.String("out", "", "FILE.pdf") }

func needOut(out string) error { return need("out", out) }

// reportHead is what every report's header and footer need: the community's name and
// the journal's head hash.
func reportHead(e *env) (app.Services, string, string, error) {
	svc, err := e.services()
	if err != nil {
		return app.Services{}, "", "", err
	}
	c, err := svc.Book.Community(e.ctx)
	if err != nil {
		return app.Services{}, "", "", err
	}
	head, _, err := svc.Ledger.Head(e.ctx)
	return svc, c.Name, head, err
}

// saveDoc writes a document the one way every notice leaves the laptop (reports.SaveDocument):
// with the community's name, the head hash, the committee's notice settings (公示期, where
// to object), and the head recorded as published under what ("report arrears"), so that
// later snapshots list it and owners holding the notice can check its history.
func saveDoc(e *env, what string, doc *reports.Doc, path string) error {
	svc, err := e.services()
	if err != nil {
		return err
	}
	return reports.SaveDocument(e.ctx, svc, doc, path, reports.Publication{What: what})
}

// publishDoc saves doc to path as saveDoc does and says so (saved).
func publishDoc(e *env, what string, doc *reports.Doc, path string) error {
	if err := saveDoc(e, what, doc, path); err != nil {
		return err
	}
	saved(e, path)
	return nil
}

// saved prints the file written as the last word, like every command that creates something.
func saved(e *env, path string) {
	fmt.Fprintf(e.stdout, app.T("已生成 %s\n", "written %s\n"), path)
}

func reportReceipt(e *env, args []string) error {
	fs := newFlags("report receipt")
	no := fs.String("receipt", "", "receipt number")
	as := asFlag(fs)
	out := reportOut(fs)
	svc, err := e.parseOpen(fs, args, "receipt", "out")
	if err != nil {
		return err
	}
	r, err := reports.PrintReceipt(e.ctx, svc, *no, who(*as))
	if err != nil {
		return err
	}
	return publishDoc(e, "report receipt", reports.ReceiptDoc(r), *out)
}

func reportArrears(e *env, args []string) error {
	fs := newFlags("report arrears")
	minMonths := fs.Int("min-months", 0, "only units whose oldest open bill is at least this many months old")
	out := reportOut(fs)
	if err := parseStrict(fs, args, "out"); err != nil {
		return err
	}
	svc, name, head, err := reportHead(e)
	if err != nil {
		return err
	}
	rows, err := svc.Fees.Arrears(e.ctx)
	if err != nil {
		return err
	}
	rule, err := svc.Prices.LateFeeRule(e.ctx)
	if err != nil {
		return err
	}
	if *minMonths > 0 {
		month := today(svc)[:7]
		kept := rows[:0]
		for _, r := range rows {
			if app.MonthsBetween(r.Oldest, month) >= *minMonths {
				kept = append(kept, r)
			}
		}
		rows = kept
	}
	return publishDoc(e, "report arrears", reports.ArrearsDoc(name, head, today(svc), rows, rule), *out)
}

func today(svc app.Services) string { return svc.Now().Format("2006-01-02") }

// yearBegun refuses a year-end disclosure (settlement, maintenance fund) for a year that
// has not begun: it would post an all-zero notice for a mistyped year.
func yearBegun(svc app.Services, y int) error {
	if y > svc.Now().Year() {
		return app.Errorf(app.EINVALID, "%d 年还没有开始（今天是 %s）：没有生成公示。请检查 --year", "%d has not begun yet (today is %s): no notice was made; check --year", y, today(svc))
	}
	return nil
}

func reportFeeNotices(e *env, args []string) error {
	fs := newFlags("report fee-notices")
	period := fs.String("period", "", "YYYY-MM")
	due := fs.String("due", "", app.T("新的缴费截止日 YYYY-MM-DD（原截止日已过时）", "a new due date YYYY-MM-DD (when the set one has passed)"))
	owingOnly := fs.Bool("owing-only", false, app.T("只打印有应缴金额的房号", "print only the units that owe something"))
	out := reportOut(fs)
	if err := parseStrict(fs, args, "period", "out"); err != nil {
		return err
	}
	month, err := app.ParseMonth(*period)
	if err != nil {
		return err
	}
	svc, _, head, err := reportHead(e)
	if err != nil {
		return err
	}
	doc, err := reports.FeeNoticesFor(e.ctx, svc, month, today(svc), head, reports.FeeNoticeOptions{Due: *due, OwingOnly: *owingOnly})
	if err != nil {
		return err
	}
	return publishDoc(e, "report fee-notices", doc, *out)
}

func reportQuarterly(e *env, args []string) error {
	fs := newFlags("report quarterly")
	year := fs.Int("year", 0, "year")
	quarter := fs.Int("quarter", 0, "1-4")
	out := reportOut(fs)
	if err := parseStrict(fs, args, "out"); err != nil {
		return err
	}
	if *year < 1900 || *year > 9999 || *quarter < 1 || *quarter > 4 {
		return usageError("请用 --year 年份 --quarter 1 到 4 指定季度", "name the quarter with --year Y --quarter 1..4")
	}
	svc, err := e.services()
	if err != nil {
		return err
	}
	q, err := reports.GatherQuarter(e.ctx, svc, *year, *quarter, today(svc), 0)
	if err != nil {
		return err
	}
	return publishDoc(e, "report quarterly", reports.QuarterlyDoc(q), *out)
}

// reportOf runs `report KIND --IDFLAG ID --out FILE.pdf` for a notice about one record
// (an assembly, a survey): doc lays it out from the book, the community's name and the
// head hash.
func reportOf(e *env, args []string, kind, idFlag string, doc func(svc app.Services, name, head, id string) (*reports.Doc, error)) error {
	fs := newFlags("report " + kind)
	id := fs.String(idFlag, "", idFlag+" id")
	out := reportOut(fs)
	if err := parseStrict(fs, args, idFlag, "out"); err != nil {
		return err
	}
	svc, name, head, err := reportHead(e)
	if err != nil {
		return err
	}
	d, err := doc(svc, name, head, *id)
	if err != nil {
		return err
	}
	return publishDoc(e, "report "+kind, d, *out)
}

// yearReport makes `report KIND --year Y --out FILE.pdf` for a document about one year:
// build gets the open book, the year, and the community name and head hash every
// notice prints.
func yearReport(kind string, build func(e *env, svc app.Services, y int, name, head string) (*reports.Doc, error)) func(*env, []string) error {
	return func(e *env, args []string) error {
		fs := newFlags("report " + kind)
		year := yearFlag(fs)
		out := reportOut(fs)
		// A stray word (`--out 2026 年报.pdf` typed with a space) is refused, not dropped.
		if err := parseStrict(fs, args); err != nil {
			return err
		}
		y, err := needYear(*year)
		if err != nil {
			return err
		}
		if err := needOut(*out); err != nil {
			return err
		}
		svc, name, head, err := reportHead(e)
		if err != nil {
			return err
		}
		doc, err := build(e, svc, y, name, head)
		if err != nil {
			return err
		}
		return publishDoc(e, "report "+kind, doc, *out)
	}
}
