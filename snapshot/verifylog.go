package snapshot

// verifylog.go checks what a snapshot carries for its transparency log: the signed
// checkpoint, the consistency proofs, the receipts' inclusion proofs and the roster
// (checkpoint.go); and, with --since, that a newer snapshot extends an older one.

import (
	"archive/zip"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"

	"aead.dev/minisign"
	"golang.org/x/mod/sumdb/tlog"

	"sunledger/app"
)

// readLog checks the snapshot's checkpoint with the committee's key and against the
// manifest, every consistency proof in proofs.json, every receipt's inclusion proof in
// receipts.json (its leaf names its entry with the hash the snapshot's journal gives it), and the
// roster's signatures (app.VerifyRoster). A snapshot from before the Merkle tree has
// none of these files and nothing is checked.
func (v *verified) readLog(byName map[string]*zip.File, pub minisign.PublicKey) error {
	cz := byName[CheckpointName]
	if cz == nil {
		if v.manifest.Origin != "" {
			return app.Errorf(app.EINVALID, "清单记有检查点，快照中却没有 checkpoint 文件", "the manifest names a checkpoint but the snapshot has no checkpoint file")
		}
		return nil
	}
	signed, err := readZipFile(cz, 1<<16)
	if err != nil {
		return err
	}
	c, err := OpenCheckpoint(signed, pub)
	if err != nil {
		return err
	}
	if c.Origin != v.manifest.Origin || c.Size != v.manifest.TreeSize || base64.StdEncoding.EncodeToString(c.Root[:]) != v.manifest.TreeRoot {
		return app.Errorf(app.EINVALID, "检查点（%s，%d 个叶子）与清单记载的（%s，%d 个叶子）不符", "the checkpoint (%s, %d leaves) differs from the manifest's (%s, %d leaves)",
			c.Origin, c.Size, v.manifest.Origin, v.manifest.TreeSize)
	}
	v.checkpoint = &c
	if err := readJSONFile(byName[ProofsName], ProofsName, &v.proofs); err != nil {
		return err
	}
	if v.proofs.Checkpoint.Size != c.Size || v.proofs.Checkpoint.Root != base64.StdEncoding.EncodeToString(c.Root[:]) {
		return app.Errorf(app.EINVALID, "%s 所述的树与检查点不符", "%s names another tree than the checkpoint", ProofsName)
	}
	for _, p := range v.proofs.Consistency {
		if err := checkConsistency(c, p); err != nil {
			return err
		}
	}
	var receipts []ReceiptProof
	if err := readJSONFile(byName[ReceiptsName], ReceiptsName, &receipts); err != nil {
		return err
	}
	for _, r := range receipts {
		if err := v.checkReceipt(c, r); err != nil {
			return err
		}
	}
	if err := readJSONFile(byName[RosterName], RosterName, &v.roster); err != nil {
		return err
	}
	return app.VerifyRoster(v.roster.Seal, v.roster.MembersOf(), v.roster.Changes, false)
}

// checkTrees checks every period's range proof (periodtree.go) against the checkpoint.
// A period in CSV comes with its tree file, and needs the checkpoint; the JSON
// periods of the snapshots made before came without.
func (v *verified) checkTrees(byName map[string]*zip.File) error {
	for _, p := range v.periods {
		if p.Tree == "" {
			if strings.HasSuffix(p.File, ".csv") {
				return app.Errorf(app.EINVALID, "%s 没有列出 %s 的范围证明", "%s gives %s no range proof", PeriodsName, p.File)
			}
			continue
		}
		if v.checkpoint == nil {
			return app.Errorf(app.EINVALID, "快照有 %s 却没有检查点", "the snapshot has %s but no checkpoint", p.Tree)
		}
		var t PeriodTree
		if err := readJSONFile(byName[p.Tree], p.Tree, &t); err != nil {
			return err
		}
		if err := checkPeriodTree(p, t, *v.checkpoint, v.hashAt); err != nil {
			return err
		}
	}
	return nil
}

// readJSONFile reads a JSON file of the snapshot that must be there.
func readJSONFile(zf *zip.File, name string, v any) error {
	if zf == nil {
		return app.Errorf(app.EINVALID, "快照有检查点，却没有 %s", "the snapshot has a checkpoint but no %s", name)
	}
	b, err := readZipFile(zf, 256<<20)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return app.Errorf(app.EINVALID, "无法读取 %s：%v", "cannot read %s: %v", name, err)
	}
	return nil
}

// checkConsistency checks one consistency proof of proofs.json against the checkpoint.
func checkConsistency(c Checkpoint, p ConsistencyProof) error {
	root, ok1 := hashOf(p.Root)
	proof, ok2 := hashesOf(p.Proof)
	if !ok1 || !ok2 || p.Size < 1 || p.Size > c.Size || tlog.CheckTree(proof, c.Size, c.Root, p.Size, root) != nil {
		return app.Errorf(app.EINVALID, "历史被改写：从此前的检查点（%d 个叶子）到本检查点（%d 个叶子）的一致性证明不成立",
			"rewritten history: the consistency proof from the earlier checkpoint (%d leaves) to this one (%d leaves) does not hold", p.Size, c.Size)
	}
	return nil
}

// checkReceipt checks one receipt of receipts.json: its entry is in the journal and
// names the receipt, and its quarter's range proof (checkTrees) puts it in the
// checkpoint's tree; or, in a snapshot made before 2026-12, its leaf names its entry
// with the hash the snapshot's journal has, and the leaf is in the checkpoint's tree.
func (v *verified) checkReceipt(c Checkpoint, r ReceiptProof) error {
	bad := func(zh, en string) error {
		return app.Errorf(app.EINVALID, "收据 %s 的包含证明不成立：%s", "the inclusion proof of receipt %s does not hold: %s", r.Receipt, app.T(zh, en))
	}
	if r.LeafData == "" {
		var p *Period
		for i := range v.periods {
			if v.periods[i].First <= r.Entry && r.Entry <= v.periods[i].Last {
				p = &v.periods[i]
			}
		}
		switch {
		case p == nil || p.Tree == "":
			return bad("它的凭证不在有范围证明的季度里", "its entry is in no quarter with a range proof")
		case v.receiptOf[r.Entry] != r.Receipt:
			return bad("它的凭证记的不是这张收据", "its entry does not name this receipt")
		}
		return nil
	}
	data, err := base64.StdEncoding.DecodeString(r.LeafData)
	if err != nil {
		return bad("叶子数据无法读取", "its leaf data cannot be read")
	}
	seq, _, entries, ok := app.ParseLeafData(data)
	if !ok || seq != r.Leaf+1 {
		return bad("叶子数据格式有误", "its leaf data is malformed")
	}
	named := false
	for _, e := range entries {
		if e.Seq == r.Entry {
			h, ok := v.hashAt(e.Seq)
			named = ok && h == e.Hash
		}
	}
	if !named {
		return bad("叶子没有以快照凭证中的哈希记载它的凭证", "its leaf does not name its entry with the hash the snapshot's journal has")
	}
	proof, ok := hashesOf(r.Proof)
	if !ok || r.Leaf < 0 || r.Leaf >= c.Size || tlog.CheckRecord(proof, c.Size, c.Root, r.Leaf, tlog.RecordHash(data)) != nil {
		return bad("证明与检查点的根哈希不符", "the proof does not lead to the checkpoint's root")
	}
	return nil
}

// checkSince checks that the newer snapshot's log extends the older one's, naming in
// one line what it found instead: another origin (another book under the same key), a
// rollback, a fork (a split view), a rewritten history, or a re-keyed roster.
func checkSince(old, v verified) error {
	if old.checkpoint == nil {
		return nil // the older snapshot predates the Merkle tree: only the journal is compared
	}
	o := old.checkpoint
	if v.checkpoint == nil {
		return app.Errorf(app.EINVALID, "新快照没有检查点，较早的快照却有：新快照不能证明它延续了较早的历史", "the new snapshot has no checkpoint but the earlier one has: it cannot prove it extends the earlier history")
	}
	return Extends(*o, *v.checkpoint, v.proofs, checkRosterSince(old.roster, v.roster))
}

// Extends checks that the checkpoint n (with the proofs its snapshot carries) extends
// the earlier checkpoint o, naming in one line what
// it found instead: another origin, a rollback, a fork (same size, another root) or no
// valid consistency proof from o (a fork or rewritten history). rosterErr, if not nil,
// is what the roster check found: it is returned when the log itself extends o, and
// appended to a fork's message. The witness applies the same test to the last checkpoint
// it holds.
func Extends(o, n Checkpoint, proofs Proofs, rosterErr error) error {
	switch {
	case n.Origin != o.Origin:
		return app.Errorf(app.EINVALID, "另一个账本：新快照的来源名是 %s，较早的快照是 %s（同一把密钥签了两个不同的账本）",
			"another book: the new snapshot's origin is %s, the earlier one's %s (one key signed two different books)", n.Origin, o.Origin)
	case n.Size < o.Size:
		return app.Errorf(app.EINVALID, "回退：新快照的记录链只有 %d 个叶子，较早的快照已有 %d 个（账本被换成了较早的副本）",
			"rollback: the new snapshot's log has %d leaves, the earlier one's %d (the book was replaced by an older copy)", n.Size, o.Size)
	case n.Size == o.Size && n.Root != o.Root:
		return app.Errorf(app.EINVALID, "分叉（两种说法）：两个快照的记录链都有 %d 个叶子，根哈希却不同", "fork (split view): both snapshots' logs have %d leaves but different roots", n.Size)
	}
	if n.Size > o.Size {
		oldRoot := base64.StdEncoding.EncodeToString(o.Root[:])
		found := false
		for _, p := range proofs.Consistency {
			if p.Size == o.Size && p.Root == oldRoot {
				if err := checkConsistency(n, p); err != nil {
					return err
				}
				found = true
			}
		}
		if !found {
			zh, en := "", ""
			var re *app.Error
			if errors.As(rosterErr, &re) {
				zh, en = "；另外"+re.ZH, "; also "+re.EN
			}
			e := app.Errorf(app.EINVALID, "分叉（两种说法）或历史被改写：新快照没有从较早检查点（%d 个叶子）出发的一致性证明，它不能证明延续了较早的历史",
				"fork (split view) or rewritten history: the new snapshot has no consistency proof from the earlier checkpoint (%d leaves); it does not prove it extends the earlier history", o.Size)
			e.ZH, e.EN = e.ZH+zh, e.EN+en
			return e
		}
	}
	return rosterErr
}

// checkRosterSince checks that the roster at the new snapshot follows from the one at
// the older only through signed roster changes: the same seal, and every change that
// had taken effect then is still there, unchanged. (readLog checked each snapshot's
// roster on its own: its founding members hash to the seal and every change is signed
// as app.VerifyRoster requires.)
func checkRosterSince(old, cur app.PublicRoster) error {
	rekeyed := func(zh, en string, args ...any) error {
		return app.Errorf(app.EINVALID, "成员名单被换过密钥："+zh, "roster re-keyed: "+en, args...)
	}
	switch {
	case old.Seal == nil:
		return nil
	case cur.Seal == nil:
		return rekeyed("新快照的名单没有封存记录", "the new snapshot's roster has no seal")
	case cur.Seal.Hash != old.Seal.Hash:
		return rekeyed("创始成员名单的哈希从 %s 变成了 %s", "the founding roster's hash changed from %s to %s", old.Seal.Hash, cur.Seal.Hash)
	}
	byID := map[string]app.RosterChange{}
	for _, c := range cur.Changes {
		byID[c.ID] = c
	}
	for _, c := range old.Changes {
		if c.State != app.RosterDone {
			continue
		}
		n, ok := byID[c.ID]
		if !ok || n.State != app.RosterDone || n.Seq != c.Seq || string(app.CanonicalRosterChange(n)) != string(app.CanonicalRosterChange(c)) || len(n.Signatures) != len(c.Signatures) {
			return rekeyed("已生效的成员变更 %s 不见了或被改动过", "the roster change %s that had taken effect is gone or altered", c.ID)
		}
	}
	keys := map[string]string{}
	for _, m := range cur.Members {
		keys[m.Name] = base64.StdEncoding.EncodeToString(m.PublicKey)
	}
	for _, m := range old.Members {
		k, ok := keys[m.Name]
		if !ok {
			return rekeyed("成员 %s 不见了", "member %s is gone", m.Name)
		}
		if k != base64.StdEncoding.EncodeToString(m.PublicKey) && !rekeyedBySignedChange(cur, m.Name) {
			return rekeyed("成员 %s 的公钥变了，没有签署的变更", "member %s has another key without a signed change", m.Name)
		}
	}
	return nil
}

// rekeyedBySignedChange reports whether a change the new roster holds (each checked by
// VerifyRoster) removed and re-admitted the member, the only way a key changes.
func rekeyedBySignedChange(r app.PublicRoster, name string) bool {
	for _, c := range r.Changes {
		if c.State == app.RosterDone && c.Name == name && c.Action == app.RosterAdd {
			return true
		}
	}
	return false
}
