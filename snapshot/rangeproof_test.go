package snapshot

import (
	"fmt"
	"testing"

	"golang.org/x/mod/sumdb/tlog"
)

// memHashes is a tree of n leaves ("leaf i") kept in memory.
func memHashes(t *testing.T, n int64) (tlog.HashReader, []tlog.Hash) {
	var stored []tlog.Hash
	r := tlog.HashReaderFunc(func(idx []int64) ([]tlog.Hash, error) {
		out := make([]tlog.Hash, len(idx))
		for i, x := range idx {
			out[i] = stored[x]
		}
		return out, nil
	})
	var leaves []tlog.Hash
	for i := range n {
		data := []byte(fmt.Sprintf("leaf %d", i))
		hs, err := tlog.StoredHashes(i, data, r)
		if err != nil {
			t.Fatal(err)
		}
		stored = append(stored, hs...)
		leaves = append(leaves, tlog.RecordHash(data))
	}
	return r, leaves
}

// TestRangeProof_EveryRunOfLeavesLeadsToTheRootAndNothingElseDoes: for every tree up to
// 33 leaves and every run [a, b) of its leaves, the range proof with the run's leaves
// gives the tree's root (tlog.TreeHash); a changed leaf, a proof a hash short or long,
// or the run placed one leaf off does not.
func TestRangeProof_EveryRunOfLeavesLeadsToTheRootAndNothingElseDoes(t *testing.T) {
	for n := int64(1); n <= 33; n++ {
		r, leaves := memHashes(t, n)
		root, err := tlog.TreeHash(n, r)
		if err != nil {
			t.Fatal(err)
		}
		for a := int64(0); a < n; a++ {
			for b := a + 1; b <= n; b++ {
				proof, err := ProveRange(a, b, n, r)
				if err != nil {
					t.Fatal(err)
				}
				run := leaves[a:b]
				if got, err := RangeRoot(a, n, run, proof); err != nil || got != root {
					t.Fatalf("n=%d [%d,%d): %v", n, a, b, err)
				}
				bad := append([]tlog.Hash{}, run...)
				bad[len(bad)/2][0] ^= 1
				if got, err := RangeRoot(a, n, bad, proof); err == nil && got == root {
					t.Fatalf("n=%d [%d,%d): a changed leaf leads to the root", n, a, b)
				}
				if len(proof) > 0 {
					if _, err := RangeRoot(a, n, run, proof[:len(proof)-1]); err == nil {
						t.Fatalf("n=%d [%d,%d): a short proof is accepted", n, a, b)
					}
				}
				if _, err := RangeRoot(a, n, run, append(proof, root)); err == nil {
					t.Fatalf("n=%d [%d,%d): a long proof is accepted", n, a, b)
				}
				if b < n {
					if got, err := RangeRoot(a+1, n, run, proof); err == nil && got == root {
						t.Fatalf("n=%d [%d,%d): the run one leaf on leads to the root", n, a, b)
					}
				}
			}
		}
	}
}
