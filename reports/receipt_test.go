package reports

import (
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"sunledger/app"
)

// A receipt lists every month a payment paid: three or more consecutive months of the
// same amount are one run, so two years of arrears still fit the receipt's lines (they
// used to be cut off after three lines with "…").
func TestReceiptItems_ConsecutiveMonthsOfOneAmountAreOneRun(t *testing.T) {
	d := decimal.RequireFromString
	months := func(from string, n int, amt string) []app.Allocation {
		var as []app.Allocation
		for i := 0; i < n; i++ {
			as = append(as, app.Allocation{Period: app.AddMonths(from, i), Amount: d(amt)})
		}
		return as
	}
	for _, c := range []struct {
		name   string
		allocs []app.Allocation
		credit string
		want   string
	}{
		{"one month", months("2026-01", 1, "35.00"), "0", "2026-01 物业费 ¥35.00"},
		{"two months stay apart", months("2026-01", 2, "35.00"), "0", "2026-01 物业费 ¥35.00；2026-02 物业费 ¥35.00"},
		{"three months are a run", months("2026-01", 3, "35.00"), "10", "2026-01…2026-03 物业费 3 个月 × ¥35.00；预交物业费 ¥10.00"},
		{"a price change starts a new run", append(months("2024-12", 11, "294.48"), months("2025-11", 12, "331.29")...), "0",
			"2024-12…2025-10 物业费 11 个月 × ¥294.48；2025-11…2026-10 物业费 12 个月 × ¥331.29"},
		{"a partly paid first month stands alone", append(months("2025-01", 1, "24.95"), months("2025-02", 4, "35.00")...), "0",
			"2025-01 物业费 ¥24.95；2025-02…2025-05 物业费 4 个月 × ¥35.00"},
		{"a gap breaks the run", append(months("2025-01", 3, "35.00"), months("2025-05", 1, "35.00")...), "0",
			"2025-01…2025-03 物业费 3 个月 × ¥35.00；2025-05 物业费 ¥35.00"},
		{"nothing but prepayment", nil, "100", "预交物业费 ¥100.00"},
	} {
		got := receiptItems(app.Payment{Allocations: c.allocs, Credit: d(c.credit)})
		if got != c.want {
			t.Errorf("%s:\n got %s\nwant %s", c.name, got, c.want)
		}
	}
}

// A prepayment line says which months it covers at the month's fee, with what is left
// of a month over.
func TestReceipt_PrepaymentSaysWhichMonthsItCovers(t *testing.T) {
	r := Receipt{Payment: app.Payment{Credit: bdec("2000.00")}, PrepaidFrom: "2026-12", Monthly: bdec("151.47")}
	if got, want := r.prepaidMonths(), "2026-12 至 2027-12 物业费，共 13 个月，余 ¥30.89（按月费 ¥151.47 计，以实际账单为准）"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	r.Payment.Credit = bdec("100")
	if got := r.prepaidMonths(); !strings.HasPrefix(got, "2026-12 物业费的一部分") {
		t.Errorf("less than a month: %q", got)
	}
	r.Monthly = decimal.Zero
	if got := r.prepaidMonths(); got != "" {
		t.Errorf("no price, no months: %q", got)
	}
}
