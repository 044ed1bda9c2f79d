package storage

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"strconv"

	"sunledger/app"
)

// Reading the journal for the reports computed from it (budget against actual, the
// settlement, the maintenance statement): the entries of some dates that can touch
// some accounts, decoded on all cores without holding the whole journal.

// journalWhere reads the journal, oldest first, for the reports computed from it: the
// entries whose date keep accepts (nil = all) and, if mention is not empty, whose
// stored form contains it (an account prefix such as "支出:" or a fund's ":维修资金:"; an
// entry without it cannot post to those accounts). Both are read from the raw value
// first, so the other entries cost no decoding: a ten-year book of a large community
// holds a quarter of a million entries, most of them fee receipts. The entries kept are
// decoded on all cores in batches (as walkEntries does) and returned in journal order.
func (tx *Tx) journalWhere(keep func(date string) bool, mention string) ([]app.Entry, error) {
	var out []app.Entry
	err := tx.journalEach(keep, mention, false, func(es []app.Entry) error {
		out = append(out, es...)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// journalEach is journalWhere without keeping the entries: it hands them to fn a batch
// at a time, in journal order, so a report that only sums them holds one batch at once.
// With amountsOnly the entries carry only their date and postings (what sums need),
// which spares decoding the rest.
func (tx *Tx) journalEach(keep func(date string) bool, mention string, amountsOnly bool, fn func([]app.Entry) error) error {
	// Few batches in flight: a page may run three of these readers at once, and each
	// batch waiting holds its raw values.
	workers := max(runtime.NumCPU(), 1)
	work := make(chan *journalBatch, workers)
	order := make(chan *journalBatch, 2*workers)
	stop, stopped := make(chan struct{}), make(chan struct{})
	defer func() { close(stop); <-stopped }() // the iterator is closed before the transaction ends
	var iterErr error
	go func() { // the reader: Badger iterators belong to one goroutine
		defer close(stopped)
		defer close(work)
		defer close(order)
		iterErr = tx.readJournalBatches(keep, mention, stop, work, order)
	}()
	for range workers {
		go decodeJournalBatches(work, keep, amountsOnly)
	}
	for b := range order {
		<-b.done
		if b.err != nil {
			return b.err
		}
		if err := fn(b.entries); err != nil {
			return err
		}
	}
	if iterErr != nil && iterErr != errStopped {
		return iterErr
	}
	return nil
}

// journalBatchSize is how many raw entries the reader puts in one batch.
const journalBatchSize = 1024

// journalBatch is a run of consecutive journal entries on their way through
// journalEach: the raw values from the reader, then the entries a decoder made of them
// (or the error it met), ready once done is closed.
type journalBatch struct {
	keys    []string
	vals    [][]byte
	entries []app.Entry
	err     error
	done    chan struct{}
}

// readJournalBatches is journalEach's reader: it iterates the journal, skips on the raw
// value the entries that do not contain mention or whose date keep refuses, and sends
// each full batch (and the last one) both to the decoders (work) and, in journal order,
// to journalEach (order). It returns errStopped once stop is closed.
func (tx *Tx) readJournalBatches(keep func(date string) bool, mention string, stop <-chan struct{}, work, order chan<- *journalBatch) error {
	marker := []byte(`"date":"`)
	needle := []byte(mention)
	b := &journalBatch{done: make(chan struct{})}
	send := func() bool {
		for _, ch := range []chan<- *journalBatch{work, order} {
			select {
			case ch <- b:
			case <-stop:
				return false
			}
		}
		b = &journalBatch{done: make(chan struct{})}
		return true
	}
	err := tx.each(prefixEntry, func(k string, v []byte) error {
		if len(needle) > 0 && !bytes.Contains(v, needle) {
			return nil
		}
		if keep != nil {
			if i := bytes.Index(v, marker); i >= 0 && len(v) >= i+len(marker)+10 {
				if !keep(string(v[i+len(marker) : i+len(marker)+10])) {
					return nil
				}
			}
		}
		b.keys = append(b.keys, k)
		b.vals = append(b.vals, bytes.Clone(v))
		if len(b.keys) == journalBatchSize && !send() {
			return errStopped
		}
		return nil
	})
	if err == nil && len(b.keys) > 0 {
		send()
	}
	return err
}

// decodeJournalBatches is one of journalEach's decoders: for each batch from work it
// decodes the raw values (only date and postings with amountsOnly), keeps the entries
// whose date keep accepts, drops the raw values and closes done.
func decodeJournalBatches(work <-chan *journalBatch, keep func(date string) bool, amountsOnly bool) {
	for b := range work {
		b.entries = make([]app.Entry, 0, len(b.vals))
		for i, v := range b.vals {
			var e app.Entry
			var err error
			if amountsOnly {
				var a entryAmounts
				err = json.Unmarshal(v, &a)
				e.Date, e.Postings = a.Date, a.Postings
			} else {
				err = json.Unmarshal(v, &e)
			}
			if err != nil {
				b.err = fmt.Errorf("decode %s: %w", b.keys[i], err)
				break
			}
			if keep == nil || keep(e.Date) {
				b.entries = append(b.entries, e)
			}
		}
		b.vals = nil
		close(b.done)
	}
}

// entryAmounts is the part of a stored entry that sums need.
type entryAmounts struct {
	Date     string        `json:"date"`
	Postings []app.Posting `json:"postings"`
}

// errStopped ends an iteration whose reader has gone away.
var errStopped = errors.New("stopped")

// through keeps dates in year y or before; in keeps dates in year y.
func through(y int) func(string) bool {
	s := strconv.Itoa(y)
	return func(d string) bool { return len(d) >= 4 && d[:4] <= s }
}

func in(y int) func(string) bool {
	s := strconv.Itoa(y)
	return func(d string) bool { return len(d) >= 4 && d[:4] == s }
}
