package reports

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sunledger/internal/testtool"
)

const longPara = "根据《中华人民共和国民法典》第二百七十八条，业主共同决定事项，应当由专有部分面积占比三分之二以上的业主且人数占比三分之二以上的业主参与表决。" +
	"决定前款第六项至第八项规定的事项，应当经参与表决专有部分面积四分之三以上的业主且参与表决人数四分之三以上的业主同意。" +
	"本期物业服务资金收入 ¥1,234,567.89 元，支出 ¥987,654.32 元（含酬金 15%），结余由全体业主共有。" +
	"账本链头 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a089f86d081884c7d659a2feaa0c55ad015 用于核对；" +
	"English words like transparency and accountability wrap at spaces, not inside words; 阳光信托制物业服务模式下，全部收支公开。"

// renderText writes d to a PDF in dir and returns pdftotext's output and the PDF path.
func renderText(t *testing.T, d *Doc, dir string) (string, string) {
	t.Helper()
	path := filepath.Join(dir, "doc.pdf")
	if err := d.Save(path); err != nil {
		t.Fatal(err)
	}
	return testtool.PDFText(t, path, "-layout"), path
}

func TestPage_WrappedParagraphsKeepEveryCharacter(t *testing.T) {
	d := NewDoc(DocMeta{Community: "阳光花园小区", Title: "换行测试", HeadHash: "abc123", DocID: "test-1", Date: "2026-11-22"})
	paras := []string{longPara, strings.Repeat("信托制物业，", 60), strings.Repeat("0123456789", 30), strings.Repeat(longPara, 3)}
	for _, p := range paras {
		d.Para(p)
	}
	text, _ := renderText(t, d, t.TempDir())
	got := testtool.Squeeze(text)
	for i, p := range paras {
		if !strings.Contains(got, testtool.Squeeze(p)) {
			t.Errorf("paragraph %d lost characters in wrapping:\nwant %s\n got %s", i, testtool.Squeeze(p), got)
		}
	}
}

func TestPage_TableRepeatsHeaderOnEveryPage(t *testing.T) {
	d := NewDoc(DocMeta{Community: "阳光花园小区", Title: "欠费公示", HeadHash: "deadbeef", DocID: "arrears-1", Date: "2026-11-22"})
	d.Para("下表为截至本月末的欠费情况。")
	var rows [][]string
	for i := 1; i <= 200; i++ {
		rows = append(rows, []string{fmt.Sprintf("%d-%d-%d", i%9+1, i%3+1, 100+i), "业主" + fmt.Sprint(i), fmt.Sprintf("%d.%02d", i*37, i%100), fmt.Sprint(i % 12)})
	}
	cols := []Col{{Title: "房号", Width: 30}, {Title: "业主姓名"}, {Title: "欠费金额（元）", Width: 40, Align: "R"}, {Title: "月数", Width: 20, Align: "R"}}
	d.Table(cols, rows, TableOpts{Zebra: true, Totals: []string{"合计", "", "12345.00", ""}, Caption: "欠费明细"})
	d.Signatures("计票人", "监票人")
	dir := t.TempDir()
	text, path := renderText(t, d, dir)
	pages := strings.Split(text, "\f")
	if len(pages) < 4 {
		t.Fatalf("a 200-row table should take several pages, got %d", len(pages))
	}
	n := 0
	for i, p := range pages {
		if strings.TrimSpace(p) == "" {
			continue
		}
		n++
		if !strings.Contains(p, "欠费金额（元）") {
			t.Errorf("page %d lacks the repeated header row", i+1)
		}
		if !strings.Contains(testtool.Squeeze(p), fmt.Sprintf("第%d/", i+1)) {
			t.Errorf("page %d lacks its page number", i+1)
		}
		if !strings.Contains(p, "账本链头 deadbeef") {
			t.Errorf("page %d lacks the head hash", i+1)
		}
	}
	if !strings.Contains(testtool.Squeeze(pages[0]), fmt.Sprintf("第1/%d页", n)) {
		t.Errorf("page 1 footer should say 第 1 / %d 页", n)
	}
	if !strings.Contains(pages[1], "欠费明细（续）") {
		t.Errorf("page 2 lacks the continued caption")
	}
	for _, r := range rows {
		if !strings.Contains(text, r[0]) || !strings.Contains(text, r[2]) {
			t.Fatalf("row %v missing from the text", r)
		}
	}
	if !strings.Contains(text, "计票人：") || !strings.Contains(text, "日期：") {
		t.Errorf("signature lines missing")
	}
	if os.Getenv("SUNLEDGER_KEEP_PDF") != "" {
		data, _ := os.ReadFile(path)
		os.WriteFile(os.Getenv("SUNLEDGER_KEEP_PDF"), data, 0o644)
	}
}

func TestPage_SameContentSameBytes(t *testing.T) {
	mk := func() string {
		d := NewDoc(DocMeta{Community: "小区", Title: "标题", HeadHash: "h", Date: "2026-01-02", Landscape: true})
		d.KV([]KV{{"收入", "¥1.00"}, {"支出", "¥2.00"}})
		var b strings.Builder
		if err := d.Write(&b); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	if first, second := mk(), mk(); first != second {
		t.Error("the same document rendered twice differs: snapshots need byte-identical PDFs")
	}
}

func TestWrap_CJKLatinAndPunctuation(t *testing.T) {
	// Every character is 1 mm wide, a line holds 10.
	width := func(s string) float64 { return float64(len([]rune(s))) }
	tests := []struct {
		name, in string
		want     []string
	}{
		{"cjk breaks anywhere", "一二三四五六七八九十一二三", []string{"一二三四五六七八九十", "一二三"}},
		{"closing punctuation hangs", "一二三四五六七八九十。一", []string{"一二三四五六七八九十。", "一"}},
		{"only one mark hangs", "一二三四五六七（八九户），一", []string{"一二三四五六七（八九", "户），一"}},
		{"opening bracket moves down", "一二三四五六七八九（十）", []string{"一二三四五六七八九", "（十）"}},
		{"words break at spaces", "hello world again", []string{"hello", "world", "again"}},
		{"long run is cut", "0123456789abcdef", []string{"0123456789", "abcdef"}},
		{"amount stays whole", "金额¥1,234.50元", []string{"金额", "¥1,234.50元"}},
		{"empty", "", []string{""}},
	}
	for _, tt := range tests {
		got := wrapLine(width, tt.in, 10)
		if strings.Join(got, "|") != strings.Join(tt.want, "|") {
			t.Errorf("%s: got %q want %q", tt.name, got, tt.want)
		}
	}
}

func FuzzWrap_KeepsEveryNonSpaceCharacter(f *testing.F) {
	f.Add(longPara, 10.0)
	f.Add("a b  c", 1.0)
	f.Fuzz(func(t *testing.T, s string, w float64) {
		if w <= 0.5 || w > 1000 {
			return
		}
		width := func(s string) float64 { return float64(len([]rune(s))) }
		lines := wrapLine(width, strings.ReplaceAll(s, "\n", ""), w)
		if testtool.Squeeze(strings.Join(lines, "")) != testtool.Squeeze(strings.ToValidUTF8(strings.ReplaceAll(s, "\n", ""), "\uFFFD")) {
			t.Fatalf("characters lost: %q -> %q", s, lines)
		}
	})
}
