package app

import (
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

func TestLimits_AbsurdAmountsPricesAndTextsAreRefused(t *testing.T) {
	d := decimal.RequireFromString
	long := strings.Repeat("长", MaxTextRunes+1)
	cases := []struct {
		name string
		err  error
		ok   bool
	}{
		{"payment at the limit", PaymentRequest{Unit: "1-1-101", Amount: d("100000000.00")}.Validate(), true},
		{"payment of ¥99,999,999,999", PaymentRequest{Unit: "1-1-101", Amount: d("99999999999")}.Validate(), false},
		{"payment one fen above the limit", PaymentRequest{Unit: "1-1-101", Amount: d("100000000.01")}.Validate(), false},
		{"payer too long", PaymentRequest{Unit: "1-1-101", Amount: d("1"), Payer: strings.Repeat("x", MaxNameRunes+1)}.Validate(), false},
		{"price at 100", FeePrice{Kind: KindResidential, Price: d("100"), From: "2026-01"}.Validate(), true},
		{"price above 100", FeePrice{Kind: KindResidential, Price: d("100.01"), From: "2026-01"}.Validate(), false},
		{"income above the limit", func() error {
			_, err := Income{Fund: FundPublic, Kind: "parking", Amount: d("100000001"), Method: "bank"}.Validate()
			return err
		}(), false},
		{"income description too long", func() error {
			_, err := Income{Fund: FundPublic, Kind: "parking", Amount: d("1"), Method: "bank", Description: long}.Validate()
			return err
		}(), false},
		{"expense above the limit", func() error {
			_, err := ExpenseRequest{Fund: FundService, Category: "cleaning", Payee: "某公司", Description: "保洁", Amount: d("100000000.01")}.Validate()
			return err
		}(), false},
		{"expense description too long", func() error {
			_, err := ExpenseRequest{Fund: FundService, Category: "cleaning", Payee: "某公司", Description: long, Amount: d("1")}.Validate()
			return err
		}(), false},
		{"entry description too long", Entry{Date: "2026-01-01", Description: long, Postings: []Posting{{Account: "a", Amount: d("1")}, {Account: "b", Amount: d("-1")}}}.Validate(nil), false},
		{"unit area absurd", Unit{ID: "1", Kind: KindResidential, Area: d("100001"), OwnerID: "O"}.Validate(), false},
		{"owner name too long", Unit{ID: "1", Kind: KindResidential, Area: d("90"), OwnerID: "O", OwnerName: long}.Validate(), false},
		{"unit id too long", Unit{ID: strings.Repeat("1", MaxNameRunes+1), Kind: KindResidential, Area: d("90"), OwnerID: "O"}.Validate(), false},
	}
	for _, c := range cases {
		if c.ok && c.err != nil {
			t.Errorf("%s: refused: %v", c.name, c.err)
		}
		if !c.ok && ErrorCode(c.err) != EINVALID {
			t.Errorf("%s: got %v, want EINVALID", c.name, c.err)
		}
		if e, ok := c.err.(*Error); ok && !c.ok && !strings.Contains(e.ZH, "上限") && !strings.Contains(e.ZH, "太长") {
			t.Errorf("%s: refused for another reason: %v", c.name, e.ZH)
		}
		if e, ok := c.err.(*Error); ok && (e.ZH == "" || e.EN == "" || e.ZH == e.EN) {
			t.Errorf("%s: message not bilingual: %+v", c.name, e)
		}
	}
}

func TestLimits_RegisterAndBallotFilesHaveARowBound(t *testing.T) {
	rows := [][]string{{"unit", "kind", "area", "owner_id"}}
	for i := 0; i <= MaxUnits; i++ {
		rows = append(rows, []string{"u" + decimal.NewFromInt(int64(i)).String(), "residential", "80", "O"})
	}
	if _, err := ParseRegisterRows(rows); ErrorCode(err) != EINVALID || !strings.Contains(err.Error(), "100000") {
		t.Errorf("register of %d rows: %v", len(rows)-1, err)
	}
	ballots := [][]string{{"ballot_no", "unit", "m1"}}
	for i := 0; i <= MaxUnits; i++ {
		ballots = append(ballots, []string{"1", "u", "agree"})
	}
	if _, err := ParseBallotRows(ballots, []Matter{{No: 1, Title: "x", Kind: MatterOrdinary}}); ErrorCode(err) != EINVALID {
		t.Errorf("ballots of %d rows: %v", len(ballots)-1, err)
	}
	matters := [][]string{{"no", "title", "kind"}}
	for i := 0; i < 100; i++ {
		matters = append(matters, []string{"1", "x", "ordinary"})
	}
	if _, err := ParseMatterRows(matters); ErrorCode(err) != EINVALID {
		t.Errorf("100 matters: %v", err)
	}
}

func TestRemoveBill_UndoesAddBillExactly(t *testing.T) {
	d := decimal.RequireFromString
	cases := []FeeAccount{
		{Unit: "a", Credit: decimal.Zero},
		{Unit: "a", Credit: d("30.00")},  // credit pays part of the bill
		{Unit: "a", Credit: d("500.00")}, // credit pays all of it
		{Unit: "a", Credit: decimal.Zero, Open: []OpenBill{{Period: "2026-01", Amount: d("90"), Due: d("40")}, {Period: "2026-03", Amount: d("90"), Due: d("90")}}},
	}
	for _, before := range cases {
		fa := before
		fa.Open = append([]OpenBill(nil), before.Open...)
		b := Bill{Unit: "a", Period: "2026-02", Amount: d("106.20")}
		fa.AddBill(b)
		fa.RemoveBill(b)
		if !fa.Credit.Equal(before.Credit) || len(fa.Open) != len(before.Open) {
			t.Errorf("%+v → %+v", before, fa)
		}
		for i := range fa.Open {
			if fa.Open[i] != before.Open[i] && !(fa.Open[i].Period == before.Open[i].Period && fa.Open[i].Due.Equal(before.Open[i].Due)) {
				t.Errorf("open bills changed: %+v → %+v", before.Open, fa.Open)
			}
		}
	}
}

func TestMonthSpan(t *testing.T) {
	if MonthSpan("2024-01", "2024-01") != "2024-01" || MonthSpan("2024-01", "2024-06") != "2024-01…2024-06" {
		t.Error(MonthSpan("2024-01", "2024-06"))
	}
}
