package app

import (
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

func TestMicroFundAmount_ShareOfSurplusRoundedHalfUpToTheFen(t *testing.T) {
	for _, c := range []struct{ share, surplus, want string }{
		{"30", "100000", "30000"},
		{"30", "10000.03", "3000.01"}, // 3000.009
		{"30", "0.05", "0.02"},        // 0.015 rounds up
		{"12.5", "0.04", "0.01"},      // 0.005 rounds up
		{"33.33", "1", "0.33"},
		{"100", "8765.43", "8765.43"},
		{"0", "8765.43", "0"},
		{"30", "0", "0"},          // no surplus, no move
		{"30", "-5000", "0"},      // a deficit is never moved
		{"30", "0.01", "0"},       // 0.003 rounds to nothing
		{"0.01", "99.99", "0.01"}, // 0.009999
	} {
		got := MicroFundAmount(decimal.RequireFromString(c.share), decimal.RequireFromString(c.surplus))
		if !got.Equal(decimal.RequireFromString(c.want)) {
			t.Errorf("%s%% of %s = %s, want %s", c.share, c.surplus, got, c.want)
		}
	}
}

func TestParseShare_RefusesOutsideZeroToHundred(t *testing.T) {
	for in, want := range map[string]string{"30%": "30", "30": "30", " 12.5 % ": "12.5", "３０％": "30", "0": "0", "100%": "100", "0.25": "0.25"} {
		got, err := ParseShare(in)
		if err != nil || !got.Equal(decimal.RequireFromString(want)) {
			t.Errorf("ParseShare(%q) = %s, %v", in, got, err)
		}
	}
	for _, bad := range []string{"", "%", "-1", "-0.01%", "100.01", "101%", "abc", "30%%", "1e2", "0.001", "NaN", "Inf", "+30", "0x10"} {
		if _, err := ParseShare(bad); ErrorCode(err) != EINVALID {
			t.Errorf("ParseShare(%q) accepted: %v", bad, err)
		}
	}
}

func TestMicroFundMove_EntryBalancesWithinThePublicFund(t *testing.T) {
	s := Settlement{Year: 2026, Funds: []FundSettlement{{Fund: FundPublic, Surplus: decimal.RequireFromString("8765.50")}}}
	m, err := NewMicroFundMove(s, decimal.NewFromInt(30))
	if err != nil || !m.Amount.Equal(decimal.RequireFromString("2629.65")) {
		t.Fatalf("%+v %v", m, err)
	}
	m.Date = "2027-01-10"
	e := m.JournalEntry(2026)
	known := map[string]bool{}
	for _, a := range StandardChart() {
		known[a.Name] = true
	}
	if err := e.Validate(func(a string) bool { return known[a] }); err != nil {
		t.Fatal(err)
	}
	for _, p := range e.Postings {
		if (Account{Name: p.Account}).Fund() != FundPublic || (Account{Name: p.Account}).Type() != TypeEquity {
			t.Errorf("posting %s leaves the public fund's equity", p.Account)
		}
	}
	if e.Ref != "settlement:2026" {
		t.Errorf("ref %q", e.Ref)
	}
	if _, err := NewMicroFundMove(s, decimal.NewFromInt(101)); ErrorCode(err) != EINVALID {
		t.Errorf("share 101: %v", err)
	}
}

// TestMicroFundMove_ShareOfTheIncomeOrOfTheSurplus: the base decides what the share is
// taken of; a year without income moves nothing on the income base.
func TestMicroFundMove_ShareOfTheIncomeOrOfTheSurplus(t *testing.T) {
	d := decimal.RequireFromString
	s := Settlement{Year: 2026, Funds: []FundSettlement{{Fund: FundPublic, IncomeTotal: d("12000.01"), Surplus: d("-500")}}}
	for _, c := range []struct {
		base, want string
	}{{"", "0"}, {MicroFundBaseIncome, "3600"}} {
		m, err := NewMicroFundMoveOf(s, d("30"), c.base)
		if err != nil || !m.Amount.Equal(d(c.want)) || m.Base != c.base {
			t.Errorf("base %q: %+v %v, want %s", c.base, m, err, c.want)
		}
	}
	m, _ := NewMicroFundMoveOf(s, d("30"), MicroFundBaseIncome)
	m.Date = "2027-01-10"
	if e := m.JournalEntry(2026); !strings.Contains(e.Description, "公共收益收入 12000.01") || len(e.Postings) != 2 || !e.Postings[0].Amount.Equal(d("3600")) {
		t.Errorf("entry %+v", e)
	}
	for in, want := range map[string]string{"": "", "surplus": "", "income": MicroFundBaseIncome, "收入": MicroFundBaseIncome} {
		if got, err := ParseMicroFundBase(in); err != nil || got != want {
			t.Errorf("%q: %q %v", in, got, err)
		}
	}
	if _, err := ParseMicroFundBase("profit"); ErrorCode(err) != EINVALID {
		t.Errorf("profit: %v", err)
	}
}
