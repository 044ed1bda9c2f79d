package app

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// FeePrice is the monthly property-fee price for a unit kind (元/m²·月) from a month on,
// until a later price for the same kind takes over. A price change is a new record,
// never an edit, so old bills can always be explained.
type FeePrice struct {
	Kind  UnitKind        `json:"kind"`
	Price decimal.Decimal `json:"price"`
	From  string          `json:"from"` // YYYY-MM
}

// Validate checks a price as typed: a kind, a month, and 0 ≤ price with at most 4
// decimals (prices like 1.275 元/m²·月 occur; a bill is rounded to 分 after multiplying).
func (p FeePrice) Validate() error {
	if strings.TrimSpace(string(p.Kind)) == "" {
		return Errorf(EINVALID, "请指定房号类型（--kind），例如 residential", "name the unit kind (--kind), e.g. residential")
	}
	if _, err := ParseMonth(p.From); err != nil {
		return err
	}
	if p.Price.IsNegative() {
		return Errorf(EINVALID, "单价不能为负数", "the price cannot be negative")
	}
	if !p.Price.Equal(p.Price.Round(4)) {
		return Errorf(EINVALID, "单价 %s 最多四位小数", "price %s has more than 4 decimals", p.Price.String())
	}
	if p.Price.GreaterThan(MaxFeePrice) {
		return Errorf(EINVALID, "单价 %s 元/m²·月 超过上限 %s 元/m²·月，请检查；单价没有改动", "price %s per m² and month is above the limit of %s; check it; the price was not changed", p.Price.String(), MaxFeePrice.String())
	}
	if err := CheckText("类型", "kind", string(p.Kind), MaxNameRunes); err != nil {
		return err
	}
	return nil
}

// PriceFor is the price of kind in month: the price with the latest From not after
// month. ok is false when no price covers it.
func PriceFor(prices []FeePrice, kind UnitKind, month string) (decimal.Decimal, bool) {
	best := ""
	var price decimal.Decimal
	for _, p := range prices {
		if p.Kind == kind && p.From <= month && p.From > best {
			best, price = p.From, p.Price
		}
	}
	return price, best != ""
}

// BillAmount is a month's fee: area × price, rounded half-up to 分 once (docs/domain.md
// "Money"; the rule is printed on fee notices).
func BillAmount(area, price decimal.Decimal) decimal.Decimal {
	return Round2(area.Mul(price))
}

// Bill is one unit's property fee for one month (物业费账单). Developer-held units are
// billed to the developer (开发商), who pays for what it has not delivered.
type Bill struct {
	Unit   string          `json:"unit"`
	Period string          `json:"period"` // YYYY-MM
	Kind   UnitKind        `json:"kind"`
	Area   decimal.Decimal `json:"area"`
	Price  decimal.Decimal `json:"price"`
	Amount decimal.Decimal `json:"amount"`
	Payer  string          `json:"payer"` // the owner's name, or 开发商 for developer-held units
	// Developer is set when the developer is billed for the unit.
	Developer bool `json:"developer,omitempty"`
}

// DeveloperPayer is the payer named on bills of developer-held units.
const DeveloperPayer = "开发商"

// PayerOf names who pays a unit's fees: the developer for units it still holds, else
// the owner (by name, or by owner id when the register has no name).
func PayerOf(u Unit) string {
	switch {
	case u.DeveloperHeld:
		return DeveloperPayer
	case strings.TrimSpace(u.OwnerName) != "":
		return u.OwnerName
	}
	return u.OwnerID
}

// MakeBills bills every unit for month at its kind's price. Units of a kind with no
// price for the month are not billed (many communities charge parking spaces nothing,
// or separately); UnpricedKinds names them so the run can say so. A month in which no
// unit has a price is refused, naming a kind, so nothing is billed by mistake.
func MakeBills(units []Unit, prices []FeePrice, month string) ([]Bill, error) {
	bills := make([]Bill, 0, len(units))
	var unpriced *Unit
	for i, u := range units {
		price, ok := PriceFor(prices, u.Kind, month)
		if !ok {
			if unpriced == nil {
				unpriced = &units[i]
			}
			continue
		}
		b := Bill{Unit: u.ID, Period: month, Kind: u.Kind, Area: u.Area, Price: price,
			Amount: BillAmount(u.Area, price), Payer: PayerOf(u), Developer: u.DeveloperHeld}
		bills = append(bills, b)
	}
	if len(bills) == 0 && unpriced != nil {
		np := &NoPriceError{Month: month, Kind: unpriced.Kind, Unit: unpriced.ID}
		return nil, &Error{Code: EINVALID, Err: np,
			ZH: fmt.Sprintf("%s 还没有%s的物业费单价（例如房号 %s），没有开出任何账单：请先设定%s从 %s 起每平方米每月的单价，再开账单。",
				month, kindWord(unpriced.Kind, true), unpriced.ID, kindWord(unpriced.Kind, true), month),
			EN: fmt.Sprintf("%s has no property-fee price for %s units yet (e.g. unit %s), so nothing was billed: set the price per m² a month for %s units from %s first, then bill.",
				month, kindWord(unpriced.Kind, false), unpriced.ID, kindWord(unpriced.Kind, false), month)}
	}
	return bills, nil
}

// UnpricedKinds counts, per kind, the units that have no price for month and so are
// not billed that month.
func UnpricedKinds(units []Unit, prices []FeePrice, month string) map[UnitKind]int {
	var out map[UnitKind]int
	for _, u := range units {
		if _, ok := PriceFor(prices, u.Kind, month); !ok {
			if out == nil {
				out = map[UnitKind]int{}
			}
			out[u.Kind]++
		}
	}
	return out
}

// BillingRun is one month's billing (计费): every unit billed, posted as one journal
// entry (receivable against fee income) with the unit bills kept as its sub-ledger.
type BillingRun struct {
	Period   string          `json:"period"`
	Units    int             `json:"units"`
	Total    decimal.Decimal `json:"total"`
	EntrySeq int64           `json:"entry_seq"`
	// Unpriced counts, per kind, the units left unbilled because their kind had no price.
	Unpriced map[UnitKind]int `json:"unpriced,omitempty"`
	// CreditApplied is prepayment credit moved onto this month's bills.
	CreditApplied decimal.Decimal `json:"credit_applied"`
	At            time.Time       `json:"at"`
	Who           string          `json:"who"`
	// Skipped is set on a month a run found already billed and left alone (its stored
	// record is returned so the caller can list it); Resumed on a month an earlier,
	// interrupted run had started and this run finished. Neither is stored.
	Skipped bool `json:"-"`
	Resumed bool `json:"-"`
}

// PendingBilling is a month being billed in parts (a month too large for one database
// transaction): its bills are stored and put on the unit accounts part by part, but the
// month is invisible (no run record, no journal entry, its bills hidden from arrears,
// statements and notices) until the last part posts the month's one journal entry.
// Next counts the bills of MakeBills' order already handled.
type PendingBilling struct {
	Period        string          `json:"period"`
	Next          int             `json:"next"`
	Units         int             `json:"units"`
	Total         decimal.Decimal `json:"total"`
	CreditApplied decimal.Decimal `json:"credit_applied"`
	Started       time.Time       `json:"started"`
	Who           string          `json:"who"`
}

// OpenBill is a bill with money still owing on it: Due is what is left of Amount.
type OpenBill struct {
	Period string          `json:"period"`
	Amount decimal.Decimal `json:"amount"`
	Due    decimal.Decimal `json:"due"`
}

// FeeAccount is one unit's running fee position: its open bills, oldest first, and the
// prepayment credit (预交) waiting for bills that do not exist yet. A unit never has
// both open bills and credit: credit is applied as soon as a bill appears.
type FeeAccount struct {
	Unit   string          `json:"unit"`
	Open   []OpenBill      `json:"open,omitempty"`
	Credit decimal.Decimal `json:"credit"`
}

// Owed is what the unit owes on all its open bills.
func (a FeeAccount) Owed() decimal.Decimal {
	sum := decimal.Zero
	for _, b := range a.Open {
		sum = sum.Add(b.Due)
	}
	return sum
}

// AddBill puts a new bill on the account and pays it from credit if there is any;
// it returns how much credit was used.
func (a *FeeAccount) AddBill(b Bill) decimal.Decimal {
	due := b.Amount
	used := decimal.Min(a.Credit, due)
	if used.IsPositive() {
		a.Credit = a.Credit.Sub(used)
		due = due.Sub(used)
	} else {
		used = decimal.Zero
	}
	if due.IsPositive() {
		i := sort.Search(len(a.Open), func(i int) bool { return a.Open[i].Period > b.Period })
		a.Open = append(a.Open, OpenBill{})
		copy(a.Open[i+1:], a.Open[i:])
		a.Open[i] = OpenBill{Period: b.Period, Amount: b.Amount, Due: due}
	}
	return used
}

// RemoveBill undoes AddBill(b) on an account that has not changed since: the bill is
// taken off the open bills and the credit it used is given back. It is how a month
// still being billed in parts is kept out of sight.
func (a *FeeAccount) RemoveBill(b Bill) {
	for i, o := range a.Open {
		if o.Period == b.Period {
			a.Credit = a.Credit.Add(o.Amount.Sub(o.Due))
			a.Open = append(append([]OpenBill(nil), a.Open[:i]...), a.Open[i+1:]...)
			return
		}
	}
	a.Credit = a.Credit.Add(b.Amount)
}

// Allocation is the part of a payment applied to one month's bill.
type Allocation struct {
	Period string          `json:"period"`
	Amount decimal.Decimal `json:"amount"`
}

// Allocate applies a payment to the account: to the chosen months in the order given,
// or, when chosen is empty, to the oldest open bills first (docs/domain.md: "Payments are
// applied to the oldest open bills first unless the payer says otherwise"). What is
// left over becomes prepayment credit. A chosen month that has no open bill is an error.
func (a *FeeAccount) Allocate(amount decimal.Decimal, chosen []string) ([]Allocation, decimal.Decimal, error) {
	order := make([]int, 0, len(a.Open))
	if len(chosen) == 0 {
		for i := range a.Open {
			order = append(order, i)
		}
	} else {
		seen := map[string]bool{}
		for _, m := range chosen {
			if seen[m] {
				continue
			}
			seen[m] = true
			i := sort.Search(len(a.Open), func(i int) bool { return a.Open[i].Period >= m })
			if i == len(a.Open) || a.Open[i].Period != m {
				return nil, decimal.Zero, Errorf(EINVALID, "房号 %s 在 %s 没有未缴的账单", "unit %s has no open bill for %s", a.Unit, m)
			}
			order = append(order, i)
		}
	}
	left := amount
	var allocs []Allocation
	for _, i := range order {
		if !left.IsPositive() {
			break
		}
		pay := decimal.Min(left, a.Open[i].Due)
		a.Open[i].Due = a.Open[i].Due.Sub(pay)
		left = left.Sub(pay)
		allocs = append(allocs, Allocation{Period: a.Open[i].Period, Amount: pay})
	}
	kept := a.Open[:0]
	for _, b := range a.Open {
		if b.Due.IsPositive() {
			kept = append(kept, b)
		}
	}
	a.Open = kept
	sort.Slice(allocs, func(i, j int) bool { return allocs[i].Period < allocs[j].Period })
	a.Credit = a.Credit.Add(left)
	return allocs, left, nil
}

// Unallocate undoes a payment's allocations and credit (when its receipt is reversed):
// the bills it paid are open again. It fails if the credit it created has already been
// used by later bills.
func (a *FeeAccount) Unallocate(allocs []Allocation, credit decimal.Decimal, amounts map[string]decimal.Decimal) error {
	if a.Credit.LessThan(credit) {
		return Errorf(ECONFLICT, "房号 %s 这笔预交款已被后来的账单使用，不能直接冲销；请先冲销或调整相关账单",
			"unit %s: the prepayment from this receipt has already paid later bills, so it cannot simply be reversed", a.Unit)
	}
	a.Credit = a.Credit.Sub(credit)
	for _, al := range allocs {
		i := sort.Search(len(a.Open), func(i int) bool { return a.Open[i].Period >= al.Period })
		if i < len(a.Open) && a.Open[i].Period == al.Period {
			a.Open[i].Due = a.Open[i].Due.Add(al.Amount)
			continue
		}
		a.Open = append(a.Open, OpenBill{})
		copy(a.Open[i+1:], a.Open[i:])
		a.Open[i] = OpenBill{Period: al.Period, Amount: amounts[al.Period], Due: al.Amount}
	}
	return nil
}

// BillingEntry is the journal entry of a billing run: the month's fees become
// receivable and fee income (accrual basis).
func BillingEntry(month string, total decimal.Decimal, units int) Entry {
	return Entry{Date: month + "-01", Ref: DocBilling.Ref(month),
		Description: "物业费计费 " + month + "（" + strconv.Itoa(units) + " 户）",
		Postings: []Posting{
			{Account: ReceivableAccount(FundService), Amount: total},
			{Account: FeeIncomeAccount, Amount: total.Neg()},
		}}
}

// CreditEntry moves prepayment credit onto a month's new bills.
func CreditEntry(month string, used decimal.Decimal) Entry {
	return Entry{Date: month + "-01", Ref: DocBilling.Ref(month),
		Description: "预交物业费冲抵 " + month + " 账单",
		Postings: []Posting{
			{Account: PrepaidFeesAccount, Amount: used},
			{Account: ReceivableAccount(FundService), Amount: used.Neg()},
		}}
}

// MonthSpan writes a run of months for people: "2024-01", or "2024-01…2024-06".
func MonthSpan(from, to string) string {
	if from == to {
		return from
	}
	return from + "…" + to
}

// UnitStatement is one unit's fee history for screens and notices.
type UnitStatement struct {
	Unit     Unit
	Bills    []Bill
	Account  FeeAccount
	Payments []Payment
}

// PriceService keeps what fees are billed at: the price of each kind of unit from a
// month on, and the contract's late-fee clause.
type PriceService interface {
	// SetPrice records a price from a month on; EINVALID for a bad price, ECONFLICT if
	// a billed month would be repriced.
	SetPrice(ctx context.Context, p FeePrice, who, why string) error
	// Prices lists every price record, by kind then month.
	Prices(ctx context.Context) ([]FeePrice, error)
	// SetLateFeeRule records the contract's late-fee clause (zero rate = none).
	SetLateFeeRule(ctx context.Context, r LateFeeRule, who, why string) error
	// LateFeeRule returns the late-fee clause (zero if the contract sets none).
	LateFeeRule(ctx context.Context) (LateFeeRule, error)
}

// FeeService bills property fees and records payments.
type FeeService interface {
	// Bill bills every unit for each month from..to, each month whole or not at all.
	// Months already billed are skipped and returned with Skipped set, so re-running an
	// interrupted range finishes it (a month an interrupted run left pending is finished
	// first and returned with Resumed set). ECONFLICT if every month is already billed
	// or another month is pending, EINVALID if a kind has no price or a month is more
	// than one month ahead, ELOCKED for a locked month.
	Bill(ctx context.Context, from, to, who, why string) ([]BillingRun, error)
	// BillingRuns lists the months billed, oldest first.
	BillingRuns(ctx context.Context) ([]BillingRun, error)
	// Pay records a payment and returns it with its receipt number; ENOTFOUND for an
	// unknown unit, EINVALID for a bad amount, ELOCKED for a date in a locked period.
	Pay(ctx context.Context, p PaymentRequest, who, why string) (Payment, error)
	// PayMany records many payments in one transaction (bank statement imports, the
	// demo), all or nothing.
	PayMany(ctx context.Context, ps []PaymentRequest, who, why string) ([]Payment, error)
	// Payment returns one receipt; ENOTFOUND if there is none.
	Payment(ctx context.Context, receipt string) (Payment, error)
	// Arrears lists every unit that owes money as of today, in unit order.
	Arrears(ctx context.Context) ([]Arrears, error)
	// Collection is the collection rate over the months from..to.
	Collection(ctx context.Context, from, to string) (Collection, error)
	// Bills lists the bills of a month in unit order.
	Bills(ctx context.Context, month string) ([]Bill, error)
	// Statement is one unit's bills, open position and payments.
	Statement(ctx context.Context, unit string) (UnitStatement, error)
}

// NoPriceError is why a month could not be billed: no unit had a price, e.g. unit Unit
// of kind Kind. Each front end adds how to set the price (the window's form, the CLI's
// `fees price`), so the message itself names no command.
type NoPriceError struct {
	Month string
	Kind  UnitKind
	Unit  string
}

func (e *NoPriceError) Error() string { return "no price for " + string(e.Kind) + " in " + e.Month }

// kindWord is a unit kind in words, in Chinese or English whatever the language.
func kindWord(k UnitKind, zh bool) string {
	for z, en := range KindNames {
		if en == k && (z == "住宅" || z == "商业" || z == "车位" || z == "办公" || z == "储藏室") {
			if zh {
				return z
			}
			return string(en)
		}
	}
	if zh {
		return "“" + string(k) + "”类房号"
	}
	return string(k)
}
