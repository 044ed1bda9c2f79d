package storage

import (
	"encoding/json"
	"os"
	"path/filepath"
	"time"

	"sunledger/app"
)

// Wrong passphrases in a row at a book, counted across runs of the CLI (docs/roster.md,
// "Wrong passphrases"): each run of sunledger-cli is one try, so the count cannot live
// in the process as the window's does. It lives in the book's folder, beside the store
// and outside it, because the commonest wrong passphrase is the one that should open an
// encrypted store, before anything in the store can be read or written. A folder that
// cannot be written (a read-only copy) keeps no count: nothing can be signed there
// anyway.

// passphraseTriesFile holds the count: {"failures": N, "last": "<RFC 3339 time>"}.
const passphraseTriesFile = "passphrase-failures.json"

type passphraseTries struct {
	Failures int       `json:"failures"`
	Last     time.Time `json:"last"`
}

func readPassphraseTries(dir string) passphraseTries {
	var t passphraseTries
	b, err := os.ReadFile(filepath.Join(dir, passphraseTriesFile))
	if err != nil || json.Unmarshal(b, &t) != nil || t.Failures < 0 {
		return passphraseTries{}
	}
	return t
}

// PassphraseWait is how much longer the next passphrase tried at the book in dir must
// wait (app.PassphraseDelay after the last wrong one), and how many wrong ones came in a
// row. A clock set back never makes the wait longer than the delay itself.
func PassphraseWait(dir string, now time.Time) (time.Duration, int) {
	t := readPassphraseTries(dir)
	delay := app.PassphraseDelay(t.Failures)
	wait := t.Last.Add(delay).Sub(now)
	return max(0, min(wait, delay)), t.Failures
}

// NotePassphraseFailure counts one more wrong passphrase at the book in dir and returns
// how long the next try will wait. It never creates the folder.
func NotePassphraseFailure(dir string, now time.Time) time.Duration {
	t := readPassphraseTries(dir)
	t.Failures++
	t.Last = now.UTC()
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return app.PassphraseDelay(t.Failures)
	}
	if b, err := json.Marshal(t); err == nil {
		_ = os.WriteFile(filepath.Join(dir, passphraseTriesFile), append(b, '\n'), 0o600) // best effort: see above
	}
	return app.PassphraseDelay(t.Failures)
}

// ClearPassphraseFailures ends the count: a passphrase was right.
func ClearPassphraseFailures(dir string) {
	_ = os.Remove(filepath.Join(dir, passphraseTriesFile))
}
