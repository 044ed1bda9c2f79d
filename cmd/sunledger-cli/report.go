package main

import (
	"flag"
	"sort"
	"strings"

	"sunledger/app"
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

func init() {
	register("report", "KIND ... --out FILE.pdf   "+app.T("打印公示材料和单据", "print notices and documents")+" (KIND: receipt --receipt NO, quarterly --year Y --quarter Q, tally --vote ID, arrears, fee-notices --period YYYY-MM, budget --year Y, settlement --year Y, fund --year Y)", report)
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

func reportReceipt(e *env, args []string) error    { return nil }
func reportArrears(e *env, args []string) error    { return nil }
func reportFeeNotices(e *env, args []string) error { return nil }
func reportQuarterly(e *env, args []string) error  { return nil }
