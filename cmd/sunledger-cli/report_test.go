package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCLI_BooksReportsArePDFs(t *testing.T) {
	data := feesBook(t)
	r := ok(t, data, "fees", "pay", "--unit", "10-1-101", "--amount", "250", "--date", "2025-04-02")
	receipt := r.lastWord()
	out := t.TempDir()
	for _, args := range [][]string{
		{"receipt", "--receipt", receipt},
		{"arrears"},
		{"arrears", "--min-months", "3"},
		{"fee-notices", "--period", "2025-02"},
		{"quarterly", "--year", "2025", "--quarter", "1"},
	} {
		path := filepath.Join(out, args[0]+".pdf")
		r := ok(t, data, append(append([]string{"report"}, args...), "--out", path)...)
		if r.lastWord() != path {
			t.Errorf("report %s should print the file last: %q", args[0], r.stdout)
		}
		b, err := os.ReadFile(path)
		if err != nil || !strings.HasPrefix(string(b), "%PDF-") {
			t.Errorf("report %s: not a PDF (%v)", args[0], err)
		}
	}
	fails(t, data, "report", "receipt", "--receipt", "R99999999", "--out", filepath.Join(out, "x.pdf"))
	fails(t, data, "report", "fee-notices", "--period", "2030-01", "--out", filepath.Join(out, "x.pdf"))
	fails(t, data, "report", "quarterly", "--year", "2025", "--quarter", "5", "--out", filepath.Join(out, "x.pdf"))
	if _, err := os.Stat(filepath.Join(out, "x.pdf")); err == nil {
		t.Error("a refused report left a file")
	}
}
