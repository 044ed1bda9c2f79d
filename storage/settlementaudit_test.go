package storage

import (
	"testing"

	"sunledger/app"
)

// An audit is recorded only on a settled year, with who audited it and the report's
// number; the settlement keeps every audit and the newest is the one printed.
func TestSettlementAudit_RecordedOnASettledYearOnly(t *testing.T) {
	db := microBook(t)
	a := app.SettlementAudit{Auditor: "明信会计师事务所", Report: "明信审字〔2027〕第3号", Date: "2027-01-08"}
	if _, err := db.settlementService().RecordAudit(ctx, 2026, a, "tester", ""); app.ErrorCode(err) != app.ENOTFOUND {
		t.Fatalf("an audit of a year not settled: %v", err)
	}
	if _, err := db.settlementService().Settle(ctx, 2026, "tester", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := db.settlementService().RecordAudit(ctx, 2026, app.SettlementAudit{Auditor: "x", Date: "2027-01-08"}, "tester", ""); app.ErrorCode(err) != app.EINVALID {
		t.Fatalf("an audit without a report number: %v", err)
	}
	if _, err := db.settlementService().RecordAudit(ctx, 2026, a, "tester", ""); err != nil {
		t.Fatal(err)
	}
	s, err := db.settlementService().Settlement(ctx, 2026)
	if err != nil {
		t.Fatal(err)
	}
	got, ok := s.Audit()
	if !ok || got.Report != a.Report || got.Auditor != a.Auditor || got.By != "tester" || len(s.Audits) != 1 {
		t.Fatalf("audit %+v %v (%d)", got, ok, len(s.Audits))
	}
	audited := false
	log, _ := db.bookService().Audit(ctx)
	for _, e := range log {
		audited = audited || e.Action == "settlement.audit"
	}
	if !audited {
		t.Error("the audit record is not in the audit log")
	}
}
