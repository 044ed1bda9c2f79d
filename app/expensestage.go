package app

import (
	"fmt"
	"strings"

	"github.com/shopspring/decimal"
)

// Staged payments (分期支付) of a maintenance-fund repair: an advance (预付款), the
// payment after acceptance (验收款, once 验收 is signed: who accepted and when) and the
// retention (质保金, held until its date). Each stage is its own signed payment step
// with its own journal entry; the request is paid when every stage is. See
// docs/maintenance.md.

// The stages a plan may hold, in the order they are paid.
const (
	StageAdvance    = "advance"
	StageAcceptance = "acceptance"
	StageRetention  = "retention"
)

// StepAccept is the signed acceptance (验收) of the work; its note is the date.
const StepAccept SignStep = "accept"

var stageOrder = []string{StageAdvance, StageAcceptance, StageRetention}

// StageLabel is a stage's name as printed.
func StageLabel(s string) string { return T(stageZH(s), s) }

// stageZH is a stage's Chinese name (errors carry both languages).
func stageZH(s string) string {
	switch s {
	case StageAdvance:
		return "预付款"
	case StageAcceptance:
		return "验收款"
	case StageRetention:
		return "质保金"
	}
	return s
}

// PaymentStage is one stage of a request's payment plan. Name, Percent, Amount and Due
// are part of the request (signed by every signature); PaidDate and Entry are set when
// the stage is paid.
type PaymentStage struct {
	Name     string          `json:"name"`
	Percent  decimal.Decimal `json:"percent"`
	Amount   decimal.Decimal `json:"amount"`
	Due      string          `json:"due,omitempty"` // retention: paid on or after this date
	PaidDate string          `json:"paid_date,omitempty"`
	Entry    int64           `json:"entry,omitempty"`
}

// ParseStages reads a payment plan as typed: comma-separated NAME=PERCENT%, the
// retention with :DATE, e.g. "advance=30%,acceptance=65%,retention=5%:2027-11-01".
// The amounts are set by PlanStages.
func ParseStages(s string) ([]PaymentStage, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, nil
	}
	var out []PaymentStage
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		name, rest, ok := strings.Cut(part, "=")
		if !ok {
			return nil, Errorf(EINVALID, "付款阶段 %q 格式不对，应为 名称=百分比%%（例如 advance=30%%）", "payment stage %q is not NAME=PERCENT%% (e.g. advance=30%%)", part)
		}
		pct, due, _ := strings.Cut(rest, ":")
		p, err := decimal.NewFromString(strings.TrimSuffix(strings.TrimSpace(pct), "%"))
		if err != nil {
			return nil, Errorf(EINVALID, "付款阶段 %q 的百分比 %q 不是数字", "payment stage %q: the percentage %q is not a number", part, pct)
		}
		out = append(out, PaymentStage{Name: strings.TrimSpace(name), Percent: p, Due: strings.TrimSpace(due)})
	}
	return out, nil
}

// PlanStages checks a plan against the request's amount and sets each stage's amount:
// the stages are known, each at most once, in the order advance, acceptance, retention;
// the acceptance stage is there; each percentage is more than 0 with at most 2 decimals
// and they add up to exactly 100; only the retention has (and must have) a date. Each
// amount is the percentage of the total rounded to the cent; the last stage takes the
// rounding so the stages add up to the amount.
func PlanStages(amount decimal.Decimal, stages []PaymentStage) ([]PaymentStage, error) {
	if len(stages) == 0 {
		return nil, nil
	}
	out := make([]PaymentStage, len(stages))
	var sum, paid decimal.Decimal
	last := -1
	hasAcceptance := false
	for i, st := range stages {
		k := -1
		for j, n := range stageOrder {
			if n == st.Name {
				k = j
			}
		}
		if k < 0 {
			return nil, Errorf(EINVALID, "未知的付款阶段 %q（可用 advance 预付款、acceptance 验收款、retention 质保金）", "unknown payment stage %q (advance, acceptance, retention)", st.Name)
		}
		if k <= last {
			return nil, Errorf(EINVALID, "付款阶段要按 advance、acceptance、retention 的顺序各出现一次（%s 重复或顺序不对）", "the payment stages go in the order advance, acceptance, retention, each once (%s repeats or is out of order)", st.Name)
		}
		last = k
		hasAcceptance = hasAcceptance || st.Name == StageAcceptance
		if !st.Percent.IsPositive() || !st.Percent.Equal(st.Percent.Round(2)) {
			return nil, Errorf(EINVALID, "付款阶段 %s 的比例 %s%% 应大于 0、最多两位小数", "payment stage %s: %s%% must be more than 0 with at most 2 decimals", st.Name, st.Percent.String())
		}
		if st.Name == StageRetention {
			if err := ValidDate(st.Due); err != nil {
				return nil, Errorf(EINVALID, "质保金要写明到期日（retention=5%%:2027-11-01）", "the retention needs its release date (retention=5%%:2027-11-01)")
			}
		} else if st.Due != "" {
			return nil, Errorf(EINVALID, "只有质保金（retention）有到期日，%s 没有", "only the retention has a date, not %s", st.Name)
		}
		sum = sum.Add(st.Percent)
		out[i] = PaymentStage{Name: st.Name, Percent: st.Percent, Due: st.Due}
		if i == len(stages)-1 {
			out[i].Amount = amount.Sub(paid)
		} else {
			out[i].Amount = Round2(amount.Mul(st.Percent).Div(decimal.NewFromInt(100)))
			paid = paid.Add(out[i].Amount)
		}
	}
	if !hasAcceptance {
		return nil, Errorf(EINVALID, "分期付款计划必须有验收款（acceptance）阶段", "a payment plan needs the acceptance stage")
	}
	if !sum.Equal(decimal.NewFromInt(100)) {
		return nil, Errorf(EINVALID, "各付款阶段的比例合计 %s%%，应为 100%%", "the stages add up to %s%%, not 100%%", sum.String())
	}
	for _, st := range out {
		if !st.Amount.IsPositive() {
			return nil, Errorf(EINVALID, "付款阶段 %s 的金额不足 1 分", "payment stage %s comes to less than a cent", st.Name)
		}
	}
	return out, nil
}

// Stage returns the index of the plan's stage name, or -1.
func (e Expense) Stage(name string) int {
	for i, st := range e.Stages {
		if st.Name == name {
			return i
		}
	}
	return -1
}

// PaidSoFar is what the request has paid: every paid stage, or the whole amount once paid.
func (e Expense) PaidSoFar() decimal.Decimal {
	if e.State == ExpensePaid {
		return e.Amount
	}
	var s decimal.Decimal
	for _, st := range e.Stages {
		if st.PaidDate != "" {
			s = s.Add(st.Amount)
		}
	}
	return s
}

// Acceptance returns the signed acceptance (验收), if any: signer and date (its note).
func (e Expense) Acceptance() (Signature, bool) { return e.Signed(StepAccept) }

// CheckStage says whether stage may be paid on date, beyond the chain's own rules
// (Check): the request has a plan holding the stage; it is not paid yet; every earlier
// stage is paid, not after date; the acceptance and retention stages need the signed
// acceptance, dated on or before date; the retention is held until its date. A request
// without a plan is paid whole (stage "").
func (e Expense) CheckStage(stage, date string) error {
	if len(e.Stages) == 0 {
		if stage != "" {
			return Errorf(EINVALID, "支出申请 %s 没有分期付款计划，一次付清（不用 --stage）", "expense request %s has no payment plan and is paid at once (without --stage)", e.ID)
		}
		return nil
	}
	i := e.Stage(stage)
	if i < 0 {
		names := make([]string, len(e.Stages))
		for k, st := range e.Stages {
			names[k] = st.Name
		}
		return Errorf(EINVALID, "支出申请 %s 分期支付，请用 --stage 指明阶段（%s）", "expense request %s is paid in stages: name one with --stage (%s)", e.ID, strings.Join(names, ", "))
	}
	st := e.Stages[i]
	if st.PaidDate != "" {
		return Errorf(ECONFLICT, "支出申请 %[1]s 的%[3]s已于 %[2]s 支付", "the %[4]s of expense request %[1]s was paid on %[2]s", e.ID, st.PaidDate, stageZH(st.Name), st.Name)
	}
	for _, prev := range e.Stages[:i] {
		if prev.PaidDate == "" {
			return Errorf(EINVALID, "支出申请 %[1]s 的%[2]s还没有支付，不能先付%[3]s；没有支付", "the %[4]s of expense request %[1]s is not paid yet, so its %[5]s cannot be; nothing was paid", e.ID, stageZH(prev.Name), stageZH(st.Name), prev.Name, st.Name)
		}
		if date < prev.PaidDate {
			return Errorf(EINVALID, "支付日期 %[1]s 早于%[2]s的支付日期 %[3]s；没有支付", "the date %[1]s is before the %[4]s was paid (%[3]s); nothing was paid", date, stageZH(prev.Name), prev.PaidDate, prev.Name)
		}
	}
	if st.Name != StageAdvance {
		acc, ok := e.Acceptance()
		if !ok {
			return Errorf(EINVALID, "支出申请 %[1]s 还没有验收（expense accept），不能支付%[2]s；没有支付", "expense request %[1]s is not accepted yet (expense accept): its %[3]s cannot be paid; nothing was paid", e.ID, stageZH(st.Name), st.Name)
		}
		if date < acc.Note {
			return Errorf(EINVALID, "支付日期 %s 早于验收日期 %s；没有支付", "the date %s is before the acceptance on %s; nothing was paid", date, acc.Note)
		}
	}
	if st.Name == StageRetention && date < st.Due {
		return Errorf(EINVALID, "支出申请 %s 的质保金 %s 到 %s 才能支付（支付日期 %s）；没有支付", "the retention of %[2]s on expense request %[1]s is held until %[3]s (not %[4]s); nothing was paid",
			e.ID, FormatAmount(st.Amount), st.Due, date)
	}
	return nil
}

// CheckAccept says whether m may sign the acceptance (验收) on date: the request has a
// plan, is fully approved, not accepted yet; every stage before the acceptance stage
// (the advance) is paid, on or before date; the signer is a committee member or the
// community reviewer, never the applicant (the contractor's side does not accept its
// own work).
func (e Expense) CheckAccept(m Member, date string, r ExpenseRules) error {
	switch e.State {
	case ExpensePaid, ExpenseRejected:
		return Errorf(ECONFLICT, "支出申请 %s 已%s，不能再验收", "expense request %s is %s and cannot be accepted", e.ID, e.State.Label())
	}
	if !m.Active() {
		return Errorf(EUNAUTHORIZED, "%s 已被移出成员名单（%s），不能再签名", "%s was removed from the roster (%s) and can no longer sign", m.Name, m.Removed)
	}
	if len(e.Stages) == 0 {
		return Errorf(EINVALID, "支出申请 %s 没有分期付款计划，不需要单独验收", "expense request %s has no payment plan: there is no acceptance to record", e.ID)
	}
	if m.Name == e.Applicant {
		return Errorf(EUNAUTHORIZED, "%s 是支出申请 %s 的申请人，不能验收", "%s applied for expense request %s and cannot accept the work", m.Name, e.ID)
	}
	if !m.Role.Committee() && m.Role != RoleReviewer {
		return Errorf(EUNAUTHORIZED, "%s 是%s，只有业委会成员或社区复核人可以验收", "%s is a %s: only committee members or the community reviewer accept the work", m.Name, m.Role.Label())
	}
	if acc, ok := e.Acceptance(); ok {
		return Errorf(ECONFLICT, "支出申请 %s 已由 %s 于 %s 验收", "expense request %s was accepted by %s on %s", e.ID, acc.Signer, acc.Note)
	}
	if !e.Payable(r) {
		return Errorf(EINVALID, "支出申请 %s 尚未完成审批，不能验收；没有记录", "expense request %s is not fully approved and cannot be accepted; nothing was recorded", e.ID)
	}
	if err := ValidDate(date); err != nil {
		return err
	}
	for _, st := range e.Stages[:e.Stage(StageAcceptance)] {
		if st.PaidDate == "" {
			return Errorf(EINVALID, "支出申请 %[1]s 的%[2]s还没有支付，不能验收；没有记录", "the %[3]s of expense request %[1]s is not paid yet: no acceptance before it; nothing was recorded", e.ID, stageZH(st.Name), st.Name)
		}
		if date < st.PaidDate {
			return Errorf(EINVALID, "验收日期 %[1]s 早于%[2]s的支付日期 %[3]s；没有记录", "the acceptance date %[1]s is before the %[4]s was paid (%[3]s); nothing was recorded", date, stageZH(st.Name), st.PaidDate, st.Name)
		}
	}
	return nil
}

// StageNote is the note a stage's payment signature carries: "STAGE DATE".
func StageNote(stage, date string) string { return stage + " " + date }

// StagePaymentEntry is the journal entry paying one stage: like PaymentEntry for the
// stage's amount, its Ref "expense:ID/STAGE".
func (e Expense) StagePaymentEntry(stage, date string) (Entry, error) {
	i := e.Stage(stage)
	if i < 0 {
		return Entry{}, Errorf(EINVALID, "支出申请 %s 没有付款阶段 %s", "expense request %s has no payment stage %s", e.ID, stage)
	}
	x := e
	x.Amount = e.Stages[i].Amount
	x.Description = fmt.Sprintf("%s %s", stageZH(stage), e.Description)
	je, err := x.PaymentEntry(date)
	je.Ref = DocExpense.Ref(e.ID + "/" + stage)
	return je, err
}

// Payments are the request's payments as lists of money paid show them: the request
// itself once paid without a plan; with one, a copy per paid stage carrying the stage's
// amount, date and entry, its description led by the stage's name.
func (e Expense) Payments() []Expense {
	if len(e.Stages) == 0 {
		if e.State == ExpensePaid {
			return []Expense{e}
		}
		return nil
	}
	var out []Expense
	for _, st := range e.Stages {
		if st.PaidDate == "" {
			continue
		}
		x := e
		x.State, x.Amount, x.PaidDate, x.Entry = ExpensePaid, st.Amount, st.PaidDate, st.Entry
		x.Description = StageLabel(st.Name) + " " + e.Description
		out = append(out, x)
	}
	return out
}
