package storage

import (
	"context"
	"regexp"
	"strconv"
	"strings"

	"sunledger/app"
)

// published.go keeps the record of head hashes that left the laptop (notices, snapshots),
// append-only: a snapshot lists them so that owners can check that no history they were
// shown has been rewritten since.

var hexHash = regexp.MustCompile(`^[0-9a-f]{64}$`)

// RecordPublished appends a published head, with its audit record, in one transaction.
func (s PublicationService) RecordPublished(ctx context.Context, h app.PublishedHead, who string) error {
	if h.Seq == 0 && h.Hash == "" {
		return nil // an empty journal has no head to publish
	}
	if h.Seq < 0 || !hexHash.MatchString(h.Hash) {
		return app.Errorf(app.EINVALID, "链头 #%d %q 不是有效的哈希，没有记录", "head #%d %q is not a valid hash; nothing was recorded", h.Seq, h.Hash)
	}
	if u := h.URL; u != "" && (len(u) > 500 || !(strings.HasPrefix(u, "https://") || strings.HasPrefix(u, "http://")) || strings.ContainsAny(u, " \t\r\n")) {
		return app.Errorf(app.EINVALID, "快照地址 %q 不是有效的网址，没有记录", "snapshot address %q is not a valid web address; nothing was recorded", u)
	}
	if h.At.IsZero() {
		h.At = s.db.Now()
	}
	h.At = h.At.UTC()
	return s.db.update(func(tx *Tx) error {
		if err := tx.requireBook(); err != nil {
			return err
		}
		n, err := tx.next("published")
		if err != nil {
			return err
		}
		if err := tx.put(publishedKey(n), h); err != nil {
			return err
		}
		return tx.audit(who, "publish.head", "#"+strconv.FormatInt(h.Seq, 10)+" "+h.Hash, strings.TrimSpace(h.What+" "+h.URL))
	})
}

// Published lists every recorded head, oldest first.
func (s PublicationService) Published(ctx context.Context) ([]app.PublishedHead, error) {
	var out []app.PublishedHead
	err := s.db.view(func(tx *Tx) error {
		return eachJSON(tx, prefixPublished, func(_ string, h app.PublishedHead) error {
			out = append(out, h)
			return nil
		})
	})
	return out, err
}
