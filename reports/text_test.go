package reports

import (
	"path/filepath"
	"testing"

	"sunledger/internal/testtool"
)

// docText saves d and returns its text without white space, so that checks do not depend
// on where the layout broke its lines.
func docText(t *testing.T, d *Doc) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "doc.pdf")
	if err := d.Save(path); err != nil {
		t.Fatal(err)
	}
	return testtool.Squeeze(testtool.PDFText(t, path))
}
