package storage

import (
	"bytes"
	"strings"
	"testing"

	"sunledger/app"
)

// TestCash_DepositNeedsASecondMembersSignedConfirmation: a deposit keeps its slip's scan
// as an attachment; it is confirmed only by another serving member, with their
// passphrase, once the scan is there; the confirmation is a signature verify checks —
// an amount edited after it, or a scan gone, is named; every refusal writes nothing.
func TestCash_DepositNeedsASecondMembersSignedConfirmation(t *testing.T) {
	db := chainBook(t)
	cash := db.cashService()
	if _, err := db.incomeService().RecordIncome(ctx, app.Income{Fund: app.FundPublic, Kind: "parking", Amount: dec("5000"), Date: "2026-06-01", Method: app.MethodCash}, "王经办", ""); err != nil {
		t.Fatal(err)
	}
	d, err := cash.DepositCash(ctx, app.CashDeposit{Fund: app.FundPublic, Amount: dec("3000"), Slip: "JK-0001", Date: "2026-06-02"}, "李财务", "")
	if err != nil || d.Scan != nil || d.Confirmed != nil {
		t.Fatalf("deposit: %+v %v", d, err)
	}
	before := snapshot(t, db)
	refusals := []struct {
		name string
		do   func() error
		code app.Code
	}{
		{"no scan yet", func() error { _, err := cash.ConfirmDeposit(ctx, "JK-0001", "张主任", pw("张主任")); return err }, app.EINVALID},
	}
	for _, r := range refusals {
		if err := r.do(); app.ErrorCode(err) != r.code {
			t.Errorf("%s: %v", r.name, err)
		}
	}
	if snapshot(t, db) != before {
		t.Error("a refused confirmation wrote something")
	}
	scan := []byte("中国工商银行 现金缴款单 JK-0001 ¥3,000.00")
	if d, err = cash.AttachDepositScan(ctx, "JK-0001", app.AttachmentFile{Name: "JK-0001.jpg", Data: scan}, "李财务"); err != nil || d.Scan == nil {
		t.Fatalf("attach: %+v %v", d, err)
	}
	if _, err := cash.AttachDepositScan(ctx, "JK-0001", app.AttachmentFile{Name: "other.jpg", Data: []byte("x")}, "李财务"); app.ErrorCode(err) != app.ECONFLICT {
		t.Errorf("a second scan: %v", err)
	}
	before = snapshot(t, db)
	refusals = []struct {
		name string
		do   func() error
		code app.Code
	}{
		{"the member who recorded it", func() error { _, err := cash.ConfirmDeposit(ctx, "JK-0001", "李财务", pw("李财务")); return err }, app.EUNAUTHORIZED},
		{"a wrong passphrase", func() error { _, err := cash.ConfirmDeposit(ctx, "JK-0001", "张主任", "guess"); return err }, app.EUNAUTHORIZED},
		{"an unknown slip", func() error { _, err := cash.ConfirmDeposit(ctx, "JK-9999", "张主任", pw("张主任")); return err }, app.ENOTFOUND},
	}
	for _, r := range refusals {
		if err := r.do(); app.ErrorCode(err) != r.code {
			t.Errorf("%s: %v", r.name, err)
		}
	}
	if snapshot(t, db) != before {
		t.Error("a refused confirmation wrote something")
	}
	if d, _ := cash.CashDeposits(ctx); d[0].Confirmed != nil {
		t.Error("a refused confirmation confirmed")
	}
	if d, err = cash.ConfirmDeposit(ctx, "JK-0001", "张主任", pw("张主任")); err != nil || d.Confirmed == nil || d.Confirmed.Signer != "张主任" {
		t.Fatalf("confirm: %+v %v", d, err)
	}
	if a := lastAudit(t, db); a.Action != "cash.deposit.confirm" || a.Who != "张主任" {
		t.Errorf("audit %+v", a)
	}
	if _, err := cash.ConfirmDeposit(ctx, "JK-0001", "陈委员", pw("陈委员")); app.ErrorCode(err) != app.ECONFLICT {
		t.Errorf("a second confirmation: %v", err)
	}
	if a, data, err := cash.DepositScan(ctx, "JK-0001"); err != nil || !bytes.Equal(data, scan) || a.Name != "JK-0001.jpg" {
		t.Errorf("scan back: %+v %v", a, err)
	}
	if err := db.ledgerService().Verify(ctx); err != nil {
		t.Fatal(err)
	}
	// Edited after the signature: the amount together with its entry would still agree
	// with the journal's cross-check if the entry were rewritten too; the signature does not.
	if err := db.update(func(tx *Tx) error {
		x, err := tx.cashDeposit("JK-0001")
		if err != nil {
			return err
		}
		x.Who = "王经办"
		return tx.put(cashDepositKey(x.Slip), x)
	}); err != nil {
		t.Fatal(err)
	}
	if err := db.ledgerService().Verify(ctx); err == nil || !strings.Contains(zhOf(err), "缴款单 JK-0001 的确认签名") {
		t.Errorf("verify of an edited confirmed deposit: %v", err)
	}
}
