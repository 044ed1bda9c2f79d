package storage

import (
	"bytes"
	"path/filepath"
	"reflect"
	"testing"

	"sunledger/app"
)

// A Book runs each job with the store closed and is open again afterwards, on the
// restored book when the job worked and on the old one when it was refused.
func TestBook_RestoreReopensTheRestoredOrTheOldBook(t *testing.T) {
	_, data := backupBook(t)
	b := NewBook(filepath.Join(t.TempDir(), "book"))
	if err := b.Open(false); err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if err := b.Services().Book.Init(ctx, app.Community{Name: "别的小区"}, "t"); err != nil {
		t.Fatal(err)
	}
	community := func() string {
		t.Helper()
		if b.DB() == nil {
			t.Fatal("the book was not opened again")
		}
		c, err := b.Services().Book.Community(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return c.Name
	}

	if err := b.Restore(ctx, bytes.NewReader(data[:len(data)/2]), testPass, true, "chair"); err == nil {
		t.Fatal("a cut-short backup was restored")
	}
	if got := community(); got != "别的小区" {
		t.Errorf("after a refused restore the book is %q, want the old one", got)
	}
	if err := b.Restore(ctx, bytes.NewReader(data), testPass, true, "chair"); err != nil {
		t.Fatal(err)
	}
	if got := community(); got != "测试小区" {
		t.Errorf("after the restore the book is %q, want the restored one", got)
	}
}

// A closed Book stays closed after a job: the CLI's restore and demo never open it.
func TestBook_JobOnAClosedBookLeavesItClosed(t *testing.T) {
	_, data := backupBook(t)
	b := NewBook(filepath.Join(t.TempDir(), "book"))
	if err := b.Restore(ctx, bytes.NewReader(data), testPass, false, "chair"); err != nil {
		t.Fatal(err)
	}
	if b.DB() != nil {
		t.Fatal("the job opened the book")
	}
	if err := b.Open(true); err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if c, err := b.Services().Book.Community(ctx); err != nil || c.Name != "测试小区" {
		t.Errorf("restored book: %+v %v", c, err)
	}
}

// The demo is built beside an empty book and swapped in; over a book it is refused and
// the book is open as it was.
func TestBook_BuildDemoSwapsInOrLeavesTheBook(t *testing.T) {
	b := NewBook(filepath.Join(t.TempDir(), "book"))
	if err := b.Open(false); err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	build := func(s app.Services) error { return s.Book.Init(ctx, app.Community{Name: "示例小区"}, "demo") }
	if err := b.BuildDemo(ctx, nil, build); err != nil {
		t.Fatal(err)
	}
	if c, err := b.Services().Book.Community(ctx); err != nil || c.Name != "示例小区" {
		t.Fatalf("after the demo: %+v %v", c, err)
	}
	if err := b.BuildDemo(ctx, nil, build); err == nil {
		t.Error("a demo was built over a book")
	}
	if c, err := b.Services().Book.Community(ctx); err != nil || c.Name != "示例小区" {
		t.Errorf("after the refused demo: %+v %v", c, err)
	}
}

// *DB keeps only what every service shares, and no service embeds it (a service's
// exported methods are its own, not the store's): docs/architecture.md.
func TestDB_KeepsOnlyWhatEveryServiceShares(t *testing.T) {
	if n := reflect.TypeFor[*DB]().NumMethod(); n > 30 {
		t.Errorf("*DB has %d exported methods, at most 30", n)
	}
	for _, v := range []any{BookService{}, RegisterService{}, LedgerService{}, FeeService{}, PriceService{}, ChartService{},
		IncomeService{}, VoteService{}, MemberService{}, ExpenseService{}, BudgetService{}, RemunerationService{},
		SettlementService{}, MaintenanceService{}, ServiceDesk{}, CashService{}, BankService{}, PublicationService{},
		BackupService{}, SurveyService{}, MeetingService{}, MicroFundService{}, PrintService{}, LogService{}} {
		typ := reflect.TypeOf(v)
		for i := range typ.NumField() {
			if f := typ.Field(i); f.Anonymous || f.IsExported() {
				t.Errorf("%s has the field %s exported or embedded", typ.Name(), f.Name)
			}
		}
	}
}
