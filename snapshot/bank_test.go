package snapshot

import (
	"context"
	"encoding/json"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/shopspring/decimal"

	"sunledger/app"
	"sunledger/storage"
)

// TestSnapshot_BankFileTakesTheJournalsWalkAsTheStoreCountsItems pins that bank.json,
// made from the movements snapJournal's walk gathers and the lines' matched entries,
// says what the store's own book items (BankService.BookItems, their matches) say:
// every month's reconciliation of every account with statement lines.
func TestSnapshot_BankFileTakesTheJournalsWalkAsTheStoreCountsItems(t *testing.T) {
	snapshotFixture(t)
	_, files := zipFiles(t, snapFixture.zip)
	var got []BankFile
	if err := json.Unmarshal(files["bank.json"], &got); err != nil {
		t.Fatalf("bank.json: %v", err)
	}
	ctx := context.Background()
	db, err := storage.OpenReadOnly(filepath.Join(snapFixture.dir, "book"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	s := db.Services()
	accounts, err := s.Bank.BankAccounts(ctx)
	if err != nil || len(accounts) == 0 || len(got) != len(accounts) {
		t.Fatalf("bank accounts %v (%v), bank.json has %d", accounts, err, len(got))
	}
	matched := 0
	for i, a := range accounts {
		lines, err := s.Bank.StatementLines(ctx, a)
		if err != nil {
			t.Fatal(err)
		}
		items, err := s.Bank.BookItems(ctx, a)
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range items {
			if it.Line != 0 {
				matched++
			}
		}
		var want []BankReconciliation
		for _, r := range got[i].Reconciliations {
			c, err := app.ReconcileBank(a, r.Period, lines, items)
			if err != nil {
				t.Fatal(err)
			}
			want = append(want, BankReconciliation{Period: r.Period, BookBalance: amt(c.BookBalance), BankBalance: amt(c.BankBalance),
				BookNotBank:  map[string]string{"in": amt(c.BookNotBank.In), "out": amt(c.BookNotBank.Out)},
				BankNotBook:  map[string]string{"in": amt(c.BankNotBook.In), "out": amt(c.BankNotBook.Out)},
				AdjustedBook: amt(c.AdjustedBook), AdjustedBank: amt(c.AdjustedBank), Difference: amt(c.Difference)})
		}
		if got[i].Account != a || len(want) == 0 || !reflect.DeepEqual(got[i].Reconciliations, want) {
			t.Errorf("%s: bank.json says\n%+v\nthe store's book items give\n%+v", a, got[i].Reconciliations, want)
		}
	}
	if matched == 0 {
		t.Fatal("the fixture matches no book item to a line: the test shows nothing")
	}
}

// TestBankItem_KeepsEveryAmountExactly: an amount kept in cents, or beside them when it
// has more decimals or more digits than cents hold, comes back the same number.
func TestBankItem_KeepsEveryAmountExactly(t *testing.T) {
	for _, c := range []struct {
		amount  string
		inCents bool
	}{
		{"0", true}, {"1234.50", true}, {"-1234.5", true}, {"0.01", true}, {"-0.01", true}, {"7", true},
		{"999999999999999999.99", false}, {"9999999999999999.99", true}, {"0.001", false}, {"-12.345", false},
		{"123456789012345678901234.56", false}, {"-123456789012345678901234.56", false},
	} {
		d := decimal.RequireFromString(c.amount)
		it := newBankItem(1, "2026-03-05", d)
		if got := it.amount(); !got.Equal(d) {
			t.Errorf("%s came back %s", c.amount, got)
		}
		if (it.odd == nil) != c.inCents {
			t.Errorf("%s: kept in cents %v, want %v", c.amount, it.odd == nil, c.inCents)
		}
	}
}
