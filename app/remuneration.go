package app

import (
	"context"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// Remuneration modes of a trust-based property contract (信托制物业服务合同): the
// property company is paid a remuneration (酬金) instead of keeping a profit, either a
// percentage of the property-fee income or a fixed amount a month.
const (
	RemunerationPercent = "percent"
	RemunerationFixed   = "fixed"
)

// ScoreBand is one step of the contract's rule mapping the quarterly service-assessment
// score to pay: a score of at least MinScore earns Factor × the remuneration.
type ScoreBand struct {
	MinScore int             `json:"min_score"`
	Factor   decimal.Decimal `json:"factor"`
}

// The base a percentage remuneration is taken of (RemunerationContract.Base,
// docs/remuneration.md): the property fees collected in the month (the default of a new
// contract), the fees billed (the only base before there was a choice: a contract
// recorded then keeps it), or the service fund's expenses of the month.
const (
	BaseCollected = "collected"
	BaseBilled    = "billed"
	BaseExpenses  = "expenses"
)

// RemunerationBaseLabel names a base for people.
func RemunerationBaseLabel(b string) string {
	switch b {
	case BaseCollected:
		return T("实收物业费", "fees collected")
	case BaseBilled, "":
		return T("应收（计费）物业费", "fees billed")
	case BaseExpenses:
		return T("物业服务支出", "service expenses")
	}
	return b
}

// RemunerationContract is the remuneration clause of the property contract.
type RemunerationContract struct {
	Mode    string          `json:"mode"`
	Percent decimal.Decimal `json:"percent,omitzero"` // e.g. 15 for 15% of the base
	// Base is what Percent is taken of; "" (a contract recorded before the choice) is
	// BaseBilled.
	Base    string          `json:"base,omitempty"`
	Monthly decimal.Decimal `json:"monthly,omitzero"` // the fixed amount a month
	From    string          `json:"from"`             // YYYY-MM the clause applies from
	// Bands scale the remuneration by the quarter's assessment score; none = no scaling.
	Bands []ScoreBand `json:"bands,omitempty"`
}

// Validate checks the clause.
func (c RemunerationContract) Validate() error {
	switch c.Base {
	case "", BaseCollected, BaseBilled, BaseExpenses:
	default:
		return Errorf(EINVALID, "酬金基数应为 collected（实收物业费）、billed（计费物业费）或 expenses（物业服务支出）", "the remuneration base must be collected (fees collected), billed (fees billed) or expenses (service expenses)")
	}
	switch c.Mode {
	case RemunerationPercent:
		if !c.Percent.IsPositive() || c.Percent.GreaterThan(decimal.NewFromInt(100)) {
			return Errorf(EINVALID, "酬金比例应在 0 到 100 之间（例如 15 表示 15%%）", "the remuneration percentage must be between 0 and 100 (e.g. 15 for 15%%)")
		}
	case RemunerationFixed:
		if !c.Monthly.IsPositive() || !c.Monthly.Equal(c.Monthly.Round(2)) {
			return Errorf(EINVALID, "每月固定酬金应为大于 0、最多两位小数的金额", "the fixed monthly remuneration must be an amount above 0 with at most 2 decimals")
		}
	default:
		return Errorf(EINVALID, "酬金方式应为 percent（按物业费收入比例）或 fixed（每月固定）", "the remuneration mode must be percent (of fee income) or fixed (a month)")
	}
	if _, err := ParseMonth(c.From); err != nil {
		return err
	}
	seen := map[int]bool{}
	for _, b := range c.Bands {
		if b.MinScore < 0 || b.MinScore > 100 || seen[b.MinScore] {
			return Errorf(EINVALID, "考核分档的起点分数应在 0 到 100 之间且不重复", "assessment bands need distinct minimum scores between 0 and 100")
		}
		seen[b.MinScore] = true
		if b.Factor.IsNegative() || b.Factor.GreaterThan(decimal.NewFromInt(2)) {
			return Errorf(EINVALID, "考核系数应在 0 到 2 之间", "an assessment factor must be between 0 and 2")
		}
	}
	if len(c.Bands) > 0 && !seen[0] {
		return Errorf(EINVALID, "考核分档必须包含 0 分起的一档（说明最低分对应的系数）", "the assessment bands must include one starting at 0 (the factor for the lowest scores)")
	}
	return nil
}

// ParseNumber reads a plain non-negative number as typed for a percentage, a weight, a
// score or a factor: digits, optionally a point and up to 4 decimals, at most 6 integer
// digits. Exponents and signs are refused (an exponent like 1e999999999 would make the
// arithmetic that follows take forever).
func ParseNumber(s string) (decimal.Decimal, error) {
	s = strings.TrimSuffix(strings.TrimSpace(s), "%")
	intPart, frac, hasPoint := strings.Cut(s, ".")
	okDigits := func(x string, max int) bool {
		if x == "" || len(x) > max {
			return false
		}
		for _, r := range x {
			if r < '0' || r > '9' {
				return false
			}
		}
		return true
	}
	if !okDigits(intPart, 6) || hasPoint && !okDigits(frac, 4) {
		return decimal.Zero, Errorf(EINVALID, "%q 不是有效的数字（例如 15 或 0.95）", "%q is not a plain number (e.g. 15 or 0.95)", s)
	}
	return decimal.RequireFromString(s), nil
}

// ParseBands reads bands written "90:1,80:0.95,60:0.8,0:0.5" (score:factor).
func ParseBands(s string) ([]ScoreBand, error) {
	var out []ScoreBand
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		sc, fa, ok := strings.Cut(part, ":")
		n, err1 := strconv.Atoi(strings.TrimSpace(sc))
		f, err2 := ParseNumber(fa)
		if !ok || err1 != nil || err2 != nil {
			return nil, Errorf(EINVALID, "考核分档 %q 应写成 分数:系数，例如 90:1,80:0.95,0:0.8", "assessment band %q should be score:factor, e.g. 90:1,80:0.95,0:0.8", part)
		}
		out = append(out, ScoreBand{MinScore: n, Factor: f})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].MinScore > out[j].MinScore })
	return out, nil
}

// Factor is the pay factor for a score: the band with the highest minimum not above it
// (1 without bands).
func (c RemunerationContract) Factor(score decimal.Decimal) decimal.Decimal {
	bands := append([]ScoreBand(nil), c.Bands...)
	sort.Slice(bands, func(i, j int) bool { return bands[i].MinScore > bands[j].MinScore })
	for _, b := range bands {
		if score.GreaterThanOrEqual(decimal.NewFromInt(int64(b.MinScore))) {
			return b.Factor
		}
	}
	return decimal.NewFromInt(1)
}

// AssessmentScore is one item of the quarterly service assessment (物业服务考核): its
// weight and its score out of 100.
type AssessmentScore struct {
	Item   string          `json:"item"`
	Weight decimal.Decimal `json:"weight"`
	Score  decimal.Decimal `json:"score"`
}

// Assessment is a quarter's service assessment: the weighted score decides the pay
// factor of that quarter's remuneration.
type Assessment struct {
	Quarter string            `json:"quarter"` // YYYYQn
	Scores  []AssessmentScore `json:"scores"`
	Note    string            `json:"note,omitempty"`
	Who     string            `json:"who,omitempty"`
	At      time.Time         `json:"at,omitzero"`
	// Basis is how a computed assessment was computed (docs/survey.md); nil if typed.
	Basis *AssessmentBasis `json:"basis,omitempty"`
	// Override is a score set by hand over the computed one, with its reason.
	Override    *decimal.Decimal `json:"override,omitempty"`
	OverrideWhy string           `json:"override_why,omitempty"`
}

// ParseQuarter reads "2026Q1" (or "2026-Q1", "2026q1") and returns it as "2026Q1"
// (ReadQuarter).
func ParseQuarter(s string) (string, error) {
	q, err := ReadQuarter(s)
	if err != nil {
		return "", err
	}
	return q.String(), nil
}

// QuarterOf is the quarter (YYYYQn) of a month (YYYY-MM) (Month.Quarter); "" for a
// malformed month.
func QuarterOf(month string) string { return Month(month).Quarter() }

// Total is the weighted score, to 0.01.
func (a Assessment) Total() decimal.Decimal {
	if a.Override != nil {
		return *a.Override
	}
	var w, s decimal.Decimal
	for _, x := range a.Scores {
		w = w.Add(x.Weight)
		s = s.Add(x.Weight.Mul(x.Score))
	}
	if w.IsZero() {
		return decimal.Zero
	}
	return s.Div(w).Round(2)
}

// Validate checks an assessment as entered.
func (a Assessment) Validate() error {
	if _, err := ParseQuarter(a.Quarter); err != nil {
		return err
	}
	if len(a.Scores) == 0 {
		return Errorf(EINVALID, "考核至少要有一项", "an assessment needs at least one item")
	}
	seen := map[string]bool{}
	for _, x := range a.Scores {
		if err := checkText(T("考核项目", "assessment item"), strings.TrimSpace(x.Item), 50, true); err != nil {
			return err
		}
		if seen[x.Item] {
			return Errorf(EINVALID, "考核项目 %s 重复", "assessment item %s appears twice", x.Item)
		}
		seen[x.Item] = true
		if !x.Weight.IsPositive() {
			return Errorf(EINVALID, "考核项目 %s 的权重必须大于 0", "the weight of %s must be more than 0", x.Item)
		}
		if x.Score.IsNegative() || x.Score.GreaterThan(decimal.NewFromInt(100)) {
			return Errorf(EINVALID, "考核项目 %s 的得分应在 0 到 100 之间", "the score of %s must be between 0 and 100", x.Item)
		}
	}
	if a.Override != nil {
		if a.Override.IsNegative() || a.Override.GreaterThan(decimal.NewFromInt(100)) {
			return Errorf(EINVALID, "调整后的得分应在 0 到 100 之间；没有做任何更改", "the overriding score must be between 0 and 100; nothing was changed")
		}
		if err := checkText(T("调整原因", "reason for the override"), strings.TrimSpace(a.OverrideWhy), 200, true); err != nil {
			return err
		}
	}
	return checkText(T("备注", "note"), a.Note, 200, false)
}

// ParseScores reads items written "保洁:30:92" (item:weight:score).
func ParseScores(items []string) ([]AssessmentScore, error) {
	var out []AssessmentScore
	for _, it := range items {
		parts := strings.Split(it, ":")
		if len(parts) != 3 {
			return nil, Errorf(EINVALID, "考核项 %q 应写成 项目:权重:得分，例如 保洁:30:92", "assessment item %q should be item:weight:score, e.g. cleaning:30:92", it)
		}
		w, err1 := ParseNumber(parts[1])
		s, err2 := ParseNumber(parts[2])
		if err1 != nil || err2 != nil {
			return nil, Errorf(EINVALID, "考核项 %q 的权重或得分不是数字", "assessment item %q: the weight or score is not a number", it)
		}
		out = append(out, AssessmentScore{Item: strings.TrimSpace(parts[0]), Weight: w, Score: s})
	}
	return out, nil
}

// RemunerationAccrual is a month's remuneration as accrued (计提): the base (fee income
// of the month, for a percentage), the rate, the assessment factor and the amount,
// posted as an expense of the service fund owed to the property company.
type RemunerationAccrual struct {
	Month    string          `json:"month"`
	Mode     string          `json:"mode"`
	Base     decimal.Decimal `json:"base"`
	BaseKind string          `json:"base_kind,omitempty"` // collected, billed or expenses; "" before the choice: billed
	Percent  decimal.Decimal `json:"percent,omitzero"`
	Quarter  string          `json:"quarter,omitempty"` // the assessment applied, if any
	Score    decimal.Decimal `json:"score,omitzero"`
	Factor   decimal.Decimal `json:"factor"`
	Amount   decimal.Decimal `json:"amount"`
	Entry    int64           `json:"entry,omitempty"`
}

// Accrue computes a month's remuneration under contract c at the base rate: percent ×
// the month's base (RemunerationBases: fees collected, billed or expenses, as the
// contract says) or the fixed amount, rounded half-up to 分 once. The quarter's
// assessment factor is applied afterwards, by the quarter's true-up (TrueUp,
// docs/remuneration.md). a is kept for accruals made before true-ups existed: when not
// nil and the contract scales by score, the factor is applied to the month itself.
func Accrue(c RemunerationContract, month string, base decimal.Decimal, a *Assessment) RemunerationAccrual {
	r := RemunerationAccrual{Month: month, Mode: c.Mode, Factor: decimal.NewFromInt(1)}
	var amt decimal.Decimal
	if c.Mode == RemunerationPercent {
		r.Base, r.Percent, r.BaseKind = base, c.Percent, c.Base
		if r.BaseKind == "" {
			r.BaseKind = BaseBilled
		}
		amt = base.Mul(c.Percent).Div(decimal.NewFromInt(100))
	} else {
		r.Base = c.Monthly
		amt = c.Monthly
	}
	if a != nil && len(c.Bands) > 0 {
		r.Quarter, r.Score = a.Quarter, a.Total()
		r.Factor = c.Factor(r.Score)
		amt = amt.Mul(r.Factor)
	}
	r.Amount = Round2(amt)
	return r
}

// RemunerationTrueUp (酬金考核调整) applies a quarter's assessment factor to the
// remuneration accrued at the base rate for its months: the quarter's remuneration is
// Due = Accrued × Factor (half-up to 分 once), and Amount = Due − Accrued is posted
// (negative when the factor is below 1). It is made once the assessment exists and every
// month of the quarter under the contract is accrued.
type RemunerationTrueUp struct {
	Quarter string          `json:"quarter"`
	Months  []string        `json:"months"`
	Accrued decimal.Decimal `json:"accrued"`
	Score   decimal.Decimal `json:"score"`
	Factor  decimal.Decimal `json:"factor"`
	Due     decimal.Decimal `json:"due"`
	Amount  decimal.Decimal `json:"amount"`
	Date    string          `json:"date"`
	Entry   int64           `json:"entry,omitempty"`
}

// QuarterMonths are the three months (YYYY-MM) of quarter q (YYYYQn).
func QuarterMonths(q string) []string {
	if len(q) != 6 {
		return nil
	}
	n := int(q[5] - '0')
	first := q[:4] + "-" + []string{"01", "04", "07", "10"}[(n-1)%4]
	return []string{first, AddMonths(first, 1), AddMonths(first, 2)}
}

// TrueUp is quarter q's true-up under contract c from the months' accruals and the
// quarter's assessment a, dated date; ok is false while a month of the quarter under
// the contract is not accrued, when none is (the contract began later), or when a month
// was accrued with the factor already applied (a book from before true-ups).
func TrueUp(c RemunerationContract, q string, accruals []RemunerationAccrual, a Assessment, date string) (RemunerationTrueUp, bool) {
	by := map[string]RemunerationAccrual{}
	for _, x := range accruals {
		by[x.Month] = x
	}
	t := RemunerationTrueUp{Quarter: q, Date: date, Score: a.Total()}
	for _, m := range QuarterMonths(q) {
		if m < c.From {
			continue
		}
		x, ok := by[m]
		if !ok || x.Quarter != "" {
			return RemunerationTrueUp{}, false
		}
		t.Months = append(t.Months, m)
		t.Accrued = t.Accrued.Add(x.Amount)
	}
	if len(t.Months) == 0 {
		return RemunerationTrueUp{}, false
	}
	t.Factor = decimal.NewFromInt(1)
	if len(c.Bands) > 0 {
		t.Factor = c.Factor(t.Score)
	}
	t.Due = Round2(t.Accrued.Mul(t.Factor))
	t.Amount = t.Due.Sub(t.Accrued)
	return t, true
}

// JournalEntry is the true-up's entry: remuneration expense against the payable (both
// the other way round when the factor lowers the pay).
func (t RemunerationTrueUp) JournalEntry() Entry {
	return Entry{Date: t.Date, Description: "酬金考核调整 " + t.Quarter + " 系数 " + t.Factor.String(), Ref: DocRemuneration.Ref(t.Quarter),
		Postings: []Posting{
			{Account: AccountName(TypeExpense, FundService, "酬金"), Amount: t.Amount},
			{Account: PayableAccount(FundService), Amount: t.Amount.Neg()},
		}}
}

// OwedOrder lists the amounts owed by month, oldest first, for UnpaidRemuneration: each
// accrual, a quarter's true-up added to its last month (so that a quarter paid as trued
// up counts as paid whole, whichever way the factor went).
func OwedOrder(accruals []RemunerationAccrual, trueUps []RemunerationTrueUp) []RemunerationAccrual {
	out := append([]RemunerationAccrual(nil), accruals...)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Month < out[j].Month })
	for _, t := range trueUps {
		if len(t.Months) == 0 {
			continue
		}
		last := t.Months[len(t.Months)-1]
		for i := range out {
			if out[i].Month == last {
				out[i].Amount = out[i].Amount.Add(t.Amount)
			}
		}
	}
	return out
}

// JournalEntry is the accrual's journal entry: remuneration expense against the payable.
func (r RemunerationAccrual) JournalEntry() Entry {
	return Entry{Date: LastDay(r.Month), Description: "计提酬金 " + r.Month, Ref: DocRemuneration.Ref(r.Month),
		Postings: []Posting{
			{Account: AccountName(TypeExpense, FundService, "酬金"), Amount: r.Amount},
			{Account: PayableAccount(FundService), Amount: r.Amount.Neg()},
		}}
}

// RemunerationBases are the months' bases under base (BaseCollected, BaseBilled or "",
// BaseExpenses), from the journal entries:
//   - billed: the fee income recognised (FeeIncomeByMonth);
//   - collected: the money received for property fees: in every entry that moves a
//     service-fund bank or cash account, the credits to the fees receivable and to the
//     prepaid fees (a reversed receipt takes its money back in the month of the reversal);
//   - expenses: the service fund's expense debits (net), the remuneration itself left out.
func RemunerationBases(base string, entries []Entry) map[string]decimal.Decimal {
	switch base {
	case "", BaseBilled:
		return FeeIncomeByMonth(entries)
	}
	out := map[string]decimal.Decimal{}
	money := map[string]bool{BankAccount(FundService): true, CashAccount(FundService): true}
	expPrefix := AccountName(TypeExpense, FundService, "")
	remu := AccountName(TypeExpense, FundService, "酬金")
	for _, e := range entries {
		if len(e.Date) < 7 {
			continue
		}
		m := e.Date[:7]
		if base == BaseExpenses {
			for _, p := range e.Postings {
				if strings.HasPrefix(p.Account, expPrefix) && p.Account != remu {
					out[m] = out[m].Add(p.Amount)
				}
			}
			continue
		}
		moves := false
		for _, p := range e.Postings {
			moves = moves || money[p.Account]
		}
		if !moves {
			continue
		}
		for _, p := range e.Postings {
			if p.Account == ReceivableAccount(FundService) || p.Account == PrepaidFeesAccount {
				out[m] = out[m].Sub(p.Amount)
			}
		}
	}
	return out
}

// UnpaidRemuneration is the remuneration accrued and not yet paid (owed, the payable's
// credit balance) and the oldest month still unpaid, paying the oldest accruals first
// ("" when nothing is owed).
func UnpaidRemuneration(accruals []RemunerationAccrual, owed decimal.Decimal) (since string) {
	if !owed.IsPositive() {
		return ""
	}
	total := decimal.Zero
	for _, a := range accruals {
		total = total.Add(a.Amount)
	}
	paid := total.Sub(owed)
	cum := decimal.Zero
	for _, a := range accruals {
		cum = cum.Add(a.Amount)
		if cum.GreaterThan(paid) {
			return a.Month
		}
	}
	return ""
}

// FeeIncomeByMonth adds up the property-fee income recognised in each month (credits to
// the fee income account, as a positive number), from the journal.
func FeeIncomeByMonth(entries []Entry) map[string]decimal.Decimal {
	out := map[string]decimal.Decimal{}
	for _, e := range entries {
		for _, p := range e.Postings {
			if p.Account == FeeIncomeAccount && len(e.Date) >= 7 {
				out[e.Date[:7]] = out[e.Date[:7]].Sub(p.Amount)
			}
		}
	}
	return out
}

// RemunerationService keeps the remuneration clause, the assessments and the accruals.
type RemunerationService interface {
	// SetRemunerationContract records the contract's clause; EINVALID for a bad one.
	SetRemunerationContract(ctx context.Context, c RemunerationContract, who, why string) error
	// RemunerationContract returns the clause; ENOTFOUND if none is recorded.
	RemunerationContract(ctx context.Context) (RemunerationContract, error)
	// RecordAssessment records (or replaces, until a month of its quarter is accrued)
	// a quarter's assessment; ECONFLICT once it has been used.
	RecordAssessment(ctx context.Context, a Assessment, who, why string) error
	// Assessments lists every assessment, oldest first.
	Assessments(ctx context.Context) ([]Assessment, error)
	// AccrueRemuneration accrues each month from..to and posts it. ECONFLICT for a month
	// already accrued, EINVALID before the contract's start or for a month not over yet,
	// ELOCKED for a settled period.
	AccrueRemuneration(ctx context.Context, from, to, who, why string) ([]RemunerationAccrual, error)
	// Accruals lists the accruals, oldest first.
	Accruals(ctx context.Context) ([]RemunerationAccrual, error)
	// TrueUps lists the quarters' true-ups (the assessment factor applied), oldest first.
	TrueUps(ctx context.Context) ([]RemunerationTrueUp, error)
	// RemunerationStatus is the remuneration by quarter and what is owed, with its age,
	// as of today (the dashboard's and the settlement's figures).
	RemunerationStatus(ctx context.Context) (RemunerationStatus, error)
}

// RemunerationQuarter is one quarter's remuneration: the months accrued, their base,
// the rate, the amount at the base rate, and — once trued up — the score, the factor and
// the remuneration due (base × rate × factor, to 分); until then Due is the amount
// accrued at the base rate.
type RemunerationQuarter struct {
	Quarter  string          `json:"quarter"`
	Months   []string        `json:"months"`
	Mode     string          `json:"mode"`
	Base     decimal.Decimal `json:"base"`
	Percent  decimal.Decimal `json:"percent,omitzero"`
	Accrued  decimal.Decimal `json:"accrued"`
	TrueUp   bool            `json:"trued_up"`
	Score    decimal.Decimal `json:"score,omitzero"`
	Factor   decimal.Decimal `json:"factor"`
	Adjusted decimal.Decimal `json:"adjusted"` // the true-up posted
	Due      decimal.Decimal `json:"due"`
}

// RemunerationStatus is what the property company has earned, by quarter, and what of
// it is still owed: the payable's balance, the oldest month not paid (paying the oldest
// first) and its age in months at today.
type RemunerationStatus struct {
	Quarters  []RemunerationQuarter `json:"quarters"`
	Owed      decimal.Decimal       `json:"owed"`
	Since     string                `json:"since,omitempty"`
	AgeMonths int                   `json:"age_months"`
}

// StatusOf puts the accruals and true-ups together by quarter and ages what is owed at
// today (YYYY-MM-DD).
func StatusOf(accruals []RemunerationAccrual, trueUps []RemunerationTrueUp, owed decimal.Decimal, today string) RemunerationStatus {
	st := RemunerationStatus{Owed: owed}
	idx := map[string]int{}
	for _, a := range accruals {
		q := QuarterOf(a.Month)
		i, ok := idx[q]
		if !ok {
			i = len(st.Quarters)
			idx[q] = i
			st.Quarters = append(st.Quarters, RemunerationQuarter{Quarter: q, Mode: a.Mode, Percent: a.Percent, Factor: decimal.NewFromInt(1)})
		}
		r := &st.Quarters[i]
		r.Months = append(r.Months, a.Month)
		r.Base = r.Base.Add(a.Base)
		r.Accrued = r.Accrued.Add(a.Amount)
		r.Due = r.Due.Add(a.Amount)
		if a.Quarter != "" { // accrued with the factor, before true-ups
			r.TrueUp, r.Score, r.Factor = true, a.Score, a.Factor
		}
	}
	for _, t := range trueUps {
		if i, ok := idx[t.Quarter]; ok {
			r := &st.Quarters[i]
			r.TrueUp, r.Score, r.Factor, r.Adjusted = true, t.Score, t.Factor, t.Amount
			r.Due = r.Due.Add(t.Amount)
		}
	}
	sort.Slice(st.Quarters, func(i, j int) bool { return st.Quarters[i].Quarter < st.Quarters[j].Quarter })
	st.Since = UnpaidRemuneration(OwedOrder(accruals, trueUps), owed)
	if st.Since != "" && len(today) >= 7 {
		for m := st.Since; m < today[:7] && st.AgeMonths < 1200; m = AddMonths(m, 1) {
			st.AgeMonths++
		}
	}
	return st
}
