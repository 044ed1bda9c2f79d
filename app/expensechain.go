package app

import (
	"crypto/ed25519"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// The approval chain of an expense request (支出审批): who may sign which step and
// when, the canonical text every signature signs, and the check of a stored request's
// signatures and state.

// CanonicalExpense is the exact text every signature on a request covers: the request
// as applied for, versioned and line-based like CanonicalEntry, so anyone can recompute
// it from an exported request. It starts with the request's id, so a signature copied
// from one request onto another does not verify there; and it carries the hash of the
// sealed founding roster, so rewriting the roster breaks every signature:
//
//	sunledger-expense-v2
//	id "E000012"
//	fund "service"
//	category "cleaning"
//	budget "2026:service:cleaning"
//	payee "…"
//	amount 1234.50
//	desc "…"
//	applicant "…"
//	applied 2026-01-15T08:30:00Z
//	vote "V0001"
//	matter 1
//	building ""
//	roster "<hex sha-256 of the founding roster>"
//	attach "invoice.pdf" 123456 <hex sha-256>    (one line per attachment)
//	stage "retention" 5 123.45 "2027-11-01"      (one line per payment stage, if any)
//
// (strings Go-quoted, each line ending in "\n").
func CanonicalExpense(e Expense) []byte {
	b := make([]byte, 0, 512)
	b = append(b, "sunledger-expense-v2\nid "...)
	b = strconv.AppendQuote(b, e.ID)
	b = append(b, "\nfund "...)
	b = strconv.AppendQuote(b, string(e.Fund))
	b = append(b, "\ncategory "...)
	b = strconv.AppendQuote(b, e.Category)
	b = append(b, "\nbudget "...)
	b = strconv.AppendQuote(b, e.BudgetLine)
	b = append(b, "\npayee "...)
	b = strconv.AppendQuote(b, e.Payee)
	b = append(b, "\namount "...)
	b = append(b, e.Amount.StringFixed(2)...)
	b = append(b, "\ndesc "...)
	b = strconv.AppendQuote(b, e.Description)
	b = append(b, "\napplicant "...)
	b = strconv.AppendQuote(b, e.Applicant)
	b = append(b, "\napplied "...)
	b = append(b, e.Applied.UTC().Format(time.RFC3339)...)
	b = append(b, "\nvote "...)
	b = strconv.AppendQuote(b, e.Vote)
	b = append(b, "\nmatter "...)
	b = strconv.AppendInt(b, int64(e.Matter), 10)
	b = append(b, "\nbuilding "...)
	b = strconv.AppendQuote(b, e.Building)
	b = append(b, "\nroster "...)
	b = strconv.AppendQuote(b, e.Roster)
	if e.Invoice != "" { // only when given: a request signed before invoices were kept keeps its message
		b = append(b, "\ninvoice "...)
		b = strconv.AppendQuote(b, e.Invoice)
	}
	for _, a := range e.Attachments {
		b = append(b, "\nattach "...)
		b = strconv.AppendQuote(b, a.Name)
		b = append(b, ' ')
		b = strconv.AppendInt(b, a.Size, 10)
		b = append(b, ' ')
		b = append(b, a.SHA256...)
	}
	for _, st := range e.Stages {
		b = append(b, "\nstage "...)
		b = strconv.AppendQuote(b, st.Name)
		b = append(b, ' ')
		b = append(b, st.Percent.String()...)
		b = append(b, ' ')
		b = append(b, st.Amount.StringFixed(2)...)
		b = append(b, ' ')
		b = strconv.AppendQuote(b, st.Due)
	}
	return append(b, '\n')
}

// SignatureMessage is what a signature signs: the canonical request followed by
//
//	step "approve"
//	signer "…"
//	role "chair"
//	at 2026-01-16T09:00:00Z
//	note "…"
func SignatureMessage(e Expense, s Signature) []byte {
	b := CanonicalExpense(e)
	b = append(b, "step "...)
	b = strconv.AppendQuote(b, string(s.Step))
	b = append(b, "\nsigner "...)
	b = strconv.AppendQuote(b, s.Signer)
	b = append(b, "\nrole "...)
	b = strconv.AppendQuote(b, string(s.Role))
	b = append(b, "\nat "...)
	b = append(b, s.At.UTC().Format(time.RFC3339)...)
	b = append(b, "\nnote "...)
	b = strconv.AppendQuote(b, s.Note)
	return append(b, '\n')
}

// ExpenseRules are the community's settings for the chain.
type ExpenseRules struct {
	// ReviewAbove: requests for more than this amount need the community's re-review;
	// zero means every request does.
	ReviewAbove decimal.Decimal `json:"review_above"`
}

// Validate checks the rules.
func (r ExpenseRules) Validate() error {
	if r.ReviewAbove.IsNegative() || !r.ReviewAbove.Equal(r.ReviewAbove.Round(2)) {
		return Errorf(EINVALID, "复核起点金额应为不小于 0、最多两位小数的金额", "the review threshold must be an amount of 0 or more with at most 2 decimals")
	}
	return nil
}

// NeedsReview reports whether the request needs the community's re-review.
// Maintenance-fund money always does.
func (r ExpenseRules) NeedsReview(e Expense) bool {
	return e.Fund == FundMaintenance || e.Amount.GreaterThan(r.ReviewAbove)
}

// Approvers are the distinct committee members who signed the committee approval.
func (e Expense) Approvers() []string {
	var out []string
	for _, s := range e.Signatures {
		if s.Step == StepApprove {
			out = append(out, s.Signer)
		}
	}
	return out
}

// SignedBy returns the signature of step by name, if any.
func (e Expense) SignedBy(step SignStep, name string) (Signature, bool) {
	for _, s := range e.Signatures {
		if s.Step == step && s.Signer == name {
			return s, true
		}
	}
	return Signature{}, false
}

// Signed returns the first signature of a step, if any.
func (e Expense) Signed(step SignStep) (Signature, bool) {
	for _, s := range e.Signatures {
		if s.Step == step {
			return s, true
		}
	}
	return Signature{}, false
}

// Payable reports whether the request has every signature it needs before payment.
func (e Expense) Payable(r ExpenseRules) bool {
	return e.State == ExpenseReviewed || e.State == ExpenseApproved && !r.NeedsReview(e)
}

// Check says whether member m may take step on the request now, and if not, why:
//   - a finished request (paid or rejected) takes no more steps (ECONFLICT);
//   - approve: committee members only (chair, treasurer, member), never the applicant,
//     never the same member twice, and two signatures at most (双人联签);
//   - review: the community reviewer, after the committee's two signatures;
//   - pay: a treasurer who is neither the applicant nor one of the approvers, once
//     every signature is there;
//   - reject: a committee member, the reviewer, or the applicant withdrawing it.
func (e Expense) Check(step SignStep, m Member, r ExpenseRules) error {
	switch e.State {
	case ExpensePaid:
		return Errorf(ECONFLICT, "支出申请 %s 已于 %s 支付，不能再%s", "expense request %s was paid on %s and cannot be %s", e.ID, e.PaidDate, StepLabel(step))
	case ExpenseRejected:
		return Errorf(ECONFLICT, "支出申请 %s 已被驳回（%s），不能再%s", "expense request %s was rejected (%s) and cannot be %s", e.ID, e.RejectReason, StepLabel(step))
	}
	if !m.Active() {
		return Errorf(EUNAUTHORIZED, "%s 已被移出成员名单（%s），不能再签名", "%s was removed from the roster (%s) and can no longer sign", m.Name, m.Removed)
	}
	own := m.Name == e.Applicant
	switch step {
	case StepApprove:
		if own {
			return Errorf(EUNAUTHORIZED, "%s 是支出申请 %s 的申请人，申请人不能为自己的申请签字", "%s applied for expense request %s and can never sign their own request", m.Name, e.ID)
		}
		if !m.Role.Committee() {
			return Errorf(EUNAUTHORIZED, "%s 是%s，只有业委会成员（主任、财务委员、委员）可以联签", "%s is a %s: only committee members (chair, treasurer, member) sign the approval", m.Name, m.Role.Label())
		}
		if _, ok := e.SignedBy(StepApprove, m.Name); ok {
			return Errorf(ECONFLICT, "%s 已经签过支出申请 %s：联签需要两位不同的委员", "%s has already signed expense request %s: the approval needs two different committee members", m.Name, e.ID)
		}
		if e.State != ExpenseApplied {
			return Errorf(ECONFLICT, "支出申请 %s 已有两位委员联签（%s）", "expense request %s already has its two committee signatures (%s)", e.ID, strings.Join(e.Approvers(), "、"))
		}
	case StepReview:
		if m.Role != RoleReviewer {
			return Errorf(EUNAUTHORIZED, "%s 是%s，只有社区复核人可以复核", "%s is a %s: only the community reviewer re-reviews", m.Name, m.Role.Label())
		}
		if own {
			return Errorf(EUNAUTHORIZED, "%s 是支出申请 %s 的申请人，不能复核自己的申请", "%s applied for expense request %s and cannot review it", m.Name, e.ID)
		}
		switch e.State {
		case ExpenseApplied:
			return Errorf(EINVALID, "支出申请 %s 还没有两位委员联签（已签 %d 位），不能复核", "expense request %s does not have the committee's two signatures yet (%d so far) and cannot be reviewed", e.ID, len(e.Approvers()))
		case ExpenseReviewed:
			return Errorf(ECONFLICT, "支出申请 %s 已经复核过", "expense request %s has already been reviewed", e.ID)
		}
	case StepPay:
		// Separation of duties (不相容职务分离): four different people touch the money —
		// the applicant, two approvers and the treasurer who pays — so none of them can
		// move it alone (docs/roster.md).
		if !m.Role.Pays() {
			return Errorf(EUNAUTHORIZED, "%s 是%s，只有财务委员可以执行支付", "%s is a %s: only a treasurer makes payments", m.Name, m.Role.Label())
		}
		if own {
			return Errorf(EUNAUTHORIZED, "%s 是支出申请 %s 的申请人，不能支付自己的申请", "%s applied for expense request %s and cannot pay it", m.Name, e.ID)
		}
		if _, ok := e.SignedBy(StepApprove, m.Name); ok {
			return Errorf(EUNAUTHORIZED, "%s 联签了支出申请 %s，不能再支付它：支付人不能是申请人或联签人，请由另一位财务委员支付",
				"%s approved expense request %s and so cannot pay it: the payer is neither the applicant nor an approver; another treasurer pays", m.Name, e.ID)
		}
		if !e.Payable(r) {
			missing := T("还需要两位委员联签", "it still needs two committee signatures")
			if e.State == ExpenseApproved {
				missing = T("还需要社区复核", "it still needs the community's re-review")
			}
			return Errorf(EINVALID, "支出申请 %s 尚未完成审批（%s），不能支付", "expense request %s is not fully approved (%s) and cannot be paid", e.ID, missing)
		}
	case StepReject:
		if p := e.PaidSoFar(); p.IsPositive() {
			return Errorf(ECONFLICT, "支出申请 %s 已分期支付 %s，不能再驳回", "expense request %s has paid %s in stages and can no longer be rejected", e.ID, FormatAmount(p))
		}
		if !m.Role.Committee() && m.Role != RoleReviewer && !own {
			return Errorf(EUNAUTHORIZED, "%s 是%s，只有业委会成员、社区复核人或申请人本人可以驳回或撤回", "%s is a %s: only committee members, the community reviewer or the applicant may stop a request", m.Name, m.Role.Label())
		}
	case StepApply:
		return Errorf(ECONFLICT, "支出申请 %s 已经提交", "expense request %s has already been applied for", e.ID)
	default:
		return Errorf(EINVALID, "未知的审批步骤 %q", "unknown step %q", step)
	}
	return nil
}

// Sign checks that m may take step now, signs it with key and moves the request on: the
// second approval makes it committee-approved, the review community-reviewed, payment
// paid (note = the payment date), a rejection rejected (note = the reason).
func (e Expense) Sign(step SignStep, m Member, key ed25519.PrivateKey, at time.Time, note string, r ExpenseRules) (Expense, error) {
	if step == StepAccept {
		if err := e.CheckAccept(m, note, r); err != nil {
			return e, err
		}
	} else if step != StepApply {
		if err := e.Check(step, m, r); err != nil {
			return e, err
		}
	} else if m.Name != e.Applicant || len(e.Signatures) > 0 {
		return e, Errorf(ECONFLICT, "只有申请人可以在提交时签名", "only the applicant signs the application, when applying")
	}
	if step == StepReject && strings.TrimSpace(note) == "" {
		return e, Errorf(EINVALID, "驳回必须说明原因", "a rejection needs a reason")
	}
	if err := checkText(T("说明", "note"), note, 500, false); err != nil {
		return e, err
	}
	stage, date := "", note
	if step == StepPay && len(e.Stages) > 0 {
		stage, date, _ = strings.Cut(note, " ")
		if err := e.CheckStage(stage, date); err != nil {
			return e, err
		}
	}
	s := Signature{Step: step, Signer: m.Name, Role: m.Role, At: at.UTC().Truncate(time.Second), Note: note}
	s.Sig = ed25519.Sign(key, SignatureMessage(e, s))
	e.Signatures = append(append([]Signature(nil), e.Signatures...), s)
	switch step {
	case StepApprove:
		if len(e.Approvers()) >= 2 {
			e.State = ExpenseApproved
		}
	case StepReview:
		e.State = ExpenseReviewed
	case StepPay:
		if stage == "" {
			e.State, e.PaidDate = ExpensePaid, note
			break
		}
		e.Stages = append([]PaymentStage(nil), e.Stages...)
		e.Stages[e.Stage(stage)].PaidDate = date
		if all := e.Stages[len(e.Stages)-1].PaidDate != ""; all {
			e.State, e.PaidDate = ExpensePaid, date
		}
	case StepReject:
		e.State, e.RejectReason = ExpenseRejected, note
	}
	return e, nil
}

// VerifyExpense checks a stored request against the members' public keys: every
// signature must verify over the request's current content, every signer must be a
// member who held the role they signed in at the signature's time, that role must fit
// the step, the applicant never signs, approvals come from two
// different committee members, and the state must be what the signatures make it.
// A request edited after it was signed fails here.
func VerifyExpense(e Expense, members map[string]Member) error {
	bad := func(zh, en string, args ...any) error {
		return Errorf(EINVALID, "支出申请 %s 有问题："+zh+"。账本可能被改动过", "expense request %s is bad: "+en+". The book may have been tampered with",
			append([]any{e.ID}, args...)...)
	}
	approvers := map[string]bool{}
	var reviewed, paid, rejected, accepted bool
	stagePaid := map[string]bool{}
	for _, s := range e.Signatures {
		m, ok := members[s.Signer]
		if !ok {
			return bad("签名人 %s 不是登记的成员", "the signer %s is not a registered member", s.Signer)
		}
		if !ed25519.Verify(m.PublicKey, SignatureMessage(e, s), s.Sig) {
			return bad("%[3]s 的%[2]s签名与申请内容不符（签名后内容被改动过，或签名是从别的申请复制来的）", "the %s signature of %s does not match the request (it was changed after signing, or the signature was copied from another request)", StepLabel(s.Step), s.Signer)
		}
		if !m.HeldRoleAt(s.Role, s.At) {
			return bad("%s 签名时不在名单上，或角色与名单不符", "%s was not on the roster, or not in that role, when signing", s.Signer)
		}
		if s.Signer == e.Applicant && s.Step != StepApply && s.Step != StepReject {
			return bad("申请人 %s 为自己的申请签了字", "the applicant %s signed their own request", s.Signer)
		}
		switch s.Step {
		case StepApprove:
			if !s.Role.Committee() || approvers[s.Signer] {
				return bad("联签人 %s 不符合规则", "the approval by %s breaks the rules", s.Signer)
			}
			approvers[s.Signer] = true
		case StepReview:
			if s.Role != RoleReviewer || len(approvers) < 2 {
				return bad("复核签名不符合规则", "the review signature breaks the rules")
			}
			reviewed = true
		case StepPay:
			if len(approvers) < 2 || !s.Role.Committee() {
				return bad("支付签名不符合规则", "the payment signature breaks the rules")
			}
			if len(e.Stages) == 0 {
				if s.Note != e.PaidDate {
					return bad("支付签名不符合规则", "the payment signature breaks the rules")
				}
				paid = true
				break
			}
			stage, date, _ := strings.Cut(s.Note, " ")
			i := e.Stage(stage)
			if i < 0 || stagePaid[stage] || e.Stages[i].PaidDate != date || stage != StageAdvance && !accepted {
				return bad("%s 阶段的支付签名不符合规则", "the payment signature of stage %s breaks the rules", stage)
			}
			stagePaid[stage] = true
			paid = len(stagePaid) == len(e.Stages)
		case StepAccept:
			if len(e.Stages) == 0 || accepted || !s.Role.Committee() && s.Role != RoleReviewer || len(approvers) < 2 {
				return bad("验收签名不符合规则", "the acceptance signature breaks the rules")
			}
			accepted = true
		case StepReject:
			rejected = true
		}
	}
	for _, st := range e.Stages {
		if (st.PaidDate != "") != stagePaid[st.Name] {
			return bad("%s 阶段的支付记录与签名不符", "the payment record of stage %s does not match its signatures", st.Name)
		}
	}
	want := ExpenseApplied
	switch {
	case rejected:
		want = ExpenseRejected
	case paid:
		want = ExpensePaid
	case reviewed:
		want = ExpenseReviewed
	case len(approvers) >= 2:
		want = ExpenseApproved
	}
	if e.State != want {
		return bad("状态为“%s”，但签名表明应为“%s”", "its state is %q but its signatures make it %q", e.State.Label(), want.Label())
	}
	return nil
}
