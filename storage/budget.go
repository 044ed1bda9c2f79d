package storage

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"runtime"
	"slices"
	"strconv"

	"github.com/shopspring/decimal"

	"sunledger/app"
)

var (
	_ app.BudgetService       = BudgetService{}
	_ app.RemunerationService = RemunerationService{}
	_ app.SettlementService   = SettlementService{}
	_ app.MaintenanceService  = MaintenanceService{}
)

// journalWhere reads the journal, oldest first, for the reports computed from it: the
// entries whose date keep accepts (nil = all) and, if mention is not empty, whose
// stored form contains it (an account prefix such as "支出:" or a fund's ":维修资金:"; an
// entry without it cannot post to those accounts). Both are read from the raw value
// first, so the other entries cost no decoding: a ten-year book of a large community
// holds a quarter of a million entries, most of them fee receipts. The entries kept are
// decoded on all cores in batches (as walkEntries does) and returned in journal order.
func (tx *Tx) journalWhere(keep func(date string) bool, mention string) ([]app.Entry, error) {
	var out []app.Entry
	err := tx.journalEach(keep, mention, false, func(es []app.Entry) error {
		out = append(out, es...)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// journalEach is journalWhere without keeping the entries: it hands them to fn a batch
// at a time, in journal order, so a report that only sums them holds one batch at once.
// With amountsOnly the entries carry only their date and postings (what sums need),
// which spares decoding the rest.
func (tx *Tx) journalEach(keep func(date string) bool, mention string, amountsOnly bool, fn func([]app.Entry) error) error {
	marker := []byte(`"date":"`)
	needle := []byte(mention)
	type batch struct {
		keys    []string
		vals    [][]byte
		entries []app.Entry
		err     error
		done    chan struct{}
	}
	// Few batches in flight: a page may run three of these readers at once, and each
	// batch waiting holds its raw values.
	const size = 1024
	workers := max(runtime.NumCPU(), 1)
	work := make(chan *batch, workers)
	order := make(chan *batch, 2*workers)
	stop, stopped := make(chan struct{}), make(chan struct{})
	defer func() { close(stop); <-stopped }() // the iterator is closed before the transaction ends
	var iterErr error
	go func() { // the reader: Badger iterators belong to one goroutine
		defer close(stopped)
		defer close(work)
		defer close(order)
		b := &batch{done: make(chan struct{})}
		send := func() bool {
			for _, ch := range []chan *batch{work, order} {
				select {
				case ch <- b:
				case <-stop:
					return false
				}
			}
			b = &batch{done: make(chan struct{})}
			return true
		}
		iterErr = tx.each(prefixEntry, func(k string, v []byte) error {
			if len(needle) > 0 && !bytes.Contains(v, needle) {
				return nil
			}
			if keep != nil {
				if i := bytes.Index(v, marker); i >= 0 && len(v) >= i+len(marker)+10 {
					if !keep(string(v[i+len(marker) : i+len(marker)+10])) {
						return nil
					}
				}
			}
			b.keys = append(b.keys, k)
			b.vals = append(b.vals, bytes.Clone(v))
			if len(b.keys) == size && !send() {
				return errStopped
			}
			return nil
		})
		if iterErr == nil && len(b.keys) > 0 {
			send()
		}
	}()
	for range workers {
		go func() {
			for b := range work {
				b.entries = make([]app.Entry, 0, len(b.vals))
				for i, v := range b.vals {
					var e app.Entry
					var err error
					if amountsOnly {
						var a entryAmounts
						err = json.Unmarshal(v, &a)
						e.Date, e.Postings = a.Date, a.Postings
					} else {
						err = json.Unmarshal(v, &e)
					}
					if err != nil {
						b.err = fmt.Errorf("decode %s: %w", b.keys[i], err)
						break
					}
					if keep == nil || keep(e.Date) {
						b.entries = append(b.entries, e)
					}
				}
				b.vals = nil
				close(b.done)
			}
		}()
	}
	for b := range order {
		<-b.done
		if b.err != nil {
			return b.err
		}
		if err := fn(b.entries); err != nil {
			return err
		}
	}
	if iterErr != nil && iterErr != errStopped {
		return iterErr
	}
	return nil
}

// entryAmounts is the part of a stored entry that sums need.
type entryAmounts struct {
	Date     string        `json:"date"`
	Postings []app.Posting `json:"postings"`
}

// errStopped ends an iteration whose reader has gone away.
var errStopped = errors.New("stopped")

// through keeps dates in year y or before; in keeps dates in year y.
func through(y int) func(string) bool {
	s := strconv.Itoa(y)
	return func(d string) bool { return len(d) >= 4 && d[:4] <= s }
}

func in(y int) func(string) bool {
	s := strconv.Itoa(y)
	return func(d string) bool { return len(d) >= 4 && d[:4] == s }
}

func (tx *Tx) budget(year int) (app.Budget, bool, error) {
	b := app.Budget{Year: year, State: app.BudgetDraft}
	ok, err := tx.get(budgetKey(year), &b)
	return b, ok, err
}

// settled fails with ELOCKED when the year has been settled.
func (tx *Tx) settled(year int) error {
	ok, err := tx.has(settlementKey(year))
	if err == nil && ok {
		return app.Errorf(app.ELOCKED, "%d 年度已统结统算并锁定，不能再更改", "the year %d is settled and locked; it cannot be changed", year)
	}
	return err
}

// SetBudgetLine adds, replaces or removes a line of a draft budget.
func (db BudgetService) SetBudgetLine(ctx context.Context, l app.BudgetLine, who, why string) (app.Budget, error) {
	var b app.Budget
	err := db.update(func(tx *Tx) error {
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
		db.auditExpenseRefusal(who, "budget.line", l.ID(), err)
	}
	return b, err
}

// ApproveBudget approves the year's draft budget with its basis.
func (db BudgetService) ApproveBudget(ctx context.Context, year int, basis app.BudgetBasis, who, why string) (app.Budget, error) {
	var b app.Budget
	if err := basis.Validate(); err != nil {
		return b, err
	}
	if basis.Vote != "" {
		passed, err := db.VoteService().MatterPassed(ctx, basis.Vote, basis.Matter)
		if err != nil {
			return b, err
		}
		if !passed {
			return b, app.Errorf(app.EINVALID, "业主大会表决 %s 第 %d 项没有通过，不能作为批准预算的依据", "owners' vote %s matter %d did not pass and cannot approve the budget", basis.Vote, basis.Matter)
		}
	}
	err := db.update(func(tx *Tx) error {
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
		db.auditExpenseRefusal(who, "budget.approve", strconv.Itoa(year), err)
	}
	return b, err
}

// Budget returns the year's budget.
func (db BudgetService) Budget(ctx context.Context, year int) (app.Budget, error) {
	var b app.Budget
	err := db.view(func(tx *Tx) error {
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
func (db BudgetService) Budgets(ctx context.Context) ([]app.Budget, error) {
	var out []app.Budget
	err := db.view(func(tx *Tx) error {
		return eachJSON(tx, prefixBudget, func(_ string, b app.Budget) error {
			out = append(out, b)
			return nil
		})
	})
	return out, err
}

// BudgetVsActual compares the year's budget with the journal.
func (db BudgetService) BudgetVsActual(ctx context.Context, year int) (app.BudgetReport, error) {
	var r app.BudgetReport
	err := db.view(func(tx *Tx) error {
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

// SetRemunerationContract records the remuneration clause.
func (db RemunerationService) SetRemunerationContract(ctx context.Context, c app.RemunerationContract, who, why string) error {
	if err := c.Validate(); err != nil {
		return err
	}
	return db.update(func(tx *Tx) error {
		if err := tx.requireBook(); err != nil {
			return err
		}
		if err := tx.put(keyRemuContract, c); err != nil {
			return err
		}
		what := c.Mode + " " + c.Percent.String() + "% from " + c.From
		if c.Mode == app.RemunerationFixed {
			what = c.Mode + " " + app.PlainAmount(c.Monthly) + " from " + c.From
		}
		return tx.audit(who, "remuneration.contract", what, why)
	})
}

// RemunerationContract returns the clause.
func (db RemunerationService) RemunerationContract(ctx context.Context) (app.RemunerationContract, error) {
	var c app.RemunerationContract
	err := db.view(func(tx *Tx) error {
		var err error
		c, err = tx.remunerationContract()
		return err
	})
	return c, err
}

func (tx *Tx) remunerationContract() (app.RemunerationContract, error) {
	var c app.RemunerationContract
	ok, err := tx.get(keyRemuContract, &c)
	if err == nil && !ok {
		return c, app.Errorf(app.ENOTFOUND, "还没有登记酬金条款（用 remuneration contract 登记）", "no remuneration clause is recorded yet (record it with remuneration contract)")
	}
	return c, err
}

// RecordAssessment records a quarter's service assessment.
func (db RemunerationService) RecordAssessment(ctx context.Context, a app.Assessment, who, why string) error {
	q, err := app.ParseQuarter(a.Quarter)
	if err != nil {
		return err
	}
	a.Quarter = q
	if err := a.Validate(); err != nil {
		return err
	}
	return db.update(func(tx *Tx) error {
		if err := tx.requireBook(); err != nil {
			return err
		}
		accr, err := tx.accruals()
		if err != nil {
			return err
		}
		for _, x := range accr {
			if x.Quarter == q {
				return app.Errorf(app.ECONFLICT, "%s 的考核结果已用于计提 %s 的酬金，不能再修改", "the %s assessment was already used for the %s remuneration and cannot be changed", q, x.Month)
			}
		}
		a.Who, a.At = who, tx.now.UTC()
		if err := tx.put(assessmentKey(q), a); err != nil {
			return err
		}
		return tx.audit(who, "remuneration.assessment", q+" "+a.Total().StringFixed(2), why)
	})
}

// Assessments lists every assessment.
func (db RemunerationService) Assessments(ctx context.Context) ([]app.Assessment, error) {
	return read(db.DB, (*Tx).assessments)
}

func (tx *Tx) assessments() ([]app.Assessment, error) {
	return all[app.Assessment](tx, prefixAssessment)
}

func (tx *Tx) accruals() ([]app.RemunerationAccrual, error) {
	return all[app.RemunerationAccrual](tx, prefixRemuAccrual)
}

// Accruals lists the accruals.
func (db RemunerationService) Accruals(ctx context.Context) ([]app.RemunerationAccrual, error) {
	return read(db.DB, (*Tx).accruals)
}

// AccrueRemuneration accrues each month from..to and posts it, all or nothing. A month
// uses its own quarter's assessment if recorded, else the latest earlier one.
func (db RemunerationService) AccrueRemuneration(ctx context.Context, from, to, who, why string) ([]app.RemunerationAccrual, error) {
	months, err := app.ParseMonthRange(from, to)
	if err != nil {
		return nil, err
	}
	from, to = months[0], months[len(months)-1]
	var out []app.RemunerationAccrual
	err = db.update(func(tx *Tx) error {
		if err := tx.requireBook(); err != nil {
			return err
		}
		c, err := tx.remunerationContract()
		if err != nil {
			return err
		}
		entries, err := tx.journalWhere(func(d string) bool { return len(d) >= 7 && d[:7] >= from && d[:7] <= to }, "")
		if err != nil {
			return err
		}
		income := app.FeeIncomeByMonth(entries)
		as, err := tx.assessments()
		if err != nil {
			return err
		}
		l, err := tx.ledger()
		if err != nil {
			return err
		}
		for _, m := range months {
			if m < c.From {
				return app.Errorf(app.EINVALID, "酬金条款从 %s 起适用，不能计提 %s", "the remuneration clause applies from %s; %s cannot be accrued", c.From, m)
			}
			if m >= tx.today()[:7] {
				return app.Errorf(app.EINVALID, "%s 还没有结束，月末之后才能计提酬金", "%s is not over yet: accrue its remuneration after the month ends", m)
			}
			if ok, err := tx.has(accrualKey(m)); err != nil || ok {
				if ok {
					return app.Errorf(app.ECONFLICT, "%s 的酬金已经计提过", "the remuneration of %s is already accrued", m)
				}
				return err
			}
			var a *app.Assessment
			for i := range as {
				if as[i].Quarter <= app.QuarterOf(m) {
					a = &as[i]
				}
			}
			acc := app.Accrue(c, m, income[m], a)
			if acc.Amount.IsPositive() {
				e, err := l.post(acc.JournalEntry(), who)
				if err != nil {
					return err
				}
				acc.Entry = e.Seq
			}
			if err := tx.put(accrualKey(m), acc); err != nil {
				return err
			}
			if err := tx.audit(who, "remuneration.accrue", fmt.Sprintf("%s %s #%d", m, app.PlainAmount(acc.Amount), acc.Entry), why); err != nil {
				return err
			}
			out = append(out, acc)
		}
		return l.flush()
	})
	return out, err
}

// PreviewSettlement computes a year's settlement without recording it.
func (db SettlementService) PreviewSettlement(ctx context.Context, year int) (app.Settlement, error) {
	var s app.Settlement
	err := db.view(func(tx *Tx) error {
		var err error
		s, err = tx.computeSettlement(year)
		return err
	})
	return s, err
}

func (tx *Tx) computeSettlement(year int) (app.Settlement, error) {
	if err := tx.requireBook(); err != nil {
		return app.Settlement{}, err
	}
	// After a settled year, its closing balances are this year's opening ones (the lock
	// keeps them so), and only this year's entries need reading.
	var prev app.Settlement
	hasPrev, err := tx.get(settlementKey(year-1), &prev)
	if err != nil {
		return app.Settlement{}, err
	}
	keep := through(year)
	if hasPrev {
		keep = in(year)
	}
	// The year's own entries are kept; the earlier years' only make opening balances,
	// which are sums by account, so they are summed as they are read (one entry dated
	// the previous year's last day stands for them) instead of all being held at once.
	y := strconv.Itoa(year)
	var entries []app.Entry
	earlier := map[string]decimal.Decimal{}
	err = tx.journalEach(keep, "", true, func(es []app.Entry) error {
		for _, e := range es {
			if len(e.Date) >= 4 && e.Date[:4] < y {
				for _, p := range e.Postings {
					earlier[p.Account] = earlier[p.Account].Add(p.Amount)
				}
				continue
			}
			entries = append(entries, e)
		}
		return nil
	})
	if err != nil {
		return app.Settlement{}, err
	}
	if len(earlier) > 0 {
		opening := app.Entry{Date: strconv.Itoa(year-1) + "-12-31"}
		for _, a := range slices.Sorted(maps.Keys(earlier)) {
			opening.Postings = append(opening.Postings, app.Posting{Account: a, Amount: earlier[a]})
		}
		entries = append([]app.Entry{opening}, entries...)
	}
	s, err := app.ComputeSettlement(year, entries)
	if err != nil {
		return s, err
	}
	if hasPrev {
		for i := range s.Funds {
			p := prev.Fund(s.Funds[i].Fund)
			f := &s.Funds[i]
			f.Opening = f.Opening.Add(p.Closing)
			f.Closing = f.Closing.Add(p.Closing)
			// This year's entries moved what the previous year's closing was made of.
			f.Money, f.Receivable = f.Money.Add(p.Money), f.Receivable.Add(p.Receivable)
			f.Prepaid, f.Payable, f.Other = f.Prepaid.Add(p.Prepaid), f.Payable.Add(p.Payable), f.Other.Add(p.Other)
		}
	}
	exps, err := tx.expenses()
	if err != nil {
		return s, err
	}
	for _, e := range exps {
		if (e.State == app.ExpenseApproved || e.State == app.ExpenseReviewed) && e.Applied.Local().Format("2006") <= y {
			s.Unpaid = append(s.Unpaid, e.ID)
			s.Pending = append(s.Pending, app.UnpaidRequest{ID: e.ID, Fund: e.Fund, Payee: e.Payee, Amount: e.Amount})
		}
	}
	var head ledgerHead
	if _, err := tx.get(keyLedgerHead, &head); err != nil {
		return s, err
	}
	s.Head, s.HeadSeq = head.Hash, head.Seq
	return s, nil
}

// Settle records the year's settlement and locks its periods through December.
func (db SettlementService) Settle(ctx context.Context, year int, who, why string) (app.Settlement, error) {
	return db.settle(year, nil, who, why)
}

// settle records the settlement and, when share is set, moves that share of the
// public-income surplus to the micro-fund in the same transaction (microfund.go).
func (db *DB) settle(year int, share *decimal.Decimal, who, why string) (app.Settlement, error) {
	var s app.Settlement
	err := db.update(func(tx *Tx) error {
		if ok, err := tx.has(settlementKey(year)); err != nil || ok {
			if ok {
				return app.Errorf(app.ECONFLICT, "%d 年度已经统结统算过", "the year %d is already settled", year)
			}
			return err
		}
		if strconv.Itoa(year) >= tx.today()[:4] {
			return app.Errorf(app.EINVALID, "%d 年度还没有结束，年度结束后才能统结统算", "the year %d is not over yet: settle it after it ends", year)
		}
		if err := tx.refuseWhilePending("没有统结统算", "nothing was settled"); err != nil {
			return err
		}
		var err error
		if s, err = tx.computeSettlement(year); err != nil {
			return err
		}
		s.SettledBy, s.SettledAt, s.Note = who, tx.now.UTC(), why
		if share != nil {
			if err := tx.moveMicroFund(&s, *share, who, why); err != nil {
				return err
			}
		}
		if err := tx.put(settlementKey(year), s); err != nil {
			return err
		}
		var lock string
		if _, err := tx.get(keyLedgerLock, &lock); err != nil {
			return err
		}
		if through := fmt.Sprintf("%04d-12", year); lock < through {
			if err := tx.put(keyLedgerLock, through); err != nil {
				return err
			}
			if err := tx.audit(who, "ledger.lock", through, app.T("年度统结统算", "annual settlement")); err != nil {
				return err
			}
		}
		var surplus decimal.Decimal
		for _, f := range s.Funds {
			surplus = surplus.Add(f.Surplus)
		}
		return tx.audit(who, "settlement.settle", fmt.Sprintf("%d surplus %s head #%d", year, app.PlainAmount(surplus), s.HeadSeq), why)
	})
	if err != nil {
		db.auditExpenseRefusal(who, "settlement.settle", strconv.Itoa(year), err)
	}
	return s, err
}

// Settlement returns a recorded settlement.
func (db SettlementService) Settlement(ctx context.Context, year int) (app.Settlement, error) {
	var s app.Settlement
	err := db.view(func(tx *Tx) error {
		ok, err := tx.get(settlementKey(year), &s)
		if err == nil && !ok {
			return app.Errorf(app.ENOTFOUND, "%d 年度还没有统结统算（settlement run --year %d）", "the year %d is not settled yet (settlement run --year %d)", year, year)
		}
		return err
	})
	return s, err
}

// Settlements lists recorded settlements.
func (db SettlementService) Settlements(ctx context.Context) ([]app.Settlement, error) {
	var out []app.Settlement
	err := db.view(func(tx *Tx) error {
		return eachJSON(tx, prefixSettlement, func(_ string, s app.Settlement) error {
			out = append(out, s)
			return nil
		})
	})
	return out, err
}

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
