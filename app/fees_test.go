package app

import (
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

func TestBillAmount_AreaTimesPriceRoundedHalfUpOnce(t *testing.T) {
	cases := []struct{ area, price, want string }{
		{"88.50", "1.20", "106.20"},
		{"89.25", "0.35", "31.24"},    // 31.2375 → 31.24
		{"12.50", "0.35", "4.38"},     // 4.375 → 4.38 (half up)
		{"100.10", "1.275", "127.63"}, // 127.6275 → 127.63
	}
	for _, c := range cases {
		if got := BillAmount(fd(c.area), fd(c.price)); got.StringFixed(2) != c.want {
			t.Errorf("%s × %s = %s, want %s", c.area, c.price, got.StringFixed(2), c.want)
		}
	}
}

func TestPriceFor_LatestPriceNotAfterTheMonth(t *testing.T) {
	ps := []FeePrice{{KindResidential, fd("1.20"), "2025-01"}, {KindResidential, fd("1.35"), "2026-01"}, {KindParking, fd("0.5"), "2025-06"}}
	cases := []struct {
		kind        UnitKind
		month, want string
		ok          bool
	}{
		{KindResidential, "2024-12", "", false},
		{KindResidential, "2025-12", "1.2", true},
		{KindResidential, "2026-01", "1.35", true},
		{KindParking, "2025-05", "", false},
		{KindCommercial, "2026-01", "", false},
	}
	for _, c := range cases {
		got, ok := PriceFor(ps, c.kind, c.month)
		if ok != c.ok || (ok && !got.Equal(fd(c.want))) {
			t.Errorf("PriceFor(%s, %s) = %s %v", c.kind, c.month, got, ok)
		}
	}
}

func TestMakeBills_DeveloperPaysForHeldUnitsAndUnpricedKindsAreLeftOut(t *testing.T) {
	units := []Unit{
		{ID: "1-1-101", Kind: KindResidential, Area: fd("88.50"), OwnerID: "O1", OwnerName: "王伟"},
		{ID: "1-1-102", Kind: KindResidential, Area: fd("90.00"), OwnerID: "DEV", OwnerName: "开发商（未售）", DeveloperHeld: true},
		{ID: "P-001", Kind: KindParking, Area: fd("12.00"), OwnerID: "O1", OwnerName: "王伟"},
	}
	if _, err := MakeBills(units, nil, "2026-01"); err == nil || ErrorCode(err) != EINVALID {
		t.Fatalf("no price at all: err = %v", err)
	}
	ps := []FeePrice{{KindResidential, fd("1.20"), "2026-02"}}
	if _, err := MakeBills(units, ps, "2026-01"); err == nil || ErrorCode(err) != EINVALID {
		t.Fatalf("price not yet in force: err = %v", err)
	}
	ps = []FeePrice{{KindResidential, fd("1.20"), "2026-01"}}
	bills, err := MakeBills(units, ps, "2026-01")
	if err != nil || len(bills) != 2 {
		t.Fatalf("no parking price: parking should be left unbilled, got %+v, %v", bills, err)
	}
	if got := UnpricedKinds(units, ps, "2026-01"); len(got) != 1 || got[KindParking] != 1 {
		t.Errorf("unpriced = %v", got)
	}
	ps = append(ps, FeePrice{KindParking, fd("0.50"), "2026-01"})
	bills, err = MakeBills(units, ps, "2026-01")
	if err != nil {
		t.Fatal(err)
	}
	if bills[1].Payer != DeveloperPayer || !bills[1].Developer || bills[0].Payer != "王伟" {
		t.Errorf("payers: %+v", bills)
	}
	if bills[2].Amount.StringFixed(2) != "6.00" {
		t.Errorf("parking bill %s", bills[2].Amount)
	}
}

func TestAllocate_OldestFirstThenCredit(t *testing.T) {
	a := FeeAccount{Unit: "1-1-101"}
	for _, m := range []string{"2026-03", "2026-01", "2026-02"} {
		a.AddBill(Bill{Period: m, Amount: fd("100.00")})
	}
	allocs, credit, err := a.Allocate(fd("250.00"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(allocs) != 3 || allocs[0].Period != "2026-01" || !allocs[2].Amount.Equal(fd("50")) || !credit.IsZero() {
		t.Fatalf("allocs %+v credit %s", allocs, credit)
	}
	if len(a.Open) != 1 || a.Open[0].Period != "2026-03" || !a.Open[0].Due.Equal(fd("50")) {
		t.Fatalf("open %+v", a.Open)
	}
	_, credit, _ = a.Allocate(fd("80.00"), nil)
	if !credit.Equal(fd("30")) || len(a.Open) != 0 || !a.Credit.Equal(fd("30")) {
		t.Fatalf("overpayment: credit %s open %+v", credit, a.Open)
	}
	// Credit pays the next bill as soon as it exists.
	used := a.AddBill(Bill{Period: "2026-04", Amount: fd("100.00")})
	if !used.Equal(fd("30")) || !a.Credit.IsZero() || !a.Open[0].Due.Equal(fd("70")) {
		t.Fatalf("credit not applied: used %s %+v", used, a)
	}
}

func TestAllocate_ChosenBillsOnly(t *testing.T) {
	a := FeeAccount{Unit: "1-1-101"}
	for _, m := range []string{"2026-01", "2026-02", "2026-03"} {
		a.AddBill(Bill{Period: m, Amount: fd("100.00")})
	}
	allocs, credit, err := a.Allocate(fd("150.00"), []string{"2026-03"})
	if err != nil {
		t.Fatal(err)
	}
	if len(allocs) != 1 || allocs[0].Period != "2026-03" || !credit.Equal(fd("50")) || len(a.Open) != 2 {
		t.Fatalf("allocs %+v credit %s open %+v", allocs, credit, a.Open)
	}
	if _, _, err := a.Allocate(fd("1"), []string{"2025-12"}); err == nil {
		t.Error("a month with no open bill was accepted")
	}
}

func TestUnallocate_ReopensWhatAReceiptPaid(t *testing.T) {
	a := FeeAccount{Unit: "1-1-101"}
	a.AddBill(Bill{Period: "2026-01", Amount: fd("100.00")})
	a.AddBill(Bill{Period: "2026-02", Amount: fd("100.00")})
	allocs, credit, _ := a.Allocate(fd("230.00"), nil)
	if err := a.Unallocate(allocs, credit, map[string]decimal.Decimal{"2026-01": fd("100"), "2026-02": fd("100")}); err != nil {
		t.Fatal(err)
	}
	if !a.Owed().Equal(fd("200")) || !a.Credit.IsZero() || len(a.Open) != 2 {
		t.Fatalf("after unallocate %+v", a)
	}
}

func TestAgeBucket_ZeroToThreeToSixToTwelvePlus(t *testing.T) {
	cases := map[string]int{"2026-11": 0, "2026-09": 0, "2026-08": 1, "2026-06": 1, "2026-05": 2, "2025-12": 2, "2025-11": 3, "2020-01": 3}
	for m, want := range cases {
		if got := AgeBucket(m, "2026-11"); got != want {
			t.Errorf("AgeBucket(%s) = %d, want %d", m, got, want)
		}
	}
}

func TestParseCollectionPeriod(t *testing.T) {
	cases := []struct{ in, from, to string }{
		{"2026-02", "2026-02", "2026-02"}, {"2026Q1", "2026-01", "2026-03"}, {"2026q4", "2026-10", "2026-12"}, {"2025", "2025-01", "2025-12"},
	}
	for _, c := range cases {
		f, to, err := ParseCollectionPeriod(c.in)
		if err != nil || f != c.from || to != c.to {
			t.Errorf("%s → %s %s %v", c.in, f, to, err)
		}
	}
	for _, bad := range []string{"2026Q5", "2026-13", "26", "2026Q", "Q1"} {
		if _, _, err := ParseCollectionPeriod(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestCollection_RatesByAmountAndHouseholds(t *testing.T) {
	c := Collection{Billed: fd("1000.00"), Received: fd("912.34"), HouseholdsBilled: 8, HouseholdsPaid: 7}
	if got := c.RateByAmount().StringFixed(4); got != "0.9123" {
		t.Errorf("by amount %s", got)
	}
	if got := c.RateByHouseholds().StringFixed(4); got != "0.8750" {
		t.Errorf("by households %s", got)
	}
	if !(Collection{}).RateByAmount().IsZero() {
		t.Error("nothing billed should be rate 0")
	}
}

// TestCollection_RateIsRoundedOnceToFourDecimals: a rate is rounded half-up once, on the
// exact quotient, to the 4 decimals shown (91.23%); rounding to 6 decimals first turned
// 0.65124976… into 0.651250 and then 0.6513.
func TestCollection_RateIsRoundedOnceToFourDecimals(t *testing.T) {
	cases := []struct {
		billed, received, want string
		paid, households       int
		wantHouseholds         string
	}{
		{"14519.13", "9455.58", "0.6512", 0, 1, "0.0000"}, // 0.65124976…
		{"1000.00", "912.35", "0.9124", 1, 8, "0.1250"},   // exactly .5 at the 5th decimal: up
		{"3.00", "2.00", "0.6667", 2, 3, "0.6667"},
		{"3.00", "1.00", "0.3333", 1, 3, "0.3333"},
		{"100.00", "100.00", "1.0000", 3, 3, "1.0000"},
	}
	for _, c := range cases {
		col := Collection{Billed: fd(c.billed), Received: fd(c.received), HouseholdsBilled: c.households, HouseholdsPaid: c.paid}
		if got := col.RateByAmount().StringFixed(4); got != c.want {
			t.Errorf("%s / %s = %s, want %s", c.received, c.billed, got, c.want)
		}
		if got := col.RateByHouseholds().StringFixed(4); got != c.wantHouseholds {
			t.Errorf("%d / %d households = %s, want %s", c.paid, c.households, got, c.wantHouseholds)
		}
		if got, want := Percent(col.RateByAmount()), c.want; got[:len(got)-1] != fmtPercent(want) {
			t.Errorf("Percent(%s) = %s", want, got)
		}
	}
}

// fmtPercent writes a 4-decimal fraction as the percentage Percent prints, by moving
// the point: "0.6512" → "65.12".
func fmtPercent(frac string) string {
	whole, dec, _ := strings.Cut(frac, ".")
	s := strings.TrimLeft(whole+dec[:2], "0")
	if s == "" {
		s = "0"
	}
	return s + "." + dec[2:]
}

func TestLateFee_OnlyWhereTheContractSetsARate(t *testing.T) {
	b := OpenBill{Period: "2026-01", Amount: fd("100"), Due: fd("100")}
	if !(LateFeeRule{}).Fee(b, "2026-12-31").IsZero() {
		t.Error("late fee without a rate")
	}
	r := LateFeeRule{DailyRate: fd("0.0003"), GraceDays: 0}
	if got := r.Fee(b, "2026-01-31"); !got.IsZero() {
		t.Errorf("within the month: %s", got)
	}
	if got := r.Fee(b, "2026-02-10"); got.StringFixed(2) != "0.30" { // 10 days × 0.03
		t.Errorf("10 days late: %s", got)
	}
}

func TestPaymentRequest_BadInput(t *testing.T) {
	ok := PaymentRequest{Unit: "1-1-101", Amount: fd("10.00"), Method: "cash"}
	if err := ok.Validate(); err != nil {
		t.Fatal(err)
	}
	for name, f := range map[string]func(*PaymentRequest){
		"zero":           func(p *PaymentRequest) { p.Amount = fd("0") },
		"negative":       func(p *PaymentRequest) { p.Amount = fd("-5") },
		"three decimals": func(p *PaymentRequest) { p.Amount = fd("1.005") },
		"no unit":        func(p *PaymentRequest) { p.Unit = " " },
		"bad date":       func(p *PaymentRequest) { p.Date = "2026-02-30" },
		"bad method":     func(p *PaymentRequest) { p.Method = "cheque" },
	} {
		p := ok
		f(&p)
		if p.Validate() == nil {
			t.Errorf("%s accepted", name)
		}
	}
}

func TestPaymentEntry_SplitsBetweenReceivableAndPrepayment(t *testing.T) {
	p := Payment{Receipt: "R00000001", Unit: "1-1-101", Amount: fd("300"), Credit: fd("50"), Method: MethodWeChat, Date: "2026-01-05"}
	e := PaymentEntry(p)
	if err := e.Validate(nil); err != nil {
		t.Fatal(err)
	}
	if e.Postings[0].Account != BankAccount(FundService) || !e.Postings[1].Amount.Equal(fd("-250")) || e.Postings[2].Account != PrepaidFeesAccount {
		t.Errorf("%+v", e.Postings)
	}
	p.Method = MethodCash
	if PaymentEntry(p).Postings[0].Account != CashAccount(FundService) {
		t.Error("cash should land in the cash box")
	}
}

func TestIncome_EntryIntoTheOwnersFund(t *testing.T) {
	in := Income{Fund: FundPublic, Kind: "parking", Amount: fd("1200.00"), Date: "2026-01-10"}
	if _, err := in.Validate(); err != nil {
		t.Fatal(err)
	}
	e := in.Entry()
	if e.Postings[0].Account != "资产:公共收益:银行存款" || e.Postings[1].Account != "收入:公共收益:停车费" || e.Validate(nil) != nil {
		t.Errorf("%+v", e)
	}
	if _, err := (Income{Fund: FundMaintenance, Kind: "parking", Amount: fd("1")}).Validate(); err == nil {
		t.Error("parking income into the maintenance fund accepted")
	}
}

func FuzzParseCollectionPeriod(f *testing.F) {
	for _, s := range []string{"2026-01", "2026Q1", "2026", "2026q4", "", "Q", "2026-13", "９９９９Q1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		from, to, err := ParseCollectionPeriod(s)
		if err != nil {
			return
		}
		if _, err := ParseMonth(from); err != nil {
			t.Fatalf("%q gave bad first month %q", s, from)
		}
		if _, err := ParseMonth(to); err != nil || to < from || MonthsBetween(from, to) > 11 {
			t.Fatalf("%q gave bad range %q..%q", s, from, to)
		}
	})
}
