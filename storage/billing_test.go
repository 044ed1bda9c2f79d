package storage

import (
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"sunledger/app"
)

// A billing run killed at any point shows each month whole or not at all, and running
// the same range again finishes it with exact totals.
const billCrashDirEnv = "SUNLEDGER_BILL_CRASH_DIR"

var (
	billCrashNow  = func() time.Time { return time.Date(2026, 6, 15, 10, 0, 0, 0, time.Local) }
	billCrashFrom = "2025-07"
	billCrashTo   = "2026-06"
)

const billCrashUnits = 150

// billCrashBook is a book with 150 units at 1.35 元/m²·月, ten of them with
// prepayment credit so that credit is used across parts.
func billCrashBook(t *testing.T, dir string) {
	t.Helper()
	db := openTest(t, dir)
	defer db.Close()
	db.Now = billCrashNow
	if err := db.bookService().Init(ctx, app.Community{Name: "断电小区"}, "t"); err != nil {
		t.Fatal(err)
	}
	units := make([]app.Unit, billCrashUnits)
	for i := range units {
		units[i] = unit(fmt.Sprintf("%d-1-%d", 1+i/50, 101+i%50), fmt.Sprintf("%d.%02d", 60+i%70, i%100), fmt.Sprintf("O%d", i))
	}
	if err := db.registerService().ImportUnits(ctx, units, "t", ""); err != nil {
		t.Fatal(err)
	}
	if err := db.priceService().SetPrice(ctx, app.FeePrice{Kind: app.KindResidential, Price: dec("1.35"), From: "2025-01"}, "t", ""); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 10; i++ {
		if _, err := db.feeService().Pay(ctx, app.PaymentRequest{Unit: units[i*13].ID, Amount: dec(fmt.Sprintf("%d.17", 100+i*97)), Date: "2025-06-20"}, "t", ""); err != nil {
			t.Fatal(err)
		}
	}
}

// TestBillCrashChild is the child's body: bill the range in tiny parts, forever slow
// enough to be killed mid-month. It does nothing in a normal test run.
func TestBillCrashChild(t *testing.T) {
	dir := os.Getenv(billCrashDirEnv)
	if dir == "" {
		t.Skip("only run by TestBill_KilledAtRandomPointsThenRerunFinishesExactly")
	}
	billPartBytes = 1500 // a few units per part
	db, err := Open(dir)
	if err != nil {
		fmt.Println("ERR", err)
		os.Exit(3)
	}
	db.Now = billCrashNow
	fmt.Println("start")
	if _, err := db.feeService().Bill(ctx, billCrashFrom, billCrashTo, "t", ""); err != nil {
		fmt.Println("ERR", err)
		os.Exit(3)
	}
	fmt.Println("done")
	os.Exit(0)
}

func TestBill_KilledAtRandomPointsThenRerunFinishesExactly(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns child processes")
	}
	dir := t.TempDir()
	billCrashBook(t, dir)
	sawPending := 0
	for round := 0; round < 8; round++ {
		cmd := exec.Command(os.Args[0], "-test.run=^TestBillCrashChild$", "-test.count=1")
		cmd.Env = append(os.Environ(), billCrashDirEnv+"="+dir)
		var out strings.Builder
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(120+rand.IntN(400)) * time.Millisecond)
		cmd.Process.Kill() // SIGKILL: no Close, no deferred flush
		cmd.Wait()
		finished := strings.Contains(out.String(), "done") || strings.Contains(out.String(), "已经开过账单")
		if strings.Contains(out.String(), "ERR") && !finished {
			t.Fatalf("round %d: child failed: %s", round, out.String())
		}
		if checkBillCrashBook(t, dir, round) {
			sawPending++
		}
		if finished {
			break
		}
	}
	if sawPending == 0 {
		t.Log("no kill landed inside a month this time (the invariants were still checked)")
	}
	// Finish the run: the same range again.
	db := openTest(t, dir)
	defer db.Close()
	db.Now = billCrashNow
	runs, err := db.feeService().Bill(ctx, billCrashFrom, billCrashTo, "t", "")
	if err != nil && !strings.Contains(err.Error(), "已经开过账单") {
		t.Fatal(err)
	}
	if err == nil && len(runs) != len(app.MonthRange(billCrashFrom, billCrashTo)) {
		t.Errorf("rerun returned %d months", len(runs))
	}
	checkBillTotals(t, db)
}

// checkBillCrashBook opens the book after a kill and checks that what shows is whole
// months only: arrears add up to the receivable, verify passes, every run has all its
// bills, a pending month shows no bills and no entry, and payments wait for it. It
// reports whether a month was pending.
func checkBillCrashBook(t *testing.T, dir string, round int) bool {
	t.Helper()
	db := openTest(t, dir)
	defer db.Close()
	db.Now = billCrashNow
	if err := db.ledgerService().Verify(ctx); err != nil {
		t.Fatalf("round %d: verify after kill: %v", round, err)
	}
	checkShownIsWhole(t, db)
	var pend []app.PendingBilling
	if err := db.view(func(tx *Tx) error { var err error; pend, err = tx.pendingBillings(); return err }); err != nil {
		t.Fatal(err)
	}
	if len(pend) > 1 {
		t.Fatalf("round %d: %d months pending", round, len(pend))
	}
	if len(pend) == 0 {
		return false
	}
	m := pend[0].Period
	t.Logf("round %d: %s pending with %d units written", round, m, pend[0].Units)
	if bs, _ := db.feeService().Bills(ctx, m); len(bs) != 0 {
		t.Errorf("pending %s shows %d bills", m, len(bs))
	}
	if c, _ := db.feeService().Collection(ctx, m, m); !c.Billed.IsZero() || !c.Outstanding.IsZero() || c.HouseholdsBilled != 0 {
		t.Errorf("pending %s shows in the collection: %+v", m, c)
	}
	_, err := db.feeService().Pay(ctx, app.PaymentRequest{Unit: "1-1-101", Amount: dec("10"), Date: "2026-06-01"}, "t", "")
	if app.ErrorCode(err) != app.ECONFLICT || !strings.Contains(err.Error(), m) {
		t.Errorf("a payment while %s is pending: %v", m, err)
	}
	later := app.AddMonths(m, 1)
	if later <= billCrashTo {
		_, err = db.feeService().Bill(ctx, later, billCrashTo, "t", "")
		if app.ErrorCode(err) != app.ECONFLICT || !strings.Contains(err.Error(), m) {
			t.Errorf("billing %s while %s is pending: %v", later, m, err)
		}
	}
	return true
}

// checkShownIsWhole: the arrears, fee accounts and statements shown add up to the
// receivable and prepaid balances, and every billed month has all its bills.
func checkShownIsWhole(t *testing.T, db *DB) {
	t.Helper()
	bal := map[string]decimal.Decimal{}
	bs, err := db.ledgerService().Balances(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range bs {
		bal[b.Account] = b.Balance
	}
	ar, err := db.feeService().Arrears(ctx)
	if err != nil {
		t.Fatal(err)
	}
	owed := decimal.Zero
	for _, a := range ar {
		owed = owed.Add(a.Owed)
	}
	if r := bal[app.ReceivableAccount(app.FundService)]; !r.Equal(owed) {
		t.Errorf("arrears %s but receivable %s", owed, r)
	}
	fas, err := db.FeeAccounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	credit := decimal.Zero
	for _, fa := range fas {
		credit = credit.Add(fa.Credit)
	}
	if p := bal[app.PrepaidFeesAccount].Neg(); !p.Equal(credit) {
		t.Errorf("credits %s but prepaid %s", credit, p)
	}
	runs, err := db.feeService().BillingRuns(ctx)
	if err != nil {
		t.Fatal(err)
	}
	billed := decimal.Zero
	for _, r := range runs {
		bills, _ := db.feeService().Bills(ctx, r.Period)
		sum := decimal.Zero
		for _, b := range bills {
			sum = sum.Add(b.Amount)
		}
		if len(bills) != r.Units || !sum.Equal(r.Total) {
			t.Errorf("%s: run says %d units %s, bills %d units %s", r.Period, r.Units, r.Total, len(bills), sum)
		}
		billed = billed.Add(r.Total)
	}
	if inc := bal[app.FeeIncomeAccount].Neg(); !inc.Equal(billed) {
		t.Errorf("fee income %s but runs billed %s", inc, billed)
	}
}

// checkBillTotals: every month of the range billed once, to the cent: Σ bills = Σ
// round(area × price) over the units, one billing entry per month, verify passes.
func checkBillTotals(t *testing.T, db *DB) {
	t.Helper()
	units, err := db.registerService().Units(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := decimal.Zero
	for _, u := range units {
		want = want.Add(app.BillAmount(u.Area, dec("1.35")))
	}
	for _, m := range app.MonthRange(billCrashFrom, billCrashTo) {
		bills, err := db.feeService().Bills(ctx, m)
		if err != nil {
			t.Fatal(err)
		}
		sum := decimal.Zero
		for _, b := range bills {
			sum = sum.Add(b.Amount)
		}
		if len(bills) != len(units) || !sum.Equal(want) {
			t.Errorf("%s: %d bills, %s; want %d, %s", m, len(bills), sum, len(units), want)
		}
	}
	entries := map[string]int{}
	db.ledgerService().EachEntry(ctx, func(e app.Entry) error {
		if strings.HasPrefix(e.Description, "物业费计费") {
			entries[e.Ref]++
		}
		return nil
	})
	for _, m := range app.MonthRange(billCrashFrom, billCrashTo) {
		if entries["billing:"+m] != 1 {
			t.Errorf("%s has %d billing entries", m, entries["billing:"+m])
		}
	}
	runs, _ := db.feeService().BillingRuns(ctx)
	if len(runs) != len(app.MonthRange(billCrashFrom, billCrashTo)) {
		t.Errorf("%d runs", len(runs))
	}
	checkShownIsWhole(t, db)
	if err := db.ledgerService().Verify(ctx); err != nil {
		t.Fatal(err)
	}
}

func TestBill_PendingMonthIsInvisibleUntilFinished(t *testing.T) {
	db := feeBook(t)
	db.feeService().Pay(ctx, app.PaymentRequest{Unit: "1-1-102", Amount: dec("500"), Date: "2026-04-01"}, "t", "") // credit for later months
	before, _ := db.ledgerService().Balances(ctx)
	arrBefore, _ := db.feeService().Arrears(ctx)
	stBefore, _ := db.feeService().Statement(ctx, "1-1-102")
	writePendingPart(t, db, "2026-04", 2)

	after, _ := db.ledgerService().Balances(ctx)
	if fmt.Sprint(after) != fmt.Sprint(before) {
		t.Errorf("balances changed by a pending part:\n%v\n%v", before, after)
	}
	if a, _ := db.feeService().Arrears(ctx); fmt.Sprint(a) != fmt.Sprint(arrBefore) {
		t.Errorf("arrears changed by a pending part:\n%v\n%v", arrBefore, a)
	}
	if st, _ := db.feeService().Statement(ctx, "1-1-102"); fmt.Sprint(st.Account) != fmt.Sprint(stBefore.Account) || len(st.Bills) != len(stBefore.Bills) {
		t.Errorf("statement changed by a pending part:\n%+v\n%+v", stBefore, st)
	}
	if err := db.ledgerService().Verify(ctx); err != nil {
		t.Errorf("verify with a pending month: %v", err)
	}
	refused := map[string]error{
		"payment": func() error {
			_, err := db.feeService().Pay(ctx, app.PaymentRequest{Unit: "1-1-101", Amount: dec("5"), Date: "2026-04-02"}, "t", "")
			return err
		}(),
		"price":       db.priceService().SetPrice(ctx, app.FeePrice{Kind: app.KindResidential, Price: dec("2"), From: "2026-07"}, "t", ""),
		"lock":        db.chartService().Lock(ctx, "2026-05", "t", ""),
		"later month": func() error { _, err := db.feeService().Bill(ctx, "2026-05", "", "t", ""); return err }(),
	}
	for name, err := range refused {
		if app.ErrorCode(err) != app.ECONFLICT || !strings.Contains(err.Error(), "2026-04") || !strings.Contains(err.Error(), "fees bill --period 2026-04") {
			t.Errorf("%s while 2026-04 is pending: %v", name, err)
		}
	}
	// The same range again finishes the month; 2026-05 and 06 follow.
	runs, err := db.feeService().Bill(ctx, "2026-04", "2026-06", "t", "")
	if err != nil || len(runs) != 3 || !runs[0].Resumed || runs[0].Units != 3 || runs[0].Total.StringFixed(2) != "232.20" {
		t.Fatalf("resume: %+v %v", runs, err)
	}
	// And once more: 2026-01…06 all billed: refused, naming the range.
	_, err = db.feeService().Bill(ctx, "2026-01", "2026-06", "t", "")
	if app.ErrorCode(err) != app.ECONFLICT || !strings.Contains(err.Error(), "2026-01…2026-06") {
		t.Errorf("all billed: %v", err)
	}
	// A range partly billed skips what is billed and lists it.
	runs, err = db.feeService().Bill(ctx, "2026-05", "2026-07", "t", "")
	if err != nil || len(runs) != 3 || !runs[0].Skipped || !runs[1].Skipped || runs[2].Skipped || runs[2].Period != "2026-07" {
		t.Fatalf("skip: %+v %v", runs, err)
	}
	_, err = db.feeService().Bill(ctx, "2026-08", "", "t", "")
	if app.ErrorCode(err) != app.EINVALID || !strings.Contains(err.Error(), "2026-08") {
		t.Errorf("two months ahead: %v", err)
	}
	if err := db.ledgerService().Verify(ctx); err != nil {
		t.Fatal(err)
	}
}

// TestBill_SixThousandUnits bills one month of a 6,000-unit community (in parts where
// Badger needs them) and a second month forced into many parts.
func TestBill_SixThousandUnits(t *testing.T) {
	if testing.Short() {
		t.Skip("large book")
	}
	db, _ := newBook(t)
	db.Now = billCrashNow
	units := make([]app.Unit, 6000)
	want := decimal.Zero
	for i := range units {
		units[i] = unit(fmt.Sprintf("%d-%d-%d", 1+i/600, 1+i/100%6, 101+i%100), fmt.Sprintf("%d.%02d", 50+i%90, i%100), fmt.Sprintf("O%d", i))
		want = want.Add(app.BillAmount(units[i].Area, dec("1.85")))
	}
	if err := db.registerService().ImportUnits(ctx, units, "t", ""); err != nil {
		t.Fatal(err)
	}
	if err := db.priceService().SetPrice(ctx, app.FeePrice{Kind: app.KindResidential, Price: dec("1.85"), From: "2026-01"}, "t", ""); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	runs, err := db.feeService().Bill(ctx, "2026-05", "", "t", "")
	if err != nil || runs[0].Units != 6000 || !runs[0].Total.Equal(want) {
		t.Fatalf("%+v %v", runs, err)
	}
	old := billPartBytes
	billPartBytes = 200 << 10
	defer func() { billPartBytes = old }()
	runs, err = db.feeService().Bill(ctx, "2026-06", "", "t", "")
	if err != nil || runs[0].Units != 6000 || !runs[0].Total.Equal(want) {
		t.Fatalf("%+v %v", runs, err)
	}
	t.Logf("two months of 6,000 units in %v", time.Since(start))
	checkShownIsWhole(t, db)
	if err := db.ledgerService().Verify(ctx); err != nil {
		t.Fatal(err)
	}
}
