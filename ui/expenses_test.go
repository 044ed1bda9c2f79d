package ui

import (
	"context"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"sunledger/app"
)

func TestExpenses_ChainApplyTwoSignaturesPay(t *testing.T) {
	app.DefaultKDF.MemoryKiB = 1024 // fast keys in tests
	_, s := newBook(t, unit("1-1-101", app.KindResidential, "80", "O1", "王伟"))
	ctx := context.Background()
	if _, err := s.Income.RecordIncome(ctx, app.Income{Fund: app.FundPublic, Kind: "parking", Amount: decimal.NewFromInt(10000), Date: "2026-01-05"}, "tester", ""); err != nil {
		t.Fatal(err)
	}
	w := newWindow(t)
	m := newMembersPane(w, s)
	for _, x := range []struct {
		name string
		role app.Role
	}{{"物业小王", app.RoleClerk}, {"张主任", app.RoleChair}, {"李财务", app.RoleTreasurer}, {"陈委员", app.RoleMember}, {"社区赵", app.RoleReviewer}} {
		if err := m.Add(x.name, x.role, "pass-"+x.name, "pass-"+x.name); err != nil {
			t.Fatal(err)
		}
	}
	if err := m.Add("王委员", app.RoleMember, "abcd1", "abcd2"); err == nil || !strings.Contains(err.Error(), "不一样") {
		t.Errorf("different passphrases: %v", err)
	}
	if err := m.ChangePassphrase("社区赵", "wrong", "new-pass", "new-pass"); app.ErrorCode(err) != app.EUNAUTHORIZED {
		t.Errorf("change with a wrong old passphrase: %v", err)
	}
	if err := m.ChangePassphrase("社区赵", "pass-社区赵", "new-社区赵", "new-社区赵"); err != nil {
		t.Fatal(err)
	}
	if m.table.Rows() != 5 {
		t.Errorf("members shown: %d", m.table.Rows())
	}

	e := newExpensesScreen(w, s)
	w.SetContent(e.content)
	req := app.ExpenseRequest{Fund: app.FundPublic, Category: "cleaning", Payee: "保洁公司", Amount: decimal.RequireFromString("1200.50"), Description: "一月保洁"}
	x, err := e.Apply(req, "物业小王", "pass-物业小王")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(e.detail.Text, app.AmountInWords(req.Amount)) || !strings.Contains(e.detail.Text, "已签 0 位") {
		t.Errorf("detail after apply: %q", e.detail.Text)
	}
	if err := e.Step(x.ID, app.StepApprove, "张主任", "wrong", ""); app.ErrorCode(err) != app.EUNAUTHORIZED {
		t.Errorf("wrong passphrase: %v", err)
	}
	if err := e.Step(x.ID, app.StepApprove, "物业小王", "pass-物业小王", ""); err == nil {
		t.Errorf("the applicant signed their own request")
	}
	for _, who := range []string{"张主任", "陈委员"} {
		if err := e.Step(x.ID, app.StepApprove, who, "pass-"+who, ""); err != nil {
			t.Fatalf("%s approves: %v", who, err)
		}
	}
	got, _ := s.Expenses.Expense(ctx, x.ID)
	rules, _ := s.Expenses.ExpenseRules(ctx)
	if rules.NeedsReview(got) {
		if err := e.Step(x.ID, app.StepReview, "社区赵", "new-社区赵", ""); err != nil {
			t.Fatal(err)
		}
	}
	// Only a treasurer who neither applied nor approved is offered for the payment.
	e.show(x.ID)
	if got := e.signers(app.StepPay); strings.Join(got, ",") != "李财务" {
		t.Errorf("the pay dialog offers %v, want only the treasurer", got)
	}
	if err := e.Step(x.ID, app.StepPay, "张主任", "pass-张主任", ""); app.ErrorCode(err) != app.EUNAUTHORIZED || !strings.Contains(err.Error(), "只有财务委员") {
		t.Errorf("the chair paid: %v", err)
	}
	if err := e.Step(x.ID, app.StepPay, "李财务", "pass-李财务", ""); err != nil {
		t.Fatal(err)
	}
	got, _ = s.Expenses.Expense(ctx, x.ID)
	if got.State != app.ExpensePaid || got.Entry == 0 {
		t.Fatalf("state = %s, entry %d", got.State, got.Entry)
	}
	if !strings.Contains(e.detail.Text, "记账凭证 #") || e.table.CellText(0, 1) != "已支付" {
		t.Errorf("after payment: %q / %q", e.detail.Text, e.table.CellText(0, 1))
	}
	shoot(t, w, "expenses")
	if err := e.Step(x.ID, app.StepReject, "张主任", "pass-张主任", ""); err == nil {
		t.Errorf("rejecting without a reason passed")
	}
}

func TestMembers_SealedRosterChangesAreSignedInThePane(t *testing.T) {
	app.DefaultKDF.MemoryKiB = 1024 // fast keys in tests
	_, s := newBook(t, unit("1-1-101", app.KindResidential, "80", "O1", "王伟"))
	m := newMembersPane(newWindow(t), s)
	for _, x := range []struct {
		name string
		role app.Role
	}{{"张主任", app.RoleChair}, {"李财务", app.RoleTreasurer}} {
		if err := m.Add(x.name, x.role, "pass-"+x.name, "pass-"+x.name); err != nil {
			t.Fatal(err)
		}
	}
	if !strings.Contains(m.pendingBox.Text, "尚未封存") {
		t.Errorf("before the seal: %q", m.pendingBox.Text)
	}
	if _, err := s.Members.SealRoster(context.Background(), "tester", ""); err != nil {
		t.Fatal(err)
	}
	if err := m.Add("新委员", app.RoleMember, "pass-新委员", "pass-新委员"); err != nil {
		t.Fatal(err)
	}
	if m.table.Rows() != 2 || len(m.pending) != 1 || !strings.Contains(m.pendingBox.Text, "M000001") {
		t.Fatalf("after adding to a sealed roster: %d rows, %q", m.table.Rows(), m.pendingBox.Text)
	}
	if _, err := m.Approve("M000001", "新委员", "pass-新委员"); app.ErrorCode(err) != app.EUNAUTHORIZED {
		t.Errorf("the newcomer signed: %v", err)
	}
	for _, who := range []string{"张主任", "李财务"} {
		if _, err := m.Approve("M000001", who, "pass-"+who); err != nil {
			t.Fatal(err)
		}
	}
	if m.table.Rows() != 3 || len(m.pending) != 0 {
		t.Errorf("after two signatures: %d rows, %d pending", m.table.Rows(), len(m.pending))
	}
}
