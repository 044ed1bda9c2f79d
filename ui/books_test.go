package ui

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"github.com/shopspring/decimal"

	"sunledger/app"
	"sunledger/demo"
	"sunledger/storage"
)

// demoBook is a small demo community with a year of fees, payments, arrears, expenses
// and a vote. It is built once per test run and copied for each test (building it signs
// hundreds of approvals).
func demoBook(t *testing.T) app.Services {
	t.Helper()
	demoOnce.Do(func() {
		demoDir, demoErr = os.MkdirTemp("", "sunledger-ui-demo")
		if demoErr != nil {
			return
		}
		db, err := storage.Open(demoDir)
		if err != nil {
			demoErr = err
			return
		}
		_, demoErr = demo.Build(context.Background(), db.Services(), demo.Options{Units: 60, Years: 1, Seed: 7})
		if err := db.Close(); demoErr == nil {
			demoErr = err
		}
	})
	if demoErr != nil {
		t.Fatal(demoErr)
	}
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS(demoDir)); err != nil {
		t.Fatal(err)
	}
	db, err := storage.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db.Services()
}

var (
	demoOnce sync.Once
	demoDir  string
	demoErr  error
)

func TestDashboard_ShowsFundsCollectionAndArrears(t *testing.T) {
	s := demoBook(t)
	w := newWindow(t)
	d := newDashboard(w, s)
	w.SetContent(d.content)
	for i, l := range d.funds {
		if !strings.HasPrefix(l.Text, "¥") {
			t.Errorf("fund %d shows %q", i, l.Text)
		}
	}
	if !strings.HasSuffix(d.rate.Text, "%") || !strings.Contains(d.rateNote.Text, "按户数") {
		t.Errorf("collection = %q / %q", d.rate.Text, d.rateNote.Text)
	}
	if !strings.HasPrefix(d.arrears.Text, "¥") || d.months.Rows() == 0 {
		t.Errorf("arrears = %q, %d months", d.arrears.Text, d.months.Rows())
	}
	if !strings.Contains(d.head.Text, "最新哈希") {
		t.Errorf("head = %q", d.head.Text)
	}
	if topDialogText(w) != "" {
		t.Errorf("a dialog popped up: %q", topDialogText(w))
	}
}

func TestFees_PreviewFollowsTypingAndPaymentIssuesReceipt(t *testing.T) {
	s := demoBook(t)
	ctx := context.Background()
	rows, err := s.Fees.Arrears(ctx)
	if err != nil || len(rows) == 0 {
		t.Fatalf("demo has no arrears: %v", err)
	}
	debtor := rows[0]
	w := newWindow(t)
	p := newPaymentForm(w, s)
	w.SetContent(p.content)
	test.Type(p.unit, debtor.Unit)
	if p.stmt == nil || p.amount.Text != app.PlainAmount(debtor.Owed) {
		t.Fatalf("choosing %s: statement %v, amount %q (owes %s)", debtor.Unit, p.stmt != nil, p.amount.Text, debtor.Owed)
	}
	p.amount.SetText("1325.04")
	if got := p.preview.words.Text; !strings.Contains(got, "壹仟叁佰贰拾伍元零肆分") {
		t.Errorf("大写 = %q", got)
	}
	p.amount.SetText("12.345")
	if !p.pay.Disabled() || p.preview.problem.Hidden || !strings.Contains(p.preview.problem.Text, "两位小数") {
		t.Errorf("3 decimals: pay enabled=%v, problem %q", !p.pay.Disabled(), p.preview.problem.Text)
	}
	p.amount.SetText(app.PlainAmount(debtor.Owed))
	shoot(t, w, "fees-preview")
	if p.pay.Disabled() {
		t.Fatal("pay button disabled for a good payment")
	}
	test.Tap(p.pay)
	if p.last == nil || !strings.HasPrefix(p.last.Receipt, "R") {
		t.Fatalf("no receipt: %+v; dialog %q", p.last, topDialogText(w))
	}
	if msg := topDialogText(w); !strings.Contains(msg, p.last.Receipt) {
		t.Errorf("dialog = %q", msg)
	}
	st, _ := s.Fees.Statement(ctx, debtor.Unit)
	if !st.Account.Owed().IsZero() {
		t.Errorf("%s still owes %s after paying all", debtor.Unit, st.Account.Owed())
	}
	// 打印收据 makes the receipt in the print folder and opens it in the system's viewer.
	folder := t.TempDir()
	fyne.CurrentApp().Preferences().SetString(PrintFolderPreference, folder)
	b := button(w.Canvas().Overlays().Top(), L("打印收据"))
	if b == nil {
		t.Fatalf("no 打印收据 in %q", topDialogText(w))
	}
	test.Tap(b)
	file := filepath.Join(folder, "receipt-"+safeName(p.last.Receipt)+".pdf")
	if _, err := os.Stat(file); err != nil {
		t.Fatalf("the receipt was not made: %v (dialog %q)", err, topDialogText(w))
	}
	if !strings.HasPrefix(lastOpened, "file://") || !strings.HasSuffix(lastOpened, filepath.Base(file)) {
		t.Errorf("opened %q, want the receipt's file address", lastOpened)
	}
}

func TestFees_UnitEntryCompletesTheOnlyMatch(t *testing.T) {
	units := []app.Unit{
		unit("1-1-101", app.KindResidential, "80", "O1", "王伟"),
		unit("1-1-102", app.KindResidential, "80", "O2", "李娜"),
		unit("12-1-101", app.KindResidential, "80", "O3", "张强"),
	}
	newWindow(t)
	e := NewUnitEntry(units)
	var got *app.Unit
	e.OnUnit = func(u *app.Unit) { got = u }
	test.Type(e, "1-1-10")
	if got != nil || !strings.Contains(e.Hint().Text, "1-1-101") || !strings.Contains(e.Hint().Text, "1-1-102") {
		t.Fatalf("prefix: unit %v, hint %q", got, e.Hint().Text)
	}
	e.SetText("12")
	if !e.Complete() || e.Text != "12-1-101" || got == nil || got.ID != "12-1-101" {
		t.Errorf("complete 12 → %q (%v)", e.Text, got)
	}
	e.SetText("李娜")
	if !e.Complete() || e.Text != "1-1-102" {
		t.Errorf("complete by owner → %q", e.Text)
	}
	e.SetText("9-9")
	if e.Complete() || !strings.Contains(e.Hint().Text, "没有") {
		t.Errorf("unknown unit: %q hint %q", e.Text, e.Hint().Text)
	}
}

func TestArrears_FiltersByAgeAndTotalsWhatIsShown(t *testing.T) {
	s := demoBook(t)
	w := newWindow(t)
	a := newArrearsScreen(w, s)
	w.SetContent(a.content)
	all := a.table.Rows()
	if all == 0 || !strings.Contains(a.total.Text, itoa(all)+" 户欠费") {
		t.Fatalf("%d rows, total %q", all, a.total.Text)
	}
	a.age.SetSelectedIndex(2) // over 6 months
	for r := 0; r < a.table.Rows(); r++ {
		row := a.rows[a.table.DataRow(r)]
		if row.Ageing[2].Add(row.Ageing[3]).IsZero() {
			t.Errorf("%s shown under 'over 6 months' with ageing %v", row.Unit, row.Ageing)
		}
	}
	if a.table.Rows() > all {
		t.Errorf("filter grew the list")
	}
	a.age.SetSelectedIndex(0)
	a.search.SetText(a.rows[0].Unit)
	if a.table.Rows() < 1 || a.table.CellText(0, 0) != a.rows[0].Unit {
		t.Errorf("search %s shows %d rows", a.rows[0].Unit, a.table.Rows())
	}
}

func TestJournal_ReversalNeedsAReasonAndKeepsTheOriginal(t *testing.T) {
	s := demoBook(t)
	ctx := context.Background()
	w := newWindow(t)
	j := newJournalScreen(w, s)
	w.SetContent(j.content)
	if j.table.Rows() == 0 {
		t.Fatal("no entries")
	}
	if c, desc := j.table.SortColumn(); c != 0 || !desc {
		t.Errorf("journal not newest first")
	}
	// A public-income entry can be reversed by the ledger itself.
	var target *app.Entry
	for i := range j.entries {
		if strings.HasPrefix(j.entries[i].Ref, "income:") {
			target = &j.entries[i]
		}
	}
	if target == nil {
		t.Fatal("demo has no income entry")
	}
	seq := target.Seq
	_, before, _ := s.Ledger.Head(ctx)
	j.reverseEntry(seq, "", "  ")
	if msg := topDialogText(w); !strings.Contains(msg, "冲销原因") {
		t.Errorf("empty reason: dialog %q", msg)
	}
	if _, after, _ := s.Ledger.Head(ctx); after != before {
		t.Fatalf("an empty reason posted an entry")
	}
	j.reverseEntry(seq, "", "录错了")
	if msg := topDialogText(w); !strings.Contains(msg, "已由凭证") {
		t.Fatalf("after reversal: dialog %q", msg)
	}
	orig, err := s.Ledger.Entry(ctx, seq)
	if err != nil || orig.Hash != target.Hash {
		t.Errorf("the original entry changed: %v", err)
	}
	j.search.SetText("#" + itoa(int(seq)))
	if j.table.Rows() != 1 || !strings.Contains(j.table.CellText(0, 4), "已被") {
		t.Errorf("status of #%d = %q", seq, j.table.CellText(0, 4))
	}
	if err := s.Ledger.Verify(ctx); err != nil {
		t.Errorf("verify after reversal: %v", err)
	}
}

func TestBudget_ShowsBudgetVsActualSettlementAndMaintenance(t *testing.T) {
	s := demoBook(t)
	w := newWindow(t)
	b := newBudgetScreen(w, s)
	w.SetContent(b.content)
	if b.table.Rows() == 0 || !strings.Contains(b.state.Text, "预算") {
		t.Errorf("budget %s: %d lines, state %q", b.year.Selected, b.table.Rows(), b.state.Text)
	}
	if !strings.Contains(b.settle.Text, "期初") {
		t.Errorf("settlement = %q", b.settle.Text)
	}
	if !strings.Contains(b.maint.Text, "维修资金") {
		t.Errorf("maintenance = %q", b.maint.Text)
	}
	if topDialogText(w) != "" {
		t.Errorf("dialog: %q", topDialogText(w))
	}
}

func TestScreens_EveryPageBuildsOnTheDemoWithoutError(t *testing.T) {
	s := demoBook(t)
	w := newWindow(t)
	c, _ := s.Book.Community(context.Background())
	for _, p := range Pages(s) {
		w.SetContent(Main(w, s, c, "test", p.ID))
		if msg := topDialogText(w); msg != "" {
			t.Errorf("page %s shows a dialog: %q", p.ID, msg)
		}
		shoot(t, w, "page-"+p.ID)
		for _, o := range test.LaidOutObjects(w.Content()) {
			if tabs, ok := o.(*container.AppTabs); ok {
				for i := range tabs.Items {
					tabs.SelectIndex(i)
					if msg := topDialogText(w); msg != "" {
						t.Errorf("page %s tab %d shows a dialog: %q", p.ID, i, msg)
					}
					shoot(t, w, "page-"+p.ID+"-tab"+itoa(i))
				}
			}
		}
	}
	if n := len(Pages(s)); n < 9 {
		t.Errorf("only %d pages", n)
	}
}

func TestBudget_DraftLineThenApproveWithADecision(t *testing.T) {
	_, s := newBook(t)
	w := newWindow(t)
	b := newBudgetScreen(w, s)
	w.SetContent(b.content)
	if !b.approveB.Disabled() {
		t.Error("approve enabled without a budget")
	}
	if err := b.SetLine(0, 2, "12,000.50", "保洁合同"); err != nil { // service fund, cleaning
		t.Fatal(err)
	}
	if b.table.Rows() != 1 || b.table.CellText(0, 2) != "¥12,000.50" || b.approveB.Disabled() {
		t.Fatalf("after a line: %d rows, %q, approve disabled=%v", b.table.Rows(), b.table.CellText(0, 2), b.approveB.Disabled())
	}
	if _, err := s.Budgets.ApproveBudget(context.Background(), b.yearNo(), app.BudgetBasis{Decision: "业委会决议"}, "tester", ""); err != nil {
		t.Fatal(err)
	}
	b.load()
	if !strings.Contains(b.state.Text, "已批准") || !b.approveB.Disabled() {
		t.Errorf("after approval: %q", b.state.Text)
	}
}

func TestRemuneration_ShowsContractAccrualsAndRecordsAssessment(t *testing.T) {
	s := demoBook(t)
	w := newWindow(t)
	r := newRemunerationPane(w, s)
	w.SetContent(r.content)
	if !strings.Contains(r.contract.Text, "合同约定") || r.accT.Rows() == 0 {
		t.Errorf("contract %q, %d accruals", r.contract.Text, r.accT.Rows())
	}
	before := r.assT.Rows()
	if err := r.RecordAssessment("2020q1", "保洁：50：90\n安保:50:80", ""); err != nil {
		t.Fatal(err)
	}
	if r.assT.Rows() != before+1 {
		t.Fatalf("assessments %d → %d", before, r.assT.Rows())
	}
	if err := r.RecordAssessment("2030Q5", "保洁:100:90", ""); err == nil {
		t.Error("quarter 5 accepted")
	}
}

func TestDashboard_VerifyButtonChecksTheChain(t *testing.T) {
	s := demoBook(t)
	w := newWindow(t)
	d := newDashboard(w, s)
	w.SetContent(d.content)
	b := button(d.content, "核对账本")
	if b == nil {
		t.Fatal("no verify button")
	}
	test.Tap(b)
	if msg := topDialogText(w); !strings.Contains(msg, "哈希链完整") {
		t.Errorf("verify dialog = %q", msg)
	}
}

func TestEntryForm_BalancesAndBuildsPostings(t *testing.T) {
	newWindow(t)
	bank, fee := app.BankAccount(app.FundService), app.AccountName(app.TypeExpense, app.FundService, "办公费用")
	f := newEntryForm([]string{bank, fee}, time.Date(2025, 3, 9, 10, 0, 0, 0, time.Local))
	if f.date.Text != "2025-03-09" {
		t.Errorf("entry date = %q, want the given day 2025-03-09", f.date.Text)
	}
	f.desc.SetText("银行手续费")
	f.rows[0].account.SetSelected(fee)
	f.rows[0].debit.SetText("12.50")
	f.rows[1].account.SetSelected(bank)
	f.rows[1].credit.SetText("12.5")
	if !strings.Contains(f.balance.Text, "借贷平衡") {
		t.Errorf("balance = %q", f.balance.Text)
	}
	e, err := f.Entry()
	if err != nil || len(e.Postings) != 2 || !e.Postings[1].Amount.Equal(decimal.RequireFromString("-12.5")) {
		t.Fatalf("entry = %+v, %v", e, err)
	}
	f.rows[1].credit.SetText("12.40")
	if _, err := f.Entry(); err == nil || !strings.Contains(f.balance.Text, "不平") {
		t.Errorf("unbalanced entry accepted (%q)", f.balance.Text)
	}
}

func TestBilling_SaysWhichKindsHadNoPrice(t *testing.T) {
	if got := unpriced([]app.BillingRun{{Unpriced: map[app.UnitKind]int{app.KindParking: 3}}, {Unpriced: map[app.UnitKind]int{app.KindParking: 2, app.KindCommercial: 1}}}); got != "商业 1 户，车位 5 户" {
		t.Errorf("unpriced = %q", got)
	}
}
