package app

import (
	"testing"

	"github.com/shopspring/decimal"
)

func TestLastDay_KnowsMonthLengthsAndLeapYears(t *testing.T) {
	for month, want := range map[string]string{
		"2026-01": "2026-01-31", "2026-02": "2026-02-28", "2024-02": "2024-02-29",
		"2100-02": "2100-02-28", "2000-02": "2000-02-29", "2026-04": "2026-04-30", "2026-12": "2026-12-31",
	} {
		if got := LastDay(month); got != want {
			t.Errorf("LastDay(%s) = %s, want %s", month, got, want)
		}
	}
}

func TestArrearsTotal_AddsEveryUnit(t *testing.T) {
	as := []Arrears{{Unit: "1", Owed: decimal.RequireFromString("0.10")}, {Unit: "2", Owed: decimal.RequireFromString("0.20")}}
	if got := ArrearsTotal(as); !got.Equal(decimal.RequireFromString("0.30")) {
		t.Errorf("ArrearsTotal = %s", got)
	}
	if !ArrearsTotal(nil).IsZero() {
		t.Error("no arrears, no total")
	}
}
