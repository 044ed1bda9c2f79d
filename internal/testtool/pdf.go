package testtool

import (
	"os/exec"
	"strings"
	"testing"
	"unicode"
)

// PDFText is the text of the PDF at path as pdftotext extracts it (UTF-8), with any
// further pdftotext options (e.g. "-layout", or "-f", "2", "-l", "2" for one page).
// A missing pdftotext skips the test, or fails it in CI.
func PDFText(t testing.TB, path string, options ...string) string {
	t.Helper()
	bin := Require(t, "pdftotext")
	args := append(append([]string{"-enc", "UTF-8"}, options...), path, "-")
	out, err := exec.Command(bin, args...).Output()
	if err != nil {
		t.Fatalf("pdftotext %s: %v", path, err)
	}
	return string(out)
}

// Squeeze removes every white-space character, so that a check on a PDF's text does
// not depend on where the layout broke its lines.
func Squeeze(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}
