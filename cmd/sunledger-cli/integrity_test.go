package main

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"sunledger/internal/testtool"
	"sunledger/storage"
)

// integrityBook is a small demo book, closed cleanly, built once per test binary (the
// tests that share it run in parallel).
var integrityBook struct {
	sync.Mutex
	path string
}

func smallBook(t *testing.T) string {
	t.Helper()
	integrityBook.Lock()
	defer integrityBook.Unlock()
	if integrityBook.path == "" {
		dir, err := os.MkdirTemp("", "sunledger-integrity")
		if err != nil {
			t.Fatal(err)
		}
		book := filepath.Join(dir, "book")
		ok(t, book, "demo", "--units", "30", "--years", "1")
		integrityBook.path = book
	}
	return integrityBook.path
}

// copyBook copies a book folder's files into a new temp folder.
func copyBook(t *testing.T, from string) string {
	t.Helper()
	to := filepath.Join(t.TempDir(), "book")
	if err := os.MkdirAll(to, 0o700); err != nil {
		t.Fatal(err)
	}
	ents, err := os.ReadDir(from)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		if e.IsDir() || e.Name() == "LOCK" {
			continue
		}
		b, err := os.ReadFile(filepath.Join(from, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(to, e.Name()), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return to
}

// fingerprint names every file of dir with its size and hash.
func fingerprint(t *testing.T, dir string) string {
	t.Helper()
	var out []string
	filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() || info.Name() == "LOCK" {
			return nil
		}
		b, _ := os.ReadFile(p)
		sum := sha256.Sum256(b)
		rel, _ := filepath.Rel(dir, p)
		out = append(out, rel+" "+hex.EncodeToString(sum[:8]))
		return nil
	})
	sort.Strings(out)
	return strings.Join(out, "\n")
}

func filesLike(t *testing.T, dir, suffix string) []string {
	t.Helper()
	var out []string
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		if strings.HasSuffix(e.Name(), suffix) {
			out = append(out, e.Name())
		}
	}
	return out
}

// noCrash fails the test when a run printed a panic or a goroutine dump, or more than
// one line of error.
func noCrash(t *testing.T, what string, r result) {
	t.Helper()
	if strings.Contains(r.stderr, "goroutine ") || strings.Contains(r.stderr, "panic:") {
		t.Fatalf("%s crashed:\n%s", what, r.stderr)
	}
	if r.code != 0 && strings.Count(strings.TrimSpace(r.stderr), "\n") > 0 {
		t.Fatalf("%s: the error is not one line:\n%s", what, r.stderr)
	}
}

// TestIntegrity_AFolderMissingFilesIsRefusedUntouched: remove each kind of file in turn;
// reading and writing commands refuse, name what is missing and how to restore, and
// leave every remaining file as it was (Badger would otherwise delete the tables).
func TestIntegrity_AFolderMissingFilesIsRefusedUntouched(t *testing.T) {
	t.Parallel()
	book := smallBook(t)
	for _, kind := range []struct{ name, suffix, says string }{
		{"MANIFEST", "MANIFEST", "MANIFEST"},
		{"KEYREGISTRY", "KEYREGISTRY", "KEYREGISTRY"},
		{"value log", ".vlog", ".vlog"},
		{"tables", ".sst", ".sst"},
	} {
		t.Run(kind.name, func(t *testing.T) {
			dir := copyBook(t, book)
			for _, f := range filesLike(t, dir, kind.suffix) {
				os.Remove(filepath.Join(dir, f))
			}
			before := fingerprint(t, dir)
			for _, args := range [][]string{{"verify"}, {"ledger", "balance", "--json"}, {"fees", "pay", "--unit", "1-1-101", "--amount", "10"}, {"units", "list"}} {
				r := fails(t, dir, args...)
				noCrash(t, strings.Join(args, " "), r)
				if !strings.Contains(r.stderr, kind.says) || !strings.Contains(r.stderr, "restore") {
					t.Errorf("%v: the message does not name %s and the way out: %s", args, kind.says, r.stderr)
				}
				if strings.Contains(r.stderr, "还没有账本") {
					t.Errorf("%v: a damaged book is not an empty folder: %s", args, r.stderr)
				}
			}
			if after := fingerprint(t, dir); after != before {
				t.Fatalf("the refused commands changed the folder:\nbefore\n%s\nafter\n%s", before, after)
			}
		})
	}
}

// TestIntegrity_FlippedBytesAreHarmlessOrReported flips a byte at many offsets of every
// file kind: each flip either changes nothing anyone can see (the same balances, the
// same register, verify passes) or is reported by a clear one-line message; never a
// silently different book, never a panic.
func TestIntegrity_FlippedBytesAreHarmlessOrReported(t *testing.T) {
	t.Parallel()
	book := smallBook(t)
	want := map[string]string{}
	reads := [][]string{{"verify"}, {"ledger", "balance", "--json"}, {"fees", "arrears", "--json"}}
	base := copyBook(t, book)
	for _, args := range reads {
		want[strings.Join(args, " ")] = ok(t, base, args...).stdout
	}
	// A copy taken while a writer has the book open holds the write-ahead memtable.
	var crashed string
	{
		dir := copyBook(t, book)
		db, err := storage.Open(dir)
		if err != nil {
			t.Fatal(err)
		}
		crashed = copyBook(t, dir)
		db.Close()
	}
	// Eighths of each file; the everyday loop (-short) flips its middle and last byte.
	eighths := []int64{0, 1, 2, 3, 4, 5, 6, 7}
	if testing.Short() {
		eighths = []int64{4, 7}
	}
	reported, harmless := 0, 0
	for _, src := range []string{book, crashed} {
		ents, _ := os.ReadDir(src)
		for _, e := range ents {
			if e.IsDir() || e.Name() == "LOCK" {
				continue
			}
			info, _ := e.Info()
			size := info.Size()
			if size == 0 {
				continue
			}
			for _, k := range eighths {
				off := size * k / 8
				if k == 7 {
					off = size - 1
				}
				dir := copyBook(t, src)
				p := filepath.Join(dir, e.Name())
				b, _ := os.ReadFile(p)
				b[off] ^= 0xFF
				os.WriteFile(p, b, 0o600)
				same := true
				for _, args := range reads {
					r := cli(t, dir, args...)
					what := e.Name() + " flipped at " + itoa64(off) + ": " + strings.Join(args, " ")
					noCrash(t, what, r)
					if r.code != 0 {
						same = false
						continue
					}
					if src == book && r.stdout != want[strings.Join(args, " ")] {
						t.Fatalf("%s: exit 0 with a different answer (a silent change)", what)
					}
				}
				if same {
					harmless++
				} else {
					reported++
				}
			}
		}
	}
	t.Logf("%d flips harmless, %d reported", harmless, reported)
	if reported == 0 {
		t.Fatal("no flip was reported: the check cannot be working")
	}
}

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }

// mountTmpfs mounts a tmpfs of size at a new folder for the test (root only: in CI the
// test must run, so failing to mount fails it there).
func mountTmpfs(t *testing.T, size string, extra ...string) string {
	t.Helper()
	dir := t.TempDir()
	args := append([]string{"-t", "tmpfs", "-o", "size=" + size}, extra...)
	if out, err := exec.Command("mount", append(args, "tmpfs", dir)...).CombinedOutput(); err != nil {
		testtool.Missing(t, "cannot mount a tmpfs (needs root): "+strings.TrimSpace(string(out)))
	}
	t.Cleanup(func() { exec.Command("umount", "-l", dir).Run() })
	return dir
}

// TestIntegrity_DiskFullRefusesWritesCleanly: on a nearly full disk a payment is refused
// before anything is written (no SIGBUS from Badger's mapped files), and reading
// commands still work.
func TestIntegrity_DiskFullRefusesWritesCleanly(t *testing.T) {
	mnt := mountTmpfs(t, "300m")
	book := filepath.Join(mnt, "book")
	src := smallBook(t)
	os.MkdirAll(book, 0o700)
	for _, e := range must(os.ReadDir(src)) {
		if !e.IsDir() && e.Name() != "LOCK" {
			os.WriteFile(filepath.Join(book, e.Name()), must(os.ReadFile(filepath.Join(src, e.Name()))), 0o600)
		}
	}
	before := ok(t, book, "ledger", "balance", "--json").stdout
	// Fill the disk until about 100 MB are left: less than a safe write needs.
	f, err := os.Create(filepath.Join(mnt, "filler"))
	if err != nil {
		t.Fatal(err)
	}
	chunk := make([]byte, 1<<20)
	for i := 0; i < 190; i++ {
		if _, err := f.Write(chunk); err != nil {
			break
		}
	}
	f.Close()
	r := fails(t, book, "fees", "pay", "--unit", "1-1-101", "--amount", "10")
	noCrash(t, "fees pay on a full disk", r)
	if !strings.Contains(r.stderr, "磁盘空间不足") {
		t.Errorf("the refusal does not say the disk is full: %s", r.stderr)
	}
	if after := ok(t, book, "ledger", "balance", "--json").stdout; after != before {
		t.Fatal("the refused payment changed the books")
	}
	ok(t, book, "verify")
}

// TestIntegrity_ReadOnlyFolderStillReads: on a read-only medium reading commands work and
// a writing command says the folder is read-only.
func TestIntegrity_ReadOnlyFolderStillReads(t *testing.T) {
	t.Parallel()
	mnt := mountTmpfs(t, "50m")
	book := filepath.Join(mnt, "book")
	src := smallBook(t)
	os.MkdirAll(book, 0o700)
	for _, e := range must(os.ReadDir(src)) {
		if !e.IsDir() && e.Name() != "LOCK" {
			os.WriteFile(filepath.Join(book, e.Name()), must(os.ReadFile(filepath.Join(src, e.Name()))), 0o600)
		}
	}
	if out, err := exec.Command("mount", "-o", "remount,ro", mnt).CombinedOutput(); err != nil {
		testtool.Missing(t, "cannot remount read-only: "+string(out))
	}
	ok(t, book, "verify")
	ok(t, book, "ledger", "balance", "--json")
	r := fails(t, book, "fees", "pay", "--unit", "1-1-101", "--amount", "10")
	noCrash(t, "fees pay on a read-only folder", r)
	if !strings.Contains(r.stderr, "只读") {
		t.Errorf("the refusal does not say the folder is read-only: %s", r.stderr)
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// crashedCopy is a copy of the small demo book taken while a writer had it open: what a
// kill or a power cut leaves, write-ahead memtables to replay included.
func crashedCopy(t *testing.T) string {
	t.Helper()
	dir := copyBook(t, smallBook(t))
	db, err := storage.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	crashed := copyBook(t, dir)
	if len(filesLike(t, crashed, ".mem")) == 0 {
		t.Fatal("the copy holds no write-ahead memtable")
	}
	return crashed
}

// TestIntegrity_ACrashedBookIsReplayedOnceAndSaidSoOrToldToBeCopied: a reading command
// on a book that was not closed cleanly replays its log and says so in one line on
// stderr; on read-only media, where that cannot be done, it says "not closed cleanly:
// copy it to a writable folder", never "damaged, restore a backup".
func TestIntegrity_ACrashedBookIsReplayedOnceAndSaidSoOrToldToBeCopied(t *testing.T) {
	want := ok(t, copyBook(t, smallBook(t)), "ledger", "balance", "--json").stdout
	dir := crashedCopy(t)
	r := ok(t, dir, "ledger", "balance", "--json")
	if lines := strings.Split(strings.TrimSpace(r.stderr), "\n"); len(lines) != 1 || !strings.Contains(lines[0], "没有正常关闭") || !strings.Contains(lines[0], "重放") {
		t.Errorf("stderr of the reading command that replayed the log: %q", r.stderr)
	}
	if r.stdout != want {
		t.Error("the replayed book answers differently")
	}
	if r := ok(t, dir, "ledger", "balance", "--json"); r.stderr != "" {
		t.Errorf("the second reading command: %q", r.stderr)
	}

	mnt := mountTmpfs(t, "300m")
	ro := filepath.Join(mnt, "book")
	src := crashedCopy(t)
	os.MkdirAll(ro, 0o700)
	for _, e := range must(os.ReadDir(src)) {
		if !e.IsDir() {
			os.WriteFile(filepath.Join(ro, e.Name()), must(os.ReadFile(filepath.Join(src, e.Name()))), 0o600)
		}
	}
	if out, err := exec.Command("mount", "-o", "remount,ro", mnt).CombinedOutput(); err != nil {
		testtool.Missing(t, "cannot remount read-only: "+string(out))
	}
	for _, args := range [][]string{{"ledger", "balance"}, {"verify"}, {"fees", "pay", "--unit", "1-1-101", "--amount", "10"}} {
		r := fails(t, ro, args...)
		noCrash(t, strings.Join(args, " "), r)
		if !strings.Contains(r.stderr, "没有正常关闭") || !strings.Contains(r.stderr, "复制到可写的地方") || strings.Contains(r.stderr, "restore 备份文件") {
			t.Errorf("%v on a crashed book on read-only media: %s", args, r.stderr)
		}
	}
	// Doing what it says works: the copy reads, with every balance.
	cp := copyBook(t, ro)
	if r := ok(t, cp, "ledger", "balance", "--json"); r.stdout != want {
		t.Error("the writable copy answers differently")
	}
}
