package storage

import (
	"encoding/json"
	"errors"
	"fmt"
	"testing"

	"github.com/dgraph-io/badger/v4"

	"sunledger/app"
)

// rawJournal writes n journal entries straight into the store (no chain, no audit: the
// journal readers only decode), entry i dated in 2025 or 2026 and posting to an
// expense account every third time.
func rawJournal(t *testing.T, db *DB, n int) []app.Entry {
	t.Helper()
	var all []app.Entry
	err := db.bdb.Update(func(txn *badger.Txn) error {
		for i := 1; i <= n; i++ {
			acct := app.TypeAsset + ":x"
			if i%3 == 0 {
				acct = app.TypeExpense + ":y"
			}
			e := app.Entry{Seq: int64(i), Date: fmt.Sprintf("%d-%02d-01", 2025+i%2, 1+i%12), Description: fmt.Sprint(i),
				Postings: []app.Posting{{Account: acct, Amount: dec("1.00")}, {Account: app.TypeAsset + ":z", Amount: dec("-1.00")}}}
			b, err := json.Marshal(e)
			if err != nil {
				return err
			}
			if err := txn.Set([]byte(entryKey(e.Seq)), b); err != nil {
				return err
			}
			all = append(all, e)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return all
}

// TestJournalWhere_KeepsJournalOrderAcrossBatches: the entries of a year that mention
// an account come back all, and in journal order, however many batches the decoders
// shared.
func TestJournalWhere_KeepsJournalOrderAcrossBatches(t *testing.T) {
	db, _ := newBook(t)
	all := rawJournal(t, db, 3*journalBatchSize+7)
	var want []int64
	for _, e := range all {
		if e.Date[:4] == "2026" && e.Postings[0].Account == app.TypeExpense+":y" {
			want = append(want, e.Seq)
		}
	}
	var got []int64
	err := db.view(func(tx *Tx) error {
		es, err := tx.journalWhere(in(2026), app.TypeExpense+":")
		for _, e := range es {
			got = append(got, e.Seq)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("got %d entries %v…, want %d %v…", len(got), got[:min(5, len(got))], len(want), want[:min(5, len(want))])
	}
}

// TestJournalEach_StopsWhenTheReportFails: an error from fn ends the read at once with
// that error, and the reader is gone before the transaction ends.
func TestJournalEach_StopsWhenTheReportFails(t *testing.T) {
	db, _ := newBook(t)
	rawJournal(t, db, 5*journalBatchSize)
	stop := errors.New("enough")
	calls := 0
	err := db.view(func(tx *Tx) error {
		return tx.journalEach(nil, "", true, func(es []app.Entry) error {
			calls++
			if len(es) != journalBatchSize || es[0].Date != "2026-02-01" || es[0].Description != "" {
				t.Errorf("first batch: %d entries from %+v, want %d amounts-only entries from the first (2026-02-01)", len(es), es[0], journalBatchSize)
			}
			return stop
		})
	})
	if !errors.Is(err, stop) || calls != 1 {
		t.Fatalf("err %v after %d calls, want %v after 1", err, calls, stop)
	}
}
