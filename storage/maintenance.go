package storage

import (
	"context"
	"fmt"

	"sunledger/app"
)

// The maintenance fund's (维修资金) statement for a year.

var _ app.MaintenanceService = MaintenanceService{}

// MaintenanceStatement is the maintenance fund's statement for a year.
func (s MaintenanceService) MaintenanceStatement(ctx context.Context, year int) (app.MaintenanceStatement, error) {
	var entries []app.Entry
	var exps []app.Expense
	var units []app.Unit
	var rules app.ExpenseRules
	var ledger []app.UnitFund
	scopes := map[string][]string{}
	err := s.db.view(func(tx *Tx) error {
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
				if scopes[e.ID], err = tx.expenseScope(e); err != nil {
					return err
				}
			}
		}
		if ledger, err = tx.fundLedgerThrough(through(year), "*"); err != nil {
			return err
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
			if t, err = s.db.voteService().Tally(ctx, e.Vote); err != nil && app.ErrorCode(err) != app.ENOTFOUND {
				return app.MaintenanceStatement{}, err
			}
			tallies[e.Vote] = t
		}
		passed, _ := app.MatterPassedIn(t, e.Matter)
		apps = append(apps, app.MaintenanceApplication{Expense: e, Passed: passed, Progress: app.MaintenanceProgress(e, passed, rules), Scope: scopes[e.ID]})
	}
	st := app.ComputeMaintenance(year, entries, apps, units)
	st.SetUnits(ledger)
	return st, nil
}

// OpenFundLedger posts the units' opening balances in the maintenance fund as one
// journal entry (the fund's bank account against its opening equity) and keeps the
// lines, all or nothing; refused once the fund has any movement.
func (s MaintenanceService) OpenFundLedger(ctx context.Context, o app.FundOpening, who string) (app.FundOpening, error) {
	if len(o.Lines) == 0 {
		return o, app.Errorf(app.EINVALID, "期初余额文件里没有房号；没有记账", "the opening file lists no units; nothing was booked")
	}
	err := s.db.update(func(tx *Tx) error {
		if err := tx.requireBook(); err != nil {
			return err
		}
		if o.Date == "" {
			o.Date = tx.today()
		}
		if err := app.ValidDate(o.Date); err != nil {
			return err
		}
		if err := tx.checkAhead(o.Date); err != nil {
			return err
		}
		if ok, err := tx.has(keyFundOpening); err != nil {
			return err
		} else if ok {
			return app.Errorf(app.ECONFLICT, "维修资金分户账已有期初余额；没有记账", "the maintenance fund's sub-ledger already has its opening balances; nothing was booked")
		}
		moved, err := tx.fundEntries()
		if err != nil {
			return err
		}
		for _, e := range moved {
			if fundDelta(e) != 0 {
				return app.Errorf(app.ECONFLICT, "维修资金已有收支（凭证 #%d %s %s），分户账已经开始，不能再导入期初余额；没有记账",
					"the maintenance fund already has movements (entry #%d %s %s): its sub-ledger has begun and opening balances can no longer be imported; nothing was booked", e.Seq, e.Date, e.Description)
			}
		}
		known := map[string]bool{}
		units, err := tx.units()
		if err != nil {
			return err
		}
		for _, u := range units {
			known[u.ID] = true
		}
		seen := map[string]bool{}
		for _, l := range o.Lines {
			if !known[l.Unit] {
				return app.Errorf(app.EINVALID, "登记册里没有房号 %s；没有记账", "the register has no unit %s; nothing was booked", l.Unit)
			}
			if seen[l.Unit] {
				return app.Errorf(app.EINVALID, "房号 %s 出现了两次；没有记账", "unit %s appears twice; nothing was booked", l.Unit)
			}
			seen[l.Unit] = true
		}
		if !o.Total().IsPositive() {
			return app.Errorf(app.EINVALID, "期初余额合计为 0；没有记账", "the opening balances add up to 0; nothing was booked")
		}
		e, err := tx.postEntry(o.Entry(), who)
		if err != nil {
			return err
		}
		o.Seq = e.Seq
		if err := tx.put(keyFundOpening, o); err != nil {
			return err
		}
		return tx.audit(who, "maintenance.opening", fmt.Sprintf("#%d %s: %d units, %s", e.Seq, o.Date, len(o.Lines), app.PlainAmount(o.Total())), "")
	})
	return o, err
}

// fundDelta is what an entry moves in or out of the maintenance fund's money.
func fundDelta(e app.Entry) int64 {
	var d int64
	for _, p := range e.Postings {
		if p.Account == app.BankAccount(app.FundMaintenance) || p.Account == app.CashAccount(app.FundMaintenance) {
			d += p.Amount.Shift(2).IntPart()
		}
	}
	return d
}

// fundEntries are the journal entries that name the maintenance fund.
func (tx *Tx) fundEntries() ([]app.Entry, error) {
	return tx.journalWhere(nil, ":"+app.FundMaintenance.FundName()+":")
}

// FundLedger is every unit's sub-ledger, or one unit's with its movements.
func (s MaintenanceService) FundLedger(ctx context.Context, unit string) ([]app.UnitFund, error) {
	var out []app.UnitFund
	err := s.db.view(func(tx *Tx) error {
		var err error
		out, err = tx.fundLedger(unit)
		return err
	})
	return out, err
}

// fundLedger computes the sub-ledger in the current transaction (unit: keep only that
// unit, with its movements; "" all, without).
func (tx *Tx) fundLedger(unit string) ([]app.UnitFund, error) {
	return tx.fundLedgerThrough(nil, unit)
}

// fundLedgerThrough is fundLedger over the entries whose date keep accepts (nil: all).
func (tx *Tx) fundLedgerThrough(keep func(string) bool, unit string) ([]app.UnitFund, error) {
	if err := tx.requireBook(); err != nil {
		return nil, err
	}
	in := app.FundLedgerInput{Scopes: map[string][]string{}}
	var err error
	if in.Units, err = tx.units(); err != nil {
		return nil, err
	}
	if unit == "*" {
		in.Moves = map[string]bool{"*": true}
	} else if unit != "" {
		found := false
		for _, u := range in.Units {
			found = found || u.ID == unit
		}
		if !found {
			return nil, app.Errorf(app.ENOTFOUND, "登记册里没有房号 %s", "the register has no unit %s", unit)
		}
		in.Moves = map[string]bool{unit: true}
	}
	var o app.FundOpening
	if ok, err := tx.get(keyFundOpening, &o); err != nil {
		return nil, err
	} else if ok {
		in.Opening = &o
	}
	if in.Entries, err = tx.journalWhere(keep, ":"+app.FundMaintenance.FundName()+":"); err != nil {
		return nil, err
	}
	exps, err := tx.expenses()
	if err != nil {
		return nil, err
	}
	for _, e := range exps {
		if e.Fund != app.FundMaintenance || !e.PaidSoFar().IsPositive() {
			continue
		}
		in.Scopes[e.ID], err = tx.expenseScope(e)
		if err != nil {
			return nil, err
		}
	}
	all := app.ComputeFundLedger(in)
	if unit == "" || unit == "*" {
		return all, nil
	}
	for _, u := range all {
		if u.Unit == unit {
			return []app.UnitFund{u}, nil
		}
	}
	return nil, nil
}

// expenseScope is the scope a maintenance-fund request's repair is shared over: its
// vote matter's scope, else the building it names, else the whole community (nil).
func (tx *Tx) expenseScope(e app.Expense) ([]string, error) {
	if e.Vote != "" {
		a, err := tx.assembly(e.Vote)
		if err != nil && app.ErrorCode(err) != app.ENOTFOUND {
			return nil, err
		}
		if i := a.MatterIndex(e.Matter); err == nil && i >= 0 && len(a.Matters[i].Scope) > 0 {
			return a.Matters[i].Scope, nil
		}
	}
	if e.Building != "" {
		return []string{e.Building}, nil
	}
	return nil, nil
}
