package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
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

// TestExpenses_AcceptanceIsSignedFromTheWindow: a staged maintenance-fund request offers
// 验收… once the advance is paid, with the signing dialog (member, passphrase, the date),
// and the acceptance it signs is the service's (app.StepAccept): the acceptance stage can
// then be paid.
func TestExpenses_AcceptanceIsSignedFromTheWindow(t *testing.T) {
	app.DefaultKDF.MemoryKiB = 1024 // fast keys in tests
	db, s := newBook(t, unit("1-1-101", app.KindResidential, "100", "O1", "王伟"), unit("2-1-101", app.KindResidential, "80", "O2", "李娜"))
	db.Now = func() time.Time { return time.Date(2026, 6, 15, 10, 0, 0, 0, time.Local) }
	ctx := context.Background()
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
	if _, err := s.Income.RecordIncome(ctx, app.Income{Fund: app.FundMaintenance, Kind: "deposit", Amount: decimal.NewFromInt(50000), Date: "2026-01-05"}, "tester", ""); err != nil {
		t.Fatal(err)
	}
	a, err := s.Votes.CreateAssembly(ctx, app.Assembly{Title: "维修电梯", Date: "2026-05-10", Matters: []app.Matter{{No: 1, Title: "使用维修资金更换电梯", Kind: app.MatterOrdinary, Item: 5, Fund: app.FundMaintenance, Cap: decimal.NewFromInt(20000)}}}, "tester")
	if err != nil {
		t.Fatal(err)
	}
	ballots := []app.Ballot{{No: "1", Unit: "1-1-101", Choices: []app.Choice{app.Agree}}, {No: "2", Unit: "2-1-101", Choices: []app.Choice{app.Agree}}}
	for _, entry := range []string{app.EntryA, app.EntryB} {
		if err := s.Votes.EnterBallots(ctx, a.ID, entry, ballots, false, "tester"); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.Prints.RecordPrint(app.AsOf(ctx, time.Date(2026, 5, 20, 9, 0, 0, 0, time.Local)), app.TallyDoc(a.ID), "tester"); err != nil {
		t.Fatal(err)
	}
	plan, _ := app.ParseStages("advance=30%,acceptance=65%,retention=5%:2026-06-12")
	x, err := s.Expenses.ApplyExpense(app.AsOf(ctx, time.Date(2026, 5, 25, 9, 0, 0, 0, time.Local)),
		app.ExpenseRequest{Fund: app.FundMaintenance, Category: "repair", Payee: "电梯公司", Amount: decimal.NewFromInt(20000), Description: "更换电梯", Vote: a.ID, Matter: 1, Stages: plan}, "物业小王", "pass-物业小王")
	if err != nil {
		t.Fatal(err)
	}
	e := newExpensesScreen(w, s)
	w.SetContent(e.content)
	for _, who := range []string{"张主任", "陈委员"} {
		if err := e.Step(x.ID, app.StepApprove, who, "pass-"+who, ""); err != nil {
			t.Fatal(err)
		}
	}
	if got, _ := s.Expenses.Expense(ctx, x.ID); got.State == app.ExpenseApproved {
		if err := e.Step(x.ID, app.StepReview, "社区赵", "pass-社区赵", ""); err != nil {
			t.Fatal(err)
		}
	}
	e.show(x.ID)
	if button(e.actions, "验收…") != nil {
		t.Fatalf("验收… offered before the advance is paid")
	}
	if err := e.Step(x.ID, app.StepPay, "李财务", "pass-李财务", "2026-06-05"); err != nil {
		t.Fatal(err)
	}
	e.show(x.ID)
	accept := button(e.actions, "验收…")
	if accept == nil {
		t.Fatalf("no 验收… after the advance; buttons under %q", e.detail.Text)
	}
	shoot(t, w, "expenses-accept")
	if !strings.Contains(e.detail.Text, "下一步：验收") || !strings.Contains(e.detail.Text, "预付款 2026-06-05") || strings.Contains(e.detail.Text, "advance") {
		t.Errorf("the detail does not say the acceptance is next: %q", e.detail.Text)
	}
	if got := strings.Join(e.signers(app.StepAccept), ","); strings.Contains(got, "物业小王") || !strings.Contains(got, "张主任") || !strings.Contains(got, "社区赵") {
		t.Errorf("the acceptance dialog offers %s", got)
	}
	if err := e.Step(x.ID, app.StepAccept, "物业小王", "pass-物业小王", "2026-06-10"); app.ErrorCode(err) != app.EUNAUTHORIZED {
		t.Errorf("the applicant accepted their own work: %v", err)
	}
	if err := e.Step(x.ID, app.StepAccept, "张主任", "wrong", "2026-06-10"); app.ErrorCode(err) != app.EUNAUTHORIZED {
		t.Errorf("a wrong passphrase: %v", err)
	}
	// The signing dialog: who may accept, the passphrase, the date (today by default).
	e.show(x.ID)
	test.Tap(button(e.actions, "验收…"))
	dlg := w.Canvas().Overlays().Top()
	if txt := topDialogText(w); !strings.Contains(txt, "验收 "+x.ID) || !strings.Contains(txt, "2026-06-15") {
		t.Errorf("the acceptance dialog: %q", txt)
	}
	for _, o := range test.LaidOutObjects(dlg) {
		switch o := o.(type) {
		case *widget.Select:
			o.SetSelected("张主任")
		case *widget.Entry:
			if o.Password {
				o.SetText("pass-张主任")
			} else if o.Text == "2026-06-15" {
				o.SetText("2026-06-10")
			}
		}
	}
	test.Tap(button(dlg, "签字"))
	if txt := topDialogText(w); txt != "" {
		t.Fatalf("after signing, a dialog: %q", txt)
	}
	got, _ := s.Expenses.Expense(ctx, x.ID)
	if acc, ok := got.Acceptance(); !ok || acc.Signer != "张主任" || acc.Note != "2026-06-10" {
		t.Fatalf("acceptance = %+v, %v", acc, ok)
	}
	if button(e.actions, "验收…") != nil || !strings.Contains(e.detail.Text, "验收　张主任") {
		t.Errorf("after the acceptance: %q", e.detail.Text)
	}
	// The acceptance stage is payable now.
	if err := e.Step(x.ID, app.StepPay, "李财务", "pass-李财务", "2026-06-12"); err != nil {
		t.Fatalf("paying the acceptance stage: %v", err)
	}
	got, _ = s.Expenses.Expense(ctx, x.ID)
	if got.Stages[1].PaidDate != "2026-06-12" {
		t.Errorf("stages after paying: %+v", got.Stages)
	}
}
