package storage

import (
	"context"

	"sunledger/app"
)

// The maintenance fund's (维修资金) statement for a year.

var _ app.MaintenanceService = MaintenanceService{}

// MaintenanceStatement is the maintenance fund's statement for a year.
func (db MaintenanceService) MaintenanceStatement(ctx context.Context, year int) (app.MaintenanceStatement, error) {
	var entries []app.Entry
	var exps []app.Expense
	var units []app.Unit
	var rules app.ExpenseRules
	err := db.view(func(tx *Tx) error {
		if err := tx.requireBook(); err != nil {
			return err
		}
		var err error
		if entries, err = tx.journalWhere(through(year), ":"+app.FundMaintenance.FundName()+":"); err != nil {
			return err
		}
		all, err := tx.expenses()
		if err != nil {
			return err
		}
		for _, e := range all {
			if e.Fund == app.FundMaintenance && e.Applied.Local().Year() <= year {
				exps = append(exps, e)
			}
		}
		if units, err = tx.units(); err != nil {
			return err
		}
		rules, err = tx.expenseRules()
		return err
	})
	if err != nil {
		return app.MaintenanceStatement{}, err
	}
	tallies := map[string]app.Tally{}
	var apps []app.MaintenanceApplication
	for _, e := range exps {
		t, ok := tallies[e.Vote]
		if !ok {
			if t, err = db.VoteService().Tally(ctx, e.Vote); err != nil && app.ErrorCode(err) != app.ENOTFOUND {
				return app.MaintenanceStatement{}, err
			}
			tallies[e.Vote] = t
		}
		passed, _ := app.MatterPassedIn(t, e.Matter)
		apps = append(apps, app.MaintenanceApplication{Expense: e, Passed: passed, Progress: app.MaintenanceProgress(e, passed, rules)})
	}
	return app.ComputeMaintenance(year, entries, apps, units), nil
}
