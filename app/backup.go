package app

import (
	"context"
	"io"
	"time"
)

// BackupService writes encrypted full backups of the book (the window's automatic
// backups; the CLI's backup command). Restoring replaces the book's folder, so it is
// done by the program that opened the book, with the book closed.
type BackupService interface {
	// Backup writes an encrypted backup to w and records it in the audit log; the
	// passphrase is needed to restore and is not kept.
	Backup(ctx context.Context, w io.Writer, passphrase, who string) error
}

// BackupPreview is what a backup holds, read (with its passphrase) before anything is
// replaced.
type BackupPreview struct {
	Community  string    // the community's name
	Units      int       // units in the register
	Head       string    // the journal's head hash ("" for an empty journal)
	Entries    int64     // journal entries (the head's number)
	LastChange time.Time // the newest audit record: when the book was last changed
	LastAction string    // and what it was
}
