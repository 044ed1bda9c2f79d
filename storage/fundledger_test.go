package storage

import (
	"strings"
	"testing"

	"sunledger/app"
)

func TestFundLedger_OpeningIsAllOrNothingAndOnlyBeforeAnyMovement(t *testing.T) {
	db, _ := newBook(t)
	if err := db.registerService().ImportUnits(ctx, []app.Unit{unit("1-1-101", "100.00", "O1"), unit("2-1-101", "80.00", "O2")}, "tester", ""); err != nil {
		t.Fatal(err)
	}
	m := db.maintenanceService()
	line := func(u, a, f string) app.OpeningLine {
		return app.OpeningLine{Unit: u, Amount: dec(a), FirstDeposit: dec(f)}
	}
	before := snapshot(t, db)
	_, err := m.OpenFundLedger(ctx, app.FundOpening{Date: "2026-01-01", Lines: []app.OpeningLine{line("1-1-101", "100", "100"), line("9-9-999", "5", "5")}}, "tester")
	if app.ErrorCode(err) != app.EINVALID || !strings.Contains(err.Error(), "9-9-999") {
		t.Fatalf("unknown unit: %v", err)
	}
	if snapshot(t, db) != before {
		t.Fatal("a refused opening wrote something")
	}
	o, err := m.OpenFundLedger(ctx, app.FundOpening{Date: "2026-01-01", Lines: []app.OpeningLine{line("1-1-101", "1926.00", "1926"), line("2-1-101", "300", "2000")}}, "tester")
	if err != nil || o.Seq == 0 {
		t.Fatalf("opening: %+v %v", o, err)
	}
	led, err := m.FundLedger(ctx, "")
	if err != nil || len(led) != 2 || !led[0].Balance.Equal(dec("1926")) || led[0].Below30 || !led[1].Below30 {
		t.Fatalf("ledger %+v %v", led, err)
	}
	bals, _ := db.ledgerService().Balances(ctx)
	if held := app.FundHeld(app.FundMaintenance, bals); !held.Equal(dec("2226")) {
		t.Fatalf("fund holds %s", held)
	}
	// Once the fund has moved, a second opening is refused.
	if _, err := db.incomeService().RecordIncome(ctx, app.Income{Fund: app.FundMaintenance, Kind: "deposit", Amount: dec("1500"), Date: "2026-02-01", Unit: "2-1-101"}, "tester", ""); err != nil {
		t.Fatal(err)
	}
	before = snapshot(t, db)
	if _, err := m.OpenFundLedger(ctx, app.FundOpening{Date: "2026-03-01", Lines: []app.OpeningLine{line("1-1-101", "1", "1")}}, "tester"); app.ErrorCode(err) != app.ECONFLICT {
		t.Fatalf("second opening: %v", err)
	}
	if snapshot(t, db) != before {
		t.Fatal("a refused opening wrote something")
	}
	one, err := m.FundLedger(ctx, "2-1-101")
	if err != nil || len(one) != 1 || len(one[0].Moves) != 2 || !one[0].Balance.Equal(dec("1800")) || one[0].Below30 {
		t.Fatalf("unit ledger %+v %v", one, err)
	}
	if _, err := m.FundLedger(ctx, "7-7-777"); app.ErrorCode(err) != app.ENOTFOUND {
		t.Fatalf("unknown unit: %v", err)
	}
}

func TestVote_CreateAssemblyChecksItemsAndScopes(t *testing.T) {
	db := chainBook(t)
	for _, c := range []struct {
		m    app.Matter
		want string
	}{
		{app.Matter{No: 1, Title: "续筹专项维修资金", Kind: app.MatterOrdinary}, "（六）"},
		{app.Matter{No: 1, Title: "更换电梯", Kind: app.MatterOrdinary, Scope: []string{"9"}}, "9"},
		{app.Matter{No: 1, Title: "更换电梯", Kind: app.MatterOrdinary, Scope: []string{"1-1-999"}}, "1-1-999"},
	} {
		before := snapshot(t, db)
		_, err := db.voteService().CreateAssembly(ctx, app.Assembly{Title: "x", Matters: []app.Matter{c.m}}, "tester")
		if app.ErrorCode(err) != app.EINVALID || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: %v", c.m, err)
		}
		if snapshot(t, db) != before {
			t.Errorf("%+v: a refused assembly wrote something", c.m)
		}
	}
	if _, err := db.voteService().CreateAssembly(ctx, app.Assembly{Title: "x", Matters: []app.Matter{{No: 1, Title: "续筹专项维修资金", Kind: app.MatterMajor, Item: 6}}}, "tester"); err != nil {
		t.Fatal(err)
	}
}
