package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// as runs the CLI with a member's passphrase in SUNLEDGER_PASSPHRASE.
func as(t *testing.T, data, pass string, args ...string) result {
	t.Helper()
	cmd := exec.Command(binPath, append([]string{"--data", data}, args...)...)
	cmd.Env = append(os.Environ(), "LANG=zh_CN.UTF-8", "SUNLEDGER_LANG=", "SUNLEDGER_PASSPHRASE="+pass)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	r := result{stdout: out.String(), stderr: errb.String()}
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		r.code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("run %v: %v", args, err)
	}
	return r
}

func asOK(t *testing.T, data, pass string, args ...string) result {
	t.Helper()
	r := as(t, data, pass, args...)
	if r.code != 0 {
		t.Fatalf("%v: exit %d\nstdout: %s\nstderr: %s", args, r.code, r.stdout, r.stderr)
	}
	return r
}

// asFails expects a refusal with a one-line message containing want.
func asFails(t *testing.T, data, pass, want string, args ...string) {
	t.Helper()
	r := as(t, data, pass, args...)
	if r.code == 0 {
		t.Fatalf("%v: succeeded, want an error\nstdout: %s", args, r.stdout)
	}
	if strings.Count(strings.TrimSpace(r.stderr), "\n") != 0 || !strings.Contains(r.stderr, want) {
		t.Errorf("%v: stderr %q, want one line containing %q", args, r.stderr, want)
	}
}

// chainCLI is a book with the five roles (passphrase "pw-"+name) and 10,000 of parking
// income in the public fund.
func chainCLI(t *testing.T) string {
	t.Helper()
	data := t.TempDir()
	ok(t, data, "init", "--name", "测试小区")
	for _, m := range [][2]string{{"王经办", "clerk"}, {"张主任", "chair"}, {"李财务", "treasurer"}, {"陈委员", "member"}, {"赵复核", "reviewer"}} {
		r := asOK(t, data, "pw-"+m[0], "members", "add", "--name", m[0], "--role", m[1])
		if r.lastWord() != m[0] {
			t.Fatalf("members add printed %q", r.stdout)
		}
	}
	ok(t, data, "income", "add", "--fund", "public", "--kind", "parking", "--amount", "10000")
	return data
}

func TestCLI_ExpenseChainEndToEnd(t *testing.T) {
	t.Parallel()
	data := chainCLI(t)
	dir := t.TempDir()
	scan := bytes.Repeat([]byte{0xff, 0xd8, 0x01}, 200000)
	inv := filepath.Join(dir, "发票.jpg")
	if err := os.WriteFile(inv, scan, 0o600); err != nil {
		t.Fatal(err)
	}
	r := asOK(t, data, "pw-王经办", "expense", "apply", "--as", "王经办", "--fund", "public", "--category", "cleaning",
		"--payee", "清洁公司", "--amount", "1234.50", "--desc", "五月保洁", "--attach", inv)
	id := r.lastWord()
	if id != "E000001" {
		t.Fatalf("apply printed %q", r.stdout)
	}

	// Abuse, each refused with a clear reason.
	asFails(t, data, "pw-王经办", "申请人", "expense", "approve", "--as", "王经办", "--id", id)
	asFails(t, data, "wrong", "口令不正确", "expense", "approve", "--as", "张主任", "--id", id)
	asFails(t, data, "pw-李财务", "尚未完成审批", "expense", "pay", "--as", "李财务", "--id", id)
	asOK(t, data, "pw-张主任", "expense", "approve", "--as", "张主任", "--id", id)
	asFails(t, data, "pw-张主任", "已经签过", "expense", "approve", "--as", "张主任", "--id", id)
	asFails(t, data, "pw-赵复核", "只有业委会成员", "expense", "approve", "--as", "赵复核", "--id", id)
	asFails(t, data, "pw-赵复核", "还没有两位委员联签", "expense", "review", "--as", "赵复核", "--id", id)
	r = asOK(t, data, "pw-陈委员", "expense", "approve", "--as", "陈委员", "--id", id)
	if !strings.Contains(r.stdout, "2/2") || r.lastWord() != id {
		t.Errorf("second approval printed %q", r.stdout)
	}
	asFails(t, data, "pw-李财务", "社区复核", "expense", "pay", "--as", "李财务", "--id", id)
	asOK(t, data, "pw-赵复核", "expense", "review", "--as", "赵复核", "--id", id)
	asFails(t, data, "pw-张主任", "只有财务委员", "expense", "pay", "--as", "张主任", "--id", id)
	r = asOK(t, data, "pw-李财务", "expense", "pay", "--as", "李财务", "--id", id)
	if r.lastWord() != id {
		t.Errorf("pay printed %q", r.stdout)
	}
	asFails(t, data, "pw-李财务", "已于", "expense", "pay", "--as", "李财务", "--id", id)

	var list []struct {
		ID          string `json:"id"`
		State       string `json:"state"`
		Amount      string `json:"amount"`
		Entry       int64  `json:"entry"`
		Attachments []struct {
			SHA256 string `json:"sha256"`
			Size   int64  `json:"size"`
		} `json:"attachments"`
		Signatures []struct {
			Step, Signer string
		} `json:"signatures"`
	}
	out := ok(t, data, "expense", "list", "--json").stdout
	if err := json.Unmarshal([]byte(out), &list); err != nil {
		t.Fatalf("list --json: %v\n%s", err, out)
	}
	if len(list) != 1 || list[0].State != "paid" || list[0].Amount != "1234.50" || len(list[0].Signatures) != 5 || list[0].Entry != 2 ||
		len(list[0].Attachments) != 1 || list[0].Attachments[0].Size != int64(len(scan)) {
		t.Fatalf("list = %+v", list)
	}
	var bals []struct{ Account, Balance string }
	if err := json.Unmarshal([]byte(ok(t, data, "ledger", "balance", "--json").stdout), &bals); err != nil {
		t.Fatal(err)
	}
	for _, b := range bals {
		if b.Account == "资产:公共收益:银行存款" && b.Balance != "8765.50" || b.Account == "支出:公共收益:清洁卫生" && b.Balance != "1234.50" {
			t.Errorf("%s = %s", b.Account, b.Balance)
		}
	}
	saved := filepath.Join(dir, "out.jpg")
	ok(t, data, "expense", "attachment", "--id", id, "--out", saved)
	if b, _ := os.ReadFile(saved); !bytes.Equal(b, scan) {
		t.Error("the attachment did not come back intact")
	}
	ok(t, data, "verify")
	ok(t, data, "expense", "verify")

	// Overspending the fund, a budget line of another fund, the maintenance fund
	// without a vote, a rejection without a reason.
	big := asOK(t, data, "", "expense", "apply", "--as", "王经办", "--fund", "public", "--category", "upkeep", "--payee", "道闸公司", "--amount", "9000", "--desc", "更换道闸").lastWord()
	for _, m := range []string{"张主任", "陈委员"} {
		asOK(t, data, "pw-"+m, "expense", "approve", "--as", m, "--id", big)
	}
	asOK(t, data, "pw-赵复核", "expense", "review", "--as", "赵复核", "--id", big)
	asFails(t, data, "pw-李财务", "不足以支付", "expense", "pay", "--as", "李财务", "--id", big)
	asFails(t, data, "", "资金之间不能挪用", "expense", "apply", "--as", "王经办", "--fund", "public", "--category", "cleaning", "--payee", "x", "--amount", "1", "--desc", "x", "--budget-line", "2026:service:cleaning")
	asFails(t, data, "", "表决", "expense", "apply", "--as", "王经办", "--fund", "maintenance", "--category", "repair", "--payee", "x", "--amount", "1", "--desc", "x")
	asFails(t, data, "pw-张主任", "--reason", "expense", "reject", "--as", "张主任", "--id", big)
	r = asOK(t, data, "pw-张主任", "expense", "reject", "--as", "张主任", "--id", big, "--reason", "报价过高，重新比价")
	if !strings.Contains(r.stdout, "已驳回") {
		t.Errorf("reject printed %q", r.stdout)
	}
	asFails(t, data, "pw-李财务", "已被驳回", "expense", "pay", "--as", "李财务", "--id", big)

	// Separation of duties: the treasurer who approved a request does not pay it.
	third := asOK(t, data, "", "expense", "apply", "--as", "王经办", "--fund", "public", "--category", "cleaning", "--payee", "清洁公司", "--amount", "100", "--desc", "六月保洁").lastWord()
	for _, m := range []string{"张主任", "李财务"} {
		asOK(t, data, "pw-"+m, "expense", "approve", "--as", m, "--id", third)
	}
	asOK(t, data, "pw-赵复核", "expense", "review", "--as", "赵复核", "--id", third)
	asFails(t, data, "pw-李财务", "联签了支出申请 "+third, "expense", "pay", "--as", "李财务", "--id", third)
	if out := ok(t, data, "audit").stdout; !strings.Contains(out, "expense.pay.refused") {
		t.Errorf("the refused payment is not in the audit log:\n%s", out)
	}
	ok(t, data, "verify")
	ok(t, data, "expense", "verify")

	audit := ok(t, data, "audit").stdout
	for _, want := range []string{"expense.approve.refused", "expense.pay.refused", "expense.apply.refused", "expense.review.refused", "expense.reject"} {
		if !strings.Contains(audit, want) {
			t.Errorf("audit log lacks %s", want)
		}
	}
	if n := strings.Count(audit, ".refused"); n < 9 {
		t.Errorf("audit log has %d refusals, want every refused attempt", n)
	}
}

func TestCLI_MembersPassphraseFromFile(t *testing.T) {
	t.Parallel()
	data := t.TempDir()
	ok(t, data, "init", "--name", "测试小区")
	pf := writeFile(t, t.TempDir(), "pass.txt", "correct horse battery\n")
	r := ok(t, data, "members", "add", "--name", "张主任", "--role", "chair", "--passphrase-file", pf)
	if r.lastWord() != "张主任" {
		t.Errorf("printed %q", r.stdout)
	}
	fails(t, data, "members", "add", "--name", "李四", "--role", "chair")                            // no passphrase at all
	fails(t, data, "members", "add", "--name", "李四", "--role", "boss", "--passphrase-file", pf)    // bad role
	fails(t, data, "members", "add", "--name", "张主任", "--role", "member", "--passphrase-file", pf) // taken
	var ms []struct{ Name, Role, PublicKey string }
	if err := json.Unmarshal([]byte(ok(t, data, "members", "list", "--json").stdout), &ms); err != nil || len(ms) != 1 || ms[0].Role != "chair" {
		t.Errorf("members list --json = %+v %v", ms, err)
	}
}
