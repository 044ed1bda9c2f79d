package app

import (
	"strings"
	"time"
)

// Business dates (YYYY-MM-DD) and months (YYYY-MM, a billing period, a lock), kept as
// strings that sort in time order, and the locked periods they may not be dated into.

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

// ValidDate checks a business date written YYYY-MM-DD.
func ValidDate(s string) error {
	if len(s) != 10 {
		return Errorf(EINVALID, "日期 %q 应写成 YYYY-MM-DD，例如 2026-01-15", "date %q should be YYYY-MM-DD, e.g. 2026-01-15", s)
	}
	if _, err := time.Parse("2006-01-02", s); err != nil {
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

// AddMonths moves a YYYY-MM month by n months.
func AddMonths(month string, n int) string {
	t, err := time.Parse("2006-01", month)
	if err != nil {
		return month
	}
	return t.AddDate(0, n, 0).Format("2006-01")
}

// MonthsBetween is how many months b is after a (both YYYY-MM); negative if before.
func MonthsBetween(a, b string) int {
	ta, err1 := time.Parse("2006-01", a)
	tb, err2 := time.Parse("2006-01", b)
	if err1 != nil || err2 != nil {
		return 0
	}
	return (tb.Year()-ta.Year())*12 + int(tb.Month()) - int(ta.Month())
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
