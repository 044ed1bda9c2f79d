package snapshot

import (
	"context"
	"time"

	"sunledger/app"
)

// MicroFundFile is microfund.json in a snapshot: the owners' micro-fund
// (docs/microfund.md), its balance as the journal gives it and every settled year's
// decision. It names years and amounts only.
type MicroFundFile struct {
	Account  string                 `json:"account"`
	Balance  string                 `json:"balance"` // what the micro-fund holds (a credit, shown positive)
	Moves    []MicroFundFileMove    `json:"moves"`
	Projects []MicroFundFileProject `json:"projects"`
}

// MicroFundFileProject is one micro-fund project as owners see it: who proposed it (an
// owner's unit, never a name), its budget, state, 公示期, spending and report date; the
// approvers are counted, not named.
type MicroFundFileProject struct {
	ID         string   `json:"id"`
	Title      string   `json:"title"`
	ProposedBy string   `json:"proposed_by"`
	Unit       string   `json:"unit,omitempty"`
	Amount     string   `json:"amount"`
	State      string   `json:"state"`
	Approvals  int      `json:"approvals"`
	Published  string   `json:"published,omitempty"`
	NoticeEnds string   `json:"notice_ends,omitempty"`
	Spent      string   `json:"spent"`
	Expenses   []string `json:"expenses"`
	ReportedOn string   `json:"reported_on,omitempty"`
}

// MicroFundFileMove is one year's decision: the share of the public-income surplus, the
// amount moved and its entry (0 when nothing moved), and the entry that reversed it.
type MicroFundFileMove struct {
	Year     int    `json:"year"`
	Share    string `json:"share"` // percent
	Surplus  string `json:"surplus"`
	Base     string `json:"base"`             // surplus or income
	Income   string `json:"income,omitempty"` // the year's public income, when it is the base
	Amount   string `json:"amount"`
	Entry    int64  `json:"entry"`
	Reversed int64  `json:"reversed"`
	Date     string `json:"date"`
}

// snapMicroFund writes microfund.json.
func snapMicroFund(ctx context.Context, z *snapWriter) error {
	out := MicroFundFile{Account: app.MicroFundAccount, Balance: "0.00", Moves: []MicroFundFileMove{}}
	if z.s.Settlements != nil {
		ss, err := z.s.Settlements.Settlements(ctx)
		if err != nil {
			return err
		}
		for _, s := range ss {
			for _, m := range s.MicroFundMoves {
				if z.manifest.Entries > 0 && m.Entry > z.manifest.Entries {
					continue // moved after the snapshot's head
				}
				if z.manifest.Entries > 0 && m.Reversed > z.manifest.Entries {
					m.Reversed = 0
				}
				mv := MicroFundFileMove{Year: s.Year, Share: m.Share.String(), Surplus: amt(m.Surplus), Base: app.MicroFundBaseSurplus, Amount: amt(m.Amount),
					Entry: m.Entry, Reversed: m.Reversed, Date: m.Date}
				if m.Base == app.MicroFundBaseIncome {
					mv.Base, mv.Income = m.Base, amt(m.Income)
				}
				out.Moves = append(out.Moves, mv)
			}
		}
	}
	out.Projects = []MicroFundFileProject{}
	if z.s.MicroFund != nil {
		ps, _, err := z.s.MicroFund.MicroFundProjects(ctx)
		if err != nil {
			return err
		}
		day := time.Now().Format(app.DateLayout)
		if z.s.Now != nil {
			day = z.s.Now().Format(app.DateLayout)
		}
		for _, p := range ps {
			x := MicroFundFileProject{ID: p.ID, Title: p.Title, ProposedBy: p.ProposedBy, Unit: p.Unit, Amount: amt(p.Amount), State: p.State(day),
				Approvals: len(p.Approvals), Published: p.Published, NoticeEnds: p.NoticeEnds, Expenses: []string{}, ReportedOn: p.ReportedOn}
			spent := p.Spent()
			for _, sp := range p.Spends {
				if sp.Reversed != 0 && (z.manifest.Entries == 0 || sp.Reversed <= z.manifest.Entries) {
					continue // reversed: not spent (Spent leaves it out)
				}
				if sp.Reversed != 0 {
					spent = spent.Add(sp.Amount) // reversed only after the snapshot's head
				}
				if z.manifest.Entries > 0 && sp.Entry > z.manifest.Entries {
					spent = spent.Sub(sp.Amount) // charged after the snapshot's head
					continue
				}
				x.Expenses = append(x.Expenses, sp.Expense)
			}
			x.Spent = amt(spent)
			out.Projects = append(out.Projects, x)
		}
	}
	out.Balance = amt(z.walk.Balances()[app.MicroFundAccount].Neg())
	return z.json("microfund.json", out)
}
