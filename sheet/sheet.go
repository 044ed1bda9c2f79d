// Package sheet reads the spreadsheets a committee brings (CSV in UTF-8 or GBK, XLSX) as
// rows of cells, for every import (register, ballots, statements…), and makes cells safe to
// write back out for Excel (SafeCell, SafeRow).
package sheet

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/net/html"
	"golang.org/x/text/encoding/simplifiedchinese"

	"sunledger/app"
)

// maxSheetBytes bounds what a register or ballot file may weigh: far above any real
// community, far below what would hurt the laptop.
const maxSheetBytes = 64 << 20

// maxSheetRows bounds the rows read from one file: a register, ballot or matters file
// of any real community has far fewer (app.MaxUnits), and a file of millions of tiny
// rows would otherwise cost gigabytes of memory.
const maxSheetRows = app.MaxUnits + 1000

// maxUnzipBytes bounds what an XLSX file may unpack to.
const maxUnzipBytes = 4 * maxSheetBytes

// Read reads the rows of a CSV or XLSX file as text cells. CSV may be UTF-8 (with or
// without BOM) or GB18030/GBK, which is what Excel on a Chinese Windows saves as
// "CSV (逗号分隔)". XLSX is read from its first sheet. An old binary Excel workbook
// (.xls) is refused with the advice to save it as XLSX or CSV.
func Read(path string) ([][]string, error) {
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, app.Errorf(app.ENOTFOUND, "找不到文件 %s", "file %s not found", path)
		}
		return nil, app.Errorf(app.EINVALID, "无法打开文件 %s：%v", "cannot open file %s: %v", path, err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxSheetBytes+1))
	if err != nil {
		return nil, app.Errorf(app.EINVALID, "无法读取文件 %s：%v", "cannot read file %s: %v", path, err)
	}
	if len(b) > maxSheetBytes {
		return nil, app.Errorf(app.EINVALID, "文件 %s 超过 %d MB：登记册、事项和选票文件不会这么大，请检查是否选错了文件；没有导入任何内容",
			"file %s is larger than %d MB: no register, matters or ballot file is that large; check that it is the right file; nothing was imported", path, maxSheetBytes>>20)
	}
	return Parse(filepath.Base(path), b)
}

// Parse reads CSV or XLSX content; name is only used to word errors.
func Parse(name string, b []byte) ([][]string, error) {
	if len(bytes.TrimSpace(b)) == 0 {
		return nil, app.Errorf(app.EINVALID, "文件 %s 是空的", "file %s is empty", name)
	}
	if bytes.HasPrefix(b, []byte("PK\x03\x04")) {
		return parseXLSX(name, b)
	}
	if bytes.HasPrefix(b, []byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")) {
		return nil, app.Errorf(app.EINVALID, "文件 %s 是旧版 Excel（.xls）格式，无法直接读取：请在 Excel 或 WPS 里打开，另存为 .xlsx 或 CSV 后再导入；没有导入任何内容",
			"file %s is an old Excel (.xls) workbook, which cannot be read: open it in Excel or WPS, save it as .xlsx or CSV and import that; nothing was imported", name)
	}
	if bytes.IndexByte(b, 0) >= 0 {
		return nil, app.Errorf(app.EINVALID, "文件 %s 不是 CSV 或 XLSX 表格", "file %s is not a CSV or XLSX spreadsheet", name)
	}
	if isHTMLTable(b) {
		return parseHTMLTable(name, b)
	}
	bom := bytes.HasPrefix(b, []byte("\xef\xbb\xbf"))
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(b) || (!bom && gbkReadAsUTF8(b)) {
		dec, err := simplifiedchinese.GB18030.NewDecoder().Bytes(b)
		if err != nil || !utf8.Valid(dec) {
			return nil, app.Errorf(app.EINVALID, "文件 %s 的文字编码无法识别（请另存为 UTF-8 的 CSV）", "file %s has an unknown text encoding (save it as UTF-8 CSV)", name)
		}
		b = dec
	}
	r := csv.NewReader(bytes.NewReader(b))
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	if sep := sniffSeparator(b); sep != ',' {
		r.Comma = sep
	}
	r.ReuseRecord = false
	var rows [][]string
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, app.Errorf(app.EINVALID, "文件 %s 第 %d 行不是有效的 CSV：%v", "file %s row %d is not valid CSV: %v", name, pe.Line, pe.Err)
			}
			return nil, app.Errorf(app.EINVALID, "文件 %s 不是有效的 CSV：%v", "file %s is not valid CSV: %v", name, err)
		}
		if len(rows) == maxSheetRows {
			return nil, errTooManyRows(name)
		}
		rows = append(rows, rec)
	}
	return rows, nil
}

// gbkReadAsUTF8 tells a GBK file that happens to be valid UTF-8 from a UTF-8 one. Each
// GBK character whose lead byte is C2–DF and trail byte 80–BF is also a 2-byte UTF-8
// sequence: 住宅 (D7A1 D5AC) reads as the Hebrew and Armenian letters סլ. A file whose
// UTF-8 reading has no character from U+0800 on (so no Chinese at all) but letters from
// U+0250 to U+07FF (IPA, Greek, Cyrillic, Hebrew, Armenian, Arabic: nothing a Chinese
// register holds; pinyin tone marks stay below U+0250), and whose GB18030 reading is
// Chinese characters and ASCII only, is GBK.
func gbkReadAsUTF8(b []byte) bool {
	odd := false
	for _, r := range string(b) {
		if r >= 0x800 {
			return false
		}
		if r >= 0x250 {
			odd = true
		}
	}
	if !odd {
		return false
	}
	dec, err := simplifiedchinese.GB18030.NewDecoder().Bytes(b)
	if err != nil || !utf8.Valid(dec) {
		return false
	}
	for _, r := range string(dec) {
		if r >= 0x80 && !unicode.Is(unicode.Han, r) {
			return false
		}
	}
	return true
}

func errTooManyRows(name string) error {
	return app.Errorf(app.EINVALID, "文件 %s 超过 %d 行：一个小区的登记册或选票不会有这么多行，请检查是否选错了文件；没有导入任何内容",
		"file %s has more than %d rows: no community's register or ballots have that many; check that it is the right file; nothing was imported", name, maxSheetRows)
}

// sniffSeparator accepts the semicolon and tab files some spreadsheet locales write,
// judging by the header line alone.
func sniffSeparator(b []byte) rune {
	line, _, _ := strings.Cut(string(b), "\n")
	best, n := ',', strings.Count(line, ",")
	for _, c := range []rune{';', '\t'} {
		if k := strings.Count(line, string(c)); k > n {
			best, n = c, k
		}
	}
	return best
}

func parseXLSX(name string, b []byte) ([][]string, error) {
	// Bound what the zip may unpack to: a small XLSX can inflate to gigabytes.
	f, err := excelize.OpenReader(bytes.NewReader(b), excelize.Options{UnzipSizeLimit: maxUnzipBytes})
	if err != nil {
		return nil, app.Errorf(app.EINVALID, "文件 %s 不是有效的 XLSX 表格：%v", "file %s is not a valid XLSX spreadsheet: %v", name, err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, app.Errorf(app.EINVALID, "文件 %s 里没有工作表", "file %s has no sheet", name)
	}
	// The sheet is read twice side by side: as shown (number formats applied) and as
	// stored, so that a cell whose format hides part of its number is read as stored
	// (see cellText).
	bad := func(err error) error {
		return app.Errorf(app.EINVALID, "无法读取 %s 的工作表：%v", "cannot read the sheet of %s: %v", name, err)
	}
	it, err := f.Rows(sheets[0])
	if err != nil {
		return nil, bad(err)
	}
	defer it.Close()
	rawIt, err := f.Rows(sheets[0])
	if err != nil {
		return nil, bad(err)
	}
	defer rawIt.Close()
	var rows [][]string
	for it.Next() {
		if !rawIt.Next() {
			return nil, bad(errors.New("rows changed while reading"))
		}
		if len(rows) == maxSheetRows {
			return nil, errTooManyRows(name)
		}
		row, err := it.Columns()
		if err != nil {
			return nil, bad(err)
		}
		raw, err := rawIt.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, bad(err)
		}
		for i := range row {
			if i < len(raw) {
				row[i] = cellText(row[i], raw[i])
			}
		}
		rows = append(rows, row)
	}
	if err := it.Error(); err != nil {
		return nil, bad(err)
	}
	return rows, nil
}

// cellText is the text of an XLSX cell: what the spreadsheet shows, unless the cell's
// number format shows a different number from the one stored. A unit's area 88.88 in a
// column formatted "0" shows as 89, and 33.335 formatted "0.0" as 33.3: importing what
// is shown would bill a wrong area every month without a word, so the stored number is
// read instead (88.88; 33.335, which the register then refuses for its 3 decimals).
// The stored number is taken to 15 significant digits, as Excel itself shows numbers,
// so float noise (88.879999999999995, or 0.30000000000000004 from a formula) reads as
// typed. A shown number equal to that stays as shown ("0001" for 1, "100.10",
// "1,088.50"), and so does anything shown that is not a plain number (dates, TRUE).
func cellText(shown, raw string) string {
	if shown == raw {
		return shown
	}
	stored, err := strconv.ParseFloat(strings.TrimSpace(raw), 64)
	if err != nil || math.IsInf(stored, 0) || math.IsNaN(stored) {
		return shown
	}
	stored, _ = strconv.ParseFloat(strconv.FormatFloat(stored, 'g', 15, 64), 64)
	n, err := strconv.ParseFloat(strings.ReplaceAll(strings.TrimSpace(shown), ",", ""), 64)
	if err != nil || n == stored {
		return shown
	}
	return strconv.FormatFloat(stored, 'f', -1, 64)
}

// SafeCell neutralises a CSV cell that a spreadsheet would run as a formula (OWASP's
// rule against CSV injection): a cell starting with =, +, -, @, a tab or a carriage
// return gets a leading single quote, so =HYPERLINK(...) in an owner's name or =1+1 as
// a unit id shows as text. Plain decimal numbers (-12.50, the amounts we write) are left
// as they are so they stay numbers. Every CSV we write passes its cells through it.
func SafeCell(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		if plainDecimal(s) {
			return s
		}
		return "'" + s
	}
	return s
}

// SafeRow is SafeCell on every cell of a row (a new slice; row is not changed).
func SafeRow(row []string) []string {
	out := make([]string, len(row))
	for i, c := range row {
		out[i] = SafeCell(c)
	}
	return out
}

// plainDecimal: an optional sign, digits, and optionally a point and more digits.
func plainDecimal(s string) bool {
	if s[0] == '+' || s[0] == '-' {
		s = s[1:]
	}
	intPart, frac, dot := strings.Cut(s, ".")
	if intPart == "" || (dot && frac == "") {
		return false
	}
	for _, part := range []string{intPart, frac} {
		for _, c := range part {
			if c < '0' || c > '9' {
				return false
			}
		}
	}
	return true
}

// isHTMLTable tells the ".xls" many online banks export, which is an HTML page holding
// a table, from CSV.
func isHTMLTable(b []byte) bool {
	head := bytes.ToLower(bytes.TrimSpace(bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))))
	return bytes.HasPrefix(head, []byte("<")) && bytes.Contains(head, []byte("<table"))
}

// parseHTMLTable reads the rows (<tr>) of every table of an HTML page as cells (<td>,
// <th>), in UTF-8 or GBK.
func parseHTMLTable(name string, b []byte) ([][]string, error) {
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(b) {
		dec, err := simplifiedchinese.GB18030.NewDecoder().Bytes(b)
		if err != nil {
			return nil, app.Errorf(app.EINVALID, "文件 %s 的文字编码无法识别", "file %s has an unknown text encoding", name)
		}
		b = dec
	}
	z := html.NewTokenizer(bytes.NewReader(b))
	var rows [][]string
	var row []string
	var cell *strings.Builder
	endCell := func() {
		if cell != nil && row != nil {
			row = append(row, strings.TrimSpace(strings.ReplaceAll(cell.String(), "\u00a0", " ")))
		}
		cell = nil
	}
	endRow := func() error {
		endCell()
		if row != nil {
			if len(rows) == maxSheetRows {
				return errTooManyRows(name)
			}
			rows = append(rows, row)
		}
		row = nil
		return nil
	}
	for {
		switch z.Next() {
		case html.ErrorToken:
			if err := endRow(); err != nil {
				return nil, err
			}
			if len(rows) == 0 {
				return nil, app.Errorf(app.EINVALID, "文件 %s 里没有表格行", "file %s holds no table rows", name)
			}
			return rows, nil
		case html.StartTagToken:
			tn, _ := z.TagName()
			switch string(tn) {
			case "tr":
				if err := endRow(); err != nil {
					return nil, err
				}
				row = []string{}
			case "td", "th":
				endCell()
				if row == nil {
					row = []string{}
				}
				cell = &strings.Builder{}
			case "br":
				if cell != nil {
					cell.WriteByte(' ')
				}
			}
		case html.EndTagToken:
			tn, _ := z.TagName()
			switch string(tn) {
			case "td", "th":
				endCell()
			case "tr", "table":
				if err := endRow(); err != nil {
					return nil, err
				}
			}
		case html.TextToken:
			if cell != nil && cell.Len() < 4096 {
				cell.Write(z.Text())
			}
		}
	}
}
