package s3store

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"aead.dev/minisign"
	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3bolt"
	"github.com/shopspring/decimal"

	"sunledger/app"
	"sunledger/snapshot"
)

const (
	testKey    = "AKIDTEST"
	testSecret = "secret-for-tests"
)

// fakeS3 starts an in-process S3 server (gofakes3 on a bolt file in a temp folder) on
// 127.0.0.1 with a random port, holding the given buckets. gofakes3 checks no
// credentials, so a small handler in front refuses any access key but testKey the way
// S3 does (403 InvalidAccessKeyId); the signature itself is not checked.
func fakeS3(t testing.TB, buckets ...string) string {
	t.Helper()
	be, err := s3bolt.NewFile(filepath.Join(t.TempDir(), "s3.bolt"))
	if err != nil {
		t.Fatal(err)
	}
	faker := gofakes3.New(be, gofakes3.WithLogger(gofakes3.DiscardLog()))
	for _, b := range buckets {
		if err := be.CreateBucket(b); err != nil {
			t.Fatal(err)
		}
	}
	h := faker.Server()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.Contains(r.Header.Get("Authorization"), "Credential="+testKey+"/") {
			w.Header().Set("Content-Type", "application/xml")
			w.WriteHeader(http.StatusForbidden)
			io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?><Error><Code>InvalidAccessKeyId</Code><Message>The AWS Access Key Id you provided does not exist in our records.</Message></Error>`)
			return
		}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

func openStore(t testing.TB, endpoint, bucket string) *Store {
	t.Helper()
	s, err := Open(endpoint, bucket, Credentials{AccessKey: testKey, SecretKey: testSecret})
	if err != nil {
		t.Fatal(err)
	}
	s.Backoff = 20 * time.Millisecond
	return s
}

// makeSnapshot writes a small signed snapshot to dir/name.zip: a real hash-chained
// journal, balances, bills, arrears, a disclosure and an index.html, with the manifest
// and signature the way reports writes them. extra entries are added as they are
// (outside the manifest when unlisted is true).
func makeSnapshot(t testing.TB, dir, name, community string, key minisign.PrivateKey, created time.Time, extra map[string]string) string {
	t.Helper()
	acct := func(f app.Fund) string { return app.BankAccount(f) }
	var entries []app.Entry
	prev := ""
	for i, p := range []struct {
		date string
		f    app.Fund
		amt  string
	}{{"2025-01-10", app.FundService, "1000.00"}, {"2025-02-10", app.FundPublic, "200.50"}, {"2025-03-10", app.FundMaintenance, "5000.00"}} {
		e := app.Entry{Seq: int64(i + 1), Date: p.date, Description: "收入", Who: "t",
			Postings: []app.Posting{{Account: acct(p.f), Amount: decimal.RequireFromString(p.amt)}, {Account: app.OpeningAccount(p.f), Amount: decimal.RequireFromString(p.amt).Neg()}}}
		e = app.Seal(e, prev)
		prev = e.Hash
		entries = append(entries, e)
	}
	files := map[string][]byte{}
	j, _ := json.Marshal(entries)
	files["journal/2025Q1.json"] = j
	files[snapshot.PeriodsName], _ = json.Marshal([]snapshot.Period{{Period: "2025Q1", File: "journal/2025Q1.json", First: 1, Last: int64(len(entries)), Head: prev}})
	walk, err := app.VerifyEntries(entries)
	if err != nil {
		t.Fatal(err)
	}
	var bs []app.AccountBalance
	for a, b := range walk.Balances() {
		bs = append(bs, app.AccountBalance{Account: a, Balance: b})
	}
	files["balances.json"], _ = json.Marshal(bs)
	files["bills.csv"] = []byte("\ufeffperiod,unit,kind,area,price,amount\r\n2025-01,1-101,住宅,100.00,1.00,100.00\r\n2025-01,1-102,住宅,100.00,1.00,100.00\r\n")
	files["arrears.csv"] = []byte("\ufeffunit,owed,bills\r\n1-102,20.00,1\r\n")
	files["disclosure/2025Q1-quarterly.pdf"] = []byte("%PDF-1.4 fake")
	files["votes/表决结果 2025.csv"] = []byte("matter,yes\r\n1,10\r\n")
	m := app.Manifest{Format: app.SnapshotFormat, Community: community, Created: created.UTC().Truncate(time.Second), Head: walk.Head, Entries: walk.Seq}
	var names []string
	for n := range files {
		names = append(names, n)
	}
	for n, v := range extra {
		if !strings.HasPrefix(n, "!") {
			files[n] = []byte(v)
			names = append(names, n)
		}
	}
	for _, n := range names {
		s := sha256.Sum256(files[n])
		m.Files = append(m.Files, app.ManifestFile{Name: n, Size: int64(len(files[n])), SHA256: hex.EncodeToString(s[:])})
	}
	mj, _ := json.Marshal(m)
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	add := func(n string, b []byte) {
		w, err := zw.Create(n)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(b)
	}
	for _, n := range names {
		add(n, files[n])
	}
	for n, v := range extra {
		if strings.HasPrefix(n, "!") { // unlisted, e.g. an unsafe name
			add(n[1:], []byte(v))
		}
	}
	add(snapshot.ViewerName, []byte("<!doctype html><title>阳光账本</title>")) // the viewer is not listed: it embeds the manifest
	add(app.ManifestName, mj)
	zw.Close()
	p := filepath.Join(dir, name+".zip")
	if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := snapshot.SignFile(p, p+".minisig", key, app.SnapshotComment(m)); err != nil {
		t.Fatal(err)
	}
	return p
}

func newKey(t testing.TB, dir, name string) minisign.PrivateKey {
	t.Helper()
	pub, priv, err := minisign.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	pt, _ := pub.MarshalText()
	if err := os.WriteFile(filepath.Join(dir, name+".pub"), pt, 0o644); err != nil {
		t.Fatal(err)
	}
	return priv
}

func TestPublishUploadsEverythingAndRepeatUploadsNothing(t *testing.T) {
	ctx := context.Background()
	ep := fakeS3(t, "owners")
	dir := t.TempDir()
	key := newKey(t, dir, "c")
	zp := makeSnapshot(t, dir, "snap", "阳光小区", key, time.Date(2026, 11, 1, 8, 0, 0, 0, time.UTC), nil)
	s := openStore(t, ep, "owners")
	tg, err := ParseTarget("s3://owners/city/sunshine")
	if err != nil {
		t.Fatal(err)
	}
	var progress bytes.Buffer
	res, err := Publish(ctx, s, tg, zp, nil, &progress)
	if err != nil {
		t.Fatal(err)
	}
	if res.Uploaded != res.Files || res.Files != 12 { // 9 entries + zip + sig + latest.json
		t.Fatalf("uploaded %d of %d:\n%s", res.Uploaded, res.Files, progress.String())
	}
	if n := strings.Count(progress.String(), "\n"); n != res.Files {
		t.Fatalf("want one progress line per file, got %d:\n%s", n, progress.String())
	}
	// latest.json is last, and it points at a zip that is there and whole.
	lines := strings.Split(strings.TrimSpace(progress.String()), "\n")
	if !strings.Contains(lines[len(lines)-1], "city/sunshine/latest.json") {
		t.Fatalf("latest.json not last: %s", lines[len(lines)-1])
	}
	l, err := readLatest(ctx, s, tg.Key(LatestName))
	if err != nil {
		t.Fatal(err)
	}
	if l.Snapshot != res.Name || l.Viewer != res.Name+"/index.html" {
		t.Fatalf("latest: %+v", l)
	}
	for _, k := range []string{l.Zip, l.Signature, l.Viewer, res.Name + "/disclosure/2025Q1-quarterly.pdf", res.Name + "/manifest.json", res.Name + "/votes/表决结果 2025.csv"} {
		st, err := s.stat(ctx, tg.Key(k))
		if err != nil || !st.exists {
			t.Fatalf("%s missing: %v", k, err)
		}
	}
	progress.Reset()
	res2, err := Publish(ctx, s, tg, zp, nil, &progress)
	if err != nil {
		t.Fatal(err)
	}
	if res2.Uploaded != 0 {
		t.Fatalf("second publish uploaded %d:\n%s", res2.Uploaded, progress.String())
	}
}

func TestPublishRefusesUnsafeEntryNamesBeforeUploading(t *testing.T) {
	ctx := context.Background()
	ep := fakeS3(t, "owners")
	s := openStore(t, ep, "owners")
	dir := t.TempDir()
	key := newKey(t, dir, "c")
	for _, bad := range []string{"../x", "/etc/x", "a/../../x", "C:\\x", "a//b"} {
		zp := makeSnapshot(t, dir, "bad", "c", key, time.Now(), map[string]string{"!" + bad: "x"})
		_, err := Publish(ctx, s, Target{Bucket: "owners", Prefix: "p"}, zp, nil, io.Discard)
		if err == nil || !strings.Contains(err.Error(), "nothing was uploaded") && !strings.Contains(err.Error(), "未上传任何文件") {
			t.Fatalf("%q: want refusal, got %v", bad, err)
		}
		if n := countObjects(t, s); n != 0 {
			t.Fatalf("%q: %d objects were uploaded", bad, n)
		}
	}
}

func TestPublishNeedsTheSignature(t *testing.T) {
	dir := t.TempDir()
	key := newKey(t, dir, "c")
	zp := makeSnapshot(t, dir, "s", "c", key, time.Now(), nil)
	os.Remove(zp + ".minisig")
	s, _ := Open("http://127.0.0.1:1", "owners", Credentials{AccessKey: "a", SecretKey: "b"})
	_, err := Publish(context.Background(), s, Target{Bucket: "owners"}, zp, nil, io.Discard)
	if err == nil || !strings.Contains(err.Error(), ".minisig") {
		t.Fatalf("got %v", err)
	}
}

func countObjects(t testing.TB, s *Store) int {
	n := 0
	for o := range s.client.ListObjects(context.Background(), s.Bucket, minioListAll()) {
		if o.Err != nil {
			t.Fatal(o.Err)
		}
		n++
	}
	return n
}

func TestWrongCredentialsMissingBucketUnreachableBadURL(t *testing.T) {
	ctx := context.Background()
	ep := fakeS3(t, "owners")
	dir := t.TempDir()
	key := newKey(t, dir, "c")
	zp := makeSnapshot(t, dir, "s", "c", key, time.Now(), nil)
	app.SetEnglish(true)
	defer app.SetEnglish(false)

	wrong, _ := Open(ep, "owners", Credentials{AccessKey: "NOPE", SecretKey: "x"})
	_, err := Publish(ctx, wrong, Target{Bucket: "owners", Prefix: "p"}, zp, nil, io.Discard)
	if app.ErrorCode(err) != app.EUNAUTHORIZED || !strings.Contains(err.Error(), "credentials") {
		t.Fatalf("wrong credentials: %v", err)
	}

	missing := openStore(t, ep, "nosuchbucket")
	_, err = Publish(ctx, missing, Target{Bucket: "nosuchbucket"}, zp, nil, io.Discard)
	if app.ErrorCode(err) != app.ENOTFOUND || !strings.Contains(err.Error(), "has no bucket nosuchbucket") {
		t.Fatalf("missing bucket: %v", err)
	}

	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + l.Addr().String()
	l.Close()
	off := openStore(t, closed, "owners")
	start := time.Now()
	_, err = Publish(ctx, off, Target{Bucket: "owners"}, zp, nil, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "cannot reach the object store") || !strings.Contains(err.Error(), "offline") {
		t.Fatalf("unreachable: %v", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Fatalf("unreachable took %v", d)
	}

	for _, u := range []string{"http://owners/p", "s3://", "s3://UPPER/p", "s3://ok-bucket/a/../b"} {
		if _, err := ParseTarget(u); err == nil || !strings.Contains(err.Error(), "bad storage address") {
			t.Fatalf("%q: %v", u, err)
		}
	}
	for _, e := range []string{"ftp://host", "host:9000", "http://host/path", "http://"} {
		if _, err := Open(e, "owners", Credentials{AccessKey: "a", SecretKey: "b"}); err == nil || !strings.Contains(err.Error(), "--endpoint") {
			t.Fatalf("%q: %v", e, err)
		}
	}
}

func TestCollectThreeCommunitiesOneTampered(t *testing.T) {
	ctx := context.Background()
	ep := fakeS3(t, "city")
	s := openStore(t, ep, "city")
	dir := t.TempDir()
	var csvText strings.Builder
	csvText.WriteString("\ufeffcommunity,pubkey_file\n")
	signed := time.Date(2026, 5, 20, 8, 0, 0, 0, time.UTC)
	for _, c := range []string{"east", "west", "north"} {
		key := newKey(t, dir, c)
		zp := makeSnapshot(t, dir, c, c+"小区", key, signed, nil)
		if c == "west" { // sign west's snapshot with another key
			other := newKey(t, t.TempDir(), "other")
			var sig minisign.Signature
			st, _ := os.ReadFile(zp + ".minisig")
			if err := sig.UnmarshalText(st); err != nil {
				t.Fatal(err)
			}
			if err := snapshot.SignFile(zp, zp+".minisig", other, sig.TrustedComment); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := Publish(ctx, s, Target{Bucket: "city", Prefix: "all/" + c}, zp, nil, io.Discard); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&csvText, "%s,%s.pub\n", c, c)
	}
	// tamper with north's zip in the bucket after publishing: one byte changed
	l, _ := readLatest(ctx, s, "all/north/latest.json")
	zb, _ := os.ReadFile(filepath.Join(dir, "north.zip"))
	zb[len(zb)/2] ^= 0xff
	if err := s.put(ctx, "all/north/"+l.Zip, int64(len(zb)), sha256Hex(zb), "application/zip", func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(zb)), nil }); err != nil {
		t.Fatal(err)
	}
	keysPath := filepath.Join(dir, "keys.csv")
	os.WriteFile(keysPath, []byte(csvText.String()), 0o644)
	keys, err := ReadKeys(keysPath)
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "out")
	from, _ := ParseTarget("s3://city/all")
	rows, err := Collect(ctx, s, from, keys, out, CollectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]Summary{}
	for _, r := range rows {
		byName[r.Community] = r
	}
	e := byName["east"]
	if e.Result != "ok" || !e.Verified || e.ServiceFund != "1000.00" || e.PublicIncomeFund != "200.50" || e.MaintenanceFund != "5000.00" ||
		e.LastDisclosedQuarter != "2025Q1" || e.CollectionRate != "0.9000" || e.Signed != "2026-05-20" || e.OverdueDisclosures == nil || *e.OverdueDisclosures != 4 {
		t.Fatalf("east: %+v", e)
	}
	if w := byName["west"]; w.Verified || w.Result == "ok" || w.ServiceFund != "" {
		t.Fatalf("west (other key): %+v", w)
	}
	if n := byName["north"]; n.Verified || n.Result == "ok" {
		t.Fatalf("north (tampered): %+v", n)
	}
	csvOut, err := os.ReadFile(filepath.Join(out, "summary.csv"))
	if err != nil || !bytes.HasPrefix(csvOut, []byte("\ufeffcommunity,snapshot,head,")) || bytes.Count(csvOut, []byte("\n")) != 4 {
		t.Fatalf("summary.csv: %v\n%s", err, csvOut)
	}
	var js []Summary
	jb, _ := os.ReadFile(filepath.Join(out, "summary.json"))
	if err := json.Unmarshal(jb, &js); err != nil || len(js) != 3 {
		t.Fatalf("summary.json: %v %s", err, jb)
	}
	t.Logf("west: %s\nnorth: %s", byName["west"].Result, byName["north"].Result)
}

func TestReadKeys(t *testing.T) {
	for _, c := range []struct{ name, text, want string }{
		{"header", "name,key\na,a.pub\n", "header"},
		{"slash", "community,pubkey_file\na/b,a.pub\n", "folder name"},
		{"dotdot", "community,pubkey_file\n..,a.pub\n", "folder name"},
		{"dup", "community,pubkey_file\na,a.pub\na,b.pub\n", "twice"},
		{"empty", "community,pubkey_file\n", "no community"},
	} {
		app.SetEnglish(true)
		_, err := ParseKeys("/k/keys.csv", []byte(c.text))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v", c.name, err)
		}
		app.SetEnglish(false)
	}
	k, err := ParseKeys("/k/keys.csv", []byte("\ufeffcommunity,pubkey_file\r\n东区,keys/东区.pub\r\n"))
	if err != nil || k[0].Community != "东区" || k[0].PubFile != filepath.Join("/k", "keys", "东区.pub") {
		t.Fatalf("%+v %v", k, err)
	}
}

func TestParseCredentials(t *testing.T) {
	for _, c := range []struct{ text, key, secret string }{
		{"AKID\nSECRET\n", "AKID", "SECRET"},
		{"[default]\naws_access_key_id = AKID\naws_secret_access_key=SECRET\n", "AKID", "SECRET"},
		{"[other]\naws_access_key_id = X\naws_secret_access_key=Y\n[default]\naws_access_key_id = AKID\naws_secret_access_key=SECRET\n", "AKID", "SECRET"},
	} {
		cr, err := ParseCredentials("f", c.text)
		if err != nil || cr.AccessKey != c.key || cr.SecretKey != c.secret {
			t.Errorf("%q: %+v %v", c.text, cr, err)
		}
	}
	for _, bad := range []string{"", "only-one-line", "a b\nc\n", "[default]\naws_access_key_id=x\n"} {
		if _, err := ParseCredentials("f", bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestOverdueDisclosures(t *testing.T) {
	signed := time.Date(2026, 5, 20, 0, 0, 0, 0, time.UTC) // 2026Q2 under way: 2025Q1..2026Q1 complete
	for _, c := range []struct {
		first     string
		disclosed []int
		want      int
	}{
		{"2025-01-10", nil, 5},
		{"2025-01-10", []int{20251, 20252, 20253, 20254, 20261}, 0},
		{"2025-08-01", []int{20253}, 2},
		{"2026-04-01", nil, 0},
		{"2019-04-01", []int{20254}, 4},
	} {
		d := map[int]bool{}
		for _, q := range c.disclosed {
			d[q] = true
		}
		if got := OverdueDisclosures(c.first, signed, d); got != c.want {
			t.Errorf("%s %v: got %d want %d", c.first, c.disclosed, got, c.want)
		}
	}
}

// TestPublishRetriesTransientErrors: the store answers 503 SlowDown twice, then works.
func TestPublishRetriesTransientErrors(t *testing.T) {
	be, err := s3bolt.NewFile(filepath.Join(t.TempDir(), "s3.bolt"))
	if err != nil {
		t.Fatal(err)
	}
	be.CreateBucket("owners")
	h := gofakes3.New(be, gofakes3.WithLogger(gofakes3.DiscardLog())).Server()
	var mu sync.Mutex
	calls := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		calls++
		n := calls
		mu.Unlock()
		if n <= 2 {
			w.Header().Set("Content-Type", "application/xml")
			w.WriteHeader(http.StatusServiceUnavailable)
			io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?><Error><Code>SlowDown</Code><Message>slow down</Message></Error>`)
			return
		}
		h.ServeHTTP(w, r)
	}))
	defer srv.Close()
	dir := t.TempDir()
	zp := makeSnapshot(t, dir, "s", "c", newKey(t, dir, "c"), time.Now(), nil)
	s := openStore(t, srv.URL, "owners")
	res, err := Publish(context.Background(), s, Target{Bucket: "owners", Prefix: "p"}, zp, nil, io.Discard)
	if err != nil || res.Uploaded != res.Files {
		t.Fatalf("%+v %v", res, err)
	}
	if calls <= 2 {
		t.Fatal("no retry happened")
	}
}

// TestPublishKeepsTheNewestAndRefusesAlteredSnapshots: an older snapshot does not
// replace a newer one in latest.json, and a zip whose files do not match its manifest is
// refused before any upload.
func TestPublishKeepsTheNewestAndRefusesAlteredSnapshots(t *testing.T) {
	ctx := context.Background()
	ep := fakeS3(t, "owners")
	s := openStore(t, ep, "owners")
	dir := t.TempDir()
	key := newKey(t, dir, "c")
	tg := Target{Bucket: "owners", Prefix: "p"}
	newer := makeSnapshot(t, dir, "new", "c", key, time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC), nil)
	older := makeSnapshot(t, dir, "old", "c", key, time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC), nil)
	if _, err := Publish(ctx, s, tg, newer, nil, io.Discard); err != nil {
		t.Fatal(err)
	}
	before := countObjects(t, s)
	_, err := Publish(ctx, s, tg, older, nil, io.Discard)
	if app.ErrorCode(err) != app.ECONFLICT || countObjects(t, s) != before {
		t.Fatalf("older over newer: %v (%d objects, had %d)", err, countObjects(t, s), before)
	}
	altered := makeSnapshot(t, dir, "alt", "c", key, time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC), map[string]string{"!unlisted.txt": "x"})
	if _, err := Publish(ctx, s, tg, altered, nil, io.Discard); err == nil || countObjects(t, s) != before {
		t.Fatalf("altered snapshot: %v", err)
	}
	// with --pub, a snapshot signed by another key is refused
	pub, err := snapshot.ReadPublicKey(filepath.Join(dir, "c.pub"))
	if err != nil {
		t.Fatal(err)
	}
	otherDir := t.TempDir()
	foreign := makeSnapshot(t, otherDir, "f", "c", newKey(t, otherDir, "x"), time.Date(2026, 8, 1, 0, 0, 0, 0, time.UTC), nil)
	if _, err := Publish(ctx, s, tg, foreign, &pub, io.Discard); err == nil || countObjects(t, s) != before {
		t.Fatalf("foreign key: %v", err)
	}
}

func TestCollectWrongCredentialsFailsWhole(t *testing.T) {
	ep := fakeS3(t, "city")
	s, _ := Open(ep, "city", Credentials{AccessKey: "NOPE", SecretKey: "x"})
	out := filepath.Join(t.TempDir(), "out")
	_, err := Collect(context.Background(), s, Target{Bucket: "city"}, []KeyEntry{{Community: "a", PubFile: "a.pub"}}, out, CollectOptions{})
	if app.ErrorCode(err) != app.EUNAUTHORIZED {
		t.Fatalf("got %v", err)
	}
	if _, err := os.Stat(filepath.Join(out, "summary.csv")); err == nil {
		t.Fatal("a summary was written")
	}
}

func FuzzParseKeys(f *testing.F) {
	f.Add([]byte("community,pubkey_file\na,a.pub\n"))
	f.Add([]byte("\ufeffcommunity,pubkey_file\r\n东区,k/东区.pub\r\n"))
	f.Add([]byte("community,pubkey_file\n..,x\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		keys, err := ParseKeys("/k/keys.csv", b)
		if err != nil {
			return
		}
		for _, k := range keys {
			if !SafeEntryName(k.Community) || strings.Contains(k.Community, "/") || k.PubFile == "" {
				t.Fatalf("accepted %+v", k)
			}
		}
	})
}

func FuzzParseCredentials(f *testing.F) {
	f.Add("AKID\nSECRET\n")
	f.Add("[default]\naws_access_key_id = A\naws_secret_access_key = B\n")
	f.Fuzz(func(t *testing.T, s string) {
		c, err := ParseCredentials("f", s)
		if err == nil && (c.AccessKey == "" || c.SecretKey == "") {
			t.Fatalf("accepted empty credentials from %q", s)
		}
	})
}

func FuzzParseTarget(f *testing.F) {
	f.Add("s3://bucket/a/b")
	f.Add("s3://b/../x")
	f.Fuzz(func(t *testing.T, s string) {
		tg, err := ParseTarget(s)
		if err != nil {
			return
		}
		if !validBucket(tg.Bucket) || (tg.Prefix != "" && !SafeEntryName(tg.Prefix)) {
			t.Fatalf("accepted %q as %+v", s, tg)
		}
	})
}

// A store that keeps something other than what was sent (an S3 look-alike storing the
// upload's framing raw) is caught by reading each object back: publish fails naming the
// object instead of saying it was uploaded. Uploads are UNSIGNED-PAYLOAD, which such
// stores accept, not aws-chunked streaming signatures.
func TestPublishReadsBackEachObjectAndNamesOneTheStoreAltered(t *testing.T) {
	be, err := s3bolt.NewFile(filepath.Join(t.TempDir(), "s3.bolt"))
	if err != nil {
		t.Fatal(err)
	}
	be.CreateBucket("owners")
	h := gofakes3.New(be, gofakes3.WithLogger(gofakes3.DiscardLog())).Server()
	var chunked sync.Map
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPut {
			if sha := r.Header.Get("X-Amz-Content-Sha256"); strings.HasPrefix(sha, "STREAMING-") {
				chunked.Store(r.URL.Path, sha)
			}
			if strings.HasSuffix(r.URL.Path, "/manifest.json") { // the store adds a trailer of its own
				body, _ := io.ReadAll(r.Body)
				body = append(body, "\r\n0;chunk-signature=00\r\n"...)
				r.Body = io.NopCloser(bytes.NewReader(body))
				r.ContentLength = int64(len(body))
				r.Header.Set("Content-Length", strconv.Itoa(len(body)))
			}
		}
		h.ServeHTTP(w, r)
	}))
	defer srv.Close()
	dir := t.TempDir()
	zp := makeSnapshot(t, dir, "s", "c", newKey(t, dir, "c"), time.Now(), nil)
	s := openStore(t, srv.URL, "owners")
	_, err = Publish(context.Background(), s, Target{Bucket: "owners", Prefix: "p"}, zp, nil, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "manifest.json") {
		t.Fatalf("an altered object was not named: %v", err)
	}
	chunked.Range(func(k, v any) bool {
		t.Errorf("%s was uploaded with a streaming signature (%s)", k, v)
		return true
	})
}
