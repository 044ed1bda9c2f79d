package main

import (
	"errors"
	"fmt"
	"strings"
	"text/tabwriter"

	"sunledger/app"
)

func init() {
	register("fees price", "--kind KIND --price P --from YYYY-MM   "+app.T("设定某类房号每月每平方米的物业费单价", "monthly price per m² for a unit kind, from a month on"), feesPrice)
	register("fees prices", "[--json]   "+app.T("列出物业费单价", "list the fee prices"), feesPrices)
	register("fees bill", "--period YYYY-MM [--to YYYY-MM]   "+app.T("按月给每个房号开物业费账单（已开的月份跳过；中断后重新运行同一命令即可完成）", "bill every unit for each month of the range (billed months are skipped; after an interruption, run the same command again to finish)"), feesBill)
	register("fees pay", "--unit U --amount A [--date YYYY-MM-DD] [--method cash|bank|wechat|alipay] [--bills YYYY-MM,...] [--allow-large]   "+app.T("记录缴费并打印收据号（预交超过 24 个月物业费须加 --allow-large 确认）", "record a payment; prints the receipt number (prepaying more than 24 months' fees needs --allow-large)"), feesPay)
	register("fees arrears", "[--json]   "+app.T("欠费房号及账龄", "open bills per unit, with age"), feesArrears)
	register("fees collection", "--period YYYY-MM|YYYYQn|YYYY [--json]   "+app.T("收缴率（按金额和按户数）", "collection rate by amount and by households"), feesCollection)
	register("fees statement", "--unit U [--json]   "+app.T("一个房号的账单和缴费记录", "one unit's bills and payments"), feesStatement)
	register("fees late-fee", "--rate R [--grace DAYS]   "+app.T("设定合同约定的滞纳金日费率（0 表示不收）", "set the contract's daily late-fee rate (0 = none)"), feesLateFee)
}

func feesPrice(e *env, args []string) error {
	fs := newFlags("fees price")
	kind := fs.String("kind", "", "unit kind")
	price := fs.String("price", "", "元/m²·月")
	from := fs.String("from", "", "YYYY-MM")
	as := asFlag(fs)
	why := fs.String("why", "", "reason")
	if err := parseStrict(fs, args, "kind", "price", "from"); err != nil {
		return err
	}
	p, err := app.ParseRate(*price) // prices may have up to 4 decimals (1.275 元/m²·月)
	if err != nil {
		return unchanged(err, "单价没有改动", "the price was not changed")
	}
	k := app.CanonicalKind(*kind)
	svc, err := e.services()
	if err != nil {
		return err
	}
	fp := app.FeePrice{Kind: k, Price: p, From: strings.TrimSpace(*from)}
	if err := svc.Prices.SetPrice(e.ctx, fp, who(*as), *why); err != nil {
		return unchanged(err, "单价没有改动", "the price was not changed")
	}
	fmt.Fprintf(e.stdout, app.T("已设定 %s 物业费单价 %s 元/m²·月，自 %s 起\n", "price for %s set to %s per m² and month from %s\n"), app.KindLabel(k), p.String(), fp.From)
	return nil
}

func feesPrices(e *env, args []string) error {
	fs := newFlags("fees prices")
	asJSON := jsonFlag(fs)
	svc, err := e.parseOpen(fs, args)
	if err != nil {
		return err
	}
	ps, err := svc.Prices.Prices(e.ctx)
	if err != nil {
		return err
	}
	if *asJSON {
		type row struct {
			Kind  string `json:"kind"`
			Price string `json:"price"`
			From  string `json:"from"`
		}
		out := []row{}
		for _, p := range ps {
			out = append(out, row{string(p.Kind), p.Price.String(), p.From})
		}
		return printJSON(e.stdout, out)
	}
	for _, p := range ps {
		fmt.Fprintf(e.stdout, "%s\t%s\t%s\n", p.Kind, p.Price.String(), p.From)
	}
	return nil
}

func feesBill(e *env, args []string) error {
	fs := newFlags("fees bill")
	period := fs.String("period", "", "YYYY-MM")
	to := fs.String("to", "", "YYYY-MM")
	as := asFlag(fs)
	why := fs.String("why", "", "reason")
	svc, err := e.parseOpen(fs, args, "period")
	if err != nil {
		return err
	}
	runs, err := svc.Fees.Bill(e.ctx, strings.TrimSpace(*period), strings.TrimSpace(*to), who(*as), *why)
	for i := 0; i < len(runs); i++ {
		r := runs[i]
		if r.Skipped {
			j := i
			for j+1 < len(runs) && runs[j+1].Skipped && runs[j+1].Period == app.AddMonths(runs[j].Period, 1) {
				j++
			}
			fmt.Fprintln(e.stdout, app.T(app.MonthSpan(r.Period, runs[j].Period)+" 已开单，跳过", app.MonthSpan(r.Period, runs[j].Period)+" already billed, skipped"))
			i = j
			continue
		}
		fmt.Fprintf(e.stdout, app.T("%s：%d 户，合计 %s，凭证 #%d", "%s: %d units, total %s, entry #%d"), r.Period, r.Units, app.FormatAmount(r.Total), r.EntrySeq)
		if r.Resumed {
			fmt.Fprint(e.stdout, app.T("（补完了上次中断的开单）", " (finished the interrupted run)"))
		}
		fmt.Fprintln(e.stdout)
		for kind, n := range r.Unpriced {
			fmt.Fprintf(e.stderr, app.T("注意：%s 的“%s”类 %d 个房号没有单价，未开账单\n", "note: %[3]d units of kind %[2]q have no price for %[1]s and were not billed\n"), r.Period, app.KindLabel(kind), n)
		}
	}
	var np *app.NoPriceError
	var ae *app.Error
	if errors.As(err, &np) && errors.As(err, &ae) {
		// The domain's message names no command: the command line adds its own, on the
		// error's one line (docs/formats.md).
		return &app.Error{Code: ae.Code, Err: ae.Err,
			ZH: ae.ZH + fmt.Sprintf("（设定单价：sunledger-cli fees price --kind %s --price 单价 --from %s）", np.Kind, np.Month),
			EN: ae.EN + fmt.Sprintf(" (set it with: sunledger-cli fees price --kind %s --price P --from %s)", np.Kind, np.Month)}
	}
	return err
}

func feesPay(e *env, args []string) error {
	return unchanged(feesPayOnce(e, args), "没有记录缴费", "no payment was recorded")
}

func feesPayOnce(e *env, args []string) error {
	fs := newFlags("fees pay")
	unit := fs.String("unit", "", "unit id")
	amount := fs.String("amount", "", "amount")
	date := fs.String("date", "", "YYYY-MM-DD")
	method := fs.String("method", "bank", "cash|bank|wechat|alipay")
	bills := fs.String("bills", "", "months to pay, comma separated (default: oldest first)")
	payer := fs.String("payer", "", "who paid, if not the owner")
	allowLarge := fs.Bool("allow-large", false, "confirm a prepayment of more than 24 months' fees")
	as := asFlag(fs)
	why := whyFlag(fs)
	if err := parseStrict(fs, args, "unit", "amount"); err != nil {
		return err
	}
	amt, err := app.ParseAmount(*amount)
	if err != nil {
		return err
	}
	m, err := app.ParseMethod(*method)
	if err != nil {
		return err
	}
	req := app.PaymentRequest{Unit: strings.TrimSpace(*unit), Amount: amt, Date: strings.TrimSpace(*date), Method: m, Payer: *payer, AllowLarge: *allowLarge}
	for _, b := range strings.Split(*bills, ",") {
		if b = strings.TrimSpace(b); b != "" {
			req.Bills = append(req.Bills, b)
		}
	}
	if err := req.Validate(); err != nil {
		return err
	}
	svc, err := e.services()
	if err != nil {
		return err
	}
	p, err := svc.Fees.Pay(e.ctx, req, who(*as), *why)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, app.T("已收 %s（%s）%s，%s，%s\n", "received from %s (%s) %s, %s, %s\n"), p.Unit, p.Payer, app.FormatAmount(p.Amount), app.MethodLabel(p.Method), p.Date)
	for _, a := range p.Allocations {
		fmt.Fprintf(e.stdout, app.T("  冲抵 %s 物业费 %s\n", "  paid %s fee %s\n"), a.Period, app.FormatAmount(a.Amount))
	}
	if p.Credit.IsPositive() {
		fmt.Fprintf(e.stdout, app.T("  预交 %s（自动冲抵以后的账单）\n", "  prepaid %s (applied to later bills)\n"), app.FormatAmount(p.Credit))
	}
	fmt.Fprintf(e.stdout, app.T("凭证 #%d，收据号 %s\n", "entry #%d, receipt %s\n"), p.EntrySeq, p.Receipt)
	return nil
}

func feesArrears(e *env, args []string) error {
	fs := newFlags("fees arrears")
	asJSON := jsonFlag(fs)
	svc, err := e.parseOpen(fs, args)
	if err != nil {
		return err
	}
	rows, err := svc.Fees.Arrears(e.ctx)
	if err != nil {
		return err
	}
	if *asJSON {
		type row struct {
			Unit   string `json:"unit"`
			Owed   string `json:"owed"`
			Bills  int    `json:"bills"`
			Oldest string `json:"oldest"`
		}
		out := make([]row, 0, len(rows))
		for _, r := range rows {
			out = append(out, row{r.Unit, app.PlainAmount(r.Owed), r.Bills, r.Oldest})
		}
		return printJSON(e.stdout, out)
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', tabwriter.AlignRight)
	head := app.T("房号\t缴费人\t欠费\t账单数\t最早\t", "unit\tpayer\towed\tbills\toldest\t")
	for _, b := range app.AgeBuckets {
		head += b.Label + app.T("个月\t", " months\t")
	}
	fmt.Fprintln(tw, head)
	total := app.Arrears{}
	for _, r := range rows {
		line := fmt.Sprintf("%s\t%s\t%s\t%d\t%s\t", r.Unit, r.Payer, app.PlainAmount(r.Owed), r.Bills, r.Oldest)
		for i, a := range r.Ageing {
			line += app.PlainAmount(a) + "\t"
			total.Ageing[i] = total.Ageing[i].Add(a)
		}
		total.Owed = total.Owed.Add(r.Owed)
		total.Bills += r.Bills
		fmt.Fprintln(tw, line)
	}
	line := fmt.Sprintf(app.T("合计 %d 户\t\t%s\t%d\t\t", "total %d units\t\t%s\t%d\t\t"), len(rows), app.PlainAmount(total.Owed), total.Bills)
	for _, a := range total.Ageing {
		line += app.PlainAmount(a) + "\t"
	}
	fmt.Fprintln(tw, line)
	return tw.Flush()
}

func feesCollection(e *env, args []string) error {
	fs := newFlags("fees collection")
	period := fs.String("period", "", "YYYY-MM|YYYYQn|YYYY")
	asJSON := jsonFlag(fs)
	if err := parseStrict(fs, args, "period"); err != nil {
		return err
	}
	from, to, err := app.ParseCollectionPeriod(*period)
	if err != nil {
		return err
	}
	svc, err := e.services()
	if err != nil {
		return err
	}
	c, err := svc.Fees.Collection(e.ctx, from, to)
	if err != nil {
		return err
	}
	c.Period = strings.ToUpper(strings.TrimSpace(*period))
	return e.printResult(*asJSON, collectionJSON(c), func() error {
		fmt.Fprintf(e.stdout, app.T("期间 %s（%s 至 %s）\n", "period %s (%s to %s)\n"), c.Period, c.From, c.To)
		fmt.Fprintf(e.stdout, app.T("应收 %s，实收 %s，未收 %s，按金额收缴率 %s\n", "billed %s, received %s, outstanding %s, rate by amount %s\n"),
			app.FormatAmount(c.Billed), app.FormatAmount(c.Received), app.FormatAmount(c.Outstanding), app.Percent(c.RateByAmount()))
		fmt.Fprintf(e.stdout, app.T("应缴 %d 户，已缴清 %d 户，按户数收缴率 %s\n", "%d households billed, %d paid in full, rate by households %s\n"),
			c.HouseholdsBilled, c.HouseholdsPaid, app.Percent(c.RateByHouseholds()))
		return nil
	})
}

// collectionJSON is the `fees collection --json` object: amounts as 2-decimal strings,
// rates as decimal fractions with 4 decimals ("0.9123" = 91.23%).
func collectionJSON(c app.Collection) any {
	return struct {
		Period           string `json:"period"`
		From             string `json:"from"`
		To               string `json:"to"`
		Billed           string `json:"billed"`
		Received         string `json:"received"`
		Outstanding      string `json:"outstanding"`
		RateByAmount     string `json:"rate_by_amount"`
		HouseholdsBilled int    `json:"households_billed"`
		HouseholdsPaid   int    `json:"households_paid"`
		RateByHouseholds string `json:"rate_by_households"`
	}{c.Period, c.From, c.To, app.PlainAmount(c.Billed), app.PlainAmount(c.Received), app.PlainAmount(c.Outstanding),
		c.RateByAmount().StringFixed(4), c.HouseholdsBilled, c.HouseholdsPaid, c.RateByHouseholds().StringFixed(4)}
}

func feesStatement(e *env, args []string) error {
	fs := newFlags("fees statement")
	unit := fs.String("unit", "", "unit id")
	asJSON := jsonFlag(fs)
	svc, err := e.parseOpen(fs, args, "unit")
	if err != nil {
		return err
	}
	st, err := svc.Fees.Statement(e.ctx, strings.TrimSpace(*unit))
	if err != nil {
		return err
	}
	due := map[string]string{}
	for _, b := range st.Account.Open {
		due[b.Period] = app.PlainAmount(b.Due)
	}
	if *asJSON {
		type bill struct {
			Period string `json:"period"`
			Amount string `json:"amount"`
			Due    string `json:"due"`
		}
		type pay struct {
			Receipt string `json:"receipt"`
			Date    string `json:"date"`
			Amount  string `json:"amount"`
			Method  string `json:"method"`
		}
		out := struct {
			Unit   string `json:"unit"`
			Owed   string `json:"owed"`
			Credit string `json:"credit"`
			Bills  []bill `json:"bills"`
			Pays   []pay  `json:"payments"`
		}{Unit: st.Unit.ID, Owed: app.PlainAmount(st.Account.Owed()), Credit: app.PlainAmount(st.Account.Credit), Bills: []bill{}, Pays: []pay{}}
		for _, b := range st.Bills {
			d := due[b.Period]
			if d == "" {
				d = "0.00"
			}
			out.Bills = append(out.Bills, bill{b.Period, app.PlainAmount(b.Amount), d})
		}
		for _, p := range st.Payments {
			out.Pays = append(out.Pays, pay{p.Receipt, p.Date, app.PlainAmount(p.Amount), string(p.Method)})
		}
		return printJSON(e.stdout, out)
	}
	fmt.Fprintf(e.stdout, app.T("房号 %s %s，欠费 %s，预交 %s\n", "unit %s %s, owes %s, prepaid %s\n"), st.Unit.ID, st.Unit.OwnerName, app.FormatAmount(st.Account.Owed()), app.FormatAmount(st.Account.Credit))
	for _, b := range st.Bills {
		fmt.Fprintf(e.stdout, "  %s\t%s\t%s\n", b.Period, app.PlainAmount(b.Amount), due[b.Period])
	}
	for _, p := range st.Payments {
		fmt.Fprintf(e.stdout, "  %s\t%s\t%s\t%s\n", p.Receipt, p.Date, app.PlainAmount(p.Amount), app.MethodLabel(p.Method))
	}
	return nil
}

func feesLateFee(e *env, args []string) error {
	fs := newFlags("fees late-fee")
	rate := fs.String("rate", "", "daily rate, e.g. 0.0003")
	grace := fs.Int("grace", 0, "grace days after the month")
	as := asFlag(fs)
	why := fs.String("why", "", "reason (the contract clause)")
	if err := parseStrict(fs, args, "rate"); err != nil {
		return err
	}
	r, err := app.ParseRate(*rate)
	if err != nil {
		return err
	}
	svc, err := e.services()
	if err != nil {
		return err
	}
	if err := svc.Prices.SetLateFeeRule(e.ctx, app.LateFeeRule{DailyRate: r, GraceDays: *grace}, who(*as), *why); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, app.T("滞纳金日费率 %s，宽限 %d 天\n", "late fee %s per day after %d days' grace\n"), r.String(), *grace)
	return nil
}
