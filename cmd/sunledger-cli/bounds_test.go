package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"sunledger/internal/testtool"
)

// TestBounds_UserInputHasLimits: a passphrase "file" that never ends, an absurd amount,
// a description of a book's length: each refused quickly, with a clear message, and
// nothing written.
func TestBounds_UserInputHasLimits(t *testing.T) {
	t.Parallel()
	data := copyBook(t, feesBook(t))
	before := ok(t, data, "ledger", "balance", "--json").stdout
	start := time.Now()
	r := fails(t, data, "members", "add", "--name", "某人", "--role", "member", "--passphrase-file", "/dev/zero")
	if time.Since(start) > 10*time.Second || !strings.Contains(r.stderr, "1 KiB") {
		t.Errorf("/dev/zero as a passphrase file: %v, %s", time.Since(start), r.stderr)
	}
	r = fails(t, data, "fees", "pay", "--unit", "2-1-101", "--amount", "99,999,999,999")
	if !strings.Contains(r.stderr, "上限") {
		t.Errorf("an absurd payment: %s", r.stderr)
	}
	long := strings.Repeat("很长的摘要", 200)
	fails(t, data, "ledger", "post", "--date", "2026-01-05", "--desc", long,
		"--post", "资产:维修资金:银行存款=100", "--post", "权益:维修资金:期初结余=-100")
	fails(t, data, "income", "add", "--fund", "public", "--kind", "parking", "--amount", "200000000", "--date", "2026-01-31")
	fails(t, data, "fees", "price", "--kind", "residential", "--price", "150", "--from", "2027-01")
	if after := ok(t, data, "ledger", "balance", "--json").stdout; after != before {
		t.Fatal("a refused input changed the books")
	}
	// A passphrase file others can read works, with a warning.
	pf := filepath.Join(t.TempDir(), "pass.txt")
	os.WriteFile(pf, []byte("correct horse battery\n"), 0o644)
	r = ok(t, data, "members", "add", "--name", "钱一", "--role", "member", "--passphrase-file", pf)
	if !strings.Contains(r.stderr, "chmod 600") {
		t.Errorf("no warning for a world-readable passphrase file: %q", r.stderr)
	}
}

// TestSettings_NoticePeriodReachesEveryNotice: the 公示期 set once with `settings` is what
// the printed notices state.
func TestSettings_NoticePeriodReachesEveryNotice(t *testing.T) {
	t.Parallel()
	pdftotext := testtool.Require(t, "pdftotext")
	data := copyBook(t, feesBook(t))
	ok(t, data, "settings", "--notice-days", "10", "--objection", "向业委会办公室书面提出", "--office-phone", "0519-88886666")
	out := filepath.Join(t.TempDir(), "arrears.pdf")
	ok(t, data, "report", "arrears", "--out", out)
	text, err := exec.Command(pdftotext, "-layout", out, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	if s := strings.Join(strings.Fields(string(text)), ""); !strings.Contains(s, "（10天）") || !strings.Contains(s, "向业委会办公室书面提出") {
		t.Errorf("the arrears notice does not state the committee's notice period and objection:\n%s", text)
	}
}

// TestSettings_OnlyTheFlagsGivenChange: `settings` changes the settings named on the
// command line and no other; an empty text clears one.
func TestSettings_OnlyTheFlagsGivenChange(t *testing.T) {
	t.Parallel()
	data := filepath.Join(t.TempDir(), "book")
	ok(t, data, "init", "--name", "设置小区")
	ok(t, data, "settings", "--pay-account", "户名 设置小区业委会", "--due-day", "20")
	ok(t, data, "settings", "--office-phone", "010-1234")
	got := ok(t, data, "settings", "--json").stdout
	for _, want := range []string{`"pay_account": "户名 设置小区业委会"`, `"due_day": 20`, `"office_phone": "010-1234"`} {
		if !strings.Contains(got, want) {
			t.Errorf("settings lost %s:\n%s", want, got)
		}
	}
	ok(t, data, "settings", "--pay-account", "")
	if got := ok(t, data, "settings", "--json").stdout; strings.Contains(got, "pay_account") || !strings.Contains(got, `"due_day": 20`) {
		t.Errorf("an empty --pay-account should clear it and keep the rest:\n%s", got)
	}
}
