package snapshot

import (
	"archive/zip"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"

	"aead.dev/minisign"
	"golang.org/x/mod/sumdb/note"

	"sunledger/app"
	"sunledger/internal/tlogtest"
)

// readFixtureLog reads the checkpoint, proofs and receipts of the fixture's snapshot.
func readFixtureLog(t *testing.T) (signed []byte, proofs Proofs, receipts []ReceiptProof, v verified) {
	t.Helper()
	snapshotFixture(t)
	zr, err := zip.OpenReader(snapFixture.zip)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	v, err = checkSnapshotZip(&zr.Reader, snapFixture.pub)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		b, err := readZipFile(f, 256<<20)
		if err != nil {
			t.Fatal(err)
		}
		switch f.Name {
		case CheckpointName:
			signed = b
		case ProofsName:
			json.Unmarshal(b, &proofs)
		case ReceiptsName:
			json.Unmarshal(b, &receipts)
		}
	}
	if signed == nil || v.checkpoint == nil {
		t.Fatal("the snapshot has no checkpoint")
	}
	return signed, proofs, receipts, v
}

// TestCheckpoint_IsASignedNoteOfTheCommitteeKeyThatNoOtherKeyOpens: the checkpoint is a
// C2SP signed note under the origin, checked with the committee's minisign public key
// through golang.org/x/mod/sumdb/note, and refused under any other key or if altered.
func TestCheckpoint_IsASignedNoteOfTheCommitteeKeyThatNoOtherKeyOpens(t *testing.T) {
	signed, _, _, v := readFixtureLog(t)
	c := *v.checkpoint
	if !strings.HasPrefix(c.Origin, "sunledger/") || c.Size != v.manifest.TreeSize || len(strings.Split(string(signed), "\n")) != 6 {
		t.Fatalf("checkpoint %+v:\n%s", c, signed)
	}
	vkey, err := note.NewEd25519VerifierKey(c.Origin, Ed25519Public(snapFixture.pub))
	if err != nil {
		t.Fatal(err)
	}
	nv, _ := note.NewVerifier(vkey)
	n, err := note.Open(signed, note.VerifierList(nv))
	if err != nil || n.Text != CheckpointBody(c) {
		t.Fatalf("the note package does not open it: %v", err)
	}
	other, _, _ := minisign.GenerateKey(rand.Reader)
	if _, err := OpenCheckpoint(signed, other); err == nil {
		t.Error("another key opened the checkpoint")
	}
	altered := strings.Replace(string(signed), "\n"+itoa64(c.Size)+"\n", "\n"+itoa64(c.Size+1)+"\n", 1)
	if _, err := OpenCheckpoint([]byte(altered), snapFixture.pub); err == nil {
		t.Error("an altered checkpoint opened")
	}
}

func itoa64(n int64) string { b, _ := json.Marshal(n); return string(b) }

// TestReceiptsAndProofs_AnAlteredProofOrLeafFails: every receipt of receipts.json
// verifies (its entry names it, and its quarter's range proof puts it in the
// checkpoint's tree); a receipt naming another entry, or another receipt number, does
// not. A receipt in the form of the snapshots before 2026-12 (its leaf's data and
// inclusion proof) still verifies; an altered entry, leaf index, proof hash or leaf data
// does not. A consistency proof with another root does not.
func TestReceiptsAndProofs_AnAlteredProofOrLeafFails(t *testing.T) {
	_, proofs, receipts, v := readFixtureLog(t)
	c := *v.checkpoint
	if len(receipts) == 0 {
		t.Fatal("the fixture's snapshot has no receipts")
	}
	for _, r := range receipts {
		if r.LeafData != "" || len(r.Proof) != 0 {
			t.Errorf("%s carries its leaf: %+v", r.Receipt, r)
		}
		if err := v.checkReceipt(c, r); err != nil {
			t.Fatalf("%s: %v", r.Receipt, err)
		}
	}
	last := receipts[len(receipts)-1]
	for i, alter := range []func(ReceiptProof) ReceiptProof{
		func(r ReceiptProof) ReceiptProof { r.Entry = receipts[0].Entry - 1; return r },
		func(r ReceiptProof) ReceiptProof { r.Entry = v.manifest.Entries + 1; return r },
		func(r ReceiptProof) ReceiptProof { r.Receipt += "9"; return r },
	} {
		if err := v.checkReceipt(c, alter(last)); err == nil {
			t.Errorf("alteration %d passed", i)
		}
	}

	// the earlier form: the receipt's leaf in a log of its own
	l := &tlogtest.Log{}
	l.AppendN(5)
	h, _ := v.hashAt(last.Entry)
	l.Append(tlogtest.LeafData(6, strings.Repeat("0", 64), map[int64]string{last.Entry: h}, last.Entry))
	l.AppendN(3)
	oc := Checkpoint{Origin: c.Origin, Size: l.Size(), Root: l.Root(l.Size())}
	row := l.ReceiptRow(l.Size(), 5, last.Receipt, last.Unit, last.Amount, last.Date, last.Entry)
	r := ReceiptProof{Receipt: row.Receipt, Unit: row.Unit, Amount: row.Amount, Date: row.Date, Entry: row.Entry, Leaf: row.Leaf, LeafData: row.LeafData, Proof: row.Proof}
	if err := v.checkReceipt(oc, r); err != nil {
		t.Fatalf("a receipt with its leaf: %v", err)
	}
	flip := func(s string) string {
		b, _ := base64.StdEncoding.DecodeString(s)
		b[0] ^= 1
		return base64.StdEncoding.EncodeToString(b)
	}
	bad := []func(ReceiptProof) ReceiptProof{
		func(r ReceiptProof) ReceiptProof { r.Entry++; return r },
		func(r ReceiptProof) ReceiptProof { r.Leaf++; return r },
		func(r ReceiptProof) ReceiptProof {
			r.Proof = append([]string{}, r.Proof...)
			r.Proof[0] = flip(r.Proof[0])
			return r
		},
		func(r ReceiptProof) ReceiptProof {
			d, _ := base64.StdEncoding.DecodeString(r.LeafData)
			r.LeafData = base64.StdEncoding.EncodeToString([]byte(strings.Replace(string(d), "block", "block ", 1)))
			return r
		},
	}
	for i, alter := range bad {
		if err := v.checkReceipt(oc, alter(r)); err == nil {
			t.Errorf("alteration %d of a receipt with its leaf passed", i)
		}
	}
	wrong := ConsistencyProof{Size: c.Size - 1, Root: base64.StdEncoding.EncodeToString(make([]byte, 32))}
	if err := checkConsistency(c, wrong); err == nil || !strings.Contains(err.(*app.Error).EN, "rewritten history") {
		t.Errorf("a consistency proof from another root: %v", err)
	}
	for _, p := range proofs.Consistency {
		if err := checkConsistency(c, p); err != nil {
			t.Error(err)
		}
	}
}

// TestRosterSince_OnlySignedChangesMayChangeTheRoster pins checkRosterSince: the same
// seal, every change that had taken effect still there, every member's key the same
// unless a signed change re-admitted them.
func TestRosterSince_OnlySignedChangesMayChangeTheRoster(t *testing.T) {
	k1, k2 := make([]byte, 32), make([]byte, 32)
	k2[0] = 1
	done := app.RosterChange{ID: "M000001", Action: app.RosterAdd, Name: "b", Role: app.RoleMember, PublicKey: k2, State: app.RosterDone, Seq: 1}
	old := app.PublicRoster{Seal: &app.RosterSeal{Hash: "h"}, Members: []app.PublicMember{{Name: "a", PublicKey: k1}}, Changes: []app.RosterChange{done}}
	with := func(f func(r *app.PublicRoster)) app.PublicRoster {
		r := old
		s := *old.Seal
		r.Seal = &s
		r.Members = append([]app.PublicMember{}, old.Members...)
		r.Changes = append([]app.RosterChange{}, old.Changes...)
		f(&r)
		return r
	}
	for _, tc := range []struct {
		name string
		cur  app.PublicRoster
		ok   bool
	}{
		{"unchanged", with(func(r *app.PublicRoster) {}), true},
		{"a later signed change", with(func(r *app.PublicRoster) {
			r.Changes = append(r.Changes, app.RosterChange{ID: "M000002", Action: app.RosterRemove, Name: "a", State: app.RosterDone, Seq: 2})
		}), true},
		{"another seal", with(func(r *app.PublicRoster) { r.Seal.Hash = "h2" }), false},
		{"no seal", with(func(r *app.PublicRoster) { r.Seal = nil }), false},
		{"a change gone", with(func(r *app.PublicRoster) { r.Changes = nil }), false},
		{"a change altered", with(func(r *app.PublicRoster) { r.Changes[0].Role = app.RoleChair }), false},
		{"a key changed", with(func(r *app.PublicRoster) { r.Members[0].PublicKey = k2 }), false},
		{"a member gone", with(func(r *app.PublicRoster) { r.Members = nil }), false},
	} {
		err := checkRosterSince(old, tc.cur)
		if (err == nil) != tc.ok || (err != nil && !strings.Contains(err.(*app.Error).EN, "roster re-keyed")) {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
}
