package reports

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sunledger/internal/testtool"
	"testing"
)

// pageTexts is the text of each page of the PDF at path (pdftotext separates pages with
// a form feed), without the running header and footer, blank lines dropped.
func pageTexts(t *testing.T, path string) [][]string {
	t.Helper()
	out := testtool.PDFText(t, path, "-layout")
	var pages [][]string
	for _, p := range strings.Split(strings.TrimRight(out, "\f"), "\f") {
		var lines []string
		for i, l := range strings.Split(p, "\n") {
			l = strings.TrimSpace(l)
			if l == "" || i == 0 && strings.Contains(l, "测试小区") {
				continue
			}
			if strings.HasPrefix(l, "账本链头") || strings.HasPrefix(l, "文件编号") || strings.HasPrefix(l, "核对方法") || isPageNumber(l) {
				continue
			}
			lines = append(lines, l)
		}
		pages = append(pages, lines)
	}
	return pages
}

// pageTextsRaw is the whole text of each page, header and footer included.
func pageTextsRaw(t *testing.T, path string) []string {
	t.Helper()
	out := testtool.PDFText(t, path, "-layout")
	return strings.Split(strings.TrimRight(out, "\f"), "\f")
}

// isPageNumber recognises the footer's "第 2 / 3 页" however pdftotext spaces it.
func isPageNumber(l string) bool {
	l = strings.ReplaceAll(l, " ", "")
	return strings.HasPrefix(l, "第") && strings.HasSuffix(l, "页") && strings.Contains(l, "/")
}

// TestLayout_NoEmptyPages: space after the last content never starts a page of its own.
func TestLayout_NoEmptyPages(t *testing.T) {
	dir := t.TempDir()
	for n := 50; n <= 70; n++ {
		d := NewDoc(DocMeta{Community: "测试小区", Title: "空白页测试", HeadHash: "abc", Date: "2026-11-22"})
		var rows [][]string
		for i := range n {
			rows = append(rows, []string{fmt.Sprintf("1-1-%03d", i+1), "¥100.00"})
		}
		d.Table([]Col{{Title: "房号"}, {Title: "金额", Width: 40, Align: "R"}}, rows, TableOpts{})
		d.Signatures("计票人")
		_, path := renderText(t, d, dir)
		for i, lines := range pageTexts(t, path) {
			if len(lines) == 0 {
				t.Fatalf("%d rows: page %d is empty", n, i+1)
			}
		}
	}
}

// TestLayout_HeadingNeverEndsAPage: whatever fills the page before it, a heading is
// followed on its page by the content it introduces.
func TestLayout_HeadingNeverEndsAPage(t *testing.T) {
	dir := t.TempDir()
	for n := 20; n <= 60; n += 2 { // push the heading through every position near the bottom
		d := NewDoc(DocMeta{Community: "测试小区", Title: "标题保持测试", HeadHash: "abc", Date: "2026-11-22"})
		for i := range n {
			d.Para(fmt.Sprintf("第 %d 行正文。", i+1))
		}
		d.Heading("二、支出明细")
		d.Table([]Col{{Title: "项目"}, {Title: "金额", Width: 40, Align: "R"}}, [][]string{{"保洁", "¥1,000.00"}, {"绿化", "¥2,000.00"}}, TableOpts{})
		_, path := renderText(t, d, dir)
		for i, lines := range pageTexts(t, path) {
			if len(lines) > 0 && lines[len(lines)-1] == "二、支出明细" {
				t.Fatalf("%d paragraphs: page %d ends with the heading", n, i+1)
			}
		}
	}
}

// TestLayout_SignaturesNeverStandAlone: however long the table before it, the signature
// block shares its page with at least the table's last rows.
func TestLayout_SignaturesNeverStandAlone(t *testing.T) {
	dir := t.TempDir()
	for n := 30; n <= 75; n++ {
		d := NewDoc(DocMeta{Community: "测试小区", Title: "签名保持测试", HeadHash: "abc", Date: "2026-11-22"})
		var rows [][]string
		for i := range n {
			rows = append(rows, []string{fmt.Sprintf("1-1-%03d", i+1), "¥100.00"})
		}
		d.Table([]Col{{Title: "房号"}, {Title: "金额", Width: 40, Align: "R"}}, rows, TableOpts{Totals: []string{"合计", "¥9,999.00"}})
		d.Signatures("计票人", "监票人", "业主委员会（盖章）")
		_, path := renderText(t, d, dir)
		pages := pageTexts(t, path)
		last := pages[len(pages)-1]
		onlySignatures := true
		for _, l := range last {
			if !strings.Contains(l, "____") {
				onlySignatures = false
			}
		}
		if onlySignatures {
			t.Fatalf("%d rows: the last page holds only the signature block: %q", n, last)
		}
	}
}

// TestLayout_TableCellsKeepTermsWhole: a budget-like table with thirteen narrow columns
// still prints each category on one line (人员费用, not 人员费/用).
func TestLayout_TableCellsKeepTermsWhole(t *testing.T) {
	cols := []Col{{Title: "资金", Width: 28}, {Title: "类别", Width: 14}}
	for m := 1; m <= 12; m++ {
		cols = append(cols, Col{Title: fmt.Sprintf("%d月", m), Align: "R"})
	}
	terms := []string{"人员费用", "公共设施设备维护", "秩序维护", "¥12,345.67", "物业服务资金 人员费用"}
	var rows [][]string
	for _, term := range terms {
		row := []string{"物业服务资金", term}
		for range 12 {
			row = append(row, "1,234.56")
		}
		rows = append(rows, row)
	}
	d := NewDoc(DocMeta{Community: "测试小区", Title: "预算执行", HeadHash: "abc", Date: "2026-11-22", Landscape: true})
	d.Table(cols, rows, TableOpts{})
	text, _ := renderText(t, d, t.TempDir())
	for _, term := range append(terms[:4], "1,234.56", "人员费用") {
		if !strings.Contains(text, term) {
			t.Errorf("%q is split across lines:\n%s", term, text)
		}
	}
}

func TestFitWidths_TakesRoomFromColumnsThatHaveSome(t *testing.T) {
	got := fitWidths([]float64{10, 50, 40}, []float64{20, 10, 10}, 100)
	if got[0] != 20 || got[1]+got[2] != 80 || got[1] < 10 || got[2] < 10 {
		t.Fatalf("fitWidths = %v", got)
	}
	same := fitWidths([]float64{10, 10}, []float64{60, 60}, 100) // cannot fit: unchanged
	if same[0] != 10 || same[1] != 10 {
		t.Fatalf("impossible fit changed the widths: %v", same)
	}
}

// TestDocNo_DiffersWhenContentDiffers: the same kind of notice on the same day gets
// another number when it prints something else (a filtered list), the same when not.
func TestDocNo_DiffersWhenContentDiffers(t *testing.T) {
	mk := func(rows ...string) *Doc {
		d := NewDoc(DocMeta{Community: "测试小区", Title: "欠费公示", DocID: "arrears-2026-11-22", HeadHash: "abc", Date: "2026-11-22"})
		var rs [][]string
		for _, r := range rows {
			rs = append(rs, []string{r})
		}
		d.Table([]Col{{Title: "房号"}}, rs, TableOpts{})
		return d
	}
	all, again, filtered := mk("1-1-101", "1-1-102"), mk("1-1-101", "1-1-102"), mk("1-1-101")
	if all.DocNo() != again.DocNo() {
		t.Errorf("same content, different numbers: %s %s", all.DocNo(), again.DocNo())
	}
	if all.DocNo() == filtered.DocNo() {
		t.Errorf("different content, same number %s", all.DocNo())
	}
	if !strings.HasPrefix(all.DocNo(), "arrears-2026-11-22-") {
		t.Errorf("DocNo %q lacks its kind", all.DocNo())
	}
	text, _ := renderText(t, all, t.TempDir())
	if !strings.Contains(text, all.DocNo()) {
		t.Errorf("the footer does not print %s", all.DocNo())
	}
}

// TestPublicNotice_StatesItsNoticePeriodAndHowToObject.
func TestPublicNotice_StatesItsNoticePeriodAndHowToObject(t *testing.T) {
	d := NewDoc(DocMeta{Community: "测试小区", Title: "收支公示", HeadHash: "abc", Date: "2026-11-22", Public: true})
	d.Para("正文")
	text, _ := renderText(t, d, t.TempDir())
	if !strings.Contains(testtool.Squeeze(text), testtool.Squeeze("公示期：2026-11-22 至 2026-12-06（15 天）")) || !strings.Contains(text, "异议") {
		t.Errorf("no notice period:\n%s", text)
	}
	if from, to := NoticePeriod("2026-12-25", 10); from != "2026-12-25" || to != "2027-01-03" {
		t.Errorf("NoticePeriod = %s..%s", from, to)
	}
	private := NewDoc(DocMeta{Community: "测试小区", Title: "收据", HeadHash: "abc", Date: "2026-11-22"})
	private.Para("正文")
	if text, _ := renderText(t, private, t.TempDir()); strings.Contains(text, "公示期") {
		t.Error("a receipt is not a public notice")
	}
}

func TestDoc_SaveProgressCancelWritesNothing(t *testing.T) {
	d := NewDoc(DocMeta{Community: "c", Title: "t", Date: "2026-01-01"})
	for range 100 {
		d.Para("line")
	}
	path := filepath.Join(t.TempDir(), "x.pdf")
	calls := 0
	err := d.SaveProgress(path, func(done, total int) bool { calls++; return done < total/4 })
	if err == nil || calls == 0 {
		t.Fatalf("cancel: %v after %d calls", err, calls)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Error("a cancelled document left a file")
	}
	if err := d.SaveProgress(path, func(int, int) bool { return true }); err != nil {
		t.Fatal(err)
	}
}
