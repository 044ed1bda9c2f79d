package app

import (
	"context"
	"sort"
	"strings"

	"github.com/shopspring/decimal"
)

// Progress of a maintenance-fund usage application (维修资金使用申请), as owners follow
// it on the notice board: applied → voted (the owners' vote passed) → approved (the
// committee's two signatures and the community's review) → paid; or rejected.
const (
	ProgressApplied  = "applied"
	ProgressVoted    = "voted"
	ProgressApproved = "approved"
	ProgressPaid     = "paid"
	ProgressRejected = "rejected"
)

// ProgressLabel is a progress step as printed.
func ProgressLabel(p string) string {
	switch p {
	case ProgressApplied:
		return T("已申请", "applied")
	case ProgressVoted:
		return T("已表决通过", "vote passed")
	case ProgressApproved:
		return T("已审批", "approved")
	case ProgressPaid:
		return T("已支付", "paid")
	case ProgressRejected:
		return T("已驳回", "rejected")
	}
	return p
}

// MaintenanceProgress is where a maintenance-fund request stands, given whether its
// vote passed.
func MaintenanceProgress(e Expense, passed bool, r ExpenseRules) string {
	switch {
	case e.State == ExpenseRejected:
		return ProgressRejected
	case e.State == ExpensePaid:
		return ProgressPaid
	case passed && e.Payable(r):
		return ProgressApproved
	case passed:
		return ProgressVoted
	}
	return ProgressApplied
}

// MaintenanceApplication is a request on the maintenance fund with its progress.
type MaintenanceApplication struct {
	Expense  Expense  `json:"expense"`
	Passed   bool     `json:"passed"`
	Progress string   `json:"progress"`
	Scope    []string `json:"scope,omitempty"` // the units that share it (nil: all)
}

// BuildingShare is one building's share of the maintenance fund where the community
// tracks it: the fund is split by exclusive area, less the repairs charged to that
// building alone (repairs for the whole community are shared by area).
type BuildingShare struct {
	Building string          `json:"building"`
	Area     decimal.Decimal `json:"area"`
	Repairs  decimal.Decimal `json:"repairs"` // paid for this building alone, to date
	Share    decimal.Decimal `json:"share"`
}

// MaintenanceStatement is the maintenance fund's statement for a year (维修资金收支情况):
// opening balance, deposits, interest and other value-added income, repairs paid, the
// closing balance, the usage applications and, optionally, each building's share.
type MaintenanceStatement struct {
	Year         int                      `json:"year"`
	Opening      decimal.Decimal          `json:"opening"`
	Deposits     decimal.Decimal          `json:"deposits"`
	Interest     decimal.Decimal          `json:"interest"`
	OtherIncome  decimal.Decimal          `json:"other_income"`
	Repairs      decimal.Decimal          `json:"repairs"`
	Closing      decimal.Decimal          `json:"closing"`
	Movements    []Entry                  `json:"movements"`
	Applications []MaintenanceApplication `json:"applications"`
	Shares       []BuildingShare          `json:"shares,omitempty"`
	// Units is the per-unit sub-ledger (分户账) at the end of the year (fundledger.go).
	Units []UnitFund `json:"units,omitempty"`
}

// BuildingOf is the building part of a unit id ("3-2-1501" → "3"; "P-0012" → "P").
func BuildingOf(unit string) string {
	b, _, _ := strings.Cut(unit, "-")
	return b
}

// ComputeMaintenance builds the statement for year from the journal, the maintenance
// fund's requests (with whether each one's vote passed) and the register (for shares;
// nil to skip them).
func ComputeMaintenance(year int, entries []Entry, apps []MaintenanceApplication, units []Unit) MaintenanceStatement {
	s := MaintenanceStatement{Year: year, Applications: apps}
	y := itoa(year)
	bank, cash := BankAccount(FundMaintenance), CashAccount(FundMaintenance)
	deposit := AccountName(TypeIncome, FundMaintenance, "缴存")
	interest := AccountName(TypeIncome, FundMaintenance, "利息")
	for _, e := range entries {
		if len(e.Date) < 4 || e.Date[:4] > y {
			continue
		}
		moved := false
		for _, p := range e.Postings {
			if p.Account == bank || p.Account == cash {
				s.Closing = s.Closing.Add(p.Amount)
				if e.Date[:4] < y {
					s.Opening = s.Opening.Add(p.Amount)
				} else {
					moved = true
				}
			}
			if e.Date[:4] != y || (Account{Name: p.Account}).Fund() != FundMaintenance {
				continue
			}
			switch {
			case p.Account == deposit:
				s.Deposits = s.Deposits.Sub(p.Amount)
			case p.Account == interest:
				s.Interest = s.Interest.Sub(p.Amount)
			case strings.HasPrefix(p.Account, TypeIncome+":"):
				s.OtherIncome = s.OtherIncome.Sub(p.Amount)
			case strings.HasPrefix(p.Account, TypeExpense+":"):
				s.Repairs = s.Repairs.Add(p.Amount)
			}
		}
		if moved {
			s.Movements = append(s.Movements, e)
		}
	}
	sort.SliceStable(s.Movements, func(i, j int) bool { return s.Movements[i].Date < s.Movements[j].Date })
	if len(units) == 0 {
		return s
	}
	area := map[string]decimal.Decimal{}
	var total decimal.Decimal
	for _, u := range units {
		b := BuildingOf(u.ID)
		area[b] = area[b].Add(u.Area)
		total = total.Add(u.Area)
	}
	charged := map[string]decimal.Decimal{}
	pool := s.Closing
	for _, a := range apps {
		e := a.Expense
		if e.Building == "" {
			continue
		}
		for _, x := range e.Payments() { // each stage paid of a staged repair
			if x.PaidDate[:4] <= y {
				charged[e.Building] = charged[e.Building].Add(x.Amount)
				pool = pool.Add(x.Amount)
			}
		}
	}
	names := make([]string, 0, len(area))
	for b := range area {
		names = append(names, b)
	}
	sort.Slice(names, func(i, j int) bool { return UnitLess(names[i], names[j]) })
	if total.IsZero() {
		return s
	}
	var sum decimal.Decimal
	for i, b := range names {
		sh := BuildingShare{Building: b, Area: area[b], Repairs: charged[b]}
		if i == len(names)-1 {
			sh.Share = s.Closing.Sub(sum) // the last one takes the rounding
		} else {
			sh.Share = Round2(pool.Mul(area[b]).Div(total)).Sub(charged[b])
		}
		sum = sum.Add(sh.Share)
		s.Shares = append(s.Shares, sh)
	}
	return s
}

func itoa(n int) string { return decimal.NewFromInt(int64(n)).String() }

// MaintenanceService reports on the maintenance fund and keeps its per-unit sub-ledger.
type MaintenanceService interface {
	FundLedgerService
	// MaintenanceStatement is the fund's statement for a year, with every usage
	// application and each building's share.
	MaintenanceStatement(ctx context.Context, year int) (MaintenanceStatement, error)
}

// SetUnits puts the per-unit sub-ledger at the year's end in the statement and makes
// each building's share its units' balances added up (so the buildings add up to the
// closing balance to the cent), with the repairs its units bore to date (shared by
// area within each repair's scope). The units'
// movements are dropped.
func (s *MaintenanceStatement) SetUnits(units []UnitFund) {
	if len(units) == 0 {
		return
	}
	by := map[string]*BuildingShare{}
	var order []string
	s.Units = make([]UnitFund, len(units))
	for i, u := range units {
		b := BuildingOf(u.Unit)
		sh := by[b]
		if sh == nil {
			sh = &BuildingShare{Building: b}
			by[b] = sh
			order = append(order, b)
		}
		sh.Area = sh.Area.Add(u.Area)
		sh.Share = sh.Share.Add(u.Balance)
		for _, m := range u.Moves {
			if m.Kind == MoveRepair {
				sh.Repairs = sh.Repairs.Sub(m.Amount)
			}
		}
		u.Moves = nil
		s.Units[i] = u
	}
	sort.Slice(order, func(i, j int) bool { return UnitLess(order[i], order[j]) })
	s.Shares = s.Shares[:0]
	for _, b := range order {
		s.Shares = append(s.Shares, *by[b])
	}
}
