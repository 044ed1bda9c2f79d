package storage

import (
	"strings"
	"testing"
	"time"

	"sunledger/app"
)

// microBook is a book with one public income of ¥10,000.03 in 2026 and the clock in
// January 2027, so 2026 can be settled.
func microBook(t *testing.T) *DB {
	t.Helper()
	db, _ := newBook(t)
	db.Now = func() time.Time { return time.Date(2026, 3, 1, 10, 0, 0, 0, time.Local) }
	if _, err := db.incomeService().RecordIncome(ctx, app.Income{Fund: app.FundPublic, Kind: "parking", Amount: dec("10000.03"), Date: "2026-02-01"}, "tester", ""); err != nil {
		t.Fatal(err)
	}
	db.Now = func() time.Time { return time.Date(2027, 1, 10, 10, 0, 0, 0, time.Local) }
	return db
}

func microBalance(t *testing.T, db *DB, account string) string {
	t.Helper()
	bs, err := db.ledgerService().Balances(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range bs {
		if b.Account == account {
			return b.Balance.StringFixed(2)
		}
	}
	return "0.00"
}

func TestMicroFund_MovedInTheSettlementsTransaction(t *testing.T) {
	db := microBook(t)
	// A share outside 0–100 % settles nothing.
	if _, err := db.settlementService().SettleWithMicroFund(ctx, 2026, dec("101"), "tester", ""); app.ErrorCode(err) != app.EINVALID {
		t.Fatalf("share 101%%: %v", err)
	}
	if _, err := db.settlementService().Settlement(ctx, 2026); app.ErrorCode(err) != app.ENOTFOUND {
		t.Fatalf("a refused share settled the year: %v", err)
	}
	s, err := db.settlementService().SettleWithMicroFund(ctx, 2026, dec("30"), "tester", "第7次会议决议")
	if err != nil {
		t.Fatal(err)
	}
	m, ok := s.MicroFund()
	if !ok || !m.Amount.Equal(dec("3000.01")) || !m.Surplus.Equal(dec("10000.03")) || m.Entry == 0 {
		t.Fatalf("move %+v %v", m, ok)
	}
	stored, err := db.settlementService().Settlement(ctx, 2026)
	if err != nil {
		t.Fatal(err)
	}
	if got, ok := stored.MicroFund(); !ok || got.Entry != m.Entry {
		t.Fatalf("stored settlement lacks the move: %+v", stored.MicroFundMoves)
	}
	es, err := db.ledgerService().Entries(ctx, m.Entry, 1)
	if err != nil || len(es) != 1 || es[0].Ref != "settlement:2026" || es[0].Date != "2027-01-10" {
		t.Fatalf("entry %+v %v", es, err)
	}
	if b := microBalance(t, db, app.MicroFundAccount); b != "-3000.01" {
		t.Errorf("micro-fund balance %s", b)
	}
	// The settlement's figures are those of the year: an appropriation moves no net assets.
	if f := stored.Fund(app.FundPublic); !f.Surplus.Equal(dec("10000.03")) || !f.Closing.Equal(dec("10000.03")) {
		t.Errorf("public fund %+v", f)
	}
	if next, err := db.settlementService().PreviewSettlement(ctx, 2027); err != nil || !next.Fund(app.FundPublic).Opening.Equal(dec("10000.03")) || !next.Fund(app.FundPublic).Surplus.IsZero() {
		t.Errorf("2027 preview %+v %v", next.Fund(app.FundPublic), err)
	}
	if err := db.ledgerService().Verify(ctx); err != nil {
		t.Fatalf("verify: %v", err)
	}
	var audited bool
	as, _ := db.bookService().Audit(ctx)
	for _, a := range as {
		audited = audited || a.Action == "settlement.microfund"
	}
	if !audited {
		t.Error("the move is not audited")
	}
	// A second move of the same year is refused; reversing is the undo, then a new share.
	if _, err := db.settlementService().MoveMicroFund(ctx, 2026, dec("20"), "tester", ""); app.ErrorCode(err) != app.ECONFLICT {
		t.Fatalf("second move: %v", err)
	}
	r, err := db.ledgerService().Reverse(ctx, m.Entry, "", "tester", "比例改为 20%")
	if err != nil {
		t.Fatal(err)
	}
	stored, _ = db.settlementService().Settlement(ctx, 2026)
	if _, ok := stored.MicroFund(); ok || stored.MicroFundMoves[0].Reversed != r.Seq {
		t.Fatalf("after the reversal %+v", stored.MicroFundMoves)
	}
	if b := microBalance(t, db, app.MicroFundAccount); b != "0.00" {
		t.Errorf("micro-fund balance after reversal %s", b)
	}
	if err := db.ledgerService().Verify(ctx); err != nil {
		t.Fatalf("verify after the reversal: %v", err)
	}
	s, err = db.settlementService().MoveMicroFund(ctx, 2026, dec("20"), "tester", "")
	if m2, ok := s.MicroFund(); err != nil || !ok || !m2.Amount.Equal(dec("2000.01")) || len(s.MicroFundMoves) != 2 {
		t.Fatalf("second share after the reversal: %+v %v", s.MicroFundMoves, err)
	}
	if err := db.ledgerService().Verify(ctx); err != nil {
		t.Fatalf("verify after the new move: %v", err)
	}
}

func TestMicroFund_NoSurplusMovesNothing(t *testing.T) {
	db, _ := newBook(t)
	db.Now = func() time.Time { return time.Date(2027, 1, 10, 10, 0, 0, 0, time.Local) }
	s, err := db.settlementService().SettleWithMicroFund(ctx, 2026, dec("30"), "tester", "")
	if err != nil {
		t.Fatal(err)
	}
	if len(s.MicroFundMoves) != 1 || !s.MicroFundMoves[0].Amount.IsZero() || s.MicroFundMoves[0].Entry != 0 {
		t.Fatalf("no surplus: %+v", s.MicroFundMoves)
	}
	if b := microBalance(t, db, app.MicroFundAccount); b != "0.00" {
		t.Errorf("balance %s", b)
	}
	if err := db.ledgerService().Verify(ctx); err != nil {
		t.Fatal(err)
	}
}

func TestMicroFund_UnsettledYearAndOtherSettlementEntriesRefused(t *testing.T) {
	db := microBook(t)
	if _, err := db.settlementService().MoveMicroFund(ctx, 2026, dec("30"), "tester", ""); app.ErrorCode(err) != app.ENOTFOUND {
		t.Fatalf("move before settling: %v", err)
	}
	if b := microBalance(t, db, app.MicroFundAccount); b != "0.00" {
		t.Errorf("a refused move wrote %s", b)
	}
	// A manual entry may not claim the settlement.
	if _, err := db.ledgerService().Post(ctx, app.Entry{Date: "2027-01-05", Description: "x", Ref: "settlement:2026", Postings: []app.Posting{
		{Account: app.RetainedAccount(app.FundPublic), Amount: dec("1")}, {Account: app.MicroFundAccount, Amount: dec("-1")}}}, "tester", ""); app.ErrorCode(err) != app.EINVALID {
		t.Fatalf("manual settlement entry: %v", err)
	}
}

func TestMicroFund_VerifyNamesATamperedMove(t *testing.T) {
	db := microBook(t)
	s, err := db.settlementService().SettleWithMicroFund(ctx, 2026, dec("30"), "tester", "")
	if err != nil {
		t.Fatal(err)
	}
	// The record claims a bigger move than its entry made.
	s.MicroFundMoves[0].Amount = dec("4000")
	if err := db.update(func(tx *Tx) error { return tx.put(settlementKey(2026), s) }); err != nil {
		t.Fatal(err)
	}
	if err := db.ledgerService().Verify(ctx); app.ErrorCode(err) != app.EINVALID {
		t.Fatalf("verify: %v", err)
	}
}

// When the move's entry is refused inside the transaction (here: the committee locked
// the current month, the entry's date), the settlement is not recorded either.
func TestMicroFund_RefusedEntryUndoesTheSettlement(t *testing.T) {
	db := microBook(t)
	if err := db.chartService().Lock(ctx, "2027-01", "tester", ""); err != nil {
		t.Fatal(err)
	}
	before, _ := db.bookService().Audit(ctx)
	if _, err := db.settlementService().SettleWithMicroFund(ctx, 2026, dec("30"), "tester", ""); app.ErrorCode(err) != app.ELOCKED {
		t.Fatalf("settle with a move into a locked month: %v", err)
	}
	if _, err := db.settlementService().Settlement(ctx, 2026); app.ErrorCode(err) != app.ENOTFOUND {
		t.Fatalf("the settlement was recorded without its move: %v", err)
	}
	if b := microBalance(t, db, app.MicroFundAccount); b != "0.00" {
		t.Errorf("balance %s", b)
	}
	after, _ := db.bookService().Audit(ctx)
	for _, a := range after[len(before):] {
		if a.Action == "settlement.settle" || a.Action == "settlement.microfund" {
			t.Errorf("audit of a change that did not happen: %+v", a)
		}
	}
	if err := db.ledgerService().Verify(ctx); err != nil {
		t.Fatal(err)
	}
	// Without the share the year settles.
	if _, err := db.settlementService().Settle(ctx, 2026, "tester", ""); err != nil {
		t.Fatal(err)
	}
}

// TestIncome_PayerStaysOnTheLaptop: an income's payer (who may be an owner renting a
// parking space) is not in its journal entry, which snapshots publish; the audit log on
// the laptop keeps it.
func TestIncome_PayerStaysOnTheLaptop(t *testing.T) {
	db, _ := newBook(t)
	e, err := db.incomeService().RecordIncome(ctx, app.Income{Fund: app.FundPublic, Kind: "parking", Amount: dec("300"), Date: "2026-02-01", Payer: "张三丰", Description: "3月车位"}, "tester", "")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(e.Description, "张三丰") || !strings.Contains(e.Description, "3月车位") {
		t.Errorf("the journal entry says %q: it must not name the payer, and keep the description", e.Description)
	}
	log, err := db.bookService().Audit(ctx)
	if err != nil {
		t.Fatal(err)
	}
	last := log[len(log)-1]
	if last.Action != "income.add" || !strings.HasSuffix(last.What, app.PayerNote+"张三丰") {
		t.Errorf("the audit record is %s %q; want income.add ending with the payer", last.Action, last.What)
	}
}
