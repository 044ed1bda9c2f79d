package app

import (
	"strings"

	"github.com/shopspring/decimal"
)

// FundRole is what an account is to its fund's position: money (bank or cash), owed to
// the fund, owed by it, or none of these. It is the one rule by which the annual
// settlement, the dashboard and the quarterly disclosure sort a fund's balances, so an
// account the committee adds to the chart counts the same way in all three
// (docs/domain.md "Which accounts are a fund's money").
type FundRole string

const (
	// RoleNone: equity, income and expense accounts are not part of a fund's position.
	RoleNone FundRole = ""
	// RoleBank: bank deposits — the fund's trust account (银行存款) and any asset account
	// the committee adds whose name claims no other role (a second bank account).
	RoleBank FundRole = "bank"
	// RoleCash: the fund's cash in hand (库存现金).
	RoleCash FundRole = "cash"
	// RoleReceivable: owed to the fund — an asset whose name says 应收 (应收物业费,
	// 应收款, a committee's 其他应收款).
	RoleReceivable FundRole = "receivable"
	// RoleOtherAsset: an asset that is neither money nor owed to the fund — its name says
	// 预付 (paid in advance), 押金 or 保证金 (a deposit held by someone else), 待摊 or
	// 固定资产.
	RoleOtherAsset FundRole = "other-asset"
	// RolePrepaid: owners' prepaid fees (预收物业费), owed back to them in service.
	RolePrepaid FundRole = "prepaid"
	// RolePayable: every other liability — what the fund owes (应付款, accrued remuneration).
	RolePayable FundRole = "payable"
)

// IsMoney says that the account holds the fund's money: bank or cash.
func (r FundRole) IsMoney() bool { return r == RoleBank || r == RoleCash }

// notMoney are the words that mark an asset account as something other than money.
var notMoney = []string{"预付", "押金", "保证金", "待摊", "固定资产"}

// FundRole says what the account is to its fund's position (see the type).
func (a Account) FundRole() FundRole {
	switch a.Type() {
	case TypeAsset:
		_, name, _ := strings.Cut(strings.TrimPrefix(a.Name, TypeAsset+":"), ":")
		switch {
		case a.Name == CashAccount(a.Fund()):
			return RoleCash
		case strings.Contains(name, "应收"):
			return RoleReceivable
		}
		for _, w := range notMoney {
			if strings.Contains(name, w) {
				return RoleOtherAsset
			}
		}
		return RoleBank
	case TypeLiability:
		if a.Name == PrepaidFeesAccount {
			return RolePrepaid
		}
		return RolePayable
	}
	return RoleNone
}

// FundPosition is a fund's balances sorted by role: its money in bank and cash, what
// owners owe it, and what it owes (shown positive).
type FundPosition struct {
	Fund       Fund
	Bank, Cash decimal.Decimal
	Receivable decimal.Decimal
	Other      decimal.Decimal // assets that are neither money nor owed to the fund
	Prepaid    decimal.Decimal // owners' prepaid fees, shown positive
	Payable    decimal.Decimal // other liabilities, shown positive
}

// Available is the money the fund holds: bank plus cash.
func (p FundPosition) Available() decimal.Decimal { return p.Bank.Add(p.Cash) }

// Owed is everything the fund owes: prepaid fees and payables.
func (p FundPosition) Owed() decimal.Decimal { return p.Prepaid.Add(p.Payable) }

// Add adds a balance (debit-positive) of an account of the fund by its role.
func (p *FundPosition) Add(account string, amount decimal.Decimal) {
	switch (Account{Name: account}).FundRole() {
	case RoleBank:
		p.Bank = p.Bank.Add(amount)
	case RoleCash:
		p.Cash = p.Cash.Add(amount)
	case RoleReceivable:
		p.Receivable = p.Receivable.Add(amount)
	case RoleOtherAsset:
		p.Other = p.Other.Add(amount)
	case RolePrepaid:
		p.Prepaid = p.Prepaid.Sub(amount)
	case RolePayable:
		p.Payable = p.Payable.Sub(amount)
	}
}

// FundPositions sums balances of the chart by fund, in the order of Funds.
func FundPositions(bals []AccountBalance) [3]FundPosition {
	var out [3]FundPosition
	for i, f := range Funds {
		out[i] = FundPosition{Fund: f}
	}
	for _, b := range bals {
		f := Account{Name: b.Account}.Fund()
		for i := range out {
			if out[i].Fund == f {
				out[i].Add(b.Account, b.Balance)
			}
		}
	}
	return out
}
