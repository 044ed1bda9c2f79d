package app

import "testing"

// TestAccountFundRole_OneRuleForEveryAccount pins which accounts are a fund's money,
// what is owed to it and what it owes, for the standard chart and for accounts a
// committee adds (a second bank account, another receivable, a deposit paid).
func TestAccountFundRole_OneRuleForEveryAccount(t *testing.T) {
	cases := []struct {
		account string
		want    FundRole
	}{
		{BankAccount(FundService), RoleBank},
		{BankAccount(FundMaintenance), RoleBank},
		{CashAccount(FundPublic), RoleCash},
		{ReceivableAccount(FundService), RoleReceivable},
		{ReceivableAccount(FundPublic), RoleReceivable},
		{"资产:物业服务资金:其他应收款", RoleReceivable}, // committee-made: owed, not money
		{"资产:公共收益:应收广告费", RoleReceivable},
		{"资产:物业服务资金:工商银行一般户", RoleBank}, // a second bank account is money
		{"资产:维修资金:定期存款", RoleBank},
		{"资产:物业服务资金:预付款", RoleOtherAsset},
		{"资产:公共收益:押金", RoleOtherAsset},
		{"资产:物业服务资金:库存现金:备用金", RoleBank}, // not the fund's cash account itself
		{PrepaidFeesAccount, RolePrepaid},
		{PayableAccount(FundService), RolePayable},
		{"负债:公共收益:其他应付款", RolePayable},
		{OpeningAccount(FundService), RoleNone},
		{MicroFundAccount, RoleNone},
		{FeeIncomeAccount, RoleNone},
		{AccountName(TypeExpense, FundService, "清洁卫生"), RoleNone},
	}
	for _, c := range cases {
		if got := (Account{Name: c.account}).FundRole(); got != c.want {
			t.Errorf("%s: role %q, want %q", c.account, got, c.want)
		}
	}
	for _, a := range StandardChart() {
		r := a.FundRole()
		if (a.Type() == TypeAsset || a.Type() == TypeLiability) == (r == RoleNone) {
			t.Errorf("%s (%s) has role %q", a.Name, a.Type(), r)
		}
	}
}
