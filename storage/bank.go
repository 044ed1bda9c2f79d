package storage

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"sunledger/app"
)

var _ app.BankService = BankService{}

func init() {
	// An entry booked from a statement line and then reversed frees the line again.
	reversalHooks[app.DocBankLine] = func(tx *Tx, id string, reversed app.Entry, _ int64) error {
		account, n, ok := parseBankLineID(id)
		if !ok {
			return nil
		}
		return tx.unmatchLine(account, n)
	}
}

func bankLineID(account string, n int64) string { return account + "#" + strconv.FormatInt(n, 10) }

func parseBankLineID(id string) (string, int64, bool) {
	i := strings.LastIndexByte(id, '#')
	if i < 0 {
		return "", 0, false
	}
	n, err := strconv.ParseInt(id[i+1:], 10, 64)
	return id[:i], n, err == nil
}

// requireBankAccount refuses an account that is not a bank account of the chart.
func (tx *Tx) requireBankAccount(account string) error {
	accts, err := tx.accounts()
	if err != nil {
		return err
	}
	if slices.Contains(app.BankAccounts(accts), account) {
		return nil
	}
	return app.Errorf(app.EINVALID, "%q 不是科目表里的银行存款科目（例如 %s）；没有做任何更改", "%q is not a bank account of the chart (e.g. %s); nothing was changed", account, app.BankAccount(app.FundService))
}

func (tx *Tx) bankCount(account string) (int64, error) {
	var n int64
	_, err := tx.get(bankCountKey(account), &n)
	return n, err
}

// bankLines are the account's lines imported whole, oldest first.
func (tx *Tx) bankLines(account string) ([]app.StatementLine, error) {
	count, err := tx.bankCount(account)
	if err != nil || count == 0 {
		return nil, err
	}
	out := make([]app.StatementLine, 0, count)
	err = eachJSON(tx, bankLinePrefix(account), func(_ string, l app.StatementLine) error {
		if l.N <= count {
			out = append(out, l)
		}
		return nil
	})
	return out, err
}

// bookItems is every entry's movement of account, oldest first, with the line each is
// matched to.
func (tx *Tx) bookItems(account string) ([]app.BookItem, error) {
	match := map[int64]int64{}
	if err := eachJSON(tx, bankMatchPrefix(account), func(k string, n int64) error {
		seq, err := strconv.ParseInt(strings.TrimPrefix(k, bankMatchPrefix(account)), 10, 64)
		match[seq] = n
		return err
	}); err != nil {
		return nil, err
	}
	var out []app.BookItem
	err := tx.eachEntry(func(e app.Entry) error {
		sum, hit := decimal.Zero, false
		for _, p := range e.Postings {
			if p.Account == account {
				sum, hit = sum.Add(p.Amount), true
			}
		}
		if hit && !sum.IsZero() {
			out = append(out, app.BookItem{Seq: e.Seq, Date: e.Date, Amount: sum, Ref: e.Ref, Description: e.Description, Line: match[e.Seq]})
		}
		return nil
	})
	return out, err
}

// importChunk is how many lines one transaction of an import writes: a statement of
// 50,000 lines is more than one Badger transaction may hold, so it is written in parts
// that stay invisible (above bank/count) until the last transaction counts them in.
const importChunk = 4000

// ImportStatement stores the statement's new lines, all or nothing: they are checked
// whole first, written in parts, and counted in by one last transaction (audited).
func (s BankService) ImportStatement(ctx context.Context, account string, st app.Statement, who, why string) (app.BankImport, error) {
	res := app.BankImport{Account: account, Lines: len(st.Lines), AccountNumber: st.AccountNumber}
	var fresh []app.StatementLine
	var base int64
	err := s.db.view(func(tx *Tx) error {
		if err := tx.requireBook(); err != nil {
			return err
		}
		if err := tx.requireBankAccount(account); err != nil {
			return err
		}
		if err := tx.checkAccountNumber(account, st.AccountNumber); err != nil {
			return err
		}
		stored, err := tx.bankLines(account)
		if err != nil {
			return err
		}
		base = int64(len(stored))
		var lock string
		if _, err := tx.get(keyLedgerLock, &lock); err != nil {
			return err
		}
		fresh, res.Skipped, err = newLines(stored, st.Lines, lock)
		return err
	})
	if err != nil {
		return app.BankImport{}, err
	}
	for i := range fresh {
		fresh[i].N, fresh[i].Entries, fresh[i].MatchedBy = base+int64(i)+1, nil, ""
	}
	if len(fresh) == 0 {
		return res, nil
	}
	res.Added, res.From, res.To = len(fresh), fresh[0].Date, fresh[len(fresh)-1].Date
	for len(fresh) > importChunk {
		part := fresh[:importChunk]
		if err := s.db.update(func(tx *Tx) error {
			for _, l := range part {
				if err := tx.put(bankLineKey(account, l.N), l); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			return app.BankImport{}, unchangedImport(err)
		}
		fresh = fresh[importChunk:]
	}
	err = s.db.update(func(tx *Tx) error {
		if n, err := tx.bankCount(account); err != nil || n != base {
			if err == nil {
				err = app.Errorf(app.ECONFLICT, "导入期间对账单被另一个操作改变了；没有导入任何内容，请重试", "the statement changed while importing; nothing was imported, try again")
			}
			return err
		}
		for _, l := range fresh {
			if err := tx.put(bankLineKey(account, l.N), l); err != nil {
				return err
			}
		}
		if st.AccountNumber != "" {
			if err := tx.put(bankNumberKey(account), st.AccountNumber); err != nil {
				return err
			}
		}
		if err := tx.put(bankCountKey(account), base+int64(res.Added)); err != nil {
			return err
		}
		return tx.audit(who, "bank.import", fmt.Sprintf("%s %d lines %s..%s (%d already imported)", account, res.Added, res.From, res.To, res.Skipped), why)
	})
	if err != nil {
		return app.BankImport{}, unchangedImport(err)
	}
	return res, nil
}

func unchangedImport(err error) error {
	if e, ok := err.(*app.Error); ok && !strings.Contains(e.ZH, "没有") {
		return &app.Error{Code: e.Code, ZH: e.ZH + "；没有导入任何内容", EN: e.EN + "; nothing was imported", Err: e.Err}
	}
	return err
}

// checkAccountNumber refuses the statement of another account than the one imported
// for account before.
func (tx *Tx) checkAccountNumber(account, number string) error {
	if number == "" {
		return nil
	}
	var known string
	if _, err := tx.get(bankNumberKey(account), &known); err != nil {
		return err
	}
	if known != "" && known != number {
		return app.Errorf(app.EINVALID, "这是账号 %s 的对账单，而 %s 以前导入的是账号 %s 的：是不是选错了文件？没有导入任何内容",
			"this is the statement of account number %s, but %s was imported from account number %s: is it the wrong file? Nothing was imported", number, account, known)
	}
	return nil
}

// newLines are the lines of a statement not imported yet: lines already imported
// (same serial number, else same date, amount and balance) are skipped; the new ones
// must come after them, continue the balance of the last line stored, and lie in open
// periods.
func newLines(stored, lines []app.StatementLine, lock string) (fresh []app.StatementLine, skipped int, err error) {
	seen := make(map[string]bool, len(stored)+len(lines))
	for _, l := range stored {
		seen[l.DedupKey()] = true
	}
	for _, l := range lines {
		if seen[l.DedupKey()] {
			if len(fresh) > 0 {
				return nil, 0, app.Errorf(app.EINVALID, "第 %d 行以前导入过，但它前面有新的行：这份对账单与已导入的对不上，请检查；没有导入任何内容",
					"row %d was imported before, yet new lines come before it: this statement does not agree with the lines imported; nothing was imported", l.Row)
			}
			skipped++
			continue
		}
		if len(fresh) == 0 && len(stored) > 0 {
			last := stored[len(stored)-1]
			prev := l.Balance.Sub(l.Amount)
			if !prev.Equal(last.Balance) {
				return nil, 0, app.Errorf(app.EINVALID, "第 %d 行接不上已导入的对账单：上次导入到 %s，余额 %s，本行之前的余额却是 %s（中间缺了对账单？）；没有导入任何内容",
					"row %d does not continue the statement imported: it ended on %s with a balance of %s, but this line starts from %s (a statement missing in between?); nothing was imported",
					l.Row, last.Date, app.PlainAmount(last.Balance), app.PlainAmount(prev))
			}
			if l.Date < last.Date {
				return nil, 0, app.Errorf(app.EINVALID, "第 %d 行（%s）早于已导入的最后一行（%s）；没有导入任何内容", "row %d (%s) is before the last line imported (%s); nothing was imported", l.Row, l.Date, last.Date)
			}
		}
		if app.Locked(l.Date, lock) {
			return nil, 0, app.Errorf(app.ELOCKED, "第 %d 行的日期 %s 在已锁定的期间（至 %s）内：锁定后的月份不能再导入新的对账单行；没有导入任何内容",
				"row %d is dated %s, in a locked period (through %s): no new statement line can enter a locked month; nothing was imported", l.Row, l.Date, lock)
		}
		seen[l.DedupKey()] = true
		fresh = append(fresh, l)
	}
	return fresh, skipped, nil
}

// StatementLines lists the account's imported lines.
func (s BankService) StatementLines(ctx context.Context, account string) ([]app.StatementLine, error) {
	return read(s.db, func(tx *Tx) ([]app.StatementLine, error) { return tx.bankLines(account) })
}

// BookItems lists the account's movements in the journal.
func (s BankService) BookItems(ctx context.Context, account string) ([]app.BookItem, error) {
	return read(s.db, func(tx *Tx) ([]app.BookItem, error) { return tx.bookItems(account) })
}

// BookItemsFrom lists the account's movements of a period (app.BankService).
func (s BankService) BookItemsFrom(ctx context.Context, account, from, to string, upTo int64) ([]app.BookItem, error) {
	return read(s.db, func(tx *Tx) ([]app.BookItem, error) { return tx.bookItemsFrom(ctx, account, from, to, upTo) })
}

// bookItemsFrom reads, with the journal's index by month, the entries dated from..to,
// the account's balance before from (balancesBefore) and the entries matched to a line
// that are dated before from; without it, every entry (app.FoldBookItems).
func (tx *Tx) bookItemsFrom(ctx context.Context, account, from, to string, upTo int64) ([]app.BookItem, error) {
	if to < from && len(to) >= 7 { // the opening item is dated before to
		from = to[:7] + "-01"
	}
	indexed, err := tx.dateIndexed()
	if err != nil {
		return nil, err
	}
	if !indexed || !strings.HasSuffix(from, "-01") {
		all, err := tx.bookItems(account)
		return app.FoldBookItems(all, from, to, upTo), err
	}
	match := map[int64]int64{}
	if err := eachJSON(tx, bankMatchPrefix(account), func(k string, n int64) error {
		seq, err := strconv.ParseInt(strings.TrimPrefix(k, bankMatchPrefix(account)), 10, 64)
		match[seq] = n
		return err
	}); err != nil {
		return nil, err
	}
	item := func(e app.Entry) (app.BookItem, bool) {
		sum, hit := decimal.Zero, false
		for _, p := range e.Postings {
			if p.Account == account {
				sum, hit = sum.Add(p.Amount), true
			}
		}
		return app.BookItem{Seq: e.Seq, Date: e.Date, Amount: sum, Ref: e.Ref, Description: e.Description, Line: match[e.Seq]}, hit && !sum.IsZero()
	}
	before, err := tx.balancesBefore(ctx, from, upTo)
	if err != nil {
		return nil, err
	}
	opening := before[account]
	// The matched entries dated before from: those the index files under an earlier month.
	later, err := tx.datedSeqs(monthOf(from), "")
	if err != nil {
		return nil, err
	}
	isLater := make(map[int64]bool, len(later))
	for _, seq := range later {
		isLater[seq] = true
	}
	var earlier []int64
	for seq := range match {
		if !isLater[seq] && (upTo <= 0 || seq <= upTo) {
			earlier = append(earlier, seq)
		}
	}
	sort.Slice(earlier, func(i, j int) bool { return earlier[i] < earlier[j] })
	var out []app.BookItem
	if err := tx.eachEntryOf(ctx, earlier, func(e app.Entry) error {
		if it, ok := item(e); ok && e.Date < from {
			opening = opening.Sub(it.Amount)
			out = append(out, it)
		}
		return nil
	}); err != nil {
		return nil, err
	}
	if err := tx.eachEntryDated(ctx, from, to, upTo, func(e app.Entry) error {
		if it, ok := item(e); ok {
			out = append(out, it)
		}
		return nil
	}); err != nil {
		return nil, err
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Seq < out[j].Seq })
	if opening.IsZero() {
		return out, nil
	}
	return append([]app.BookItem{app.OpeningItem(from, opening)}, out...), nil
}

func (tx *Tx) bankLine(account string, n int64) (app.StatementLine, error) {
	var l app.StatementLine
	count, err := tx.bankCount(account)
	ok := false
	if err == nil && n >= 1 && n <= count {
		ok, err = tx.get(bankLineKey(account, n), &l)
	}
	if err == nil && !ok {
		err = app.Errorf(app.ENOTFOUND, "%s 没有第 %d 条对账单行", "%s has no statement line %d", account, n)
	}
	return l, err
}

// ConfirmMatch matches line n to entries whose movements of the account add up to it.
func (s BankService) ConfirmMatch(ctx context.Context, account string, n int64, entries []int64, who, why string) error {
	if len(entries) == 0 {
		return app.Errorf(app.EINVALID, "请给出要对应的凭证号；没有做任何更改", "name the entries to match; nothing was changed")
	}
	return s.db.update(func(tx *Tx) error {
		if err := tx.requireBook(); err != nil {
			return err
		}
		if err := tx.requireBankAccount(account); err != nil {
			return err
		}
		if err := tx.matchLine(account, n, entries, who); err != nil {
			return err
		}
		return tx.audit(who, "bank.match", fmt.Sprintf("%s line %d = #%s", account, n, joinSeqs(entries)), why)
	})
}

// ConfirmMatches confirms many matches, 500 to a transaction.
func (s BankService) ConfirmMatches(ctx context.Context, account string, ms []app.LineMatch, who, why string) (int, error) {
	done := 0
	for len(ms) > 0 {
		part := ms[:min(len(ms), 500)]
		err := s.db.update(func(tx *Tx) error {
			if err := tx.requireBook(); err != nil {
				return err
			}
			if err := tx.requireBankAccount(account); err != nil {
				return err
			}
			for _, m := range part {
				if err := tx.matchLine(account, m.Line, m.Entries, who); err != nil {
					return err
				}
				if err := tx.audit(who, "bank.match", fmt.Sprintf("%s line %d = #%s", account, m.Line, joinSeqs(m.Entries)), why); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return done, err
		}
		done += len(part)
		ms = ms[len(part):]
	}
	return done, nil
}

func joinSeqs(seqs []int64) string {
	s := make([]string, len(seqs))
	for i, q := range seqs {
		s[i] = strconv.FormatInt(q, 10)
	}
	return strings.Join(s, ",#")
}

func (tx *Tx) matchLine(account string, n int64, entries []int64, who string) error {
	l, err := tx.bankLine(account, n)
	if err != nil {
		return err
	}
	if len(l.Entries) > 0 {
		return app.Errorf(app.ECONFLICT, "第 %d 条对账单行已对应凭证 #%s；没有做任何更改", "statement line %d is already matched to entry #%s; nothing was changed", n, joinSeqs(l.Entries))
	}
	sum := decimal.Zero
	for i, seq := range entries {
		if slices.Contains(entries[:i], seq) {
			return app.Errorf(app.EINVALID, "凭证 #%d 写了两次；没有做任何更改", "entry #%d is named twice; nothing was changed", seq)
		}
		var e app.Entry
		ok, err := tx.get(entryKey(seq), &e)
		if err != nil {
			return err
		}
		if !ok {
			return app.Errorf(app.ENOTFOUND, "没有凭证 #%d；没有做任何更改", "there is no entry #%d; nothing was changed", seq)
		}
		moved, hit := decimal.Zero, false
		for _, p := range e.Postings {
			if p.Account == account {
				moved, hit = moved.Add(p.Amount), true
			}
		}
		if !hit {
			return app.Errorf(app.EINVALID, "凭证 #%d 没有记到 %s；没有做任何更改", "entry #%d does not move %s; nothing was changed", seq, account)
		}
		var other int64
		if ok, err := tx.get(bankMatchKey(account, seq), &other); err != nil {
			return err
		} else if ok {
			return app.Errorf(app.ECONFLICT, "凭证 #%d 已对应第 %d 条对账单行；没有做任何更改", "entry #%d is already matched to statement line %d; nothing was changed", seq, other)
		}
		sum = sum.Add(moved)
	}
	if !sum.Equal(l.Amount) {
		return app.Errorf(app.EINVALID, "凭证合计 %s 与对账单行的 %s 不等；没有做任何更改", "the entries add up to %s, the statement line says %s; nothing was changed", app.PlainAmount(sum), app.PlainAmount(l.Amount))
	}
	for _, seq := range entries {
		if err := tx.put(bankMatchKey(account, seq), n); err != nil {
			return err
		}
	}
	if who == "" {
		who = app.T("未署名", "anonymous")
	}
	l.Entries, l.MatchedBy = entries, who
	return tx.put(bankLineKey(account, n), l)
}

func (tx *Tx) unmatchLine(account string, n int64) error {
	l, err := tx.bankLine(account, n)
	if err != nil {
		return err
	}
	for _, seq := range l.Entries {
		if err := tx.delete(bankMatchKey(account, seq)); err != nil {
			return err
		}
	}
	l.Entries, l.MatchedBy = nil, ""
	return tx.put(bankLineKey(account, n), l)
}

// Unmatch undoes line n's match.
func (s BankService) Unmatch(ctx context.Context, account string, n int64, who, why string) error {
	return s.db.update(func(tx *Tx) error {
		if err := tx.requireBook(); err != nil {
			return err
		}
		l, err := tx.bankLine(account, n)
		if err != nil {
			return err
		}
		if len(l.Entries) == 0 {
			return app.Errorf(app.EINVALID, "第 %d 条对账单行还没有对应凭证；没有做任何更改", "statement line %d is not matched; nothing was changed", n)
		}
		if err := tx.unmatchLine(account, n); err != nil {
			return err
		}
		return tx.audit(who, "bank.unmatch", fmt.Sprintf("%s line %d was #%s", account, n, joinSeqs(l.Entries)), why)
	})
}

// PostLine books an unmatched line against other and matches the entry to it. The
// entry's description never carries the counterparty (the journal leaves the laptop).
func (s BankService) PostLine(ctx context.Context, account string, n int64, other, desc, who, why string) (app.Entry, error) {
	var e app.Entry
	err := s.db.update(func(tx *Tx) error {
		if err := tx.requireBook(); err != nil {
			return err
		}
		if err := tx.requireBankAccount(account); err != nil {
			return err
		}
		l, err := tx.bankLine(account, n)
		if err != nil {
			return err
		}
		if len(l.Entries) > 0 {
			return app.Errorf(app.ECONFLICT, "第 %d 条对账单行已对应凭证 #%s；没有做任何更改", "statement line %d is already matched to entry #%s; nothing was changed", n, joinSeqs(l.Entries))
		}
		if other == account || other == app.ReceivableAccount(app.FundService) || other == app.PrepaidFeesAccount {
			return app.Errorf(app.EINVALID, "不能把对账单行记到 %s；没有做任何更改", "a statement line cannot be booked against %s; nothing was changed", other)
		}
		if strings.TrimSpace(desc) == "" {
			desc = fmt.Sprintf(app.T("按银行对账单入账（%s 第 %d 行）", "booked from the bank statement (%s line %d)"), l.Date, n)
		}
		en := app.Entry{Date: l.Date, Description: strings.TrimSpace(desc), Ref: app.DocBankLine.Ref(bankLineID(account, n)),
			Postings: []app.Posting{{Account: account, Amount: l.Amount}, {Account: other, Amount: l.Amount.Neg()}}}
		if e, err = tx.postEntry(en, who); err != nil {
			return err
		}
		if err := tx.matchLine(account, n, []int64{e.Seq}, who); err != nil {
			return err
		}
		return tx.audit(who, "bank.post", fmt.Sprintf("#%d %s line %d %s %s", e.Seq, account, n, other, app.PlainAmount(l.Amount)), why)
	})
	return e, err
}

// Reconcile draws up the account's reconciliation at the end of month.
func (s BankService) Reconcile(ctx context.Context, account, month string) (app.Reconciliation, error) {
	if _, err := app.ParseMonth(month); err != nil {
		return app.Reconciliation{}, err
	}
	return read(s.db, func(tx *Tx) (app.Reconciliation, error) {
		if err := tx.requireBankAccount(account); err != nil {
			return app.Reconciliation{}, err
		}
		lines, err := tx.bankLines(account)
		if err != nil {
			return app.Reconciliation{}, err
		}
		return app.ReconcileAt(ctx, txItems{tx}, account, month, app.MonthEnd(month), 0, lines)
	})
}

// txItems reads book items within one transaction (app.BookItemReader).
type txItems struct{ tx *Tx }

func (r txItems) BookItems(ctx context.Context, account string) ([]app.BookItem, error) {
	return r.tx.bookItems(account)
}

func (r txItems) BookItemsFrom(ctx context.Context, account, from, to string, upTo int64) ([]app.BookItem, error) {
	return r.tx.bookItemsFrom(ctx, account, from, to, upTo)
}

func (tx *Tx) bankAccounts() ([]string, error) {
	accts, err := tx.accounts()
	if err != nil {
		return nil, err
	}
	var out []string
	for _, a := range accts {
		if n, err := tx.bankCount(a.Name); err != nil {
			return nil, err
		} else if n > 0 {
			out = append(out, a.Name)
		}
	}
	return out, nil
}

// BankAccounts lists the accounts with imported lines.
func (s BankService) BankAccounts(ctx context.Context) ([]string, error) {
	return read(s.db, func(tx *Tx) ([]string, error) { return tx.bankAccounts() })
}

// unreconciled refuses a lock through month while a bank account with imported
// statements shows an unexplained difference at the end of a month being locked (the
// months after cur through month, from the first statement's month on).
func (tx *Tx) unreconciled(cur, month string) error {
	accounts, err := tx.bankAccounts()
	if err != nil {
		return err
	}
	for _, account := range accounts {
		lines, err := tx.bankLines(account)
		if err != nil {
			return err
		}
		items, err := tx.bookItems(account)
		if err != nil {
			return err
		}
		from := lines[0].Date[:7]
		if cur >= from {
			from = nextMonth(cur)
		}
		for m := from; m <= month; m = nextMonth(m) {
			r, err := app.ReconcileBank(account, m, lines, items)
			if err != nil {
				return err
			}
			if !r.Difference.IsZero() {
				return app.Errorf(app.ECONFLICT, "%s 在 %s 月末的银行存款余额调节表有未解释的差额 %s（调节后账面 %s，调节后银行 %s）：请先对账（bank match / bank reconcile），或用 --override 并写明原因锁定；没有锁定任何期间",
					"the reconciliation of %s at the end of %s shows an unexplained difference of %s (adjusted book %s, adjusted bank %s): reconcile first (bank match / bank reconcile), or lock with --override and a reason; nothing was locked",
					account, m, app.PlainAmount(r.Difference), app.PlainAmount(r.AdjustedBook), app.PlainAmount(r.AdjustedBank))
			}
		}
	}
	return nil
}

func nextMonth(m string) string {
	y, _ := strconv.Atoi(m[:4])
	mo, _ := strconv.Atoi(m[5:7])
	mo++
	if mo > 12 {
		y, mo = y+1, 1
	}
	return fmt.Sprintf("%04d-%02d", y, mo)
}
