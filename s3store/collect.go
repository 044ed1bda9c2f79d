package s3store

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"aead.dev/minisign"
	"github.com/shopspring/decimal"

	"sunledger/app"
	"sunledger/internal/atomicfile"
	"sunledger/snapshot"
	"sunledger/witness"
)

// KeyEntry is one row of KEYS.csv: a community (its folder under the collect prefix)
// and its committee's public key file.
type KeyEntry struct {
	Community string
	PubFile   string // as resolved: relative paths are taken from the CSV's folder
}

// ReadKeys reads KEYS.csv: a header `community,pubkey_file` (a UTF-8 BOM is allowed),
// then one row per community. A community name is one folder name (no slash, not . or
// ..); each may appear once.
func ReadKeys(path string) ([]KeyEntry, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, app.Errorf(app.EINVALID, "无法读取公钥清单 %s：%v", "cannot read the key list %s: %v", path, err)
	}
	return ParseKeys(path, b)
}

// ParseKeys reads the text of a KEYS.csv at path (see ReadKeys).
func ParseKeys(path string, b []byte) ([]KeyEntry, error) {
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\ufeff"))))
	r.FieldsPerRecord = -1
	rows, err := r.ReadAll()
	if err != nil {
		return nil, app.Errorf(app.EINVALID, "公钥清单 %s 不是有效的 CSV：%v", "the key list %s is not valid CSV: %v", path, err)
	}
	if len(rows) == 0 || len(rows[0]) < 2 || strings.TrimSpace(rows[0][0]) != "community" || strings.TrimSpace(rows[0][1]) != "pubkey_file" {
		return nil, app.Errorf(app.EINVALID, "公钥清单 %s 的表头应为 community,pubkey_file", "the key list %s must start with the header community,pubkey_file", path)
	}
	dir := filepath.Dir(path)
	seen := map[string]bool{}
	var out []KeyEntry
	for i, row := range rows[1:] {
		line := i + 2
		if len(row) == 1 && strings.TrimSpace(row[0]) == "" {
			continue
		}
		if len(row) != 2 {
			return nil, app.Errorf(app.EINVALID, "公钥清单 %s 第 %d 行应有 2 列", "the key list %s, line %d: want 2 columns", path, line)
		}
		c, p := strings.TrimSpace(row[0]), strings.TrimSpace(row[1])
		if !SafeEntryName(c) || strings.Contains(c, "/") {
			return nil, app.Errorf(app.EINVALID, "公钥清单 %s 第 %d 行：小区名 %q 应为一个文件夹名（不含 /、不为 . 或 ..）", "the key list %s, line %d: the community %q must be one folder name (no /, not . or ..)", path, line, c)
		}
		if seen[c] {
			return nil, app.Errorf(app.EINVALID, "公钥清单 %s 第 %d 行：小区 %s 重复", "the key list %s, line %d: the community %s appears twice", path, line, c)
		}
		seen[c] = true
		if p == "" {
			return nil, app.Errorf(app.EINVALID, "公钥清单 %s 第 %d 行：缺少 pubkey_file", "the key list %s, line %d: pubkey_file is empty", path, line)
		}
		if !filepath.IsAbs(p) {
			p = filepath.Join(dir, filepath.FromSlash(p))
		}
		out = append(out, KeyEntry{Community: c, PubFile: p})
	}
	if len(out) == 0 {
		return nil, app.Errorf(app.EINVALID, "公钥清单 %s 没有列出任何小区", "the key list %s lists no community", path)
	}
	return out, nil
}

// Summary is one community's row of the collected summary. Everything but Community,
// Snapshot and Result is empty unless the snapshot verified.
type Summary struct {
	Community            string `json:"community"`
	Snapshot             string `json:"snapshot"`
	Head                 string `json:"head"`
	Signed               string `json:"signed"` // YYYY-MM-DD (UTC), from the signed comment
	ServiceFund          string `json:"service_fund"`
	PublicIncomeFund     string `json:"public_income_fund"`
	MaintenanceFund      string `json:"maintenance_fund"`
	LastDisclosedQuarter string `json:"last_disclosed_quarter"` // YYYYQn
	CollectionRate       string `json:"collection_rate"`        // received ÷ billed over every bill in the snapshot, 0..1
	OverdueDisclosures   *int   `json:"overdue_disclosures"`
	Verified             bool   `json:"verified"`
	Result               string `json:"result"`  // "ok" or why not
	Witness              string `json:"witness"` // the witness's verdict (docs/witness.md): first, extends, same, fork, rollback, bad-proof, bad-signature; none without a checkpoint; "" when not verified
}

// SummaryHeader is summary.csv's header.
var SummaryHeader = []string{"community", "snapshot", "head", "signed", "service_fund", "public_income_fund", "maintenance_fund",
	"last_disclosed_quarter", "collection_rate", "overdue_disclosures", "result", "witness"}

func (s Summary) record() []string {
	od := ""
	if s.OverdueDisclosures != nil {
		od = strconv.Itoa(*s.OverdueDisclosures)
	}
	return []string{s.Community, s.Snapshot, s.Head, s.Signed, s.ServiceFund, s.PublicIncomeFund, s.MaintenanceFund,
		s.LastDisclosedQuarter, s.CollectionRate, od, s.Result, s.Witness}
}

// CollectOptions tunes Collect.
type CollectOptions struct {
	Workers  int       // downloads at once; 8 if 0
	Progress io.Writer // one line per community; may be nil
	MaxZip   int64     // largest zip downloaded; 1 GiB if 0
	// WitnessDir is the witness's folder (docs/witness.md); outDir/witness if "".
	WitnessDir string
}

// Collect downloads every listed community's latest snapshot from
// from.Prefix/<community>/, verifies it against the community's public key, and
// writes outDir/snapshots/<community>.zip(.minisig), outDir/summary.csv (UTF-8 BOM) and
// outDir/summary.json. It acts as a witness for every community (witness.Witness in
// opt.WitnessDir): a snapshot whose checkpoint does not extend the one held for its
// origin (a fork, a rollback, a bad proof) does not verify, and a cosignature of each
// one that does is written beside it (snapshots/<community>.zip.cosig). A community that
// cannot be fetched or does not verify still gets its row, with the reason. It fails as
// a whole (writing nothing) only when the store cannot be reached, refuses the
// credentials or has no such bucket, or the witness folder cannot be made.
func Collect(ctx context.Context, s *Store, from Target, keys []KeyEntry, outDir string, opt CollectOptions) ([]Summary, error) {
	if opt.Workers <= 0 {
		opt.Workers = 8
	}
	if opt.MaxZip <= 0 {
		opt.MaxZip = 1 << 30
	}
	if opt.Progress == nil {
		opt.Progress = io.Discard
	}
	if err := s.CheckBucket(ctx); err != nil {
		return nil, err
	}
	if opt.WitnessDir == "" {
		opt.WitnessDir = filepath.Join(outDir, "witness")
	}
	if err := os.MkdirAll(opt.WitnessDir, 0o755); err != nil {
		return nil, app.Errorf(app.EINVALID, "无法建立见证文件夹 %s：%v", "cannot create the witness folder %s: %v", opt.WitnessDir, err)
	}
	wit, err := witness.Open(opt.WitnessDir, "")
	if err != nil {
		return nil, err
	}
	snapDir := filepath.Join(outDir, "snapshots")
	if err := os.MkdirAll(snapDir, 0o755); err != nil {
		return nil, app.Errorf(app.EINVALID, "无法建立输出文件夹 %s：%v", "cannot create the output folder %s: %v", snapDir, err)
	}
	rows := make([]Summary, len(keys))
	var mu sync.Mutex
	done := 0
	jobs := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < min(opt.Workers, len(keys)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				rows[i] = collectOne(ctx, s, from, keys[i], snapDir, opt.MaxZip, wit)
				mu.Lock()
				done++
				fmt.Fprintf(opt.Progress, "[%d/%d] %s: %s\n", done, len(keys), rows[i].Community, rows[i].Result)
				mu.Unlock()
			}
		}()
	}
	for i := range keys {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	if err := WriteSummary(outDir, rows); err != nil {
		return rows, err
	}
	return rows, nil
}

// WriteSummary writes dir/summary.csv (UTF-8 with a BOM) and dir/summary.json.
func WriteSummary(dir string, rows []Summary) error {
	err := atomicfile.Write(filepath.Join(dir, "summary.csv"), func(w io.Writer) error {
		if _, err := io.WriteString(w, "\ufeff"); err != nil {
			return err
		}
		cw := csv.NewWriter(w)
		cw.UseCRLF = true
		cw.Write(SummaryHeader)
		for _, r := range rows {
			cw.Write(r.record())
		}
		cw.Flush()
		return cw.Error()
	})
	if err != nil {
		return app.Errorf(app.EINVALID, "无法写入 summary.csv：%v", "cannot write summary.csv: %v", err)
	}
	err = atomicfile.Write(filepath.Join(dir, "summary.json"), func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if rows == nil {
			rows = []Summary{}
		}
		return enc.Encode(rows)
	})
	if err != nil {
		return app.Errorf(app.EINVALID, "无法写入 summary.json：%v", "cannot write summary.json: %v", err)
	}
	return nil
}

// collectOne fetches, verifies and summarises one community; it never fails, the
// reason goes into the row.
func collectOne(ctx context.Context, s *Store, from Target, k KeyEntry, snapDir string, maxZip int64, wit *witness.Witness) Summary {
	row := Summary{Community: k.Community}
	fail := func(err error) Summary {
		row.Result = strings.ReplaceAll(err.Error(), "\n", " ")
		row.Head, row.Signed = "", ""
		return row
	}
	pub, err := snapshot.ReadPublicKey(k.PubFile)
	if err != nil {
		return fail(err)
	}
	zipPath := filepath.Join(snapDir, k.Community+".zip")
	sigPath := zipPath + ".minisig"
	os.Remove(zipPath) // what an earlier collect left must not pass for this one's
	os.Remove(sigPath)
	os.Remove(zipPath + ".cosig")
	base := Target{Bucket: from.Bucket, Prefix: from.Key(k.Community)}
	latest, err := readLatest(ctx, s, base.Key(LatestName))
	if err != nil {
		if app.ErrorCode(err) == app.ENOTFOUND {
			return fail(app.Errorf(app.ENOTFOUND, "未发布：%s 下没有 latest.json", "not published: no latest.json under %s", base))
		}
		return fail(err)
	}
	row.Snapshot = latest.Snapshot
	zipSum, err := download(ctx, s, base.Key(latest.Zip), zipPath, maxZip)
	if err != nil {
		return fail(err)
	}
	if _, err := download(ctx, s, base.Key(latest.Signature), sigPath, 1<<20); err != nil {
		return fail(err)
	}
	m, err := snapshot.Verify(zipPath, sigPath, pub)
	if err != nil {
		return fail(err)
	}
	if latest.SHA256 != "" && !strings.EqualFold(latest.SHA256, zipSum) {
		return fail(app.Errorf(app.EINVALID, "下载的快照与 latest.json 记载的 SHA-256 不符（可能正在发布中），请稍后再收集", "the downloaded zip does not match the SHA-256 in latest.json (a publish may be under way); collect again later"))
	}
	sigText, err := os.ReadFile(sigPath)
	if err != nil {
		return fail(err)
	}
	var sig minisign.Signature
	if err := sig.UnmarshalText(sigText); err != nil {
		return fail(err)
	}
	claim, err := app.ParseSnapshotComment(sig.TrustedComment)
	if err != nil {
		return fail(err)
	}
	if row.Witness, err = witnessOne(wit, zipPath, pub); err != nil {
		return fail(err)
	}
	row.Head = m.Head
	signed := time.Unix(claim.Time, 0).UTC()
	row.Signed = signed.Format(app.DateLayout)
	summarise(zipPath, signed, &row)
	row.Verified = true
	row.Result = "ok"
	return row
}

// witnessOne cosigns a verified snapshot's checkpoint (zipPath.cosig) and returns the
// witness's verdict; a refusal is the error, with the verdict. A snapshot made before
// checkpoints is "none", unless the witness saw checkpoints signed by its key before.
func witnessOne(wit *witness.Witness, zipPath string, pub minisign.PublicKey) (string, error) {
	signed, proofs, ok, err := witness.ReadSnapshot(zipPath)
	if err != nil {
		return witness.BadProof, err
	}
	if !ok {
		if o, held := wit.OriginOf(pub); held {
			return witness.Rollback, app.Errorf(app.EINVALID, "回滚：快照没有检查点，而这把委员会公钥此前的快照有（来源 %s）", "rollback: the snapshot has no checkpoint, though this committee key's earlier snapshots had one (origin %s)", o)
		}
		return "none", nil
	}
	res, err := wit.Cosign(signed, proofs, pub)
	if err != nil {
		return res.Verdict, err
	}
	return res.Verdict, atomicfile.Write(zipPath+".cosig", func(w io.Writer) error { _, err := w.Write(res.Cosignature); return err })
}

// download writes key to path through a temporary file (nothing half-written is left
// under path) and returns its SHA-256.
func download(ctx context.Context, s *Store, key, path string, limit int64) (string, error) {
	var f *os.File
	var h = sha256.New()
	defer func() {
		if f != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	err := s.get(ctx, key, limit, func() (io.Writer, error) {
		if f != nil {
			f.Close()
			os.Remove(f.Name())
		}
		var err error
		f, err = os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
		if err != nil {
			return nil, err
		}
		h.Reset()
		return io.MultiWriter(f, h), nil
	})
	if err != nil {
		return "", err
	}
	if err := f.Close(); err != nil {
		return "", app.Internal(err)
	}
	if err := os.Rename(f.Name(), path); err != nil {
		return "", app.Internal(err)
	}
	f = nil
	return hex.EncodeToString(h.Sum(nil)), nil
}

var quarterRe = regexp.MustCompile(`(\d{4})Q([1-4])`)

// summarise reads what the summary shows from a verified snapshot's files: balances.json
// for the funds, the disclosure/ file names for the quarters, the journal's first
// entry for when the books start, bills.csv and arrears.csv for the collection rate. A
// file that is missing leaves its columns empty.
func summarise(zipPath string, signed time.Time, row *Summary) {
	zr, err := zip.OpenReader(zipPath)
	if err != nil {
		return
	}
	defer zr.Close()
	files := map[string]*zip.File{}
	disclosed := map[int]bool{} // year*10+quarter
	for _, f := range zr.File {
		files[f.Name] = f
		if strings.HasPrefix(f.Name, "disclosure/") {
			if sm := quarterRe.FindStringSubmatch(f.Name); sm != nil && !strings.Contains(strings.ToLower(f.Name), "incomplete") {
				y, _ := strconv.Atoi(sm[1])
				q, _ := strconv.Atoi(sm[2])
				disclosed[y*10+q] = true
			}
		}
	}
	if f := files["balances.json"]; f != nil {
		var bs []app.AccountBalance
		if readJSON(f, &bs) == nil {
			sums := map[app.Fund]decimal.Decimal{}
			for _, b := range bs {
				parts := strings.SplitN(b.Account, ":", 3)
				if len(parts) < 3 || parts[0] != app.TypeAsset {
					continue
				}
				for _, fund := range []app.Fund{app.FundService, app.FundPublic, app.FundMaintenance} {
					if parts[1] == fund.FundName() {
						sums[fund] = sums[fund].Add(b.Balance)
					}
				}
			}
			row.ServiceFund = sums[app.FundService].StringFixed(2)
			row.PublicIncomeFund = sums[app.FundPublic].StringFixed(2)
			row.MaintenanceFund = sums[app.FundMaintenance].StringFixed(2)
		}
	}
	var keys []int
	for k := range disclosed {
		keys = append(keys, k)
	}
	sort.Ints(keys)
	if len(keys) > 0 {
		last := keys[len(keys)-1]
		row.LastDisclosedQuarter = fmt.Sprintf("%dQ%d", last/10, last%10)
	}
	journal := files["journal.json"] // a snapshot made before the journal was split
	if p := files[snapshot.PeriodsName]; p != nil {
		journal = nil
		var ps []snapshot.Period
		switch err := readJSON(p, &ps); {
		case err == nil && len(ps) > 0:
			journal = files[ps[0].File]
		case err == nil:
			n := 0 // an empty journal owes no disclosure
			row.OverdueDisclosures = &n
		}
	}
	if f := journal; f != nil {
		if first, ok := firstEntryDate(f); ok {
			n := OverdueDisclosures(first, signed, disclosed)
			row.OverdueDisclosures = &n
		} else {
			n := 0 // an empty journal owes no disclosure
			row.OverdueDisclosures = &n
		}
	}
	billed, okB := sumColumn(files["bills.csv"], "amount")
	owed, okA := sumColumn(files["arrears.csv"], "owed")
	if okB && okA && billed.IsPositive() {
		row.CollectionRate = billed.Sub(owed).Div(billed).StringFixed(4)
	}
}

// OverdueDisclosures counts the complete quarters of the signed year and the year
// before, from the quarter of the books' first entry on, that have no disclosure.
// disclosed holds year*10+quarter.
func OverdueDisclosures(firstEntry string, signed time.Time, disclosed map[int]bool) int {
	fy, err1 := strconv.Atoi(firstEntry[:min(4, len(firstEntry))])
	fm, err2 := strconv.Atoi(firstEntry[min(5, len(firstEntry)):min(7, len(firstEntry))])
	if err1 != nil || err2 != nil {
		return 0
	}
	start := fy*4 + (fm-1)/3
	cur := signed.Year()*4 + (int(signed.Month())-1)/3 // the quarter under way is not complete
	n := 0
	for q := (signed.Year() - 1) * 4; q < cur; q++ {
		if q >= start && !disclosed[(q/4)*10+q%4+1] {
			n++
		}
	}
	return n
}

func readJSON(f *zip.File, v any) error {
	rc, err := f.Open()
	if err != nil {
		return err
	}
	defer rc.Close()
	return json.NewDecoder(io.LimitReader(rc, 256<<20)).Decode(v)
}

// firstEntryDate reads only the first entry of a journal file (journal.json, or the
// first period's file, JSON or CSV).
func firstEntryDate(f *zip.File) (string, bool) {
	rc, err := f.Open()
	if err != nil {
		return "", false
	}
	defer rc.Close()
	if strings.HasSuffix(f.Name, ".csv") { // a period's CSV (snapshots from 2026-12 on)
		d, err := snapshot.FirstEntryDate(rc, f.Name)
		return d, err == nil && len(d) >= 7
	}
	dec := json.NewDecoder(rc)
	if t, err := dec.Token(); err != nil || t != json.Delim('[') || !dec.More() {
		return "", false
	}
	var e struct {
		Date string `json:"date"`
	}
	if err := dec.Decode(&e); err != nil || len(e.Date) < 7 {
		return "", false
	}
	return e.Date, true
}

// sumColumn adds up one column of a CSV file in the snapshot, found by its header.
func sumColumn(f *zip.File, col string) (decimal.Decimal, bool) {
	var sum decimal.Decimal
	if f == nil {
		return sum, false
	}
	rc, err := f.Open()
	if err != nil {
		return sum, false
	}
	defer rc.Close()
	r := csv.NewReader(rc)
	r.FieldsPerRecord = -1
	head, err := r.Read()
	if err != nil {
		return sum, false
	}
	idx := -1
	for i, h := range head {
		if strings.TrimPrefix(strings.TrimSpace(h), "\ufeff") == col {
			idx = i
		}
	}
	if idx < 0 {
		return sum, false
	}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return sum, true
		}
		if err != nil {
			return sum, false
		}
		if idx < len(rec) {
			if d, err := decimal.NewFromString(strings.TrimSpace(rec[idx])); err == nil {
				sum = sum.Add(d)
			}
		}
	}
}
