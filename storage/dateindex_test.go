package storage

import (
	"fmt"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"sunledger/app"
)

// datedBook is feeBook with manual entries posted out of date order (backdated ones too).
func datedBook(t *testing.T) *DB {
	t.Helper()
	db := feeBook(t)
	bank, cash := app.BankAccount(app.FundPublic), app.CashAccount(app.FundPublic)
	for i, date := range []string{"2026-05-03", "2026-02-10", "2026-06-01", "2026-04-30", "2026-01-01", "2026-03-31", "2026-06-15"} {
		amt := dec(fmt.Sprintf("%d.25", i+1))
		if _, err := db.ledgerService().Post(ctx, app.Entry{Date: date, Description: "转存", Postings: []app.Posting{
			{Account: bank, Amount: amt}, {Account: cash, Amount: amt.Neg()}}}, "t", ""); err != nil {
			t.Fatal(err)
		}
	}
	return db
}

// wholeJournal is what the index must give, read from every entry.
func wholeJournal(t *testing.T, db *DB, from, to string, upTo int64) (seqs []int64, before map[string]decimal.Decimal) {
	t.Helper()
	before = map[string]decimal.Decimal{}
	err := db.ledgerService().EachEntry(ctx, func(e app.Entry) error {
		if upTo > 0 && e.Seq > upTo {
			return nil
		}
		if e.Date >= from && e.Date <= to {
			seqs = append(seqs, e.Seq)
		}
		if e.Date < from {
			for _, p := range e.Postings {
				before[p.Account] = before[p.Account].Add(p.Amount)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return seqs, before
}

// checkDated compares EachEntryDated and BalancesBefore with the whole journal for
// every quarter and month of 2026 and several heads.
func checkDated(t *testing.T, db *DB) {
	t.Helper()
	_, head, _ := db.ledgerService().Head(ctx)
	for _, p := range [][2]string{{"2026-01-01", "2026-03-31"}, {"2026-04-01", "2026-06-30"}, {"2026-02-01", "2026-02-28"}, {"2026-06-01", "2026-06-30"}, {"2026-07-01", "2026-09-30"}, {"2025-01-01", "2025-12-31"}} {
		for _, upTo := range []int64{0, 2, 5, head - 1, head} {
			wantSeqs, wantBefore := wholeJournal(t, db, p[0], p[1], upTo)
			var got []int64
			if err := db.ledgerService().EachEntryDated(ctx, p[0], p[1], upTo, func(e app.Entry) error {
				got = append(got, e.Seq)
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			if fmt.Sprint(got) != fmt.Sprint(wantSeqs) {
				t.Errorf("%v up to #%d: entries %v, the journal says %v", p, upTo, got, wantSeqs)
			}
			bal, err := db.ledgerService().BalancesBefore(ctx, p[0], upTo)
			if err != nil {
				t.Fatal(err)
			}
			for a, v := range wantBefore {
				if !bal[a].Equal(v) {
					t.Errorf("%v up to #%d: %s before is %s, the journal says %s", p, upTo, a, bal[a], v)
				}
			}
			for a, v := range bal {
				if !v.IsZero() && !wantBefore[a].Equal(v) {
					t.Errorf("%v up to #%d: %s before is %s, the journal says %s", p, upTo, a, v, wantBefore[a])
				}
			}
		}
	}
}

// TestLedger_APeriodReadThroughTheDateIndexIsTheWholeJournalsAnswer: the entries of a
// period and the balances before it, read through the index by month, are what the
// whole journal gives, with entries posted out of date order and for any head.
func TestLedger_APeriodReadThroughTheDateIndexIsTheWholeJournalsAnswer(t *testing.T) {
	db := datedBook(t)
	err := db.view(func(tx *Tx) error {
		ok, err := tx.dateIndexed()
		if !ok {
			t.Error("a new book's journal is not indexed by date")
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	checkDated(t, db)
	if err := db.ledgerService().Verify(ctx); err != nil {
		t.Fatalf("the indexed book does not verify: %v", err)
	}
}

// TestLedger_ABookFromBeforeTheDateIndexIsReadWholeThenIndexed: a book written before
// the index (no index keys, no mark) gives the same answers by reading every entry, gets
// its index on the next writing open, and verifies.
func TestLedger_ABookFromBeforeTheDateIndexIsReadWholeThenIndexed(t *testing.T) {
	db := datedBook(t)
	dir := db.Dir()
	// Take the mark away the way an older program's book lacks it (through the record
	// log, which the reopen writes it again through: a mark deleted with a database tool
	// and written again is a change made outside Sunledger, and verify says so).
	if err := db.update(func(tx *Tx) error {
		return tx.delete(keyDateThrough)
	}); err != nil {
		t.Fatal(err)
	}
	db.view(func(tx *Tx) error {
		if ok, _ := tx.dateIndexed(); ok {
			t.Error("a book without the mark counts as indexed")
		}
		return nil
	})
	checkDated(t, db)
	db.Close()
	db = openTest(t, dir)
	defer db.Close()
	db.view(func(tx *Tx) error {
		if ok, _ := tx.dateIndexed(); !ok {
			t.Error("the writing open did not index the journal")
		}
		return nil
	})
	checkDated(t, db)
	if _, err := db.ledgerService().Post(ctx, app.Entry{Date: "2026-01-15", Description: "转存", Postings: []app.Posting{
		{Account: app.BankAccount(app.FundPublic), Amount: dec("1")}, {Account: app.CashAccount(app.FundPublic), Amount: dec("-1")}}}, "t", ""); err != nil {
		t.Fatal(err)
	}
	checkDated(t, db)
	if err := db.ledgerService().Verify(ctx); err != nil {
		t.Fatalf("the indexed book does not verify: %v", err)
	}
}

// TestVerify_TheDateIndexMustMatchTheJournal: an index key missing, or filing an entry
// under another month, would make a period report miss or double it; verify names it even
// when the change went through the record log (a bug, not an edit behind its back).
func TestVerify_TheDateIndexMustMatchTheJournal(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(tx *Tx, e app.Entry) error
		want string
	}{
		{"missing", func(tx *Tx, e app.Entry) error { return tx.delete(dateIndexKey(e.Date, e.Seq)) }, "缺少 #2"},
		{"another month", func(tx *Tx, e app.Entry) error {
			if err := tx.delete(dateIndexKey(e.Date, e.Seq)); err != nil {
				return err
			}
			return tx.putRaw(dateIndexKey("1999-01-01", e.Seq), nil)
		}, "#2"},
		{"an entry that is not there", func(tx *Tx, e app.Entry) error { return tx.putRaw(dateIndexKey(e.Date, 9999), nil) }, "#9999"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db := datedBook(t)
			e, err := db.ledgerService().Entry(ctx, 2)
			if err != nil {
				t.Fatal(err)
			}
			if err := db.update(func(tx *Tx) error { return tc.edit(tx, e) }); err != nil {
				t.Fatal(err)
			}
			err = db.ledgerService().Verify(ctx)
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "索引") {
				t.Fatalf("verify: %v", err)
			}
		})
	}
	if err := datedBook(t).ledgerService().Verify(ctx); err != nil {
		t.Fatalf("a whole index: %v", err)
	}
}

// TestLedger_BalancesBeforeFromTheNearestMonthRemembered: a read-only transaction's
// balances before the first of a month are remembered and the next month's are made from
// the nearest one, forwards or backwards, for any head: always what the whole journal
// gives. A write transaction remembers nothing, and a new entry is counted at once.
func TestLedger_BalancesBeforeFromTheNearestMonthRemembered(t *testing.T) {
	db := datedBook(t)
	_, head, _ := db.ledgerService().Head(ctx)
	check := func(date string, upTo int64) {
		t.Helper()
		_, want := wholeJournal(t, db, date, "9999-12-31", upTo)
		got, err := db.ledgerService().BalancesBefore(ctx, date, upTo)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range []map[string]decimal.Decimal{want, got} {
			for a := range m {
				if !got[a].Equal(want[a]) {
					t.Errorf("%s up to #%d: %s before is %s, the journal says %s", date, upTo, a, got[a], want[a])
				}
			}
		}
	}
	months := []string{"2026-04-01", "2026-05-01", "2026-07-01", "2026-03-01", "2026-01-01", "2025-12-01", "2026-06-01", "2026-02-01", "2026-04-01"}
	for _, upTo := range []int64{head, head - 3, 4} {
		for _, m := range months {
			check(m, upTo)
		}
	}
	if db.balancesMemo.used.Load() == 0 {
		t.Fatal("no answer was made from a remembered month")
	}

	if err := db.update(func(tx *Tx) error {
		db.balancesMemo = balancesMemo{}
		_, err := tx.balancesBefore(ctx, "2026-04-01", 0)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if len(db.balancesMemo.at) != 0 {
		t.Fatal("a write transaction's balances were remembered")
	}
	check("2026-04-01", 0)
	bank, cash := app.BankAccount(app.FundPublic), app.CashAccount(app.FundPublic)
	if _, err := db.ledgerService().Post(ctx, app.Entry{Date: "2026-02-11", Description: "转存", Postings: []app.Posting{
		{Account: bank, Amount: dec("100")}, {Account: cash, Amount: dec("-100")}}}, "t", ""); err != nil {
		t.Fatal(err)
	}
	check("2026-04-01", 0)
	check("2026-05-01", 0)
}
