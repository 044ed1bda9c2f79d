package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLedgerDeposit_CashToBankWithSlipAndLimit(t *testing.T) {
	t.Parallel()
	data := t.TempDir()
	ok(t, data, "init", "--name", "阳光花园")
	ok(t, data, "income", "add", "--fund", "public", "--kind", "parking", "--amount", "8000", "--method", "cash", "--date", "2026-03-01")
	ok(t, data, "ledger", "cash-limit", "--fund", "public", "--amount", "5000")
	if r := ok(t, data, "ledger", "cash-limit"); !strings.Contains(r.stdout, "超出") {
		t.Errorf("no excess shown: %s", r.stdout)
	}
	r := ok(t, data, "ledger", "deposit", "--fund", "public", "--amount", "6000", "--slip", "No.778", "--date", "2026-03-02")
	if r.lastWord() == "" || !strings.Contains(r.stdout, "No.778") {
		t.Errorf("deposit said %q", r.stdout)
	}
	if r := ok(t, data, "ledger", "cash-limit"); strings.Contains(r.stdout, "超出") {
		t.Errorf("still over the limit: %s", r.stdout)
	}
	bal := ok(t, data, "ledger", "balance", "--json").stdout
	for _, want := range []string{`"资产:公共收益:库存现金",
    "balance": "2000.00"`, `"资产:公共收益:银行存款",
    "balance": "6000.00"`} {
		if !strings.Contains(bal, want) {
			t.Errorf("balances lack %s:\n%s", want, bal)
		}
	}
	fails(t, data, "ledger", "deposit", "--fund", "public", "--amount", "100", "--slip", "No.778", "--date", "2026-03-02")     // slip used
	fails(t, data, "ledger", "deposit", "--fund", "public", "--amount", "2000.01", "--slip", "No.779", "--date", "2026-03-02") // more than the cash
	fails(t, data, "ledger", "deposit", "--fund", "public", "--amount", "100", "--date", "2026-03-02")                         // no slip
	fails(t, data, "ledger", "deposit", "--fund", "elsewhere", "--amount", "100", "--slip", "X")
	ok(t, data, "verify")
}

// TestLedgerDeposit_ASecondMemberConfirmsWithTheSlipsScan: a deposit recorded by one
// member keeps its slip's scan; `ledger deposits` flags it until another member
// confirms it with their passphrase; the recorder cannot confirm their own deposit, a
// deposit without a scan cannot be confirmed until one is attached, and the scan comes
// back byte for byte.
func TestLedgerDeposit_ASecondMemberConfirmsWithTheSlipsScan(t *testing.T) {
	t.Parallel()
	data := t.TempDir()
	ok(t, data, "init", "--name", "阳光花园")
	dir := t.TempDir()
	for _, m := range [][2]string{{"李财务", "treasurer"}, {"张主任", "chair"}} {
		ok(t, data, "members", "add", "--name", m[0], "--role", m[1], "--passphrase-file", writeFile(t, dir, m[0]+".txt", "pass-"+m[0]+"\n"))
	}
	ok(t, data, "income", "add", "--fund", "public", "--kind", "parking", "--amount", "8000", "--method", "cash", "--date", "2026-03-01")
	scan := writeFile(t, dir, "No.778.jpg", "工商银行现金缴款单 No.778 ¥6,000.00")
	r := ok(t, data, "ledger", "deposit", "--fund", "public", "--amount", "6000", "--slip", "No.778", "--date", "2026-03-02", "--scan", scan, "--as", "李财务")
	if !strings.Contains(r.stdout, "待另一位成员确认") {
		t.Errorf("deposit said %q", r.stdout)
	}
	ok(t, data, "ledger", "deposit", "--fund", "public", "--amount", "1000", "--slip", "No.779", "--date", "2026-03-03", "--as", "李财务")
	if r := ok(t, data, "ledger", "deposits"); !strings.Contains(r.stdout, "2 笔存款待另一位成员确认") {
		t.Errorf("deposits: %s", r.stdout)
	}
	if r := as(t, data, "pass-李财务", "ledger", "deposit-confirm", "--slip", "No.778", "--as", "李财务"); r.code == 0 || !strings.Contains(r.stderr, "另一位成员") {
		t.Errorf("the recorder confirmed: %+v", r)
	}
	as(t, data, "wrong", "ledger", "deposit-confirm", "--slip", "No.778", "--as", "张主任")
	if r := as(t, data, "pass-张主任", "ledger", "deposit-confirm", "--slip", "No.779", "--as", "张主任"); r.code == 0 || !strings.Contains(r.stderr, "扫描件") {
		t.Errorf("confirmed without a scan: %+v", r)
	}
	asOK(t, data, "pass-张主任", "ledger", "deposit-confirm", "--slip", "No.778", "--as", "张主任")
	asOK(t, data, "pass-张主任", "ledger", "deposit-confirm", "--slip", "No.779", "--as", "张主任", "--scan", writeFile(t, dir, "No.779.png", "No.779"))
	out := ok(t, data, "ledger", "deposits", "--json").stdout
	if !strings.Contains(out, `"confirmed_by": "张主任"`) || strings.Count(out, `"confirmed_by"`) != 2 {
		t.Errorf("deposits --json: %s", out)
	}
	back := filepath.Join(dir, "back.jpg")
	ok(t, data, "ledger", "deposit-scan", "--slip", "No.778", "--out", back)
	if b, _ := os.ReadFile(back); string(b) != "工商银行现金缴款单 No.778 ¥6,000.00" {
		t.Errorf("scan back: %q", b)
	}
	ok(t, data, "verify")
}
