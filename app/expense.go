package app

import (
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/shopspring/decimal"
)

// ExpenseState is where an expense request (支出申请) stands in the approval chain that
// trust-based management puts every payment through: the property company applies
// (物业申请) → two distinct committee members sign (双人审核、联签) → the community
// re-reviews (社区复核) → paid. It can be rejected at any step before payment.
type ExpenseState string

const (
	ExpenseApplied  ExpenseState = "applied"  // 已申请: waiting for the committee's two signatures
	ExpenseApproved ExpenseState = "approved" // 委员会已联签: two distinct committee members signed
	ExpenseReviewed ExpenseState = "reviewed" // 社区已复核
	ExpensePaid     ExpenseState = "paid"     // 已支付: the journal entry is posted
	ExpenseRejected ExpenseState = "rejected" // 已驳回, with the reason
)

// Label is the state's name for lists and notices.
func (s ExpenseState) Label() string {
	switch s {
	case ExpenseApplied:
		return T("待联签", "applied")
	case ExpenseApproved:
		return T("已联签", "committee-approved")
	case ExpenseReviewed:
		return T("已复核", "community-reviewed")
	case ExpensePaid:
		return T("已支付", "paid")
	case ExpenseRejected:
		return T("已驳回", "rejected")
	}
	return string(s)
}

// Steps of the chain, each recorded as a signature.
const (
	StepApply   = "apply"
	StepApprove = "approve"
	StepReview  = "review"
	StepPay     = "pay"
	StepReject  = "reject"
)

// StepLabel is a step's name for lists and notices.
func StepLabel(step string) string {
	switch step {
	case StepApply:
		return T("申请", "applied")
	case StepApprove:
		return T("联签", "approved")
	case StepReview:
		return T("复核", "reviewed")
	case StepPay:
		return T("支付", "paid")
	case StepReject:
		return T("驳回", "rejected")
	}
	return step
}

// Limits on attachments (scans and photos of invoices and contracts, stored in the book).
const (
	MaxAttachmentSize = 20 << 20
	MaxAttachments    = 10
)

// Attachment describes a file stored with a request; its SHA-256 is part of what the
// signatures cover, so a swapped scan is caught by verify.
type Attachment struct {
	Name   string `json:"name"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// AttachmentFile is an attachment as handed in with an application.
type AttachmentFile struct {
	Name string
	Data []byte
}

// Describe returns the attachment's record (name, size, hash).
func (f AttachmentFile) Describe() Attachment {
	sum := sha256.Sum256(f.Data)
	return Attachment{Name: f.Name, Size: int64(len(f.Data)), SHA256: hex.EncodeToString(sum[:])}
}

// Signature is one member's Ed25519 signature on a step of a request. It covers the
// request's canonical content plus the step, the signer, their role, the time and the
// note (a reason, a payment date): see SignatureMessage.
type Signature struct {
	Step   string    `json:"step"`
	Signer string    `json:"signer"`
	Role   Role      `json:"role"`
	At     time.Time `json:"at"`
	Note   string    `json:"note,omitempty"`
	Sig    []byte    `json:"sig"`
}

// ExpenseRequest is an application as the clerk fills it in.
type ExpenseRequest struct {
	Fund        Fund
	Category    string // an ExpenseCategories code or name
	BudgetLine  string // "YEAR:FUND:CATEGORY"; "" = the matching line of the year's budget, if any
	Payee       string
	Amount      decimal.Decimal
	Description string
	// Vote and Matter link a maintenance-fund request to the owners' vote that allows
	// using the fund (required for that fund: Civil Code art. 278).
	Vote     string
	Matter   int
	Building string // the building a maintenance-fund repair is for ("" = the whole community)
	Files    []AttachmentFile
}

// Expense is an expense request (支出申请) and its progress through the chain.
type Expense struct {
	ID          string          `json:"id"`
	Fund        Fund            `json:"fund"`
	Category    string          `json:"category"` // ExpenseCategory code
	BudgetLine  string          `json:"budget_line,omitempty"`
	Payee       string          `json:"payee"`
	Amount      decimal.Decimal `json:"amount"`
	Description string          `json:"description"`
	Applicant   string          `json:"applicant"`
	Applied     time.Time       `json:"applied"`
	Vote        string          `json:"vote,omitempty"`
	Matter      int             `json:"matter,omitempty"`
	Building    string          `json:"building,omitempty"`
	Attachments []Attachment    `json:"attachments,omitempty"`
	// Roster is the hash of the sealed founding roster (RosterSeal.Hash) when the
	// request was made: under every signature, so rewriting the roster breaks them.
	Roster string `json:"roster,omitempty"`

	State        ExpenseState `json:"state"`
	Signatures   []Signature  `json:"signatures,omitempty"`
	RejectReason string       `json:"reject_reason,omitempty"`
	PaidDate     string       `json:"paid_date,omitempty"`
	Entry        int64        `json:"entry,omitempty"` // the journal entry of the payment
}

// ExpenseID is the id of the n-th request.
func ExpenseID(n int64) string { return fmt.Sprintf("E%06d", n) }

// ParseExpenseID accepts an id as typed: "E000012", "e12" or "12".
func ParseExpenseID(s string) (string, error) {
	s = strings.TrimSpace(s)
	digits := strings.TrimPrefix(strings.TrimPrefix(s, "E"), "e")
	n, err := strconv.ParseInt(digits, 10, 64)
	if err != nil || n <= 0 || digits == "" || digits[0] == '+' {
		return "", Errorf(EINVALID, "支出申请编号 %q 无效（例如 E000012）", "%q is not an expense request id (e.g. E000012)", s)
	}
	return ExpenseID(n), nil
}

// CategoryLabel is the category's name in the user's language.
func (e Expense) CategoryLabel() string {
	c, err := ParseExpenseCategory(e.Category)
	if err != nil {
		return e.Category
	}
	return c.Title()
}

// Validate checks a request as typed and returns it as an Expense without id, applicant
// or time. A maintenance-fund request must name the owners' vote and matter that allow
// it; the fund and category must fit (repairs from the maintenance fund only).
func (r ExpenseRequest) Validate() (Expense, error) {
	f, err := ParseFund(string(r.Fund))
	if err != nil {
		return Expense{}, err
	}
	c, err := ParseExpenseCategory(r.Category)
	if err != nil {
		return Expense{}, err
	}
	if _, err := ExpenseAccount(f, c.Code); err != nil {
		return Expense{}, err
	}
	e := Expense{Fund: f, Category: c.Code, Payee: strings.TrimSpace(r.Payee), Amount: r.Amount,
		Description: strings.TrimSpace(r.Description), Vote: strings.TrimSpace(r.Vote), Matter: r.Matter,
		Building: strings.TrimSpace(r.Building), State: ExpenseApplied}
	if err := checkText(T("收款人", "payee"), e.Payee, 100, true); err != nil {
		return e, err
	}
	if err := checkText(T("用途说明", "description"), e.Description, 500, true); err != nil {
		return e, err
	}
	if err := checkText(T("楼栋", "building"), e.Building, 20, false); err != nil {
		return e, err
	}
	if !e.Amount.IsPositive() {
		return e, Errorf(EINVALID, "支出金额必须大于 0", "the amount must be more than 0")
	}
	if !e.Amount.Equal(e.Amount.Round(2)) {
		return e, Errorf(EINVALID, "金额 %s 最多两位小数", "amount %s has more than 2 decimals", e.Amount.String())
	}
	if err := CheckAmount("支出", "expense", e.Amount); err != nil {
		return e, err
	}
	if f == FundMaintenance && (e.Vote == "" || e.Matter <= 0) {
		return e, Errorf(EINVALID, "动用维修资金必须关联业主大会表决通过的事项：请给出 --vote 表决编号 和 --matter 事项序号（《民法典》第二百七十八条）",
			"a maintenance-fund request must cite the owners' vote that allows it: give --vote ID and --matter N (Civil Code art. 278)")
	}
	if (e.Vote == "") != (e.Matter <= 0) {
		return e, Errorf(EINVALID, "表决编号和事项序号要一起给出", "give the vote and the matter number together")
	}
	if r.BudgetLine != "" {
		line, err := ParseBudgetLineID(r.BudgetLine)
		if err != nil {
			return e, err
		}
		if line.Fund != f {
			return e, Errorf(EINVALID, "预算科目 %s 属于%s，不能用于%s的支出：资金之间不能挪用",
				"budget line %s belongs to the %s and cannot fund a %s expense: money never moves between funds", r.BudgetLine, line.Fund.Label(), f.Label())
		}
		if line.Category != c.Code {
			return e, Errorf(EINVALID, "预算科目 %s 是“%s”，与支出类别“%s”不符", "budget line %s is for %s, not for %s", r.BudgetLine, line.CategoryLabel(), c.Name)
		}
		e.BudgetLine = line.ID()
	}
	if len(r.Files) > MaxAttachments {
		return e, Errorf(EINVALID, "附件太多（最多 %d 个）", "too many attachments (%d at most)", MaxAttachments)
	}
	for _, f := range r.Files {
		if err := checkText(T("附件名", "attachment name"), f.Name, 200, true); err != nil {
			return e, err
		}
		if len(f.Data) == 0 {
			return e, Errorf(EINVALID, "附件 %s 是空文件", "attachment %s is empty", f.Name)
		}
		if len(f.Data) > MaxAttachmentSize {
			return e, Errorf(EINVALID, "附件 %s 太大（%d MB），每个附件最多 %d MB", "attachment %s is too large (%d MB); each may be %d MB at most", f.Name, len(f.Data)>>20, MaxAttachmentSize>>20)
		}
		e.Attachments = append(e.Attachments, f.Describe())
	}
	return e, nil
}

func checkText(what, s string, max int, required bool) error {
	if required && s == "" {
		return Errorf(EINVALID, "缺少%s", "the %s is missing", what)
	}
	if len([]rune(s)) > max {
		return Errorf(EINVALID, "%s太长（最多 %d 字）", "the %s is too long (%d characters at most)", what, max)
	}
	for _, r := range s {
		if unicode.IsControl(r) && r != '\n' {
			return Errorf(EINVALID, "%s含有控制字符", "the %s contains a control character", what)
		}
	}
	return nil
}

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
	for _, a := range e.Attachments {
		b = append(b, "\nattach "...)
		b = strconv.AppendQuote(b, a.Name)
		b = append(b, ' ')
		b = strconv.AppendInt(b, a.Size, 10)
		b = append(b, ' ')
		b = append(b, a.SHA256...)
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
	b = strconv.AppendQuote(b, s.Step)
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
func (e Expense) SignedBy(step, name string) (Signature, bool) {
	for _, s := range e.Signatures {
		if s.Step == step && s.Signer == name {
			return s, true
		}
	}
	return Signature{}, false
}

// Signed returns the first signature of a step, if any.
func (e Expense) Signed(step string) (Signature, bool) {
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
//   - pay: a committee member, never the applicant, once every signature is there;
//   - reject: a committee member, the reviewer, or the applicant withdrawing it.
func (e Expense) Check(step string, m Member, r ExpenseRules) error {
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
		if !m.Role.Committee() {
			return Errorf(EUNAUTHORIZED, "%s 是%s，只有业委会成员可以执行支付", "%s is a %s: only committee members make payments", m.Name, m.Role.Label())
		}
		if own {
			return Errorf(EUNAUTHORIZED, "%s 是支出申请 %s 的申请人，不能支付自己的申请", "%s applied for expense request %s and cannot pay it", m.Name, e.ID)
		}
		if !e.Payable(r) {
			missing := T("还需要两位委员联签", "it still needs two committee signatures")
			if e.State == ExpenseApproved {
				missing = T("还需要社区复核", "it still needs the community's re-review")
			}
			return Errorf(EINVALID, "支出申请 %s 尚未完成审批（%s），不能支付", "expense request %s is not fully approved (%s) and cannot be paid", e.ID, missing)
		}
	case StepReject:
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
func (e Expense) Sign(step string, m Member, key ed25519.PrivateKey, at time.Time, note string, r ExpenseRules) (Expense, error) {
	if step != StepApply {
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
		e.State, e.PaidDate = ExpensePaid, note
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
	var reviewed, paid, rejected bool
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
			if len(approvers) < 2 || !s.Role.Committee() || s.Note != e.PaidDate {
				return bad("支付签名不符合规则", "the payment signature breaks the rules")
			}
			paid = true
		case StepReject:
			rejected = true
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

// PaymentEntry is the journal entry that pays the request: the category's expense
// account (or, for remuneration accrued monthly, the fund's payable) debited, the
// fund's bank account credited.
func (e Expense) PaymentEntry(date string) (Entry, error) {
	debit, err := ExpenseAccount(e.Fund, e.Category)
	if err != nil {
		return Entry{}, err
	}
	if e.Category == "remuneration" {
		debit = PayableAccount(e.Fund)
	}
	desc := fmt.Sprintf("支出 %s %s %s", e.ID, e.Payee, e.Description)
	if len([]rune(desc)) > 200 {
		desc = string([]rune(desc)[:200])
	}
	return Entry{Date: date, Description: strings.ReplaceAll(desc, "\n", " "), Ref: DocExpense.Ref(e.ID), Postings: []Posting{
		{Account: debit, Amount: e.Amount},
		{Account: BankAccount(e.Fund), Amount: e.Amount.Neg()},
	}}, nil
}

// PayableAccount is the fund's payable (应付款), where remuneration is accrued until paid.
func PayableAccount(f Fund) string { return AccountName(TypeLiability, f, "应付款") }

// ExpenseService runs expense requests through the approval chain. Every signing step
// takes the member's passphrase; a refusal (wrong passphrase, wrong role, the applicant
// signing, a signature twice, paying too early, a fund overdrawn) writes nothing except
// a record of the attempt in the audit log.
type ExpenseService interface {
	// ApplyExpense records a request by applicant, with its attachments; passphrase, if not
	// empty, signs the application. EINVALID for bad input, ENOTFOUND for an unknown
	// applicant, vote or budget line, EUNAUTHORIZED for a wrong passphrase.
	ApplyExpense(ctx context.Context, r ExpenseRequest, applicant, passphrase string) (Expense, error)
	// ApproveExpense adds a committee member's signature; two distinct ones approve the request.
	// EUNAUTHORIZED for a wrong passphrase, a non-committee member or the applicant;
	// ECONFLICT for a second signature by the same member.
	ApproveExpense(ctx context.Context, id, name, passphrase string) (Expense, error)
	// ReviewExpense adds the community's re-review.
	ReviewExpense(ctx context.Context, id, name, passphrase string) (Expense, error)
	// PayExpense pays a fully approved request on date ("" = today) and posts its journal
	// entry in the same transaction. EINVALID if not fully approved, if the fund's bank
	// account holds less than the amount, or if a maintenance-fund request's vote did
	// not pass; ELOCKED for a date in a locked period.
	PayExpense(ctx context.Context, id, name, passphrase, date string) (Expense, error)
	// RejectExpense stops a request with a reason.
	RejectExpense(ctx context.Context, id, name, passphrase, reason string) (Expense, error)
	// Expense returns one request; ENOTFOUND if there is none.
	Expense(ctx context.Context, id string) (Expense, error)
	// Expenses lists all requests, oldest first.
	Expenses(ctx context.Context) ([]Expense, error)
	// AttachmentData returns the content of a request's attachment n (0-based).
	AttachmentData(ctx context.Context, id string, n int) (Attachment, []byte, error)
	// SetExpenseRules changes the chain's settings.
	SetExpenseRules(ctx context.Context, r ExpenseRules, who, why string) error
	// ExpenseRules returns the chain's settings.
	ExpenseRules(ctx context.Context) (ExpenseRules, error)
	// VerifyExpenses checks every request's signatures and state, every paid request's
	// journal entry and every attachment's hash; the error names the first bad request.
	VerifyExpenses(ctx context.Context) error
}

type asOfKey struct{}

// AsOf returns a context under which the approval chain records its steps at t instead
// of now: for entering paper forms signed earlier, and for the demo's history. Times
// in the future are ignored.
func AsOf(ctx context.Context, t time.Time) context.Context {
	return context.WithValue(ctx, asOfKey{}, t)
}

// StepTime is when a step taken under ctx is recorded: the AsOf time if set and not
// after now, else now.
func StepTime(ctx context.Context, now time.Time) time.Time {
	if ctx != nil {
		if t, ok := ctx.Value(asOfKey{}).(time.Time); ok && !t.IsZero() && !t.After(now) {
			return t
		}
	}
	return now
}
