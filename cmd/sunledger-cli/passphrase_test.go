package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestCLI_EachWrongPassphraseInARowMakesTheNextTryWaitLonger: as in the window, each
// wrong passphrase makes the next try wait twice as long (1 s, 2 s, …). The CLI keeps
// the count across runs in the book's folder; the refusal's one line says how long the
// next try waits, the next run waits it out before trying, and a right passphrase ends
// the count.
func TestCLI_EachWrongPassphraseInARowMakesTheNextTryWaitLonger(t *testing.T) {
	data := chainCLI(t)
	id := asOK(t, data, "pw-王经办", "expense", "apply", "--as", "王经办", "--fund", "public", "--category", "cleaning",
		"--payee", "清洁公司", "--amount", "100", "--desc", "保洁").lastWord()
	approve := []string{"expense", "approve", "--as", "张主任", "--id", id}
	timed := func(pass string) (result, time.Duration) {
		start := time.Now()
		r := as(t, data, pass, approve...)
		return r, time.Since(start)
	}
	r, _ := timed("guess-1")
	if r.code == 0 || strings.Count(strings.TrimSpace(r.stderr), "\n") != 0 || !strings.Contains(r.stderr, "口令不正确") || !strings.Contains(r.stderr, "下一次尝试口令需等 1 秒") {
		t.Fatalf("first wrong passphrase: %q", r.stderr)
	}
	if _, err := os.Stat(filepath.Join(data, "passphrase-failures.json")); err != nil {
		t.Fatalf("the count is not kept in the book's folder: %v", err)
	}
	r, took := timed("guess-2")
	if !strings.Contains(r.stderr, "下一次尝试口令需等 2 秒") || took < 900*time.Millisecond {
		t.Fatalf("second wrong passphrase after %v: %q", took, r.stderr)
	}
	r, took = timed("guess-3")
	if !strings.Contains(r.stderr, "下一次尝试口令需等 4 秒") || took < 1900*time.Millisecond {
		t.Fatalf("third wrong passphrase after %v: %q", took, r.stderr)
	}
	r, took = timed("pw-张主任")
	if r.code != 0 || took < 3900*time.Millisecond {
		t.Fatalf("the right passphrase after three wrong ones: exit %d after %v: %s", r.code, took, r.stderr)
	}
	if _, err := os.Stat(filepath.Join(data, "passphrase-failures.json")); !os.IsNotExist(err) {
		t.Errorf("a right passphrase did not end the count: %v", err)
	}
	// A rule broken is not a wrong passphrase: it does not count.
	r = as(t, data, "pw-王经办", "expense", "approve", "--as", "王经办", "--id", id)
	if r.code == 0 || strings.Contains(r.stderr, "需等") {
		t.Fatalf("the applicant signing: %q", r.stderr)
	}
	r = as(t, data, "guess-4", "expense", "approve", "--as", "陈委员", "--id", id)
	if !strings.Contains(r.stderr, "下一次尝试口令需等 1 秒") {
		t.Errorf("the count did not start again: %q", r.stderr)
	}
	ok(t, data, "audit") // reading commands never wait
}
