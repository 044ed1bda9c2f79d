package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"sunledger/internal/testtool"
)

func TestCLI_MicroFundShareOfThePublicSurplus(t *testing.T) {
	t.Parallel()
	data := feesBook(t) // 2025 billed; the public fund gets ¥10,000.03 of parking income
	noticeSettings(t, data)
	ok(t, data, "income", "add", "--fund", "public", "--kind", "parking", "--amount", "10000.03", "--date", "2025-05-01")
	fails(t, data, "settlement", "run", "--year", "2025", "--microfund", "101%")
	fails(t, data, "settlement", "run", "--year", "2025", "--microfund", "-5%")
	fails(t, data, "settlement", "run", "--year", "2025", "--microfund", "abc")
	fails(t, data, "microfund", "move", "--year", "2025", "--share", "30%") // not settled yet
	r := ok(t, data, "settlement", "run", "--year", "2025", "--microfund", "30%", "--why", "第7次会议决议")
	if !strings.Contains(r.stdout, "3000.01") {
		t.Errorf("settlement run printed %q", r.stdout)
	}
	var s struct {
		Settled   bool
		MicroFund struct {
			Share, Surplus, Amount string
			Entry, Reversed        int64
		} `json:"micro_fund"`
	}
	if err := json.Unmarshal([]byte(ok(t, data, "settlement", "show", "--year", "2025", "--json").stdout), &s); err != nil {
		t.Fatal(err)
	}
	if !s.Settled || s.MicroFund.Share != "30" || s.MicroFund.Surplus != "10000.03" || s.MicroFund.Amount != "3000.01" || s.MicroFund.Entry == 0 {
		t.Fatalf("settlement show = %+v", s)
	}
	fails(t, data, "microfund", "move", "--year", "2025", "--share", "20%") // one move a year
	ok(t, data, "verify")
	// The export still balances in hledger, with the micro-fund on its own account.
	journal := filepath.Join(t.TempDir(), "books.journal")
	if err := os.WriteFile(journal, []byte(ok(t, data, "ledger", "export", "--format", "ledger").stdout), 0o600); err != nil {
		t.Fatal(err)
	}
	hledger := testtool.Require(t, "hledger")
	cmd := exec.Command(hledger, "-f", journal, "balance", "--flat", "-N", "--strict", "权益:公共收益:业主微基金")
	cmd.Env = append(os.Environ(), "LANG=C.UTF-8", "LC_ALL=C.UTF-8")
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "-3000.01") {
		t.Fatalf("hledger: %v\n%s", err, out)
	}
	// The settlement PDF shows it.
	pdf := filepath.Join(t.TempDir(), "settlement.pdf")
	ok(t, data, "report", "settlement", "--year", "2025", "--out", pdf)
	pdftotext := testtool.Require(t, "pdftotext")
	txt, err := exec.Command(pdftotext, "-enc", "UTF-8", pdf, "-").Output()
	if err != nil || !strings.Contains(string(txt), "业主微基金") || !strings.Contains(string(txt), "3,000.01") {
		t.Errorf("settlement PDF: %v\n%s", err, txt)
	}
	// Reversal is the undo; then another share may be moved.
	seq := strconv.FormatInt(s.MicroFund.Entry, 10)
	ok(t, data, "ledger", "reverse", "--seq", seq, "--why", "比例改为 20%")
	r = ok(t, data, "microfund", "show", "--year", "2025")
	if !strings.Contains(r.stdout, "#"+seq) {
		t.Errorf("microfund show after the reversal: %q", r.stdout)
	}
	r = ok(t, data, "microfund", "move", "--year", "2025", "--share", "20%")
	if !strings.Contains(r.stdout, "2000.01") {
		t.Errorf("microfund move printed %q", r.stdout)
	}
	ok(t, data, "verify")
	ok(t, data, "microfund", "move", "--help")
}

func TestCLI_MicroFundNoSurplusMovesNothing(t *testing.T) {
	t.Parallel()
	data := feesBook(t)
	r := ok(t, data, "settlement", "run", "--year", "2025", "--microfund", "30%")
	var s struct {
		MicroFund struct {
			Amount string
			Entry  int64
		} `json:"micro_fund"`
	}
	json.Unmarshal([]byte(ok(t, data, "settlement", "show", "--year", "2025", "--json").stdout), &s)
	if s.MicroFund.Amount != "0.00" || s.MicroFund.Entry != 0 {
		t.Errorf("no surplus: %+v\n%s", s, r.stdout)
	}
	ok(t, data, "verify")
}

// TestCLI_MicroFundProjectFromProposalToNotice: an owner's proposal, two committee
// members' approvals with their passphrases, the 公示, and no spending inside it.
func TestCLI_MicroFundProjectFromProposalToNotice(t *testing.T) {
	data := chainCLI(t)
	ok(t, data, "units", "import", writeFile(t, t.TempDir(), "u.csv", "unit,kind,area,owner_id\n1-1-101,residential,88,O1\n"))
	fails(t, data, "microfund", "propose", "--title", "滑梯翻新", "--amount", "800", "--by", "owner") // no unit
	fails(t, data, "microfund", "propose", "--title", "滑梯翻新", "--amount", "-8", "--by", "committee")
	id := ok(t, data, "microfund", "propose", "--title", "儿童滑梯翻新", "--amount", "800", "--by", "owner", "--unit", "1-1-101").lastWord()
	if id != "MF0001" {
		t.Fatalf("propose printed id %q", id)
	}
	fails(t, data, "microfund", "publish", "--id", id) // not approved
	asFails(t, data, "wrong", "口令不正确", "microfund", "approve", "--as", "张主任", "--id", id)
	asFails(t, data, "pw-王经办", "不是在任的业委会委员", "microfund", "approve", "--as", "王经办", "--id", id)
	asOK(t, data, "pw-张主任", "microfund", "approve", "--as", "张主任", "--id", id)
	asFails(t, data, "pw-张主任", "已经批准过", "microfund", "approve", "--as", "张主任", "--id", id)
	if r := asOK(t, data, "pw-陈委员", "microfund", "approve", "--as", "陈委员", "--id", id); !strings.Contains(r.stdout, "2/2") {
		t.Errorf("second approval printed %q", r.stdout)
	}
	if r := ok(t, data, "microfund", "publish", "--id", id); !strings.Contains(r.stdout, "公示期") {
		t.Errorf("publish printed %q", r.stdout)
	}
	fails(t, data, "microfund", "spend", "--id", id, "--expense", "E000001") // inside the 公示期
	var got struct {
		Balance  string `json:"balance"`
		Projects []struct {
			ID, State, Unit string
			Approvals       []string
		} `json:"projects"`
	}
	if err := json.Unmarshal([]byte(ok(t, data, "microfund", "projects", "--json").stdout), &got); err != nil {
		t.Fatal(err)
	}
	if got.Balance != "0.00" || len(got.Projects) != 1 || got.Projects[0].State != "published" || got.Projects[0].Unit != "1-1-101" || len(got.Projects[0].Approvals) != 2 {
		t.Errorf("projects: %+v", got)
	}
	ok(t, data, "verify")
}

// TestCLI_MicroFundShareOfThePublicIncome: with the base set to income, the share is
// taken of the year's public income, not its surplus.
func TestCLI_MicroFundShareOfThePublicIncome(t *testing.T) {
	data := feesBook(t)
	noticeSettings(t, data)
	ok(t, data, "income", "add", "--fund", "public", "--kind", "parking", "--amount", "10000.00", "--date", "2025-05-01")
	fails(t, data, "microfund", "base", "--base", "profit")
	if r := ok(t, data, "microfund", "base", "--base", "income", "--why", "业主大会决定"); !strings.Contains(r.stdout, "收入") {
		t.Errorf("microfund base printed %q", r.stdout)
	}
	r := ok(t, data, "settlement", "run", "--year", "2025", "--microfund", "30%")
	if !strings.Contains(r.stdout, "公共收益收入") || !strings.Contains(r.stdout, "3000.00") {
		t.Errorf("settlement run printed %q", r.stdout)
	}
	var s struct {
		MicroFund struct{ Base, Income, Amount string } `json:"micro_fund"`
	}
	if err := json.Unmarshal([]byte(ok(t, data, "settlement", "show", "--year", "2025", "--json").stdout), &s); err != nil {
		t.Fatal(err)
	}
	if s.MicroFund.Base != "income" || s.MicroFund.Income != "10000.00" || s.MicroFund.Amount != "3000.00" {
		t.Errorf("settlement show: %+v", s.MicroFund)
	}
	ok(t, data, "verify")
}
