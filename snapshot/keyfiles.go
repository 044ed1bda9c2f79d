package snapshot

import (
	"crypto/rand"
	"os"
	"path/filepath"

	"aead.dev/minisign"

	"sunledger/app"
)

// The committee's signing key pair as files (docs/snapshot.md "The committee's key"):
// PREFIX.key, the minisign secret key sealed with a passphrase, and PREFIX.pub, the
// public key in minisign's format. `sunledger-cli keys new` and the window's 快照 page
// both make them here. Keys are files, not book data: no book is needed.

// CheckNewKeyFiles refuses a prefix whose files exist already: they are never overwritten.
func CheckNewKeyFiles(prefix string) error {
	for _, p := range []string{prefix + ".key", prefix + ".pub"} {
		if _, err := os.Lstat(p); err == nil {
			return app.Errorf(app.ECONFLICT, "%s 已存在，不会覆盖（请换一个名称）", "%s already exists and is not overwritten (choose another name)", p)
		}
	}
	return nil
}

// NewKeyFiles makes a key pair sealed with passphrase (the members' passphrase rule;
// minisign's scrypt, deliberately slow: seconds and about 1 GiB) and writes
// PREFIX.key and PREFIX.pub, returning the key's id. Nothing is written when it fails.
func NewKeyFiles(prefix, passphrase string) (string, error) {
	if err := CheckNewKeyFiles(prefix); err != nil {
		return "", err
	}
	if err := app.ValidatePassphrase(passphrase); err != nil {
		return "", err
	}
	pub, priv, err := minisign.GenerateKey(rand.Reader)
	if err != nil {
		return "", app.Internal(err)
	}
	sealed, err := minisign.EncryptKey(passphrase, priv)
	if err != nil {
		return "", app.Internal(err)
	}
	pubText, err := pub.MarshalText()
	if err != nil {
		return "", app.Internal(err)
	}
	keyPath, pubPath := prefix+".key", prefix+".pub"
	if err := writeNew(keyPath, sealed, 0o600); err != nil {
		return "", err
	}
	if err := writeNew(pubPath, append(pubText, '\n'), 0o644); err != nil {
		os.Remove(keyPath)
		return "", err
	}
	return KeyID(pub.ID()), nil
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
