package snapshot

// verify.go checks a snapshot: signature, manifest, the journal's hash chain and the
// heads published before it.

import (
	"archive/zip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"

	"aead.dev/minisign"

	"sunledger/app"
)

// Verify checks a snapshot: the signature at sigPath against pub (and that its
// trusted comment is a snapshot's), every file against the manifest, the manifest's own
// signature (the one the owner viewer checks), the journal's hash chain re-walked from
// journal.json, that the chain's head and length match both the manifest and the signed
// comment, and that the chain still holds every head published before (published.json).
// It returns the manifest; the error says what failed, in one line.
func Verify(zipPath, sigPath string, pub minisign.PublicKey) (app.Manifest, error) {
	v, err := verifySnapshot(zipPath, sigPath, pub)
	return v.manifest, err
}

// VerifySince is Verify, and checks too that the snapshot extends an
// earlier one (oldZip, signed by the same key): its journal holds the old head at the
// old position, and every head the old snapshot listed as published.
func VerifySince(zipPath, sigPath, oldZip, oldSig string, pub minisign.PublicKey) (app.Manifest, error) {
	old, err := verifySnapshot(oldZip, oldSig, pub)
	if err != nil {
		return app.Manifest{}, app.Errorf(app.EINVALID, "较早的快照 %s 本身没有通过核验：%s", "the earlier snapshot %s does not verify: %s", oldZip, errText(err))
	}
	v, err := verifySnapshot(zipPath, sigPath, pub)
	if err != nil {
		return v.manifest, err
	}
	if err := checkSince(old, v); err != nil {
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
	periods   []Period         // the journal's periods (none in a snapshot with journal.json)
	receiptOf map[int64]string // the receipt a receipt's entry names, by entry (CSV periods)
	// The record log's checkpoint (nil in a snapshot from before it), the proofs and
	// the roster the snapshot carries.
	checkpoint *Checkpoint
	proofs     Proofs
	roster     app.PublicRoster
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
	byName, found, err := indexSnapshotZip(zr)
	if err != nil {
		return v, err
	}
	if err := v.readManifest(byName[app.ManifestName], byName[ManifestSigName], found, pub); err != nil {
		return v, err
	}
	if err := v.walkJournal(byName); err != nil {
		return v, err
	}
	if err := v.readPublished(byName[app.PublishedName]); err != nil {
		return v, err
	}
	if err := v.readLog(byName, pub); err != nil {
		return v, err
	}
	if err := v.checkTrees(byName); err != nil {
		return v, err
	}
	return v, nil
}

// indexSnapshotZip refuses unsafe or doubled names, hashes every file the manifest lists
// (found) and picks out the files the check reads (byName).
func indexSnapshotZip(zr *zip.Reader) (byName map[string]*zip.File, found []app.ManifestFile, err error) {
	byName = map[string]*zip.File{}
	for _, zf := range zr.File {
		if strings.HasPrefix(zf.Name, "/") || strings.Contains(zf.Name, "..") || strings.Contains(zf.Name, "\\") {
			return nil, nil, app.Errorf(app.EINVALID, "快照中的文件名 %q 不安全（绝对路径或含 ..）", "the snapshot holds an unsafe file name %q (absolute or with ..)", zf.Name)
		}
		switch zf.Name {
		case app.ManifestName, ManifestSigName, ViewerName:
			if byName[zf.Name] != nil {
				return nil, nil, app.Errorf(app.EINVALID, "快照中文件 %s 出现了两次", "the snapshot holds the file %s twice", zf.Name)
			}
			byName[zf.Name] = zf
			continue
		case "journal.json", app.PublishedName, CheckpointName, ProofsName, RosterName, ReceiptsName, "balances.json":
			if byName[zf.Name] != nil {
				return nil, nil, app.Errorf(app.EINVALID, "快照中文件 %s 出现了两次", "the snapshot holds the file %s twice", zf.Name)
			}
			byName[zf.Name] = zf
		default:
			if strings.HasPrefix(zf.Name, JournalDir) {
				if byName[zf.Name] != nil {
					return nil, nil, app.Errorf(app.EINVALID, "快照中文件 %s 出现了两次", "the snapshot holds the file %s twice", zf.Name)
				}
				byName[zf.Name] = zf
			}
		}
		sum, n, err := hashZipFile(zf)
		if err != nil {
			return nil, nil, err
		}
		found = append(found, app.ManifestFile{Name: zf.Name, Size: n, SHA256: sum})
	}
	return byName, found, nil
}

// readManifest reads the manifest into v, checks the files found against it and, when
// the zip holds one, the manifest's own signature (sig) against pub.
func (v *verified) readManifest(manifest, sig *zip.File, found []app.ManifestFile, pub minisign.PublicKey) error {
	if manifest == nil {
		return app.Errorf(app.EINVALID, "快照中没有 %s", "the snapshot has no %s", app.ManifestName)
	}
	mb, err := readZipFile(manifest, 64<<20)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(mb, &v.manifest); err != nil {
		return app.Errorf(app.EINVALID, "无法读取 %s：%v", "cannot read %s: %v", app.ManifestName, err)
	}
	if err := v.manifest.CheckFiles(found); err != nil {
		return err
	}
	if sig != nil {
		st, err := readZipFile(sig, 1<<16)
		if err != nil {
			return err
		}
		if !minisign.Verify(pub, mb, st) {
			return app.Errorf(app.EINVALID, "%s 的签名无效：清单在签名后被改动过", "the signature of %s is not valid: the manifest was changed after signing", app.ManifestName)
		}
	}
	return nil
}

// walkJournal re-walks the hash chain of the journal into v — by period (periods.go) or,
// in a snapshot made before the journal was split, journal.json — checks it against the
// manifest and balances.json against the balances it adds up to.
func (v *verified) walkJournal(byName map[string]*zip.File) error {
	var (
		walk   *app.ChainCheck
		hashes []string
		err    error
	)
	if journal := byName["journal.json"]; journal != nil {
		walk, hashes, err = walkJournalJSON(journal)
	} else {
		v.receiptOf = map[int64]string{}
		walk, hashes, v.periods, err = walkPeriods(byName, v.receiptOf)
	}
	if err != nil {
		return err
	}
	v.hashes = hashes
	if err := v.manifest.CheckChain(walk); err != nil {
		return err
	}
	return checkBalances(byName["balances.json"], walk)
}

// checkBalances compares balances.json, what the viewer shows without reading the
// journal, with the balances the journal adds up to.
func checkBalances(zf *zip.File, walk *app.ChainCheck) error {
	if zf == nil {
		return nil
	}
	b, err := readZipFile(zf, 64<<20)
	if err != nil {
		return err
	}
	var bs []app.AccountBalance
	if err := json.Unmarshal(b, &bs); err != nil {
		return app.Errorf(app.EINVALID, "balances.json 格式有误：%v", "balances.json is malformed: %v", err)
	}
	seen := map[string]bool{}
	for _, x := range bs {
		seen[x.Account] = true
		if !x.Balance.Equal(walk.Balances()[x.Account]) {
			return app.Errorf(app.EINVALID, "balances.json 中 %s 的余额 %s 与凭证合计 %s 不符", "balances.json gives %s a balance of %s, the journal adds up to %s", x.Account, x.Balance.StringFixed(2), walk.Balances()[x.Account].StringFixed(2))
		}
	}
	for a, x := range walk.Balances() {
		if !seen[a] && !x.IsZero() {
			return app.Errorf(app.EINVALID, "balances.json 缺少 %s（凭证合计 %s）", "balances.json lacks %s (the journal adds up to %s)", a, x.StringFixed(2))
		}
	}
	return nil
}

// readPublished reads the heads published before (published.json, when the zip holds
// it) into v and checks that the chain still holds each.
func (v *verified) readPublished(zf *zip.File) error {
	if zf == nil {
		return nil
	}
	b, err := readZipFile(zf, 64<<20)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, &v.published); err != nil {
		return app.Errorf(app.EINVALID, "无法读取 %s：%v", "cannot read %s: %v", app.PublishedName, err)
	}
	return app.CheckPublished(v.published, v.hashAt)
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
