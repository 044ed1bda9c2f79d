package tlogtest

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	"aead.dev/minisign"
	"github.com/shopspring/decimal"

	"sunledger/app"
)

// Journal is a small hash-chained journal of n entries (a receipt of 100.00 each).
func Journal(n int) []app.Entry {
	var es []app.Entry
	prev := ""
	for i := 0; i < n; i++ {
		e := app.Entry{Seq: int64(i + 1), Date: "2026-01-05", Description: "收入", Who: "t", Ref: "R0000000" + string(rune('1'+i%9)),
			Postings: []app.Posting{{Account: app.BankAccount(app.FundService), Amount: decimal.RequireFromString("100.00")},
				{Account: app.OpeningAccount(app.FundService), Amount: decimal.RequireFromString("-100.00")}}}
		e = app.Seal(e, prev)
		prev = e.Hash
		es = append(es, e)
	}
	return es
}

// manifestJSON is the manifest with, when the snapshot has a checkpoint, the origin,
// tree size and root the manifest repeats from it (origin, tree_size, tree_root).
func manifestJSON(m app.Manifest, checkpoint []byte) ([]byte, error) {
	b, err := json.Marshal(m)
	if err != nil || checkpoint == nil {
		return b, err
	}
	var fields map[string]any
	if err := json.Unmarshal(b, &fields); err != nil {
		return nil, err
	}
	lines := strings.SplitN(string(checkpoint), "\n", 4)
	if len(lines) < 4 {
		return nil, fmt.Errorf("tlogtest: a checkpoint of %d lines", len(lines))
	}
	size, err := strconv.ParseInt(lines[1], 10, 64)
	if err != nil {
		return nil, err
	}
	fields["origin"], fields["tree_size"], fields["tree_root"] = lines[0], size, lines[2]
	return json.MarshalIndent(fields, "", "  ")
}

// WriteSnapshot writes a small signed snapshot to path (and path.minisig): the files
// given, a 3-entry journal.json unless files has one, and a manifest listing them all,
// signed with key as snapshot export signs. With a checkpoint, the manifest repeats its
// origin, size and root, and an empty receipts.json and roster.json are added unless given.
func WriteSnapshot(path, community string, key minisign.PrivateKey, created time.Time, files map[string][]byte) error {
	all := map[string][]byte{}
	for n, b := range files {
		all[n] = b
	}
	if all["checkpoint"] != nil { // what a snapshot with a checkpoint also carries
		if all["receipts.json"] == nil {
			all["receipts.json"] = []byte("[]\n")
		}
		if all["roster.json"] == nil {
			all["roster.json"] = []byte(`{"seal": null, "members": [], "changes": []}` + "\n")
		}
	}
	if all["journal.json"] == nil {
		b, _ := json.Marshal(Journal(3))
		all["journal.json"] = b
	}
	var es []app.Entry
	if err := json.Unmarshal(all["journal.json"], &es); err != nil {
		return err
	}
	walk, err := app.VerifyEntries(es)
	if err != nil {
		return err
	}
	m := app.Manifest{Format: app.SnapshotFormat, Community: community, Created: created.UTC().Truncate(time.Second), Head: walk.Head, Entries: walk.Seq}
	var names []string
	for n := range all {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		s := sha256.Sum256(all[n])
		m.Files = append(m.Files, app.ManifestFile{Name: n, Size: int64(len(all[n])), SHA256: hex.EncodeToString(s[:])})
	}
	mj, err := manifestJSON(m, all["checkpoint"])
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, n := range append(names, app.ManifestName) {
		b := all[n]
		if n == app.ManifestName {
			b = mj
		}
		w, err := zw.Create(n)
		if err != nil {
			return err
		}
		w.Write(b)
	}
	if err := zw.Close(); err != nil {
		return err
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		return err
	}
	r := minisign.NewReader(bytes.NewReader(buf.Bytes()))
	io.Copy(io.Discard, r)
	sig := r.SignWithComments(key, app.SnapshotComment(m), "signature from a test key")
	return os.WriteFile(path+".minisig", sig, 0o644)
}

// Snapshot writes a snapshot at path whose checkpoint is the log's at size n under
// origin, with proofs.json holding consistency proofs from the earlier sizes.
func (l *Log) Snapshot(path, origin string, key minisign.PrivateKey, n int64, earlier ...int64) error {
	return WriteSnapshot(path, "测试小区", key, time.Now(), map[string][]byte{
		"checkpoint":  l.Checkpoint(origin, n, key),
		"proofs.json": l.ProofsJSON(n, earlier...),
	})
}
