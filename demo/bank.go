package demo

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sunledger/app"
	"time"

	"github.com/shopspring/decimal"
)

// demoBankStatement is the service fund's bank statement from the start of the last
// full quarter to today, made from the book's own bank items the way the bank would
// show them (docs/demo.md): WeChat/Alipay receipts settled in one credit the next day,
// bank transfers and payments the same day, the cash deposited every Friday (the one at
// the quarter's end reaching the bank the next day: a deposit in transit), interest on
// the 21st and an account fee on the 25th of each month. It is imported, matched
// (bank match --auto --batches, then the rest by hand) and the interest and fees are
// booked (bank post), so each month reconciles to 0.00. Only these few months are
// generated, whatever the demo's length.
func demoBankStatement(ctx context.Context, s app.Services, d *builder) error {
	if s.Bank == nil || s.Cash == nil || d.Opts.Years <= 0 {
		return nil
	}
	qEnd, from, to := demoBankWindow(d)
	if first, _, _ := demoPeriod(d); from < first+"-01" {
		return nil // the history does not reach back to the quarter's start
	}
	bank := app.BankAccount(app.FundService)
	// one pass over the journal: reading it is most of this step's time
	cashItems, items, err := demoBankItems(ctx, s, app.CashAccount(app.FundService), bank)
	if err != nil {
		return err
	}
	deps, err := demoDepositCash(ctx, s, cashItems, from, to, qEnd)
	if err != nil {
		return err
	}
	for _, dep := range deps {
		items = append(items, app.BookItem{Seq: dep.Entry, Date: dep.Date, Amount: dep.Amount, Ref: app.DocDeposit.Ref(dep.Slip),
			Description: app.CashDeposit{Slip: dep.Slip}.JournalEntry().Description})
	}
	// The service fund has no interest account in the standard chart: the committee adds it.
	interest := app.AccountName(app.TypeIncome, app.FundService, "利息")
	chart, err := s.Chart.Accounts(ctx)
	if err != nil {
		return err
	}
	if !slices.ContainsFunc(chart, func(a app.Account) bool { return a.Name == interest }) {
		if err := s.Chart.AddAccount(ctx, app.Account{Name: interest, Label: "物业服务资金存款利息"}, "demo", "demo: 银行结息入账"); err != nil {
			return err
		}
	}
	rows, known := demoStatementRows(items, from, to, qEnd)
	st, err := app.ParseStatement("demo", rows, app.BankRules{})
	if err != nil {
		return err
	}
	if _, err := s.Bank.ImportStatement(ctx, bank, st, "demo", "demo: 导入物业服务资金共管账户对账单"); err != nil {
		return err
	}
	lines, err := s.Bank.StatementLines(ctx, bank)
	if err != nil {
		return err
	}
	// bank match --auto --batches, keeping what agrees with the lines' own entries
	props, taken := app.ProposeMatches(lines, items, true)
	var sure []app.LineMatch
	done := map[int64]bool{}
	for i, p := range props {
		m := app.LineMatch{Line: p.Line.N}
		switch {
		case taken[i]:
			m.Entries = []int64{p.Candidates[0].Seq}
		case len(p.Batch) > 0:
			for _, it := range p.Batch {
				m.Entries = append(m.Entries, it.Seq)
			}
		}
		if len(m.Entries) > 0 && sameSeqs(m.Entries, known[m.Line]) {
			sure, done[m.Line] = append(sure, m), true
		}
	}
	// the lines matching could not decide, confirmed by hand (bank match --line --entry)
	var hand []app.LineMatch
	for _, l := range lines {
		if seqs := known[l.N]; !done[l.N] && len(seqs) > 0 {
			hand = append(hand, app.LineMatch{Line: l.N, Entries: seqs})
		}
	}
	if _, err := s.Bank.ConfirmMatches(ctx, bank, sure, "demo", "demo: bank match --auto --batches"); err != nil {
		return err
	}
	if _, err := s.Bank.ConfirmMatches(ctx, bank, hand, "demo", "demo: 出纳逐笔核对"); err != nil {
		return err
	}
	// bank post: the interest and the fees the books lack
	if chart, err = s.Chart.Accounts(ctx); err != nil {
		return err
	}
	for _, l := range lines {
		if _, ok := known[l.N]; ok {
			continue
		}
		other := app.BookLineAgainst(bank, l, chart, "")
		if other == "" {
			return fmt.Errorf("demo: no account to book statement line %d (%s) against", l.N, l.Description)
		}
		if _, err := s.Bank.PostLine(ctx, bank, l.N, other, l.Description, "demo", "demo: bank post"); err != nil {
			return err
		}
	}
	return nil
}

// demoBankWindow is the statement's span: from the first day of the last full quarter
// (qEnd its last day) to today, as YYYY-MM-DD.
func demoBankWindow(d *builder) (qEnd, from, to string) {
	now := d.now
	qStart := time.Date(now.Year(), time.Month((int(now.Month())-1)/3*3+1), 1, 12, 0, 0, 0, time.Local)
	q := qStart.AddDate(0, 0, -1)
	return q.Format(app.DateLayout), qStart.AddDate(0, -3, 0).Format(app.DateLayout), now.Format(app.DateLayout)
}

func bankDay(s string, days int) string {
	t, _ := time.Parse(app.DateLayout, s)
	return t.AddDate(0, 0, days).Format(app.DateLayout)
}

// demoDepositCash takes the service fund's cash to the bank every Friday of the window
// and on the quarter's last day (ledger deposit --slip): the cash received up to then.
// The cash received before the window is banked with the first deposit.
func demoDepositCash(ctx context.Context, s app.Services, items []app.BookItem, from, to, qEnd string) ([]app.CashDeposit, error) {
	var out []app.CashDeposit
	sort.SliceStable(items, func(i, j int) bool { return items[i].Date < items[j].Date })
	total := decimal.Zero // cash on hand now
	for _, it := range items {
		total = total.Add(it.Amount)
	}
	// the Fridays after the quarter's last cash receipt are skipped: its cash is banked
	// on the quarter's last day, so that deposit is never empty
	lastCash := ""
	for _, it := range items {
		if it.Date >= from && it.Date <= qEnd && it.Amount.IsPositive() {
			lastCash = max(lastCash, it.Date)
		}
	}
	held, k, banked := decimal.Zero, 0, decimal.Zero
	for day := from; day < to; day = bankDay(day, 1) {
		for ; k < len(items) && items[k].Date <= day; k++ {
			held = held.Add(items[k].Amount)
		}
		t, _ := time.Parse(app.DateLayout, day)
		if day != qEnd && (t.Weekday() != time.Friday || day >= lastCash && day < qEnd) {
			continue
		}
		amt := decimal.Min(held.Sub(banked), total.Sub(banked))
		if !amt.IsPositive() {
			continue
		}
		slip := "JK" + strings.ReplaceAll(day, "-", "")
		// The treasurer banks it with the slip's scan; the chair checks slip and scan and
		// signs the confirmation that evening — all but the quarter's last, still
		// awaiting it (docs/bank.md "Two people per deposit").
		scan := app.AttachmentFile{Name: slip + ".txt", Data: []byte(fmt.Sprintf("现金缴款单（示例扫描件）\n缴款单号：%s\n日期：%s\n金额：%s（%s）\n", slip, day, app.PlainAmount(amt), app.AmountInWords(amt)))}
		dep, err := s.Cash.DepositCash(demoAt(ctx, day, 15), app.CashDeposit{Fund: app.FundService, Amount: amt, Slip: slip, Date: day, ScanFile: &scan},
			Members[2].Name, "demo: 每周现金存行")
		if err != nil {
			return nil, err
		}
		if day != qEnd {
			if dep, err = s.Cash.ConfirmDeposit(demoAt(ctx, day, 18), slip, Members[1].Name, Passphrase); err != nil {
				return nil, err
			}
		}
		out, banked = append(out, dep), banked.Add(amt)
	}
	return out, nil
}

// demoBankItems reads the journal once for the movements of two accounts, as
// BankService.BookItems lists them.
func demoBankItems(ctx context.Context, s app.Services, a, b string) (as, bs []app.BookItem, err error) {
	err = s.Ledger.EachEntry(ctx, func(e app.Entry) error {
		sa, sb := decimal.Zero, decimal.Zero
		for _, p := range e.Postings {
			switch p.Account {
			case a:
				sa = sa.Add(p.Amount)
			case b:
				sb = sb.Add(p.Amount)
			}
		}
		if !sa.IsZero() {
			as = append(as, app.BookItem{Seq: e.Seq, Date: e.Date, Amount: sa, Ref: e.Ref, Description: e.Description})
		}
		if !sb.IsZero() {
			bs = append(bs, app.BookItem{Seq: e.Seq, Date: e.Date, Amount: sb, Ref: e.Ref, Description: e.Description})
		}
		return nil
	})
	return as, bs, err
}

// demoStatementRows writes the statement as the bank's CSV export reads (交易日期, 摘要,
// 收入金额, 支出金额, 余额, 流水号), with, for each line number, the entries it shows
// (none for the bank's own interest and fees).
func demoStatementRows(items []app.BookItem, from, to, qEnd string) ([][]string, map[int64][]int64) {
	type line struct {
		date, desc string
		order      int
		amount     decimal.Decimal
		seqs       []int64
	}
	var ls []line
	opening := decimal.Zero
	batch := map[string]*line{} // WeChat/Alipay receipts by day
	for _, it := range items {
		if it.Date < from {
			opening = opening.Add(it.Amount)
			continue
		}
		kind, id := app.ParseRef(it.Ref)
		switch {
		case strings.Contains(it.Description, "（微信）") || strings.Contains(it.Description, "（支付宝）"):
			b := batch[it.Date]
			if b == nil {
				b = &line{date: bankDay(it.Date, 1), desc: "微信支付宝商户结算 " + it.Date, order: 0}
				batch[it.Date] = b
			}
			b.amount, b.seqs = b.amount.Add(it.Amount), append(b.seqs, it.Seq)
		case kind == app.DocDeposit:
			date := it.Date
			if date == qEnd {
				date = bankDay(date, 1) // banked after the counter closed: in transit at the quarter's end
			}
			ls = append(ls, line{date: date, desc: "现金存入 缴款单 " + id, order: 1, amount: it.Amount, seqs: []int64{it.Seq}})
		case it.Amount.IsPositive():
			ls = append(ls, line{date: it.Date, desc: "转账存入 " + id, order: 1, amount: it.Amount, seqs: []int64{it.Seq}})
		default:
			ls = append(ls, line{date: it.Date, desc: "转账支取 " + id, order: 2, amount: it.Amount, seqs: []int64{it.Seq}})
		}
	}
	for _, b := range batch {
		ls = append(ls, *b)
	}
	// the bank's own lines: interest on the 21st, the account fee on the 25th
	t, _ := time.Parse(app.DateLayout, from)
	for ; t.Format(app.DateLayout) <= to; t = t.AddDate(0, 1, 0) {
		m := t.Format("2006-01")
		ls = append(ls, line{date: m + "-21", desc: "结息", order: 3}, line{date: m + "-25", desc: "账户管理费", order: 3, amount: decimal.NewFromInt(-15)})
	}
	kept := ls[:0]
	for _, l := range ls {
		if l.date >= from && l.date <= to {
			kept = append(kept, l)
		}
	}
	ls = kept
	sort.SliceStable(ls, func(i, j int) bool {
		if ls[i].date != ls[j].date {
			return ls[i].date < ls[j].date
		}
		return ls[i].order < ls[j].order
	})
	rows := [][]string{{"账号：6222 0000 1111 2222"}, {"交易日期", "摘要", "收入金额", "支出金额", "余额", "流水号"}}
	known := map[int64][]int64{}
	bal := opening
	for i, l := range ls {
		if l.desc == "结息" {
			// 0.35% a year on the balance, for a month
			l.amount = app.Round2(decimal.Max(bal, decimal.Zero).Mul(decimal.RequireFromString("0.0035")).Div(decimal.NewFromInt(12)))
			if !l.amount.IsPositive() {
				l.amount = decimal.New(1, -2)
			}
		}
		bal = bal.Add(l.amount)
		in, out := "", ""
		if l.amount.IsPositive() {
			in = app.PlainAmount(l.amount)
		} else {
			out = app.PlainAmount(l.amount.Neg())
		}
		rows = append(rows, []string{l.date, l.desc, in, out, app.PlainAmount(bal), fmt.Sprintf("%s%05d", strings.ReplaceAll(l.date, "-", ""), i+1)})
		if len(l.seqs) > 0 {
			known[int64(i+1)] = l.seqs
		}
	}
	return rows, known
}

func sameSeqs(a, b []int64) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}
