package demo

import (
	"context"
	"fmt"
	"sort"
	"sunledger/app"

	"github.com/shopspring/decimal"
)

// demoPayer is how a demo household pays: most pay every month, some a quarter or a
// year ahead, some catch up every few months, a few have stopped paying (chronic
// arrears, 长期欠费), and the developer pays for its units by the quarter.
type demoPayer int

const (
	payMonthly demoPayer = iota
	payQuarterAhead
	payYearAhead
	payLate
	payChronic
	payDeveloper
)

// demoChunk bounds how many payments go into one transaction (Badger's transaction
// size limit; a payment writes about 1 KB).
const demoChunk = 1000

// demoFees fills opts.Years years of monthly bills ending last month, with payments
// that collect about 90% and public income every month.
func demoFees(ctx context.Context, s app.Services, d *builder) error {
	h, err := newFeeHistory(ctx, s, d)
	if err != nil || h.months == 0 {
		return err
	}
	// The maintenance fund's first deposit (首期专项维修资金, here 50 元/m²).
	if err := demoIncome(ctx, s, d.today(), app.Income{Fund: app.FundMaintenance, Kind: "deposit", Amount: app.Round2(h.totalArea.Mul(decimal.NewFromInt(50))),
		Date: h.first + "-01", Description: "首期专项维修资金（按 50 元/m²）"}); err != nil {
		return err
	}
	for mi := 0; mi < h.months; mi++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		m := app.AddMonths(h.first, mi)
		if _, err := s.Fees.Bill(ctx, m, m, "demo", "demo"); err != nil {
			return err
		}
		bills, err := app.MakeBills(d.Units, h.prices, m)
		if err != nil {
			return err
		}
		if err := h.pay(ctx, s, h.payments(mi, m, bills)); err != nil {
			return err
		}
		if err := h.income(ctx, s, mi, m); err != nil {
			return err
		}
	}
	return nil
}

// feeHistory is the demo's fee history as it is made: the prices, the months, how each
// household pays and what it owes.
type feeHistory struct {
	d         *builder
	prices    []app.FeePrice
	first     string
	months    int
	profile   []demoPayer
	stopAt    []int             // chronic payers stop paying from this month index
	owed      []decimal.Decimal // negative = credit
	totalArea decimal.Decimal
	parking   int
}

// newFeeHistory sets the prices (a review halfway through a history of two years or
// more) and gives each household its way of paying.
func newFeeHistory(ctx context.Context, s app.Services, d *builder) (*feeHistory, error) {
	now := d.now
	last := now.AddDate(0, 0, -now.Day()+1).AddDate(0, -1, 0).Format("2006-01") // last month
	h := &feeHistory{d: d, months: 12 * d.Opts.Years}
	h.first = app.AddMonths(last, -(h.months - 1))
	if h.months == 0 {
		h.first = app.AddMonths(last, 1)
	}
	h.prices = []app.FeePrice{
		{Kind: app.KindResidential, Price: decimal.RequireFromString("1.20"), From: h.first},
		{Kind: app.KindCommercial, Price: decimal.RequireFromString("3.00"), From: h.first},
		{Kind: app.KindParking, Price: decimal.RequireFromString("0.50"), From: h.first},
	}
	if d.Opts.Years >= 2 { // a price review halfway through
		h.prices = append(h.prices, app.FeePrice{Kind: app.KindResidential, Price: decimal.RequireFromString("1.35"), From: app.AddMonths(h.first, h.months/2)})
	}
	seenKind := map[app.UnitKind]bool{}
	for _, u := range d.Units {
		if !seenKind[u.Kind] && u.Kind != app.KindResidential && u.Kind != app.KindCommercial && u.Kind != app.KindParking {
			h.prices = append(h.prices, app.FeePrice{Kind: u.Kind, Price: decimal.RequireFromString("1.00"), From: h.first})
		}
		seenKind[u.Kind] = true
	}
	for _, p := range h.prices {
		if err := s.Prices.SetPrice(ctx, p, "demo", "demo: 物业服务合同约定的单价"); err != nil {
			return nil, err
		}
	}
	if h.months == 0 {
		return h, nil
	}
	r := d.Rand
	h.profile = make([]demoPayer, len(d.Units))
	h.stopAt = make([]int, len(d.Units))
	h.owed = make([]decimal.Decimal, len(d.Units))
	for i, u := range d.Units {
		switch x := r.IntN(1000); {
		case u.DeveloperHeld:
			h.profile[i] = payDeveloper
		case x < 660:
			h.profile[i] = payMonthly
		case x < 760:
			h.profile[i] = payQuarterAhead
		case x < 810:
			h.profile[i] = payYearAhead
		case x < 930:
			h.profile[i] = payLate
		default: // about a third never paid, the others stopped at some point
			h.profile[i] = payChronic
			h.stopAt[i] = r.IntN(h.months) - h.months/3
		}
	}
	for _, u := range d.Units {
		h.totalArea = h.totalArea.Add(u.Area)
		if u.Kind == app.KindParking {
			h.parking++
		}
	}
	return h, nil
}

var demoMethods = []app.PaymentMethod{app.MethodBank, app.MethodBank, app.MethodBank, app.MethodBank, app.MethodWeChat, app.MethodWeChat, app.MethodWeChat, app.MethodAlipay, app.MethodAlipay, app.MethodCash}

// payments is what the households pay in month m (index mi), each as its profile says,
// in date order and never after today; in the last month only part has come in yet.
func (h *feeHistory) payments(mi int, m string, bills []app.Bill) []app.PaymentRequest {
	d, r := h.d, h.d.Rand
	var pays []app.PaymentRequest
	add := func(i int, amount decimal.Decimal) {
		if !amount.IsPositive() {
			return
		}
		h.owed[i] = h.owed[i].Sub(amount)
		pays = append(pays, app.PaymentRequest{Unit: d.Units[i].ID, Amount: amount, Date: fmt.Sprintf("%s-%02d", m, 1+r.IntN(28)),
			Method: demoMethods[r.IntN(len(demoMethods))]})
	}
	month := mi % 12
	for i := range d.Units {
		amt := bills[i].Amount
		h.owed[i] = h.owed[i].Add(amt)
		switch h.profile[i] {
		case payMonthly:
			if r.IntN(100) < 97 {
				add(i, h.owed[i])
			}
		case payQuarterAhead:
			if mi%3 == 0 && h.owed[i].IsPositive() {
				add(i, h.owed[i].Add(amt.Mul(decimal.NewFromInt(2))))
			}
		case payYearAhead:
			if month == 0 && h.owed[i].IsPositive() {
				add(i, h.owed[i].Add(amt.Mul(decimal.NewFromInt(11))))
			} else if h.owed[i].GreaterThan(amt) {
				add(i, h.owed[i])
			}
		case payLate: // pays every other month or so, and stays a month behind
			if r.IntN(2) == 0 {
				add(i, h.owed[i].Sub(amt))
			}
		case payChronic:
			if mi < h.stopAt[i] && r.IntN(3) == 0 {
				add(i, h.owed[i])
			}
		case payDeveloper:
			if mi%3 == 2 && r.IntN(10) < 8 {
				// The developer pays by the quarter, at the quarter's end.
				add(i, h.owed[i])
			}
		}
	}
	if mi == h.months-1 { // last month: only part of the payments have come in yet
		kept := pays[:0]
		for _, p := range pays {
			if r.IntN(100) < 80 {
				kept = append(kept, p)
			}
		}
		pays = kept
	}
	today := d.today()
	for i := range pays {
		if pays[i].Date > today {
			pays[i].Date = today
		}
	}
	sort.SliceStable(pays, func(i, j int) bool { return pays[i].Date < pays[j].Date })
	return pays
}

// pay records the payments in batches, each batch one transaction.
func (h *feeHistory) pay(ctx context.Context, s app.Services, pays []app.PaymentRequest) error {
	for lo := 0; lo < len(pays); lo += demoChunk {
		if _, err := s.Fees.PayMany(ctx, pays[lo:min(lo+demoChunk, len(pays))], "demo", "demo: 业主缴费"); err != nil {
			return err
		}
	}
	return nil
}

// income records month m's public income (parking and rents every month, advertising
// each quarter) and, at the year's end, the maintenance fund's interest.
func (h *feeHistory) income(ctx context.Context, s app.Services, mi int, m string) error {
	d, r := h.d, h.d.Rand
	if h.parking > 0 {
		amt := decimal.NewFromInt(int64(h.parking*(120+r.IntN(60))) + int64(r.IntN(100))*10)
		if err := demoIncome(ctx, s, d.today(), app.Income{Fund: app.FundPublic, Kind: "parking", Amount: amt, Date: m + "-10", Payer: "临时停车收费", Description: m}); err != nil {
			return err
		}
	}
	if err := demoIncome(ctx, s, d.today(), app.Income{Fund: app.FundPublic, Kind: "rent", Amount: decimal.NewFromInt(int64(2000 + 100*r.IntN(30))), Date: m + "-05", Payer: "快递柜、便民摊位场地", Description: m}); err != nil {
		return err
	}
	if mi%3 == 0 {
		if err := demoIncome(ctx, s, d.today(), app.Income{Fund: app.FundPublic, Kind: "advertising", Amount: decimal.NewFromInt(int64(6000 + 500*r.IntN(12))), Date: m + "-15", Payer: "电梯广告公司", Description: m}); err != nil {
			return err
		}
	}
	if mi%12 == 11 || mi == h.months-1 {
		// The bank credits 1.5 % a year on what the fund holds (a part year for the last,
		// short one), so the interest follows the balance and differs from year to year.
		bals, err := s.Ledger.Balances(ctx)
		if err != nil {
			return err
		}
		months := mi%12 + 1
		interest := app.Round2(app.FundHeld(app.FundMaintenance, bals).Mul(decimal.RequireFromString("0.015")).Mul(decimal.NewFromInt(int64(months))).Div(decimal.NewFromInt(12)))
		if !interest.IsPositive() {
			return nil
		}
		if err := demoIncome(ctx, s, d.today(), app.Income{Fund: app.FundMaintenance, Kind: "interest", Amount: interest, Date: m + "-21", Payer: "银行", Description: "维修资金年度利息"}); err != nil {
			return err
		}
	}
	return nil
}

func demoIncome(ctx context.Context, s app.Services, today string, in app.Income) error {
	if in.Date > today {
		in.Date = today
	}
	_, err := s.Income.RecordIncome(ctx, in, "demo", "demo: 公共收益")
	return err
}
