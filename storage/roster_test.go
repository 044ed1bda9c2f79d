package storage

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/dgraph-io/badger/v4"

	"sunledger/app"
)

// forge edits one stored record behind the program's back, as someone with the laptop
// could: the book is closed, the JSON under key edited in Badger directly, and the book
// reopened. edit gets the decoded record (nil if absent) and returns the new one.
func forge(t *testing.T, db *DB, key string, edit func(v map[string]any) map[string]any) *DB {
	t.Helper()
	now := db.Now
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	bdb, err := badger.Open(badger.DefaultOptions(db.dir).WithLogger(nil))
	if err != nil {
		t.Fatal(err)
	}
	err = bdb.Update(func(txn *badger.Txn) error {
		var v map[string]any
		if item, err := txn.Get([]byte(key)); err == nil {
			b, _ := item.ValueCopy(nil)
			if err := json.Unmarshal(b, &v); err != nil {
				return err
			}
		}
		nv := edit(v)
		if nv == nil {
			return txn.Delete([]byte(key))
		}
		b, err := json.Marshal(nv)
		if err != nil {
			return err
		}
		return txn.Set([]byte(key), b)
	})
	if cerr := bdb.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatal(err)
	}
	nd := openTest(t, db.dir)
	nd.Now = now
	t.Cleanup(func() { nd.Close() })
	return nd
}

// rawJSON returns the stored record under key, decoded.
func rawJSON(t *testing.T, db *DB, key string) map[string]any {
	t.Helper()
	var v map[string]any
	if err := db.view(func(tx *Tx) error { _, err := tx.get(key, &v); return err }); err != nil {
		t.Fatal(err)
	}
	return v
}

func asJSON(v any) map[string]any {
	b, _ := json.Marshal(v)
	var out map[string]any
	json.Unmarshal(b, &out)
	return out
}

// rosterState is everything a refused roster step must leave untouched.
func rosterState(t *testing.T, db *DB) string {
	t.Helper()
	ms, _ := db.memberService().Members(ctx)
	cs, _ := db.memberService().RosterChanges(ctx)
	s, _, _ := db.memberService().RosterSeal(ctx)
	b, _ := json.Marshal([]any{ms, cs, s})
	return string(b)
}

func wantRefused(t *testing.T, db *DB, who string) {
	t.Helper()
	r := lastAudit(t, db)
	if !strings.HasSuffix(r.Action, ".refused") || r.Who != who || r.Why == "" {
		t.Errorf("audit = %+v, want a refusal by %s", r, who)
	}
}

func TestRoster_FoundingIsFreeUntilSealedThenTwoOtherCommitteeMembersSign(t *testing.T) {
	db := chainBook(t)
	if _, ok, _ := db.memberService().RosterSeal(ctx); ok {
		t.Fatal("a new book's roster is sealed")
	}
	if _, err := db.memberService().SealRoster(ctx, "张主任", "第一次会议"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.memberService().SealRoster(ctx, "张主任", ""); app.ErrorCode(err) != app.ECONFLICT {
		t.Fatalf("sealing twice: %v", err)
	}
	newcomer, err := app.NewMember("刘委员", app.RoleMember, pw("刘委员"), nil)
	if err != nil {
		t.Fatal(err)
	}
	c, err := db.memberService().AddMember(ctx, newcomer, "张主任", "补选")
	if err != nil || c.ID != "M000001" || c.State != app.RosterPending {
		t.Fatalf("add after the seal: %+v %v", c, err)
	}
	if _, err := db.memberService().Member(ctx, "刘委员"); app.ErrorCode(err) != app.ENOTFOUND {
		t.Fatalf("the newcomer is on the roster before anyone signed: %v", err)
	}
	if _, err := db.memberService().AddMember(ctx, mustMember(t, "刘委员"), "张主任", ""); app.ErrorCode(err) != app.ECONFLICT {
		t.Errorf("a second request for the same newcomer: %v", err)
	}
	before := rosterState(t, db)
	refusals := []struct {
		name, who, id, pass string
		code                app.Code
	}{
		{"the newcomer signs their own admission", "刘委员", c.ID, pw("刘委员"), app.EUNAUTHORIZED},
		{"the clerk is not on the committee", "王经办", c.ID, pw("王经办"), app.EUNAUTHORIZED},
		{"the reviewer signs a committee member's admission", "赵复核", c.ID, pw("赵复核"), app.EUNAUTHORIZED},
		{"a wrong passphrase", "张主任", c.ID, "nope", app.EUNAUTHORIZED},
		{"an unknown id", "张主任", "M000009", pw("张主任"), app.ENOTFOUND},
		{"an id that is no id", "张主任", "X1", pw("张主任"), app.EINVALID},
		{"someone not on the roster", "路人", c.ID, "whatever", app.ENOTFOUND},
	}
	for _, tc := range refusals {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := db.memberService().ApproveRosterChange(ctx, tc.id, tc.who, tc.pass); app.ErrorCode(err) != tc.code {
				t.Fatalf("got %v, want %s", err, tc.code)
			}
			if rosterState(t, db) != before {
				t.Error("a refused signature changed the roster")
			}
			wantRefused(t, db, tc.who)
		})
	}
	if c, err = db.memberService().ApproveRosterChange(ctx, "1", "张主任", pw("张主任")); err != nil || c.State != app.RosterPending {
		t.Fatalf("first signature: %+v %v", c, err)
	}
	before = rosterState(t, db)
	if _, err := db.memberService().ApproveRosterChange(ctx, c.ID, "张主任", pw("张主任")); app.ErrorCode(err) != app.ECONFLICT {
		t.Fatalf("the same member twice: %v", err)
	}
	if rosterState(t, db) != before {
		t.Error("a second signature by the same member changed the roster")
	}
	wantRefused(t, db, "张主任")
	if c, err = db.memberService().ApproveRosterChange(ctx, c.ID, "李财务", pw("李财务")); err != nil || c.State != app.RosterDone || c.Seq != 1 {
		t.Fatalf("second signature: %+v %v", c, err)
	}
	m, err := db.memberService().Member(ctx, "刘委员")
	if err != nil || m.Role != app.RoleMember || m.Request != c.ID || !m.Active() {
		t.Fatalf("admitted member: %+v %v", m, err)
	}
	if _, err := db.memberService().ApproveRosterChange(ctx, c.ID, "陈委员", pw("陈委员")); app.ErrorCode(err) != app.ECONFLICT {
		t.Errorf("signing a change in effect: %v", err)
	}
	if r := lastAudit(t, db); r.Action != "member.approve.refused" {
		t.Errorf("audit %+v", r)
	}
	// The newcomer signs expenses now.
	e := apply(t, db, app.ExpenseRequest{})
	if _, err := db.expenseService().ApproveExpense(ctx, e.ID, "刘委员", pw("刘委员")); err != nil {
		t.Fatal(err)
	}
	if err := db.memberService().VerifyRoster(ctx); err != nil {
		t.Fatal(err)
	}
	if err := db.expenseService().VerifyExpenses(ctx); err != nil {
		t.Fatal(err)
	}
}

func TestRoster_FirstExpenseRequestSealsIt(t *testing.T) {
	db := chainBook(t)
	if _, err := db.memberService().AddMember(ctx, mustMember(t, "刘委员"), "tester", ""); err != nil {
		t.Fatal(err) // still open: added at once
	}
	e := apply(t, db, app.ExpenseRequest{})
	s, ok, err := db.memberService().RosterSeal(ctx)
	if err != nil || !ok || s.Members != 6 || e.Roster != s.Hash {
		t.Fatalf("seal after the first request: %+v %v %v (request cites %q)", s, ok, err, e.Roster)
	}
	c, err := db.memberService().AddMember(ctx, mustMember(t, "钱委员"), "tester", "")
	if err != nil || c.ID == "" {
		t.Fatalf("add after the auto-seal: %+v %v", c, err)
	}
	if _, err := db.memberService().SealRoster(ctx, "tester", ""); app.ErrorCode(err) != app.ECONFLICT {
		t.Errorf("sealing a sealed roster: %v", err)
	}
}

func TestRoster_SealingNeedsTwoCommitteeMembers(t *testing.T) {
	db, _ := newBook(t)
	for _, m := range []struct {
		n string
		r app.Role
	}{{"王经办", app.RoleClerk}, {"张主任", app.RoleChair}} {
		mm, _ := app.NewMember(m.n, m.r, pw(m.n), nil)
		if _, err := db.memberService().AddMember(ctx, mm, "tester", ""); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.memberService().SealRoster(ctx, "tester", ""); app.ErrorCode(err) != app.EINVALID {
		t.Fatalf("sealing with one committee member: %v", err)
	}
	if _, err := db.expenseService().ApplyExpense(ctx, app.ExpenseRequest{Fund: app.FundPublic, Category: "cleaning", Payee: "x", Amount: dec("1"), Description: "x"}, "王经办", pw("王经办")); app.ErrorCode(err) != app.EINVALID {
		t.Fatalf("the first request with one committee member: %v", err)
	}
	if _, ok, _ := db.memberService().RosterSeal(ctx); ok {
		t.Error("a refused request sealed the roster")
	}
}

func TestRoster_ReviewerRoleNeedsTheReviewerToo(t *testing.T) {
	db := chainBook(t)
	if _, err := db.memberService().SealRoster(ctx, "tester", ""); err != nil {
		t.Fatal(err)
	}
	rev, _ := app.NewMember("孙复核", app.RoleReviewer, pw("孙复核"), nil)
	c, err := db.memberService().AddMember(ctx, rev, "tester", "社区新派复核人")
	if err != nil {
		t.Fatal(err)
	}
	for _, who := range []string{"张主任", "陈委员"} {
		if c, err = db.memberService().ApproveRosterChange(ctx, c.ID, who, pw(who)); err != nil {
			t.Fatal(err)
		}
	}
	if c.State != app.RosterPending {
		t.Fatal("a reviewer admitted without the reviewer's signature")
	}
	if n, rev := c.RosterNeeds(map[string]app.Role{"张主任": app.RoleChair, "陈委员": app.RoleMember, "赵复核": app.RoleReviewer}); n != 0 || !rev {
		t.Errorf("needs = %d, %v", n, rev)
	}
	if c, err = db.memberService().ApproveRosterChange(ctx, c.ID, "赵复核", pw("赵复核")); err != nil || c.State != app.RosterDone {
		t.Fatalf("reviewer's signature: %+v %v", c, err)
	}
	if err := db.memberService().VerifyRoster(ctx); err != nil {
		t.Fatal(err)
	}
}

func TestRoster_RemovalAndRoleChangeKeepPastSignaturesValid(t *testing.T) {
	db := chainBook(t)
	e := apply(t, db, app.ExpenseRequest{}) // seals the roster
	for _, who := range []string{"陈委员", "李财务"} {
		if _, err := db.expenseService().ApproveExpense(ctx, e.ID, who, pw(who)); err != nil {
			t.Fatal(err)
		}
	}
	db.Now = func() time.Time { return time.Date(2026, 6, 16, 10, 0, 0, 0, time.Local) }
	if _, err := db.memberService().RemoveMember(ctx, "陈委员", "张主任", ""); app.ErrorCode(err) != app.EINVALID {
		t.Fatalf("removal without a reason: %v", err)
	}
	c, err := db.memberService().RemoveMember(ctx, "陈委员", "张主任", "辞职")
	if err != nil || c.From != app.RoleMember {
		t.Fatalf("remove: %+v %v", c, err)
	}
	if _, err := db.memberService().ApproveRosterChange(ctx, c.ID, "陈委员", pw("陈委员")); app.ErrorCode(err) != app.EUNAUTHORIZED {
		t.Fatalf("the member concerned signs their own removal: %v", err)
	}
	for _, who := range []string{"张主任", "李财务"} {
		if c, err = db.memberService().ApproveRosterChange(ctx, c.ID, who, pw(who)); err != nil {
			t.Fatal(err)
		}
	}
	if m, _ := db.memberService().Member(ctx, "陈委员"); m.Active() || m.Removed != c.ID {
		t.Fatalf("removed member: %+v", m)
	}
	e2 := apply(t, db, app.ExpenseRequest{})
	if _, err := db.expenseService().ApproveExpense(ctx, e2.ID, "陈委员", pw("陈委员")); app.ErrorCode(err) != app.EUNAUTHORIZED {
		t.Fatalf("a removed member signs: %v", err)
	}
	// Two committee members are left: neither may now leave the committee.
	if _, err := db.memberService().ChangeRole(ctx, "李财务", app.RoleClerk, "张主任", ""); app.ErrorCode(err) != app.EINVALID {
		t.Fatalf("leaving one committee member: %v", err)
	}
	db.Now = func() time.Time { return time.Date(2026, 6, 17, 10, 0, 0, 0, time.Local) }
	rc, err := db.memberService().ChangeRole(ctx, "李财务", app.RoleMember, "张主任", "改任委员")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.memberService().ApproveRosterChange(ctx, rc.ID, "张主任", pw("张主任")); err != nil {
		t.Fatal(err)
	}
	// Only 张主任 is a committee member other than 李财务 now: the change waits.
	cs, _ := db.memberService().RosterChanges(ctx)
	if cs[len(cs)-1].State != app.RosterPending {
		t.Fatal("a role change took effect on one signature")
	}
	// The past signatures (陈委员 as a member, 李财务 as treasurer) still verify.
	if err := db.expenseService().VerifyExpenses(ctx); err != nil {
		t.Fatal(err)
	}
}

func TestRoster_VerifyCatchesEditedMemberRecords(t *testing.T) {
	cases := []struct {
		name string
		key  string
		edit func(v map[string]any) map[string]any
	}{
		{"the clerk's record edited to chair", memberKey("王经办"), func(v map[string]any) map[string]any { v["role"] = "chair"; return v }},
		{"a fake committee member written in", memberKey("假委员"), func(map[string]any) map[string]any {
			m, _ := app.NewMember("假委员", app.RoleChair, "whatever", nil)
			return asJSON(m)
		}},
		{"a fake member citing a roster change that does not exist", memberKey("假委员"), func(map[string]any) map[string]any {
			m, _ := app.NewMember("假委员", app.RoleChair, "whatever", nil)
			m.Request = "M000009"
			return asJSON(m)
		}},
		{"the seal removed", keyRosterSeal, func(map[string]any) map[string]any { return nil }},
		{"a pending change set to done", rosterKey("M000001"), func(v map[string]any) map[string]any {
			v["state"] = "done"
			v["seq"] = 1
			return v
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			db := chainBook(t)
			e := apply(t, db, app.ExpenseRequest{}) // seals
			if _, err := db.memberService().AddMember(ctx, mustMember(t, "刘委员"), "tester", ""); err != nil {
				t.Fatal(err)
			}
			if err := db.expenseService().VerifyExpenses(ctx); err != nil {
				t.Fatal(err)
			}
			db = forge(t, db, tc.key, tc.edit)
			if err := db.expenseService().VerifyExpenses(ctx); app.ErrorCode(err) != app.EINVALID {
				t.Fatalf("verify after the edit: %v", err)
			}
			// No step runs on a roster that does not hold.
			if _, err := db.expenseService().ApproveExpense(ctx, e.ID, "张主任", pw("张主任")); app.ErrorCode(err) != app.EINVALID || !strings.Contains(err.Error(), "没有做任何更改") {
				t.Fatalf("a step on a forged roster: %v", err)
			}
		})
	}
}

func TestExpense_StepsCheckTheStoredSignaturesFirst(t *testing.T) {
	db := chainBook(t)
	done := apply(t, db, app.ExpenseRequest{})
	for _, who := range []string{"张主任", "陈委员"} {
		if _, err := db.expenseService().ApproveExpense(ctx, done.ID, who, pw(who)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.expenseService().ReviewExpense(ctx, done.ID, "赵复核", pw("赵复核")); err != nil {
		t.Fatal(err)
	}
	target := apply(t, db, app.ExpenseRequest{Payee: "自己", Amount: dec("5000")})
	good := rawJSON(t, db, expenseKey(done.ID))
	cases := []struct {
		name, want string
		edit       func(v map[string]any) map[string]any
	}{
		{"another request's signatures copied and the state set to reviewed", "复制", func(v map[string]any) map[string]any {
			v["signatures"], v["state"] = good["signatures"], "reviewed"
			return v
		}},
		{"the state set to reviewed by editing the store", "状态", func(v map[string]any) map[string]any {
			v["state"] = "reviewed"
			return v
		}},
		{"a whole reviewed request copied over this one", "自称", func(map[string]any) map[string]any { return good }},
		{"the amount raised after signing", "改动", func(v map[string]any) map[string]any {
			v["amount"] = "50000"
			return v
		}},
	}
	for _, tc := range cases { // not subtests: each forge reopens the book for the whole test
		func() {
			orig := rawJSON(t, db, expenseKey(target.ID))
			db = forge(t, db, expenseKey(target.ID), tc.edit)
			before := snapshot(t, db)
			for _, step := range []struct {
				who string
				f   func() (app.Expense, error)
			}{
				{"李财务", func() (app.Expense, error) {
					return db.expenseService().PayExpense(ctx, target.ID, "李财务", pw("李财务"), "")
				}},
				{"赵复核", func() (app.Expense, error) {
					return db.expenseService().ReviewExpense(ctx, target.ID, "赵复核", pw("赵复核"))
				}},
				{"陈委员", func() (app.Expense, error) {
					return db.expenseService().ApproveExpense(ctx, target.ID, "陈委员", pw("陈委员"))
				}},
				{"陈委员", func() (app.Expense, error) {
					return db.expenseService().RejectExpense(ctx, target.ID, "陈委员", pw("陈委员"), "x")
				}},
			} {
				_, err := step.f()
				if app.ErrorCode(err) != app.EINVALID || !strings.Contains(err.Error(), target.ID) || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "没有做任何更改") {
					t.Fatalf("%s, %s: %v", tc.name, step.who, err)
				}
				wantRefused(t, db, step.who)
			}
			if snapshot(t, db) != before {
				t.Errorf("%s: a refused step wrote something", tc.name)
			}
			db = forge(t, db, expenseKey(target.ID), func(map[string]any) map[string]any { return orig })
		}()
	}
	if err := db.expenseService().VerifyExpenses(ctx); err != nil {
		t.Fatal(err)
	}
}

func TestExpense_MaintenancePaymentNeverPredatesItsVote(t *testing.T) {
	db := chainBook(t) // today 2026-06-15
	a, err := db.voteService().CreateAssembly(ctx, app.Assembly{Title: "维修电梯", Date: "2026-05-25", Matters: []app.Matter{{No: 1, Title: "使用维修资金更换电梯", Kind: app.MatterOrdinary}}}, "tester")
	if err != nil {
		t.Fatal(err)
	}
	ballots := []app.Ballot{{No: "1", Unit: "1-1-101", Choices: []app.Choice{app.Agree}}, {No: "2", Unit: "2-1-101", Choices: []app.Choice{app.Agree}}}
	for _, entry := range []string{app.EntryA, app.EntryB} {
		if err := db.voteService().EnterBallots(ctx, a.ID, entry, ballots, false, "tester"); err != nil {
			t.Fatal(err)
		}
	}
	early := app.AsOf(ctx, time.Date(2026, 5, 20, 9, 0, 0, 0, time.Local))
	e, err := db.expenseService().ApplyExpense(early, app.ExpenseRequest{Fund: app.FundMaintenance, Category: "repair", Payee: "电梯公司", Amount: dec("20000"), Description: "更换电梯", Vote: a.ID, Matter: 1, Building: "1"}, "王经办", pw("王经办"))
	if err != nil {
		t.Fatal(err)
	}
	for _, who := range []string{"张主任", "陈委员"} {
		if _, err := db.expenseService().ApproveExpense(early, e.ID, who, pw(who)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.expenseService().ReviewExpense(early, e.ID, "赵复核", pw("赵复核")); err != nil {
		t.Fatal(err)
	}
	if _, err := db.printService().RecordPrint(app.AsOf(ctx, time.Date(2026, 5, 25, 9, 0, 0, 0, time.Local)), app.TallyDoc(a.ID), "tester"); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, db)
	_, err = db.expenseService().PayExpense(ctx, e.ID, "李财务", pw("李财务"), "2026-05-24")
	if app.ErrorCode(err) != app.EINVALID || !strings.Contains(err.Error(), "2026-05-25") || !strings.Contains(err.Error(), a.ID) {
		t.Fatalf("paying before the vote: %v", err)
	}
	if snapshot(t, db) != before {
		t.Error("a refused payment wrote something")
	}
	wantRefused(t, db, "李财务")
	// Announced on the vote's day: the 15-day 公示期 ends on 06-08, so 06-09 pays.
	if _, err := db.expenseService().PayExpense(ctx, e.ID, "李财务", pw("李财务"), "2026-06-09"); err != nil {
		t.Fatalf("paying after the 公示期: %v", err)
	}
}

func TestRoster_BeforeTheSealChangesTakeEffectAtOnce(t *testing.T) {
	db := chainBook(t)
	if c, err := db.memberService().ChangeRole(ctx, "陈委员", app.RoleTreasurer, "tester", "分工调整"); err != nil || c.ID != "" {
		t.Fatalf("role change before the seal: %+v %v", c, err)
	}
	if m, _ := db.memberService().Member(ctx, "陈委员"); m.Role != app.RoleTreasurer || len(m.History) != 0 {
		t.Errorf("after the role change: %+v", m)
	}
	if c, err := db.memberService().RemoveMember(ctx, "陈委员", "tester", "录入错误"); err != nil || c.ID != "" {
		t.Fatalf("removal before the seal: %+v %v", c, err)
	}
	if _, err := db.memberService().Member(ctx, "陈委员"); app.ErrorCode(err) != app.ENOTFOUND {
		t.Errorf("removed before the seal: %v", err)
	}
	if _, err := db.memberService().ChangeRole(ctx, "路人", app.RoleChair, "tester", ""); app.ErrorCode(err) != app.ENOTFOUND {
		t.Errorf("role change of nobody: %v", err)
	}
	wantRefused(t, db, "tester")
	if err := db.memberService().VerifyRoster(ctx); err != nil {
		t.Fatal(err)
	}
}
