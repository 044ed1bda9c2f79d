package app

import "testing"

func TestIssuedBallots_NumberNamesTheUnitInRegisterOrderSkippingParking(t *testing.T) {
	r := VoteRecord{Register: []Unit{{ID: "1-1-101"}, {ID: "P-001", Kind: KindParking}, {ID: "1-1-102"}, {ID: "1-1-201"}}}
	for _, c := range []struct {
		no, unit string
		ok       bool
	}{{"1", "1-1-101", true}, {"2", "1-1-102", true}, {"003", "1-1-201", true}, {"３", "1-1-201", true}, {"4", "", false}, {"0", "", false}, {"A7", "", false}} {
		u, ok := r.IssuedUnit(c.no)
		if u != c.unit || ok != c.ok {
			t.Errorf("IssuedUnit(%q) = %q %v, want %q %v", c.no, u, ok, c.unit, c.ok)
		}
	}
	r.Assembly.CountParking = true
	if u, _ := r.IssuedUnit("2"); u != "P-001" || len(r.IssuedBallots()) != 4 || r.BallotNoWidth() != 1 {
		t.Errorf("counting parking: ballot 2 = %q, %d issued", u, len(r.IssuedBallots()))
	}
	bs := []Ballot{{No: "3"}, {No: "9"}, {No: "1", Unit: "1-1-201"}}
	r.FillIssuedUnits(bs)
	if bs[0].Unit != "1-1-102" || bs[1].Unit != "" || bs[2].Unit != "1-1-201" {
		t.Errorf("filled %+v", bs)
	}
}
