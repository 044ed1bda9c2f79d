package app

import (
	"fmt"
	"testing"
	"time"

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

// TestMonth_AgreesWithTheCalendar: Add, LastDay, Quarter and MonthsBetween against
// time's own calendar over two centuries of months, and a malformed month never panics.
func TestMonth_AgreesWithTheCalendar(t *testing.T) {
	for y := 1950; y <= 2150; y++ {
		for mo := 1; mo <= 12; mo++ {
			first := time.Date(y, time.Month(mo), 1, 0, 0, 0, 0, time.UTC)
			m := Month(first.Format("2006-01"))
			for _, n := range []int{-25, -1, 0, 1, 11, 12, 13, 120} {
				if got, want := m.Add(n), Month(first.AddDate(0, n, 0).Format("2006-01")); got != want {
					t.Fatalf("%s.Add(%d) = %s, want %s", m, n, got, want)
				}
				if got := MonthsBetween(string(m), string(m.Add(n))); got != n {
					t.Fatalf("MonthsBetween(%s, %s) = %d, want %d", m, m.Add(n), got, n)
				}
			}
			if got, want := m.LastDay(), Date(first.AddDate(0, 1, -1).Format("2006-01-02")); got != want {
				t.Fatalf("%s.LastDay() = %s, want %s", m, got, want)
			}
			if got, want := m.Quarter(), fmt.Sprintf("%dQ%d", y, (mo+2)/3); got != want {
				t.Fatalf("%s.Quarter() = %s, want %s", m, got, want)
			}
		}
	}
	for _, bad := range []string{"", "2026", "2026-1", "2026-13", "2026-00", "20x6-01", "2026/01", "2026-01-15x"} {
		m := Month(bad)
		if m.Add(1) != m || m.Quarter() != "" && len(bad) < 7 || MonthsBetween(bad, "2026-01") != 0 {
			t.Errorf("malformed %q: Add %q, Quarter %q", bad, m.Add(1), m.Quarter())
		}
		_ = m.LastDay()
		_ = QuarterOf(bad) // never panics
	}
	if QuarterOf("2026-05-31") != "2026Q2" || Date("2026-05-31").Month() != "2026-05" {
		t.Error("the quarter and month of a date")
	}
}
