package storage

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// TestOpen_EmptyLogFilesLeftByAKillAreRemoved: Badger creates a value-log or
// write-ahead file and then sizes it; a program killed in between leaves it at 0 bytes,
// which Badger refuses to open ("Create a new file") and which used to be reported as a
// damaged book. Such a file holds nothing: every open, reading or writing, removes it
// and the book opens whole.
func TestOpen_EmptyLogFilesLeftByAKillAreRemoved(t *testing.T) {
	db, dir := newBook(t)
	db.Close()
	for _, tc := range []struct {
		name string
		open func(string) (*DB, error)
	}{{"read-only", OpenReadOnly}, {"writing", Open}} {
		for _, empty := range []string{"000099.vlog", "00099.mem"} {
			t.Run(tc.name+" "+empty, func(t *testing.T) {
				p := filepath.Join(dir, empty)
				if err := os.WriteFile(p, nil, 0o600); err != nil {
					t.Fatal(err)
				}
				db, err := tc.open(dir)
				if err != nil {
					t.Fatalf("a book with an empty %s does not open: %v", empty, err)
				}
				defer db.Close()
				if c, err := db.bookService().Community(context.Background()); err != nil || c.Name != "测试小区" {
					t.Fatalf("the book: %+v, %v", c, err)
				}
				if info, err := os.Stat(p); err == nil && info.Size() == 0 {
					t.Fatalf("the empty %s is still there", empty)
				}
			})
		}
	}
}
