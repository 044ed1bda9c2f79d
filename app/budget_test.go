package app

import (
	"testing"

	"github.com/shopspring/decimal"
)

func d(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func TestBudget_ApprovedBudgetIsFixed(t *testing.T) {
	var b Budget
	b, err := b.SetLine(BudgetLine{Year: 2026, Fund: FundService, Category: "cleaning", Amount: d("120000")})
	if err != nil {
		t.Fatal(err)
	}
	b, _ = b.SetLine(BudgetLine{Year: 2026, Fund: FundService, Category: "staff", Amount: d("500000")})
	if len(b.Lines) != 2 || b.Lines[0].Category != "staff" {
		t.Fatalf("lines not in the regulation's order: %+v", b.Lines)
	}
	b, _ = b.SetLine(BudgetLine{Year: 2026, Fund: FundService, Category: "staff", Amount: decimal.Zero})
	if len(b.Lines) != 1 {
		t.Fatalf("zero amount should remove the line: %+v", b.Lines)
	}
	b.State = BudgetApproved
	if _, err := b.SetLine(BudgetLine{Year: 2026, Fund: FundService, Category: "staff", Amount: d("1")}); ErrorCode(err) != ECONFLICT {
		t.Errorf("changing an approved budget: %v", err)
	}
}

func TestBudgetLine_FundAndCategoryMustFit(t *testing.T) {
	for in, code := range map[string]Code{
		"2026:service:cleaning":    "",
		"2026:维修资金:维修工程":           "",
		"2026:maintenance:staff":   EINVALID,
		"2026:service:repair":      EINVALID,
		"1999:service:cleaning":    EINVALID,
		"2026:service":             EINVALID,
		"2026:nowhere:cleaning":    EINVALID,
		"2026:public:remuneration": "",
	} {
		if _, err := ParseBudgetLineID(in); ErrorCode(err) != code {
			t.Errorf("ParseBudgetLineID(%q) = %v, want %q", in, err, code)
		}
	}
	if err := (BudgetBasis{}).Validate(); err == nil {
		t.Error("a budget approved on no basis")
	}
	if err := (BudgetBasis{Vote: "V0001", Decision: "x"}).Validate(); err == nil {
		t.Error("a budget approved on two bases")
	}
}

func entry(date string, ps ...Posting) Entry {
	return Entry{Date: date, Description: "x", Postings: ps}
}
func post(a string, amount string) Posting { return Posting{Account: a, Amount: d(amount)} }

func TestCompareBudget_ByMonthAndUnbudgetedSpending(t *testing.T) {
	clean := AccountName(TypeExpense, FundService, "清洁卫生")
	office := AccountName(TypeExpense, FundService, "办公费用")
	bank := BankAccount(FundService)
	entries := []Entry{
		entry("2025-12-31", post(clean, "999"), post(bank, "-999")), // another year
		entry("2026-01-10", post(clean, "1000"), post(bank, "-1000")),
		entry("2026-03-10", post(clean, "500.50"), post(bank, "-500.50")),
		entry("2026-03-20", post(clean, "-100"), post(bank, "100")), // a reversal nets out
		entry("2026-04-01", post(office, "80"), post(bank, "-80")),
	}
	b := Budget{Year: 2026, Lines: []BudgetLine{{Year: 2026, Fund: FundService, Category: "cleaning", Amount: d("12000")}}}
	r := CompareBudget(b, ExpenseByMonth(entries, 2026))
	if len(r.Lines) != 2 {
		t.Fatalf("lines = %+v", r.Lines)
	}
	l := r.Lines[0]
	if !l.Actual.Equal(d("1400.50")) || !l.Months[0].Equal(d("1000")) || !l.Months[2].Equal(d("400.50")) || !l.Left.Equal(d("10599.50")) || l.Percent.String() != "11.7" {
		t.Errorf("cleaning line = %+v", l)
	}
	if r.Lines[1].Budgeted || !r.Lines[1].Actual.Equal(d("80")) {
		t.Errorf("unbudgeted office spending = %+v", r.Lines[1])
	}
	if bt, at := r.Total(""); !bt.Equal(d("12000")) || !at.Equal(d("1480.50")) {
		t.Errorf("totals %s %s", bt, at)
	}
}

func TestAccrue_PercentOfFeeIncomeScaledByScore(t *testing.T) {
	c := RemunerationContract{Mode: RemunerationPercent, Percent: d("15"), From: "2026-01"}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	a := Accrue(c, "2026-02", d("100000.03"), nil)
	if !a.Amount.Equal(d("15000.00")) { // 15000.0045 → half-up to 分
		t.Errorf("15%% of 100000.03 = %s", a.Amount)
	}
	c.Bands, _ = ParseBands("90:1, 80:0.95, 60:0.8, 0:0.5")
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	as := Assessment{Quarter: "2026Q1", Scores: []AssessmentScore{{"保洁", d("40"), d("90")}, {"安保", d("60"), d("80")}}}
	if err := as.Validate(); err != nil {
		t.Fatal(err)
	}
	if !as.Total().Equal(d("84")) {
		t.Fatalf("weighted score = %s", as.Total())
	}
	a = Accrue(c, "2026-02", d("100000"), &as)
	if !a.Factor.Equal(d("0.95")) || !a.Amount.Equal(d("14250")) || a.Quarter != "2026Q1" {
		t.Errorf("accrual = %+v", a)
	}
	for score, f := range map[string]string{"100": "1", "90": "1", "89.99": "0.95", "60": "0.8", "0": "0.5"} {
		if got := c.Factor(d(score)); !got.Equal(d(f)) {
			t.Errorf("factor(%s) = %s, want %s", score, got, f)
		}
	}
	fixed := RemunerationContract{Mode: RemunerationFixed, Monthly: d("8000"), From: "2026-01"}
	if a := Accrue(fixed, "2026-02", d("1"), nil); !a.Amount.Equal(d("8000")) {
		t.Errorf("fixed = %s", a.Amount)
	}
	if je := a.JournalEntry(); je.Validate(nil) != nil || je.Date != "2026-02-28" {
		t.Errorf("accrual entry %+v", je)
	}
	bad := []RemunerationContract{
		{Mode: RemunerationPercent, Percent: d("0"), From: "2026-01"},
		{Mode: RemunerationPercent, Percent: d("101"), From: "2026-01"},
		{Mode: RemunerationFixed, Monthly: d("-1"), From: "2026-01"},
		{Mode: "bonus", From: "2026-01"},
		{Mode: RemunerationPercent, Percent: d("15"), From: "2026"},
		{Mode: RemunerationPercent, Percent: d("15"), From: "2026-01", Bands: []ScoreBand{{MinScore: 90, Factor: d("1")}}},
	}
	for i, c := range bad {
		if err := c.Validate(); ErrorCode(err) != EINVALID {
			t.Errorf("bad contract %d accepted", i)
		}
	}
}

func TestAssessment_ScoresOutOfRangeRefused(t *testing.T) {
	for _, items := range [][]string{{"保洁:30:101"}, {"保洁:0:90"}, {"保洁:30:90", "保洁:20:80"}, {"保洁:30"}, {"保洁:x:90"}} {
		s, err := ParseScores(items)
		if err == nil {
			err = Assessment{Quarter: "2026Q1", Scores: s}.Validate()
		}
		if err == nil {
			t.Errorf("%v accepted", items)
		}
	}
	if q, err := ParseQuarter("2026-q3"); err != nil || q != "2026Q3" {
		t.Errorf("ParseQuarter = %q %v", q, err)
	}
	if _, err := ParseQuarter("2026Q5"); err == nil {
		t.Error("2026Q5 accepted")
	}
}

func TestComputeSettlement_SurplusCarriedForward(t *testing.T) {
	bank := BankAccount(FundService)
	recv := ReceivableAccount(FundService)
	clean := AccountName(TypeExpense, FundService, "清洁卫生")
	remu := AccountName(TypeExpense, FundService, "酬金")
	pay := PayableAccount(FundService)
	entries := []Entry{
		entry("2025-06-01", post(recv, "5000"), post(FeeIncomeAccount, "-5000")),
		entry("2025-06-02", post(bank, "5000"), post(recv, "-5000")),
		entry("2026-01-31", post(recv, "10000"), post(FeeIncomeAccount, "-10000")),
		entry("2026-02-10", post(bank, "8000"), post(recv, "-8000")),
		entry("2026-02-28", post(remu, "1500"), post(pay, "-1500")),
		entry("2026-03-05", post(clean, "3000"), post(bank, "-3000")),
		entry("2027-01-05", post(clean, "99"), post(bank, "-99")),
	}
	s, err := ComputeSettlement(2026, entries)
	if err != nil {
		t.Fatal(err)
	}
	f := s.Fund(FundService)
	if !f.Opening.Equal(d("5000")) || !f.IncomeTotal.Equal(d("10000")) || !f.ExpenseTotal.Equal(d("4500")) ||
		!f.Remuneration.Equal(d("1500")) || !f.Surplus.Equal(d("5500")) || !f.Closing.Equal(d("10500")) {
		t.Errorf("service fund = %+v", f)
	}
	if len(f.Expenses) != 2 || f.Expenses[0].Name != "清洁卫生" {
		t.Errorf("expenses not in the regulation's order: %+v", f.Expenses)
	}
	// An entry across funds breaks the identity and is reported, not papered over.
	bad := append(entries, entry("2026-05-01", post(BankAccount(FundPublic), "10"), post(FeeIncomeAccount, "-10")))
	if _, err := ComputeSettlement(2026, bad); ErrorCode(err) != EINVALID {
		t.Errorf("cross-fund entry: %v", err)
	}
}

func TestComputeMaintenance_SharesAddUpToBalance(t *testing.T) {
	bank := BankAccount(FundMaintenance)
	dep := AccountName(TypeIncome, FundMaintenance, "缴存")
	intr := AccountName(TypeIncome, FundMaintenance, "利息")
	rep := AccountName(TypeExpense, FundMaintenance, "维修工程")
	entries := []Entry{
		entry("2025-01-01", post(bank, "100000"), post(dep, "-100000")),
		entry("2026-06-30", post(bank, "1500"), post(intr, "-1500")),
		entry("2026-07-10", post(rep, "30000"), post(bank, "-30000")),
	}
	paid := applied("x", d("30000"), FundMaintenance)
	paid.State, paid.PaidDate, paid.Building = ExpensePaid, "2026-07-10", "1"
	units := []Unit{{ID: "1-1-101", Area: d("100")}, {ID: "1-1-102", Area: d("100")}, {ID: "2-1-101", Area: d("133.33")}}
	s := ComputeMaintenance(2026, entries, []MaintenanceApplication{{Expense: paid, Passed: true, Progress: ProgressPaid}}, units)
	if !s.Opening.Equal(d("100000")) || !s.Interest.Equal(d("1500")) || !s.Repairs.Equal(d("30000")) || !s.Closing.Equal(d("71500")) || len(s.Movements) != 2 {
		t.Errorf("statement = %+v", s)
	}
	var sum decimal.Decimal
	for _, sh := range s.Shares {
		sum = sum.Add(sh.Share)
	}
	if !sum.Equal(s.Closing) || len(s.Shares) != 2 || !s.Shares[0].Repairs.Equal(d("30000")) {
		t.Errorf("shares %+v add up to %s, want %s", s.Shares, sum, s.Closing)
	}
	// building 1 holds 200/333.33 of the area: 101500 × 200/333.33 − 30000 = 30900.61
	if !s.Shares[0].Share.Equal(d("30900.61")) {
		t.Errorf("building 1 share = %s", s.Shares[0].Share)
	}
	for _, tc := range []struct {
		e      Expense
		passed bool
		want   string
	}{
		{applied("x", amt, FundMaintenance), false, ProgressApplied},
		{applied("x", amt, FundMaintenance), true, ProgressVoted},
		{Expense{Fund: FundMaintenance, State: ExpenseReviewed}, true, ProgressApproved},
		{Expense{Fund: FundMaintenance, State: ExpenseApproved}, true, ProgressVoted}, // still needs the review
		{paid, true, ProgressPaid},
	} {
		if got := MaintenanceProgress(tc.e, tc.passed, ExpenseRules{}); got != tc.want {
			t.Errorf("progress of %s/%v = %s, want %s", tc.e.State, tc.passed, got, tc.want)
		}
	}
}

// FuzzParseChainInputs feeds the parsers of typed input (budget lines, bands, scores,
// quarters, request ids) arbitrary text: they must refuse cleanly, never panic, and what
// they accept must be valid.
func FuzzParseChainInputs(f *testing.F) {
	for _, s := range []string{"2026:service:cleaning", "90:1,80:0.95,0:0.9", "保洁:30:92", "2026Q1", "E000012", "2026:维修资金:维修工程", ":::", "90:", "1e9:1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if l, err := ParseBudgetLineID(s); err == nil {
			if l.Validate() != nil && l.Amount.IsZero() && ErrorCode(l.Validate()) != EINVALID {
				t.Errorf("accepted line %q does not validate", s)
			}
			if _, err := ExpenseAccount(l.Fund, l.Category); err != nil {
				t.Errorf("accepted line %q has no account", s)
			}
		}
		if bands, err := ParseBands(s); err == nil {
			c := RemunerationContract{Mode: RemunerationPercent, Percent: decimal.NewFromInt(15), From: "2026-01", Bands: bands}
			if c.Validate() == nil {
				// A score of 50 earns the factor of the highest band at or below 50, or 1.
				want, best := decimal.NewFromInt(1), -1
				for _, b := range bands {
					if b.MinScore <= 50 && b.MinScore > best {
						want, best = b.Factor, b.MinScore
					}
				}
				if got := c.Factor(decimal.NewFromInt(50)); !got.Equal(want) {
					t.Errorf("bands %q: factor at 50 = %s, want %s", s, got, want)
				}
			}
		}
		if scores, err := ParseScores([]string{s}); err == nil {
			a := Assessment{Quarter: "2026Q1", Scores: scores}
			if a.Validate() == nil && (a.Total().IsNegative() || a.Total().GreaterThan(decimal.NewFromInt(100))) {
				t.Errorf("score %q gives total %s", s, a.Total())
			}
		}
		if q, err := ParseQuarter(s); err == nil {
			if q2, err := ParseQuarter(q); err != nil || q2 != q {
				t.Errorf("quarter %q → %q does not round-trip", s, q)
			}
		}
		if id, err := ParseExpenseID(s); err == nil {
			if id2, err := ParseExpenseID(id); err != nil || id2 != id {
				t.Errorf("id %q → %q does not round-trip", s, id)
			}
		}
	})
}

// TestSettlement_ClosingIsMoneyPlusOwedLessPrepaidAndPayable: the notice explains the
// balance due to the owners, and its parts add up to it.
func TestSettlement_ClosingIsMoneyPlusOwedLessPrepaidAndPayable(t *testing.T) {
	d := decimal.RequireFromString
	f := FundService
	es := []Entry{
		{Date: "2026-01-01", Postings: []Posting{{Account: ReceivableAccount(f), Amount: d("1000")}, {Account: FeeIncomeAccount, Amount: d("-1000")}}},
		{Date: "2026-01-10", Postings: []Posting{{Account: BankAccount(f), Amount: d("700")}, {Account: ReceivableAccount(f), Amount: d("-600")}, {Account: PrepaidFeesAccount, Amount: d("-100")}}},
		{Date: "2026-01-31", Postings: []Posting{{Account: AccountName(TypeExpense, f, "酬金"), Amount: d("150")}, {Account: PayableAccount(f), Amount: d("-150")}}},
	}
	s, err := ComputeSettlement(2026, es)
	if err != nil {
		t.Fatal(err)
	}
	x := s.Fund(f)
	if !x.Money.Equal(d("700")) || !x.Receivable.Equal(d("400")) || !x.Prepaid.Equal(d("100")) || !x.Payable.Equal(d("150")) || !x.Other.IsZero() {
		t.Fatalf("composition %+v", x)
	}
	if sum := x.Money.Add(x.Receivable).Sub(x.Prepaid).Sub(x.Payable).Add(x.Other); !sum.Equal(x.Closing) || !x.Closing.Equal(d("850")) {
		t.Fatalf("parts %s ≠ closing %s", sum, x.Closing)
	}
}
