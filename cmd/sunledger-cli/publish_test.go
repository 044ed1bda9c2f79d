package main

import (
	"bytes"
	"encoding/json"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3bolt"
)

// TestCLI_SnapshotPublishAndCollect publishes the demo snapshot to an in-process S3
// server (gofakes3 on a bolt file in a temp folder), publishes it again (nothing new is
// uploaded), and collects it with one community that was never published.
func TestCLI_SnapshotPublishAndCollect(t *testing.T) {
	slow(t, "the committee key's scrypt (about 1 GiB) on every use")
	snapshotBook(t)
	be, err := s3bolt.NewFile(filepath.Join(t.TempDir(), "s3.bolt"))
	if err != nil {
		t.Fatal(err)
	}
	if err := be.CreateBucket("city"); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(gofakes3.New(be, gofakes3.WithLogger(gofakes3.DiscardLog())).Server())
	defer srv.Close()
	t.Setenv("AWS_ACCESS_KEY_ID", "")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "")
	dir := t.TempDir()
	creds := writeFile(t, dir, "creds", "[default]\naws_access_key_id = AKID\naws_secret_access_key = SECRET\n")
	none := filepath.Join(dir, "nobook")

	r := fails(t, none, "snapshot", "publish", snap.zip, "--to", "s3://city/all/east", "--endpoint", srv.URL)
	if !strings.Contains(r.stderr, "AWS_ACCESS_KEY_ID") {
		t.Fatalf("no credentials: %s", r.stderr)
	}
	r = ok(t, none, "snapshot", "publish", snap.zip, "--to", "s3://city/all/east", "--endpoint", srv.URL, "--credentials", creds, "--pub", snap.pub)
	if !strings.Contains(r.stderr, "latest.json") || !strings.Contains(r.stderr, "index.html") && !strings.Contains(r.stderr, "manifest.json") {
		t.Fatalf("progress:\n%s", r.stderr)
	}
	r = ok(t, none, "snapshot", "publish", snap.zip, "--to", "s3://city/all/east", "--endpoint", srv.URL, "--credentials", creds)
	if strings.Contains(r.stderr, "已上传") || !strings.Contains(r.stdout, "新上传 0 个") {
		t.Fatalf("second publish uploaded something:\n%s\n%s", r.stdout, r.stderr)
	}
	r = fails(t, none, "snapshot", "publish", snap.zip, "--to", "s3://nosuch/all", "--endpoint", srv.URL, "--credentials", creds)
	if !strings.Contains(r.stderr, "nosuch") {
		t.Fatalf("missing bucket: %s", r.stderr)
	}

	os.WriteFile(filepath.Join(dir, "east.pub"), mustRead(t, snap.pub), 0o644)
	os.WriteFile(filepath.Join(dir, "west.pub"), mustRead(t, snap.pub), 0o644)
	keys := writeFile(t, dir, "keys.csv", "community,pubkey_file\neast,east.pub\nwest,west.pub\n")
	out := filepath.Join(dir, "out")
	r = cli(t, none, "snapshot", "collect", "--from", "s3://city/all", "--keys", keys, "--out", out, "--endpoint", srv.URL, "--credentials", creds)
	if r.code != 1 || !strings.Contains(r.stderr, "west") {
		t.Fatalf("collect with an unpublished community: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	var rows []map[string]any
	if err := json.Unmarshal(mustRead(t, filepath.Join(out, "summary.json")), &rows); err != nil || len(rows) != 2 {
		t.Fatalf("summary.json: %v %v", err, rows)
	}
	if rows[0]["result"] != "ok" || rows[0]["head"] != snap.head || rows[0]["service_fund"] == "" {
		t.Fatalf("east: %v", rows[0])
	}
	if rows[1]["result"] == "ok" || !strings.Contains(rows[1]["result"].(string), "latest.json") {
		t.Fatalf("west: %v", rows[1])
	}
	if b := mustRead(t, filepath.Join(out, "summary.csv")); !bytes.HasPrefix(b, []byte("\ufeffcommunity,")) {
		t.Fatalf("summary.csv: %s", b)
	}
	t.Logf("east: %v", rows[0])
}

func mustRead(t *testing.T, p string) []byte {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
