package storage

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"sunledger/app"
)

// TestConflicts_ConcurrentPaymentsAllLand: 40 payments at once through the service all
// succeed (conflicting transactions are retried, never reported as damage), each gets its
// own receipt, and the bank holds exactly their sum.
func TestConflicts_ConcurrentPaymentsAllLand(t *testing.T) {
	db := feeBook(t)
	bank := app.BankAccount(app.FundService)
	before := balanceOf(t, db, bank)
	var wg sync.WaitGroup
	errs := make(chan error, 40)
	receipts := make(chan string, 40)
	for i := range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			unit := []string{"1-1-101", "1-1-102", "P-001"}[i%3]
			p, err := db.feeService().Pay(ctx, app.PaymentRequest{Unit: unit, Amount: dec("10.00"), Method: app.MethodBank}, "tester", "")
			if err != nil {
				errs <- err
				return
			}
			receipts <- p.Receipt
		}()
	}
	wg.Wait()
	close(errs)
	close(receipts)
	for err := range errs {
		t.Errorf("a concurrent payment failed: %v", err)
	}
	seen := map[string]bool{}
	for r := range receipts {
		if seen[r] {
			t.Errorf("receipt %s issued twice", r)
		}
		seen[r] = true
	}
	if got := balanceOf(t, db, bank).Sub(before); !got.Equal(dec("400.00")) {
		t.Errorf("the bank got %s, want 400.00", got)
	}
	if err := db.ledgerService().Verify(ctx); err != nil {
		t.Fatal(err)
	}
}

// TestCommitted_ABookBehindItsLastWriteIsRefused: if the store holds less than the last
// committed write (a damaged write-ahead log replayed after a crash), opening says so
// instead of showing an older book as if it were current.
func TestCommitted_ABookBehindItsLastWriteIsRefused(t *testing.T) {
	db := feeBook(t)
	dir := db.Dir()
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	v, _ := readCommitted(dir)
	if v == 0 {
		t.Fatal("no COMMITTED marker after writes")
	}
	if err := os.WriteFile(filepath.Join(dir, committedFile), []byte(fmt.Sprintf("%020d\n", v+5)), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, open := range []func(string) (*DB, error){Open, OpenReadOnly} {
		if d, err := open(dir); err == nil {
			d.Close()
			t.Fatal("a book missing its last writes opened without a word")
		} else if !strings.Contains(err.Error(), "备份") {
			t.Errorf("the message does not name the way out: %v", err)
		}
	}
	// A torn marker claims nothing.
	os.WriteFile(filepath.Join(dir, committedFile), []byte("\xff\xff"), 0o600)
	d, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	d.Close()
}
