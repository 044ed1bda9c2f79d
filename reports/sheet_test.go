package reports

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"sunledger/app"
)

func TestReadSheet_CSVEncodings(t *testing.T) {
	const text = "房号,类型,面积,业主编号\n1-1-101,住宅,80.5,O1\n"
	gbk, _ := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(text))
	dir := t.TempDir()
	for name, b := range map[string][]byte{
		"utf8.csv":      []byte(text),
		"bom.csv":       append([]byte("\xef\xbb\xbf"), text...),
		"gbk.csv":       gbk,
		"crlf.csv":      []byte("房号,类型,面积,业主编号\r\n1-1-101,住宅,80.5,O1\r\n"),
		"semicolon.csv": []byte("房号;类型;面积;业主编号\n1-1-101;住宅;80.5;O1\n"),
	} {
		p := filepath.Join(dir, name)
		os.WriteFile(p, b, 0o600)
		rows, err := ReadSheet(p)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		units, err := app.ParseRegisterRows(rows)
		if err != nil || len(units) != 1 || units[0].Kind != app.KindResidential {
			t.Errorf("%s: units=%+v err=%v", name, units, err)
		}
	}
}

func TestReadSheet_XLSX(t *testing.T) {
	f := excelize.NewFile()
	for i, row := range [][]any{{"房号", "类型", "面积", "业主编号", "业主姓名"}, {"3-2-1501", "住宅", 88.5, "O1", "张三"}, {"P-1", "车位", "12.00", "O1", "张三"}} {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		f.SetSheetRow("Sheet1", cell, &row)
	}
	p := filepath.Join(t.TempDir(), "register.xlsx")
	if err := f.SaveAs(p); err != nil {
		t.Fatal(err)
	}
	rows, err := ReadSheet(p)
	if err != nil {
		t.Fatal(err)
	}
	units, err := app.ParseRegisterRows(rows)
	if err != nil || len(units) != 2 || units[0].Area.String() != "88.5" {
		t.Fatalf("units=%+v err=%v", units, err)
	}
}

func TestReadSheet_BadFiles(t *testing.T) {
	dir := t.TempDir()
	cases := map[string][]byte{
		"empty.csv":  nil,
		"blank.csv":  []byte("  \n\n"),
		"binary.csv": {0x25, 0x50, 0x44, 0x46, 0, 1, 2, 3},
		"fake.xlsx":  []byte("PK\x03\x04 not really a zip"),
	}
	for name, b := range cases {
		p := filepath.Join(dir, name)
		os.WriteFile(p, b, 0o600)
		if _, err := ReadSheet(p); app.ErrorCode(err) != app.EINVALID {
			t.Errorf("%s: err = %v", name, err)
		}
	}
	if _, err := ReadSheet(filepath.Join(dir, "missing.csv")); app.ErrorCode(err) != app.ENOTFOUND {
		t.Errorf("missing: err = %v", err)
	}
}

func FuzzParseSheet(f *testing.F) {
	f.Add([]byte("房号,类型,面积,业主编号\n1-1-101,住宅,80.5,O1\n"))
	f.Add([]byte("a;b\n\"x;y\";2"))
	f.Add([]byte("PK\x03\x04"))
	f.Fuzz(func(t *testing.T, b []byte) {
		rows, err := ParseSheet("fuzz.csv", b)
		if err != nil {
			return
		}
		app.ParseRegisterRows(rows) // must not panic on anything a sheet yields
	})
}

func TestSafeCell_NeutralisesFormulaTriggersButKeepsNumbers(t *testing.T) {
	cases := map[string]string{
		"=1+1":                            "'=1+1",
		"=HYPERLINK(\"http://x\",\"点我\")": "'=HYPERLINK(\"http://x\",\"点我\")",
		"+SUM(1+1)":                       "'+SUM(1+1)",
		"-SUM(1+1)":                       "'-SUM(1+1)",
		"@SUM(1)":                         "'@SUM(1)",
		"\t=1+1":                          "'\t=1+1",
		"\r=1+1":                          "'\r=1+1",
		"-":                               "'-",
		"-1+1":                            "'-1+1",
		"+86 138":                         "'+86 138",
		"-12.50":                          "-12.50",
		"-3":                              "-3",
		"+5.00":                           "+5.00",
		"-.5":                             "'-.5",
		"-5.":                             "'-5.",
		"1234.50":                         "1234.50",
		"3-2-1501":                        "3-2-1501",
		"王伟":                              "王伟",
		"":                                "",
		"a=1":                             "a=1",
	}
	for in, want := range cases {
		if got := SafeCell(in); got != want {
			t.Errorf("SafeCell(%q) = %q, want %q", in, got, want)
		}
	}
	row := []string{"=1+1", "-1.00"}
	if got := SafeRow(row); got[0] != "'=1+1" || got[1] != "-1.00" || row[0] != "=1+1" {
		t.Errorf("SafeRow %q (input %q)", got, row)
	}
}

func FuzzSafeCell(f *testing.F) {
	for _, s := range []string{"=1+1", "-12.50", "@", "\t", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := SafeCell(s)
		if got == "" {
			return
		}
		switch got[0] {
		case '=', '+', '-', '@', '\t', '\r':
			if !plainDecimal(got) {
				t.Errorf("SafeCell(%q) = %q still starts with a trigger", s, got)
			}
		}
	})
}

func TestParseSheet_RowBound(t *testing.T) {
	b := []byte("unit\n" + strings.Repeat("a\n", maxSheetRows+1))
	if _, err := ParseSheet("big.csv", b); app.ErrorCode(err) != app.EINVALID || !strings.Contains(err.Error(), "big.csv") {
		t.Errorf("too many rows: %v", err)
	}
}
