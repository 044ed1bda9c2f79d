package storage

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"sunledger/app"
	"sunledger/internal/testtool"
)

// Faults a committee meets in real life: a book that was not closed cleanly, read from a
// USB stick or CD; a disk that fills up while the window or a script writes; a marker
// file deleted by a tidy-minded user; a flipped byte in a file that holds no data. Each
// on a real Badger folder, each ending in one line that names the right way out.

// crashedBook is a book in t.TempDir() whose writer was killed mid-write (the
// crash-test child, SIGKILL): it holds write-ahead memtables (*.mem) to replay.
func crashedBook(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	db := openTest(t, dir)
	if err := db.bookService().Init(ctx, app.Community{Name: "断电小区"}, "t"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	runCrashChild(t, dir, 1, 5)
	if !hasMemtables(dir) {
		t.Fatal("the killed writer left no write-ahead memtable: not a crashed book")
	}
	return dir
}

// copyFolder copies a book's files (not its LOCK) into to.
func copyFolder(t *testing.T, from, to string) {
	t.Helper()
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
}

// mountTmpfs mounts a tmpfs of size on a new folder for the test (root only; a test
// that needs it is skipped elsewhere, and fails in CI).
func mountTmpfs(t *testing.T, size string) string {
	t.Helper()
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size="+size, "tmpfs", dir).CombinedOutput(); err != nil {
		testtool.Missing(t, "cannot mount a tmpfs (needs root): "+strings.TrimSpace(string(out)))
	}
	t.Cleanup(func() { exec.Command("umount", "-l", dir).Run() })
	return dir
}

// readOnlyCopy copies the book in src to a folder that cannot be written: chmod'ed
// read-only, or — for root, whom permissions do not stop — a tmpfs remounted read-only.
func readOnlyCopy(t *testing.T, src string) string {
	t.Helper()
	if os.Getuid() != 0 {
		dir := filepath.Join(t.TempDir(), "book")
		copyFolder(t, src, dir)
		ents, _ := os.ReadDir(dir)
		for _, e := range ents {
			os.Chmod(filepath.Join(dir, e.Name()), 0o444)
		}
		os.Chmod(dir, 0o555)
		t.Cleanup(func() { os.Chmod(dir, 0o755) })
		return dir
	}
	mnt := mountTmpfs(t, "200m")
	dir := filepath.Join(mnt, "book")
	copyFolder(t, src, dir)
	if out, err := exec.Command("mount", "-o", "remount,ro", mnt).CombinedOutput(); err != nil {
		testtool.Missing(t, "cannot remount read-only: "+string(out))
	}
	if canWrite(dir) {
		t.Fatal("the read-only copy can be written")
	}
	return dir
}

// TestFaults_CrashedBookOnReadOnlyMediaIsToldToBeCopiedNotRestored: a book that was not
// closed cleanly must replay its log before it can be read, which a read-only folder
// does not allow. The book is whole: the message says "not closed cleanly: copy it to a
// writable folder", never "damaged, restore a backup" (which would lose everything since
// the backup); and the copy it asks for does open, with every write there.
func TestFaults_CrashedBookOnReadOnlyMediaIsToldToBeCopiedNotRestored(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns child processes")
	}
	src := crashedBook(t)
	ro := readOnlyCopy(t, src)
	for _, open := range []func(string) (*DB, error){OpenReadOnly, Open} {
		db, err := open(ro)
		if err == nil {
			db.Close()
			t.Fatal("a crashed book on read-only media opened")
		}
		msg := err.(*app.Error)
		if open := strings.Contains(msg.ZH, "复制到可写的地方") && strings.Contains(msg.ZH, "没有正常关闭"); !open ||
			strings.Contains(msg.ZH, "restore 备份文件") || strings.Contains(msg.ZH, "已损坏") || strings.Contains(msg.ZH, "不是完整的账本") {
			t.Errorf("zh: %s", msg.ZH)
		}
		if !strings.Contains(msg.EN, "not closed cleanly") || !strings.Contains(msg.EN, "copy the whole folder to a writable place") ||
			strings.Contains(msg.EN, "damaged") || strings.Contains(msg.EN, "restore BACKUP") {
			t.Errorf("en: %s", msg.EN)
		}
		if strings.Contains(msg.ZH, "\n") || strings.Contains(msg.EN, "\n") {
			t.Error("the message is not one line")
		}
	}
	// What the message says to do works: the copy opens, everything committed there.
	cp := filepath.Join(t.TempDir(), "copy")
	copyFolder(t, ro, cp)
	db, err := OpenReadOnly(cp)
	if err != nil {
		t.Fatalf("the writable copy: %v", err)
	}
	defer db.Close()
	if c, err := db.bookService().Community(ctx); err != nil || c.Name != "断电小区" {
		t.Fatalf("the copy's book: %+v %v", c, err)
	}
	if err := db.ledgerService().Verify(ctx); err != nil {
		t.Errorf("verify the copy: %v", err)
	}
}

// TestFaults_AReadingOpenThatReplaysACrashedLogSaysSo: a reading command on a crashed
// book in a writable folder replays the log (a write) and says so in one line.
func TestFaults_AReadingOpenThatReplaysACrashedLogSaysSo(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns child processes")
	}
	dir := crashedBook(t)
	db, err := OpenReadOnly(dir)
	if err != nil {
		t.Fatal(err)
	}
	note := db.Note()
	if !strings.Contains(note, "没有正常关闭") || !strings.Contains(note, "重放") || strings.Contains(note, "\n") {
		t.Errorf("note = %q", note)
	}
	if _, err := db.registerService().Units(ctx); err != nil {
		t.Fatal(err)
	}
	db.Close()
	// Closed cleanly now: the next reading open has nothing to say.
	db, err = OpenReadOnly(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if n := db.Note(); n != "" || !db.ReadOnly() {
		t.Errorf("a clean book: note %q, read-only %v", n, db.ReadOnly())
	}
}

// TestFaults_DiskFullStopsWritesWithOneLineReadsGoOn (the hook): a disk with less free
// than minFree refuses every write before Badger touches its mapped files, in one line
// and writing nothing, while reading goes on.
func TestFaults_DiskFullStopsWritesWithOneLineReadsGoOn(t *testing.T) {
	db, _ := newBook(t)
	if err := db.registerService().ImportUnits(ctx, []app.Unit{unit("1-1-101", "88.00", "O1")}, "t", ""); err != nil {
		t.Fatal(err)
	}
	head, seq, _ := db.ledgerService().Head(ctx)
	free := uint64(minFree - 1)
	freeSpace = func(string) (uint64, bool) { return free, true }
	defer func() { freeSpace = diskFree }()
	err := db.registerService().ImportUnits(ctx, []app.Unit{unit("1-1-102", "88.00", "O2")}, "t", "")
	if app.ErrorCode(err) != app.EINVALID || !strings.Contains(err.Error(), "磁盘空间不足") || !strings.Contains(err.Error(), "没有做任何更改") || strings.Contains(err.Error(), "\n") {
		t.Fatalf("a write on a full disk: %v", err)
	}
	if us, err := db.registerService().Units(ctx); err != nil || len(us) != 1 {
		t.Fatalf("reading on a full disk: %d units, %v", len(us), err)
	}
	if h, s, _ := db.ledgerService().Head(ctx); h != head || s != seq {
		t.Error("the refused write changed the journal")
	}
	free = minFree
	if err := db.registerService().ImportUnits(ctx, []app.Unit{unit("1-1-102", "88.00", "O2")}, "t", ""); err != nil {
		t.Fatalf("once space is freed: %v", err)
	}
}

// TestFaults_ADiskFillingDuringARestoreStopsItInOneLine: a restore loads the backup
// through Badger's Load, past DB.update's check; the backup reader checks the disk as
// it goes, and a disk that runs short (here: after the new folder was opened) stops the
// load with the disk-full line — not "the backup is damaged" — and the book in the
// folder stays as it was.
func TestFaults_ADiskFillingDuringARestoreStopsItInOneLine(t *testing.T) {
	_, data := backupBook(t)
	dir := filepath.Join(t.TempDir(), "book")
	restoreOK(t, dir, data, false)
	calls := 0
	freeSpace = func(d string) (uint64, bool) {
		if strings.Contains(d, ".restore-") {
			// The new folder opened and the load began (checks 1 and 2); then the disk
			// fills, before the load is over.
			if calls++; calls == 3 {
				return minFree - 1, true
			}
		}
		return diskFree(d)
	}
	spaceEvery = 1 << 10
	defer func() { freeSpace, spaceEvery = diskFree, 4<<20 }()
	err := Restore(ctx, dir, bytes.NewReader(data), testPass, true, "chair")
	if app.ErrorCode(err) != app.EINVALID || !strings.Contains(err.Error(), "磁盘空间不足") || strings.Contains(err.Error(), "备份文件已损坏") {
		t.Fatalf("a restore onto a disk that fills: %v", err)
	}
	if calls != 3 {
		t.Fatalf("%d checks of the disk, want the load stopped at the third", calls)
	}
	db, err := OpenReadOnly(dir)
	if err != nil {
		t.Fatalf("the book after the stopped restore: %v", err)
	}
	defer db.Close()
	if err := db.ledgerService().Verify(ctx); err != nil {
		t.Error(err)
	}
	if ents, _ := os.ReadDir(filepath.Dir(dir)); len(ents) != 1 {
		t.Errorf("left-overs beside the book: %v", ents)
	}
}

const fillDirEnv = "SUNLEDGER_FILL_DIR"

// TestFillChild is the writer of TestFaults_ADiskFillingDuringWritesEndsInOneLine: it
// opens the book, says "open", waits for a line on stdin, then writes batches of units
// until a write is refused, and prints "ERR <message>" and "done" after closing the
// book. It does nothing in a normal test run.
func TestFillChild(t *testing.T) {
	dir := os.Getenv(fillDirEnv)
	if dir == "" {
		t.Skip("only run by TestFaults_ADiskFillingDuringWritesEndsInOneLine")
	}
	db, err := Open(dir)
	if err != nil {
		fmt.Println("OPENERR", err)
		os.Exit(3)
	}
	fmt.Println("open")
	bufio.NewReader(os.Stdin).ReadString('\n')
	for w := 0; w < 100000; w++ {
		units := make([]app.Unit, 400)
		for i := range units {
			units[i] = unit(fmt.Sprintf("f%05d-%04d", w, i), "88.00", strings.Repeat("业主", 40)+fmt.Sprint(w))
		}
		if err = db.registerService().ImportUnits(ctx, units, "fill", ""); err != nil {
			break
		}
		fmt.Println("ack", w)
	}
	fmt.Println("ERR", err)
	if cerr := db.Close(); cerr != nil {
		fmt.Println("CLOSEERR", cerr)
	}
	fmt.Println("done")
	os.Exit(0)
}

// TestFaults_ADiskFillingDuringWritesEndsInOneLine: a writer that opened the book with
// room to spare keeps writing until the disk (a real tmpfs, nearly filled by another
// program meanwhile) is low; then its write is refused in one line — no SIGBUS from
// Badger's mapped files, no goroutine dump — and the book still reads, whole.
func TestFaults_ADiskFillingDuringWritesEndsInOneLine(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns child processes")
	}
	mnt := mountTmpfs(t, "600m")
	dir := filepath.Join(mnt, "book")
	db := openTest(t, dir)
	if err := db.bookService().Init(ctx, app.Community{Name: "满盘小区"}, "t"); err != nil {
		t.Fatal(err)
	}
	db.Close()

	cmd := exec.Command(os.Args[0], "-test.run=^TestFillChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), fillDirEnv+"="+dir)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	in, _ := cmd.StdinPipe()
	out, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	timer := time.AfterFunc(120*time.Second, func() { cmd.Process.Kill() })
	defer timer.Stop()
	sc := bufio.NewScanner(out)
	if !sc.Scan() || sc.Text() != "open" {
		cmd.Process.Kill()
		t.Fatalf("child: %q %s", sc.Text(), stderr.String())
	}
	// Another program fills the disk to 20 MB above what a write needs.
	free, _ := diskFree(mnt)
	filler, err := os.Create(filepath.Join(mnt, "filler"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.CopyN(filler, zeros{}, int64(free)-minFree-20<<20); err != nil {
		t.Fatal(err)
	}
	filler.Close()
	io.WriteString(in, "go\n")
	acked, last := -1, ""
	for sc.Scan() {
		line := sc.Text()
		if _, err := fmt.Sscanf(line, "ack %d", &acked); err == nil {
			continue
		}
		if strings.HasPrefix(line, "ERR") {
			last = line
		}
	}
	err = cmd.Wait()
	if err != nil || strings.Contains(stderr.String(), "SIGBUS") || strings.Contains(stderr.String(), "goroutine ") {
		t.Fatalf("the writer died (%v):\n%.2000s", err, stderr.String())
	}
	if acked < 0 || !strings.Contains(last, "磁盘空间不足") && !strings.Contains(last, "disk is full") {
		t.Fatalf("after %d writes: %q", acked, last)
	}
	t.Logf("%d writes, then: %s", acked+1, last)
	// Readers still work, and every acknowledged write is there.
	rdb, err := OpenReadOnly(dir)
	if err != nil {
		t.Fatalf("reading on the full disk: %v", err)
	}
	defer rdb.Close()
	units, err := rdb.registerService().Units(ctx)
	if err != nil || len(units) != 400*(acked+1) {
		t.Fatalf("%d units for %d writes: %v", len(units), acked+1, err)
	}
	if err := rdb.ledgerService().Verify(ctx); err != nil {
		t.Error(err)
	}
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// TestFaults_ADeletedCommittedMarkerIsNoticed: the marker that lets an open catch writes
// lost in a crash is deleted. Opening the book says so (a reading open in a note; a
// writing one too, and records it in the audit log while making the marker again),
// instead of re-creating it without a word.
func TestFaults_ADeletedCommittedMarkerIsNoticed(t *testing.T) {
	db, dir := newBook(t)
	if err := db.registerService().ImportUnits(ctx, []app.Unit{unit("1-1-101", "88.00", "O1")}, "t", ""); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if _, ok := readCommitted(dir); !ok {
		t.Fatal("no marker after writes")
	}
	if err := os.Remove(filepath.Join(dir, committedFile)); err != nil {
		t.Fatal(err)
	}
	rdb, err := OpenReadOnly(dir)
	if err != nil {
		t.Fatal(err)
	}
	if n := rdb.Note(); !strings.Contains(n, "COMMITTED") || !strings.Contains(n, "verify") {
		t.Errorf("reading open: note %q", n)
	}
	rdb.Close()
	if _, ok := readCommitted(dir); ok {
		t.Fatal("a reading open wrote the marker")
	}
	wdb, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if n := wdb.Note(); !strings.Contains(n, "COMMITTED") || !strings.Contains(n, "重建") {
		t.Errorf("writing open: note %q", n)
	}
	if a := lastAudit(t, wdb); a.Action != "book.committed.missing" {
		t.Errorf("audit: %+v", a)
	}
	wdb.Close()
	if v, ok := readCommitted(dir); !ok || v == 0 {
		t.Fatal("the marker was not made again")
	}
	// Noticed once: the book with its marker back opens without a word.
	db2, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db2.Close()
	if n := db2.Note(); n != "" {
		t.Errorf("after the marker came back: note %q", n)
	}
	// A new, empty book has nothing to mark.
	fresh, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer fresh.Close()
	if n := fresh.Note(); n != "" {
		t.Errorf("a new folder: note %q", n)
	}
}

// TestFaults_AFlippedByteInAPlainBooksKeyRegistryIsNotCalledEncrypted: a plain book's
// KEYREGISTRY holds only a check text; a byte flipped in it made Badger say the
// encryption key did not match, and the book was called encrypted (its key slots
// "missing"). It is not encrypted: a writable folder gets the check text written again
// (said in a note), a read-only one is told to be copied; the book itself is whole.
func TestFaults_AFlippedByteInAPlainBooksKeyRegistryIsNotCalledEncrypted(t *testing.T) {
	db, dir := newBook(t)
	db.Close()
	p := filepath.Join(dir, "KEYREGISTRY")
	orig, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		flip []int // offsets in the file
	}{{"first byte of the check text", []int{16}}, {"last byte", []int{len(orig) - 1}}, {"three bytes", []int{17, 20, 25}}} {
		t.Run(tc.name, func(t *testing.T) {
			b := append([]byte(nil), orig...)
			for _, o := range tc.flip {
				b[o] ^= 0x5a
			}
			if err := os.WriteFile(p, b, 0o600); err != nil {
				t.Fatal(err)
			}
			if IsEncrypted(dir) {
				t.Fatal("IsEncrypted says a plain book with a flipped byte is encrypted")
			}
			ro := readOnlyCopy(t, dir)
			if _, err := OpenReadOnly(ro); err == nil || strings.Contains(err.Error(), "加密的") || !strings.Contains(err.Error(), "没有加密") || !strings.Contains(err.Error(), "复制") {
				t.Errorf("read-only folder: %v", err)
			}
			rdb, err := OpenReadOnly(dir)
			if err != nil {
				t.Fatalf("a plain book with a flipped byte in KEYREGISTRY: %v", err)
			}
			defer rdb.Close()
			if n := rdb.Note(); !strings.Contains(n, "KEYREGISTRY") || !strings.Contains(n, "没有加密") {
				t.Errorf("note %q", n)
			}
			if c, err := rdb.bookService().Community(ctx); err != nil || c.Name != "测试小区" {
				t.Errorf("the book: %+v %v", c, err)
			}
			if now, _ := os.ReadFile(p); string(now[16:28]) != "Hello Badger" {
				t.Errorf("the check text was not written again: %q", now[16:28])
			}
		})
	}
}

// TestFaults_AFullDiskIsNeverCalledDamage: a write that still meets a full disk (a
// Badger error or a panic at the command's boundary) says the disk is full, not that the
// book is damaged and a backup should be restored.
func TestFaults_AFullDiskIsNeverCalledDamage(t *testing.T) {
	enospc := fmt.Errorf("while writing to value log: write /x/000001.vlog: no space left on device")
	for name, err := range map[string]error{
		"a write's error":       wrap(enospc),
		"a panic's error value": Damage("/x", enospc),
		"a panic's text":        Damage("/x", "runtime error: write /x/000002.mem: no space left on device"),
	} {
		if !strings.Contains(err.Error(), "磁盘") || !strings.Contains(err.Error(), "已满") || strings.Contains(err.Error(), "备份") || strings.Contains(err.Error(), "损坏") {
			t.Errorf("%s: %v", name, err)
		}
	}
	if err := Damage("/x", "checksum mismatch"); !strings.Contains(err.Error(), "损坏") {
		t.Errorf("real damage: %v", err)
	}
}
