package app

import (
	"context"
	"strings"

	"github.com/shopspring/decimal"
)

// CashDeposit is cash of a fund taken to the bank (现金存行): the fund's cash on hand
// goes down and its bank account up by the same amount, with the bank's deposit slip
// (缴款单) number as the evidence. Cash on hand is the riskiest money a committee holds,
// so it is banked promptly and every deposit can be matched to a slip.
type CashDeposit struct {
	Fund   Fund            `json:"fund"`
	Amount decimal.Decimal `json:"amount"`
	Slip   string          `json:"slip"`
	Date   string          `json:"date"` // YYYY-MM-DD; "" = today
	Entry  int64           `json:"entry,omitempty"`
	Who    string          `json:"who,omitempty"`
	// Reversed is the entry that reversed this deposit's entry (a correction), 0 if none.
	Reversed int64 `json:"reversed,omitempty"`
}

// Validate checks a deposit as typed.
func (d CashDeposit) Validate() error {
	if _, err := ParseFund(string(d.Fund)); err != nil {
		return err
	}
	if !d.Amount.IsPositive() || !d.Amount.Equal(d.Amount.Round(2)) {
		return Errorf(EINVALID, "存款金额必须大于 0、最多两位小数；没有做任何更改", "a deposit must be more than 0 with at most 2 decimals; nothing was changed")
	}
	slip := strings.TrimSpace(d.Slip)
	if slip == "" || len([]rune(slip)) > 40 || strings.ContainsAny(slip, "/\n\r") {
		return Errorf(EINVALID, "请填写银行缴款单号（最多 40 个字符，不含 /）；没有做任何更改", "give the bank's deposit slip number (up to 40 characters, no /); nothing was changed")
	}
	if d.Date != "" {
		return ValidDate(d.Date)
	}
	return nil
}

// JournalEntry is the deposit's entry: bank up, cash down, in the same fund.
func (d CashDeposit) JournalEntry() Entry {
	return Entry{Date: d.Date, Description: "现金存入银行 缴款单 " + strings.TrimSpace(d.Slip), Ref: DocDeposit.Ref(strings.TrimSpace(d.Slip)),
		Postings: []Posting{
			{Account: BankAccount(d.Fund), Amount: d.Amount},
			{Account: CashAccount(d.Fund), Amount: d.Amount.Neg()},
		}}
}

// CashWarning is a fund holding more cash than the committee's limit.
type CashWarning struct {
	Fund  Fund
	Cash  decimal.Decimal
	Limit decimal.Decimal
}

// CashWarnings lists the funds whose cash on hand is above their limit (a fund without a
// limit is not checked), in fund order.
func CashWarnings(bals []AccountBalance, limits map[Fund]decimal.Decimal) []CashWarning {
	var out []CashWarning
	for _, f := range Funds {
		lim, ok := limits[f]
		if !ok {
			continue
		}
		cash := decimal.Zero
		for _, b := range bals {
			if b.Account == CashAccount(f) {
				cash = cash.Add(b.Balance)
			}
		}
		if cash.GreaterThan(lim) {
			out = append(out, CashWarning{Fund: f, Cash: cash, Limit: lim})
		}
	}
	return out
}

// CashService records cash taken to the bank and the limits of cash on hand.
type CashService interface {
	// DepositCash posts a deposit. EINVALID for bad input, a date in the future or more
	// than the fund's cash on hand; ECONFLICT for a slip already used; ELOCKED for a
	// locked period.
	DepositCash(ctx context.Context, d CashDeposit, who, why string) (CashDeposit, error)
	// CashDeposits lists the deposits by slip number.
	CashDeposits(ctx context.Context) ([]CashDeposit, error)
	// SetCashLimit sets the most cash a fund should hold (0 removes the limit).
	SetCashLimit(ctx context.Context, f Fund, limit decimal.Decimal, who, why string) error
	// CashLimits returns the limits set, by fund.
	CashLimits(ctx context.Context) (map[Fund]decimal.Decimal, error)
}
