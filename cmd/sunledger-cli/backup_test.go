package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

func TestCLI_BackupRestoreRoundTrip(t *testing.T) {
	tmp := t.TempDir()
	src := filepath.Join(tmp, "src")
	ok(t, src, "demo", "--units", "60", "--years", "1")
	pass := writeFile(t, tmp, "pass.txt", "备份口令 2026\n")
	bak := filepath.Join(tmp, "book.slbak")

	r := ok(t, src, "backup", "--out", bak, "--passphrase-file", pass)
	if r.lastWord() != bak {
		t.Errorf("backup should print the file as its last word: %q", r.stdout)
	}
	st, err := os.Stat(bak)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(r.stdout, strconv.FormatInt(st.Size(), 10)) {
		t.Errorf("backup should print the size %d: %q", st.Size(), r.stdout)
	}
	if ents, _ := os.ReadDir(tmp); len(ents) != 3 {
		t.Errorf("temporary files left beside the backup: %v", ents)
	}
	fails(t, src, "backup", "--out", bak, "--passphrase-file", pass) // exists
	ok(t, src, "backup", "--out", bak, "--passphrase-file", pass, "--force")
	fails(t, src, "backup", "--out", filepath.Join(tmp, "x.slbak"), "--passphrase-file", writeFile(t, tmp, "short.txt", "ab"))

	dst := filepath.Join(tmp, "dst")
	fails(t, dst, "restore", bak, "--passphrase-file", writeFile(t, tmp, "wrong.txt", "不对的口令"))
	if _, err := os.Stat(dst); err == nil {
		t.Error("a refused restore created the data folder")
	}
	ok(t, dst, "restore", bak, "--passphrase-file", pass)
	ok(t, dst, "verify")
	want := ok(t, src, "ledger", "balance", "--json").stdout
	if got := ok(t, dst, "ledger", "balance", "--json").stdout; got != want {
		t.Errorf("balances differ after restore:\n%s\nvs\n%s", got, want)
	}
	if got, want := ok(t, dst, "units", "list", "--json").stdout, ok(t, src, "units", "list", "--json").stdout; got != want {
		t.Error("register differs after restore")
	}
	if !strings.Contains(ok(t, dst, "audit").stdout, "backup.restore") {
		t.Error("restore not in the audit log")
	}

	// Over a book: refused without --force, the book untouched; replaced with it.
	other := filepath.Join(tmp, "other")
	ok(t, other, "init", "--name", "另一个小区")
	before := ok(t, other, "ledger", "balance", "--json").stdout
	r = fails(t, other, "restore", bak, "--passphrase-file", pass)
	if !strings.Contains(r.stderr, "--force") {
		t.Errorf("refusal should name --force: %q", r.stderr)
	}
	if got := ok(t, other, "ledger", "balance", "--json").stdout; got != before {
		t.Error("a refused restore changed the book")
	}
	ok(t, other, "restore", bak, "--passphrase-file", pass, "--force")
	if got := ok(t, other, "ledger", "balance", "--json").stdout; got != want {
		t.Error("forced restore did not bring the backup's balances")
	}
	ok(t, other, "verify")

	// A damaged file is refused with one line, and the passphrase also comes from the environment.
	data, _ := os.ReadFile(bak)
	data[len(data)/2] ^= 0x80
	bad := filepath.Join(tmp, "bad.slbak")
	os.WriteFile(bad, data, 0o600)
	t.Setenv("SUNLEDGER_PASSPHRASE", "备份口令 2026")
	fails(t, filepath.Join(tmp, "dst2"), "restore", bad)
	ok(t, filepath.Join(tmp, "dst3"), "restore", bak)
	fails(t, filepath.Join(tmp, "dst4"), "restore")
}
