package storage

import (
	"context"
	"fmt"

	"sunledger/app"
)

var _ app.ServiceDesk = ServiceDesk{}

// SetServiceStandard adds a standard version (docs/service.md, "Standard versions").
func (s ServiceDesk) SetServiceStandard(ctx context.Context, v app.ServiceStandardVersion, who, why string) error {
	return s.db.update(func(tx *Tx) error {
		if err := tx.requireBook(); err != nil {
			return err
		}
		vs, err := tx.serviceStandards()
		if err != nil {
			return err
		}
		v.SetAt, v.Who = tx.now, who
		out, replaced, err := vs.Set(v)
		if err != nil {
			return err
		}
		if len(out) == len(vs) && replaced == nil { // the standard in force, set again
			return tx.audit(who, "service.standard", "unchanged: "+v.Standard.String(), why)
		}
		if err := tx.put(keyServiceStandards, out); err != nil {
			return err
		}
		from := v.From
		if from == "" {
			from = app.T("全部请求", "every request")
		}
		what := fmt.Sprintf("from %s: %s", from, v.Standard.String())
		if replaced != nil {
			what += " (replaces " + replaced.Standard.String() + ")"
		}
		if v.From != "" && v.From < app.ServiceDay(tx.now) {
			what += " (past date)"
		}
		return tx.audit(who, "service.standard", what, why)
	})
}

// ServiceStandard returns the standard in force today, the 54321 preset until one is set.
func (s ServiceDesk) ServiceStandard(ctx context.Context) (app.ServiceStandard, error) {
	return read(s.db, func(tx *Tx) (app.ServiceStandard, error) {
		vs, err := tx.serviceStandards()
		return vs.On(app.ServiceDay(tx.now)), err
	})
}

// ServiceStandards returns every standard version.
func (s ServiceDesk) ServiceStandards(ctx context.Context) (app.ServiceStandards, error) {
	return read(s.db, func(tx *Tx) (app.ServiceStandards, error) { return tx.serviceStandards() })
}

// serviceStandards reads the versions; a book from before versions has one standard,
// which applies from the beginning (its 54321 is the preset as it is now, with the
// registered step).
func (tx *Tx) serviceStandards() (app.ServiceStandards, error) {
	var vs app.ServiceStandards
	if ok, err := tx.get(keyServiceStandards, &vs); err != nil || ok {
		return vs, err
	}
	var s app.ServiceStandard
	ok, err := tx.get(keyServiceStandard, &s)
	if err != nil || !ok {
		return nil, err
	}
	if s.Name == app.Standard54321 {
		s = app.DefaultServiceStandard()
	}
	return app.ServiceStandards{{Standard: s}}, nil
}

// NewServiceRequest registers a request from a unit of the register.
func (s ServiceDesk) NewServiceRequest(ctx context.Context, r app.ServiceRequest, who string) (app.ServiceRequest, error) {
	r.Unit = app.NormalizeUnitID(r.Unit)
	if err := r.Validate(); err != nil {
		return r, err
	}
	// Photos go in first, each in its own transaction (a content-addressed blob is
	// harmless on its own, and a big one would not fit in one transaction with the
	// rest); if the request is refused, the blobs this call added are removed.
	var fresh []string
	r.Photos = nil
	for _, f := range r.Files {
		a := f.Describe()
		var had bool
		err := s.db.update(func(tx *Tx) error {
			var err error
			if had, err = tx.has(attachmentKey(a.SHA256, 0)); err != nil || had {
				return err
			}
			return tx.putBlob(a.SHA256, f.Data)
		})
		if err != nil {
			s.db.dropBlobs(fresh)
			return r, err
		}
		if !had {
			fresh = append(fresh, a.SHA256)
		}
		r.Photos = append(r.Photos, a)
	}
	err := s.db.update(func(tx *Tx) error {
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
		r.ID, r.Who, r.Steps, r.Events, r.Superseded = app.ServiceRequestID(n), who, nil, nil, nil
		if err := tx.putServiceRequest(r); err != nil {
			return err
		}
		return tx.audit(who, "service.new", fmt.Sprintf("%s %s %s %s", r.ID, r.Unit, r.Kind, app.FormatServiceTime(r.At)), r.Description)
	})
	if err != nil {
		s.db.dropBlobs(fresh)
	}
	r.Files = nil
	return r, err
}

func (db *DB) dropBlobs(shas []string) {
	for _, sha := range shas {
		_ = db.update(func(tx *Tx) error { return tx.deleteBlob(sha) })
	}
}

// ServicePhoto returns one photo of a request with its bytes.
func (s ServiceDesk) ServicePhoto(ctx context.Context, id string, n int) (app.Attachment, []byte, error) {
	var a app.Attachment
	var data []byte
	err := s.db.view(func(tx *Tx) error {
		r, err := tx.serviceRequest(id)
		if err != nil {
			return err
		}
		if n < 0 || n >= len(r.Photos) {
			return app.Errorf(app.ENOTFOUND, "服务请求 %s 没有第 %d 张照片（共 %d 张）", "service request %s has no photo %d (it has %d)", id, n+1, len(r.Photos))
		}
		a = r.Photos[n]
		data, err = tx.blob(a.SHA256)
		return err
	})
	return a, data, err
}

// RecordServiceStep records one step of a request.
func (s ServiceDesk) RecordServiceStep(ctx context.Context, id string, step app.ServiceStepRecord, who string) (app.ServiceRequest, error) {
	var out app.ServiceRequest
	err := s.db.update(func(tx *Tx) error {
		r, err := tx.serviceRequest(id)
		if err != nil {
			return err
		}
		vs, err := tx.serviceStandards()
		if err != nil {
			return err
		}
		step.Who = who
		if out, err = r.AddStep(vs.For(r), step); err != nil {
			return err
		}
		if err := tx.putServiceRequest(out); err != nil {
			return err
		}
		what := fmt.Sprintf("%s %s %s", id, step.Step, app.FormatServiceTime(step.At))
		if step.Rating != 0 {
			what += fmt.Sprintf(" rating %d", step.Rating)
		}
		return tx.audit(who, "service.step", what, step.Note)
	})
	return out, err
}

// RecordServiceEvent records a handler, a note, a reopen, an escalation or a sign-off.
func (s ServiceDesk) RecordServiceEvent(ctx context.Context, id string, e app.ServiceEvent, who string) (app.ServiceRequest, error) {
	var out app.ServiceRequest
	err := s.db.update(func(tx *Tx) error {
		r, err := tx.serviceRequest(id)
		if err != nil {
			return err
		}
		e.Who = who
		if out, err = r.AddEvent(e); err != nil {
			return err
		}
		if err := tx.putServiceRequest(out); err != nil {
			return err
		}
		what := fmt.Sprintf("%s %s %s", id, e.Kind, app.FormatServiceTime(e.At))
		if e.Slip != "" {
			what += " slip " + e.Slip
		}
		return tx.audit(who, "service."+e.Kind, what, e.Text)
	})
	return out, err
}

// ImportServiceRequests registers many requests with their steps in one transaction.
func (s ServiceDesk) ImportServiceRequests(ctx context.Context, reqs []app.ServiceRequest, who, why string) error {
	for i, r := range reqs {
		if err := r.Validate(); err != nil {
			return importRefusal(i, err)
		}
	}
	return s.db.update(func(tx *Tx) error {
		if err := tx.requireBook(); err != nil {
			return err
		}
		vs, err := tx.serviceStandards()
		if err != nil {
			return err
		}
		for i, r := range reqs {
			if err := r.CheckSteps(vs.For(r)); err != nil {
				return importRefusal(i, err)
			}
		}
		known := map[string]bool{}
		first := ""
		for i, r := range reqs {
			if !known[r.Unit] {
				ok, err := tx.has(unitKey(r.Unit))
				if err != nil {
					return err
				}
				if !ok {
					return app.Errorf(app.ENOTFOUND, "第 %d 条：登记册里没有房号 %s；没有导入任何请求", "request %d: unit %s is not in the register; nothing was imported", i+1, r.Unit)
				}
				known[r.Unit] = true
			}
			n, err := tx.next("service")
			if err != nil {
				return err
			}
			r.ID = app.ServiceRequestID(n)
			if r.Who == "" {
				r.Who = who
			}
			if first == "" {
				first = r.ID
			}
			if err := tx.putServiceRequest(r); err != nil {
				return err
			}
		}
		if len(reqs) == 0 {
			return nil
		}
		return tx.audit(who, "service.import", fmt.Sprintf("%d requests from %s", len(reqs), first), why)
	})
}

// importRefusal names the request of a batch that was refused.
func importRefusal(i int, err error) error {
	return &app.Error{Code: app.ErrorCode(err),
		ZH: fmt.Sprintf("第 %d 条：%s；没有导入任何请求", i+1, errZH(err)),
		EN: fmt.Sprintf("request %d: %s; nothing was imported", i+1, errEN(err))}
}

// putServiceRequest writes a request and its compact facts for the statistics.
func (tx *Tx) putServiceRequest(r app.ServiceRequest) error {
	if err := tx.put(serviceKey(r.ID), r); err != nil {
		return err
	}
	return tx.put(serviceMonthKey(r.ServiceMonth(), r.ID), r.Facts())
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
func (s ServiceDesk) ServiceRequest(ctx context.Context, id string) (app.ServiceRequest, error) {
	return read(s.db, func(tx *Tx) (app.ServiceRequest, error) { return tx.serviceRequest(id) })
}

// ServiceRequests lists every request in id order.
func (s ServiceDesk) ServiceRequests(ctx context.Context) ([]app.ServiceRequest, error) {
	return read(s.db, func(tx *Tx) ([]app.ServiceRequest, error) { return all[app.ServiceRequest](tx, prefixService) })
}

// ServiceStats counts a period's requests under the standard in force at the book's clock.
func (s ServiceDesk) ServiceStats(ctx context.Context, period string) (app.ServiceStats, error) {
	from, to, err := app.ParseCollectionPeriod(period)
	if err != nil {
		return app.ServiceStats{}, err
	}
	return read(s.db, func(tx *Tx) (app.ServiceStats, error) {
		stds, err := tx.serviceStandards()
		if err != nil {
			return app.ServiceStats{}, err
		}
		// The month a request is filed under is its local month when it was written; a
		// month either side covers a change of the machine's time zone since.
		var reqs []app.ServiceRequest
		for m := app.AddMonths(from, -1); m <= app.AddMonths(to, 1); m = app.AddMonths(m, 1) {
			err := eachFacts(tx, serviceMonthPrefix(m), func(f app.ServiceFacts) error {
				reqs = append(reqs, f.Request())
				return nil
			})
			if err != nil {
				return app.ServiceStats{}, err
			}
		}
		return app.ComputeServiceStats(reqs, stds, from, to, tx.now), nil
	})
}
