package reports

// page.go is the shared layout of every notice-board PDF (公示、公告、收据、通知):
// the bundled CJK font, a header naming the community, the document and its date, a
// footer on every page with "第 x / y 页", the journal's head hash (账本链头) and a QR
// code, wrapped paragraphs, key-value blocks, tables that continue across pages with
// their header row repeated, and signature lines.
//
// A Doc records what to print; Write lays it out twice, once to count the pages and
// once to print "第 x / y 页" with the real total (gofpdf's page-count alias would
// need glyphs the font subset may not hold).
//
// gofpdf's MultiCell and SplitText drop a CJK character at every line break, so text
// is wrapped here (Wrap) with GetStringWidth and printed line by line with CellFormat.
//
// This file holds Doc and what it records; the layout engine is in layout.go, tables
// in table.go, the footer and QR codes in footer.go, line wrapping in wrap.go.

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/jung-kurt/gofpdf"

	"sunledger/app"
	"sunledger/internal/atomicfile"
	"sunledger/theme/font"
)

// Font sizes (pt) and layout constants (mm) shared by every document.
const (
	SizeTitle   = 16.0
	SizeHeading = 13.0
	SizeBody    = 10.5
	SizeTable   = 9.0
	SizeSmall   = 7.5

	margin      = 15.0 // left, right and top
	headerH     = 12.0 // the running header above the content
	footerH     = 22.0 // the running footer below the content, QR included
	qrSize      = 17.0
	lineSpacing = 1.45 // line height as a multiple of the font size
	cellPadX    = 1.5
	cellPadY    = 1.0
	ptToMM      = 25.4 / 72
	dateLayout  = app.DateLayout
)

// DocMeta describes a document: it names the community and the journal state it was
// printed from, so that any owner holding the paper can compare it with a snapshot.
type DocMeta struct {
	Community string // 小区 name, printed in the header of every page
	Title     string // document title, e.g. "2026 年第 3 季度收支公示"
	Subtitle  string // optional line under the title on the first page
	HeadHash  string // hash of the newest journal entry when the document was made ("" = empty journal)
	HashLabel string // what the footer calls HeadHash; "" means 账本链头 (a receipt prints its own entry's hash)
	OwnTitle  bool   // the content draws its own title (a receipt's two copies): no title block
	DocID     string // document number, e.g. "tally-V0001"; printed in the footer and in the QR code
	Date      string // YYYY-MM-DD printed in the header; "" means today
	Landscape bool
	Size      string // "A4" (default) or "A5"
	// Public marks a notice posted for all owners (公示/公告): it states its 公示期 and how
	// to object. Receipts and a unit's own fee notice are not public.
	Public bool
	// FeeNotice marks the fee notices (缴费通知单): not public, but they print how to pay,
	// so they need the payment settings (app.NoticeSettings.ReadyToPublish).
	FeeNotice  bool
	NoticeDays int    // length of the 公示期 in days; 0 means app.DefaultNoticeDays
	Objection  string // where and how to object; "" means the committee in writing
	// OfficePhone is the property service office's phone (settings --office-phone), given
	// with the notice period for questions and objections.
	OfficePhone string
	// OfficeAddress (settings --office-address) follows the phone when set.
	OfficeAddress string
	// SnapshotURL is the address of the book's published snapshot (snapshot publish),
	// printed as a second QR code beside the head hash's: "" when none was published.
	SnapshotURL string
	// Tree is the record log's tree when the document was made, as app.TreeHead.Short
	// prints it ("#1234 3f0c1a2b4c5d6e7f", unsigned: the next snapshot's checkpoint
	// covers it); Leaf is a receipt's leaf index ("" for other documents).
	Tree string
	Leaf string
	// Ref is a public notice's number (文号), e.g. 阳光花园业委〔2026〕第12号, given when it
	// was first printed (app.PrintService.Reference); printed under the title and in the
	// footer beside the content hash. "" for a document without one.
	Ref string
}

// NoticePeriod is the 公示期 of a public notice dated date: from that day through the
// last of days days (both inclusive).
func NoticePeriod(date string, days int) (from, to string) {
	if days <= 0 {
		days = app.DefaultNoticeDays
	}
	t, err := time.ParseInLocation(dateLayout, date, time.UTC)
	if err != nil {
		return date, date
	}
	return date, t.AddDate(0, 0, days-1).Format(dateLayout)
}

// Col is one table column. Width is in mm; columns with Width 0 share the remaining
// width equally, and widths that add up to more than the page are scaled down.
// Align is "L" (default), "C" or "R" (use "R" for amounts and counts).
type Col struct {
	Title string
	Width float64
	Align string
}

// TableOpts are the optional parts of a table.
type TableOpts struct {
	Zebra    bool     // shade every other row
	Totals   []string // a totals row (合计) printed after the last row, ruled above
	FontSize float64  // pt; 0 means SizeTable
	Caption  string   // a line printed above the table (and repeated, with "（续）", on later pages)
}

// KV is one line of a key-value block: "Key：Value".
type KV struct {
	Key, Value string
}

// Doc is a PDF document being put together. Its methods record content; Write and
// Save lay it out. Methods never fail: a problem (an unreadable image, say) is
// reported by Write.
type Doc struct {
	meta DocMeta
	ops  []op
	// content hashes every text the document prints, so its number (DocNo) differs
	// whenever its content does: two arrears lists of the same day, one filtered, never
	// share a number.
	content hash.Hash
	// progress, if set, hears how far the layout has got (SaveProgress).
	progress func(done, total int) bool
	// kind and what say which document this is (Make), for its number (文号): a public
	// notice is numbered when SaveDocument first prints it.
	kind, what string
	// trace, when set (tests), hears where each table's header and rows were printed.
	trace *pageTrace
}

// pageTrace records, for the render tests, which table rows and headers each page holds
// (docs/notices.md "Page rules"): tables[i] are the pages of table i's header prints and
// rows, by page.
type pageTrace struct {
	tables []*tableTrace
	// lines are what each page holds, in order: "heading", "text", "note", "kv", "row"
	// (a table's data or totals row), "sign" (a signature line).
	lines map[int][]string
}

// line records that a line of kind was printed on the current page.
func (r *layout) traceLine(kind string) {
	if r.trace == nil {
		return
	}
	if r.trace.lines == nil {
		r.trace.lines = map[int][]string{}
	}
	p := r.pdf.PageNo()
	r.trace.lines[p] = append(r.trace.lines[p], kind)
}

// tableTrace is one table's pages: heads[p] its header printed on page p, rows[p] the
// first cells of its data rows there (totals apart), totals the page of its totals row
// (0 for none).
type tableTrace struct {
	heads  map[int]bool
	rows   map[int][]string
	totals int
}

// op is one recorded piece of content. keepTail is how much room (mm) the piece needs
// together with the last lines of whatever comes before it: a signature block never
// stands alone on a page, it takes the last rows or lines above it along.
//
// lead is how much room (mm) the piece needs where it starts, for a heading before it
// to keep with it (a short table goes whole); nil means a few lines.
//
// height, for a paragraph, is the room it takes and its number of lines: a paragraph
// shorter than keepLines between a signature block and the text above it (a one-line
// note) passes the block's need on, so the block takes lines of that text along too.
type op struct {
	run      func(r *layout)
	keepTail func(r *layout) float64
	lead     func(r *layout) float64
	height   func(r *layout) (mm float64, lines int)
}

// textHeight is the height op of a paragraph of s at size, with space mm after it.
func textHeight(s string, size, space float64) func(r *layout) (float64, int) {
	return func(r *layout) (float64, int) {
		r.font(size)
		n := len(Wrap(r.pdf, s, r.contentW))
		return float64(n)*LineHeight(size) + space, n
	}
}

func (d *Doc) add(run func(r *layout)) { d.ops = append(d.ops, op{run: run}) }

// NewDoc starts a document.
func NewDoc(meta DocMeta) *Doc {
	if meta.Date == "" {
		meta.Date = time.Now().Format(dateLayout)
	}
	if meta.Size == "" {
		meta.Size = "A4"
	}
	d := &Doc{meta: meta, content: sha256.New()}
	d.digest(meta.Community, meta.Title, meta.Subtitle, meta.HeadHash, meta.Date)
	return d
}

// digest feeds printed text into the document's content hash, each piece length-prefixed
// so that ("ab","c") and ("a","bc") differ.
func (d *Doc) digest(parts ...string) {
	for _, p := range parts {
		fmt.Fprintf(d.content, "%d:%s;", len(p), p)
	}
}

// DocNo is the number printed on the document: its kind (DocMeta.DocID) followed by the
// first 8 hex digits of the hash of everything it prints.
func (d *Doc) DocNo() string {
	sum := hex.EncodeToString(d.content.Sum(nil))[:8]
	if d.meta.DocID == "" {
		return sum
	}
	return d.meta.DocID + "-" + sum
}

// ApplySettings takes the committee's notice settings (公示期, where to object) for a
// public notice.
func (d *Doc) ApplySettings(n app.NoticeSettings) {
	d.meta.NoticeDays, d.meta.Objection, d.meta.OfficePhone = n.Days(), n.Objection, strings.TrimSpace(n.OfficePhone)
	d.meta.OfficeAddress = strings.TrimSpace(n.OfficeAddress)
	d.digest("settings", strconv.Itoa(n.Days()), n.Objection, d.meta.OfficePhone, d.meta.OfficeAddress)
}

// SetSnapshotURL puts the address of the published snapshot on the document: a second
// QR code in the footer, left of the head hash's (docs/notices.md "QR codes").
func (d *Doc) SetSnapshotURL(u string) {
	d.meta.SnapshotURL = strings.TrimSpace(u)
	d.digest("snapshot", d.meta.SnapshotURL)
}

// Meta returns the document's description.
func (d *Doc) Meta() DocMeta { return d.meta }

// Heading prints a section heading.
func (d *Doc) Heading(s string) {
	d.digest("h", s)
	d.add(func(r *layout) {
		r.space(3)
		// Keep with next: a heading never sits alone at the bottom of a page; it needs
		// room for itself and the first lines (or a table's header and first rows) below.
		need := keepWithHeading
		if r.next != nil {
			need = max(need, r.next(r))
		}
		r.ensure(LineHeight(SizeHeading) + need)
		r.text(s, SizeHeading, "L", 0, 0)
		r.space(1)
	})
}

// Para prints a paragraph, wrapped to the page width. Newlines start new lines.
func (d *Doc) Para(s string) {
	d.digest("p", s)
	d.ops = append(d.ops, op{run: func(r *layout) {
		r.text(s, SizeBody, "L", 0, 0)
		r.space(1.5)
	}, height: textHeight(s, SizeBody, 1.5)})
}

// Note prints a paragraph in small grey type (rules applied, remarks, sources).
func (d *Doc) Note(s string) {
	d.digest("n", s)
	d.ops = append(d.ops, op{run: func(r *layout) {
		r.text(s, SizeSmall+0.5, "L", 0, 90)
		r.space(1)
	}, height: textHeight(s, SizeSmall+0.5, 1)})
}

// Center prints a line (or wrapped lines) centred, at the given size in pt.
func (d *Doc) Center(s string, size float64) {
	d.digest("c", s)
	d.add(func(r *layout) { r.text(s, size, "C", 0, 0) })
}

// Space adds vertical space in mm.
func (d *Doc) Space(mm float64) {
	d.add(func(r *layout) { r.space(mm) })
}

// PageBreak starts a new page.
func (d *Doc) PageBreak() {
	d.add(func(r *layout) { r.newPage() })
}

// KV prints a key-value block: keys in a column as wide as the widest key, values
// wrapped beside them.
func (d *Doc) KV(pairs []KV) {
	pairs = append([]KV(nil), pairs...)
	for _, p := range pairs {
		d.digest("k", p.Key, p.Value)
	}
	d.add(func(r *layout) { r.kv(pairs) })
}

// Table prints a table. Cells wrap inside their column; a table that does not fit on
// the page continues on the next one with its header row repeated.
func (d *Doc) Table(cols []Col, rows [][]string, opts TableOpts) {
	cols = append([]Col(nil), cols...)
	for _, c := range cols {
		d.digest("t", c.Title)
	}
	for _, row := range append(rows, opts.Totals) {
		d.digest(append([]string{"r"}, row...)...)
	}
	d.ops = append(d.ops, op{
		run: func(r *layout) { r.table(cols, rows, opts) },
		lead: func(r *layout) float64 {
			x, y := r.pdf.GetXY()
			h := r.newTable(cols, rows, opts).firstHeight(rows)
			r.pdf.SetXY(x, y)
			return h
		},
	})
}

// Signatures prints one signature line per label, each with a date line:
// "计票人：__________    日期：__________".
func (d *Doc) Signatures(labels ...string) {
	labels = append([]string(nil), labels...)
	d.digest(append([]string{"s"}, labels...)...)
	d.ops = append(d.ops, op{
		run: func(r *layout) { r.signatures(labels) },
		// +4: the space that ends the table or paragraph before the block.
		keepTail: func(r *layout) float64 { return signaturesHeight(len(labels)) + 4 },
	})
}

// Box reserves height mm (on a new page if the current one has less room left) and
// lets draw print freely inside the content width from (x, y). Receipts and fee notices
// use it for framed layouts; Wrap and SetFont help inside.
func (d *Doc) Box(height float64, draw func(pdf *gofpdf.Fpdf, x, y, w float64)) {
	d.add(func(r *layout) {
		r.ensure(height)
		x, y := r.pdf.GetX(), r.pdf.GetY()
		draw(r.pdf, margin, y, r.contentW)
		r.pdf.SetTextColor(0, 0, 0)
		r.pdf.SetDrawColor(0, 0, 0)
		r.pdf.SetFillColor(255, 255, 255)
		r.pdf.SetLineWidth(0.2)
		r.pdf.SetXY(x, y+height)
	})
}

// SetFont selects the bundled font at size pt (for Box drawings).
func SetFont(pdf *gofpdf.Fpdf, size float64) { pdf.SetFont(font.Name, "", size) }

// LineHeight is the height in mm of one line of text at size pt.
func LineHeight(size float64) float64 { return size * ptToMM * lineSpacing }

// Write lays the document out and writes the PDF to w.
func (d *Doc) Write(w io.Writer) error {
	first, err := d.render(0)
	if err != nil {
		return err
	}
	final, err := d.render(first.PageCount())
	if err != nil {
		return err
	}
	if err := final.Output(w); err != nil {
		return app.Internal(fmt.Errorf("pdf: %w", err))
	}
	return nil
}

// Save writes the PDF to path atomically: a failure leaves no half-written file and any
// older file at path untouched.
func (d *Doc) Save(path string) error {
	return atomicfile.Write(path, d.Write)
}

// SaveProgress is Save for long documents (a month's fee notices for thousands of
// units): progress hears how far the layout has got and stops it by returning false,
// and then nothing is written (ErrCancelled).
func (d *Doc) SaveProgress(path string, progress func(done, total int) bool) error {
	d.progress = progress
	defer func() { d.progress = nil }()
	return d.Save(path)
}

// ErrCancelled is the refusal for a document whose making was cancelled.
func ErrCancelled() error {
	return app.Errorf(app.EINVALID, "已取消：没有保存文件", "cancelled: no file was saved")
}

// Pages lays the document out and returns its page count.
func (d *Doc) Pages() (int, error) {
	pdf, err := d.render(0)
	if err != nil {
		return 0, err
	}
	return pdf.PageCount(), nil
}
