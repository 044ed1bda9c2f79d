package app

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"
)

// Posting is one line of a journal entry: an account and a signed amount, debit
// positive and credit negative, so that a balanced entry's postings sum to zero.
// Account names are hledger-style paths, e.g. "资产:物业服务资金:银行存款".
type Posting struct {
	Account string          `json:"account"`
	Amount  decimal.Decimal `json:"amount"`
}

// Entry is one journal entry (记账凭证) of the community's double-entry books.
// Entries are append-only and hash-chained: Hash covers the entry's canonical encoding
// and PrevHash, so rewriting any past entry breaks every hash after it. A mistake is
// undone by a reversing entry (Reverses names the entry it undoes), never by an edit.
type Entry struct {
	Seq         int64     `json:"seq"`
	Date        string    `json:"date"` // YYYY-MM-DD, the business date
	Description string    `json:"description"`
	Postings    []Posting `json:"postings"`
	Ref         string    `json:"ref,omitempty"` // what caused it: "receipt:R00000001", "expense:E0001", "billing:2026-01"
	Reverses    int64     `json:"reverses,omitempty"`
	Who         string    `json:"who"`
	PrevHash    string    `json:"prev_hash"`
	Hash        string    `json:"hash"`
}

// DocKind is the kind of business document a journal entry belongs to, written before
// the colon of the entry's Ref ("receipt:R00000012"); an entry whose Ref names none is
// a manual entry.
type DocKind string

// The document kinds.
const (
	DocBilling      DocKind = "billing"      // a month's billing run; id YYYY-MM
	DocReceipt      DocKind = "receipt"      // a fee receipt; id R00000012
	DocExpense      DocKind = "expense"      // an expense request's payment; id E000012
	DocRemuneration DocKind = "remuneration" // a month's remuneration accrual; id YYYY-MM
	DocIncome       DocKind = "income"       // public income; id the income kind's code
	DocDeposit      DocKind = "deposit"      // cash paid into the bank; id the slip number
	DocSettlement   DocKind = "settlement"   // a year's settlement; id YYYY
)

// docKinds are the kinds ParseRef recognises.
var docKinds = []DocKind{DocBilling, DocReceipt, DocExpense, DocRemuneration, DocIncome, DocDeposit, DocSettlement, DocBankLine}

// Ref is the Ref of the entry of document id of this kind.
func (k DocKind) Ref(id string) string { return string(k) + ":" + id }

// ParseRef splits an entry's Ref into its document kind and id; kind is "" (and id the
// whole Ref) for a manual entry's free text.
func ParseRef(ref string) (kind DocKind, id string) {
	if k, rest, ok := strings.Cut(ref, ":"); ok && slices.Contains(docKinds, DocKind(k)) {
		return DocKind(k), rest
	}
	return "", ref
}

// AccountBalance is the balance of one account (debit positive).
type AccountBalance struct {
	Account string          `json:"account"`
	Balance decimal.Decimal `json:"balance"`
}

// Validate checks an entry before it is posted: a real date, a description, at least
// two postings on accounts the chart knows (known may be nil to skip that check), every
// amount non-zero and kept to 分, and the postings summing to exactly zero — the rule
// of double entry (有借必有贷，借贷必相等).
func (e Entry) Validate(known func(account string) bool) error {
	if err := ValidDate(e.Date); err != nil {
		return err
	}
	if strings.TrimSpace(e.Description) == "" {
		return Errorf(EINVALID, "凭证需要摘要", "an entry needs a description")
	}
	if err := CheckText("摘要", "description", e.Description, MaxTextRunes); err != nil {
		return err
	}
	if len(e.Postings) < 2 {
		return Errorf(EINVALID, "凭证至少要有一借一贷两行", "an entry needs at least two postings (a debit and a credit)")
	}
	// Amounts of at most two decimals and 15 digits (every amount a book holds) are
	// checked and added in cents, without allocating: verify validates a quarter of a
	// million entries (docs/record-log.md, "Measured"); any other goes the decimal way.
	var sumCents int64
	inCents := true
	for _, p := range e.Postings {
		if known != nil && !known(p.Account) {
			return Errorf(EINVALID, "科目表里没有科目 %q", "the chart of accounts has no account %q", p.Account)
		}
		if c, ok := cents(p.Amount); ok {
			switch {
			case c == 0:
				return Errorf(EINVALID, "科目 %s 的金额为零", "posting to %s has a zero amount", p.Account)
			case c > maxPostingCents || c < -maxPostingCents:
				return tooLarge(p.Account, p.Amount.Abs(), MaxPosting)
			}
			sumCents += c // |c| ≤ 10^12: no overflow before 9 million postings
			continue
		}
		inCents = false
		if p.Amount.IsZero() {
			return Errorf(EINVALID, "科目 %s 的金额为零", "posting to %s has a zero amount", p.Account)
		}
		if p.Amount.Abs().GreaterThan(MaxPosting) {
			return tooLarge(p.Account, p.Amount.Abs(), MaxPosting)
		}
		if !p.Amount.Equal(p.Amount.Round(2)) {
			return Errorf(EINVALID, "科目 %s 的金额 %s 超过两位小数", "posting to %s: amount %s has more than 2 decimals", p.Account, p.Amount.String())
		}
	}
	if inCents {
		if sumCents != 0 {
			return Errorf(EINVALID, "凭证借贷不平：相差 %s", "the entry does not balance: it is off by %s", PlainAmount(decimal.New(sumCents, -2)))
		}
		return nil
	}
	sum := decimal.Zero
	for _, p := range e.Postings {
		sum = sum.Add(p.Amount)
	}
	if !sum.IsZero() {
		return Errorf(EINVALID, "凭证借贷不平：相差 %s", "the entry does not balance: it is off by %s", PlainAmount(sum))
	}
	return nil
}

// maxPostingCents is MaxPosting in cents.
var maxPostingCents = MaxPosting.Shift(2).IntPart()

// cents is d in hundredths, when d has at most two decimals and 15 digits (ok false
// otherwise), without allocating.
func cents(d decimal.Decimal) (c int64, ok bool) {
	exp := d.Exponent()
	if exp < -2 || exp > 0 || d.NumDigits() > 15 {
		return 0, false
	}
	c = d.CoefficientInt64()
	for ; exp > -2; exp-- {
		c *= 10
	}
	return c, true
}

// CanonicalEntry is the exact text an entry's hash covers. It is line-based and
// versioned so that anyone can recompute a hash from an exported entry without this
// program:
//
//	sunledger-entry-v1
//	seq 12
//	date 2026-01-15
//	desc "收物业费 1-1-101"          (Go-quoted string, UTF-8 kept as is)
//	ref "receipt:R00000012"
//	reverses 0
//	who "张三"
//	post "资产:物业服务资金:银行存款" 1234.50    (one line per posting, amounts with 2 decimals)
//	prev <hex sha-256 of the previous entry, or empty for the first>
//
// each line ending in "\n". Hash = lowercase hex SHA-256 of these bytes.
func CanonicalEntry(e Entry) []byte {
	return appendCanonicalEntry(make([]byte, 0, 256+64*len(e.Postings)), e)
}

// appendCanonicalEntry appends CanonicalEntry(e) to b.
func appendCanonicalEntry(b []byte, e Entry) []byte {
	b = append(b, "sunledger-entry-v1\nseq "...)
	b = strconv.AppendInt(b, e.Seq, 10)
	b = append(b, "\ndate "...)
	b = append(b, e.Date...)
	b = append(b, "\ndesc "...)
	b = appendQuote(b, e.Description)
	b = append(b, "\nref "...)
	b = appendQuote(b, e.Ref)
	b = append(b, "\nreverses "...)
	b = strconv.AppendInt(b, e.Reverses, 10)
	b = append(b, "\nwho "...)
	b = appendQuote(b, e.Who)
	for _, p := range e.Postings {
		b = append(b, "\npost "...)
		b = appendQuote(b, p.Account)
		b = append(b, ' ')
		b = AppendFixed2(b, p.Amount)
	}
	b = append(b, "\nprev "...)
	b = append(b, e.PrevHash...)
	b = append(b, '\n')
	return b
}

// EntryHash is the hash of an entry's canonical encoding (which includes PrevHash).
func EntryHash(e Entry) string {
	var buf [1024]byte // most entries: verify hashes a quarter of a million without garbage
	sum := sha256.Sum256(appendCanonicalEntry(buf[:0], e))
	return hex.EncodeToString(sum[:])
}

// Seal links e to the chain: it sets PrevHash to the head and computes Hash.
func Seal(e Entry, prev string) Entry {
	e.PrevHash = prev
	e.Hash = EntryHash(e)
	return e
}

// ChainCheck re-walks a journal one entry at a time, oldest first, the way verify and
// snapshot checks do: sequence numbers run 1, 2, 3… without gaps, each entry points at
// its predecessor's hash, each hash matches the entry's content, each entry balances,
// and it adds up every account's balance on the way.
type ChainCheck struct {
	Head string
	Seq  int64
	// balances holds what Balances gives; cents, what the walk added in whole hundredths
	// since Balances last folded it in (a quarter of a million entries add up without a
	// big-number allocation each).
	balances map[string]decimal.Decimal
	cents    map[string]int64
}

// NewChainCheck starts a walk at the beginning of the journal.
func NewChainCheck() *ChainCheck {
	return &ChainCheck{balances: map[string]decimal.Decimal{}, cents: map[string]int64{}}
}

// Balances is every account's balance after the entries taken so far. The map is the
// walk's own: read it, do not change it, and take no entry while it is read elsewhere.
func (c *ChainCheck) Balances() map[string]decimal.Decimal {
	if len(c.cents) > 0 { // (a finished walk's Balances only reads: callers may share it)
		for a, n := range c.cents {
			c.balances[a] = c.balances[a].Add(decimal.New(n, -2))
		}
		clear(c.cents)
	}
	return c.balances
}

// add adds a posting's amount to its account.
func (c *ChainCheck) add(account string, amount decimal.Decimal) {
	n, ok := cents(amount)
	if !ok {
		c.balances[account] = c.balances[account].Add(amount)
		return
	}
	had := c.cents[account]
	sum := had + n
	if (n > 0 && sum < had) || (n < 0 && sum > had) { // beyond int64: fold in what came before
		c.balances[account] = c.balances[account].Add(decimal.New(had, -2))
		sum = n
	}
	c.cents[account] = sum
}

// Check takes the next entry; the error names the entry and what is wrong with it.
func (c *ChainCheck) Check(e Entry) error { return c.CheckHashed(e, EntryHash(e)) }

// CheckHashed is Check with the entry's hash already computed as EntryHash(e).
func (c *ChainCheck) CheckHashed(e Entry, hash string) error {
	return c.CheckPrepared(PreparedEntry{Entry: e, Hash: hash, Invalid: e.Validate(nil)})
}

// PreparedEntry is an entry made ready for a chain walk: hashed and validated, the work
// that does not depend on the entries before it, so a long walk does it on several cores
// and checks the links in order on one (CheckPrepared).
type PreparedEntry struct {
	Entry
	Hash    string // EntryHash(Entry)
	Invalid error  // Entry.Validate(nil)
}

// PrepareEntry hashes and validates e.
func PrepareEntry(e Entry) PreparedEntry {
	var buf [1024]byte
	sum := sha256.Sum256(appendCanonicalEntry(buf[:0], e))
	var h [2 * sha256.Size]byte
	hex.Encode(h[:], sum[:])
	hash := e.Hash // the same string when it matches: no copy of it for each entry
	if string(h[:]) != hash {
		hash = string(h[:])
	}
	return PreparedEntry{Entry: e, Hash: hash, Invalid: e.Validate(nil)}
}

// CheckPrepared takes the next entry, prepared by PrepareEntry.
func (c *ChainCheck) CheckPrepared(p PreparedEntry) error {
	e := p.Entry
	bad := func(zhWhy, enWhy string) error {
		return Errorf(EINVALID, "凭证 #%d（%s %s）有问题：%s。账本可能被改动过，请从备份或快照核对",
			"entry #%d (%s %s) is bad: %s. The books may have been tampered with; check against a backup or snapshot",
			e.Seq, e.Date, e.Description, T(zhWhy, enWhy))
	}
	if e.Seq != c.Seq+1 {
		return Errorf(EINVALID, "凭证 #%d 之后应为 #%d，却是 #%d：凭证链断了", "after entry #%d expected #%d but found #%d: the chain is broken", c.Seq, c.Seq+1, e.Seq)
	}
	if e.PrevHash != c.Head {
		return bad("它记录的上一张凭证的哈希与实际不符", "its previous-entry hash does not match the entry before it")
	}
	if p.Hash != e.Hash {
		return bad("内容与它的哈希不符（凭证被改动过）", "its content does not match its hash (the entry was altered)")
	}
	if err := p.Invalid; err != nil {
		return bad(err.(*Error).ZH, err.(*Error).EN)
	}
	for _, p := range e.Postings {
		c.add(p.Account, p.Amount)
	}
	c.Seq, c.Head = e.Seq, e.Hash
	return nil
}

// Reversal builds the entry that undoes e (红字冲销): the same postings with opposite
// signs, referring to e.
func Reversal(e Entry, date, why string) Entry {
	r := Entry{Date: date, Ref: e.Ref, Reverses: e.Seq,
		Description: T("冲销凭证 #", "reversal of entry #") + strconv.FormatInt(e.Seq, 10) + "：" + strings.TrimSpace(why)}
	for _, p := range e.Postings {
		r.Postings = append(r.Postings, Posting{Account: p.Account, Amount: p.Amount.Neg()})
	}
	return r
}

// ChartService keeps the chart of accounts the journal posts to, and how far its
// periods are locked after disclosure.
type ChartService interface {
	// Accounts returns the chart of accounts in chart order.
	Accounts(ctx context.Context) ([]Account, error)
	// AddAccount extends the chart; ECONFLICT if it exists, EINVALID for a bad name.
	AddAccount(ctx context.Context, a Account, who, why string) error
	// Lock locks every period through month (YYYY-MM) after disclosure; ECONFLICT if
	// that would unlock a locked month (locks only move forward).
	Lock(ctx context.Context, month, who, why string) error
	// LockOverriding is Lock for a month whose bank reconciliation shows an unexplained
	// difference: the committee locks it anyway, with the reason (required) audited.
	LockOverriding(ctx context.Context, month, who, why string) error
	// LockedThrough is the last locked month, "" if none.
	LockedThrough(ctx context.Context) (string, error)
}

// LedgerService keeps the journal. Other services (fees,
// expenses) post through it in their own transactions; this interface is what screens
// and commands call.
type LedgerService interface {
	// Post validates e (balanced, known accounts, open period) and appends it to the
	// chain. EINVALID for a bad entry, ELOCKED for a date in a locked period.
	Post(ctx context.Context, e Entry, who, why string) (Entry, error)
	// Reverse appends an entry that undoes entry seq, dated date ("" = today);
	// ENOTFOUND for no such entry, ECONFLICT if seq was already reversed or is itself
	// a reversal, EINVALID for entries that only their own service may undo (billing
	// runs); reversing a fee receipt also reopens the bills it paid.
	Reverse(ctx context.Context, seq int64, date, who, why string) (Entry, error)
	// Entry returns one entry; ENOTFOUND if there is none.
	Entry(ctx context.Context, seq int64) (Entry, error)
	// Entries returns up to limit entries from seq from on (from ≥ 1; limit ≤ 0 = all).
	Entries(ctx context.Context, from int64, limit int) ([]Entry, error)
	// EachEntry calls fn for every entry, oldest first, without holding them all.
	EachEntry(ctx context.Context, fn func(Entry) error) error
	// EachEntryDated calls fn, oldest first, for every entry dated from..to
	// (YYYY-MM-DD, inclusive) among entries 1..upTo (upTo ≤ 0: all): a report of one
	// period reads that period's entries only (the journal is indexed by month).
	EachEntryDated(ctx context.Context, from, to string, upTo int64, fn func(Entry) error) error
	// BalancesBefore is each account's balance over the entries dated before date
	// (YYYY-MM-DD) among entries 1..upTo (upTo ≤ 0: all), debit positive.
	BalancesBefore(ctx context.Context, date string, upTo int64) (map[string]decimal.Decimal, error)
	// Balances returns every account of the chart with its balance, in chart order.
	Balances(ctx context.Context) ([]AccountBalance, error)
	// Head is the hash of the newest entry ("" for an empty journal) and its number.
	Head(ctx context.Context) (hash string, seq int64, err error)
	// Verify re-walks the chain and every balance; the error names the first bad entry.
	Verify(ctx context.Context) error
}
