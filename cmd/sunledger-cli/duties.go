package main

import (
	"fmt"
	"os"
	"strings"

	"sunledger/app"
	"sunledger/reports"
)

// The three parties' duty list (三方权责清单): show, print or list its versions, and
// record a new one (docs/meetings.md).

func init() {
	register("meeting duties", "[--version N] [--pdf OUT.pdf] [--json] | --history [--json] | set FILE [--date YYYY-MM-DD] [--why R]   "+app.T("三方权责清单：显示或打印某一版；set 登记新版本（CSV 或文本，见 docs/meetings.md）", "the three parties' duty list: show or print a version; set records a new version (CSV or text, see docs/meetings.md)"), meetingDuties)
}

func meetingDuties(e *env, args []string) error {
	if len(args) > 0 && args[0] == "set" {
		return meetingDutiesSet(e, args[1:])
	}
	fs := newFlags("meeting duties")
	version := fs.Int("version", 0, "version (default the newest)")
	pdf := fs.String("pdf", "", "OUT.pdf")
	asJSON := jsonFlag(fs)
	history := fs.Bool("history", false, "list every version")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageError("未知参数 %q（登记新版本用 meeting duties set 文件）", "unexpected %q (record a new version with meeting duties set FILE)", pos[0])
	}
	if *version < 0 {
		return usageError("--version 应为正整数", "--version must be a positive number")
	}
	svc, err := e.services()
	if err != nil {
		return err
	}
	if *history {
		ls, err := svc.Meetings.DutyLists(e.ctx)
		if err != nil {
			return err
		}
		if *asJSON {
			if ls == nil {
				ls = []app.DutyList{}
			}
			return printJSON(e.stdout, ls)
		}
		tw := newTable(e.stdout)
		fmt.Fprintln(tw, app.T("版本\t施行日期\t条目\t登记人\t说明", "version\tdate\titems\trecorded by\twhy"))
		for _, l := range ls {
			fmt.Fprintf(tw, "%d\t%s\t%d\t%s\t%s\n", l.Version, l.Date, len(l.Items), l.Who, l.Why)
		}
		return tw.Flush()
	}
	l, err := svc.Meetings.DutyList(e.ctx, *version)
	if err != nil {
		return err
	}
	if *pdf != "" {
		return printDocument(e, "meeting duties", "duties", reports.Args{Version: *version}, *pdf)
	}
	return e.printResult(*asJSON, l, func() error {
		fmt.Fprintf(e.stdout, app.T("三方权责清单第 %d 版，%s 起施行（%s 登记：%s）\n", "duty list version %d, in force from %s (recorded by %s: %s)\n"), l.Version, l.Date, l.Who, l.Why)
		by := l.ByParty()
		for _, p := range app.Parties {
			fmt.Fprintf(e.stdout, "[%s]\n", app.PartyLabel(p))
			for i, x := range by[p] {
				fmt.Fprintf(e.stdout, "%d. %s\n", i+1, x)
			}
		}
		return nil
	})
}

func meetingDutiesSet(e *env, args []string) error {
	fs := newFlags("meeting duties set")
	date := fs.String("date", "", "YYYY-MM-DD (default today)")
	why := fs.String("why", "", "why this version")
	as := asFlag(fs)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageError("用法：meeting duties set 文件 [--date 日期] [--why 说明]", "usage: meeting duties set FILE [--date YYYY-MM-DD] [--why R]")
	}
	st, err := os.Stat(pos[0])
	if err == nil && st.Size() > 4<<20 {
		return app.Errorf(app.EINVALID, "权责清单文件 %s 太大（最多 4 MB）；没有做任何更改", "the duty-list file %s is too large (4 MB at most); nothing was changed", pos[0])
	}
	data, err := os.ReadFile(pos[0])
	if err != nil {
		return app.Errorf(app.EINVALID, "无法读取权责清单文件 %s：%v；没有做任何更改", "cannot read the duty-list file %s: %v; nothing was changed", pos[0], err)
	}
	items, err := app.ParseDutyList(data)
	if err != nil {
		return err
	}
	svc, err := e.services()
	if err != nil {
		return err
	}
	l := app.DutyList{Items: items}
	if l.Date, err = meetingDay(svc, app.T("清单日期", "the list's date"), *date); err != nil {
		return err
	}
	l, err = svc.Meetings.SetDutyList(e.ctx, l, who(*as), strings.TrimSpace(*why))
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, app.T("已登记三方权责清单，共 %d 条\n权责清单版本 %d\n", "duty list recorded, %d items\nduty list version %d\n"), len(l.Items), l.Version)
	return nil
}
