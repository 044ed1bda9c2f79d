package storage

import (
	"errors"
	"strings"
	"testing"
	"time"

	"sunledger/app"
)

func TestExpenseStages_EachStagePostsItsOwnEntryAndRefusalsWriteNothing(t *testing.T) {
	db := chainBook(t) // today 2026-06-15
	a, err := db.voteService().CreateAssembly(ctx, app.Assembly{Title: "维修电梯", Date: "2026-05-10", Matters: []app.Matter{{No: 1, Title: "使用维修资金更换电梯", Kind: app.MatterOrdinary, Fund: app.FundMaintenance, Cap: dec("20000")}}}, "tester")
	if err != nil {
		t.Fatal(err)
	}
	ballots := []app.Ballot{{No: "1", Unit: "1-1-101", Choices: []app.Choice{app.Agree}}, {No: "2", Unit: "2-1-101", Choices: []app.Choice{app.Agree}}}
	for _, entry := range []string{app.EntryA, app.EntryB} {
		if err := db.voteService().EnterBallots(ctx, a.ID, entry, ballots, false, "tester"); err != nil {
			t.Fatal(err)
		}
	}
	plan, _ := app.ParseStages("advance=30%,acceptance=65%,retention=5%:2026-06-12")
	e, err := db.expenseService().ApplyExpense(app.AsOf(ctx, time.Date(2026, 5, 25, 9, 0, 0, 0, time.Local)),
		app.ExpenseRequest{Fund: app.FundMaintenance, Category: "repair", Payee: "电梯公司", Amount: dec("20000"), Description: "更换电梯", Vote: a.ID, Matter: 1, Stages: plan}, "王经办", pw("王经办"))
	if err != nil {
		t.Fatal(err)
	}
	if len(e.Stages) != 3 || !e.Stages[1].Amount.Equal(dec("13000")) {
		t.Fatalf("stages %+v", e.Stages)
	}
	// The cap counts every stage: the whole 20000 is taken.
	if _, err := db.expenseService().ApplyExpense(ctx, app.ExpenseRequest{Fund: app.FundMaintenance, Category: "repair", Payee: "X", Amount: dec("0.01"), Description: "x", Vote: a.ID, Matter: 1}, "王经办", ""); app.ErrorCode(err) != app.EINVALID {
		t.Fatalf("over the cap: %v", err)
	}
	for _, who := range []string{"张主任", "陈委员"} {
		if _, err := db.expenseService().ApproveExpense(ctx, e.ID, who, pw(who)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.expenseService().ReviewExpense(ctx, e.ID, "赵复核", pw("赵复核")); err != nil {
		t.Fatal(err)
	}
	if _, err := db.printService().RecordPrint(app.AsOf(ctx, time.Date(2026, 5, 20, 9, 0, 0, 0, time.Local)), app.TallyDoc(a.ID), "tester"); err != nil {
		t.Fatal(err)
	}
	svc := db.expenseService()
	refused := []struct {
		name string
		do   func() error
		why  string
	}{
		{"acceptance before the advance", func() error {
			_, err := svc.AcceptExpense(ctx, e.ID, "张主任", pw("张主任"), "2026-06-05")
			return err
		}, "not paid yet"},
		{"paying at once", func() error {
			_, err := svc.PayExpense(ctx, e.ID, "李财务", pw("李财务"), "2026-06-05")
			return err
		}, "--stage"},
		{"acceptance stage first", func() error {
			_, err := svc.PayExpenseStage(ctx, e.ID, app.StageAcceptance, "李财务", pw("李财务"), "2026-06-05")
			return err
		}, "not paid yet"},
	}
	check := func() {
		t.Helper()
		for _, r := range refused {
			before := snapshot(t, db)
			err := r.do()
			var ae *app.Error
			if app.ErrorCode(err) != app.EINVALID || !errors.As(err, &ae) || !strings.Contains(ae.EN, r.why) {
				t.Fatalf("%s: %v (want a refusal saying %q)", r.name, err, r.why)
			}
			if snapshot(t, db) != before {
				t.Fatalf("%s: a refusal wrote something", r.name)
			}
		}
	}
	check()
	x, err := svc.PayExpenseStage(ctx, e.ID, app.StageAdvance, "李财务", pw("李财务"), "2026-06-05")
	if err != nil {
		t.Fatal(err)
	}
	if x.State != app.ExpenseReviewed || x.Stages[0].Entry == 0 || x.Stages[0].PaidDate != "2026-06-05" {
		t.Fatalf("after the advance: %+v", x)
	}
	je, err := db.ledgerService().Entry(ctx, x.Stages[0].Entry)
	if err != nil || je.Ref != "expense:"+e.ID+"/advance" || !je.Postings[0].Amount.Equal(dec("6000")) {
		t.Fatalf("advance entry %+v %v", je, err)
	}
	// The advance is shared by area (100:80) like any repair.
	led, err := db.maintenanceService().FundLedger(ctx, "")
	if err != nil || len(led) != 2 || !led[0].Balance.Equal(dec("24444.45")) || !led[1].Balance.Equal(dec("19555.55")) {
		t.Fatalf("ledger after the advance %+v %v", led, err)
	}
	refused = []struct {
		name string
		do   func() error
		why  string
	}{
		{"acceptance stage before 验收", func() error {
			_, err := svc.PayExpenseStage(ctx, e.ID, app.StageAcceptance, "李财务", pw("李财务"), "2026-06-06")
			return err
		}, "expense accept"},
	}
	check()
	if x, err = svc.AcceptExpense(ctx, e.ID, "张主任", pw("张主任"), "2026-06-08"); err != nil {
		t.Fatal(err)
	}
	if acc, ok := x.Acceptance(); !ok || acc.Signer != "张主任" || acc.Note != "2026-06-08" {
		t.Fatalf("acceptance %+v", acc)
	}
	if _, err = svc.PayExpenseStage(ctx, e.ID, app.StageAcceptance, "李财务", pw("李财务"), "2026-06-09"); err != nil {
		t.Fatal(err)
	}
	refused = []struct {
		name string
		do   func() error
		why  string
	}{
		{"retention before its date", func() error {
			_, err := svc.PayExpenseStage(ctx, e.ID, app.StageRetention, "李财务", pw("李财务"), "2026-06-11")
			return err
		}, "2026-06-12"},
	}
	check()
	if x, err = svc.PayExpenseStage(ctx, e.ID, app.StageRetention, "李财务", pw("李财务"), "2026-06-12"); err != nil {
		t.Fatal(err)
	}
	if x.State != app.ExpensePaid || x.PaidDate != "2026-06-12" || x.Entry != x.Stages[2].Entry {
		t.Fatalf("paid in full: %+v", x)
	}
	bal, _ := db.ledgerService().Balances(ctx)
	for _, b := range bal {
		if b.Account == app.BankAccount(app.FundMaintenance) && !b.Balance.Equal(dec("30000")) {
			t.Errorf("the fund's bank holds %s, want 30000", b.Balance)
		}
	}
	if err := svc.VerifyExpenses(ctx); err != nil {
		t.Fatal(err)
	}
	if err := db.ledgerService().Verify(ctx); err != nil {
		t.Fatal(err)
	}
}
