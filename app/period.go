package app

import (
	"fmt"
	"strings"
	"time"
)

// Business dates (YYYY-MM-DD) and months (YYYY-MM, a billing period, a lock), kept as
// strings that sort in time order, and the locked periods they may not be dated into.

// Month is a month written YYYY-MM (a billing period, a lock); Date a business date
// written YYYY-MM-DD. Both are strings so that they sort in time order, compare with <,
// and are stored and written in JSON as they read. ParseMonth and ValidDate check what
// a user typed; the methods below work on checked values (a malformed one gives the
// zero result documented on each, never a panic).
type (
	Month string
	Date  string
)

// DateLayout is the time layout of a business date (YYYY-MM-DD), the one every date is
// written and read with.
const DateLayout = "2006-01-02"

// parseMonth reads the year and month of YYYY-MM (or of the first 7 bytes of
// YYYY-MM-DD); ok is false for anything else.
func parseMonth(s string) (year, month int, ok bool) {
	if len(s) < 7 || s[4] != '-' || (len(s) > 7 && s[7] != '-') {
		return 0, 0, false
	}
	for _, c := range []byte(s[:4] + s[5:7]) {
		if c < '0' || c > '9' {
			return 0, 0, false
		}
	}
	year = int(s[0]-'0')*1000 + int(s[1]-'0')*100 + int(s[2]-'0')*10 + int(s[3]-'0')
	month = int(s[5]-'0')*10 + int(s[6]-'0')
	return year, month, month >= 1 && month <= 12
}

func monthOf(year, month int) Month {
	t := time.Date(year, time.Month(month), 1, 0, 0, 0, 0, time.UTC)
	return Month(t.Format("2006-01"))
}

// Add moves the month by n months; a malformed month comes back as it is.
func (m Month) Add(n int) Month {
	y, mo, ok := parseMonth(string(m))
	if !ok || len(m) != 7 {
		return m
	}
	return monthOf(y, mo+n)
}

// LastDay is the month's last day ("2026-02" → "2026-02-28"), for inclusive date
// ranges; a malformed month comes back as month+"-31", which still sorts after every
// day of it.
func (m Month) LastDay() Date {
	y, mo, ok := parseMonth(string(m))
	if !ok || len(m) != 7 {
		return Date(m + "-31")
	}
	return Date(time.Date(y, time.Month(mo)+1, 0, 0, 0, 0, 0, time.UTC).Format(DateLayout))
}

// Quarter is the quarter (YYYYQn) the month falls in; "" for a malformed month.
func (m Month) Quarter() string {
	y, mo, ok := parseMonth(string(m))
	if !ok {
		return ""
	}
	return Quarter{y, (mo-1)/3 + 1}.String()
}

// Quarter is a calendar quarter (季度): the year and its number, 1–4, written YYYYQn.
// Every quarter a user types, a disclosure covers or a list walks is one of these
// (ReadQuarter reads it; Months, Next and QuarterOfMonth do the arithmetic).
type Quarter struct{ Year, N int }

// ReadQuarter reads a quarter as typed: "2026Q1", "2026q1" or "2026-Q1", of a year
// ParseYear takes.
func ReadQuarter(s string) (Quarter, error) {
	t := strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(s), "-", ""))
	y, n, ok := strings.Cut(t, "Q")
	year, err := ParseYear(y)
	if !ok || err != nil || len(n) != 1 || n < "1" || n > "4" {
		return Quarter{}, Errorf(EINVALID, "季度 %q 应写成 YYYYQn，例如 2026Q1", "quarter %q should be YYYYQn, e.g. 2026Q1", s)
	}
	return Quarter{year, int(n[0] - '0')}, nil
}

// Valid refuses a quarter ReadQuarter would not read: a year ParseYear refuses, a
// number outside 1–4.
func (q Quarter) Valid() error {
	if _, err := ParseYear(fmt.Sprint(q.Year)); err != nil || q.N < 1 || q.N > 4 {
		return Errorf(EINVALID, "%d 年第 %d 季度无效：年份如 2026，季度 1 到 4", "quarter %d Q%d is not valid: a year such as 2026 and a quarter 1 to 4", q.Year, q.N)
	}
	return nil
}

// QuarterOfMonth is the quarter a month (YYYY-MM, or the month of a YYYY-MM-DD) falls in;
// ok is false for a malformed month.
func QuarterOfMonth(m string) (q Quarter, ok bool) {
	y, mo, ok := parseMonth(m)
	return Quarter{y, (mo-1)/3 + 1}, ok
}

// String writes the quarter as YYYYQn.
func (q Quarter) String() string { return fmt.Sprintf("%04dQ%d", q.Year, q.N) }

// Months are the quarter's first and last month (YYYY-MM).
func (q Quarter) Months() (from, to string) {
	first := monthOf(q.Year, 3*q.N-2)
	return string(first), string(first.Add(2))
}

// Next is the quarter after q.
func (q Quarter) Next() Quarter {
	if q.N >= 4 {
		return Quarter{q.Year + 1, 1}
	}
	return Quarter{q.Year, q.N + 1}
}

// Month is the month of the date.
func (d Date) Month() Month {
	if len(d) < 7 {
		return Month(d)
	}
	return Month(d[:7])
}

// LastDay is the last day (YYYY-MM-DD) of the month YYYY-MM (Month.LastDay).
func LastDay(month string) string { return string(Month(month).LastDay()) }

// ValidDate checks a business date written YYYY-MM-DD.
func ValidDate(s string) error {
	if len(s) != 10 {
		return Errorf(EINVALID, "日期 %q 应写成 YYYY-MM-DD，例如 2026-01-15", "date %q should be YYYY-MM-DD, e.g. 2026-01-15", s)
	}
	if _, err := time.Parse(DateLayout, s); err != nil {
		return Errorf(EINVALID, "日期 %q 不是有效日期（应写成 YYYY-MM-DD）", "date %q is not a valid date (YYYY-MM-DD)", s)
	}
	return nil
}

// ParseMonth checks a month written YYYY-MM (a billing period, a lock) and returns it.
func ParseMonth(s string) (string, error) {
	s = strings.TrimSpace(s)
	if len(s) != 7 {
		return "", Errorf(EINVALID, "月份 %q 应写成 YYYY-MM，例如 2026-01", "month %q should be YYYY-MM, e.g. 2026-01", s)
	}
	if _, err := time.Parse("2006-01", s); err != nil {
		return "", Errorf(EINVALID, "月份 %q 不是有效月份（应写成 YYYY-MM）", "month %q is not a valid month (YYYY-MM)", s)
	}
	return s, nil
}

// AddMonths moves a YYYY-MM month by n months (Month.Add).
func AddMonths(month string, n int) string { return string(Month(month).Add(n)) }

// MonthsBetween is how many months b is after a (both YYYY-MM); negative if before, 0
// if either is malformed.
func MonthsBetween(a, b string) int {
	ya, ma, ok1 := parseMonth(a)
	yb, mb, ok2 := parseMonth(b)
	if !ok1 || !ok2 || len(a) != 7 || len(b) != 7 {
		return 0
	}
	return (yb-ya)*12 + mb - ma
}

// ParseMonthRange reads a from..to range of months as typed (to may be empty: one
// month) and returns its months, at most 120 (ten years) at a time.
func ParseMonthRange(from, to string) ([]string, error) {
	if _, err := ParseMonth(from); err != nil {
		return nil, err
	}
	if to == "" {
		to = from
	}
	if _, err := ParseMonth(to); err != nil {
		return nil, err
	}
	if to < from {
		return nil, Errorf(EINVALID, "结束月份 %s 早于开始月份 %s", "the last month %s is before the first %s", to, from)
	}
	months := MonthRange(from, to)
	if len(months) > 120 {
		return nil, Errorf(EINVALID, "一次最多处理 120 个月", "at most 120 months at a time")
	}
	return months, nil
}

// MonthRange lists the months from..to inclusive; nil if to is before from.
func MonthRange(from, to string) []string {
	var out []string
	for m := from; m <= to; m = AddMonths(m, 1) {
		out = append(out, m)
	}
	return out
}

// Locked reports whether a business date (YYYY-MM-DD) falls in a period locked through
// the month lockedThrough (YYYY-MM; "" means nothing is locked). A period is locked once
// its accounts have been disclosed (公示): nothing may be dated into it afterwards.
func Locked(date, lockedThrough string) bool {
	return lockedThrough != "" && len(date) >= 7 && date[:7] <= lockedThrough
}

// ErrLocked is the refusal for a date in a locked period.
func ErrLocked(date, lockedThrough string) error {
	return Errorf(ELOCKED, "日期 %s 所在的期间已锁定（已公示至 %s），不能再记入；请用当前期间的冲销或调整凭证更正",
		"the date %s is in a locked period (disclosed through %s); post a correction dated in an open period instead", date, lockedThrough)
}
