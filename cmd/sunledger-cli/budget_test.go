package main

import (
	"encoding/json"
	"path/filepath"
	"strconv"
	"strings"
	"sunledger/internal/testtool"
	"testing"
	"time"
)

func TestCLI_BudgetRemunerationSettlement(t *testing.T) {
	t.Parallel()
	data := feesBook(t) // 2025-01..03 billed: 10-1-101 100 m², 2-1-101 88.50, 2-1-1501 90.10 at 1.20, P-001 12.35 at 0.35
	noticeSettings(t, data)
	ok(t, data, "budget", "set", "--year", "2025", "--fund", "service", "--category", "cleaning", "--amount", "12000")
	r := ok(t, data, "budget", "set", "--year", "2025", "--fund", "service", "--category", "remuneration", "--amount", "600")
	if r.lastWord() != "2025:service:remuneration" {
		t.Errorf("budget set printed %q", r.stdout)
	}
	fails(t, data, "budget", "set", "--year", "2025", "--fund", "maintenance", "--category", "cleaning", "--amount", "1")
	fails(t, data, "budget", "approve", "--year", "2025")
	fails(t, data, "budget", "approve", "--year", "2025", "--vote", "V0099", "--matter", "1")
	ok(t, data, "budget", "approve", "--year", "2025", "--decision", "2025年第1次会议")
	fails(t, data, "budget", "set", "--year", "2025", "--fund", "service", "--category", "staff", "--amount", "1")

	fails(t, data, "remuneration", "accrue", "--month", "2025-01")
	ok(t, data, "remuneration", "contract", "--percent", "15", "--base", "billed", "--from", "2025-01", "--bands", "90:1,0:0.9")
	ok(t, data, "assessment", "add", "--quarter", "2025Q1", "--item", "保洁:50:80", "--item", "安保:50:100")
	r = ok(t, data, "remuneration", "accrue", "--month", "2025-01", "--to", "2025-03")
	// monthly fees 100×1.2 + 88.5×1.2 + 90.1×1.2 + 12.35×0.35 = 338.64 (each bill rounded); 15% × 1 (score 90) = 50.80
	if !strings.Contains(r.stdout, "2025-01") || !strings.Contains(r.stdout, "¥50.80") {
		t.Errorf("accrue printed %q", r.stdout)
	}
	fails(t, data, "remuneration", "accrue", "--month", "2025-02")

	var b struct {
		State string
		Lines []struct {
			Line, Budget, Actual string
			Months               []string
		}
	}
	if err := json.Unmarshal([]byte(ok(t, data, "budget", "show", "--year", "2025", "--json").stdout), &b); err != nil {
		t.Fatal(err)
	}
	if b.State != "approved" || len(b.Lines) != 2 || b.Lines[1].Line != "2025:service:remuneration" || b.Lines[1].Actual != "152.40" || b.Lines[1].Months[0] != "50.80" {
		t.Errorf("budget show = %+v", b)
	}
	var s struct {
		Settled bool
		Funds   []struct{ Fund, Remuneration, Surplus, Closing string }
	}
	if err := json.Unmarshal([]byte(ok(t, data, "settlement", "show", "--year", "2025", "--json").stdout), &s); err != nil {
		t.Fatal(err)
	}
	if s.Settled || s.Funds[0].Remuneration != "152.40" || s.Funds[0].Surplus != "863.52" {
		t.Errorf("settlement preview = %+v", s)
	}
	ok(t, data, "settlement", "run", "--year", "2025")
	fails(t, data, "settlement", "run", "--year", "2025")
	fails(t, data, "settlement", "run", "--year", time.Now().Format("2006"))
	fails(t, data, "fees", "pay", "--unit", "10-1-101", "--amount", "10", "--date", "2025-12-01")
	// An audit of the settled year is printed on its notice; a year not settled takes none.
	fails(t, data, "settlement", "audit", "--year", time.Now().Format("2006"), "--by", "明信会计师事务所", "--report", "明信审字第3号")
	fails(t, data, "settlement", "audit", "--year", "2025", "--by", "明信会计师事务所")
	ok(t, data, "settlement", "audit", "--year", "2025", "--by", "明信会计师事务所", "--report", "明信审字第3号", "--date", "2026-02-01")
	out := t.TempDir()
	// Each document states its year's figures: the remuneration accrued above and the
	// settlement's surplus.
	for k, want := range map[string][]string{
		"budget": {"2025年度预算及执行情况公示", "¥152.40"},
		"settlement": {"2025年度统结统算公示", "¥152.40", "¥863.52", "基数×比例×季度考核系数", "2025Q1¥1,015.92", "90.001", "已计提尚未支付的酬金¥152.40，最早自2025-01起未付",
			"由明信会计师事务所审计，审计报告明信审字第3号（2026-02-01）", "社区复核"},
		"fund": {"2025"},
	} {
		path := filepath.Join(out, k+".pdf")
		r := ok(t, data, "report", k, "--year", "2025", "--out", path)
		if r.lastWord() != path {
			t.Errorf("report %s printed %q", k, r.stdout)
		}
		text := testtool.Squeeze(testtool.PDFText(t, path, "-layout")) // row by row, whatever the page position
		for _, w := range want {
			if !strings.Contains(text, w) {
				t.Errorf("report %s lacks %q:\n%s", k, w, text)
			}
		}
	}
	fails(t, data, "report", "budget", "--year", "20x5", "--out", filepath.Join(out, "x.pdf"))
	ok(t, data, "verify")
	ok(t, data, "expense", "verify")
}

func TestCLI_DemoRunsTheWholeChain(t *testing.T) {
	t.Parallel()
	data := t.TempDir()
	ok(t, data, "demo", "--units", "80", "--years", "2")
	var list []struct{ ID, State, Fund string }
	if err := json.Unmarshal([]byte(ok(t, data, "expense", "list", "--json").stdout), &list); err != nil {
		t.Fatal(err)
	}
	states := map[string]int{}
	maintenance := 0
	for _, x := range list {
		states[x.State]++
		if x.Fund == "maintenance" {
			maintenance++
		}
	}
	for _, s := range []string{"applied", "approved", "paid", "rejected"} {
		if states[s] == 0 {
			t.Errorf("the demo has no request in state %s: %v", s, states)
		}
	}
	if maintenance != 1 {
		t.Errorf("demo maintenance-fund requests = %d", maintenance)
	}
	last := time.Now().Year() - 1
	var s struct{ Settled bool }
	if err := json.Unmarshal([]byte(ok(t, data, "settlement", "show", "--year", strconv.Itoa(last), "--json").stdout), &s); err != nil {
		t.Fatal(err)
	}
	if !s.Settled {
		t.Errorf("the demo did not settle %d", last)
	}
	ok(t, data, "verify")
	ok(t, data, "expense", "verify")
	// Anyone trying the demo can sign with the documented passphrase.
	var applied string
	for _, x := range list {
		if x.State == "applied" {
			applied = x.ID
		}
	}
	if applied == "" {
		t.Fatal("the demo has no request waiting for signatures")
	}
	var ms []struct{ Name, Role string }
	if err := json.Unmarshal([]byte(ok(t, data, "members", "list", "--json").stdout), &ms); err != nil {
		t.Fatal(err)
	}
	for _, m := range ms {
		if m.Role == "chair" {
			r := as(t, data, "sunledger-demo", "expense", "approve", "--as", m.Name, "--id", applied)
			if r.code != 0 && !strings.Contains(r.stderr, "已经签过") {
				t.Errorf("demo approval: %s", r.stderr)
			}
		}
	}
}
