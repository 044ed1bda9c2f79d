package storage

import (
	"fmt"
	"hash/maphash"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/shopspring/decimal"

	"sunledger/app"
)

// Documents and the journal must tell the same story both ways: every receipt, paid
// expense, remuneration accrual and billing run has its live journal entries, and no
// live entry claims a document that does not exist or does not say so. verify walks the
// journal once (docEntries.see, fed by walkEntries) and then reads the documents.

// documentKinds are the documents whose journal entries verify cross-checks against
// their records. A manual entry may not use their Refs (Post), and each has its
// reversal rule in Reverse: see reverseRule.
var documentKinds = []app.DocKind{app.DocBilling, app.DocReceipt, app.DocExpense, app.DocRemuneration, app.DocIncome, app.DocDeposit, app.DocSettlement}

// documentRef returns the document kind of ref and the document's id, or "" for a
// manual entry's free text.
func documentRef(ref string) (app.DocKind, string) {
	if k, id := app.ParseRef(ref); slices.Contains(documentKinds, k) {
		return k, id
	}
	return "", ""
}

// docEntries is what verify keeps of the journal for the cross-check: the entries of
// documents (without descriptions and hashes) by Ref, and which entry reversed which.
type docEntries struct {
	byRef map[string][]docEntry
	// receipts are the entries of receipts in journal order, kept apart from byRef: they
	// are nearly all of a book's document entries (a quarter of a million on the
	// 3,000-unit 10-year demo), and are matched with the receipts in order
	// (receiptsMatchInOrder) instead of looked up in a map, which cost a twentieth of
	// verify's CPU (docs/record-log.md, "Measured").
	receipts   []receiptEntry
	reversedBy map[int64]int64
	err        error
	slab       []docEntry // room for the next lists of one entry (note)
}

// receiptEntry is a receipt's journal entry and its Ref.
type receiptEntry struct {
	ref   string
	entry docEntry
}

// receiptRefPrefix begins the Ref of a receipt's entry.
var receiptRefPrefix = app.DocReceipt.Ref("")

// docEntry is what the cross-check needs of an entry: its number and a fingerprint of
// its date and postings (a quarter of a million receipts are kept while verifying).
type docEntry struct {
	Seq   int64
	Print entryPrint
	// Income and Prepaid are what a billing entry bills and the credit it moves.
	Income, Prepaid decimal.Decimal
}

// newDocEntries is ready for a journal of about n entries.
func newDocEntries(n int) *docEntries {
	return &docEntries{byRef: map[string][]docEntry{}, receipts: make([]receiptEntry, 0, n), reversedBy: map[int64]int64{}}
}

// entryPrint is an entry's date and postings (printText) hashed by two 64-bit hashes
// seeded afresh by each run of the program, as the record log's join knows keys
// (recordreplay.go): no one can make two entries print alike on purpose, and by chance
// it happens less than once in 10^26 on a million. Half a million strings kept while
// verifying cost the garbage collector more than the comparison.
type entryPrint [2]uint64

var printSeeds = [2]maphash.Seed{maphash.MakeSeed(), maphash.MakeSeed()}

// fingerprint is the print of an entry, to compare it with the one its document would make.
func fingerprint(e app.Entry) entryPrint {
	var buf [512]byte
	return printOf(printText(buf[:0], e))
}

// printOf is the fingerprint of a print text.
func printOf(b []byte) entryPrint {
	return entryPrint{maphash.Bytes(printSeeds[0], b), maphash.Bytes(printSeeds[1], b)}
}

// printText is an entry's date and postings in one string: the date, then for each
// posting "|account=amount" (printPosting and the amount as app.AppendFixed2 writes it).
func printText(b []byte, e app.Entry) []byte {
	b = append(b, e.Date...)
	for _, p := range e.Postings {
		b = app.AppendFixed2(printPosting(b, p.Account), p.Amount)
	}
	return b
}

// printPosting begins a posting of a print text.
func printPosting(b []byte, account string) []byte {
	b = append(b, '|')
	b = append(b, account...)
	return append(b, '=')
}

// docNote is what the cross-check keeps of one entry, made on any core (noteOf) and
// taken in journal order (note).
type docNote struct {
	seq, reverses int64
	ref           string // "" for an entry of no document
	entry         docEntry
}

func noteOf(e app.Entry) docNote {
	n := docNote{seq: e.Seq, reverses: e.Reverses}
	if e.Reverses != 0 {
		return n
	}
	p, _ := documentRef(e.Ref)
	if p == "" || p == app.DocIncome {
		return n // an income's entry is its own document
	}
	n.ref = strings.Clone(e.Ref) // kept while the journal is walked: not the entry's whole text
	n.entry = docEntry{Seq: e.Seq, Print: fingerprint(e)}
	if p == app.DocBilling {
		for _, x := range e.Postings {
			switch x.Account {
			case app.FeeIncomeAccount:
				n.entry.Income = n.entry.Income.Sub(x.Amount)
			case app.PrepaidFeesAccount:
				n.entry.Prepaid = n.entry.Prepaid.Add(x.Amount)
			}
		}
	}
	return n
}

func (d *docEntries) note(n docNote) {
	if n.reverses != 0 {
		if prev, ok := d.reversedBy[n.reverses]; ok && d.err == nil {
			d.err = app.Errorf(app.EINVALID, "凭证 #%d 被冲销了两次（#%d 和 #%d）", "entry #%d is reversed twice (#%d and #%d)", n.reverses, prev, n.seq)
		}
		d.reversedBy[n.reverses] = n.seq
		return
	}
	if strings.HasPrefix(n.ref, receiptRefPrefix) {
		d.receipts = append(d.receipts, receiptEntry{n.ref, n.entry})
		return
	}
	if n.ref != "" {
		es, ok := d.byRef[n.ref]
		if !ok { // most documents have one entry: its list is cut from a shared slab
			if len(d.slab) == 0 {
				d.slab = make([]docEntry, 4096)
			}
			es, d.slab = d.slab[:0:1], d.slab[1:]
		}
		d.byRef[n.ref] = append(es, n.entry)
	}
}

// live is the entries of ref that no entry reverses.
func (d *docEntries) live(ref string) []docEntry {
	var out []docEntry
	for _, e := range d.byRef[ref] {
		if d.reversedBy[e.Seq] == 0 {
			out = append(out, e)
		}
	}
	return out
}

func seqs(es []docEntry) string {
	if len(es) == 0 {
		return app.T("没有", "none")
	}
	s := make([]string, len(es))
	for i, e := range es {
		s[i] = fmt.Sprintf("#%d", e.Seq)
	}
	return strings.Join(s, ", ")
}

func sameEntry(got docEntry, want app.Entry) bool { return got.Print == fingerprint(want) }

// verifyDocuments cross-checks the documents against the journal walked into d and
// names the first mismatch.
func (tx *Tx) verifyDocuments(d *docEntries, receipts []receiptCheck) error {
	if d.err != nil {
		return d.err
	}
	if err := verifyReceipts(d, receipts); err != nil {
		return err
	}
	for _, verify := range []func(*docEntries) error{tx.verifyDeposits, tx.verifyExpenseDocs, tx.verifyAccruals} {
		if err := verify(d); err != nil {
			return err
		}
	}
	pending, err := tx.pendingMonths()
	if err != nil {
		return err
	}
	if err := tx.verifyBillingRuns(d); err != nil {
		return err
	}
	if err := tx.verifyMicroFund(d); err != nil {
		return err
	}
	return verifyNoStrayEntries(d, pending)
}

// receiptsMatchInOrder is verifyReceipts' common case, on every core and without a map
// lookup: it reports whether the receipts (in key order, so by number) and the receipts'
// entries sorted by Ref pair off one to one, each receipt with exactly its one entry,
// matching, reversed as it says. The receipts' numbers must rise (none twice), so an
// entry that names a receipt twice, or a receipt that does not exist, breaks the
// pairing. Anything else is for verifyReceipts to name, one receipt at a time.
func receiptsMatchInOrder(d *docEntries, receipts []receiptCheck) bool {
	if len(d.receipts) != len(receipts) {
		return false
	}
	for i := 1; i < len(receipts); i++ {
		if receipts[i].Receipt <= receipts[i-1].Receipt {
			return false
		}
	}
	byRef := func(a, b receiptEntry) int { return strings.Compare(a.ref, b.ref) }
	es := d.receipts
	if !slices.IsSortedFunc(es, byRef) { // receipts are numbered as they are paid: rare
		es = slices.Clone(es)
		slices.SortFunc(es, byRef)
	}
	parts := max(runtime.NumCPU(), 1)
	ok := make([]bool, parts)
	var wg sync.WaitGroup
	for p := range parts {
		wg.Go(func() {
			from, to := p*len(receipts)/parts, (p+1)*len(receipts)/parts
			for i, r := range receipts[from:to] {
				e := es[from+i]
				if len(e.ref) != len(receiptRefPrefix)+len(r.Receipt) || e.ref[len(receiptRefPrefix):] != r.Receipt ||
					e.entry.Seq != r.EntrySeq || e.entry.Print != r.Print || d.reversedBy[r.EntrySeq] != r.Reversed {
					return
				}
			}
			ok[p] = true
		})
	}
	wg.Wait()
	return !slices.Contains(ok, false)
}

// docMismatch is the error of a document that does not match its journal entries.
func docMismatch(zhDoc, enDoc, zhWhy, enWhy string) error {
	return &app.Error{Code: app.EINVALID,
		ZH: zhDoc + " 与凭证不符：" + zhWhy + "。账本可能被改动过，请从备份核对",
		EN: enDoc + " does not match the journal: " + enWhy + ". The book may have been tampered with; check against a backup"}
}

// verifyReceipts checks receipts (read by receiptChecks): exactly one entry, the one the
// receipt names, matching it; reversed exactly when the receipt says so. It takes the
// receipts' entries off d.
func verifyReceipts(d *docEntries, receipts []receiptCheck) error {
	if receiptsMatchInOrder(d, receipts) {
		d.receipts = nil
		return nil
	}
	// The receipts' entries join the other documents' by Ref: those no receipt takes
	// off are named by verifyNoStrayEntries.
	for _, e := range d.receipts {
		d.byRef[e.ref] = append(d.byRef[e.ref], e.entry)
	}
	d.receipts = nil
	// The Ref is made in one buffer and the names only for a message: a quarter of a
	// million receipts made three strings each.
	prefix := app.DocReceipt.Ref("")
	var ref []byte
	for _, r := range receipts {
		ref = append(append(ref[:0], prefix...), r.Receipt...)
		es := d.byRef[string(ref)]
		delete(d.byRef, string(ref))
		names := func() (string, string) { return "收据 " + r.Receipt, "receipt " + r.Receipt }
		if len(es) != 1 || es[0].Seq != r.EntrySeq || es[0].Print != r.Print {
			zh, en := names()
			return docMismatch(zh, en, fmt.Sprintf("它记在凭证 #%d，日记账里属于它的凭证是 %s，金额或日期不一致", r.EntrySeq, seqs(es)),
				fmt.Sprintf("it names entry #%d; its entries in the journal are %s, or their amount or date differs", r.EntrySeq, seqs(es)))
		}
		if by := d.reversedBy[r.EntrySeq]; by != r.Reversed {
			zh, en := names()
			return docMismatch(zh, en, fmt.Sprintf("收据记录的冲销凭证是 #%d，日记账里冲销它的凭证是 #%d（0 表示没有）", r.Reversed, by),
				fmt.Sprintf("the receipt says it was reversed by #%d, the journal by #%d (0 = not reversed)", r.Reversed, by))
		}
	}
	return nil
}

// verifyDeposits checks cash deposits: exactly one entry, the one the deposit names,
// matching it; reversed exactly when the deposit says so. It takes their entries off d.
func (tx *Tx) verifyDeposits(d *docEntries) error {
	return eachJSON(tx, prefixCashDeposit, func(_ string, c app.CashDeposit) error {
		ref := app.DocDeposit.Ref(c.Slip)
		es := d.byRef[ref]
		delete(d.byRef, ref)
		zh, en := "缴款单 "+c.Slip+" 的现金存款", "the cash deposit of slip "+c.Slip
		if len(es) != 1 || es[0].Seq != c.Entry || !sameEntry(es[0], c.JournalEntry()) {
			return docMismatch(zh, en, fmt.Sprintf("它记在凭证 #%d，日记账里属于它的凭证是 %s，金额或日期不一致", c.Entry, seqs(es)),
				fmt.Sprintf("it names entry #%d; its entries in the journal are %s, or their amount or date differs", c.Entry, seqs(es)))
		}
		if by := d.reversedBy[c.Entry]; by != c.Reversed {
			return docMismatch(zh, en, fmt.Sprintf("存款记录的冲销凭证是 #%d，日记账里冲销它的凭证是 #%d（0 表示没有）", c.Reversed, by),
				fmt.Sprintf("the deposit says it was reversed by #%d, the journal by #%d (0 = not reversed)", c.Reversed, by))
		}
		if c.Confirmed != nil { // the second member's signature (docs/bank.md)
			m, err := tx.member(c.Confirmed.Signer)
			if err != nil {
				return err
			}
			if err := c.CheckConfirmation(m.PublicKey); err != nil {
				return err
			}
		}
		if c.Scan != nil {
			if ok, err := tx.has(attachmentKey(c.Scan.SHA256, 0)); err != nil {
				return err
			} else if !ok {
				return docMismatch(zh, en, "它的缴款单扫描件 "+c.Scan.Name+" 不在账本里", "its slip scan "+c.Scan.Name+" is missing from the book")
			}
		}
		return nil
	})
}

// verifyExpenseDocs checks expenses: a paid one has exactly one live payment entry of
// its amount and fund; any other has none. It takes their entries off d.
func (tx *Tx) verifyExpenseDocs(d *docEntries) error {
	return eachJSON(tx, prefixExpense, func(_ string, e app.Expense) error {
		ref := app.DocExpense.Ref(e.ID)
		live := d.live(ref)
		delete(d.byRef, ref)
		zh, en := "支出申请 "+e.ID, "expense request "+e.ID
		for _, st := range e.Stages {
			sref := app.DocExpense.Ref(e.ID + "/" + st.Name)
			slive := d.live(sref)
			delete(d.byRef, sref)
			if st.PaidDate == "" {
				if len(slive) > 0 {
					return docMismatch(zh, en, fmt.Sprintf("它的 %s 阶段没有支付，日记账里却有其付款凭证 %s", st.Name, seqs(slive)),
						fmt.Sprintf("its %s stage is not paid but the journal holds its payment %s", st.Name, seqs(slive)))
				}
				continue
			}
			want, err := e.StagePaymentEntry(st.Name, st.PaidDate)
			if err != nil {
				return err
			}
			if len(slive) != 1 || slive[0].Seq != st.Entry || !sameEntry(slive[0], want) {
				return docMismatch(zh, en, fmt.Sprintf("它的 %s 阶段已于 %s 支付 %s（凭证 #%d），日记账里有效的付款凭证是 %s", st.Name, st.PaidDate, app.PlainAmount(st.Amount), st.Entry, seqs(slive)),
					fmt.Sprintf("its %s stage was paid %s on %s (entry #%d), but its live payment entries are %s", st.Name, app.PlainAmount(st.Amount), st.PaidDate, st.Entry, seqs(slive)))
			}
		}
		if len(e.Stages) > 0 {
			if len(live) > 0 {
				return docMismatch(zh, en, fmt.Sprintf("它分期支付，日记账里却有整笔付款凭证 %s", seqs(live)), fmt.Sprintf("it is paid in stages but the journal holds a whole payment %s", seqs(live)))
			}
			return nil
		}
		if e.State != app.ExpensePaid {
			if len(live) > 0 {
				return docMismatch(zh, en, fmt.Sprintf("它没有支付（%s），日记账里却有它的付款凭证 %s", e.State, seqs(live)),
					fmt.Sprintf("it is not paid (%s) but the journal holds its payment %s", e.State, seqs(live)))
			}
			return nil
		}
		want, err := e.PaymentEntry(e.PaidDate)
		if err != nil {
			return err
		}
		if len(live) != 1 || live[0].Seq != e.Entry || !sameEntry(live[0], want) {
			return docMismatch(zh, en, fmt.Sprintf("它已于 %s 支付 %s（凭证 #%d），日记账里有效的付款凭证是 %s", e.PaidDate, app.PlainAmount(e.Amount), e.Entry, seqs(live)),
				fmt.Sprintf("it was paid %s on %s (entry #%d), but its live payment entries are %s", app.PlainAmount(e.Amount), e.PaidDate, e.Entry, seqs(live)))
		}
		return nil
	})
}

// verifyAccruals checks remuneration accruals and the quarters' true-ups: one live
// entry when there was something to post. It takes their entries off d.
func (tx *Tx) verifyAccruals(d *docEntries) error {
	if err := eachJSON(tx, prefixRemuTrueUp, func(_ string, t app.RemunerationTrueUp) error {
		ref := app.DocRemuneration.Ref(t.Quarter)
		live := d.live(ref)
		delete(d.byRef, ref)
		zh, en := t.Quarter+" 的酬金考核调整", "the remuneration true-up of "+t.Quarter
		var a app.Assessment
		if ok, err := tx.get(assessmentKey(t.Quarter), &a); err != nil {
			return err
		} else if !ok || !a.Total().Equal(t.Score) || !t.Due.Sub(t.Accrued).Equal(t.Amount) || !app.Round2(t.Accrued.Mul(t.Factor)).Equal(t.Due) {
			return docMismatch(zh, en, "调整按得分 "+t.Score.StringFixed(2)+" 计算，与记录的考核或其自身的金额不符", "it was made for the score "+t.Score.StringFixed(2)+", which does not match the recorded assessment or its own amounts")
		}
		if t.Amount.IsZero() {
			if len(live) > 0 {
				return docMismatch(zh, en, "调整金额为零，日记账里却有凭证 "+seqs(live), "it adjusted nothing but the journal holds "+seqs(live))
			}
			return nil
		}
		if len(live) != 1 || live[0].Seq != t.Entry || !sameEntry(live[0], t.JournalEntry()) {
			return docMismatch(zh, en, fmt.Sprintf("调整 %s（凭证 #%d），日记账里有效的调整凭证是 %s", app.PlainAmount(t.Amount), t.Entry, seqs(live)),
				fmt.Sprintf("it adjusted %s (entry #%d), but its live entries are %s", app.PlainAmount(t.Amount), t.Entry, seqs(live)))
		}
		return nil
	}); err != nil {
		return err
	}
	return eachJSON(tx, prefixRemuAccrual, func(_ string, a app.RemunerationAccrual) error {
		ref := app.DocRemuneration.Ref(a.Month)
		live := d.live(ref)
		delete(d.byRef, ref)
		zh, en := a.Month+" 的酬金计提", "the remuneration accrual of "+a.Month
		if !a.Amount.IsPositive() {
			if len(live) > 0 {
				return docMismatch(zh, en, "计提金额为零，日记账里却有凭证 "+seqs(live), "it accrued nothing but the journal holds "+seqs(live))
			}
			return nil
		}
		if len(live) != 1 || live[0].Seq != a.Entry || !sameEntry(live[0], a.JournalEntry()) {
			return docMismatch(zh, en, fmt.Sprintf("计提 %s（凭证 #%d），日记账里有效的计提凭证是 %s", app.PlainAmount(a.Amount), a.Entry, seqs(live)),
				fmt.Sprintf("it accrued %s (entry #%d), but its live entries are %s", app.PlainAmount(a.Amount), a.Entry, seqs(live)))
		}
		return nil
	})
}

// pendingMonths is the set of months being billed in parts.
func (tx *Tx) pendingMonths() (map[string]bool, error) {
	pending := map[string]bool{}
	if err := tx.each(prefixPending, func(k string, _ []byte) error {
		pending[strings.TrimPrefix(k, prefixPending)] = true
		return nil
	}); err != nil {
		return nil, err
	}
	return pending, nil
}

// verifyBillingRuns checks billing runs: the live entries of the month bill its total
// and move its credit. It takes their entries off d.
func (tx *Tx) verifyBillingRuns(d *docEntries) error {
	return eachJSON(tx, prefixRun, func(_ string, r app.BillingRun) error {
		ref := app.DocBilling.Ref(r.Period)
		live := d.live(ref)
		delete(d.byRef, ref)
		billed, credit := decimal.Zero, decimal.Zero
		for _, e := range live {
			billed, credit = billed.Add(e.Income), credit.Add(e.Prepaid)
		}
		if !billed.Equal(r.Total) || !credit.Equal(r.CreditApplied) {
			return docMismatch(r.Period+" 的开单记录", "the billing run of "+r.Period,
				fmt.Sprintf("开单合计 %s、预交冲抵 %s，日记账里它的凭证（%s）合计 %s、%s", app.PlainAmount(r.Total), app.PlainAmount(r.CreditApplied), seqs(live), app.PlainAmount(billed), app.PlainAmount(credit)),
				fmt.Sprintf("it billed %s and applied %s of credit, but its entries (%s) add up to %s and %s", app.PlainAmount(r.Total), app.PlainAmount(r.CreditApplied), seqs(live), app.PlainAmount(billed), app.PlainAmount(credit)))
		}
		return nil
	})
}

// verifyNoStrayEntries refuses what is left in d once every document took its entries:
// live entries that claim a document the book does not hold (a month still being
// billed in parts excepted).
func verifyNoStrayEntries(d *docEntries, pending map[string]bool) error {
	refs := make([]string, 0, len(d.byRef))
	for ref := range d.byRef {
		if k, m := app.ParseRef(ref); k == app.DocBilling && pending[m] {
			continue // a month billed in parts, not finished yet
		}
		if len(d.live(ref)) > 0 {
			refs = append(refs, ref)
		}
	}
	if len(refs) > 0 {
		sort.Strings(refs)
		e := d.live(refs[0])[0]
		return app.Errorf(app.EINVALID, "凭证 #%d 属于 %s，账本里却没有这份单据：账本可能被改动过，请从备份核对",
			"entry #%d belongs to %s, but the book holds no such document: it may have been tampered with; check against a backup", e.Seq, refs[0])
	}
	return nil
}
