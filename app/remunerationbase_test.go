package app

import (
	"reflect"
	"testing"

	"github.com/shopspring/decimal"
)

// TestRemunerationBases_CollectedBilledOrExpenses: the same month's journal gives each
// base its own figure; a contract recorded before the choice ("") is on fees billed.
func TestRemunerationBases_CollectedBilledOrExpenses(t *testing.T) {
	d := decimal.RequireFromString
	pay := PaymentEntry(Payment{Receipt: "R00000001", Unit: "1-1-101", Amount: d("300"), Credit: d("40"), Date: "2026-03-05", Method: MethodCash})
	reversal := pay
	reversal.Date = "2026-04-02"
	reversal.Postings = nil
	for _, p := range pay.Postings {
		reversal.Postings = append(reversal.Postings, Posting{Account: p.Account, Amount: p.Amount.Neg()})
	}
	deposit := Entry{Date: "2026-03-06", Postings: []Posting{{Account: BankAccount(FundService), Amount: d("300")}, {Account: CashAccount(FundService), Amount: d("-300")}}}
	cleaning := Entry{Date: "2026-03-20", Postings: []Posting{{Account: AccountName(TypeExpense, FundService, "保洁"), Amount: d("1000")}, {Account: BankAccount(FundService), Amount: d("-1000")}}}
	remu := RemunerationAccrual{Month: "2026-02", Amount: d("50")}.JournalEntry()
	entries := []Entry{BillingEntry("2026-03", d("900"), 3), CreditEntry("2026-03", d("20")), pay, deposit, cleaning, remu, reversal}
	for _, c := range []struct {
		base string
		want map[string]string
	}{
		{BaseCollected, map[string]string{"2026-03": "300", "2026-04": "-300"}},
		{BaseBilled, map[string]string{"2026-03": "900"}},
		{"", map[string]string{"2026-03": "900"}},
		{BaseExpenses, map[string]string{"2026-03": "1000"}},
	} {
		got := map[string]string{}
		for m, v := range RemunerationBases(c.base, entries) {
			if !v.IsZero() {
				got[m] = v.String()
			}
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("base %q: %v, want %v", c.base, got, c.want)
		}
	}
	if err := (RemunerationContract{Mode: RemunerationPercent, Percent: d("15"), From: "2026-01", Base: "profit"}).Validate(); ErrorCode(err) != EINVALID {
		t.Errorf("an unknown base: %v", err)
	}
	if a := Accrue(RemunerationContract{Mode: RemunerationPercent, Percent: d("15"), From: "2026-01"}, "2026-03", d("900"), nil); a.BaseKind != BaseBilled || a.Amount.String() != "135" {
		t.Errorf("a clause from before the choice: %+v", a)
	}
}

// TestUnpaidRemuneration_OldestUnpaidMonthPaysOldestFirst: payments settle the oldest
// accruals first; the oldest month not fully paid is the age.
func TestUnpaidRemuneration_OldestUnpaidMonthPaysOldestFirst(t *testing.T) {
	d := decimal.RequireFromString
	acc := []RemunerationAccrual{{Month: "2026-01", Amount: d("100")}, {Month: "2026-02", Amount: d("100")}, {Month: "2026-03", Amount: d("100")}}
	for _, c := range []struct{ owed, want string }{{"0", ""}, {"300", "2026-01"}, {"200", "2026-02"}, {"150", "2026-02"}, {"100", "2026-03"}, {"0.01", "2026-03"}} {
		if got := UnpaidRemuneration(acc, d(c.owed)); got != c.want {
			t.Errorf("owed %s: %q, want %q", c.owed, got, c.want)
		}
	}
}

// TestUnpaidRemuneration_AQuarterPaidAsTruedUpIsPaidWhole: a quarter lowered by its
// factor and paid at the trued-up amount leaves nothing of it unpaid; the oldest unpaid
// month is the next quarter's first.
func TestUnpaidRemuneration_AQuarterPaidAsTruedUpIsPaidWhole(t *testing.T) {
	d := decimal.RequireFromString
	acc := []RemunerationAccrual{{Month: "2026-07", Amount: d("100")}, {Month: "2026-08", Amount: d("100")}, {Month: "2026-09", Amount: d("100")}, {Month: "2026-10", Amount: d("100")}}
	tus := []RemunerationTrueUp{{Quarter: "2026Q3", Months: []string{"2026-07", "2026-08", "2026-09"}, Amount: d("-30")}}
	// owed: Q3 was paid 270; October's 100 is owed
	st := StatusOf(acc, tus, d("100"), "2026-12-06")
	if st.Since != "2026-10" || st.AgeMonths != 2 {
		t.Errorf("since %s (%d months), want 2026-10 (2)", st.Since, st.AgeMonths)
	}
	if st = StatusOf(acc, tus, d("101"), "2026-12-06"); st.Since != "2026-09" {
		t.Errorf("a cent of Q3 unpaid: since %s, want 2026-09", st.Since)
	}
}
