package storage

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"sunledger/app"
)

// The owners' micro-fund (docs/microfund.md): a share of a settled year's public-income
// surplus moved by one journal entry that belongs to the year's settlement (its Ref is
// "settlement:YYYY"); the move is kept on the settlement record, which verify checks
// against the journal (verifyMicroFund). The undo is the entry's reversal.

func init() {
	reversalHooks[app.DocSettlement] = func(tx *Tx, rest string, e app.Entry, by int64) error {
		return tx.reverseMicroFund(rest, e, by)
	}
}

// SettleWithMicroFund settles the year and moves share % of its public-income surplus
// to the micro-fund in the same transaction.
func (s SettlementService) SettleWithMicroFund(ctx context.Context, year int, share decimal.Decimal, who, why string) (app.Settlement, error) {
	if err := app.CheckShare(share); err != nil {
		return app.Settlement{}, err
	}
	return s.db.settle(ctx, year, &share, who, why)
}

// MoveMicroFund moves share % of a settled year's public-income surplus to the
// micro-fund.
func (s SettlementService) MoveMicroFund(ctx context.Context, year int, share decimal.Decimal, who, why string) (app.Settlement, error) {
	if err := app.CheckShare(share); err != nil {
		return app.Settlement{}, err
	}
	var st app.Settlement
	err := s.db.update(func(tx *Tx) error {
		if err := tx.requireBook(); err != nil {
			return err
		}
		ok, err := tx.get(settlementKey(year), &st)
		if err != nil {
			return err
		}
		if !ok {
			return app.Errorf(app.ENOTFOUND, "%d 年度还没有统结统算：微基金只能从已结算年度的结余转入；没有做任何更改。请先结算（settlement run --year %d --microfund 比例）",
				"the year %d is not settled: the micro-fund takes a share of a settled year's surplus; nothing was changed. Settle it first (settlement run --year %d --microfund SHARE)", year, year)
		}
		if err := tx.moveMicroFund(&st, share, app.StepTime(ctx, tx.now), who, why); err != nil {
			return err
		}
		return tx.put(settlementKey(year), st)
	})
	if err != nil {
		s.db.auditRefused(who, "settlement.microfund", strconv.Itoa(year), err)
	}
	return st, err
}

// moveMicroFund works the move out, posts its entry (none when it moves nothing) and
// appends it to s, which the caller stores. A second move while one stands is refused.
func (tx *Tx) moveMicroFund(s *app.Settlement, share decimal.Decimal, at time.Time, who, why string) error {
	if m, ok := s.MicroFund(); ok {
		return app.Errorf(app.ECONFLICT, "%d 年度已经把公共收益结余的 %s%%（%s）转入业主微基金（凭证 #%d）；没有做任何更改。如需改变比例，请先冲销该凭证（ledger reverse --seq %d --why 原因）",
			"%d already moved %s%% of its public-income surplus (%s) to the micro-fund (entry #%d); nothing was changed. To change the share, reverse that entry first (ledger reverse --seq %d --why REASON)",
			s.Year, m.Share.String(), app.PlainAmount(m.Amount), m.Entry, m.Entry)
	}
	base, err := tx.microFundBase()
	if err != nil {
		return err
	}
	m, err := app.NewMicroFundMoveOf(*s, share, base)
	if err != nil {
		return err
	}
	m.By, m.At, m.Note, m.Date = who, at.UTC(), why, at.Local().Format(app.DateLayout)
	if m.Amount.IsPositive() {
		e, err := tx.postEntry(m.JournalEntry(s.Year), who)
		if err != nil {
			return err
		}
		m.Entry = e.Seq
	}
	s.MicroFundMoves = append(s.MicroFundMoves, m)
	of := "surplus " + app.PlainAmount(m.Surplus)
	if m.Base == app.MicroFundBaseIncome {
		of = "income " + app.PlainAmount(m.Income)
	}
	return tx.audit(who, "settlement.microfund", fmt.Sprintf("%d share %s%% of %s = %s #%d", s.Year, m.Share.String(), of, app.PlainAmount(m.Amount), m.Entry), why)
}

// reverseMicroFund marks the settlement's move reversed when its entry is reversed;
// any other entry of a settlement may not be reversed (the year is locked).
func (tx *Tx) reverseMicroFund(rest string, e app.Entry, by int64) error {
	year, err := strconv.Atoi(rest)
	var s app.Settlement
	ok := false
	if err == nil {
		ok, err = tx.get(settlementKey(year), &s)
		if err != nil {
			return err
		}
	}
	if ok {
		for i, m := range s.MicroFundMoves {
			if m.Entry == e.Seq && m.Reversed == 0 {
				s.MicroFundMoves[i].Reversed = by
				return tx.put(settlementKey(year), s) // Reverse audits the reversal
			}
		}
	}
	return app.Errorf(app.EINVALID, "凭证 #%d 属于 %s，但不是该年度转入业主微基金的凭证，不能单独冲销；没有做任何更改",
		"entry #%d belongs to %s but is not its micro-fund move, so it cannot be reversed on its own; nothing was changed", e.Seq, e.Ref)
}

// verifyMicroFund checks every settlement's micro-fund moves against the journal: the
// live entries of "settlement:YYYY" are exactly the standing move's entry, matching it,
// and each move is reversed exactly when the journal says so.
func (tx *Tx) verifyMicroFund(d *docEntries) error {
	return eachJSON(tx, prefixSettlement, func(_ string, s app.Settlement) error {
		ref := app.MicroFundRef(s.Year)
		live := d.live(ref)
		es := d.byRef[ref]
		delete(d.byRef, ref)
		zh, en := fmt.Sprintf("%d 年度统结统算的业主微基金转入", s.Year), fmt.Sprintf("the micro-fund move of the %d settlement", s.Year)
		fail := func(zhWhy, enWhy string) error {
			return &app.Error{Code: app.EINVALID,
				ZH: zh + " 与凭证不符：" + zhWhy + "。账本可能被改动过，请从备份核对",
				EN: en + " does not match the journal: " + enWhy + ". The book may have been tampered with; check against a backup"}
		}
		for _, m := range s.MicroFundMoves {
			if m.Entry == 0 {
				continue
			}
			var got *docEntry
			for i := range es {
				if es[i].Seq == m.Entry {
					got = &es[i]
				}
			}
			if got == nil || !sameEntry(*got, m.JournalEntry(s.Year)) {
				return fail(fmt.Sprintf("它记在凭证 #%d（%s），日记账里属于它的凭证是 %s，或金额、日期不一致", m.Entry, app.PlainAmount(m.Amount), seqs(es)),
					fmt.Sprintf("it names entry #%d (%s); its entries in the journal are %s, or their amount or date differs", m.Entry, app.PlainAmount(m.Amount), seqs(es)))
			}
			if by := d.reversedBy[m.Entry]; by != m.Reversed {
				return fail(fmt.Sprintf("记录的冲销凭证是 #%d，日记账里冲销它的凭证是 #%d（0 表示没有）", m.Reversed, by),
					fmt.Sprintf("it says it was reversed by #%d, the journal by #%d (0 = not reversed)", m.Reversed, by))
			}
		}
		want, standing := s.MicroFund()
		if len(live) > 1 || len(live) == 1 && (!standing || live[0].Seq != want.Entry) {
			var names []string
			for _, e := range live {
				names = append(names, "#"+strconv.FormatInt(e.Seq, 10))
			}
			return fail("有效的转入凭证是 "+strings.Join(names, ", "), "its live entries are "+strings.Join(names, ", "))
		}
		if standing && len(live) == 0 {
			return fail(fmt.Sprintf("转入凭证 #%d 不在日记账里或已被冲销", want.Entry), fmt.Sprintf("its entry #%d is missing or reversed", want.Entry))
		}
		return nil
	})
}

// isMicroFundMove says whether a settlement's entry is a micro-fund move.
func isMicroFundMove(e app.Entry) bool {
	for _, p := range e.Postings {
		if p.Account == app.MicroFundAccount {
			return true
		}
	}
	return false
}

// microFundBase is the base set for the micro-fund's share: "" (the surplus) or income.
func (tx *Tx) microFundBase() (string, error) {
	var b string
	_, err := tx.get(keyMicroFundBase, &b)
	return b, err
}

// SetMicroFundBase sets what later moves take their share of.
func (s SettlementService) SetMicroFundBase(ctx context.Context, base, who, why string) error {
	base, err := app.ParseMicroFundBase(base)
	if err != nil {
		return err
	}
	return s.db.update(func(tx *Tx) error {
		if err := tx.requireBook(); err != nil {
			return err
		}
		if err := tx.put(keyMicroFundBase, base); err != nil {
			return err
		}
		name := base
		if name == "" {
			name = app.MicroFundBaseSurplus
		}
		return tx.audit(who, "settlement.microfund-base", name, why)
	})
}

// MicroFundBase returns the base set ("" the surplus).
func (s SettlementService) MicroFundBase(ctx context.Context) (string, error) {
	return read(s.db, func(tx *Tx) (string, error) { return tx.microFundBase() })
}
