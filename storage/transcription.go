package storage

import (
	"strings"

	"sunledger/app"
)

// the two-person keying of paper forms (ballots, survey sheets) as kept in the book: one key
// per paper number under each entry's prefix, both written the same way.

// paperWord names a kind of paper's number in messages.
type paperWord struct{ zh, en string }

var (
	ballotWord = paperWord{"票号", "ballot"}
	sheetWord  = paperWord{"答卷编号", "sheet"}
)

// checkEntry reads "A" or "B" typed any way.
func checkEntry(entry string) (string, error) {
	entry = strings.ToUpper(strings.TrimSpace(entry))
	if entry != app.EntryA && entry != app.EntryB {
		return "", app.Errorf(app.EINVALID, "录入只能是 A 或 B，而不是 %q", "the entry must be A or B, not %q", entry)
	}
	return entry, nil
}

// putEntry writes one transcription's papers under prefix (replace: instead of what the
// entry holds). check normalises and validates a paper and returns its number. A number
// already in the entry (without replace) or twice in papers is ECONFLICT; the caller's
// transaction then writes nothing.
func putEntry[P any](tx *Tx, prefix, entry string, what paperWord, papers []P, replace bool, check func(*P) (string, error)) error {
	if replace {
		var old []string
		if err := tx.each(prefix, func(key string, _ []byte) error {
			old = append(old, key)
			return nil
		}); err != nil {
			return err
		}
		for _, k := range old {
			if err := tx.delete(k); err != nil {
				return err
			}
		}
	}
	seen := make(map[string]bool, len(papers))
	for _, p := range papers { // p is a copy: the caller's papers stay as they were
		no, err := check(&p)
		if err != nil {
			return err
		}
		have, err := tx.has(prefix + no)
		if err != nil {
			return err
		}
		if seen[no] || (have && !replace) {
			return app.Errorf(app.ECONFLICT, "录入%[1]s 已有%[2]s %[4]s：没有做任何更改（要重新录入整份请加 --replace）",
				"entry %[1]s already has %[3]s %[4]s: nothing was changed (add --replace to re-enter the whole entry)", entry, what.zh, what.en, no)
		}
		seen[no] = true
		if err := tx.put(prefix+no, p); err != nil {
			return err
		}
	}
	return nil
}

// inEitherEntry reports whether entry A or B has paper no; prefix gives an entry's prefix.
func inEitherEntry(tx *Tx, prefix func(entry string) string, what paperWord, no string) error {
	for _, e := range []string{app.EntryA, app.EntryB} {
		ok, err := tx.has(prefix(e) + no)
		if err != nil || ok {
			return err
		}
	}
	return app.Errorf(app.ENOTFOUND, "录入A和录入B里都没有%[1]s %[3]s", "neither entry A nor entry B has %[2]s %[3]s", what.zh, what.en, no)
}
