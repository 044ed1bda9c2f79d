package storage

import (
	"bytes"
	"testing"

	"sunledger/app"
)

func TestBackup_PreviewShowsCommunityAndHeadAndChangesNothing(t *testing.T) {
	db, data := backupBook(t)
	c, err := db.bookService().Community(ctx)
	if err != nil {
		t.Fatal(err)
	}
	head, seq, err := db.ledgerService().Head(ctx)
	if err != nil {
		t.Fatal(err)
	}
	p, err := PreviewBackup(ctx, bytes.NewReader(data), testPass)
	if err != nil {
		t.Fatal(err)
	}
	if p.Community != c.Name || p.Head != head || p.Entries != seq || p.LastChange.IsZero() || p.LastAction == "backup.restore" {
		t.Errorf("preview %+v, want %s %s #%d", p, c.Name, head, seq)
	}
	if _, err := PreviewBackup(ctx, bytes.NewReader(data), "wrong"); app.ErrorCode(err) != app.EUNAUTHORIZED {
		t.Errorf("wrong passphrase: %v", err)
	}
}

// The preview reads the stream to its sealed end as a restore does: a file cut short or
// altered is refused, not previewed from what could be read.
func TestBackup_PreviewRefusesACutOrAlteredFile(t *testing.T) {
	_, data := backupBook(t)
	cut := data[:len(data)-100]
	if _, err := PreviewBackup(ctx, bytes.NewReader(cut), testPass); err == nil {
		t.Errorf("a file cut short was previewed")
	}
	altered := bytes.Clone(data)
	altered[len(altered)/2] ^= 1
	if _, err := PreviewBackup(ctx, bytes.NewReader(altered), testPass); err == nil {
		t.Errorf("an altered file was previewed")
	}
}
