package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The resume tests SIGKILL a child sunledger-cli at seeded random points of a run, then
// check that the next run settles what the kill left and that the totals come out
// exactly (docs/resume.md). -kills sets the number of kills per command (the long
// version: go test -run Resume ./cmd/sunledger-cli -args -kills=100); -kill-seed the seed.
var (
	killsFlag = flag.Int("kills", 0, "SIGKILLs per command in the resume tests (0: 10; -short skips them)")
	killSeed  = flag.Uint64("kill-seed", 10, "seed of the kill points")
)

func kills() int {
	if *killsFlag > 0 {
		return *killsFlag
	}
	return 10
}

// timed runs the command to its end and returns how long it took.
func timed(t *testing.T, data string, args ...string) time.Duration {
	t.Helper()
	start := time.Now()
	ok(t, data, args...)
	return time.Since(start)
}

// killAt starts the command and SIGKILLs it after wait (no Close, no deferred flush: a
// power cut or a killed program); it reports whether the command had already finished.
func killAt(t *testing.T, wait time.Duration, data string, args ...string) bool {
	t.Helper()
	cmd := exec.Command(binPath, append([]string{"--data", data}, args...)...)
	cmd.Env = append(os.Environ(), "LANG=zh_CN.UTF-8", "SUNLEDGER_LANG=")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		return err == nil
	case <-time.After(wait):
	}
	cmd.Process.Kill()
	<-done
	return false
}

// randomWait is a point in a run of length full (a few past its end).
func randomWait(rng *rand.Rand, full time.Duration) time.Duration {
	return time.Duration(rng.Int64N(int64(full + full/5)))
}

// noLeftovers fails if anything but the data folder and the names in keep is beside it.
func noLeftovers(t *testing.T, data string, keep ...string) {
	t.Helper()
	ents, _ := os.ReadDir(filepath.Dir(data))
	for _, e := range ents {
		n := e.Name()
		if n == filepath.Base(data) || strings.Contains(strings.Join(keep, "\x00"), n) {
			continue
		}
		t.Errorf("left beside the data folder: %s", n)
	}
}

// TestResume_DemoKilledAnywhereLeavesNoHalfBook: a demo killed at random points leaves
// either no book or the whole demo; the next run says what it removed and builds the
// demo from the start, its balances equal to an uninterrupted twin's.
func TestResume_DemoKilledAnywhereLeavesNoHalfBook(t *testing.T) {
	slow(t, "a kill loop")
	rng := rand.New(rand.NewPCG(*killSeed, 1))
	args := []string{"demo", "--units", "24", "--years", "1", "--seed", "5"}
	twin := filepath.Join(t.TempDir(), "book")
	full := timed(t, twin, args...)
	want := ok(t, twin, "ledger", "balance", "--json").stdout
	data := filepath.Join(t.TempDir(), "book")
	notes := 0
	for i := 0; i < kills(); i++ {
		wait := randomWait(rng, full)
		finished := killAt(t, wait, data, args...)
		r := cli(t, data, "ledger", "balance", "--json")
		t.Logf("kill %d after %v of %v (finished %v): exit %d %s", i, wait, full, finished, r.code, strings.TrimSpace(r.stderr))
		if strings.Contains(r.stderr, "注意：") {
			notes++
		}
		if r.code == 0 { // the whole demo, or nothing
			if r.stdout != want {
				t.Fatalf("kill %d: a book with other balances:\n%s", i, r.stdout)
			}
			ok(t, data, "verify")
			break
		}
		if !strings.Contains(r.stderr, "还没有账本") {
			t.Fatalf("kill %d: neither the whole demo nor no book: %s", i, r.stderr)
		}
		noLeftovers(t, data)
	}
	t.Logf("%d runs found something to settle", notes)
	if r := cli(t, data, "verify"); r.code != 0 {
		ok(t, data, args...)
	}
	ok(t, data, "verify")
	if got := ok(t, data, "ledger", "balance", "--json").stdout; got != want {
		t.Errorf("balances after the re-run differ from the twin's:\n%s\nvs\n%s", got, want)
	}
	noLeftovers(t, data)
}

// TestResume_RestoreKilledAnywhereLeavesTheOldBookOrTheNewOne: a restore --force killed
// at random points leaves the old book or the backup's, whole (verify passes, balances
// equal one of the two exactly), never a mix; the next command says which; a re-run
// finishes it.
func TestResume_RestoreKilledAnywhereLeavesTheOldBookOrTheNewOne(t *testing.T) {
	slow(t, "a kill loop")
	rng := rand.New(rand.NewPCG(*killSeed, 2))
	tmp := t.TempDir()
	src := filepath.Join(tmp, "src")
	ok(t, src, "demo", "--units", "60", "--years", "1")
	pass := writeFile(t, tmp, "pass.txt", "备份口令 2026\n")
	bak := filepath.Join(tmp, "book.slbak")
	ok(t, src, "backup", "--out", bak, "--passphrase-file", pass)
	newBal := ok(t, src, "ledger", "balance", "--json").stdout

	data := filepath.Join(t.TempDir(), "book")
	ok(t, data, "init", "--name", "旧小区")
	ok(t, data, "units", "import", writeFile(t, tmp, "units.csv", "unit,kind,area,owner_id,owner_name\n1-1-101,residential,80.00,O1,王伟\n"))
	ok(t, data, "fees", "price", "--kind", "residential", "--price", "2.00", "--from", "2025-01")
	ok(t, data, "fees", "bill", "--period", "2025-01")
	oldBal := ok(t, data, "ledger", "balance", "--json").stdout
	restore := []string{"restore", bak, "--force", "--passphrase-file", pass}
	twin := filepath.Join(t.TempDir(), "book")
	full := timed(t, twin, restore...)

	seen := map[string]int{}
	for i := 0; i < kills(); i++ {
		wait := randomWait(rng, full)
		killAt(t, wait, data, restore...)
		r := ok(t, data, "ledger", "balance", "--json")
		which := "old"
		switch r.stdout {
		case oldBal:
		case newBal:
			which = "new"
		default:
			t.Fatalf("kill %d after %v: balances of neither book:\n%s", i, wait, r.stdout)
		}
		seen[which]++
		// (A kill while the old book was open may also leave it to be replayed: its own note.)
		if strings.Contains(r.stderr, "替换账本") && !strings.Contains(r.stderr, map[string]string{"old": "原来的账本", "new": "新账本"}[which]) {
			t.Errorf("kill %d: the note does not say the %s book is there: %s", i, which, r.stderr)
		}
		t.Logf("kill %d after %v of %v: %s book; %s", i, wait, full, which, strings.TrimSpace(r.stderr))
		ok(t, data, "verify")
		noLeftovers(t, data)
		if which == "new" { // start again from the old book
			os.RemoveAll(data)
			ok(t, data, "init", "--name", "旧小区")
			ok(t, data, "units", "import", filepath.Join(tmp, "units.csv"))
			ok(t, data, "fees", "price", "--kind", "residential", "--price", "2.00", "--from", "2025-01")
			ok(t, data, "fees", "bill", "--period", "2025-01")
		}
	}
	t.Logf("after the kills: %v", seen)
	ok(t, data, restore...)
	ok(t, data, "verify")
	if got := ok(t, data, "ledger", "balance", "--json").stdout; got != newBal {
		t.Errorf("re-run restore: balances differ from the backup's")
	}
	noLeftovers(t, data)
}

// TestResume_SnapshotExportKilledAnywhereNeverPairsAZipWithAnotherSignature: a snapshot
// export killed at random points, over an earlier snapshot of the same name, leaves a
// pair that verifies or a zip with no signature beside it (never half a file, never a
// zip beside another zip's signature); re-running the export finishes it.
func TestResume_SnapshotExportKilledAnywhereNeverPairsAZipWithAnotherSignature(t *testing.T) {
	slow(t, "a kill loop")
	rng := rand.New(rand.NewPCG(*killSeed, 3))
	tmp := t.TempDir()
	data := filepath.Join(tmp, "book")
	ok(t, data, "demo", "--units", "24", "--years", "1", "--seed", "5")
	pass := writeFile(t, tmp, "pass", "正确的口令 correct horse\n")
	ok(t, data, "keys", "new", "--out", filepath.Join(tmp, "ck"), "--passphrase-file", pass)
	key, pub := filepath.Join(tmp, "ck.key"), filepath.Join(tmp, "ck.pub")
	outDir := t.TempDir()
	out := filepath.Join(outDir, "s.zip")
	export := []string{"snapshot", "export", "--key", key, "--out", out, "--passphrase-file", pass}
	full := timed(t, data, export...)
	for i := 0; i < (kills()+1)/2; i++ { // an export takes seconds (the key's KDF): half as many
		wait := randomWait(rng, full)
		killAt(t, wait, data, export...)
		_, zerr := os.Stat(out)
		_, serr := os.Stat(out + ".minisig")
		state := "pair"
		switch {
		case zerr != nil:
			t.Fatalf("kill %d: the zip is gone", i)
		case serr != nil:
			state = "zip without signature"
			fails(t, outDir, "snapshot", "verify", out, "--pub", pub)
		default:
			ok(t, outDir, "snapshot", "verify", out, "--pub", pub)
		}
		t.Logf("kill %d after %v of %v: %s", i, wait, full, state)
		ok(t, data, "verify")
	}
	ok(t, data, export...)
	ok(t, outDir, "snapshot", "verify", out, "--pub", pub)
	ents, _ := os.ReadDir(outDir)
	if len(ents) != 2 {
		t.Errorf("left beside the snapshot: %v", ents)
	}
}

// TestResume_VoteEnterKilledAnywhereEntersTheWholeFileOrNothing: a ballot file of many
// rows entered and killed at random points is in the book whole or not at all (one
// transaction): the re-run either enters it or is refused as already entered, and the
// tally counts exactly the file's ballots.
func TestResume_VoteEnterKilledAnywhereEntersTheWholeFileOrNothing(t *testing.T) {
	slow(t, "a kill loop")
	rng := rand.New(rand.NewPCG(*killSeed, 4))
	dir := t.TempDir()
	data := filepath.Join(dir, "book")
	ok(t, data, "init", "--name", "测试小区")
	const n = 1500
	var reg, ballots strings.Builder
	reg.WriteString("unit,kind,area,owner_id,owner_name\n")
	ballots.WriteString("票号,房号,事项1\n")
	for i := 0; i < n; i++ {
		u := fmt.Sprintf("%d-1-%d", i/100+1, i%100+101)
		fmt.Fprintf(&reg, "%s,residential,80,O%d,业主%d\n", u, i, i)
		fmt.Fprintf(&ballots, "%d,%s,同意\n", i+1, u)
	}
	ok(t, data, "units", "import", writeFile(t, dir, "reg.csv", reg.String()))
	matters := writeFile(t, dir, "m.csv", "序号,事项,类型\n1,更换电梯,一般\n")
	file := writeFile(t, dir, "a.csv", ballots.String())
	var full time.Duration
	for i := 0; i <= kills(); i++ { // the first run times it
		id := ok(t, data, "vote", "new", "--title", fmt.Sprintf("第%d次", i), "--matters", matters).lastWord()
		enter := []string{"vote", "enter", "--vote", id, "--entry", "A", file}
		if full == 0 {
			full = timed(t, data, enter...)
		} else {
			wait := randomWait(rng, full)
			killAt(t, wait, data, enter...)
			r := cli(t, data, enter...)
			t.Logf("kill %d after %v of %v: re-run exit %d %s", i, wait, full, r.code, strings.TrimSpace(r.stderr))
			if r.code != 0 && !strings.Contains(r.stderr, "--replace") {
				t.Fatalf("re-run after kill %d: %s", i, r.stderr)
			}
		}
		ok(t, data, "vote", "enter", "--vote", id, "--entry", "B", file)
		var m map[string]any
		if err := json.Unmarshal([]byte(ok(t, data, "vote", "tally", "--vote", id, "--json").stdout), &m); err != nil {
			t.Fatal(err)
		}
		b := m["ballots"].(map[string]any)
		if b["reconciled"].(float64) != n || b["unreconciled"].(float64) != 0 {
			t.Fatalf("vote %s: ballots %v, want %d reconciled", id, b, n)
		}
	}
	ok(t, data, "verify")
}
