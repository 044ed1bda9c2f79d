package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sunledger/app"
	"time"

	"github.com/shopspring/decimal"
)

// VoteTitle is the title of the demo's assembly; its matter 1 (using the
// maintenance fund for the lifts, ordinary) passes, so the demo's maintenance-fund repair
// can cite it.
const VoteTitle = "业主大会书面表决：电梯更换与东侧绿地改建"

// demoVote holds an assembly on two matters: using the maintenance fund (ordinary) and
// changing the use of a common part (major). About 80% of ballots come back; owners
// mostly agree on the first and are split on the second. Entry A keys the box in ballot
// order, entry B in the order the papers came out, with a few slips of its own; two slips
// are resolved from the paper and the rest are left for the committee. There are a few
// invalid ballots, one unit that handed in two ballots, one ballot for a unit not in the
// register, one multi-unit owner whose ballots disagree, and proxies.
func demoVote(ctx context.Context, s app.Services, d *builder) error {
	if s.Votes == nil {
		return nil
	}
	r := d.Rand
	// The assembly closed on the 20th of the month before the demo's last billed month,
	// with the ballots delivered two weeks before; its result is announced two days
	// later, and the maintenance-fund repair it allows is paid once the 公示期 has passed.
	_, last, _ := demoPeriod(d)
	date := app.AddMonths(last, -1) + "-20"
	delivered := date
	if t, err := time.Parse(app.DateLayout, date); err == nil {
		delivered = t.AddDate(0, 0, -14).Format(app.DateLayout)
	}
	scope, cap, err := demoLiftScope(ctx, s, d)
	if err != nil {
		return err
	}
	a, err := s.Votes.CreateAssembly(ctx, app.Assembly{
		Title: VoteTitle,
		Date:  date,
		Matters: []app.Matter{
			{No: 1, Title: "使用专项维修资金更换" + app.ScopeLabel(scope) + "电梯，费用由" + app.ScopeLabel(scope) + "业主按专有部分面积分摊", Kind: app.MatterOrdinary,
				Item: 5, Fund: app.FundMaintenance, Cap: cap, Scope: scope},
			{No: 2, Title: "将小区东侧绿地改建为临时停车场（改变共有部分用途）", Kind: app.MatterMajor, Item: 8},
		},
		Deemed: true,
		Rule:   "《业主大会议事规则》第十八条：表决票已送达业主但业主未在规定期限内投票的，视为同意参与表决业主中的多数意见。",
	}, "demo")
	if err != nil {
		return err
	}
	c, err := s.Book.Community(ctx)
	if err != nil {
		return err
	}
	var voting []app.Unit
	for _, u := range d.Units {
		if app.VotingUnit(u, !c.ExcludeParking) {
			voting = append(voting, u)
		}
	}
	if len(voting) == 0 {
		return nil
	}
	rec, err := s.Votes.VoteRecord(ctx, a.ID) // the register as the assembly froze it
	if err != nil {
		return err
	}
	// The maintenance-fund repair relies on matter 1 passing. In a small community a
	// few papers not returned miss the quorum, so the papers are drawn again (from the
	// same seeded source) until matter 1 passes; the last draw has every paper back.
	var entryA, entryB []app.Ballot
	var deliveries []app.Delivery
	var resolved []app.Ballot
	for try := 0; ; try++ {
		sure := try == demoVoteTries-1
		var slips []string
		entryA, deliveries = demoBallots(r, voting, delivered, sure)
		entryB, slips = demoEntryB(r, entryA)
		// The counters looked at two of the differing papers (all of them in the last
		// draw); the rest wait for the committee.
		byNo := map[string]app.Ballot{}
		for _, b := range entryA {
			byNo[b.No] = b
		}
		n := min(2, len(slips))
		if sure {
			n = len(slips)
		}
		resolved = resolved[:0]
		for _, no := range slips[:n] {
			resolved = append(resolved, byNo[no])
		}
		rec.EntryA, rec.EntryB, rec.Deliveries, rec.Resolutions = entryA, entryB, deliveries, nil
		for _, b := range resolved {
			rec.Resolutions = append(rec.Resolutions, app.Resolution{Ballot: b})
		}
		if passed, _ := app.MatterPassedIn(app.CountVotes(rec), 1); passed || sure {
			break
		}
	}
	if err := s.Votes.EnterBallots(ctx, a.ID, app.EntryA, entryA, false, "录入员 陈晓明"); err != nil {
		return err
	}
	if err := s.Votes.EnterBallots(ctx, a.ID, app.EntryB, entryB, false, "录入员 刘婷"); err != nil {
		return err
	}
	if err := s.Votes.RecordDeliveries(ctx, a.ID, deliveries, "demo"); err != nil {
		return err
	}
	for _, b := range resolved {
		if err := s.Votes.Resolve(ctx, a.ID, app.Resolution{Ballot: b, Note: "核对原票，以录入A为准"}, "计票人 周志强"); err != nil {
			return err
		}
	}
	// The result announcement (表决结果公告) is printed and posted two days after the
	// vote closed: the print log records it, and the 公示期 runs from then.
	if s.Prints != nil {
		if _, err := s.Prints.RecordPrint(demoAt(ctx, demoDay(date, 2, d.today()), 10), app.TallyDoc(a.ID), "计票人 周志强"); err != nil {
			return err
		}
	}
	return nil
}

// demoDay is date plus n days, never after today.
func demoDay(date string, n int, today string) string {
	t, err := time.Parse(app.DateLayout, date)
	if err != nil {
		return today
	}
	if x := t.AddDate(0, 0, n).Format(app.DateLayout); x < today {
		return x
	}
	return today
}

// demoLiftScope is the scope of the lift repair (buildings 1 and 2, those of them the
// register has) and its cap: ¥386,000, or less when the units of those buildings hold
// less (each unit's share by area must stay within its balance, with a tenth to spare).
func demoLiftScope(ctx context.Context, s app.Services, d *builder) ([]string, decimal.Decimal, error) {
	has := map[string]bool{}
	for _, u := range d.Units {
		has[app.BuildingOf(u.ID)] = true
	}
	var scope []string
	for _, b := range []string{"1", "2"} {
		if has[b] {
			scope = append(scope, b)
		}
	}
	if len(scope) == 0 && len(d.Units) > 0 {
		scope = []string{app.BuildingOf(d.Units[0].ID)}
	}
	cap := decimal.NewFromInt(386000)
	if s.Maintenance == nil {
		return scope, cap, nil
	}
	led, err := s.Maintenance.FundLedger(ctx, "")
	if err != nil {
		return scope, cap, err
	}
	var area decimal.Decimal
	perM2 := decimal.Decimal{}
	first := true
	for _, u := range led {
		if !app.InScope(scope, u.Unit) || !u.Area.IsPositive() {
			continue
		}
		area = area.Add(u.Area)
		if r := u.Balance.Div(u.Area); first || r.LessThan(perM2) {
			perM2, first = r, false
		}
	}
	if most := perM2.Mul(area).Mul(decimal.RequireFromString("0.9")).Div(decimal.NewFromInt(100)).Floor().Mul(decimal.NewFromInt(100)); most.LessThan(cap) {
		cap = most
	}
	return scope, cap, nil
}

// demoVoteTries bounds how often a small community's papers are drawn again.
const demoVoteTries = 20

// demoBallots is what came back of the papers delivered to the voting units: about 80%
// returned; owners mostly agree on matter 1 and are split on matter 2, an owner's units
// usually voting alike (one owner's second unit votes the other way); a few proxies and
// invalid papers, a unit's second paper and a paper for a unit not in the register.
//
// sure: every paper comes back, valid and agreeing on matter 1 (the last draw of a
// small community that missed the quorum).
func demoBallots(r *rand.Rand, voting []app.Unit, delivered string, sure bool) ([]app.Ballot, []app.Delivery) {
	// Owners' leanings: an owner's units usually vote alike.
	type leaning struct{ m1, m2 app.Choice }
	lean := map[string]leaning{}
	pick := func(r *rand.Rand, agree, oppose, abstain int) app.Choice {
		x := r.IntN(100)
		switch {
		case x < agree:
			return app.Agree
		case x < agree+oppose:
			return app.Oppose
		case x < agree+oppose+abstain:
			return app.Abstain
		}
		return app.Blank
	}
	var ballots []app.Ballot
	var deliveries []app.Delivery
	split := false
	for i, u := range voting {
		no := fmt.Sprintf("%04d", i+1)
		deliveries = append(deliveries, app.Delivery{Unit: u.ID, Date: delivered, Method: "上门送达", Evidence: fmt.Sprintf("送达回执第 %s 号，业主或家属签收", no)})
		if (u.DeveloperHeld && r.IntN(100) < 10 || !u.DeveloperHeld && r.IntN(100) >= 82) && !sure {
			continue // not returned
		}
		l, ok := lean[u.Person()]
		if !ok {
			l = leaning{pick(r, 74, 14, 9), pick(r, 60, 28, 9)}
			if r.IntN(100) < 3 {
				l.m2 = app.Double
			}
			if u.DeveloperHeld {
				l = leaning{app.Agree, app.Abstain}
			}
			if sure {
				l.m1 = app.Agree
			}
			lean[u.Person()] = l
		} else if !split && !sure && !u.DeveloperHeld && l.m1 == app.Agree {
			l.m1, split = app.Oppose, true // this owner's second unit votes the other way
		}
		b := app.Ballot{No: no, Unit: u.ID, Choices: []app.Choice{l.m1, l.m2}}
		if r.IntN(100) < 3 {
			b.Proxy = demoName(r) + "（书面委托）"
		}
		switch x := r.IntN(1000); {
		case sure:
		case x < 12:
			b.Invalid = app.ReasonUnsigned
		case x < 16:
			b.Invalid = app.ReasonIllegible
		}
		ballots = append(ballots, b)
	}
	if len(ballots) >= 20 {
		// A unit that handed in a second ballot, and a ballot for a unit not in the register.
		dup := ballots[len(ballots)/3]
		dup.No = fmt.Sprintf("%04d", len(voting)+1)
		dup.Choices = []app.Choice{app.Oppose, app.Oppose}
		ballots = append(ballots, dup)
		ballots = append(ballots, app.Ballot{No: fmt.Sprintf("%04d", len(voting)+2), Unit: "99-9-9901", Choices: []app.Choice{app.Agree, app.Agree}})
	}
	return ballots, deliveries
}

// demoEntryB is entry B of the ballots: keyed in the order the papers came out, with
// five slips of its own (returned by ballot number) and one paper missed; fewer than 20
// papers get one slip (a choice misread), so even a small demo shows a difference.
func demoEntryB(r *rand.Rand, ballots []app.Ballot) ([]app.Ballot, []string) {
	entryB := make([]app.Ballot, len(ballots))
	copy(entryB, ballots)
	r.Shuffle(len(entryB), func(i, j int) { entryB[i], entryB[j] = entryB[j], entryB[i] })
	var slips []string
	if len(entryB) >= 20 {
		for k := 0; k < 5; k++ {
			i := r.IntN(len(entryB) - 1)
			b := entryB[i]
			b.Choices = append([]app.Choice(nil), b.Choices...)
			switch k {
			case 0, 1, 2: // a choice keyed in the wrong column or misread
				m := r.IntN(2)
				if b.Choices[m] == app.Agree {
					b.Choices[m] = app.Oppose
				} else {
					b.Choices[m] = app.Agree
				}
			case 3: // a unit number slip
				b.Unit += "0"
			case 4: // an invalid reason missed
				if b.Invalid != "" {
					b.Invalid = ""
				} else {
					b.Proxy = "张" + b.Proxy
				}
			}
			entryB[i] = b
			slips = append(slips, b.No)
		}
		entryB = entryB[:len(entryB)-1] // B missed one paper
	} else if len(entryB) > 0 {
		b := entryB[0]
		b.Choices = append([]app.Choice(nil), b.Choices...)
		if b.Choices[0] == app.Agree {
			b.Choices[0] = app.Oppose
		} else {
			b.Choices[0] = app.Agree
		}
		entryB[0] = b
		slips = append(slips, b.No)
	}
	return entryB, slips
}
