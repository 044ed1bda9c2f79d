package storage

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"sunledger/app"
)

func init() { app.DefaultKDF.MemoryKiB = 1024 } // fast keys in tests; the parameters are stored with each key

// chainBook is a book on 2026-06-15 with the five roles, 10,000 of parking income in
// the public fund and a two-unit register.
func chainBook(t *testing.T) *DB {
	t.Helper()
	db, _ := newBook(t)
	db.Now = func() time.Time { return time.Date(2026, 6, 15, 10, 0, 0, 0, time.Local) }
	if err := db.registerService().ImportUnits(ctx, []app.Unit{unit("1-1-101", "100.00", "O1"), unit("2-1-101", "80.00", "O2")}, "tester", ""); err != nil {
		t.Fatal(err)
	}
	for _, m := range []struct {
		name string
		role app.Role
	}{{"王经办", app.RoleClerk}, {"张主任", app.RoleChair}, {"李财务", app.RoleTreasurer}, {"陈委员", app.RoleMember}, {"赵复核", app.RoleReviewer}} {
		mm, err := app.NewMember(m.name, m.role, "pw-"+m.name, nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.memberService().AddMember(ctx, mm, "tester", ""); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.incomeService().RecordIncome(ctx, app.Income{Fund: app.FundPublic, Kind: "parking", Amount: dec("10000"), Date: "2026-05-01"}, "tester", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := db.incomeService().RecordIncome(ctx, app.Income{Fund: app.FundMaintenance, Kind: "deposit", Amount: dec("50000"), Date: "2026-01-05"}, "tester", ""); err != nil {
		t.Fatal(err)
	}
	return db
}

func pw(name string) string { return "pw-" + name }

func apply(t *testing.T, db *DB, r app.ExpenseRequest) app.Expense {
	t.Helper()
	if r.Fund == "" {
		r.Fund = app.FundPublic
	}
	if r.Category == "" {
		r.Category = "cleaning"
	}
	if r.Payee == "" {
		r.Payee = "清洁公司"
	}
	if r.Description == "" {
		r.Description = "五月保洁"
	}
	if r.Amount.IsZero() {
		r.Amount = dec("1234.50")
	}
	e, err := db.expenseService().ApplyExpense(ctx, r, "王经办", pw("王经办"))
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// snapshot is everything a refused step must leave untouched.
func snapshot(t *testing.T, db *DB) string {
	t.Helper()
	xs, err := db.expenseService().Expenses(ctx)
	if err != nil {
		t.Fatal(err)
	}
	head, seq, _ := db.ledgerService().Head(ctx)
	bals, _ := db.ledgerService().Balances(ctx)
	b, _ := json.Marshal([]any{xs, head, seq, bals})
	return string(b)
}

func lastAudit(t *testing.T, db *DB) app.AuditRecord {
	t.Helper()
	a, err := db.bookService().Audit(ctx)
	if err != nil || len(a) == 0 {
		t.Fatal(err)
	}
	return a[len(a)-1]
}

func TestExpense_WholeChainPostsThePayment(t *testing.T) {
	db := chainBook(t)
	e := apply(t, db, app.ExpenseRequest{Files: []app.AttachmentFile{{Name: "发票.jpg", Data: bytes.Repeat([]byte("x"), 5<<20+7)}, {Name: "合同.pdf", Data: []byte("%PDF")}}})
	if e.ID != "E000001" || e.State != app.ExpenseApplied || len(e.Signatures) != 1 || len(e.Attachments) != 2 {
		t.Fatalf("applied: %+v", e)
	}
	steps := []struct {
		f    func() (app.Expense, error)
		want app.ExpenseState
	}{
		{func() (app.Expense, error) {
			return db.expenseService().ApproveExpense(ctx, e.ID, "张主任", pw("张主任"))
		}, app.ExpenseApplied},
		{func() (app.Expense, error) {
			return db.expenseService().ApproveExpense(ctx, "1", "陈委员", pw("陈委员"))
		}, app.ExpenseApproved},
		{func() (app.Expense, error) {
			return db.expenseService().ReviewExpense(ctx, e.ID, "赵复核", pw("赵复核"))
		}, app.ExpenseReviewed},
		{func() (app.Expense, error) {
			return db.expenseService().PayExpense(ctx, e.ID, "李财务", pw("李财务"), "2026-06-15")
		}, app.ExpensePaid},
	}
	for i, s := range steps {
		x, err := s.f()
		if err != nil || x.State != s.want {
			t.Fatalf("step %d: %v, state %s", i, err, x.State)
		}
		e = x
	}
	je, err := db.ledgerService().Entry(ctx, e.Entry)
	if err != nil || je.Ref != "expense:E000001" || je.Date != "2026-06-15" || je.Who != "李财务" {
		t.Fatalf("payment entry: %+v %v", je, err)
	}
	bals, _ := db.ledgerService().Balances(ctx)
	for _, b := range bals {
		if b.Account == app.BankAccount(app.FundPublic) && !b.Balance.Equal(dec("8765.50")) {
			t.Errorf("public bank = %s", b.Balance)
		}
	}
	if err := db.expenseService().VerifyExpenses(ctx); err != nil {
		t.Fatal(err)
	}
	if err := db.ledgerService().Verify(ctx); err != nil {
		t.Fatal(err)
	}
	a, data, err := db.expenseService().AttachmentData(ctx, e.ID, 0)
	if err != nil || len(data) != 5<<20+7 || a.Name != "发票.jpg" {
		t.Fatalf("attachment: %v %d", err, len(data))
	}
	if r := lastAudit(t, db); r.Action != "expense.pay" || r.Who != "李财务" {
		t.Errorf("audit %+v", r)
	}
}

func TestExpense_AbuseIsRefusedWritesNothingAndIsAudited(t *testing.T) {
	db := chainBook(t)
	e := apply(t, db, app.ExpenseRequest{})
	big := apply(t, db, app.ExpenseRequest{Amount: dec("10000.01")})
	if _, err := db.expenseService().ApproveExpense(ctx, e.ID, "张主任", pw("张主任")); err != nil {
		t.Fatal(err)
	}
	for _, who := range []string{"张主任", "陈委员"} {
		if _, err := db.expenseService().ApproveExpense(ctx, big.ID, who, pw(who)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.expenseService().ReviewExpense(ctx, big.ID, "赵复核", pw("赵复核")); err != nil {
		t.Fatal(err)
	}
	// small is fully approved, with the treasurer as one of its approvers.
	small := apply(t, db, app.ExpenseRequest{Amount: dec("10")})
	for _, step := range []func() (app.Expense, error){
		func() (app.Expense, error) {
			return db.expenseService().ApproveExpense(ctx, small.ID, "张主任", pw("张主任"))
		},
		func() (app.Expense, error) {
			return db.expenseService().ApproveExpense(ctx, small.ID, "李财务", pw("李财务"))
		},
		func() (app.Expense, error) {
			return db.expenseService().ReviewExpense(ctx, small.ID, "赵复核", pw("赵复核"))
		},
	} {
		if _, err := step(); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name, who string
		do        func() error
		code      app.Code
		msg       string
	}{
		{"same member twice", "张主任", func() error {
			_, err := db.expenseService().ApproveExpense(ctx, e.ID, "张主任", pw("张主任"))
			return err
		}, app.ECONFLICT, "已经签过"},
		{"applicant signing own", "王经办", func() error {
			_, err := db.expenseService().ApproveExpense(ctx, e.ID, "王经办", pw("王经办"))
			return err
		}, app.EUNAUTHORIZED, "申请人"},
		{"wrong passphrase", "李财务", func() error {
			_, err := db.expenseService().ApproveExpense(ctx, e.ID, "李财务", "guess")
			return err
		}, app.EUNAUTHORIZED, "口令不正确"},
		{"paying before approval", "李财务", func() error {
			_, err := db.expenseService().PayExpense(ctx, e.ID, "李财务", pw("李财务"), "")
			return err
		}, app.EINVALID, "尚未完成审批"},
		{"overspending the fund", "李财务", func() error {
			_, err := db.expenseService().PayExpense(ctx, big.ID, "李财务", pw("李财务"), "")
			return err
		}, app.EINVALID, "不足以支付"},
		{"the treasurer who approved pays", "李财务", func() error {
			_, err := db.expenseService().PayExpense(ctx, small.ID, "李财务", pw("李财务"), "")
			return err
		}, app.EUNAUTHORIZED, "联签了支出申请"},
		{"the chair pays", "张主任", func() error {
			_, err := db.expenseService().PayExpense(ctx, big.ID, "张主任", pw("张主任"), "")
			return err
		}, app.EUNAUTHORIZED, "只有财务委员"},
		{"budget line of another fund", "王经办", func() error {
			_, err := db.expenseService().ApplyExpense(ctx, app.ExpenseRequest{Fund: app.FundPublic, Category: "cleaning", BudgetLine: "2026:service:cleaning", Payee: "x", Amount: dec("1"), Description: "x"}, "王经办", "")
			return err
		}, app.EINVALID, "资金之间不能挪用"},
		{"budget line that does not exist", "王经办", func() error {
			_, err := db.expenseService().ApplyExpense(ctx, app.ExpenseRequest{Fund: app.FundPublic, Category: "cleaning", BudgetLine: "2026:public:cleaning", Payee: "x", Amount: dec("1"), Description: "x"}, "王经办", "")
			return err
		}, app.ENOTFOUND, "预算"},
		{"maintenance fund without a vote", "王经办", func() error {
			_, err := db.expenseService().ApplyExpense(ctx, app.ExpenseRequest{Fund: app.FundMaintenance, Category: "repair", Payee: "x", Amount: dec("1"), Description: "x"}, "王经办", "")
			return err
		}, app.EINVALID, "表决"},
		{"maintenance fund citing an unknown vote", "王经办", func() error {
			_, err := db.expenseService().ApplyExpense(ctx, app.ExpenseRequest{Fund: app.FundMaintenance, Category: "repair", Payee: "x", Amount: dec("1"), Description: "x", Vote: "V9999", Matter: 1}, "王经办", "")
			return err
		}, app.ENOTFOUND, ""},
		{"unknown member", "某人", func() error { _, err := db.expenseService().ApproveExpense(ctx, e.ID, "某人", "x"); return err }, app.ENOTFOUND, ""},
		{"payment dated in the future", "李财务", func() error {
			_, err := db.expenseService().PayExpense(ctx, big.ID, "李财务", pw("李财务"), "2028-01-01")
			return err
		}, app.EINVALID, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before := snapshot(t, db)
			err := tc.do()
			if app.ErrorCode(err) != tc.code || !strings.Contains(err.(*app.Error).ZH, tc.msg) {
				t.Fatalf("got %v (%s), want %s containing %q", err, app.ErrorCode(err), tc.code, tc.msg)
			}
			if after := snapshot(t, db); after != before {
				t.Errorf("a refused step changed the book")
			}
			r := lastAudit(t, db)
			if !strings.HasSuffix(r.Action, ".refused") || r.Who != tc.who || r.Why == "" {
				t.Errorf("audit = %+v, want a refusal by %s", r, tc.who)
			}
		})
	}
}

func TestExpense_MaintenanceFundNeedsAPassedVote(t *testing.T) {
	db := chainBook(t)
	a, err := db.voteService().CreateAssembly(ctx, app.Assembly{Title: "维修电梯", Date: "2026-05-20", Matters: []app.Matter{{No: 1, Title: "使用维修资金更换电梯", Kind: app.MatterOrdinary}}}, "tester")
	if err != nil {
		t.Fatal(err)
	}
	// Not announced before the vote ended.
	if _, err := db.printService().RecordPrint(app.AsOf(ctx, time.Date(2026, 5, 19, 9, 0, 0, 0, time.Local)), app.TallyDoc(a.ID), "tester"); app.ErrorCode(err) != app.EINVALID {
		t.Fatalf("an announcement before the vote ended: %v", err)
	}
	req := app.ExpenseRequest{Fund: app.FundMaintenance, Category: "repair", Payee: "电梯公司", Amount: dec("20000"), Description: "更换电梯", Vote: a.ID, Matter: 1, Building: "1"}
	before := snapshot(t, db)
	if _, err := db.expenseService().ApplyExpense(ctx, req, "王经办", ""); app.ErrorCode(err) != app.EINVALID || !strings.Contains(err.Error(), "没有通过") {
		t.Fatalf("applying before the vote passed: %v", err)
	}
	if snapshot(t, db) != before {
		t.Error("a refused application wrote something")
	}
	// Both owners agree, in both transcriptions.
	ballots := []app.Ballot{{No: "1", Unit: "1-1-101", Choices: []app.Choice{app.Agree}}, {No: "2", Unit: "2-1-101", Choices: []app.Choice{app.Agree}}}
	for _, entry := range []string{app.EntryA, app.EntryB} {
		if err := db.voteService().EnterBallots(ctx, a.ID, entry, ballots, false, "tester"); err != nil {
			t.Fatal(err)
		}
	}
	e := apply(t, db, req)
	for _, who := range []string{"张主任", "陈委员"} {
		if _, err := db.expenseService().ApproveExpense(ctx, e.ID, who, pw(who)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.expenseService().ReviewExpense(ctx, e.ID, "赵复核", pw("赵复核")); err != nil {
		t.Fatal(err)
	}
	if st, _ := db.maintenanceService().MaintenanceStatement(ctx, 2026); st.Applications[0].Progress != app.ProgressApproved {
		t.Fatalf("progress after the vote = %s", st.Applications[0].Progress)
	}
	// Not before the result was announced and its 公示期 has passed.
	if _, err := db.expenseService().PayExpense(ctx, e.ID, "李财务", pw("李财务"), ""); app.ErrorCode(err) != app.EINVALID || !strings.Contains(err.Error(), "还没有公告") {
		t.Fatalf("paying before the announcement: %v", err)
	}
	if _, err := db.printService().RecordPrint(app.AsOf(ctx, time.Date(2026, 6, 1, 9, 0, 0, 0, time.Local)), app.TallyDoc(a.ID), "tester"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.expenseService().PayExpense(ctx, e.ID, "李财务", pw("李财务"), "2026-06-15"); app.ErrorCode(err) != app.EINVALID || !strings.Contains(err.Error(), "2026-06-16") {
		t.Fatalf("paying on the 15th day of the notice period: %v", err)
	}
	// A reprint does not move the announcement's date.
	if _, err := db.printService().RecordPrint(ctx, app.TallyDoc(a.ID), "tester"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.expenseService().PayExpense(ctx, e.ID, "李财务", pw("李财务"), "2026-06-15"); app.ErrorCode(err) != app.EINVALID || !strings.Contains(err.Error(), "2026-06-01") {
		t.Fatalf("the period counts from the first print: %v", err)
	}
}

func TestExpense_MaintenanceAnnouncementPeriodCountsFromTheFirstPrint(t *testing.T) {
	db := chainBook(t) // today 2026-06-15
	a, err := db.voteService().CreateAssembly(ctx, app.Assembly{Title: "维修电梯", Date: "2026-05-10", Matters: []app.Matter{{No: 1, Title: "使用维修资金更换电梯", Kind: app.MatterOrdinary, Fund: app.FundMaintenance, Cap: dec("25000")}}}, "tester")
	if err != nil {
		t.Fatal(err)
	}
	ballots := []app.Ballot{{No: "1", Unit: "1-1-101", Choices: []app.Choice{app.Agree}}, {No: "2", Unit: "2-1-101", Choices: []app.Choice{app.Agree}}}
	for _, entry := range []string{app.EntryA, app.EntryB} {
		if err := db.voteService().EnterBallots(ctx, a.ID, entry, ballots, false, "tester"); err != nil {
			t.Fatal(err)
		}
	}
	e := apply(t, db, app.ExpenseRequest{Fund: app.FundMaintenance, Category: "repair", Payee: "电梯公司", Amount: dec("20000"), Description: "更换电梯", Vote: a.ID, Matter: 1})
	// The cap: 25000 less the 20000 asked leaves 5000.
	before := snapshot(t, db)
	_, err = db.expenseService().ApplyExpense(ctx, app.ExpenseRequest{Fund: app.FundMaintenance, Category: "repair", Payee: "X", Amount: dec("5000.01"), Description: "更换电梯", Vote: a.ID, Matter: 1}, "王经办", "")
	if app.ErrorCode(err) != app.EINVALID || !strings.Contains(err.Error(), "¥5,000.01") || !strings.Contains(err.Error(), "¥5,000.00") {
		t.Fatalf("over the cap: %v", err)
	}
	if snapshot(t, db) != before {
		t.Error("a refused application wrote something")
	}
	for _, who := range []string{"张主任", "陈委员"} {
		if _, err := db.expenseService().ApproveExpense(ctx, e.ID, who, pw(who)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.expenseService().ReviewExpense(ctx, e.ID, "赵复核", pw("赵复核")); err != nil {
		t.Fatal(err)
	}
	if _, err := db.printService().RecordPrint(app.AsOf(ctx, time.Date(2026, 5, 31, 9, 0, 0, 0, time.Local)), app.TallyDoc(a.ID), "tester"); err != nil {
		t.Fatal(err)
	}
	// 15 days from 05-31: 06-14 is still inside the period, 06-15 is the first day after it.
	if _, err := db.expenseService().PayExpense(ctx, e.ID, "李财务", pw("李财务"), "2026-06-14"); app.ErrorCode(err) != app.EINVALID || !strings.Contains(err.Error(), "2026-06-15") {
		t.Fatalf("paying inside the notice period: %v", err)
	}
	if _, err := db.expenseService().PayExpense(ctx, e.ID, "李财务", pw("李财务"), "2026-06-15"); err != nil {
		t.Fatal(err)
	}
	// The repair is shared by area (100:80) over the whole community; the units add up
	// to what the fund holds.
	led, err := db.maintenanceService().FundLedger(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(led) != 2 || !led[0].Balance.Equal(dec("16666.67")) || !led[1].Balance.Equal(dec("13333.33")) {
		t.Fatalf("ledger %+v", led)
	}
	// 5000 are left under the cap, but no more.
	if _, err := db.expenseService().ApplyExpense(ctx, app.ExpenseRequest{Fund: app.FundMaintenance, Category: "repair", Payee: "X", Amount: dec("5000"), Description: "尾款", Vote: a.ID, Matter: 1}, "王经办", ""); err != nil {
		t.Fatal(err)
	}
}

func TestExpense_VerifyCatchesAnEditedRequest(t *testing.T) {
	db := chainBook(t)
	e := apply(t, db, app.ExpenseRequest{Files: []app.AttachmentFile{{Name: "a.txt", Data: []byte("invoice")}}})
	for _, who := range []string{"张主任", "陈委员"} {
		if _, err := db.expenseService().ApproveExpense(ctx, e.ID, who, pw(who)); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.expenseService().VerifyExpenses(ctx); err != nil {
		t.Fatal(err)
	}
	// Someone with the files raises the amount of an approved request...
	raw := func(key string, edit func([]byte) []byte) {
		if err := db.update(func(tx *Tx) error {
			item, err := tx.txn.Get([]byte(key))
			if err != nil {
				return err
			}
			b, _ := item.ValueCopy(nil)
			return tx.putRaw(key, edit(b))
		}); err != nil {
			t.Fatal(err)
		}
	}
	raw(expenseKey(e.ID), func(b []byte) []byte { return bytes.Replace(b, []byte(`"1234.5"`), []byte(`"4234.5"`), 1) })
	if err := db.expenseService().VerifyExpenses(ctx); app.ErrorCode(err) != app.EINVALID || !strings.Contains(err.Error(), e.ID) {
		t.Fatalf("edited amount: %v", err)
	}
	raw(expenseKey(e.ID), func(b []byte) []byte { return bytes.Replace(b, []byte(`"4234.5"`), []byte(`"1234.5"`), 1) })
	if err := db.expenseService().VerifyExpenses(ctx); err != nil {
		t.Fatalf("restored: %v", err)
	}
	// ...or swaps the scanned invoice.
	raw(attachmentKey(e.Attachments[0].SHA256, 0), func(b []byte) []byte { return []byte("INVOICE") })
	if err := db.expenseService().VerifyExpenses(ctx); app.ErrorCode(err) != app.EINVALID {
		t.Fatalf("swapped attachment: %v", err)
	}
}

func TestBudget_ApproveSettleAndLock(t *testing.T) {
	db := chainBook(t)
	if _, err := db.budgetService().SetBudgetLine(ctx, app.BudgetLine{Year: 2026, Fund: app.FundPublic, Category: "cleaning", Amount: dec("20000")}, "tester", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := db.budgetService().ApproveBudget(ctx, 2026, app.BudgetBasis{Vote: "V0009", Matter: 1}, "tester", ""); app.ErrorCode(err) != app.ENOTFOUND {
		t.Fatalf("approve on an unknown vote: %v", err)
	}
	if _, err := db.budgetService().ApproveBudget(ctx, 2026, app.BudgetBasis{Decision: "第5次会议决议"}, "tester", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := db.budgetService().SetBudgetLine(ctx, app.BudgetLine{Year: 2026, Fund: app.FundPublic, Category: "cleaning", Amount: dec("1")}, "tester", ""); app.ErrorCode(err) != app.ECONFLICT {
		t.Fatalf("editing an approved budget: %v", err)
	}
	e := apply(t, db, app.ExpenseRequest{})
	if e.BudgetLine != "2026:public:cleaning" {
		t.Errorf("budget line not linked: %q", e.BudgetLine)
	}
	for _, who := range []string{"张主任", "陈委员"} {
		db.expenseService().ApproveExpense(ctx, e.ID, who, pw(who))
	}
	db.expenseService().ReviewExpense(ctx, e.ID, "赵复核", pw("赵复核"))
	if _, err := db.expenseService().PayExpense(ctx, e.ID, "李财务", pw("李财务"), "2026-06-15"); err != nil {
		t.Fatal(err)
	}
	r, err := db.budgetService().BudgetVsActual(ctx, 2026)
	if err != nil || !r.Lines[0].Actual.Equal(dec("1234.50")) || !r.Lines[0].Months[5].Equal(dec("1234.50")) {
		t.Fatalf("budget vs actual: %+v %v", r.Lines, err)
	}
	e2 := apply(t, db, app.ExpenseRequest{Amount: dec("10")})
	for _, who := range []string{"张主任", "陈委员"} {
		db.expenseService().ApproveExpense(ctx, e2.ID, who, pw(who))
	}
	db.expenseService().ReviewExpense(ctx, e2.ID, "赵复核", pw("赵复核"))
	if _, err := db.settlementService().Settle(ctx, 2026, "tester", ""); app.ErrorCode(err) != app.EINVALID {
		t.Fatalf("settling a year that is not over: %v", err)
	}
	db.Now = func() time.Time { return time.Date(2027, 1, 10, 10, 0, 0, 0, time.Local) }
	s, err := db.settlementService().Settle(ctx, 2026, "tester", "")
	if err != nil {
		t.Fatal(err)
	}
	if f := s.Fund(app.FundPublic); !f.Surplus.Equal(dec("8765.50")) || !f.Closing.Equal(dec("8765.50")) {
		t.Errorf("public fund settlement %+v", f)
	}
	if _, err := db.settlementService().Settle(ctx, 2026, "tester", ""); app.ErrorCode(err) != app.ECONFLICT {
		t.Errorf("settling twice: %v", err)
	}
	// The next year opens with what this one carried forward.
	if next, err := db.settlementService().PreviewSettlement(ctx, 2027); err != nil || !next.Fund(app.FundPublic).Opening.Equal(dec("8765.50")) || !next.Fund(app.FundMaintenance).Closing.Equal(dec("50000")) {
		t.Errorf("2027 preview: %+v %v", next.Funds, err)
	}
	if lock, _ := db.chartService().LockedThrough(ctx); lock != "2026-12" {
		t.Errorf("lock = %q", lock)
	}
	// The settled year is closed to payments and budget edits.
	if _, err := db.expenseService().PayExpense(ctx, e2.ID, "李财务", pw("李财务"), "2026-12-31"); app.ErrorCode(err) != app.ELOCKED {
		t.Errorf("paying into a settled year: %v", err)
	}
	if _, err := db.budgetService().SetBudgetLine(ctx, app.BudgetLine{Year: 2026, Fund: app.FundPublic, Category: "office", Amount: dec("1")}, "tester", ""); app.ErrorCode(err) != app.ELOCKED {
		t.Errorf("budget of a settled year: %v", err)
	}
}

func TestRemuneration_AccrueMonthlyAndPayFromPayable(t *testing.T) {
	db := feeBook(t) // Jan–Mar billed; now 2026-06-15
	for _, m := range []struct {
		name string
		role app.Role
	}{{"王经办", app.RoleClerk}, {"张主任", app.RoleChair}, {"李财务", app.RoleTreasurer}, {"陈委员", app.RoleMember}, {"赵复核", app.RoleReviewer}} {
		mm, _ := app.NewMember(m.name, m.role, pw(m.name), nil)
		if _, err := db.memberService().AddMember(ctx, mm, "tester", ""); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.remunerationService().AccrueRemuneration(ctx, "2026-01", "", "tester", ""); app.ErrorCode(err) != app.ENOTFOUND {
		t.Fatalf("accrual without a contract: %v", err)
	}
	c := app.RemunerationContract{Mode: app.RemunerationPercent, Percent: dec("15"), Base: app.BaseBilled, From: "2026-01", Bands: []app.ScoreBand{{MinScore: 90, Factor: dec("1")}, {MinScore: 0, Factor: dec("0.9")}}}
	if err := db.remunerationService().SetRemunerationContract(ctx, c, "tester", ""); err != nil {
		t.Fatal(err)
	}
	if err := db.remunerationService().RecordAssessment(ctx, app.Assessment{Quarter: "2026Q1", Scores: []app.AssessmentScore{{Item: "保洁", Weight: dec("1"), Score: dec("85")}}}, "tester", ""); err != nil {
		t.Fatal(err)
	}
	acc, err := db.remunerationService().AccrueRemuneration(ctx, "2026-01", "2026-03", "tester", "")
	if err != nil || len(acc) != 3 {
		t.Fatal(err)
	}
	// Jan fees: 100×1.20 + 88.50×1.20 + 12×0.50 = 232.20; 15% = 34.83 at the base rate,
	// the quarter's factor 0.9 applied by the true-up once all three months are accrued.
	if !acc[0].Base.Equal(dec("232.20")) || !acc[0].Amount.Equal(dec("34.83")) || acc[0].Quarter != "" {
		t.Errorf("January accrual %+v", acc[0])
	}
	tus, _ := db.remunerationService().TrueUps(ctx)
	sum := acc[0].Amount.Add(acc[1].Amount).Add(acc[2].Amount)
	if len(tus) != 1 || !tus[0].Accrued.Equal(sum) || !tus[0].Factor.Equal(dec("0.9")) || !tus[0].Due.Equal(app.Round2(sum.Mul(dec("0.9")))) || tus[0].Entry == 0 {
		t.Errorf("true-up %+v (accrued %s)", tus, sum)
	}
	if _, err := db.remunerationService().AccrueRemuneration(ctx, "2026-03", "", "tester", ""); app.ErrorCode(err) != app.ECONFLICT {
		t.Errorf("accruing twice: %v", err)
	}
	if _, err := db.remunerationService().AccrueRemuneration(ctx, "2026-06", "", "tester", ""); app.ErrorCode(err) != app.EINVALID {
		t.Errorf("accruing a month not over: %v", err)
	}
	if err := db.remunerationService().RecordAssessment(ctx, app.Assessment{Quarter: "2026Q1", Scores: []app.AssessmentScore{{Item: "保洁", Weight: dec("1"), Score: dec("95")}}}, "tester", ""); app.ErrorCode(err) != app.ECONFLICT {
		t.Errorf("changing a used assessment: %v", err)
	}
	if err := db.ledgerService().Verify(ctx); err != nil {
		t.Fatal(err)
	}
}

func TestMember_PassphraseChangeAndWrongPassphraseAudited(t *testing.T) {
	db := chainBook(t)
	before := snapshot(t, db)
	if _, err := db.expenseService().ApplyExpense(ctx, app.ExpenseRequest{Fund: app.FundPublic, Category: "cleaning", Payee: "x", Amount: dec("1"), Description: "x"}, "王经办", "nope"); app.ErrorCode(err) != app.EUNAUTHORIZED {
		t.Fatalf("apply with a wrong passphrase: %v", err)
	}
	if snapshot(t, db) != before {
		t.Error("a refused application wrote something")
	}
	if r := lastAudit(t, db); r.Action != "expense.apply.refused" || r.Who != "王经办" {
		t.Errorf("audit %+v", r)
	}
	if err := db.memberService().ChangePassphrase(ctx, "张主任", "nope", "new-secret"); app.ErrorCode(err) != app.EUNAUTHORIZED {
		t.Fatalf("change with a wrong passphrase: %v", err)
	}
	if r := lastAudit(t, db); r.Action != "member.passphrase.refused" {
		t.Errorf("audit %+v", r)
	}
	if err := db.memberService().ChangePassphrase(ctx, "张主任", pw("张主任"), "new-secret"); err != nil {
		t.Fatal(err)
	}
	e := apply(t, db, app.ExpenseRequest{})
	if _, err := db.expenseService().ApproveExpense(ctx, e.ID, "张主任", pw("张主任")); app.ErrorCode(err) != app.EUNAUTHORIZED {
		t.Errorf("old passphrase still signs: %v", err)
	}
	if _, err := db.expenseService().ApproveExpense(ctx, e.ID, "张主任", "new-secret"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.memberService().AddMember(ctx, mustMember(t, "张主任"), "tester", ""); app.ErrorCode(err) != app.ECONFLICT {
		t.Errorf("a second 张主任: %v", err)
	}
	if err := db.expenseService().VerifyExpenses(ctx); err != nil {
		t.Fatal(err)
	}
}

func mustMember(t *testing.T, name string) app.Member {
	t.Helper()
	m, err := app.NewMember(name, app.RoleMember, "whatever", nil)
	if err != nil {
		t.Fatal(err)
	}
	return m
}
