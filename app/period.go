package app

import (
	"time"

	"github.com/shopspring/decimal"
)

// LastDay is the last day (YYYY-MM-DD) of the month YYYY-MM, for inclusive date ranges
// ("2026-02" → "2026-02-28"); a malformed month comes back as month+"-31", which still
// sorts after every day of it.
func LastDay(month string) string {
	t, err := time.Parse("2006-01", month)
	if err != nil {
		return month + "-31"
	}
	return t.AddDate(0, 1, -1).Format("2006-01-02")
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
