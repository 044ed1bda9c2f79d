package snapshot

// parts.go holds the parts of a snapshot zip (see format.go): one function per
// file, listed in snapshotParts.

import (
	"bytes"
	"context"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"sunledger/app"
)

// snapshotParts are the parts of a snapshot, written in this order. The journal comes
// first: its walk gives the head hash that the other parts and the manifest name
// (snapDisclosures, before it, writes no file: it starts the PDFs at the head the store
// names, and snapQuarterly checks that it is the walk's).
var snapshotParts = []func(ctx context.Context, z *snapWriter) error{
	snapDisclosures,
	snapJournal,
	snapLog,
	snapUnits,
	snapBalances,
	snapArrears,
	snapBills,
	snapExpenses,
	snapVotes,
	snapAudit,
	snapBudget,
	snapMicroFund,
	snapAssessments,
	snapBank,
	snapPublished,
	snapQuarterly,
	snapReadme,
}

// snapUnits writes the units as published: id, kind, area and whether the developer
// still holds it. The register's owners (names, owner ids, phones) never leave the
// laptop: they travel only inside the encrypted backup.
func snapUnits(ctx context.Context, z *snapWriter) error {
	units, err := z.s.Register.Units(ctx)
	if err != nil {
		return err
	}
	type publicUnit struct {
		Unit          string          `json:"unit"`
		Kind          app.UnitKind    `json:"kind"`
		Area          decimal.Decimal `json:"area"`
		DeveloperHeld bool            `json:"developer_held,omitempty"`
	}
	pub := make([]publicUnit, 0, len(units))
	for _, u := range units {
		pub = append(pub, publicUnit{u.ID, u.Kind, u.Area, u.DeveloperHeld})
	}
	return jsonAndCSV(z, "units", pub, []string{"unit", "kind", "area", "developer_held"}, func(u publicUnit) []string {
		dev := "0"
		if u.DeveloperHeld {
			dev = "1"
		}
		return []string{u.Unit, string(u.Kind), u.Area.StringFixed(2), dev}
	})
}

// snapBalances writes the balances the exported journal adds up to, in chart order
// (accounts the chart does not list follow, by name).
func snapBalances(ctx context.Context, z *snapWriter) error {
	accounts, err := z.s.Chart.Accounts(ctx)
	if err != nil {
		return err
	}
	var bs []app.AccountBalance
	listed := map[string]bool{}
	for _, a := range accounts {
		listed[a.Name] = true
		bs = append(bs, app.AccountBalance{Account: a.Name, Balance: z.walk.Balances()[a.Name]})
	}
	var rest []string
	for name := range z.walk.Balances() {
		if !listed[name] {
			rest = append(rest, name)
		}
	}
	sort.Strings(rest)
	for _, name := range rest {
		bs = append(bs, app.AccountBalance{Account: name, Balance: z.walk.Balances()[name]})
	}
	return jsonAndCSV(z, "balances", bs, []string{"account", "balance"}, func(b app.AccountBalance) []string {
		return []string{b.Account, amt(b.Balance)}
	})
}

// ArrearsSummaryName is the arrears of the whole community by age, for the viewer's
// first page (arrears.json has them unit by unit).
const ArrearsSummaryName = "arrears-summary.json"

// ArrearsSummary is what all units owe together, by age.
type ArrearsSummary struct {
	Units   int                `json:"units"`
	Owed    decimal.Decimal    `json:"owed"`
	Bills   int                `json:"bills"`
	Oldest  string             `json:"oldest"`
	Ageing  [4]decimal.Decimal `json:"ageing"` // 0–3, 3–6, 6–12, over 12 months
	LateFee decimal.Decimal    `json:"late_fee"`
}

// snapArrears writes what each unit owes and how old it is, by unit only (no payer).
func snapArrears(ctx context.Context, z *snapWriter) error {
	rows, err := z.s.Fees.Arrears(ctx)
	if err != nil {
		return err
	}
	type publicArrears struct {
		Unit    string             `json:"unit"`
		Owed    decimal.Decimal    `json:"owed"`
		Bills   int                `json:"bills"`
		Oldest  string             `json:"oldest"`
		Ageing  [4]decimal.Decimal `json:"ageing"` // 0–2, 3–5, 6–11, 12 months and more
		LateFee decimal.Decimal    `json:"late_fee"`
	}
	pub := make([]publicArrears, 0, len(rows))
	for _, a := range rows {
		pub = append(pub, publicArrears{a.Unit, a.Owed, a.Bills, a.Oldest, a.Ageing, a.LateFee})
	}
	sum := ArrearsSummary{Owed: decimal.Zero, LateFee: decimal.Zero}
	for _, a := range pub {
		sum.Units++
		sum.Bills += a.Bills
		sum.Owed = sum.Owed.Add(a.Owed)
		sum.LateFee = sum.LateFee.Add(a.LateFee)
		for i := range a.Ageing {
			sum.Ageing[i] = sum.Ageing[i].Add(a.Ageing[i])
		}
		if sum.Oldest == "" || a.Oldest < sum.Oldest {
			sum.Oldest = a.Oldest
		}
	}
	if err := z.json(ArrearsSummaryName, sum); err != nil {
		return err
	}
	header := []string{"unit", "owed", "bills", "oldest", "age_0_3m", "age_3_6m", "age_6_12m", "age_over_12m", "late_fee"}
	return jsonAndCSV(z, "arrears", pub, header, func(a publicArrears) []string {
		return []string{a.Unit, amt(a.Owed), strconv.Itoa(a.Bills), a.Oldest,
			amt(a.Ageing[0]), amt(a.Ageing[1]), amt(a.Ageing[2]), amt(a.Ageing[3]), amt(a.LateFee)}
	})
}

// snapBills writes every bill by unit (no payer): bills.csv, made by billsCSV while
// the journal is written (ahead).
func snapBills(ctx context.Context, z *snapWriter) error {
	return z.addAhead(ctx, z.bills)
}

// billsCSV writes bills.csv: every bill by unit (no payer), by billing run.
func billsCSV(ctx context.Context, s app.Services, w io.Writer) error {
	runs, err := s.Fees.BillingRuns(ctx)
	if err != nil {
		return err
	}
	return writeCSV(w, []string{"period", "unit", "kind", "area", "price", "amount"}, func(add func(...string) error) error {
		for _, r := range runs {
			bills, err := s.Fees.Bills(ctx, r.Period)
			if err != nil {
				return err
			}
			for _, b := range bills {
				if err := add(b.Period, b.Unit, string(b.Kind), b.Area.StringFixed(2), b.Price.String(), amt(b.Amount)); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

func snapExpenses(ctx context.Context, z *snapWriter) error {
	xs, err := z.s.Expenses.Expenses(ctx)
	if err != nil {
		return err
	}
	header := []string{"id", "fund", "category", "payee", "amount", "description", "applicant", "applied", "state", "signatures", "paid_date", "entry", "reject_reason"}
	return jsonAndCSV(z, "expenses", xs, header, func(x app.Expense) []string {
		var signers []string
		for _, s := range x.Signatures {
			signers = append(signers, string(s.Step)+":"+s.Signer)
		}
		entry := ""
		if x.Entry != 0 {
			entry = strconv.FormatInt(x.Entry, 10)
		}
		return []string{x.ID, string(x.Fund), x.Category, x.Payee, amt(x.Amount), x.Description, x.Applicant,
			x.Applied.Format(time.RFC3339), string(x.State), strings.Join(signers, ";"), x.PaidDate, entry, x.RejectReason}
	})
}

// VoteSummary is the published ballot accounting of one assembly: counts only. How
// each unit voted, the frozen register and the owners' names stay on the laptop.
type VoteSummary struct {
	Vote         string         `json:"vote"`
	Title        string         `json:"title"`
	Date         string         `json:"date,omitempty"`
	Rule         string         `json:"rule,omitempty"`
	Deemed       bool           `json:"deemed,omitempty"`
	Issued       int            `json:"issued"`
	Delivered    int            `json:"delivered"`
	NotReturned  int            `json:"not_returned"`
	Proxies      int            `json:"proxies"`
	Invalid      int            `json:"invalid"`
	Duplicates   int            `json:"duplicates"`
	Unreconciled int            `json:"unreconciled"`
	Conflicts    int            `json:"conflicts"`
	Buildings    []BuildingVote `json:"buildings,omitempty"`
}

// BuildingVote is the ballot accounting of one building (batch): the finest grain
// published, so that no unit's choice can be told.
type BuildingVote struct {
	Building    string `json:"building"`
	Issued      int    `json:"issued"`
	Returned    int    `json:"returned"`
	NotReturned int    `json:"not_returned"`
	Valid       int    `json:"valid"`
	Invalid     int    `json:"invalid"`
}

// snapVotes writes, for each assembly, its tally (per matter, by area and heads) and
// its ballot accounting as counts.
func snapVotes(ctx context.Context, z *snapWriter) error {
	as, err := z.s.Votes.Assemblies(ctx)
	if err != nil {
		return err
	}
	for _, a := range as {
		r, err := z.s.Votes.VoteRecord(ctx, a.ID)
		if err != nil {
			return err
		}
		t := app.CountVotes(r)
		if err := z.json("votes/"+a.ID+"-tally.json", t); err != nil {
			return err
		}
		delivered := 0
		if t.DeemedTotals != nil {
			delivered = t.DeemedTotals.Delivered.Units
		}
		sum := VoteSummary{Vote: t.Vote, Title: t.Title, Date: t.Date, Rule: t.Rule, Deemed: t.Deemed, Issued: t.Accounting.Issued,
			Delivered: delivered, NotReturned: t.Accounting.NotReturned, Proxies: t.Proxies, Invalid: len(t.Invalid),
			Duplicates: len(t.Duplicates), Unreconciled: len(t.Unreconciled), Conflicts: len(t.Conflicts)}
		for _, b := range t.Batches {
			sum.Buildings = append(sum.Buildings, BuildingVote{b.Batch, b.Issued, b.Returned, b.NotReturned, b.Valid, b.Invalid})
		}
		if err := z.json("votes/"+a.ID+"-ballots.json", sum); err != nil {
			return err
		}
	}
	return nil
}

func snapAudit(ctx context.Context, z *snapWriter) error {
	recs, err := z.s.Book.Audit(ctx)
	if err != nil {
		return err
	}
	return z.csv("audit.csv", []string{"seq", "at", "who", "action", "what", "why"}, func(add func(...string) error) error {
		for _, r := range recs {
			r = PublicAudit(r)
			if err := add(strconv.FormatInt(r.Seq, 10), r.At.Format(time.RFC3339), r.Who, r.Action, r.What, r.Why); err != nil {
				return err
			}
		}
		return nil
	})
}

// QuarterFile is one quarter's disclosure in a snapshot, as quarters.json lists it.
type QuarterFile struct {
	Quarter  string `json:"quarter"` // 2026Q1
	From     string `json:"from"`    // YYYY-MM
	To       string `json:"to"`
	Complete bool   `json:"complete"`
	File     string `json:"file,omitempty"`
	// Money is each fund's bank and cash at the quarter's end (entries dated up to its
	// last day), what the viewer's first page shows without reading the journal.
	Money map[app.Fund]decimal.Decimal `json:"money"`
}

// Quarters are the quarters a snapshot made on the date today discloses, by the
// calendar: every quarter of the previous and the current year, complete (its last day
// is before today) or not; only complete ones get a disclosure PDF. Quarters that end
// before firstEntry (the journal's first date, "" if empty) are left out.
func Quarters(today, firstEntry string) []QuarterFile {
	year, _ := strconv.Atoi(today[:4])
	var out []QuarterFile
	for y := year - 1; y <= year; y++ {
		for q := 1; q <= 4; q++ {
			quarter := app.Quarter{Year: y, N: q}
			from, to := quarter.Months()
			if firstEntry == "" || to < firstEntry[:7] || from > today[:7] {
				continue
			}
			qf := QuarterFile{Quarter: quarter.String(), From: from, To: to, Complete: to < today[:7]}
			if qf.Complete {
				qf.File = "disclosure/" + qf.Quarter + "-quarterly.pdf"
			}
			out = append(out, qf)
		}
	}
	return out
}

// snapQuarterly adds the disclosure (收支公示) of every complete quarter of the current
// and the previous year, chosen by the store's calendar (never by the newest entry, which
// may be back-dated), and quarters.json listing them, the current incomplete one marked.
// The PDFs were rendered by snapDisclosures while the journal and the parts after it were
// written, at the head the store named then; if the journal's walk ended at another
// (the book was written to in between), they are rendered again at the walk's.
func snapQuarterly(ctx context.Context, z *snapWriter) error {
	var r disclosures
	select {
	case r = <-z.pdfs:
	case <-ctx.Done():
		return ctx.Err()
	}
	if r.err == nil && (r.entries != z.manifest.Entries || r.head != z.manifest.Head) {
		r = z.renderDisclosures(ctx, z.manifest.Entries, z.manifest.Head)
	}
	if r.err != nil {
		return r.err
	}
	qs := r.quarters
	for i, qf := range qs {
		qs[i].Money = z.moneyAt(qf.Quarter)
		if !qf.Complete {
			continue
		}
		err := z.file(qf.File, func(w io.Writer) error {
			if _, err := w.Write(r.pdf[qf.File]); err != nil {
				return app.Internal(err)
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	if qs == nil {
		qs = []QuarterFile{}
	}
	return z.json("quarters.json", qs)
}

// disclosures are the quarters snapQuarterly lists and the PDF of each complete one,
// by file name, as the book stood at its first entries entries, ending at head.
type disclosures struct {
	quarters []QuarterFile
	pdf      map[string][]byte
	entries  int64
	head     string
	err      error
}

// snapDisclosures starts rendering the disclosure PDFs that snapQuarterly adds, on a
// goroutine of its own (they read the book and write nothing), so that on a machine
// with two cores they are made while the journal and the parts after it are written:
// after the journal's walk they were the export's longest part. It renders them at the
// head the store names now (snapQuarterly checks it against the walk's) and writes no
// file.
func snapDisclosures(ctx context.Context, z *snapWriter) error {
	z.pdfs = make(chan disclosures, 1)
	head, entries, err := z.s.Ledger.Head(ctx)
	if err != nil {
		return err
	}
	go func() { z.pdfs <- z.renderDisclosures(ctx, entries, head) }()
	return nil
}

// renderDisclosures renders the PDF of every complete quarter as the book stood at its
// first entries entries, ending at head.
func (z *snapWriter) renderDisclosures(ctx context.Context, entries int64, head string) disclosures {
	r := disclosures{pdf: map[string][]byte{}, entries: entries, head: head}
	if r.quarters, r.err = z.quarters(ctx, entries); r.err != nil {
		return r
	}
	// Only Created and Community, set before the parts: they write the rest meanwhile.
	today, community := z.manifest.Created.Local().Format(time.DateOnly), z.manifest.Community
	for _, qf := range r.quarters {
		if !qf.Complete {
			continue
		}
		y, _ := strconv.Atoi(qf.Quarter[:4])
		q := int(qf.Quarter[5] - '0')
		var b bytes.Buffer
		if r.err = z.disclose(ctx, z.s, y, q, today, entries, community, head, &b); r.err != nil {
			return r
		}
		r.pdf[qf.File] = b.Bytes()
	}
	return r
}

// quarters are the quarters the snapshot discloses (Quarters), from the first entry's date.
func (z *snapWriter) quarters(ctx context.Context, entries int64) ([]QuarterFile, error) {
	first := ""
	if entries > 0 {
		e, err := z.s.Ledger.Entry(ctx, 1)
		if err != nil {
			return nil, err
		}
		first = e.Date
	}
	return Quarters(z.manifest.Created.Local().Format(time.DateOnly), first), nil
}

// snapPublished writes published.json: every head hash published before this snapshot
// (on notices and in earlier snapshots). Whoever checks the snapshot checks that its
// journal still holds each of them at its position.
func snapPublished(ctx context.Context, z *snapWriter) error {
	heads, err := z.s.Published.Published(ctx)
	if err != nil {
		return err
	}
	if heads == nil {
		heads = []app.PublishedHead{}
	}
	return z.json(app.PublishedName, heads)
}

// snapBudget writes budget.json: the budget against actuals of the previous and the
// current year.
func snapBudget(ctx context.Context, z *snapWriter) error {
	year := z.manifest.Created.Local().Year()
	var rs []app.BudgetReport
	for _, y := range []int{year - 1, year} {
		r, err := z.s.Budgets.BudgetVsActual(ctx, y)
		if err != nil {
			return err
		}
		rs = append(rs, r)
	}
	return z.json("budget.json", rs)
}

// snapReadme explains the snapshot to whoever opens it, in both languages.
func snapReadme(ctx context.Context, z *snapWriter) error {
	return z.file("README.txt", func(w io.Writer) error {
		_, err := io.WriteString(w, strings.ReplaceAll(`阳光账本签名快照 / Sunledger signed snapshot

小区 Community: `+z.manifest.Community+`
链头 Head hash: `+z.manifest.Head+`
凭证 Entries: `+strconv.FormatInt(z.manifest.Entries, 10)+`

核验 Verify:
  minisign -Vm 快照.zip -p 业委会.pub         (签名在 快照.zip.minisig / the signature is FILE.zip.minisig)
  sunledger-cli snapshot verify 快照.zip --pub 业委会.pub

index.html 是业主查看页：用手机或电脑浏览器直接打开（无需联网），在浏览器里核验签名、
清单和哈希链；某季度的凭证在打开时读取并核验 / index.html is the owner viewer: open it in any
browser, no network needed; it checks the signature, the manifest and the hash chain itself,
a quarter's journal when it is opened.

manifest.json 列出其余每个文件的大小和 SHA-256 / lists every other file's size and SHA-256
(except manifest.json.minisig, its own signature, and index.html, which embeds both).
published.json 列出此前在公示和快照中发布过的每个链头；本快照的账本必须在同一位置仍有
相同的哈希 / lists every head hash published before (notices, snapshots): this journal must
still hold each of them at its position, so a rewritten history shows.
checkpoint 是记录链（默克尔树）的签名检查点：来源名、叶子数、根哈希，由业委会密钥签名；
proofs.json 证明本树延续了此前发布的每个检查点；roster.json 是成员名单的公开部分（公钥与
签名）；receipts.json 列出近四个月的收据及其凭证 / checkpoint is the record log's signed
checkpoint (origin, tree size, root); proofs.json proves this tree extends every checkpoint
published before; roster.json is the public roster; receipts.json lists the last four
months' receipts and their entries. Check a newer snapshot against this one:
  sunledger-cli snapshot verify 新.zip --pub 业委会.pub --since 本快照.zip
本快照只列房号，不含业主姓名、编号或各户的表决选择 / Units only: no owner names, owner ids
or per-unit vote choices.
journal/YYYYQn.csv 按季度存放全部凭证（每行一个分录，可用 Excel 打开），journal/periods.json
列出各季度在哈希链上的起止；journal/YYYYQn.tree.json 是该季度在记录链默克尔树中的叶子及
到检查点根哈希的范围证明 / journal/YYYYQn.csv holds every journal entry of a quarter, one
posting a row (for Excel); journal/periods.json says where each quarter starts and ends in
the chain; journal/YYYYQn.tree.json holds the quarter's leaves of the record log's tree and
their range proof to the checkpoint's root. A cell that starts with ' had one added (a
formula-like cell, or one starting with '): take one off. Each entry's hash is
the lowercase hex SHA-256 of these lines, each ending in a line feed:
  sunledger-entry-v1
  seq N
  date YYYY-MM-DD
  desc "摘要"                        (Go-quoted string)
  ref "来源"
  reverses N
  who "经办人"
  post "科目" 1234.50                (one line per posting, amount with 2 decimals)
  prev <hash of the previous entry, empty for the first>
The last entry's hash is the head hash above and in the signed comment.
CSV 文件为 UTF-8（带 BOM），可直接用 Excel 打开 / CSV files are UTF-8 with a BOM for Excel.
`, "\n", "\r\n"))
		return err
	})
}
