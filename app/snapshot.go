package app

import (
	"context"
	"strconv"
	"strings"
	"time"
)

// A snapshot is one zip file holding the community's books in open formats (CSV, JSON,
// PDF), a manifest of every file's SHA-256, and a minisign signature beside it made with
// the committee's key. This file holds its rules as pure functions: the manifest and
// its checks, the signed comment, and the re-walk of the exported journal. Reading and
// writing the zip is in reports.

// SnapshotFormat names the layout of a snapshot; it is written into the manifest.
const SnapshotFormat = "sunledger-snapshot-v1"

// ManifestName is the manifest's name inside the zip; it lists every other file.
const ManifestName = "manifest.json"

// ManifestFile is one file of a snapshot as the manifest lists it.
type ManifestFile struct {
	Name   string `json:"name"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"` // lowercase hex
}

// Manifest describes a snapshot: whose books, when, the journal's head hash and entry
// count, and every file with its size and SHA-256.
type Manifest struct {
	Format    string    `json:"format"`
	Community string    `json:"community"`
	Created   time.Time `json:"created"`
	Head      string    `json:"head"`    // hash of the newest entry, "" for an empty journal
	Entries   int64     `json:"entries"` // number of journal entries
	// The record log's checkpoint the snapshot carries (file "checkpoint"): its origin,
	// tree size and base64 root; empty in snapshots made before the Merkle tree.
	Origin   string         `json:"origin,omitempty"`
	TreeSize int64          `json:"tree_size,omitempty"`
	TreeRoot string         `json:"tree_root,omitempty"`
	Files    []ManifestFile `json:"files"`
	// Checkpoint is the signed checkpoint as written, for the book's record; not in
	// the JSON (the file "checkpoint" holds it).
	Checkpoint []byte `json:"-"`
}

// SnapshotComment is the minisign trusted comment of a snapshot's signature: it names the
// community, the head hash, the entry count and the time, all covered by the signature.
// It is one line: line breaks in the community name become spaces.
func SnapshotComment(m Manifest) string {
	name := strings.Join(strings.Fields(m.Community), " ")
	return "sunledger snapshot community:" + name + " head:" + m.Head +
		" entries:" + strconv.FormatInt(m.Entries, 10) + " time:" + strconv.FormatInt(m.Created.Unix(), 10)
}

// SnapshotClaim is what a signature's trusted comment says about the snapshot.
type SnapshotClaim struct {
	Community string
	Head      string
	Entries   int64
	Time      int64
}

// ParseSnapshotComment reads a trusted comment written by SnapshotComment. The
// community name may hold spaces, so the fixed fields are taken from the end.
func ParseSnapshotComment(s string) (SnapshotClaim, error) {
	bad := Errorf(EINVALID, "签名的可信注释不是阳光账本快照的格式：%q", "the signature's trusted comment is not a Sunledger snapshot comment: %q", s)
	rest, ok := strings.CutPrefix(s, "sunledger snapshot community:")
	if !ok {
		return SnapshotClaim{}, bad
	}
	i := strings.LastIndex(rest, " head:")
	if i < 0 {
		return SnapshotClaim{}, bad
	}
	c := SnapshotClaim{Community: rest[:i]}
	f := strings.Fields(rest[i+1:])
	if len(f) != 3 || !strings.HasPrefix(f[0], "head:") || !strings.HasPrefix(f[1], "entries:") || !strings.HasPrefix(f[2], "time:") {
		return SnapshotClaim{}, bad
	}
	c.Head = strings.TrimPrefix(f[0], "head:")
	var err1, err2 error
	c.Entries, err1 = strconv.ParseInt(strings.TrimPrefix(f[1], "entries:"), 10, 64)
	c.Time, err2 = strconv.ParseInt(strings.TrimPrefix(f[2], "time:"), 10, 64)
	if err1 != nil || err2 != nil || c.Entries < 0 {
		return SnapshotClaim{}, bad
	}
	return c, nil
}

// CheckClaim compares the signed comment with the manifest: both must name the same
// community, head and number of entries.
func (m Manifest) CheckClaim(c SnapshotClaim) error {
	if c.Community != strings.Join(strings.Fields(m.Community), " ") {
		return Errorf(EINVALID, "签名注明的小区“%s”与清单中的“%s”不符", "the signature names the community %q but the manifest %q", c.Community, m.Community)
	}
	if c.Head != m.Head || c.Entries != m.Entries {
		return Errorf(EINVALID, "签名注明的链头 %s（%d 张凭证）与清单中的 %s（%d 张）不符", "the signature names head %s (%d entries) but the manifest %s (%d entries)",
			c.Head, c.Entries, m.Head, m.Entries)
	}
	return nil
}

// CheckFiles compares the files found in a snapshot (besides the manifest) with the
// manifest: the error names the first file missing, extra, duplicated or changed.
func (m Manifest) CheckFiles(found []ManifestFile) error {
	if m.Format != SnapshotFormat {
		return Errorf(EINVALID, "清单格式 %q 无法识别（应为 %s）", "unknown manifest format %q (want %s)", m.Format, SnapshotFormat)
	}
	want := make(map[string]ManifestFile, len(m.Files))
	for _, f := range m.Files {
		if _, dup := want[f.Name]; dup || f.Name == ManifestName {
			return Errorf(EINVALID, "清单重复列出了文件 %s", "the manifest lists the file %s twice", f.Name)
		}
		want[f.Name] = f
	}
	seen := make(map[string]bool, len(found))
	for _, f := range found {
		w, ok := want[f.Name]
		switch {
		case seen[f.Name]:
			return Errorf(EINVALID, "快照中文件 %s 出现了两次", "the snapshot holds the file %s twice", f.Name)
		case !ok:
			return Errorf(EINVALID, "快照中有清单未列出的文件 %s", "the snapshot holds a file the manifest does not list: %s", f.Name)
		case w.Size != f.Size || !strings.EqualFold(w.SHA256, f.SHA256):
			return Errorf(EINVALID, "快照中的文件 %s 与清单不符（内容被改动过）", "the file %s does not match the manifest (it was altered)", f.Name)
		}
		seen[f.Name] = true
	}
	for _, f := range m.Files {
		if !seen[f.Name] {
			return Errorf(EINVALID, "快照中缺少清单列出的文件 %s", "the snapshot lacks the file %s that the manifest lists", f.Name)
		}
	}
	return nil
}

// CheckChain compares the head and count of a re-walked journal with the manifest.
func (m Manifest) CheckChain(c *ChainCheck) error {
	if c.Head != m.Head || c.Seq != m.Entries {
		return Errorf(EINVALID, "由快照中的凭证重算的链头为 %s（%d 张凭证），清单记载的是 %s（%d 张）",
			"the snapshot's journal chain ends at %s (%d entries) but the manifest says %s (%d entries)", c.Head, c.Seq, m.Head, m.Entries)
	}
	return nil
}

// VerifyEntries re-walks a whole exported journal, oldest first, and returns the walk
// (head, count, balances); the error names the first bad entry.
func VerifyEntries(entries []Entry) (*ChainCheck, error) {
	c := NewChainCheck()
	for _, e := range entries {
		if err := c.Check(e); err != nil {
			return c, err
		}
	}
	return c, nil
}

// PublishedHead is a head hash that left the laptop: printed on a notice PDF or named by
// a signed snapshot. The book keeps every one (append-only, audited), and each snapshot
// lists all those published before it, so that anyone holding an old notice or snapshot
// can check that the history they saw is still the start of the history shown now, the
// way a transparency log works: a rewritten past changes the hash at that position.
type PublishedHead struct {
	Seq  int64  `json:"seq"`  // the journal entry the head is (its number)
	Hash string `json:"hash"` // that entry's hash
	What string `json:"what"` // what carried it: "snapshot FILE.zip", "report quarterly FILE.pdf"
	// URL is where the snapshot was published (snapshot publish), "" for a head that
	// left on paper or in a file.
	URL string    `json:"url,omitempty"`
	At  time.Time `json:"at"` // when it was published
}

// SnapshotAddress is the address of the newest published snapshot: the URL of the
// last head recorded with one, "" if no snapshot was published. Notices print it as a QR code.
func SnapshotAddress(heads []PublishedHead) string {
	for i := len(heads) - 1; i >= 0; i-- {
		if heads[i].URL != "" {
			return heads[i].URL
		}
	}
	return ""
}

// PublishedName is the file of a snapshot listing the heads published before it.
const PublishedName = "published.json"

// PublicationService keeps the record of published heads.
type PublicationService interface {
	// RecordPublished appends h to the record, with an audit record. An empty journal
	// (Seq 0) has no head to publish and is not recorded. EINVALID for a bad hash.
	RecordPublished(ctx context.Context, h PublishedHead, who string) error
	// Published lists every recorded head, oldest first.
	Published(ctx context.Context) ([]PublishedHead, error)
}

// CheckPublished checks that a journal extends every published head: the entry at each
// head's position still hashes to the published hash. hashAt returns the hash of the
// entry numbered seq, false if the journal is shorter. The error names the first
// published head that the journal no longer holds: the history was rewritten after it.
func CheckPublished(heads []PublishedHead, hashAt func(seq int64) (string, bool)) error {
	for _, h := range heads {
		if h.Seq <= 0 {
			continue
		}
		got, ok := hashAt(h.Seq)
		when := h.At.Local().Format("2006-01-02 15:04")
		if !ok {
			return Errorf(EINVALID, "%s 发布的链头 #%d %s（%s）不在本快照的账本中：账本只有更少的凭证，历史被截短或改写过",
				"the head published %s as #%d %s (%s) is not in this snapshot's journal: it holds fewer entries, the history was cut or rewritten",
				when, h.Seq, h.Hash, h.What)
		}
		if got != h.Hash {
			return Errorf(EINVALID, "%s 发布的链头 #%d %s（%s）与本快照不符：该位置的凭证哈希现在是 %s，此后的历史被改写过",
				"the head published %s as #%d %s (%s) is broken: the entry at that position now hashes to %s, the history was rewritten",
				when, h.Seq, h.Hash, h.What, got)
		}
	}
	return nil
}
