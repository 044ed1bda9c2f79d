package app

import (
	"strconv"
	"strings"
)

// Printed ballots (docs/votes.md "Printing the ballots"): the window and `report ballots`
// print one paper ballot per voting unit of the assembly's frozen register, numbered 1…N
// in the register's order, with the number as a QR code. The number alone then names the
// unit, so keying a ballot is its number and one key per matter.

// IssuedBallot is one printed ballot: its number and the unit it was issued to.
type IssuedBallot struct {
	No   string
	Unit Unit
}

// IssuedBallots numbers the voting units of the assembly's frozen register 1…N in the
// register's order (parking spaces only when the assembly counts them).
func (r VoteRecord) IssuedBallots() []IssuedBallot {
	var out []IssuedBallot
	for _, u := range r.Register {
		if VotingUnit(u, r.Assembly.CountParking) {
			out = append(out, IssuedBallot{No: strconv.Itoa(len(out) + 1), Unit: u})
		}
	}
	return out
}

// IssuedUnit is the unit the printed ballot number no (as typed: NormalizeBallotNo) was
// issued to; false when no printed ballot has that number.
func (r VoteRecord) IssuedUnit(no string) (string, bool) {
	n, err := strconv.Atoi(NormalizeBallotNo(no))
	if err != nil || n < 1 {
		return "", false
	}
	for _, u := range r.Register {
		if VotingUnit(u, r.Assembly.CountParking) {
			if n--; n == 0 {
				return u.ID, true
			}
		}
	}
	return "", false
}

// BallotNoWidth is the number of digits of the highest printed ballot number: a typed
// number of that many digits is complete (the window moves on without Enter).
func (r VoteRecord) BallotNoWidth() int {
	n := 0
	for _, u := range r.Register {
		if VotingUnit(u, r.Assembly.CountParking) {
			n++
		}
	}
	return len(strconv.Itoa(max(n, 1)))
}

// FillIssuedUnits gives each ballot without a unit the unit its printed number was
// issued to (a transcription of printed ballots may leave the unit column empty).
func (r VoteRecord) FillIssuedUnits(ballots []Ballot) {
	for i := range ballots {
		if strings.TrimSpace(ballots[i].Unit) != "" {
			continue
		}
		if u, ok := r.IssuedUnit(ballots[i].No); ok {
			ballots[i].Unit = u
		}
	}
}
