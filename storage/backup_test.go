package storage

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"sunledger/app"
)

const testPass = "门前大桥下"

// backupBook is a book with units, bills and a payment, and its encrypted backup.
func backupBook(t *testing.T) (*DB, []byte) {
	t.Helper()
	db := feeBook(t)
	if _, err := db.feeService().Pay(ctx, app.PaymentRequest{Unit: "1-1-101", Amount: dec("300"), Date: "2026-04-02", Method: "cash"}, "treasurer", ""); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := db.backupService().Backup(ctx, &buf, testPass, "chair"); err != nil {
		t.Fatal(err)
	}
	return db, buf.Bytes()
}

// bookState is what a restore must bring back: the register, the journal head, the
// balances and the audit log.
func bookState(t *testing.T, db *DB) (string, []app.AuditRecord) {
	t.Helper()
	units, err := db.registerService().Units(ctx)
	if err != nil {
		t.Fatal(err)
	}
	h, n, err := db.ledgerService().Head(ctx)
	if err != nil {
		t.Fatal(err)
	}
	bal, err := db.ledgerService().Balances(ctx)
	if err != nil {
		t.Fatal(err)
	}
	audit, err := db.bookService().Audit(ctx)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal([]any{units, h, n, bal})
	return string(b), audit
}

func restoreOK(t *testing.T, dir string, data []byte, force bool) {
	t.Helper()
	if err := Restore(ctx, dir, bytes.NewReader(data), testPass, force, "chair"); err != nil {
		t.Fatalf("restore: %v", err)
	}
}

func TestBackup_RestoreIntoNewFolderBringsBackTheWholeBook(t *testing.T) {
	db, data := backupBook(t)
	if bytes.Contains(data, []byte("1-1-101")) || bytes.Contains(data, []byte("测试小区")) {
		t.Fatal("the backup holds plain text")
	}
	want, wantAudit := bookState(t, db)
	if wantAudit[len(wantAudit)-1].Action != "backup" {
		t.Errorf("backup not audited: %+v", wantAudit[len(wantAudit)-1])
	}
	wantAudit = wantAudit[:len(wantAudit)-1] // the backup's own record comes after its snapshot

	dir := filepath.Join(t.TempDir(), "restored")
	restoreOK(t, dir, data, false)
	got := openTest(t, dir)
	defer got.Close()
	state, audit := bookState(t, got)
	if state != want {
		t.Errorf("restored book differs:\n got %s\nwant %s", state, want)
	}
	if len(audit) != len(wantAudit)+1 || audit[len(audit)-1].Action != "backup.restore" || audit[len(audit)-1].Who != "chair" {
		t.Fatalf("audit after restore: %d records, last %+v", len(audit), audit[len(audit)-1])
	}
	a, _ := json.Marshal(audit[:len(wantAudit)])
	b, _ := json.Marshal(wantAudit)
	if !bytes.Equal(a, b) {
		t.Error("audit log not restored as it was")
	}
	if err := got.ledgerService().Verify(ctx); err != nil {
		t.Errorf("verify restored book: %v", err)
	}
	// The restored book keeps working: sequences continue where they were.
	p, err := got.feeService().Pay(ctx, app.PaymentRequest{Unit: "1-1-102", Amount: dec("10"), Date: "2026-04-03", Method: "cash"}, "t", "")
	if err != nil || p.Receipt == "" {
		t.Fatalf("pay after restore: %v %+v", err, p)
	}
	if p2, _ := db.feeService().Pay(ctx, app.PaymentRequest{Unit: "1-1-102", Amount: dec("10"), Date: "2026-04-03", Method: "cash"}, "t", ""); p2.Receipt != p.Receipt {
		t.Errorf("receipt numbering differs after restore: %s vs original %s", p.Receipt, p2.Receipt)
	}
	if entries, _ := os.ReadDir(filepath.Dir(dir)); len(entries) != 1 {
		t.Errorf("left-overs beside the book: %v", entries)
	}
}

func TestBackup_RestoreRefusesBadFilesAndWritesNothing(t *testing.T) {
	_, data := backupBook(t)
	flipped := bytes.Clone(data)
	flipped[len(flipped)/2] ^= 0x01
	header := bytes.Clone(data)
	header[headerSize-1] ^= 0x01 // the salt: the key changes
	cases := []struct {
		name string
		data []byte
		pass string
		code app.Code
	}{
		{"wrong passphrase", data, "不是这个口令", app.EUNAUTHORIZED},
		{"flipped byte", flipped, testPass, app.EINVALID},
		{"edited header", header, testPass, app.EUNAUTHORIZED},
		{"truncated mid-chunk", data[:len(data)-100], testPass, app.EINVALID},
		{"last chunk dropped", data[:lastChunkStart(t, data)], testPass, app.EINVALID},
		{"trailing bytes", append(bytes.Clone(data), 0), testPass, app.EINVALID},
		{"header only", data[:headerSize+16], testPass, app.EINVALID},
		{"not a backup", []byte("unit,kind,area\n"), testPass, app.EINVALID},
		{"empty file", nil, testPass, app.EINVALID},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			parent := t.TempDir()
			dir := filepath.Join(parent, "book")
			err := Restore(ctx, dir, bytes.NewReader(c.data), c.pass, false, "x")
			if app.ErrorCode(err) != c.code {
				t.Fatalf("err = %v (%s), want %s", err, app.ErrorCode(err), c.code)
			}
			var ae *app.Error
			if !asAppError(err, &ae) || ae.ZH == "" || ae.EN == "" {
				t.Errorf("want a bilingual app error, got %#v", err)
			}
			if ents, _ := os.ReadDir(parent); len(ents) != 0 {
				t.Errorf("something was written: %v", ents)
			}
		})
	}
}

// lastChunkStart finds where the chunk flagged last begins.
func lastChunkStart(t *testing.T, data []byte) int {
	t.Helper()
	off := headerSize + 16
	for off+4 <= len(data) {
		size := int(uint32(data[off])<<24 | uint32(data[off+1])<<16 | uint32(data[off+2])<<8 | uint32(data[off+3]))
		if size&backupLast != 0 {
			return off
		}
		off += 4 + size
	}
	t.Fatal("no last chunk")
	return 0
}

func TestBackup_RestoreOverABookNeedsForce(t *testing.T) {
	src, data := backupBook(t)
	want, _ := bookState(t, src)

	dir := filepath.Join(t.TempDir(), "book")
	other := openTest(t, dir)
	if err := other.bookService().Init(ctx, app.Community{Name: "另一个小区"}, "t"); err != nil {
		t.Fatal(err)
	}
	if err := other.registerService().ImportUnits(ctx, []app.Unit{unit("9-9-909", "50", "Z")}, "t", ""); err != nil {
		t.Fatal(err)
	}
	before, beforeAudit := bookState(t, other)
	other.Close()
	files := folderFiles(t, dir)

	err := Restore(ctx, dir, bytes.NewReader(data), testPass, false, "x")
	if app.ErrorCode(err) != app.ECONFLICT {
		t.Fatalf("restore over a book without force: %v", err)
	}
	if got := folderFiles(t, dir); got != files { // it only read the folder
		t.Errorf("the refused restore changed the folder's files:\n%s\nvs\n%s", files, got)
	}
	db := openTest(t, dir)
	after, afterAudit := bookState(t, db)
	if after != before || len(afterAudit) != len(beforeAudit) {
		t.Errorf("refused restore changed the book")
	}
	// Wrong passphrase with force: still nothing changes.
	db.Close()
	if err := Restore(ctx, dir, bytes.NewReader(data), "错的口令", true, "x"); app.ErrorCode(err) != app.EUNAUTHORIZED {
		t.Fatalf("wrong passphrase with force: %v", err)
	}
	// While another program has the book open, restore is refused, not forced through.
	db = openTest(t, dir)
	if err := Restore(ctx, dir, bytes.NewReader(data), testPass, true, "x"); app.ErrorCode(err) != app.ELOCKED {
		t.Errorf("restore over an open book: %v", err)
	}
	db.Close()

	restoreOK(t, dir, data, true)
	db = openTest(t, dir)
	defer db.Close()
	got, _ := bookState(t, db)
	if got != want {
		t.Errorf("forced restore did not bring the backup's book")
	}
	if c, _ := db.bookService().Community(ctx); c.Name != "测试小区" {
		t.Errorf("community = %q", c.Name)
	}
	if ents, _ := os.ReadDir(filepath.Dir(dir)); len(ents) != 1 {
		t.Errorf("left-overs beside the book: %v", ents)
	}
}

func TestBackup_RestoreNeverSweepsAwayOtherFiles(t *testing.T) {
	_, data := backupBook(t)
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "我的照片.jpg"), []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := Restore(ctx, dir, bytes.NewReader(data), testPass, true, "x"); app.ErrorCode(err) != app.ECONFLICT {
		t.Fatalf("restore into a folder of other files: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "我的照片.jpg")); err != nil {
		t.Error(err)
	}
}

func TestBackup_NeedsABookAndAPassphrase(t *testing.T) {
	db := openTest(t, t.TempDir())
	defer db.Close()
	var buf bytes.Buffer
	if err := db.backupService().Backup(ctx, &buf, testPass, "x"); app.ErrorCode(err) != app.ENOTFOUND {
		t.Errorf("backup of no book: %v", err)
	}
	book, _ := newBook(t)
	if err := book.backupService().Backup(ctx, &buf, "ab", "x"); app.ErrorCode(err) != app.EINVALID {
		t.Errorf("short passphrase: %v", err)
	}
}

func TestBackupWriter_ChunkBoundaries(t *testing.T) {
	old := backupKDF
	backupKDF = app.KDF{Name: "argon2id", Time: 1, MemoryKiB: 64, Threads: 1}
	defer func() { backupKDF = old }()
	for _, n := range []int{0, 1, backupChunk - 1, backupChunk, backupChunk + 1, 3 * backupChunk} {
		plain := bytes.Repeat([]byte{'a'}, n)
		var buf bytes.Buffer
		bw, err := newBackupWriter(&buf, "pass", backupKDF)
		if err != nil {
			t.Fatal(err)
		}
		bw.Write(plain[:n/3])
		bw.Write(plain[n/3:])
		if err := bw.Close(); err != nil {
			t.Fatal(err)
		}
		br, err := openBackup(bytes.NewReader(buf.Bytes()), "pass")
		if err != nil {
			t.Fatal(err)
		}
		var out bytes.Buffer
		if _, err := out.ReadFrom(br); err != nil || !bytes.Equal(out.Bytes(), plain) {
			t.Errorf("%d bytes: round trip failed: %v, got %d bytes", n, err, out.Len())
		}
	}
}

func asAppError(err error, target **app.Error) bool {
	e, ok := err.(*app.Error)
	if ok {
		*target = e
	}
	return ok
}
