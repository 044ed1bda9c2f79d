package s3store

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"sunledger/internal/testtool"
)

// s3rverVersion is the independent S3-compatible store the publish tests also run against
// (the npm package s3rver, installed by .ci/deps.sh): a Node.js server, not minio-go's
// or gofakes3's code, and one that keeps aws-chunked bodies raw (issue 27).
const s3rverVersion = "3.7.1"

// startS3rver starts s3rver on 127.0.0.1 with a port of its choosing, its data in a temp
// folder, holding the given buckets, and returns its endpoint. It is stopped when the test
// ends. Its credentials are its defaults, S3RVER / S3RVER; it checks the signature.
func startS3rver(t *testing.T, buckets ...string) string {
	t.Helper()
	bin := testtool.Require(t, "s3rver")
	if out, err := exec.Command(bin, "--version").Output(); err != nil || strings.TrimSpace(string(out)) != s3rverVersion {
		testtool.Missing(t, fmt.Sprintf("s3rver %s is needed, found %q (%v)", s3rverVersion, strings.TrimSpace(string(out)), err))
	}
	args := []string{"-d", t.TempDir(), "-a", "127.0.0.1", "-p", "0"}
	for _, b := range buckets {
		args = append(args, "--configure-bucket", b)
	}
	cmd := exec.Command(bin, args...)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	addr := make(chan string, 1)
	go func() {
		listening := regexp.MustCompile(`listening on (127\.0\.0\.1:\d+)`)
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if m := listening.FindStringSubmatch(sc.Text()); m != nil {
				addr <- m[1]
				break
			}
		}
		io.Copy(io.Discard, out) // its request log
	}()
	select {
	case a := <-addr:
		return "http://" + a
	case <-time.After(60 * time.Second):
		t.Fatalf("s3rver did not start within 60 s: %s", stderr.String())
	}
	return ""
}

// Against s3rver: the snapshot is published whole (every object read back as sent:
// latest.json is byte for byte what was uploaded), publishing it again uploads nothing,
// and collect reads it back and verifies it.
func TestPublishAndCollectAgainstS3rver(t *testing.T) {
	ctx := context.Background()
	ep := startS3rver(t, "owners")
	s, err := Open(ep, "owners", Credentials{AccessKey: "S3RVER", SecretKey: "S3RVER"})
	if err != nil {
		t.Fatal(err)
	}
	s.Backoff = 20 * time.Millisecond
	dir := t.TempDir()
	key := newKey(t, dir, "east")
	zp := makeSnapshot(t, dir, "east", "阳光小区", key, time.Date(2026, 11, 1, 8, 0, 0, 0, time.UTC), nil)
	tg := Target{Bucket: "owners", Prefix: "city/east"}

	var progress bytes.Buffer
	res, err := Publish(ctx, s, tg, zp, nil, &progress)
	if err != nil {
		t.Fatalf("publish: %v\n%s", err, progress.String())
	}
	if res.Uploaded != res.Files || res.Files != 12 {
		t.Fatalf("uploaded %d of %d:\n%s", res.Uploaded, res.Files, progress.String())
	}
	// What the store serves is what was sent, not the upload's framing.
	l, err := readLatest(ctx, s, tg.Key(LatestName))
	if err != nil {
		t.Fatalf("latest.json as stored: %v", err)
	}
	var zipBack bytes.Buffer
	if err := s.get(ctx, tg.Key(l.Zip), 1<<30, func() (io.Writer, error) { zipBack.Reset(); return &zipBack, nil }); err != nil {
		t.Fatal(err)
	}
	if zb, _ := os.ReadFile(zp); !bytes.Equal(zipBack.Bytes(), zb) {
		t.Fatalf("the stored zip is %d bytes, %d were sent", zipBack.Len(), len(zb))
	}

	progress.Reset()
	res2, err := Publish(ctx, s, tg, zp, nil, &progress)
	if err != nil {
		t.Fatal(err)
	}
	if res2.Uploaded != 0 {
		t.Fatalf("the second publish uploaded %d of %d:\n%s", res2.Uploaded, res2.Files, progress.String())
	}

	keysPath := filepath.Join(dir, "keys.csv")
	if err := os.WriteFile(keysPath, []byte("community,pubkey_file\neast,east.pub\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	keys, err := ReadKeys(keysPath)
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "out")
	rows, err := Collect(ctx, s, Target{Bucket: "owners", Prefix: "city"}, keys, out, CollectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 || rows[0].Result != "ok" || !rows[0].Verified || rows[0].Snapshot != res.Name || rows[0].ServiceFund != "1000.00" {
		t.Fatalf("collect: %+v", rows)
	}
	if b, err := os.ReadFile(filepath.Join(out, "snapshots", "east.zip")); err != nil || !bytes.Equal(b, zipBack.Bytes()) {
		t.Fatalf("collected zip differs from the published one: %v", err)
	}
}
