package app

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/hex"
	"strconv"
	"time"

	"golang.org/x/mod/sumdb/tlog"
)

// The record log is a Merkle-tree transparency log (docs/record-log.md): every record
// block is one leaf (block seq s is leaf s-1), hashed as RFC 6962 says
// (tlog.RecordHash), and the tree's size and root are what a checkpoint signs.

// LeafEntry is a journal entry a leaf names: its number and hash.
type LeafEntry struct {
	Seq  int64
	Hash string // lowercase hex
}

// LeafData is the data of the leaf of record block seq: the block's hash and the
// journal entries the block put, in ascending order:
//
//	sunledger-leaf-v1
//	block <seq> <block hash hex>
//	entry <seq> <entry hash hex>      (one line per entry; none if none)
//
// every line ending in "\n". The leaf's hash is tlog.RecordHash of these bytes.
func LeafData(seq int64, blockHash string, entries []LeafEntry) []byte {
	b := make([]byte, 0, 100+len(entries)*84)
	return AppendLeafData(b, seq, blockHash, entries)
}

// AppendLeafData appends LeafData to b.
func AppendLeafData(b []byte, seq int64, blockHash string, entries []LeafEntry) []byte {
	b = append(b, "sunledger-leaf-v1\nblock "...)
	b = strconv.AppendInt(b, seq, 10)
	b = append(b, ' ')
	b = append(b, blockHash...)
	b = append(b, '\n')
	for _, e := range entries {
		b = append(b, "entry "...)
		b = strconv.AppendInt(b, e.Seq, 10)
		b = append(b, ' ')
		b = append(b, e.Hash...)
		b = append(b, '\n')
	}
	return b
}

// ParseLeafData reads leaf data written by LeafData; false if it is not one.
func ParseLeafData(data []byte) (seq int64, blockHash string, entries []LeafEntry, ok bool) {
	rest, found := bytes.CutPrefix(data, []byte("sunledger-leaf-v1\n"))
	if !found || len(data) == 0 || data[len(data)-1] != '\n' {
		return 0, "", nil, false
	}
	first := true
	for len(rest) > 0 {
		l, r, _ := nextLine(rest)
		rest = r
		f := bytes.Fields(l)
		if len(f) != 3 {
			return 0, "", nil, false
		}
		n, err := strconv.ParseInt(string(f[1]), 10, 64)
		if err != nil || n <= 0 || len(f[2]) != 64 {
			return 0, "", nil, false
		}
		if _, err := hex.DecodeString(string(f[2])); err != nil {
			return 0, "", nil, false
		}
		switch {
		case first && string(f[0]) == "block":
			seq, blockHash = n, string(f[2])
		case !first && string(f[0]) == "entry":
			if len(entries) > 0 && n <= entries[len(entries)-1].Seq {
				return 0, "", nil, false
			}
			entries = append(entries, LeafEntry{Seq: n, Hash: string(f[2])})
		default:
			return 0, "", nil, false
		}
		first = false
	}
	if first || !bytes.Equal(LeafData(seq, blockHash, entries), data) {
		return 0, "", nil, false // only the canonical form is leaf data
	}
	return seq, blockHash, entries, true
}

// TreeHead is the record log's tree: how many leaves, and its root hash.
type TreeHead struct {
	Size int64
	Root tlog.Hash
}

// Short is how notices and receipts print the tree head: "#1234 3f0c1a2b4c5d6e7f"
// (size and the first 16 hex of the root).
func (h TreeHead) Short() string {
	if h.Size == 0 {
		return ""
	}
	return "#" + strconv.FormatInt(h.Size, 10) + " " + hex.EncodeToString(h.Root[:8])
}

// RootBase64 is the root as a checkpoint writes it.
func (h TreeHead) RootBase64() string { return base64.StdEncoding.EncodeToString(h.Root[:]) }

// BookOrigin is the checkpoint origin of a book: "sunledger/" + its book id.
func BookOrigin(bookID string) string { return "sunledger/" + bookID }

// PublishedCheckpoint is a signed checkpoint that left the laptop in a snapshot: the
// book keeps every one (append-only, audited), and each later snapshot proves its tree
// consistent with all of them.
type PublishedCheckpoint struct {
	Size int64     `json:"size"`
	Root string    `json:"root"` // base64, as in the checkpoint
	Note string    `json:"note"` // the signed checkpoint as published
	What string    `json:"what"`
	At   time.Time `json:"at"`
}

// PublicMember is a member as a snapshot's roster.json shows them: no sealed key.
type PublicMember struct {
	Name      string     `json:"name"`
	Role      Role       `json:"role"`
	PublicKey []byte     `json:"public_key"` // Ed25519, base64 in JSON
	Request   string     `json:"request,omitempty"`
	Removed   string     `json:"removed,omitempty"`
	History   []RoleSpan `json:"history,omitempty"`
}

// PublicRoster is roster.json: the seal, every member and every roster change with
// its signatures; nothing secret (no sealed keys, no passphrases).
type PublicRoster struct {
	Seal    *RosterSeal    `json:"seal"`
	Members []PublicMember `json:"members"`
	Changes []RosterChange `json:"changes"`
}

// MakePublicRoster strips the secrets from the roster.
func MakePublicRoster(seal *RosterSeal, members []Member, changes []RosterChange) PublicRoster {
	r := PublicRoster{Seal: seal, Members: []PublicMember{}, Changes: []RosterChange{}}
	for _, m := range members {
		r.Members = append(r.Members, PublicMember{Name: m.Name, Role: m.Role, PublicKey: m.PublicKey, Request: m.Request, Removed: m.Removed, History: m.History})
	}
	for _, c := range changes {
		if c.Newcomer != nil {
			n := Member{Name: c.Newcomer.Name, Role: c.Newcomer.Role, PublicKey: c.Newcomer.PublicKey}
			c.Newcomer = &n
		}
		r.Changes = append(r.Changes, c)
	}
	return r
}

// MembersOf turns the public roster's members back into members (without keys
// sealed), for VerifyRoster.
func (r PublicRoster) MembersOf() []Member {
	out := make([]Member, 0, len(r.Members))
	for _, m := range r.Members {
		out = append(out, Member{Name: m.Name, Role: m.Role, PublicKey: m.PublicKey, Request: m.Request, Removed: m.Removed, History: m.History})
	}
	return out
}

// LogService is the record log as a transparency log: its book id, tree, proofs and
// the checkpoints published.
type LogService interface {
	// BookID is the book's random id, fixed when the book was made.
	BookID(ctx context.Context) (string, error)
	// TreeHead is the tree as it stands.
	TreeHead(ctx context.Context) (TreeHead, error)
	// ProveTree proves the tree of size n extends the one of size t (tlog.ProveTree).
	ProveTree(ctx context.Context, t, n int64) (tlog.TreeProof, error)
	// ProveRecord proves leaf i is in the tree of size n (tlog.ProveRecord).
	ProveRecord(ctx context.Context, i, n int64) (tlog.RecordProof, error)
	// EntryLeaves maps every journal entry up to entries to the leaf that names it,
	// reading the leaves below size.
	EntryLeaves(ctx context.Context, size int64) (map[int64]int64, error)
	// LeafData is leaf i's data.
	LeafData(ctx context.Context, i int64) ([]byte, error)
	// EachLeaf calls fn with each of the first size leaves, in order: its index, its
	// block's hash and the journal entries it names (what LeafData holds, without the
	// entries' hashes). entries is reused between calls.
	EachLeaf(ctx context.Context, size int64, fn func(leaf int64, blockHash string, entries []int64) error) error
	// RecordCheckpoint appends a published checkpoint, with its audit record.
	RecordCheckpoint(ctx context.Context, c PublishedCheckpoint, who string) error
	// Checkpoints lists every published checkpoint, oldest first.
	Checkpoints(ctx context.Context) ([]PublishedCheckpoint, error)
	// EntryLeaf is the leaf whose block put journal entry seq; false if none does.
	EntryLeaf(ctx context.Context, seq int64) (int64, bool, error)
	// EachPayment calls fn with every receipt, in receipt order.
	EachPayment(ctx context.Context, fn func(Payment) error) error
}
