package app

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// BudgetLine is one line of the open budget (开放式预算): what a fund may spend on a cost
// item in a year. Its id is "YEAR:FUND:CATEGORY", e.g. "2026:service:cleaning"; an
// expense request cites it, and a line of one fund never pays another fund's expense.
type BudgetLine struct {
	Year     int             `json:"year"`
	Fund     Fund            `json:"fund"`
	Category string          `json:"category"` // ExpenseCategory code
	Amount   decimal.Decimal `json:"amount"`
	Note     string          `json:"note,omitempty"`
}

// ID is the line's id.
func (l BudgetLine) ID() string {
	return strconv.Itoa(l.Year) + ":" + string(l.Fund) + ":" + l.Category
}

// CategoryLabel is the line's cost item as named in the accounts.
func (l BudgetLine) CategoryLabel() string {
	c, err := ParseExpenseCategory(l.Category)
	if err != nil {
		return l.Category
	}
	return c.Title()
}

// Account is the expense account the line's actual spending is read from.
func (l BudgetLine) Account() string {
	a, _ := ExpenseAccount(l.Fund, l.Category)
	return a
}

// ParseBudgetLineID reads "YEAR:FUND:CATEGORY" (fund and category as codes or Chinese
// names) and checks that the category belongs to the fund.
func ParseBudgetLineID(s string) (BudgetLine, error) {
	parts := strings.Split(strings.TrimSpace(s), ":")
	if len(parts) != 3 {
		return BudgetLine{}, Errorf(EINVALID, "预算科目 %q 应写成 年度:资金:类别，例如 2026:service:cleaning", "budget line %q should be YEAR:FUND:CATEGORY, e.g. 2026:service:cleaning", s)
	}
	y, err := ParseYear(parts[0])
	if err != nil {
		return BudgetLine{}, err
	}
	f, err := ParseFund(parts[1])
	if err != nil {
		return BudgetLine{}, err
	}
	c, err := ParseExpenseCategory(parts[2])
	if err != nil {
		return BudgetLine{}, err
	}
	if _, err := ExpenseAccount(f, c.Code); err != nil {
		return BudgetLine{}, err
	}
	return BudgetLine{Year: y, Fund: f, Category: c.Code}, nil
}

// ParseYear reads a calendar year.
func ParseYear(s string) (int, error) {
	y, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || y < 2000 || y > 2100 {
		return 0, Errorf(EINVALID, "年度 %q 无效（例如 2026）", "%q is not a year (e.g. 2026)", s)
	}
	return y, nil
}

// Validate checks a budget line as typed.
func (l BudgetLine) Validate() error {
	if l.Year < 2000 || l.Year > 2100 {
		return Errorf(EINVALID, "预算年度 %d 无效", "budget year %d is not valid", l.Year)
	}
	if _, err := ParseBudgetLineID(l.ID()); err != nil {
		return err
	}
	if l.Amount.IsNegative() || !l.Amount.Equal(l.Amount.Round(2)) || l.Amount.GreaterThan(decimal.New(1, 11)) {
		return Errorf(EINVALID, "预算金额应为不小于 0、最多两位小数的金额", "a budget amount must be 0 or more with at most 2 decimals")
	}
	return checkText(T("备注", "note"), l.Note, 200, false)
}

// Budget states: a draft is edited freely; an approved budget is fixed and records what
// approved it.
const (
	BudgetDraft    = "draft"
	BudgetApproved = "approved"
)

// Budget is the open budget of a year (年度开放式预算), per fund and cost item. It is
// drafted by the committee and approved by the owners' assembly or a committee
// decision, whichever the community's rules require; Basis records which.
type Budget struct {
	Year       int          `json:"year"`
	State      string       `json:"state"`
	Lines      []BudgetLine `json:"lines"`
	Basis      BudgetBasis  `json:"basis,omitzero"`
	ApprovedBy string       `json:"approved_by,omitempty"`
	ApprovedAt time.Time    `json:"approved_at,omitzero"`
}

// BudgetBasis is what approved a budget: an owners' vote (its id and matter) or a
// committee decision (its number or date and wording).
type BudgetBasis struct {
	Vote     string `json:"vote,omitempty"`
	Matter   int    `json:"matter,omitempty"`
	Decision string `json:"decision,omitempty"`
}

// Validate checks the basis: exactly one of a vote (with matter) or a decision.
func (b BudgetBasis) Validate() error {
	vote := strings.TrimSpace(b.Vote) != ""
	dec := strings.TrimSpace(b.Decision) != ""
	if vote == dec {
		return Errorf(EINVALID, "批准预算要给出依据：业主大会表决（--vote 编号 --matter 序号）或业委会决议（--decision 决议），二者选一",
			"approving a budget needs its basis: an owners' vote (--vote ID --matter N) or a committee decision (--decision TEXT), one of them")
	}
	if vote && b.Matter <= 0 {
		return Errorf(EINVALID, "请给出表决事项序号 --matter", "give the matter number with --matter")
	}
	return checkText(T("决议", "decision"), b.Decision, 200, false)
}

// String is the basis as printed.
func (b BudgetBasis) String() string {
	if b.Vote != "" {
		return T("业主大会表决 ", "owners' vote ") + b.Vote + T(" 第 ", " matter ") + strconv.Itoa(b.Matter) + T(" 项", "")
	}
	if b.Decision != "" {
		return T("业委会决议：", "committee decision: ") + b.Decision
	}
	return ""
}

// Line returns the budget's line for a fund and category.
func (b Budget) Line(f Fund, category string) (BudgetLine, bool) {
	for _, l := range b.Lines {
		if l.Fund == f && l.Category == category {
			return l, true
		}
	}
	return BudgetLine{}, false
}

// SetLine adds or replaces a line of a draft budget; a zero amount removes it.
func (b Budget) SetLine(l BudgetLine) (Budget, error) {
	if err := l.Validate(); err != nil {
		return b, err
	}
	if b.State == BudgetApproved {
		return b, Errorf(ECONFLICT, "%d 年度预算已于 %s 批准（%s），不能再修改；如需调整请另行表决或决议",
			"the %d budget was approved on %s (%s) and cannot be changed; adjust it by a new vote or decision", b.Year, b.ApprovedAt.Local().Format(DateLayout), b.Basis.String())
	}
	out := b.Lines[:0:0]
	for _, x := range b.Lines {
		if x.Fund != l.Fund || x.Category != l.Category {
			out = append(out, x)
		}
	}
	if !l.Amount.IsZero() {
		out = append(out, l)
	}
	SortBudgetLines(out)
	b.Lines, b.Year, b.State = out, l.Year, BudgetDraft
	return b, nil
}

// SortBudgetLines orders lines by fund, then in the regulation's order of cost items.
func SortBudgetLines(ls []BudgetLine) {
	rank := func(l BudgetLine) int {
		r := fundRank(l.Fund) * 100
		for i, c := range ExpenseCategories {
			if c.Code == l.Category {
				return r + i
			}
		}
		return r + 99
	}
	for i := 1; i < len(ls); i++ {
		for j := i; j > 0 && rank(ls[j]) < rank(ls[j-1]); j-- {
			ls[j], ls[j-1] = ls[j-1], ls[j]
		}
	}
}

// BudgetActualLine compares one budget line with what was spent, month by month.
type BudgetActualLine struct {
	BudgetLine
	Account  string              `json:"account"`
	Months   [12]decimal.Decimal `json:"months"` // actual spending in each month
	Actual   decimal.Decimal     `json:"actual"`
	Left     decimal.Decimal     `json:"left"`     // budget − actual (negative = overspent)
	Percent  decimal.Decimal     `json:"percent"`  // actual ÷ budget × 100, to 0.1
	Budgeted bool                `json:"budgeted"` // false for spending on an item with no budget line
}

// BudgetReport is budget vs actual (预算执行情况) for a year.
type BudgetReport struct {
	Year   int                `json:"year"`
	Budget Budget             `json:"budget"`
	Lines  []BudgetActualLine `json:"lines"`
}

// ExpenseByMonth adds up the postings to each expense account in year, month by month,
// from the journal; reversals count (they are negative), so a reversed payment nets out.
func ExpenseByMonth(entries []Entry, year int) map[string]*[12]decimal.Decimal {
	out := map[string]*[12]decimal.Decimal{}
	y := strconv.Itoa(year)
	for _, e := range entries {
		if len(e.Date) < 7 || e.Date[:4] != y {
			continue
		}
		mi, _ := strconv.Atoi(e.Date[5:7])
		if mi < 1 || mi > 12 {
			continue
		}
		for _, p := range e.Postings {
			if !strings.HasPrefix(p.Account, TypeExpense+":") {
				continue
			}
			m := out[p.Account]
			if m == nil {
				m = &[12]decimal.Decimal{}
				out[p.Account] = m
			}
			m[mi-1] = m[mi-1].Add(p.Amount)
		}
	}
	return out
}

// CompareBudget builds budget vs actual: each line with its spending, then spending on
// accounts without a line (so nothing spent goes unseen).
func CompareBudget(b Budget, actual map[string]*[12]decimal.Decimal) BudgetReport {
	r := BudgetReport{Year: b.Year, Budget: b}
	seen := map[string]bool{}
	add := func(l BudgetLine, acct string, budgeted bool) {
		x := BudgetActualLine{BudgetLine: l, Account: acct, Budgeted: budgeted}
		if m := actual[acct]; m != nil {
			x.Months = *m
		}
		for _, v := range x.Months {
			x.Actual = x.Actual.Add(v)
		}
		x.Left = l.Amount.Sub(x.Actual)
		if l.Amount.IsPositive() {
			x.Percent = x.Actual.Mul(decimal.NewFromInt(100)).Div(l.Amount).Round(1)
		}
		r.Lines = append(r.Lines, x)
		seen[acct] = true
	}
	for _, l := range b.Lines {
		add(l, l.Account(), true)
	}
	var extra []BudgetLine
	for _, f := range Funds {
		for _, c := range ExpenseCategories {
			acct, err := ExpenseAccount(f, c.Code)
			if err != nil || seen[acct] || actual[acct] == nil {
				continue
			}
			extra = append(extra, BudgetLine{Year: b.Year, Fund: f, Category: c.Code})
		}
	}
	for _, l := range extra {
		add(l, l.Account(), false)
	}
	return r
}

// Total adds up the budget and actual of the report's lines of one fund ("" = all).
func (r BudgetReport) Total(f Fund) (budget, actual decimal.Decimal) {
	for _, l := range r.Lines {
		if f == "" || l.Fund == f {
			budget, actual = budget.Add(l.Amount), actual.Add(l.Actual)
		}
	}
	return
}

// BudgetService keeps the annual budgets.
type BudgetService interface {
	// SetBudgetLine adds or replaces a line of the year's draft budget (zero removes
	// it). ECONFLICT once the budget is approved; ELOCKED for a settled year.
	SetBudgetLine(ctx context.Context, l BudgetLine, who, why string) (Budget, error)
	// ApproveBudget approves the year's draft with its basis. ENOTFOUND for no draft or
	// an unknown vote; EINVALID if the vote's matter did not pass; ECONFLICT if approved.
	ApproveBudget(ctx context.Context, year int, basis BudgetBasis, who, why string) (Budget, error)
	// Budget returns the year's budget; ENOTFOUND if there is none.
	Budget(ctx context.Context, year int) (Budget, error)
	// Budgets lists every year's budget.
	Budgets(ctx context.Context) ([]Budget, error)
	// BudgetVsActual compares the year's budget (empty if there is none) with the
	// journal, month by month.
	BudgetVsActual(ctx context.Context, year int) (BudgetReport, error)
}
