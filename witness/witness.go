package witness

// witness.go keeps a witness's folder and cosigns. Layout (docs/witness.md):
//
//	DIR/witness.key          PRIVATE+KEY+<name>+<hash>+<base64(0x04 || Ed25519 seed)>, 0600
//	DIR/witness.vkey         <name>+<hash>+<base64(0x04 || public key)>: what others check with
//	DIR/logs/<origin>        the last checkpoint cosigned for origin (url.PathEscape'd), as it came
//	DIR/keys/<key id>        the origin whose checkpoints this committee key (minisign id) signed
//
// Every file is written whole (internal/atomicfile); a refusal writes nothing.

import (
	"bytes"
	"crypto"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"aead.dev/minisign"
	"filippo.io/torchwood"
	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"

	"sunledger/app"
	"sunledger/internal/atomicfile"
)

// File names in a witness's folder.
const (
	KeyName  = "witness.key"
	VKeyName = "witness.vkey"
	LogsDir  = "logs"
	KeysDir  = "keys"
)

// Verdicts of a cosign: the first three cosign, the rest refuse.
const (
	First        = "first"         // no checkpoint held for the origin: recorded
	Extends      = "extends"       // a valid consistency proof from the one held
	Same         = "same"          // the checkpoint held, cosigned again
	Fork         = "fork"          // another root for a size held, or no proof from it
	Rollback     = "rollback"      // a smaller tree than the one held
	BadProof     = "bad-proof"     // proofs.json does not hold
	BadSignature = "bad-signature" // the snapshot or its checkpoint is not the committee's
)

// Witness is one witness's folder, opened. It is safe for concurrent use by one process
// (snapshot collect cosigns many communities at once); two processes should not share
// a folder at the same moment.
type Witness struct {
	dir     string
	signer  *torchwood.CosignatureSigner
	unsaved string // a new witness's secret key, until its first cosignature
	mu      sync.Mutex
}

// Result is what a cosign found. Verdict is set on refusal too.
type Result struct {
	Verdict     string
	Origin      string
	Size        int64
	Root        string // base64
	HeldSize    int64  // the size held before, -1 when none
	Cosignature []byte // the cosignature line(s), on success
}

// Open opens the witness folder dir. On first use the witness's key (named name, or
// "sunledger-witness/<host name>" when name is "") is made in memory and saved with the
// first checkpoint cosigned, so that a refusal leaves no trace even in a new folder.
func Open(dir, name string) (*Witness, error) {
	kp := filepath.Join(dir, KeyName)
	b, err := os.ReadFile(kp)
	if errors.Is(err, os.ErrNotExist) {
		if name == "" {
			name = DefaultName()
		}
		return newWitness(dir, name)
	}
	if err != nil {
		return nil, app.Errorf(app.EINVALID, "无法读取见证人私钥 %s：%v", "cannot read the witness key %s: %v", kp, err)
	}
	s, err := parseSignerKey(strings.TrimSpace(string(b)))
	if err != nil {
		return nil, app.Errorf(app.EINVALID, "%s 不是见证人私钥：%v", "%s is not a witness key: %v", kp, err)
	}
	return &Witness{dir: dir, signer: s}, nil
}

// DefaultName is "sunledger-witness/<host name>", the host name reduced to what a note
// key name may hold.
func DefaultName() string {
	h, _ := os.Hostname()
	h = strings.Map(func(r rune) rune {
		if r > ' ' && r < 0x7f && r != '+' {
			return r
		}
		return '-'
	}, h)
	if h == "" {
		h = "localhost"
	}
	return "sunledger-witness/" + h
}

// Name is the witness's key name.
func (w *Witness) Name() string { return w.signer.Name() }

// VerifierKey is the witness's public key as a C2SP vkey: name+hash+base64(0x04||key).
func (w *Witness) VerifierKey() string { return w.signer.Verifier().String() }

func newWitness(dir, name string) (*Witness, error) {
	if !validName(name) {
		return nil, app.Errorf(app.EINVALID, "见证人名称 %q 不能含空白或 +", "the witness name %q may not hold spaces or +", name)
	}
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, app.Internal(err)
	}
	s, err := torchwood.NewCosignatureSigner(name, priv)
	if err != nil {
		return nil, app.Internal(err)
	}
	skey := fmt.Sprintf("PRIVATE+KEY+%s+%08x+%s\n", name, s.KeyHash(), base64.StdEncoding.EncodeToString(append([]byte{algCosignature}, priv.Seed()...)))
	return &Witness{dir: dir, signer: s, unsaved: skey}, nil
}

// save writes a new witness's folder and key, once.
func (w *Witness) save() error {
	err := os.MkdirAll(filepath.Join(w.dir, LogsDir), 0o755)
	if err == nil {
		err = os.MkdirAll(filepath.Join(w.dir, KeysDir), 0o755)
	}
	if err != nil {
		return app.Errorf(app.EINVALID, "无法建立见证文件夹 %s：%v", "cannot create the witness folder %s: %v", w.dir, err)
	}
	if w.unsaved == "" {
		return nil
	}
	// the public key first: a key without its vkey beside it is never left behind
	if err := atomicfile.Write(filepath.Join(w.dir, VKeyName), func(wr io.Writer) error {
		_, err := io.WriteString(wr, w.VerifierKey()+"\n")
		return err
	}); err != nil {
		return err
	}
	kp := filepath.Join(w.dir, KeyName)
	if err := atomicfile.Write(kp, func(wr io.Writer) error {
		_, err := io.WriteString(wr, w.unsaved)
		return err
	}); err != nil {
		return err
	}
	if err := os.Chmod(kp, 0o600); err != nil {
		return app.Internal(err)
	}
	w.unsaved = ""
	return nil
}

const algCosignature = 4

func validName(name string) bool {
	return name != "" && !strings.ContainsAny(name, "+ \t\r\n") && strings.IndexFunc(name, func(r rune) bool { return r < ' ' || r == 0x7f }) < 0
}

// parseSignerKey reads "PRIVATE+KEY+name+hash+base64(0x04||seed)".
func parseSignerKey(skey string) (*torchwood.CosignatureSigner, error) {
	parts := strings.SplitN(skey, "+", 5)
	if len(parts) != 5 || parts[0] != "PRIVATE" || parts[1] != "KEY" {
		return nil, errors.New("not PRIVATE+KEY+NAME+HASH+KEY")
	}
	key, err := base64.StdEncoding.DecodeString(parts[4])
	if err != nil || len(key) != 1+ed25519.SeedSize || key[0] != algCosignature {
		return nil, errors.New("not a cosignature/v1 Ed25519 key")
	}
	s, err := torchwood.NewCosignatureSigner(parts[2], ed25519.NewKeyFromSeed(key[1:]))
	if err != nil {
		return nil, err
	}
	if fmt.Sprintf("%08x", s.KeyHash()) != parts[3] {
		return nil, errors.New("the key hash does not match")
	}
	return s, nil
}

// keyPath is where the origin of a committee key's checkpoints is kept.
func (w *Witness) keyPath(pub minisign.PublicKey) string {
	return filepath.Join(w.dir, KeysDir, keyID(pub))
}

// OriginOf is the origin whose checkpoints the committee key pub signed, as far as
// this witness has seen.
func (w *Witness) OriginOf(pub minisign.PublicKey) (string, bool) {
	b, err := os.ReadFile(w.keyPath(pub))
	if err != nil {
		return "", false
	}
	return strings.TrimSpace(string(b)), true
}

// HeldCheckpoint is one origin a witness holds a checkpoint of.
type HeldCheckpoint struct {
	Origin string `json:"origin"`
	Size   int64  `json:"size"`
	Root   string `json:"root"`
	Key    string `json:"committee_key,omitempty"` // the minisign key id that signed it, when known
}

// List is every checkpoint the witness holds, by origin.
func (w *Witness) List() ([]HeldCheckpoint, error) {
	keys := map[string]string{}
	kes, _ := os.ReadDir(filepath.Join(w.dir, KeysDir))
	for _, e := range kes {
		if b, err := os.ReadFile(filepath.Join(w.dir, KeysDir, e.Name())); err == nil {
			keys[strings.TrimSpace(string(b))] = e.Name()
		}
	}
	es, err := os.ReadDir(filepath.Join(w.dir, LogsDir))
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, app.Errorf(app.EINVALID, "无法读取见证文件夹 %s：%v", "cannot read the witness folder %s: %v", w.dir, err)
	}
	out := []HeldCheckpoint{}
	for _, e := range es {
		origin, err := url.PathUnescape(e.Name())
		if err != nil || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		c, ok, err := w.Held(origin)
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, HeldCheckpoint{Origin: origin, Size: c.N, Root: base64.StdEncoding.EncodeToString(c.Hash[:]), Key: keys[origin]})
		}
	}
	return out, nil
}

// logPath is where the checkpoint held for origin is kept.
func (w *Witness) logPath(origin string) string {
	return filepath.Join(w.dir, LogsDir, url.PathEscape(origin))
}

// Held is the checkpoint held for origin, if any (its committee signature is not
// checked again).
func (w *Witness) Held(origin string) (torchwood.Checkpoint, bool, error) {
	b, err := os.ReadFile(w.logPath(origin))
	if errors.Is(err, os.ErrNotExist) {
		return torchwood.Checkpoint{}, false, nil
	}
	if err != nil {
		return torchwood.Checkpoint{}, false, app.Errorf(app.EINVALID, "无法读取见证记录 %s：%v", "cannot read the witness record %s: %v", w.logPath(origin), err)
	}
	text, _, ok := bytes.Cut(b, []byte("\n\n"))
	var c torchwood.Checkpoint
	if ok {
		c, err = torchwood.ParseCheckpoint(string(text) + "\n")
	}
	if !ok || err != nil || c.Origin != origin {
		return torchwood.Checkpoint{}, false, app.Errorf(app.EINVALID, "见证记录 %s 已损坏", "the witness record %s is damaged", w.logPath(origin))
	}
	return c, true, nil
}

// Cosign checks the signed checkpoint against the committee key pub and proofs.json
// against the checkpoint held for its origin; on success it records the checkpoint and
// returns the cosignature. A refusal records nothing; its error is one line naming the
// fork, the rollback or the bad proof, and Result.Verdict says which.
func (w *Witness) Cosign(signed, proofsJSON []byte, pub minisign.PublicKey) (Result, error) {
	res := Result{HeldSize: -1}
	c, err := OpenCheckpoint(signed, pub)
	if err != nil {
		res.Verdict = BadProof
		if app.ErrorCode(err) == app.EUNAUTHORIZED {
			res.Verdict = BadSignature
		}
		return res, err
	}
	res.Origin, res.Size, res.Root = c.Origin, c.N, c.Root()
	p, err := ParseProofs(proofsJSON)
	if err != nil {
		res.Verdict = BadProof
		return res, err
	}
	if p.Checkpoint.Size != c.N || p.Checkpoint.Root != c.Root() {
		res.Verdict = BadProof
		return res, app.Errorf(app.EINVALID, "%s 说的是另一个检查点（大小 %d），不是快照里这个（大小 %d）", "%s is about another checkpoint (size %d), not the snapshot's (size %d)", ProofsName, p.Checkpoint.Size, c.N)
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if o, ok := w.OriginOf(pub); ok && o != c.Origin {
		res.Verdict = Fork
		return res, app.Errorf(app.EINVALID, "分叉：这把委员会公钥（%s）此前签的是 %s 的检查点，这一个却来自 %s：另起了一本账，历史从头开始；没有联署，什么也没记录",
			"fork: this committee key (%s) signed checkpoints of %s before, this one is of %s: another book, its history started afresh; nothing cosigned or recorded", keyID(pub), o, c.Origin)
	}
	held, ok, err := w.Held(c.Origin)
	if err != nil {
		return res, err
	}
	if ok {
		res.HeldSize = held.N
		raw, _ := os.ReadFile(w.logPath(c.Origin))
		if _, err := OpenCheckpoint(raw, pub); err != nil {
			res.Verdict = BadSignature
			return res, app.Errorf(app.EUNAUTHORIZED, "密钥不同：见证人记录的 %s 的检查点不是这把委员会公钥（%s）签的；换了密钥，或另一本账用了同一个来源。没有联署，什么也没记录（确认是正式换钥后，移走 %s 再联署）",
				"another key: the checkpoint of %s the witness holds was not signed by this committee key (%s): a changed key, or another book under the same origin; nothing cosigned or recorded (once a key change is confirmed, move %s away and cosign again)", c.Origin, keyID(pub), w.logPath(c.Origin))
		}
		res.Verdict, err = extends(held, c.Checkpoint, p)
		if err != nil {
			return res, err
		}
	} else {
		res.Verdict = First
	}
	if err := w.save(); err != nil {
		return res, err
	}
	if res.Verdict != Same {
		if err := atomicfile.Write(w.logPath(c.Origin), func(wr io.Writer) error { _, err := wr.Write(signed); return err }); err != nil {
			return res, err
		}
	}
	if _, ok := w.OriginOf(pub); !ok {
		if err := atomicfile.Write(w.keyPath(pub), func(wr io.Writer) error { _, err := io.WriteString(wr, c.Origin+"\n"); return err }); err != nil {
			return res, err
		}
	}
	msg, err := note.Sign(&note.Note{Text: c.String()}, w.signer)
	if err != nil {
		return res, app.Internal(err)
	}
	_, res.Cosignature, _ = bytes.Cut(msg, []byte("\n\n"))
	return res, nil
}

// extends says whether the checkpoint c extends held with the proofs p.
func extends(held, c torchwood.Checkpoint, p Proofs) (string, error) {
	hroot := base64.StdEncoding.EncodeToString(held.Hash[:])
	switch {
	case c.N < held.N:
		return Rollback, app.Errorf(app.EINVALID, "回滚：%s 的检查点只有 %d 条记录，见证人已见过 %d 条（根 %s）；没有联署，什么也没记录",
			"rollback: %s's checkpoint has %d records, the witness has seen %d (root %s); nothing cosigned or recorded", c.Origin, c.N, held.N, short(hroot))
	case c.N == held.N && c.Hash == held.Hash:
		return Same, nil
	case c.N == held.N:
		return Fork, app.Errorf(app.EINVALID, "分叉：%s 发布了两棵大小同为 %d 的不同的树（根 %s 和见证人已见过的 %s）；没有联署，什么也没记录",
			"fork: %s published two different trees of size %d (root %s and %s, which the witness saw); nothing cosigned or recorded", c.Origin, c.N, short(c.Hash), short(hroot))
	case held.N == 0:
		return Extends, nil // every tree extends the empty one
	}
	for _, cp := range p.Consistency {
		if cp.Size != held.N {
			continue
		}
		if cp.Root != hroot {
			return Fork, app.Errorf(app.EINVALID, "分叉：%s 说它此前大小 %d 时的根是 %s，见证人见过的是 %s；没有联署，什么也没记录",
				"fork: %s says its tree of size %d had root %s, the witness saw %s; nothing cosigned or recorded", c.Origin, held.N, short(cp.Root), short(hroot))
		}
		proof, _ := parseHashes(cp.Proof)
		if err := tlog.CheckTree(tlog.TreeProof(proof), c.N, c.Hash, held.N, held.Hash); err != nil {
			return BadProof, app.Errorf(app.EINVALID, "一致性证明无效：%s 大小 %d 的树不能证明延续了见证人见过的大小 %d 的树（证明被改过，或历史被改写）；没有联署，什么也没记录",
				"bad consistency proof: %s's tree of size %d is not proven to extend the tree of size %d the witness saw (the proof was altered, or history rewritten); nothing cosigned or recorded", c.Origin, c.N, held.N)
		}
		return Extends, nil
	}
	return Fork, app.Errorf(app.EINVALID, "分叉：%s 的快照没有从见证人见过的大小 %d（根 %s）到 %d 的一致性证明，不能说明它延续了那段历史；没有联署，什么也没记录",
		"fork: %s's snapshot has no consistency proof from the size %d the witness saw (root %s) to %d, so it does not show it extends that history; nothing cosigned or recorded", c.Origin, held.N, short(hroot), c.N)
}

// short is the first 16 characters of a root (base64 string or hash), as notices print.
func short(r any) string {
	var s string
	switch v := r.(type) {
	case tlog.Hash:
		s = base64.StdEncoding.EncodeToString(v[:])
	case string:
		s = v
	}
	if len(s) > 16 {
		return s[:16] + "…"
	}
	return s
}

// pubOnly is an Ed25519 public key posing as a crypto.Signer, so that torchwood builds
// the cosignature verifier of a witness whose private key we do not hold.
type pubOnly ed25519.PublicKey

func (p pubOnly) Public() crypto.PublicKey { return ed25519.PublicKey(p) }
func (p pubOnly) Sign(io.Reader, []byte, crypto.SignerOpts) ([]byte, error) {
	return nil, errors.New("witness: a public key cannot sign")
}

// ParseVerifierKey reads a witness's vkey (name+hash+base64(0x04||key)), as witness.vkey
// holds it.
func ParseVerifierKey(vkey string) (note.Verifier, error) {
	vkey = strings.TrimSpace(vkey)
	parts := strings.SplitN(vkey, "+", 3)
	bad := app.Errorf(app.EINVALID, "%q 不是见证人公钥（名称+哈希+密钥）", "%q is not a witness key (name+hash+key)", quote(vkey))
	if len(parts) != 3 {
		return nil, bad
	}
	key, err := base64.StdEncoding.DecodeString(parts[2])
	if err != nil || len(key) != 1+ed25519.PublicKeySize || key[0] != algCosignature {
		return nil, bad
	}
	s, err := torchwood.NewCosignatureSigner(parts[0], pubOnly(key[1:]))
	if err != nil {
		return nil, bad
	}
	if s.Verifier().String() != vkey {
		return nil, bad
	}
	return s.Verifier(), nil
}

// Cosigned is a verified cosignature: who and when (Unix seconds).
type Cosigned struct {
	Name string
	Time int64
}

// CheckCosignatures checks cosignature lines (a FILE.zip.cosig) on the signed checkpoint
// with the witnesses' verifiers; it returns the cosignatures that verify. Lines by
// other keys are ignored; a line by one of the keys that does not verify is an error.
func CheckCosignatures(signed, cosig []byte, committee note.Verifier, witnesses ...note.Verifier) ([]Cosigned, error) {
	msg := append(append([]byte{}, signed...), cosig...)
	n, err := note.Open(msg, note.VerifierList(append([]note.Verifier{committee}, witnesses...)...))
	if err != nil {
		var invalid *note.InvalidSignatureError
		if errors.As(err, &invalid) {
			return nil, app.Errorf(app.EINVALID, "%s 的联署签名无效（检查点或联署被改过）", "the cosignature by %s is not valid (the checkpoint or the cosignature was changed)", invalid.Name)
		}
		return nil, app.Errorf(app.EINVALID, "无法读取联署：%v", "cannot read the cosignatures: %v", err)
	}
	var out []Cosigned
	for _, s := range n.Sigs {
		for _, v := range witnesses {
			if s.Name == v.Name() && s.Hash == v.KeyHash() {
				t, err := torchwood.CosignatureTimestamp(s)
				if err != nil {
					return nil, app.Errorf(app.EINVALID, "%s 的联署格式有误", "the cosignature by %s is malformed", s.Name)
				}
				out = append(out, Cosigned{Name: s.Name, Time: t})
			}
		}
	}
	return out, nil
}

// MergeCosignatures is the text of a FILE.zip.cosig after a witness named name adds its
// cosignature line: the other witnesses' signature lines are kept, this witness's
// earlier line is replaced, anything that is not a signature line is dropped.
func MergeCosignatures(existing, line []byte, name string) []byte {
	var out []byte
	for _, l := range bytes.Split(existing, []byte("\n")) {
		if !bytes.HasPrefix(l, []byte("— ")) || bytes.HasPrefix(l, []byte("— "+name+" ")) || bytes.Count(l, []byte(" ")) != 2 {
			continue
		}
		out = append(append(out, l...), '\n')
	}
	return append(out, line...)
}
