package reports

import (
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"sunledger/app"
)

func expenseWant(t *testing.T, text string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(text, strings.ReplaceAll(w, " ", "")) {
			t.Errorf("PDF lacks %q", w)
		}
	}
}

func xdec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func TestBudgetDoc_ShowsBudgetActualAndBasis(t *testing.T) {
	clean := app.AccountName(app.TypeExpense, app.FundService, "清洁卫生")
	office := app.AccountName(app.TypeExpense, app.FundService, "办公费用")
	b := app.Budget{Year: 2026, State: app.BudgetApproved, Basis: app.BudgetBasis{Vote: "V0001", Matter: 3},
		Lines: []app.BudgetLine{{Year: 2026, Fund: app.FundService, Category: "cleaning", Amount: xdec("120000")}}}
	months := &[12]decimal.Decimal{}
	months[2] = xdec("10500.25")
	om := &[12]decimal.Decimal{}
	om[3] = xdec("800")
	r := app.CompareBudget(b, map[string]*[12]decimal.Decimal{clean: months, office: om})
	text := docText(t, BudgetDoc("阳光花园小区", "headhash123", "2026-12-31", r))
	expenseWant(t, text, "2026 年度预算及执行情况公示", "V0001", "清洁卫生", "¥120,000.00", "¥10,500.25", "¥109,499.75", "8.8%", "办公费用（无预算）", "800.00", "headhash123")
}

// Each fund's lines end in that fund's subtotal; no total adds the funds together (a
// maintenance-fund repair made a whole budget read −¥312,297.95).
func TestBudgetDoc_TotalsPerFundNeverAcrossFunds(t *testing.T) {
	clean := app.AccountName(app.TypeExpense, app.FundService, "清洁卫生")
	repair, err := app.ExpenseAccount(app.FundMaintenance, "repair")
	if err != nil {
		t.Fatal(err)
	}
	b := app.Budget{Year: 2026, State: app.BudgetApproved, Basis: app.BudgetBasis{Decision: "第1次会议"},
		Lines: []app.BudgetLine{{Year: 2026, Fund: app.FundService, Category: "cleaning", Amount: xdec("120000")}}}
	cm, rm := &[12]decimal.Decimal{}, &[12]decimal.Decimal{}
	cm[2], rm[5] = xdec("10000"), xdec("386000")
	r := app.CompareBudget(b, map[string]*[12]decimal.Decimal{clean: cm, repair: rm})
	text := strings.ReplaceAll(docText(t, BudgetDoc("阳光花园小区", "h", "2026-12-31", r)), " ", "")
	if n := strings.Count(text, "小计"); n != 2 {
		t.Errorf("%d subtotals, want one per fund (2):\n%s", n, text)
	}
	if strings.Contains(text, "合计¥") || strings.Contains(text, "396,000.00") {
		t.Errorf("a total across funds:\n%s", text)
	}
	expenseWant(t, text, "¥110,000.00", "-¥386,000.00")
}

func TestSettlementDoc_CarriesTheSurplusForward(t *testing.T) {
	s := app.Settlement{Year: 2025, SettledAt: time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC), SettledBy: "李财务", Head: "abc", HeadSeq: 99,
		Funds: []app.FundSettlement{{Fund: app.FundService, Opening: xdec("1000"), IncomeTotal: xdec("5000"), ExpenseTotal: xdec("6500"),
			Income:       []app.SettlementLine{{Name: "物业费", Amount: xdec("5000")}},
			Expenses:     []app.SettlementLine{{Name: "清洁卫生", Amount: xdec("5750")}, {Name: "酬金", Amount: xdec("750")}},
			Remuneration: xdec("750"), Surplus: xdec("-1500"), Closing: xdec("-500"),
			Money: xdec("300"), Receivable: xdec("200"), Prepaid: xdec("250"), Payable: xdec("750")}},
		Unpaid: []string{"E000009"}, Pending: []app.UnpaidRequest{{ID: "E000009", Fund: app.FundService, Payee: "洁美保洁", Amount: xdec("1180")}}}
	text := docText(t, SettlementDoc("阳光花园小区", "abc", "2026-12-31", s, false))
	expenseWant(t, text, "2025 年度统结统算公示", "期初结余", "¥1,000.00", "物业费", "¥5,000.00", "酬金", "¥750.00", "本年收支差额", "-¥1,500.00", "-¥500.00", "#99", "锁定", "公示期：",
		"期末结余的构成", "银行存款和库存现金", "尚未缴纳的物业费", "减：业主预交的物业费（预收）¥250.00", "减：已计提尚未支付的款项（如酬金）¥750.00", "E000009洁美保洁", "¥1,180.00")
	if strings.Contains(text, "亏损") {
		t.Error("a shortfall is not called a loss (亏损): the surplus or deficit is the owners'")
	}
	expenseWant(t, docText(t, SettlementDoc("阳光花园小区", "abc", "2026-12-31", s, true)), "预览")
}

func TestFundDoc_ListsApplicationsWithTheirVote(t *testing.T) {
	e := app.Expense{ID: "E000007", Fund: app.FundMaintenance, Category: "repair", Payee: "迅达电梯", Amount: xdec("386000"), Description: "更换1号楼电梯",
		Vote: "V0001", Matter: 1, State: app.ExpensePaid, PaidDate: "2025-06-08", Building: "1"}
	st := app.MaintenanceStatement{Year: 2025, Opening: xdec("5000000"), Interest: xdec("75000"), Repairs: xdec("386000"), Closing: xdec("4689000"),
		Applications: []app.MaintenanceApplication{{Expense: e, Passed: true, Progress: app.ProgressPaid}},
		Shares:       []app.BuildingShare{{Building: "1", Area: xdec("14000"), Repairs: xdec("386000"), Share: xdec("2000000")}}}
	text := docText(t, FundDoc("阳光花园小区", "h", "2026-12-31", st))
	expenseWant(t, text, "专项维修资金收支情况公示", "¥5,000,000.00", "¥4,689,000.00", "肆佰陆拾捌万玖仟元整", "E000007", "V0001#1", "已支付", "各楼栋分摊", "¥2,000,000.00")
}

// A year not over says up to which day spending is counted; a line over its budget lists
// the payments from the one that passed the budget, with who signed each (and the vote
// for the maintenance fund).
func TestBudgetDoc_SaysAsOfAndWhoApprovedTheExcess(t *testing.T) {
	clean := app.AccountName(app.TypeExpense, app.FundService, "清洁卫生")
	b := app.Budget{Year: 2026, State: app.BudgetApproved, Basis: app.BudgetBasis{Vote: "V0001", Matter: 3},
		Lines: []app.BudgetLine{{Year: 2026, Fund: app.FundService, Category: "cleaning", Amount: xdec("1000")}}}
	months := &[12]decimal.Decimal{}
	months[2] = xdec("1200")
	r := app.CompareBudget(b, map[string]*[12]decimal.Decimal{clean: months})
	sig := func(a, b string) []app.Signature {
		return []app.Signature{{Step: app.StepApprove, Signer: a}, {Step: app.StepApprove, Signer: b}, {Step: app.StepReview, Signer: "赵文斌"}}
	}
	es := []app.Expense{
		{ID: "E000001", Fund: app.FundService, Category: "cleaning", Amount: xdec("700"), State: app.ExpensePaid, PaidDate: "2026-03-01", Entry: 5, Signatures: sig("张建国", "李秀英")},
		{ID: "E000002", Fund: app.FundService, Category: "cleaning", Amount: xdec("500"), State: app.ExpensePaid, PaidDate: "2026-03-20", Entry: 9, Signatures: sig("陈志明", "刘海燕")},
		{ID: "E000003", Fund: app.FundService, Category: "cleaning", Amount: xdec("90"), State: app.ExpensePaid, PaidDate: "2025-12-20", Entry: 2, Signatures: sig("王五", "赵六")},
	}
	x := BudgetExcesses(r, es)
	if len(x) != 1 || len(x[0].Payments) != 1 || x[0].Payments[0].ID != "E000002" || !x[0].Over.Equal(xdec("200")) {
		t.Fatalf("excess %+v", x)
	}
	text := docText(t, BudgetDoc("阳光花园小区", "h", "2026-06-30", r, x...))
	expenseWant(t, text, "实际支出截至 2026-06-30", "超出预算的支出及其批准", "E000002", "#9", "陈志明 刘海燕 赵文斌（复核）", "¥200.00")
	if strings.Contains(text, "E000001") || strings.Contains(text, "E000003") {
		t.Error("a payment within the budget, or of another year, is listed as the excess")
	}
	if text := docText(t, BudgetDoc("阳光花园小区", "h", "2027-01-10", r)); strings.Contains(text, "截至") || !strings.Contains(text, "（全年）") {
		t.Error("a year over says the whole year")
	}
}
