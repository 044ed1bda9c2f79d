package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"sunledger/internal/testtool"

	"github.com/dgraph-io/badger/v4"
)

// feesBook is a book with four units (one developer-held) priced and billed for
// January to March 2025.
func feesBook(t *testing.T) string {
	t.Helper()
	data := t.TempDir()
	files := t.TempDir()
	ok(t, data, "init", "--name", "测试小区")
	reg := writeFile(t, files, "units.csv", "unit,kind,area,owner_id,owner_name,developer_held\n"+
		"10-1-101,residential,100.00,O1,王伟,0\n2-1-101,residential,88.50,O2,李娜,0\n2-1-1501,residential,90.10,DEV,开发商,1\nP-001,parking,12.35,O1,王伟,0\n")
	ok(t, data, "units", "import", reg)
	ok(t, data, "fees", "price", "--kind", "residential", "--price", "1.20", "--from", "2025-01")
	ok(t, data, "fees", "price", "--kind", "parking", "--price", "0.35", "--from", "2025-01")
	ok(t, data, "fees", "bill", "--period", "2025-01", "--to", "2025-03")
	return data
}

func TestCLI_FeesPayArrearsCollection(t *testing.T) {
	t.Parallel()
	data := feesBook(t)
	r := ok(t, data, "fees", "pay", "--unit", "10-1-101", "--amount", "250", "--date", "2025-04-02", "--method", "wechat")
	if r.lastWord() != "R00000001" {
		t.Fatalf("receipt number not the last word: %q", r.stdout)
	}
	r = ok(t, data, "fees", "pay", "--unit", "P-001", "--amount", "30.00", "--date", "2025-04-03", "--method", "cash")
	if r.lastWord() != "R00000002" {
		t.Fatalf("second receipt: %q", r.stdout)
	}
	// P-001: 12.35 × 0.35 = 4.3225 → 4.32 a month; 30.00 pays three months and prepays 17.04.
	var arrears []map[string]any
	r = ok(t, data, "fees", "arrears", "--json")
	if err := json.Unmarshal([]byte(r.stdout), &arrears); err != nil {
		t.Fatalf("arrears json: %v\n%s", err, r.stdout)
	}
	want := `[{"bills":3,"oldest":"2025-01","owed":"318.60","unit":"2-1-101"},{"bills":3,"oldest":"2025-01","owed":"324.36","unit":"2-1-1501"},{"bills":1,"oldest":"2025-03","owed":"110.00","unit":"10-1-101"}]`
	if got, _ := json.Marshal(arrears); string(got) != want {
		t.Errorf("arrears:\n%s\nwant\n%s", got, want)
	}
	if !strings.Contains(r.stdout, `"owed": "318.60"`) || strings.Index(r.stdout, `"unit"`) > strings.Index(r.stdout, `"owed"`) {
		t.Errorf("arrears fields not in contract order: %s", r.stdout)
	}
	var c map[string]any
	r = ok(t, data, "fees", "collection", "--period", "2025Q1", "--json")
	if err := json.Unmarshal([]byte(r.stdout), &c); err != nil {
		t.Fatal(err)
	}
	if c["billed"] != "1015.92" || c["received"] != "262.96" || c["rate_by_amount"] != "0.2588" || c["households_billed"] != 4.0 || c["households_paid"] != 1.0 || c["rate_by_households"] != "0.2500" {
		t.Errorf("collection %v", c)
	}
	ok(t, data, "fees", "collection", "--period", "2025-02")
	ok(t, data, "fees", "collection", "--period", "2025")
	ok(t, data, "verify")
}

func TestCLI_FeesBadInputIsRefusedAndWritesNothing(t *testing.T) {
	t.Parallel()
	data := feesBook(t)
	before := ok(t, data, "ledger", "balance", "--json").stdout
	audit := ok(t, data, "audit").stdout
	for _, args := range [][]string{
		{"fees", "pay", "--unit", "10-1-101", "--amount", "1.005"},
		{"fees", "pay", "--unit", "10-1-101", "--amount", "0"},
		{"fees", "pay", "--unit", "10-1-101", "--amount", "-5"},
		{"fees", "pay", "--unit", "9-9-999", "--amount", "5"},
		{"fees", "pay", "--unit", "10-1-101", "--amount", "5", "--method", "cheque"},
		{"fees", "pay", "--unit", "10-1-101", "--amount", "5", "--date", "2025-02-30"},
		{"fees", "bill", "--period", "2025-01", "--to", "2025-03"},
		{"fees", "bill", "--period", "2099-01"},
		{"fees", "bill", "--period", "2024-12"},
		{"fees", "bill", "--period", "2025-13"},
		{"fees", "price", "--kind", "residential", "--price", "-1", "--from", "2025-05"},
		{"fees", "collection", "--period", "2025Q5"},
		{"ledger", "reverse", "--seq", "1", "--why", "x"},
		{"ledger", "reverse", "--seq", "999", "--why", "x"},
		{"income", "add", "--fund", "public", "--kind", "parking", "--amount", "0.001"},
		// A stray word is refused, not dropped: `--amount 1 234.50` would record ¥1.00.
		{"fees", "pay", "--unit", "10-1-101", "--amount", "1", "234.50"},
		{"fees", "pay", "--unit", "10-1-101", "--amount", "5", "--date", "2025-04-02", "x"},
		{"fees", "price", "--kind", "residential", "--price", "1.30", "--from", "2025-05", "x"},
		{"fees", "bill", "--period", "2025-04", "2025-05"},
		{"ledger", "post", "--desc", "银行", "手续费", "--post", "资产:物业服务资金:银行存款=-1", "--post", "支出:物业服务资金:其他费用=1"},
	} {
		fails(t, data, args...)
	}
	for _, args := range [][]string{
		{"fees", "pay", "--unit", "10-1-101", "--amount", "0"},
		{"fees", "pay", "--unit", "10-1-101", "--amount", "1.005"},
		{"fees", "pay", "--unit", "10-1-101", "--amount", "5", "--date", "2025-02-30"},
	} {
		if r := fails(t, data, args...); !strings.Contains(r.stderr, "没有记录") {
			t.Errorf("%v: %q does not say that nothing was recorded", args, r.stderr)
		}
	}
	if r := fails(t, data, "fees", "price", "--kind", "residential", "--price", "-1", "--from", "2025-05"); !strings.Contains(r.stderr, "单价没有改动") {
		t.Errorf("price refusal %q does not say the price is unchanged", r.stderr)
	}
	r := fails(t, data, "fees", "bill", "--period", "2024-12")
	if !strings.Contains(r.stderr, "fees price --kind residential --price 单价 --from 2024-12") {
		t.Errorf("the no-price refusal does not say how to set the price: %s", r.stderr)
	}
	if !strings.Contains(r.stderr, "单价") {
		t.Errorf("no-price message unclear: %s", r.stderr)
	}
	ok(t, data, "ledger", "lock", "--through", "2025-03")
	r = fails(t, data, "fees", "pay", "--unit", "10-1-101", "--amount", "5", "--date", "2025-03-31")
	if !strings.Contains(r.stderr, "锁定") {
		t.Errorf("locked message unclear: %s", r.stderr)
	}
	if after := ok(t, data, "ledger", "balance", "--json").stdout; after != before {
		t.Error("refused input changed balances")
	}
	if got := ok(t, data, "audit").stdout; strings.Count(got, "\n") != strings.Count(audit, "\n")+1 { // + the lock
		t.Errorf("refused input was written to the audit log:\n%s", got)
	}
}

var balanceLine = regexp.MustCompile(`^\s*(-?[0-9,]+\.[0-9]{2}) CNY\s+(\S.*)$`)

// TestCLI_ExportIsReadByHledgerAndLedgerWithTheSameBalances runs the real programs
// when they are installed.
func TestCLI_ExportIsReadByHledgerAndLedgerWithTheSameBalances(t *testing.T) {
	t.Parallel()
	data := feesBook(t)
	ok(t, data, "fees", "pay", "--unit", "10-1-101", "--amount", "500", "--date", "2025-04-02")
	ok(t, data, "fees", "pay", "--unit", "2-1-101", "--amount", "100", "--date", "2025-04-02", "--method", "cash")
	ok(t, data, "income", "add", "--fund", "public", "--kind", "parking", "--amount", "1,234.50", "--date", "2025-04-10", "--desc", "四月; 临停")
	ok(t, data, "income", "add", "--fund", "maintenance", "--kind", "deposit", "--amount", "50000", "--date", "2025-01-05")
	r := ok(t, data, "fees", "pay", "--unit", "2-1-1501", "--amount", "99.99", "--date", "2025-04-03")
	seq := regexp.MustCompile(`#(\d+)`).FindStringSubmatch(r.stdout)
	if seq == nil {
		t.Fatalf("no entry number in %q", r.stdout)
	}
	r = ok(t, data, "ledger", "reverse", "--seq", seq[1], "--why", "收错房号", "--date", "2025-04-04")
	if r.lastWord() == seq[1] {
		t.Errorf("reverse should print the new entry's number last: %q", r.stdout)
	}
	ok(t, data, "verify")

	var bals []struct{ Account, Balance string }
	if err := json.Unmarshal([]byte(ok(t, data, "ledger", "balance", "--json").stdout), &bals); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{}
	for _, b := range bals {
		if b.Balance != "0.00" {
			want[b.Account] = b.Balance
		}
	}
	if want["资产:物业服务资金:库存现金"] != "100.00" || want["收入:公共收益:停车费"] != "-1234.50" {
		t.Fatalf("balances %v", want)
	}
	journal := filepath.Join(t.TempDir(), "books.journal")
	if err := os.WriteFile(journal, []byte(ok(t, data, "ledger", "export", "--format", "ledger").stdout), 0o600); err != nil {
		t.Fatal(err)
	}
	ran := 0
	for _, prog := range [][]string{
		{"hledger", "-f", journal, "balance", "--flat", "-N", "--strict"},
		{"ledger", "-f", journal, "balance", "--flat", "--no-total", "--pedantic"},
	} {
		testtool.Require(t, prog[0])
		cmd := exec.Command(prog[0], prog[1:]...)
		cmd.Env = append(os.Environ(), "LANG=C.UTF-8", "LC_ALL=C.UTF-8")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s: %v\n%s", prog[0], err, out)
		}
		got := map[string]string{}
		for _, line := range strings.Split(string(out), "\n") {
			if m := balanceLine.FindStringSubmatch(line); m != nil {
				got[strings.TrimSpace(m[2])] = strings.ReplaceAll(m[1], ",", "")
			}
		}
		if len(got) != len(want) {
			t.Errorf("%s lists %d accounts, ledger balance %d:\n%s", prog[0], len(got), len(want), out)
		}
		for a, b := range want {
			if got[a] != b {
				t.Errorf("%s: %s = %q, ledger balance says %s", prog[0], a, got[a], b)
			}
		}
		ran++
	}
	t.Logf("compared with %d external programs", ran)
}

func TestCLI_ReportUnknownKind(t *testing.T) {
	t.Parallel()
	data := feesBook(t)
	r := cli(t, data, "report", "nonsense", "--out", filepath.Join(t.TempDir(), "x.pdf"))
	if r.code == 0 || !strings.Contains(r.stderr, "receipt") {
		t.Errorf("unknown report kind: %d %s", r.code, r.stderr)
	}
}

// TestCLI_VerifyNamesTheFirstEntryEditedOnDisk rewrites a stored journal entry with raw
// Badger (as someone with the laptop could) and expects verify to fail, naming it.
func TestCLI_VerifyNamesTheFirstEntryEditedOnDisk(t *testing.T) {
	t.Parallel()
	data := feesBook(t)
	ok(t, data, "fees", "pay", "--unit", "10-1-101", "--amount", "250", "--date", "2025-04-02")
	ok(t, data, "verify")
	db, err := badger.Open(badger.DefaultOptions(data).WithLogger(nil))
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(txn *badger.Txn) error {
		key := []byte("je/000000000002")
		item, err := txn.Get(key)
		if err != nil {
			return err
		}
		v, err := item.ValueCopy(nil)
		if err != nil {
			return err
		}
		// 2025-02's billing: 338.64 becomes 3386.40 on both sides, still balanced.
		v2 := bytes.ReplaceAll(v, []byte(`338.64`), []byte(`3386.4`))
		if bytes.Equal(v, v2) {
			t.Fatalf("entry 2 does not hold 338.64: %s", v)
		}
		return txn.Set(key, v2)
	})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	r := fails(t, data, "verify")
	if !strings.Contains(r.stderr, "#2") {
		t.Errorf("verify does not name entry #2: %s", r.stderr)
	}
}

func TestCLI_LedgerPostManualEntry(t *testing.T) {
	t.Parallel()
	data := feesBook(t)
	r := ok(t, data, "ledger", "post", "--date", "2025-01-02", "--desc", "维修资金期初余额", "--why", "移交时的银行对账单",
		"--post", "资产:维修资金:银行存款=120,000.00", "--post", "权益:维修资金:期初结余=-120000")
	if r.lastWord() != "4" {
		t.Errorf("entry number not last: %q", r.stdout)
	}
	fails(t, data, "ledger", "post", "--desc", "不平", "--post", "资产:维修资金:银行存款=1", "--post", "权益:维修资金:期初结余=-2")
	fails(t, data, "ledger", "post", "--desc", "无此科目", "--post", "资产:维修资金:保险柜=1", "--post", "权益:维修资金:期初结余=-1")
	fails(t, data, "ledger", "post", "--desc", "冒充收费", "--ref", "receipt:R1", "--post", "资产:物业服务资金:银行存款=1", "--post", "收入:物业服务资金:物业费=-1")
	fails(t, data, "ledger", "post", "--desc", "免除欠费", "--post", "收入:物业服务资金:物业费=1", "--post", "资产:物业服务资金:应收物业费=-1")
	ok(t, data, "verify")
}
