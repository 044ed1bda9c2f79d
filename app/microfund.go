package app

import (
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// The owners' micro-fund (业主微基金) is a share of the public-income fund's surplus of
// a settled year that the committee sets aside for the owners' own small projects
// (docs/microfund.md). It stays inside the public-income fund, so the rule that every
// entry balances within one fund holds: the move is an appropriation of that fund's
// surplus, one entry that debits its carried-forward surplus (累计结余) and credits
// MicroFundAccount. The fund's money, net assets and the settlement's figures do not
// change; what changes is how much of the surplus is earmarked.

// MicroFundAccount is the micro-fund: an equity account of the public-income fund.
var MicroFundAccount = AccountName(TypeEquity, FundPublic, "业主微基金")

// MicroFundMove is one decision to move a share of a year's public-income surplus to
// the micro-fund, kept on the year's settlement. Share is a percentage (30 = 30 %),
// Surplus the public-income fund's surplus of the year it applies to, and Amount =
// Share % × Surplus rounded to the fen, zero when there is no surplus (then no entry is
// posted). Entry is the journal entry that moved it, Reversed the entry that undid it
// (0 while it stands).
type MicroFundMove struct {
	Share   decimal.Decimal `json:"share"`
	Surplus decimal.Decimal `json:"surplus"`
	// Base is what the share is taken of: "" the year's surplus, MicroFundBaseIncome its
	// public income (Income, the income total of the public-income fund).
	Base     string          `json:"base,omitempty"`
	Income   decimal.Decimal `json:"income,omitzero"`
	Amount   decimal.Decimal `json:"amount"`
	Date     string          `json:"date,omitempty"`
	Entry    int64           `json:"entry,omitempty"`
	Reversed int64           `json:"reversed,omitempty"`
	By       string          `json:"by"`
	At       time.Time       `json:"at"`
	Note     string          `json:"note,omitempty"`
}

// Live says the move stands: it moved money and was not reversed.
func (m MicroFundMove) Live() bool { return m.Entry != 0 && m.Reversed == 0 }

// MicroFund is the year's standing micro-fund move, if any.
func (s Settlement) MicroFund() (MicroFundMove, bool) {
	for _, m := range s.MicroFundMoves {
		if m.Live() {
			return m, true
		}
	}
	return MicroFundMove{}, false
}

// MicroFundDecision is the newest decision recorded on the settlement (a move, a move
// later reversed, or a share that moved nothing because there was no surplus).
func (s Settlement) MicroFundDecision() (MicroFundMove, bool) {
	if len(s.MicroFundMoves) == 0 {
		return MicroFundMove{}, false
	}
	return s.MicroFundMoves[len(s.MicroFundMoves)-1], true
}

var hundred = decimal.NewFromInt(100)

// ParseShare reads the share of the surplus as typed: "30%", "30", "12.5%", "３０％".
// It is a percentage between 0 and 100 inclusive with at most two decimals.
func ParseShare(s string) (decimal.Decimal, error) {
	raw := s
	s = strings.TrimSpace(fullWidth.Replace(s))
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSuffix(s, "%"), "％"))
	bad := func() (decimal.Decimal, error) {
		return decimal.Zero, Errorf(EINVALID, "微基金比例 %q 无效：应为 0 到 100 之间的百分比，例如 30%%；没有做任何更改",
			"the micro-fund share %q is not valid: give a percentage between 0 and 100, e.g. 30%%; nothing was changed", strings.TrimSpace(raw))
	}
	intPart, frac, point := strings.Cut(s, ".")
	if !allDigits(intPart) || point && !allDigits(frac) || len(intPart) > 6 {
		return bad()
	}
	d, err := decimal.NewFromString(s)
	if err != nil {
		return bad()
	}
	if err := CheckShare(d); err != nil {
		return decimal.Zero, err
	}
	return d, nil
}

// CheckShare refuses a share outside 0–100 % or finer than 0.01 %.
func CheckShare(d decimal.Decimal) error {
	if d.IsNegative() || d.GreaterThan(hundred) || !d.Equal(d.Round(2)) {
		return Errorf(EINVALID, "微基金比例 %s%% 超出范围：应在 0%% 到 100%% 之间，最多两位小数；没有做任何更改",
			"the micro-fund share %s%% is out of range: it must be between 0%% and 100%% with at most two decimals; nothing was changed", d.String())
	}
	return nil
}

// MicroFundAmount is what a share moves: share % of the surplus, rounded half-up to the
// fen (Round2), and nothing when the year has no surplus (zero or a deficit): a
// deficit is never "moved" into the micro-fund.
func MicroFundAmount(share, surplus decimal.Decimal) decimal.Decimal {
	if !surplus.IsPositive() || !share.IsPositive() {
		return decimal.Zero
	}
	return Round2(surplus.Mul(share).Div(hundred))
}

// Bases of the micro-fund's share (a setting, docs/microfund.md "The base").
const (
	MicroFundBaseSurplus = "surplus" // the public-income fund's surplus of the year (stored as "")
	MicroFundBaseIncome  = "income"  // the public-income fund's income of the year
)

// ParseMicroFundBase reads surplus or income ("" is surplus).
func ParseMicroFundBase(s string) (string, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", MicroFundBaseSurplus, "结余":
		return "", nil
	case MicroFundBaseIncome, "收入":
		return MicroFundBaseIncome, nil
	}
	return "", Errorf(EINVALID, "微基金基数 %q 无效：可选 surplus（公共收益结余）或 income（公共收益收入）；没有做任何更改", "the micro-fund base %q is not valid: use surplus or income; nothing was changed", s)
}

// NewMicroFundMove works out the move of share % of the settlement's public-income
// surplus.
func NewMicroFundMove(s Settlement, share decimal.Decimal) (MicroFundMove, error) {
	return NewMicroFundMoveOf(s, share, "")
}

// NewMicroFundMoveOf works out the move of share % of base ("" the surplus,
// MicroFundBaseIncome the year's public income); nothing moves without a positive base.
func NewMicroFundMoveOf(s Settlement, share decimal.Decimal, base string) (MicroFundMove, error) {
	if err := CheckShare(share); err != nil {
		return MicroFundMove{}, err
	}
	f := s.Fund(FundPublic)
	m := MicroFundMove{Share: share, Surplus: f.Surplus, Amount: MicroFundAmount(share, f.Surplus)}
	if base == MicroFundBaseIncome {
		m.Base, m.Income, m.Amount = base, f.IncomeTotal, MicroFundAmount(share, f.IncomeTotal)
	}
	return m, nil
}

// MicroFundRef is the Ref of a micro-fund entry: it belongs to the year's settlement.
func MicroFundRef(year int) string { return DocSettlement.Ref(strconv.Itoa(year)) }

// JournalEntry is the move's entry: the public-income fund's carried-forward surplus
// is debited and the micro-fund credited, dated the day of the move. Like every
// journal text its description is Chinese in both languages.
func (m MicroFundMove) JournalEntry(year int) Entry {
	what := "年公共收益结余 " + PlainAmount(m.Surplus)
	if m.Base == MicroFundBaseIncome {
		what = "年公共收益收入 " + PlainAmount(m.Income)
	}
	return Entry{Date: m.Date, Ref: MicroFundRef(year),
		Description: "转入业主微基金：" + strconv.Itoa(year) + " " + what + " 的 " + m.Share.String() + "%",
		Postings: []Posting{
			{Account: RetainedAccount(FundPublic), Amount: m.Amount},
			{Account: MicroFundAccount, Amount: m.Amount.Neg()},
		}}
}
