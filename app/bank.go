package app

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// The books meet the bank (docs/bank.md): a bank account's statement is imported line by
// line, each line is matched to the journal entries that moved the same account, and a
// month's reconciliation (银行存款余额调节表) explains the book balance against the bank's.

// StatementLine is one line of a bank statement as imported. Amount is signed from the
// book's side: money into the account (收入/贷方) is positive, money out negative, the
// same sign a journal posting to the bank account has.
type StatementLine struct {
	N            int64           `json:"n"` // the line's number among the account's imported lines (1, 2, 3…)
	Date         string          `json:"date"`
	ValueDate    string          `json:"value_date,omitempty"`
	Description  string          `json:"description,omitempty"`
	Amount       decimal.Decimal `json:"amount"`
	Balance      decimal.Decimal `json:"balance"`
	Counterparty string          `json:"counterparty,omitempty"` // stays on the laptop: never in a snapshot or notice
	Serial       string          `json:"serial,omitempty"`
	Row          int             `json:"row,omitempty"` // the row of the file it came from (1-based)
	// Entries are the journal entries the treasurer matched the line to (their amounts
	// add up to the line's); none while the line is unmatched.
	Entries   []int64 `json:"entries,omitempty"`
	MatchedBy string  `json:"matched_by,omitempty"`
}

// In is what the line paid into the account (0 for money out).
func (l StatementLine) In() decimal.Decimal {
	if l.Amount.IsPositive() {
		return l.Amount
	}
	return decimal.Zero
}

// Out is what the line paid out of the account, as a positive amount (0 for money in).
func (l StatementLine) Out() decimal.Decimal {
	if l.Amount.IsNegative() {
		return l.Amount.Neg()
	}
	return decimal.Zero
}

// DedupKey is what tells a line already imported from a new one: the bank's serial
// number, else the date, amount and balance after it.
func (l StatementLine) DedupKey() string {
	if s := strings.TrimSpace(l.Serial); s != "" {
		return "serial " + s
	}
	return "line " + l.Date + " " + PlainAmount(l.Amount) + " " + PlainAmount(l.Balance)
}

// BankField is a column a statement's line is read from.
type BankField string

// The fields of a statement line.
const (
	FieldDate         BankField = "date"
	FieldValueDate    BankField = "value-date"
	FieldDescription  BankField = "description"
	FieldIn           BankField = "in"
	FieldOut          BankField = "out"
	FieldAmount       BankField = "amount"
	FieldDirection    BankField = "direction"
	FieldBalance      BankField = "balance"
	FieldCounterparty BankField = "counterparty"
	FieldSerial       BankField = "serial"
)

var bankFields = []BankField{FieldDate, FieldValueDate, FieldDescription, FieldIn, FieldOut, FieldAmount, FieldDirection, FieldBalance, FieldCounterparty, FieldSerial}

// defaultHeaders are the column names Chinese banks' online banking exports use, by
// field, tried in order (a header equal to one of them after the unit "(元)" is removed).
var defaultHeaders = map[BankField][]string{
	FieldDate:         {"交易日期", "交易时间", "日期", "记账日期"},
	FieldValueDate:    {"记账日期", "起息日", "起息日期"},
	FieldDescription:  {"摘要", "用途", "交易摘要", "附言", "备注"},
	FieldIn:           {"收入金额", "贷方发生额", "贷方金额", "收入", "存入金额", "存入"},
	FieldOut:          {"支出金额", "借方发生额", "借方金额", "支出", "支取金额", "支取"},
	FieldAmount:       {"金额", "交易金额", "发生额"},
	FieldDirection:    {"借贷标志", "收支标志", "借贷方向"},
	FieldBalance:      {"余额", "账户余额", "联机余额", "交易后余额"},
	FieldCounterparty: {"对方户名", "对方账户名称", "对方名称", "对方账户名"},
	FieldSerial:       {"流水号", "交易流水号", "交易流水", "交易序号"},
}

// BankRules are how a statement's columns are read when its layout is not one the
// built-in header names cover: the rules file of `bank import --rules` (docs/bank.md).
type BankRules struct {
	Skip          int                    // rows before the data (with Fields) or before the header
	Fields        []BankField            // the columns by position ("" = ignored): no header row
	Headers       map[BankField][]string // extra header names, tried before the built-in ones
	AccountNumber string                 // the account number the statement must name
	InMarks       []string               // direction values that mean money in
	OutMarks      []string               // direction values that mean money out
	NewestFirst   bool                   // lines listed newest first
}

// ParseBankRules reads a rules file. Each line is a directive; '#' starts a comment:
//
//	skip 3
//	fields date, , description, out, in, balance, counterparty, serial
//	date 交易时间            (FIELD HEADER: the column headed HEADER holds FIELD)
//	direction 借贷标志       (with amount: which way the money went)
//	in-marks 贷, 收          (direction values meaning money in; out-marks likewise)
//	account-number 6222 0210 0101 2345
//	newest-first
func ParseBankRules(text string) (BankRules, error) {
	r := BankRules{Headers: map[BankField][]string{}}
	if len(text) > 64<<10 {
		return r, Errorf(EINVALID, "规则文件太大（最多 64 KB）；没有导入任何内容", "the rules file is too large (at most 64 KB); nothing was imported")
	}
	for i, raw := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		line := raw
		if k := strings.IndexByte(line, '#'); k >= 0 {
			line = line[:k]
		}
		line = strings.TrimSpace(strings.TrimPrefix(line, "\ufeff"))
		if line == "" {
			continue
		}
		word, rest, _ := strings.Cut(line, " ")
		rest = strings.TrimSpace(rest)
		bad := func(zh, en string) error {
			return Errorf(EINVALID, "规则文件第 %d 行（%s）：%s；没有导入任何内容", "rules file line %d (%s): %s; nothing was imported", i+1, line, T(zh, en))
		}
		switch word {
		case "skip":
			n, err := strconv.Atoi(rest)
			if err != nil || n < 0 || n > 1000 {
				return r, bad("skip 后应为 0 到 1000 的行数", "skip takes a number of rows from 0 to 1000")
			}
			r.Skip = n
		case "fields":
			if len(r.Fields) > 0 {
				return r, bad("fields 只能写一次", "fields may appear once")
			}
			for _, f := range strings.Split(rest, ",") {
				f = strings.TrimSpace(f)
				if f != "" && !validField(BankField(f)) {
					return r, bad("未知的字段 "+f, "unknown field "+f)
				}
				r.Fields = append(r.Fields, BankField(f))
			}
			if len(r.Fields) > 200 {
				return r, bad("列太多", "too many columns")
			}
		case "account-number":
			r.AccountNumber = digits(rest)
			if r.AccountNumber == "" {
				return r, bad("account-number 后应为账号", "account-number takes the account number")
			}
		case "in-marks", "out-marks":
			var marks []string
			for _, m := range strings.Split(rest, ",") {
				if m = strings.TrimSpace(m); m != "" {
					marks = append(marks, m)
				}
			}
			if len(marks) == 0 {
				return r, bad(word+" 后应为逗号分隔的标志", word+" takes comma-separated marks")
			}
			if word == "in-marks" {
				r.InMarks = marks
			} else {
				r.OutMarks = marks
			}
		case "newest-first":
			r.NewestFirst = true
		default:
			if !validField(BankField(word)) {
				return r, bad("未知的指令 "+word+"（可用 skip、fields、account-number、in-marks、out-marks、newest-first 或字段名）",
					"unknown directive "+word+" (use skip, fields, account-number, in-marks, out-marks, newest-first or a field name)")
			}
			if rest == "" {
				return r, bad("字段后应为列名", "a field name takes a column header")
			}
			r.Headers[BankField(word)] = append(r.Headers[BankField(word)], rest)
		}
	}
	return r, nil
}

func validField(f BankField) bool {
	for _, x := range bankFields {
		if x == f {
			return true
		}
	}
	return false
}

func digits(s string) string {
	var b strings.Builder
	for _, c := range s {
		if c >= '0' && c <= '9' {
			b.WriteRune(c)
		}
	}
	return b.String()
}

// Statement is a parsed statement file: its lines oldest first and the account number
// it names above its table ("" if none).
type Statement struct {
	AccountNumber string
	Lines         []StatementLine
}

// MaxStatementLines bounds one statement file.
const MaxStatementLines = 100_000

var (
	defaultInMarks  = []string{"贷", "收", "收入", "存入", "C", "CR", "+"}
	defaultOutMarks = []string{"借", "支", "支出", "支取", "D", "DR", "-"}
	accountNoRe     = regexp.MustCompile(`(账号|账户|卡号)[^0-9]{0,8}([0-9][0-9 \-]{7,40})`)
)

// ParseStatement reads a statement's rows (as sheet.Read returns them) by the rules
// (zero rules = the built-in header names): all or nothing, the first bad row named by
// its number in the file, and the running balance checked line by line.
func ParseStatement(name string, rows [][]string, rules BankRules) (Statement, error) {
	var st Statement
	fail := func(row int, zh, en string, args ...any) error {
		return Errorf(EINVALID, "%s 第 %d 行："+zh+"；没有导入任何内容", "%s row %d: "+en+"; nothing was imported", append([]any{name, row}, args...)...)
	}
	col := map[BankField]int{}
	start := rules.Skip
	if len(rules.Fields) > 0 {
		for i, f := range rules.Fields {
			if f != "" {
				if _, dup := col[f]; dup {
					return st, Errorf(EINVALID, "规则文件的 fields 把 %s 写了两次；没有导入任何内容", "the rules' fields name %s twice; nothing was imported", f)
				}
				col[f] = i
			}
		}
	} else {
		h := -1
		for i := rules.Skip; i < len(rows) && i < rules.Skip+40; i++ {
			if c, ok := bankHeaderColumns(rows[i], rules); ok {
				h, col = i, c
				break
			}
		}
		if h < 0 {
			return st, Errorf(EINVALID, "%s 里找不到表头：需要日期（交易日期）、余额，以及收入/支出（或带符号的金额）列。请用 --rules 指定列（见 docs/bank.md）；没有导入任何内容",
				"%s: no header row found: a statement needs a date (交易日期), a balance (余额) and in/out (or a signed amount) column. Map its columns with --rules (docs/bank.md); nothing was imported", name)
		}
		for _, cell := range rows[h] {
			if strings.Contains(cell, "万元") {
				return st, fail(h+1, "金额单位是万元：请导出以元为单位的对账单", "amounts are in 万元 (ten thousands): export the statement in yuan")
			}
		}
		start = h + 1
	}
	if err := checkColumns(col); err != nil {
		return st, err
	}
	for i := 0; i < start && i < len(rows); i++ {
		if m := accountNoRe.FindStringSubmatch(strings.Join(rows[i], " ")); m != nil && st.AccountNumber == "" {
			st.AccountNumber = digits(m[2])
		}
	}
	if rules.AccountNumber != "" && st.AccountNumber != "" && st.AccountNumber != rules.AccountNumber {
		return st, Errorf(EINVALID, "%s 是账号 %s 的对账单，不是规则文件写的 %s；没有导入任何内容", "%s is the statement of account %s, not %s as the rules say; nothing was imported", name, st.AccountNumber, rules.AccountNumber)
	}
	inMarks, outMarks := defaultInMarks, defaultOutMarks
	if len(rules.InMarks) > 0 {
		inMarks = rules.InMarks
	}
	if len(rules.OutMarks) > 0 {
		outMarks = rules.OutMarks
	}
	cell := func(row []string, f BankField) string {
		if i, ok := col[f]; ok && i < len(row) {
			return strings.TrimSpace(row[i])
		}
		return ""
	}
	for i := start; i < len(rows); i++ {
		row, n := rows[i], i+1
		if blankRow(row) {
			continue
		}
		if first := firstCell(row); strings.HasPrefix(first, "合计") || strings.HasPrefix(first, "总计") || strings.HasPrefix(first, "本页合计") {
			break
		}
		if len(st.Lines) == MaxStatementLines {
			return st, Errorf(EINVALID, "%s 超过 %d 行：请按月或按季度分开导出；没有导入任何内容", "%s has more than %d lines: export it month by month; nothing was imported", name, MaxStatementLines)
		}
		var l StatementLine
		l.Row = n
		var err error
		if l.Date, err = parseBankDate(cell(row, FieldDate)); err != nil {
			return st, fail(n, "交易日期 %q 无法识别", "the date %q is not a date", cell(row, FieldDate))
		}
		if v := cell(row, FieldValueDate); v != "" {
			if l.ValueDate, err = parseBankDate(v); err != nil {
				return st, fail(n, "记账日期 %q 无法识别", "the value date %q is not a date", v)
			}
		}
		if _, ok := col[FieldAmount]; ok {
			a, err := parseBankAmount(cell(row, FieldAmount))
			if err != nil || a.IsZero() {
				return st, fail(n, "金额 %q 不是有效的非零金额", "the amount %q is not a non-zero amount", cell(row, FieldAmount))
			}
			if _, dir := col[FieldDirection]; dir {
				d := cell(row, FieldDirection)
				switch {
				case hasMark(inMarks, d):
					a = a.Abs()
				case hasMark(outMarks, d):
					a = a.Abs().Neg()
				default:
					return st, fail(n, "借贷标志 %q 无法识别（可在规则文件里用 in-marks/out-marks 说明）", "the direction %q is not known (name it with in-marks/out-marks in the rules)", d)
				}
			}
			l.Amount = a
		} else {
			in, errIn := parseBankAmountOrZero(cell(row, FieldIn))
			out, errOut := parseBankAmountOrZero(cell(row, FieldOut))
			if errIn != nil || errOut != nil || in.IsNegative() || out.IsNegative() {
				return st, fail(n, "收入 %q 或支出 %q 不是有效的金额", "in %q or out %q is not a valid amount", cell(row, FieldIn), cell(row, FieldOut))
			}
			if in.IsZero() == out.IsZero() {
				return st, fail(n, "收入和支出应有且只有一个不为零（收入 %q，支出 %q）", "exactly one of in and out must be non-zero (in %q, out %q)", cell(row, FieldIn), cell(row, FieldOut))
			}
			l.Amount = in.Sub(out)
		}
		if l.Amount.Abs().GreaterThan(MaxPosting) {
			return st, fail(n, "金额 %s 超过上限 %s", "the amount %s is over the limit %s", PlainAmount(l.Amount.Abs()), PlainAmount(MaxPosting))
		}
		if l.Balance, err = parseBankAmount(cell(row, FieldBalance)); err != nil {
			return st, fail(n, "余额 %q 不是有效的金额", "the balance %q is not a valid amount", cell(row, FieldBalance))
		}
		l.Description = clip(cell(row, FieldDescription), 200)
		if h, ok := col[FieldDescription]; ok && len(rules.Fields) == 0 {
			// 摘要 and 用途 side by side: keep both.
			for _, extra := range []string{"用途", "附言"} {
				if j := findHeader(rowsHeader(rows, start), extra); j >= 0 && j != h && j < len(row) && strings.TrimSpace(row[j]) != "" {
					l.Description = clip(strings.TrimSpace(l.Description+" "+strings.TrimSpace(row[j])), 200)
				}
			}
		}
		l.Counterparty = clip(cell(row, FieldCounterparty), 100)
		l.Serial = clip(cell(row, FieldSerial), 64)
		st.Lines = append(st.Lines, l)
	}
	if len(st.Lines) == 0 {
		return st, Errorf(EINVALID, "%s 里没有对账单行；没有导入任何内容", "%s holds no statement lines; nothing was imported", name)
	}
	reverse := func() {
		for i, j := 0, len(st.Lines)-1; i < j; i, j = i+1, j-1 {
			st.Lines[i], st.Lines[j] = st.Lines[j], st.Lines[i]
		}
	}
	if rules.NewestFirst || newestFirst(st.Lines) {
		reverse()
	}
	err := runs(name, st.Lines)
	if err != nil && !rules.NewestFirst && !newestFirst(st.Lines) {
		// Lines of one day listed newest first: the balance runs the other way.
		reverse()
		if runs(name, st.Lines) == nil {
			return st, nil
		}
		reverse()
	}
	return st, err
}

// runs checks that the lines are in date order and that each balance is the previous
// one plus the line's amount, naming the first row where either breaks.
func runs(name string, ls []StatementLine) error {
	fail := func(row int, zh, en string, args ...any) error {
		return Errorf(EINVALID, "%s 第 %d 行："+zh+"；没有导入任何内容", "%s row %d: "+en+"; nothing was imported", append([]any{name, row}, args...)...)
	}
	for i := 1; i < len(ls); i++ {
		p, l := ls[i-1], ls[i]
		if l.Date < p.Date {
			return fail(l.Row, "日期 %s 早于上一行的 %s：对账单应按时间顺序排列", "the date %s is before the previous line's %s: a statement runs in date order", l.Date, p.Date)
		}
		if want := p.Balance.Add(l.Amount); !want.Equal(l.Balance) {
			return fail(l.Row, "余额对不上：上一行余额 %s 加本行 %s 应为 %s，表中是 %s（缺行或余额有误）",
				"the balance does not run: the previous balance %s plus %s makes %s, the statement says %s (a missing line or a wrong balance)",
				PlainAmount(p.Balance), PlainAmount(l.Amount), PlainAmount(want), PlainAmount(l.Balance))
		}
	}
	return nil
}

func rowsHeader(rows [][]string, start int) []string {
	if start >= 1 && start-1 < len(rows) {
		return rows[start-1]
	}
	return nil
}

func findHeader(header []string, name string) int {
	for i, h := range header {
		if cleanHeader(h) == name {
			return i
		}
	}
	return -1
}

// newestFirst tells a statement listed newest first (as some banks export it): its
// dates run backwards overall.
func newestFirst(ls []StatementLine) bool {
	if len(ls) < 2 || ls[0].Date <= ls[len(ls)-1].Date {
		return false
	}
	return true
}

func hasMark(marks []string, v string) bool {
	for _, m := range marks {
		if strings.EqualFold(m, v) {
			return true
		}
	}
	return false
}

func clip(s string, n int) string {
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, s)
	if r := []rune(s); len(r) > n {
		return string(r[:n])
	}
	return s
}

func blankRow(row []string) bool {
	for _, c := range row {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

func firstCell(row []string) string {
	for _, c := range row {
		if c = strings.TrimSpace(c); c != "" {
			return c
		}
	}
	return ""
}

func cleanHeader(h string) string {
	h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
	for _, unit := range []string{"(元)", "（元）", "(人民币)", "（人民币）", "(CNY)", "（CNY）"} {
		h = strings.TrimSuffix(h, unit)
	}
	return strings.TrimSpace(h)
}

// bankHeaderColumns recognises a header row: the column of every field it names, if it
// names at least a date, a balance and the amounts.
func bankHeaderColumns(row []string, rules BankRules) (map[BankField]int, bool) {
	col := map[BankField]int{}
	for _, f := range bankFields {
		names := append(append([]string(nil), rules.Headers[f]...), defaultHeaders[f]...)
	name:
		for _, name := range names {
			for i, h := range row {
				h = cleanHeader(h)
				if strings.Contains(h, "万元") {
					h = strings.TrimSpace(strings.NewReplacer("(万元)", "", "（万元）", "").Replace(h))
				}
				if h != name {
					continue
				}
				taken := false
				for _, j := range col {
					taken = taken || j == i
				}
				if !taken {
					col[f] = i
					break name
				}
			}
		}
	}
	_, date := col[FieldDate]
	_, bal := col[FieldBalance]
	_, in := col[FieldIn]
	_, out := col[FieldOut]
	_, amt := col[FieldAmount]
	if in && out {
		delete(col, FieldAmount)
	}
	return col, date && bal && ((in && out) || amt)
}

func checkColumns(col map[BankField]int) error {
	_, date := col[FieldDate]
	_, bal := col[FieldBalance]
	_, in := col[FieldIn]
	_, out := col[FieldOut]
	_, amt := col[FieldAmount]
	if !date || !bal || !(amt || (in && out)) || (amt && (in || out)) {
		return Errorf(EINVALID, "对账单需要 date、balance 两列，以及 in 和 out 两列或一个带符号的 amount 列（二者只能选一）；没有导入任何内容",
			"a statement needs date and balance columns, and either in and out or one signed amount column (not both); nothing was imported")
	}
	return nil
}

var bankDateLayouts = []string{DateLayout, "2006/01/02", "2006.01.02", "20060102", "2006-1-2", "2006/1/2", "2006.1.2", "2006年1月2日", "2006年01月02日"}

// parseBankDate reads the dates banks write (2026-03-05, 2026/3/5, 20260305,
// 2026年3月5日), with or without a time after them, as YYYY-MM-DD.
func parseBankDate(s string) (string, error) {
	s = strings.TrimSpace(s)
	if i := strings.IndexAny(s, " T"); i > 0 {
		s = s[:i]
	}
	for _, layout := range bankDateLayouts {
		if t, err := time.Parse(layout, s); err == nil && t.Year() >= 1990 && t.Year() <= 2200 {
			return t.Format(DateLayout), nil
		}
	}
	return "", Errorf(EINVALID, "日期 %q 无法识别", "the date %q is not a date", s)
}

// parseBankAmount reads an amount as a bank writes it: an optional sign, thousands
// separators, a ¥ or RMB in front, at most 2 decimals.
func parseBankAmount(s string) (decimal.Decimal, error) {
	s = strings.NewReplacer(",", "", "，", "", " ", "", "¥", "", "￥", "", "RMB", "", "CNY", "", "元", "").Replace(strings.TrimSpace(s))
	bad := Errorf(EINVALID, "金额 %q 无效", "the amount %q is not valid", s)
	if s == "" || len(s) > 24 {
		return decimal.Zero, bad
	}
	body := strings.TrimLeft(s, "+-")
	if len(s)-len(body) > 1 || body == "" {
		return decimal.Zero, bad
	}
	intPart, frac, dot := strings.Cut(body, ".")
	if intPart == "" || (dot && (frac == "" || len(frac) > 2)) {
		return decimal.Zero, bad
	}
	for _, c := range intPart + frac {
		if c < '0' || c > '9' {
			return decimal.Zero, bad
		}
	}
	d, err := decimal.NewFromString(s)
	if err != nil || d.Abs().GreaterThan(MaxPosting.Mul(decimal.NewFromInt(1000))) {
		return decimal.Zero, bad
	}
	return d, nil
}

func parseBankAmountOrZero(s string) (decimal.Decimal, error) {
	s = strings.TrimSpace(s)
	if s == "" || s == "-" || s == "--" {
		return decimal.Zero, nil
	}
	return parseBankAmount(s)
}

// BookItem is one journal entry's movement of a bank account, as matching and the
// reconciliation see it.
type BookItem struct {
	Seq         int64           `json:"seq"`
	Date        string          `json:"date"`
	Amount      decimal.Decimal `json:"amount"` // the entry's posting to the account: + in, − out
	Ref         string          `json:"ref,omitempty"`
	Description string          `json:"description"`
	Line        int64           `json:"line,omitempty"` // the statement line it is matched to, 0 if none
}

// MatchWindowDays is how far apart a statement line's and a book item's dates may be
// for bank match to propose them to each other.
const MatchWindowDays = 7

func daysApart(a, b string) int {
	ta, err1 := time.Parse(DateLayout, a)
	tb, err2 := time.Parse(DateLayout, b)
	if err1 != nil || err2 != nil {
		return 1 << 30
	}
	d := int(ta.Sub(tb).Hours() / 24)
	if d < 0 {
		d = -d
	}
	return d
}

// MatchProposal is what matching found for one unmatched statement line: the book items
// of the same amount and direction within the window, or (Batch) the receipts of one day
// that add up to a settlement credit.
type MatchProposal struct {
	Line       StatementLine `json:"line"`
	Candidates []BookItem    `json:"candidates,omitempty"`
	Batch      []BookItem    `json:"batch,omitempty"`
}

// Exact is the one item the line matches without doubt: exactly one candidate, or of
// several exactly one whose document id (a deposit slip, a receipt or expense number)
// the line's description or serial names.
func (p MatchProposal) Exact() (BookItem, bool) {
	if len(p.Candidates) == 1 {
		return p.Candidates[0], true
	}
	var hit []BookItem
	for _, c := range p.Candidates {
		if _, id := ParseRef(c.Ref); c.Ref != "" && id != "" && id != c.Ref &&
			(strings.Contains(p.Line.Description, id) || strings.Contains(p.Line.Serial, id)) {
			hit = append(hit, c)
		}
	}
	if len(hit) == 1 {
		return hit[0], true
	}
	return BookItem{}, false
}

// ProposeMatches walks the unmatched lines in order and proposes for each the unmatched
// items it could be. With auto, a line with an exact match takes its item at once, so a
// later line no longer sees it; the items taken are returned as the proposals' single
// candidates with taken true.
func ProposeMatches(lines []StatementLine, items []BookItem, auto bool) (props []MatchProposal, taken []bool) {
	used := map[int64]bool{}
	byAmount := map[string][]BookItem{} // items by amount, in journal order
	receipts := map[string][]BookItem{} // fee receipts and incomes by day, for batches
	for _, it := range items {
		if it.Line != 0 {
			used[it.Seq] = true
			continue
		}
		byAmount[PlainAmount(it.Amount)] = append(byAmount[PlainAmount(it.Amount)], it)
		if k, _ := ParseRef(it.Ref); (k == DocReceipt || k == DocIncome) && it.Amount.IsPositive() {
			receipts[it.Date] = append(receipts[it.Date], it)
		}
	}
	for _, l := range lines {
		if len(l.Entries) > 0 {
			continue
		}
		p := MatchProposal{Line: l}
		for _, it := range byAmount[PlainAmount(l.Amount)] {
			if !used[it.Seq] && daysApart(it.Date, l.Date) <= MatchWindowDays {
				p.Candidates = append(p.Candidates, it)
			}
		}
		if one, ok := p.Exact(); ok && auto {
			used[one.Seq] = true
			p.Candidates = []BookItem{one}
			props, taken = append(props, p), append(taken, true)
			continue
		}
		if len(p.Candidates) == 0 && l.Amount.IsPositive() {
			p.Batch = batchFor(l, receipts, used)
			for _, it := range p.Batch {
				used[it.Seq] = true // proposed to this line: not to another
			}
		}
		props, taken = append(props, p), append(taken, false)
	}
	return props, taken
}

// batchFor finds the receipts (fee receipts and incomes) of one day, up to 3 days before
// the line, whose sum is the line's credit: a WeChat/Alipay settlement pays a day's
// receipts in one sum.
func batchFor(l StatementLine, receipts map[string][]BookItem, used map[int64]bool) []BookItem {
	t, err := time.Parse(DateLayout, l.Date)
	if err != nil {
		return nil
	}
	for d := 0; d <= 3; d++ {
		var its []BookItem
		sum := decimal.Zero
		for _, it := range receipts[t.AddDate(0, 0, -d).Format(DateLayout)] {
			if !used[it.Seq] {
				its = append(its, it)
				sum = sum.Add(it.Amount)
			}
		}
		if len(its) >= 2 && sum.Equal(l.Amount) {
			return its
		}
	}
	return nil
}

// Reconciliation is a bank account's reconciliation statement (银行存款余额调节表) at a
// month's end. BookNotBank are items the books hold and the bank has not yet shown
// (deposits in transit, payments not yet cleared); BankNotBook lines the bank shows and
// the books lack (interest, charges). AdjustedBook = book + bank-only in − bank-only
// out; AdjustedBank = bank + book-only in − book-only out; a Difference other than 0 is
// unexplained.
type Reconciliation struct {
	Account      string          `json:"account"`
	Period       string          `json:"period"`
	BookBalance  decimal.Decimal `json:"book_balance"`
	BankBalance  decimal.Decimal `json:"bank_balance"`
	BookNotBank  InOut           `json:"book_not_bank"`
	BankNotBook  InOut           `json:"bank_not_book"`
	AdjustedBook decimal.Decimal `json:"adjusted_book"`
	AdjustedBank decimal.Decimal `json:"adjusted_bank"`
	Difference   decimal.Decimal `json:"difference"`
	// The items behind the figures, for the printed statement.
	BookOnly []BookItem      `json:"-"`
	BankOnly []StatementLine `json:"-"`
}

// InOut is money in and money out, both positive.
type InOut struct {
	In  decimal.Decimal `json:"in"`
	Out decimal.Decimal `json:"out"`
}

func (io *InOut) add(a decimal.Decimal) {
	if a.IsPositive() {
		io.In = io.In.Add(a)
	} else {
		io.Out = io.Out.Sub(a)
	}
}

// MonthEnd is the last day of month YYYY-MM.
func MonthEnd(month string) string {
	t, err := time.Parse("2006-01", month)
	if err != nil {
		return month + "-31"
	}
	return t.AddDate(0, 1, -1).Format(DateLayout)
}

// ParseReconcilePeriod reads a reconciliation's period: a month YYYY-MM, or a quarter
// YYYYQn / YYYY-Qn, which is its last month.
func ParseReconcilePeriod(s string) (string, error) {
	s = strings.ToUpper(strings.TrimSpace(s))
	if y, q, ok := strings.Cut(strings.Replace(s, "-Q", "Q", 1), "Q"); ok && len(y) == 4 && len(q) == 1 && q >= "1" && q <= "4" {
		n, _ := strconv.Atoi(q)
		s = y + "-" + strconv.Itoa(100 + 3*n)[1:]
	}
	return ParseMonth(s)
}

// ReconcileBank draws up the reconciliation of an account at the end of month from its
// imported lines (oldest first) and every book item of the account. The items dated
// before the first imported line (else up to its day) that no line claims are the
// statement's opening balance when they add up to it (the statement starts after them);
// otherwise they are items the bank has not shown. ENOTFOUND if no line was imported.
func ReconcileBank(account, month string, lines []StatementLine, items []BookItem) (Reconciliation, error) {
	r := Reconciliation{Account: account, Period: month}
	if len(lines) == 0 {
		return r, Errorf(ENOTFOUND, "科目 %s 还没有导入过银行对账单（bank import）", "no bank statement has been imported for %s (bank import)", account)
	}
	end := MonthEnd(month)
	first := lines[0]
	r.BankBalance = first.Balance.Sub(first.Amount) // the opening balance, if no line is in by the end
	dated := map[int64]string{}
	for _, it := range items {
		dated[it.Seq] = it.Date
	}
	// The items matched to each line, found once (not by a pass over every item for each
	// line: a book's bank account has a hundred thousand items in ten years).
	onLine := map[int64][]BookItem{}
	for _, it := range items {
		if it.Line != 0 {
			onLine[it.Line] = append(onLine[it.Line], it)
		}
	}
	lineDate := map[int64]string{}
	for _, l := range lines {
		lineDate[l.N] = l.Date
		if l.Date > end {
			continue
		}
		r.BankBalance = l.Balance
		residual := l.Amount
		byItem := map[int64]decimal.Decimal{}
		for _, it := range onLine[l.N] {
			byItem[it.Seq] = byItem[it.Seq].Add(it.Amount)
		}
		for _, seq := range l.Entries {
			if d, ok := dated[seq]; ok && d <= end {
				residual = residual.Sub(byItem[seq])
				delete(byItem, seq)
			}
		}
		if !residual.IsZero() {
			r.BankNotBook.add(residual)
			ll := l
			ll.Amount = residual
			r.BankOnly = append(r.BankOnly, ll)
		}
	}
	// The opening balance holds the unmatched items dated before the first line, or else
	// those dated up to its day, whichever add up to it.
	var before func(it BookItem) bool
	for _, onDay := range []bool{false, true} {
		in := func(it BookItem) bool {
			return it.Line == 0 && (it.Date < first.Date || onDay && it.Date == first.Date)
		}
		pre := decimal.Zero
		for _, it := range items {
			if in(it) {
				pre = pre.Add(it.Amount)
			}
		}
		if pre.Equal(first.Balance.Sub(first.Amount)) {
			before = in
			break
		}
	}
	opened := before != nil
	for _, it := range items {
		if it.Date > end {
			continue
		}
		r.BookBalance = r.BookBalance.Add(it.Amount)
		if it.Line != 0 && lineDate[it.Line] != "" && lineDate[it.Line] <= end {
			continue
		}
		if opened && before(it) {
			continue // the statement's opening balance holds it
		}
		r.BookNotBank.add(it.Amount)
		r.BookOnly = append(r.BookOnly, it)
	}
	r.AdjustedBook = r.BookBalance.Add(r.BankNotBook.In).Sub(r.BankNotBook.Out)
	r.AdjustedBank = r.BankBalance.Add(r.BookNotBank.In).Sub(r.BookNotBank.Out)
	r.Difference = r.AdjustedBook.Sub(r.AdjustedBank)
	return r, nil
}

// ParseBankAccount reads a bank account as typed: an account name, or a fund's name
// (service, public, maintenance, or the Chinese) for that fund's bank account.
func ParseBankAccount(s string) string {
	s = strings.TrimSpace(s)
	if f, err := ParseFund(s); err == nil && !strings.Contains(s, ":") {
		return BankAccount(f)
	}
	return s
}

// BookLineAgainst proposes the account to book a statement line the books lack against
// (bank post): the fund's interest income for interest (息), its other costs for money
// out, when the chart has them; otherwise none, the caller's placeholder.
func BookLineAgainst(bank string, l StatementLine, chart []Account, none string) string {
	f := Account{Name: bank}.Fund()
	want := ""
	switch {
	case l.Amount.IsPositive() && strings.Contains(l.Description, "息"):
		want = AccountName(TypeIncome, f, "利息")
	case l.Amount.IsNegative():
		want = AccountName(TypeExpense, f, "其他费用")
	}
	for _, a := range chart {
		if a.Name == want {
			return want
		}
	}
	return none
}

// BankAccounts are the bank accounts of a chart: its assets named for a bank (银行).
func BankAccounts(chart []Account) []string {
	var out []string
	for _, a := range chart {
		if a.Type() == TypeAsset && strings.Contains(a.Name, "银行") {
			out = append(out, a.Name)
		}
	}
	return out
}

// BankImport is what one import did.
type BankImport struct {
	Account       string `json:"account"`
	Lines         int    `json:"lines"`   // lines in the file
	Added         int    `json:"added"`   // new lines stored
	Skipped       int    `json:"skipped"` // lines already imported
	AccountNumber string `json:"account_number,omitempty"`
	From          string `json:"from,omitempty"`
	To            string `json:"to,omitempty"`
}

// FoldBookItems is BookItemsFrom made from every item of the account (BookItems): the
// items dated before from and matched to no line are folded into one opening item, and
// those after to or beyond entry upTo (upTo > 0) are left out. A from after to is taken
// as the first of to's month, so that the opening item is dated before to.
func FoldBookItems(all []BookItem, from, to string, upTo int64) []BookItem {
	if to < from && len(to) >= 7 { // the opening item is dated before to
		from = to[:7] + "-01"
	}
	opening := decimal.Zero
	var out []BookItem
	for _, it := range all {
		switch {
		case upTo > 0 && it.Seq > upTo, it.Date > to:
		case it.Date < from && it.Line == 0:
			opening = opening.Add(it.Amount)
		default:
			out = append(out, it)
		}
	}
	if opening.IsZero() {
		return out
	}
	return append([]BookItem{OpeningItem(from, opening)}, out...)
}

// OpeningItem is the item BookItemsFrom folds the unmatched movements before from into:
// Seq 0, dated the day before from.
func OpeningItem(from string, amount decimal.Decimal) BookItem {
	day := from
	if t, err := time.Parse(DateLayout, from); err == nil {
		day = t.AddDate(0, 0, -1).Format(DateLayout)
	}
	return BookItem{Date: day, Amount: amount, Description: T("期初（未对账的以前各笔）", "opening (the earlier unmatched items)")}
}

// LineMatch is a statement line and the entries it is matched to.
type LineMatch struct {
	Line    int64   `json:"line"`
	Entries []int64 `json:"entries"`
}

// DocBankLine is the document kind of an entry booked from a statement line (bank
// post); its id is "<fund>/<line number>".
const DocBankLine DocKind = "bankline"

// BankService keeps imported statements, their matches to the books and the
// reconciliation (docs/bank.md).
type BankService interface {
	// ImportStatement stores the statement's new lines for account (a bank account of
	// the chart): all or nothing; lines already imported are skipped; the first new
	// line must continue the balance of the last one stored. EINVALID/ELOCKED refuse.
	ImportStatement(ctx context.Context, account string, st Statement, who, why string) (BankImport, error)
	// StatementLines lists the account's imported lines, oldest first.
	StatementLines(ctx context.Context, account string) ([]StatementLine, error)
	// BookItems lists every journal entry's movement of the account, oldest first,
	// with the line each is matched to.
	BookItems(ctx context.Context, account string) ([]BookItem, error)
	// BookItemsFrom is what BookItems gives for a period, read from the period alone
	// when the journal is indexed by month: the movements of entries 1..upTo (upTo ≤ 0:
	// all) dated up to to (YYYY-MM-DD), those dated before from (the first of a month)
	// folded into one item (Seq 0, dated the day before from, no line) that holds what
	// they add up to, except those matched to a statement line, which are listed each.
	// Oldest first (by Seq). A from after to is taken as the first of to's month. See
	// FoldBookItems, OpeningItem.
	BookItemsFrom(ctx context.Context, account, from, to string, upTo int64) ([]BookItem, error)
	// ConfirmMatch matches line n to entries whose amounts add up to the line's (audited).
	ConfirmMatch(ctx context.Context, account string, n int64, entries []int64, who, why string) error
	// ConfirmMatches confirms many matches (bank match --auto), each audited, a few
	// hundred to a transaction; it stops at the first refused, the ones before it kept.
	ConfirmMatches(ctx context.Context, account string, ms []LineMatch, who, why string) (done int, err error)
	// Unmatch undoes line n's match (audited).
	Unmatch(ctx context.Context, account string, n int64, who, why string) error
	// PostLine books an unmatched line the books lack (interest, a bank charge) against
	// the other account, and matches the entry to it.
	PostLine(ctx context.Context, account string, n int64, other, desc, who, why string) (Entry, error)
	// Reconcile draws up the account's reconciliation at the end of month.
	Reconcile(ctx context.Context, account, month string) (Reconciliation, error)
	// BankAccounts lists the accounts with imported lines.
	BankAccounts(ctx context.Context) ([]string, error)
}
