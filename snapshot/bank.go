package snapshot

import (
	"context"
	"slices"

	"github.com/shopspring/decimal"

	"sunledger/app"
)

// BankFile is one bank account in bank.json (docs/bank.md "Privacy"): its imported
// statement lines reduced to what owners may see — number, date, amounts, balance and the
// entries each is matched to — and the reconciliation at every month's end from the
// first statement's month on. No description, counterparty or serial number: a
// statement names owners, and they stay on the laptop.
type BankFile struct {
	Account         string               `json:"account"`
	Lines           []BankFileLine       `json:"lines"`
	Reconciliations []BankReconciliation `json:"reconciliations"`
}

// BankFileLine is one statement line as a snapshot shows it.
type BankFileLine struct {
	Line    int64   `json:"line"`
	Date    string  `json:"date"`
	In      string  `json:"in"`
	Out     string  `json:"out"`
	Balance string  `json:"balance"`
	Entries []int64 `json:"entries"`
}

// BankReconciliation is a month's reconciliation, keyed as `bank reconcile --json`.
type BankReconciliation struct {
	Period       string            `json:"period"`
	BookBalance  string            `json:"book_balance"`
	BankBalance  string            `json:"bank_balance"`
	BookNotBank  map[string]string `json:"book_not_bank"`
	BankNotBook  map[string]string `json:"bank_not_book"`
	AdjustedBook string            `json:"adjusted_book"`
	AdjustedBank string            `json:"adjusted_bank"`
	Difference   string            `json:"difference"`
}

// bankItem is an entry's movement of a bank account (app.BookItem without what
// bank.json does not show), as snapJournal's walk finds it: one read of the journal
// serves the journal files and every bank account. The amount is kept in cents, with
// no number of its own to allocate, when it has at most two decimals (odd holds it
// otherwise): a 10-year book's bank account has 250,000 of them.
type bankItem struct {
	seq   int64
	cents int64
	date  string
	odd   *decimal.Decimal
}

func newBankItem(seq int64, date string, amount decimal.Decimal) bankItem {
	if c := amount.Shift(2); c.IsInteger() && c.Cmp(maxCents) <= 0 && c.Cmp(maxCents.Neg()) >= 0 {
		return bankItem{seq: seq, cents: c.IntPart(), date: date}
	}
	return bankItem{seq: seq, date: date, odd: &amount}
}

var maxCents = decimal.New(1, 18)

func (it bankItem) amount() decimal.Decimal {
	if it.odd != nil {
		return *it.odd
	}
	return decimal.New(it.cents, -2)
}

// bankAccounts readies z.bank for the accounts with imported statement lines.
func (z *snapWriter) bankAccounts(ctx context.Context) error {
	if z.s.Bank == nil {
		return nil
	}
	accounts, err := z.s.Bank.BankAccounts(ctx)
	if err != nil {
		return err
	}
	z.bankOrder = accounts
	z.bank = make(map[string][]bankItem, len(accounts))
	for _, a := range accounts {
		z.bank[a] = nil
	}
	return nil
}

// addBankItems adds e's movement of each bank account it posts to, as app.BookItem
// counts one: the sum of its postings to the account, when not zero.
func (z *snapWriter) addBankItems(e app.Entry) {
	for i, p := range e.Postings {
		items, ok := z.bank[p.Account]
		if !ok || slices.ContainsFunc(e.Postings[:i], func(q app.Posting) bool { return q.Account == p.Account }) {
			continue
		}
		sum := p.Amount
		for _, q := range e.Postings[i+1:] {
			if q.Account == p.Account {
				sum = sum.Add(q.Amount)
			}
		}
		if !sum.IsZero() {
			z.bank[p.Account] = append(items, newBankItem(e.Seq, e.Date, sum))
		}
	}
}

// snapBank writes bank.json when statements were imported (a book without any writes
// no file), as the books stood at the snapshot's head: the statement lines, and the
// account's movements as the journal's walk found them (snapJournal), each with the
// line it is matched to (the line's entries).
func snapBank(ctx context.Context, z *snapWriter) error {
	if z.s.Bank == nil || len(z.bankOrder) == 0 {
		return nil
	}
	head := z.manifest.Entries
	today := z.manifest.Created.Local().Format("2006-01")
	var out []BankFile
	for _, a := range z.bankOrder {
		lines, err := z.s.Bank.StatementLines(ctx, a)
		if err != nil {
			return err
		}
		line := map[int64]int64{}
		for _, l := range lines {
			for _, seq := range l.Entries {
				line[seq] = l.N
			}
		}
		items := make([]app.BookItem, 0, len(z.bank[a]))
		for _, it := range z.bank[a] {
			items = append(items, app.BookItem{Seq: it.seq, Date: it.date, Amount: it.amount(), Line: line[it.seq]})
		}
		z.bank[a] = nil
		f := BankFile{Account: a, Lines: []BankFileLine{}, Reconciliations: []BankReconciliation{}}
		for i, l := range lines {
			var kept []int64
			for _, seq := range l.Entries {
				if head <= 0 || seq <= head {
					kept = append(kept, seq)
				}
			}
			if len(kept) != len(l.Entries) { // matched after the head: not yet, as of the snapshot
				kept = nil
				for j := range items {
					if items[j].Line == l.N {
						items[j].Line = 0
					}
				}
			}
			lines[i].Entries = kept
			if kept == nil {
				kept = []int64{}
			}
			f.Lines = append(f.Lines, BankFileLine{Line: l.N, Date: l.Date, In: amt(l.In()), Out: amt(l.Out()), Balance: amt(l.Balance), Entries: kept})
		}
		if len(lines) > 0 {
			for m := lines[0].Date[:7]; m <= today; m = app.AddMonths(m, 1) {
				r, err := app.ReconcileBank(a, m, lines, items)
				if err != nil {
					return err
				}
				f.Reconciliations = append(f.Reconciliations, BankReconciliation{Period: m, BookBalance: amt(r.BookBalance), BankBalance: amt(r.BankBalance),
					BookNotBank:  map[string]string{"in": amt(r.BookNotBank.In), "out": amt(r.BookNotBank.Out)},
					BankNotBook:  map[string]string{"in": amt(r.BankNotBook.In), "out": amt(r.BankNotBook.Out)},
					AdjustedBook: amt(r.AdjustedBook), AdjustedBank: amt(r.AdjustedBank), Difference: amt(r.Difference)})
			}
		}
		out = append(out, f)
	}
	return z.json("bank.json", out)
}
