package reports

// table.go lays out tables: column widths, rows that wrap inside their columns, and
// tables that continue across pages with their header row repeated.

import (
	"strings"

	"github.com/jung-kurt/gofpdf"
)

// colWidths resolves Col.Width: zero widths share what is left; too-wide tables shrink.
func colWidths(cols []Col, total float64) []float64 {
	ws := make([]float64, len(cols))
	fixed, free := 0.0, 0
	for i, c := range cols {
		ws[i] = max(c.Width, 0)
		if ws[i] == 0 {
			free++
		}
		fixed += ws[i]
	}
	if free > 0 {
		share := (total - fixed) / float64(free)
		if share < 10 {
			share = 10
		}
		for i := range ws {
			if ws[i] == 0 {
				ws[i] = share
			}
		}
	}
	sum := 0.0
	for _, w := range ws {
		sum += w
	}
	if sum > total {
		for i := range ws {
			ws[i] *= total / sum
		}
	}
	return ws
}

// minWidths is each column's narrowest width (mm) that breaks no term or word of its
// header, cells or totals, in pdf's current font.
func minWidths(pdf *gofpdf.Fpdf, cols []Col, rows [][]string, totals []string) []float64 {
	mins := make([]float64, len(cols))
	see := func(cells []string) {
		for i := range cols {
			if i < len(cells) {
				mins[i] = max(mins[i], unbreakable(pdf, cells[i])+2*cellPadX+0.5)
			}
		}
	}
	for i, c := range cols {
		for _, part := range strings.Split(c.Title, "（") { // a header may wrap before its unit
			mins[i] = max(mins[i], unbreakable(pdf, part)+2*cellPadX+0.5)
		}
	}
	for _, r := range rows {
		see(r)
	}
	see(totals)
	return mins
}

// fitWidths widens every column that is narrower than its content needs, taking the room
// from the columns that have some to spare, in proportion to their spare room. When the
// needs together exceed the page, it leaves ws as it was (words must then break).
func fitWidths(ws, mins []float64, total float64) []float64 {
	need, spare := 0.0, 0.0
	for i := range ws {
		if ws[i] < mins[i] {
			need += mins[i] - ws[i]
		} else {
			spare += ws[i] - mins[i]
		}
	}
	if need == 0 || need > spare || sum(mins) > total {
		return ws
	}
	out := make([]float64, len(ws))
	for i := range ws {
		if ws[i] < mins[i] {
			out[i] = mins[i]
		} else {
			out[i] = ws[i] - (ws[i]-mins[i])*need/spare
		}
	}
	return out
}

// tableRun is one table being laid out: its columns resolved to widths, its header
// row wrapped once, and the steps of table as methods.
type tableRun struct {
	r         *layout
	cols      []Col
	opts      TableOpts
	size      float64   // font size (pt)
	ws        []float64 // column widths (mm)
	lh        float64   // line height (mm)
	headLines [][]string
	headH     float64
	trace     *tableTrace // nil unless the document is traced
}

func (r *layout) table(cols []Col, rows [][]string, opts TableOpts) {
	t := r.newTable(cols, rows, opts)
	if r.trace != nil {
		t.trace = &tableTrace{heads: map[int]bool{}, rows: map[int][]string{}}
		r.trace.tables = append(r.trace.tables, t.trace)
	}
	t.start(rows)
	// The last rows (and the totals) go to a new page together, never fewer than
	// keepRows of them, and with a signature block that follows (docs/notices.md
	// "Page rules"). A table starts where its header and first keepRows rows fit; one
	// too short to leave keepRows on each of two pages starts where all of it fits.
	keepFrom := -1
	if len(rows) >= 2*keepRows {
		keepFrom = len(rows) - keepRows
	}
	for k, row := range rows {
		fill := 0
		if opts.Zebra && k%2 == 1 {
			fill = 243
		}
		if k == keepFrom {
			t.keepWithTail(rows[k:])
		}
		t.emit(row, fill)
	}
	t.totals()
	r.space(3)
}

// newTable resolves the column widths for the table's content and wraps its header row.
func (r *layout) newTable(cols []Col, rows [][]string, opts TableOpts) *tableRun {
	size := opts.FontSize
	if size == 0 {
		size = SizeTable
	}
	r.font(size)
	t := &tableRun{r: r, cols: cols, opts: opts, size: size}
	t.ws = fitWidths(colWidths(cols, r.contentW), minWidths(r.pdf, cols, rows, opts.Totals), r.contentW)
	t.lh = LineHeight(size)
	titles := make([]string, len(cols))
	for i, c := range cols {
		titles[i] = c.Title
	}
	t.headLines, t.headH = t.wrapRow(titles)
	return t
}

// wrapRow wraps each cell inside its column and returns the lines and row height.
func (t *tableRun) wrapRow(cells []string) ([][]string, float64) {
	t.r.font(t.size)
	out := make([][]string, len(t.cols))
	n := 1
	for i := range t.cols {
		if i < len(cells) {
			out[i] = wrapCell(t.r.pdf, cells[i], t.ws[i]-2*cellPadX)
		}
		n = max(n, len(out[i]))
	}
	return out, float64(n)*t.lh + 2*cellPadY
}

// drawRow prints one row at the current position; fill is the grey level, 0 for none.
func (t *tableRun) drawRow(lines [][]string, h float64, fill int, header bool) {
	pdf, ws := t.r.pdf, t.ws
	t.r.font(t.size)
	y := pdf.GetY()
	x := margin
	for i := range t.cols {
		if fill > 0 {
			pdf.SetFillColor(fill, fill, fill)
			pdf.Rect(x, y, ws[i], h, "F")
		}
		pdf.SetDrawColor(120, 120, 120)
		pdf.SetLineWidth(0.15)
		pdf.Rect(x, y, ws[i], h, "D")
		align := t.cols[i].Align
		if header || align == "" {
			align = map[bool]string{true: "C", false: "L"}[header]
		}
		for j, l := range lines[i] {
			pdf.SetXY(x+cellPadX, y+cellPadY+float64(j)*t.lh)
			pdf.CellFormat(ws[i]-2*cellPadX, t.lh, l, "", 0, align, false, 0, "")
		}
		x += ws[i]
	}
	pdf.SetDrawColor(0, 0, 0)
	pdf.SetFillColor(255, 255, 255)
	pdf.SetXY(margin, y+h)
}

// printHead prints the caption (with "（续）" on a continuation page) and the header row.
func (t *tableRun) printHead(cont bool) {
	if t.opts.Caption != "" {
		c := t.opts.Caption
		if cont {
			c += "（续）"
		}
		t.r.text(c, SizeBody, "L", 0, 0)
	}
	t.drawRow(t.headLines, t.headH, 225, true)
	if t.trace != nil {
		t.trace.heads[t.r.pdf.PageNo()] = true
	}
}

// firstHeight is the room the table needs where it starts: its header and first
// keepRows rows; for a short table (fewer than 2×keepRows rows, which cannot leave
// keepRows on each of two pages) all of it, with its totals and the block that follows
// (r.tail). Never more than a page holds.
func (t *tableRun) firstHeight(rows [][]string) float64 {
	h := t.headH
	if t.opts.Caption != "" {
		h += LineHeight(SizeBody)
	}
	first := rows[:min(len(rows), keepRows)]
	if len(rows) > 0 && len(rows) < 2*keepRows {
		first = append(rows[:len(rows):len(rows)], t.opts.Totals)
		h += t.r.tail
	}
	for _, row := range first {
		if row != nil {
			_, rh := t.wrapRow(row)
			h += rh
		}
	}
	return min(h, t.r.bottom-margin-headerH-1)
}

// start prints the header on a page that can hold what firstHeight asks for.
func (t *tableRun) start(rows [][]string) {
	t.r.ensure(t.firstHeight(rows))
	t.printHead(false)
}

// emit prints a row, first starting a new page (with the header repeated) if it does
// not fit; it returns the row's height.
func (t *tableRun) emit(cells []string, fill int) float64 {
	lines, h := t.wrapRow(cells)
	if t.r.pdf.GetY()+h > t.r.bottom {
		t.r.newPage()
		t.printHead(true)
	}
	t.drawRow(lines, h, fill, false)
	t.r.traceLine("row")
	if t.trace != nil {
		if fill == totalsFill {
			t.trace.totals = t.r.pdf.PageNo()
		} else if len(cells) > 0 {
			t.trace.rows[t.r.pdf.PageNo()] = append(t.trace.rows[t.r.pdf.PageNo()], cells[0])
		}
	}
	return h
}

// keepWithTail starts a new page (with the header repeated) unless rest, the totals
// and the block that must follow them (r.tail) fit below; a run too long for any page
// stays where it is.
func (t *tableRun) keepWithTail(rest [][]string) {
	r := t.r
	need := r.tail
	for _, row := range rest {
		_, h := t.wrapRow(row)
		need += h
	}
	if len(t.opts.Totals) > 0 {
		_, h := t.wrapRow(t.opts.Totals)
		need += h
	}
	if r.pdf.GetY()+need > r.bottom && need < r.bottom-margin-headerH {
		r.newPage()
		t.printHead(true)
	}
}

// totals prints the totals row, if any, below a heavier rule.
func (t *tableRun) totals() {
	if len(t.opts.Totals) == 0 {
		return
	}
	pdf := t.r.pdf
	h := t.emit(t.opts.Totals, totalsFill)
	y := pdf.GetY()
	pdf.SetLineWidth(0.4)
	pdf.Line(margin, y-h, margin+sum(t.ws), y-h)
	pdf.SetLineWidth(0.2)
}

func sum(xs []float64) float64 {
	t := 0.0
	for _, x := range xs {
		t += x
	}
	return t
}

// totalsFill is the grey of the totals row.
const totalsFill = 232
