// Package tlogtest builds, for tests, what a snapshot carries of the record log
// (docs/witness.md): a Merkle log of leaves (golang.org/x/mod/sumdb/tlog, RFC 6962
// hashing), its checkpoint signed as a C2SP signed note by a committee's minisign key,
// proofs.json with consistency proofs from earlier sizes, and receipts.json rows with
// inclusion proofs. It is the fixture the witness, collect, verify and viewer tests share.
package tlogtest

import (
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"

	"aead.dev/minisign"
	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// Log is an in-memory Merkle log.
type Log struct {
	Leaves [][]byte
	hashes []tlog.Hash // stored hashes, tlog's layout
}

// Append adds leaves to the log.
func (l *Log) Append(leaves ...[]byte) {
	for _, d := range leaves {
		hs, err := tlog.StoredHashes(int64(len(l.Leaves)), d, l.reader())
		if err != nil {
			panic(err)
		}
		l.hashes = append(l.hashes, hs...)
		l.Leaves = append(l.Leaves, d)
	}
}

// AppendN adds n leaves "leaf <i>" (i counting from the log's size).
func (l *Log) AppendN(n int) {
	for i := 0; i < n; i++ {
		l.Append([]byte(fmt.Sprintf("leaf %d\n", len(l.Leaves))))
	}
}

// Size is the number of leaves.
func (l *Log) Size() int64 { return int64(len(l.Leaves)) }

func (l *Log) reader() tlog.HashReader {
	return tlog.HashReaderFunc(func(idx []int64) ([]tlog.Hash, error) {
		out := make([]tlog.Hash, len(idx))
		for i, x := range idx {
			out[i] = l.hashes[x]
		}
		return out, nil
	})
}

// Root is the tree hash of the first n leaves.
func (l *Log) Root(n int64) tlog.Hash {
	h, err := tlog.TreeHash(n, l.reader())
	if err != nil {
		panic(err)
	}
	return h
}

// Consistency is the proof that the tree of size n extends the tree of size m.
func (l *Log) Consistency(n, m int64) []tlog.Hash {
	p, err := tlog.ProveTree(n, m, l.reader())
	if err != nil {
		panic(err)
	}
	return p
}

// Inclusion is the proof that leaf i is in the tree of size n.
func (l *Log) Inclusion(n, i int64) []tlog.Hash {
	p, err := tlog.ProveRecord(n, i, l.reader())
	if err != nil {
		panic(err)
	}
	return p
}

// Ed25519Private is the Ed25519 key inside a minisign private key.
func Ed25519Private(k minisign.PrivateKey) ed25519.PrivateKey {
	text, err := k.MarshalText()
	if err != nil {
		panic(err)
	}
	lines := strings.Split(strings.TrimSpace(string(text)), "\n")
	b, err := base64.StdEncoding.DecodeString(lines[len(lines)-1])
	if err != nil || len(b) < 62+64 {
		panic("tlogtest: not an unencrypted minisign key")
	}
	return ed25519.PrivateKey(append([]byte{}, b[62:62+64]...))
}

// Checkpoint is the C2SP checkpoint of the first n leaves under origin, signed as a note
// by key (an Ed25519 note key named origin).
func (l *Log) Checkpoint(origin string, n int64, key minisign.PrivateKey) []byte {
	return SignCheckpoint(origin, n, l.Root(n), key)
}

// SignCheckpoint signs the checkpoint text of (origin, n, root) with key.
func SignCheckpoint(origin string, n int64, root tlog.Hash, key minisign.PrivateKey) []byte {
	priv := Ed25519Private(key)
	vkey, err := note.NewEd25519VerifierKey(origin, priv.Public().(ed25519.PublicKey))
	if err != nil {
		panic(err)
	}
	// note.NewSigner reads "PRIVATE+KEY+name+hash+base64(1||seed)"; the hash is the vkey's.
	parts := strings.SplitN(vkey, "+", 3)
	skey := "PRIVATE+KEY+" + origin + "+" + parts[1] + "+" + base64.StdEncoding.EncodeToString(append([]byte{1}, priv.Seed()...))
	s, err := note.NewSigner(skey)
	if err != nil {
		panic(err)
	}
	text := fmt.Sprintf("%s\n%d\n%s\n", origin, n, base64.StdEncoding.EncodeToString(root[:]))
	msg, err := note.Sign(&note.Note{Text: text}, s)
	if err != nil {
		panic(err)
	}
	return msg
}

// B64 is hashes in base64.
func B64(hs []tlog.Hash) []string {
	out := make([]string, len(hs))
	for i, h := range hs {
		out[i] = base64.StdEncoding.EncodeToString(h[:])
	}
	return out
}

// ProofsJSON is proofs.json for the tree of size n with a consistency proof from each
// earlier size.
func (l *Log) ProofsJSON(n int64, earlier ...int64) []byte {
	type tree struct {
		Size  int64    `json:"size"`
		Root  string   `json:"root"`
		Proof []string `json:"proof,omitempty"`
	}
	r := l.Root(n)
	p := struct {
		Checkpoint  tree   `json:"checkpoint"`
		Consistency []tree `json:"consistency"`
	}{Checkpoint: tree{Size: n, Root: base64.StdEncoding.EncodeToString(r[:])}, Consistency: []tree{}}
	for _, m := range earlier {
		rm := l.Root(m)
		p.Consistency = append(p.Consistency, tree{Size: m, Root: base64.StdEncoding.EncodeToString(rm[:]), Proof: B64(l.Consistency(n, m))})
	}
	b, err := json.MarshalIndent(p, "", "  ")
	if err != nil {
		panic(err)
	}
	return append(b, '\n')
}

// Receipt is one row of receipts.json.
type Receipt struct {
	Receipt  string   `json:"receipt"`
	Unit     string   `json:"unit"`
	Amount   string   `json:"amount"`
	Date     string   `json:"date"`
	Entry    int64    `json:"entry"`
	Leaf     int64    `json:"leaf"`
	LeafData string   `json:"leaf_data"`
	Proof    []string `json:"proof"`
}

// ReceiptRow is the receipts.json row of leaf i in the tree of size n.
func (l *Log) ReceiptRow(n, i int64, receipt, unit, amount, date string, entry int64) Receipt {
	return Receipt{Receipt: receipt, Unit: unit, Amount: amount, Date: date, Entry: entry, Leaf: i,
		LeafData: base64.StdEncoding.EncodeToString(l.Leaves[i]), Proof: B64(l.Inclusion(n, i))}
}

// LeafData is a transaction's leaf: "sunledger-leaf-v1\nblock <seq> <hex>\nentry <seq> <hash>\n...".
func LeafData(block int64, blockHex string, entries map[int64]string, order ...int64) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "sunledger-leaf-v1\nblock %d %s\n", block, blockHex)
	for _, seq := range order {
		fmt.Fprintf(&b, "entry %d %s\n", seq, entries[seq])
	}
	return []byte(b.String())
}

// TamperProof flips one bit of the first hash of the first consistency proof in a
// proofs.json.
func TamperProof(proofsJSON []byte) []byte {
	var p map[string]any
	if err := json.Unmarshal(proofsJSON, &p); err != nil {
		panic(err)
	}
	c := p["consistency"].([]any)[0].(map[string]any)
	proof := c["proof"].([]any)
	h, _ := base64.StdEncoding.DecodeString(proof[0].(string))
	h[0] ^= 1
	proof[0] = base64.StdEncoding.EncodeToString(h)
	b, _ := json.MarshalIndent(p, "", "  ")
	return b
}
