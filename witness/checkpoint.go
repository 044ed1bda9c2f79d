// Package witness checks and cosigns the checkpoints that snapshots carry
// (docs/witness.md). A checkpoint is a C2SP tlog-checkpoint signed note: the origin
// (sunledger/<book id>), the record log's tree size and root hash, signed by the
// committee's minisign Ed25519 key used as a note key named after the origin. A witness
// keeps, per origin, the last checkpoint it cosigned; it cosigns a new one only when a
// consistency proof shows that the new tree extends it, and refuses a rollback (a smaller
// tree), a fork (another root for a size it holds, or no valid proof from it) or a bad
// proof, recording nothing. The cosignature is a C2SP tlog-cosignature/v1 line made with
// the witness's own Ed25519 key (filippo.io/torchwood).
package witness

import (
	"archive/zip"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"strconv"
	"strings"

	"aead.dev/minisign"
	"filippo.io/torchwood"
	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"

	"sunledger/app"
	"sunledger/snapshot"
)

// Names of the files of a snapshot that carry the record log's checkpoint and proofs.
const (
	CheckpointName = "checkpoint"
	ProofsName     = "proofs.json"
	OriginPrefix   = "sunledger/"
)

// maxNote bounds a checkpoint note, maxProofs proofs.json.
const (
	maxNote   = 64 << 10
	maxProofs = 16 << 20
)

// Checkpoint is a checkpoint whose committee signature has been checked.
type Checkpoint struct {
	torchwood.Checkpoint
	Signed []byte // the signed note as it came, committee signature and any cosignatures
}

// Root is the root hash in base64, as the checkpoint writes it.
func (c Checkpoint) Root() string { return base64.StdEncoding.EncodeToString(c.Hash[:]) }

// OpenCheckpoint parses a signed checkpoint and checks the committee's signature on it
// with pub. The error says in one line what is wrong; a signature that is not the
// committee's is app.EUNAUTHORIZED.
func OpenCheckpoint(signed []byte, pub minisign.PublicKey) (Checkpoint, error) {
	bad := func(why string) error {
		return app.Errorf(app.EINVALID, "检查点（checkpoint）格式有误：%s", "the checkpoint is malformed: %s", why)
	}
	if len(signed) > maxNote {
		return Checkpoint{}, bad("too large")
	}
	origin, _, _ := strings.Cut(string(signed), "\n")
	if !strings.HasPrefix(origin, OriginPrefix) || len(origin) == len(OriginPrefix) {
		return Checkpoint{}, bad("origin " + quote(origin) + " is not sunledger/<book id>")
	}
	v, err := snapshot.CheckpointVerifier(pub, origin)
	if err != nil {
		return Checkpoint{}, bad("origin " + quote(origin) + ": " + err.Error())
	}
	n, err := note.Open(signed, note.VerifierList(v))
	if err != nil {
		var unverified *note.UnverifiedNoteError
		var invalid *note.InvalidSignatureError
		switch {
		case errors.As(err, &unverified):
			return Checkpoint{}, app.Errorf(app.EUNAUTHORIZED, "检查点没有这把委员会公钥（%s）的签名", "the checkpoint is not signed by this committee key (%s)", keyID(pub))
		case errors.As(err, &invalid):
			return Checkpoint{}, app.Errorf(app.EUNAUTHORIZED, "检查点的委员会签名无效：它在签名后被改动过", "the committee's signature on the checkpoint is not valid: it was changed after signing")
		}
		return Checkpoint{}, bad(err.Error())
	}
	c, err := torchwood.ParseCheckpoint(n.Text)
	if err != nil {
		return Checkpoint{}, bad(err.Error())
	}
	if c.String() != n.Text {
		return Checkpoint{}, bad("not in canonical form")
	}
	return Checkpoint{Checkpoint: c, Signed: signed}, nil
}

func keyID(pub minisign.PublicKey) string { return snapshot.KeyID(pub.ID()) }

func quote(s string) string {
	if len(s) > 80 {
		s = s[:80] + "…"
	}
	b, _ := json.Marshal(s)
	return string(b)
}

// Tree is a tree size and root in proofs.json.
type Tree struct {
	Size int64  `json:"size"`
	Root string `json:"root"`
}

// ConsistencyProof is one entry of proofs.json's consistency list: the proof that the
// snapshot's tree extends the earlier tree of Size with Root.
type ConsistencyProof struct {
	Tree
	Proof []string `json:"proof"`
}

// Proofs is proofs.json: the snapshot's checkpoint and a consistency proof from every
// checkpoint the book published before.
type Proofs struct {
	Checkpoint  Tree               `json:"checkpoint"`
	Consistency []ConsistencyProof `json:"consistency"`
}

// ParseProofs reads proofs.json: every size non-negative, every root and proof hash
// 32 bytes of base64.
func ParseProofs(b []byte) (Proofs, error) {
	var p Proofs
	bad := func(why string) (Proofs, error) {
		return Proofs{}, app.Errorf(app.EINVALID, "%s 格式有误：%s", "%s is malformed: %s", ProofsName, why)
	}
	if len(b) > maxProofs {
		return bad("too large")
	}
	if err := json.Unmarshal(b, &p); err != nil {
		return bad(err.Error())
	}
	if _, err := parseHash(p.Checkpoint.Root); err != nil || p.Checkpoint.Size < 0 {
		return bad("checkpoint: size or root")
	}
	for i, c := range p.Consistency {
		if _, err := parseHash(c.Root); err != nil || c.Size < 0 || c.Size > p.Checkpoint.Size {
			return bad("consistency #" + strconv.Itoa(i+1) + ": size or root")
		}
		if _, err := parseHashes(c.Proof); err != nil {
			return bad("consistency #" + strconv.Itoa(i+1) + ": proof")
		}
	}
	return p, nil
}

func parseHash(s string) (tlog.Hash, error) {
	var h tlog.Hash
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return h, err
	}
	if len(b) != tlog.HashSize {
		return h, errors.New("not 32 bytes")
	}
	copy(h[:], b)
	return h, nil
}

func parseHashes(ss []string) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(ss))
	for i, s := range ss {
		h, err := parseHash(s)
		if err != nil {
			return nil, err
		}
		out[i] = h
	}
	return out, nil
}

// ReadSnapshot reads the checkpoint and proofs.json of a snapshot zip. A snapshot made
// before the record log was a Merkle log has neither: ok is false then, with no error.
func ReadSnapshot(zipPath string) (signed, proofs []byte, ok bool, err error) {
	zr, err := zip.OpenReader(zipPath)
	if err != nil {
		return nil, nil, false, app.Errorf(app.EINVALID, "无法打开快照 %s：%v", "cannot open the snapshot %s: %v", zipPath, err)
	}
	defer zr.Close()
	for _, f := range zr.File {
		switch f.Name {
		case CheckpointName, ProofsName:
		default:
			continue
		}
		limit := int64(maxNote)
		if f.Name == ProofsName {
			limit = maxProofs
		}
		rc, err := f.Open()
		if err != nil {
			return nil, nil, false, app.Errorf(app.EINVALID, "快照中的文件 %s 无法读取（已损坏）：%v", "the file %s in the snapshot cannot be read (damaged): %v", f.Name, err)
		}
		b, err := io.ReadAll(io.LimitReader(rc, limit+1))
		rc.Close()
		if err != nil {
			return nil, nil, false, app.Errorf(app.EINVALID, "快照中的文件 %s 无法读取（已损坏）：%v", "the file %s in the snapshot cannot be read (damaged): %v", f.Name, err)
		}
		if f.Name == CheckpointName {
			signed = b
		} else {
			proofs = b
		}
	}
	if signed == nil {
		return nil, nil, false, nil
	}
	if proofs == nil {
		return nil, nil, false, app.Errorf(app.EINVALID, "快照有检查点但没有 %s", "the snapshot has a checkpoint but no %s", ProofsName)
	}
	return signed, proofs, true, nil
}
