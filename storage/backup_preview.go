package storage

import (
	"context"
	"io"
	"os"

	"sunledger/app"
)

// PreviewBackup reads what a backup holds without touching any book: it is loaded into a
// temporary folder (checked as a restore checks it), read, and removed.
func PreviewBackup(ctx context.Context, r io.Reader, passphrase string) (app.BackupPreview, error) {
	var p app.BackupPreview
	tmp, err := os.MkdirTemp("", "sunledger-preview-")
	if err != nil {
		return p, app.Errorf(app.EINVALID, "无法建立临时文件夹：%v", "cannot make a temporary folder: %v", err)
	}
	defer os.RemoveAll(tmp)
	if err := Restore(ctx, tmp, r, passphrase, false, "preview"); err != nil {
		return p, err
	}
	db, err := Open(tmp)
	if err != nil {
		return p, err
	}
	defer db.Close()
	c, err := db.bookService().Community(ctx)
	if err != nil {
		return p, err
	}
	p.Community = c.Name
	if us, err := db.registerService().Units(ctx); err == nil {
		p.Units = len(us)
	}
	if p.Head, p.Entries, err = db.ledgerService().Head(ctx); err != nil {
		return p, err
	}
	if recs, err := db.bookService().Audit(ctx); err == nil {
		for _, r := range recs {
			if r.At.After(p.LastChange) && !(r.Action == "backup.restore" && r.Who == "preview") {
				p.LastChange, p.LastAction = r.At, r.Action
			}
		}
	}
	return p, nil
}
