package main

import (
	"flag"
	"fmt"
	"sort"
	"strings"
	"time"

	"sunledger/app"
	"sunledger/reports"
)

// reportKinds are the flags of `report KIND` for each document kind of the registry
// (reports.Kinds): each adds its flags to fs, bound to the document's reports.Args, and
// returns what to check once they are parsed. The document itself is made by
// reports.Make, exactly as the window makes it.
var reportKinds = map[string]func(fs *flag.FlagSet, a *reports.Args) (check func() error){
	"receipt": func(fs *flag.FlagSet, a *reports.Args) func() error {
		fs.StringVar(&a.Receipt, "receipt", "", "receipt number")
		as := asFlag(fs)
		return func() error { a.Who = who(*as); return need("receipt", a.Receipt) }
	},
	"arrears": func(fs *flag.FlagSet, a *reports.Args) func() error {
		fs.IntVar(&a.MinMonths, "min-months", 0, "only units whose oldest open bill is at least this many months old")
		fs.StringVar(&a.MinAmount, "min-amount", "", app.T("只列欠费金额不低于此数（元）的房号", "only units owing at least this much (yuan)"))
		fs.StringVar(&a.Building, "building", "", "only the units of this building (3 for 3-2-1501)")
		return func() error { return nil }
	},
	"fee-notices": func(fs *flag.FlagSet, a *reports.Args) func() error {
		fs.StringVar(&a.Period, "period", "", "YYYY-MM")
		fs.StringVar(&a.Due, "due", "", app.T("新的缴费截止日 YYYY-MM-DD（原截止日已过时）", "a new due date YYYY-MM-DD (when the set one has passed)"))
		fs.BoolVar(&a.OwingOnly, "owing-only", false, app.T("只打印有应缴金额的房号", "print only the units that owe something"))
		return func() error { return need("period", a.Period) }
	},
	"quarterly": func(fs *flag.FlagSet, a *reports.Args) func() error {
		fs.IntVar(&a.Year, "year", 0, "year")
		fs.IntVar(&a.Quarter, "quarter", 0, "1-4")
		return func() error {
			if (app.Quarter{Year: a.Year, N: a.Quarter}).Valid() != nil {
				return usageError("请用 --year 年份 --quarter 1 到 4 指定季度", "name the quarter with --year Y --quarter 1..4")
			}
			return nil
		}
	},
	"tally": func(fs *flag.FlagSet, a *reports.Args) func() error {
		fs.StringVar(&a.Vote, "vote", "", "vote id")
		fs.StringVar(&a.Date, "date", "", app.T("公告张贴日期 YYYY-MM-DD（早于今天时）", "YYYY-MM-DD the announcement was posted, if earlier than today"))
		as := asFlag(fs)
		return func() error { a.Who = who(*as); return need("vote", a.Vote) }
	},
	"ballots": func(fs *flag.FlagSet, a *reports.Args) func() error {
		fs.StringVar(&a.Vote, "vote", "", "vote id")
		fs.StringVar(&a.Unit, "unit", "", app.T("只打印这一户的表决票（补发）", "only this unit's ballot (a reprint)"))
		return func() error { return need("vote", a.Vote) }
	},
	"fund-unit":    idFlag("unit", func(a *reports.Args) *string { return &a.Unit }),
	"fund-topup":   func(fs *flag.FlagSet, a *reports.Args) func() error { return func() error { return nil } },
	"budget":       yearArg,
	"settlement":   yearArg,
	"fund":         yearArg,
	"service":      periodFlag("YYYYQn|YYYY-MM|YYYY"),
	"survey":       idFlag("survey", func(a *reports.Args) *string { return &a.Survey }),
	"service-slip": idFlag("id", func(a *reports.Args) *string { return &a.Request }),
	"meetings": func(fs *flag.FlagSet, a *reports.Args) func() error {
		fs.StringVar(&a.Meeting, "meeting", "", "meeting id")
		year := fs.String("year", "", "YYYY")
		return func() error { return meetingsArgs(a, *year) }
	},
	"minutes": idFlag("meeting", func(a *reports.Args) *string { return &a.Meeting }),
	"duties": func(fs *flag.FlagSet, a *reports.Args) func() error {
		fs.IntVar(&a.Version, "version", 0, "version (default the newest)")
		return func() error { return dutiesVersion(a.Version) }
	},
	"assessment": periodFlag("YYYYQn"),
	"microfund":  func(fs *flag.FlagSet, a *reports.Args) func() error { return func() error { return nil } },
	"bank-reconcile": func(fs *flag.FlagSet, a *reports.Args) func() error {
		fs.StringVar(&a.Account, "account", "", "bank account (or service|public|maintenance)")
		fs.StringVar(&a.Period, "period", "", "YYYY-MM (or YYYYQn)")
		return func() error {
			if err := need("account", a.Account); err != nil {
				return err
			}
			return need("period", a.Period)
		}
	},
}

// yearArg is --year Y, required.
func yearArg(fs *flag.FlagSet, a *reports.Args) func() error {
	year := yearFlag(fs)
	return func() (err error) { a.Year, err = needYear(*year); return err }
}

// periodFlag is --period, required.
func periodFlag(form string) func(fs *flag.FlagSet, a *reports.Args) func() error {
	return func(fs *flag.FlagSet, a *reports.Args) func() error {
		fs.StringVar(&a.Period, "period", "", form)
		return func() error { return need("period", a.Period) }
	}
}

// idFlag is --NAME ID, required, naming the record a document is about.
func idFlag(name string, field func(a *reports.Args) *string) func(fs *flag.FlagSet, a *reports.Args) func() error {
	return func(fs *flag.FlagSet, a *reports.Args) func() error {
		fs.StringVar(field(a), name, "", name+" id")
		return func() error { return need(name, *field(a)) }
	}
}

// meetingsArgs checks --meeting ID or --year Y (one of them) of a decisions notice.
func meetingsArgs(a *reports.Args, year string) error {
	if (a.Meeting == "") == (year == "") {
		return usageError("请给出 --meeting 编号 或 --year 年份（二选一）", "give either --meeting ID or --year Y")
	}
	if year != "" {
		y, err := app.ParseYear(year)
		a.Year = y
		return err
	}
	return nil
}

// dutiesVersion checks --version of the duty list.
func dutiesVersion(v int) error {
	if v < 0 {
		return usageError("--version 应为正整数", "--version must be a positive number")
	}
	return nil
}

// reportUsage lists every kind of `report` with its arguments, for `report --help` and
// docs/cli.md; TestReport_HelpListsEveryKind keeps it equal to reportKinds.
const reportUsage = "receipt --receipt NO [--as NAME], arrears [--min-months N] [--min-amount A] [--building B], " +
	"fee-notices --period YYYY-MM [--due YYYY-MM-DD] [--owing-only], quarterly --year Y --quarter Q, ballots --vote ID [--unit U], tally --vote ID [--date YYYY-MM-DD] [--as NAME], " +
	"budget --year Y, settlement --year Y, fund --year Y, fund-unit --unit U, fund-topup, service --period YYYYQn|YYYY-MM|YYYY, service-slip --id ID, survey --survey ID, " +
	"meetings --meeting ID|--year Y, minutes --meeting ID, duties [--version N], bank-reconcile --account ACCOUNT --period YYYY-MM, " +
	"assessment --period YYYYQn, microfund"

func init() {
	register("report", "KIND ... --out FILE.pdf   "+app.T("打印公示材料和单据", "print notices and documents")+" (KIND: "+reportUsage+"; report KIND --help)", report)
}

func report(e *env, args []string) error {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		return usageError("用法：report 类型 ... --out 文件.pdf（类型：%s）", "usage: report KIND ... --out FILE.pdf (KIND: %s)", strings.Join(reportKindNames(), ", "))
	}
	flags, ok := reportKinds[args[0]]
	if !ok {
		return usageError("未知的报表类型 %q（可用：%s）", "unknown report kind %q (available: %s)", args[0], strings.Join(reportKindNames(), ", "))
	}
	return reportCommand(e, "report "+args[0], args[0], flags, args[1:])
}

// reportCommand runs the command name (`report tally`, `meeting notice`): it parses the
// flags of the document kind and --out, then prints the document (printDocument).
func reportCommand(e *env, name, kind string, flags func(fs *flag.FlagSet, a *reports.Args) func() error, args []string) error {
	fs := newFlags(name)
	var a reports.Args
	check := flags(fs, &a)
	out := reportOut(fs)
	// A stray word (`--out 2026 年报.pdf` typed with a space) is refused, not dropped.
	if err := parseStrict(fs, args); err != nil {
		return err
	}
	if err := check(); err != nil {
		return err
	}
	if err := needOut(*out); err != nil {
		return err
	}
	return printDocument(e, name, kind, a, *out)
}

// printDocument makes the document of kind from the book through the registry
// (reports.Make, as the window does) and saves it to path as every notice leaves
// (publishDoc).
func printDocument(e *env, what, kind string, a reports.Args, path string) error {
	svc, err := e.services()
	if err != nil {
		return err
	}
	doc, err := reports.Make(e.ctx, svc, kind, a)
	if err != nil {
		return err
	}
	return publishDoc(e, what, doc, path)
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

// today is the book's day (YYYY-MM-DD), by its clock.
func today(svc app.Services) string { return svc.Now().Format(time.DateOnly) }
