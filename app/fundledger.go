package app

import (
	"context"
	mbig "math/big"
	"sort"
	"strings"

	"github.com/shopspring/decimal"
)

// The maintenance fund's per-unit sub-ledger (专项维修资金分户账, 《住宅专项维修资金管理
// 办法》 arts. 9, 17, 22–28; docs/maintenance.md). It is not kept apart from the journal:
// it is computed from it, entry by entry in date order, so that the units' balances
// always add up to the cent to what the fund holds (its bank and cash accounts). Every
// entry that moves the fund's money is shared among the units of the register:
//
//   - the opening balances (`maintenance opening`): each unit its own line;
//   - a deposit that names a unit (`income add --kind deposit --unit U`): that unit; a
//     deposit that names none (a lump first deposit): all units by area;
//   - interest and value-added income: by each unit's balance just before it is
//     credited (after every earlier movement), units at or below zero getting none —
//     the period-end balance method, since banks credit the fund's interest at the end
//     of each period (if no unit holds anything, by area);
//   - a repair paid from the fund: the units in its scope (the vote matter's scope, or
//     the building it names; the whole community when none) by area;
//   - a reversing entry: exactly the reverse of the entry it reverses;
//   - anything else (a manual entry): all units by area.
//
// Shares are rounded to the 分 by the largest remainder (Hamilton) method: each unit gets
// its exact share rounded toward zero, and the 分 left over go one each to the units with
// the largest remainders (ties in register order), so the parts add up exactly.

// FundOpeningRef is the Ref of the journal entry of the sub-ledger's opening balances.
const FundOpeningRef = "mfund:opening"

// OpeningLine is one unit's opening balance in the fund, with its first deposit
// (首期交存额, for the 30 % rule; the amount when not given).
type OpeningLine struct {
	Unit         string          `json:"unit"`
	Amount       decimal.Decimal `json:"amount"`
	FirstDeposit decimal.Decimal `json:"first_deposit"`
}

// FundOpening is the sub-ledger's opening: the lines and the entry that posted them.
type FundOpening struct {
	Date  string        `json:"date"`
	Seq   int64         `json:"entry"`
	Lines []OpeningLine `json:"lines"`
}

// Total is the sum of the opening amounts.
func (o FundOpening) Total() decimal.Decimal {
	var t decimal.Decimal
	for _, l := range o.Lines {
		t = t.Add(l.Amount)
	}
	return t
}

// Entry is the opening's journal entry: the fund's bank account against its opening
// equity (期初结余).
func (o FundOpening) Entry() Entry {
	t := o.Total()
	return Entry{Date: o.Date, Description: "维修资金分户账期初余额（" + itoa(len(o.Lines)) + " 户）", Ref: FundOpeningRef, Postings: []Posting{
		{Account: BankAccount(FundMaintenance), Amount: t},
		{Account: OpeningAccount(FundMaintenance), Amount: t.Neg()},
	}}
}

// Kinds of sub-ledger movement.
const (
	MoveOpening  = "opening"
	MoveDeposit  = "deposit"
	MoveInterest = "interest"
	MoveRepair   = "repair"
	MoveReversal = "reversal"
	MoveOther    = "other"
)

// MoveLabel is a movement kind as printed.
func MoveLabel(k string) string {
	switch k {
	case MoveOpening:
		return T("期初余额", "opening")
	case MoveDeposit:
		return T("交存", "deposit")
	case MoveInterest:
		return T("利息分配", "interest")
	case MoveRepair:
		return T("维修分摊", "repair share")
	case MoveReversal:
		return T("冲销", "reversal")
	}
	return T("其他", "other")
}

// FundMove is one movement of a unit's sub-ledger.
type FundMove struct {
	Seq     int64           `json:"entry"`
	Date    string          `json:"date"`
	Kind    string          `json:"kind"`
	Amount  decimal.Decimal `json:"amount"`
	Balance decimal.Decimal `json:"balance"` // after the movement
	Note    string          `json:"note,omitempty"`
}

// UnitFund is one unit's sub-ledger: its balance, its first deposit and whether the
// balance is below 30 % of it (art. 17: the owner tops up), and, when asked for, its
// movements.
type UnitFund struct {
	Unit         string          `json:"unit"`
	Area         decimal.Decimal `json:"area"`
	Balance      decimal.Decimal `json:"balance"`
	FirstDeposit decimal.Decimal `json:"first_deposit"`
	Below30      bool            `json:"below_30pct"`
	Moves        []FundMove      `json:"movements,omitempty"`
}

// TopUpFloor is 30 % of the first deposit: a balance below it must be topped up
// (《住宅专项维修资金管理办法》 art. 17).
func (u UnitFund) TopUpFloor() decimal.Decimal {
	return Round2(u.FirstDeposit.Mul(decimal.RequireFromString("0.3")))
}

// FundLedgerInput is what the sub-ledger is computed from.
type FundLedgerInput struct {
	Units   []Unit       // the register
	Entries []Entry      // every entry that may touch the fund (any order)
	Opening *FundOpening // nil without one
	// Scopes gives each maintenance-fund expense request (by id) the scope its repair
	// is shared over (nil: the whole community).
	Scopes map[string][]string
	// Moves lists the units whose movements are kept ("*" for all).
	Moves map[string]bool
}

// ComputeFundLedger is every unit's sub-ledger, in register order.
func ComputeFundLedger(in FundLedgerInput) []UnitFund {
	units := append([]Unit(nil), in.Units...)
	SortUnits(units)
	n := len(units)
	out := make([]UnitFund, n)
	index := make(map[string]int, n)
	area := make([]int64, n)
	for i, u := range units {
		out[i] = UnitFund{Unit: u.ID, Area: u.Area}
		index[u.ID] = i
		area[i] = areaFen(u)
	}
	if n == 0 {
		return out
	}
	bal := make([]int64, n)
	first := make([]int64, n)
	hasFirst := make([]bool, n)
	if in.Opening != nil {
		for _, l := range in.Opening.Lines {
			if i, ok := index[l.Unit]; ok {
				first[i], hasFirst[i] = fen(l.FirstDeposit), true
			}
		}
	}
	all := make([]int, n)
	for i := range all {
		all[i] = i
	}
	entries := append([]Entry(nil), in.Entries...)
	sort.SliceStable(entries, func(i, j int) bool {
		if entries[i].Date != entries[j].Date {
			return entries[i].Date < entries[j].Date
		}
		return entries[i].Seq < entries[j].Seq
	})
	bank, cash := BankAccount(FundMaintenance), CashAccount(FundMaintenance)
	done := map[int64][]int64{}
	for _, e := range entries {
		var delta int64
		for _, p := range e.Postings {
			if p.Account == bank || p.Account == cash {
				delta += fen(p.Amount)
			}
		}
		if delta == 0 {
			continue
		}
		kind, note := MoveOther, ""
		var share []int64
		docKind, id := ParseRef(e.Ref)
		switch {
		case e.Reverses != 0 && done[e.Reverses] != nil:
			kind, note = MoveReversal, "#"+itoa(int(e.Reverses))
			share = make([]int64, n)
			for i, v := range done[e.Reverses] {
				share[i] = -v
			}
		case e.Ref == FundOpeningRef && in.Opening != nil && in.Opening.Seq == e.Seq:
			kind = MoveOpening
			share = make([]int64, n)
			var sum int64
			for _, l := range in.Opening.Lines {
				if i, ok := index[l.Unit]; ok {
					share[i] += fen(l.Amount)
					sum += fen(l.Amount)
				}
			}
			if sum != delta { // a unit left the register: what it held is shared by area
				share = addShares(share, apportion(delta-sum, all, area, n))
			}
		case docKind == DocIncome && strings.HasPrefix(id, "deposit"):
			kind = MoveDeposit
			if i, ok := index[strings.TrimPrefix(id, "deposit/")]; ok && strings.HasPrefix(id, "deposit/") {
				share = make([]int64, n)
				share[i] = delta
			} else {
				share = apportion(delta, all, area, n)
			}
		case docKind == DocIncome && id == "interest":
			kind = MoveInterest
			var who []int
			for i, b := range bal {
				if b > 0 {
					who = append(who, i)
				}
			}
			if len(who) == 0 {
				share = apportion(delta, all, area, n)
			} else {
				share = apportion(delta, who, bal, n)
			}
		case docKind == DocExpense:
			id, _, _ = strings.Cut(id, "/") // a stage's payment: "E000012/advance"
			kind, note = MoveRepair, id
			var who []int
			for i, u := range units {
				if InScope(in.Scopes[id], u.ID) {
					who = append(who, i)
				}
			}
			if len(who) == 0 {
				who = all
			}
			share = apportion(delta, who, area, n)
		default:
			share = apportion(delta, all, area, n)
		}
		done[e.Seq] = share
		for i, v := range share {
			if v == 0 {
				continue
			}
			bal[i] += v
			if kind == MoveDeposit || kind == MoveOpening {
				if !hasFirst[i] && v > 0 {
					first[i], hasFirst[i] = v, true
				}
			}
			if in.Moves["*"] || in.Moves[units[i].ID] {
				out[i].Moves = append(out[i].Moves, FundMove{Seq: e.Seq, Date: e.Date, Kind: kind, Amount: decimal.New(v, -2), Balance: decimal.New(bal[i], -2), Note: note})
			}
		}
	}
	for i := range out {
		out[i].Balance = decimal.New(bal[i], -2)
		out[i].FirstDeposit = decimal.New(first[i], -2)
		out[i].Below30 = out[i].Balance.LessThan(out[i].TopUpFloor())
	}
	return out
}

func fen(d decimal.Decimal) int64 { return d.Shift(2).Round(0).IntPart() }

func addShares(a, b []int64) []int64 {
	for i := range a {
		a[i] += b[i]
	}
	return a
}

// Apportion shares amount among the units with the given weights (e.g. areas) by the
// largest remainder method: the parts add up to amount exactly. Zero or negative
// weights get nothing; if no weight is positive, the amount is shared equally.
func Apportion(amount decimal.Decimal, weights []decimal.Decimal) []decimal.Decimal {
	w := make([]int64, len(weights))
	who := make([]int, 0, len(weights))
	for i, x := range weights {
		w[i] = fen(x)
		who = append(who, i)
	}
	parts := apportion(fen(amount), who, w, len(weights))
	out := make([]decimal.Decimal, len(parts))
	for i, p := range parts {
		out[i] = decimal.New(p, -2)
	}
	return out
}

// apportion shares total (分) among the units who by weight w (分 of m², or a balance),
// largest remainder, into a slice of n.
func apportion(total int64, who []int, w []int64, n int) []int64 {
	out := make([]int64, n)
	if len(who) == 0 || total == 0 {
		return out
	}
	var sumW int64
	var pos []int
	for _, i := range who {
		if w[i] > 0 {
			sumW += w[i]
			pos = append(pos, i)
		}
	}
	weight := func(i int) int64 { return w[i] }
	if sumW == 0 { // no positive weight: equal shares
		pos, sumW = who, int64(len(who))
		weight = func(int) int64 { return 1 }
	}
	neg := total < 0
	abs := total
	if neg {
		abs = -total
	}
	type rem struct {
		i int
		r *mbig.Int
	}
	rems := make([]rem, 0, len(pos))
	var given int64
	bt, bs := mbig.NewInt(abs), mbig.NewInt(sumW)
	for _, i := range pos {
		q, r := new(mbig.Int).QuoRem(new(mbig.Int).Mul(bt, mbig.NewInt(weight(i))), bs, new(mbig.Int))
		out[i] = q.Int64()
		given += out[i]
		rems = append(rems, rem{i, r})
	}
	sort.SliceStable(rems, func(a, b int) bool { return rems[a].r.Cmp(rems[b].r) > 0 })
	for k := 0; given < abs; k++ {
		out[rems[k%len(rems)].i]++
		given++
	}
	if neg {
		for i := range out {
			out[i] = -out[i]
		}
	}
	return out
}

// RepairShortfall is a unit whose share of a repair exceeds its balance.
type RepairShortfall struct {
	Unit    string          `json:"unit"`
	Share   decimal.Decimal `json:"share"`
	Balance decimal.Decimal `json:"balance"`
}

// Short is how much the unit must top up first.
func (s RepairShortfall) Short() decimal.Decimal { return s.Share.Sub(s.Balance) }

// RepairShares shares a repair of amount among the units of the ledger in scope by area
// (largest remainder) and lists the units whose share exceeds their balance. ok is
// false when no unit of the ledger lies in the scope.
func RepairShares(amount decimal.Decimal, scope []string, ledger []UnitFund) (shares map[string]decimal.Decimal, short []RepairShortfall, ok bool) {
	var in []UnitFund
	var w []decimal.Decimal
	for _, u := range ledger {
		if InScope(scope, u.Unit) {
			in = append(in, u)
			w = append(w, u.Area)
		}
	}
	if len(in) == 0 {
		return nil, nil, false
	}
	parts := Apportion(amount, w)
	shares = make(map[string]decimal.Decimal, len(in))
	for i, u := range in {
		shares[u.Unit] = parts[i]
		if parts[i].GreaterThan(u.Balance) {
			short = append(short, RepairShortfall{Unit: u.Unit, Share: parts[i], Balance: u.Balance})
		}
	}
	return shares, short, true
}

// FundLedgerService keeps the maintenance fund's per-unit sub-ledger.
type FundLedgerService interface {
	// OpenFundLedger posts the units' opening balances as one journal entry, all or
	// nothing. EINVALID for a unit not in the register, a unit twice, a bad amount, or
	// once the fund has any movement (the sub-ledger has begun).
	OpenFundLedger(ctx context.Context, o FundOpening, who string) (FundOpening, error)
	// FundLedger is every unit's sub-ledger; with unit, only that unit's, with its
	// movements (ENOTFOUND for a unit not in the register).
	FundLedger(ctx context.Context, unit string) ([]UnitFund, error)
}
