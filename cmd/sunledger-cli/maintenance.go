package main

import (
	"fmt"
	"strings"

	"github.com/shopspring/decimal"

	"sunledger/app"
	"sunledger/sheet"
)

// The maintenance fund's year: balance, usage applications and per-building shares, and
// its notice.

func init() {
	register("maintenance show", "--year Y [--json]   "+app.T("维修资金收支、使用申请进度和各楼栋分摊", "the maintenance fund: balance, usage applications, per-building shares"), maintenanceShow)
	register("maintenance opening", "FILE [--date YYYY-MM-DD]   "+app.T("导入维修资金分户账期初余额（房号,金额[,首期交存额]；全部或全不；记一张凭证）", "import each unit's opening balance in the maintenance fund (unit,amount[,first_deposit]; all or nothing; one journal entry)"), maintenanceOpening)
	register("maintenance ledger", "[--unit U] [--json]   "+app.T("维修资金分户账：各户余额、首期交存额、是否低于首期交存额的 30%", "the maintenance fund's per-unit sub-ledger: balance, first deposit, below 30 % of it"), maintenanceLedger)
}

func maintenanceOpening(e *env, args []string) error {
	return unchanged(maintenanceOpeningOnce(e, args), "没有导入任何期初余额", "no opening balance was imported")
}

func maintenanceOpeningOnce(e *env, args []string) error {
	fs := newFlags("maintenance opening")
	date := fs.String("date", "", "YYYY-MM-DD of the opening balances (default today)")
	as := asFlag(fs)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageError("用法：maintenance opening 文件", "usage: maintenance opening FILE")
	}
	rows, err := sheet.Read(pos[0])
	if err != nil {
		return err
	}
	lines, err := app.ParseOpeningRows(rows)
	if err != nil {
		return err
	}
	svc, err := e.services()
	if err != nil {
		return err
	}
	o, err := svc.Maintenance.OpenFundLedger(e.ctx, app.FundOpening{Date: strings.TrimSpace(*date), Lines: lines}, who(*as))
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, app.T("已导入 %d 户维修资金期初余额，合计 %s，%s，凭证 #%d\n", "imported the opening balances of %d units, %s in all, on %s, entry #%d\n"),
		len(o.Lines), app.FormatAmount(o.Total()), o.Date, o.Seq)
	return nil
}

// fundLedgerJSON is one unit's line of `maintenance ledger --json` (docs/formats.md).
type fundLedgerJSON struct {
	Unit         string         `json:"unit"`
	Balance      string         `json:"balance"`
	FirstDeposit string         `json:"first_deposit"`
	Below30      bool           `json:"below_30pct"`
	Movements    []fundMoveJSON `json:"movements,omitempty"`
}

type fundMoveJSON struct {
	Entry   int64  `json:"entry"`
	Date    string `json:"date"`
	Kind    string `json:"kind"`
	Amount  string `json:"amount"`
	Balance string `json:"balance"`
	Note    string `json:"note,omitempty"`
}

func maintenanceLedger(e *env, args []string) error {
	fs := newFlags("maintenance ledger")
	unit := fs.String("unit", "", "one unit, with its movements")
	asJSON := jsonFlag(fs)
	svc, err := e.parseOpen(fs, args)
	if err != nil {
		return err
	}
	us, err := svc.Maintenance.FundLedger(e.ctx, app.NormalizeUnitID(*unit))
	if err != nil {
		return err
	}
	if *asJSON {
		out := make([]fundLedgerJSON, 0, len(us))
		for _, u := range us {
			j := fundLedgerJSON{Unit: u.Unit, Balance: app.PlainAmount(u.Balance), FirstDeposit: app.PlainAmount(u.FirstDeposit), Below30: u.Below30}
			for _, m := range u.Moves {
				j.Movements = append(j.Movements, fundMoveJSON{m.Seq, m.Date, m.Kind, app.PlainAmount(m.Amount), app.PlainAmount(m.Balance), m.Note})
			}
			out = append(out, j)
		}
		return printJSON(e.stdout, out)
	}
	w := e.stdout
	if *unit != "" && len(us) == 1 {
		u := us[0]
		fmt.Fprintf(w, app.T("房号 %s（%s m²）维修资金分户账\n", "unit %s (%s m²): maintenance fund sub-ledger\n"), u.Unit, u.Area.StringFixed(2))
		tw := newTable(w)
		fmt.Fprintln(tw, app.T("日期\t凭证\t摘要\t金额\t余额", "date\tentry\tmovement\tamount\tbalance"))
		for _, m := range u.Moves {
			fmt.Fprintf(tw, "%s\t#%d\t%s %s\t%s\t%s\n", m.Date, m.Seq, app.MoveLabel(m.Kind), m.Note, app.PlainAmount(m.Amount), app.PlainAmount(m.Balance))
		}
		tw.Flush()
		fmt.Fprintf(w, app.T("余额 %s；首期交存额 %s；30%% 为 %s%s\n", "balance %s; first deposit %s; 30%% of it %s%s\n"), app.FormatAmount(u.Balance), app.FormatAmount(u.FirstDeposit), app.FormatAmount(u.TopUpFloor()),
			topUpNote(u))
		return nil
	}
	tw := newTable(w)
	fmt.Fprintln(tw, app.T("房号\t面积\t余额\t首期交存额\t须续交", "unit\tarea\tbalance\tfirst deposit\tto top up"))
	var total decimal.Decimal
	below := 0
	for _, u := range us {
		total = total.Add(u.Balance)
		if u.Below30 {
			below++
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", u.Unit, u.Area.StringFixed(2), app.PlainAmount(u.Balance), app.PlainAmount(u.FirstDeposit), yesNoEmpty(u.Below30))
	}
	tw.Flush()
	fmt.Fprintf(w, app.T("共 %d 户，余额合计 %s；低于首期交存额 30%% 须续交 %d 户\n", "%d units, balances %s in all; %d below 30%% of their first deposit must top up\n"), len(us), app.FormatAmount(total), below)
	return nil
}

func topUpNote(u app.UnitFund) string {
	if u.Below30 {
		return app.T("；余额低于首期交存额的 30%，须续交（《住宅专项维修资金管理办法》第十七条）", "; below 30% of the first deposit: the owner must top up (维修资金管理办法 art. 17)")
	}
	return ""
}

func yesNoEmpty(b bool) string {
	if b {
		return app.T("是", "yes")
	}
	return ""
}

func maintenanceShow(e *env, args []string) error {
	fs := newFlags("maintenance show")
	year := yearFlag(fs)
	asJSON := jsonFlag(fs)
	svc, y, err := e.parseYearOpen(fs, args, year)
	if err != nil {
		return err
	}
	s, err := svc.Maintenance.MaintenanceStatement(e.ctx, y)
	if err != nil {
		return err
	}
	if *asJSON {
		type application struct {
			ID       string `json:"id"`
			Payee    string `json:"payee"`
			Amount   string `json:"amount"`
			Vote     string `json:"vote"`
			Matter   int    `json:"matter"`
			Passed   bool   `json:"passed"`
			Progress string `json:"progress"`
			Building string `json:"building,omitempty"`
		}
		type share struct {
			Building string `json:"building"`
			Area     string `json:"area"`
			Repairs  string `json:"repairs"`
			Share    string `json:"share"`
		}
		out := struct {
			Year         int           `json:"year"`
			Opening      string        `json:"opening"`
			Deposits     string        `json:"deposits"`
			Interest     string        `json:"interest"`
			OtherIncome  string        `json:"other_income"`
			Repairs      string        `json:"repairs"`
			Closing      string        `json:"closing"`
			Applications []application `json:"applications"`
			Shares       []share       `json:"shares"`
		}{Year: y, Opening: app.PlainAmount(s.Opening), Deposits: app.PlainAmount(s.Deposits), Interest: app.PlainAmount(s.Interest),
			OtherIncome: app.PlainAmount(s.OtherIncome), Repairs: app.PlainAmount(s.Repairs), Closing: app.PlainAmount(s.Closing), Applications: []application{}, Shares: []share{}}
		for _, a := range s.Applications {
			x := a.Expense
			out.Applications = append(out.Applications, application{x.ID, x.Payee, app.PlainAmount(x.Amount), x.Vote, x.Matter, a.Passed, a.Progress, x.Building})
		}
		for _, sh := range s.Shares {
			out.Shares = append(out.Shares, share{sh.Building, sh.Area.StringFixed(2), app.PlainAmount(sh.Repairs), app.PlainAmount(sh.Share)})
		}
		return printJSON(e.stdout, out)
	}
	w := e.stdout
	fmt.Fprintf(w, app.T("%d 年度维修资金\n期初余额 %s\n缴存 %s\n利息及增值收益 %s\n其他收入 %s\n维修支出 %s\n期末余额 %s\n", "maintenance fund %d\nopening %s\ndeposits %s\ninterest %s\nother income %s\nrepairs %s\nclosing %s\n"),
		y, app.PlainAmount(s.Opening), app.PlainAmount(s.Deposits), app.PlainAmount(s.Interest), app.PlainAmount(s.OtherIncome), app.PlainAmount(s.Repairs), app.PlainAmount(s.Closing))
	for _, a := range s.Applications {
		x := a.Expense
		fmt.Fprintf(w, "%s  %s  %s  %s %s#%d  %s\n", x.ID, x.Payee, app.PlainAmount(x.Amount), app.T("表决", "vote"), x.Vote, x.Matter, app.ProgressLabel(a.Progress))
	}
	return nil
}
