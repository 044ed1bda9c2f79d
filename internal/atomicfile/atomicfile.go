// Package atomicfile writes files whole or not at all, for PDFs, snapshots and exports alike:
// a reader sees the old file or the whole new one, and a failure says in the user's words
// that nothing was written.
package atomicfile

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"sunledger/app"
)

// Write writes a file through write into a temporary file beside path, syncs
// it and renames it over path, so readers see either the old file or the whole new one.
func Write(path string, write func(w io.Writer) error) error {
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		return writeError(path, err, true)
	}
	tmp, err := WriteTemp(path, write)
	if err != nil {
		return err
	}
	if err = os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return writeError(path, err, false)
	}
	SyncDir(filepath.Dir(path))
	removeOldTemps(path)
	return nil
}

// removeOldTemps removes what an earlier run that was killed while writing path left
// beside it (.NAME.tmp…, never under the final name): only files older than an hour, so
// that another program writing the same file right now keeps its own.
func removeOldTemps(path string) {
	dir, base := filepath.Dir(path), filepath.Base(path)
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	prefix := "." + base + ".tmp"
	for _, e := range entries {
		if e.IsDir() || !strings.HasPrefix(e.Name(), prefix) {
			continue
		}
		if info, err := e.Info(); err == nil && time.Since(info.ModTime()) > time.Hour {
			os.Remove(filepath.Join(dir, e.Name()))
		}
	}
}

// WriteTemp writes a whole, synced file beside path under a temporary name (.NAME.tmp…)
// and returns that name; on an error nothing is left behind.
func WriteTemp(path string, write func(w io.Writer) error) (name string, err error) {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return "", writeError(path, err, false)
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

// SyncDir makes a rename durable where the OS allows it (not on Windows).
func SyncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

// writeError says in the user's words why path could not be written (a folder that does
// not exist, no permission, a folder given instead of a file name), that nothing was
// written, and what to do.
func writeError(path string, err error, isDir bool) error {
	dir := filepath.Dir(path)
	switch {
	case isDir:
		return app.Errorf(app.EINVALID, "%s 是一个文件夹，不是文件名：没有写入任何文件。请给出文件名，例如 %s", "%s is a folder, not a file name: nothing was written; give a file name such as %s",
			path, filepath.Join(path, "out.pdf"))
	case errors.Is(err, fs.ErrNotExist):
		return app.Errorf(app.EINVALID, "文件夹 %s 不存在：没有写入 %s。请先建好这个文件夹，或换一个保存位置", "the folder %s does not exist: %s was not written; create the folder or save elsewhere",
			dir, filepath.Base(path))
	case errors.Is(err, fs.ErrPermission):
		return app.Errorf(app.EINVALID, "没有权限写入 %s：没有写入任何文件，原有文件不变。请换一个保存位置，或关闭正在打开它的程序", "no permission to write %s: nothing was written and any existing file is unchanged; save elsewhere or close the program that has it open",
			path)
	}
	return app.Errorf(app.EINVALID, "无法写入 %s（%v）：没有写入任何文件，原有文件不变。请换一个保存位置", "cannot write %s (%v): nothing was written and any existing file is unchanged; save elsewhere",
		path, err)
}
