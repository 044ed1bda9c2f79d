package storage

import (
	"context"
	"io"
	"time"

	"sunledger/app"
)

// Book is the book in one data folder across its lifecycle (docs/architecture.md): it
// unlocks an encrypted book, opens the store, and runs the jobs that need the store
// closed — a restore, a demo built beside it and swapped in, encrypting a new empty
// book, a change of the data key — opening the book again afterwards whatever the job
// did (a refused job leaves the folder as it was). The window and the CLI both hold a
// Book, so neither writes its own close → change → reopen.
type Book struct {
	dir      string
	readOnly bool
	db       *DB
}

// NewBook is the book in dir, not yet opened.
func NewBook(dir string) *Book { return &Book{dir: dir} }

// Dir is the book's data folder.
func (b *Book) Dir() string { return b.dir }

// DB is the open store, nil while the book is closed (or could not be opened again
// after a job).
func (b *Book) DB() *DB { return b.db }

// Services are the open book's services.
func (b *Book) Services() app.Services { return b.db.Services() }

// Unlock registers the data key of an encrypted book from member's key slot, before
// the store is opened (docs/encryption.md).
func (b *Book) Unlock(member, passphrase string) error {
	key, err := Unlock(b.dir, member, passphrase)
	if err != nil {
		return err
	}
	UseKey(b.dir, key)
	return nil
}

// Forget drops the data key Unlock registered (a wrong member's key that opened the
// slot but not the store).
func (b *Book) Forget() { ForgetKey(b.dir) }

// Open opens the store, for reading only if readOnly. An open book stays as it is.
func (b *Book) Open(readOnly bool) error {
	if b.db != nil {
		return nil
	}
	open := Open
	if readOnly {
		open = OpenReadOnly
	}
	db, err := open(b.dir)
	if err != nil {
		return err
	}
	b.db, b.readOnly = db, readOnly
	return nil
}

// Close closes the store (nothing if it is closed).
func (b *Book) Close() error {
	if b.db == nil {
		return nil
	}
	db := b.db
	b.db = nil
	return db.Close()
}

// closed runs job with the store closed and, if the book was open, opens it again
// afterwards whatever the job did. The job's error is returned, unless the book could
// not be opened again: that is the news then (DB is nil).
func (b *Book) closed(job func() error) error {
	wasOpen := b.db != nil
	var now func() time.Time // a test's clock, kept across the reopening
	if wasOpen {
		now = b.db.Now
	}
	if err := b.Close(); err != nil {
		return app.Internal(err)
	}
	jerr := job()
	if wasOpen {
		if err := b.Open(b.readOnly); err != nil {
			return err
		}
		if now != nil {
			b.db.Now = now
		}
	}
	return jerr
}

// Restore replaces the book by the backup read from r (Restore: a new folder, checked,
// swapped in) and opens it again if it was open.
func (b *Book) Restore(ctx context.Context, r io.Reader, passphrase string, force bool, who string) error {
	return b.closed(func() error { return Restore(ctx, b.dir, r, passphrase, force, who) })
}

// BuildDemo builds a book beside the folder's (BuildBeside) and swaps it in whole; the
// empty book stays if the build fails.
func (b *Book) BuildDemo(ctx context.Context, prepare func(tmp string) error, build func(s app.Services) error) error {
	return b.closed(func() error { return BuildBeside(ctx, b.dir, prepare, build) })
}

// EncryptEmpty encrypts a new, empty book with the founder's key slot
// (EncryptEmptyBook); the plain empty book stays if it is refused.
func (b *Book) EncryptEmpty(founder, passphrase string) error {
	return b.closed(func() error { return EncryptEmptyBook(b.dir, founder, passphrase) })
}

// RotateKey changes the data key after a member's removal (RotateKey), the book
// closed for it and opened again under the new key (or the old, if it failed).
func (b *Book) RotateKey(ctx context.Context, who string) (r Rotation, err error) {
	err = b.closed(func() error {
		r, err = RotateKey(ctx, b.dir, who)
		return err
	})
	return r, err
}

// SettleRotation finishes a change of the data key that a removal left pending (a kill
// between the removal and the new key, or a key that could not change then) before the
// book is used. pending says whether one was due; err is the change's (or the reopening's,
// with DB nil).
func (b *Book) SettleRotation(ctx context.Context, who string) (r Rotation, pending bool, err error) {
	if b.db == nil || !b.db.Encrypted() {
		return r, false, nil
	}
	if pending, err = b.db.RotationPending(ctx); err != nil || !pending {
		return r, false, err
	}
	r, err = b.RotateKey(ctx, who)
	return r, true, err
}
