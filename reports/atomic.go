package reports

// atomic.go writes files whole or not at all (WriteFileAtomic), for PDFs and snapshots alike.

import (
	"io"
	"os"
	"path/filepath"

	"sunledger/app"
)

// WriteFileAtomic writes a file through write into a temporary file beside path, syncs
// it and renames it over path, so readers see either the old file or the whole new one.
func WriteFileAtomic(path string, write func(w io.Writer) error) error {
	tmp, err := writeTemp(path, write)
	if err != nil {
		return err
	}
	if err = os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return app.Errorf(app.EINVALID, "无法写入 %s：%v", "cannot write %s: %v", path, err)
	}
	syncDir(filepath.Dir(path))
	return nil
}

// writeTemp writes a whole, synced file beside path under a temporary name (.NAME.tmp…)
// and returns that name; on an error nothing is left behind.
func writeTemp(path string, write func(w io.Writer) error) (name string, err error) {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return "", app.Errorf(app.EINVALID, "无法写入 %s：%v", "cannot write %s: %v", path, err)
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	if err = write(f); err != nil {
		return "", err
	}
	if err = f.Sync(); err != nil {
		return "", app.Internal(err)
	}
	if err = f.Close(); err != nil {
		return "", app.Internal(err)
	}
	if err = os.Chmod(tmp, 0o644); err != nil {
		return "", app.Internal(err)
	}
	return tmp, nil
}

// syncDir makes a rename durable where the OS allows it (not on Windows).
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}
