package main

import (
	"archive/zip"
	"encoding/json"
	"io"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
)

const bankAcct = "资产:公共收益:银行存款"

// bankBook is a public-income fund with an opening balance, two bank incomes, cash
// banked on the last day of March (the bank shows it on April 1st), and a statement
// with interest and a charge the books lack.
func bankBook(t *testing.T) (data, stmt string) {
	data = t.TempDir()
	ok(t, data, "init", "--name", "阳光花园")
	ok(t, data, "ledger", "post", "--date", "2026-02-28", "--desc", "期初余额", "--post", bankAcct+"=5000", "--post", "权益:公共收益:期初结余=-5000")
	ok(t, data, "income", "add", "--fund", "public", "--kind", "parking", "--amount", "1000", "--date", "2026-03-02")
	ok(t, data, "income", "add", "--fund", "public", "--kind", "advertising", "--amount", "2000", "--date", "2026-03-10")
	ok(t, data, "income", "add", "--fund", "public", "--kind", "parking", "--amount", "800", "--method", "cash", "--date", "2026-03-30")
	ok(t, data, "ledger", "deposit", "--fund", "public", "--amount", "800", "--slip", "S-77", "--date", "2026-03-31")
	stmt = writeFile(t, t.TempDir(), "stmt.csv", `工商银行 账户交易明细
账号：6222 0210 0101 2345
交易日期,摘要,收入金额,支出金额,余额,对方户名,流水号
2026-03-03,停车费,1000.00,,6000.00,张三,T1
2026-03-10,广告费,2000.00,,8000.00,某广告公司,T2
2026-03-21,结息,3.50,,8003.50,,T3
2026-03-25,手续费,,10.00,7993.50,,T4
2026-04-01,现金存款 S-77,800.00,,8793.50,,T5
`)
	return data, stmt
}

func TestBank_ImportMatchReconcileLock(t *testing.T) {
	data, stmt := bankBook(t)
	r := ok(t, data, "bank", "import", stmt, "--account", bankAcct)
	if !strings.Contains(r.stdout, "导入 5 行") {
		t.Errorf("import said %q", r.stdout)
	}
	if r := ok(t, data, "bank", "import", stmt, "--account", bankAcct); !strings.Contains(r.stdout, "导入 0 行") || !strings.Contains(r.stdout, "5 行以前已导入过") {
		t.Errorf("re-import said %q", r.stdout)
	}
	m := ok(t, data, "bank", "match", "--account", bankAcct, "--auto", "--json").stdout
	var res struct {
		Confirmed []struct {
			Line    int64
			Entries []int64
		}
		Unmatched []struct {
			Line    int64
			Suggest string
		}
	}
	if err := json.Unmarshal([]byte(m), &res); err != nil {
		t.Fatal(err, m)
	}
	if len(res.Confirmed) != 3 || len(res.Unmatched) != 2 || !strings.Contains(res.Unmatched[0].Suggest, "--to 收入:公共收益:利息") {
		t.Fatalf("match: %s", m)
	}
	var got map[string]any
	js := ok(t, data, "bank", "reconcile", "--account", bankAcct, "--period", "2026-03", "--json").stdout
	if err := json.Unmarshal([]byte(js), &got); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"account": bankAcct, "period": "2026-03", "book_balance": "8800.00", "bank_balance": "7993.50",
		"book_not_bank": map[string]any{"in": "800.00", "out": "0.00"}, "bank_not_book": map[string]any{"in": "3.50", "out": "10.00"},
		"adjusted_book": "8793.50", "adjusted_bank": "8793.50", "difference": "0.00"}
	if b1, b2 := mustJSON(t, got), mustJSON(t, want); b1 != b2 {
		t.Errorf("reconcile:\n got %s\nwant %s", b1, b2)
	}
	// The interest is booked from the statement and matched in one step.
	ok(t, data, "bank", "post", "--account", bankAcct, "--line", "3", "--to", "收入:公共收益:利息")
	js = ok(t, data, "bank", "reconcile", "--account", bankAcct, "--period", "2026-03", "--json").stdout
	if !strings.Contains(js, `"book_balance": "8803.50"`) || !strings.Contains(js, `"in": "0.00",
    "out": "10.00"`) {
		t.Errorf("after bank post: %s", js)
	}
	pdf := filepath.Join(t.TempDir(), "rec.pdf")
	ok(t, data, "bank", "reconcile", "--account", "public", "--period", "2026Q1", "--out", pdf)
	text, err := exec.Command("pdftotext", "-layout", pdf, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"银行存款余额调节表", "调节后余额", "7,993.50", "8,793.50"} {
		if !strings.Contains(string(text), w) {
			t.Errorf("PDF lacks %q", w)
		}
	}
	if strings.Contains(string(text), "张三") || strings.Contains(string(text), "某广告公司") {
		t.Error("the PDF names a counterparty")
	}
	ok(t, data, "settings", "--office-phone", "0571-88886666")
	q := filepath.Join(t.TempDir(), "q.pdf")
	ok(t, data, "report", "quarterly", "--year", "2026", "--quarter", "1", "--out", q)
	qt, err := exec.Command("pdftotext", "-layout", q, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	if s := strings.Join(strings.Fields(string(qt)), ""); !strings.Contains(s, "银行存款核对") || !strings.Contains(s, bankAcct+"¥8,803.50¥7,993.50¥0.00") || strings.Contains(s, "张三") {
		t.Errorf("the disclosure's bank section:\n%s", qt)
	}
	ok(t, data, "ledger", "lock", "--through", "2026-03")
	ok(t, data, "verify")
}

func mustJSON(t *testing.T, v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestBank_LockRefusesAnUnexplainedDifference(t *testing.T) {
	data := t.TempDir()
	ok(t, data, "init", "--name", "阳光花园")
	ok(t, data, "income", "add", "--fund", "public", "--kind", "parking", "--amount", "1000", "--date", "2026-03-02")
	// The bank held 500 the books never recorded.
	stmt := writeFile(t, t.TempDir(), "s.csv", "交易日期,摘要,贷方发生额,借方发生额,余额\n2026-03-02,停车费,1000,,1500\n")
	ok(t, data, "bank", "import", stmt, "--account", "public")
	ok(t, data, "bank", "match", "--account", "public", "--auto")
	r := fails(t, data, "ledger", "lock", "--through", "2026-03")
	if !strings.Contains(r.stderr, "-500.00") || !strings.Contains(r.stderr, "没有锁定任何期间") {
		t.Errorf("lock said %q", r.stderr)
	}
	fails(t, data, "ledger", "lock", "--through", "2026-03", "--override")
	ok(t, data, "ledger", "lock", "--through", "2026-03", "--override", "--why", "银行多出的 500 元待查，业委会决定先公示")
	// A later line in the locked month is refused, nothing written.
	more := writeFile(t, t.TempDir(), "m.csv", "交易日期,摘要,贷方发生额,借方发生额,余额\n2026-03-02,停车费,1000,,1500\n2026-03-20,x,1,,1501\n")
	if r := fails(t, data, "bank", "import", more, "--account", "public"); !strings.Contains(r.stderr, "锁定") {
		t.Errorf("import into a locked month: %q", r.stderr)
	}
}

func TestBank_ImportRefusesBadStatementsWholly(t *testing.T) {
	data := t.TempDir()
	ok(t, data, "init", "--name", "阳光花园")
	dir := t.TempDir()
	head := "交易日期,摘要,收入金额,支出金额,余额,流水号\n"
	good := writeFile(t, dir, "good.csv", "账号 6222 0000 1111\n"+head+"2026-03-01,a,100,,100,A1\n2026-03-02,b,,30,70,A2\n")
	ok(t, data, "bank", "import", good, "--account", "service")
	for _, c := range []struct{ name, body, want string }{
		{"gap.csv", head + "2026-03-03,c,10,,80,A3\n2026-03-04,d,10,,95,A4\n", "第 3 行"},
		{"other.csv", "账号 6222 9999 8888\n" + head + "2026-03-03,c,10,,80,A3\n", "622299998888"},
		{"jump.csv", head + "2026-03-03,c,10,,500,A3\n", "接不上"},
		{"cols.csv", "日期,内容,钱\n2026-03-01,a,1\n", "--rules"},
	} {
		r := fails(t, data, "bank", "import", writeFile(t, dir, c.name, c.body), "--account", "service")
		if !strings.Contains(r.stderr, c.want) || !strings.Contains(r.stderr, "没有导入") {
			t.Errorf("%s: %q", c.name, r.stderr)
		}
	}
	if out := ok(t, data, "bank", "lines", "--account", "service", "--json").stdout; strings.Count(out, `"line"`) != 2 {
		t.Errorf("a refused import wrote lines: %s", out)
	}
	// GBK, a continuing statement and a rules file.
	gbk, _ := simplifiedchinese.GBK.NewEncoder().String("记账日期,附言,发生金额,当前余额,凭证号\n2026-03-02,b,-30,70,A2\n2026-03-05,c,+5.5,75.50,A3\n")
	rules := writeFile(t, dir, "r.rules", "date 记账日期\namount 发生金额\nbalance 当前余额\nserial 凭证号\ndescription 附言\n")
	r := ok(t, data, "bank", "import", writeFile(t, dir, "gbk.csv", gbk), "--account", "service", "--rules", rules, "--json")
	if !strings.Contains(r.stdout, `"added": 1`) || !strings.Contains(r.stdout, `"skipped": 1`) {
		t.Errorf("GBK with rules: %s", r.stdout)
	}
	fails(t, data, "bank", "import", good, "--account", "收入:公共收益:停车费")
}

func TestCashBox_VerifyWarnsOfCashOverTheLimitAndNotBanked(t *testing.T) {
	data := t.TempDir()
	ok(t, data, "init", "--name", "阳光花园")
	ok(t, data, "income", "add", "--fund", "public", "--kind", "parking", "--amount", "8000", "--method", "cash", "--date", "2026-03-01")
	if r := ok(t, data, "verify"); strings.Contains(r.stdout, "警告") {
		t.Errorf("warned without limits: %s", r.stdout)
	}
	ok(t, data, "ledger", "cash-limit", "--fund", "public", "--amount", "5000", "--days", "7")
	r := ok(t, data, "verify")
	for _, w := range []string{"警告：公共收益库存现金 ¥8,000.00，超过限额 ¥5,000.00", "警告：公共收益有 ¥8,000.00 现金收款超过 7 天未存入银行（最早 2026-03-01）"} {
		if !strings.Contains(r.stdout, w) {
			t.Errorf("verify lacks %q:\n%s", w, r.stdout)
		}
	}
	ok(t, data, "ledger", "deposit", "--fund", "public", "--amount", "8000", "--slip", "S1", "--date", "2026-03-02", "--as", "李财务",
		"--scan", writeFile(t, t.TempDir(), "S1.jpg", "缴款单 S1"))
	if r := ok(t, data, "verify"); strings.Count(r.stdout, "警告") != 1 || !strings.Contains(r.stdout, "1 笔现金存款（合计 ¥8,000.00，最早 2026-03-02）尚待另一位成员核对缴款单后确认") {
		t.Errorf("after the cash was banked, only the confirmation should be awaited: %s", r.stdout)
	}
	ok(t, data, "members", "add", "--name", "张主任", "--role", "chair", "--passphrase-file", writeFile(t, t.TempDir(), "p.txt", "pass-张主任\n"))
	asOK(t, data, "pass-张主任", "ledger", "deposit-confirm", "--slip", "S1", "--as", "张主任")
	if r := ok(t, data, "verify"); strings.Contains(r.stdout, "警告") {
		t.Errorf("still warns after the deposit was confirmed: %s", r.stdout)
	}
}

func TestBank_ImportXLSXWithNumberCells(t *testing.T) {
	data := t.TempDir()
	ok(t, data, "init", "--name", "阳光花园")
	f := excelize.NewFile()
	rows := [][]any{{"交易日期", "摘要", "贷方发生额", "借方发生额", "余额", "交易流水号"},
		{"2026-03-01", "存款", 1234.5, nil, 1234.5, "X1"}, {"2026-03-02", "转账", nil, 34.5, 1200, "X2"}}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	style, _ := f.NewStyle(&excelize.Style{NumFmt: 4}) // #,##0.00
	f.SetCellStyle("Sheet1", "C2", "E3", style)
	p := filepath.Join(t.TempDir(), "s.xlsx")
	if err := f.SaveAs(p); err != nil {
		t.Fatal(err)
	}
	r := ok(t, data, "bank", "import", p, "--account", "service", "--json")
	if !strings.Contains(r.stdout, `"added": 2`) {
		t.Errorf("xlsx: %s", r.stdout)
	}
	if out := ok(t, data, "bank", "lines", "--account", "service", "--json").stdout; !strings.Contains(out, `"balance": "1200.00"`) || !strings.Contains(out, `"out": "34.50"`) {
		t.Errorf("lines: %s", out)
	}
}

// TestBank_SnapshotCarriesFiguresAndMatchesNeverCounterparties: bank.json holds the
// lines' numbers, dates, amounts and matches and the reconciliations; no file of the
// snapshot names a counterparty or repeats the bank's descriptions.
func TestBank_SnapshotCarriesFiguresAndMatchesNeverCounterparties(t *testing.T) {
	data, stmt := bankBook(t)
	ok(t, data, "bank", "import", stmt, "--account", bankAcct)
	ok(t, data, "bank", "match", "--account", bankAcct, "--auto")
	dir := t.TempDir()
	pass := writeFile(t, dir, "pass", "正确的口令 correct horse\n")
	ok(t, data, "keys", "new", "--out", filepath.Join(dir, "ck"), "--passphrase-file", pass)
	out := filepath.Join(dir, "s.zip")
	ok(t, data, "snapshot", "export", "--key", filepath.Join(dir, "ck.key"), "--out", out, "--passphrase-file", pass)
	zr, err := zip.OpenReader(out)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	var bank []byte
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(rc)
		rc.Close()
		for _, secret := range []string{"张三", "某广告公司", "停车费,1000"} {
			if strings.Contains(string(b), secret) {
				t.Errorf("%s names %q", f.Name, secret)
			}
		}
		if f.Name == "bank.json" {
			bank = b
		}
	}
	var files []struct {
		Account string
		Lines   []struct {
			Line    int64
			Entries []int64
		}
		Reconciliations []map[string]any
	}
	if err := json.Unmarshal(bank, &files); err != nil {
		t.Fatalf("bank.json: %v\n%s", err, bank)
	}
	if len(files) != 1 || files[0].Account != bankAcct || len(files[0].Lines) != 5 || len(files[0].Lines[0].Entries) != 1 {
		t.Fatalf("bank.json: %s", bank)
	}
	march := files[0].Reconciliations[0]
	if march["period"] != "2026-03" || march["bank_balance"] != "7993.50" || march["difference"] != "0.00" {
		t.Errorf("March in bank.json: %v", march)
	}
	ok(t, dir, "snapshot", "verify", out, "--pub", filepath.Join(dir, "ck.pub"))
}

func TestBank_BatchSettlementIsProposedThenConfirmed(t *testing.T) {
	data := t.TempDir()
	ok(t, data, "init", "--name", "阳光花园")
	for _, a := range []string{"200", "300"} {
		ok(t, data, "income", "add", "--fund", "public", "--kind", "parking", "--amount", a, "--date", "2026-03-05")
	}
	stmt := writeFile(t, t.TempDir(), "s.csv", "交易日期,摘要,收入金额,支出金额,余额\n2026-03-06,微信结算,500.00,,500.00\n")
	ok(t, data, "bank", "import", stmt, "--account", "public")
	r := ok(t, data, "bank", "match", "--account", "public", "--auto")
	if !strings.Contains(r.stdout, "--line 1 --entry 1,2") {
		t.Errorf("no batch proposed: %s", r.stdout)
	}
	ok(t, data, "bank", "match", "--account", "public", "--batches")
	if out := ok(t, data, "bank", "lines", "--account", "public", "--json").stdout; !strings.Contains(out, `"entries": [
      1,
      2
    ]`) {
		t.Errorf("batch not confirmed: %s", out)
	}
	if js := ok(t, data, "bank", "reconcile", "--account", "public", "--period", "2026-03", "--json").stdout; !strings.Contains(js, `"book_balance": "500.00"`) || !strings.Contains(js, `"difference": "0.00"`) || strings.Contains(js, `"in": "500.00"`) {
		t.Errorf("reconcile: %s", js)
	}
}
