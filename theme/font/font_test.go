package font

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"sunledger/internal/testtool"

	"github.com/jung-kurt/gofpdf"
)

const sample = "阳光账本 壹仟肆佰零玖元伍角整 1234.50 ABC"

func TestTTFIsTrueType(t *testing.T) {
	if len(TTF) < 1<<20 {
		t.Fatalf("embedded font suspiciously small: %d bytes", len(TTF))
	}
	// sfnt version 0x00010000 = TrueType outlines (not "OTTO"/CFF, not "ttcf").
	if !bytes.HasPrefix(TTF, []byte{0, 1, 0, 0}) {
		t.Fatalf("embedded font is not a TrueType TTF: header % x", TTF[:4])
	}
}

func TestGofpdfRoundTrip(t *testing.T) {
	pdf := gofpdf.New("P", "mm", "A4", "")
	pdf.AddUTF8FontFromBytes(Name, "", TTF)
	pdf.SetFont(Name, "", 14)
	pdf.AddPage()
	pdf.Cell(0, 10, sample)
	if w := pdf.GetStringWidth(sample); w <= 0 {
		t.Errorf("GetStringWidth(%q) = %v, want > 0", sample, w)
	}
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		t.Fatalf("gofpdf output: %v", err)
	}
	if buf.Len() == 0 || !bytes.HasPrefix(buf.Bytes(), []byte("%PDF")) {
		t.Fatalf("not a PDF (%d bytes)", buf.Len())
	}

	pdftotext := testtool.Require(t, "pdftotext")
	path := filepath.Join(t.TempDir(), "font.pdf")
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(pdftotext, "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	got := strings.Join(strings.Fields(string(out)), " ")
	if got != sample {
		t.Errorf("pdftotext = %q, want %q", got, sample)
	}
}
