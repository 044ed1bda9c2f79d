package app

import (
	"errors"

	"github.com/shopspring/decimal"
)

// LargePrepaymentMonths is how many months' fees a payment may prepay without the
// cashier confirming it (docs/notices.md "Large prepayments"): a typo of one zero
// too many would otherwise sit on a unit's account for years.
const LargePrepaymentMonths = 24

// ErrLargePrepayment is in the chain of the error a payment gets when it prepays more
// than LargePrepaymentMonths months' fees and was not confirmed (errors.Is): the CLI
// asks for --allow-large, the GUI asks in a dialog and pays again with AllowLarge set.
var ErrLargePrepayment = errors.New("large prepayment not confirmed")

// MonthlyFee is what a unit is billed for month: its area times its kind's price for
// that month, or, when no price covers the month, its kind's newest price. ok is false
// when its kind has no price at all.
func MonthlyFee(u Unit, prices []FeePrice, month string) (decimal.Decimal, bool) {
	price, ok := PriceFor(prices, u.Kind, month)
	if !ok {
		price, ok = PriceFor(prices, u.Kind, "9999-12")
	}
	if !ok {
		return decimal.Zero, false
	}
	return BillAmount(u.Area, price), true
}

// MonthsCovered is how many months of fees monthly a prepayment covers, to one decimal
// (rounded down, so 24.99 months reads 24.9 and not 25.0). Zero when monthly is not positive.
func MonthsCovered(prepaid, monthly decimal.Decimal) decimal.Decimal {
	if !monthly.IsPositive() {
		return decimal.Zero
	}
	return prepaid.Div(monthly).RoundFloor(1)
}

// CheckPrepayment refuses a payment whose prepaid part (what is left after paying the
// open bills) is more than LargePrepaymentMonths months of the unit's monthly fee,
// unless allow is set. A unit without a price (monthly fee 0) is not checked: there is
// nothing to count months in.
func CheckPrepayment(unit string, prepaid, monthly decimal.Decimal, allow bool) error {
	if allow || !monthly.IsPositive() || !prepaid.IsPositive() {
		return nil
	}
	if !prepaid.GreaterThan(monthly.Mul(decimal.NewFromInt(LargePrepaymentMonths))) {
		return nil
	}
	months := MonthsCovered(prepaid, monthly)
	e := Errorf(EINVALID,
		"房号 %s 这笔缴费预交 %s，按每月 %s 计约 %s 个月的物业费，超过 %d 个月；没有记录缴费。请核对金额，确认无误请加 --allow-large 再次运行",
		"unit %s: this payment prepays %s, about %[4]s months at %[3]s a month, more than %[5]d months; no payment was recorded. Check the amount; if it is right, run again with --allow-large",
		unit, FormatAmount(prepaid), FormatAmount(monthly), months.StringFixed(1), LargePrepaymentMonths)
	e.Err = ErrLargePrepayment
	return e
}
