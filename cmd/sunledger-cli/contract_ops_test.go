package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Contract checks of the approval chains, the service standard, snapshots and backups
// as a script drives them (docs/cli.md): one-line errors, ids as the last word, --json
// only on stdout.

// TestCLI_RefusalWithASharedPassphraseFileIsOneLine: a passphrase file readable by
// others earns a warning when the command works, but a refused step still prints its
// one-line error and nothing else on stderr.
func TestCLI_RefusalWithASharedPassphraseFileIsOneLine(t *testing.T) {
	data := chainCLI(t)
	tmp := t.TempDir()
	shared := filepath.Join(tmp, "pw")
	if err := os.WriteFile(shared, []byte("pw-张主任\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	id := asOK(t, data, "pw-王经办", "expense", "apply", "--as", "王经办", "--fund", "public", "--category", "cleaning",
		"--payee", "清洁公司", "--amount", "100", "--desc", "保洁").lastWord()
	r := fails(t, data, "expense", "pay", "--as", "张主任", "--id", id, "--passphrase-file", shared)
	if !strings.Contains(r.stderr, "尚未完成审批") {
		t.Errorf("pay before approval: %q", r.stderr)
	}
	r = ok(t, data, "expense", "approve", "--as", "张主任", "--id", id, "--passphrase-file", shared)
	if !strings.Contains(r.stderr, "chmod 600") {
		t.Errorf("no warning on success: %q", r.stderr)
	}
	r = fails(t, data, "expense", "approve", "--as", "张主任", "--id", id, "--passphrase-file", shared)
	if !strings.Contains(r.stderr, "已经签过") {
		t.Errorf("second signature: %q", r.stderr)
	}
}

// TestCLI_ExpenseListUnknownStateIsRefused: a mistyped --state is an error, not an empty
// list that reads as "no such requests".
func TestCLI_ExpenseListUnknownStateIsRefused(t *testing.T) {
	data := chainCLI(t)
	for _, s := range []string{"approve", "PAID", "已支付"} {
		r := fails(t, data, "expense", "list", "--json", "--state", s)
		if r.stdout != "" || !strings.Contains(r.stderr, "未知的状态") {
			t.Errorf("--state %s: stdout %q, stderr %q", s, r.stdout, r.stderr)
		}
	}
	if r := ok(t, data, "expense", "list", "--json", "--state", "paid"); strings.TrimSpace(r.stdout) != "[]" {
		t.Errorf("--state paid: %q", r.stdout)
	}
}

// TestCLI_KeysNewRefusesAShortPassphrase: the committee's signing key takes the same
// passphrase rule as a member's key and a backup, and a refusal writes no file.
func TestCLI_KeysNewRefusesAShortPassphrase(t *testing.T) {
	dir := t.TempDir()
	prefix := filepath.Join(dir, "业委会")
	r := as(t, dir, "ab", "keys", "new", "--out", prefix)
	if r.code == 0 || !strings.Contains(r.stderr, "口令太短") || strings.Count(strings.TrimSpace(r.stderr), "\n") != 0 {
		t.Fatalf("short passphrase: exit %d, stderr %q", r.code, r.stderr)
	}
	for _, p := range []string{prefix + ".key", prefix + ".pub"} {
		if _, err := os.Stat(p); err == nil {
			t.Errorf("%s was written", p)
		}
	}
}
