package snapshot

// rangeproof.go: the proof that a run of leaves [a, b) is in the tree of size n with a
// given root (RFC 9162's tree, golang.org/x/mod/sumdb/tlog's hashes), in the spirit of
// C2SP tlog-tiles: whoever holds the leaves of one period of the journal needs only the
// hashes of the subtrees beside them, not the rest of the log. The tree is split as
// RFC 9162 §2.1.1 does (the left part the largest power of two below the size); every
// subtree that holds none of the leaves [a, b) is one hash of the proof, in the order a
// depth-first walk, left before right, meets them. The viewer (index.html,
// rangeRoot) walks the same way (docs/snapshot.md).

import (
	"errors"
	"math/bits"

	"golang.org/x/mod/sumdb/tlog"
)

// split is the size of the left part of a subtree of n > 1 leaves: the largest power
// of two below n.
func split(n int64) int64 {
	return int64(1) << (bits.Len64(uint64(n-1)) - 1)
}

// subtreeHash is the hash of the leaves [lo, hi) read from r: a complete subtree is one
// stored hash, the right edge of the tree is made of them.
func subtreeHash(lo, hi int64, r tlog.HashReader) (tlog.Hash, error) {
	n := hi - lo
	if n&(n-1) == 0 {
		level := bits.TrailingZeros64(uint64(n))
		hs, err := r.ReadHashes([]int64{tlog.StoredHashIndex(level, lo>>level)})
		if err != nil {
			return tlog.Hash{}, err
		}
		return hs[0], nil
	}
	k := split(n)
	l, err := subtreeHash(lo, lo+k, r)
	if err != nil {
		return tlog.Hash{}, err
	}
	rt, err := subtreeHash(lo+k, hi, r)
	if err != nil {
		return tlog.Hash{}, err
	}
	return tlog.NodeHash(l, rt), nil
}

// ProveRange is the range proof of the leaves [a, b) in the tree of size n read from r.
func ProveRange(a, b, n int64, r tlog.HashReader) ([]tlog.Hash, error) {
	if a < 0 || a >= b || b > n {
		return nil, errors.New("bad range")
	}
	var proof []tlog.Hash
	var walk func(lo, hi int64) error
	walk = func(lo, hi int64) error {
		if hi <= a || lo >= b {
			h, err := subtreeHash(lo, hi, r)
			proof = append(proof, h)
			return err
		}
		if hi-lo == 1 {
			return nil
		}
		k := split(hi - lo)
		if err := walk(lo, lo+k); err != nil {
			return err
		}
		return walk(lo+k, hi)
	}
	if err := walk(0, n); err != nil {
		return nil, err
	}
	return proof, nil
}

// RangeRoot is the root of the tree of size n that the leaf hashes of [a, a+len(leaves))
// and their range proof make; an error if the proof has too few or too many hashes.
func RangeRoot(a, n int64, leaves, proof []tlog.Hash) (tlog.Hash, error) {
	b := a + int64(len(leaves))
	if a < 0 || a >= b || b > n {
		return tlog.Hash{}, errors.New("bad range")
	}
	used := 0
	var walk func(lo, hi int64) (tlog.Hash, error)
	walk = func(lo, hi int64) (tlog.Hash, error) {
		if hi <= a || lo >= b {
			if used == len(proof) {
				return tlog.Hash{}, errors.New("range proof too short")
			}
			used++
			return proof[used-1], nil
		}
		if hi-lo == 1 {
			return leaves[lo-a], nil
		}
		k := split(hi - lo)
		l, err := walk(lo, lo+k)
		if err != nil {
			return tlog.Hash{}, err
		}
		rt, err := walk(lo+k, hi)
		if err != nil {
			return tlog.Hash{}, err
		}
		return tlog.NodeHash(l, rt), nil
	}
	root, err := walk(0, n)
	if err == nil && used != len(proof) {
		err = errors.New("range proof too long")
	}
	return root, err
}
