package app

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// Micro-fund projects (docs/microfund.md, "Projects"): an owner or the committee
// proposes a small project with its budget; two committee members approve it; it is
// posted for the 公示期; after that, public-income expenses paid through the expense
// chain are charged to it, each moving its amount out of the micro-fund; a report
// closes it.

// Who proposes a project.
const (
	ProposerOwner     = "owner"
	ProposerCommittee = "committee"
)

// Micro-fund project states.
const (
	ProjectProposed  = "proposed"  // waiting for two committee approvals
	ProjectApproved  = "approved"  // approved, not yet posted for the 公示期
	ProjectPublished = "published" // in its 公示期
	ProjectOpen      = "open"      // 公示期 over: expenses may be charged to it
	ProjectReported  = "reported"  // its completion report is recorded
	ProjectRejected  = "rejected"
)

// MicroFundSpend is one paid expense charged to a project, and the journal entry that
// moved its amount out of the micro-fund.
type MicroFundSpend struct {
	Expense string          `json:"expense"`
	Amount  decimal.Decimal `json:"amount"`
	Entry   int64           `json:"entry"`
	Date    string          `json:"date"`
	// Reversed is the entry that reversed Entry (ledger reverse), 0 while it stands: a
	// reversed charge no longer counts as spent, and its expense may be charged again.
	Reversed int64 `json:"reversed,omitempty"`
}

// MicroFundProject is one project of the owners' micro-fund.
type MicroFundProject struct {
	ID          string           `json:"id"`
	Title       string           `json:"title"`
	Description string           `json:"description,omitempty"`
	Amount      decimal.Decimal  `json:"amount"` // the budget approved
	ProposedBy  string           `json:"proposed_by"`
	Unit        string           `json:"unit,omitempty"` // the proposing owner's unit (never a name)
	Who         string           `json:"who"`
	At          time.Time        `json:"at"`
	Approvals   []string         `json:"approvals,omitempty"` // committee members, distinct
	Rejected    string           `json:"rejected,omitempty"`  // the reason
	Published   string           `json:"published,omitempty"` // first day of the 公示期
	NoticeEnds  string           `json:"notice_ends,omitempty"`
	Spends      []MicroFundSpend `json:"spends,omitempty"`
	Report      string           `json:"report,omitempty"`
	ReportedOn  string           `json:"reported_on,omitempty"`
}

// MicroFundProjectID is the n-th project's id: MF0001, MF0002, …
func MicroFundProjectID(n int64) string { return fmt.Sprintf("MF%04d", n) }

// State is where the project stands on day (YYYY-MM-DD).
func (p MicroFundProject) State(day string) string {
	switch {
	case p.Rejected != "":
		return ProjectRejected
	case p.Report != "":
		return ProjectReported
	case p.Published != "" && day > p.NoticeEnds:
		return ProjectOpen
	case p.Published != "":
		return ProjectPublished
	case len(p.Approvals) >= 2:
		return ProjectApproved
	}
	return ProjectProposed
}

// Spent adds up what was charged to the project, reversed charges left out.
func (p MicroFundProject) Spent() decimal.Decimal {
	s := decimal.Zero
	for _, x := range p.Spends {
		if x.Reversed == 0 {
			s = s.Add(x.Amount)
		}
	}
	return s
}

// Validate checks a new proposal.
func (p MicroFundProject) Validate() error {
	if err := checkText(T("项目名称", "project title"), strings.TrimSpace(p.Title), 100, true); err != nil {
		return err
	}
	if err := checkText(T("说明", "description"), p.Description, 1000, false); err != nil {
		return err
	}
	if !p.Amount.IsPositive() || !p.Amount.Equal(p.Amount.Round(2)) {
		return Errorf(EINVALID, "项目预算应为大于 0、最多两位小数的金额；没有做任何更改", "the project's budget must be an amount above 0 with at most 2 decimals; nothing was changed")
	}
	switch p.ProposedBy {
	case ProposerOwner:
		if strings.TrimSpace(p.Unit) == "" {
			return Errorf(EINVALID, "业主提议须写明房号（--unit）；没有做任何更改", "an owner's proposal needs the owner's unit (--unit); nothing was changed")
		}
	case ProposerCommittee:
	default:
		return Errorf(EINVALID, "提议人应为 owner（业主）或 committee（业委会）；没有做任何更改", "the proposer must be owner or committee; nothing was changed")
	}
	return nil
}

// Approve returns p with member's approval: refused once rejected, reported or already
// approved by two, and twice by the same member.
func (p MicroFundProject) Approve(member string) (MicroFundProject, error) {
	if p.Rejected != "" || len(p.Approvals) >= 2 {
		return p, Errorf(ECONFLICT, "项目 %s 已经%s，不能再审批；没有做任何更改", "project %s is already %s; nothing was changed", p.ID, T(map[bool]string{true: "驳回", false: "由两位委员批准"}[p.Rejected != ""], map[bool]string{true: "rejected", false: "approved by two members"}[p.Rejected != ""]))
	}
	for _, a := range p.Approvals {
		if a == member {
			return p, Errorf(ECONFLICT, "%s 已经批准过项目 %s：须由两位不同的委员批准；没有做任何更改", "%s already approved project %s: two different members must; nothing was changed", member, p.ID)
		}
	}
	p.Approvals = append(append([]string(nil), p.Approvals...), member)
	return p, nil
}

// MicroFundService keeps the micro-fund's projects.
type MicroFundService interface {
	// ProposeMicroFundProject records a proposal and returns it with its id; EINVALID
	// for a bad one, ENOTFOUND for an owner's unit not in the register.
	ProposeMicroFundProject(ctx context.Context, p MicroFundProject, who string) (MicroFundProject, error)
	// ApproveMicroFundProject adds a committee member's approval (the caller has checked
	// the member's passphrase); EINVALID for someone not an active committee member.
	ApproveMicroFundProject(ctx context.Context, id, member string) (MicroFundProject, error)
	// RejectMicroFundProject stops a project not yet charged.
	RejectMicroFundProject(ctx context.Context, id, reason, who string) (MicroFundProject, error)
	// PublishMicroFundProject starts the 公示期 of an approved project, today.
	PublishMicroFundProject(ctx context.Context, id, who string) (MicroFundProject, error)
	// SpendMicroFundProject charges a paid public-income expense to an open project and
	// moves its amount out of the micro-fund (one journal entry).
	SpendMicroFundProject(ctx context.Context, id, expense, who string) (MicroFundProject, error)
	// ReportMicroFundProject records the completion report of a project with spending.
	ReportMicroFundProject(ctx context.Context, id, report, who string) (MicroFundProject, error)
	// MicroFundProjects lists the projects, oldest first, and the micro-fund's balance.
	MicroFundProjects(ctx context.Context) ([]MicroFundProject, decimal.Decimal, error)
}

// MicroFundSpendEntry moves a project's spending out of the micro-fund back to the
// public-income fund's carried-forward surplus, which the expense itself reduced.
func MicroFundSpendEntry(p MicroFundProject, expense string, amount decimal.Decimal, date string) Entry {
	return Entry{Date: date, Ref: "microfund:" + p.ID,
		Description: "业主微基金项目 " + p.ID + " " + p.Title + " 支出 " + expense,
		Postings: []Posting{
			{Account: MicroFundAccount, Amount: amount},
			{Account: RetainedAccount(FundPublic), Amount: amount.Neg()},
		}}
}
