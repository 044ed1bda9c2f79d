package reports

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"sunledger/app"
	"sunledger/demo"
	"sunledger/internal/testtool"
	"sunledger/storage"
)

// The render test (docs/notices.md "Render tests"): every document kind of the registry
// is made on a 1-unit book, the 300-unit 3-year demo and the 3,000-unit 10-year demo (the
// last skipped with -short; SUNLEDGER_RENDER_BOOKS=1x1,300x3 picks the books), printed as
// both front ends print it (Make, SaveDocument), and each page is checked from its own
// text: at least three lines of content besides the running header, the footer and
// signature lines; no table leaves fewer than three rows on a page it is split over, and
// a continued table repeats its header; no line is cut or runs off the page or into the
// next cell; and the figures the notice board asked for are printed.

// renderBook is a demo book of units units and years years of history.
type renderBook struct{ units, years int }

func renderBooks(t *testing.T) []renderBook {
	if v := os.Getenv("SUNLEDGER_RENDER_BOOKS"); v != "" {
		var out []renderBook
		for _, f := range strings.Split(v, ",") {
			var b renderBook
			if _, err := fmt.Sscanf(f, "%dx%d", &b.units, &b.years); err != nil {
				t.Fatalf("SUNLEDGER_RENDER_BOOKS=%s: %v", v, err)
			}
			out = append(out, b)
		}
		return out
	}
	out := []renderBook{{1, 1}, {300, 3}}
	if !testing.Short() {
		out = append(out, renderBook{3000, 10}) // about 80 s to build
	}
	return out
}

// renderCase is one document to print: its kind, a name for the file and its arguments.
type renderCase struct {
	kind, name string
	a          Args
}

// renderCases are one document of every kind, and a finished quarter's disclosure and
// last year's budget besides, from the demo book s.
func renderCases(t *testing.T, ctx context.Context, s app.Services) []renderCase {
	t.Helper()
	reg := registryCases(t, ctx, s)
	var out []renderCase
	for _, k := range KindNames() {
		a, ok := reg[k]
		if !ok {
			t.Errorf("no case prints %s", k)
			continue
		}
		out = append(out, renderCase{k, k, a})
	}
	q := reg["quarterly"]
	if q.Quarter > 1 {
		q.Quarter--
	} else {
		q.Year, q.Quarter = q.Year-1, 4
	}
	return append(out, renderCase{"quarterly", "quarterly-finished", q}, renderCase{"budget", "budget-last-year", Args{Year: reg["budget"].Year - 1}},
		renderCase{"arrears", "arrears-min", Args{MinMonths: 2, MinAmount: "50"}})
}

// renderWants are what each kind must print (spaces ignored); a list of alternatives
// is separated by |.
var renderWants = map[string][]string{
	"quarterly":   {"发票号", "物业服务考核", "凭证查阅", "（季度末）", "收缴率（截至", "联签与复核", "申请人", "物业服务企业（盖章）"},
	"survey":      {"最低一档为0分", "=0分", "参与率", "计入季度考核"},
	"service":     {"按事项分类", "按考核标准", "受理情况"},
	"budget":      {"实际支出截至|（全年）", "小计"},
	"arrears":     {"账龄0–2个月|没有需要公示的欠费房号"},
	"settlement":  {"社区复核", "审计："},
	"meetings":    {"决议办理情况|二、决议"},
	"tally":       {"计票规则"},
	"fee-notices": {"本次应缴"},
	"receipt":     {"物业服务费收据"},
}

func TestRender_EveryDocumentOnSmallDemoAndHugeBooks(t *testing.T) {
	if testing.Short() && os.Getenv("SUNLEDGER_RENDER_BOOKS") == "" {
		t.Skip("builds demo books")
	}
	for _, bk := range renderBooks(t) {
		t.Run(fmt.Sprintf("%d units %d years", bk.units, bk.years), func(t *testing.T) {
			ctx := context.Background()
			db, err := storage.Open(t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			s := db.Services()
			if _, err := demo.Build(ctx, s, demo.Options{Units: bk.units, Years: bk.years, Seed: 7}); err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			for _, c := range renderCases(t, ctx, s) {
				if c.kind == "ballots" && bk.units > 300 {
					c.a.Unit = "1-1-101" // one ballot: 3,000 pages would add minutes, not rules
				}
				d, err := Make(ctx, s, c.kind, c.a)
				if err != nil && c.a.OwingOnly { // a book where nobody owes this month
					c.a.OwingOnly = false
					d, err = Make(ctx, s, c.kind, c.a)
				}
				if err != nil {
					t.Errorf("%s: %v", c.name, err)
					continue
				}
				d.trace = &pageTrace{}
				p := filepath.Join(dir, c.name+".pdf")
				if err := SaveDocument(ctx, s, d, p, Publication{What: "render test", Who: "desk"}); err != nil {
					t.Errorf("%s: %v", c.name, err)
					continue
				}
				pages := pdfPagesFast(t, p)
				checkRenderedPages(t, c.name, pages)
				checkTables(t, c.name, pages, d.trace)
				checkTracedLines(t, c.name, len(pages), d.trace)
				if len(d.trace.lines) == 0 && c.kind != "receipt" && c.kind != "fee-notices" { // drawn in boxes
					t.Errorf("%s: the layout traced no line", c.name)
				}
				checkNothingCut(t, c.name, p)
				all := testtool.Squeeze(strings.Join(pages, "\n"))
				for _, w := range renderWants[c.kind] {
					found := false
					for _, alt := range strings.Split(w, "|") {
						found = found || strings.Contains(all, testtool.Squeeze(alt))
					}
					if !found {
						t.Errorf("%s does not print %q", c.name, w)
					}
				}
			}
		})
	}
}

// pdfPagesFast is each page's text (-layout), from one pdftotext run split at its form
// feeds.
func pdfPagesFast(t *testing.T, path string) []string {
	t.Helper()
	out, err := exec.Command(testtool.Require(t, "pdftotext"), "-layout", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	pages := strings.Split(string(out), "\f")
	if len(pages) > 1 && strings.TrimSpace(pages[len(pages)-1]) == "" {
		pages = pages[:len(pages)-1]
	}
	return pages
}

// contentLines are a page's lines besides the running header, the footer and
// signature lines.
func contentLines(page string) []string {
	var out []string
	for _, l := range body(page) {
		if !strings.Contains(l, "________") {
			out = append(out, l)
		}
	}
	return out
}

// checkRenderedPages: every page carries three lines of content or more besides the
// header, footer and signatures; none ends with a heading; no line was clipped (…).
func checkRenderedPages(t *testing.T, name string, pages []string) {
	t.Helper()
	for i, p := range pages {
		lines := contentLines(p)
		if len(lines) < 3 {
			t.Errorf("%s: page %d of %d holds %d lines of content: %q", name, i+1, len(pages), len(lines), body(p))
		}
		if len(lines) > 0 && headingLine.MatchString(lines[len(lines)-1]) && len(pages) > i+1 {
			t.Errorf("%s: page %d ends with the heading %q", name, i+1, lines[len(lines)-1])
		}
		for j, l := range strings.Split(p, "\n") {
			if strings.HasSuffix(strings.TrimSpace(l), "…") || j == 0 && strings.Contains(l, "…") {
				t.Errorf("%s: page %d: a cut line %q", name, i+1, l)
			}
		}
	}
}

// checkTables: a table split over pages holds three rows or more on each of them and
// repeats its header on every page it continues on; each row the layout placed on a
// page is in that page's text.
func checkTables(t *testing.T, name string, pages []string, tr *pageTrace) {
	t.Helper()
	for ti, tb := range tr.tables {
		var on []int
		total := 0
		for p, rows := range tb.rows {
			on = append(on, p)
			total += len(rows)
		}
		sort.Ints(on)
		for _, p := range on {
			rows := tb.rows[p]
			if len(on) > 1 && len(rows) < keepRows {
				t.Errorf("%s: table %d (%d rows) leaves %d rows on page %d: %q", name, ti+1, total, len(rows), p, rows)
			}
			if !tb.heads[p] {
				t.Errorf("%s: table %d continues on page %d without its header", name, ti+1, p)
			}
			if p > len(pages) {
				t.Fatalf("%s: table %d on page %d of %d", name, ti+1, p, len(pages))
			}
			text := testtool.Squeeze(pages[p-1])
			for _, r := range rows {
				if head := firstRunes(testtool.Squeeze(r), 4); !strings.Contains(text, head) {
					t.Errorf("%s: table %d's row %q is not in page %d's text", name, ti+1, r, p)
				}
			}
		}
		for p := range tb.heads {
			if len(tb.rows[p]) == 0 && total > 0 {
				t.Errorf("%s: table %d prints its header alone on page %d", name, ti+1, p)
			}
		}
	}
}

// checkTracedLines reads what the layout printed on each page (its trace): no page holds
// only a footnote (besides signatures), or only one or two table rows, and no page but
// the last ends with a heading.
func checkTracedLines(t *testing.T, name string, pages int, tr *pageTrace) {
	t.Helper()
	for p, kinds := range tr.lines {
		var content []string
		for _, k := range kinds {
			if k != "sign" {
				content = append(content, k)
			}
		}
		if len(content) == 0 {
			if p > 1 {
				t.Errorf("%s: page %d holds only signatures", name, p)
			}
			continue
		}
		all := func(kind string) bool {
			for _, k := range content {
				if k != kind {
					return false
				}
			}
			return true
		}
		if all("note") {
			t.Errorf("%s: page %d holds only a footnote (%d lines)", name, p, len(content))
		}
		if all("row") && len(content) < keepRows {
			t.Errorf("%s: page %d holds only %d table rows", name, p, len(content))
		}
		if content[len(content)-1] == "heading" && p < pages {
			t.Errorf("%s: page %d ends with a heading", name, p)
		}
	}
}

func firstRunes(s string, n int) string {
	r := []rune(s)
	return string(r[:min(n, len(r))])
}

var (
	bboxPage = regexp.MustCompile(`<page width="([0-9.]+)" height="([0-9.]+)">`)
	bboxWord = regexp.MustCompile(`<word xMin="([0-9.]+)" yMin="([0-9.]+)" xMax="([0-9.]+)" yMax="([0-9.]+)">([^<]*)</word>`)
)

// checkNothingCut reads every word's box (pdftotext -bbox): none runs past the page's
// side margins (beyond one hanging punctuation mark and the cell padding), and no two words on one line
// overlap (a cell's text running into the next).
func checkNothingCut(t *testing.T, name, path string) {
	t.Helper()
	out, err := exec.Command(testtool.Require(t, "pdftotext"), "-bbox", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	const pt = 72 / 25.4
	bad := 0
	for pi, pg := range strings.Split(string(out), "</page>") {
		m := bboxPage.FindStringSubmatch(pg)
		if m == nil {
			continue
		}
		w, _ := strconv.ParseFloat(m[1], 64)
		type box struct {
			x0, y0, x1, y1 float64
			s              string
		}
		var words []box
		for _, x := range bboxWord.FindAllStringSubmatch(pg, -1) {
			var b box
			b.x0, _ = strconv.ParseFloat(x[1], 64)
			b.y0, _ = strconv.ParseFloat(x[2], 64)
			b.x1, _ = strconv.ParseFloat(x[3], 64)
			b.y1, _ = strconv.ParseFloat(x[4], 64)
			b.s = x[5]
			words = append(words, b)
			if (b.x0 < margin*pt-1 || b.x1 > w-margin*pt+SizeBody+4) && bad < 5 {
				bad++
				t.Errorf("%s: page %d: %q runs off the text area (x %.1f–%.1f of %.1f)", name, pi+1, b.s, b.x0, b.x1, w)
			}
		}
		sort.Slice(words, func(i, j int) bool {
			if d := words[i].y0 - words[j].y0; d < -0.5 || d > 0.5 {
				return words[i].y0 < words[j].y0
			}
			return words[i].x0 < words[j].x0
		})
		for i := 1; i < len(words); i++ {
			a, b := words[i-1], words[i]
			sameLine := b.y0-a.y0 < 0.5 && a.y0-b.y0 < 0.5
			if sameLine && b.x0 < a.x1-0.8 && bad < 5 {
				bad++
				t.Errorf("%s: page %d: %q overlaps %q", name, pi+1, a.s, b.s)
			}
		}
	}
}
