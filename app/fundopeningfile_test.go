package app

import (
	"strings"
	"testing"
)

func TestParseOpeningRows_EnglishChineseAndRefusals(t *testing.T) {
	got, err := ParseOpeningRows(rows("\ufeff房号,金额,首期交存额\n1-1-101,1926.00,\n1-1-102,500,2000.5"))
	if err != nil || len(got) != 2 || got[0].FirstDeposit.String() != "1926" || got[1].FirstDeposit.String() != "2000.5" {
		t.Fatalf("got %+v %v", got, err)
	}
	if got, err := ParseOpeningRows(rows("1-1-101,10\n1-1-102,20")); err != nil || len(got) != 2 {
		t.Fatalf("a file without a header row is read by position: %+v %v", got, err)
	}
	SetEnglish(true)
	defer SetEnglish(false)
	for in, want := range map[string]string{
		"unit,amount\n1-1-101,10\n1-1-101,20": "row 3: unit 1-1-101 is a duplicate",
		"unit,amount\n1-1-101,-1":             "row 2: the amount -1 cannot be negative",
		"unit,amount\n1-1-101,1.234":          "row 2: amount \"1.234\" has more than 2 decimals",
		"unit,amount\n,5":                     "row 2: the unit is missing",
		"unit,amount\n1-1-101,abc":            "row 2:",
		"unit,x\n1-1-101,1":                   "lacks the column \"amount\"",
		"unit,amount":                         "no units",
	} {
		if _, err := ParseOpeningRows(rows(in)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: err %v, want %q", in, err, want)
		}
	}
}

func FuzzParseOpeningRows(f *testing.F) {
	f.Add("unit,amount,first_deposit\n1-1-101,1926.00,1926\n1-1-102,0,")
	f.Add("房号,金额\n1-1-101,１２.５")
	f.Add("1-1-101,10")
	f.Fuzz(func(t *testing.T, s string) {
		var rs [][]string
		for _, l := range strings.Split(s, "\n") {
			rs = append(rs, strings.Split(l, ","))
		}
		ls, err := ParseOpeningRows(rs)
		if err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("not an *Error: %v", err)
			}
			return
		}
		seen := map[string]bool{}
		for _, l := range ls {
			if l.Unit == "" || seen[l.Unit] || l.Amount.IsNegative() || l.FirstDeposit.IsNegative() || !l.Amount.Equal(l.Amount.Round(2)) {
				t.Fatalf("accepted a bad line %+v", l)
			}
			seen[l.Unit] = true
		}
	})
}
