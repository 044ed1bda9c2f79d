package snapshot

// sign.go writes a snapshot and its minisign signature whole or not at all, and
// reads the committee's keys.

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"aead.dev/minisign"

	"sunledger/app"
	"sunledger/internal/atomicfile"
)

// Write writes the snapshot to path and its signature, made with key, to
// path+".minisig". Both are written whole under temporary names first; the old
// signature is removed before the new zip is renamed into place and the new signature
// after it, so a kill at any point leaves the old pair, the old or new zip without a
// signature (which verify refuses), or the new pair — never a zip beside another zip's
// signature nor half a file under either name; re-running the export finishes it
// (docs/resume.md). The head it publishes is recorded in the book (who: the operator),
// so that later snapshots list it.
func Write(ctx context.Context, s app.Services, path string, key minisign.PrivateKey, disclose Disclosure, now time.Time, who string) (app.Manifest, error) {
	return WriteProgress(ctx, s, path, key, disclose, now, who, nil)
}

// WriteProgress is Write telling progress how far it has got (the
// window's progress bar); the last step is the signature.
func WriteProgress(ctx context.Context, s app.Services, path string, key minisign.PrivateKey, disclose Disclosure, now time.Time, who string, progress Progress) (app.Manifest, error) {
	sigPath := path + ".minisig"
	removeStaleTemps(path)
	removeStaleTemps(sigPath)
	var m app.Manifest
	zipTmp, err := atomicfile.WriteTemp(path, func(w io.Writer) error {
		var err error
		m, err = buildSnapshot(ctx, s, now, w, key, disclose, progress)
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
	sigTmp, err := atomicfile.WriteTemp(sigPath, func(w io.Writer) error { _, err := w.Write(sig); return err })
	if err != nil {
		return app.Manifest{}, err
	}
	defer os.Remove(sigTmp)
	dir := filepath.Dir(path)
	if err := os.Remove(sigPath); err != nil && !errors.Is(err, os.ErrNotExist) {
		return app.Manifest{}, app.Errorf(app.EINVALID, "无法替换 %s：%v；没有写出快照", "cannot replace %s: %v; no snapshot was written", sigPath, err)
	}
	atomicfile.SyncDir(dir)
	if err := os.Rename(zipTmp, path); err != nil {
		return app.Manifest{}, app.Errorf(app.EINVALID, "无法写入 %s：%v", "cannot write %s: %v", path, err)
	}
	atomicfile.SyncDir(dir)
	if err := os.Rename(sigTmp, sigPath); err != nil {
		os.Remove(path)
		return app.Manifest{}, app.Errorf(app.EINVALID, "无法写入 %s：%v", "cannot write %s: %v", sigPath, err)
	}
	atomicfile.SyncDir(dir)
	if progress != nil {
		progress(len(snapshotParts)+1, len(snapshotParts)+1)
	}
	h := app.PublishedHead{Seq: m.Entries, Hash: m.Head, What: "snapshot " + filepath.Base(path), At: m.Created}
	if err := s.Published.RecordPublished(ctx, h, who); err != nil {
		return m, err
	}
	if err := s.Log.RecordCheckpoint(ctx, checkpointRecord(m, h.What), who); err != nil {
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
	return atomicfile.Write(sigPath, func(w io.Writer) error {
		_, err := w.Write(sig)
		return err
	})
}

// KeyID is a minisign key id as minisign prints it (hex, upper case).
func KeyID(id uint64) string { return strings.ToUpper(strconv.FormatUint(id, 16)) }

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
