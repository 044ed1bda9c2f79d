package main

import (
	"fmt"
	"strings"

	"github.com/shopspring/decimal"

	"sunledger/app"
)

// The year's settlement (统结统算): run it and lock the year, or show it (a preview while
// the year is open), and its notice.

func init() {
	register("settlement run", "--year Y [--microfund SHARE%]   "+app.T("年度统结统算并锁定该年（可同时把公共收益结余的一定比例转入业主微基金）", "settle the year and lock it (optionally moving a share of the public-income surplus to the owners' micro-fund)"), settlementRun)
	register("settlement audit", "--year Y --by AUDITOR --report NO [--date YYYY-MM-DD] [--opinion TEXT]   "+app.T("登记已结算年度的审计（审计单位、报告文号），统结统算公示上印出", "record an audit of a settled year (who audited it, the report's number), printed on the settlement notice"), settlementAudit)
	register("settlement show", "--year Y [--json]   "+app.T("年度统结统算（未结算时为预览）", "the year's settlement (a preview if not settled)"), settlementShow)
}

func settlementRun(e *env, args []string) error {
	fs := newFlags("settlement run")
	year := yearFlag(fs)
	as := asFlag(fs)
	why := whyFlag(fs)
	micro := fs.String("microfund", "", "share of the public-income surplus moved to the micro-fund, e.g. 30%")
	y, err := parseYear(fs, args, year)
	if err != nil {
		return err
	}
	var share decimal.Decimal
	if *micro != "" {
		if share, err = app.ParseShare(*micro); err != nil {
			return err
		}
	}
	svc, err := e.services()
	if err != nil {
		return err
	}
	var s app.Settlement
	if *micro != "" {
		s, err = svc.Settlements.SettleWithMicroFund(e.ctx, y, share, who(*as), *why)
	} else {
		s, err = svc.Settlements.Settle(e.ctx, y, who(*as), *why)
	}
	if err != nil {
		return err
	}
	printSettlement(e, s, false)
	fmt.Fprintf(e.stdout, app.T("%d 年度已统结统算，账期已锁定至 %d-12\n", "the year %d is settled; the books are locked through %d-12\n"), y, y)
	return nil
}

func settlementAudit(e *env, args []string) error {
	fs := newFlags("settlement audit")
	year := yearFlag(fs)
	by := fs.String("by", "", "who audited the year (an accounting firm, the street office)")
	report := fs.String("report", "", "the audit report's number")
	date := fs.String("date", "", "YYYY-MM-DD of the report (default today)")
	opinion := fs.String("opinion", "", "the audit's opinion, in a few words")
	as := asFlag(fs)
	why := whyFlag(fs)
	y, err := parseYear(fs, args, year)
	if err != nil {
		return err
	}
	svc, err := e.services()
	if err != nil {
		return err
	}
	d := strings.TrimSpace(*date)
	if d == "" {
		d = svc.Now().Format(app.DateLayout)
	}
	a := app.SettlementAudit{Auditor: strings.TrimSpace(*by), Report: strings.TrimSpace(*report), Date: d, Opinion: strings.TrimSpace(*opinion)}
	if _, err := svc.Settlements.RecordAudit(e.ctx, y, a, who(*as), *why); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, app.T("已登记 %d 年度审计：%s，报告 %s（%s）\n", "recorded the audit of %d: %s, report %s (%s)\n"), y, a.Auditor, a.Report, a.Date)
	return nil
}

func settlementShow(e *env, args []string) error {
	fs := newFlags("settlement show")
	year := yearFlag(fs)
	asJSON := jsonFlag(fs)
	y, err := parseYear(fs, args, year)
	if err != nil {
		return err
	}
	s, preview, err := loadSettlement(e, y)
	if err != nil {
		return err
	}
	return e.printResult(*asJSON, settlementJSON(s, preview), func() error { printSettlement(e, s, preview); return nil })
}

// loadSettlement returns the recorded settlement, or a preview if the year is not settled.
func loadSettlement(e *env, y int) (app.Settlement, bool, error) {
	svc, err := e.services()
	if err != nil {
		return app.Settlement{}, false, err
	}
	return app.SettlementOrPreview(e.ctx, svc.Settlements, y)
}

func settlementJSON(s app.Settlement, preview bool) any {
	type line struct {
		Account string `json:"account"`
		Amount  string `json:"amount"`
	}
	type fund struct {
		Fund         string `json:"fund"`
		Opening      string `json:"opening"`
		Income       []line `json:"income"`
		IncomeTotal  string `json:"income_total"`
		Expenses     []line `json:"expenses"`
		ExpenseTotal string `json:"expense_total"`
		Remuneration string `json:"remuneration"`
		Surplus      string `json:"surplus"`
		Closing      string `json:"closing"`
	}
	out := struct {
		Year      int            `json:"year"`
		Settled   bool           `json:"settled"`
		Funds     []fund         `json:"funds"`
		Unpaid    []string       `json:"unpaid"`
		Head      string         `json:"head"`
		MicroFund *microFundJSON `json:"micro_fund"`
		// Audits are the recorded audits of the year, oldest first (settlement audit).
		Audits []app.SettlementAudit `json:"audits"`
	}{Year: s.Year, Settled: !preview, Unpaid: s.Unpaid, Head: s.Head, MicroFund: microFundOf(s), Audits: s.Audits}
	if out.Audits == nil {
		out.Audits = []app.SettlementAudit{}
	}
	if out.Unpaid == nil {
		out.Unpaid = []string{}
	}
	lines := func(ls []app.SettlementLine) []line {
		r := []line{}
		for _, l := range ls {
			r = append(r, line{l.Account, app.PlainAmount(l.Amount)})
		}
		return r
	}
	for _, f := range s.Funds {
		out.Funds = append(out.Funds, fund{Fund: string(f.Fund), Opening: app.PlainAmount(f.Opening), Income: lines(f.Income), IncomeTotal: app.PlainAmount(f.IncomeTotal),
			Expenses: lines(f.Expenses), ExpenseTotal: app.PlainAmount(f.ExpenseTotal), Remuneration: app.PlainAmount(f.Remuneration),
			Surplus: app.PlainAmount(f.Surplus), Closing: app.PlainAmount(f.Closing)})
	}
	return out
}

func printSettlement(e *env, s app.Settlement, preview bool) {
	w := e.stdout
	if preview {
		fmt.Fprintf(w, app.T("%d 年度统结统算（预览，尚未结算）\n", "settlement %d (preview, not settled yet)\n"), s.Year)
	} else {
		fmt.Fprintf(w, app.T("%d 年度统结统算（%s 由 %s 结算）\n", "settlement %d (settled %s by %s)\n"), s.Year, s.SettledAt.Local().Format(app.DateLayout), s.SettledBy)
	}
	tw := newTable(w)
	for _, f := range s.Funds {
		fmt.Fprintf(tw, "%s\t\n", f.Fund.Label())
		fmt.Fprintf(tw, "  %s\t%s\n", app.T("期初结余", "opening"), app.PlainAmount(f.Opening))
		for _, l := range f.Income {
			fmt.Fprintf(tw, "  %s %s\t%s\n", app.T("收入", "income"), l.Name, app.PlainAmount(l.Amount))
		}
		for _, l := range f.Expenses {
			fmt.Fprintf(tw, "  %s %s\t%s\n", app.T("支出", "expense"), l.Name, app.PlainAmount(l.Amount))
		}
		fmt.Fprintf(tw, "  %s\t%s\n", app.T("本年结余（负数为亏损）", "surplus (negative = deficit)"), app.PlainAmount(f.Surplus))
		fmt.Fprintf(tw, "  %s\t%s\n", app.T("期末结余（结转下年，归全体业主）", "closing, carried forward for the owners"), app.PlainAmount(f.Closing))
	}
	tw.Flush()
	printMicroFund(e, s)
	if a, ok := s.Audit(); ok {
		fmt.Fprintf(w, app.T("审计：%s，报告 %s（%s）%s\n", "audit: %s, report %s (%s) %s\n"), a.Auditor, a.Report, a.Date, a.Opinion)
	}
	if len(s.Unpaid) > 0 {
		fmt.Fprintf(w, app.T("已审批未支付的申请：%s\n", "approved but unpaid requests: %s\n"), strings.Join(s.Unpaid, " "))
	}
}
