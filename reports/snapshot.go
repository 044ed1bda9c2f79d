package reports

// snapshot.go writes and checks signed snapshots: one zip holding the community's books
// in open formats (CSV with a UTF-8 BOM so Excel reads Chinese, JSON, the quarterly
// disclosure PDFs) and manifest.json listing every file's size and SHA-256, with
// FILE.zip.minisig beside it: a minisign signature in the prehashed ED form, so the
// standard `minisign -Vm FILE.zip -p KEY.pub` verifies it too. Inside the zip,
// manifest.json.minisig signs the manifest alone, and index.html (viewer.go) is the
// owner viewer that checks it in a browser. The rules (the manifest, the signed comment,
// the chain re-walk, the published heads) are in app/snapshot.go.
//
// What leaves the laptop names units, never owners: no owner name, owner id, phone or
// per-unit vote choice; ballots are published as counts. The register travels only in
// the encrypted backup.
//
// Each part of the zip is one function in snapshotParts; a new part is one more line.

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"aead.dev/minisign"
	"github.com/shopspring/decimal"

	"sunledger/app"
)

// snapshotParts are the parts of a snapshot, written in this order. The journal comes
// first: its walk gives the head hash that the other parts and the manifest name.
var snapshotParts = []func(ctx context.Context, z *snapWriter) error{
	snapJournal,
	snapJournalCSV,
	snapUnits,
	snapBalances,
	snapArrears,
	snapBills,
	snapExpenses,
	snapVotes,
	snapAudit,
	snapBudget,
	snapMicroFund,
	snapPublished,
	snapQuarterly,
	snapReadme,
}

// snapWriter adds files to the zip and records each in the manifest.
type snapWriter struct {
	zw       *zip.Writer
	s        app.Services
	manifest app.Manifest
	walk     *app.ChainCheck   // the journal as exported, set by snapJournal
	embed    map[string][]byte // the JSON files, which the owner viewer embeds
}

// hashWriter counts and hashes what goes through it.
type hashWriter struct {
	w io.Writer
	h hash.Hash
	n int64
}

func (hw *hashWriter) Write(p []byte) (int, error) {
	n, err := hw.w.Write(p)
	hw.h.Write(p[:n])
	hw.n += int64(n)
	return n, err
}

// file adds one file to the zip through write and lists it in the manifest.
func (z *snapWriter) file(name string, write func(w io.Writer) error) error {
	fw, err := z.zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: z.manifest.Created})
	if err != nil {
		return app.Internal(err)
	}
	hw := &hashWriter{w: fw, h: sha256.New()}
	var keep bytes.Buffer
	if strings.HasSuffix(name, ".json") {
		hw.w = io.MultiWriter(fw, &keep)
	}
	if err := write(hw); err != nil {
		return err
	}
	if keep.Len() > 0 {
		z.embed[name] = keep.Bytes()
	}
	z.manifest.Files = append(z.manifest.Files, app.ManifestFile{Name: name, Size: hw.n, SHA256: hex.EncodeToString(hw.h.Sum(nil))})
	return nil
}

// csv adds a CSV file with a UTF-8 BOM, a header row and the rows rows gives to add.
func (z *snapWriter) csv(name string, header []string, rows func(add func(...string) error) error) error {
	return z.file(name, func(w io.Writer) error {
		if _, err := io.WriteString(w, "\ufeff"); err != nil {
			return app.Internal(err)
		}
		cw := csv.NewWriter(w)
		if err := cw.Write(SafeRow(header)); err != nil {
			return app.Internal(err)
		}
		if err := rows(func(r ...string) error { return cw.Write(SafeRow(r)) }); err != nil {
			return err
		}
		cw.Flush()
		return cw.Error()
	})
}

// json adds v as an indented JSON file.
func (z *snapWriter) json(name string, v any) error {
	return z.file(name, func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		return enc.Encode(v)
	})
}

func amt(d decimal.Decimal) string { return d.StringFixed(2) }

// snapJournal writes journal.json, every entry with its hashes, oldest first, checking
// the chain on the way: a book whose chain is broken is not snapshotted.
func snapJournal(ctx context.Context, z *snapWriter) error {
	z.walk = app.NewChainCheck()
	return z.file("journal.json", func(w io.Writer) error {
		if _, err := io.WriteString(w, "["); err != nil {
			return app.Internal(err)
		}
		err := z.s.Ledger.EachEntry(ctx, func(e app.Entry) error {
			if err := z.walk.Check(e); err != nil {
				return err
			}
			sep := ",\n"
			if e.Seq == 1 {
				sep = "\n"
			}
			b, err := json.Marshal(e)
			if err != nil {
				return app.Internal(err)
			}
			if _, err := io.WriteString(w, sep); err != nil {
				return app.Internal(err)
			}
			_, err = w.Write(b)
			return err
		})
		if err != nil {
			return err
		}
		_, err = io.WriteString(w, "\n]\n")
		z.manifest.Head, z.manifest.Entries = z.walk.Head, z.walk.Seq
		return err
	})
}

// snapJournalCSV writes journal.csv, one row per posting, up to the head of journal.json.
func snapJournalCSV(ctx context.Context, z *snapWriter) error {
	return z.csv("journal.csv", []string{"seq", "date", "description", "account", "amount", "ref", "reverses", "who", "hash"}, func(add func(...string) error) error {
		return z.s.Ledger.EachEntry(ctx, func(e app.Entry) error {
			if e.Seq > z.manifest.Entries {
				return nil
			}
			for _, p := range e.Postings {
				rev := ""
				if e.Reverses != 0 {
					rev = strconv.FormatInt(e.Reverses, 10)
				}
				if err := add(strconv.FormatInt(e.Seq, 10), e.Date, e.Description, p.Account, amt(p.Amount), e.Ref, rev, e.Who, e.Hash); err != nil {
					return err
				}
			}
			return nil
		})
	})
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
	if err := z.json("units.json", pub); err != nil {
		return err
	}
	return z.csv("units.csv", []string{"unit", "kind", "area", "developer_held"}, func(add func(...string) error) error {
		for _, u := range pub {
			dev := "0"
			if u.DeveloperHeld {
				dev = "1"
			}
			if err := add(u.Unit, string(u.Kind), u.Area.StringFixed(2), dev); err != nil {
				return err
			}
		}
		return nil
	})
}

// snapBalances writes the balances the exported journal adds up to, in chart order
// (accounts the chart does not list follow, by name).
func snapBalances(ctx context.Context, z *snapWriter) error {
	accounts, err := z.s.Ledger.Accounts(ctx)
	if err != nil {
		return err
	}
	var bs []app.AccountBalance
	listed := map[string]bool{}
	for _, a := range accounts {
		listed[a.Name] = true
		bs = append(bs, app.AccountBalance{Account: a.Name, Balance: z.walk.Balances[a.Name]})
	}
	var rest []string
	for name := range z.walk.Balances {
		if !listed[name] {
			rest = append(rest, name)
		}
	}
	sort.Strings(rest)
	for _, name := range rest {
		bs = append(bs, app.AccountBalance{Account: name, Balance: z.walk.Balances[name]})
	}
	if err := z.json("balances.json", bs); err != nil {
		return err
	}
	return z.csv("balances.csv", []string{"account", "balance"}, func(add func(...string) error) error {
		for _, b := range bs {
			if err := add(b.Account, amt(b.Balance)); err != nil {
				return err
			}
		}
		return nil
	})
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
		Ageing  [4]decimal.Decimal `json:"ageing"` // 0–3, 3–6, 6–12, over 12 months
		LateFee decimal.Decimal    `json:"late_fee"`
	}
	pub := make([]publicArrears, 0, len(rows))
	for _, a := range rows {
		pub = append(pub, publicArrears{a.Unit, a.Owed, a.Bills, a.Oldest, a.Ageing, a.LateFee})
	}
	if err := z.json("arrears.json", pub); err != nil {
		return err
	}
	return z.csv("arrears.csv", []string{"unit", "owed", "bills", "oldest", "age_0_3m", "age_3_6m", "age_6_12m", "age_over_12m", "late_fee"}, func(add func(...string) error) error {
		for _, a := range pub {
			if err := add(a.Unit, amt(a.Owed), strconv.Itoa(a.Bills), a.Oldest,
				amt(a.Ageing[0]), amt(a.Ageing[1]), amt(a.Ageing[2]), amt(a.Ageing[3]), amt(a.LateFee)); err != nil {
				return err
			}
		}
		return nil
	})
}

// snapBills writes every bill by unit (no payer).
func snapBills(ctx context.Context, z *snapWriter) error {
	runs, err := z.s.Fees.BillingRuns(ctx)
	if err != nil {
		return err
	}
	return z.csv("bills.csv", []string{"period", "unit", "kind", "area", "price", "amount"}, func(add func(...string) error) error {
		for _, r := range runs {
			bills, err := z.s.Fees.Bills(ctx, r.Period)
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
	if err := z.json("expenses.json", xs); err != nil {
		return err
	}
	return z.csv("expenses.csv", []string{"id", "fund", "category", "payee", "amount", "description", "applicant", "applied", "state", "signatures", "paid_date", "entry", "reject_reason"}, func(add func(...string) error) error {
		for _, x := range xs {
			var signers []string
			for _, s := range x.Signatures {
				signers = append(signers, s.Step+":"+s.Signer)
			}
			entry := ""
			if x.Entry != 0 {
				entry = strconv.FormatInt(x.Entry, 10)
			}
			if err := add(x.ID, string(x.Fund), x.Category, x.Payee, amt(x.Amount), x.Description, x.Applicant,
				x.Applied.Format(time.RFC3339), string(x.State), strings.Join(signers, ";"), x.PaidDate, entry, x.RejectReason); err != nil {
				return err
			}
		}
		return nil
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
}

// SnapshotQuarters are the quarters a snapshot made on the date today discloses, by the
// calendar: every quarter of the previous and the current year, complete (its last day
// is before today) or not; only complete ones get a disclosure PDF. Quarters that end
// before firstEntry (the journal's first date, "" if empty) are left out.
func SnapshotQuarters(today, firstEntry string) []QuarterFile {
	year, _ := strconv.Atoi(today[:4])
	var out []QuarterFile
	for y := year - 1; y <= year; y++ {
		for q := 1; q <= 4; q++ {
			from := fmt.Sprintf("%04d-%02d", y, 3*q-2)
			to := fmt.Sprintf("%04d-%02d", y, 3*q)
			if firstEntry == "" || to < firstEntry[:7] || from > today[:7] {
				continue
			}
			qf := QuarterFile{Quarter: fmt.Sprintf("%dQ%d", y, q), From: from, To: to, Complete: to < today[:7]}
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
func snapQuarterly(ctx context.Context, z *snapWriter) error {
	first := ""
	if z.manifest.Entries > 0 {
		e, err := z.s.Ledger.Entry(ctx, 1)
		if err != nil {
			return err
		}
		first = e.Date
	}
	today := z.manifest.Created.Local().Format(dateLayout)
	qs := SnapshotQuarters(today, first)
	for _, qf := range qs {
		if !qf.Complete {
			continue
		}
		y, _ := strconv.Atoi(qf.Quarter[:4])
		q := int(qf.Quarter[5] - '0')
		qd, err := GatherQuarter(ctx, z.s, y, q, today, z.manifest.Entries)
		if err != nil {
			return err
		}
		qd.Community, qd.Head = z.manifest.Community, z.manifest.Head
		doc := QuarterlyDoc(qd)
		if err := z.file(qf.File, doc.Write); err != nil {
			return err
		}
	}
	if qs == nil {
		qs = []QuarterFile{}
	}
	return z.json("quarters.json", qs)
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
清单和哈希链 / index.html is the owner viewer: open it in any browser, no network needed;
it checks the signature, the manifest and the hash chain itself.

manifest.json 列出其余每个文件的大小和 SHA-256 / lists every other file's size and SHA-256
(except manifest.json.minisig, its own signature, and index.html, which embeds both).
published.json 列出此前在公示和快照中发布过的每个链头；本快照的账本必须在同一位置仍有
相同的哈希 / lists every head hash published before (notices, snapshots): this journal must
still hold each of them at its position, so a rewritten history shows.
本快照只列房号，不含业主姓名、编号或各户的表决选择 / Units only: no owner names, owner ids
or per-unit vote choices.
journal.json 是全部凭证及其哈希 / holds every journal entry with its hashes. Each entry's hash is
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

// Names of the files of a snapshot that the manifest cannot list, since they hold it:
// the manifest's own signature and the owner viewer, which embeds the manifest, that
// signature and the JSON files it shows. The zip's signature covers them all.
const (
	ManifestSigName = app.ManifestName + ".minisig"
	ViewerName      = "index.html"
)

// BuildSnapshot writes the snapshot zip of the book to w and returns its manifest. key
// signs the manifest (manifest.json.minisig), which the owner viewer checks in the
// browser; the zip as a whole is signed by WriteSnapshot.
func BuildSnapshot(ctx context.Context, s app.Services, now time.Time, w io.Writer, key minisign.PrivateKey) (app.Manifest, error) {
	return buildSnapshot(ctx, s, now, w, key, nil)
}

// SnapshotProgress hears how far a snapshot has got: done of total parts written.
type SnapshotProgress func(done, total int)

func buildSnapshot(ctx context.Context, s app.Services, now time.Time, w io.Writer, key minisign.PrivateKey, progress SnapshotProgress) (app.Manifest, error) {
	c, err := s.Book.Community(ctx)
	if err != nil {
		return app.Manifest{}, err
	}
	z := &snapWriter{zw: zip.NewWriter(w), s: s, embed: map[string][]byte{},
		manifest: app.Manifest{Format: app.SnapshotFormat, Community: c.Name, Created: now.UTC().Truncate(time.Second)}}
	for i, part := range snapshotParts {
		if err := part(ctx, z); err != nil {
			return app.Manifest{}, err
		}
		if progress != nil {
			progress(i+1, len(snapshotParts)+1)
		}
	}
	mb, err := json.MarshalIndent(z.manifest, "", "  ")
	if err != nil {
		return app.Manifest{}, app.Internal(err)
	}
	mb = append(mb, '\n')
	sig := minisign.NewReader(bytes.NewReader(mb))
	if _, err := io.Copy(io.Discard, sig); err != nil {
		return app.Manifest{}, app.Internal(err)
	}
	sigText := sig.SignWithComments(key, app.SnapshotComment(z.manifest), "signature from sunledger committee key "+KeyID(key.ID()))
	pub, err := key.Public().(minisign.PublicKey).MarshalText()
	if err != nil {
		return app.Manifest{}, app.Internal(err)
	}
	viewer, err := ViewerPage(mb, sigText, pub, z.embed)
	if err != nil {
		return app.Manifest{}, err
	}
	for _, f := range []struct {
		name string
		b    []byte
	}{{app.ManifestName, mb}, {ManifestSigName, sigText}, {ViewerName, viewer}} {
		fw, err := z.zw.CreateHeader(&zip.FileHeader{Name: f.name, Method: zip.Deflate, Modified: z.manifest.Created})
		if err != nil {
			return app.Manifest{}, app.Internal(err)
		}
		if _, err := fw.Write(f.b); err != nil {
			return app.Manifest{}, app.Internal(err)
		}
	}
	if err := z.zw.Close(); err != nil {
		return app.Manifest{}, app.Internal(err)
	}
	return z.manifest, nil
}

// WriteSnapshot writes the snapshot to path and its signature, made with key, to
// path+".minisig". Both are written whole under temporary names first; the old
// signature is removed before the new zip is renamed into place and the new signature
// after it, so a kill at any point leaves the old pair, the old or new zip without a
// signature (which verify refuses), or the new pair — never a zip beside another zip's
// signature nor half a file under either name; re-running the export finishes it
// (docs/resume.md). The head it publishes is recorded in the book (who: the operator),
// so that later snapshots list it.
func WriteSnapshot(ctx context.Context, s app.Services, path string, key minisign.PrivateKey, now time.Time, who string) (app.Manifest, error) {
	return WriteSnapshotProgress(ctx, s, path, key, now, who, nil)
}

// WriteSnapshotProgress is WriteSnapshot telling progress how far it has got (the
// window's progress bar); the last step is the signature.
func WriteSnapshotProgress(ctx context.Context, s app.Services, path string, key minisign.PrivateKey, now time.Time, who string, progress SnapshotProgress) (app.Manifest, error) {
	sigPath := path + ".minisig"
	removeStaleTemps(path)
	removeStaleTemps(sigPath)
	var m app.Manifest
	zipTmp, err := writeTemp(path, func(w io.Writer) error {
		var err error
		m, err = buildSnapshot(ctx, s, now, w, key, progress)
		return err
	})
	if err != nil {
		return app.Manifest{}, err
	}
	defer os.Remove(zipTmp) // gone once renamed
	sig, err := signature(zipTmp, key, app.SnapshotComment(m))
	if err != nil {
		return app.Manifest{}, err
	}
	sigTmp, err := writeTemp(sigPath, func(w io.Writer) error { _, err := w.Write(sig); return err })
	if err != nil {
		return app.Manifest{}, err
	}
	defer os.Remove(sigTmp)
	dir := filepath.Dir(path)
	if err := os.Remove(sigPath); err != nil && !errors.Is(err, os.ErrNotExist) {
		return app.Manifest{}, app.Errorf(app.EINVALID, "无法替换 %s：%v；没有写出快照", "cannot replace %s: %v; no snapshot was written", sigPath, err)
	}
	syncDir(dir)
	if err := os.Rename(zipTmp, path); err != nil {
		return app.Manifest{}, app.Errorf(app.EINVALID, "无法写入 %s：%v", "cannot write %s: %v", path, err)
	}
	syncDir(dir)
	if err := os.Rename(sigTmp, sigPath); err != nil {
		os.Remove(path)
		return app.Manifest{}, app.Errorf(app.EINVALID, "无法写入 %s：%v", "cannot write %s: %v", sigPath, err)
	}
	syncDir(dir)
	if progress != nil {
		progress(len(snapshotParts)+1, len(snapshotParts)+1)
	}
	h := app.PublishedHead{Seq: m.Entries, Hash: m.Head, What: "snapshot " + filepath.Base(path), At: m.Created}
	if err := s.Published.RecordPublished(ctx, h, who); err != nil {
		return m, err
	}
	return m, nil
}

// removeStaleTemps removes the temporary files a killed writer of path left beside it.
func removeStaleTemps(path string) {
	olds, _ := filepath.Glob(filepath.Join(filepath.Dir(path), "."+globEscape(filepath.Base(path))+".tmp*"))
	for _, p := range olds {
		os.Remove(p)
	}
}

func globEscape(s string) string {
	r := strings.NewReplacer("*", "\\*", "?", "\\?", "[", "\\[", "\\", "\\\\")
	return r.Replace(s)
}

// signature is the minisign signature (prehashed form) of the file at path.
func signature(path string, key minisign.PrivateKey, trusted string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, app.Errorf(app.EINVALID, "无法读取 %s：%v", "cannot read %s: %v", path, err)
	}
	defer f.Close()
	r := minisign.NewReader(f)
	if _, err := io.Copy(io.Discard, r); err != nil {
		return nil, app.Internal(err)
	}
	untrusted := "signature from sunledger committee key " + KeyID(key.ID())
	return r.SignWithComments(key, trusted, untrusted), nil
}

// SignFile signs the file at path in minisign's prehashed form (what `minisign -S -H`
// makes and `minisign -V` checks) with the trusted comment, and writes sigPath.
func SignFile(path, sigPath string, key minisign.PrivateKey, trusted string) error {
	sig, err := signature(path, key, trusted)
	if err != nil {
		return err
	}
	return WriteFileAtomic(sigPath, func(w io.Writer) error {
		_, err := w.Write(sig)
		return err
	})
}

// KeyID is a minisign key id as minisign prints it (hex, upper case).
func KeyID(id uint64) string { return strings.ToUpper(strconv.FormatUint(id, 16)) }

// VerifySnapshot checks a snapshot: the signature at sigPath against pub (and that its
// trusted comment is a snapshot's), every file against the manifest, the manifest's own
// signature (the one the owner viewer checks), the journal's hash chain re-walked from
// journal.json, that the chain's head and length match both the manifest and the signed
// comment, and that the chain still holds every head published before (published.json).
// It returns the manifest; the error says what failed, in one line.
func VerifySnapshot(zipPath, sigPath string, pub minisign.PublicKey) (app.Manifest, error) {
	v, err := verifySnapshot(zipPath, sigPath, pub)
	return v.manifest, err
}

// VerifySnapshotSince is VerifySnapshot, and checks too that the snapshot extends an
// earlier one (oldZip, signed by the same key): its journal holds the old head at the
// old position, and every head the old snapshot listed as published.
func VerifySnapshotSince(zipPath, sigPath, oldZip, oldSig string, pub minisign.PublicKey) (app.Manifest, error) {
	old, err := verifySnapshot(oldZip, oldSig, pub)
	if err != nil {
		return app.Manifest{}, app.Errorf(app.EINVALID, "较早的快照 %s 本身没有通过核验：%s", "the earlier snapshot %s does not verify: %s", oldZip, errText(err))
	}
	v, err := verifySnapshot(zipPath, sigPath, pub)
	if err != nil {
		return v.manifest, err
	}
	heads := append([]app.PublishedHead{}, old.published...)
	if old.manifest.Entries > 0 {
		heads = append(heads, app.PublishedHead{Seq: old.manifest.Entries, Hash: old.manifest.Head, What: "snapshot " + filepath.Base(oldZip), At: old.manifest.Created})
	}
	return v.manifest, app.CheckPublished(heads, v.hashAt)
}

func errText(err error) string {
	var e *app.Error
	if errors.As(err, &e) {
		return app.T(e.ZH, e.EN)
	}
	return err.Error()
}

// verified is what a snapshot check learned: the manifest, every entry's hash and the
// heads the snapshot lists as published before it.
type verified struct {
	manifest  app.Manifest
	hashes    []string // hashes[i] is entry i+1's
	published []app.PublishedHead
}

func (v verified) hashAt(seq int64) (string, bool) {
	if seq < 1 || seq > int64(len(v.hashes)) {
		return "", false
	}
	return v.hashes[seq-1], true
}

func verifySnapshot(zipPath, sigPath string, pub minisign.PublicKey) (verified, error) {
	var v verified
	sigText, err := os.ReadFile(sigPath)
	if err != nil {
		return v, app.Errorf(app.EINVALID, "无法读取签名文件 %s：%v", "cannot read the signature file %s: %v", sigPath, err)
	}
	var sig minisign.Signature
	if err := sig.UnmarshalText(sigText); err != nil {
		return v, app.Errorf(app.EINVALID, "签名文件 %s 不是 minisign 签名：%v", "%s is not a minisign signature: %v", sigPath, err)
	}
	if sig.KeyID != pub.ID() {
		return v, app.Errorf(app.EINVALID, "签名由密钥 %s 做出，不是这把公钥（%s）", "the signature was made with key %s, not with this public key (%s)", KeyID(sig.KeyID), KeyID(pub.ID()))
	}
	f, err := os.Open(zipPath)
	if err != nil {
		return v, app.Errorf(app.EINVALID, "无法读取 %s：%v", "cannot read %s: %v", zipPath, err)
	}
	defer f.Close()
	r := minisign.NewReader(f)
	if _, err := io.Copy(io.Discard, r); err != nil {
		return v, app.Internal(err)
	}
	if !r.Verify(pub, sigText) {
		return v, app.Errorf(app.EINVALID, "签名无效：%s 在签名后被改动过，或签名不是这把密钥做的", "the signature is not valid: %s was changed after signing, or not signed with this key", zipPath)
	}
	claim, err := app.ParseSnapshotComment(sig.TrustedComment)
	if err != nil {
		return v, err
	}
	st, err := f.Stat()
	if err != nil {
		return v, app.Internal(err)
	}
	zr, err := zip.NewReader(f, st.Size())
	if err != nil {
		return v, app.Errorf(app.EINVALID, "%s 不是有效的 zip 文件：%v", "%s is not a valid zip file: %v", zipPath, err)
	}
	v, err = checkSnapshotZip(zr, pub)
	if err != nil {
		return v, err
	}
	if err := v.manifest.CheckClaim(claim); err != nil {
		return v, err
	}
	return v, nil
}

// readZipFile reads a whole small file of the zip.
func readZipFile(zf *zip.File, limit int64) ([]byte, error) {
	rc, err := zf.Open()
	if err != nil {
		return nil, badZipFile(zf.Name, err)
	}
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, limit))
	if err != nil {
		return nil, badZipFile(zf.Name, err)
	}
	return b, nil
}

// checkSnapshotZip checks the zip's files against its manifest, the manifest's own
// signature (when the snapshot has one), re-walks journal.json and checks the heads
// published before.
func checkSnapshotZip(zr *zip.Reader, pub minisign.PublicKey) (verified, error) {
	var v verified
	var found []app.ManifestFile
	byName := map[string]*zip.File{}
	for _, zf := range zr.File {
		if strings.HasPrefix(zf.Name, "/") || strings.Contains(zf.Name, "..") || strings.Contains(zf.Name, "\\") {
			return v, app.Errorf(app.EINVALID, "快照中的文件名 %q 不安全（绝对路径或含 ..）", "the snapshot holds an unsafe file name %q (absolute or with ..)", zf.Name)
		}
		switch zf.Name {
		case app.ManifestName, ManifestSigName, ViewerName:
			if byName[zf.Name] != nil {
				return v, app.Errorf(app.EINVALID, "快照中文件 %s 出现了两次", "the snapshot holds the file %s twice", zf.Name)
			}
			byName[zf.Name] = zf
			continue
		case "journal.json", app.PublishedName:
			byName[zf.Name] = zf
		}
		sum, n, err := hashZipFile(zf)
		if err != nil {
			return v, err
		}
		found = append(found, app.ManifestFile{Name: zf.Name, Size: n, SHA256: sum})
	}
	manifest := byName[app.ManifestName]
	if manifest == nil {
		return v, app.Errorf(app.EINVALID, "快照中没有 %s", "the snapshot has no %s", app.ManifestName)
	}
	mb, err := readZipFile(manifest, 64<<20)
	if err != nil {
		return v, err
	}
	if err := json.Unmarshal(mb, &v.manifest); err != nil {
		return v, app.Errorf(app.EINVALID, "无法读取 %s：%v", "cannot read %s: %v", app.ManifestName, err)
	}
	if err := v.manifest.CheckFiles(found); err != nil {
		return v, err
	}
	if zf := byName[ManifestSigName]; zf != nil {
		st, err := readZipFile(zf, 1<<16)
		if err != nil {
			return v, err
		}
		if !minisign.Verify(pub, mb, st) {
			return v, app.Errorf(app.EINVALID, "%s 的签名无效：清单在签名后被改动过", "the signature of %s is not valid: the manifest was changed after signing", app.ManifestName)
		}
	}
	journal := byName["journal.json"]
	if journal == nil {
		return v, app.Errorf(app.EINVALID, "快照中没有 journal.json", "the snapshot has no journal.json")
	}
	walk, hashes, err := walkJournalJSON(journal)
	if err != nil {
		return v, err
	}
	v.hashes = hashes
	if err := v.manifest.CheckChain(walk); err != nil {
		return v, err
	}
	if zf := byName[app.PublishedName]; zf != nil {
		b, err := readZipFile(zf, 64<<20)
		if err != nil {
			return v, err
		}
		if err := json.Unmarshal(b, &v.published); err != nil {
			return v, app.Errorf(app.EINVALID, "无法读取 %s：%v", "cannot read %s: %v", app.PublishedName, err)
		}
		if err := app.CheckPublished(v.published, v.hashAt); err != nil {
			return v, err
		}
	}
	return v, nil
}

func badZipFile(name string, err error) error {
	return app.Errorf(app.EINVALID, "快照中的文件 %s 无法读取（已损坏）：%v", "the file %s in the snapshot cannot be read (damaged): %v", name, err)
}

func hashZipFile(zf *zip.File) (string, int64, error) {
	rc, err := zf.Open()
	if err != nil {
		return "", 0, badZipFile(zf.Name, err)
	}
	defer rc.Close()
	h := sha256.New()
	n, err := io.Copy(h, rc)
	if err != nil {
		return "", 0, badZipFile(zf.Name, err)
	}
	return hex.EncodeToString(h.Sum(nil)), n, nil
}

// walkJournalJSON re-walks the hash chain of journal.json one entry at a time.
func walkJournalJSON(zf *zip.File) (*app.ChainCheck, []string, error) {
	rc, err := zf.Open()
	if err != nil {
		return nil, nil, badZipFile(zf.Name, err)
	}
	defer rc.Close()
	bad := func(err error) error {
		return app.Errorf(app.EINVALID, "journal.json 格式有误：%v", "journal.json is malformed: %v", err)
	}
	dec := json.NewDecoder(rc)
	if t, err := dec.Token(); err != nil || t != json.Delim('[') {
		if err == nil {
			err = errors.New("not a JSON array")
		}
		return nil, nil, bad(err)
	}
	walk := app.NewChainCheck()
	var hashes []string
	for dec.More() {
		var e app.Entry
		if err := dec.Decode(&e); err != nil {
			return nil, nil, bad(err)
		}
		if err := walk.Check(e); err != nil {
			return nil, nil, err
		}
		hashes = append(hashes, e.Hash)
	}
	if _, err := dec.Token(); err != nil {
		return nil, nil, bad(err)
	}
	return walk, hashes, nil
}

// ReadPublicKey reads a minisign public key file (or the bare base64 line).
func ReadPublicKey(path string) (minisign.PublicKey, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return minisign.PublicKey{}, app.Errorf(app.EINVALID, "无法读取公钥文件 %s：%v", "cannot read the public key file %s: %v", path, err)
	}
	var pub minisign.PublicKey
	if err := pub.UnmarshalText(bytes.TrimSpace(b)); err != nil {
		return minisign.PublicKey{}, app.Errorf(app.EINVALID, "%s 不是 minisign 公钥：%v", "%s is not a minisign public key: %v", path, err)
	}
	return pub, nil
}

// maxSecretKeyBytes bounds a secret key file: a minisign key is a few hundred bytes.
const maxSecretKeyBytes = 64 << 10

// ReadSecretKey reads the committee's minisign secret key and decrypts it with the
// passphrase (an unencrypted key needs none); a wrong passphrase is a clear error. The
// command line and the window both sign snapshots with it.
func ReadSecretKey(path, pass string) (minisign.PrivateKey, error) {
	f, err := os.Open(path)
	if err != nil {
		return minisign.PrivateKey{}, app.Errorf(app.EINVALID, "无法读取私钥文件 %s：%v", "cannot read the secret key file %s: %v", path, err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxSecretKeyBytes+1))
	if err != nil {
		return minisign.PrivateKey{}, app.Errorf(app.EINVALID, "无法读取私钥文件 %s：%v", "cannot read the secret key file %s: %v", path, err)
	}
	if len(b) > maxSecretKeyBytes {
		return minisign.PrivateKey{}, app.Errorf(app.EINVALID, "%s 太大，不是 minisign 私钥文件", "%s is too large to be a minisign secret key file", path)
	}
	if !minisign.IsEncrypted(b) {
		var k minisign.PrivateKey
		if err := k.UnmarshalText(b); err != nil {
			return minisign.PrivateKey{}, app.Errorf(app.EINVALID, "%s 不是 minisign 私钥文件", "%s is not a minisign secret key file", path)
		}
		return k, nil
	}
	k, err := minisign.DecryptKey(pass, b)
	if err != nil {
		return minisign.PrivateKey{}, app.Errorf(app.EUNAUTHORIZED, "口令不对，无法解开私钥 %s", "wrong passphrase: cannot decrypt the secret key %s", path)
	}
	return k, nil
}
