package main

import (
	"flag"
	"fmt"
	"text/tabwriter"

	"sunledger/app"
)

func init() {
	register("settings", "[--notice-days N] [--objection TEXT] [--due-day D] [--pay-channels TEXT] [--pay-account TEXT] [--office-phone TEXT] [--office-address TEXT] [--inspection TEXT] [--deemed-rule TEXT] [--json]   "+
		app.T("查看或修改公示和缴费通知的设置（公示期、异议方式、缴费截止日、缴费方式、共管账户、物业电话和地址、凭证查阅时间地点）", "show or change what notices print (notice period, where to object, due day, how to pay, the account, the office phone and address, when and where vouchers may be inspected)"), settings)
}

// settings shows the community's notice settings, or changes the ones given (audited).
func settings(e *env, args []string) error {
	fs := newFlags("settings")
	// Only the flags given change a setting (an empty text clears it), so none has a
	// default of its own: the book's defaults are shown by `settings` itself.
	days := fs.Int("notice-days", 0, "公示期 in days (1-90; 15 until set)")
	objection := fs.String("objection", "", "where and how owners object to a notice")
	due := fs.Int("due-day", 0, "fees are due by this day of the billed month (1-31; 15 until set)")
	channels := fs.String("pay-channels", "", "how owners can pay, printed on fee notices")
	account := fs.String("pay-account", "", "the trust account, printed on fee notices")
	phone := fs.String("office-phone", "", "the property service office's phone")
	address := fs.String("office-address", "", "the property service office's address, printed beside its phone")
	inspection := fs.String("inspection", "", "when and where owners may inspect the vouchers (凭证查阅), printed on the quarterly disclosure")
	deemedRule := fs.String("deemed-rule", "", "the deemed-vote clause of the community's rules, verbatim")
	as := asFlag(fs)
	why := whyFlag(fs)
	asJSON := jsonFlag(fs)
	svc, err := e.parseOpen(fs, args)
	if err != nil {
		return err
	}
	c, err := svc.Book.Community(e.ctx)
	if err != nil {
		return err
	}
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	n, changed := c.Notices, false
	setInt := func(name string, v int, to *int) {
		if given[name] {
			*to, changed = v, true
		}
	}
	setStr := func(name, v string, to *string) {
		if given[name] {
			*to, changed = v, true
		}
	}
	setInt("notice-days", *days, &n.NoticeDays)
	setInt("due-day", *due, &n.DueDay)
	setStr("objection", *objection, &n.Objection)
	setStr("pay-channels", *channels, &n.PayChannels)
	setStr("pay-account", *account, &n.PayAccount)
	setStr("office-phone", *phone, &n.OfficePhone)
	setStr("office-address", *address, &n.OfficeAddress)
	setStr("inspection", *inspection, &n.Inspection)
	setStr("deemed-rule", *deemedRule, &n.DeemedRule)
	if changed {
		c.Notices = n
		if err := svc.Book.UpdateCommunity(e.ctx, c, who(*as), *why); err != nil {
			return err
		}
	}
	return e.printResult(*asJSON, c.Notices, func() error {
		tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
		fmt.Fprintf(tw, "%s\t%d %s\n", app.T("公示期", "notice period"), n.Days(), app.T("天", "days"))
		fmt.Fprintf(tw, "%s\t%s\n", app.T("异议方式", "objections"), orDefault(n.Objection, app.T("（默认）向业主委员会书面提出", "(default) to the committee in writing")))
		fmt.Fprintf(tw, "%s\t%s\n", app.T("缴费截止日", "due day"), n.DueDate("2006-01")[8:])
		fmt.Fprintf(tw, "%s\t%s\n", app.T("缴费方式", "how to pay"), orDefault(n.PayChannels, "—"))
		fmt.Fprintf(tw, "%s\t%s\n", app.T("共管账户", "trust account"), orDefault(n.PayAccount, "—"))
		fmt.Fprintf(tw, "%s\t%s\n", app.T("物业服务中心电话", "office phone"), orDefault(n.OfficePhone, "—"))
		fmt.Fprintf(tw, "%s\t%s\n", app.T("物业服务中心地址", "office address"), orDefault(n.OfficeAddress, "—"))
		fmt.Fprintf(tw, "%s\t%s\n", app.T("凭证查阅", "voucher inspection"), orDefault(n.Inspection, "—"))
		fmt.Fprintf(tw, "%s\t%s\n", app.T("视为表决条款原文", "deemed-vote clause"), orDefault(n.DeemedRule, "—"))
		return tw.Flush()
	})
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}
