package main

import (
	"crypto/rand"
	"fmt"
	"os"
	"path/filepath"

	"aead.dev/minisign"

	"sunledger/app"
	"sunledger/snapshot"
)

func init() {
	register("keys new", "--out PREFIX [--passphrase-file F]   "+app.T("生成业委会签名密钥对：PREFIX.key（口令加密）和 PREFIX.pub（minisign 格式）；口令也可由 SUNLEDGER_PASSPHRASE 给出", "create the committee's signing key pair: PREFIX.key (encrypted) and PREFIX.pub (minisign format); passphrase also from SUNLEDGER_PASSPHRASE"), keysNew)
}

// keysNew makes the committee's minisign key pair. The secret key is encrypted with the
// passphrase (minisign's scrypt, deliberately slow: seconds and about 1 GiB); existing
// files are never overwritten. Keys are files, not book data: no book is needed.
func keysNew(e *env, args []string) error {
	fs := newFlags("keys new")
	out := fs.String("out", "", "PREFIX")
	pf := fs.String("passphrase-file", "", "file holding the passphrase")
	if err := parseStrict(fs, args, "out"); err != nil {
		return err
	}
	keyPath, pubPath := *out+".key", *out+".pub"
	for _, p := range []string{keyPath, pubPath} {
		if _, err := os.Lstat(p); err == nil {
			return app.Errorf(app.ECONFLICT, "%s 已存在，不会覆盖（请换一个 --out 前缀）", "%s already exists and is not overwritten (choose another --out prefix)", p)
		}
	}
	pass, err := memberPassphrase(*pf, "SUNLEDGER_PASSPHRASE", true)
	if err != nil {
		return err
	}
	if err := app.ValidatePassphrase(pass); err != nil { // the same rule as members' and backups' passphrases
		return err
	}
	pub, priv, err := minisign.GenerateKey(rand.Reader)
	if err != nil {
		return app.Internal(err)
	}
	sealed, err := minisign.EncryptKey(pass, priv)
	if err != nil {
		return app.Internal(err)
	}
	pubText, err := pub.MarshalText()
	if err != nil {
		return app.Internal(err)
	}
	if err := writeNew(keyPath, sealed, 0o600); err != nil {
		return err
	}
	if err := writeNew(pubPath, append(pubText, '\n'), 0o644); err != nil {
		os.Remove(keyPath)
		return err
	}
	fmt.Fprintf(e.stdout, app.T("密钥 ID %s\n私钥（口令加密，请妥善保管）%s\n公钥 %s\n", "key id %s\nsecret key (encrypted; keep it safe) %s\npublic key %s\n"),
		snapshot.KeyID(pub.ID()), keyPath, pubPath)
	return nil
}

// writeNew writes a file that must not exist yet, atomically: a temporary file beside
// it, synced, then linked into place, which fails if the name was taken meanwhile. Where
// the file system has no hard links (a FAT USB stick) it is renamed into place instead.
func writeNew(path string, data []byte, perm os.FileMode) (err error) {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return app.Errorf(app.EINVALID, "无法写入 %s：%v", "cannot write %s: %v", path, err)
	}
	tmp := f.Name()
	defer os.Remove(tmp)
	if _, err = f.Write(data); err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp, perm)
	}
	if err != nil {
		return app.Errorf(app.EINVALID, "无法写入 %s：%v", "cannot write %s: %v", path, err)
	}
	if err = os.Link(tmp, path); err != nil {
		if _, serr := os.Lstat(path); serr == nil {
			return app.Errorf(app.ECONFLICT, "%s 已存在，不会覆盖", "%s already exists and is not overwritten", path)
		}
		if err = os.Rename(tmp, path); err != nil {
			return app.Errorf(app.EINVALID, "无法写入 %s：%v", "cannot write %s: %v", path, err)
		}
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}
