package main

import (
	"fmt"
	"strings"

	"github.com/shopspring/decimal"

	"sunledger/app"
)

// The property company's remuneration under the contract: its clause, optionally scaled
// by the quarterly assessment, and the monthly accruals
// (docs/remuneration.md).

func init() {
	register("remuneration contract", "(--percent P [--base collected|billed|expenses] | --fixed A) --from YYYY-MM [--bands 90:1,80:0.95,0:0.9]   "+app.T("登记物业合同的酬金条款：比例的基数默认为实收物业费（可按考核分数调整）", "record the contract's remuneration clause: a percentage of fees collected unless --base says otherwise (optionally scaled by the assessment score)"), remunerationContract)
	register("remuneration accrue", "--month YYYY-MM [--to YYYY-MM]   "+app.T("按月计提酬金并记账", "accrue each month's remuneration and post it"), remunerationAccrue)
	register("remuneration list", "[--json]   "+app.T("酬金条款、各月计提和已计提未支付的酬金", "the clause, the monthly accruals and the remuneration accrued but not paid"), remunerationList)
}

func remunerationContract(e *env, args []string) error {
	fs := newFlags("remuneration contract")
	percent := fs.String("percent", "", "percent of the base, e.g. 15")
	base := fs.String("base", "", "collected (default), billed or expenses")
	fixed := fs.String("fixed", "", "fixed amount a month")
	from := fs.String("from", "", "YYYY-MM")
	bands := fs.String("bands", "", "score:factor,... e.g. 90:1,80:0.95,0:0.9")
	as := asFlag(fs)
	why := whyFlag(fs)
	if err := parseStrict(fs, args, "from"); err != nil {
		return err
	}
	c := app.RemunerationContract{From: *from, Base: strings.ToLower(strings.TrimSpace(*base))}
	var err error
	switch {
	case *percent != "" && *fixed == "":
		c.Mode = app.RemunerationPercent
		if c.Percent, err = app.ParseNumber(*percent); err != nil {
			return err
		}
	case *fixed != "" && *percent == "":
		if c.Base != "" {
			return usageError("--base 只用于按比例计酬（--percent）", "--base goes with --percent")
		}
		c.Mode = app.RemunerationFixed
		if c.Monthly, err = app.ParseAmount(*fixed); err != nil {
			return err
		}
	default:
		return usageError("请给出 --percent 或 --fixed 之一", "give one of --percent or --fixed")
	}
	if *bands != "" {
		if c.Bands, err = app.ParseBands(*bands); err != nil {
			return err
		}
	}
	svc, err := e.services()
	if err != nil {
		return err
	}
	if err := svc.Remuneration.SetRemunerationContract(e.ctx, c, who(*as), *why); err != nil {
		return err
	}
	if c, err = svc.Remuneration.RemunerationContract(e.ctx); err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, app.T("已登记酬金条款：", "remuneration clause recorded: ")+describeContract(c))
	return nil
}

func describeContract(c app.RemunerationContract) string {
	s := app.T(fmt.Sprintf("自 %s 起，每月%s的 %s%%", c.From, app.RemunerationBaseLabel(c.Base), c.Percent.String()),
		fmt.Sprintf("from %s, %s%% of each month's %s", c.From, c.Percent.String(), app.RemunerationBaseLabel(c.Base)))
	if c.Mode == app.RemunerationFixed {
		s = fmt.Sprintf(app.T("自 %s 起，每月 %s", "from %s, %s a month"), c.From, app.FormatAmount(c.Monthly))
	}
	if len(c.Bands) > 0 {
		var parts []string
		for _, b := range c.Bands {
			parts = append(parts, fmt.Sprintf(app.T("≥%d 分 ×%s", "≥%d ×%s"), b.MinScore, b.Factor.String()))
		}
		s += app.T("；按季度考核得分调整：", "; scaled by the quarterly assessment: ") + strings.Join(parts, app.T("，", ", "))
	}
	return s
}

func remunerationAccrue(e *env, args []string) error {
	fs := newFlags("remuneration accrue")
	month := fs.String("month", "", "YYYY-MM")
	to := fs.String("to", "", "YYYY-MM")
	as := asFlag(fs)
	why := whyFlag(fs)
	svc, err := e.parseOpen(fs, args, "month")
	if err != nil {
		return err
	}
	acc, err := svc.Remuneration.AccrueRemuneration(e.ctx, *month, *to, who(*as), *why)
	if err != nil {
		return err
	}
	for _, a := range acc {
		fmt.Fprintf(e.stdout, app.T("%s 计提酬金 %s（基数 %s，按基础比例），凭证 #%d\n", "%s remuneration %s (base %s, at the base rate), entry #%d\n"), a.Month, app.FormatAmount(a.Amount), app.PlainAmount(a.Base), a.Entry)
	}
	done := map[string]bool{}
	for _, a := range acc {
		if q := app.QuarterOf(a.Month); !done[q] {
			done[q] = true
			tus, err := svc.Remuneration.TrueUps(e.ctx)
			if err != nil {
				return err
			}
			for _, t := range tus {
				if t.Quarter == q && t.Date == today(svc) {
					fmt.Fprintf(e.stdout, app.T("%s 酬金按考核得分 %s 的系数 %s 调整：%s × %s = %s，调整 %s（凭证 #%d）\n", "%s remuneration trued up (score %s, factor %s): %s × %s = %s, adjusted by %s (entry #%d)\n"),
						q, t.Score.StringFixed(2), t.Factor.String(), app.PlainAmount(t.Accrued), t.Factor.String(), app.PlainAmount(t.Due), app.PlainAmount(t.Amount), t.Entry)
				}
			}
		}
	}
	return nil
}

func remunerationList(e *env, args []string) error {
	fs := newFlags("remuneration list")
	asJSON := jsonFlag(fs)
	svc, err := e.parseOpen(fs, args)
	if err != nil {
		return err
	}
	c, cerr := svc.Remuneration.RemunerationContract(e.ctx)
	if cerr != nil && app.ErrorCode(cerr) != app.ENOTFOUND {
		return cerr
	}
	acc, err := svc.Remuneration.Accruals(e.ctx)
	if err != nil {
		return err
	}
	st, err := svc.Remuneration.RemunerationStatus(e.ctx)
	if err != nil {
		return err
	}
	owed, since := st.Owed, st.Since
	if *asJSON {
		type row struct {
			Month   string `json:"month"`
			Base    string `json:"base"`
			Quarter string `json:"quarter,omitempty"`
			Score   string `json:"score,omitempty"`
			Factor  string `json:"factor"`
			Amount  string `json:"amount"`
			Entry   int64  `json:"entry,omitempty"`
		}
		rows := []row{}
		for _, a := range acc {
			r := row{Month: a.Month, Base: app.PlainAmount(a.Base), Quarter: a.Quarter, Factor: a.Factor.String(), Amount: app.PlainAmount(a.Amount), Entry: a.Entry}
			if a.Quarter != "" {
				r.Score = a.Score.StringFixed(2)
			}
			rows = append(rows, r)
		}
		type qrow struct {
			Quarter  string `json:"quarter"`
			Base     string `json:"base"`
			Accrued  string `json:"accrued"`
			TrueUp   bool   `json:"trued_up"`
			Score    string `json:"score,omitempty"`
			Factor   string `json:"factor"`
			Adjusted string `json:"adjusted"`
			Due      string `json:"due"`
		}
		qrows := []qrow{}
		for _, q := range st.Quarters {
			r := qrow{Quarter: q.Quarter, Base: app.PlainAmount(q.Base), Accrued: app.PlainAmount(q.Accrued), TrueUp: q.TrueUp, Factor: q.Factor.String(), Adjusted: app.PlainAmount(q.Adjusted), Due: app.PlainAmount(q.Due)}
			if q.TrueUp {
				r.Score = q.Score.StringFixed(2)
			}
			qrows = append(qrows, r)
		}
		out := map[string]any{"accruals": rows, "quarters": qrows, "unpaid": app.PlainAmount(owed), "unpaid_since": since, "unpaid_months": st.AgeMonths}
		if cerr == nil {
			out["contract"] = c
		}
		return printJSON(e.stdout, out)
	}
	if cerr == nil {
		fmt.Fprintln(e.stdout, app.T("酬金条款：", "remuneration clause: ")+describeContract(c))
	}
	tw := newTable(e.stdout)
	fmt.Fprintln(tw, app.T("月份\t基数\t考核\t系数\t酬金\t凭证", "month\tbase\tassessment\tfactor\tamount\tentry"))
	total := decimal.Zero
	for _, a := range acc {
		q := ""
		if a.Quarter != "" {
			q = a.Quarter + " " + a.Score.StringFixed(2)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t#%d\n", a.Month, app.PlainAmount(a.Base), q, a.Factor.String(), app.PlainAmount(a.Amount), a.Entry)
		total = total.Add(a.Amount)
	}
	fmt.Fprintf(tw, "%s\t\t\t\t%s\t\n", app.T("合计", "total"), app.PlainAmount(total))
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(st.Quarters) > 0 {
		tw = newTable(e.stdout)
		fmt.Fprintln(tw, app.T("季度\t基数\t按基础比例\t考核得分\t系数\t调整\t应得酬金", "quarter\tbase\tat the base rate\tscore\tfactor\ttrue-up\tremuneration"))
		for _, q := range st.Quarters {
			score, adj := app.T("待考核", "not assessed"), ""
			if q.TrueUp {
				score, adj = q.Score.StringFixed(2), app.PlainAmount(q.Adjusted)
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", q.Quarter, app.PlainAmount(q.Base), app.PlainAmount(q.Accrued), score, q.Factor.String(), adj, app.PlainAmount(q.Due))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	if since != "" {
		fmt.Fprintf(e.stdout, app.T("⚠ 已计提未支付酬金 %s，最早自 %s 起未付（%d 个月）\n", "⚠ remuneration accrued and not paid: %s, the oldest unpaid month %s (%d months ago)\n"),
			app.FormatAmount(owed), since, st.AgeMonths)
	} else {
		fmt.Fprintln(e.stdout, app.T("已计提的酬金均已支付", "all remuneration accrued has been paid"))
	}
	return nil
}
