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

func (r *layout) table(cols []Col, rows [][]string, opts TableOpts) {
	pdf := r.pdf
	size := opts.FontSize
	if size == 0 {
		size = SizeTable
	}
	r.font(size)
	ws := fitWidths(colWidths(cols, r.contentW), minWidths(pdf, cols, rows, opts.Totals), r.contentW)
	lh := LineHeight(size)
	titles := make([]string, len(cols))
	for i, c := range cols {
		titles[i] = c.Title
	}
	// wrapRow wraps each cell inside its column and returns the lines and row height.
	wrapRow := func(cells []string) ([][]string, float64) {
		r.font(size)
		out := make([][]string, len(cols))
		n := 1
		for i := range cols {
			if i < len(cells) {
				out[i] = wrapCell(pdf, cells[i], ws[i]-2*cellPadX)
			}
			n = max(n, len(out[i]))
		}
		return out, float64(n)*lh + 2*cellPadY
	}
	// drawRow prints one row at the current position; fill is the grey level, 0 for none.
	drawRow := func(lines [][]string, h float64, fill int, header bool) {
		r.font(size)
		y := pdf.GetY()
		x := margin
		for i := range cols {
			if fill > 0 {
				pdf.SetFillColor(fill, fill, fill)
				pdf.Rect(x, y, ws[i], h, "F")
			}
			pdf.SetDrawColor(120, 120, 120)
			pdf.SetLineWidth(0.15)
			pdf.Rect(x, y, ws[i], h, "D")
			align := cols[i].Align
			if header || align == "" {
				align = map[bool]string{true: "C", false: "L"}[header]
			}
			for j, l := range lines[i] {
				pdf.SetXY(x+cellPadX, y+cellPadY+float64(j)*lh)
				pdf.CellFormat(ws[i]-2*cellPadX, lh, l, "", 0, align, false, 0, "")
			}
			x += ws[i]
		}
		pdf.SetDrawColor(0, 0, 0)
		pdf.SetFillColor(255, 255, 255)
		pdf.SetXY(margin, y+h)
	}
	headLines, headH := wrapRow(titles)
	captionH := 0.0
	if opts.Caption != "" {
		captionH = LineHeight(SizeBody)
	}
	printHead := func(cont bool) {
		if opts.Caption != "" {
			c := opts.Caption
			if cont {
				c += "（续）"
			}
			r.text(c, SizeBody, "L", 0, 0)
		}
		drawRow(headLines, headH, 225, true)
	}
	// A table starts on a page that can hold its header and first row.
	firstH := headH + captionH
	if len(rows) > 0 {
		_, h := wrapRow(rows[0])
		firstH += h
	}
	r.ensure(firstH)
	printHead(false)
	emit := func(cells []string, fill int) float64 {
		lines, h := wrapRow(cells)
		if pdf.GetY()+h > r.bottom {
			r.newPage()
			printHead(true)
		}
		drawRow(lines, h, fill, false)
		return h
	}
	// The last rows (and the totals) go to the next page together with a signature
	// block that follows, rather than leaving it alone there.
	keepFrom := len(rows)
	if r.tail > 0 {
		keepFrom = max(len(rows)-keepLines, 0)
	}
	for k, row := range rows {
		fill := 0
		if opts.Zebra && k%2 == 1 {
			fill = 243
		}
		if k == keepFrom {
			need := r.tail
			for _, rest := range rows[k:] {
				_, h := wrapRow(rest)
				need += h
			}
			if len(opts.Totals) > 0 {
				_, h := wrapRow(opts.Totals)
				need += h
			}
			if pdf.GetY()+need > r.bottom && need < r.bottom-margin-headerH {
				r.newPage()
				printHead(true)
			}
		}
		emit(row, fill)
	}
	if len(opts.Totals) > 0 {
		h := emit(opts.Totals, 232)
		y := pdf.GetY()
		pdf.SetLineWidth(0.4)
		pdf.Line(margin, y-h, margin+sum(ws), y-h)
		pdf.SetLineWidth(0.2)
	}
	r.space(3)
}

func sum(xs []float64) float64 {
	t := 0.0
	for _, x := range xs {
		t += x
	}
	return t
}
