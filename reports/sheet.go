// Package reports makes everything Sunledger prints or exchanges as files: PDFs for the
// notice board, CSV/JSON/XLSX in and out, journals for other accounting programs, and
// signed snapshots.
package reports

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"sunledger/app"
)

// maxSheetBytes bounds what a register or ballot file may weigh: far above any real
// community, far below what would hurt the laptop.
const maxSheetBytes = 64 << 20

// ReadSheet reads the rows of a CSV or XLSX file as text cells. CSV may be UTF-8 (with or
// without BOM) or GB18030/GBK, which is what Excel on a Chinese Windows saves as
// "CSV (逗号分隔)". XLSX is read from its first sheet.
func ReadSheet(path string) ([][]string, error) {
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
		return nil, app.Errorf(app.EINVALID, "文件 %s 太大", "file %s is too large", path)
	}
	return ParseSheet(filepath.Base(path), b)
}

// ParseSheet reads CSV or XLSX content; name is only used to word errors.
func ParseSheet(name string, b []byte) ([][]string, error) {
	if len(bytes.TrimSpace(b)) == 0 {
		return nil, app.Errorf(app.EINVALID, "文件 %s 是空的", "file %s is empty", name)
	}
	if bytes.HasPrefix(b, []byte("PK\x03\x04")) {
		return parseXLSX(name, b)
	}
	if bytes.IndexByte(b, 0) >= 0 {
		return nil, app.Errorf(app.EINVALID, "文件 %s 不是 CSV 或 XLSX 表格", "file %s is not a CSV or XLSX spreadsheet", name)
	}
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(b) {
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
	rows, err := r.ReadAll()
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return nil, app.Errorf(app.EINVALID, "文件 %s 第 %d 行不是有效的 CSV：%v", "file %s row %d is not valid CSV: %v", name, pe.Line, pe.Err)
		}
		return nil, app.Errorf(app.EINVALID, "文件 %s 不是有效的 CSV：%v", "file %s is not valid CSV: %v", name, err)
	}
	return rows, nil
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
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		return nil, app.Errorf(app.EINVALID, "文件 %s 不是有效的 XLSX 表格：%v", "file %s is not a valid XLSX spreadsheet: %v", name, err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, app.Errorf(app.EINVALID, "文件 %s 里没有工作表", "file %s has no sheet", name)
	}
	rows, err := f.GetRows(sheets[0])
	if err != nil {
		return nil, app.Errorf(app.EINVALID, "无法读取 %s 的工作表：%v", "cannot read the sheet of %s: %v", name, err)
	}
	return rows, nil
}

// SafeCell neutralises a CSV cell that a spreadsheet would run as a formula (OWASP's
// CSV injection rule): text that starts with =, +, -, @, a tab or a carriage return gets a
// leading apostrophe, which Excel and LibreOffice show as text. A plain number we wrote
// ourselves ("-12.50") stays a number.
func SafeCell(s string) string {
	if s == "" || !strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return s
	}
	if s[0] == '-' || s[0] == '+' {
		if _, err := strconv.ParseFloat(s, 64); err == nil && !strings.ContainsAny(s, "eEinfINFaA") {
			return s
		}
	}
	return "'" + s
}

// SafeCells applies SafeCell to every cell of a row.
func SafeCells(row []string) []string {
	out := make([]string, len(row))
	for i, c := range row {
		out[i] = SafeCell(c)
	}
	return out
}
