package snapshot

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sunledger/internal/testtool"

	"github.com/chromedp/chromedp"

	"sunledger/app"
	"sunledger/storage"
)

// viewerJSON is the data embedded in a viewer page.
func viewerJSON(t *testing.T, page []byte) (viewerData, int, int) {
	t.Helper()
	start := bytes.Index(page, []byte(`<script type="application/json" id="snapshot-data">`))
	if start < 0 {
		t.Fatal("the page embeds no snapshot data")
	}
	start += len(`<script type="application/json" id="snapshot-data">`)
	end := start + bytes.Index(page[start:], []byte("</script>"))
	var d viewerData
	if err := json.Unmarshal(page[start:end], &d); err != nil {
		t.Fatal(err)
	}
	return d, start, end
}

// viewerFiles decodes the files a viewer page embeds.
func viewerFiles(t *testing.T, page []byte) map[string][]byte {
	d, _, _ := viewerJSON(t, page)
	out := map[string][]byte{}
	for name, b64 := range d.Files {
		b, err := base64.StdEncoding.DecodeString(b64)
		if err != nil {
			t.Fatal(err)
		}
		out[name] = b
	}
	return out
}

// withViewerData rewrites the page with edit applied to its embedded data.
func withViewerData(t *testing.T, page []byte, edit func(d *viewerData)) []byte {
	d, start, end := viewerJSON(t, page)
	edit(&d)
	b, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	return append(append(append([]byte{}, page[:start]...), b...), page[end:]...)
}

// browser starts headless Chromium for one test.
func browser(t testing.TB) context.Context {
	t.Helper()
	exe := testtool.Require(t, "chromium")
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(exe), chromedp.NoSandbox, chromedp.DisableGPU, chromedp.WindowSize(420, 900))
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancel)
	ctx, cancel2 := chromedp.NewContext(actx)
	t.Cleanup(cancel2)
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil { // starts the browser
		t.Fatal(err)
	}
	return ctx
}

// openViewer opens a page from disk and waits for its verdict.
func openViewer(t *testing.T, ctx context.Context, path string) (status, text string) {
	t.Helper()
	u := url.URL{Scheme: "file", Path: path}
	return openURL(t, ctx, u.String())
}

// eval runs a script in the page and decodes its value.
func eval[T any](t testing.TB, ctx context.Context, script string, opts ...chromedp.EvaluateOption) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](script, opts...))
	if err != nil {
		t.Fatalf("%s: %v", script, err)
	}
	return v
}

func TestViewer_BrowserVerifiesTheSnapshotAndShowsTheBooks(t *testing.T) {
	snapshotFixture(t)
	ctx := browser(t)
	dir := t.TempDir()
	unzipTo(t, snapFixture.zip, dir)
	page := filepath.Join(dir, ViewerName)
	status, text := openViewer(t, ctx, page)
	if status != "ok" || !strings.Contains(text, "已验证") {
		t.Fatalf("verdict %s: %s", status, text)
	}
	// The funds shown are the book's money (bank + cash) as `ledger balance` gives it.
	db, err := storage.Open(filepath.Join(snapFixture.dir, "book"))
	if err != nil {
		t.Fatal(err)
	}
	bs, err := db.Services().Ledger.Balances(context.Background())
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range app.Funds {
		want := app.BankAccount(f)
		total := mustDecimal("0")
		for _, b := range bs {
			if b.Account == app.BankAccount(f) || b.Account == app.CashAccount(f) {
				total = total.Add(b.Balance)
			}
		}
		cents := eval[string](t, ctx, `document.getElementById("fund-`+string(f)+`").dataset.cents`)
		if got := mustDecimal(cents).Shift(-2); !got.Equal(total) {
			t.Errorf("%s (%s…): the page shows %s, the book %s", f, want, got, total)
		}
	}
	// Every account balance shown equals the book's.
	shownAll := eval[map[string]string](t, ctx, `Object.fromEntries([...document.querySelectorAll("span[data-account]")].map(s => [s.dataset.account, s.textContent]))`)
	for _, b := range bs {
		if b.Balance.IsZero() {
			continue
		}
		shown, ok := shownAll[b.Account]
		if !ok {
			t.Errorf("the page does not show the account %s", b.Account)
			continue
		}
		if got := mustDecimal(strings.ReplaceAll(shown, ",", "")); !got.Equal(b.Balance) {
			t.Errorf("%s: shown %s, book %s", b.Account, shown, b.Balance)
		}
	}
	// The JavaScript canonical form and hash agree with Go's on the test vectors.
	vecs, _ := os.ReadFile("testdata/entry-vectors.json")
	res := eval[[]struct{ Canonical, Hash string }](t, ctx, `Promise.all(`+string(vecs)+`.map(async v => ({Canonical: sunledger.canonicalEntry(v.entry), Hash: await sunledger.entryHash(v.entry)})))`, chromedp.EvalAwaitPromise)
	if len(res) != len(entryVectors(t)) {
		t.Fatalf("%d results", len(res))
	}
	for i, v := range entryVectors(t) {
		if res[i].Canonical != v.Canonical || res[i].Hash != v.Hash {
			t.Errorf("vector %d: JS gives %q %s, want %q %s", i, res[i].Canonical, res[i].Hash, v.Canonical, v.Hash)
		}
	}
	// The English switch.
	text = eval[string](t, ctx, `document.getElementById("lang").click(), document.getElementById("verdict").textContent`)
	if !strings.Contains(text, "Verified") {
		t.Errorf("English verdict: %s", text)
	}
}

func TestViewer_TamperedPageSaysWhatFailed(t *testing.T) {
	snapshotFixture(t)
	ctx := browser(t)
	dir := t.TempDir()
	unzipTo(t, snapFixture.zip, dir)
	orig, err := os.ReadFile(filepath.Join(dir, ViewerName))
	if err != nil {
		t.Fatal(err)
	}
	decode := func(s string) []byte { b, _ := base64.StdEncoding.DecodeString(s); return b }
	encode := base64.StdEncoding.EncodeToString
	for _, c := range []struct {
		name string
		edit func(d *viewerData)
		want string
	}{
		{"a changed byte in the embedded data", func(d *viewerData) {
			b := decode(d.Files[ArrearsSummaryName])
			b[len(b)/2] ^= 1
			d.Files[ArrearsSummaryName] = encode(b)
		}, ArrearsSummaryName},
		{"a period left out of the journal", func(d *viewerData) {
			var ps []Period
			json.Unmarshal(decode(d.Files[PeriodsName]), &ps)
			b, _ := json.Marshal(ps[:len(ps)-1])
			d.Files[PeriodsName] = encode(b)
		}, PeriodsName},
		{"a changed manifest", func(d *viewerData) {
			m := decode(d.Manifest)
			d.Manifest = encode(bytes.Replace(m, []byte(`"entries": `), []byte(`"entries": 1`), 1))
		}, "委员会签名"},
		{"another key", func(d *viewerData) {
			d.PubKey = "untrusted comment: minisign public key\nRWQf6LRCGA9i53mlYecO4IzT51TGPpvWucNSCh1CBM0QTaLn73Y7GFO3"
		}, "委员会签名"},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := filepath.Join(dir, "tampered.html")
			if err := os.WriteFile(p, withViewerData(t, orig, c.edit), 0o644); err != nil {
				t.Fatal(err)
			}
			status, text := openViewer(t, ctx, p)
			if status != "fail" || !strings.Contains(text, "核验失败") || !strings.Contains(text, c.want) {
				t.Errorf("verdict %s: %q, want a failure naming %q", status, text, c.want)
			}
		})
	}
}
