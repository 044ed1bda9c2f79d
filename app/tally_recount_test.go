package app

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
)

// randomVote makes a register and double-entered ballots with every kind of trouble.
func randomVote(r *rand.Rand, units, matters int) VoteRecord {
	var reg []Unit
	for i := 0; i < units; i++ {
		owner := fmt.Sprintf("O%d", r.IntN(units*9/10+1))
		if r.IntN(20) == 0 {
			owner = "DEV"
		}
		reg = append(reg, unit(fmt.Sprintf("%d-1-%d", i/100+1, i%100+101), fmt.Sprintf("%d.%02d", 50+r.IntN(100), r.IntN(100)), owner))
	}
	kinds := ""
	for m := 0; m < matters; m++ {
		kinds += string("OM"[r.IntN(2)])
	}
	v := record(kinds, reg)
	v.Assembly.Deemed = true
	letters := "aaaaoos-d"
	for i := 0; i < units; i++ {
		if r.IntN(10) < 2 {
			continue
		}
		u := reg[i].ID
		switch r.IntN(200) {
		case 0:
			u = "X-" + u
		case 1:
			u = reg[r.IntN(units)].ID
		}
		var cs strings.Builder
		for m := 0; m < matters; m++ {
			cs.WriteByte(letters[r.IntN(len(letters))])
		}
		b := ballot(fmt.Sprint(i+1), u, cs.String())
		if r.IntN(100) == 0 {
			b.Invalid = ReasonUnsigned
		}
		v.EntryA = append(v.EntryA, b)
		c := b
		if r.IntN(100) == 0 {
			c.Unit += "0"
		}
		if r.IntN(100) != 0 {
			v.EntryB = append(v.EntryB, c)
		}
		if r.IntN(3) == 0 {
			v.Deliveries = append(v.Deliveries, Delivery{Unit: reg[i].ID})
		}
	}
	return v
}

// TestTally_OrderAndBatchesNeverChangeTheResult: shuffling the ballots of either entry,
// or keying them in batches in any order, gives the same tally.
func TestTally_OrderAndBatchesNeverChangeTheResult(t *testing.T) {
	for seed := uint64(1); seed <= 30; seed++ {
		r := rand.New(rand.NewPCG(seed, 7))
		v := randomVote(r, 50+r.IntN(300), 1+r.IntN(5))
		want, _ := json.Marshal(CountVotes(v))
		wantT := CountVotes(v)
		for trial := 0; trial < 5; trial++ {
			w := v
			w.EntryA = batches(r, v.EntryA)
			w.EntryB = batches(r, v.EntryB)
			r.Shuffle(len(w.Deliveries), func(i, j int) { w.Deliveries[i], w.Deliveries[j] = w.Deliveries[j], w.Deliveries[i] })
			got := CountVotes(w)
			b, _ := json.Marshal(got)
			if string(b) != string(want) {
				t.Fatalf("seed %d: result changed with order:\n%s\n%s", seed, want, b)
			}
			if !reflect.DeepEqual(got.Conflicts, wantT.Conflicts) || !reflect.DeepEqual(got.Invalid, wantT.Invalid) || !reflect.DeepEqual(got.Batches, wantT.Batches) {
				t.Fatalf("seed %d: details changed with order", seed)
			}
		}
	}
}

// batches splits ballots into random batches, shuffles each, and joins the batches in a
// random order, as volunteers keying boxes of ballots would.
func batches(r *rand.Rand, bs []Ballot) []Ballot {
	in := append([]Ballot(nil), bs...)
	r.Shuffle(len(in), func(i, j int) { in[i], in[j] = in[j], in[i] })
	var parts [][]Ballot
	for len(in) > 0 {
		n := 1 + r.IntN(len(in))
		parts = append(parts, in[:n])
		in = in[n:]
	}
	r.Shuffle(len(parts), func(i, j int) { parts[i], parts[j] = parts[j], parts[i] })
	var out []Ballot
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// TestTally_IndependentRecount re-counts random votes the simplest possible way and
// compares the headline numbers.
func TestTally_IndependentRecount(t *testing.T) {
	for seed := uint64(1); seed <= 20; seed++ {
		r := rand.New(rand.NewPCG(seed, 11))
		v := randomVote(r, 40+r.IntN(200), 3)
		got := CountVotes(v)
		regArea := map[string]int64{}
		regPerson := map[string]string{}
		for _, u := range v.Register {
			regArea[u.ID] = u.Area.Shift(2).IntPart()
			regPerson[u.ID] = u.Person()
		}
		b := map[string]Ballot{}
		for _, x := range v.EntryB {
			b[x.No] = x
		}
		perUnit := map[string][]Ballot{}
		for _, x := range v.EntryA {
			y, ok := b[x.No]
			if !ok || !x.Same(y) || x.Invalid != "" {
				continue
			}
			if _, known := regArea[x.Unit]; known {
				perUnit[x.Unit] = append(perUnit[x.Unit], x)
			}
		}
		var area int64
		persons := map[string]bool{}
		for u, bs := range perUnit {
			if len(bs) == 1 {
				area += regArea[u]
				persons[regPerson[u]] = true
			}
		}
		if got.Participating.Area.String() != sqm(area).String() || got.Participating.Heads != len(persons) {
			t.Fatalf("seed %d: participating %+v, recount %s/%d", seed, got.Participating, sqm(area), len(persons))
		}
	}
}

func BenchmarkTally10000Ballots5Matters(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	v := randomVote(r, 12500, 5)
	if len(v.EntryA) < 9500 {
		b.Fatalf("only %d ballots", len(v.EntryA))
	}
	v.EntryA, v.EntryB = v.EntryA[:min(10000, len(v.EntryA))], v.EntryB[:min(10000, len(v.EntryB))]
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		CountVotes(v)
	}
}
