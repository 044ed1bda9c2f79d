package snapshot

import (
	"context"

	"sunledger/app"
)

// MicroFundFile is microfund.json in a snapshot: the owners' micro-fund
// (docs/microfund.md), its balance as the journal gives it and every settled year's
// decision. It names years and amounts only.
type MicroFundFile struct {
	Account string              `json:"account"`
	Balance string              `json:"balance"` // what the micro-fund holds (a credit, shown positive)
	Moves   []MicroFundFileMove `json:"moves"`
}

// MicroFundFileMove is one year's decision: the share of the public-income surplus, the
// amount moved and its entry (0 when nothing moved), and the entry that reversed it.
type MicroFundFileMove struct {
	Year     int    `json:"year"`
	Share    string `json:"share"` // percent
	Surplus  string `json:"surplus"`
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
				out.Moves = append(out.Moves, MicroFundFileMove{Year: s.Year, Share: m.Share.String(), Surplus: amt(m.Surplus), Amount: amt(m.Amount),
					Entry: m.Entry, Reversed: m.Reversed, Date: m.Date})
			}
		}
	}
	out.Balance = amt(z.walk.Balances[app.MicroFundAccount].Neg())
	return z.json("microfund.json", out)
}
