package main

import (
	"fmt"

	"sunledger/app"
)

// The owners' micro-fund (docs/microfund.md): `settlement run --microfund 30%` moves the
// share while settling; `microfund move` moves it for a year already settled (or again
// after the move was reversed with `ledger reverse`).

func init() {
	register("microfund move", "--year Y --share SHARE%   "+app.T("把已结算年度公共收益结余的一定比例转入业主微基金（记一张凭证）", "move a share of a settled year's public-income surplus to the owners' micro-fund (one journal entry)"), microfundMove)
	register("microfund base", "[--base surplus|income --why TEXT]   "+app.T("查看或设置微基金的转入基数：公共收益结余（默认）或公共收益收入", "show or set what the micro-fund's share is taken of: the public-income surplus (default) or the public income"), microfundBase)
	register("microfund show", "--year Y [--json]   "+app.T("该年度转入业主微基金的比例、金额和凭证", "the year's micro-fund share, amount and entry"), microfundShow)
}

// microFundJSON is the year's newest micro-fund decision as `--json` prints it.
type microFundJSON struct {
	Share    string `json:"share"` // percent, e.g. "30"
	Surplus  string `json:"surplus"`
	Base     string `json:"base"`             // surplus or income
	Income   string `json:"income,omitempty"` // the year's public income, when it is the base
	Amount   string `json:"amount"`
	Entry    int64  `json:"entry"`    // 0 when nothing moved
	Reversed int64  `json:"reversed"` // the reversing entry, 0 while it stands
	Date     string `json:"date"`
}

func microFundOf(s app.Settlement) *microFundJSON {
	m, ok := s.MicroFundDecision()
	if !ok {
		return nil
	}
	out := &microFundJSON{Share: m.Share.String(), Surplus: app.PlainAmount(m.Surplus), Base: app.MicroFundBaseSurplus, Amount: app.PlainAmount(m.Amount), Entry: m.Entry, Reversed: m.Reversed, Date: m.Date}
	if m.Base == app.MicroFundBaseIncome {
		out.Base, out.Income = m.Base, app.PlainAmount(m.Income)
	}
	return out
}

// printMicroFund prints the year's newest micro-fund decision under the settlement.
func printMicroFund(e *env, s app.Settlement) {
	m, ok := s.MicroFundDecision()
	if !ok {
		return
	}
	switch {
	case m.Entry == 0:
		fmt.Fprintf(e.stdout, app.T("业主微基金：比例 %s%%，公共收益本年无结余，未转入\n", "owners' micro-fund: share %s%%, no public-income surplus, nothing moved\n"), m.Share.String())
	case m.Reversed != 0:
		fmt.Fprintf(e.stdout, app.T("业主微基金：%s%% × %s = %s（凭证 #%d，已被凭证 #%d 冲销）\n", "owners' micro-fund: %s%% × %s = %s (entry #%d, reversed by #%d)\n"),
			m.Share.String(), app.PlainAmount(m.Surplus), app.PlainAmount(m.Amount), m.Entry, m.Reversed)
	case m.Base == app.MicroFundBaseIncome:
		fmt.Fprintf(e.stdout, app.T("业主微基金：公共收益收入 %[2]s 的 %[1]s%% = %[3]s（凭证 #%[4]d）\n", "owners' micro-fund: %[1]s%% of the public income %[2]s = %[3]s (entry #%[4]d)\n"),
			m.Share.String(), app.PlainAmount(m.Income), app.PlainAmount(m.Amount), m.Entry)
	default:
		fmt.Fprintf(e.stdout, app.T("业主微基金：公共收益结余 %[2]s 的 %[1]s%% = %[3]s（凭证 #%[4]d）\n", "owners' micro-fund: %[1]s%% of the public-income surplus %[2]s = %[3]s (entry #%[4]d)\n"),
			m.Share.String(), app.PlainAmount(m.Surplus), app.PlainAmount(m.Amount), m.Entry)
	}
}

func microfundMove(e *env, args []string) error {
	fs := newFlags("microfund move")
	year := yearFlag(fs)
	shareFlag := fs.String("share", "", "share of the surplus, e.g. 30%")
	as := asFlag(fs)
	why := whyFlag(fs)
	y, err := parseYear(fs, args, year)
	if err != nil {
		return err
	}
	if err := need("share", *shareFlag); err != nil {
		return err
	}
	share, err := app.ParseShare(*shareFlag)
	if err != nil {
		return err
	}
	svc, err := e.services()
	if err != nil {
		return err
	}
	s, err := svc.Settlements.MoveMicroFund(e.ctx, y, share, who(*as), *why)
	if err != nil {
		return err
	}
	printMicroFund(e, s)
	return nil
}

func microfundShow(e *env, args []string) error {
	fs := newFlags("microfund show")
	year := yearFlag(fs)
	asJSON := jsonFlag(fs)
	svc, y, err := e.parseYearOpen(fs, args, year)
	if err != nil {
		return err
	}
	s, err := svc.Settlements.Settlement(e.ctx, y)
	if err != nil {
		return err
	}
	return e.printResult(*asJSON, microFundOf(s), func() error {
		if _, ok := s.MicroFundDecision(); !ok {
			fmt.Fprintf(e.stdout, app.T("%d 年度没有转入业主微基金\n", "%d moved nothing to the owners' micro-fund\n"), y)
			return nil
		}
		printMicroFund(e, s)
		return nil
	})
}

func microfundBase(e *env, args []string) error {
	fs := newFlags("microfund base")
	base := fs.String("base", "", "surplus|income")
	as := asFlag(fs)
	why := whyFlag(fs)
	svc, err := e.parseOpen(fs, args)
	if err != nil {
		return err
	}
	if *base != "" {
		if err := svc.Settlements.SetMicroFundBase(e.ctx, *base, who(*as), *why); err != nil {
			return err
		}
	}
	b, err := svc.Settlements.MicroFundBase(e.ctx)
	if err != nil {
		return err
	}
	if b == app.MicroFundBaseIncome {
		fmt.Fprintln(e.stdout, app.T("业主微基金按当年公共收益收入的比例转入", "the micro-fund takes its share of the year's public income"))
	} else {
		fmt.Fprintln(e.stdout, app.T("业主微基金按当年公共收益结余的比例转入", "the micro-fund takes its share of the year's public-income surplus"))
	}
	return nil
}
