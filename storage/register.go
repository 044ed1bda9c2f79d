package storage

import (
	"context"
	"fmt"

	"sunledger/app"
)

var _ app.RegisterService = RegisterService{}

// ImportUnits adds units or replaces those with the same id, in one transaction.
func (s RegisterService) ImportUnits(ctx context.Context, units []app.Unit, who, why string) error {
	seen := make(map[string]bool, len(units))
	units = append([]app.Unit(nil), units...)
	for i := range units {
		units[i].ID = app.NormalizeUnitID(units[i].ID) // as ballots and payments name it
		u := units[i]
		if err := u.Validate(); err != nil {
			return err
		}
		if seen[u.ID] {
			return app.Errorf(app.EINVALID, "房号 %s 重复", "unit %s is a duplicate", u.ID)
		}
		seen[u.ID] = true
	}
	return s.db.update(func(tx *Tx) error {
		if err := tx.requireBook(); err != nil {
			return err
		}
		added, replaced := 0, 0
		for _, u := range units {
			ok, err := tx.has(unitKey(u.ID))
			if err != nil {
				return err
			}
			if ok {
				replaced++
			} else {
				added++
			}
			if err := tx.put(unitKey(u.ID), u); err != nil {
				return err
			}
		}
		return tx.audit(who, "units.import", fmt.Sprintf("added %d, replaced %d", added, replaced), why)
	})
}

// Units returns the whole register in reading order.
func (s RegisterService) Units(ctx context.Context) ([]app.Unit, error) {
	var out []app.Unit
	err := s.db.view(func(tx *Tx) error {
		if err := tx.requireBook(); err != nil {
			return err
		}
		var err error
		out, err = tx.units()
		return err
	})
	return out, err
}

func (tx *Tx) units() ([]app.Unit, error) {
	var out []app.Unit
	err := eachJSON(tx, prefixUnit, func(_ string, u app.Unit) error {
		out = append(out, u)
		return nil
	})
	app.SortUnits(out)
	return out, err
}

// Unit returns one unit, ENOTFOUND if there is none with that id.
func (s RegisterService) Unit(ctx context.Context, id string) (app.Unit, error) {
	id = app.NormalizeUnitID(id)
	var u app.Unit
	err := s.db.view(func(tx *Tx) error {
		ok, err := tx.get(unitKey(id), &u)
		if err == nil && !ok {
			return app.Errorf(app.ENOTFOUND, "登记册里没有房号 %s", "unit %s is not in the register", id)
		}
		return err
	})
	return u, err
}
