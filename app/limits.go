package app

import (
	"strconv"

	"github.com/shopspring/decimal"
)

// Bounds on what the committee types or imports. Each is far beyond any real
// community and far below what would hurt the laptop or hide a typo: a payment of
// ¥99,999,999,999 is a slip of the finger, not a payment.
const (
	// MaxUnits is the most units a register (and so a ballot file) may have; the
	// largest residential communities have a few tens of thousands.
	MaxUnits = 100_000
	// MaxTextRunes bounds a description, payee, payer or note.
	MaxTextRunes = 500
	// MaxNameRunes bounds a unit id, a kind, an owner id and similar short fields.
	MaxNameRunes = 100
)

var (
	// MaxDocumentAmount is the most one document (a payment, an expense, an income) may
	// carry: ¥100,000,000.
	MaxDocumentAmount = decimal.NewFromInt(100_000_000)
	// MaxFeePrice is the highest property-fee price, in 元/m²·月.
	MaxFeePrice = decimal.NewFromInt(100)
	// MaxUnitArea is the largest area one unit may have, in m².
	MaxUnitArea = decimal.NewFromInt(100_000)
	// MaxPosting is the most one line of a journal entry may be (¥10,000,000,000: room for
	// the opening balance of a large maintenance fund).
	MaxPosting = decimal.NewFromInt(10_000_000_000)
)

// tooLarge is the refusal of an amount above max; what names it.
func tooLarge(what string, amount, max decimal.Decimal) error {
	return Errorf(EINVALID, "%s %s 超过上限 %s，请检查是否多打了数字；没有做任何更改", "%s %s is above the limit of %s: check for extra digits; nothing was changed",
		what, FormatAmount(amount), FormatAmount(max))
}

// CheckAmount refuses an amount above MaxDocumentAmount; zh and en name the document.
func CheckAmount(zh, en string, amount decimal.Decimal) error {
	if amount.GreaterThan(MaxDocumentAmount) {
		a := FormatAmount(amount)
		return &Error{Code: EINVALID,
			ZH: zh + "金额 " + a + " 超过每笔上限 ¥100,000,000.00：请检查是否多打了数字；没有记录任何内容",
			EN: "the " + en + " amount " + a + " is above the limit of ¥100,000,000.00 per document: check for extra digits; nothing was recorded"}
	}
	return nil
}

// CheckText refuses a text longer than max characters or holding control characters
// (a newline is allowed); zh and en name the field.
func CheckText(zh, en, s string, max int) error {
	if n := len([]rune(s)); n > max {
		return &Error{Code: EINVALID,
			ZH: zh + "太长（" + strconv.Itoa(n) + " 字，最多 " + strconv.Itoa(max) + " 字）；没有记录任何内容",
			EN: "the " + en + " is too long (" + strconv.Itoa(n) + " characters, " + strconv.Itoa(max) + " at most); nothing was recorded"}
	}
	return nil
}
