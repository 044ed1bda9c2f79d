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
// arrears, 长期欠费), and the developer pays for its units late, by the quarter.
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
	now := d.now
	last := now.AddDate(0, 0, -now.Day()+1).AddDate(0, -1, 0).Format("2006-01") // last month
	months := 12 * d.Opts.Years
	first := app.AddMonths(last, -(months - 1))
	if months == 0 {
		first = app.AddMonths(last, 1)
	}
	who, why := "demo", "demo"
	prices := []app.FeePrice{
		{Kind: app.KindResidential, Price: decimal.RequireFromString("1.20"), From: first},
		{Kind: app.KindCommercial, Price: decimal.RequireFromString("3.00"), From: first},
		{Kind: app.KindParking, Price: decimal.RequireFromString("0.50"), From: first},
	}
	if d.Opts.Years >= 2 { // a price review halfway through
		prices = append(prices, app.FeePrice{Kind: app.KindResidential, Price: decimal.RequireFromString("1.35"), From: app.AddMonths(first, months/2)})
	}
	seenKind := map[app.UnitKind]bool{}
	for _, u := range d.Units {
		if !seenKind[u.Kind] && u.Kind != app.KindResidential && u.Kind != app.KindCommercial && u.Kind != app.KindParking {
			prices = append(prices, app.FeePrice{Kind: u.Kind, Price: decimal.RequireFromString("1.00"), From: first})
		}
		seenKind[u.Kind] = true
	}
	for _, p := range prices {
		if err := s.Fees.SetPrice(ctx, p, who, "demo: 物业服务合同约定的单价"); err != nil {
			return err
		}
	}
	if months == 0 {
		return nil
	}

	r := d.Rand
	profile := make([]demoPayer, len(d.Units))
	stopAt := make([]int, len(d.Units)) // chronic payers stop paying from this month index
	for i, u := range d.Units {
		switch x := r.IntN(1000); {
		case u.DeveloperHeld:
			profile[i] = payDeveloper
		case x < 660:
			profile[i] = payMonthly
		case x < 760:
			profile[i] = payQuarterAhead
		case x < 810:
			profile[i] = payYearAhead
		case x < 910:
			profile[i] = payLate
		default: // about a third never paid, the others stopped at some point
			profile[i] = payChronic
			stopAt[i] = r.IntN(months) - months/3
		}
	}
	owed := make([]decimal.Decimal, len(d.Units)) // negative = credit
	methods := []app.PaymentMethod{app.MethodBank, app.MethodBank, app.MethodBank, app.MethodBank, app.MethodWeChat, app.MethodWeChat, app.MethodWeChat, app.MethodAlipay, app.MethodAlipay, app.MethodCash}
	type pay struct {
		req app.PaymentRequest
		day int
	}
	var totalArea decimal.Decimal
	parking := 0
	for _, u := range d.Units {
		totalArea = totalArea.Add(u.Area)
		if u.Kind == app.KindParking {
			parking++
		}
	}
	// The maintenance fund's first deposit (首期专项维修资金, here 50 元/m²).
	if err := demoIncome(ctx, s, d.today(), app.Income{Fund: app.FundMaintenance, Kind: "deposit", Amount: app.Round2(totalArea.Mul(decimal.NewFromInt(50))),
		Date: first + "-01", Description: "首期专项维修资金（按 50 元/m²）"}); err != nil {
		return err
	}

	for mi := 0; mi < months; mi++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		m := app.AddMonths(first, mi)
		runs, err := s.Fees.Bill(ctx, m, m, who, why)
		if err != nil {
			return err
		}
		_ = runs
		bills, err := app.MakeBills(d.Units, prices, m)
		if err != nil {
			return err
		}
		var pays []pay
		add := func(i int, amount decimal.Decimal) {
			if !amount.IsPositive() {
				return
			}
			owed[i] = owed[i].Sub(amount)
			pays = append(pays, pay{req: app.PaymentRequest{Unit: d.Units[i].ID, Amount: amount, Date: fmt.Sprintf("%s-%02d", m, 1+r.IntN(28)),
				Method: methods[r.IntN(len(methods))]}, day: 0})
		}
		month := mi % 12
		for i := range d.Units {
			amt := bills[i].Amount
			owed[i] = owed[i].Add(amt)
			switch profile[i] {
			case payMonthly:
				if r.IntN(100) < 97 {
					add(i, owed[i])
				}
			case payQuarterAhead:
				if mi%3 == 0 && owed[i].IsPositive() {
					add(i, owed[i].Add(amt.Mul(decimal.NewFromInt(2))))
				}
			case payYearAhead:
				if month == 0 && owed[i].IsPositive() {
					add(i, owed[i].Add(amt.Mul(decimal.NewFromInt(11))))
				} else if owed[i].GreaterThan(amt) {
					add(i, owed[i])
				}
			case payLate: // pays every few months, and stays about three months behind
				if r.IntN(4) == 0 {
					add(i, owed[i].Sub(amt.Mul(decimal.NewFromInt(3))))
				}
			case payChronic:
				if mi < stopAt[i] && r.IntN(3) == 0 {
					add(i, owed[i])
				}
			case payDeveloper:
				if mi%3 == 2 && r.IntN(10) < 8 {
					// The developer pays the quarter before last.
					add(i, owed[i].Sub(amt.Mul(decimal.NewFromInt(3))))
				}
			}
		}
		last := mi == months-1
		if last { // last month: only part of the payments have come in yet
			kept := pays[:0]
			for _, p := range pays {
				if r.IntN(100) < 60 {
					kept = append(kept, p)
				}
			}
			pays = kept
		}
		today := d.today()
		for i := range pays {
			if pays[i].req.Date > today {
				pays[i].req.Date = today
			}
		}
		sort.SliceStable(pays, func(i, j int) bool { return pays[i].req.Date < pays[j].req.Date })
		for lo := 0; lo < len(pays); lo += demoChunk {
			hi := min(lo+demoChunk, len(pays))
			reqs := make([]app.PaymentRequest, 0, hi-lo)
			for _, p := range pays[lo:hi] {
				reqs = append(reqs, p.req)
			}
			if _, err := s.Fees.PayMany(ctx, reqs, who, "demo: 业主缴费"); err != nil {
				return err
			}
		}
		// Public income: parking every month, rents every month, advertising each quarter.
		if parking > 0 {
			amt := decimal.NewFromInt(int64(parking*(120+r.IntN(60))) + int64(r.IntN(100))*10)
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
		if month == 11 || last {
			interest := app.Round2(totalArea.Mul(decimal.NewFromInt(50)).Mul(decimal.RequireFromString("0.015")))
			if err := demoIncome(ctx, s, d.today(), app.Income{Fund: app.FundMaintenance, Kind: "interest", Amount: interest, Date: m + "-21", Payer: "银行", Description: "维修资金年度利息"}); err != nil {
				return err
			}
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
