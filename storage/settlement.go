package storage

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"

	"github.com/shopspring/decimal"

	"sunledger/app"
)

// The year-end settlement (统结统算): previewed from the journal, then recorded once, which
// locks the year.

var _ app.SettlementService = SettlementService{}

// settled fails with ELOCKED when the year has been settled.
func (tx *Tx) settled(year int) error {
	ok, err := tx.has(settlementKey(year))
	if err == nil && ok {
		return app.Errorf(app.ELOCKED, "%d 年度已统结统算并锁定，不能再更改", "the year %d is settled and locked; it cannot be changed", year)
	}
	return err
}

// PreviewSettlement computes a year's settlement without recording it.
func (s SettlementService) PreviewSettlement(ctx context.Context, year int) (app.Settlement, error) {
	var st app.Settlement
	err := s.db.view(func(tx *Tx) error {
		var err error
		st, err = tx.computeSettlement(year)
		return err
	})
	return st, err
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
func (s SettlementService) Settle(ctx context.Context, year int, who, why string) (app.Settlement, error) {
	return s.db.settle(ctx, year, nil, who, why)
}

// settle records the settlement and, when share is set, moves that share of the
// public-income surplus to the micro-fund in the same transaction (microfund.go).
// It is dated by the step time of ctx (app.StepTime: the demo settles on a past day).
func (db *DB) settle(ctx context.Context, year int, share *decimal.Decimal, who, why string) (app.Settlement, error) {
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
		at := app.StepTime(ctx, tx.now)
		s.SettledBy, s.SettledAt, s.Note = who, at.UTC(), why
		if share != nil {
			if err := tx.moveMicroFund(&s, *share, at, who, why); err != nil {
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
		db.auditRefused(who, "settlement.settle", strconv.Itoa(year), err)
	}
	return s, err
}

// Settlement returns a recorded settlement.
func (s SettlementService) Settlement(ctx context.Context, year int) (app.Settlement, error) {
	var st app.Settlement
	err := s.db.view(func(tx *Tx) error {
		ok, err := tx.get(settlementKey(year), &st)
		if err == nil && !ok {
			return app.Errorf(app.ENOTFOUND, "%d 年度还没有统结统算（settlement run --year %d）", "the year %d is not settled yet (settlement run --year %d)", year, year)
		}
		return err
	})
	return st, err
}

// Settlements lists recorded settlements.
func (s SettlementService) Settlements(ctx context.Context) ([]app.Settlement, error) {
	var out []app.Settlement
	err := s.db.view(func(tx *Tx) error {
		return eachJSON(tx, prefixSettlement, func(_ string, st app.Settlement) error {
			out = append(out, st)
			return nil
		})
	})
	return out, err
}

// RecordAudit records an audit of a settled year (docs/notices.md "Annual settlement").
func (s SettlementService) RecordAudit(ctx context.Context, year int, a app.SettlementAudit, who, why string) (app.Settlement, error) {
	var st app.Settlement
	err := a.Validate()
	if err == nil {
		err = s.db.update(func(tx *Tx) error {
			if err := tx.requireBook(); err != nil {
				return err
			}
			ok, err := tx.get(settlementKey(year), &st)
			if err != nil {
				return err
			}
			if !ok {
				return app.Errorf(app.ENOTFOUND, "%d 年度还没有统结统算：审计记录只能登记在已结算的年度；没有做任何更改", "the year %d is not settled: an audit is recorded on a settled year; nothing was changed", year)
			}
			a.By, a.At = who, tx.now.UTC()
			st.Audits = append(st.Audits, a)
			if err := tx.put(settlementKey(year), st); err != nil {
				return err
			}
			return tx.audit(who, "settlement.audit", fmt.Sprintf("%d %s %s %s", year, a.Auditor, a.Report, a.Date), why)
		})
	}
	if err != nil {
		s.db.auditRefused(who, "settlement.audit", strconv.Itoa(year), err)
	}
	return st, err
}
