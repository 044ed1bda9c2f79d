package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

// TestCLI_MaintenanceFundFollowsTheVote drives the maintenance fund's contract
// (docs/maintenance.md) through the binary: the opening of the sub-ledger, a matters file
// with item, fund, cap and scope, a tally counted within the scope, the cap, the units'
// shares, the announcement and its 公示期, and the sub-ledger after the repair.
func TestCLI_MaintenanceFundFollowsTheVote(t *testing.T) {
	data := chainCLI(t)
	dir := t.TempDir()
	ok(t, data, "units", "import", writeFile(t, dir, "reg.csv", voteRegister+"3-1-101,residential,150,O5,孙八,\n"))

	// The opening: all or nothing, then refused once the fund has moved.
	fails(t, data, "maintenance", "opening", writeFile(t, dir, "bad.csv", "房号,金额\n1-1-101,10000\n9-9-999,1\n"))
	if out := ok(t, data, "maintenance", "ledger", "--json").stdout; strings.Contains(out, `"balance": "1`) {
		t.Fatalf("a refused opening left balances: %s", out)
	}
	ok(t, data, "maintenance", "opening", writeFile(t, dir, "open.csv", "房号,金额,首期交存额\n1-1-101,10000,\n1-1-102,100,4525\n1-1-201,8000,\n1-1-202,12000,\n2-1-101,5000,\n2-1-102,5000,\n2-1-201,4750,\n3-1-101,7500,\n"), "--date", "2025-01-02")
	fails(t, data, "maintenance", "opening", writeFile(t, dir, "again.csv", "unit,amount\n1-1-101,1\n"))

	// Matters: item (六) put as ordinary is refused; the scope must be in the register.
	r := fails(t, data, "vote", "new", "--title", "x", "--matters", writeFile(t, dir, "m0.csv", "no,title,kind\n1,续筹专项维修资金,ordinary\n"))
	if !strings.Contains(r.stderr, "（六）") {
		t.Errorf("item 6 as ordinary: %s", r.stderr)
	}
	fails(t, data, "vote", "new", "--title", "x", "--matters", writeFile(t, dir, "m1.csv", "no,title,kind,item,fund,cap,scope\n1,更换电梯,ordinary,5,maintenance,30000,9\n"))
	fails(t, data, "vote", "new", "--title", "x", "--matters", writeFile(t, dir, "m2.csv", "no,title,kind,item,fund,cap,scope\n1,更换电梯,ordinary,5,maintenance,0,1\n"))
	matters := writeFile(t, dir, "m.csv", "no,title,kind,item,fund,cap,scope\n"+
		"1,使用维修资金更换1号楼电梯,ordinary,5,maintenance,30000,1\n"+
		"2,续筹专项维修资金,major,6,,,\n"+
		"3,更换全部楼宇外墙,ordinary,5,maintenance,90000,\n")
	r = ok(t, data, "vote", "new", "--title", "电梯", "--matters", matters, "--date", "2025-03-10")
	vote := r.lastWord()
	if !strings.Contains(r.stdout, "超出 ¥37,650.00") { // 90000 - 52350 held
		t.Errorf("no warning naming the excess of the cap over the fund: %s", r.stdout)
	}
	// Building 1 agrees on matter 1; building 2 and 3 oppose everything.
	ballots := "ballot_no,unit,m1,m2,m3,invalid_reason,proxy\n" +
		"1,1-1-101,agree,agree,agree,,\n2,1-1-102,agree,agree,agree,,\n3,1-1-201,oppose,agree,agree,,\n" +
		"4,2-1-101,oppose,oppose,oppose,,\n5,2-1-201,oppose,oppose,oppose,,\n6,3-1-101,oppose,oppose,oppose,,\n"
	f := writeFile(t, dir, "b.csv", ballots)
	ok(t, data, "vote", "enter", "--vote", vote, "--entry", "A", f)
	ok(t, data, "vote", "enter", "--vote", vote, "--entry", "B", f)
	var tally struct {
		Total   struct{ Heads int }
		Matters []struct {
			No     int
			Passed bool
			Scope  []string
			Total  *struct {
				Area  string
				Heads int
			}
			Participating *struct{ Heads int }
			QuorumMet     *bool `json:"quorum_met"`
		}
	}
	if err := json.Unmarshal([]byte(ok(t, data, "vote", "tally", "--vote", vote, "--json").stdout), &tally); err != nil {
		t.Fatal(err)
	}
	m1, m3 := tally.Matters[0], tally.Matters[2]
	// Scope building 1: units 1-1-101/102/201/202, owners O1, O2, O3 (two units): 3 heads, 390.50 m².
	if len(m1.Scope) != 1 || m1.Total == nil || m1.Total.Heads != 3 || m1.Total.Area != "390.50" || m1.Participating.Heads != 3 || !*m1.QuorumMet || !m1.Passed {
		t.Errorf("matter 1 within its scope: %+v", m1)
	}
	if m3.Scope != nil || m3.Total != nil || m3.Passed || tally.Total.Heads != 6 {
		t.Errorf("matter 3 (whole community) %+v, total heads %d", m3, tally.Total.Heads)
	}

	apply := func(amount string, matter string) []string {
		return []string{"expense", "apply", "--as", "王经办", "--fund", "maintenance", "--category", "repair", "--payee", "电梯公司",
			"--amount", amount, "--desc", "更换1号楼电梯", "--vote", vote, "--matter", matter}
	}
	asFails(t, data, "pw-王经办", "没有通过", apply("1000", "3")...)
	asFails(t, data, "pw-王经办", "¥30,000.00", apply("30000.01", "1")...)
	// 1-1-102's share (90.5/390.5 of 20000 = 4635.08) is above its balance of 100.
	asFails(t, data, "pw-王经办", "1-1-102 4535.08", apply("20000", "1")...)
	ok(t, data, "income", "add", "--fund", "maintenance", "--kind", "deposit", "--unit", "1-1-102", "--amount", "5000", "--date", "2025-03-01")
	id := asOK(t, data, "pw-王经办", apply("20000", "1")...).lastWord()
	asFails(t, data, "pw-王经办", "¥10,000.00", apply("10000.01", "1")...) // 30000 - 20000 asked
	for _, who := range []string{"张主任", "陈委员"} {
		asOK(t, data, "pw-"+who, "expense", "approve", "--as", who, "--id", id)
	}
	asOK(t, data, "pw-赵复核", "expense", "review", "--as", "赵复核", "--id", id)
	asFails(t, data, "pw-李财务", "report tally", "expense", "pay", "--as", "李财务", "--id", id)
	// A notice the settings refuse (no office phone yet) announces nothing.
	fails(t, data, "report", "tally", "--vote", vote, "--out", filepath.Join(dir, "t.pdf"))
	asFails(t, data, "pw-李财务", "report tally", "expense", "pay", "--as", "李财务", "--id", id)
	ok(t, data, "settings", "--office-phone", "0571-12345678")
	ok(t, data, "report", "tally", "--vote", vote, "--out", filepath.Join(dir, "t.pdf"))
	asFails(t, data, "pw-李财务", "公示期 15 天", "expense", "pay", "--as", "李财务", "--id", id)

	// A second assembly whose announcement was posted long ago: paid once its period is over.
	today := time.Now().Format("2006-01-02")
	posted := time.Now().AddDate(0, 0, -15).Format("2006-01-02")
	v2 := ok(t, data, "vote", "new", "--title", "电梯二", "--matters", writeFile(t, dir, "m3.csv", "no,title,kind,item,fund,cap,scope\n1,更换1号楼电梯,ordinary,5,maintenance,20000,1\n"), "--date", "2025-03-10").lastWord()
	f2 := writeFile(t, dir, "b2.csv", "ballot_no,unit,m1,invalid_reason,proxy\n1,1-1-101,agree,,\n2,1-1-102,agree,,\n3,1-1-201,agree,,\n")
	ok(t, data, "vote", "enter", "--vote", v2, "--entry", "A", f2)
	ok(t, data, "vote", "enter", "--vote", v2, "--entry", "B", f2)
	ok(t, data, "report", "tally", "--vote", v2, "--date", posted, "--out", filepath.Join(dir, "t2.pdf"))
	id2 := asOK(t, data, "pw-王经办", "expense", "apply", "--as", "王经办", "--fund", "maintenance", "--category", "repair", "--payee", "电梯公司",
		"--amount", "10000", "--desc", "更换1号楼电梯", "--vote", v2, "--matter", "1").lastWord()
	for _, who := range []string{"张主任", "陈委员"} {
		asOK(t, data, "pw-"+who, "expense", "approve", "--as", who, "--id", id2)
	}
	asOK(t, data, "pw-赵复核", "expense", "review", "--as", "赵复核", "--id", id2)
	asOK(t, data, "pw-李财务", "expense", "pay", "--as", "李财务", "--id", id2, "--date", today)

	// The sub-ledger: building 1 bore the repair by area; the units add up to the fund.
	var led []struct {
		Unit, Balance string
		First         string `json:"first_deposit"`
		Below         bool   `json:"below_30pct"`
	}
	if err := json.Unmarshal([]byte(ok(t, data, "maintenance", "ledger", "--json").stdout), &led); err != nil {
		t.Fatal(err)
	}
	var sum decimal.Decimal
	bal := map[string]string{}
	for _, u := range led {
		sum = sum.Add(decimal.RequireFromString(u.Balance))
		bal[u.Unit] = u.Balance
	}
	var bals []struct{ Account, Balance string }
	json.Unmarshal([]byte(ok(t, data, "ledger", "balance", "--json").stdout), &bals)
	var held decimal.Decimal
	for _, b := range bals {
		if strings.HasPrefix(b.Account, "资产:维修资金:") && (strings.HasSuffix(b.Account, "银行存款") || strings.HasSuffix(b.Account, "库存现金")) {
			held = held.Add(decimal.RequireFromString(b.Balance))
		}
	}
	if !sum.Equal(held) || !held.Equal(decimal.RequireFromString("47350")) {
		t.Errorf("units add up to %s, the fund holds %s", sum, held)
	}
	// 10000 over 390.5 m²: 100 → 2560.82, 90.5 → 2317.54, 80 → 2048.66, 120 → 3072.98.
	for unit, want := range map[string]string{"1-1-101": "7439.18", "1-1-102": "2782.46", "1-1-201": "5951.34", "1-1-202": "8927.02", "2-1-101": "5000.00"} {
		if bal[unit] != want {
			t.Errorf("%s balance %s, want %s", unit, bal[unit], want)
		}
	}
	if out := ok(t, data, "maintenance", "ledger", "--unit", "1-1-102", "--json").stdout; !strings.Contains(out, `"first_deposit": "4525.00"`) || !strings.Contains(out, `"kind": "repair"`) {
		t.Errorf("one unit's ledger: %s", out)
	}
	ok(t, data, "report", "fund-unit", "--unit", "1-1-102", "--out", filepath.Join(dir, "u.pdf"))
	ok(t, data, "report", "fund-topup", "--out", filepath.Join(dir, "topup.pdf"))
	ok(t, data, "verify")
}
