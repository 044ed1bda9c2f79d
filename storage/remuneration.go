package storage

import (
	"context"
	"fmt"

	"github.com/shopspring/decimal"

	"sunledger/app"
)

// The remuneration (酬金) of a trust-based service contract: the clause, the quarterly
// service assessments, and the monthly accruals they make.

var _ app.RemunerationService = RemunerationService{}

// SetRemunerationContract records the remuneration clause.
func (s RemunerationService) SetRemunerationContract(ctx context.Context, c app.RemunerationContract, who, why string) error {
	if c.Base == "" {
		c.Base = app.BaseCollected // a new clause is on fees collected unless it says otherwise
	}
	if err := c.Validate(); err != nil {
		return err
	}
	return s.db.update(func(tx *Tx) error {
		if err := tx.requireBook(); err != nil {
			return err
		}
		if err := tx.put(keyRemuContract, c); err != nil {
			return err
		}
		what := c.Mode + " " + c.Percent.String() + "% of " + c.Base + " from " + c.From
		if c.Mode == app.RemunerationFixed {
			what = c.Mode + " " + app.PlainAmount(c.Monthly) + " from " + c.From
		}
		return tx.audit(who, "remuneration.contract", what, why)
	})
}

// RemunerationContract returns the clause.
func (s RemunerationService) RemunerationContract(ctx context.Context) (app.RemunerationContract, error) {
	var c app.RemunerationContract
	err := s.db.view(func(tx *Tx) error {
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
func (s RemunerationService) RecordAssessment(ctx context.Context, a app.Assessment, who, why string) error {
	q, err := app.ParseQuarter(a.Quarter)
	if err != nil {
		return err
	}
	a.Quarter = q
	if err := a.Validate(); err != nil {
		return err
	}
	return s.db.update(func(tx *Tx) error {
		if err := tx.requireBook(); err != nil {
			return err
		}
		at := app.StepTime(ctx, tx.now) // the demo records each quarter's after it ended
		if err := app.CheckQuarterEnded(q, at); err != nil {
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
		var t app.RemunerationTrueUp
		if ok, err := tx.get(trueUpKey(q), &t); err != nil || ok {
			if ok {
				return app.Errorf(app.ECONFLICT, "%s 的考核结果已用于酬金考核调整（%s，凭证 #%d），不能再修改", "the %s assessment was already applied to the remuneration (true-up of %s, entry #%d) and cannot be changed", q, t.Date, t.Entry)
			}
			return err
		}
		a.Who, a.At = who, at.UTC()
		if err := tx.put(assessmentKey(q), a); err != nil {
			return err
		}
		if err := tx.audit(who, "remuneration.assessment", q+" "+a.Total().StringFixed(2), why); err != nil {
			return err
		}
		l, err := tx.ledger()
		if err != nil {
			return err
		}
		if _, err := tx.trueUp(l, q, at.Local().Format(app.DateLayout), who, why); err != nil {
			return err
		}
		return l.flush()
	})
}

// Assessments lists every assessment.
func (s RemunerationService) Assessments(ctx context.Context) ([]app.Assessment, error) {
	return read(s.db, (*Tx).assessments)
}

func (tx *Tx) assessments() ([]app.Assessment, error) {
	return all[app.Assessment](tx, prefixAssessment)
}

func (tx *Tx) accruals() ([]app.RemunerationAccrual, error) {
	return all[app.RemunerationAccrual](tx, prefixRemuAccrual)
}

// Accruals lists the accruals.
func (s RemunerationService) Accruals(ctx context.Context) ([]app.RemunerationAccrual, error) {
	return read(s.db, (*Tx).accruals)
}

// AccrueRemuneration accrues each month from..to at the base rate and posts it, all or
// nothing; a quarter whose months are then all accrued and whose assessment is recorded
// is trued up by its factor (trueUp).
func (s RemunerationService) AccrueRemuneration(ctx context.Context, from, to, who, why string) ([]app.RemunerationAccrual, error) {
	months, err := app.ParseMonthRange(from, to)
	if err != nil {
		return nil, err
	}
	from, to = months[0], months[len(months)-1]
	var out []app.RemunerationAccrual
	err = s.db.update(func(tx *Tx) error {
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
		income := app.RemunerationBases(c.Base, entries)
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
			acc := app.Accrue(c, m, income[m], nil)
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
		done := map[string]bool{}
		for _, m := range months {
			if q := app.QuarterOf(m); !done[q] {
				done[q] = true
				if _, err := tx.trueUp(l, q, tx.today(), who, why); err != nil {
					return err
				}
			}
		}
		return l.flush()
	})
	return out, err
}

// verifyAssessments computes every recorded assessment again from the inputs recorded
// with it (app.Assessment.CheckRecomputed): a score edited after it was computed is
// named.
func (tx *Tx) verifyAssessments() error {
	return eachJSON(tx, prefixAssessment, func(_ string, a app.Assessment) error {
		return a.CheckRecomputed()
	})
}

// trueUp applies quarter q's assessment factor to its months' accruals once the
// assessment is recorded and every month of q under the contract is accrued, and not
// yet done: it posts the difference (app.TrueUp, dated date) and records it. ok is
// false when it is not (yet) due.
func (tx *Tx) trueUp(l *ledgerTx, q, date, who, why string) (bool, error) {
	if ok, err := tx.has(trueUpKey(q)); err != nil || ok {
		return false, err
	}
	var a app.Assessment
	if ok, err := tx.get(assessmentKey(q), &a); err != nil || !ok {
		return false, err
	}
	c, err := tx.remunerationContract()
	if app.ErrorCode(err) == app.ENOTFOUND {
		return false, nil
	} else if err != nil {
		return false, err
	}
	var accr []app.RemunerationAccrual
	for _, m := range app.QuarterMonths(q) {
		var x app.RemunerationAccrual
		if ok, err := tx.get(accrualKey(m), &x); err != nil {
			return false, err
		} else if ok {
			accr = append(accr, x)
		}
	}
	t, ok := app.TrueUp(c, q, accr, a, date)
	if !ok {
		return false, nil
	}
	if !t.Amount.IsZero() {
		e, err := l.post(t.JournalEntry(), who)
		if err != nil {
			return false, err
		}
		t.Entry = e.Seq
	}
	if err := tx.put(trueUpKey(q), t); err != nil {
		return false, err
	}
	return true, tx.audit(who, "remuneration.trueup", fmt.Sprintf("%s score %s factor %s %s→%s #%d", q, t.Score.StringFixed(2), t.Factor.String(), app.PlainAmount(t.Accrued), app.PlainAmount(t.Due), t.Entry), why)
}

func (tx *Tx) trueUps() ([]app.RemunerationTrueUp, error) {
	return all[app.RemunerationTrueUp](tx, prefixRemuTrueUp)
}

// TrueUps lists the quarters' true-ups, oldest first.
func (s RemunerationService) TrueUps(ctx context.Context) ([]app.RemunerationTrueUp, error) {
	return read(s.db, (*Tx).trueUps)
}

// RemunerationStatus is the remuneration by quarter and what is owed, as of today.
func (s RemunerationService) RemunerationStatus(ctx context.Context) (app.RemunerationStatus, error) {
	return read(s.db, func(tx *Tx) (app.RemunerationStatus, error) {
		accr, err := tx.accruals()
		if err != nil {
			return app.RemunerationStatus{}, err
		}
		tus, err := tx.trueUps()
		if err != nil {
			return app.RemunerationStatus{}, err
		}
		var owed decimal.Decimal
		if _, err := tx.get(balanceKey(app.PayableAccount(app.FundService)), &owed); err != nil {
			return app.RemunerationStatus{}, err
		}
		return app.StatusOf(accr, tus, owed.Neg(), tx.today()), nil
	})
}
