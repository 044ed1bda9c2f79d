package main

import (
	"archive/zip"
	"encoding/json"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"sunledger/app"
)

// TestCLI_FeesBillRerunSkipsBilledMonthsAndFinishesAKilledRun: billed months are
// skipped and listed, a range all billed is refused, and a run killed at random
// points, re-run with the same range, ends with every month billed once, exactly.
func TestCLI_FeesBillRerunSkipsBilledMonthsAndFinishesAKilledRun(t *testing.T) {
	slow(t, "a kill loop")
	data := feesBook(t) // 2025-01…2025-03 billed, 338.64 a month
	r := ok(t, data, "fees", "bill", "--period", "2025-01", "--to", "2025-05")
	for _, want := range []string{"2025-01…2025-03 已开单，跳过", "2025-04：4 户，合计 ¥338.64", "2025-05：4 户"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, r.stdout)
		}
	}
	r = fails(t, data, "fees", "bill", "--period", "2025-01", "--to", "2025-05")
	if !strings.Contains(r.stderr, "2025-01…2025-05 已经开过账单") || !strings.Contains(r.stderr, "没有开出任何账单") {
		t.Errorf("all billed: %s", r.stderr)
	}
	ahead := app.AddMonths(time.Now().Format("2006-01"), 2)
	r = fails(t, data, "fees", "bill", "--period", ahead)
	if !strings.Contains(r.stderr, ahead) || !strings.Contains(r.stderr, "超前") {
		t.Errorf("two months ahead: %s", r.stderr)
	}

	// A long range on a fresh book, killed at random points of a run (timed first on
	// a twin book).
	last := time.Now().Format("2006-01")
	first := app.AddMonths(last, -100)
	book := func() string {
		data := t.TempDir()
		ok(t, data, "init", "--name", "测试小区")
		ok(t, data, "units", "import", writeFile(t, t.TempDir(), "units.csv", "unit,kind,area,owner_id,owner_name,developer_held\n"+
			"10-1-101,residential,100.00,O1,王伟,0\n2-1-101,residential,88.50,O2,李娜,0\n2-1-1501,residential,90.10,DEV,开发商,1\nP-001,parking,12.35,O1,王伟,0\n"))
		ok(t, data, "fees", "price", "--kind", "residential", "--price", "1.20", "--from", first)
		ok(t, data, "fees", "price", "--kind", "parking", "--price", "0.35", "--from", first)
		return data
	}
	start := time.Now()
	ok(t, book(), "fees", "bill", "--period", first, "--to", last)
	full := time.Since(start)
	data = book()
	for round := 0; round < 3; round++ {
		cmd := exec.Command(binPath, "--data", data, "fees", "bill", "--period", first, "--to", last)
		cmd.Env = append(os.Environ(), "LANG=zh_CN.UTF-8", "SUNLEDGER_LANG=")
		var out strings.Builder
		cmd.Stdout = &out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		wait := full/10 + time.Duration(rand.Int64N(int64(full/3)))
		time.Sleep(wait)
		cmd.Process.Kill()
		cmd.Wait()
		lines := strings.Split(strings.TrimSpace(out.String()), "\n")
		t.Logf("round %d: killed after %v of %v; last line %q", round, wait, full, lines[len(lines)-1])
		ok(t, data, "verify")
	}
	r = cli(t, data, "fees", "bill", "--period", first, "--to", last)
	if r.code != 0 && !strings.Contains(r.stderr, "已经开过账单") {
		t.Fatalf("re-run: %d %s", r.code, r.stderr)
	}
	t.Logf("re-run: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	if r.code == 0 && !strings.Contains(r.stdout, first+"…") && !strings.Contains(r.stdout, first+"：") {
		t.Errorf("re-run output: %s", r.stdout)
	}
	ok(t, data, "verify")
	months := len(app.MonthRange(first, last))
	want := decimal.RequireFromString("338.64").Mul(decimal.NewFromInt(int64(months)))
	var arrears []struct {
		Owed decimal.Decimal `json:"owed"`
	}
	if err := json.Unmarshal([]byte(ok(t, data, "fees", "arrears", "--json").stdout), &arrears); err != nil {
		t.Fatal(err)
	}
	owed := decimal.Zero
	for _, a := range arrears {
		owed = owed.Add(a.Owed)
	}
	var bal []struct {
		Account string          `json:"account"`
		Balance decimal.Decimal `json:"balance"`
	}
	if err := json.Unmarshal([]byte(ok(t, data, "ledger", "balance", "--json").stdout), &bal); err != nil {
		t.Fatal(err)
	}
	recv := decimal.Zero
	for _, b := range bal {
		if b.Account == app.ReceivableAccount(app.FundService) {
			recv = b.Balance
		}
	}
	if !owed.Equal(want) || !recv.Equal(want) {
		t.Errorf("%d months: arrears %s, receivable %s, want %s", months, owed, recv, want)
	}
}

// TestCLI_PassphraseFileIsBounded: /dev/zero and an over-long file fail at once with a
// clear message; a file others can read works but warns.
func TestCLI_PassphraseFileIsBounded(t *testing.T) {
	data := feesBook(t)
	tmp := t.TempDir()
	for _, args := range [][]string{
		{"keys", "new", "--out", filepath.Join(tmp, "k"), "--passphrase-file", "/dev/zero"},
		{"backup", "--out", filepath.Join(tmp, "b.slbak"), "--passphrase-file", "/dev/zero"},
		{"backup", "--out", filepath.Join(tmp, "b.slbak"), "--passphrase-file", writeFile(t, tmp, "long", strings.Repeat("x", 1025))},
	} {
		start := time.Now()
		r := fails(t, data, args...)
		if !strings.Contains(r.stderr, "超过 1 KiB") {
			t.Errorf("%v: %s", args, r.stderr)
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("%v took %v", args, d)
		}
	}
	if _, err := os.Stat(filepath.Join(tmp, "k.key")); err == nil {
		t.Error("a key was written")
	}
	shared := writeFile(t, tmp, "shared", "一个足够长的口令 long enough\n")
	if err := os.Chmod(shared, 0o644); err != nil {
		t.Fatal(err)
	}
	r := ok(t, data, "backup", "--out", filepath.Join(tmp, "b.slbak"), "--passphrase-file", shared)
	if !strings.Contains(r.stderr, "其他用户也能读取") || !strings.Contains(r.stderr, "chmod 600") {
		t.Errorf("no warning for a shared passphrase file: %q", r.stderr)
	}
	private := writeFile(t, tmp, "private", "一个足够长的口令 long enough\n")
	r = ok(t, data, "backup", "--out", filepath.Join(tmp, "c.slbak"), "--passphrase-file", private)
	if strings.Contains(r.stderr, "警告") {
		t.Errorf("warning for a private file: %q", r.stderr)
	}
	r = fails(t, data, "fees", "pay", "--unit", "10-1-101", "--amount", "99999999999")
	if !strings.Contains(r.stderr, "上限") {
		t.Errorf("absurd payment: %s", r.stderr)
	}
}

// TestCLI_SnapshotCSVCellsCannotRunFormulas: a register with formula-looking unit ids
// and names comes out of the snapshot's CSV files neutralised, amounts still numbers.
func TestCLI_SnapshotCSVCellsCannotRunFormulas(t *testing.T) {
	slow(t, "the committee key's scrypt (about 1 GiB) on every use")
	t.Parallel()
	snapshotBook(t) // for the committee key
	data, tmp := t.TempDir(), t.TempDir()
	ok(t, data, "init", "--name", "注入小区")
	reg := writeFile(t, tmp, "units.csv", "unit,kind,area,owner_id,owner_name\n"+
		"=1+1,residential,80.00,O1,\"=HYPERLINK(\"\"http://evil\"\",\"\"点我\"\")\"\n"+
		"+SUM(1+1),residential,80.00,O2,@SUM(1)\n"+
		"-2-101,residential,80.00,O3,\"\tTAB\"\n"+
		"1-1-101,residential,80.00,O4,王伟\n")
	ok(t, data, "units", "import", reg)
	ok(t, data, "fees", "price", "--kind", "residential", "--price", "1.00", "--from", "2025-01")
	ok(t, data, "fees", "bill", "--period", "2025-01")
	out := filepath.Join(tmp, "s.zip")
	ok(t, data, "snapshot", "export", "--key", snap.key, "--out", out, "--passphrase-file", snap.pass)
	ok(t, tmp, "snapshot", "verify", out, "--pub", snap.pub)
	zr, err := zip.OpenReader(out)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	var all strings.Builder
	for _, f := range zr.File {
		if !strings.HasSuffix(f.Name, ".csv") {
			continue
		}
		rc, _ := f.Open()
		b, _ := io.ReadAll(rc)
		rc.Close()
		all.Write(b)
		for _, line := range strings.Split(strings.TrimPrefix(string(b), "\ufeff"), "\n") {
			for _, cell := range strings.Split(line, ",") {
				cell = strings.Trim(cell, "\"")
				if cell != "" && strings.ContainsRune("=+@\t\r", rune(cell[0])) {
					t.Errorf("%s: cell %q starts with a formula trigger", f.Name, cell)
				}
			}
		}
	}
	// Owner names never leave the laptop (the snapshot names units only): the formula-
	// looking unit ids are what is left to neutralise.
	for _, want := range []string{"'=1+1", "'+SUM(1+1)", "'-2-101"} {
		if !strings.Contains(all.String(), want) {
			t.Errorf("snapshot CSVs lack %q", want)
		}
	}
}
