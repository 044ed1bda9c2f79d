package reports

// publish.go is the one way a document leaves the laptop, from the command line and the
// window alike: it names the community, carries the journal's head hash (the integrity
// anchor an owner compares with a snapshot), states the committee's notice settings
// (公示期, where to object) and the address of the published snapshot, and the head it
// shows is recorded as published. A document without a head hash is refused. See
// docs/snapshot.md.

import (
	"context"
	"path/filepath"
	"strconv"
	"strings"

	"sunledger/app"
)

// Publication says what a saved document is and who made it, for the record of
// published heads: What names it ("report arrears"; the file name is added), Who is the
// operator ("" for the OS user on the command line). Progress, if set, follows the
// layout of a long document and cancels it by returning false.
type Publication struct {
	What     string
	Who      string
	Progress func(done, total int) bool
}

// SaveDocument writes doc to path as every notice must leave: with the community's
// name and the journal's head hash (filled in from the book when the maker left them
// empty), the committee's notice settings applied, and the head recorded as published.
// It refuses, writing nothing, when the head cannot be read: a paper without its head
// hash cannot be checked by anyone. An empty journal has no head yet; its papers say so.
func SaveDocument(ctx context.Context, s app.Services, doc *Doc, path string, p Publication) error {
	c, err := s.Book.Community(ctx)
	if err != nil {
		return err
	}
	hash, seq, err := s.Ledger.Head(ctx)
	if err != nil {
		return err
	}
	if hash == "" && seq != 0 {
		return app.Errorf(app.EINVALID, "读不到账本链头哈希：不能生成 %s，没有写入任何文件。请运行 verify 核对账本", "the journal's head hash cannot be read: %s was not made and nothing was written; run verify", filepath.Base(path))
	}
	// A book whose journal is still empty (a vote before any money was booked) prints
	// 账本链头（空账本）: there is nothing yet that the paper could disagree with.
	doc.fill(c.Name, hash)
	if doc.meta.Tree == "" && s.Log != nil {
		// The tree as the document is made (unsigned; the next snapshot's checkpoint
		// covers it). A book whose tree a writing open has not yet built prints none.
		if th, err := s.Log.TreeHead(ctx); err == nil {
			doc.meta.Tree = th.Short()
			doc.digest("tree", doc.meta.Tree)
		}
	}
	if strings.TrimSpace(doc.meta.Community) == "" {
		return app.Errorf(app.EINVALID, "小区名称为空：不能生成 %s，没有写入任何文件。请先在设置中填写小区名称", "the community has no name: %s was not made and nothing was written; set the community's name first", filepath.Base(path))
	}
	if doc.meta.Public || doc.meta.FeeNotice {
		if err := c.Notices.ReadyToPublish(doc.meta.FeeNotice); err != nil {
			return err
		}
	}
	doc.ApplySettings(c.Notices)
	// The published snapshot's address, when there is one, as a second QR code
	// (docs/notices.md).
	heads, err := s.Published.Published(ctx)
	if err != nil {
		return err
	}
	doc.SetSnapshotURL(app.SnapshotAddress(heads))
	// A public notice made by Make gets its number (文号) when first printed; a reprint
	// keeps it (docs/notices.md "Document numbers").
	if doc.meta.Public && doc.kind != "" && s.Prints != nil && len(doc.meta.Date) >= 4 {
		year, _ := strconv.Atoi(doc.meta.Date[:4])
		ref, err := s.Prints.Reference(ctx, doc.kind, year, doc.what, p.Who)
		if err != nil {
			return err
		}
		doc.meta.Ref = ref.RefText(doc.meta.Community)
	}
	if p.Progress != nil {
		err = doc.SaveProgress(path, p.Progress)
	} else {
		err = doc.Save(path)
	}
	if err != nil {
		return err
	}
	if seq == 0 {
		return nil
	}
	what := strings.TrimSpace(p.What + " " + filepath.Base(path))
	return s.Published.RecordPublished(ctx, app.PublishedHead{Seq: seq, Hash: hash, What: what}, p.Who)
}

// fill sets the community and head hash a document's maker left empty.
func (d *Doc) fill(community, head string) {
	if d.meta.Community == "" && community != "" {
		d.meta.Community = community
		d.digest("community", community)
	}
	if d.meta.HeadHash == "" {
		d.meta.HeadHash = head
		d.digest("head", head)
	}
}
