package storage

import (
	"context"
	"strconv"

	"sunledger/app"
)

var _ app.BudgetService = BudgetService{}

func (tx *Tx) budget(year int) (app.Budget, bool, error) {
	b := app.Budget{Year: year, State: app.BudgetDraft}
	ok, err := tx.get(budgetKey(year), &b)
	return b, ok, err
}

// SetBudgetLine adds, replaces or removes a line of a draft budget.
func (s BudgetService) SetBudgetLine(ctx context.Context, l app.BudgetLine, who, why string) (app.Budget, error) {
	var b app.Budget
	err := s.db.update(func(tx *Tx) error {
		if err := tx.requireBook(); err != nil {
			return err
		}
		if err := tx.settled(l.Year); err != nil {
			return err
		}
		var err error
		if b, _, err = tx.budget(l.Year); err != nil {
			return err
		}
		if b, err = b.SetLine(l); err != nil {
			return err
		}
		if err := tx.put(budgetKey(l.Year), b); err != nil {
			return err
		}
		return tx.audit(who, "budget.line", l.ID()+" "+app.PlainAmount(l.Amount), why)
	})
	if err != nil {
		s.db.auditRefused(who, "budget.line", l.ID(), err)
	}
	return b, err
}

// ApproveBudget approves the year's draft budget with its basis.
func (s BudgetService) ApproveBudget(ctx context.Context, year int, basis app.BudgetBasis, who, why string) (app.Budget, error) {
	var b app.Budget
	if err := basis.Validate(); err != nil {
		return b, err
	}
	if basis.Vote != "" {
		passed, err := s.db.voteService().MatterPassed(ctx, basis.Vote, basis.Matter)
		if err != nil {
			return b, err
		}
		if !passed {
			return b, app.Errorf(app.EINVALID, "业主大会表决 %s 第 %d 项没有通过，不能作为批准预算的依据", "owners' vote %s matter %d did not pass and cannot approve the budget", basis.Vote, basis.Matter)
		}
	}
	err := s.db.update(func(tx *Tx) error {
		if err := tx.settled(year); err != nil {
			return err
		}
		var ok bool
		var err error
		if b, ok, err = tx.budget(year); err != nil {
			return err
		}
		if !ok || len(b.Lines) == 0 {
			return app.Errorf(app.ENOTFOUND, "%d 年度还没有预算草案（用 budget set 编制）", "there is no draft budget for %d (draft one with budget set)", year)
		}
		if b.State == app.BudgetApproved {
			return app.Errorf(app.ECONFLICT, "%d 年度预算已经批准过（%s）", "the %d budget is already approved (%s)", year, b.Basis.String())
		}
		b.State, b.Basis, b.ApprovedBy, b.ApprovedAt = app.BudgetApproved, basis, who, tx.now.UTC()
		if err := tx.put(budgetKey(year), b); err != nil {
			return err
		}
		return tx.audit(who, "budget.approve", strconv.Itoa(year), basis.String()+" "+why)
	})
	if err != nil {
		s.db.auditRefused(who, "budget.approve", strconv.Itoa(year), err)
	}
	return b, err
}

// Budget returns the year's budget.
func (s BudgetService) Budget(ctx context.Context, year int) (app.Budget, error) {
	var b app.Budget
	err := s.db.view(func(tx *Tx) error {
		var ok bool
		var err error
		b, ok, err = tx.budget(year)
		if err == nil && !ok {
			return app.Errorf(app.ENOTFOUND, "%d 年度还没有预算", "there is no budget for %d", year)
		}
		return err
	})
	return b, err
}

// Budgets lists every year's budget.
func (s BudgetService) Budgets(ctx context.Context) ([]app.Budget, error) {
	var out []app.Budget
	err := s.db.view(func(tx *Tx) error {
		return eachJSON(tx, prefixBudget, func(_ string, b app.Budget) error {
			out = append(out, b)
			return nil
		})
	})
	return out, err
}

// BudgetVsActual compares the year's budget with the journal.
func (s BudgetService) BudgetVsActual(ctx context.Context, year int) (app.BudgetReport, error) {
	var r app.BudgetReport
	err := s.db.view(func(tx *Tx) error {
		if err := tx.requireBook(); err != nil {
			return err
		}
		b, _, err := tx.budget(year)
		if err != nil {
			return err
		}
		entries, err := tx.journalWhere(in(year), app.TypeExpense+":") // budget against actual spending
		if err != nil {
			return err
		}
		r = app.CompareBudget(b, app.ExpenseByMonth(entries, year))
		return nil
	})
	return r, err
}
