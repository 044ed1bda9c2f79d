package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sunledger/internal/testtool"
)

func TestCLI_BooksReportsArePDFs(t *testing.T) {
	t.Parallel()
	data := feesBook(t)
	noticeSettings(t, data)
	r := ok(t, data, "fees", "pay", "--unit", "10-1-101", "--amount", "250", "--date", "2025-04-02")
	receipt := r.lastWord()
	out := t.TempDir()
	for _, args := range [][]string{
		{"receipt", "--receipt", receipt},
		{"arrears"},
		{"arrears", "--min-months", "3"},
		{"fee-notices", "--period", "2025-02", "--due", futureDay()},
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
	// A quarter that has not begun is refused, not printed as an all-zero disclosure.
	fails(t, data, "report", "quarterly", "--year", "2099", "--quarter", "1", "--out", filepath.Join(out, "x.pdf"))
	// A stray word (a file name typed with a space) is refused, not dropped.
	for _, args := range [][]string{
		{"receipt", "--receipt", receipt, "--out", filepath.Join(out, "x"), "1.pdf"},
		{"arrears", "--out", filepath.Join(out, "x"), "1.pdf"},
		{"fee-notices", "--period", "2025-02", "--out", filepath.Join(out, "x"), "1.pdf"},
		{"quarterly", "--year", "2025", "--quarter", "1", "--out", filepath.Join(out, "x"), "1.pdf"},
		{"budget", "--year", "2025", "--out", filepath.Join(out, "x"), "1.pdf"},
		{"settlement", "--year", "2025", "--out", filepath.Join(out, "x"), "1.pdf"},
		{"fund", "--year", "2025", "--out", filepath.Join(out, "x"), "1.pdf"},
	} {
		fails(t, data, append([]string{"report"}, args...)...)
		if _, err := os.Stat(filepath.Join(out, "x")); err == nil {
			t.Errorf("report %s with a stray word wrote a file", args[0])
		}
	}
	// So are a settlement and a maintenance-fund statement of a year that has not begun.
	fails(t, data, "report", "settlement", "--year", "2099", "--out", filepath.Join(out, "x.pdf"))
	fails(t, data, "report", "fund", "--year", "2099", "--out", filepath.Join(out, "x.pdf"))
	if _, err := os.Stat(filepath.Join(out, "x.pdf")); err == nil {
		t.Error("a refused report left a file")
	}
}

// A fee notice for a month already partly paid says how much, so that its figures add up
// to what it asks for; the next month's notice carries the rest as earlier arrears.
func TestCLI_FeeNoticesShowWhatIsAlreadyPaidOnTheMonth(t *testing.T) {
	t.Parallel()
	testtool.Require(t, "pdftotext")
	data := feesBook(t)
	// 10-1-101: 100 m² × 1.20 = 120.00 a month; 180.00 pays January and half of February.
	ok(t, data, "fees", "pay", "--unit", "10-1-101", "--amount", "180", "--date", "2025-02-10")
	out := t.TempDir()
	feb, mar := filepath.Join(out, "feb.pdf"), filepath.Join(out, "mar.pdf")
	noticeSettings(t, data)
	ok(t, data, "report", "fee-notices", "--period", "2025-02", "--due", futureDay(), "--out", feb)
	ok(t, data, "report", "fee-notices", "--period", "2025-03", "--due", futureDay(), "--out", mar)
	unit := func(path string) string {
		text := testtool.Squeeze(testtool.PDFText(t, path, "-layout"))
		i := strings.Index(text, "10-1-101")
		if i < 0 {
			t.Fatalf("%s has no notice for 10-1-101:\n%s", path, text)
		}
		end := strings.Index(text[i:], "缴费时间")
		return text[i : i+end]
	}
	if n := unit(feb); !strings.Contains(n, "本月已缴：¥60.00") || !strings.Contains(n, "以前月份欠费：¥0.00") || !strings.Contains(n, "本次应缴：¥60.00（陆拾元整）") {
		t.Errorf("February's notice does not add up: %s", n)
	}
	if n := unit(mar); strings.Contains(n, "本月已缴") || !strings.Contains(n, "以前月份欠费：¥60.00") || !strings.Contains(n, "本次应缴：¥180.00（壹佰捌拾元整）") {
		t.Errorf("March's notice does not add up: %s", n)
	}
}

// `report --help` (and docs/cli.md) name every kind the command takes.
func TestReport_HelpListsEveryKind(t *testing.T) {
	for k := range reportKinds {
		if !strings.Contains(reportUsage, k+" ") && !strings.HasSuffix(reportUsage, k) && !strings.Contains(reportUsage, k+",") {
			t.Errorf("report --help does not list %q", k)
		}
	}
}
