package app

import (
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// What is owed and what was collected: arrears (欠费) by age, the late fee rule, and
// the collection rate (收缴率) of a period.

// Ageing buckets of arrears (账龄), by how many months old a bill is: the current month
// is 0; a label names the ages it counts: 0–2 is 0, 1 or 2 months old, and so on.
var AgeBuckets = []struct {
	Label    string
	From, To int // months, To exclusive (0 = no upper bound)
}{{"0–2", 0, 3}, {"3–5", 3, 6}, {"6–11", 6, 12}, {"12+", 12, 0}}

// AgeBucket returns the index into AgeBuckets for a bill of month period seen in month
// asOf.
func AgeBucket(period, asOf string) int {
	age := MonthsBetween(period, asOf)
	for i, b := range AgeBuckets {
		if age < b.To || b.To == 0 {
			return i
		}
	}
	return len(AgeBuckets) - 1
}

// Arrears is what one unit owes (欠费): its open bills, with the owed amount split by age.
type Arrears struct {
	Unit    string             `json:"unit"`
	Payer   string             `json:"payer"`
	Owed    decimal.Decimal    `json:"owed"`
	Bills   int                `json:"bills"`
	Oldest  string             `json:"oldest"`
	Ageing  [4]decimal.Decimal `json:"ageing"`
	LateFee decimal.Decimal    `json:"late_fee"` // only where the contract sets a rate
	// Developer: the unit is still held by the developer, which pays its fees; the
	// arrears notice marks it so that owners do not read it as a neighbour's debt.
	Developer bool       `json:"developer,omitempty"`
	Open      []OpenBill `json:"open"`
}

// OwingFor says that the unit's oldest open bill is at least months old in month asOf
// (YYYY-MM): the arrears notice's and the arrears screen's age filter.
func (r Arrears) OwingFor(months int, asOf string) bool {
	return MonthsBetween(r.Oldest, asOf) >= months
}

// ArrearsOf summarises a unit's open bills as seen in month asOf.
func ArrearsOf(a FeeAccount, payer, asOf string, rule LateFeeRule, asOfDate string) Arrears {
	r := Arrears{Unit: a.Unit, Payer: payer, Owed: decimal.Zero, Bills: len(a.Open), Open: a.Open, LateFee: decimal.Zero}
	for i := range r.Ageing {
		r.Ageing[i] = decimal.Zero
	}
	for _, b := range a.Open {
		r.Owed = r.Owed.Add(b.Due)
		r.Ageing[AgeBucket(b.Period, asOf)] = r.Ageing[AgeBucket(b.Period, asOf)].Add(b.Due)
		r.LateFee = r.LateFee.Add(rule.Fee(b, asOfDate))
		if r.Oldest == "" || b.Period < r.Oldest {
			r.Oldest = b.Period
		}
	}
	return r
}

// LateFeeRule is the contract's late-fee clause (滞纳金). docs/domain.md: late fees only if the
// contract sets a rate, so the zero rule charges nothing. A bill for month M is due at
// the end of M plus GraceDays; each day after that costs DailyRate × what is still due
// (e.g. 0.0003 = 万分之三 per day), rounded to 分 once per bill.
type LateFeeRule struct {
	DailyRate decimal.Decimal `json:"daily_rate"`
	GraceDays int             `json:"grace_days"`
}

// Validate: a rate from 0 to 1% per day, grace 0–365 days.
func (r LateFeeRule) Validate() error {
	if r.DailyRate.IsNegative() || r.DailyRate.GreaterThan(decimal.New(1, -2)) {
		return Errorf(EINVALID, "滞纳金日费率应在 0 到 0.01 之间", "the daily late-fee rate must be between 0 and 0.01")
	}
	if r.GraceDays < 0 || r.GraceDays > 365 {
		return Errorf(EINVALID, "宽限天数应在 0 到 365 之间", "grace days must be between 0 and 365")
	}
	return nil
}

// Fee is the late fee on one open bill as of date (YYYY-MM-DD).
func (r LateFeeRule) Fee(b OpenBill, date string) decimal.Decimal {
	if !r.DailyRate.IsPositive() || len(date) != 10 {
		return decimal.Zero
	}
	start, err := time.Parse("2006-01", b.Period)
	if err != nil {
		return decimal.Zero
	}
	dueBy := start.AddDate(0, 1, r.GraceDays-1) // last day of the month + grace
	on, err := time.Parse(DateLayout, date)
	if err != nil || !on.After(dueBy) {
		return decimal.Zero
	}
	days := int64(on.Sub(dueBy).Hours() / 24)
	return Round2(b.Due.Mul(r.DailyRate).Mul(decimal.NewFromInt(days)))
}

// SortArrears orders arrears by unit reading order.
func SortArrears(rows []Arrears) {
	sort.Slice(rows, func(i, j int) bool { return UnitLess(rows[i].Unit, rows[j].Unit) })
}

// ParseCollectionPeriod reads a collection-rate period: a month (2026-01), a quarter
// (2026Q1, 2026q1, 2026-Q1: ReadQuarter) or a year (2026); it returns the first and last
// month.
func ParseCollectionPeriod(s string) (from, to string, err error) {
	s = strings.ToUpper(strings.TrimSpace(s))
	bad := Errorf(EINVALID, "期间 %q 应为 YYYY-MM、YYYYQn 或 YYYY，例如 2026-01、2026Q1、2026", "period %q should be YYYY-MM, YYYYQn or YYYY, e.g. 2026-01, 2026Q1, 2026", s)
	switch {
	case strings.Contains(s, "Q"):
		q, err := ReadQuarter(s)
		if err != nil {
			return "", "", bad
		}
		from, to = q.Months()
		return from, to, nil
	case len(s) == 7 && s[4] == '-':
		if _, err := ParseMonth(s); err != nil {
			return "", "", err
		}
		return s, s, nil
	case len(s) == 4:
		if y, err := strconv.Atoi(s); err != nil || y < 1900 {
			return "", "", bad
		}
		return s + "-01", s + "-12", nil
	}
	return "", "", bad
}

// Collection is the collection rate (收缴率) of a period: what was received on the
// period's bills ÷ what they billed, by amount and by households (户: units billed in
// the period, and those whose bills in the period are all fully paid).
type Collection struct {
	Period           string          `json:"period"`
	From             string          `json:"from"`
	To               string          `json:"to"`
	Billed           decimal.Decimal `json:"billed"`
	Received         decimal.Decimal `json:"received"`
	Outstanding      decimal.Decimal `json:"outstanding"`
	HouseholdsBilled int             `json:"households_billed"`
	HouseholdsPaid   int             `json:"households_paid"`
}

// RateByAmount is received ÷ billed (0 when nothing was billed), rounded half-up once
// to 4 decimals: the 91.23% every screen, notice and `fees collection --json` shows.
func (c Collection) RateByAmount() decimal.Decimal { return ratio(c.Received, c.Billed) }

// RateByHouseholds is households paid in full ÷ households billed, rounded like
// RateByAmount.
func (c Collection) RateByHouseholds() decimal.Decimal {
	return ratio(decimal.NewFromInt(int64(c.HouseholdsPaid)), decimal.NewFromInt(int64(c.HouseholdsBilled)))
}

// ratio is a ÷ b rounded half-up to 4 decimals in one step (DivRound decides on the
// exact remainder). Rounding first to 6 decimals and then to 4 for display would round
// twice: 9455.58 ÷ 14519.13 = 0.65124976… is 65.12%, not the 65.13% that 0.651250 gives.
func ratio(a, b decimal.Decimal) decimal.Decimal {
	if b.IsZero() {
		return decimal.Zero
	}
	return a.DivRound(b, 4)
}

// Percent writes a rate (0.9123) as a percentage for people: "91.23%".
func Percent(rate decimal.Decimal) string {
	return rate.Mul(decimal.NewFromInt(100)).StringFixed(2) + "%"
}

// ArrearsTotal is what all units together still owe: the one sum that the arrears page,
// the dashboard and the notices print.
func ArrearsTotal(as []Arrears) decimal.Decimal {
	t := decimal.Zero
	for _, a := range as {
		t = t.Add(a.Owed)
	}
	return t
}
