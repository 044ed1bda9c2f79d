package s3store

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"
)

func minioListAll() minio.ListObjectsOptions { return minio.ListObjectsOptions{Recursive: true} }

// BenchmarkCollect500 collects 500 generated communities, each a small signed snapshot
// published under its own prefix, from the in-test S3 server.
func BenchmarkCollect500(b *testing.B) {
	const n = 500
	ctx := context.Background()
	ep := fakeS3(b, "city")
	s := openStore(b, ep, "city")
	dir := b.TempDir()
	key := newKey(b, dir, "shared")
	var keys strings.Builder
	keys.WriteString("community,pubkey_file\n")
	start := time.Now()
	for i := 0; i < n; i++ {
		c := fmt.Sprintf("c%03d", i)
		zp := makeSnapshot(b, dir, c, c, key, time.Date(2026, 5, 20, 8, 0, 0, 0, time.UTC), nil)
		if _, err := Publish(ctx, s, Target{Bucket: "city", Prefix: "all/" + c}, zp, nil, io.Discard); err != nil {
			b.Fatal(err)
		}
		fmt.Fprintf(&keys, "%s,shared.pub\n", c)
	}
	b.Logf("published %d communities in %v", n, time.Since(start))
	kp := filepath.Join(dir, "keys.csv")
	os.WriteFile(kp, []byte(keys.String()), 0o644)
	ks, err := ReadKeys(kp)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		rows, err := Collect(ctx, s, Target{Bucket: "city", Prefix: "all"}, ks, filepath.Join(b.TempDir(), "out"), CollectOptions{})
		if err != nil {
			b.Fatal(err)
		}
		for _, r := range rows {
			if r.Result != "ok" {
				b.Fatalf("%s: %s", r.Community, r.Result)
			}
		}
		b.Logf("collected %d communities in %v", len(rows), time.Since(t0))
	}
}
