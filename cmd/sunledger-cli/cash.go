package main

import (
	"fmt"
	"strings"

	"github.com/shopspring/decimal"

	"sunledger/app"
)

func init() {
	register("ledger deposit", "--fund service|public|maintenance --amount A --slip NO [--date YYYY-MM-DD]   "+app.T("库存现金存入银行（凭银行缴款单号）", "take a fund's cash to the bank (with the bank's deposit slip number)"), ledgerDeposit)
	register("ledger cash-limit", "[--fund F --amount A] [--days N]   "+app.T("设定各资金库存现金限额（0 取消）和现金收款应在几天内存入银行（0 不检查）；不带参数时显示限额和警告", "set a fund's cash-on-hand limit (0 removes it) and within how many days cash received should be banked (0: not checked); without flags, show them and any warning"), ledgerCashLimit)
}

// parseFundAmount reads --fund and --amount (as app.ParseFund and app.ParseAmount do).
func parseFundAmount(fund, amount string) (app.Fund, decimal.Decimal, error) {
	f, err := app.ParseFund(fund)
	if err != nil {
		return "", decimal.Zero, err
	}
	amt, err := app.ParseAmount(amount)
	return f, amt, err
}

func ledgerDeposit(e *env, args []string) error {
	fs := newFlags("ledger deposit")
	fund := fs.String("fund", "", "service|public|maintenance")
	amount := fs.String("amount", "", "amount")
	slip := fs.String("slip", "", "deposit slip number")
	date := fs.String("date", "", "YYYY-MM-DD (default today)")
	as := asFlag(fs)
	why := whyFlag(fs)
	if err := parseStrict(fs, args, "fund", "amount", "slip"); err != nil {
		return err
	}
	f, amt, err := parseFundAmount(*fund, *amount)
	if err != nil {
		return err
	}
	d := app.CashDeposit{Fund: f, Amount: amt, Slip: *slip, Date: strings.TrimSpace(*date)}
	if err := d.Validate(); err != nil {
		return err
	}
	svc, err := e.services()
	if err != nil {
		return err
	}
	d, err = svc.Cash.DepositCash(e.ctx, d, who(*as), *why)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, app.T("%s现金 %s 已存入银行（缴款单 %s，%s）\n凭证号 %d\n", "%s: %s cash deposited (slip %s, %s)\nentry %d\n"),
		f.Label(), app.FormatAmount(d.Amount), d.Slip, d.Date, d.Entry)
	return nil
}

func ledgerCashLimit(e *env, args []string) error {
	fs := newFlags("ledger cash-limit")
	fund := fs.String("fund", "", "service|public|maintenance")
	amount := fs.String("amount", "", "limit (0 removes it)")
	days := fs.Int("days", -1, "cash received should be banked within this many days (0: not checked)")
	as := asFlag(fs)
	why := whyFlag(fs)
	svc, err := e.parseOpen(fs, args)
	if err != nil {
		return err
	}
	if *days >= 0 {
		if err := svc.Cash.SetCashDays(e.ctx, *days, who(*as), *why); err != nil {
			return err
		}
	}
	if *fund != "" || *amount != "" {
		if err := needFlags(fs, "fund", "amount"); err != nil {
			return err
		}
		f, err := app.ParseFund(*fund)
		if err != nil {
			return err
		}
		lim := decimal.Zero
		if strings.TrimSpace(*amount) != "0" {
			if lim, err = app.ParseAmount(*amount); err != nil {
				return err
			}
		}
		if err := svc.Cash.SetCashLimit(e.ctx, f, lim, who(*as), *why); err != nil {
			return err
		}
	}
	limits, err := svc.Cash.CashLimits(e.ctx)
	if err != nil {
		return err
	}
	bals, err := svc.Ledger.Balances(e.ctx)
	if err != nil {
		return err
	}
	over := map[app.Fund]app.CashWarning{}
	for _, w := range app.CashWarnings(bals, limits) {
		over[w.Fund] = w
	}
	for _, f := range app.Funds {
		lim, ok := limits[f]
		if !ok {
			continue
		}
		line := fmt.Sprintf(app.T("%s 库存现金限额 %s", "%s cash limit %s"), f.Label(), app.FormatAmount(lim))
		if w, bad := over[f]; bad {
			line += fmt.Sprintf(app.T("，现有 %s，超出 %s，请尽快存入银行", "; holds %s, %s over: take it to the bank"), app.FormatAmount(w.Cash), app.FormatAmount(w.Cash.Sub(w.Limit)))
		}
		fmt.Fprintln(e.stdout, line)
	}
	if len(limits) == 0 {
		fmt.Fprintln(e.stdout, app.T("没有设定库存现金限额", "no cash limits are set"))
	}
	n, err := svc.Cash.CashDays(e.ctx)
	if err != nil {
		return err
	}
	if n > 0 {
		fmt.Fprintf(e.stdout, app.T("现金收款应在 %d 天内存入银行\n", "cash received should be banked within %d days\n"), n)
		ws, err := app.CashBoxWarnings(e.ctx, svc, svc.Now().Local().Format(app.DateLayout), 0)
		if err != nil {
			return err
		}
		for _, w := range ws {
			fmt.Fprintln(e.stdout, app.T("警告：", "warning: ")+w)
		}
	}
	return nil
}
