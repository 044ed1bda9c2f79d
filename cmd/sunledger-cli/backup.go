package main

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"sunledger/app"
	"sunledger/storage"
)

func init() {
	register("backup", "--out FILE [--force] [--passphrase-file F]   "+app.T("加密的完整备份（口令也可由 SUNLEDGER_PASSPHRASE 给出；恢复时需要同一口令）", "encrypted full backup (passphrase also from SUNLEDGER_PASSPHRASE; restoring needs the same one)"), backupCmd)
	register("restore", "FILE [--force] [--passphrase-file F]   "+app.T("从备份恢复账本；已有账本时需 --force 才会覆盖", "restore the book from a backup; a folder that holds a book is replaced only with --force"), restoreCmd)
}

func backupCmd(e *env, args []string) error {
	fs := newFlags("backup")
	out := fs.String("out", "", "backup file")
	force := fs.Bool("force", false, "overwrite an existing file")
	pf := fs.String("passphrase-file", "", "file holding the backup passphrase")
	as := asFlag(fs)
	if err := parseStrict(fs, args, "out"); err != nil {
		return err
	}
	pass, err := memberPassphrase(*pf, "SUNLEDGER_PASSPHRASE", true)
	if err != nil {
		return err
	}
	if err := app.ValidatePassphrase(pass); err != nil {
		return err
	}
	if _, err := os.Stat(*out); err == nil && !*force {
		return app.Errorf(app.ECONFLICT, "文件 %s 已存在：换一个文件名，或用 --force 覆盖", "the file %s already exists: choose another name, or use --force to overwrite it", *out)
	}
	svc, err := e.services()
	if err != nil {
		return err
	}
	size, err := writeAtomically(*out, func(f *os.File) error {
		w := bufio.NewWriterSize(f, 256<<10)
		if err := svc.Backups.Backup(e.ctx, w, pass, who(*as)); err != nil {
			return err
		}
		return w.Flush()
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, app.T("已写入加密备份（%d 字节） %s\n", "encrypted backup written (%d bytes): %s\n"), size, *out)
	return nil
}

// writeAtomically writes a file through a temporary file in the same folder, synced and
// then renamed into place: a crash or a full disk never leaves half a file under name.
func writeAtomically(name string, write func(f *os.File) error) (int64, error) {
	dir := filepath.Dir(name)
	f, err := os.CreateTemp(dir, "."+filepath.Base(name)+".tmp-")
	if err != nil {
		return 0, app.Errorf(app.EINVALID, "无法在 %s 写文件：%v", "cannot write a file in %s: %v", dir, err)
	}
	tmp := f.Name()
	done := false
	defer func() {
		if !done {
			f.Close()
			os.Remove(tmp)
		}
	}()
	if err := write(f); err != nil {
		var ae *app.Error
		if errors.As(err, &ae) {
			return 0, err
		}
		return 0, app.Errorf(app.EINVALID, "无法写入 %s：%v", "cannot write %s: %v", name, err)
	}
	if err := f.Sync(); err != nil {
		return 0, app.Errorf(app.EINVALID, "无法写入 %s：%v", "cannot write %s: %v", name, err)
	}
	st, err := f.Stat()
	if err != nil {
		return 0, app.Internal(err)
	}
	if err := f.Close(); err != nil {
		return 0, app.Errorf(app.EINVALID, "无法写入 %s：%v", "cannot write %s: %v", name, err)
	}
	if err := os.Rename(tmp, name); err != nil {
		return 0, app.Errorf(app.EINVALID, "无法写入 %s：%v", "cannot write %s: %v", name, err)
	}
	done = true
	if d, err := os.Open(dir); err == nil { // make the rename itself durable (not on Windows)
		d.Sync()
		d.Close()
	}
	return st.Size(), nil
}

func restoreCmd(e *env, args []string) error {
	fs := newFlags("restore")
	force := fs.Bool("force", false, "replace the book in the data folder")
	pf := fs.String("passphrase-file", "", "file holding the backup passphrase")
	as := asFlag(fs)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageError("用法：restore 备份文件 [--force]", "usage: restore FILE [--force]")
	}
	pass, err := memberPassphrase(*pf, "SUNLEDGER_PASSPHRASE", true)
	if err != nil {
		return err
	}
	f, err := os.Open(pos[0])
	if err != nil {
		return app.Errorf(app.EINVALID, "无法打开备份文件 %s：%v", "cannot open the backup file %s: %v", pos[0], err)
	}
	defer f.Close()
	// Restore opens and swaps the data folder itself: the book must not be open here
	// (e.open/e.book are not called), or the swap would pull it from under us.
	if err := storage.NewBook(e.dataDir).Restore(e.ctx, bufio.NewReaderSize(f, 256<<10), pass, *force, who(*as)); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, app.T("已从 %s 恢复账本到 %s\n", "book restored from %s into %s\n"), pos[0], e.dataDir)
	return nil
}
