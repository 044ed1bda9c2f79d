package snapshot

// checkpoint.go: the snapshot's checkpoint (a C2SP tlog-checkpoint signed note, signed
// with the committee's snapshot key), the consistency proofs from every checkpoint
// published before it (proofs.json), the public roster (roster.json) and the receipts'
// inclusion proofs (receipts.json). Formats: docs/record-log.md.

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"

	"aead.dev/minisign"
	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"

	"sunledger/app"
)

// Names of the files a snapshot holds for its transparency log.
const (
	CheckpointName = "checkpoint"
	ProofsName     = "proofs.json"
	RosterName     = "roster.json"
	ReceiptsName   = "receipts.json"
)

// Ed25519Private is the Ed25519 key inside the committee's minisign secret key.
func Ed25519Private(key minisign.PrivateKey) (ed25519.PrivateKey, error) {
	text, err := key.MarshalText()
	if err != nil {
		return nil, app.Internal(err)
	}
	i := bytes.IndexByte(text, '\n')
	raw, err := base64.StdEncoding.DecodeString(string(bytes.TrimSpace(text[i+1:])))
	if err != nil || len(raw) < 126 {
		return nil, app.Errorf(app.EINVALID, "私钥无法读取", "the secret key cannot be read")
	}
	return ed25519.NewKeyFromSeed(raw[62:94]), nil
}

// Ed25519Public is the Ed25519 key inside a minisign public key.
func Ed25519Public(pub minisign.PublicKey) ed25519.PublicKey {
	raw, _ := base64.StdEncoding.DecodeString(pub.String()) // "Ed" ‖ key id ‖ key
	return ed25519.PublicKey(raw[10:42])
}

// noteKeyHash is the key hash golang.org/x/mod/sumdb/note gives an Ed25519 key.
func noteKeyHash(name string, pub ed25519.PublicKey) uint32 {
	h := sha256.New()
	h.Write([]byte(name + "\n"))
	h.Write(append([]byte{1}, pub...))
	return binary.BigEndian.Uint32(h.Sum(nil))
}

// CheckpointSigner is the signed-note signer of the committee's key under the name
// origin.
func CheckpointSigner(key minisign.PrivateKey, origin string) (note.Signer, error) {
	priv, err := Ed25519Private(key)
	if err != nil {
		return nil, err
	}
	skey := fmt.Sprintf("PRIVATE+KEY+%s+%08x+%s", origin, noteKeyHash(origin, priv.Public().(ed25519.PublicKey)),
		base64.StdEncoding.EncodeToString(append([]byte{1}, priv.Seed()...)))
	s, err := note.NewSigner(skey)
	if err != nil {
		return nil, app.Internal(err)
	}
	return s, nil
}

// CheckpointVerifier is the signed-note verifier of the committee's public key under
// the name origin.
func CheckpointVerifier(pub minisign.PublicKey, origin string) (note.Verifier, error) {
	vkey, err := note.NewEd25519VerifierKey(origin, Ed25519Public(pub))
	if err != nil {
		return nil, app.Internal(err)
	}
	v, err := note.NewVerifier(vkey)
	if err != nil {
		return nil, app.Errorf(app.EINVALID, "检查点的来源名 %q 无效", "the checkpoint's origin %q is not valid", origin)
	}
	return v, nil
}

// Checkpoint is what a checkpoint says: whose log, how many leaves, which root.
type Checkpoint struct {
	Origin string
	Size   int64
	Root   tlog.Hash
}

// CheckpointBody is the C2SP tlog-checkpoint body: origin, size, base64 root.
func CheckpointBody(c Checkpoint) string {
	return c.Origin + "\n" + strconv.FormatInt(c.Size, 10) + "\n" + base64.StdEncoding.EncodeToString(c.Root[:]) + "\n"
}

// SignCheckpoint is the signed note of c, signed with the committee's key.
func SignCheckpoint(key minisign.PrivateKey, c Checkpoint) ([]byte, error) {
	s, err := CheckpointSigner(key, c.Origin)
	if err != nil {
		return nil, err
	}
	b, err := note.Sign(&note.Note{Text: CheckpointBody(c)}, s)
	if err != nil {
		return nil, app.Internal(err)
	}
	return b, nil
}

func badCheckpoint(why string) error {
	return app.Errorf(app.EINVALID, "检查点（checkpoint）格式有误：%s", "the checkpoint is malformed: %s", why)
}

// parseCheckpointBody reads the first three lines of a checkpoint's text (extension
// lines after them are allowed).
func parseCheckpointBody(text string) (Checkpoint, error) {
	lines := strings.SplitN(text, "\n", 4)
	if len(lines) < 4 || lines[0] == "" {
		return Checkpoint{}, badCheckpoint("lines")
	}
	n, err := strconv.ParseInt(lines[1], 10, 64)
	if err != nil || n < 0 || strconv.FormatInt(n, 10) != lines[1] {
		return Checkpoint{}, badCheckpoint("size")
	}
	root, err := base64.StdEncoding.DecodeString(lines[2])
	if err != nil || len(root) != tlog.HashSize {
		return Checkpoint{}, badCheckpoint("root")
	}
	c := Checkpoint{Origin: lines[0], Size: n}
	copy(c.Root[:], root)
	return c, nil
}

// OpenCheckpoint checks a signed checkpoint with the committee's public key (under
// the origin its first line names) and returns what it says.
func OpenCheckpoint(signed []byte, pub minisign.PublicKey) (Checkpoint, error) {
	origin, _, _ := strings.Cut(string(signed), "\n")
	v, err := CheckpointVerifier(pub, origin)
	if err != nil {
		return Checkpoint{}, err
	}
	n, err := note.Open(signed, note.VerifierList(v))
	if err != nil {
		return Checkpoint{}, app.Errorf(app.EINVALID, "检查点的签名无效（不是这把公钥签的，或检查点被改动过）：%v", "the checkpoint's signature is not valid (not this key's, or the checkpoint was altered): %v", err)
	}
	return parseCheckpointBody(n.Text)
}

// TreeRef is a tree named by size and base64 root.
type TreeRef struct {
	Size int64  `json:"size"`
	Root string `json:"root"`
}

// ConsistencyProof proves the snapshot's tree extends an earlier checkpoint's.
type ConsistencyProof struct {
	Size  int64    `json:"size"`
	Root  string   `json:"root"`
	Proof []string `json:"proof"`
}

// Proofs is proofs.json.
type Proofs struct {
	Checkpoint  TreeRef            `json:"checkpoint"`
	Consistency []ConsistencyProof `json:"consistency"`
}

// ReceiptProof is one receipt's line in receipts.json: the receipt (no payer) and its
// entry. The entry is in the log the checkpoint signs by its quarter's range proof
// (periodtree.go). Snapshots made before 2026-12 also gave the leaf that names the
// entry, that leaf's data and its inclusion proof; those are still checked.
type ReceiptProof struct {
	Receipt  string   `json:"receipt"`
	Unit     string   `json:"unit"`
	Amount   string   `json:"amount"`
	Date     string   `json:"date"`
	Entry    int64    `json:"entry"`
	Leaf     int64    `json:"leaf,omitempty"`
	LeafData string   `json:"leaf_data,omitempty"`
	Proof    []string `json:"proof,omitempty"`
}

func hashesB64(hs []tlog.Hash) []string {
	out := make([]string, len(hs))
	for i, h := range hs {
		out[i] = base64.StdEncoding.EncodeToString(h[:])
	}
	return out
}

func hashesOf(ss []string) ([]tlog.Hash, bool) {
	out := make([]tlog.Hash, len(ss))
	for i, s := range ss {
		b, err := base64.StdEncoding.DecodeString(s)
		if err != nil || len(b) != tlog.HashSize {
			return nil, false
		}
		copy(out[i][:], b)
	}
	return out, true
}

func hashOf(s string) (tlog.Hash, bool) {
	hs, ok := hashesOf([]string{s})
	if !ok {
		return tlog.Hash{}, false
	}
	return hs[0], true
}

// receiptMonths is how far back receipts.json reaches: receipts dated in the snapshot's
// month and the three before it (older ones are in the snapshots published then,
// whose checkpoints every later snapshot proves it extends).
const receiptMonths = 3

// receiptsCap bounds receipts.json (about 110 bytes a receipt): receipts are taken
// newest first until the next would pass it; the rest are in earlier snapshots.
var receiptsCap = 4 << 20

// snapLog writes the checkpoint of the record log's tree as it stands, signed with the
// committee's key, proofs.json (consistency with every checkpoint published before,
// each checked before it is written), roster.json and receipts.json.
func snapLog(ctx context.Context, z *snapWriter) error {
	id, err := z.s.Log.BookID(ctx)
	if err != nil {
		return err
	}
	th, err := z.s.Log.TreeHead(ctx)
	if err != nil {
		return err
	}
	c := Checkpoint{Origin: app.BookOrigin(id), Size: th.Size, Root: th.Root}
	signed, err := SignCheckpoint(z.key, c)
	if err != nil {
		return err
	}
	z.manifest.Origin, z.manifest.TreeSize, z.manifest.TreeRoot = c.Origin, c.Size, th.RootBase64()
	z.manifest.Checkpoint = signed
	if err := z.file(CheckpointName, func(w io.Writer) error { _, err := w.Write(signed); return err }); err != nil {
		return err
	}
	olds, err := z.s.Log.Checkpoints(ctx)
	if err != nil {
		return err
	}
	proofs := Proofs{Checkpoint: TreeRef{Size: th.Size, Root: th.RootBase64()}, Consistency: []ConsistencyProof{}}
	for _, o := range olds {
		when := o.At.Local().Format("2006-01-02 15:04")
		oldRoot, ok := hashOf(o.Root)
		if o.Size > th.Size || !ok {
			return app.Errorf(app.EINVALID, "记录链比 %s 发布的检查点（%s，%d 个叶子）还短：账本被回退过，没有写出快照", "the record log is shorter than the checkpoint published %s (%s, %d leaves): the book was rolled back; no snapshot was written", when, o.What, o.Size)
		}
		if o.Size == 0 {
			continue
		}
		p, err := z.s.Log.ProveTree(ctx, o.Size, th.Size)
		if err != nil {
			return err
		}
		if tlog.CheckTree(p, th.Size, th.Root, o.Size, oldRoot) != nil {
			return app.Errorf(app.EINVALID, "记录链与 %s 发布的检查点（%s，%d 个叶子）不一致：历史被改写过，没有写出快照", "the record log does not extend the checkpoint published %s (%s, %d leaves): history was rewritten; no snapshot was written", when, o.What, o.Size)
		}
		proofs.Consistency = append(proofs.Consistency, ConsistencyProof{Size: o.Size, Root: o.Root, Proof: hashesB64(p)})
	}
	if err := z.json(ProofsName, proofs); err != nil {
		return err
	}
	if err := snapRoster(ctx, z); err != nil {
		return err
	}
	return snapReceipts(ctx, z)
}

// snapRoster writes roster.json: the roster without secrets.
func snapRoster(ctx context.Context, z *snapWriter) error {
	members, err := z.s.Members.Members(ctx)
	if err != nil {
		return err
	}
	seal, sealed, err := z.s.Members.RosterSeal(ctx)
	if err != nil {
		return err
	}
	changes, err := z.s.Members.RosterChanges(ctx)
	if err != nil {
		return err
	}
	var sp *app.RosterSeal
	if sealed {
		sp = &seal
	}
	return z.json(RosterName, app.MakePublicRoster(sp, members, changes))
}

// receiptsSince is the first day receipts.json reaches back to from the snapshot's date.
func receiptsSince(created time.Time) string {
	return created.Local().AddDate(0, -receiptMonths, 0).Format("2006-01") + "-01"
}

// snapReceipts writes receipts.json: every receipt of the last receiptMonths months
// whose entry is in the snapshot's journal, naming the entry (its quarter's range proof
// puts the entry in the checkpoint's tree). The receipts are those the journal's walk
// (snapJournal) found named by an entry dated since then, each read on its own.
func snapReceipts(ctx context.Context, z *snapWriter) error {
	since := receiptsSince(z.manifest.Created)
	out := []ReceiptProof{}
	seen := map[string]bool{}
	size := 0
	for i := len(z.recent) - 1; i >= 0; i-- { // newest first
		id := z.recent[i]
		if seen[id] {
			continue
		}
		seen[id] = true
		p, err := z.s.Fees.Payment(ctx, id)
		if app.ErrorCode(err) == app.ENOTFOUND {
			continue // verify names an entry whose receipt the book lacks
		}
		if err != nil {
			return err
		}
		if p.Date < since || p.EntrySeq < 1 || p.EntrySeq > z.manifest.Entries {
			continue
		}
		r := ReceiptProof{Receipt: p.Receipt, Unit: p.Unit, Amount: amt(p.Amount), Date: p.Date, Entry: p.EntrySeq}
		if size += 110 + len(r.Unit); size > receiptsCap {
			break
		}
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Receipt < out[j].Receipt }) // in receipt order
	return z.json(ReceiptsName, out)
}

// checkpointRecord is the book's record of the checkpoint a snapshot published.
func checkpointRecord(m app.Manifest, what string) app.PublishedCheckpoint {
	return app.PublishedCheckpoint{Size: m.TreeSize, Root: m.TreeRoot, Note: string(m.Checkpoint), What: what, At: m.Created}
}
