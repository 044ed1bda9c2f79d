package storage

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/dgraph-io/badger/v4"
	"github.com/shopspring/decimal"

	"sunledger/app"
)

var ctx = context.Background()

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// feeBook is a book on 2026-06-15 with three units (one developer-held parking space),
// prices from 2026-01 and January to March billed.
func feeBook(t *testing.T) *DB {
	t.Helper()
	db, _ := newBook(t)
	db.Now = func() time.Time { return time.Date(2026, 6, 15, 10, 0, 0, 0, time.Local) }
	units := []app.Unit{
		unit("1-1-101", "100.00", "O1"),
		unit("1-1-102", "88.50", "O2"),
		{ID: "P-001", Kind: app.KindParking, Area: dec("12.00"), OwnerID: "DEV", OwnerName: "开发商（未售）", DeveloperHeld: true},
	}
	if err := db.registerService().ImportUnits(ctx, units, "tester", ""); err != nil {
		t.Fatal(err)
	}
	for _, p := range []app.FeePrice{{Kind: app.KindResidential, Price: dec("1.20"), From: "2026-01"}, {Kind: app.KindParking, Price: dec("0.50"), From: "2026-01"}} {
		if err := db.priceService().SetPrice(ctx, p, "tester", ""); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.feeService().Bill(ctx, "2026-01", "2026-03", "tester", ""); err != nil {
		t.Fatal(err)
	}
	return db
}

func balanceOf(t *testing.T, db *DB, account string) decimal.Decimal {
	t.Helper()
	bs, err := db.ledgerService().Balances(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range bs {
		if b.Account == account {
			return b.Balance
		}
	}
	t.Fatalf("no account %s", account)
	return decimal.Zero
}

// snapshotState is what "nothing was written" compares: the head, the audit log's
// length and the receipt counter.
func snapshotState(t *testing.T, db *DB) string {
	t.Helper()
	h, n, _ := db.ledgerService().Head(ctx)
	audit, _ := db.bookService().Audit(ctx)
	var receipts int64
	db.view(func(tx *Tx) error { _, err := tx.get(keySeq+"receipt", &receipts); return err })
	b, _ := json.Marshal([]any{h, n, len(audit), receipts})
	return string(b)
}

func TestFees_BillPayOldestFirstPrepayAndCollect(t *testing.T) {
	db := feeBook(t)
	recv := app.ReceivableAccount(app.FundService)
	// 3 months × (120.00 + 106.20 + 6.00)
	if got := balanceOf(t, db, recv); got.StringFixed(2) != "696.60" {
		t.Fatalf("receivable after billing %s", got)
	}
	p, err := db.feeService().Pay(ctx, app.PaymentRequest{Unit: "1-1-101", Amount: dec("300.00"), Date: "2026-04-02", Method: "wechat"}, "treasurer", "")
	if err != nil {
		t.Fatal(err)
	}
	if p.Receipt != "R00000001" || len(p.Allocations) != 3 || p.Allocations[0].Period != "2026-01" || !p.Allocations[2].Amount.Equal(dec("60")) {
		t.Fatalf("payment %+v", p)
	}
	p2, err := db.feeService().Pay(ctx, app.PaymentRequest{Unit: "1-1-101", Amount: dec("200.00"), Date: "2026-04-03", Method: "cash"}, "treasurer", "")
	if err != nil || p2.Receipt != "R00000002" || !p2.Credit.Equal(dec("140")) {
		t.Fatalf("prepayment %+v %v", p2, err)
	}
	if got := balanceOf(t, db, app.PrepaidFeesAccount); got.StringFixed(2) != "-140.00" {
		t.Errorf("prepaid %s", got)
	}
	// April's bill is paid from the credit as soon as it is billed.
	runs, err := db.feeService().Bill(ctx, "2026-04", "", "tester", "")
	if err != nil || !runs[0].CreditApplied.Equal(dec("120")) {
		t.Fatalf("april: %+v %v", runs, err)
	}
	arr, err := db.feeService().Arrears(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(arr) != 2 || arr[0].Unit != "1-1-102" || arr[1].Unit != "P-001" || arr[1].Payer != app.DeveloperPayer || arr[0].Bills != 4 || arr[0].Oldest != "2026-01" {
		t.Fatalf("arrears %+v", arr)
	}
	c, err := db.feeService().Collection(ctx, "2026-01", "2026-03")
	if err != nil {
		t.Fatal(err)
	}
	if c.Billed.StringFixed(2) != "696.60" || c.Received.StringFixed(2) != "360.00" || c.HouseholdsBilled != 3 || c.HouseholdsPaid != 1 {
		t.Fatalf("collection %+v", c)
	}
	if err := db.ledgerService().Verify(ctx); err != nil {
		t.Fatalf("verify: %v", err)
	}
	st, err := db.feeService().Statement(ctx, "1-1-101")
	if err != nil || len(st.Bills) != 4 || len(st.Payments) != 2 || !st.Account.Credit.Equal(dec("20")) {
		t.Fatalf("statement %+v %v", st, err)
	}
}

func TestFees_ChosenBills(t *testing.T) {
	db := feeBook(t)
	p, err := db.feeService().Pay(ctx, app.PaymentRequest{Unit: "1-1-102", Amount: dec("106.20"), Date: "2026-04-02", Bills: []string{"2026-03"}}, "t", "")
	if err != nil || len(p.Allocations) != 1 || p.Allocations[0].Period != "2026-03" {
		t.Fatalf("%+v %v", p, err)
	}
}

func TestFees_BadInputWritesNothing(t *testing.T) {
	db := feeBook(t)
	if err := db.chartService().Lock(ctx, "2026-02", "chair", "Q1 disclosed"); err != nil {
		t.Fatal(err)
	}
	before := snapshotState(t, db)
	pay := func(unit, amount, date string) error {
		_, err := db.feeService().Pay(ctx, app.PaymentRequest{Unit: unit, Amount: dec(amount), Date: date}, "t", "")
		return err
	}
	cases := []struct {
		name string
		err  error
		code app.Code
	}{
		{"unknown unit", pay("9-9-999", "10.00", "2026-04-01"), app.ENOTFOUND},
		{"zero", pay("1-1-101", "0", "2026-04-01"), app.EINVALID},
		{"negative", pay("1-1-101", "-5", "2026-04-01"), app.EINVALID},
		{"three decimals", pay("1-1-101", "1.005", "2026-04-01"), app.EINVALID},
		{"locked period", pay("1-1-101", "10.00", "2026-02-28"), app.ELOCKED},
		{"a year ahead", pay("1-1-101", "10.00", "2027-07-01"), app.EINVALID},
		{"rebill", func() error { _, err := db.feeService().Bill(ctx, "2026-01", "2026-03", "t", ""); return err }(), app.ECONFLICT},
		{"bill two months ahead", func() error { _, err := db.feeService().Bill(ctx, "2026-04", "2026-08", "t", ""); return err }(), app.EINVALID},
		{"bill locked month", func() error { _, err := db.feeService().Bill(ctx, "2026-02", "", "t", ""); return err }(), app.ECONFLICT},
		{"bill an unbilled locked month", func() error { _, err := db.feeService().Bill(ctx, "2025-12", "", "t", ""); return err }(), app.ELOCKED},
		{"reprice billed month", db.priceService().SetPrice(ctx, app.FeePrice{Kind: app.KindResidential, Price: dec("2"), From: "2026-02"}, "t", ""), app.ECONFLICT},
		{"unbalanced entry", func() error {
			_, err := db.ledgerService().Post(ctx, app.Entry{Date: "2026-04-01", Description: "x", Postings: []app.Posting{{Account: app.BankAccount(app.FundPublic), Amount: dec("1")}, {Account: app.AccountName(app.TypeIncome, app.FundPublic, "停车费"), Amount: dec("-2")}}}, "t", "")
			return err
		}(), app.EINVALID},
	}
	for _, c := range cases {
		if app.ErrorCode(c.err) != c.code {
			t.Errorf("%s: got %v (%s), want %s", c.name, c.err, app.ErrorCode(c.err), c.code)
		}
	}
	if after := snapshotState(t, db); after != before {
		t.Errorf("refused input wrote something: %s → %s", before, after)
	}
	// A kind with no price is left unbilled, and the run says so.
	if err := db.registerService().ImportUnits(ctx, []app.Unit{{ID: "S-001", Kind: app.KindCommercial, Area: dec("50"), OwnerID: "O9", OwnerName: "商户"}}, "t", ""); err != nil {
		t.Fatal(err)
	}
	runs, err := db.feeService().Bill(ctx, "2026-04", "2026-05", "t", "")
	if err != nil || len(runs) != 2 || runs[0].Unpriced[app.KindCommercial] != 1 {
		t.Fatalf("no commercial price: runs %+v, err %v", runs, err)
	}
	bs, err := db.feeService().Bills(ctx, "2026-04")
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range bs {
		if b.Unit == "S-001" {
			t.Errorf("unpriced unit billed: %+v", b)
		}
	}
}

func TestLedger_LockOnlyMovesForward(t *testing.T) {
	db := feeBook(t)
	if err := db.chartService().Lock(ctx, "2026-03", "chair", ""); err != nil {
		t.Fatal(err)
	}
	if err := db.chartService().Lock(ctx, "2026-01", "chair", ""); app.ErrorCode(err) != app.ECONFLICT {
		t.Errorf("unlocking: %v", err)
	}
	if err := db.chartService().Lock(ctx, "2026-09", "chair", ""); app.ErrorCode(err) != app.EINVALID {
		t.Errorf("future lock: %v", err)
	}
	_, err := db.incomeService().RecordIncome(ctx, app.Income{Fund: app.FundPublic, Kind: "parking", Amount: dec("10"), Date: "2026-03-31"}, "t", "")
	if app.ErrorCode(err) != app.ELOCKED {
		t.Errorf("income into a locked month: %v", err)
	}
	if m, _ := db.chartService().LockedThrough(ctx); m != "2026-03" {
		t.Errorf("locked through %s", m)
	}
}

func TestLedger_ReverseReceiptReopensBillsOnce(t *testing.T) {
	db := feeBook(t)
	p, err := db.feeService().Pay(ctx, app.PaymentRequest{Unit: "1-1-101", Amount: dec("400.00"), Date: "2026-04-02"}, "t", "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.ledgerService().Reverse(ctx, p.EntrySeq, "", "t", ""); app.ErrorCode(err) != app.EINVALID {
		t.Errorf("reversal without a reason: %v", err)
	}
	r, err := db.ledgerService().Reverse(ctx, p.EntrySeq, "2026-04-05", "t", "收错房号")
	if err != nil {
		t.Fatal(err)
	}
	if r.Reverses != p.EntrySeq {
		t.Errorf("reversal %+v", r)
	}
	st, _ := db.feeService().Statement(ctx, "1-1-101")
	if !st.Account.Owed().Equal(dec("360")) || !st.Account.Credit.IsZero() || st.Payments[0].Reversed != r.Seq {
		t.Fatalf("after reversal %+v", st)
	}
	if _, err := db.ledgerService().Reverse(ctx, p.EntrySeq, "", "t", "again"); app.ErrorCode(err) != app.ECONFLICT {
		t.Errorf("second reversal: %v", err)
	}
	if _, err := db.ledgerService().Reverse(ctx, r.Seq, "", "t", "undo"); app.ErrorCode(err) != app.ECONFLICT {
		t.Errorf("reversing a reversal: %v", err)
	}
	if _, err := db.ledgerService().Reverse(ctx, 1, "", "t", "x"); app.ErrorCode(err) != app.EINVALID {
		t.Errorf("reversing a billing run: %v", err)
	}
	if err := db.ledgerService().Verify(ctx); err != nil {
		t.Fatal(err)
	}
}

func TestLedger_EveryChangeIsAudited(t *testing.T) {
	db := feeBook(t)
	db.feeService().Pay(ctx, app.PaymentRequest{Unit: "1-1-101", Amount: dec("10.00"), Date: "2026-04-02"}, "treasurer", "counter")
	db.incomeService().RecordIncome(ctx, app.Income{Fund: app.FundPublic, Kind: "advertising", Amount: dec("500"), Date: "2026-04-02"}, "treasurer", "")
	db.chartService().AddAccount(ctx, app.Account{Name: "资产:公共收益:第二银行账户"}, "chair", "new account")
	db.chartService().Lock(ctx, "2026-01", "chair", "disclosed")
	db.priceService().SetLateFeeRule(ctx, app.LateFeeRule{DailyRate: dec("0.0003")}, "chair", "contract §7")
	recs, _ := db.bookService().Audit(ctx)
	seen := map[string]string{}
	for _, r := range recs {
		seen[r.Action] = r.Who
	}
	for action, who := range map[string]string{"fees.price": "tester", "fees.bill": "tester", "fees.pay": "treasurer", "income.add": "treasurer",
		"ledger.account.add": "chair", "ledger.lock": "chair", "fees.latefee": "chair"} {
		if seen[action] != who {
			t.Errorf("audit %s by %q, want %q", action, seen[action], who)
		}
	}
}

func TestLedger_AddedAccountCanBePostedAndBalances(t *testing.T) {
	db := feeBook(t)
	name := "资产:公共收益:第二银行账户"
	if err := db.chartService().AddAccount(ctx, app.Account{Name: name}, "chair", ""); err != nil {
		t.Fatal(err)
	}
	if err := db.chartService().AddAccount(ctx, app.Account{Name: name}, "chair", ""); app.ErrorCode(err) != app.ECONFLICT {
		t.Errorf("duplicate: %v", err)
	}
	if err := db.chartService().AddAccount(ctx, app.Account{Name: "资产:公共收益:银行存款:子账户"}, "chair", ""); app.ErrorCode(err) != app.ECONFLICT {
		t.Errorf("child of a leaf: %v", err)
	}
	_, err := db.ledgerService().Post(ctx, app.Entry{Date: "2026-05-01", Description: "转存", Postings: []app.Posting{
		{Account: name, Amount: dec("1.00")}, {Account: app.BankAccount(app.FundPublic), Amount: dec("-1.00")}}}, "t", "")
	if err != nil {
		t.Fatal(err)
	}
	if !balanceOf(t, db, name).Equal(dec("1")) {
		t.Error("balance not kept")
	}
}

// TestVerify_CatchesAnEntryEditedBehindTheProgramsBack edits stored entries with raw
// Badger, the way someone with the laptop and a hex editor could, and proves verify
// names the first bad entry.
func TestVerify_CatchesAnEntryEditedBehindTheProgramsBack(t *testing.T) {
	tampers := map[string]struct {
		edit func(t *testing.T, txn *badger.Txn)
		want string
	}{
		"amount rewritten, still balanced": {func(t *testing.T, txn *badger.Txn) {
			e := rawEntry(t, txn, 2)
			e.Postings[0].Amount, e.Postings[1].Amount = e.Postings[0].Amount.Add(dec("100")), e.Postings[1].Amount.Sub(dec("100"))
			rawPut(t, txn, entryKey(2), e)
		}, "#2"},
		"entry rewritten and rehashed": {func(t *testing.T, txn *badger.Txn) {
			e := rawEntry(t, txn, 2)
			e.Description = "改过的摘要"
			e.Hash = app.EntryHash(e)
			rawPut(t, txn, entryKey(2), e)
		}, "#2"}, // the record log names the entry itself; the chain alone would say #3
		"last entry deleted": {func(t *testing.T, txn *badger.Txn) {
			var h ledgerHead
			it, _ := txn.Get([]byte(keyLedgerHead))
			it.Value(func(b []byte) error { return json.Unmarshal(b, &h) })
			txn.Delete([]byte(entryKey(h.Seq)))
		}, "#"},
		"balance edited": {func(t *testing.T, txn *badger.Txn) {
			rawPut(t, txn, balanceKey(app.BankAccount(app.FundService)), "999999.00")
		}, app.BankAccount(app.FundService)},
		"open bill forgiven in the sub-ledger": {func(t *testing.T, txn *badger.Txn) {
			rawPut(t, txn, feeAccountKey("1-1-102"), app.FeeAccount{Unit: "1-1-102"})
		}, "1-1-102"}, // the record log names the fee account
	}
	for name, tc := range tampers {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			db := openTest(t, dir)
			db.bookService().Init(ctx, app.Community{Name: "x"}, "t")
			db.Now = func() time.Time { return time.Date(2026, 6, 15, 10, 0, 0, 0, time.Local) }
			db.registerService().ImportUnits(ctx, []app.Unit{unit("1-1-101", "100.00", "O1"), unit("1-1-102", "88.50", "O2")}, "t", "")
			db.priceService().SetPrice(ctx, app.FeePrice{Kind: app.KindResidential, Price: dec("1.20"), From: "2026-01"}, "t", "")
			if _, err := db.feeService().Bill(ctx, "2026-01", "2026-03", "t", ""); err != nil {
				t.Fatal(err)
			}
			if _, err := db.feeService().Pay(ctx, app.PaymentRequest{Unit: "1-1-101", Amount: dec("100"), Date: "2026-04-01"}, "t", ""); err != nil {
				t.Fatal(err)
			}
			if err := db.ledgerService().Verify(ctx); err != nil {
				t.Fatalf("before tampering: %v", err)
			}
			db.Close()

			raw, err := badger.Open(badger.DefaultOptions(dir).WithLogger(nil))
			if err != nil {
				t.Fatal(err)
			}
			if err := raw.Update(func(txn *badger.Txn) error { tc.edit(t, txn); return nil }); err != nil {
				t.Fatal(err)
			}
			raw.Close()

			db = openTest(t, dir)
			defer db.Close()
			err = db.ledgerService().Verify(ctx)
			if err == nil {
				t.Fatal("verify passed a tampered book")
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("verify error %q does not name %q", err, tc.want)
			}
		})
	}
}

func rawEntry(t *testing.T, txn *badger.Txn, seq int64) app.Entry {
	t.Helper()
	item, err := txn.Get([]byte(entryKey(seq)))
	if err != nil {
		t.Fatal(err)
	}
	var e app.Entry
	if err := item.Value(func(b []byte) error { return json.Unmarshal(b, &e) }); err != nil {
		t.Fatal(err)
	}
	return e
}

func rawPut(t *testing.T, txn *badger.Txn, key string, v any) {
	t.Helper()
	b, _ := json.Marshal(v)
	if err := txn.Set([]byte(key), b); err != nil {
		t.Fatal(err)
	}
}

func TestLedger_EntriesPageAndHead(t *testing.T) {
	db := feeBook(t) // three billing entries
	es, err := db.ledgerService().Entries(ctx, 2, 5)
	if err != nil || len(es) != 2 || es[0].Seq != 2 || es[1].PrevHash != es[0].Hash {
		t.Fatalf("entries %+v %v", es, err)
	}
	head, n, _ := db.ledgerService().Head(ctx)
	if n != 3 || head != es[1].Hash {
		t.Errorf("head %s #%d", head, n)
	}
	if _, err := db.ledgerService().Entry(ctx, 99); app.ErrorCode(err) != app.ENOTFOUND {
		t.Errorf("missing entry: %v", err)
	}
	fas, err := db.FeeAccounts(ctx)
	if err != nil || len(fas) != 3 || len(fas["1-1-101"].Open) != 3 {
		t.Errorf("fee accounts %+v %v", fas, err)
	}
}

func TestBill_LargeMonthInPartsAndAnInterruptedRunResumes(t *testing.T) {
	db := feeBook(t)
	old := billPartBytes
	billPartBytes = 300 // about one unit per part
	defer func() { billPartBytes = old }()
	runs, err := db.feeService().Bill(ctx, "2026-04", "", "t", "")
	if err != nil || runs[0].Units != 3 || runs[0].Total.StringFixed(2) != "232.20" {
		t.Fatalf("parted run %+v %v", runs, err)
	}
	if _, err := db.feeService().Bill(ctx, "2026-04", "", "t", ""); app.ErrorCode(err) != app.ECONFLICT {
		t.Errorf("rebilling a parted month: %v", err)
	}
	// An interrupted run: one part written, then the program died.
	writePendingPart(t, db, "2026-05", 1)
	if _, err := db.feeService().Bill(ctx, "2026-05", "", "t", "resume"); err != nil {
		t.Fatal(err)
	}
	fas, _ := db.FeeAccounts(ctx)
	for unit, fa := range fas {
		n := 0
		for _, b := range fa.Open {
			if b.Period == "2026-05" {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%s billed %d times for 2026-05", unit, n)
		}
	}
	if err := db.ledgerService().Verify(ctx); err != nil {
		t.Fatal(err)
	}
	c, _ := db.feeService().Collection(ctx, "2026-05", "2026-05")
	if c.Billed.StringFixed(2) != "232.20" || c.HouseholdsBilled != 3 {
		t.Errorf("collection of the resumed month %+v", c)
	}
}

// writePendingPart writes the first n bills of month as one part of a billing run and
// leaves the month pending, the way a run killed after its first part leaves it.
func writePendingPart(t *testing.T, db *DB, month string, n int) {
	t.Helper()
	err := db.update(func(tx *Tx) error {
		units, _ := tx.units()
		prices, _ := tx.prices()
		bills, _ := app.MakeBills(units, prices, month)
		p := app.PendingBilling{Period: month, Total: decimal.Zero, CreditApplied: decimal.Zero}
		if _, err := tx.writeBills(&p, bills[:n], false); err != nil {
			return err
		}
		return tx.put(pendingKey(month), p)
	})
	if err != nil {
		t.Fatal(err)
	}
}
