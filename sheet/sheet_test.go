package sheet

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
		rows, err := Read(p)
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
	rows, err := Read(p)
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
		if _, err := Read(p); app.ErrorCode(err) != app.EINVALID {
			t.Errorf("%s: err = %v", name, err)
		}
	}
	if _, err := Read(filepath.Join(dir, "missing.csv")); app.ErrorCode(err) != app.ENOTFOUND {
		t.Errorf("missing: err = %v", err)
	}
}

func FuzzParseSheet(f *testing.F) {
	f.Add([]byte("房号,类型,面积,业主编号\n1-1-101,住宅,80.5,O1\n"))
	f.Add([]byte("a;b\n\"x;y\";2"))
	f.Add([]byte("PK\x03\x04"))
	f.Add([]byte("<html><table><tr><td>交易日期</td><td>余额</td></tr><tr><td>2026-03-01<td>1,00</table>"))
	f.Fuzz(func(t *testing.T, b []byte) {
		rows, err := Parse("fuzz.csv", b)
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
	if _, err := Parse("big.csv", b); app.ErrorCode(err) != app.EINVALID || !strings.Contains(err.Error(), "big.csv") {
		t.Errorf("too many rows: %v", err)
	}
}

// TestReadSheet_XLSXNumberFormatsDoNotChangeTheNumber: a number is read as stored (to
// the 15 digits Excel shows), not as a cell format displays it: an area of 88.88 in a
// column formatted "0" is 88.88, not 89; 33.335 formatted "0.0" is 33.335 (so the
// register refuses its 3 decimals) rather than 33.3. What the format shows is kept
// when it is the same number ("100.10", "0001", "1,088.50") or not a number at all.
func TestReadSheet_XLSXNumberFormatsDoNotChangeTheNumber(t *testing.T) {
	cases := []struct {
		name   string
		value  any
		numFmt int    // built-in format id, 0 = General
		custom string // custom format code
		want   string
	}{
		{"general", 88.5, 0, "", "88.5"},
		{"float noise", 88.879999999999995, 0, "", "88.88"},
		{"formula noise", 0.1 + 0.2, 0, "", "0.3"},
		{"two decimals shown", 100.1, 2, "", "100.10"},
		{"integer format hides decimals", 88.88, 1, "", "88.88"},
		{"one decimal hides the third", 33.335, 0, "0.0", "33.335"},
		{"thousands", 1088.5, 4, "", "1,088.50"},
		{"leading zeros", 1, 0, "0000", "0001"},
		{"text", "1-1-101", 1, "", "1-1-101"},
		{"bool", true, 0, "", "TRUE"},
		{"text digits keep their zeros", "00123", 0, "", "00123"},
	}
	f := excelize.NewFile()
	for i, c := range cases {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetCellValue("Sheet1", cell, c.value); err != nil {
			t.Fatal(err)
		}
		st := &excelize.Style{NumFmt: c.numFmt}
		if c.custom != "" {
			st = &excelize.Style{CustomNumFmt: &c.custom}
		}
		id, err := f.NewStyle(st)
		if err != nil {
			t.Fatal(err)
		}
		f.SetCellStyle("Sheet1", cell, cell, id)
	}
	p := filepath.Join(t.TempDir(), "formats.xlsx")
	if err := f.SaveAs(p); err != nil {
		t.Fatal(err)
	}
	rows, err := Read(p)
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range cases {
		if got := rows[i][0]; got != c.want {
			t.Errorf("%s: read %q, want %q", c.name, got, c.want)
		}
	}
}

// TestReadSheet_XLSXRegisterAreaAsStored: end to end through the register parser, an
// area hidden by an integer format imports as stored.
func TestReadSheet_XLSXRegisterAreaAsStored(t *testing.T) {
	f := excelize.NewFile()
	for i, row := range [][]any{{"房号", "类型", "面积", "业主编号"}, {"1-1-101", "住宅", 88.88, "O1"}, {"1-1-102", "住宅", 33.335, "O2"}} {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		f.SetSheetRow("Sheet1", cell, &row)
	}
	id, _ := f.NewStyle(&excelize.Style{NumFmt: 1}) // "0"
	f.SetCellStyle("Sheet1", "C2", "C3", id)
	p := filepath.Join(t.TempDir(), "register.xlsx")
	if err := f.SaveAs(p); err != nil {
		t.Fatal(err)
	}
	rows, err := Read(p)
	if err != nil {
		t.Fatal(err)
	}
	_, err = app.ParseRegisterRows(rows)
	if err == nil || !strings.Contains(err.Error(), "33.335") {
		t.Fatalf("33.335 shown as 33 was accepted or misreported: %v", err)
	}
	units, err := app.ParseRegisterRows(rows[:2])
	if err != nil || units[0].Area.String() != "88.88" {
		t.Fatalf("units=%+v err=%v", units, err)
	}
}

// TestReadSheet_GBKThatIsAlsoValidUTF8: a GBK file whose only Chinese is 住宅 (D7A1 D5AC,
// also valid UTF-8 for the letters סլ) is read as GBK; UTF-8 files with pinyin, m² or
// Chinese stay UTF-8.
func TestReadSheet_GBKThatIsAlsoValidUTF8(t *testing.T) {
	gbk := func(s string) []byte {
		b, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(s))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	cases := []struct {
		name string
		b    []byte
		want string // the kind cell of the first unit
	}{
		{"gbk 住宅 only", gbk("unit,kind,area,owner_id\n1-1-101,住宅,88,o1\n"), "住宅"},
		{"utf8 pinyin", []byte("unit,kind,area,owner_id,owner_name\n1-1-101,residential,88,o1,Zhāng Sān\n"), "residential"},
		{"utf8 m²", []byte("unit,kind,area,owner_id\n1-1-101,residential,88 m²,o1\n"), "residential"},
		{"utf8 chinese", []byte("unit,kind,area,owner_id\n1-1-101,住宅,88,o1\n"), "住宅"},
		{"utf8 with bom and odd letters", append([]byte("\xef\xbb\xbf"), "unit,kind,area,owner_id\n1-1-101,סլ,88,o1\n"...), "סլ"},
	}
	for _, c := range cases {
		rows, err := Parse(c.name, c.b)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if got := rows[1][1]; got != c.want {
			t.Errorf("%s: kind %q, want %q", c.name, got, c.want)
		}
	}
}

func TestReadSheet_BankXLSThatIsHTMLAndOldBinaryXLS(t *testing.T) {
	page := "<html><head><meta charset=gbk></head><body><table><tr><th>交易日期</th><th>摘要</th><th>余额</th></tr>" +
		"<tr><td>2026-03-01</td><td>利&nbsp;息<br>季度</td><td>1,000.00</td></tr></table></body></html>"
	gbk, _ := simplifiedchinese.GBK.NewEncoder().String(page)
	rows, err := Parse("明细.xls", []byte(gbk))
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || rows[1][0] != "2026-03-01" || rows[1][1] != "利 息 季度" || rows[1][2] != "1,000.00" || rows[0][2] != "余额" {
		t.Errorf("rows = %q", rows)
	}
	_, err = Parse("old.xls", append([]byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"), make([]byte, 600)...))
	if err == nil || !strings.Contains(err.Error(), "另存为 .xlsx") {
		t.Errorf("old xls: %v", err)
	}
}
