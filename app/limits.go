package app

import "github.com/shopspring/decimal"

// Bounds on what one document may say. They are far above anything a community of
// 10,000 units does and far below what a slip of the finger types (¥99,999,999,999 for a
// fee payment): an absurd amount is refused before it reaches the books, where it could
// only be corrected by a reversal.
var (
	// MaxPayment is the most one property-fee payment may be (¥1,000,000: ten years of
	// fees of a large shop).
	MaxPayment = decimal.NewFromInt(1_000_000)
	// MaxDocument is the most one expense or income may be (¥100,000,000).
	MaxDocument = decimal.NewFromInt(100_000_000)
	// MaxPosting is the most one line of a journal entry may be (¥10,000,000,000, room for
	// the opening balance of a large maintenance fund).
	MaxPosting = decimal.NewFromInt(10_000_000_000)
	// MaxPrice is the highest monthly fee per m² (元/m²·月) anyone sets.
	MaxPrice = decimal.NewFromInt(100)
)

// MaxText is how long a description, payee, reason or note may be (characters).
const MaxText = 500

// tooLarge is the refusal of an amount above max.
func tooLarge(what string, amount, max decimal.Decimal) error {
	return Errorf(EINVALID, "%s %s 超过上限 %s，请检查是否多打了数字；没有做任何更改", "%s %s is above the limit of %s: check for extra digits; nothing was changed",
		what, FormatAmount(amount), FormatAmount(max))
}
