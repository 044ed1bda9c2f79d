package snapshot

// periods.go writes and checks the journal of a snapshot by period: one CSV file per
// quarter (journal/2026Q3.csv, journalcsv.go, the entries in chain order), its tree file
// (journal/2026Q3.tree.json, periodtree.go) and journal/periods.json listing them with
// where each starts and ends in the chain. The owner viewer embeds periods.json and
// loads one period's files when the owner opens it, checking them against the signed
// manifest, its chain from the period's first link to its last and its range proof to
// the signed checkpoint; `snapshot verify` walks them all, in order, as one chain
// (docs/snapshot.md). Snapshots made before 2026-12 had a JSON file per quarter, with
// the hashes; they still verify.

import (
	"archive/zip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"github.com/shopspring/decimal"

	"sunledger/app"
)

// JournalDir holds the journal's period files; PeriodsName lists them.
const (
	JournalDir  = "journal/"
	PeriodsName = JournalDir + "periods.json"
)

// Period is one file of the journal: entries First..Last, in chain order. An entry goes
// into the quarter of the latest date seen so far in the chain, so that each file is one
// stretch of the chain (a back-dated entry goes with the entries around it). Tree names
// the period's leaves of the record log's tree with their range proof (PeriodTree).
type Period struct {
	Period  string `json:"period"` // 2026Q3
	File    string `json:"file"`   // journal/2026Q3.csv (journal/2026Q3.json before 2026-12)
	Tree    string `json:"tree,omitempty"`
	First   int64  `json:"first"`
	Last    int64  `json:"last"`
	Prev    string `json:"prev"` // the hash before First ("" for entry 1)
	Head    string `json:"head"` // the hash of Last
	MinDate string `json:"min_date"`
	MaxDate string `json:"max_date"`
}

// quarterOf is 2026Q3 for a date in 2026-07..09.
func quarterOf(date string) string {
	if len(date) < 7 {
		return "0000Q1"
	}
	m, _ := strconv.Atoi(date[5:7])
	return fmt.Sprintf("%sQ%d", date[:4], (m+2)/3)
}

// snapJournal writes the journal by period, one CSV file each (journalcsv.go), checking
// the chain on the way (a book whose chain is broken is not snapshotted), then each
// period's leaves of the record log's tree with their range proof, and the list of
// periods. Each file is written as the chain is read; what is kept is each entry's hash
// and the leaves' block hashes. The same read sums each fund's money by the quarter of
// the entries' dates (quarters.json).
func snapJournal(ctx context.Context, z *snapWriter) error {
	z.walk = app.NewChainCheck()
	z.moneyBy = map[string]map[app.Fund]decimal.Decimal{}
	lv, err := readLeaves(ctx, z.s)
	if err != nil {
		return err
	}
	since := receiptsSince(z.manifest.Created)
	if err := z.bankAccounts(ctx); err != nil {
		return err
	}
	var (
		periods []Period
		cur     *Period
		w       *hashWriter
		jw      *journalWriter
		maxQ    string
		hashes  entryHashes
	)
	end := func() error {
		if cur == nil {
			return nil
		}
		if err := jw.flush(); err != nil {
			return app.Internal(err)
		}
		z.finish(cur.File, w)
		periods = append(periods, *cur)
		cur = nil
		return nil
	}
	err = z.s.Ledger.EachEntry(ctx, func(e app.Entry) error {
		prev := z.walk.Head
		if err := z.walk.Check(e); err != nil {
			return err
		}
		if q := quarterOf(e.Date); q > maxQ {
			maxQ = q
		}
		if cur == nil || cur.Period != maxQ {
			if err := end(); err != nil {
				return err
			}
			cur = &Period{Period: maxQ, File: JournalDir + maxQ + ".csv", Tree: JournalDir + maxQ + ".tree.json", First: e.Seq, Prev: prev, MinDate: e.Date, MaxDate: e.Date}
			var err error
			if w, err = z.begin(cur.File); err != nil {
				return err
			}
			if jw, err = newJournalWriter(w); err != nil {
				return err
			}
		}
		cur.Last, cur.Head = e.Seq, e.Hash
		cur.MinDate, cur.MaxDate = min(cur.MinDate, e.Date), max(cur.MaxDate, e.Date)
		z.addMoney(e)
		z.addBankItems(e)
		if err := hashes.add(e.Hash); err != nil {
			return err
		}
		if e.Date >= since && e.Reverses == 0 {
			if kind, id := app.ParseRef(e.Ref); kind == app.DocReceipt {
				z.recent = append(z.recent, id)
			}
		}
		return jw.add(e)
	})
	if err == nil {
		err = end()
	}
	if err != nil {
		return err
	}
	z.manifest.Head, z.manifest.Entries = z.walk.Head, z.walk.Seq
	if err := lv.check(hashes); err != nil {
		return err
	}
	for _, p := range periods {
		t, err := lv.periodTree(p, hashes)
		if err != nil {
			return err
		}
		if err := z.json(p.Tree, t); err != nil {
			return err
		}
	}
	if periods == nil {
		periods = []Period{}
	}
	return z.json(PeriodsName, periods)
}

// addMoney adds what e moves in each fund's money (bank and cash, app.FundRole) to the
// quarter of its date.
func (z *snapWriter) addMoney(e app.Entry) {
	q := quarterOf(e.Date)
	for _, p := range e.Postings {
		a := app.Account{Name: p.Account}
		if !a.FundRole().IsMoney() {
			continue
		}
		m := z.moneyBy[q]
		if m == nil {
			m = map[app.Fund]decimal.Decimal{}
			z.moneyBy[q] = m
		}
		m[a.Fund()] = m[a.Fund()].Add(p.Amount)
	}
}

// moneyAt is each fund's bank and cash over the entries dated in quarter q or before.
func (z *snapWriter) moneyAt(q string) map[app.Fund]decimal.Decimal {
	out := map[app.Fund]decimal.Decimal{}
	for _, f := range app.Funds {
		out[f] = decimal.Zero
	}
	for at, m := range z.moneyBy {
		if at <= q {
			for f, v := range m {
				out[f] = out[f].Add(v)
			}
		}
	}
	return out
}

// walkPeriods re-walks the journal of a snapshot: the files periods.json lists, in its
// order, as one chain, each file starting and ending where periods.json says.
func walkPeriods(byName map[string]*zip.File, receipts map[int64]string) (*app.ChainCheck, []string, []Period, error) {
	zf := byName[PeriodsName]
	if zf == nil {
		return nil, nil, nil, app.Errorf(app.EINVALID, "快照中没有 journal.json 或 %s", "the snapshot has neither journal.json nor %s", PeriodsName)
	}
	b, err := readZipFile(zf, 64<<20)
	if err != nil {
		return nil, nil, nil, err
	}
	var periods []Period
	if err := json.Unmarshal(b, &periods); err != nil {
		return nil, nil, nil, app.Errorf(app.EINVALID, "%s 格式有误：%v", "%s is malformed: %v", PeriodsName, err)
	}
	walk := app.NewChainCheck()
	var hashes []string
	for _, p := range periods {
		f := byName[p.File]
		csvFile := p.File == JournalDir+p.Period+".csv"
		if f == nil || !csvFile && p.File != JournalDir+p.Period+".json" {
			return nil, nil, nil, app.Errorf(app.EINVALID, "%s 列出的 %s 不在快照中", "%s lists %s, which the snapshot does not hold", PeriodsName, p.File)
		}
		if p.Tree != "" && (byName[p.Tree] == nil || p.Tree != JournalDir+p.Period+".tree.json") {
			return nil, nil, nil, app.Errorf(app.EINVALID, "%s 列出的 %s 不在快照中", "%s lists %s, which the snapshot does not hold", PeriodsName, p.Tree)
		}
		if p.First != walk.Seq+1 || p.Prev != walk.Head {
			return nil, nil, nil, app.Errorf(app.EINVALID, "%s 中 %s 的起点（#%d）与前一段的终点（#%d）接不上", "%s: %s starts at #%d, the period before ends at #%d", PeriodsName, p.File, p.First, walk.Seq)
		}
		var err error
		if csvFile {
			hashes, err = walkJournalCSV(f, walk, hashes, receipts)
		} else {
			hashes, err = walkEntries(f, walk, hashes)
		}
		if err != nil {
			return nil, nil, nil, err
		}
		if walk.Seq != p.Last || walk.Head != p.Head {
			return nil, nil, nil, app.Errorf(app.EINVALID, "%s 中 %s 的终点是 #%d %s，重算为 #%d %s", "%s: %s ends at #%d %s, recomputed #%d %s", PeriodsName, p.File, p.Last, p.Head, walk.Seq, walk.Head)
		}
	}
	for name := range byName {
		if isPeriodFile(name) && !listed(periods, name) {
			return nil, nil, nil, app.Errorf(app.EINVALID, "%s 没有列出快照中的 %s", "%s does not list %s, which the snapshot holds", PeriodsName, name)
		}
	}
	return walk, hashes, periods, nil
}

func isPeriodFile(name string) bool {
	return len(name) > len(JournalDir) && name[:len(JournalDir)] == JournalDir && name != PeriodsName
}

func listed(periods []Period, name string) bool {
	for _, p := range periods {
		if p.File == name || p.Tree == name {
			return true
		}
	}
	return false
}

// walkJournalCSV walks the entries of a period's CSV (journalcsv.go) on from walk,
// appending each hash: each entry is linked to the one before and hashed. receipts gets
// the receipt each receipt's entry names (its Ref), by entry.
func walkJournalCSV(zf *zip.File, walk *app.ChainCheck, hashes []string, receipts map[int64]string) ([]string, error) {
	rc, err := zf.Open()
	if err != nil {
		return nil, badZipFile(zf.Name, err)
	}
	defer rc.Close()
	err = readJournal(rc, zf.Name, func(e app.Entry) error {
		e.PrevHash = walk.Head
		e.Hash = app.EntryHash(e)
		if err := walk.Check(e); err != nil {
			return err
		}
		hashes = append(hashes, e.Hash)
		if kind, id := app.ParseRef(e.Ref); kind == app.DocReceipt {
			receipts[e.Seq] = id
		}
		return nil
	})
	return hashes, err
}

// walkEntries walks the JSON array of entries in zf on from walk, appending each hash.
func walkEntries(zf *zip.File, walk *app.ChainCheck, hashes []string) ([]string, error) {
	rc, err := zf.Open()
	if err != nil {
		return nil, badZipFile(zf.Name, err)
	}
	defer rc.Close()
	bad := func(err error) error {
		return app.Errorf(app.EINVALID, "%s 格式有误：%v", "%s is malformed: %v", zf.Name, err)
	}
	dec := json.NewDecoder(rc)
	if t, err := dec.Token(); err != nil || t != json.Delim('[') {
		if err == nil {
			err = errors.New("not a JSON array")
		}
		return nil, bad(err)
	}
	for dec.More() {
		var e app.Entry
		if err := dec.Decode(&e); err != nil {
			return nil, bad(err)
		}
		if err := walk.Check(e); err != nil {
			return nil, err
		}
		hashes = append(hashes, e.Hash)
	}
	if _, err := dec.Token(); err != nil {
		return nil, bad(err)
	}
	return hashes, nil
}
