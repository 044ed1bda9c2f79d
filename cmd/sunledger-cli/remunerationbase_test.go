package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestRemuneration_OnFeesCollectedByDefaultAndTheUnpaidPartShown: a new percentage
// clause is taken of the fees collected in each month (not billed), and remuneration
// list says how much accrued remuneration is unpaid and since when.
func TestRemuneration_OnFeesCollectedByDefaultAndTheUnpaidPartShown(t *testing.T) {
	data := feesBook(t) // 2025-01..03 billed, 338.64 a month
	ok(t, data, "fees", "pay", "--unit", "10-1-101", "--amount", "250", "--date", "2025-02-10", "--method", "wechat")
	ok(t, data, "fees", "pay", "--unit", "P-001", "--amount", "30.00", "--date", "2025-02-11", "--method", "cash") // 17.04 of it prepaid
	fails(t, data, "remuneration", "contract", "--percent", "15", "--base", "profit", "--from", "2025-01")
	fails(t, data, "remuneration", "contract", "--fixed", "100", "--base", "billed", "--from", "2025-01")
	if out := ok(t, data, "remuneration", "contract", "--percent", "15", "--from", "2025-01").stdout; !strings.Contains(out, "实收物业费") {
		t.Errorf("contract said %q", out)
	}
	r := ok(t, data, "remuneration", "accrue", "--month", "2025-01", "--to", "2025-03")
	if !strings.Contains(r.stdout, "¥42.00") { // 15 % of 280.00 collected in February
		t.Errorf("accrue printed %q", r.stdout)
	}
	var got struct {
		Contract struct {
			Base string `json:"base"`
		} `json:"contract"`
		Accruals []struct {
			Month, Base, Amount string
		} `json:"accruals"`
		Unpaid      string `json:"unpaid"`
		UnpaidSince string `json:"unpaid_since"`
	}
	if err := json.Unmarshal([]byte(ok(t, data, "remuneration", "list", "--json").stdout), &got); err != nil {
		t.Fatal(err)
	}
	if got.Contract.Base != "collected" || len(got.Accruals) != 3 || got.Accruals[0].Base != "0.00" || got.Accruals[1].Base != "280.00" ||
		got.Accruals[1].Amount != "42.00" || got.Unpaid != "42.00" || got.UnpaidSince != "2025-02" {
		t.Errorf("list: %+v", got)
	}
	if out := ok(t, data, "remuneration", "list").stdout; !strings.Contains(out, "已计提未支付酬金 ¥42.00，最早自 2025-02 起未付") {
		t.Errorf("list text:\n%s", out)
	}
}
