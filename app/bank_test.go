package app

import (
	"fmt"
	"math/rand"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

func csvRows(s string) [][]string {
	var rows [][]string
	for _, l := range strings.Split(strings.TrimSpace(s), "\n") {
		rows = append(rows, strings.Split(l, ","))
	}
	return rows
}

func TestParseStatement_BuiltInHeadersNeedNoRules(t *testing.T) {
	rows := csvRows(`
中国工商银行 账户明细
账号：6222 0210 0101 2345,,,,,,
交易日期,摘要,收入金额,支出金额,余额,对方户名,流水号
2026/03/01,微信结算,"1,200.00",,11200.00,财付通,A001
20260302,手续费,,5.00,11195.00,,A002
2026-03-05 10:22:01,利息,0.35,,11195.35,,A003
合计,,1200.35,5.00,,,
`)
	rows[3][2] = "1,200.00" // the comma of the thousands inside one cell
	rows[3] = append(rows[3][:3], rows[3][4:]...)
	st, err := ParseStatement("s.csv", rows, BankRules{})
	if err != nil {
		t.Fatal(err)
	}
	if st.AccountNumber != "6222021001012345" {
		t.Errorf("account number %q", st.AccountNumber)
	}
	if len(st.Lines) != 3 {
		t.Fatalf("%d lines", len(st.Lines))
	}
	l := st.Lines[1]
	if l.Date != "2026-03-02" || !l.Amount.Equal(decimal.RequireFromString("-5")) || l.Serial != "A002" || l.Row != 5 {
		t.Errorf("line 2 = %+v", l)
	}
	if st.Lines[2].Date != "2026-03-05" || st.Lines[0].Counterparty != "财付通" {
		t.Errorf("lines = %+v", st.Lines)
	}
}

func TestParseStatement_RefusalsNameTheRow(t *testing.T) {
	head := "交易日期,摘要,贷方发生额,借方发生额,余额\n"
	for _, c := range []struct{ name, body, want string }{
		{"balance gap", "2026-03-01,a,100,,1100\n2026-03-02,b,,50,1060\n", "第 3 行"},
		{"bad date", "2026-03-01,a,100,,1100\n2026-13-02,b,,50,1050\n", "第 3 行"},
		{"both sides", "2026-03-01,a,100,3,1100\n", "第 2 行"},
		{"three decimals", "2026-03-01,a,100.001,,1100\n", "第 2 行"},
		{"wan yuan", "", "万元"},
		{"no lines", "", "没有对账单行"},
	} {
		t.Run(c.name, func(t *testing.T) {
			h := head
			if c.name == "wan yuan" {
				h = "交易日期,摘要,收入金额(万元),支出金额(万元),余额(万元)\n2026-03-01,a,1,,2\n"
			}
			_, err := ParseStatement("s.csv", csvRows(h+c.body), BankRules{})
			if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "没有导入任何内容") {
				t.Errorf("err = %v, want %q", err, c.want)
			}
		})
	}
	if _, err := ParseStatement("s.csv", csvRows("日期,说明,钱\n2026-03-01,a,1\n"), BankRules{}); err == nil || !strings.Contains(err.Error(), "--rules") {
		t.Errorf("unknown columns: %v", err)
	}
}

func TestParseStatement_SignedAmountAndNewestFirst(t *testing.T) {
	rows := csvRows("交易时间,交易金额,账户余额,交易流水号\n2026-03-03,-20.00,980.00,X3\n2026-03-02,+500.00,1000.00,X2\n2026-03-01,-100,500.00,X1\n")
	st, err := ParseStatement("s.csv", rows, BankRules{})
	if err != nil {
		t.Fatal(err)
	}
	if st.Lines[0].Serial != "X1" || !st.Lines[2].Balance.Equal(decimal.NewFromInt(980)) {
		t.Errorf("lines = %+v", st.Lines)
	}
}

func TestParseStatement_OneDayListedNewestFirstIsTurnedRound(t *testing.T) {
	rows := csvRows("交易日期,交易金额,余额\n2026-03-01,-20.00,980.00\n2026-03-01,+500.00,1000.00\n2026-03-01,100,500.00\n")
	st, err := ParseStatement("s.csv", rows, BankRules{})
	if err != nil {
		t.Fatal(err)
	}
	if st.Lines[0].Row != 4 || !st.Lines[2].Balance.Equal(decimal.NewFromInt(980)) {
		t.Errorf("lines = %+v", st.Lines)
	}
}

func TestBankRules_FieldsByPositionAndDirectionColumn(t *testing.T) {
	rules, err := ParseBankRules(`
# 某农商行
skip 2
fields date, , description, amount, direction, balance, serial
in-marks 来账
out-marks 往账
account-number 6228-4800-1234
`)
	if err != nil {
		t.Fatal(err)
	}
	rows := csvRows("农商行对账单\n账号 6228 4800 1234\n20260301,x,租金,3000,来账,3000,S1\n20260302,x,电费,200,往账,2800,S2\n")
	st, err := ParseStatement("s.csv", rows, rules)
	if err != nil {
		t.Fatal(err)
	}
	if !st.Lines[1].Amount.Equal(decimal.NewFromInt(-200)) || st.Lines[0].Description != "租金" {
		t.Errorf("lines = %+v", st.Lines)
	}
	rules.AccountNumber = "999999999"
	if _, err := ParseStatement("s.csv", rows, rules); err == nil || !strings.Contains(err.Error(), "622848001234") {
		t.Errorf("another account's statement: %v", err)
	}
	for _, bad := range []string{"skip x", "fields date, nonsense", "colour red", "date"} {
		if _, err := ParseBankRules(bad); err == nil || !strings.Contains(err.Error(), "第 1 行") {
			t.Errorf("%q: %v", bad, err)
		}
	}
	r2, err := ParseBankRules("date 入账时间\nbalance 当前余额\namount 发生金额\n")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ParseStatement("s.csv", csvRows("入账时间,发生金额,当前余额\n2026-03-01,10,10\n"), r2); err != nil {
		t.Errorf("renamed headers: %v", err)
	}
}

func TestProposeMatches_AutoTakesTheOnlyItemWithinSevenDays(t *testing.T) {
	lines := []StatementLine{
		{N: 1, Date: "2026-03-02", Amount: d("100")},
		{N: 2, Date: "2026-03-03", Amount: d("100")},
		{N: 3, Date: "2026-03-20", Amount: d("-50")},
		{N: 4, Date: "2026-03-21", Amount: d("300")},
	}
	items := []BookItem{
		{Seq: 1, Date: "2026-03-01", Amount: d("100")},
		{Seq: 2, Date: "2026-03-10", Amount: d("-50")}, // 10 days off line 3: not proposed
		{Seq: 3, Date: "2026-03-20", Amount: d("100"), Ref: "receipt:R1"},
		{Seq: 4, Date: "2026-03-20", Amount: d("200"), Ref: "receipt:R2"},
	}
	props, taken := ProposeMatches(lines, items, true)
	if len(props) != 4 || !taken[0] || props[0].Candidates[0].Seq != 1 {
		t.Fatalf("line 1: %+v %v", props, taken)
	}
	if taken[1] || len(props[1].Candidates) != 0 {
		t.Errorf("line 2 took an item already taken: %+v", props[1])
	}
	if taken[2] || len(props[2].Candidates) != 0 {
		t.Errorf("line 3 matched outside the window: %+v", props[2])
	}
	if taken[3] || len(props[3].Batch) != 2 {
		t.Errorf("line 4 should propose the day's receipts as a batch: %+v", props[3])
	}
}

func TestReconcileBank_DepositInTransitAndBankCharge(t *testing.T) {
	lines := []StatementLine{
		{N: 1, Date: "2026-03-01", Amount: d("1000"), Balance: d("1000"), Entries: []int64{1}},
		{N: 2, Date: "2026-03-31", Amount: d("-5"), Balance: d("995")},
		{N: 3, Date: "2026-04-01", Amount: d("400"), Balance: d("1395"), Entries: []int64{2}},
	}
	items := []BookItem{
		{Seq: 1, Date: "2026-03-01", Amount: d("1000"), Line: 1},
		{Seq: 2, Date: "2026-03-31", Amount: d("400"), Line: 3},
		{Seq: 3, Date: "2026-03-31", Amount: d("-200")},
	}
	r, err := ReconcileBank("A", "2026-03", lines, items)
	if err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("%s %s %s/%s %s/%s %s %s %s", "1200", "995", "400", "200", "0", "5", "1195", "1195", "0")
	got := fmt.Sprintf("%s %s %s/%s %s/%s %s %s %s", r.BookBalance, r.BankBalance, r.BookNotBank.In, r.BookNotBank.Out, r.BankNotBook.In, r.BankNotBook.Out, r.AdjustedBook, r.AdjustedBank, r.Difference)
	if got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

// TestReconcileBank_AgreesWithAnIndependentModel draws random books and statements
// (matched pairs in and across month ends, book-only and bank-only items, an opening
// difference) and checks every figure against a plain recount.
func TestReconcileBank_AgreesWithAnIndependentModel(t *testing.T) {
	rng := rand.New(rand.NewSource(23))
	for round := 0; round < 300; round++ {
		var lines []StatementLine
		var items []BookItem
		opening := decimal.NewFromInt(int64(rng.Intn(3)) * 100)
		bal := opening
		var seq int64
		day := func() string { return fmt.Sprintf("2026-%02d-%02d", 3+rng.Intn(2), 1+rng.Intn(28)) }
		type ev struct {
			date, other string
			amt         decimal.Decimal
			kind        int // 0 both, 1 book only, 2 bank only
		}
		var evs []ev
		for i := 0; i < 3+rng.Intn(12); i++ {
			a := decimal.NewFromInt(int64(rng.Intn(2000) - 1000)).Div(decimal.NewFromInt(4)).Round(2)
			if a.IsZero() {
				a = d("1")
			}
			evs = append(evs, ev{day(), day(), a, rng.Intn(3)})
		}
		// statement in date order
		for i := range evs {
			for j := i + 1; j < len(evs); j++ {
				if evs[j].other < evs[i].other {
					evs[i], evs[j] = evs[j], evs[i]
				}
			}
		}
		for _, e := range evs {
			if e.kind != 2 {
				seq++
				items = append(items, BookItem{Seq: seq, Date: e.date, Amount: e.amt})
			}
			if e.kind != 1 {
				bal = bal.Add(e.amt)
				l := StatementLine{N: int64(len(lines) + 1), Date: e.other, Amount: e.amt, Balance: bal}
				if e.kind == 0 {
					l.Entries = []int64{seq}
					items[len(items)-1].Line = l.N
				}
				lines = append(lines, l)
			}
		}
		if len(lines) == 0 {
			continue
		}
		month := "2026-03"
		r, err := ReconcileBank("A", month, lines, items)
		if err != nil {
			t.Fatal(err)
		}
		// the model
		end := "2026-03-31"
		book, bank := decimal.Zero, lines[0].Balance.Sub(lines[0].Amount)
		var bookOnly, bankOnly decimal.Decimal
		var wantBook, wantBank, gotBook, gotBank []int64 // line for line
		lineDate := map[int64]string{}
		for _, l := range lines {
			lineDate[l.N] = l.Date
			if l.Date <= end {
				bank = l.Balance
			}
		}
		start := lines[0].Balance.Sub(lines[0].Amount)
		cutoff := "" // the opening balance holds unmatched items dated < cutoff
		for _, c := range []string{lines[0].Date, lines[0].Date + "~"} {
			pre := decimal.Zero
			for _, it := range items {
				if it.Line == 0 && it.Date < c {
					pre = pre.Add(it.Amount)
				}
			}
			if pre.Equal(start) {
				cutoff = c
				break
			}
		}
		for _, it := range items {
			if it.Date > end {
				continue
			}
			book = book.Add(it.Amount)
			cleared := it.Line != 0 && lineDate[it.Line] <= end
			before := it.Line == 0 && it.Date < cutoff
			if !cleared && !before {
				bookOnly = bookOnly.Add(it.Amount)
				wantBook = append(wantBook, it.Seq)
			}
		}
		itemDate := map[int64]string{}
		for _, it := range items {
			itemDate[it.Seq] = it.Date
		}
		for _, l := range lines {
			if l.Date <= end && (len(l.Entries) == 0 || itemDate[l.Entries[0]] > end) {
				bankOnly = bankOnly.Add(l.Amount)
				wantBank = append(wantBank, l.N)
			}
		}
		for _, it := range r.BookOnly {
			gotBook = append(gotBook, it.Seq)
		}
		for _, l := range r.BankOnly {
			gotBank = append(gotBank, l.N)
		}
		if fmt.Sprint(gotBook) != fmt.Sprint(wantBook) || fmt.Sprint(gotBank) != fmt.Sprint(wantBank) {
			t.Fatalf("round %d: items book-only %v bank-only %v, model %v %v", round, gotBook, gotBank, wantBook, wantBank)
		}
		if !r.BookBalance.Equal(book) || !r.BankBalance.Equal(bank) ||
			!r.BookNotBank.In.Sub(r.BookNotBank.Out).Equal(bookOnly) || !r.BankNotBook.In.Sub(r.BankNotBook.Out).Equal(bankOnly) ||
			!r.Difference.Equal(book.Add(bankOnly).Sub(bank.Add(bookOnly))) {
			t.Fatalf("round %d: got %+v; model book %s bank %s bookOnly %s bankOnly %s", round, r, book, bank, bookOnly, bankOnly)
		}
	}
}

func FuzzParseStatement(f *testing.F) {
	f.Add("交易日期,摘要,收入金额,支出金额,余额,对方户名,流水号\n2026-03-01,a,100,,100,x,1\n2026-03-02,b,,5,95,,2\n", "")
	f.Add("a\nb\n20260301,x,1,来账,1\n", "skip 2\nfields date,,amount,direction,balance\nin-marks 来账\n")
	f.Add("交易时间,交易金额,账户余额\n2026-03-01,-1.5,-1.5\n", "newest-first\n")
	f.Fuzz(func(t *testing.T, body, rulesText string) {
		rules, err := ParseBankRules(rulesText)
		if err != nil {
			return
		}
		st, err := ParseStatement("f.csv", csvRows(body), rules)
		if err != nil {
			return
		}
		for i, l := range st.Lines {
			if ValidDate(l.Date) != nil || l.Amount.IsZero() || !l.Amount.Equal(l.Amount.Round(2)) {
				t.Fatalf("bad line accepted: %+v", l)
			}
			if i > 0 && !st.Lines[i-1].Balance.Add(l.Amount).Equal(l.Balance) {
				t.Fatalf("balance does not run at %d", i)
			}
		}
	})
}

func TestUndepositedCash_FirstInFirstOutAgainstTheDays(t *testing.T) {
	items := []BookItem{
		{Seq: 1, Date: "2026-03-01", Amount: d("500")},
		{Seq: 2, Date: "2026-03-05", Amount: d("300")},
		{Seq: 3, Date: "2026-03-06", Amount: d("-600")}, // banked: the oldest cash goes first
		{Seq: 4, Date: "2026-03-20", Amount: d("100")},
	}
	for _, c := range []struct {
		asOf   string
		days   int
		amount string
		since  string
	}{
		{"2026-03-21", 7, "200", "2026-03-05"}, // 300 received on the 5th, 200 of it still held
		{"2026-03-21", 20, "", ""},
		{"2026-03-04", 2, "500", "2026-03-01"},
		{"2026-04-30", 7, "300", "2026-03-05"},
		{"2026-04-30", 0, "", ""},
	} {
		w, ok := UndepositedCash(FundPublic, items, c.asOf, c.days)
		if ok != (c.amount != "") || (ok && (!w.Amount.Equal(d(c.amount)) || w.Since != c.since)) {
			t.Errorf("%s/%d: %+v %v, want %s since %s", c.asOf, c.days, w, ok, c.amount, c.since)
		}
	}
}

func TestReconcileBank_TheOpeningBalanceHoldsTheBooksBeforeTheStatement(t *testing.T) {
	lines := []StatementLine{{N: 1, Date: "2026-01-01", Amount: d("100"), Balance: d("10100"), Entries: []int64{2}}}
	for _, c := range []struct {
		name, openDate, diff, bookOnly string
	}{
		{"opening entry before the statement", "2025-12-31", "0", "0"},
		{"opening entry on the first line's day", "2026-01-01", "0", "0"},
		{"the bank's opening balance is not the book's", "", "-10000", "0"},
	} {
		items := []BookItem{{Seq: 2, Date: "2026-01-01", Amount: d("100"), Line: 1}}
		if c.openDate != "" {
			items = append(items, BookItem{Seq: 1, Date: c.openDate, Amount: d("10000")})
		}
		r, err := ReconcileBank("A", "2026-01", lines, items)
		if err != nil || !r.Difference.Equal(d(c.diff)) || !r.BookNotBank.In.Equal(d(c.bookOnly)) {
			t.Errorf("%s: %+v %v", c.name, r, err)
		}
	}
	// An unmatched item that is not the opening balance is in transit.
	items := []BookItem{{Seq: 1, Date: "2025-12-31", Amount: d("10000")}, {Seq: 2, Date: "2026-01-01", Amount: d("100"), Line: 1}, {Seq: 3, Date: "2025-12-31", Amount: d("50")}}
	r, _ := ReconcileBank("A", "2026-01", lines, items)
	if !r.BookNotBank.In.Equal(d("10050")) || !r.Difference.Equal(d("-10000")) {
		t.Errorf("in transit before the statement: %+v", r)
	}
}
