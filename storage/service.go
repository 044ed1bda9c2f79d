package storage

import (
	"context"
	"fmt"

	"sunledger/app"
)

var _ app.ServiceService = (*DB)(nil)

// SetServiceStandard records the response standard in force.
func (db *DB) SetServiceStandard(ctx context.Context, s app.ServiceStandard, who, why string) error {
	if err := s.Validate(); err != nil {
		return err
	}
	return db.update(func(tx *Tx) error {
		if err := tx.requireBook(); err != nil {
			return err
		}
		if err := tx.put(keyServiceStandard, s); err != nil {
			return err
		}
		return tx.audit(who, "service.standard", s.String(), why)
	})
}

// ServiceStandard returns the standard in force, the 54321 preset until one is set.
func (db *DB) ServiceStandard(ctx context.Context) (app.ServiceStandard, error) {
	return read(db, func(tx *Tx) (app.ServiceStandard, error) { return tx.serviceStandard() })
}

func (tx *Tx) serviceStandard() (app.ServiceStandard, error) {
	var s app.ServiceStandard
	ok, err := tx.get(keyServiceStandard, &s)
	if err != nil || !ok {
		return app.DefaultServiceStandard(), err
	}
	return s, nil
}

// NewServiceRequest registers a request from a unit of the register.
func (db *DB) NewServiceRequest(ctx context.Context, r app.ServiceRequest, who string) (app.ServiceRequest, error) {
	if err := r.Validate(); err != nil {
		return r, err
	}
	err := db.update(func(tx *Tx) error {
		if err := tx.requireBook(); err != nil {
			return err
		}
		if ok, err := tx.has(unitKey(r.Unit)); err != nil {
			return err
		} else if !ok {
			return app.Errorf(app.ENOTFOUND, "登记册里没有房号 %s；没有登记这条服务请求，请检查房号", "unit %s is not in the register; the request was not registered: check the unit", r.Unit)
		}
		n, err := tx.next("service")
		if err != nil {
			return err
		}
		r.ID, r.Who, r.Steps = app.ServiceRequestID(n), who, nil
		if err := tx.put(serviceKey(r.ID), r); err != nil {
			return err
		}
		return tx.audit(who, "service.new", fmt.Sprintf("%s %s %s %s", r.ID, r.Unit, r.Kind, app.FormatServiceTime(r.At)), r.Description)
	})
	return r, err
}

// RecordServiceStep records one step of a request.
func (db *DB) RecordServiceStep(ctx context.Context, id string, s app.ServiceStepRecord, who string) (app.ServiceRequest, error) {
	var out app.ServiceRequest
	err := db.update(func(tx *Tx) error {
		r, err := tx.serviceRequest(id)
		if err != nil {
			return err
		}
		s.Who = who
		if out, err = r.AddStep(s); err != nil {
			return err
		}
		if err := tx.put(serviceKey(id), out); err != nil {
			return err
		}
		what := fmt.Sprintf("%s %s %s", id, s.Step, app.FormatServiceTime(s.At))
		if s.Rating != 0 {
			what += fmt.Sprintf(" rating %d", s.Rating)
		}
		return tx.audit(who, "service.step", what, "")
	})
	return out, err
}

func (tx *Tx) serviceRequest(id string) (app.ServiceRequest, error) {
	var r app.ServiceRequest
	ok, err := tx.get(serviceKey(id), &r)
	if err == nil && !ok {
		return r, app.Errorf(app.ENOTFOUND, "没有编号为 %s 的服务请求；没有做任何更改", "there is no service request %s; nothing was changed", id)
	}
	return r, err
}

// ServiceRequest returns one request.
func (db *DB) ServiceRequest(ctx context.Context, id string) (app.ServiceRequest, error) {
	return read(db, func(tx *Tx) (app.ServiceRequest, error) { return tx.serviceRequest(id) })
}

// ServiceRequests lists every request in id order.
func (db *DB) ServiceRequests(ctx context.Context) ([]app.ServiceRequest, error) {
	return read(db, func(tx *Tx) ([]app.ServiceRequest, error) { return all[app.ServiceRequest](tx, prefixService) })
}

// ServiceStats counts a period's requests under the standard in force at the book's clock.
func (db *DB) ServiceStats(ctx context.Context, period string) (app.ServiceStats, error) {
	from, to, err := app.ParseCollectionPeriod(period)
	if err != nil {
		return app.ServiceStats{}, err
	}
	return read(db, func(tx *Tx) (app.ServiceStats, error) {
		std, err := tx.serviceStandard()
		if err != nil {
			return app.ServiceStats{}, err
		}
		reqs, err := all[app.ServiceRequest](tx, prefixService)
		if err != nil {
			return app.ServiceStats{}, err
		}
		return app.ComputeServiceStats(reqs, std, from, to, tx.now), nil
	})
}
