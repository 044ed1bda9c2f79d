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

	"aead.dev/minisign"

	"sunledger/internal/tlogtest"
	"sunledger/witness"
)

// TestCollect_ActsAsAWitnessAndFailsOnAForkOrRollback collects three rounds from the
// real S3 endpoint: every checkpoint first seen is recorded, an extension is cosigned,
// and a split view (another history under the same origin) or a rollback (a snapshot
// made from an older copy of the book) fails its row and the collect.
func TestCollect_ActsAsAWitnessAndFailsOnAForkOrRollback(t *testing.T) {
	ctx := context.Background()
	ep := fakeS3(t, "city")
	s := openStore(t, ep, "city")
	dir := t.TempDir()
	out := filepath.Join(t.TempDir(), "out")
	from, _ := ParseTarget("s3://city/all")
	var csvText strings.Builder
	csvText.WriteString("community,pubkey_file\n")
	keys := map[string]minisign.PrivateKey{}
	logs := map[string]*tlogtest.Log{}
	for _, c := range []string{"east", "west", "south"} {
		keys[c] = newKey(t, dir, c)
		logs[c] = &tlogtest.Log{}
		fmt.Fprintf(&csvText, "%s,%s.pub\n", c, c)
	}
	keysPath := filepath.Join(dir, "keys.csv")
	os.WriteFile(keysPath, []byte(csvText.String()), 0o644)
	kl, err := ReadKeys(keysPath)
	if err != nil {
		t.Fatal(err)
	}
	day := time.Date(2026, 6, 1, 8, 0, 0, 0, time.UTC)
	publish := func(c string, lg *tlogtest.Log, n int64, earlier ...int64) {
		t.Helper()
		day = day.Add(time.Hour)
		origin := "sunledger/" + c + "-book"
		zp := filepath.Join(t.TempDir(), c+".zip")
		err := tlogtest.WriteSnapshot(zp, c+"小区", keys[c], day, map[string][]byte{
			witness.CheckpointName: lg.Checkpoint(origin, n, keys[c]),
			witness.ProofsName:     lg.ProofsJSON(n, earlier...),
		})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := Publish(ctx, s, Target{Bucket: "city", Prefix: "all/" + c}, zp, nil, io.Discard); err != nil {
			t.Fatal(err)
		}
	}
	collect := func(wantWitness map[string]string) map[string]Summary {
		t.Helper()
		rows, err := Collect(ctx, s, from, kl, out, CollectOptions{})
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]Summary{}
		for _, r := range rows {
			got[r.Community] = r
			if r.Witness != wantWitness[r.Community] {
				t.Errorf("%s: witness %q, want %q (%s)", r.Community, r.Witness, wantWitness[r.Community], r.Result)
			}
			refused := r.Witness != witness.First && r.Witness != witness.Extends && r.Witness != witness.Same
			if r.Verified == refused || (r.Result == "ok") == refused {
				t.Errorf("%s: verified %v, result %q", r.Community, r.Verified, r.Result)
			}
			if !refused {
				if _, err := os.Stat(filepath.Join(out, "snapshots", r.Community+".zip.cosig")); err != nil {
					t.Errorf("%s: no cosignature: %v", r.Community, err)
				}
			} else if r.ServiceFund != "" || strings.Contains(r.Result, "\n") {
				t.Errorf("%s: a refused row shows figures or a multi-line reason: %+v", r.Community, r)
			}
		}
		return got
	}
	for c, lg := range logs {
		lg.AppendN(map[string]int{"east": 5, "west": 4, "south": 6}[c])
	}
	publish("east", logs["east"], 5)
	publish("west", logs["west"], 4)
	publish("south", logs["south"], 6)
	collect(map[string]string{"east": witness.First, "west": witness.First, "south": witness.First})
	if _, err := os.Stat(filepath.Join(out, "witness", witness.VKeyName)); err != nil {
		t.Fatalf("the witness state is not in DIR/witness: %v", err)
	}

	// east extends its log; west publishes another history under its origin; south a
	// snapshot made from an older copy of its book (a smaller tree)
	logs["east"].AppendN(4)
	publish("east", logs["east"], 9, 5)
	other := &tlogtest.Log{}
	other.AppendN(2)
	other.Append([]byte("a payment nobody approved\n"))
	other.AppendN(4)
	publish("west", other, 7, 4)
	publish("south", logs["south"], 3)
	got := collect(map[string]string{"east": witness.Extends, "west": witness.Fork, "south": witness.Rollback})
	if !strings.Contains(got["west"].Result, "fork") && !strings.Contains(got["west"].Result, "分叉") {
		t.Errorf("west: %q", got["west"].Result)
	}
	csvOut, _ := os.ReadFile(filepath.Join(out, "summary.csv"))
	if !strings.Contains(string(csvOut), ",result,witness\r\n") || !strings.Contains(string(csvOut), ",extends\r\n") || !strings.Contains(string(csvOut), ",fork\r\n") {
		t.Errorf("summary.csv:\n%s", csvOut)
	}
	jsonOut, _ := os.ReadFile(filepath.Join(out, "summary.json"))
	if !strings.Contains(string(jsonOut), `"witness": "rollback"`) {
		t.Errorf("summary.json:\n%s", jsonOut)
	}

	// the refusals recorded nothing: the same again gives the same verdicts, and the
	// witness still holds east at 9
	collect(map[string]string{"east": witness.Same, "west": witness.Fork, "south": witness.Rollback})

	// east publishes a snapshot without a checkpoint (made from a copy of the book from
	// before the record log): a rollback too
	day = day.Add(time.Hour)
	zp := filepath.Join(t.TempDir(), "east.zip")
	if err := tlogtest.WriteSnapshot(zp, "east小区", keys["east"], day, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := Publish(ctx, s, Target{Bucket: "city", Prefix: "all/east"}, zp, nil, io.Discard); err != nil {
		t.Fatal(err)
	}
	collect(map[string]string{"east": witness.Rollback, "west": witness.Fork, "south": witness.Rollback})

	// --witness-state elsewhere: a fresh witness records what it sees first
	rows, err := Collect(ctx, s, from, kl, filepath.Join(t.TempDir(), "out2"), CollectOptions{WitnessDir: filepath.Join(dir, "office")})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if want := map[bool]string{true: "none", false: witness.First}[r.Community == "east"]; r.Witness != want {
			t.Errorf("%s with a new witness: %q %s", r.Community, r.Witness, r.Result)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "office", witness.KeyName)); err != nil {
		t.Fatal(err)
	}
}
