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
			if got, want := m.LastDay(), Date(first.AddDate(0, 1, -1).Format(DateLayout)); got != want {
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

// TestQuarter_OneParserForEveryPlace: a quarter is read one way wherever it is typed
// (assessments, surveys, collection periods, the disclosure's quarter), and its months
// and successor are worked out in one place.
func TestQuarter_OneParserForEveryPlace(t *testing.T) {
	for _, c := range []struct {
		in       string
		want     string // "" = refused
		from, to string
	}{
		{"2026Q1", "2026Q1", "2026-01", "2026-03"},
		{"2026q2", "2026Q2", "2026-04", "2026-06"},
		{"2026-Q3", "2026Q3", "2026-07", "2026-09"},
		{" 2026Q4 ", "2026Q4", "2026-10", "2026-12"},
		{"2026Q0", "", "", ""},
		{"2026Q5", "", "", ""},
		{"2026Q12", "", "", ""},
		{"26Q1", "", "", ""},
		{"Q1", "", "", ""},
	} {
		q, err := ReadQuarter(c.in)
		s, perr := ParseQuarter(c.in)
		from, to, cerr := ParseCollectionPeriod(c.in)
		if c.want == "" {
			if err == nil || perr == nil || cerr == nil {
				t.Errorf("%q: read as %v / %q / %s..%s; want it refused everywhere", c.in, q, s, from, to)
			}
			continue
		}
		if err != nil || q.String() != c.want || s != c.want || cerr != nil || from != c.from || to != c.to {
			t.Errorf("%q: %v %v / %q %v / %s..%s %v; want %s, %s..%s", c.in, q, err, s, perr, from, to, cerr, c.want, c.from, c.to)
		}
		if f, l := q.Months(); f != c.from || l != c.to {
			t.Errorf("%s.Months() = %s..%s", q, f, l)
		}
		if m, ok := QuarterOfMonth(c.to); !ok || m != q || Month(c.from).Quarter() != c.want {
			t.Errorf("the quarter of %s is %v, of %s %q", c.to, m, c.from, Month(c.from).Quarter())
		}
	}
	if n := (Quarter{2026, 4}).Next(); n != (Quarter{2027, 1}) {
		t.Errorf("2026Q4.Next() = %v", n)
	}
	if (Quarter{2026, 5}).Valid() == nil || (Quarter{2026, 2}).Valid() != nil {
		t.Error("Valid disagrees with ReadQuarter")
	}
}
