package storage

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"sunledger/app"
)

// The crash test runs its writer in a child process (this test binary again, running
// only TestCrashChild) and kills it with SIGKILL — no Close, no deferred flush — the way
// a power cut or a killed program would stop it. Write w is, alternately, a batch of
// units (odd w) or one journal entry (even w); the child prints "ack w" only
// after the call returned.
const (
	crashDirEnv   = "SUNLEDGER_CRASH_DIR"
	crashStartEnv = "SUNLEDGER_CRASH_START"
	crashBatch    = 10
)

// crashBatchSize is the number of units in write w: every seventh batch is large, so
// some kills land while Badger writes a big transaction to its value log.
func crashBatchSize(w int) int {
	if w%14 == 1 {
		return 1500
	}
	return crashBatch
}

func crashUnitID(w, i int) string { return fmt.Sprintf("c%05d-%04d", w, i) }
func crashDesc(w int) string      { return fmt.Sprintf("crash w%05d", w) }

// TestCrashChild is the child's body; it does nothing in a normal test run.
func TestCrashChild(t *testing.T) {
	dir := os.Getenv(crashDirEnv)
	if dir == "" {
		t.Skip("only run by TestCrash_AcknowledgedWritesSurviveAKill")
	}
	start, _ := strconv.Atoi(os.Getenv(crashStartEnv))
	db, err := Open(dir)
	if err != nil {
		fmt.Println("ERR", err)
		os.Exit(3)
	}
	for w := start; w < start+100000; w++ {
		if w%2 == 1 {
			units := make([]app.Unit, crashBatchSize(w))
			for i := range units {
				units[i] = unit(crashUnitID(w, i), "88.00", fmt.Sprintf("O%d", w))
			}
			err = db.registerService().ImportUnits(ctx, units, "crash", "")
		} else {
			_, err = db.ledgerService().Post(ctx, app.Entry{Date: "2026-04-01", Description: crashDesc(w), Postings: []app.Posting{
				{Account: app.BankAccount(app.FundPublic), Amount: dec("1.00")},
				{Account: app.AccountName(app.TypeIncome, app.FundPublic, "停车费"), Amount: dec("-1.00")}}}, "crash", "")
		}
		if err != nil {
			fmt.Println("ERR", err)
			os.Exit(3)
		}
		fmt.Println("ack", w) // os.Stdout is unbuffered: once written, the parent has it
	}
	os.Exit(0)
}

func TestCrash_AcknowledgedWritesSurviveAKill(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns child processes")
	}
	dir := t.TempDir()
	db := openTest(t, dir)
	if err := db.bookService().Init(ctx, app.Community{Name: "断电小区"}, "t"); err != nil {
		t.Fatal(err)
	}
	db.Close()

	start := 1
	for round, killAfter := range []int{3, 40, 150, 400, 29} {
		acked := runCrashChild(t, dir, start, killAfter)
		if acked < start+killAfter-1 {
			t.Fatalf("round %d: only %d writes acknowledged", round, acked)
		}
		present := checkCrashBook(t, dir, acked)
		t.Logf("round %d: writes %d.., killed after ack %d; %d present after reopen", round, start, acked, present)
		start = present + 1
	}
}

// runCrashChild starts the writer at write start, kills it once it has acknowledged
// killAfter writes, and returns the last write acknowledged.
func runCrashChild(t *testing.T, dir string, start, killAfter int) int {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), crashDirEnv+"="+dir, crashStartEnv+"="+strconv.Itoa(start))
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Generous: under the race detector a write is ten times slower.
	timer := time.AfterFunc(90*time.Second, func() { cmd.Process.Kill() })
	defer timer.Stop()
	acked, n, killed := start-1, 0, false
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		line := sc.Text()
		w, ok := strings.CutPrefix(line, "ack ")
		if !ok {
			if strings.HasPrefix(line, "ERR") {
				t.Errorf("child: %s", line)
			}
			continue
		}
		v, err := strconv.Atoi(w)
		if err != nil || v != acked+1 {
			t.Fatalf("child acknowledged %q after %d", line, acked)
		}
		acked, n = v, n+1
		if n == killAfter && !killed {
			// A few milliseconds more, so the kill lands at varied points of the
			// next writes rather than always right after an acknowledgement.
			time.Sleep(time.Duration(rand.IntN(4000)) * time.Microsecond)
			cmd.Process.Kill() // SIGKILL: nothing runs after it, not even Badger's Close
			killed = true
		}
	}
	err = cmd.Wait()
	if !killed {
		t.Fatalf("child stopped after %d acks: %v\n%s", n, err, stderr.String())
	}
	return acked
}

// checkCrashBook reopens the book after a kill and checks that every acknowledged write
// is there, whole, that at most the one write in flight went beyond them, that each
// write's audit record landed with it, and that the journal verifies. It returns the
// last write present.
func checkCrashBook(t *testing.T, dir string, acked int) int {
	t.Helper()
	db, err := Open(dir)
	if err != nil {
		t.Fatalf("reopen after kill: %v", err)
	}
	defer db.Close()
	units, err := db.registerService().Units(ctx)
	if err != nil {
		t.Fatal(err)
	}
	batch := map[int]int{}
	for _, u := range units {
		w, _ := strconv.Atoi(u.ID[1:6])
		batch[w]++
	}
	entries := map[int]bool{}
	if err := db.ledgerService().EachEntry(ctx, func(e app.Entry) error {
		w, err := strconv.Atoi(strings.TrimPrefix(e.Description, "crash w"))
		if err != nil || entries[w] {
			t.Errorf("unexpected entry #%d %q", e.Seq, e.Description)
		}
		entries[w] = true
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	for w, n := range batch {
		if n != crashBatchSize(w) {
			t.Errorf("write %d half applied: %d of %d units", w, n, crashBatchSize(w))
		}
	}
	present := 0
	for w := 1; w <= acked+1; w++ {
		here := batch[w] > 0 || entries[w]
		if w <= acked && !here {
			t.Errorf("acknowledged write %d lost", w)
		}
		if here {
			present = w
		}
	}
	if len(batch)+len(entries) != present {
		t.Errorf("%d writes present, want exactly 1..%d (acknowledged %d)", len(batch)+len(entries), present, acked)
	}
	audit, err := db.bookService().Audit(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got := len(audit) - 1; got != present { // the first record is book.init
		t.Errorf("%d audit records for %d writes", got, present)
	}
	if err := db.ledgerService().Verify(ctx); err != nil {
		t.Errorf("verify after kill: %v", err)
	}
	return present
}
