package storage

import (
	"context"
	"strings"
	"testing"
	"time"

	"sunledger/app"
)

func TestPublished_EveryHeadIsKeptInOrderWithAnAuditRecord(t *testing.T) {
	db, _ := newBook(t)
	ctx := context.Background()
	h1 := app.PublishedHead{Seq: 3, Hash: strings.Repeat("a", 64), What: "report quarterly q.pdf", At: time.Date(2026, 4, 2, 9, 0, 0, 0, time.UTC)}
	h2 := app.PublishedHead{Seq: 9, Hash: strings.Repeat("b", 64), What: "snapshot s.zip"}
	for _, h := range []app.PublishedHead{h1, h2, h1} { // the same head published twice is two publications
		if err := db.publicationService().RecordPublished(ctx, h, "张三"); err != nil {
			t.Fatal(err)
		}
	}
	got, err := db.publicationService().Published(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || got[0].Hash != h1.Hash || got[1].Hash != h2.Hash || got[1].At.IsZero() || !got[0].At.Equal(h1.At) {
		t.Fatalf("published %+v", got)
	}
	recs, err := db.bookService().Audit(ctx)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, r := range recs {
		if r.Action == "publish.head" {
			n++
		}
	}
	if n != 3 {
		t.Errorf("%d audit records of published heads, want 3", n)
	}
}

func TestPublished_BadHashIsRefusedAndNothingWritten(t *testing.T) {
	db, _ := newBook(t)
	ctx := context.Background()
	for _, h := range []app.PublishedHead{
		{Seq: 1, Hash: "xyz"},
		{Seq: -1, Hash: strings.Repeat("a", 64)},
		{Seq: 1, Hash: strings.Repeat("A", 64)},
	} {
		if err := db.publicationService().RecordPublished(ctx, h, ""); err == nil {
			t.Errorf("%+v was recorded", h)
		}
	}
	// An empty journal has no head: nothing to record, no error.
	if err := db.publicationService().RecordPublished(ctx, app.PublishedHead{}, ""); err != nil {
		t.Error(err)
	}
	if got, _ := db.publicationService().Published(ctx); len(got) != 0 {
		t.Errorf("published %+v", got)
	}
}
