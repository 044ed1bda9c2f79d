package storage

import (
	"context"
	"testing"
	"time"

	"sunledger/app"
)

// TestMicroFundProject_ProposalApprovalNoticeSpendingReport walks a project through
// its workflow with the book's clock, each step refused out of turn.
func TestMicroFundProject_ProposalApprovalNoticeSpendingReport(t *testing.T) {
	ctx := context.Background()
	db, _ := newBook(t)
	defer db.Close()
	day := time.Date(2026, 6, 1, 10, 0, 0, 0, time.Local)
	db.Now = func() time.Time { return day }
	if err := db.registerService().ImportUnits(ctx, []app.Unit{unit("1-1-101", "100.00", "O1")}, "t", ""); err != nil {
		t.Fatal(err)
	}
	for _, m := range []struct {
		name string
		role app.Role
	}{{"张主任", app.RoleChair}, {"李财务", app.RoleTreasurer}, {"王经办", app.RoleClerk}} {
		mm, err := app.NewMember(m.name, m.role, "pw-"+m.name, nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.memberService().AddMember(ctx, mm, "t", ""); err != nil {
			t.Fatal(err)
		}
	}
	mf := db.microFundService()
	if _, err := mf.ProposeMicroFundProject(ctx, app.MicroFundProject{Title: "儿童滑梯翻新", Amount: dec("800"), ProposedBy: app.ProposerOwner, Unit: "9-9-999"}, "t"); app.ErrorCode(err) != app.ENOTFOUND {
		t.Fatalf("an owner's unit not in the register: %v", err)
	}
	if _, err := mf.ProposeMicroFundProject(ctx, app.MicroFundProject{Title: "儿童滑梯翻新", Amount: dec("800"), ProposedBy: app.ProposerOwner}, "t"); app.ErrorCode(err) != app.EINVALID {
		t.Fatalf("an owner's proposal without a unit: %v", err)
	}
	p, err := mf.ProposeMicroFundProject(ctx, app.MicroFundProject{Title: "儿童滑梯翻新", Amount: dec("800"), ProposedBy: app.ProposerOwner, Unit: "1-1-101"}, "t")
	if err != nil || p.ID != "MF0001" {
		t.Fatalf("propose: %+v %v", p, err)
	}
	if _, err := mf.PublishMicroFundProject(ctx, p.ID, "t"); app.ErrorCode(err) != app.EINVALID {
		t.Errorf("publish before approval: %v", err)
	}
	if _, err := mf.ApproveMicroFundProject(ctx, p.ID, "王经办"); app.ErrorCode(err) != app.EINVALID {
		t.Errorf("a clerk approves: %v", err)
	}
	if _, err := mf.ApproveMicroFundProject(ctx, p.ID, "张主任"); err != nil {
		t.Fatal(err)
	}
	if _, err := mf.ApproveMicroFundProject(ctx, p.ID, "张主任"); app.ErrorCode(err) != app.ECONFLICT {
		t.Errorf("the same member twice: %v", err)
	}
	if p, err = mf.ApproveMicroFundProject(ctx, p.ID, "李财务"); err != nil || p.State("2026-06-01") != app.ProjectApproved {
		t.Fatalf("second approval: %v %s", err, p.State("2026-06-01"))
	}
	if p, err = mf.PublishMicroFundProject(ctx, p.ID, "t"); err != nil || p.Published != "2026-06-01" || p.NoticeEnds != "2026-06-15" {
		t.Fatalf("publish: %+v %v", p, err)
	}
	// a paid public-income expense and a micro-fund of 500
	if err := db.update(func(tx *Tx) error {
		if _, err := tx.postEntry(app.MicroFundMove{Share: dec("30"), Surplus: dec("1666.67"), Amount: dec("500"), Date: "2026-06-01"}.JournalEntry(2025), "t"); err != nil {
			return err
		}
		for _, e := range []app.Expense{{ID: "E000001", Fund: app.FundPublic, Amount: dec("300"), State: app.ExpensePaid},
			{ID: "E000002", Fund: app.FundPublic, Amount: dec("300"), State: app.ExpensePaid},
			{ID: "E000003", Fund: app.FundService, Amount: dec("10"), State: app.ExpensePaid},
			{ID: "E000004", Fund: app.FundPublic, Amount: dec("10"), State: app.ExpenseApproved}} {
			if err := tx.put(expenseKey(e.ID), e); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := mf.SpendMicroFundProject(ctx, p.ID, "E000001", "t"); app.ErrorCode(err) != app.EINVALID {
		t.Errorf("spending in the 公示期: %v", err)
	}
	day = time.Date(2026, 6, 16, 9, 0, 0, 0, time.Local)
	for id, want := range map[string]app.Code{"E000003": app.EINVALID, "E000004": app.EINVALID, "E000099": app.ENOTFOUND} {
		if _, err := mf.SpendMicroFundProject(ctx, p.ID, id, "t"); app.ErrorCode(err) != want {
			t.Errorf("spend %s: %v, want %s", id, err, want)
		}
	}
	if p, err = mf.SpendMicroFundProject(ctx, p.ID, "E000001", "t"); err != nil || !p.Spent().Equal(dec("300")) {
		t.Fatalf("spend: %+v %v", p, err)
	}
	if _, err := mf.SpendMicroFundProject(ctx, p.ID, "E000001", "t"); app.ErrorCode(err) != app.ECONFLICT {
		t.Errorf("the same expense twice: %v", err)
	}
	if _, err := mf.SpendMicroFundProject(ctx, p.ID, "E000002", "t"); app.ErrorCode(err) != app.EINVALID {
		t.Errorf("beyond the micro-fund's 200 left: %v", err)
	}
	ps, bal, err := mf.MicroFundProjects(ctx)
	if err != nil || len(ps) != 1 || !bal.Equal(dec("200")) {
		t.Errorf("projects: %d %s %v", len(ps), bal, err)
	}
	if _, err := mf.RejectMicroFundProject(ctx, p.ID, "不需要了", "t"); app.ErrorCode(err) != app.ECONFLICT {
		t.Errorf("reject after spending: %v", err)
	}
	if p, err = mf.ReportMicroFundProject(ctx, p.ID, "滑梯已翻新，验收合格", "t"); err != nil || p.State("2026-06-16") != app.ProjectReported {
		t.Fatalf("report: %v", err)
	}
	if a := lastAudit(t, db); a.Action != "microfund.report" {
		t.Errorf("audit %+v", a)
	}
}
