package app

import (
	"fmt"
	mbig "math/big"
	"math/rand/v2"
	"testing"

	"github.com/shopspring/decimal"
)

func TestApportion_LargestRemainderAddsUpToTheCent(t *testing.T) {
	cases := []struct {
		amount  string
		weights []string
		want    []string
	}{
		{"100.00", []string{"1", "1", "1"}, []string{"33.34", "33.33", "33.33"}},
		{"-100.00", []string{"1", "1", "1"}, []string{"-33.34", "-33.33", "-33.33"}},
		{"0.05", []string{"90.5", "100", "120.33"}, []string{"0.01", "0.02", "0.02"}},
		{"10.00", []string{"0", "0"}, []string{"5.00", "5.00"}},
		// equal remainders: the first in order takes the 分
		{"386000.00", []string{"88.88", "88.88", "120.10"}, []string{"115180.56", "115180.55", "155638.89"}},
	}
	for _, c := range cases {
		var w []decimal.Decimal
		for _, x := range c.weights {
			w = append(w, decimal.RequireFromString(x))
		}
		got := Apportion(decimal.RequireFromString(c.amount), w)
		var sum decimal.Decimal
		for i, g := range got {
			sum = sum.Add(g)
			if !g.Equal(decimal.RequireFromString(c.want[i])) {
				t.Errorf("%s over %v: part %d = %s, want %s", c.amount, c.weights, i, g, c.want[i])
			}
		}
		if !sum.Equal(decimal.RequireFromString(c.amount)) {
			t.Errorf("%s over %v: parts add up to %s", c.amount, c.weights, sum)
		}
	}
}

// TestFundLedger_UnitsAddUpToTheFundAfterRandomRepairsAndInterest recomputes every
// movement independently, from exact fractions: each unit's part of an entry is within
// one 分 of its exact share (by area, by balance for interest, within the scope for a
// repair), the parts add up to the entry to the cent, and the units' balances add up
// to the fund's money.
func TestFundLedger_UnitsAddUpToTheFundAfterRandomRepairsAndInterest(t *testing.T) {
	for seed := uint64(1); seed <= 40; seed++ {
		r := rand.New(rand.NewPCG(seed, 7))
		var units []Unit
		for b := 1; b <= 1+r.IntN(3); b++ {
			for k := 0; k < 1+r.IntN(6); k++ {
				units = append(units, unit(fmt.Sprintf("%d-1-%d", b, 101+k), fmt.Sprintf("%d.%02d", 40+r.IntN(120), r.IntN(100)), fmt.Sprintf("O%d", r.IntN(5))))
			}
		}
		bank := BankAccount(FundMaintenance)
		var entries []Entry
		open := &FundOpening{Date: "2025-01-01", Seq: 1}
		for _, u := range units {
			if r.IntN(4) > 0 {
				a := decimal.New(int64(100000+r.IntN(900000)), -2)
				open.Lines = append(open.Lines, OpeningLine{Unit: u.ID, Amount: a, FirstDeposit: a})
			}
		}
		seq := int64(1)
		post := func(date, ref string, amt decimal.Decimal) {
			entries = append(entries, Entry{Seq: seq, Date: date, Ref: ref, Postings: []Posting{{Account: bank, Amount: amt}, {Account: "x", Amount: amt.Neg()}}})
			seq++
		}
		if len(open.Lines) > 0 {
			post("2025-01-01", FundOpeningRef, open.Total())
		} else {
			open = nil
			seq++
		}
		scopes := map[string][]string{}
		for i := 0; i < 30; i++ {
			date := fmt.Sprintf("2025-%02d-%02d", 1+i%12, 1+r.IntN(28))
			amt := decimal.New(int64(1+r.IntN(2000000)), -2)
			switch r.IntN(5) {
			case 0:
				post(date, DocIncome.Ref("deposit"), amt)
			case 1:
				post(date, DocIncome.Ref("deposit/"+units[r.IntN(len(units))].ID), amt)
			case 2:
				post(date, DocIncome.Ref("interest"), amt.Div(decimal.NewFromInt(50)).Round(2).Add(decimal.New(1, -2)))
			case 3:
				id := ExpenseID(int64(i + 1))
				if r.IntN(2) == 0 {
					scopes[id] = []string{BuildingOf(units[r.IntN(len(units))].ID)}
				}
				post(date, DocExpense.Ref(id), amt.Neg())
			case 4:
				if len(entries) > 0 {
					rev := entries[r.IntN(len(entries))]
					e := Entry{Seq: seq, Date: date, Reverses: rev.Seq}
					for _, p := range rev.Postings {
						e.Postings = append(e.Postings, Posting{Account: p.Account, Amount: p.Amount.Neg()})
					}
					entries = append(entries, e)
					seq++
				}
			}
		}
		led := ComputeFundLedger(FundLedgerInput{Units: units, Entries: entries, Opening: open, Scopes: scopes, Moves: map[string]bool{"*": true}})
		var fund, sum decimal.Decimal
		for _, e := range entries {
			fund = fund.Add(e.Postings[0].Amount)
		}
		perEntry := map[int64]decimal.Decimal{}
		for _, u := range led {
			sum = sum.Add(u.Balance)
			var own decimal.Decimal
			for _, m := range u.Moves {
				own = own.Add(m.Amount)
				perEntry[m.Seq] = perEntry[m.Seq].Add(m.Amount)
				if !m.Balance.Equal(own) {
					t.Fatalf("seed %d unit %s: running balance %s, movements add up to %s", seed, u.Unit, m.Balance, own)
				}
			}
			if !own.Equal(u.Balance) {
				t.Fatalf("seed %d unit %s: balance %s, movements %s", seed, u.Unit, u.Balance, own)
			}
		}
		if !sum.Equal(fund) {
			t.Fatalf("seed %d: units add up to %s, the fund holds %s", seed, sum, fund)
		}
		for _, e := range entries {
			if !perEntry[e.Seq].Equal(e.Postings[0].Amount) {
				t.Fatalf("seed %d: entry #%d moved %s, its parts add up to %s", seed, e.Seq, e.Postings[0].Amount, perEntry[e.Seq])
			}
		}
		checkRepairShares(t, seed, units, entries, scopes, led)
	}
}

// checkRepairShares checks each repair's parts against the exact share by area within
// its scope (within one 分), from mbig.Rat, not the code under test.
func checkRepairShares(t *testing.T, seed uint64, units []Unit, entries []Entry, scopes map[string][]string, led []UnitFund) {
	t.Helper()
	for _, e := range entries {
		kind, id := ParseRef(e.Ref)
		if kind != DocExpense {
			continue
		}
		var total mbig.Rat
		for _, u := range units {
			if InScope(scopes[id], u.ID) {
				total.Add(&total, u.Area.Rat())
			}
		}
		for _, l := range led {
			var got decimal.Decimal
			for _, m := range l.Moves {
				if m.Seq == e.Seq {
					got = m.Amount
				}
			}
			want := new(mbig.Rat)
			if InScope(scopes[id], l.Unit) {
				want.Mul(e.Postings[0].Amount.Rat(), l.Area.Rat())
				want.Quo(want, &total)
			}
			diff := new(mbig.Rat).Sub(got.Rat(), want)
			if diff.Abs(diff).Cmp(mbig.NewRat(1, 100)) >= 0 {
				t.Fatalf("seed %d entry #%d unit %s: part %s, exact share %s", seed, e.Seq, l.Unit, got, want.FloatString(4))
			}
		}
	}
}

func TestFundLedger_InterestFollowsBalancesAndThirtyPercentRule(t *testing.T) {
	units := []Unit{unit("1-1-101", "100", "A"), unit("1-1-102", "100", "B")}
	bank := BankAccount(FundMaintenance)
	mv := func(seq int64, date, ref string, amt string) Entry {
		a := decimal.RequireFromString(amt)
		return Entry{Seq: seq, Date: date, Ref: ref, Postings: []Posting{{Account: bank, Amount: a}, {Account: "x", Amount: a.Neg()}}}
	}
	open := &FundOpening{Seq: 1, Lines: []OpeningLine{
		{Unit: "1-1-101", Amount: decimal.NewFromInt(3000), FirstDeposit: decimal.NewFromInt(3000)},
		{Unit: "1-1-102", Amount: decimal.NewFromInt(1000), FirstDeposit: decimal.NewFromInt(5000)},
	}}
	led := ComputeFundLedger(FundLedgerInput{Units: units, Opening: open, Entries: []Entry{
		mv(1, "2025-01-01", FundOpeningRef, "4000"),
		mv(2, "2025-12-31", DocIncome.Ref("interest"), "40"),
		mv(3, "2026-01-10", DocExpense.Ref("E000001"), "-1000"),
	}})
	// interest 3:1 by balance: 30 and 10; the repair by area: 500 each.
	if !led[0].Balance.Equal(decimal.NewFromInt(2530)) || !led[1].Balance.Equal(decimal.NewFromInt(510)) {
		t.Fatalf("balances %s %s", led[0].Balance, led[1].Balance)
	}
	if led[0].Below30 || !led[1].Below30 { // 510 < 30 % of 5000 = 1500
		t.Fatalf("below 30%%: %v %v", led[0].Below30, led[1].Below30)
	}
}
