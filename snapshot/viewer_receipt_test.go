package snapshot

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"aead.dev/minisign"
	"filippo.io/torchwood"
	"github.com/chromedp/chromedp"
	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"

	"sunledger/app"
	"sunledger/internal/tlogtest"
)

const testOrigin = "sunledger/5e1f0a2b3c4d5e6f"

// receiptLog is the record log of the fixture's journal, as tlog's leaves would hold it:
// one leaf per entry (with a record block that is not an entry every fifth), and the
// receipts.json rows of the fixture's receipts.
type receiptLog struct {
	log      *tlogtest.Log
	receipts []tlogtest.Receipt
	blocks   map[int64]string // leaf → its block hash
	leafOf   map[int64]int64  // entry → its leaf
}

func fixtureReceiptLog(t *testing.T, files map[string][]byte) receiptLog {
	t.Helper()
	var es []app.Entry
	prev := ""
	for _, name := range periodFiles(t, files) {
		for _, e := range periodEntries(t, files[name]) {
			e = app.Seal(e, prev)
			prev = e.Hash
			es = append(es, e)
		}
	}
	var rl receiptLog
	rl.log = &tlogtest.Log{}
	leafOf := map[int64]int64{}
	block := func() string {
		sum := sha256.Sum256([]byte{byte(rl.log.Size()), byte(rl.log.Size() >> 8)})
		return hex.EncodeToString(sum[:])
	}
	rl.blocks = map[int64]string{}
	for i, e := range es {
		if i%5 == 0 {
			rl.blocks[rl.log.Size()] = block()
			rl.log.Append([]byte(fmt.Sprintf("sunledger-leaf-v1\nblock %d %s\n", rl.log.Size()+1, rl.blocks[rl.log.Size()])))
		}
		leafOf[e.Seq] = rl.log.Size()
		rl.blocks[rl.log.Size()] = block()
		rl.log.Append(tlogtest.LeafData(rl.log.Size()+1, rl.blocks[rl.log.Size()], map[int64]string{e.Seq: e.Hash}, e.Seq))
	}
	rl.leafOf = leafOf
	n := rl.log.Size()
	for _, e := range es {
		kind, id := app.ParseRef(e.Ref)
		if kind != app.DocReceipt || len(rl.receipts) >= 5 {
			continue
		}
		amount := ""
		for _, p := range e.Postings {
			if p.Amount.IsPositive() {
				amount = p.Amount.StringFixed(2)
				break
			}
		}
		rl.receipts = append(rl.receipts, rl.log.ReceiptRow(n, leafOf[e.Seq], id, "1-1-101", amount, e.Date, e.Seq))
	}
	if len(rl.receipts) < 3 {
		t.Fatalf("the fixture has %d receipts", len(rl.receipts))
	}
	return rl
}

// trees are the period tree files (periodtree.go) of the snapshot's periods in this
// log of n leaves: one leaf per entry, as fixtureReceiptLog made it.
func (rl receiptLog) trees(t *testing.T, files map[string][]byte, n int64) map[string][]byte {
	t.Helper()
	var stored []tlog.Hash
	r := tlog.HashReaderFunc(func(idx []int64) ([]tlog.Hash, error) {
		out := make([]tlog.Hash, len(idx))
		for i, x := range idx {
			out[i] = stored[x]
		}
		return out, nil
	})
	for i, d := range rl.log.Leaves[:n] {
		hs, err := tlog.StoredHashes(int64(i), d, r)
		if err != nil {
			t.Fatal(err)
		}
		stored = append(stored, hs...)
	}
	var ps []Period
	json.Unmarshal(files[PeriodsName], &ps)
	out := map[string][]byte{}
	for _, p := range ps {
		a, b := rl.leafOf[p.First], rl.leafOf[p.Last]+1
		tr := PeriodTree{Period: p.Period, Size: n, FirstLeaf: a, Outside: []LeafEntry{}}
		for i := a; i < b; i++ {
			l := TreeLeaf{Block: rl.blocks[i]}
			for seq := p.First; seq <= p.Last; seq++ {
				if rl.leafOf[seq] == i {
					l.Entries = []int64{seq, 1}
				}
			}
			tr.Leaves = append(tr.Leaves, l)
		}
		proof, err := ProveRange(a, b, n, r)
		if err != nil {
			t.Fatal(err)
		}
		tr.Proof = hashesB64(proof)
		out[p.Tree], _ = json.Marshal(tr)
	}
	return out
}

// receiptPage writes a viewer page of the fixture's snapshot with the given extra files
// (checkpoint, proofs.json, receipts.json), the manifest re-made and signed with the
// committee's key, as export would make it.
// receiptTrees, when set, are the period tree files that go with the checkpoint in extra.
var receiptTrees map[string][]byte

func receiptPage(t *testing.T, dir string, extra map[string][]byte) string {
	t.Helper()
	names, files := zipFiles(t, snapFixture.zip)
	if extra[CheckpointName] != nil {
		for n, b := range receiptTrees {
			files[n] = b
		}
	}
	var m app.Manifest
	if err := json.Unmarshal(files[app.ManifestName], &m); err != nil {
		t.Fatal(err)
	}
	for n, b := range extra {
		if files[n] == nil {
			names = append(names, n)
		}
		files[n] = b
	}
	m.Files = nil
	embed := map[string][]byte{}
	for _, n := range names {
		if n == app.ManifestName || n == ManifestSigName || n == ViewerName {
			continue
		}
		sum := sha256.Sum256(files[n])
		m.Files = append(m.Files, app.ManifestFile{Name: n, Size: int64(len(files[n])), SHA256: hex.EncodeToString(sum[:])})
		if landingFile(n) && len(files[n]) <= maxEmbedded { // as export embeds
			embed[n] = files[n]
		} else if isPeriodFile(n) { // beside the page, where the viewer fetches it
			os.MkdirAll(filepath.Join(dir, JournalDir), 0o755)
			os.WriteFile(filepath.Join(dir, n), files[n], 0o644)
		}
	}
	mb, _ := json.MarshalIndent(m, "", "  ")
	r := minisign.NewReader(bytes.NewReader(mb))
	io.Copy(io.Discard, r)
	sig := r.SignWithComments(snapFixture.priv, app.SnapshotComment(m), "test")
	pub, _ := snapFixture.pub.MarshalText()
	page, err := ViewerPage(mb, sig, pub, embed)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, fmt.Sprintf("page-%d.html", time.Now().UnixNano()))
	if err := os.WriteFile(p, page, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func receiptsJSON(rows []tlogtest.Receipt) []byte {
	b, _ := json.MarshalIndent(rows, "", "  ")
	return b
}

// cosign is a witness's cosignature line on the checkpoint (torchwood, C2SP
// tlog-cosignature/v1).
func cosign(t *testing.T, signed []byte, name string) []byte {
	t.Helper()
	_, priv, _ := ed25519.GenerateKey(rand.Reader)
	s, err := torchwood.NewCosignatureSigner(name, priv)
	if err != nil {
		t.Fatal(err)
	}
	text, _, _ := bytes.Cut(signed, []byte("\n\n"))
	msg, err := note.Sign(&note.Note{Text: string(text) + "\n"}, s)
	if err != nil {
		t.Fatal(err)
	}
	_, line, _ := bytes.Cut(msg, []byte("\n\n"))
	return line
}

// checkReceipt types a receipt number and amount into the page and returns the result.
func checkReceipt(t *testing.T, ctx context.Context, no, amount string) (status, text string) {
	t.Helper()
	js := fmt.Sprintf(`document.getElementById("r-no").value = %q; document.getElementById("r-amount").value = %q; document.getElementById("r-check").click(); true`, no, amount)
	eval[bool](t, ctx, js)
	v, err := chromedp.Run(ctx, chromedp.Poll[string](`document.getElementById("r-result").dataset.status !== "pending" && (document.getElementById("r-result").dataset.status + "|" + document.getElementById("r-result").textContent)`,
		chromedp.WithPollingTimeout(20*time.Second)))
	if err != nil {
		t.Fatalf("no receipt result: %v", err)
	}
	status, text, _ = strings.Cut(v, "|")
	return status, text
}

func TestViewer_ChecksTheCheckpointAndEachOwnersReceipt(t *testing.T) {
	snapshotFixture(t)
	_, files := zipFiles(t, snapFixture.zip)
	rl := fixtureReceiptLog(t, files)
	n := rl.log.Size()
	receiptTrees = rl.trees(t, files, n) // each period's range proof, in this log
	defer func() { receiptTrees = nil }()
	signed := rl.log.Checkpoint(testOrigin, n, snapFixture.priv)
	withCosig := append(append([]byte{}, signed...), cosign(t, signed, "sunledger-witness/community-office")...)
	dir := t.TempDir()
	genuine := receiptPage(t, dir, map[string][]byte{
		CheckpointName:  withCosig,
		"proofs.json":   rl.log.ProofsJSON(n, n/2),
		"receipts.json": receiptsJSON(rl.receipts),
	})
	ctx := browser(t)
	status, text := openURL(t, ctx, pageURL(t, genuine))
	if status != "ok" {
		t.Fatalf("verdict %s: %s", status, text)
	}
	root := rl.log.Root(n)
	shown := eval[[]string](t, ctx, `["cp-origin", "cp-size", "cp-root", "cp-root16"].map(id => document.getElementById(id).textContent)`)
	if want := []string{testOrigin, fmt.Sprint(n), base64.StdEncoding.EncodeToString(root[:]), hex.EncodeToString(root[:8])}; fmt.Sprint(shown) != fmt.Sprint(want) {
		t.Errorf("the page shows %q, want %q", shown, want)
	}
	if cs := eval[string](t, ctx, `document.getElementById("cosig-list").textContent`); !strings.Contains(cs, "sunledger-witness/community-office") {
		t.Errorf("cosignatures: %q", cs)
	}
	// every receipt, typed as printed, passes; the page names no owner
	for _, r := range rl.receipts {
		status, text := checkReceipt(t, ctx, strings.ToLower(r.Receipt), r.Amount)
		if status != "ok" || !strings.Contains(text, "收据已核实") || !strings.Contains(text, fmt.Sprintf("凭证 #%d", r.Entry)) {
			t.Errorf("%s %s: %s %q", r.Receipt, r.Amount, status, text)
		}
	}
	r0 := rl.receipts[0]
	for _, c := range []struct{ name, no, amount, want string }{
		{"an altered amount", r0.Receipt, mustDecimal(r0.Amount).Add(mustDecimal("0.01")).StringFixed(2), "金额不符"},
		{"another receipt's amount", rl.receipts[1].Receipt, mustDecimal(rl.receipts[1].Amount).Add(mustDecimal("100")).String(), "金额不符"},
		{"a receipt number not in the snapshot", "R99999999", r0.Amount, "没有这个收据号"},
		{"no amount", r0.Receipt, "", "请输入金额"},
	} {
		if status, text := checkReceipt(t, ctx, c.no, c.amount); status != "fail" || !strings.Contains(text, "收据核对未通过") || !strings.Contains(text, c.want) {
			t.Errorf("%s: %s %q, want a failure naming %q", c.name, status, text, c.want)
		}
	}
	eval[bool](t, ctx, `document.getElementById("lang").click(), true`)
	if status, text := checkReceipt(t, ctx, r0.Receipt, r0.Amount); status != "ok" || !strings.Contains(text, "Receipt confirmed") {
		t.Errorf("English: %s %q", status, text)
	}
	if status, text := checkReceipt(t, ctx, r0.Receipt, "1.00"); status != "fail" || !strings.Contains(text, "Receipt check FAILED: the amount does not match") {
		t.Errorf("English: %s %q", status, text)
	}

	// A committee that signs a snapshot whose receipt is not in the log: the snapshot
	// verifies, the receipt does not.
	tampered := append([]tlogtest.Receipt{}, rl.receipts...)
	proof := append([]string{}, tampered[0].Proof...)
	h, _ := base64.StdEncoding.DecodeString(proof[0])
	h[0] ^= 1
	proof[0] = base64.StdEncoding.EncodeToString(h)
	tampered[0].Proof = proof
	otherEntry := append([]tlogtest.Receipt{}, rl.receipts...)
	otherEntry[1].Entry = rl.receipts[2].Entry // the leaf names another entry
	longer := append([]tlogtest.Receipt{}, rl.receipts...)
	longer[2].Proof = append(append([]string{}, longer[2].Proof...), longer[2].Proof[0])
	page := receiptPage(t, dir, map[string][]byte{CheckpointName: signed, "proofs.json": rl.log.ProofsJSON(n, 1, n/3), "receipts.json": receiptsJSON(append(append(tampered[:1:1], otherEntry[1]), longer[2]))})
	if status, text := openURL(t, ctx, pageURL(t, page)); status != "ok" {
		t.Fatalf("verdict %s: %s", status, text)
	}
	for i, want := range []string{"包含证明无效", "记账凭证不在", "包含证明无效"} {
		r := []tlogtest.Receipt{tampered[0], otherEntry[1], longer[2]}[i]
		if status, text := checkReceipt(t, ctx, r.Receipt, r.Amount); status != "fail" || !strings.Contains(text, want) {
			t.Errorf("case %d: %s %q, want %q", i, status, text, want)
		}
	}

	// A consistency proof from an earlier checkpoint that does not hold fails the snapshot.
	page = receiptPage(t, dir, map[string][]byte{CheckpointName: signed, "proofs.json": tlogtest.TamperProof(rl.log.ProofsJSON(n, n/2)), "receipts.json": receiptsJSON(rl.receipts)})
	if status, text := openURL(t, ctx, pageURL(t, page)); status != "fail" || !strings.Contains(text, "此前发布的检查点（一致性证明）") {
		t.Errorf("a tampered consistency proof: %s %q", status, text)
	}

	// A checkpoint changed after signing, or signed by another key, fails the snapshot.
	_, otherKey, _ := minisign.GenerateKey(rand.Reader)
	for _, cp := range [][]byte{
		bytes.Replace(signed, []byte(fmt.Sprintf("\n%d\n", n)), []byte(fmt.Sprintf("\n%d\n", n+1)), 1),
		rl.log.Checkpoint(testOrigin, n, otherKey),
	} {
		page := receiptPage(t, dir, map[string][]byte{CheckpointName: cp, "proofs.json": rl.log.ProofsJSON(n), "receipts.json": receiptsJSON(rl.receipts)})
		status, text := openURL(t, ctx, pageURL(t, page))
		if status != "fail" || !strings.Contains(text, "检查点（委员会签名）") {
			t.Errorf("verdict %s: %q", status, text)
		}
		if status, text := checkReceipt(t, ctx, r0.Receipt, r0.Amount); status != "fail" || !strings.Contains(text, "没有通过核验") {
			t.Errorf("receipt on a failed snapshot: %s %q", status, text)
		}
	}
}

// The page's RFC 9162 inclusion check agrees with tlog's proofs on every leaf of trees
// of every size up to 33, and refuses a proof given for another index.
func TestViewer_InclusionProofsAgreeWithTlog(t *testing.T) {
	snapshotFixture(t)
	ctx := browser(t)
	status, _ := openURL(t, ctx, pageURL(t, receiptPage(t, t.TempDir(), nil)))
	if status != "ok" {
		t.Fatal(status)
	}
	l := &tlogtest.Log{}
	l.AppendN(33)
	type vec struct {
		Index, Size int64
		Leaf        string
		Proof       []string
		Root        string
		Want        bool
	}
	var vs []vec
	for n := int64(1); n <= 33; n++ {
		root := l.Root(n)
		for i := int64(0); i < n; i++ {
			r := l.ReceiptRow(n, i, "", "", "", "", 0)
			vs = append(vs, vec{i, n, r.LeafData, r.Proof, base64.StdEncoding.EncodeToString(root[:]), true})
			if n > 1 {
				vs = append(vs, vec{(i + 1) % n, n, r.LeafData, r.Proof, base64.StdEncoding.EncodeToString(root[:]), false})
			}
		}
	}
	b, _ := json.Marshal(vs)
	got := eval[[]bool](t, ctx, `Promise.all(`+string(b)+`.map(v => sunledger.verifyInclusion(v.Index, v.Size, Uint8Array.from(atob(v.Leaf), c => c.charCodeAt(0)), (v.Proof || []).map(p => Uint8Array.from(atob(p), c => c.charCodeAt(0))), Uint8Array.from(atob(v.Root), c => c.charCodeAt(0)))))`, chromedp.EvalAwaitPromise)
	if len(got) != len(vs) {
		t.Fatalf("%d results for %d vectors", len(got), len(vs))
	}
	bad := 0
	for i, v := range vs {
		if got[i] != v.Want && bad < 10 {
			bad++
			t.Errorf("leaf %d of %d: JS says %v, want %v", v.Index, v.Size, got[i], v.Want)
		}
	}
}

// The page's RFC 9162 consistency check agrees with tlog's proofs between every pair of
// tree sizes up to 20, and refuses a proof given for other sizes or a changed root.
func TestViewer_ConsistencyProofsAgreeWithTlog(t *testing.T) {
	snapshotFixture(t)
	ctx := browser(t)
	if status, _ := openURL(t, ctx, pageURL(t, receiptPage(t, t.TempDir(), nil))); status != "ok" {
		t.Fatal(status)
	}
	l := &tlogtest.Log{}
	l.AppendN(20)
	type vec struct {
		First, Second int64
		Proof         []string
		Old, New      string
		Want          bool
	}
	b64 := func(n int64) string { r := l.Root(n); return base64.StdEncoding.EncodeToString(r[:]) }
	var vs []vec
	for n := int64(1); n <= 20; n++ {
		for m := int64(1); m <= n; m++ {
			var proof []string
			if m < n {
				proof = tlogtest.B64(l.Consistency(n, m))
			}
			vs = append(vs, vec{m, n, proof, b64(m), b64(n), true})
			if m < n {
				vs = append(vs, vec{m, n, proof, b64(m - 1 + map[bool]int64{true: 2, false: 0}[m == 1]), b64(n), false})
				if m > 1 {
					vs = append(vs, vec{m - 1, n, proof, b64(m - 1), b64(n), false})
				}
			}
		}
	}
	b, _ := json.Marshal(vs)
	got := eval[[]bool](t, ctx, `Promise.all(`+string(b)+`.map(v => sunledger.verifyConsistency(v.First, v.Second, (v.Proof || []).map(p => Uint8Array.from(atob(p), c => c.charCodeAt(0))), Uint8Array.from(atob(v.Old), c => c.charCodeAt(0)), Uint8Array.from(atob(v.New), c => c.charCodeAt(0)))))`, chromedp.EvalAwaitPromise)
	if len(got) != len(vs) {
		t.Fatalf("%d results for %d vectors", len(got), len(vs))
	}
	bad := 0
	for i, v := range vs {
		if got[i] != v.Want && bad < 10 {
			bad++
			t.Errorf("%d → %d (old root of %s…): JS says %v, want %v", v.First, v.Second, v.Old[:8], got[i], v.Want)
		}
	}
}

// pageURL is the http address of a page written by receiptPage: its folder is served,
// so that the viewer can fetch the journal's quarter of a receipt.
func pageURL(t *testing.T, page string) string {
	t.Helper()
	dir := filepath.Dir(page)
	srv, ok := pageServers[dir]
	if !ok {
		srv = httptest.NewServer(http.FileServer(http.Dir(dir)))
		pageServers[dir] = srv
		t.Cleanup(func() { srv.Close(); delete(pageServers, dir) })
	}
	return srv.URL + "/" + filepath.Base(page)
}

var pageServers = map[string]*httptest.Server{}

// TestViewer_AReceiptIsCheckedInItsQuarter: in a snapshot as export writes it, a receipt
// names only its entry; the page finds the entry in its quarter (fetched, re-hashed and
// checked by its range proof against the signed checkpoint), checks that the entry names
// the receipt and moves its amount. A receipt.json row naming another entry fails.
func TestViewer_AReceiptIsCheckedInItsQuarter(t *testing.T) {
	snapshotFixture(t)
	_, files := zipFiles(t, snapFixture.zip)
	var rows []ReceiptProof
	if err := json.Unmarshal(files[ReceiptsName], &rows); err != nil || len(rows) < 2 {
		t.Fatalf("receipts.json: %d rows, %v", len(rows), err)
	}
	dir := t.TempDir()
	ctx := browser(t)
	if status, text := openURL(t, ctx, pageURL(t, receiptPage(t, dir, nil))); status != "ok" {
		t.Fatalf("verdict %s: %s", status, text)
	}
	for _, r := range []ReceiptProof{rows[0], rows[len(rows)-1]} {
		if status, text := checkReceipt(t, ctx, r.Receipt, r.Amount); status != "ok" || !strings.Contains(text, fmt.Sprintf("凭证 #%d", r.Entry)) || strings.Contains(text, "undefined") {
			t.Errorf("%s %s: %s %q", r.Receipt, r.Amount, status, text)
		}
	}
	moved := append([]ReceiptProof{}, rows...)
	moved[0].Entry = rows[1].Entry // another receipt's entry
	b, _ := json.Marshal(moved)
	if status, text := openURL(t, ctx, pageURL(t, receiptPage(t, dir, map[string][]byte{ReceiptsName: b}))); status != "ok" {
		t.Fatalf("verdict %s: %s", status, text)
	}
	if status, text := checkReceipt(t, ctx, moved[0].Receipt, moved[0].Amount); status != "fail" || !strings.Contains(text, "记账凭证不在") {
		t.Errorf("a receipt naming another entry: %s %q", status, text)
	}
}
