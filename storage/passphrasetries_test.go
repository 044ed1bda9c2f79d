package storage

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestPassphraseTries_EachWrongOneInARowDoublesTheWaitAcrossRuns: the count the CLI
// keeps in the book's folder makes the next try wait app.PassphraseDelay after the last
// wrong passphrase, less the time already gone by; a right one ends the count.
func TestPassphraseTries_EachWrongOneInARowDoublesTheWaitAcrossRuns(t *testing.T) {
	_, dir := newBook(t)
	t0 := time.Date(2026, 6, 15, 10, 0, 0, 0, time.UTC)
	if w, n := PassphraseWait(dir, t0); w != 0 || n != 0 {
		t.Fatalf("a fresh book waits %v after %d failures", w, n)
	}
	for i, tc := range []struct {
		after    time.Duration // since the failure just noted
		wait     time.Duration
		failures int
	}{
		{0, time.Second, 1},
		{0, 2 * time.Second, 2},
		{time.Second, 3 * time.Second, 3}, // 4 s, one of them gone by
		{0, 8 * time.Second, 4},
		{time.Hour, 0, 5},                 // long ago: no wait, but the count stands until a right one
		{-time.Hour, 32 * time.Second, 6}, // a clock set back never waits longer than the delay
	} {
		at := t0.Add(time.Duration(i) * time.Minute)
		NotePassphraseFailure(dir, at)
		if w, n := PassphraseWait(dir, at.Add(tc.after)); w != tc.wait || n != tc.failures {
			t.Errorf("after failure %d and %v: wait %v (%d failures), want %v (%d)", i+1, tc.after, w, n, tc.wait, tc.failures)
		}
	}
	if ForeignFile(dir) != "" {
		t.Errorf("the count is taken for a file of the user's: %s", ForeignFile(dir))
	}
	ClearPassphraseFailures(dir)
	if w, n := PassphraseWait(dir, t0); w != 0 || n != 0 {
		t.Errorf("after a right passphrase: wait %v after %d failures", w, n)
	}
	// A torn or foreign count file claims nothing; a folder that does not exist is not made.
	os.WriteFile(filepath.Join(dir, passphraseTriesFile), []byte(`{"failures": 3, "la`), 0o600)
	if w, n := PassphraseWait(dir, t0); w != 0 || n != 0 {
		t.Errorf("a torn count file: wait %v after %d failures", w, n)
	}
	gone := filepath.Join(t.TempDir(), "missing")
	NotePassphraseFailure(gone, t0)
	if _, err := os.Stat(gone); !os.IsNotExist(err) {
		t.Errorf("noting a failure made the folder %s", gone)
	}
}
