package main

import (
	"encoding/json"
	"strings"
	"testing"
)

type memberRow struct {
	Name, Role, State, Request string
}

func membersJSON(t *testing.T, data string) map[string]memberRow {
	t.Helper()
	var ms []memberRow
	out := ok(t, data, "members", "list", "--json").stdout
	if err := json.Unmarshal([]byte(out), &ms); err != nil {
		t.Fatalf("members list --json: %v\n%s", err, out)
	}
	byName := map[string]memberRow{}
	for _, m := range ms {
		byName[m.Name] = m
	}
	return byName
}

func TestCLI_RosterSealedThenAddingNeedsTwoOtherCommitteeSignatures(t *testing.T) {
	t.Parallel()
	data := chainCLI(t) // five founding members, added freely
	if r := ok(t, data, "members", "list"); !strings.Contains(r.stdout, "尚未封存") {
		t.Errorf("members list before the seal: %s", r.stdout)
	}
	r := ok(t, data, "members", "seal", "--as", "张主任")
	if !strings.Contains(r.stdout, "已封存") {
		t.Errorf("seal printed %q", r.stdout)
	}
	fails(t, data, "members", "seal")

	r = asOK(t, data, "pw-刘委员", "members", "add", "--name", "刘委员", "--role", "member")
	id := r.lastWord()
	if id != "M000001" {
		t.Fatalf("members add after the seal printed %q", r.stdout)
	}
	if _, on := membersJSON(t, data)["刘委员"]; on {
		t.Fatal("the newcomer is on the roster before anyone signed")
	}
	if r := ok(t, data, "members", "list"); !strings.Contains(r.stdout, id) || !strings.Contains(r.stdout, "待签") {
		t.Errorf("members list does not show the pending change: %s", r.stdout)
	}

	// Refusals, each one line, nothing changed.
	asFails(t, data, "pw-刘委员", "不能为自己签名", "members", "approve", "--as", "刘委员", "--id", id)
	asFails(t, data, "pw-王经办", "只有业委会成员", "members", "approve", "--as", "王经办", "--id", id)
	asFails(t, data, "wrong", "口令不正确", "members", "approve", "--as", "张主任", "--id", id)
	asFails(t, data, "pw-张主任", "M000009", "members", "approve", "--as", "张主任", "--id", "M000009")
	r = asOK(t, data, "pw-张主任", "members", "approve", "--as", "张主任", "--id", id)
	if r.lastWord() != id || strings.Contains(r.stdout, "已生效") {
		t.Errorf("first signature printed %q", r.stdout)
	}
	asFails(t, data, "pw-张主任", "已经签过", "members", "approve", "--as", "张主任", "--id", id)
	if _, on := membersJSON(t, data)["刘委员"]; on {
		t.Fatal("the newcomer is on the roster after one signature")
	}
	r = asOK(t, data, "pw-李财务", "members", "approve", "--as", "李财务", "--id", id)
	if r.lastWord() != id || !strings.Contains(r.stdout, "已生效") {
		t.Errorf("second signature printed %q", r.stdout)
	}
	if m := membersJSON(t, data)["刘委员"]; m.State != "active" || m.Role != "member" || m.Request != id {
		t.Errorf("the newcomer after two signatures: %+v", m)
	}

	var reqs []struct {
		ID, State  string
		Signatures []struct{ Signer string }
	}
	if err := json.Unmarshal([]byte(ok(t, data, "members", "requests", "--json").stdout), &reqs); err != nil || len(reqs) != 1 || reqs[0].State != "done" || len(reqs[0].Signatures) != 2 {
		t.Errorf("members requests --json = %+v %v", reqs, err)
	}
	// Every refusal is in the audit log.
	var audit []struct{ Action, Who string }
	if err := json.Unmarshal([]byte(ok(t, data, "audit", "--json").stdout), &audit); err != nil {
		t.Fatal(err)
	}
	refused := map[string]bool{}
	for _, a := range audit {
		if a.Action == "member.approve.refused" {
			refused[a.Who] = true
		}
	}
	for _, who := range []string{"刘委员", "王经办", "张主任"} {
		if !refused[who] {
			t.Errorf("no refusal by %s in the audit log", who)
		}
	}

	// The new member signs expenses; a removal and a role change go the same way.
	ok(t, data, "expense", "verify")
	r = asOK(t, data, "", "members", "remove", "--name", "陈委员", "--reason", "辞职")
	rid := r.lastWord()
	if rid != "M000002" {
		t.Fatalf("members remove printed %q", r.stdout)
	}
	fails(t, data, "members", "remove", "--name", "李财务")
	asFails(t, data, "pw-陈委员", "不能为自己签名", "members", "approve", "--as", "陈委员", "--id", rid)
	asOK(t, data, "pw-刘委员", "members", "approve", "--as", "刘委员", "--id", rid)
	asOK(t, data, "pw-李财务", "members", "approve", "--as", "李财务", "--id", rid)
	if m := membersJSON(t, data)["陈委员"]; m.State != "removed" {
		t.Errorf("removed member: %+v", m)
	}
	r = asOK(t, data, "", "members", "role", "--name", "王经办", "--role", "reviewer")
	if r.lastWord() != "M000003" {
		t.Fatalf("members role printed %q", r.stdout)
	}
	asOK(t, data, "pw-刘委员", "members", "approve", "--as", "刘委员", "--id", "M000003")
	r = asOK(t, data, "pw-张主任", "members", "approve", "--as", "张主任", "--id", "3")
	if !strings.Contains(r.stdout, "社区复核人") || strings.Contains(r.stdout, "已生效") {
		t.Errorf("a change of the reviewer role without the reviewer: %q", r.stdout)
	}
	r = asOK(t, data, "pw-赵复核", "members", "approve", "--as", "赵复核", "--id", "3")
	if !strings.Contains(r.stdout, "已生效") {
		t.Errorf("the reviewer's signature: %q", r.stdout)
	}
	ok(t, data, "expense", "verify")
	ok(t, data, "verify")
}

func TestCLI_FirstExpenseRequestSealsTheRoster(t *testing.T) {
	t.Parallel()
	data := chainCLI(t)
	asOK(t, data, "pw-王经办", "expense", "apply", "--as", "王经办", "--fund", "public", "--category", "cleaning",
		"--payee", "清洁公司", "--amount", "100", "--desc", "保洁")
	fails(t, data, "members", "seal")
	r := asOK(t, data, "pw-钱委员", "members", "add", "--name", "钱委员", "--role", "chair")
	if r.lastWord() != "M000001" {
		t.Fatalf("members add after the first request printed %q", r.stdout)
	}
	if r := ok(t, data, "members", "list"); !strings.Contains(r.stdout, "已于") || !strings.Contains(r.stdout, "M000001") {
		t.Errorf("members list: %s", r.stdout)
	}
}

func TestCLI_DemoPaysItsRepairAfterTheVote(t *testing.T) {
	t.Parallel()
	data := t.TempDir()
	ok(t, data, "demo", "--units", "60", "--years", "1")
	var votes []struct{ ID, Date string }
	if err := json.Unmarshal([]byte(ok(t, data, "vote", "list", "--json").stdout), &votes); err != nil || len(votes) != 1 {
		t.Fatalf("vote list: %+v %v", votes, err)
	}
	var list []struct {
		Fund, State, Vote string
		PaidDate          string `json:"paid_date"`
	}
	if err := json.Unmarshal([]byte(ok(t, data, "expense", "list", "--json").stdout), &list); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, x := range list {
		if x.Fund == "maintenance" {
			n++
			if x.Vote != votes[0].ID || x.State == "paid" && x.PaidDate < votes[0].Date {
				t.Errorf("the demo's repair %+v against vote %+v", x, votes[0])
			}
		}
	}
	if n != 1 {
		t.Errorf("demo maintenance-fund requests = %d", n)
	}
	if r := ok(t, data, "members", "list"); !strings.Contains(r.stdout, "已于") {
		t.Errorf("the demo's roster is not sealed: %s", r.stdout)
	}
	ok(t, data, "expense", "verify")
	// The demo's newly elected member waits for a second signature, which anyone trying
	// the demo can give.
	r := asOK(t, data, "sunledger-demo", "members", "approve", "--as", "李秀英", "--id", "M000001")
	if !strings.Contains(r.stdout, "已生效") {
		t.Errorf("approving the demo's newcomer: %s", r.stdout)
	}
	if m := membersJSON(t, data)["孙建华"]; m.State != "active" {
		t.Errorf("the demo's newcomer: %+v", m)
	}
	ok(t, data, "verify")
}
