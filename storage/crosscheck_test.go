package storage

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"sunledger/app"
)

// entryByRef finds the first entry whose Ref is ref and that is not a reversal.
func entryByRef(t *testing.T, db *DB, ref string) app.Entry {
	t.Helper()
	var found app.Entry
	db.ledgerService().EachEntry(ctx, func(e app.Entry) error {
		if found.Seq == 0 && e.Ref == ref && e.Reverses == 0 {
			found = e
		}
		return nil
	})
	if found.Seq == 0 {
		t.Fatalf("no entry %s", ref)
	}
	return found
}

func zhOf(err error) string {
	var e *app.Error
	if errors.As(err, &e) {
		return e.ZH
	}
	return ""
}

// TestReverse_EachKindOfDocumentEntry reverses one entry of every document kind: the
// reversible ones update their document and verify still passes; the others are refused,
// name their document, and change nothing.
func TestReverse_EachKindOfDocumentEntry(t *testing.T) {
	dir := richBook(t)
	db := openTest(t, dir)
	defer db.Close()
	refused := []struct{ ref, names string }{
		{"billing:2026-01", "2026-01 的物业费开单"},
		{"expense:E000001", "支出申请 E000001"},
		{"remuneration:2026-01", "2026-01 的酬金计提"},
	}
	for _, r := range refused {
		e := entryByRef(t, db, r.ref)
		_, head1, _ := db.ledgerService().Head(ctx)
		_, err := db.ledgerService().Reverse(ctx, e.Seq, "", "t", "试试")
		if app.ErrorCode(err) != app.EINVALID || !strings.Contains(zhOf(err), r.names) || !strings.Contains(zhOf(err), "没有做任何更改") {
			t.Errorf("reversing %s: %v", r.ref, err)
		}
		if _, head2, _ := db.ledgerService().Head(ctx); head1 != head2 {
			t.Errorf("a refused reversal of %s posted something", r.ref)
		}
	}
	// A receipt: its reversal reopens what it paid and marks the receipt.
	rc := entryByRef(t, db, "receipt:R00000001")
	rv, err := db.ledgerService().Reverse(ctx, rc.Seq, "", "t", "收错房号")
	if err != nil {
		t.Fatal(err)
	}
	if p, _ := db.feeService().Payment(ctx, "R00000001"); p.Reversed != rv.Seq {
		t.Errorf("receipt after reversal: %+v", p)
	}
	// An income: the entry is the whole document.
	in := entryByRef(t, db, "income:parking")
	if _, err := db.ledgerService().Reverse(ctx, in.Seq, "", "t", "记重了"); err != nil {
		t.Fatal(err)
	}
	// A manual entry stays reversible.
	m, err := db.ledgerService().Post(ctx, app.Entry{Date: "2026-06-01", Description: "转账", Postings: []app.Posting{
		{Account: app.BankAccount(app.FundPublic), Amount: dec("1.00")}, {Account: app.CashAccount(app.FundPublic), Amount: dec("-1.00")}}}, "t", "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.ledgerService().Reverse(ctx, m.Seq, "", "t", "错了"); err != nil {
		t.Fatal(err)
	}
	if err := db.ledgerService().Verify(ctx); err != nil {
		t.Fatalf("after the reversals: %v", err)
	}
	// A manual entry may not claim a document.
	for _, ref := range []string{"expense:E000001", "remuneration:2026-02", "income:parking", "receipt:R9"} {
		_, err := db.ledgerService().Post(ctx, app.Entry{Date: "2026-06-01", Description: "冒名", Ref: ref, Postings: []app.Posting{
			{Account: app.BankAccount(app.FundPublic), Amount: dec("1.00")}, {Account: app.CashAccount(app.FundPublic), Amount: dec("-1.00")}}}, "t", "")
		if app.ErrorCode(err) != app.EINVALID {
			t.Errorf("manual entry with ref %s: %v", ref, err)
		}
	}
}

// TestVerify_DocumentsAndJournalMustAgree forges, through the program's own writes (so
// the record log is in step, as after a bug or an older version), each kind of
// disagreement between a document and its entries; verify names the document.
func TestVerify_DocumentsAndJournalMustAgree(t *testing.T) {
	forges := []struct {
		name  string
		forge func(t *testing.T, tx *Tx) error
		want  string
	}{
		{"a paid expense's payment reversed on its own", func(t *testing.T, tx *Tx) error {
			x, err := tx.expense("E000001")
			if err != nil {
				return err
			}
			var e app.Entry
			if _, err := tx.get(entryKey(x.Entry), &e); err != nil {
				return err
			}
			r, err := tx.postEntry(app.Reversal(e, "2026-06-15", "旧版本"), "t")
			if err != nil {
				return err
			}
			return tx.put(reversedKey(e.Seq), r.Seq)
		}, "支出申请 E000001"},
		{"an expense names another entry", func(t *testing.T, tx *Tx) error {
			x, err := tx.expense("E000001")
			if err != nil {
				return err
			}
			x.Entry = 1
			return tx.put(expenseKey(x.ID), x)
		}, "支出申请 E000001"},
		{"a receipt says it was reversed", func(t *testing.T, tx *Tx) error {
			var p app.Payment
			if _, err := tx.get(paymentKey("R00000001"), &p); err != nil {
				return err
			}
			p.Reversed = 2
			return tx.put(paymentKey(p.Receipt), p)
		}, "收据 R00000001"},
		{"a receipt's amount", func(t *testing.T, tx *Tx) error {
			var p app.Payment
			if _, err := tx.get(paymentKey("R00000001"), &p); err != nil {
				return err
			}
			p.Amount = dec("8.67")
			return tx.put(paymentKey(p.Receipt), p)
		}, "收据 R00000001"},
		{"a receipt gone", func(t *testing.T, tx *Tx) error { return tx.delete(paymentKey("R00000001")) }, "receipt:R00000001"},
		{"a receipt stored twice", func(t *testing.T, tx *Tx) error { // the second copy has no entry of its own
			var p app.Payment
			if _, err := tx.get(paymentKey("R00000001"), &p); err != nil {
				return err
			}
			return tx.put(paymentKey("R00000009"), p)
		}, "收据 R00000001"},
		{"a receipt's number changed", func(t *testing.T, tx *Tx) error {
			var p app.Payment
			if _, err := tx.get(paymentKey("R00000001"), &p); err != nil {
				return err
			}
			p.Receipt = "R00000005"
			return tx.put(paymentKey("R00000001"), p)
		}, "收据 R00000005"},
		{"a second entry for a receipt", func(t *testing.T, tx *Tx) error {
			_, err := tx.postEntry(app.Entry{Date: "2026-06-15", Ref: app.DocReceipt.Ref("R00000001"), Description: "x", Postings: []app.Posting{
				{Account: app.BankAccount(app.FundService), Amount: dec("5")}, {Account: app.CashAccount(app.FundService), Amount: dec("-5")}}}, "t")
			return err
		}, "收据 R00000001"},
		{"an entry names a receipt the book does not hold", func(t *testing.T, tx *Tx) error {
			_, err := tx.postEntry(app.Entry{Date: "2026-06-15", Ref: app.DocReceipt.Ref("R00000077"), Description: "x", Postings: []app.Posting{
				{Account: app.BankAccount(app.FundService), Amount: dec("5")}, {Account: app.CashAccount(app.FundService), Amount: dec("-5")}}}, "t")
			return err
		}, "receipt:R00000077"},
		{"an accrual's amount", func(t *testing.T, tx *Tx) error {
			var a app.RemunerationAccrual
			if _, err := tx.get(accrualKey("2026-01"), &a); err != nil {
				return err
			}
			a.Amount = a.Amount.Add(dec("1"))
			return tx.put(accrualKey(a.Month), a)
		}, "2026-01 的酬金计提"},
		{"a billing run's total", func(t *testing.T, tx *Tx) error {
			var r app.BillingRun
			if _, err := tx.get(runKey("2026-02"), &r); err != nil {
				return err
			}
			r.Total = r.Total.Add(dec("10"))
			return tx.put(runKey(r.Period), r)
		}, "2026-02 的开单记录"},
		{"an open bill forgiven", func(t *testing.T, tx *Tx) error {
			return tx.put(feeAccountKey("2-1-101"), app.FeeAccount{Unit: "2-1-101"})
		}, "各房号未缴账单合计"},
	}
	for _, f := range forges {
		t.Run(f.name, func(t *testing.T) {
			dir := richBook(t)
			db := openTest(t, dir)
			defer db.Close()
			if err := db.update(func(tx *Tx) error { return f.forge(t, tx) }); err != nil {
				t.Fatal(err)
			}
			err := db.ledgerService().Verify(ctx)
			if err == nil {
				t.Fatal("verify passed")
			}
			if !strings.Contains(zhOf(err), f.want) {
				t.Errorf("verify says %q; want %q", zhOf(err), f.want)
			}
		})
	}
}

// TestReceiptsMatchInOrder: the receipts pair off with their entries whatever order the
// journal holds them in; a receipt with two entries, one with none, or an entry that
// differs is left to verifyReceipts to name.
func TestReceiptsMatchInOrder(t *testing.T) {
	entry := func(n int64) receiptEntry {
		return receiptEntry{ref: receiptRefPrefix + fmt.Sprintf("R%08d", n), entry: docEntry{Seq: 10 + n, Print: entryPrint{uint64(n), 7}}}
	}
	receipt := func(n int64) receiptCheck {
		return receiptCheck{Receipt: fmt.Sprintf("R%08d", n), EntrySeq: 10 + n, Print: entryPrint{uint64(n), 7}}
	}
	receipts := []receiptCheck{receipt(1), receipt(2), receipt(3), receipt(4), receipt(5)}
	for _, c := range []struct {
		name    string
		entries []receiptEntry
		want    bool
	}{
		{"in order", []receiptEntry{entry(1), entry(2), entry(3), entry(4), entry(5)}, true},
		{"out of order", []receiptEntry{entry(3), entry(1), entry(5), entry(2), entry(4)}, true},
		{"one twice, one missing", []receiptEntry{entry(1), entry(2), entry(2), entry(4), entry(5)}, false},
		{"one missing", []receiptEntry{entry(1), entry(2), entry(4), entry(5)}, false},
		{"one more", []receiptEntry{entry(1), entry(2), entry(3), entry(4), entry(5), entry(6)}, false},
		{"another entry", []receiptEntry{entry(1), entry(2), {ref: entry(3).ref, entry: docEntry{Seq: 99, Print: entry(3).entry.Print}}, entry(4), entry(5)}, false},
		{"another print", []receiptEntry{entry(1), entry(2), {ref: entry(3).ref, entry: docEntry{Seq: 13}}, entry(4), entry(5)}, false},
	} {
		d := newDocEntries(0)
		d.receipts = c.entries
		if got := receiptsMatchInOrder(d, receipts); got != c.want {
			t.Errorf("%s: matched %v, want %v", c.name, got, c.want)
		}
	}
	d := newDocEntries(0)
	d.receipts = []receiptEntry{entry(1), entry(2), entry(3), entry(4), entry(5)}
	d.reversedBy[13] = 20
	if receiptsMatchInOrder(d, receipts) {
		t.Error("a receipt reversed in the journal but not on the receipt matched")
	}
	if receiptsMatchInOrder(newDocEntries(0), []receiptCheck{receipt(2), receipt(1)}) {
		t.Error("receipts out of order matched")
	}
}
