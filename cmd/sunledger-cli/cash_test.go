package main

import (
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
