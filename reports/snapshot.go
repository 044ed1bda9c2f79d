package reports

// snapshot.go writes and checks signed snapshots: one zip holding the community's books
// in open formats (CSV with a UTF-8 BOM so Excel reads Chinese, JSON, the latest
// quarterly disclosure PDF) and manifest.json listing every file's size and SHA-256,
// with FILE.zip.minisig beside it: a minisign signature in the prehashed ED form, so
// the standard `minisign -Vm FILE.zip -p KEY.pub` verifies it too. The rules (the
// manifest, the signed comment, the chain re-walk) are in app/snapshot.go.
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
	snapQuarterly,
	snapReadme,
}

// snapWriter adds files to the zip and records each in the manifest.
type snapWriter struct {
	zw       *zip.Writer
	s        app.Services
	manifest app.Manifest
	walk     *app.ChainCheck // the journal as exported, set by snapJournal
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
	if err := write(hw); err != nil {
		return err
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

func snapUnits(ctx context.Context, z *snapWriter) error {
	units, err := z.s.Register.Units(ctx)
	if err != nil {
		return err
	}
	if err := z.json("units.json", units); err != nil {
		return err
	}
	return z.csv("units.csv", []string{"unit", "kind", "area", "owner_id", "owner_name", "developer_held"}, func(add func(...string) error) error {
		for _, u := range units {
			dev := "0"
			if u.DeveloperHeld {
				dev = "1"
			}
			if err := add(u.ID, u.Kind, u.Area.StringFixed(2), u.OwnerID, u.OwnerName, dev); err != nil {
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

func snapArrears(ctx context.Context, z *snapWriter) error {
	rows, err := z.s.Fees.Arrears(ctx)
	if err != nil {
		return err
	}
	return z.csv("arrears.csv", []string{"unit", "payer", "owed", "bills", "oldest", "age_0_3m", "age_3_6m", "age_6_12m", "age_over_12m", "late_fee"}, func(add func(...string) error) error {
		for _, a := range rows {
			if err := add(a.Unit, a.Payer, amt(a.Owed), strconv.Itoa(a.Bills), a.Oldest,
				amt(a.Ageing[0]), amt(a.Ageing[1]), amt(a.Ageing[2]), amt(a.Ageing[3]), amt(a.LateFee)); err != nil {
				return err
			}
		}
		return nil
	})
}

func snapBills(ctx context.Context, z *snapWriter) error {
	runs, err := z.s.Fees.BillingRuns(ctx)
	if err != nil {
		return err
	}
	return z.csv("bills.csv", []string{"period", "unit", "kind", "area", "price", "amount", "payer"}, func(add func(...string) error) error {
		for _, r := range runs {
			bills, err := z.s.Fees.Bills(ctx, r.Period)
			if err != nil {
				return err
			}
			for _, b := range bills {
				if err := add(b.Period, b.Unit, b.Kind, b.Area.StringFixed(2), b.Price.String(), amt(b.Amount), b.Payer); err != nil {
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

// snapVotes writes, for each assembly, its tally, its ballots as keyed (entries A and B)
// and its whole record (frozen register, resolutions, rulings, deliveries).
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
		if err := z.json("votes/"+a.ID+"-tally.json", app.CountVotes(r)); err != nil {
			return err
		}
		header := []string{"entry", "ballot_no", "unit"}
		for _, m := range a.Matters {
			header = append(header, "m"+strconv.Itoa(m.No))
		}
		header = append(header, "invalid_reason", "proxy")
		err = z.csv("votes/"+a.ID+"-ballots.csv", header, func(add func(...string) error) error {
			for _, entry := range []struct {
				name string
				bs   []app.Ballot
			}{{"A", r.EntryA}, {"B", r.EntryB}} {
				for _, b := range entry.bs {
					row := []string{entry.name, b.No, b.Unit}
					for _, c := range b.Choices {
						row = append(row, c.String())
					}
					if err := add(append(row, b.Invalid, b.Proxy)...); err != nil {
						return err
					}
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		if err := z.json("votes/"+a.ID+"-record.json", r); err != nil {
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

// snapQuarterly adds the disclosure (收支公示) of the quarter of the newest entry.
func snapQuarterly(ctx context.Context, z *snapWriter) error {
	if z.manifest.Entries == 0 {
		return nil
	}
	last, err := z.s.Ledger.Entry(ctx, z.manifest.Entries)
	if err != nil {
		return err
	}
	year, _ := strconv.Atoi(last.Date[:4])
	month, _ := strconv.Atoi(last.Date[5:7])
	q := (month-1)/3 + 1
	qd, err := GatherQuarter(ctx, z.s, year, q, z.manifest.Created.Format(dateLayout), z.manifest.Entries)
	if err != nil {
		return err
	}
	qd.Community, qd.Head = z.manifest.Community, z.manifest.Head
	doc := QuarterlyDoc(qd)
	return z.file(fmt.Sprintf("disclosure/%dQ%d-quarterly.pdf", year, q), doc.Write)
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

manifest.json 列出其余每个文件的大小和 SHA-256 / lists every other file's size and SHA-256.
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

// BuildSnapshot writes the snapshot zip of the book to w and returns its manifest.
func BuildSnapshot(ctx context.Context, s app.Services, now time.Time, w io.Writer) (app.Manifest, error) {
	c, err := s.Book.Community(ctx)
	if err != nil {
		return app.Manifest{}, err
	}
	z := &snapWriter{zw: zip.NewWriter(w), s: s,
		manifest: app.Manifest{Format: app.SnapshotFormat, Community: c.Name, Created: now.UTC().Truncate(time.Second)}}
	for _, part := range snapshotParts {
		if err := part(ctx, z); err != nil {
			return app.Manifest{}, err
		}
	}
	if err := z.json(app.ManifestName, z.manifest); err != nil {
		return app.Manifest{}, err
	}
	z.manifest.Files = z.manifest.Files[:len(z.manifest.Files)-1] // the manifest does not list itself
	if err := z.zw.Close(); err != nil {
		return app.Manifest{}, app.Internal(err)
	}
	return z.manifest, nil
}

// WriteSnapshot writes the snapshot to path and its signature, made with key, to
// path+".minisig"; each file is written atomically. On an error neither is left behind
// (a previous snapshot at path is replaced only once the new one is whole).
func WriteSnapshot(ctx context.Context, s app.Services, path string, key minisign.PrivateKey, now time.Time) (app.Manifest, error) {
	var m app.Manifest
	err := WriteFileAtomic(path, func(w io.Writer) error {
		var err error
		m, err = BuildSnapshot(ctx, s, now, w)
		return err
	})
	if err != nil {
		return app.Manifest{}, err
	}
	if err := SignFile(path, path+".minisig", key, app.SnapshotComment(m)); err != nil {
		os.Remove(path)
		return app.Manifest{}, err
	}
	return m, nil
}

// SignFile signs the file at path in minisign's prehashed form (what `minisign -S -H`
// makes and `minisign -V` checks) with the trusted comment, and writes sigPath.
func SignFile(path, sigPath string, key minisign.PrivateKey, trusted string) error {
	f, err := os.Open(path)
	if err != nil {
		return app.Errorf(app.EINVALID, "无法读取 %s：%v", "cannot read %s: %v", path, err)
	}
	defer f.Close()
	r := minisign.NewReader(f)
	if _, err := io.Copy(io.Discard, r); err != nil {
		return app.Internal(err)
	}
	untrusted := "signature from sunledger committee key " + KeyID(key.ID())
	sig := r.SignWithComments(key, trusted, untrusted)
	return WriteFileAtomic(sigPath, func(w io.Writer) error {
		_, err := w.Write(sig)
		return err
	})
}

// KeyID is a minisign key id as minisign prints it (hex, upper case).
func KeyID(id uint64) string { return strings.ToUpper(strconv.FormatUint(id, 16)) }

// VerifySnapshot checks a snapshot: the signature at sigPath against pub (and that its
// trusted comment is a snapshot's), every file against the manifest, the journal's hash
// chain re-walked from journal.json, and that the chain's head and length match both
// the manifest and the signed comment. It returns the manifest; the error says what
// failed, in one line.
func VerifySnapshot(zipPath, sigPath string, pub minisign.PublicKey) (app.Manifest, error) {
	sigText, err := os.ReadFile(sigPath)
	if err != nil {
		return app.Manifest{}, app.Errorf(app.EINVALID, "无法读取签名文件 %s：%v", "cannot read the signature file %s: %v", sigPath, err)
	}
	var sig minisign.Signature
	if err := sig.UnmarshalText(sigText); err != nil {
		return app.Manifest{}, app.Errorf(app.EINVALID, "签名文件 %s 不是 minisign 签名：%v", "%s is not a minisign signature: %v", sigPath, err)
	}
	if sig.KeyID != pub.ID() {
		return app.Manifest{}, app.Errorf(app.EINVALID, "签名由密钥 %s 做出，不是这把公钥（%s）", "the signature was made with key %s, not with this public key (%s)", KeyID(sig.KeyID), KeyID(pub.ID()))
	}
	f, err := os.Open(zipPath)
	if err != nil {
		return app.Manifest{}, app.Errorf(app.EINVALID, "无法读取 %s：%v", "cannot read %s: %v", zipPath, err)
	}
	defer f.Close()
	r := minisign.NewReader(f)
	if _, err := io.Copy(io.Discard, r); err != nil {
		return app.Manifest{}, app.Internal(err)
	}
	if !r.Verify(pub, sigText) {
		return app.Manifest{}, app.Errorf(app.EINVALID, "签名无效：%s 在签名后被改动过，或签名不是这把密钥做的", "the signature is not valid: %s was changed after signing, or not signed with this key", zipPath)
	}
	claim, err := app.ParseSnapshotComment(sig.TrustedComment)
	if err != nil {
		return app.Manifest{}, err
	}
	st, err := f.Stat()
	if err != nil {
		return app.Manifest{}, app.Internal(err)
	}
	zr, err := zip.NewReader(f, st.Size())
	if err != nil {
		return app.Manifest{}, app.Errorf(app.EINVALID, "%s 不是有效的 zip 文件：%v", "%s is not a valid zip file: %v", zipPath, err)
	}
	m, err := checkSnapshotZip(zr)
	if err != nil {
		return app.Manifest{}, err
	}
	if err := m.CheckClaim(claim); err != nil {
		return app.Manifest{}, err
	}
	return m, nil
}

// checkSnapshotZip checks the zip's files against its manifest and re-walks journal.json.
func checkSnapshotZip(zr *zip.Reader) (app.Manifest, error) {
	var m app.Manifest
	var found []app.ManifestFile
	var manifest, journal *zip.File
	for _, zf := range zr.File {
		switch zf.Name {
		case app.ManifestName:
			if manifest != nil {
				return m, app.Errorf(app.EINVALID, "快照中文件 %s 出现了两次", "the snapshot holds the file %s twice", zf.Name)
			}
			manifest = zf
			continue
		case "journal.json":
			journal = zf
		}
		sum, n, err := hashZipFile(zf)
		if err != nil {
			return m, err
		}
		found = append(found, app.ManifestFile{Name: zf.Name, Size: n, SHA256: sum})
	}
	if manifest == nil {
		return m, app.Errorf(app.EINVALID, "快照中没有 %s", "the snapshot has no %s", app.ManifestName)
	}
	rc, err := manifest.Open()
	if err != nil {
		return m, badZipFile(manifest.Name, err)
	}
	err = json.NewDecoder(io.LimitReader(rc, 64<<20)).Decode(&m)
	rc.Close()
	if err != nil {
		return m, app.Errorf(app.EINVALID, "无法读取 %s：%v", "cannot read %s: %v", app.ManifestName, err)
	}
	if err := m.CheckFiles(found); err != nil {
		return m, err
	}
	if journal == nil {
		return m, app.Errorf(app.EINVALID, "快照中没有 journal.json", "the snapshot has no journal.json")
	}
	walk, err := walkJournalJSON(journal)
	if err != nil {
		return m, err
	}
	return m, m.CheckChain(walk)
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
func walkJournalJSON(zf *zip.File) (*app.ChainCheck, error) {
	rc, err := zf.Open()
	if err != nil {
		return nil, badZipFile(zf.Name, err)
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
		return nil, bad(err)
	}
	walk := app.NewChainCheck()
	for dec.More() {
		var e app.Entry
		if err := dec.Decode(&e); err != nil {
			return nil, bad(err)
		}
		if err := walk.Check(e); err != nil {
			return nil, err
		}
	}
	if _, err := dec.Token(); err != nil {
		return nil, bad(err)
	}
	return walk, nil
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
