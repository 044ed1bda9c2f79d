package storage

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/dgraph-io/badger/v4"
	"github.com/shopspring/decimal"

	"sunledger/app"
)

var _ app.LedgerService = LedgerService{}
var _ app.IncomeService = IncomeService{}

// ledgerHead is the newest entry's number and hash, kept in one key so that posting
// does not have to find the end of the journal.
type ledgerHead struct {
	Seq  int64  `json:"seq"`
	Hash string `json:"hash"`
}

// ledgerTx posts entries inside one transaction. It loads the chain head, the lock
// and the chart once, keeps balances in memory and writes them back in flush, so a
// transaction that posts thousands of entries (a bank import, the demo) writes each
// balance key and the head once. Every user of it must call flush before the
// transaction commits.
type ledgerTx struct {
	tx      *Tx
	head    ledgerHead
	lock    string
	known   map[string]bool
	bal     map[string]decimal.Decimal
	dirty   map[string]bool
	touched bool
	// indexed: the journal's index by date (dateindex.go) held every entry when the
	// transaction began, so flush moves its mark to the new head.
	indexed bool
}

// ledger starts posting in tx.
func (tx *Tx) ledger() (*ledgerTx, error) {
	l := &ledgerTx{tx: tx, bal: map[string]decimal.Decimal{}, dirty: map[string]bool{}}
	if _, err := tx.get(keyLedgerHead, &l.head); err != nil {
		return nil, err
	}
	if _, err := tx.get(keyLedgerLock, &l.lock); err != nil {
		return nil, err
	}
	var through int64
	if _, err := tx.get(keyDateThrough, &through); err != nil {
		return nil, err
	}
	l.indexed = through == l.head.Seq
	accts, err := tx.accounts()
	if err != nil {
		return nil, err
	}
	l.known = make(map[string]bool, len(accts))
	for _, a := range accts {
		l.known[a.Name] = true
	}
	return l, nil
}

// today is the business date of "now" in the committee's time zone.
func (tx *Tx) today() string { return tx.now.Local().Format(app.DateLayout) }

// post validates e, refuses a date in a locked period, links it to the chain and
// stores it. The caller audits the change.
func (l *ledgerTx) post(e app.Entry, who string) (app.Entry, error) {
	if e.Date == "" {
		e.Date = l.tx.today()
	}
	if err := e.Validate(func(a string) bool { return l.known[a] }); err != nil {
		return e, err
	}
	if app.Locked(e.Date, l.lock) {
		return e, app.ErrLocked(e.Date, l.lock)
	}
	e.Who = who
	e.Seq = l.head.Seq + 1
	e = app.Seal(e, l.head.Hash)
	if err := l.tx.put(entryKey(e.Seq), e); err != nil {
		return e, err
	}
	if err := l.tx.putRaw(dateIndexKey(e.Date, e.Seq), nil); err != nil {
		return e, err
	}
	for _, p := range e.Postings {
		b, err := l.balance(p.Account)
		if err != nil {
			return e, err
		}
		l.bal[p.Account] = b.Add(p.Amount)
		l.dirty[p.Account] = true
	}
	l.head = ledgerHead{Seq: e.Seq, Hash: e.Hash}
	l.touched = true
	return e, nil
}

// balance is an account's balance including what this transaction has posted.
func (l *ledgerTx) balance(account string) (decimal.Decimal, error) {
	if b, ok := l.bal[account]; ok {
		return b, nil
	}
	var b decimal.Decimal
	if _, err := l.tx.get(balanceKey(account), &b); err != nil {
		return b, err
	}
	l.bal[account] = b
	return b, nil
}

// flush writes the head and the balances that changed.
func (l *ledgerTx) flush() error {
	if !l.touched {
		return nil
	}
	for a := range l.dirty {
		if err := l.tx.put(balanceKey(a), l.bal[a].StringFixed(2)); err != nil {
			return err
		}
	}
	l.dirty = map[string]bool{}
	l.touched = false
	if l.indexed {
		if err := l.tx.put(keyDateThrough, l.head.Seq); err != nil {
			return err
		}
	}
	return l.tx.put(keyLedgerHead, l.head)
}

// postEntry posts one entry in tx: the way other services (expenses, settlement) book
// what they do in the same transaction as their own records. The caller audits.
func (tx *Tx) postEntry(e app.Entry, who string) (app.Entry, error) {
	l, err := tx.ledger()
	if err != nil {
		return e, err
	}
	e, err = l.post(e, who)
	if err != nil {
		return e, err
	}
	return e, l.flush()
}

// accountBalance is an account's balance as stored (debit positive), e.g. to refuse
// an expense larger than what the fund holds.
func (tx *Tx) accountBalance(account string) (decimal.Decimal, error) {
	var b decimal.Decimal
	_, err := tx.get(balanceKey(account), &b)
	return b, err
}

// accounts is the chart: the standard accounts and those the committee added, in
// chart order.
func (tx *Tx) accounts() ([]app.Account, error) {
	out := app.StandardChart()
	err := eachJSON(tx, prefixAccount, func(_ string, a app.Account) error {
		out = append(out, a)
		return nil
	})
	sort.SliceStable(out, func(i, j int) bool { return app.AccountLess(out[i].Name, out[j].Name) })
	return out, err
}

// Post validates e and appends it to the chain. The fee control accounts (receivable
// fees and prepaid fees) move only through billing and payments, whose unit-by-unit
// detail they must always equal, so a manual entry may not touch them.
func (s LedgerService) Post(ctx context.Context, e app.Entry, who, why string) (app.Entry, error) {
	for _, p := range e.Postings {
		if p.Account == app.ReceivableAccount(app.FundService) || p.Account == app.PrepaidFeesAccount {
			return e, app.Errorf(app.EINVALID, "科目 %s 只能通过物业费开单和收费记账（它必须等于各房号的明细）", "%s moves only through fee billing and payments (it must equal the unit-by-unit detail)", p.Account)
		}
	}
	if k, _ := app.ParseRef(e.Ref); k == app.DocBankLine || slices.Contains(documentKinds, k) {
		return e, app.Errorf(app.EINVALID, "手工凭证不能使用 %q 这类引用：它属于单据（收费、开单、支出、酬金、收入、现金存款、结算），只能由相应命令记账", "a manual entry cannot use a reference like %q: it belongs to a document (a receipt, billing, an expense, remuneration, income, a cash deposit, a settlement) booked by its own command", e.Ref)
	}
	err := s.db.update(func(tx *Tx) error {
		if err := tx.requireBook(); err != nil {
			return err
		}
		var err error
		if e, err = tx.postEntry(e, who); err != nil {
			return err
		}
		return tx.audit(who, "ledger.post", fmt.Sprintf("#%d %s %s", e.Seq, e.Date, e.Description), why)
	})
	return e, err
}

// RecordIncome posts a public or maintenance-fund income.
func (s IncomeService) RecordIncome(ctx context.Context, in app.Income, who, why string) (app.Entry, error) {
	if _, err := in.Validate(); err != nil {
		return app.Entry{}, err
	}
	var e app.Entry
	err := s.db.update(func(tx *Tx) error {
		if err := tx.requireBook(); err != nil {
			return err
		}
		if in.Date == "" {
			in.Date = tx.today()
		}
		if err := tx.checkAhead(in.Date); err != nil {
			return err
		}
		if in.Unit != "" {
			if ok, err := tx.has(unitKey(in.Unit)); err != nil {
				return err
			} else if !ok {
				return app.Errorf(app.EINVALID, "登记册里没有房号 %s；没有记账", "the register has no unit %s; nothing was booked", in.Unit)
			}
		}
		var err error
		if e, err = tx.postEntry(in.Entry(), who); err != nil {
			return err
		}
		what := fmt.Sprintf("#%d %s %s %s", e.Seq, e.Date, e.Description, app.PlainAmount(in.Amount))
		if p := strings.TrimSpace(in.Payer); p != "" {
			what += app.PayerNote + p // on the laptop only: not in the journal
		}
		return tx.audit(who, "income.add", what, why)
	})
	return e, err
}

// checkAhead refuses a business date more than a year after today: a typo (2062 for
// 2026), not a payment. Dates a little ahead are allowed, e.g. a transfer the bank
// will value on the first of next month.
func (tx *Tx) checkAhead(date string) error {
	if date > tx.now.Local().AddDate(1, 0, 0).Format(app.DateLayout) {
		return app.Errorf(app.EINVALID, "日期 %s 在一年以后，请检查是否写错", "the date %s is more than a year ahead; check for a typo", date)
	}
	return nil
}

func errFutureDate(date string) error {
	return app.Errorf(app.EINVALID, "日期 %s 在今天之后：只能记录已经发生的收付", "the date %s is in the future: only record money that has already moved", date)
}

// reversalHooks keep a service's own records in step when one of its entries is
// reversed, keyed by the entry's document kind. A hook gets the document's id, the entry being reversed and the reversing entry's number, runs in the
// same transaction, and may refuse the reversal by returning an error (nothing is then
// written). A service registers its hook from an init() in its own storage file.
var reversalHooks = map[app.DocKind]func(tx *Tx, id string, reversed app.Entry, by int64) error{
	app.DocReceipt: func(tx *Tx, receipt string, _ app.Entry, by int64) error { return tx.reversePayment(receipt, by) },
}

// reverseRule refuses to reverse on its own an entry that belongs to a business
// document whose records would then disagree with the journal, naming the document and
// what to do instead. Per document (see documentRefs):
//
//	receipt:       reversible: the hook reopens the bills it paid and marks the receipt
//	income:        reversible: the entry is the income's only record
//	billing:       refused: the month's bills are its detail and cannot be unbilled
//	expense:       refused: the request stays paid and signed; a refund is a new entry
//	remuneration:  refused: the accrual is computed from the contract; adjust by a new entry
//	deposit:       reversible: the hook marks the deposit reversed
//	settlement:    refused: a settled year is locked; only its micro-fund move is
//	               reversible (microfund.go), the hook marks the move reversed
//
// Manual entries (any other Ref) are reversible.
func reverseRule(e app.Entry) error {
	switch k, id := documentRef(e.Ref); k {
	case "", app.DocReceipt, app.DocIncome, app.DocDeposit:
		return nil
	case app.DocSettlement:
		if isMicroFundMove(e) {
			return nil
		}
		return app.Errorf(app.EINVALID, "凭证 #%d 属于单据 %s，不能单独冲销；没有做任何更改", "entry #%d belongs to the document %s and cannot be reversed on its own; nothing was changed", e.Seq, e.Ref)
	case app.DocBilling:
		m := id
		return app.Errorf(app.EINVALID, "凭证 #%d 属于 %s 的物业费开单，不能单独冲销：账单是它的明细，开出的账单不能撤销；没有做任何更改。某户账单有误时，请在收费时调整或用手工凭证在其他科目更正并注明原因",
			"entry #%d belongs to the %s billing run and cannot be reversed on its own: the bills are its detail and a billed month cannot be unbilled; nothing was changed. If a unit's bill is wrong, correct it through its payments or a manual entry on other accounts, with the reason", e.Seq, m)
	case app.DocExpense:
		return app.Errorf(app.EINVALID, "凭证 #%d 是支出申请 %s 的付款凭证，不能单独冲销（申请仍显示已支付，账和单会对不上）；没有做任何更改。款项退回时，请用 ledger post 记一张退款凭证（借银行存款、贷原支出科目），引用写 %s 的退款说明",
			"entry #%d is the payment of expense request %s and cannot be reversed on its own (the request would still say paid); nothing was changed. If the money came back, post a refund with ledger post (debit the bank, credit the expense account) and mention %s", e.Seq, id, id)
	case app.DocRemuneration:
		m := id
		return app.Errorf(app.EINVALID, "凭证 #%d 是 %s 的酬金计提，不能单独冲销（计提记录仍在，账和单会对不上）；没有做任何更改。计提有误时，请用 ledger post 记一张调整凭证并注明 %s",
			"entry #%d is the remuneration accrual of %s and cannot be reversed on its own (the accrual record would remain); nothing was changed. If it is wrong, post an adjusting entry with ledger post naming %s", e.Seq, m, m)
	default:
		return app.Errorf(app.EINVALID, "凭证 #%d 属于单据 %s，不能单独冲销；没有做任何更改", "entry #%d belongs to the document %s and cannot be reversed on its own; nothing was changed", e.Seq, e.Ref)
	}
}

// Reverse appends an entry undoing entry seq. A fee receipt's reversal also reopens the
// bills it paid; entries of other documents are refused (reverseRule).
func (s LedgerService) Reverse(ctx context.Context, seq int64, date, who, why string) (app.Entry, error) {
	if strings.TrimSpace(why) == "" {
		return app.Entry{}, app.Errorf(app.EINVALID, "冲销必须说明原因", "a reversal needs a reason")
	}
	if date != "" {
		if err := app.ValidDate(date); err != nil {
			return app.Entry{}, err
		}
	}
	var r app.Entry
	err := s.db.update(func(tx *Tx) error {
		if err := tx.requireBook(); err != nil {
			return err
		}
		var e app.Entry
		ok, err := tx.get(entryKey(seq), &e)
		if err != nil {
			return err
		}
		if !ok {
			return app.Errorf(app.ENOTFOUND, "没有凭证 #%d", "there is no entry #%d", seq)
		}
		if e.Reverses != 0 {
			return app.Errorf(app.ECONFLICT, "凭证 #%d 本身是冲销凭证，不能再冲销；如需恢复请重新记账", "entry #%d is itself a reversal and cannot be reversed; post the entry again instead", seq)
		}
		var by int64
		if ok, err := tx.get(reversedKey(seq), &by); err != nil || ok {
			if ok {
				return app.Errorf(app.ECONFLICT, "凭证 #%d 已被凭证 #%d 冲销过", "entry #%d was already reversed by entry #%d", seq, by)
			}
			return err
		}
		if err := reverseRule(e); err != nil {
			return err
		}
		if date == "" {
			date = tx.today()
		}
		if err := tx.checkAhead(date); err != nil {
			return err
		}
		l, err := tx.ledger()
		if err != nil {
			return err
		}
		if r, err = l.post(app.Reversal(e, date, why), who); err != nil {
			return err
		}
		if err := l.flush(); err != nil {
			return err
		}
		if kind, id := app.ParseRef(e.Ref); reversalHooks[kind] != nil {
			if err := reversalHooks[kind](tx, id, e, r.Seq); err != nil {
				return err
			}
		}
		if id, ok := strings.CutPrefix(e.Ref, "microfund:"); ok { // a project's charge (microfundproject.go)
			if err := tx.reverseMicroFundSpend(id, e.Seq, r.Seq); err != nil {
				return err
			}
		}
		if err := tx.put(reversedKey(seq), r.Seq); err != nil {
			return err
		}
		return tx.audit(who, "ledger.reverse", fmt.Sprintf("#%d reverses #%d %s", r.Seq, seq, e.Description), why)
	})
	return r, err
}

// Entry returns one entry.
func (s LedgerService) Entry(ctx context.Context, seq int64) (app.Entry, error) {
	var e app.Entry
	err := s.db.view(func(tx *Tx) error {
		ok, err := tx.get(entryKey(seq), &e)
		if err == nil && !ok {
			return app.Errorf(app.ENOTFOUND, "没有凭证 #%d", "there is no entry #%d", seq)
		}
		return err
	})
	return e, err
}

// Entries returns up to limit entries from seq from on.
func (s LedgerService) Entries(ctx context.Context, from int64, limit int) ([]app.Entry, error) {
	var out []app.Entry
	err := s.db.view(func(tx *Tx) error {
		opts := badger.DefaultIteratorOptions
		opts.Prefix = []byte(prefixEntry)
		it := tx.txn.NewIterator(opts)
		defer it.Close()
		for it.Seek([]byte(entryKey(max(from, 1)))); it.Valid(); it.Next() {
			if limit > 0 && len(out) >= limit {
				break
			}
			var e app.Entry
			if err := it.Item().Value(func(b []byte) error { return json.Unmarshal(b, &e) }); err != nil {
				return err
			}
			out = append(out, e)
		}
		return nil
	})
	return out, err
}

// EachEntry calls fn for every entry, oldest first.
func (s LedgerService) EachEntry(ctx context.Context, fn func(app.Entry) error) error {
	return s.db.view(func(tx *Tx) error {
		return tx.eachEntry(func(e app.Entry) error {
			if err := ctxErr(ctx); err != nil {
				return err
			}
			return fn(e)
		})
	})
}

// eachEntry calls fn for every entry of the journal, oldest first, decoded with
// app.DecodeEntry (what json.Unmarshal gives, without encoding/json: app/entryjson.go).
func (tx *Tx) eachEntry(fn func(app.Entry) error) error {
	return tx.each(prefixEntry, func(key string, b []byte) error {
		e, err := app.DecodeEntry(b)
		if err != nil {
			return fmt.Errorf("decode %s: %w", key, err)
		}
		return fn(e)
	})
}

// Balances returns every account of the chart with its balance, in chart order.
func (s LedgerService) Balances(ctx context.Context) ([]app.AccountBalance, error) {
	var out []app.AccountBalance
	err := s.db.view(func(tx *Tx) error {
		if err := tx.requireBook(); err != nil {
			return err
		}
		accts, err := tx.accounts()
		if err != nil {
			return err
		}
		stored := map[string]decimal.Decimal{}
		if err := eachJSON(tx, prefixBalance, func(k string, b decimal.Decimal) error {
			stored[strings.TrimPrefix(k, prefixBalance)] = b
			return nil
		}); err != nil {
			return err
		}
		for _, a := range accts {
			out = append(out, app.AccountBalance{Account: a.Name, Balance: stored[a.Name]})
		}
		return nil
	})
	return out, err
}

// Head is the newest entry's hash and number.
func (s LedgerService) Head(ctx context.Context) (string, int64, error) {
	var h ledgerHead
	err := s.db.view(func(tx *Tx) error {
		_, err := tx.get(keyLedgerHead, &h)
		return err
	})
	return h.Hash, h.Seq, err
}
