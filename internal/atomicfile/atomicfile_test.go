package atomicfile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"sunledger/app"
)

// A file that cannot be written is explained in the user's words (which folder is
// missing, that a folder was given instead of a file name), nothing is left behind, and
// a file already there is unchanged.
func TestWriteFileAtomic_UnwritablePathsAreExplainedAndWriteNothing(t *testing.T) {
	dir := t.TempDir()
	existing := filepath.Join(dir, "old.pdf")
	if err := os.WriteFile(existing, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	write := func(w io.Writer) error { _, err := io.WriteString(w, "%PDF-new"); return err }
	for _, c := range []struct {
		name, path, want string
	}{
		{"missing folder", filepath.Join(dir, "nowhere", "x.pdf"), "不存在"},
		{"a folder instead of a file", dir, "是一个文件夹"},
	} {
		err := Write(c.path, write)
		var ae *app.Error
		if !errors.As(err, &ae) || !strings.Contains(ae.ZH, c.want) || !strings.Contains(ae.ZH, "没有写入") || ae.EN == "" {
			t.Errorf("%s: err %v, want one saying %q and that nothing was written", c.name, err, c.want)
		}
	}
	// A failed write leaves the old file as it was and no temporary file.
	failing := func(w io.Writer) error { io.WriteString(w, "%PDF-half"); return app.Errorf(app.EINVALID, "坏", "bad") }
	if err := Write(existing, failing); err == nil {
		t.Fatal("a failing writer reported success")
	}
	if b, _ := os.ReadFile(existing); string(b) != "old" {
		t.Errorf("the existing file changed: %q", b)
	}
	if err := Write(existing, write); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(existing); string(b) != "%PDF-new" {
		t.Errorf("the file was not replaced whole: %q", b)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("files left beside the output: %v", entries)
	}
}

// A temporary file left by a run that was killed while writing is removed by the next
// write of the same file once it is old; a fresh one (another writer's) is kept.
func TestWriteFileAtomic_StaleTemporaryFilesOfAKilledRunAreRemoved(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "arrears.pdf")
	stale, fresh, other := filepath.Join(dir, ".arrears.pdf.tmp111"), filepath.Join(dir, ".arrears.pdf.tmp222"), filepath.Join(dir, ".other.pdf.tmp333")
	for _, f := range []string{stale, fresh, other} {
		if err := os.WriteFile(f, []byte("%PDF-half"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	old := time.Now().Add(-2 * time.Hour)
	for _, f := range []string{stale, other} {
		if err := os.Chtimes(f, old, old); err != nil {
			t.Fatal(err)
		}
	}
	if err := Write(path, func(w io.Writer) error { _, err := io.WriteString(w, "%PDF-whole"); return err }); err != nil {
		t.Fatal(err)
	}
	for f, want := range map[string]bool{stale: false, fresh: true, other: true, path: true} {
		if _, err := os.Stat(f); (err == nil) != want {
			t.Errorf("%s: exists %v, want %v", filepath.Base(f), err == nil, want)
		}
	}
}
