package reports

import (
	"strings"
	"testing"

	"sunledger/app"
)

func testFundUnits() []app.UnitFund {
	return []app.UnitFund{
		{Unit: "1-1-101", Area: xdec("100"), FirstDeposit: xdec("5000"), Balance: xdec("3000.50")},
		{Unit: "1-1-102", Area: xdec("80"), FirstDeposit: xdec("4000"), Balance: xdec("1000.25"), Below30: true},
		{Unit: "2-1-101", Area: xdec("90"), FirstDeposit: xdec("4500"), Balance: xdec("4500")},
	}
}

func TestFundDoc_ListsTheSubLedgerByBuildingWithTotals(t *testing.T) {
	st := app.MaintenanceStatement{Year: 2026, Closing: xdec("8500.75"),
		Applications: []app.MaintenanceApplication{{Expense: app.Expense{ID: "E000009", Payee: "迅达电梯", Amount: xdec("1000"), Description: "更换1号楼、2号楼电梯", Vote: "V0001", Matter: 1, State: app.ExpensePaid}, Passed: true, Progress: app.ProgressPaid, Scope: []string{"1", "2"}}}}
	st.SetUnits(testFundUnits())
	text := docText(t, FundDoc("阳光花园小区", "h", "2026-06-15", st))
	expenseWant(t, text, "分户账（按楼栋）", "1号楼、2号楼", "1号楼", "2号楼", "1-1-102", "¥1,000.25", "本楼合计", "¥4,000.75", "合计", "¥8,500.75", "第十七条")
	if strings.Contains(text, "各楼栋分摊") {
		t.Error("the statement still prints the old building shares beside the sub-ledger")
	}
}

func TestFundUnitDoc_IsOneUnitsPage(t *testing.T) {
	u := testFundUnits()[1]
	u.Moves = []app.FundMove{
		{Seq: 1, Date: "2025-01-01", Kind: app.MoveOpening, Amount: xdec("4000"), Balance: xdec("4000")},
		{Seq: 9, Date: "2026-03-01", Kind: app.MoveRepair, Amount: xdec("-2999.75"), Balance: xdec("1000.25"), Note: "E000009"},
	}
	text := docText(t, FundUnitDoc("阳光花园小区", "h", "2026-06-15", u))
	expenseWant(t, text, "专项维修资金分户账：1-1-102", "期初余额", "维修分摊E000009", "-¥2,999.75", "应当续交", "¥1,200.00")
	if strings.Contains(text, "1-1-101") {
		t.Error("one unit's page names another unit")
	}
}

func TestFundTopUpDoc_ListsOnlyUnitsBelowThirtyPercent(t *testing.T) {
	text := docText(t, FundTopUpDoc("阳光花园小区", "h", "2026-06-15", testFundUnits()))
	expenseWant(t, text, "专项维修资金续交通知", "第十七条", "1-1-102", "¥1,200.00", "¥199.75", "合计1户")
	if strings.Contains(text, "1-1-101") || strings.Contains(text, "2-1-101") {
		t.Error("the notice lists a unit that is not below 30%")
	}
}

func TestAnnouncementDoc_PrintsEachMattersItemScopeAndCap(t *testing.T) {
	u := func(id, area, owner string) app.Unit {
		return app.Unit{ID: id, Kind: app.KindResidential, Area: xdec(area), OwnerID: owner, OwnerName: owner}
	}
	ballots := []app.Ballot{{No: "1", Unit: "1-1-101", Choices: []app.Choice{app.Agree}}, {No: "2", Unit: "1-1-102", Choices: []app.Choice{app.Agree}}, {No: "3", Unit: "3-1-101", Choices: []app.Choice{app.Oppose}}}
	tl := app.CountVotes(app.VoteRecord{
		Assembly: app.Assembly{ID: "V0001", Title: "电梯", Matters: []app.Matter{{No: 1, Title: "使用维修资金更换1号楼电梯", Kind: app.MatterOrdinary, Item: 5,
			Fund: app.FundMaintenance, Cap: xdec("30000"), Scope: []string{"1"}}}},
		Register: []app.Unit{u("1-1-101", "100", "O1"), u("1-1-102", "90.5", "O2"), u("3-1-101", "150", "O3")},
		EntryA:   ballots, EntryB: ballots,
	})
	text := docText(t, AnnouncementDoc("阳光花园小区", tl, "h"))
	expenseWant(t, text, "第（五）项：使用建筑物及其附属设施的维修资金", "表决范围：1号楼", "总面积190.50m²", "从维修资金支付，限额¥30,000.00", "叁万元整")
}
