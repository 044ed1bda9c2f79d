package storage

import (
	"context"
	"fmt"
	"strings"

	"sunledger/app"
)

var _ app.SurveyService = SurveyService{}

// CreateSurvey records a survey with the register's units as they stand now.
func (s SurveyService) CreateSurvey(ctx context.Context, sv app.Survey, who string) (app.Survey, error) {
	sv.Title = strings.TrimSpace(sv.Title)
	q, err := app.ParseQuarter(sv.Quarter)
	if err != nil {
		return app.Survey{}, err
	}
	sv.Quarter = q
	if err := sv.Validate(); err != nil {
		return app.Survey{}, err
	}
	err = s.db.update(func(tx *Tx) error {
		if err := tx.requireBook(); err != nil {
			return err
		}
		units, err := tx.units()
		if err != nil {
			return err
		}
		if len(units) == 0 {
			return app.Errorf(app.EINVALID, "登记册是空的：请先导入房号再创建调查", "the register is empty: import the units before creating a survey")
		}
		sv.Units = sv.Units[:0]
		for _, u := range units {
			if u.Kind != app.KindParking {
				sv.Units = append(sv.Units, u.ID)
			}
		}
		n, err := tx.next("survey")
		if err != nil {
			return err
		}
		sv.ID = fmt.Sprintf("Q%04d", n)
		sv.Created = tx.now.UTC()
		if sv.Date == "" {
			sv.Date = tx.now.Format(app.DateLayout)
		}
		if err := tx.put(surveyMetaKey(sv.ID), sv); err != nil {
			return err
		}
		return tx.audit(who, "survey.new", fmt.Sprintf("%s %s (%s): %d questions, %d units surveyed", sv.ID, sv.Title, sv.Quarter, len(sv.Questions), len(sv.Units)), "")
	})
	if err != nil {
		return app.Survey{}, err
	}
	return sv, nil
}

// Surveys lists every survey, oldest first.
func (s SurveyService) Surveys(ctx context.Context) ([]app.Survey, error) {
	return read(s.db, func(tx *Tx) ([]app.Survey, error) {
		if err := tx.requireBook(); err != nil {
			return nil, err
		}
		return all[app.Survey](tx, prefixSurveyMeta)
	})
}

func (tx *Tx) survey(id string) (app.Survey, error) {
	var s app.Survey
	if err := tx.requireBook(); err != nil {
		return s, err
	}
	ok, err := tx.get(surveyMetaKey(id), &s)
	if err == nil && !ok {
		err = app.Errorf(app.ENOTFOUND, "没有编号为 %s 的调查（survey list 列出所有调查）", "there is no survey %s (survey list shows them)", id)
	}
	return s, err
}

// SurveyRecord returns everything recorded for a survey.
func (s SurveyService) SurveyRecord(ctx context.Context, id string) (app.SurveyRecord, error) {
	return read(s.db, func(tx *Tx) (app.SurveyRecord, error) { return tx.surveyRecord(id) })
}

func (tx *Tx) surveyRecord(id string) (app.SurveyRecord, error) {
	var r app.SurveyRecord
	s, err := tx.survey(id)
	if err != nil {
		return r, err
	}
	r.Survey = s
	if r.EntryA, err = all[app.SurveySheet](tx, surveyEntryPrefix(id, app.EntryA)); err != nil {
		return r, err
	}
	if r.EntryB, err = all[app.SurveySheet](tx, surveyEntryPrefix(id, app.EntryB)); err != nil {
		return r, err
	}
	r.Resolutions, err = all[app.SurveyResolution](tx, prefixSurveyRes+id+"/")
	return r, err
}

// EnterSheets adds one transcription's sheets to entry A or B, all or nothing.
func (s SurveyService) EnterSheets(ctx context.Context, id, entry string, sheets []app.SurveySheet, replace bool, who string) error {
	entry, err := checkEntry(entry)
	if err != nil {
		return err
	}
	if len(sheets) == 0 {
		return app.Errorf(app.EINVALID, "没有要录入的答卷", "there are no sheets to enter")
	}
	return s.db.update(func(tx *Tx) error {
		sv, err := tx.survey(id)
		if err != nil {
			return err
		}
		if err := putEntry(tx, surveyEntryPrefix(id, entry), entry, sheetWord, sheets, replace, func(sh *app.SurveySheet) (string, error) {
			sh.No = app.NormalizeBallotNo(sh.No)
			sh.Unit = app.NormalizeUnitID(sh.Unit)
			return sh.No, sv.CheckSheet(*sh)
		}); err != nil {
			return err
		}
		return tx.audit(who, "survey.enter", fmt.Sprintf("%s entry %s: %d sheets, replace=%v", id, entry, len(sheets), replace), "")
	})
}

// ResolveSheet records the third look at a paper sheet.
func (s SurveyService) ResolveSheet(ctx context.Context, id string, r app.SurveyResolution, who string) error {
	r.Sheet.No = app.NormalizeBallotNo(r.Sheet.No)
	r.Sheet.Unit = app.NormalizeUnitID(r.Sheet.Unit)
	r.Sheet.Invalid = app.NormalizeReason(string(r.Sheet.Invalid))
	r.Sheet.Row = 0
	return s.db.update(func(tx *Tx) error {
		sv, err := tx.survey(id)
		if err != nil {
			return err
		}
		if err := sv.CheckSheet(r.Sheet); err != nil {
			return err
		}
		if err := inEitherEntry(tx, func(e string) string { return surveyEntryPrefix(id, e) }, sheetWord, r.Sheet.No); err != nil {
			return err
		}
		r.Who, r.At = who, tx.now.UTC()
		if err := tx.put(surveyResKey(id, r.Sheet.No), r); err != nil {
			return err
		}
		return tx.audit(who, "survey.resolve", fmt.Sprintf("%s sheet %s: unit %s, answers %v, invalid %q", id, r.Sheet.No, r.Sheet.Unit, r.Sheet.Answers, r.Sheet.Invalid), r.Note)
	})
}

// AssessmentWeights returns the computed assessment's weights (40/40/20 until set).
func (s SurveyService) AssessmentWeights(ctx context.Context) (app.AssessmentWeights, error) {
	return read(s.db, func(tx *Tx) (app.AssessmentWeights, error) {
		w := app.DefaultAssessmentWeights()
		if err := tx.requireBook(); err != nil {
			return w, err
		}
		_, err := tx.get(keyAssessWeights, &w)
		return w, err
	})
}

// SetAssessmentWeights records the computed assessment's weights.
func (s SurveyService) SetAssessmentWeights(ctx context.Context, w app.AssessmentWeights, who, why string) error {
	if err := w.Validate(); err != nil {
		return err
	}
	return s.db.update(func(tx *Tx) error {
		if err := tx.requireBook(); err != nil {
			return err
		}
		if err := tx.put(keyAssessWeights, w); err != nil {
			return err
		}
		return tx.audit(who, "remuneration.weights", fmt.Sprintf("survey %s, service %s, ratings %s, committee %s, min participation %s%%", w.Survey, w.Service, w.Ratings, w.Committee, w.MinParticipation), why)
	})
}
