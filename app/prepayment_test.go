package app

import (
	"errors"
	"testing"

	"github.com/shopspring/decimal"
)

func TestPrepaymentOfMoreThan24MonthsNeedsConfirmation(t *testing.T) {
	d := decimal.RequireFromString
	for _, c := range []struct {
		name             string
		prepaid, monthly string
		allow, refused   bool
	}{
		{"no prepayment", "0", "120", false, false},
		{"one month", "120", "120", false, false},
		{"exactly 24 months", "2880", "120", false, false},
		{"one fen more than 24 months", "2880.01", "120", false, true},
		{"36 months", "4320", "120", false, true},
		{"36 months confirmed", "4320", "120", true, false},
		{"unit without a price", "99999", "0", false, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := CheckPrepayment("1-1-101", d(c.prepaid), d(c.monthly), c.allow)
			if (err != nil) != c.refused {
				t.Fatalf("err = %v, refused want %v", err, c.refused)
			}
			if c.refused && (!errors.Is(err, ErrLargePrepayment) || ErrorCode(err) != EINVALID) {
				t.Errorf("not a large-prepayment error: %#v", err)
			}
		})
	}
}

func TestMonthsCoveredRoundsDown(t *testing.T) {
	d := decimal.RequireFromString
	for _, c := range []struct{ prepaid, monthly, want string }{
		{"2999.99", "120", "24.9"}, {"3000", "120", "25"}, {"5", "0", "0"},
	} {
		if got := MonthsCovered(d(c.prepaid), d(c.monthly)); !got.Equal(d(c.want)) {
			t.Errorf("MonthsCovered(%s, %s) = %s, want %s", c.prepaid, c.monthly, got, c.want)
		}
	}
}

func TestMonthlyFeeUsesTheMonthsPriceElseTheNewest(t *testing.T) {
	u := Unit{ID: "1", Kind: "residential", Area: decimal.RequireFromString("88.50")}
	ps := []FeePrice{{Kind: "residential", Price: decimal.RequireFromString("1.20"), From: "2025-01"},
		{Kind: "residential", Price: decimal.RequireFromString("1.50"), From: "2026-01"}}
	for _, c := range []struct{ month, want string }{{"2025-06", "106.2"}, {"2026-03", "132.75"}, {"2024-01", "132.75"}} {
		if got, ok := MonthlyFee(u, ps, c.month); !ok || !got.Equal(decimal.RequireFromString(c.want)) {
			t.Errorf("%s: %s %v, want %s", c.month, got, ok, c.want)
		}
	}
	if _, ok := MonthlyFee(Unit{Kind: "parking"}, ps, "2025-01"); ok {
		t.Error("a kind without a price has a monthly fee")
	}
}
