package main

import (
	"fmt"

	"sunledger/app"
)

// The maintenance fund's year: balance, usage applications and per-building shares, and
// its notice.

func init() {
	register("maintenance show", "--year Y [--json]   "+app.T("维修资金收支、使用申请进度和各楼栋分摊", "the maintenance fund: balance, usage applications, per-building shares"), maintenanceShow)
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
