package reports

import (
	"bytes"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"sunledger/app"
	"sunledger/internal/testtool"
)

func bdec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func wantAll(t *testing.T, text string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(text, strings.ReplaceAll(w, " ", "")) {
			t.Errorf("PDF lacks %q", w)
		}
	}
}

func TestReceipt_ShowsAmountInCapitalsAndWhatItPaid(t *testing.T) {
	p := app.Payment{Receipt: "R00000012", Unit: "3-2-1501", Payer: "王伟", Amount: bdec("1409.50"), Date: "2026-01-15", Method: app.MethodWeChat,
		Allocations: []app.Allocation{{Period: "2025-12", Amount: bdec("1200.00")}}, Credit: bdec("209.50"), EntrySeq: 42, Who: "treasurer"}
	u := app.Unit{ID: "3-2-1501", Kind: app.KindResidential, Area: bdec("120.00")}
	r := Receipt{Community: "阳光花园小区", Payment: p, Unit: u, EntryHash: "entryhash42", Operator: "李秀英"}
	d := ReceiptDoc(r)
	text := docText(t, d)
	wantAll(t, text, "物业服务费收据", "R00000012", "3-2-1501", "壹仟肆佰零玖元伍角整", "¥1,409.50", "2025-12", "¥209.50", "微信", "#42", "entryhash42",
		"存根", "交款人收执", "收款单位（盖章）", "阳光花园小区业主委员会", "物业服务资金银行账户", "李秀英", "沿此线裁开")
	if strings.Contains(text, "资产:物业服务资金") {
		t.Error("the receipt names the account as the books do, not as people say it")
	}
	if strings.Contains(text, "补打") {
		t.Error("a first print is not a reprint")
	}
	if n, err := d.Pages(); err != nil || n != 1 {
		t.Errorf("the stub and the payer's copy take %d pages, want one A4 (%v)", n, err)
	}
	if strings.Count(testtool.Squeeze(text), "R00000012") < 2 {
		t.Error("both copies carry the receipt number")
	}
	r.Reprint = true
	wantAll(t, docText(t, ReceiptDoc(r)), "补打")
	r.Payment.Reversed = 57
	wantAll(t, docText(t, ReceiptDoc(r)), "作废", "#57")
}

func TestArrearsNotice_ListsUnitsAgeingAndTotalsButNoNames(t *testing.T) {
	fa := app.FeeAccount{Unit: "1-1-101", Open: []app.OpenBill{{Period: "2025-01", Amount: bdec("100"), Due: bdec("100")}, {Period: "2026-10", Amount: bdec("100"), Due: bdec("40")}}}
	rows := []app.Arrears{app.ArrearsOf(fa, "王伟", "2026-11", app.LateFeeRule{}, "2026-11-22")}
	text := docText(t, ArrearsDoc("阳光花园小区", "abc123", "2026-11-22", rows, app.LateFeeRule{}))
	wantAll(t, text, "欠费公示", "1-1-101", "¥140.00", "2025-01", "12+", "合计1户")
	if strings.Contains(text, "王伟") {
		t.Error("a public arrears notice printed the owner's name")
	}
	if strings.Contains(text, "滞纳金") {
		t.Error("late fees shown although the contract sets no rate")
	}
	text = docText(t, ArrearsDoc("阳光花园小区", "abc123", "2026-11-22", rows, app.LateFeeRule{DailyRate: bdec("0.0003")}))
	wantAll(t, text, "滞纳金", "0.0003")
}

func TestFeeNotices_StateTheRoundingRule(t *testing.T) {
	n := FeeNotice{Bill: app.Bill{Unit: "1-1-101", Period: "2026-11", Kind: app.KindResidential, Area: bdec("89.25"), Price: bdec("0.35"), Amount: bdec("31.24"), Payer: "王伟"},
		Earlier: bdec("62.48"), Credit: decimal.Zero, Due: bdec("93.72")}
	text := docText(t, FeeNoticesDoc(app.Community{Name: "阳光花园小区", Notices: app.NoticeSettings{OfficePhone: "0519-88886666", PayAccount: "户名 阳光花园小区业主大会 账号 6222 0000 1111", DueDay: 20}}, "abc123", "2026-11", "2026-11-22", app.NoticeSettings{DueDay: 20}.DueDate("2026-11"), []FeeNotice{n, n, n, n}))
	wantAll(t, text, "缴费通知单", "89.25 m² × 0.35", "¥31.24", "¥62.48", "¥93.72", "玖拾叁元柒角贰分", "四舍五入到分，只取整一次",
		"缴费截止2026-11-20", "0519-88886666", "账号62220000", "以前月份欠费")
	if d := FeeNoticesDoc(app.Community{Name: "阳光花园小区"}, "abc123", "2026-11", "2026-11-22", app.NoticeSettings{}.DueDate("2026-11"), []FeeNotice{n, n, n}); d != nil {
		if pages, err := d.Pages(); err != nil || pages != 1 {
			t.Errorf("three notices take %d pages, want one (%v)", pages, err)
		}
	}
}

func TestQuarterly_SumsEachFundsMovementInTheQuarter(t *testing.T) {
	es := []app.Entry{
		{Date: "2026-03-01", Postings: []app.Posting{{Account: app.BankAccount(app.FundPublic), Amount: bdec("1000")}, {Account: "收入:公共收益:停车费", Amount: bdec("-1000")}}},
		{Date: "2026-04-01", Postings: []app.Posting{{Account: app.ReceivableAccount(app.FundService), Amount: bdec("500")}, {Account: app.FeeIncomeAccount, Amount: bdec("-500")}}},
		{Date: "2026-04-05", Postings: []app.Posting{{Account: app.CashAccount(app.FundService), Amount: bdec("300")}, {Account: app.ReceivableAccount(app.FundService), Amount: bdec("-300")}}},
		{Date: "2026-05-05", Postings: []app.Posting{{Account: "支出:公共收益:清洁卫生", Amount: bdec("200")}, {Account: app.BankAccount(app.FundPublic), Amount: bdec("-200")}}},
		{Date: "2026-07-01", Postings: []app.Posting{{Account: app.BankAccount(app.FundPublic), Amount: bdec("9")}, {Account: "收入:公共收益:停车费", Amount: bdec("-9")}}},
	}
	each := func(fn func(app.Entry) error) error {
		for _, e := range es {
			if err := fn(e); err != nil {
				return err
			}
		}
		return nil
	}
	flows, err := FundFlows(each, "2026-04-01", "2026-06-31")
	if err != nil {
		t.Fatal(err)
	}
	svc, pub := flows[0], flows[1]
	if !svc.Opening().IsZero() || !svc.Closing().Equal(bdec("300")) || !svc.ClosingCash.Equal(bdec("300")) || !svc.MoneyIn.Equal(bdec("300")) ||
		!svc.IncomeTotal().Equal(bdec("500")) || !svc.Receivables.Equal(bdec("200")) {
		t.Errorf("service fund %+v", svc)
	}
	if !pub.Opening().Equal(bdec("1000")) || !pub.Closing().Equal(bdec("800")) || !pub.MoneyOut.Equal(bdec("200")) || !pub.IncomeTotal().IsZero() || !pub.ExpenseTotal().Equal(bdec("200")) {
		t.Errorf("public fund %+v", pub)
	}
	for _, f := range flows { // the bridge holds by construction: opening + in − out = closing
		if !f.Opening().Add(f.MoneyIn).Sub(f.MoneyOut).Equal(f.Closing()) {
			t.Errorf("%s: %s + %s − %s ≠ %s", f.Fund, f.Opening(), f.MoneyIn, f.MoneyOut, f.Closing())
		}
	}
	c := app.Collection{From: "2026-04", To: "2026-06", Billed: bdec("500"), Received: bdec("300"), HouseholdsBilled: 2, HouseholdsPaid: 1}
	paid := []app.Expense{{ID: "E000001", Fund: app.FundPublic, Category: "cleaning", Payee: "洁美保洁", Amount: bdec("200"), State: app.ExpensePaid, PaidDate: "2026-05-05", Entry: 4,
		Signatures: []app.Signature{{Step: app.StepApprove, Signer: "张建国"}, {Step: app.StepApprove, Signer: "李秀英"}, {Step: app.StepReview, Signer: "赵文斌"}}}}
	q := Quarter{Community: "阳光花园小区", Head: "abc123", Date: "2026-07-10", Year: 2026, Quarter: 2, From: "2026-04", To: "2026-06", Complete: true,
		Flows: flows, Collection: c, Paid: paid}
	text := docText(t, QuarterlyDoc(q))
	wantAll(t, text, "2026年第2季度收支公示", "物业服务资金", "公共收益", "维修资金", "清洁卫生", "¥1,000.00", "¥800.00", "60.00%", "50.00%",
		"期初资金+本期收到−本期付出=期末资金", "本期收到的款项", "库存现金", "洁美保洁", "张建国 李秀英 赵文斌（复核）", "#4", "公示期")
	if strings.Contains(text, "尚未结束") {
		t.Error("a complete quarter is not marked as unfinished")
	}
	q.Complete, q.Date = false, "2026-06-10"
	unfinished, err := QuarterlyDoc(q).Pages()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	_, path := renderText(t, QuarterlyDoc(q), dir)
	pages := pageTextsRaw(t, path)
	if len(pages) != unfinished {
		t.Fatalf("%d pages of text for %d pages", len(pages), unfinished)
	}
	for i, p := range pages {
		if !strings.Contains(testtool.Squeeze(p), "本季度尚未结束") {
			t.Errorf("page %d of an unfinished quarter does not say so", i+1)
		}
	}
}

func TestJournal_OneTransactionPerEntryWithHashComments(t *testing.T) {
	e := app.Seal(app.Entry{Seq: 1, Date: "2026-01-01", Description: "物业费计费 2026-01; 摘要\n第二行", Ref: "billing:2026-01", Who: "demo",
		Postings: []app.Posting{{Account: app.ReceivableAccount(app.FundService), Amount: bdec("1234.5")}, {Account: app.FeeIncomeAccount, Amount: bdec("-1234.5")}}}, "")
	var buf bytes.Buffer
	err := WriteJournal(&buf, "阳光花园小区", e.Hash, app.StandardChart(), func(fn func(app.Entry) error) error { return fn(e) })
	if err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{
		"account 资产:物业服务资金:银行存款\n",
		"2026-01-01 * (1) 物业费计费 2026-01； 摘要 第二行\n",
		"    ; hash: " + e.Hash + "\n",
		"    资产:物业服务资金:应收物业费  1234.50 CNY\n",
		"    收入:物业服务资金:物业费  -1234.50 CNY\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("journal lacks %q:\n%s", want, out)
		}
	}
}
