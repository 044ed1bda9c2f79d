package reports

// layout.go is the layout engine behind Doc.Write (see page.go): one pass over the
// recorded content, with page breaks, the header and title, keep-with-next for headings
// and signature blocks, text and key-value blocks.

import (
	"bytes"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jung-kurt/gofpdf"

	"sunledger/app"
	"sunledger/theme/font"
)

// layout is one pass of laying a Doc out on gofpdf.
type layout struct {
	pdf      *gofpdf.Fpdf
	meta     DocMeta
	docNo    string // DocNo: kind and content hash
	total    int    // page count from the first pass; 0 in the first pass
	contentW float64
	bottom   float64 // lowest y content may reach
	qr       string  // registered image name of the QR code, "" if none
	qrURL    string  // registered image name of the snapshot address's QR code, "" if none
	// tail is the room (mm) the next piece needs together with the end of this one
	// (a signature block after a table or paragraph); 0 when it can stand alone.
	tail float64
	// next is the next piece's op.lead (nil for a few lines): asked only by a heading,
	// since a large table's is costly to work out.
	next func(r *layout) float64
	// trace is the document's page trace (tests), nil when not traced.
	trace *pageTrace
}

// keepWithHeading is the room (mm) a heading needs below itself: about three body lines,
// or a table's header row and first two rows.
const keepWithHeading = 3 * SizeBody * ptToMM * lineSpacing

// keepRows is how many rows of a table at least go to a new page: a table never leaves
// one or two rows alone on the page it continues on.
const keepRows = 3

// keepLines is how many of the last table rows or paragraph lines a signature block
// takes with it to a new page.
const keepLines = 3

// signaturesHeight is the room a block of n signature lines takes.
func signaturesHeight(n int) float64 {
	return 4 + float64(n)*(LineHeight(SizeBody)+6) + 2
}

func (d *Doc) render(total int) (*gofpdf.Fpdf, error) {
	orient := "P"
	if d.meta.Landscape {
		orient = "L"
	}
	pdf := gofpdf.New(orient, "mm", d.meta.Size, "")
	pdf.AddUTF8FontFromBytes(font.Name, "", font.TTF)
	pdf.SetAutoPageBreak(false, 0) // the layout breaks pages itself
	pdf.SetMargins(margin, margin+headerH, margin)
	pdf.SetTitle(d.meta.Title, true)
	pdf.SetSubject(d.meta.Community, true)
	pdf.SetCreator("Sunledger 阳光账本", true)
	if t, err := time.ParseInLocation(dateLayout, d.meta.Date, time.UTC); err == nil {
		// Fixed dates keep the same content byte-identical, which snapshots rely on.
		pdf.SetCreationDate(t)
		pdf.SetModificationDate(t)
	}
	pdf.SetCatalogSort(true)
	pw, ph := pdf.GetPageSize()
	r := &layout{pdf: pdf, meta: d.meta, docNo: d.DocNo(), total: total, contentW: pw - 2*margin, bottom: ph - margin - footerH}
	if d.trace != nil {
		*d.trace = pageTrace{}
		r.trace = d.trace
	}
	if png, err := qrPNG(r.docNo, d.meta); err == nil {
		r.qr = "qr"
		pdf.RegisterImageOptionsReader(r.qr, gofpdf.ImageOptions{ImageType: "PNG"}, bytes.NewReader(png))
	}
	if d.meta.SnapshotURL != "" {
		if png, err := qrPlainPNG(d.meta.SnapshotURL); err == nil {
			r.qrURL = "qrurl"
			pdf.RegisterImageOptionsReader(r.qrURL, gofpdf.ImageOptions{ImageType: "PNG"}, bytes.NewReader(png))
		}
	}
	pdf.SetHeaderFuncMode(r.header, false)
	pdf.SetFooterFunc(r.footer)
	pdf.AddPage()
	r.titleBlock()
	// tails[i] is the room op i's last lines need below them: the next op's keepTail,
	// or, when the next is a paragraph shorter than keepLines with a tail of its own,
	// that paragraph and its tail.
	tails := make([]float64, len(d.ops))
	for i := len(d.ops) - 2; i >= 0; i-- {
		n := d.ops[i+1]
		switch {
		case n.keepTail != nil:
			tails[i] = n.keepTail(r)
		case n.height != nil && tails[i+1] > 0:
			if h, lines := n.height(r); lines < keepLines {
				tails[i] = h + tails[i+1]
			}
		}
	}
	for i, o := range d.ops {
		if pdf.Err() {
			break
		}
		r.tail = tails[i]
		r.next = nil
		if i+1 < len(d.ops) && d.ops[i+1].lead != nil {
			// The next piece's lead with the tail it will have (a short table takes
			// the signature block after it along, so the heading keeps with both).
			lead, tail := d.ops[i+1].lead, tails[i+1]
			r.next = func(r *layout) float64 {
				saved := r.tail
				r.tail = tail
				defer func() { r.tail = saved }()
				return lead(r)
			}
		}
		o.run(r)
		if d.progress != nil && i%16 == 0 {
			done := i
			if total > 0 {
				done += len(d.ops) // the second pass
			}
			if !d.progress(done, 2*len(d.ops)) {
				return nil, ErrCancelled()
			}
		}
	}
	if pdf.Err() {
		return nil, app.Internal(fmt.Errorf("pdf: %w", pdf.Error()))
	}
	return pdf, nil
}

func (r *layout) font(size float64) { r.pdf.SetFont(font.Name, "", size) }

func (r *layout) header() {
	pdf := r.pdf
	pw, _ := pdf.GetPageSize()
	r.font(SizeSmall + 0.5)
	pdf.SetTextColor(80, 80, 80)
	y := margin
	pdf.SetXY(margin, y)
	left := r.meta.Community
	if r.meta.Title != "" {
		left += "　" + r.meta.Title
	}
	dw := pdf.GetStringWidth(r.meta.Date) + 2
	left = clip(pdf, left, r.contentW-dw-4)
	pdf.CellFormat(r.contentW-dw, 5, left, "", 0, "L", false, 0, "")
	pdf.CellFormat(dw, 5, r.meta.Date, "", 0, "R", false, 0, "")
	pdf.SetDrawColor(150, 150, 150)
	pdf.SetLineWidth(0.2)
	pdf.Line(margin, y+6, pw-margin, y+6)
	pdf.SetTextColor(0, 0, 0)
	pdf.SetDrawColor(0, 0, 0)
	pdf.SetXY(margin, margin+headerH)
}

// titleBlock prints the document's title (and subtitle) on the first page.
func (r *layout) titleBlock() {
	if r.meta.Title == "" || r.meta.OwnTitle {
		return
	}
	r.text(titleWithCommunity(r.meta.Community, r.meta.Title), SizeTitle, "C", 0, 0)
	if r.meta.Ref != "" {
		r.text(r.meta.Ref, SizeBody, "C", 0, 0)
	}
	if r.meta.Subtitle != "" {
		r.text(r.meta.Subtitle, SizeBody, "C", 0, 70)
	}
	if r.meta.Public {
		from, to := NoticePeriod(r.meta.Date, r.meta.NoticeDays)
		days := app.NoticeSettings{NoticeDays: r.meta.NoticeDays}.Days()
		how := r.meta.Objection
		if how == "" {
			how = app.T("请在公示期内以书面形式向业主委员会提出，并注明房号和联系方式", "write to the owners' committee within the notice period, giving your unit number and how to reach you")
		}
		line := fmt.Sprintf(app.T("公示期：%s 至 %s（%d 天）。如有异议：%s。", "Notice period: %s to %s (%d days). Objections: %s."), from, to, days, how)
		if r.meta.OfficePhone != "" {
			line += fmt.Sprintf(app.T("咨询电话：%s。", " Questions: %s."), r.meta.OfficePhone)
		}
		if r.meta.OfficeAddress != "" {
			line += fmt.Sprintf(app.T("地址：%s。", " Address: %s."), r.meta.OfficeAddress)
		}
		r.space(1)
		// Left-aligned like the body: a centred block of two or three lines reads as
		// part of the title (docs/notices.md).
		r.text(line, SizeBody, "L", 0, 0)
	}
	r.space(4)
}

// titleWithCommunity is a notice's title naming its community, which a notice pinned on
// a board shared by several communities must do in the title itself, not only in the
// small running header.
func titleWithCommunity(community, title string) string {
	c := strings.TrimSpace(community)
	if c == "" || strings.Contains(title, c) {
		return title
	}
	if r, _ := utf8.DecodeRuneInString(title); r < 0x2E80 { // a title that starts with a year or a Latin word
		return c + " " + title
	}
	return c + title
}

func (r *layout) newPage() {
	r.pdf.AddPage()
	r.pdf.SetXY(margin, margin+headerH)
}

// ensure starts a new page unless h mm fit below the current position.
func (r *layout) ensure(h float64) {
	if r.pdf.GetY()+h > r.bottom && r.pdf.GetY() > margin+headerH+0.1 {
		r.newPage()
	}
}

func (r *layout) space(mm float64) {
	y := r.pdf.GetY() + mm
	if y > r.bottom {
		// Space at the foot of a page is just the foot: the next content that does not
		// fit starts the new page, so trailing space never makes an empty one.
		r.pdf.SetXY(margin, r.bottom)
		return
	}
	r.pdf.SetXY(margin, y)
}

// text prints s wrapped to the content width (less indent), in grey if grey > 0.
func (r *layout) text(s string, size float64, align string, indent float64, grey int) {
	pdf := r.pdf
	r.font(size)
	if grey > 0 {
		pdf.SetTextColor(grey, grey, grey)
	}
	lh := LineHeight(size)
	w := r.contentW - indent
	lines := Wrap(pdf, s, w)
	for i, l := range lines {
		if r.tail > 0 && i == max(len(lines)-keepLines, 0) {
			r.ensure(float64(len(lines)-i)*lh + r.tail)
		}
		// No orphan or widow: a paragraph's first or last line never stands alone on a
		// page (the announcement's counting rules ended with "决。" at the top of a page).
		need := lh
		if len(lines) >= 2 && (i == 0 || i == len(lines)-2) {
			need = 2 * lh
		}
		r.ensure(need)
		r.font(size) // the header may have changed the font
		if grey > 0 {
			pdf.SetTextColor(grey, grey, grey)
		}
		pdf.SetXY(margin+indent, pdf.GetY())
		pdf.CellFormat(w, lh, l, "", 1, align, false, 0, "")
		switch {
		case size == SizeHeading:
			r.traceLine("heading")
		case grey > 0 && size < SizeBody:
			r.traceLine("note")
		default:
			r.traceLine("text")
		}
	}
	pdf.SetTextColor(0, 0, 0)
	pdf.SetX(margin)
}

func (r *layout) kv(pairs []KV) {
	pdf := r.pdf
	r.font(SizeBody)
	kw := 0.0
	for _, p := range pairs {
		kw = max(kw, pdf.GetStringWidth(p.Key+"："))
	}
	kw = min(kw+1, r.contentW*0.45)
	lh := LineHeight(SizeBody)
	rows := func(p KV) int {
		r.font(SizeBody)
		return max(len(Wrap(pdf, p.Key+"：", kw)), len(Wrap(pdf, p.Value, r.contentW-kw)))
	}
	for i, p := range pairs {
		// The last pairs go with the piece after them (a signature block) as a
		// paragraph's last lines do; a block too short to leave keepLines pairs on
		// each page goes whole.
		from := len(pairs) - keepLines
		if len(pairs) < 2*keepLines {
			from = 0
		}
		if r.tail > 0 && i == from {
			h := r.tail
			for _, q := range pairs[i:] {
				h += float64(rows(q)) * lh
			}
			r.ensure(h)
		}
		r.font(SizeBody)
		keys := Wrap(pdf, p.Key+"：", kw)
		vals := Wrap(pdf, p.Value, r.contentW-kw)
		n := max(len(keys), len(vals))
		r.ensure(float64(n) * lh)
		r.font(SizeBody)
		y := pdf.GetY()
		for i := range n {
			if i < len(keys) {
				pdf.SetTextColor(70, 70, 70)
				pdf.SetXY(margin, y+float64(i)*lh)
				pdf.CellFormat(kw, lh, keys[i], "", 0, "L", false, 0, "")
				pdf.SetTextColor(0, 0, 0)
			}
			if i < len(vals) {
				pdf.SetXY(margin+kw, y+float64(i)*lh)
				pdf.CellFormat(r.contentW-kw, lh, vals[i], "", 0, "L", false, 0, "")
			}
		}
		pdf.SetXY(margin, y+float64(n)*lh)
		r.traceLine("kv")
	}
	r.space(1.5)
}

func (r *layout) signatures(labels []string) {
	pdf := r.pdf
	r.font(SizeBody)
	lh := LineHeight(SizeBody) + 6
	r.ensure(signaturesHeight(len(labels)))
	r.space(4)
	blank := "________________"
	for _, l := range labels {
		r.ensure(lh)
		r.font(SizeBody)
		y := pdf.GetY()
		s := l + "：" + blank
		pdf.SetXY(margin, y)
		pdf.CellFormat(r.contentW*0.55, lh, s, "", 0, "L", false, 0, "")
		pdf.CellFormat(r.contentW*0.45, lh, "日期："+blank, "", 0, "L", false, 0, "")
		pdf.SetXY(margin, y+lh)
		r.traceLine("sign")
	}
	r.space(2)
}
