package storage

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"sunledger/app"
)

func voteBallot(no, unit string, cs ...app.Choice) app.Ballot {
	return app.Ballot{No: no, Unit: unit, Choices: cs}
}

func newVote(t *testing.T, db *DB) app.Assembly {
	t.Helper()
	ctx := context.Background()
	if err := db.registerService().ImportUnits(ctx, []app.Unit{unit("1-1-101", "100", "O1"), unit("1-1-102", "100", "O2"), unit("1-1-103", "100", "O3")}, "t", ""); err != nil {
		t.Fatal(err)
	}
	a, err := db.voteService().CreateAssembly(ctx, app.Assembly{Title: "第一次业主大会", Matters: []app.Matter{{No: 1, Title: "电梯", Kind: app.MatterOrdinary}}}, "t")
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestVote_RegisterEditsAfterCreationDoNotChangeTheTally(t *testing.T) {
	ctx := context.Background()
	db, dir := newBook(t)
	a := newVote(t, db)
	if a.ID != "V0001" || a.Units != 3 {
		t.Fatalf("assembly = %+v", a)
	}
	bs := []app.Ballot{voteBallot("1", "1-1-101", app.Agree), voteBallot("2", "1-1-102", app.Agree), voteBallot("3", "1-1-103", app.Oppose)}
	for _, e := range []string{app.EntryA, app.EntryB} {
		if err := db.voteService().EnterBallots(ctx, a.ID, e, bs, false, "t"); err != nil {
			t.Fatal(err)
		}
	}
	before, err := db.voteService().Tally(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	// The register changes afterwards: an area corrected, owners merged, a unit added.
	if err := db.registerService().ImportUnits(ctx, []app.Unit{unit("1-1-101", "300", "O3"), unit("1-1-104", "500", "O9")}, "t", "later edit"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	db = openTest(t, dir)
	defer db.Close()
	after, err := db.voteService().Tally(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	jb, _ := json.Marshal(before)
	ja, _ := json.Marshal(after)
	if string(jb) != string(ja) {
		t.Fatalf("tally changed after a register edit:\n%s\n%s", jb, ja)
	}
	if before.Total.Area.String() != "300.00" || before.Total.Heads != 3 || !before.Matters[0].Passed {
		t.Fatalf("tally = %s", jb)
	}
	// A new assembly sees the new register.
	b, err := db.voteService().CreateAssembly(ctx, app.Assembly{Title: "第二次", Matters: []app.Matter{{No: 1, Title: "x", Kind: app.MatterMajor}}}, "t")
	if err != nil {
		t.Fatal(err)
	}
	tb, _ := db.voteService().Tally(ctx, b.ID)
	if b.ID != "V0002" || tb.Total.Area.String() != "1000.00" || tb.Total.Heads != 3 {
		t.Fatalf("second assembly %s total %+v", b.ID, tb.Total)
	}
}

func TestVote_EntriesBatchesResolutionsAndAudit(t *testing.T) {
	ctx := context.Background()
	db, _ := newBook(t)
	a := newVote(t, db)
	// Entry A keyed in two batches, entry B in one with a slip on ballot 2.
	if err := db.voteService().EnterBallots(ctx, a.ID, "a", []app.Ballot{voteBallot("0001", "1-1-101", app.Agree)}, false, "甲"); err != nil {
		t.Fatal(err)
	}
	if err := db.voteService().EnterBallots(ctx, a.ID, app.EntryA, []app.Ballot{voteBallot("2", "1-1-102", app.Agree), voteBallot("3", "1-1-103", app.Agree)}, false, "甲"); err != nil {
		t.Fatal(err)
	}
	err := db.voteService().EnterBallots(ctx, a.ID, app.EntryA, []app.Ballot{voteBallot("4", "1-1-103", app.Agree), voteBallot("1", "1-1-101", app.Agree)}, false, "甲")
	if app.ErrorCode(err) != app.ECONFLICT {
		t.Fatalf("re-entering ballot 1: %v", err)
	}
	if err := db.voteService().EnterBallots(ctx, a.ID, app.EntryB, []app.Ballot{voteBallot("3", "1-1-103", app.Agree), voteBallot("1", "1-1-101", app.Agree), voteBallot("2", "1-1-102", app.Oppose)}, false, "乙"); err != nil {
		t.Fatal(err)
	}
	if err := db.voteService().EnterBallots(ctx, a.ID, app.EntryB, []app.Ballot{voteBallot("7", "1-1-103", app.Agree)}, false, "乙"); err != nil {
		t.Fatal(err)
	}
	if err := db.voteService().RemoveBallot(ctx, a.ID, app.EntryB, "0007", "乙"); err != nil {
		t.Fatal(err)
	}
	if err := db.voteService().RemoveBallot(ctx, a.ID, app.EntryB, "7", "乙"); app.ErrorCode(err) != app.ENOTFOUND {
		t.Fatalf("removing twice: %v", err)
	}
	tl, _ := db.voteService().Tally(ctx, a.ID)
	if tl.Ballots.EnteredA != 3 || tl.Ballots.Reconciled != 2 || tl.Ballots.Unreconciled != 1 {
		t.Fatalf("ballots = %+v", tl.Ballots)
	}
	if err := db.voteService().EnterBallots(ctx, a.ID, app.EntryA, []app.Ballot{voteBallot("5", "1-1-103")}, false, "甲"); app.ErrorCode(err) != app.EINVALID {
		t.Fatalf("a ballot without the matter's choice: %v", err)
	}
	if err := db.voteService().Resolve(ctx, a.ID, app.Resolution{Ballot: voteBallot("99", "1-1-101", app.Agree)}, "丙"); app.ErrorCode(err) != app.ENOTFOUND {
		t.Fatalf("resolving a ballot nobody keyed: %v", err)
	}
	if err := db.voteService().Resolve(ctx, a.ID, app.Resolution{Ballot: voteBallot("2", "1-1-102", app.Oppose), Note: "原票为反对"}, "丙"); err != nil {
		t.Fatal(err)
	}
	tl, _ = db.voteService().Tally(ctx, a.ID)
	if tl.Ballots.Unreconciled != 0 || tl.Matters[0].Oppose.Heads != 1 {
		t.Fatalf("after resolving: %+v %+v", tl.Ballots, tl.Matters[0])
	}
	if ok, err := db.voteService().MatterPassed(ctx, a.ID, 1); err != nil || !ok {
		t.Fatalf("MatterPassed = %v, %v", ok, err)
	}
	if _, err := db.voteService().MatterPassed(ctx, a.ID, 2); app.ErrorCode(err) != app.ENOTFOUND {
		t.Fatalf("unknown matter: %v", err)
	}
	if _, err := db.voteService().Tally(ctx, "V0404"); app.ErrorCode(err) != app.ENOTFOUND {
		t.Fatalf("unknown vote: %v", err)
	}
	if err := db.voteService().RecordDeliveries(ctx, a.ID, []app.Delivery{{Unit: "9-9-9", Date: "2026-01-02", Method: "上门", Evidence: "回执"}}, "t"); app.ErrorCode(err) != app.EINVALID {
		t.Fatalf("delivery to an unknown unit: %v", err)
	}
	if err := db.voteService().RecordDeliveries(ctx, a.ID, []app.Delivery{{Unit: "1-1-101", Date: "2026-01-02", Method: "上门"}}, "t"); app.ErrorCode(err) != app.EINVALID {
		t.Fatalf("delivery without evidence: %v", err)
	}
	if err := db.voteService().RuleHead(ctx, a.ID, app.HeadRuling{Person: "owner:O404", Matter: 1, Choice: app.Agree}, "t"); app.ErrorCode(err) != app.ENOTFOUND {
		t.Fatalf("ruling on an unknown owner: %v", err)
	}
	recs, _ := db.bookService().Audit(ctx)
	var actions []string
	for _, r := range recs {
		actions = append(actions, r.Action)
	}
	got := strings.Join(actions, " ")
	for _, want := range []string{"vote.new", "vote.enter", "vote.resolve"} {
		if !strings.Contains(got, want) {
			t.Errorf("audit lacks %s: %s", want, got)
		}
	}
	list, _ := db.voteService().Assemblies(ctx)
	if len(list) != 1 || list[0].ID != a.ID {
		t.Fatalf("assemblies = %+v", list)
	}
}

func TestVote_NewNeedsARegisterAndGoodMatters(t *testing.T) {
	ctx := context.Background()
	db, _ := newBook(t)
	if _, err := db.voteService().CreateAssembly(ctx, app.Assembly{Title: "x", Matters: []app.Matter{{No: 1, Title: "a", Kind: app.MatterMajor}}}, "t"); app.ErrorCode(err) != app.EINVALID {
		t.Fatalf("assembly without a register: %v", err)
	}
	if _, err := db.voteService().CreateAssembly(ctx, app.Assembly{Title: "x"}, "t"); app.ErrorCode(err) != app.EINVALID {
		t.Fatalf("assembly without matters: %v", err)
	}
}

func TestVote_DeemedSettingChangesOnlyWithAReasonAndIsAudited(t *testing.T) {
	ctx := context.Background()
	db, _ := newBook(t)
	defer db.Close()
	a := newVote(t, db)
	if _, err := db.voteService().SetDeemedRule(ctx, a.ID, true, "", []string{app.DeemInvalid}, "", "t"); app.ErrorCode(err) != app.EINVALID {
		t.Fatalf("no reason: %v", err)
	}
	if _, err := db.voteService().SetDeemedRule(ctx, a.ID, true, "", []string{"everyone"}, "rules", "t"); app.ErrorCode(err) != app.EINVALID {
		t.Fatalf("unknown scope: %v", err)
	}
	if _, err := db.voteService().SetDeemedRule(ctx, "V0404", true, "", nil, "rules", "t"); app.ErrorCode(err) != app.ENOTFOUND {
		t.Fatalf("unknown vote: %v", err)
	}
	if r, _ := db.voteService().VoteRecord(ctx, a.ID); r.Assembly.Deemed || len(r.Assembly.DeemAlso) != 0 {
		t.Fatalf("a refused change changed the assembly: %+v", r.Assembly)
	}
	got, err := db.voteService().SetDeemedRule(ctx, a.ID, true, " 第十八条 ", []string{app.DeemDuplicate, app.DeemInvalid, app.DeemInvalid}, "议事规则第十八条", "t")
	if err != nil {
		t.Fatal(err)
	}
	if !got.Deemed || got.Rule != "第十八条" || strings.Join(got.DeemAlso, ",") != "invalid,duplicate" {
		t.Fatalf("assembly = %+v", got)
	}
	tl, err := db.voteService().Tally(ctx, a.ID)
	if err != nil || tl.DeemedTotals == nil || strings.Join(tl.DeemedTotals.Also, ",") != "invalid,duplicate" || tl.CountedOn == "" {
		t.Fatalf("tally %+v: %v", tl.DeemedTotals, err)
	}
	audit, err := db.bookService().Audit(ctx)
	if err != nil {
		t.Fatal(err)
	}
	last := audit[len(audit)-1]
	if last.Action != "vote.settings" || last.Why != "议事规则第十八条" || !strings.Contains(last.What, "deemed=false") {
		t.Fatalf("audit = %+v", last)
	}
	// Turning the rule off clears its wording and scope.
	if got, err = db.voteService().SetDeemedRule(ctx, a.ID, false, "", nil, "误设", "t"); err != nil || got.Deemed || got.Rule != "" || got.DeemAlso != nil {
		t.Fatalf("off: %+v %v", got, err)
	}
}

func TestVote_OnePersonCannotKeyBothEntries(t *testing.T) {
	ctx := context.Background()
	as := func(name string) context.Context { return app.WithKeyer(ctx, name) }
	steps := []struct {
		name    string
		ctx     context.Context
		entry   string
		no      string
		replace bool
		code    app.Code
	}{
		{"张三 keys A", as("张三"), app.EntryA, "1", false, ""},
		{"张三 keys more of A", as("张三"), app.EntryA, "2", false, ""},
		{"张三 may not key B", as(" 张三 "), app.EntryB, "1", false, app.ECONFLICT},
		{"李四 keys B", as("李四"), app.EntryB, "1", false, ""},
		{"李四 may not then key A", as("李四"), app.EntryA, "3", false, app.ECONFLICT},
		{"no named keyer is not checked", ctx, app.EntryA, "3", false, ""},
		{"replacing B forgets 李四", as("王五"), app.EntryB, "1", true, ""},
		{"so 李四 may key A now", as("李四"), app.EntryA, "4", false, ""},
		{"and 王五 not A", as("王五"), app.EntryA, "5", false, app.ECONFLICT},
	}
	db, _ := newBook(t)
	a := newVote(t, db)
	for _, s := range steps {
		before, _ := db.voteService().VoteRecord(ctx, a.ID)
		err := db.voteService().EnterBallots(s.ctx, a.ID, s.entry, []app.Ballot{voteBallot(s.no, "1-1-101", app.Agree)}, s.replace, "os-user")
		if app.ErrorCode(err) != s.code || (s.code == "" && err != nil) {
			t.Fatalf("%s: err = %v, want code %q", s.name, err, s.code)
		}
		if s.code == "" {
			continue
		}
		var e *app.Error
		if !errors.As(err, &e) || !strings.Contains(e.ZH, "没有录入任何选票") || !strings.Contains(e.EN, "no ballot was entered") {
			t.Fatalf("%s: message %#v", s.name, e)
		}
		after, _ := db.voteService().VoteRecord(ctx, a.ID)
		if len(after.EntryA) != len(before.EntryA) || len(after.EntryB) != len(before.EntryB) {
			t.Fatalf("%s: refused but wrote ballots", s.name)
		}
		if r := lastAudit(t, db); r.Action != "vote.enter.refused" || r.Who != "os-user" || r.Why == "" {
			t.Fatalf("%s: audit %+v", s.name, r)
		}
	}
	// The record names who keyed each entry (the window shows them).
	rec, _ := db.voteService().VoteRecord(ctx, a.ID)
	if strings.Join(rec.KeyersA, ",") != "张三,李四" || strings.Join(rec.KeyersB, ",") != "王五" {
		t.Errorf("keyers A %v, B %v", rec.KeyersA, rec.KeyersB)
	}
}
