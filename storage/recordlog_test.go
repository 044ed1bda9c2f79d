package storage

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/dgraph-io/badger/v4"

	"sunledger/app"
)

// richBook is a book holding one of every kind of record verify must protect: the
// register, members, bills and fee accounts, a receipt, a paid expense, an assembly with
// both transcriptions of its ballots, remuneration accruals and the audit log. It is
// closed; the caller reopens it (or edits it raw first).
func richBook(t *testing.T) string {
	t.Helper()
	db := chainBook(t) // 2026-06-15, units 1-1-101 and 2-1-101, five members, income
	dir := db.Dir()
	if err := db.priceService().SetPrice(ctx, app.FeePrice{Kind: app.KindResidential, Price: dec("1.20"), From: "2026-01"}, "t", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := db.feeService().Bill(ctx, "2026-01", "2026-03", "t", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := db.feeService().Pay(ctx, app.PaymentRequest{Unit: "1-1-101", Amount: dec("81.67"), Date: "2026-04-01"}, "t", ""); err != nil {
		t.Fatal(err)
	}
	e := apply(t, db, app.ExpenseRequest{})
	for _, s := range []func() (app.Expense, error){
		func() (app.Expense, error) {
			return db.expenseService().ApproveExpense(ctx, e.ID, "张主任", pw("张主任"))
		},
		func() (app.Expense, error) {
			return db.expenseService().ApproveExpense(ctx, e.ID, "陈委员", pw("陈委员"))
		},
		func() (app.Expense, error) {
			return db.expenseService().ReviewExpense(ctx, e.ID, "赵复核", pw("赵复核"))
		},
		func() (app.Expense, error) {
			return db.expenseService().PayExpense(ctx, e.ID, "李财务", pw("李财务"), "2026-06-15")
		},
	} {
		if _, err := s(); err != nil {
			t.Fatal(err)
		}
	}
	c := app.RemunerationContract{Mode: app.RemunerationPercent, Percent: dec("10"), Base: app.BaseBilled, From: "2026-01"}
	if err := db.remunerationService().SetRemunerationContract(ctx, c, "t", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := db.remunerationService().AccrueRemuneration(ctx, "2026-01", "", "t", ""); err != nil {
		t.Fatal(err)
	}
	a, err := db.voteService().CreateAssembly(ctx, app.Assembly{Title: "业主大会", Matters: []app.Matter{{No: 1, Title: "电梯", Kind: app.MatterOrdinary}}}, "t")
	if err != nil {
		t.Fatal(err)
	}
	bs := []app.Ballot{voteBallot("1", "1-1-101", app.Agree), voteBallot("2", "2-1-101", app.Oppose)}
	for _, en := range []string{app.EntryA, app.EntryB} {
		if err := db.voteService().EnterBallots(ctx, a.ID, en, bs, false, "t"); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.ledgerService().Verify(ctx); err != nil {
		t.Fatalf("the untouched book: %v", err)
	}
	db.Close()
	return dir
}

// rawEdit opens the closed book with Badger itself, as someone with the laptop and a
// database tool would, and runs edit.
func rawEdit(t *testing.T, dir string, edit func(txn *badger.Txn) error) {
	t.Helper()
	raw, err := badger.Open(badger.DefaultOptions(dir).WithLogger(nil))
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if err := raw.Update(edit); err != nil {
		t.Fatal(err)
	}
}

// dropLog deletes the record log (blocks, tree, head) and, with oldBook, the book id
// too: the book then looks made before the record log.
func dropLog(oldBook bool) func(txn *badger.Txn) error {
	return func(txn *badger.Txn) error {
		var keys [][]byte
		for _, p := range []string{prefixRecordLog, prefixTree, prefixLeafIndex} {
			it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte(p)})
			for it.Rewind(); it.Valid(); it.Next() {
				keys = append(keys, it.Item().KeyCopy(nil))
			}
			it.Close()
		}
		keys = append(keys, []byte(keyRecordHead))
		if oldBook {
			keys = append(keys, []byte(keyBookID))
		}
		for _, k := range keys {
			if err := txn.Delete(k); err != nil {
				return err
			}
		}
		return nil
	}
}

func sha256Sum(b []byte) [32]byte { return sha256.Sum256(b) }

// editJSON rewrites one field of a stored JSON record.
func editJSON(key string, change func(m map[string]any)) func(txn *badger.Txn) error {
	return func(txn *badger.Txn) error {
		item, err := txn.Get([]byte(key))
		if err != nil {
			return fmt.Errorf("%s: %w", key, err)
		}
		var m map[string]any
		if err := item.Value(func(b []byte) error { return json.Unmarshal(b, &m) }); err != nil {
			return err
		}
		change(m)
		b, _ := json.Marshal(m)
		return txn.Set([]byte(key), b)
	}
}

// verifyZH runs verify on the reopened book and returns its Chinese message.
func verifyZH(t *testing.T, dir string) string {
	t.Helper()
	db := openTest(t, dir)
	defer db.Close()
	err := db.ledgerService().Verify(ctx)
	if err == nil {
		t.Fatal("verify passed a book edited outside Sunledger")
	}
	var e *app.Error
	if !errors.As(err, &e) || e.Code != app.EINVALID {
		t.Fatalf("verify: %v", err)
	}
	return e.ZH
}

func TestRecordLog_VerifyNamesEveryRecordEditedOutsideSunledger(t *testing.T) {
	tampers := []struct {
		name string
		edit func(txn *badger.Txn) error
		want string
	}{
		{"a ballot's choice", editJSON("vote/entry/V0001/A/2", func(m map[string]any) { m["choices"] = []any{string(app.Agree)} }), "选票 V0001/A/2"},
		{"a receipt's amount", editJSON(paymentKey("R00000001"), func(m map[string]any) { m["amount"] = "8.67" }), "收据 R00000001"},
		{"a unit's area", editJSON(unitKey("1-1-101"), func(m map[string]any) { m["area"] = "300" }), "登记册房号 1-1-101"},
		{"a unit's owner", editJSON(unitKey("2-1-101"), func(m map[string]any) { m["owner_id"] = "O1" }), "登记册房号 2-1-101"},
		{"a member's role", editJSON(memberKey("陈委员"), func(m map[string]any) { m["role"] = string(app.RoleReviewer) }), "成员 陈委员"},
		{"an expense's state", editJSON(expenseKey("E000001"), func(m map[string]any) { m["state"] = string(app.ExpenseReviewed) }), "支出申请 E000001"},
		{"an audit record", editJSON(auditKey(3), func(m map[string]any) { m["who"] = "别人" }), "审计记录 #3"},
		{"a frozen register", editJSON(voteMetaKey("V0001"), func(m map[string]any) { m["title"] = "改过" }), "表决 V0001"},
		{"a bill deleted", func(txn *badger.Txn) error { return txn.Delete([]byte(billKey("2026-01", "2-1-101"))) }, "账单 2026-01/2-1-101"},
		{"a record added", func(txn *badger.Txn) error {
			b, _ := json.Marshal(unit("9-9-999", "50", "X"))
			return txn.Set([]byte(unitKey("9-9-999")), b)
		}, "登记册房号 9-9-999 不在记录链里"},
		{"an accrual deleted", func(txn *badger.Txn) error { return txn.Delete([]byte(accrualKey("2026-01"))) }, "2026-01 的酬金计提"},
	}
	for _, tc := range tampers {
		t.Run(tc.name, func(t *testing.T) {
			dir := richBook(t)
			rawEdit(t, dir, tc.edit)
			if msg := verifyZH(t, dir); !strings.Contains(msg, tc.want) {
				t.Errorf("verify says %q; want it to name %q", msg, tc.want)
			}
		})
	}
}

// blockOf finds the newest block that wrote key.
func blockOf(t *testing.T, txn *badger.Txn, key string) (app.RecordBlock, int) {
	t.Helper()
	it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte(prefixRecordLog), Reverse: true})
	defer it.Close()
	for it.Seek([]byte(prefixRecordLog + "\xff")); it.Valid(); it.Next() {
		v, _ := it.Item().ValueCopy(nil)
		b, _, err := app.ParseRecordBlock(v)
		if err != nil {
			t.Fatal(err)
		}
		for i, w := range b.Writes {
			if w.Key == key {
				return b, i
			}
		}
	}
	t.Fatalf("no block wrote %s", key)
	return app.RecordBlock{}, 0
}

func TestRecordLog_EditingARecordAndItsBlockBreaksTheChain(t *testing.T) {
	key := paymentKey("R00000001")
	forged := func(rehash bool) func(txn *badger.Txn) error {
		return func(txn *badger.Txn) error {
			if err := editJSON(key, func(m map[string]any) { m["amount"] = "8.67" })(txn); err != nil {
				return err
			}
			item, _ := txn.Get([]byte(key))
			v, _ := item.ValueCopy(nil)
			b, i := blockOf(t, txn, key)
			b.Writes[i].SHA = sha256Sum(v)
			var out []byte
			if rehash {
				_, out = app.SealRecordBlock(b)
			} else { // the new sha, the old hash line
				out = append(app.CanonicalRecordBlock(b), []byte("hash "+b.Hash+"\n")...)
			}
			return txn.Set([]byte(recordBlockKey(b.Seq)), out)
		}
	}
	for _, rehash := range []bool{false, true} {
		t.Run(fmt.Sprint("rehashed=", rehash), func(t *testing.T) {
			dir := richBook(t)
			var seq int64
			rawEdit(t, dir, func(txn *badger.Txn) error {
				b, _ := blockOf(t, txn, key)
				seq = b.Seq
				return forged(rehash)(txn)
			})
			msg := verifyZH(t, dir)
			want := fmt.Sprintf("记录链第 %d 块", seq)
			if rehash {
				want = fmt.Sprintf("记录链第 %d 块", seq+1) // the next block's link breaks
			}
			if !strings.Contains(msg, want) {
				t.Errorf("verify says %q; want %q", msg, want)
			}
		})
	}
}

func TestRecordLog_OldBookGetsABaselineOnItsFirstWritableOpen(t *testing.T) {
	old := baselineChunk
	baselineChunk = 7 // several blocks, each in its own transaction
	t.Cleanup(func() { baselineChunk = old })
	dir := richBook(t)
	// Make it a book from before the record log: no blocks, no head, no tree, no id.
	rawEdit(t, dir, dropLog(true))
	db := openTest(t, dir)
	if err := db.ledgerService().Verify(ctx); err != nil {
		t.Fatalf("after the baseline: %v", err)
	}
	a, err := db.bookService().Audit(ctx)
	if err != nil || len(a) < 2 || a[len(a)-2].Action != "records.baseline" || a[len(a)-1].Action != "book.id" {
		t.Errorf("the baseline and the new book id are not audited: %+v %v", a[len(a)-2:], err)
	}
	db.Close()
	// From then on an edit is caught like in any other book.
	rawEdit(t, dir, editJSON(unitKey("1-1-101"), func(m map[string]any) { m["area"] = "1" }))
	if msg := verifyZH(t, dir); !strings.Contains(msg, "登记册房号 1-1-101") {
		t.Errorf("verify says %q", msg)
	}
}

func TestRecordLog_BackupRestoreCarriesTheLog(t *testing.T) {
	dir := richBook(t)
	db := openTest(t, dir)
	var buf bytes.Buffer
	if err := db.backupService().Backup(ctx, &buf, "backup-pass-123", "t"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	to := t.TempDir() + "/restored"
	if err := Restore(ctx, to, &buf, "backup-pass-123", false, "t"); err != nil {
		t.Fatal(err)
	}
	db = openTest(t, to)
	defer db.Close()
	if err := db.ledgerService().Verify(ctx); err != nil {
		t.Fatalf("restored book: %v", err)
	}
}

func TestRecordBlock_CanonicalRoundTrip(t *testing.T) {
	b := app.RecordBlock{Seq: 3, Prev: strings.Repeat("ab", 32), Writes: []app.RecordWrite{
		{Key: "fee/pay/R00000001", SHA: sha256Sum([]byte("x"))}, {Key: "member/张 三\n", Deleted: true}}}
	b, v := app.SealRecordBlock(b)
	got, actual, err := app.ParseRecordBlock(v)
	if err != nil || actual != b.Hash || got.Hash != b.Hash || got.Seq != 3 || got.Prev != b.Prev || len(got.Writes) != 2 ||
		got.Writes[0] != b.Writes[0] || got.Writes[1] != b.Writes[1] {
		t.Fatalf("round trip: %+v %s %v", got, actual, err)
	}
	for _, bad := range []string{"", "hash x\n", "sunledger-records-v1\nseq x\nkind write\nprev \nhash y\n", string(v[:len(v)-1])} {
		if _, _, err := app.ParseRecordBlock([]byte(bad)); err == nil {
			t.Errorf("parsed %q", bad)
		}
	}
}

// TestRecordLog_InterruptedBaselineResumes stops a baseline after its second block (as
// a kill would: the later blocks never written, the mark left on the last key covered)
// and checks that verify refuses the book until the next writable open completes it.
func TestRecordLog_InterruptedBaselineResumes(t *testing.T) {
	old := baselineChunk
	baselineChunk = 7
	t.Cleanup(func() { baselineChunk = old })
	dir := richBook(t)
	rawEdit(t, dir, dropLog(true))
	// Lay down the first two baseline blocks by hand, as startRecordLog would have.
	rawEdit(t, dir, func(txn *badger.Txn) error {
		tx := &Tx{txn: txn}
		var head recordHead
		var last string
		it := txn.NewIterator(badger.DefaultIteratorOptions)
		var writes []app.RecordWrite
		for it.Rewind(); it.Valid() && len(writes) < 14; it.Next() {
			if k := string(it.Item().Key()); logged(k) {
				v, _ := it.Item().ValueCopy(nil)
				writes = append(writes, app.RecordWrite{Key: k, SHA: sha256.Sum256(v)})
			}
		}
		it.Close()
		for i := 0; i < 2; i++ {
			b := app.RecordBlock{Seq: head.Seq + 1, Prev: head.Hash, Baseline: true, Writes: writes[i*7 : i*7+7]}
			if err := tx.writeBlock(b); err != nil {
				return err
			}
			b, _ = app.SealRecordBlock(b)
			head, last = recordHead{Seq: b.Seq, Hash: b.Hash}, b.Writes[6].Key
		}
		v, _ := json.Marshal(last)
		return txn.Set([]byte(keyRecordBaseline), v)
	})
	// A read-only look (as a reading command would have) refuses the book.
	raw, err := badger.Open(badger.DefaultOptions(dir).WithLogger(nil).WithReadOnly(true))
	if err != nil {
		t.Fatal(err)
	}
	db := &DB{bdb: raw, dir: dir, Now: func() time.Time { return time.Now() }}
	err = db.ledgerService().Verify(ctx)
	raw.Close()
	if msg := zhOf(err); !strings.Contains(msg, "基线还没有建完") {
		t.Fatalf("verify of a half-laid baseline: %v", err)
	}
	db = openTest(t, dir) // resumes and completes
	defer db.Close()
	if err := db.ledgerService().Verify(ctx); err != nil {
		t.Fatalf("after resuming: %v", err)
	}
}

// TestRecordLog_TwoEditsTheFirstInKeyOrderIsNamed: with two records edited outside
// Sunledger, verify names the first in key order, whichever worker reads it first.
func TestRecordLog_TwoEditsTheFirstInKeyOrderIsNamed(t *testing.T) {
	first, second := auditKey(3), unitKey("1-1-101")
	if first > second {
		first, second = second, first
	}
	dir := richBook(t)
	rawEdit(t, dir, func(txn *badger.Txn) error {
		for _, k := range []string{first, second} {
			if err := txn.Set([]byte(k), []byte(`{"edited":true}`)); err != nil {
				return err
			}
		}
		return nil
	})
	want, _ := describeKey(first)
	for i := 0; i < 5; i++ {
		if msg := verifyZH(t, dir); !strings.Contains(msg, want+" 与记录链不符") {
			t.Fatalf("run %d: verify says %q; want it to name %q, the first edited record", i, msg, want)
		}
	}
}

// toFirstFormat rewrites the record log as a book written before 2026-12-07 holds it:
// blocks of the first format (no replaced values), relinked, and no tree yet (the next
// writing open builds it from the blocks, as it did for such books).
func toFirstFormat(txn *badger.Txn) error {
	var blocks []app.RecordBlock
	if err := eachRaw(txn, prefixRecordLog, func(_ string, v []byte) error {
		b, _, err := app.ParseRecordBlock(v)
		blocks = append(blocks, b)
		return err
	}); err != nil {
		return err
	}
	if err := dropLog(false)(txn); err != nil {
		return err
	}
	prev := ""
	for _, b := range blocks {
		b.V1, b.Prev = true, prev
		for i := range b.Writes {
			b.Writes[i].Old, b.Writes[i].HasOld = [32]byte{}, false
		}
		b, v := app.SealRecordBlock(b)
		if err := txn.Set([]byte(recordBlockKey(b.Seq)), v); err != nil {
			return err
		}
		prev = b.Hash
	}
	return txn.Set([]byte(keyRecordHead), headJSON(recordHead{Seq: int64(len(blocks)), Hash: prev}))
}

// TestRecordLog_ABookOfTheFirstFormatIsJoinedWithTheStore: a log of blocks that do not
// name the values they replace (books written before 2026-12-07) cannot be added up; verify
// replays it key by key instead, with the new blocks written after it, and still names a
// record edited outside Sunledger.
func TestRecordLog_ABookOfTheFirstFormatIsJoinedWithTheStore(t *testing.T) {
	dir := richBook(t)
	rawEdit(t, dir, toFirstFormat)
	db := openTest(t, dir)
	if err := db.ledgerService().Verify(ctx); err != nil {
		t.Fatalf("a book of the first format: %v", err)
	}
	if _, err := db.feeService().Pay(ctx, app.PaymentRequest{Unit: "2-1-101", Amount: dec("10"), Date: "2026-06-15"}, "t", ""); err != nil {
		t.Fatal(err)
	}
	if err := db.ledgerService().Verify(ctx); err != nil {
		t.Fatalf("the first format followed by the second: %v", err)
	}
	db.view(func(tx *Tx) error {
		if !tx.logStartsV1() {
			t.Error("the log does not start with a block of the first format")
		}
		return nil
	})
	db.Close()
	rawEdit(t, dir, editJSON(paymentKey("R00000001"), func(m map[string]any) { m["amount"] = "8.67" }))
	if msg := verifyZH(t, dir); !strings.Contains(msg, "收据 R00000001") {
		t.Errorf("verify says %q; want it to name 收据 R00000001", msg)
	}
}

// TestRecordLog_AnEditWrittenOverSinceIsStillFound: a record changed, or deleted, with a
// database tool and then written again by Sunledger holds what the log's last write
// says, yet the log's writes no longer add up: the write names the replaced value it
// found, which the log never wrote. (Replaying the log key by key alone passed it.)
func TestRecordLog_AnEditWrittenOverSinceIsStillFound(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(txn *badger.Txn) error
	}{
		{"changed", editJSON(feeAccountKey("1-1-101"), func(m map[string]any) { m["credit"] = "500" })},
		{"deleted", func(txn *badger.Txn) error { return txn.Delete([]byte(feeAccountKey("1-1-101"))) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := richBook(t)
			rawEdit(t, dir, tc.edit)
			db := openTest(t, dir)
			// The payment rewrites the unit's fee account through the record log.
			_, err := db.feeService().Pay(ctx, app.PaymentRequest{Unit: "1-1-101", Amount: dec("1"), Date: "2026-06-15"}, "t", "")
			db.Close()
			if err != nil {
				t.Fatal(err)
			}
			if msg := verifyZH(t, dir); !strings.Contains(msg, "加总对不上") {
				t.Errorf("verify says %q; want the writes that do not add up", msg)
			}
		})
	}
}
