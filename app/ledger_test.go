package app

import (
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

func fd(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func testEntry(date string, ps ...string) Entry {
	e := Entry{Date: date, Description: "test"}
	for i := 0; i+1 < len(ps); i += 2 {
		e.Postings = append(e.Postings, Posting{Account: ps[i], Amount: fd(ps[i+1])})
	}
	return e
}

func TestEntry_MustBalanceToTheFen(t *testing.T) {
	bank, income := BankAccount(FundPublic), AccountName(TypeIncome, FundPublic, "停车费")
	known := func(a string) bool { return a == bank || a == income }
	cases := []struct {
		name string
		e    Entry
		ok   bool
	}{
		{"balanced", testEntry("2026-01-10", bank, "100.00", income, "-100.00"), true},
		{"split credit", Entry{Date: "2026-01-10", Description: "x", Postings: []Posting{{bank, fd("100")}, {income, fd("-60")}, {income, fd("-40")}}}, true},
		{"off by a fen", testEntry("2026-01-10", bank, "100.00", income, "-99.99"), false},
		{"three decimals", testEntry("2026-01-10", bank, "100.001", income, "-100.001"), false},
		{"zero posting", testEntry("2026-01-10", bank, "0", income, "0"), false},
		{"one posting", testEntry("2026-01-10", bank, "0.00"), false},
		{"unknown account", testEntry("2026-01-10", "资产:别的:银行", "1", income, "-1"), false},
		{"bad date", testEntry("2026-02-30", bank, "1", income, "-1"), false},
		{"no description", Entry{Date: "2026-01-10", Postings: []Posting{{bank, fd("1")}, {income, fd("-1")}}}, false},
	}
	for _, c := range cases {
		err := c.e.Validate(known)
		if (err == nil) != c.ok {
			t.Errorf("%s: Validate = %v, want ok=%v", c.name, err, c.ok)
		}
	}
}

func testChain(n int) []Entry {
	var out []Entry
	prev := ""
	for i := 1; i <= n; i++ {
		e := testEntry("2026-01-1"+string(rune('0'+i%10)), BankAccount(FundService), "10.50", FeeIncomeAccount, "-10.50")
		e.Seq = int64(i)
		e = Seal(e, prev)
		prev = e.Hash
		out = append(out, e)
	}
	return out
}

func TestChain_DetectsAnyEditDeletionOrReorder(t *testing.T) {
	walk := func(es []Entry) error {
		c := NewChainCheck()
		for _, e := range es {
			if err := c.Check(e); err != nil {
				return err
			}
		}
		return nil
	}
	if err := walk(testChain(5)); err != nil {
		t.Fatalf("intact chain: %v", err)
	}
	tamper := map[string]func([]Entry) []Entry{
		"amount edited (still balanced)": func(es []Entry) []Entry {
			es[2].Postings[0].Amount, es[2].Postings[1].Amount = fd("11.50"), fd("-11.50")
			return es
		},
		"description edited":        func(es []Entry) []Entry { es[2].Description = "other"; return es },
		"entry deleted":             func(es []Entry) []Entry { return append(es[:2], es[3:]...) },
		"entries swapped":           func(es []Entry) []Entry { es[1], es[2] = es[2], es[1]; return es },
		"edited and rehashed alone": func(es []Entry) []Entry { es[2].Who = "x"; es[2].Hash = EntryHash(es[2]); return es },
	}
	for name, f := range tamper {
		err := walk(f(testChain(5)))
		if err == nil {
			t.Errorf("%s: not detected", name)
			continue
		}
		if !strings.Contains(err.Error(), "#3") && !strings.Contains(err.Error(), "#4") {
			t.Errorf("%s: error does not name the first bad entry: %v", name, err)
		}
	}
}

func TestCanonicalEntry_IsStableAndCoversEveryField(t *testing.T) {
	e := Entry{Seq: 7, Date: "2026-01-15", Description: "收物业费 \"1-1-101\"\n", Ref: "receipt:R00000001", Reverses: 3, Who: "张三",
		Postings: []Posting{{BankAccount(FundService), fd("1234.5")}, {ReceivableAccount(FundService), fd("-1234.50")}}, PrevHash: "abc"}
	want := "sunledger-entry-v1\nseq 7\ndate 2026-01-15\ndesc \"收物业费 \\\"1-1-101\\\"\\n\"\nref \"receipt:R00000001\"\nreverses 3\nwho \"张三\"\n" +
		"post \"资产:物业服务资金:银行存款\" 1234.50\npost \"资产:物业服务资金:应收物业费\" -1234.50\nprev abc\n"
	if got := string(CanonicalEntry(e)); got != want {
		t.Fatalf("canonical:\n%q\nwant\n%q", got, want)
	}
	base := EntryHash(e)
	for name, f := range map[string]func(*Entry){
		"seq": func(e *Entry) { e.Seq++ }, "date": func(e *Entry) { e.Date = "2026-01-16" },
		"desc": func(e *Entry) { e.Description += "x" }, "ref": func(e *Entry) { e.Ref = "" },
		"reverses": func(e *Entry) { e.Reverses = 0 }, "who": func(e *Entry) { e.Who = "李四" },
		"account": func(e *Entry) { e.Postings[0].Account = CashAccount(FundService) },
		"prev":    func(e *Entry) { e.PrevHash = "abd" },
	} {
		c := e
		c.Postings = append([]Posting(nil), e.Postings...)
		f(&c)
		if EntryHash(c) == base {
			t.Errorf("changing %s does not change the hash", name)
		}
	}
}

func TestReversal_UndoesEveryPosting(t *testing.T) {
	e := testEntry("2026-01-10", BankAccount(FundService), "100.00", FeeIncomeAccount, "-100.00")
	e.Seq = 4
	r := Reversal(e, "2026-02-01", "录错金额")
	if r.Reverses != 4 || r.Validate(nil) != nil {
		t.Fatalf("reversal %+v", r)
	}
	for i := range e.Postings {
		if !r.Postings[i].Amount.Add(e.Postings[i].Amount).IsZero() {
			t.Errorf("posting %d not undone", i)
		}
	}
}

func TestLocked_ByMonthInclusive(t *testing.T) {
	cases := []struct {
		date, lock string
		want       bool
	}{
		{"2026-03-31", "2026-03", true}, {"2026-04-01", "2026-03", false}, {"2025-12-01", "2026-03", true}, {"2026-01-01", "", false},
	}
	for _, c := range cases {
		if got := Locked(c.date, c.lock); got != c.want {
			t.Errorf("Locked(%s, %s) = %v", c.date, c.lock, got)
		}
	}
}

func TestMonths(t *testing.T) {
	if got := AddMonths("2026-11", 3); got != "2027-02" {
		t.Errorf("AddMonths = %s", got)
	}
	if got := MonthsBetween("2025-11", "2026-02"); got != 3 {
		t.Errorf("MonthsBetween = %d", got)
	}
	if got := MonthRange("2025-11", "2026-02"); len(got) != 4 || got[3] != "2026-02" {
		t.Errorf("MonthRange = %v", got)
	}
	for _, bad := range []string{"2026-13", "2026-1", "26-01", "2026/01", ""} {
		if _, err := ParseMonth(bad); err == nil {
			t.Errorf("ParseMonth(%q) accepted", bad)
		}
	}
}

func TestChart_AccountsAreValidAndUnique(t *testing.T) {
	seen := map[string]bool{}
	for _, a := range StandardChart() {
		if err := a.Validate(); err != nil {
			t.Errorf("%s: %v", a.Name, err)
		}
		if seen[a.Name] {
			t.Errorf("%s twice", a.Name)
		}
		seen[a.Name] = true
	}
	for _, want := range []string{"资产:物业服务资金:银行存款", "资产:公共收益:银行存款", "资产:维修资金:银行存款", "支出:物业服务资金:酬金", "负债:物业服务资金:预收物业费"} {
		if !seen[want] {
			t.Errorf("chart lacks %s", want)
		}
	}
	for _, bad := range []string{"资产:银行", "其他:物业服务资金:x", "资产:别的资金:x", "资产:物业服务资金:a;b", "资产:物业服务资金:a  b", "资产:物业服务资金:", "资产:物业服务资金:a\tb"} {
		if err := (Account{Name: bad}).Validate(); err == nil {
			t.Errorf("Validate(%q) accepted", bad)
		}
	}
}

func TestExpenseAccount_MaintenanceFundPaysRepairsOnly(t *testing.T) {
	if a, err := ExpenseAccount(FundService, "remuneration"); err != nil || a != "支出:物业服务资金:酬金" {
		t.Errorf("remuneration: %s %v", a, err)
	}
	if a, err := ExpenseAccount(FundMaintenance, "repair"); err != nil || a != "支出:维修资金:维修工程" {
		t.Errorf("repair: %s %v", a, err)
	}
	if _, err := ExpenseAccount(FundMaintenance, "cleaning"); err == nil {
		t.Error("maintenance fund paid for cleaning")
	}
	if _, err := ExpenseAccount(FundService, "repair"); err == nil {
		t.Error("service fund paid for repair works")
	}
	if _, err := ExpenseAccount(FundService, "清洁卫生"); err != nil {
		t.Error("Chinese category name refused")
	}
}

func TestParseMonthRange_OneMonthRangeAndBadRanges(t *testing.T) {
	if ms, err := ParseMonthRange("2026-11", ""); err != nil || len(ms) != 1 || ms[0] != "2026-11" {
		t.Errorf("one month: %v, %v", ms, err)
	}
	if ms, err := ParseMonthRange("2025-11", "2026-02"); err != nil || len(ms) != 4 || ms[3] != "2026-02" {
		t.Errorf("range over a new year: %v, %v", ms, err)
	}
	for _, c := range [][2]string{{"2026-03", "2026-01"}, {"2026-13", ""}, {"2026-01", "2036-02"}, {"", ""}} {
		if _, err := ParseMonthRange(c[0], c[1]); ErrorCode(err) != EINVALID {
			t.Errorf("%v: err = %v", c, err)
		}
	}
}
