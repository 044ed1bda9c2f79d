package snapshot

// periodtree.go: each period of the journal is bound to the record log's tree (docs/
// record-log.md) by its own file, journal/YYYYQn.tree.json: the leaves that name the
// period's entries (a run [first_leaf, first_leaf+len(leaves)) of the tree), each as its
// block's hash and the entries it names, the hashes of the entries of other periods
// those leaves name, and the range proof (rangeproof.go) from those leaves to the
// checkpoint's root. Whoever holds one period's CSV recomputes its entries' hashes from
// the link before it (periods.json), then each leaf's data (app.LeafData) and hash, and
// the root: the period is in the log the committee signed, without the rest of the
// journal (docs/snapshot.md).

import (
	"context"
	"encoding/hex"
	"strconv"

	"golang.org/x/mod/sumdb/tlog"

	"sunledger/app"
)

// PeriodTree is a period's journal/YYYYQn.tree.json.
type PeriodTree struct {
	Period    string      `json:"period"`
	Size      int64       `json:"size"` // the checkpoint's tree size
	FirstLeaf int64       `json:"first_leaf"`
	Leaves    []TreeLeaf  `json:"leaves"`
	Outside   []LeafEntry `json:"outside"` // entries of other periods the leaves name
	Proof     []string    `json:"proof"`   // base64 hashes, rangeproof.go's order
}

// TreeLeaf is one leaf: its block's hash (hex) and the journal entries it names, as
// runs of (first, count).
type TreeLeaf struct {
	Block   string  `json:"b"`
	Entries []int64 `json:"e,omitempty"`
}

// LeafEntry is an entry a leaf names, with its hash.
type LeafEntry struct {
	Seq  int64  `json:"seq"`
	Hash string `json:"hash"`
}

// leaves is the record log's tree as the snapshot reads it: every leaf's block hash and
// entries, and for each entry the first and last leaf that names it.
type leaves struct {
	th      app.TreeHead
	blocks  []string
	runs    [][]int64
	minLeaf []int64 // by entry seq-1; -1: none
	maxLeaf []int64
	mem     []tlog.Hash // the tree's stored hashes, made by check
}

func readLeaves(ctx context.Context, s app.Services) (*leaves, error) {
	th, err := s.Log.TreeHead(ctx)
	if err != nil {
		return nil, err
	}
	lv := &leaves{th: th}
	err = s.Log.EachLeaf(ctx, th.Size, func(leaf int64, block string, entries []int64) error {
		lv.blocks = append(lv.blocks, block)
		var runs []int64
		for _, seq := range entries {
			if n := len(runs); n > 0 && runs[n-2]+runs[n-1] == seq {
				runs[n-1]++
			} else {
				runs = append(runs, seq, 1)
			}
			for int64(len(lv.minLeaf)) < seq {
				lv.minLeaf = append(lv.minLeaf, -1)
				lv.maxLeaf = append(lv.maxLeaf, -1)
			}
			if lv.minLeaf[seq-1] < 0 {
				lv.minLeaf[seq-1] = leaf
			}
			lv.maxLeaf[seq-1] = leaf
		}
		lv.runs = append(lv.runs, runs)
		return nil
	})
	return lv, err
}

func (lv *leaves) reader() tlog.HashReader {
	return tlog.HashReaderFunc(func(idx []int64) ([]tlog.Hash, error) {
		out := make([]tlog.Hash, len(idx))
		for i, x := range idx {
			if x < 0 || x >= int64(len(lv.mem)) {
				return nil, errTreeMismatch()
			}
			out[i] = lv.mem[x]
		}
		return out, nil
	})
}

func errTreeMismatch() error {
	return app.Errorf(app.EINVALID, "记录链的默克尔树与账本的凭证不符：账本在阳光账本之外被改动过，没有写出快照",
		"the record log's Merkle tree does not match the journal: the book was changed outside Sunledger; no snapshot was written")
}

// leafData is leaf i's data, the entries' hashes taken from hashOf.
func leafData(buf []byte, i int64, block string, runs []int64, hashOf func(seq int64) (string, bool)) ([]byte, bool) {
	var ents []app.LeafEntry
	for r := 0; r+1 < len(runs); r += 2 {
		for seq := runs[r]; seq < runs[r]+runs[r+1]; seq++ {
			h, ok := hashOf(seq)
			if !ok {
				return nil, false
			}
			ents = append(ents, app.LeafEntry{Seq: seq, Hash: h})
		}
	}
	return app.AppendLeafData(buf[:0], i+1, block, ents), true
}

// entryHashes are the journal's hashes as exported, entry seq at seq-1: 32 bytes each
// rather than 64 hex digits in a string of their own (8 MB, not 20 MB, for 250,000
// entries; docs/snapshot.md).
type entryHashes [][32]byte

// add appends the hash of the next entry, h in lower-case hex as app.EntryHash makes it.
func (hs *entryHashes) add(h string) error {
	var b [32]byte
	if len(h) != 2*len(b) {
		return errEntryHash(h)
	}
	for i := range b {
		hi, ok1 := lowerHex(h[2*i])
		lo, ok2 := lowerHex(h[2*i+1])
		if !ok1 || !ok2 {
			return errEntryHash(h)
		}
		b[i] = hi<<4 | lo
	}
	*hs = append(*hs, b)
	return nil
}

func lowerHex(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	}
	return 0, false
}

func errEntryHash(h string) error {
	return app.Errorf(app.EINVALID, "凭证哈希 %q 不是 64 位小写十六进制", "entry hash %q is not 64 lower-case hex digits", h)
}

// hashOf is entry seq's hash in hex; false past the journal.
func (hs entryHashes) hashOf(seq int64) (string, bool) {
	if seq < 1 || seq > int64(len(hs)) {
		return "", false
	}
	return hex.EncodeToString(hs[seq-1][:]), true
}

// check rebuilds the tree from the leaves and the journal's hashes (as exported) and
// compares its root with the tree head's: what the snapshot proves is what the log says.
func (lv *leaves) check(hashes entryHashes) error {
	hashOf := hashes.hashOf
	lv.mem = make([]tlog.Hash, 0, tlog.StoredHashCount(lv.th.Size))
	r := lv.reader()
	var buf []byte
	for i := range lv.th.Size {
		data, ok := leafData(buf, i, lv.blocks[i], lv.runs[i], hashOf)
		if !ok {
			return errTreeMismatch()
		}
		buf = data
		hs, err := tlog.StoredHashes(i, data, r)
		if err != nil {
			return err
		}
		lv.mem = append(lv.mem, hs...)
	}
	if lv.th.Size == 0 {
		return nil
	}
	root, err := tlog.TreeHash(lv.th.Size, r)
	if err != nil || root != lv.th.Root {
		return errTreeMismatch()
	}
	return nil
}

// periodTree is p's PeriodTree.
func (lv *leaves) periodTree(p Period, hashes entryHashes) (PeriodTree, error) {
	a, b := int64(-1), int64(-1)
	for seq := p.First; seq <= p.Last; seq++ {
		if seq > int64(len(lv.minLeaf)) || lv.minLeaf[seq-1] < 0 {
			return PeriodTree{}, app.Errorf(app.EINVALID, "凭证 #%d 不在记录链的任何一块中：账本在阳光账本之外被改动过，没有写出快照",
				"entry #%d is in no block of the record log: the book was changed outside Sunledger; no snapshot was written", seq)
		}
		if a < 0 || lv.minLeaf[seq-1] < a {
			a = lv.minLeaf[seq-1]
		}
		b = max(b, lv.maxLeaf[seq-1]+1)
	}
	t := PeriodTree{Period: p.Period, Size: lv.th.Size, FirstLeaf: a, Outside: []LeafEntry{}}
	for i := a; i < b; i++ {
		t.Leaves = append(t.Leaves, TreeLeaf{Block: lv.blocks[i], Entries: lv.runs[i]})
		runs := lv.runs[i]
		for r := 0; r+1 < len(runs); r += 2 {
			for seq := runs[r]; seq < runs[r]+runs[r+1]; seq++ {
				if seq < p.First || seq > p.Last {
					h, _ := hashes.hashOf(seq)
					t.Outside = append(t.Outside, LeafEntry{seq, h})
				}
			}
		}
	}
	proof, err := ProveRange(a, b, lv.th.Size, lv.reader())
	if err != nil {
		return PeriodTree{}, app.Internal(err)
	}
	t.Proof = hashesB64(proof)
	return t, nil
}

// checkPeriodTree checks a period's tree file against the checkpoint: the leaves it
// lists, with the hashes of the period's entries as hashOf recomputes them (and those
// of other periods as the file gives them, or as hashOf has them when it has), lead by
// the range proof to the checkpoint's root, and every entry of the period is named by
// one of them.
func checkPeriodTree(p Period, t PeriodTree, c Checkpoint, hashOf func(seq int64) (string, bool)) error {
	bad := func(zh, en string) error {
		return app.Errorf(app.EINVALID, "%s 的范围证明不成立：%s", "the range proof of %s does not hold: %s", p.Tree, app.T(zh, en))
	}
	if t.Period != p.Period || t.Size != c.Size {
		return bad("它属于另一个季度或另一棵树", "it belongs to another period or another tree")
	}
	if len(t.Leaves) == 0 || t.FirstLeaf < 0 || t.FirstLeaf+int64(len(t.Leaves)) > c.Size {
		return bad("叶子范围超出了树", "its leaves lie outside the tree")
	}
	outside := map[int64]string{}
	for _, o := range t.Outside {
		if o.Seq >= p.First && o.Seq <= p.Last {
			return bad("它给出了本季度凭证的哈希", "it gives the hash of an entry of the period")
		}
		if h, ok := hashOf(o.Seq); ok && h != o.Hash {
			return bad("它给出的其他季度凭证的哈希与账本不符", "it gives another period's entry a hash the journal does not have")
		}
		outside[o.Seq] = o.Hash
	}
	named := make([]bool, p.Last-p.First+1)
	lookup := func(seq int64) (string, bool) {
		if seq >= p.First && seq <= p.Last {
			named[seq-p.First] = true
			return hashOf(seq)
		}
		h, ok := outside[seq]
		return h, ok
	}
	hs := make([]tlog.Hash, len(t.Leaves))
	var buf []byte
	for i, l := range t.Leaves {
		if len(l.Entries)%2 != 0 || len(l.Block) != 64 {
			return bad("叶子格式有误", "a leaf is malformed")
		}
		if _, err := hex.DecodeString(l.Block); err != nil {
			return bad("叶子格式有误", "a leaf is malformed")
		}
		for r := 0; r < len(l.Entries); r += 2 {
			if l.Entries[r] < 1 || l.Entries[r+1] < 1 || l.Entries[r+1] > 1<<20 {
				return bad("叶子格式有误", "a leaf is malformed")
			}
		}
		data, ok := leafData(buf, t.FirstLeaf+int64(i), l.Block, l.Entries, lookup)
		if !ok {
			return bad("叶子所记的凭证没有哈希", "a leaf names an entry whose hash is not given")
		}
		buf = data
		hs[i] = tlog.RecordHash(data)
	}
	for i, ok := range named {
		if !ok {
			return bad("凭证 #"+itoa(p.First+int64(i))+" 不在任何叶子中", "entry #"+itoa(p.First+int64(i))+" is in none of its leaves")
		}
	}
	proof, ok := hashesOf(t.Proof)
	if !ok {
		return bad("证明格式有误", "the proof is malformed")
	}
	root, err := RangeRoot(t.FirstLeaf, c.Size, hs, proof)
	if err != nil || root != c.Root {
		return bad("算不到检查点的根哈希", "it does not lead to the checkpoint's root")
	}
	return nil
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
