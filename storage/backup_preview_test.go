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
