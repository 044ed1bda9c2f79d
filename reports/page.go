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

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/jung-kurt/gofpdf"
	qrcode "github.com/skip2/go-qrcode"

	"sunledger/app"
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
	dateLayout  = "2006-01-02"
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
	Public     bool
	NoticeDays int    // length of the 公示期 in days; 0 means app.DefaultNoticeDays
	Objection  string // where and how to object; "" means the committee in writing
	// SnapshotURL is the address of the book's published snapshot (snapshot publish),
	// printed as a second QR code beside the head hash's: "" when none was published.
	SnapshotURL string
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
}

// op is one recorded piece of content. keepTail is how much room (mm) the piece needs
// together with the last lines of whatever comes before it: a signature block never
// stands alone on a page, it takes the last rows or lines above it along.
type op struct {
	run      func(r *layout)
	keepTail func(r *layout) float64
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
	d.meta.NoticeDays, d.meta.Objection = n.Days(), n.Objection
	d.digest("settings", strconv.Itoa(n.Days()), n.Objection)
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
		r.ensure(LineHeight(SizeHeading) + keepWithHeading)
		r.text(s, SizeHeading, "L", 0, 0)
		r.space(1)
	})
}

// Para prints a paragraph, wrapped to the page width. Newlines start new lines.
func (d *Doc) Para(s string) {
	d.digest("p", s)
	d.add(func(r *layout) {
		r.text(s, SizeBody, "L", 0, 0)
		r.space(1.5)
	})
}

// Note prints a paragraph in small grey type (rules applied, remarks, sources).
func (d *Doc) Note(s string) {
	d.digest("n", s)
	d.add(func(r *layout) {
		r.text(s, SizeSmall+0.5, "L", 0, 90)
		r.space(1)
	})
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
	d.add(func(r *layout) { r.table(cols, rows, opts) })
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
	return WriteFileAtomic(path, d.Write)
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

// WriteFileAtomic writes a file through write into a temporary file beside path, syncs
// it and renames it over path, so readers see either the old file or the whole new one.
func WriteFileAtomic(path string, write func(w io.Writer) error) error {
	tmp, err := writeTemp(path, write)
	if err != nil {
		return err
	}
	if err = os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return app.Errorf(app.EINVALID, "无法写入 %s：%v", "cannot write %s: %v", path, err)
	}
	syncDir(filepath.Dir(path))
	return nil
}

// writeTemp writes a whole, synced file beside path under a temporary name (.NAME.tmp…)
// and returns that name; on an error nothing is left behind.
func writeTemp(path string, write func(w io.Writer) error) (name string, err error) {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return "", app.Errorf(app.EINVALID, "无法写入 %s：%v", "cannot write %s: %v", path, err)
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	if err = write(f); err != nil {
		return "", err
	}
	if err = f.Sync(); err != nil {
		return "", app.Internal(err)
	}
	if err = f.Close(); err != nil {
		return "", app.Internal(err)
	}
	if err = os.Chmod(tmp, 0o644); err != nil {
		return "", app.Internal(err)
	}
	return tmp, nil
}

// syncDir makes a rename durable where the OS allows it (not on Windows).
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

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
}

// keepWithHeading is the room (mm) a heading needs below itself: about three body lines,
// or a table's header row and first two rows.
const keepWithHeading = 3 * SizeBody * ptToMM * lineSpacing

// keepLines is how many of the last table rows or paragraph lines a signature block
// takes with it to a new page.
const keepLines = 2

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
	if png, err := qrPNG(r.docNo, d.meta.HeadHash); err == nil {
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
	for i, o := range d.ops {
		if pdf.Err() {
			break
		}
		r.tail = 0
		if i+1 < len(d.ops) && d.ops[i+1].keepTail != nil {
			r.tail = d.ops[i+1].keepTail(r)
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

// qrPNG is the footer's QR code: the document's number and the full head hash, so an
// owner's phone reads the whole hash to compare with the signed snapshot.
func qrPNG(docNo, head string) ([]byte, error) {
	content := "sunledger doc=" + docNo + " head=" + head
	q, err := qrcode.New(content, qrcode.Medium)
	if err != nil {
		return nil, err
	}
	q.DisableBorder = true
	return q.PNG(256)
}

// qrPlainPNG is the QR code of the published snapshot's address as it is, so that a
// phone's camera offers to open it. Low error correction keeps the modules large enough
// to scan at the footer's size for addresses of 100 characters and more.
func qrPlainPNG(content string) ([]byte, error) {
	q, err := qrcode.New(content, qrcode.Low)
	if err != nil {
		return nil, err
	}
	q.DisableBorder = true
	return q.PNG(256)
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

func (r *layout) footer() {
	pdf := r.pdf
	pw, ph := pdf.GetPageSize()
	top := ph - margin - footerH + 3
	pdf.SetDrawColor(150, 150, 150)
	pdf.SetLineWidth(0.2)
	pdf.Line(margin, top, pw-margin, top)
	pdf.SetDrawColor(0, 0, 0)
	textW := r.contentW - qrSize - 3
	if r.qrURL != "" {
		textW -= qrSize + 3
	}
	r.font(SizeSmall)
	pdf.SetTextColor(60, 60, 60)
	lh := LineHeight(SizeSmall)
	y := top + 2
	head := r.meta.HeadHash
	if head == "" {
		head = "（空账本）"
	}
	label := r.meta.HashLabel
	if label == "" {
		label = "账本链头"
	}
	lines := []string{label + " " + head}
	if r.qrURL != "" {
		lines = append(lines, "文件编号 "+r.docNo+"　左码：已发布的快照　右码：链头（以 snapshot verify 核对）")
	} else {
		lines = append(lines, "文件编号 "+r.docNo)
		lines = append(lines, "核对方法：以阳光账本快照（sunledger-cli snapshot verify）核对上述链头")
	}
	for _, s := range lines {
		for _, l := range Wrap(pdf, s, textW) {
			pdf.SetXY(margin, y)
			pdf.CellFormat(textW, lh, l, "", 0, "L", false, 0, "")
			y += lh
		}
	}
	if r.qrURL != "" {
		// The address on one line, in smaller type if need be, above the page number.
		size := SizeSmall
		for size > 4 && pdf.GetStringWidth("快照 "+r.meta.SnapshotURL) > textW {
			size -= 0.5
			r.font(size)
		}
		for _, l := range Wrap(pdf, "快照 "+r.meta.SnapshotURL, textW) {
			pdf.SetXY(margin, y)
			pdf.CellFormat(textW, LineHeight(size), l, "", 0, "L", false, 0, "")
			y += LineHeight(size)
		}
	}
	page := fmt.Sprintf("第 %d 页", pdf.PageNo())
	if r.total > 0 {
		page = fmt.Sprintf("第 %d / %d 页", pdf.PageNo(), r.total)
	}
	r.font(SizeSmall + 1)
	pdf.SetXY(margin, ph-margin-LineHeight(SizeSmall+1))
	pdf.CellFormat(textW, LineHeight(SizeSmall+1), page, "", 0, "C", false, 0, "")
	if r.qr != "" {
		pdf.ImageOptions(r.qr, pw-margin-qrSize, top+2, qrSize, qrSize, false, gofpdf.ImageOptions{ImageType: "PNG"}, 0, "")
	}
	if r.qrURL != "" {
		pdf.ImageOptions(r.qrURL, pw-margin-2*qrSize-3, top+2, qrSize, qrSize, false, gofpdf.ImageOptions{ImageType: "PNG"}, 0, "")
	}
	pdf.SetTextColor(0, 0, 0)
}

// titleBlock prints the document's title (and subtitle) on the first page.
func (r *layout) titleBlock() {
	if r.meta.Title == "" || r.meta.OwnTitle {
		return
	}
	r.text(r.meta.Title, SizeTitle, "C", 0, 0)
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
		r.space(1)
		r.text(fmt.Sprintf(app.T("公示期：%s 至 %s（%d 天）。如有异议：%s。", "Notice period: %s to %s (%d days). Objections: %s."), from, to, days, how), SizeBody, "C", 0, 0)
	}
	r.space(4)
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
		r.ensure(lh)
		r.font(size) // the header may have changed the font
		if grey > 0 {
			pdf.SetTextColor(grey, grey, grey)
		}
		pdf.SetXY(margin+indent, pdf.GetY())
		pdf.CellFormat(w, lh, l, "", 1, align, false, 0, "")
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
	for _, p := range pairs {
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
	}
	r.space(1.5)
}

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

// shortTerm is how many characters a cell may have and still be kept on one line: a
// category such as 人员费用 or 公共设施设备维护 is a term, not a sentence, and splitting it
// (人员费/用) makes it unreadable.
const shortTerm = 8

// unbreakable is the width (mm) s needs without breaking a term or a word: the whole
// cell when it is short, else its widest word (an amount, a hash, a Latin word).
func unbreakable(pdf *gofpdf.Fpdf, s string) float64 {
	if len([]rune(s)) <= shortTerm {
		return pdf.GetStringWidth(s)
	}
	w := 0.0
	for _, t := range tokens(s) {
		w = max(w, pdf.GetStringWidth(t))
	}
	for _, t := range strings.Fields(s) { // short terms between spaces stay whole
		if len([]rune(t)) <= shortTerm {
			w = max(w, pdf.GetStringWidth(t))
		}
	}
	return w
}

// wrapCell wraps a table cell. A cell made of short terms separated by spaces
// ("物业服务资金 人员费用") breaks only between the terms when each fits the column, so no
// term is split (人员费/用); anything else wraps as Wrap does.
func wrapCell(pdf *gofpdf.Fpdf, s string, w float64) []string {
	if pdf.GetStringWidth(s) <= w || strings.Contains(s, "\n") {
		return Wrap(pdf, s, w)
	}
	terms := strings.Fields(s)
	if len(terms) < 2 {
		return Wrap(pdf, s, w)
	}
	var lines []string
	cur := ""
	for _, t := range terms {
		if len([]rune(t)) > shortTerm || pdf.GetStringWidth(t) > w {
			return Wrap(pdf, s, w)
		}
		switch {
		case cur == "":
			cur = t
		case pdf.GetStringWidth(cur+" "+t) <= w:
			cur += " " + t
		default:
			lines = append(lines, cur)
			cur = t
		}
	}
	return append(lines, cur)
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
	}
	r.space(2)
}

// clip shortens s with "…" to fit w mm in the current font.
func clip(pdf *gofpdf.Fpdf, s string, w float64) string {
	if pdf.GetStringWidth(s) <= w {
		return s
	}
	rs := []rune(s)
	for len(rs) > 0 && pdf.GetStringWidth(string(rs)+"…") > w {
		rs = rs[:len(rs)-1]
	}
	return string(rs) + "…"
}

// Wrap breaks s into lines no wider than w mm in pdf's current font. Any CJK character
// may end a line; runs of Latin letters, digits and ASCII punctuation (words, amounts,
// hashes) break only at spaces unless a run alone is wider than the line, in which case
// it is cut where it must be. Closing punctuation (，。）…) never starts a line: it hangs
// past the margin instead. Spaces at a break are dropped; nothing else is, so the
// lines hold every non-space character of s in order. "\n" forces a break.
func Wrap(pdf *gofpdf.Fpdf, s string, w float64) []string {
	var out []string
	for _, para := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n") {
		out = append(out, wrapLine(pdf.GetStringWidth, para, w)...)
	}
	return out
}

// wrapLine wraps one paragraph without newlines; width measures a string in mm.
func wrapLine(width func(string) float64, s string, w float64) []string {
	toks := tokens(s)
	if len(toks) == 0 {
		return []string{""}
	}
	var lines []string
	var cur []string
	curW := 0.0
	flush := func() {
		// An opening bracket or quote does not end a line: carry it to the next one.
		var carry []string
		for len(cur) > 1 && isOpening(cur[len(cur)-1]) {
			carry = append([]string{cur[len(cur)-1]}, carry...)
			cur = cur[:len(cur)-1]
		}
		for len(cur) > 0 && cur[len(cur)-1] == " " {
			cur = cur[:len(cur)-1]
		}
		lines = append(lines, strings.Join(cur, ""))
		cur, curW = carry, 0
		for _, t := range carry {
			curW += width(t)
		}
	}
	for _, t := range toks {
		tw := width(t)
		switch {
		case curW+tw <= w:
			if t == " " && len(cur) == 0 {
				continue // no space at the start of a line
			}
			cur = append(cur, t)
			curW += tw
		case t == " ":
			flush()
		case isClosing(t) && len(cur) > 0:
			cur = append(cur, t) // hanging punctuation
			curW += tw
		case tw > w:
			// A run wider than a whole line: cut it rune by rune.
			for _, c := range t {
				cw := width(string(c))
				if curW+cw > w && len(cur) > 0 {
					flush()
				}
				cur = append(cur, string(c))
				curW += cw
			}
		default:
			flush()
			cur = append(cur, t)
			curW += tw
		}
	}
	if len(cur) > 0 || len(lines) == 0 {
		flush()
	}
	return lines
}

// tokens splits s into unbreakable pieces: runs of word characters, single spaces and
// single other characters (each CJK character is its own piece).
func tokens(s string) []string {
	var out []string
	var word strings.Builder
	end := func() {
		if word.Len() > 0 {
			out = append(out, word.String())
			word.Reset()
		}
	}
	for _, c := range s {
		switch {
		case c == ' ' || c == '\t':
			end()
			out = append(out, " ")
		case isWordRune(c):
			word.WriteRune(c)
		default:
			end()
			out = append(out, string(c))
		}
	}
	end()
	return out
}

func isWordRune(c rune) bool {
	if c < 0x80 {
		return unicode.IsPrint(c) && c != ' '
	}
	return unicode.In(c, unicode.Latin, unicode.Greek, unicode.Cyrillic) || c == '¥' || c == '²' || c == '·'
}

func isClosing(t string) bool {
	return len([]rune(t)) == 1 && strings.Contains("，。、；：？！）》」』】〕’”…—%,.;:?!)]}", t)
}

func isOpening(t string) bool {
	return len([]rune(t)) == 1 && strings.Contains("（《「『【〔‘“([{", t)
}
