package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestCLI_StagedRepairPaysAdvanceAcceptanceAndHoldsTheRetention drives a staged
// maintenance-fund payment (docs/maintenance.md) through the binary: a plan on the
// request, a refused acceptance before the advance, the advance, the signed 验收, the
// acceptance stage, and the retention refused before its date; every refusal writes nothing.
func TestCLI_StagedRepairPaysAdvanceAcceptanceAndHoldsTheRetention(t *testing.T) {
	t.Parallel()
	data := chainCLI(t)
	dir := t.TempDir()
	ok(t, data, "units", "import", writeFile(t, dir, "reg.csv", voteRegister))
	ok(t, data, "maintenance", "opening", writeFile(t, dir, "open.csv", "房号,金额\n1-1-101,5000\n1-1-102,5000\n1-1-201,5000\n1-1-202,5000\n2-1-101,5000\n2-1-102,5000\n2-1-201,5000\n"), "--date", "2025-01-02")
	ok(t, data, "settings", "--office-phone", "0571-12345678")
	vote := ok(t, data, "vote", "new", "--title", "电梯", "--matters", writeFile(t, dir, "m.csv", "no,title,kind,item,fund,cap,scope\n1,更换1号楼电梯,ordinary,5,maintenance,10000,1\n"), "--date", "2025-03-10").lastWord()
	f := writeFile(t, dir, "b.csv", "ballot_no,unit,m1,invalid_reason,proxy\n1,1-1-101,agree,,\n2,1-1-102,agree,,\n3,1-1-201,agree,,\n")
	ok(t, data, "vote", "enter", "--vote", vote, "--entry", "A", f)
	ok(t, data, "vote", "enter", "--vote", vote, "--entry", "B", f)
	ok(t, data, "report", "tally", "--vote", vote, "--date", time.Now().AddDate(0, 0, -20).Format("2006-01-02"), "--out", filepath.Join(dir, "t.pdf"))

	tomorrow := time.Now().AddDate(0, 0, 1).Format("2006-01-02")
	apply := []string{"expense", "apply", "--as", "王经办", "--fund", "maintenance", "--category", "repair", "--payee", "电梯公司",
		"--amount", "10000", "--desc", "更换1号楼电梯", "--vote", vote, "--matter", "1"}
	asFails(t, data, "pw-王经办", "合计 95%", append(apply, "--stages", "advance=30%,acceptance=60%,retention=5%:"+tomorrow)...)
	asFails(t, data, "pw-王经办", "质保金要写明到期日", append(apply, "--stages", "advance=30%,acceptance=65%,retention=5%")...)
	id := asOK(t, data, "pw-王经办", append(apply, "--stages", "advance=30%,acceptance=65%,retention=5%:"+tomorrow)...).lastWord()
	asFails(t, data, "pw-王经办", "¥0.00", "expense", "apply", "--as", "王经办", "--fund", "maintenance", "--category", "repair", "--payee", "X",
		"--amount", "1", "--desc", "x", "--vote", vote, "--matter", "1") // the cap counts every stage
	for _, who := range []string{"张主任", "陈委员"} {
		asOK(t, data, "pw-"+who, "expense", "approve", "--as", who, "--id", id)
	}
	asOK(t, data, "pw-赵复核", "expense", "review", "--as", "赵复核", "--id", id)

	before := ok(t, data, "ledger", "balance", "--json").stdout
	asFails(t, data, "pw-张主任", "预付款还没有支付，不能验收", "expense", "accept", "--as", "张主任", "--id", id)
	asFails(t, data, "pw-李财务", "--stage", "expense", "pay", "--as", "李财务", "--id", id)
	asFails(t, data, "pw-李财务", "预付款还没有支付", "expense", "pay", "--as", "李财务", "--id", id, "--stage", "acceptance")
	if ok(t, data, "ledger", "balance", "--json").stdout != before {
		t.Fatal("a refusal moved money")
	}
	r := asOK(t, data, "pw-李财务", "expense", "pay", "--as", "李财务", "--id", id, "--stage", "advance")
	if !strings.Contains(r.stdout, "¥3,000.00") || !strings.Contains(r.stdout, "已付 ¥3,000.00 / ¥10,000.00") {
		t.Errorf("advance: %s", r.stdout)
	}
	asFails(t, data, "pw-李财务", "还没有验收", "expense", "pay", "--as", "李财务", "--id", id, "--stage", "acceptance")
	asFails(t, data, "pw-王经办", "申请人", "expense", "accept", "--as", "王经办", "--id", id)
	asOK(t, data, "pw-陈委员", "expense", "accept", "--as", "陈委员", "--id", id)
	asOK(t, data, "pw-李财务", "expense", "pay", "--as", "李财务", "--id", id, "--stage", "acceptance")
	asFails(t, data, "pw-李财务", tomorrow, "expense", "pay", "--as", "李财务", "--id", id, "--stage", "retention")

	var x struct {
		State  string
		Stages []struct {
			Name, Amount, Due string
			PaidDate          string `json:"paid_date"`
		}
		Accepted struct{ By, Date string }
	}
	if err := json.Unmarshal([]byte(ok(t, data, "expense", "show", "--id", id, "--json").stdout), &x); err != nil {
		t.Fatal(err)
	}
	today := time.Now().Format("2006-01-02")
	if x.State != "reviewed" || len(x.Stages) != 3 || x.Stages[1].Amount != "6500.00" || x.Stages[1].PaidDate != today || x.Stages[2].PaidDate != "" ||
		x.Stages[2].Due != tomorrow || x.Accepted.By != "陈委员" || x.Accepted.Date != today {
		t.Errorf("show --json: %+v", x)
	}
	// The stages paid so far are apportioned over building 1 only: building 2 keeps its 5000.
	var led []struct{ Unit, Balance string }
	json.Unmarshal([]byte(ok(t, data, "maintenance", "ledger", "--json").stdout), &led)
	for _, u := range led {
		if strings.HasPrefix(u.Unit, "2-") != (u.Balance == "5000.00") {
			t.Errorf("unit %s holds %s", u.Unit, u.Balance)
		}
	}
	ok(t, data, "expense", "verify")
	ok(t, data, "verify")
}
