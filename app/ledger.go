package app

import (
	"context"

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

// AccountBalance is the balance of one account (debit positive).
type AccountBalance struct {
	Account string          `json:"account"`
	Balance decimal.Decimal `json:"balance"`
}

// LedgerService keeps the journal. Other services (fees, expenses) post through it in
// their own transactions; this interface is what screens and commands call.
type LedgerService interface {
	// Post validates e (balanced, known accounts, open period) and appends it to the chain.
	Post(ctx context.Context, e Entry, who, why string) (Entry, error)
	// Reverse appends an entry that undoes entry seq; EINVALID if seq was already reversed.
	Reverse(ctx context.Context, seq int64, date, who, why string) (Entry, error)
	// Entries returns the journal, oldest first.
	Entries(ctx context.Context) ([]Entry, error)
	// Balances returns every account's balance.
	Balances(ctx context.Context) ([]AccountBalance, error)
	// Head is the hash of the newest entry ("" for an empty journal).
	Head(ctx context.Context) (string, error)
	// Verify re-walks the chain and every balance; the error names the first bad entry.
	Verify(ctx context.Context) error
}
