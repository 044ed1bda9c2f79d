package app

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// SettlementLine is an amount on one account in a settlement.
type SettlementLine struct {
	Account string          `json:"account"`
	Name    string          `json:"name"` // the account's last level
	Amount  decimal.Decimal `json:"amount"`
}

// FundSettlement is one fund's year: what it held at the start (the surplus carried
// forward from before), its income and expenses by item, the surplus or deficit of the
// year and what it holds at the end, carried forward for the owners.
type FundSettlement struct {
	Fund         Fund             `json:"fund"`
	Opening      decimal.Decimal  `json:"opening"` // net assets at 1 January
	Income       []SettlementLine `json:"income"`
	IncomeTotal  decimal.Decimal  `json:"income_total"`
	Expenses     []SettlementLine `json:"expenses"`
	ExpenseTotal decimal.Decimal  `json:"expense_total"`
	Remuneration decimal.Decimal  `json:"remuneration"` // part of the expenses
	Surplus      decimal.Decimal  `json:"surplus"`      // income − expenses (negative = deficit)
	Closing      decimal.Decimal  `json:"closing"`      // opening + surplus, carried forward
	// What the closing balance is made of, at 31 December: Closing = Money + Receivable
	// − Prepaid − Payable + Other, each account counted by its Account.FundRole. Owners see
	// that a balance "due to them" is partly fees their neighbours have not paid yet.
	Money      decimal.Decimal `json:"money"`      // bank deposits and cash
	Receivable decimal.Decimal `json:"receivable"` // owed to the fund: fees billed and not yet paid, other receivables
	Prepaid    decimal.Decimal `json:"prepaid"`    // fees owners paid in advance (owed back in service)
	Payable    decimal.Decimal `json:"payable"`    // what the fund owes: accrued and not yet paid (remuneration)
	Other      decimal.Decimal `json:"other"`      // assets that are neither money nor owed to the fund
}

// UnpaidRequest is an expense request approved but not yet paid when a year is settled:
// it will be booked in the year it is paid, and the notice lists it under its fund.
type UnpaidRequest struct {
	ID     string          `json:"id"`
	Fund   Fund            `json:"fund"`
	Payee  string          `json:"payee"`
	Amount decimal.Decimal `json:"amount"`
}

// Settlement is the annual settlement (年度统结统算) of trust-based management: every
// fund's income and expenses, the property company's remuneration, and the surplus or
// deficit, which belongs to the owners and is carried forward to the next year. Settling
// a year locks its periods: nothing can be dated into it afterwards.
type Settlement struct {
	Year      int              `json:"year"`
	Funds     []FundSettlement `json:"funds"`
	Unpaid    []string         `json:"unpaid,omitempty"`  // requests approved in the year but not paid
	Pending   []UnpaidRequest  `json:"pending,omitempty"` // the same requests with their fund and amount
	Head      string           `json:"head"`              // the journal head when settled
	HeadSeq   int64            `json:"head_seq"`
	SettledBy string           `json:"settled_by"`
	SettledAt time.Time        `json:"settled_at"`
	Note      string           `json:"note,omitempty"`
	// MicroFundMoves are the committee's moves of a share of the public-income surplus
	// to the owners' micro-fund (microfund.go), oldest first; at most one stands.
	MicroFundMoves []MicroFundMove `json:"micro_fund,omitempty"`
	// Remuneration is the property company's remuneration as it stands when the notice
	// is printed (RemunerationService.RemunerationStatus): the year's quarters and what
	// is unpaid. Filled by the notice, never stored with the settlement.
	Remuneration *RemunerationStatus `json:"-"`
	// Audits are the audits of the settled year recorded afterwards (settlement audit),
	// oldest first; the settlement notice prints the newest.
	Audits []SettlementAudit `json:"audits,omitempty"`
}

// SettlementAudit is an audit of a settled year: who audited it (an accounting firm, the
// street office's audit), the report's number, its date and, if given, its opinion.
type SettlementAudit struct {
	Auditor string    `json:"auditor"`
	Report  string    `json:"report"`
	Date    string    `json:"date"` // YYYY-MM-DD of the report
	Opinion string    `json:"opinion,omitempty"`
	By      string    `json:"by"`
	At      time.Time `json:"at"`
}

// Validate checks an audit as entered.
func (a SettlementAudit) Validate() error {
	if strings.TrimSpace(a.Auditor) == "" || strings.TrimSpace(a.Report) == "" {
		return Errorf(EINVALID, "请写明审计单位（--by）和审计报告文号（--report）；没有记录", "give who audited (--by) and the report's number (--report); nothing was recorded")
	}
	for _, f := range []string{a.Auditor, a.Report, a.Opinion} {
		if len([]rune(f)) > 200 {
			return Errorf(EINVALID, "审计记录太长（每项最多 200 字）；没有记录", "the audit record is too long (200 characters a field at most); nothing was recorded")
		}
	}
	return ValidDate(a.Date)
}

// Audit is the newest recorded audit; ok false when none is recorded.
func (s Settlement) Audit() (SettlementAudit, bool) {
	if len(s.Audits) == 0 {
		return SettlementAudit{}, false
	}
	return s.Audits[len(s.Audits)-1], true
}

// Fund returns the settlement of one fund.
func (s Settlement) Fund(f Fund) FundSettlement {
	for _, x := range s.Funds {
		if x.Fund == f {
			return x
		}
	}
	return FundSettlement{Fund: f}
}

// ComputeSettlement works the year out from the journal. A fund's net assets (its
// assets less its liabilities) at the end of the year equal those at its start plus
// the year's income less its expenses, because every entry balances within one fund;
// the function checks that identity and reports a break as EINVALID.
func ComputeSettlement(year int, entries []Entry) (Settlement, error) {
	s := Settlement{Year: year}
	y := strconv.Itoa(year)
	type acc struct {
		opening, closing decimal.Decimal
		pos              FundPosition // at the end of the year, by role
		income, expense  map[string]decimal.Decimal
	}
	per := map[Fund]*acc{}
	for _, f := range Funds {
		per[f] = &acc{income: map[string]decimal.Decimal{}, expense: map[string]decimal.Decimal{}}
	}
	for _, e := range entries {
		if len(e.Date) < 4 || e.Date[:4] > y {
			continue
		}
		before := e.Date[:4] < y
		for _, p := range e.Postings {
			a := per[Account{Name: p.Account}.Fund()]
			if a == nil {
				continue
			}
			switch (Account{Name: p.Account}).Type() {
			case TypeAsset, TypeLiability:
				// net assets are debit-positive: assets minus liabilities
				a.closing = a.closing.Add(p.Amount)
				if before {
					a.opening = a.opening.Add(p.Amount)
				}
				a.pos.Add(p.Account, p.Amount)
			case TypeIncome:
				if !before {
					a.income[p.Account] = a.income[p.Account].Sub(p.Amount)
				}
			case TypeExpense:
				if !before {
					a.expense[p.Account] = a.expense[p.Account].Add(p.Amount)
				}
			}
		}
	}
	for _, f := range Funds {
		a := per[f]
		fs := FundSettlement{Fund: f, Opening: a.opening, Closing: a.closing, Money: a.pos.Available(),
			Receivable: a.pos.Receivable, Prepaid: a.pos.Prepaid, Payable: a.pos.Payable, Other: a.pos.Other}
		for _, acct := range sortedAccounts(a.income) {
			fs.Income = append(fs.Income, SettlementLine{Account: acct, Name: lastLevel(acct), Amount: a.income[acct]})
			fs.IncomeTotal = fs.IncomeTotal.Add(a.income[acct])
		}
		for _, acct := range sortedAccounts(a.expense) {
			fs.Expenses = append(fs.Expenses, SettlementLine{Account: acct, Name: lastLevel(acct), Amount: a.expense[acct]})
			fs.ExpenseTotal = fs.ExpenseTotal.Add(a.expense[acct])
			if lastLevel(acct) == "酬金" {
				fs.Remuneration = fs.Remuneration.Add(a.expense[acct])
			}
		}
		fs.Surplus = fs.IncomeTotal.Sub(fs.ExpenseTotal)
		if !fs.Opening.Add(fs.Surplus).Equal(fs.Closing) {
			return s, Errorf(EINVALID, "%s %d 年的期初 %s 加结余 %s 不等于期末 %s：有跨资金的凭证，请先核对账目",
				"%s %d: opening %s plus surplus %s does not equal closing %s: an entry crosses funds; check the books first",
				f.Label(), year, PlainAmount(fs.Opening), PlainAmount(fs.Surplus), PlainAmount(fs.Closing))
		}
		s.Funds = append(s.Funds, fs)
	}
	return s, nil
}

func lastLevel(acct string) string {
	i := strings.LastIndex(acct, ":")
	return acct[i+1:]
}

// sortedAccounts lists the accounts with non-zero amounts in the order of the
// regulation's cost items (expense categories, income kinds), others after by name.
func sortedAccounts(m map[string]decimal.Decimal) []string {
	rank := func(a string) int {
		name := lastLevel(a)
		for i, c := range ExpenseCategories {
			if c.Name == name {
				return i
			}
		}
		if a == FeeIncomeAccount {
			return 0
		}
		if a == LateFeeIncomeAccount {
			return 1
		}
		for i, k := range IncomeKinds {
			if k.Name == name {
				return 2 + i
			}
		}
		return 100
	}
	var out []string
	for a, v := range m {
		if !v.IsZero() {
			out = append(out, a)
		}
	}
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && (rank(out[j]) < rank(out[j-1]) || rank(out[j]) == rank(out[j-1]) && out[j] < out[j-1]); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// SettlementService settles years.
type SettlementService interface {
	// PreviewSettlement computes a year's settlement without recording it.
	PreviewSettlement(ctx context.Context, year int) (Settlement, error)
	// Settle records the year's settlement and locks its periods through December.
	// ECONFLICT if already settled, EINVALID if the year is not over.
	Settle(ctx context.Context, year int, who, why string) (Settlement, error)
	// Settlement returns a recorded settlement; ENOTFOUND if the year is not settled.
	Settlement(ctx context.Context, year int) (Settlement, error)
	// Settlements lists recorded settlements, oldest first.
	Settlements(ctx context.Context) ([]Settlement, error)
	// SettleWithMicroFund settles the year as Settle does and, in the same transaction,
	// moves share % of its public-income surplus to the owners' micro-fund
	// (docs/microfund.md): one entry, none when there is no surplus.
	SettleWithMicroFund(ctx context.Context, year int, share decimal.Decimal, who, why string) (Settlement, error)
	// MoveMicroFund moves share % of a settled year's public-income surplus to the
	// micro-fund. ENOTFOUND if the year is not settled, ECONFLICT if a move of the year
	// stands (reverse its entry first).
	MoveMicroFund(ctx context.Context, year int, share decimal.Decimal, who, why string) (Settlement, error)
	// SetMicroFundBase sets what the share is taken of ("surplus" or "income",
	// ParseMicroFundBase) for the moves that follow; MicroFundBase reads it ("" the
	// surplus).
	SetMicroFundBase(ctx context.Context, base, who, why string) error
	MicroFundBase(ctx context.Context) (string, error)
	// RecordAudit records an audit of a settled year (who audited it, the report's
	// number); ENOTFOUND if the year is not settled, EINVALID for a bad record.
	RecordAudit(ctx context.Context, year int, a SettlementAudit, who, why string) (Settlement, error)
}

// SettlementOrPreview is the year's recorded settlement or, while the year is not
// settled (ENOTFOUND), a preview of it (preview true): what every screen, listing and
// notice of a year's settlement shows. Any other error is returned as it is.
func SettlementOrPreview(ctx context.Context, s SettlementService, year int) (st Settlement, preview bool, err error) {
	st, err = s.Settlement(ctx, year)
	if ErrorCode(err) == ENOTFOUND {
		st, err = s.PreviewSettlement(ctx, year)
		return st, true, err
	}
	return st, false, err
}
