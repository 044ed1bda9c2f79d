package storage

import (
	"context"
	"fmt"
	"maps"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/dgraph-io/badger/v4"
	"github.com/shopspring/decimal"

	"sunledger/app"
)

// The journal by date (issue 27): a report of one quarter reads that quarter's entries
// and the balances before it, not the whole journal.
//
//	jdate/<YYYY-MM>/<seq:012d>   empty: entry seq is dated in that month
//	meta/jdate-through           int64: every entry up to this number is in jdate/
//
// post writes the index key with the entry; flush moves meta/jdate-through to the head
// when the index was whole before the transaction. A book from before the index gets it
// on its first writing open (startDateIndex), in chunks that resume. A reader uses the
// index only when meta/jdate-through is the head (a book written by an older program, or
// opened read-only before its first writing open, is read whole as before).
const (
	prefixDateIndex = "jdate/"
	keyDateThrough  = "meta/jdate-through"
	dateIndexChunk  = 10000
)

func dateIndexKey(date string, seq int64) string {
	return fmt.Sprintf("%s%s/%012d", prefixDateIndex, monthOf(date), seq)
}

// monthOf is the YYYY-MM of a date (YYYY-MM-DD).
func monthOf(date string) string {
	if len(date) >= 7 {
		return date[:7]
	}
	return date
}

// dateIndexed reports whether the index holds every entry up to head.
func (tx *Tx) dateIndexed() (bool, error) {
	var head ledgerHead
	if _, err := tx.get(keyLedgerHead, &head); err != nil {
		return false, err
	}
	var through int64
	if _, err := tx.get(keyDateThrough, &through); err != nil {
		return false, err
	}
	return through == head.Seq, nil
}

// startDateIndex indexes the entries of a book from before the index, on a writing open.
func (db *DB) startDateIndex() error {
	if db.bdb.Opts().ReadOnly {
		return nil
	}
	for {
		done := false
		err := db.update(func(tx *Tx) error {
			var head ledgerHead
			if _, err := tx.get(keyLedgerHead, &head); err != nil {
				return err
			}
			var through int64
			if _, err := tx.get(keyDateThrough, &through); err != nil {
				return err
			}
			if through >= head.Seq {
				done = true
				return nil
			}
			last := through
			err := eachJSONFrom(tx, entryKey(through+1), prefixEntry, func(_ string, e app.Entry) error {
				if e.Seq > through+dateIndexChunk {
					return errStop
				}
				last = e.Seq
				return tx.putRaw(dateIndexKey(e.Date, e.Seq), nil)
			})
			if err != nil && err != errStop {
				return err
			}
			if last == through {
				return app.Internal(fmt.Errorf("journal index: no entry after #%d below the head #%d", through, head.Seq))
			}
			return tx.put(keyDateThrough, last)
		})
		if err != nil || done {
			return err
		}
	}
}

// eachJSONFrom is eachJSON from key start on.
func eachJSONFrom[T any](tx *Tx, start, prefix string, fn func(key string, v T) error) error {
	opts := badger.DefaultIteratorOptions
	opts.Prefix = []byte(prefix)
	it := tx.txn.NewIterator(opts)
	defer it.Close()
	for it.Seek([]byte(start)); it.Valid(); it.Next() {
		item := it.Item()
		var v T
		if err := item.Value(func(b []byte) error { return decodeValue(b, &v) }); err != nil {
			return fmt.Errorf("decode %s: %w", item.Key(), err)
		}
		if err := fn(string(item.Key()), v); err != nil {
			return err
		}
	}
	return nil
}

// datedSeqs lists, in order, the numbers of the entries dated in the months from..to
// (YYYY-MM, inclusive; "" = open) that the index holds.
func (tx *Tx) datedSeqs(from, to string) ([]int64, error) {
	opts := badger.DefaultIteratorOptions
	opts.PrefetchValues = false
	opts.Prefix = []byte(prefixDateIndex)
	it := tx.txn.NewIterator(opts)
	defer it.Close()
	var out []int64
	for it.Seek([]byte(prefixDateIndex + from)); it.Valid(); it.Next() {
		k := string(it.Item().Key())
		rest := strings.TrimPrefix(k, prefixDateIndex)
		m, n, ok := strings.Cut(rest, "/")
		if !ok {
			continue
		}
		if to != "" && m > to {
			break
		}
		seq, err := strconv.ParseInt(n, 10, 64)
		if err != nil {
			return nil, app.Internal(fmt.Errorf("bad journal index key %q", k))
		}
		out = append(out, seq)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out, nil
}

// eachEntryOf calls fn with the entries seqs names (sorted), reading the journal in order
// from the first to the last of them: the entries of a period are mostly one stretch of
// the chain, which one iterator reads faster than a lookup each.
func (tx *Tx) eachEntryOf(ctx context.Context, seqs []int64, fn func(app.Entry) error) error {
	if len(seqs) == 0 {
		return nil
	}
	want := make(map[int64]bool, len(seqs))
	for _, s := range seqs {
		want[s] = true
	}
	last, found := seqs[len(seqs)-1], 0
	opts := badger.DefaultIteratorOptions
	opts.Prefix = []byte(prefixEntry)
	opts.PrefetchValues = false
	it := tx.txn.NewIterator(opts)
	defer it.Close()
	for it.Seek([]byte(entryKey(seqs[0]))); it.Valid(); it.Next() {
		k := it.Item().Key()
		seq, err := strconv.ParseInt(string(k[len(prefixEntry):]), 10, 64)
		if err != nil || seq > last {
			break
		}
		if !want[seq] {
			continue
		}
		if err := ctxErr(ctx); err != nil {
			return err
		}
		var e app.Entry
		if err := it.Item().Value(func(b []byte) (err error) { e, err = app.DecodeEntry(b); return err }); err != nil {
			return fmt.Errorf("decode %s: %w", k, err)
		}
		found++
		if err := fn(e); err != nil {
			return err
		}
	}
	if found != len(seqs) {
		return Damage(tx.db.dir, fmt.Sprintf("the journal's index names %d entries between #%d and #%d, the journal holds %d of them", len(seqs), seqs[0], last, found))
	}
	return nil
}

// EachEntryDated calls fn, oldest first, for every entry dated from..to (YYYY-MM-DD,
// inclusive) among entries 1..upTo (upTo ≤ 0: all), through the index by month when the
// book has it (else by reading the whole journal).
func (s LedgerService) EachEntryDated(ctx context.Context, from, to string, upTo int64, fn func(app.Entry) error) error {
	return s.db.view(func(tx *Tx) error { return tx.eachEntryDated(ctx, from, to, upTo, fn) })
}

// eachEntryDated is EachEntryDated within a transaction.
func (tx *Tx) eachEntryDated(ctx context.Context, from, to string, upTo int64, fn func(app.Entry) error) error {
	keep := func(e app.Entry) bool {
		return e.Date >= from && e.Date <= to && (upTo <= 0 || e.Seq <= upTo)
	}
	ok, err := tx.dateIndexed()
	if err != nil {
		return err
	}
	if !ok {
		return tx.eachEntry(func(e app.Entry) error {
			if err := ctxErr(ctx); err != nil {
				return err
			}
			if !keep(e) {
				return nil
			}
			return fn(e)
		})
	}
	seqs, err := tx.datedSeqs(monthOf(from), monthOf(to))
	if err != nil {
		return err
	}
	n := len(seqs)
	for n > 0 && upTo > 0 && seqs[n-1] > upTo {
		n--
	}
	return tx.eachEntryOf(ctx, seqs[:n], func(e app.Entry) error {
		if !keep(e) {
			return nil
		}
		return fn(e)
	})
}

// BalancesBefore returns each account's balance over the entries dated before date
// (YYYY-MM-DD, the first of a month) among entries 1..upTo (upTo ≤ 0: all). With the
// index it reads the smaller side: the entries before date, summed, or those from date
// on (and those after upTo) taken away from the balances kept with every post.
func (s LedgerService) BalancesBefore(ctx context.Context, date string, upTo int64) (map[string]decimal.Decimal, error) {
	var out map[string]decimal.Decimal
	err := s.db.view(func(tx *Tx) (err error) { out, err = tx.balancesBefore(ctx, date, upTo); return err })
	return out, err
}

// balancesBefore is BalancesBefore within a transaction.
func (tx *Tx) balancesBefore(ctx context.Context, date string, upTo int64) (map[string]decimal.Decimal, error) {
	out := map[string]decimal.Decimal{}
	add := func(e app.Entry, sign int) {
		for _, p := range e.Postings {
			if sign > 0 {
				out[p.Account] = out[p.Account].Add(p.Amount)
			} else {
				out[p.Account] = out[p.Account].Sub(p.Amount)
			}
		}
	}
	remember := false // the answer goes into balancesMemo
	err := func() error {
		var head ledgerHead
		if _, err := tx.get(keyLedgerHead, &head); err != nil {
			return err
		}
		if upTo <= 0 || upTo > head.Seq {
			upTo = head.Seq
		}
		ok, err := tx.dateIndexed()
		if err != nil {
			return err
		}
		if ok && strings.HasSuffix(date, "-01") && tx.rec == nil {
			// A read-only transaction: the entries up to upTo it reads are committed,
			// and never change.
			remember = true
			if from, bal, ok := tx.db.balancesMemo.nearest(upTo, date); ok {
				seqs, sign, err := tx.seqsBetween(from, date, upTo)
				if err != nil {
					return err
				}
				// From there, unless that reads more than a quarter of the journal: the
				// way below reads at most half, from its nearer end.
				if int64(len(seqs)) <= head.Seq/4 {
					tx.db.balancesMemo.used.Add(1)
					out = bal
					return tx.eachEntryOf(ctx, seqs, func(e app.Entry) error { add(e, sign); return nil })
				}
			}
		}
		if !ok || !strings.HasSuffix(date, "-01") {
			return tx.eachEntry(func(e app.Entry) error {
				if err := ctxErr(ctx); err != nil {
					return err
				}
				if e.Seq <= upTo && e.Date < date {
					add(e, 1)
				}
				return nil
			})
		}
		month := monthOf(date)
		later, err := tx.datedSeqs(month, "")
		if err != nil {
			return err
		}
		if int64(len(later)) > head.Seq/2 {
			// Most of the journal is from date on: sum what is before it.
			seqs, err := tx.datedSeqs("", "")
			if err != nil {
				return err
			}
			isLater := make(map[int64]bool, len(later))
			for _, s := range later {
				isLater[s] = true
			}
			var before []int64
			for _, seq := range seqs {
				if seq <= upTo && !isLater[seq] {
					before = append(before, seq)
				}
			}
			return tx.eachEntryOf(ctx, before, func(e app.Entry) error { add(e, 1); return nil })
		}
		if err := eachJSON(tx, prefixBalance, func(k string, b decimal.Decimal) error {
			out[strings.TrimPrefix(k, prefixBalance)] = b
			return nil
		}); err != nil {
			return err
		}
		// Taken away: the entries dated from date on, and those after upTo.
		taken := make(map[int64]bool, len(later))
		for _, seq := range later {
			taken[seq] = true
		}
		for seq := upTo + 1; seq <= head.Seq; seq++ {
			taken[seq] = true
		}
		all := make([]int64, 0, len(taken))
		for seq := range taken {
			all = append(all, seq)
		}
		sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
		return tx.eachEntryOf(ctx, all, func(e app.Entry) error { add(e, -1); return nil })
	}()
	if err == nil && remember {
		tx.db.balancesMemo.note(upTo, date, out)
	}
	return out, err
}

// seqsBetween are the entries up to upTo that turn the balances before from into those
// before to (both the first of a month): those dated from from up to to, to be added
// (sign 1), or when to is earlier those dated from to up to from, taken away (-1).
func (tx *Tx) seqsBetween(from, to string, upTo int64) (seqs []int64, sign int, err error) {
	sign, lo, hi := 1, from, to
	if to < from {
		sign, lo, hi = -1, to, from
	}
	if lo == hi {
		return nil, sign, nil
	}
	if seqs, err = tx.datedSeqs(monthOf(lo), app.AddMonths(monthOf(hi), -1)); err != nil {
		return nil, sign, err
	}
	n := len(seqs)
	for n > 0 && seqs[n-1] > upTo {
		n--
	}
	return seqs[:n], sign, nil
}

// balancesMemo remembers, on this open, the balances before the first of a month that
// read-only transactions found, for one journal length (upTo) at a time: the next
// question for another month is answered from the nearest month known, by the entries of
// the months between. A snapshot's disclosures ask for the balances before each of a
// book's quarters several times (the opening balances, each fund's cash book, the bank's
// reconciliation), and each answer read up to half the journal: 2 s of an export's
// CPU on the 3,000-unit 10-year demo (docs/snapshot.md, "Size and speed").
type balancesMemo struct {
	mu   sync.Mutex
	upTo int64
	at   map[string]map[string]decimal.Decimal // by date, YYYY-MM-01
	used atomic.Int64                          // answers made from a remembered one
}

// nearest is a copy of the remembered balances for upTo nearest to date, and their date.
func (m *balancesMemo) nearest(upTo int64, date string) (string, map[string]decimal.Decimal, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.upTo != upTo {
		return "", nil, false
	}
	best, dist := "", 0
	for d := range m.at {
		n := app.MonthsBetween(monthOf(d), monthOf(date))
		n = max(n, -n)
		if best == "" || n < dist || n == dist && d < best {
			best, dist = d, n
		}
	}
	if best == "" {
		return "", nil, false
	}
	return best, maps.Clone(m.at[best]), true
}

// note remembers bal (a copy) as the balances before date for upTo; a new upTo replaces
// what was remembered.
func (m *balancesMemo) note(upTo int64, date string, bal map[string]decimal.Decimal) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.upTo != upTo || m.at == nil {
		m.upTo, m.at = upTo, map[string]map[string]decimal.Decimal{}
	}
	m.at[date] = maps.Clone(bal)
}
