package storage

import (
	"context"
	"fmt"

	"sunledger/app"
)

var _ app.PriceService = PriceService{}

// SetPrice records a price from a month on. A month already billed cannot be repriced:
// its bills were made at the old price.
func (s PriceService) SetPrice(ctx context.Context, p app.FeePrice, who, why string) error {
	p.Kind = app.CanonicalKind(string(p.Kind)) // "Residential" and "住宅" price the same units
	if err := p.Validate(); err != nil {
		return err
	}
	return s.db.update(func(tx *Tx) error {
		if err := tx.requireBook(); err != nil {
			return err
		}
		if err := tx.refuseWhilePending("单价没有改动", "the price was not changed"); err != nil {
			return err
		}
		runs, err := tx.billingRuns()
		if err != nil {
			return err
		}
		if n := len(runs); n > 0 && runs[n-1].Period >= p.From {
			return app.Errorf(app.ECONFLICT, "%s 已经开过账单：新单价只能从 %s 之后的月份起生效", "%s has already been billed: a new price can only start after %s",
				runs[n-1].Period, runs[n-1].Period)
		}
		if err := tx.put(priceKey(p.Kind, p.From), p); err != nil {
			return err
		}
		return tx.audit(who, "fees.price", fmt.Sprintf("%s %s 元/m²·月 from %s", p.Kind, p.Price.String(), p.From), why)
	})
}

// Prices lists every price record.
func (s PriceService) Prices(ctx context.Context) ([]app.FeePrice, error) {
	return read(s.db, (*Tx).prices)
}

// SetLateFeeRule records the contract's late-fee clause.
func (s PriceService) SetLateFeeRule(ctx context.Context, r app.LateFeeRule, who, why string) error {
	if err := r.Validate(); err != nil {
		return err
	}
	return s.db.update(func(tx *Tx) error {
		if err := tx.requireBook(); err != nil {
			return err
		}
		if err := tx.put(keyLateFee, r); err != nil {
			return err
		}
		return tx.audit(who, "fees.latefee", fmt.Sprintf("daily rate %s, grace %d days", r.DailyRate.String(), r.GraceDays), why)
	})
}

// LateFeeRule returns the late-fee clause.
func (s PriceService) LateFeeRule(ctx context.Context) (app.LateFeeRule, error) {
	var r app.LateFeeRule
	err := s.db.view(func(tx *Tx) error {
		_, err := tx.get(keyLateFee, &r)
		return err
	})
	return r, err
}
