package app

import (
	"context"
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
// re-reviews (社区复核) → a treasurer who is neither the applicant nor an approver pays
// (不相容职务分离). It can be rejected at any step before payment.
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
type SignStep string

const (
	StepApply   SignStep = "apply"
	StepApprove SignStep = "approve"
	StepReview  SignStep = "review"
	StepPay     SignStep = "pay"
	StepReject  SignStep = "reject"
)

// StepLabel is a step's name for lists and notices.
func StepLabel(step SignStep) string {
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
	case StepAccept:
		return T("验收", "accepted")
	}
	return string(step)
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
	Step   SignStep  `json:"step"`
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
	Invoice     string // the invoice's number (发票号码), printed on the quarterly disclosure
	// Vote and Matter link a maintenance-fund request to the owners' vote that allows
	// using the fund (required for that fund: Civil Code art. 278).
	Vote     string
	Matter   int
	Building string // the building a maintenance-fund repair is for ("" = the whole community)
	// Stages is a maintenance-fund request's payment plan (ParseStages); nil = paid at once.
	Stages []PaymentStage
	Files  []AttachmentFile
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
	Invoice     string          `json:"invoice,omitempty"` // the invoice's number; signed with the request
	Applicant   string          `json:"applicant"`
	Applied     time.Time       `json:"applied"`
	Vote        string          `json:"vote,omitempty"`
	Matter      int             `json:"matter,omitempty"`
	Building    string          `json:"building,omitempty"`
	Attachments []Attachment    `json:"attachments,omitempty"`
	// Stages is the payment plan (docs/maintenance.md); empty = paid at once.
	Stages []PaymentStage `json:"stages,omitempty"`
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
		Description: strings.TrimSpace(r.Description), Invoice: strings.TrimSpace(r.Invoice), Vote: strings.TrimSpace(r.Vote), Matter: r.Matter,
		Building: strings.TrimSpace(r.Building), State: ExpenseApplied}
	if err := checkText(T("发票号", "invoice number"), e.Invoice, 50, false); err != nil {
		return e, err
	}
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
	if len(r.Stages) > 0 {
		if f != FundMaintenance {
			return e, Errorf(EINVALID, "只有维修资金的支出可以分期支付", "only maintenance-fund requests are paid in stages")
		}
		if e.Stages, err = PlanStages(e.Amount, r.Stages); err != nil {
			return e, err
		}
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
	// not pass; EUNAUTHORIZED for a wrong passphrase, a payer who is not a treasurer, or
	// the applicant or an approver paying; ELOCKED for a date in a locked period.
	PayExpense(ctx context.Context, id, name, passphrase, date string) (Expense, error)
	// PayExpenseStage pays one stage of a request with a payment plan, like PayExpense
	// (same payer rules, its own signature and journal entry), after the checks of
	// Expense.CheckStage: EINVALID for a stage out of turn, before the acceptance or a
	// retention before its date; ECONFLICT for a stage paid already.
	PayExpenseStage(ctx context.Context, id, stage, name, passphrase, date string) (Expense, error)
	// AcceptExpense signs the acceptance (验收) of a staged request's work on date ("" =
	// today), after Expense.CheckAccept: EINVALID before the advance is paid.
	AcceptExpense(ctx context.Context, id, name, passphrase, date string) (Expense, error)
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
