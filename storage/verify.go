package storage

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"sort"
	"strings"
	"sync"

	"github.com/shopspring/decimal"

	"sunledger/app"
	"sunledger/internal/jsonscan"
)

// Verify checks the record log against every record of the book (recordlog.go), re-walks
// the chain entry by entry (numbering, links, hashes, balance of each entry), then
// compares every stored account balance and the head with the walk, the fee sub-ledger
// (open bills and prepayments) with its control accounts, and the documents with their
// journal entries (crosscheck.go).
//
// The reads that cost (the record log, the journal, the receipts) run side by side in one
// read transaction, each decoding on all cores (docs/record-log.md, "Cost"). Every value
// of the store is read once, and every block read is checked against its checksum (the
// store is opened with OnBlockRead). The pass counts the tables' entries it steps over:
// when it reached every one, every block was read and checked (tablecount.go); else, and
// whenever it cannot count (memtables not empty), every table is checked block by block
// (VerifyTables), and a damaged table is named before anything the pass found, which a
// damaged table may have caused. An encrypted book's tables are checked by Badger.
func (s LedgerService) Verify(ctx context.Context) error {
	count := s.db.tableCount()
	var beside chan error
	if count == nil { // checked beside the pass: a core is often free while it waits
		beside = make(chan error, 1)
		go func() { beside <- s.checkTables() }()
	}
	err := s.verifyPass(ctx, false, count)
	switch {
	case beside != nil:
		if terr := <-beside; terr != nil {
			return terr
		}
	case count.whole(s.db):
		noteTablesRead(s.db.dir, count.tables)
	default:
		if terr := s.checkTables(); terr != nil {
			return terr
		}
	}
	if errors.Is(err, errNeedJoin) {
		// The running digests differ: the pass runs again with the log joined with the
		// store, to name the record (recordreplay.go).
		return s.verifyPass(ctx, true, nil)
	}
	return err
}

// checkTables checks every table of the book block by block.
func (s LedgerService) checkTables() error {
	if len(s.db.bdb.Opts().EncryptionKey) > 0 {
		if err := s.db.bdb.VerifyChecksum(); err != nil {
			return Damage(s.db.dir, err)
		}
		return nil
	}
	return VerifyTables(s.db.dir)
}

// verifyPass is Verify's pass over the store; joined keeps every write and record for
// the join, as a log that starts with blocks of the first format needs; count, if not
// nil, counts the tables' entries the pass steps over.
func (s LedgerService) verifyPass(ctx context.Context, joined bool, count *tableCount) error {
	return s.db.view(func(tx *Tx) error {
		if err := tx.requireBook(); err != nil {
			return err
		}
		if err := tx.checkBaseline(); err != nil {
			return err
		}
		// The record log is read while the store is read once, in key order: every
		// value hashed, every journal entry and receipt decoded, on all cores. Then the
		// two are compared (recordreplay.go).
		j := newRecordJoin(joined || tx.logStartsV1())
		replayed := tx.replayLog(ctx, j, count)
		p := newStorePass(j, tx.entriesHint())
		err := tx.readStore(ctx, p, count)
		replayErr := <-replayed // the replay reads this transaction: it ends before the view
		if err != nil {
			return err
		}
		if replayErr != nil {
			return replayErr
		}
		// The checks that remain read what the pass gathered, and the store: they run
		// side by side (the Merkle tree is rebuilt from the blocks beside them), and the
		// first to fail in this order is the one named: a record edited outside
		// Sunledger first, then the chain, the balances and the documents.
		balances := p.chain.Balances() // before the checks that read it side by side
		tree := make(chan memTree, 1)
		go func() { tree <- buildMemTree(j, p.entryHashes) }()
		checks := []func() error{
			func() error { return j.compare(tx) },
			func() error { return p.walkErr },
			func() error { return p.readErr },
			func() error { return tx.verifyHeadAndBalances(p.chain, balances) },
			func() error { return tx.verifyFees(balances) },
			func() error { return tx.verifyDateIndex(p, p.months) },
			func() error { return tx.verifyDocuments(p.docs, p.receipts) },
			tx.verifyAssessments,
			func() error { return p.leafIndexErr },
			func() error { return verifyLeafIndex(j, p.leafIndex) },
			func() error { return tx.verifyTree(<-tree) },
		}
		errs := make([]error, len(checks))
		var wg sync.WaitGroup
		for i, check := range checks {
			wg.Go(func() {
				defer tx.db.recoverDamage(&errs[i])
				errs[i] = check()
			})
		}
		wg.Wait()
		return firstError(errs)
	})
}

// firstError is the first of errs that is not nil.
func firstError(errs []error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// storePass is what verify gathers in its one pass over the store.
type storePass struct {
	records  *recordJoin
	chain    *app.ChainCheck
	docs     *docEntries
	receipts []receiptCheck
	// entryHashes[i] is entry i+1's hash, for the Merkle tree's leaves.
	entryHashes []string
	walkErr     error // the journal's first fault
	readErr     error // the first receipt that cannot be read
	// dated is the journal's index by month (dateindex.go): entry → month. Its keys
	// (jdate/…) come before the journal's (je/…) in key order.
	dated        []string // dated[seq]: the month the index files entry seq under
	datedErr     error
	months       []string         // months[seq]: entry seq's month, as the walk found it
	leafIndex    map[int64]uint64 // the leaf index's records: block → leafIndexSum
	leafIndexErr error
	monthNames   map[string]string // each month's name once (month)
	lastMonth    string            // the month last asked (month)
}

// newStorePass is ready for a journal of about n entries.
func newStorePass(j *recordJoin, n int) *storePass {
	return &storePass{records: j, chain: app.NewChainCheck(), docs: newDocEntries(n),
		entryHashes: make([]string, 0, n), months: make([]string, 0, n+1), dated: make([]string, 0, n+1)}
}

// entriesHint is the number of journal entries the head records, as a size hint only (the
// head is checked later); a damaged or absurd head gives a bounded hint.
func (tx *Tx) entriesHint() int {
	var head ledgerHead
	if ok, err := tx.get(keyLedgerHead, &head); err != nil || !ok || head.Seq < 0 {
		return 0
	}
	return int(min(head.Seq, 1<<22))
}

// storeItem is what a worker makes of one stored record: the hash of its value and,
// for a journal entry or a receipt, what the walk and the cross-check need of it.
type storeItem struct {
	sha     [32]byte
	key     keyHash // for the record log's join; unused for the log's own keys
	digest  keyHash // its share of the running digest; likewise
	leaf    uint64  // a record of the leaf index: its leafIndexSum
	entry   *preparedEntry
	receipt *receiptCheck
	bad     error // the entry or receipt cannot be read
}

// readStore reads every record but the record log's own, hashing and decoding on all
// cores, and takes the results in key order: the journal's entries come in chain order
// (their keys are their numbers), the records' hashes go to the join in key order.
func (tx *Tx) readStore(ctx context.Context, p *storePass, count *tableCount) error {
	read := func(key, v []byte) (storeItem, error) { return readRecord(p.records, key, v), nil }
	return decodeRange(ctx, tx, "", skipLog, count, read, func(key []byte, it storeItem) error {
		if logged(key) {
			p.records.stored(it.key, &it.sha, it.digest)
		}
		switch {
		case it.entry != nil:
			if p.walkErr == nil {
				p.walkErr = p.checkEntry(key, it.entry)
			}
		case it.receipt != nil:
			p.receipts = append(p.receipts, *it.receipt)
		case it.bad != nil && bytes.HasPrefix(key, []byte(prefixEntry)):
			if p.walkErr == nil {
				p.walkErr = it.bad
			}
		case it.bad != nil && p.readErr == nil:
			p.readErr = it.bad
		case bytes.HasPrefix(key, []byte(prefixDateIndex)):
			p.noteDated(key)
		case bytes.HasPrefix(key, []byte(prefixLeafIndex)):
			p.noteLeafIndex(key, it.leaf)
		}
		return nil
	})
}

// noteLeafIndex takes one record of the leaf index (leafindex.go).
func (p *storePass) noteLeafIndex(key []byte, sum uint64) {
	seq, ok := digitsOf(key[len(prefixLeafIndex):])
	if !ok {
		if p.leafIndexErr == nil {
			p.leafIndexErr = app.Errorf(app.EINVALID, "记录链的叶子索引中有无法识别的记录 %s：账本被改动过", "the record log's leaf index holds a key that is malformed, %s: the books were tampered with", key)
		}
		return
	}
	if p.leafIndex == nil {
		p.leafIndex = map[int64]uint64{}
	}
	p.leafIndex[seq] = sum
}

// month is m, kept once for all the entries of the month (a month's entries and index
// keys come one after another: the last one asked is checked first).
func (p *storePass) month(m []byte) string {
	if string(m) == p.lastMonth {
		return p.lastMonth
	}
	k, ok := p.monthNames[string(m)]
	if !ok {
		if p.monthNames == nil {
			p.monthNames = map[string]string{}
		}
		k = string(m)
		p.monthNames[k] = k
	}
	p.lastMonth = k
	return k
}

// digitsOf reads a key's number (decimal digits only, as keys write them).
func digitsOf(b []byte) (int64, bool) {
	if len(b) == 0 || len(b) > 18 {
		return 0, false
	}
	var n int64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	return n, true
}

// noteDated takes one key of the journal's index by month.
func (p *storePass) noteDated(key []byte) {
	m, n, ok := bytes.Cut(bytes.TrimPrefix(key, []byte(prefixDateIndex)), []byte("/"))
	seq, seqOK := digitsOf(n)
	month := p.month(m)
	if !ok || !seqOK || seq < 1 || month == "" || (seq < int64(len(p.dated)) && p.dated[seq] != "") {
		if p.datedErr == nil {
			p.datedErr = app.Errorf(app.EINVALID, "凭证的按月索引中有无法识别或重复的记录 %s：账本被改动过", "the journal's index by month holds a key that is malformed or doubled, %s: the books were tampered with", key)
		}
		return
	}
	p.dated = setAt(p.dated, seq, month)
}

// at is s[i], "" beyond s.
func at(s []string, i int64) string {
	if i < 0 || i >= int64(len(s)) {
		return ""
	}
	return s[i]
}

// setAt sets s[i], growing s as needed.
func setAt(s []string, i int64, v string) []string {
	for int64(len(s)) <= i {
		s = append(s, "")
	}
	s[i] = v
	return s
}

// verifyDateIndex checks the journal's index by month against the walk: every entry up to
// meta/jdate-through is indexed under the month of its date, and the index names no entry
// that is not there under another month.
func (tx *Tx) verifyDateIndex(p *storePass, dates []string) error {
	if p.datedErr != nil {
		return p.datedErr
	}
	var through int64
	if _, err := tx.get(keyDateThrough, &through); err != nil {
		return err
	}
	for seq, month := range p.dated {
		if month == "" {
			continue
		}
		if want := at(dates, int64(seq)); want != month {
			return app.Errorf(app.EINVALID, "凭证的按月索引把 #%d 记在 %s，凭证链上它是 %q：索引被改动过，季度报表会漏记或多记", "the journal's index by month files #%d under %s, the chain says %q: the index was tampered with, and period reports would miss or double it", seq, month, want)
		}
	}
	for seq := int64(1); seq <= through; seq++ {
		if at(p.dated, seq) == "" {
			return app.Errorf(app.EINVALID, "凭证的按月索引缺少 #%d：季度报表会漏记它", "the journal's index by month lacks #%d: period reports would miss it", seq)
		}
	}
	return nil
}

// readRecord is a worker's part of readStore for one record.
func readRecord(j *recordJoin, key, v []byte) storeItem {
	it := storeItem{sha: sha256.Sum256(v)}
	switch {
	case bytes.HasPrefix(key, []byte(prefixEntry)):
		// The entry's strings share one copy of its text: what the walk keeps of it
		// (its hash, its Ref, its month) is copied out (checkEntry, noteOf).
		e, err := app.DecodeEntryShared(v, string(v))
		if err != nil {
			it.bad = app.Errorf(app.EINVALID, "凭证 %s 无法读取（%v）：账本可能被改动过", "entry %s cannot be read (%v): the books may have been tampered with", strings.TrimPrefix(string(key), prefixEntry), err)
			break
		}
		it.entry = &preparedEntry{PreparedEntry: app.PrepareEntry(e), doc: noteOf(e)}
	case bytes.HasPrefix(key, []byte(prefixPayment)):
		r, err := readReceipt(key, v)
		if err != nil {
			it.bad = err
			break
		}
		it.receipt = &r
	}
	if bytes.HasPrefix(key, []byte(prefixLeafIndex)) {
		it.leaf = j.leafIndexSum(v)
	}
	if logged(key) {
		if j.joined {
			it.key = j.hash(key)
		}
		it.digest = j.digestOf(key, &it.sha)
	}
	return it
}

// preparedEntry is a journal entry made ready on a worker for the walk and the
// cross-check.
type preparedEntry struct {
	app.PreparedEntry
	doc docNote
}

// checkEntry takes the next journal entry of the walk.
func (p *storePass) checkEntry(key []byte, e *preparedEntry) error {
	if !isEntryKey(key, e.Seq) {
		return app.Errorf(app.EINVALID, "存放位置 %s 的凭证自称 #%d：账本被改动过", "the entry stored at %s claims to be #%d: the books were tampered with", key, e.Seq)
	}
	if err := p.chain.CheckPrepared(e.PreparedEntry); err != nil {
		return err
	}
	p.entryHashes = append(p.entryHashes, strings.Clone(e.Entry.Hash))
	p.docs.note(e.doc)
	p.months = setAt(p.months, e.Seq, p.month([]byte(monthOf(e.Date))))
	return nil
}

// verifyHeadAndBalances compares the recorded head and every stored balance with the
// walk of the chain.
func (tx *Tx) verifyHeadAndBalances(c *app.ChainCheck, balances map[string]decimal.Decimal) error {
	var head ledgerHead
	if _, err := tx.get(keyLedgerHead, &head); err != nil {
		return err
	}
	if head.Seq != c.Seq || head.Hash != c.Head {
		return app.Errorf(app.EINVALID, "记录的最新凭证（#%d）与凭证链的末尾（#%d）不符：有凭证被删除或添加", "the recorded head (#%d) does not match the end of the chain (#%d): entries were removed or added", head.Seq, c.Seq)
	}
	stored := map[string]decimal.Decimal{}
	if err := eachJSON(tx, prefixBalance, func(k string, b decimal.Decimal) error {
		stored[strings.TrimPrefix(k, prefixBalance)] = b
		return nil
	}); err != nil {
		return err
	}
	names := make([]string, 0, len(stored)+len(balances))
	for a := range stored {
		names = append(names, a)
	}
	for a := range balances {
		if _, ok := stored[a]; !ok {
			names = append(names, a)
		}
	}
	sort.Strings(names)
	for _, a := range names {
		if !stored[a].Equal(balances[a]) {
			return app.Errorf(app.EINVALID, "科目 %s 的余额记录为 %s，按凭证重算为 %s：余额被改动过", "account %s: the stored balance %s differs from the %s the entries add up to: balances were tampered with",
				a, app.PlainAmount(stored[a]), app.PlainAmount(balances[a]))
		}
	}
	return nil
}

// isEntryKey reports whether key is entryKey(seq), without formatting it.
func isEntryKey(key []byte, seq int64) bool {
	const width = 12
	if len(key) != len(prefixEntry)+width || string(key[:len(prefixEntry)]) != prefixEntry || seq < 0 {
		return false
	}
	for i := len(key) - 1; i >= len(prefixEntry); i-- {
		if key[i] != byte('0'+seq%10) {
			return false
		}
		seq /= 10
	}
	return seq == 0
}

// receiptCheck is what the cross-check needs of a receipt: the entry it names, the
// entry that reversed it, and the fingerprint of the entry it makes.
type receiptCheck struct {
	Receipt            string
	EntrySeq, Reversed int64
	Print              entryPrint
}

// readReceipt reads what the cross-check needs of one stored receipt.
func readReceipt(key, v []byte) (receiptCheck, error) {
	c, err := decodePaymentCore(v, string(v))
	if err != nil {
		return receiptCheck{}, app.Errorf(app.EINVALID, "收据 %s 无法读取（%v）：账本可能被改动过", "receipt %s cannot be read (%v): the book may have been tampered with", strings.TrimPrefix(string(key), prefixPayment), err)
	}
	// The print covers the date and postings only (printText): those of PaymentEntry(p),
	// made in whole hundredths when the amounts are plain (every receipt a book writes).
	var print entryPrint
	if c.cents {
		var buf [256]byte
		b := append(buf[:0], c.Date...)
		app.PaymentPostingsCents(c.Method, c.amountCents, c.creditCents, func(account string, cents int64) {
			b = app.AppendCents2(printPosting(b, account), cents)
		})
		print = printOf(b)
	} else {
		p := app.Payment{Receipt: c.Receipt, Unit: c.Unit, Amount: c.Amount, Date: c.Date, Method: c.Method, Credit: c.Credit, EntrySeq: c.EntrySeq, Reversed: c.Reversed}
		var ps [3]app.Posting
		print = fingerprint(app.Entry{Date: p.Date, Postings: app.PaymentPostings(p, ps[:0])})
	}
	return receiptCheck{Receipt: strings.Clone(c.Receipt), EntrySeq: c.EntrySeq, Reversed: c.Reversed, Print: print}, nil
}

// paymentCore is the part of a stored receipt its journal entry is made from.
type paymentCore struct {
	Receipt  string            `json:"receipt"`
	Unit     string            `json:"unit"`
	Amount   decimal.Decimal   `json:"amount"`
	Date     string            `json:"date"`
	Method   app.PaymentMethod `json:"method"`
	Credit   decimal.Decimal   `json:"credit"`
	EntrySeq int64             `json:"entry_seq"`
	Reversed int64             `json:"reversed"`
	// cents: Amount and Credit were plain (app.PlainCents) and are given in whole
	// hundredths instead, the decimals left zero.
	cents                    bool
	amountCents, creditCents int64
}

// paymentCoreKeys are paymentCore's JSON names: another key that matches one of them
// but for case is left to encoding/json (which matches keys case-insensitively).
var paymentCoreKeys = [][]byte{[]byte("receipt"), []byte("unit"), []byte("amount"), []byte("date"), []byte("method"), []byte("credit"), []byte("entry_seq"), []byte("reversed")}

// decodePaymentCore gives what json.Unmarshal gives (a fuzz test holds it to that),
// reading the shape json.Marshal writes directly. Its strings are cut from str, which
// holds the same bytes as b (jsonscan.NewShared), or are copies when str is "".
func decodePaymentCore(b []byte, str string) (paymentCore, error) {
	var c paymentCore
	var amount, credit []byte // the amounts' text; nil when absent
	s := jsonscan.NewShared(b, str)
	s.Object(func(k []byte) {
		switch string(k) {
		case "receipt":
			c.Receipt = s.String()
		case "unit":
			c.Unit = s.String()
		case "amount":
			amount = s.Bytes()
		case "date":
			c.Date = s.String()
		case "method":
			c.Method = app.PaymentMethod(s.String())
		case "credit":
			credit = s.Bytes()
		case "entry_seq":
			c.EntrySeq = s.Int()
		case "reversed":
			c.Reversed = s.Int()
		default:
			for _, n := range paymentCoreKeys {
				if bytes.EqualFold(k, n) {
					s.Fail()
					return
				}
			}
			s.Skip()
		}
	})
	s.End()
	if !s.Bad() {
		a, aOK := centsOrNone(amount)
		cr, crOK := centsOrNone(credit)
		if aOK && crOK {
			c.cents, c.amountCents, c.creditCents = true, a, cr
			return c, nil
		}
		var ok1, ok2 = true, true
		if amount != nil {
			c.Amount, ok1 = app.AmountOf(amount)
		}
		if credit != nil {
			c.Credit, ok2 = app.AmountOf(credit)
		}
		if ok1 && ok2 {
			return c, nil
		}
	}
	c = paymentCore{}
	err := json.Unmarshal(b, &c)
	return c, err
}

// centsOrNone is an amount's text in whole hundredths (app.PlainCents), 0 when absent.
func centsOrNone(v []byte) (int64, bool) {
	if v == nil {
		return 0, true
	}
	return app.PlainCents(v)
}
