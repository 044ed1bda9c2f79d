package s3store

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/md5"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"aead.dev/minisign"

	"sunledger/app"
	"sunledger/snapshot"
)

// LatestName is the pointer object under a prefix.
const LatestName = "latest.json"

// LatestFormat names the layout of latest.json.
const LatestFormat = "sunledger-latest-v1"

// Latest is latest.json: where the newest published snapshot is, relative to the
// prefix, and what it claims (the signature inside the zip is what counts).
type Latest struct {
	Format    string    `json:"format"`
	Snapshot  string    `json:"snapshot"` // <name>
	Zip       string    `json:"zip"`      // <name>.zip
	Signature string    `json:"signature"`
	Viewer    string    `json:"viewer,omitempty"` // <name>/index.html, when the snapshot has the owner viewer
	Community string    `json:"community"`
	Head      string    `json:"head"`
	Entries   int64     `json:"entries"`
	Created   time.Time `json:"created"`
	Size      int64     `json:"size"`   // of the zip
	SHA256    string    `json:"sha256"` // of the zip
}

// PublishResult says what a publish did.
type PublishResult struct {
	Target   Target
	Name     string
	Files    int // objects the snapshot has (entries, zip, signature, latest.json)
	Uploaded int // of those, how many were uploaded (0 on a repeat publish)
	Bytes    int64
	Viewer   string // key of the owner viewer under the prefix, "" if the snapshot has none
	Head     string // the snapshot's head hash and its entry number (from its manifest)
	Entries  int64
}

// upload is one object to publish.
type upload struct {
	key, contentType, sha, md5 string
	size                       int64
	open                       func() (io.ReadCloser, error)
}

// SnapshotName is the published name of a snapshot: its UTC creation time and the first
// 12 hex digits of its head hash.
func SnapshotName(m app.Manifest) string {
	h := m.Head
	if len(h) > 12 {
		h = h[:12]
	}
	if h == "" {
		h = "empty"
	}
	return m.Created.UTC().Format("20060102T150405Z") + "-" + h
}

// SafeEntryName says whether a zip entry's name can become part of an object key and a
// file path: relative, forward slashes, no empty, "." or ".." segment, no drive letter,
// no control character.
func SafeEntryName(name string) bool {
	if name == "" || strings.HasPrefix(name, "/") || strings.Contains(name, "\\") || strings.Contains(name, ":") || len(name) > 512 {
		return false
	}
	for _, r := range name {
		if r < 0x20 || r == 0x7f {
			return false
		}
	}
	for _, seg := range strings.Split(name, "/") {
		if seg == "" || seg == "." || seg == ".." {
			return false
		}
	}
	return true
}

// Publish uploads the snapshot at zipPath, its signature zipPath+".minisig" and every
// file inside it to the target, then latest.json. Before anything is sent it checks the
// signature file is there and is a Sunledger snapshot signature that matches the
// manifest, that every file matches the manifest, and that every entry name is safe;
// with pub it also verifies the signature and the hash chain. Objects that are already
// there with the same size and SHA-256 are not sent again. A newer snapshot already
// published under the prefix is not replaced. progress gets one line per object.
func Publish(ctx context.Context, s *Store, t Target, zipPath string, pub *minisign.PublicKey, progress io.Writer) (PublishResult, error) {
	res := PublishResult{Target: t}
	snap, err := readSignedSnapshot(zipPath, pub)
	if err != nil {
		return res, err
	}
	m := snap.manifest
	name := SnapshotName(m)
	res.Name = name
	res.Head, res.Entries = m.Head, m.Entries
	ups, latest, err := snap.uploads(t, name)
	if err != nil {
		return res, err
	}
	res.Viewer, res.Files = latest.Viewer, len(ups)
	if err := checkNotOlder(ctx, s, t, latest); err != nil {
		return res, err
	}
	return uploadAll(ctx, s, ups, res, progress)
}

// signedSnapshot is a snapshot zip read for publishing: its bytes and signature, its
// manifest, and its entries as uploads.
type signedSnapshot struct {
	zipBytes, sigText []byte
	manifest          app.Manifest
	entries           []upload
}

// readSignedSnapshot reads the snapshot at zipPath and its signature beside it, and
// checks that the signature's claim matches the manifest and every file matches it
// (with pub, also the signature and the hash chain); nothing is uploaded yet.
func readSignedSnapshot(zipPath string, pub *minisign.PublicKey) (signedSnapshot, error) {
	sigPath := zipPath + ".minisig"
	sigText, err := os.ReadFile(sigPath)
	if err != nil {
		return signedSnapshot{}, app.Errorf(app.EINVALID, "%s 旁边没有签名文件 %s：只发布签过名的快照（用 snapshot export 生成）；未上传任何文件",
			"there is no signature %s beside %s: only signed snapshots are published (snapshot export makes them); nothing was uploaded", filepath.Base(sigPath), zipPath)
	}
	var sig minisign.Signature
	if err := sig.UnmarshalText(sigText); err != nil {
		return signedSnapshot{}, app.Errorf(app.EINVALID, "%s 不是 minisign 签名：%v；未上传任何文件", "%s is not a minisign signature: %v; nothing was uploaded", sigPath, err)
	}
	claim, err := app.ParseSnapshotComment(sig.TrustedComment)
	if err != nil {
		return signedSnapshot{}, err
	}
	if pub != nil {
		if _, err := snapshot.Verify(zipPath, sigPath, *pub); err != nil {
			return signedSnapshot{}, err
		}
	}
	zipBytes, err := os.ReadFile(zipPath)
	if err != nil {
		return signedSnapshot{}, app.Errorf(app.EINVALID, "无法读取 %s：%v", "cannot read %s: %v", zipPath, err)
	}
	m, entries, err := readSnapshotZip(zipPath, zipBytes)
	if err != nil {
		return signedSnapshot{}, err
	}
	if err := m.CheckClaim(claim); err != nil {
		return signedSnapshot{}, err
	}
	return signedSnapshot{zipBytes: zipBytes, sigText: sigText, manifest: m, entries: entries}, nil
}

// uploads lists what publishing the snapshot under name sends to t, in order: every
// entry under name/, the zip and its signature, and last latest.json (returned too).
func (snap signedSnapshot) uploads(t Target, name string) ([]upload, Latest, error) {
	m := snap.manifest
	var ups []upload
	for _, e := range snap.entries {
		ups = append(ups, e)
		ups[len(ups)-1].key = t.Key(name + "/" + e.key)
	}
	zipKey, sigKey := name+".zip", name+".zip.minisig"
	ups = append(ups, bytesUpload(t.Key(zipKey), "application/zip", snap.zipBytes), bytesUpload(t.Key(sigKey), "text/plain; charset=utf-8", snap.sigText))
	viewer := ""
	for _, e := range snap.entries {
		if e.key == "index.html" {
			viewer = name + "/index.html"
		}
	}
	latest := Latest{Format: LatestFormat, Snapshot: name, Zip: zipKey, Signature: sigKey, Viewer: viewer,
		Community: m.Community, Head: m.Head, Entries: m.Entries, Created: m.Created.UTC(), Size: int64(len(snap.zipBytes)), SHA256: sha256Hex(snap.zipBytes)}
	latestJSON, err := json.MarshalIndent(latest, "", "  ")
	if err != nil {
		return nil, latest, app.Internal(err)
	}
	latestJSON = append(latestJSON, '\n')
	ups = append(ups, bytesUpload(t.Key(LatestName), "application/json", latestJSON))
	return ups, latest, nil
}

// checkNotOlder checks that the bucket answers and that the target does not already
// point to a newer snapshot than latest: the pointer never moves back.
func checkNotOlder(ctx context.Context, s *Store, t Target, latest Latest) error {
	if err := s.CheckBucket(ctx); err != nil {
		return nothingUploaded(err)
	}
	if cur, err := readLatest(ctx, s, t.Key(LatestName)); err == nil && cur.Created.After(latest.Created) {
		return app.Errorf(app.ECONFLICT, "%s 已发布了更新的快照 %s（生成于 %s）；本快照生成于 %s，未上传任何文件",
			"%s already holds a newer snapshot %s (made %s) than this one (made %s); nothing was uploaded",
			t, cur.Snapshot, cur.Created.Format(time.RFC3339), latest.Created.Format(time.RFC3339))
	} else if err != nil && app.ErrorCode(err) != app.ENOTFOUND && app.ErrorCode(err) != app.EINVALID {
		return nothingUploaded(err)
	}
	return nil
}

// uploadAll sends the uploads in order, skipping an object already there with the same
// size and hashes, and counts what it sent in res; progress gets one line per object. A
// failure says whether anything was uploaded before it.
func uploadAll(ctx context.Context, s *Store, ups []upload, res PublishResult, progress io.Writer) (PublishResult, error) {
	for i, u := range ups {
		st, err := s.stat(ctx, u.key)
		if err != nil && res.Uploaded == 0 {
			return res, nothingUploaded(err)
		} else if err != nil {
			return res, partial(err, res)
		}
		if st.same(u.size, u.sha, u.md5) {
			fmt.Fprintf(progress, app.T("[%d/%d] 已存在，跳过 %s\n", "[%d/%d] already there, skipped %s\n"), i+1, len(ups), u.key)
			continue
		}
		if err := s.put(ctx, u.key, u.size, u.sha, u.contentType, u.open); err != nil {
			return res, partial(err, res)
		}
		res.Uploaded++
		res.Bytes += u.size
		fmt.Fprintf(progress, app.T("[%d/%d] 已上传 %s（%s）\n", "[%d/%d] uploaded %s (%s)\n"), i+1, len(ups), u.key, humanSize(u.size))
	}
	return res, nil
}

// partial adds to a failure that happened after some objects were sent that latest.json
// was not touched, so readers still see the previous snapshot, and that running the
// command again resumes.
func partial(err error, res PublishResult) error {
	e, ok := err.(*app.Error)
	if !ok {
		return err
	}
	return &app.Error{Code: e.Code, Err: e.Err,
		ZH: e.ZH + fmt.Sprintf("；latest.json 未改动（读者仍看到上一份快照），已上传 %d 个文件，重新运行同一命令即可续传", res.Uploaded),
		EN: e.EN + fmt.Sprintf("; latest.json was not changed (readers still see the previous snapshot); %d files were uploaded, run the same command again to resume", res.Uploaded)}
}

// nothingUploaded adds to a failure before the first upload that nothing was sent.
func nothingUploaded(err error) error {
	e, ok := err.(*app.Error)
	if !ok {
		return err
	}
	return &app.Error{Code: e.Code, Err: e.Err, ZH: e.ZH + "；未上传任何文件", EN: e.EN + "; nothing was uploaded"}
}

func bytesUpload(key, ct string, b []byte) upload {
	m := md5.Sum(b)
	return upload{key: key, contentType: ct, sha: sha256Hex(b), md5: hex.EncodeToString(m[:]), size: int64(len(b)),
		open: func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil }}
}

// readSnapshotZip reads the zip's manifest and hashes every entry; it refuses an unsafe
// or duplicated entry name, and files that do not match the manifest. The upload keys
// it returns are the entry names.
func readSnapshotZip(zipPath string, b []byte) (app.Manifest, []upload, error) {
	var m app.Manifest
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return m, nil, app.Errorf(app.EINVALID, "%s 不是有效的 zip 文件：%v；未上传任何文件", "%s is not a valid zip file: %v; nothing was uploaded", zipPath, err)
	}
	seen := map[string]bool{}
	var found []app.ManifestFile
	var ups []upload
	var manifest *zip.File
	for _, zf := range zr.File {
		if strings.HasSuffix(zf.Name, "/") && zf.UncompressedSize64 == 0 {
			continue // a folder entry
		}
		if !SafeEntryName(zf.Name) {
			return m, nil, app.Errorf(app.EINVALID, "快照 %s 中有不安全的文件名 %q（绝对路径或含 ..）；未上传任何文件", "the snapshot %s holds an unsafe file name %q (absolute or with ..); nothing was uploaded", zipPath, zf.Name)
		}
		if seen[zf.Name] {
			return m, nil, app.Errorf(app.EINVALID, "快照 %s 中文件 %s 出现了两次；未上传任何文件", "the snapshot %s holds the file %s twice; nothing was uploaded", zipPath, zf.Name)
		}
		seen[zf.Name] = true
		zf := zf
		open := func() (io.ReadCloser, error) { return zf.Open() }
		r, err := open()
		if err != nil {
			return m, nil, app.Errorf(app.EINVALID, "快照中的文件 %s 无法读取（已损坏）：%v", "the file %s in the snapshot cannot be read (damaged): %v", zf.Name, err)
		}
		hs, hm := sha256.New(), md5.New()
		var content bytes.Buffer
		w := io.MultiWriter(hs, hm)
		if zf.Name == app.ManifestName {
			w = io.MultiWriter(hs, hm, &content)
		}
		n, err := io.Copy(w, r)
		r.Close()
		if err != nil {
			return m, nil, app.Errorf(app.EINVALID, "快照中的文件 %s 无法读取（已损坏）：%v", "the file %s in the snapshot cannot be read (damaged): %v", zf.Name, err)
		}
		sum := hex.EncodeToString(hs.Sum(nil))
		if zf.Name == app.ManifestName {
			manifest = zf
			if err := json.Unmarshal(content.Bytes(), &m); err != nil {
				return m, nil, app.Errorf(app.EINVALID, "无法读取 %s：%v", "cannot read %s: %v", app.ManifestName, err)
			}
		} else {
			found = append(found, app.ManifestFile{Name: zf.Name, Size: n, SHA256: sum})
		}
		ups = append(ups, upload{key: zf.Name, contentType: contentType(zf.Name), sha: sum, md5: hex.EncodeToString(hm.Sum(nil)), size: n, open: open})
	}
	if manifest == nil {
		return m, nil, app.Errorf(app.EINVALID, "快照 %s 中没有 %s；未上传任何文件", "the snapshot %s has no %s; nothing was uploaded", zipPath, app.ManifestName)
	}
	// The manifest's own signature and the viewer (which embeds the manifest) cannot be
	// listed in it; the zip's signature covers them.
	listed := map[string]bool{}
	for _, f := range m.Files {
		listed[f.Name] = true
	}
	kept := found[:0]
	for _, f := range found {
		if (f.Name == snapshot.ManifestSigName || f.Name == snapshot.ViewerName) && !listed[f.Name] {
			continue
		}
		kept = append(kept, f)
	}
	if err := m.CheckFiles(kept); err != nil {
		return m, nil, err
	}
	return m, ups, nil
}

// contentType is what a browser needs to show a viewer file from a web bucket.
func contentType(name string) string {
	switch strings.ToLower(path.Ext(name)) {
	case ".html", ".htm":
		return "text/html; charset=utf-8"
	case ".json":
		return "application/json"
	case ".csv":
		return "text/csv; charset=utf-8"
	case ".txt", ".minisig", ".pub":
		return "text/plain; charset=utf-8"
	case ".js":
		return "text/javascript; charset=utf-8"
	case ".css":
		return "text/css; charset=utf-8"
	case ".pdf":
		return "application/pdf"
	}
	if t := mime.TypeByExtension(path.Ext(name)); t != "" {
		return t
	}
	return "application/octet-stream"
}

// readLatest downloads and parses a latest.json.
func readLatest(ctx context.Context, s *Store, key string) (Latest, error) {
	var buf bytes.Buffer
	err := s.get(ctx, key, 1<<20, func() (io.Writer, error) { buf.Reset(); return &buf, nil })
	if err != nil {
		return Latest{}, err
	}
	var l Latest
	if err := json.Unmarshal(buf.Bytes(), &l); err != nil || l.Format != LatestFormat {
		return Latest{}, app.Errorf(app.EINVALID, "%s 不是阳光账本的 latest.json", "%s is not a Sunledger latest.json", key)
	}
	for _, n := range []string{l.Zip, l.Signature} {
		if !SafeEntryName(n) || strings.Contains(n, "/") {
			return Latest{}, app.Errorf(app.EINVALID, "%s 指向不安全的对象名 %q", "%s points at an unsafe object name %q", key, n)
		}
	}
	return l, nil
}
