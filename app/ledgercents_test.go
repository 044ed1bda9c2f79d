package app

import (
	"testing"

	"github.com/shopspring/decimal"
)

// validateDecimal is Entry.Validate's postings check as it was before amounts were
// added in cents: the reference the fast path must agree with.
func validateDecimal(e Entry) error {
	sum := decimal.Zero
	for _, p := range e.Postings {
		if p.Amount.IsZero() {
			return Errorf(EINVALID, "科目 %s 的金额为零", "posting to %s has a zero amount", p.Account)
		}
		if p.Amount.Abs().GreaterThan(MaxPosting) {
			return tooLarge(p.Account, p.Amount.Abs(), MaxPosting)
		}
		if !p.Amount.Equal(p.Amount.Round(2)) {
			return Errorf(EINVALID, "科目 %s 的金额 %s 超过两位小数", "posting to %s: amount %s has more than 2 decimals", p.Account, p.Amount.String())
		}
		sum = sum.Add(p.Amount)
	}
	if !sum.IsZero() {
		return Errorf(EINVALID, "凭证借贷不平：相差 %s", "the entry does not balance: it is off by %s", PlainAmount(sum))
	}
	return nil
}

// TestValidate_AmountsInCentsAreJudgedAsDecimalsWould: Validate adds amounts of at most
// two decimals in cents; every verdict and message stays the decimal one, for amounts
// at the limits, with more decimals, zero written many ways, and huge ones.
func TestValidate_AmountsInCentsAreJudgedAsDecimalsWould(t *testing.T) {
	amounts := []string{"0", "0.00", "0.000", "1", "-1", "0.01", "-0.01", "0.001", "-0.005", "12.5", "12.50",
		"1234.56", "-1234.56", "100", "1e3", "1.5e2", "9999999999.99", "10000000000", "-10000000000",
		"10000000000.01", "-10000000000.01", "123456789012345", "1234567890123.45", "99999999999999999999",
		"0.10", "3.333", "-2.2", "7e-2", "5e10", "1e11"}
	var ds []decimal.Decimal
	for _, a := range amounts {
		d, err := decimal.NewFromString(a)
		if err != nil {
			t.Fatal(a, err)
		}
		ds = append(ds, d)
	}
	ds = append(ds, decimal.Decimal{}, decimal.New(5, 2), decimal.New(-12345, -2), decimal.New(7, -3))
	n := 0
	for _, a := range ds {
		for _, b := range ds {
			for _, c := range []decimal.Decimal{decimal.Zero.Sub(a).Sub(b), decimal.New(1, -2), a} {
				e := Entry{Date: "2026-01-01", Description: "x", Postings: []Posting{{Account: "A", Amount: a}, {Account: "B", Amount: b}, {Account: "C", Amount: c}}}
				got, want := e.Validate(nil), validateDecimal(e)
				if (got == nil) != (want == nil) || (got != nil && got.Error() != want.Error()) {
					t.Fatalf("%s %s %s: Validate says %v, decimals say %v", a, b, c, got, want)
				}
				if got != nil {
					n++
				}
			}
		}
	}
	if n == 0 {
		t.Fatal("no entry was refused: the test proves nothing")
	}
}

// TestPrepareEntry_HashIsTheEntrysHashWhetherOrNotItMatches: PrepareEntry reuses the
// stored hash's string when it matches; the hash it gives is EntryHash either way.
func TestPrepareEntry_HashIsTheEntrysHashWhetherOrNotItMatches(t *testing.T) {
	e := Seal(Entry{Seq: 1, Date: "2026-01-01", Description: "x", Postings: []Posting{
		{Account: "A", Amount: decimal.New(150, -2)}, {Account: "B", Amount: decimal.New(-150, -2)}}}, "")
	if p := PrepareEntry(e); p.Hash != e.Hash || p.Hash != EntryHash(e) {
		t.Fatalf("sealed entry: prepared hash %s, entry's %s", p.Hash, e.Hash)
	}
	altered := e
	altered.Description = "y"
	if p := PrepareEntry(altered); p.Hash == altered.Hash || p.Hash != EntryHash(altered) {
		t.Fatalf("altered entry: prepared hash %s, stored %s, recomputed %s", p.Hash, altered.Hash, EntryHash(altered))
	}
	if err := NewChainCheck().CheckPrepared(PrepareEntry(altered)); err == nil {
		t.Fatal("the chain took an altered entry")
	}
}

// TestScanAmount_PlainAmountsReadAsNewFromStringReadsThem: the fast reading of an amount
// gives decimal.NewFromString's value and exponent, and leaves every other text to it.
func TestScanAmount_PlainAmountsReadAsNewFromStringReadsThem(t *testing.T) {
	for _, v := range []string{"0", "-0", "0.00", "-0.0", "1", "-1", "12.5", "12.50", "1234.56", "-1234.56",
		"007", "0.01", "123456789012345678", "-123456789012345678", "9999999999.99", "1e3", "1.", ".5",
		"-", "", "1.2.3", "+1", "1234567890123456789", "0.000000000000000001", "12a", "１２"} {
		want, werr := decimal.NewFromString(v)
		got, ok := plainDecimal([]byte(v))
		if !ok {
			continue // left to NewFromString
		}
		if werr != nil || !got.Equal(want) || got.Exponent() != want.Exponent() || got.String() != want.String() {
			t.Fatalf("%q: read as %s (exp %d), NewFromString gives %s (exp %d, %v)", v, got, got.Exponent(), want, want.Exponent(), werr)
		}
	}
	for _, v := range []string{"1e3", "1.", ".5", "+1", "1234567890123456789", ""} {
		if _, ok := plainDecimal([]byte(v)); ok {
			t.Fatalf("%q should be left to NewFromString", v)
		}
	}
}

// TestPaymentPostings_PostToTheAccountsMethodAccountNames: the names PaymentPostings
// keeps are those MethodAccount and ReceivableAccount give for every method.
func TestPaymentPostings_PostToTheAccountsMethodAccountNames(t *testing.T) {
	for _, m := range []PaymentMethod{MethodCash, MethodBank, MethodWeChat, MethodAlipay, "other"} {
		ps := PaymentPostings(Payment{Method: m, Amount: decimal.New(300, 0), Credit: decimal.New(100, 0)}, nil)
		if len(ps) != 3 || ps[0].Account != MethodAccount(FundService, m) || ps[1].Account != ReceivableAccount(FundService) || ps[2].Account != PrepaidFeesAccount {
			t.Fatalf("%s: %+v", m, ps)
		}
		if !ps[0].Amount.Equal(decimal.New(300, 0)) || !ps[1].Amount.Equal(decimal.New(-200, 0)) || !ps[2].Amount.Equal(decimal.New(-100, 0)) {
			t.Fatalf("%s: amounts %+v", m, ps)
		}
	}
}

// TestChainCheck_BalancesAddUpInCentsAsDecimalsWould: the walk adds amounts of at most two
// decimals in whole hundredths and folds them into the balances when asked, past int64
// too; any other amount is added as a decimal. The balances are what decimal arithmetic
// gives, asked for at any point.
func TestChainCheck_BalancesAddUpInCentsAsDecimalsWould(t *testing.T) {
	big := decimal.New(999999999999999, -2) // 15 digits: the largest amount added in cents
	amounts := []decimal.Decimal{decimal.RequireFromString("1.20"), decimal.RequireFromString("-0.05"),
		decimal.RequireFromString("3"), decimal.RequireFromString("0.125"), decimal.RequireFromString("-7.5")}
	for range 30000 { // 10,000 × 10^15 hundredths an account: beyond int64, folded on the way
		amounts = append(amounts, big)
	}
	amounts = append(amounts, decimal.RequireFromString("12345678901234567.89"), big.Neg(), decimal.New(-1, -2))
	c := NewChainCheck()
	want := map[string]decimal.Decimal{}
	for i, a := range amounts {
		acct := []string{"A", "B", "C"}[i%3]
		c.add(acct, a)
		want[acct] = want[acct].Add(a)
		if i == 5 || i == 29000 { // (rarely: folding clears what a fold past int64 needs)
			for k, w := range want {
				if got := c.Balances()[k]; !got.Equal(w) {
					t.Fatalf("after %d amounts %s is %s, decimals give %s", i+1, k, got, w)
				}
			}
		}
	}
	got := c.Balances()
	if len(got) != len(want) {
		t.Fatalf("%d accounts, want %d", len(got), len(want))
	}
	for k, w := range want {
		if !got[k].Equal(w) {
			t.Errorf("%s is %s, decimals give %s", k, got[k], w)
		}
	}
}
