package reports

// footer.go prints the footer of every page: "第 x / y 页", the journal's head hash and
// the QR codes.

import (
	"fmt"
	"strings"

	"github.com/jung-kurt/gofpdf"
	qrcode "github.com/skip2/go-qrcode"
)

// qrText is what the footer's QR code says: the head hash and, when known, the record
// log's tree (size and first 16 hex of the root) and a receipt's leaf:
// "sunledger head=… tree=1234 root=3f0c1a2b4c5d6e7f leaf=456". The document's number is
// printed beside it, not coded: a shorter code has larger modules, and two codes side by
// side must both scan from a printed notice.
func qrText(docNo string, m DocMeta) string {
	content := "sunledger head=" + m.HeadHash
	if size, root, ok := strings.Cut(strings.TrimPrefix(m.Tree, "#"), " "); ok {
		content += " tree=" + size + " root=" + root
	}
	if m.Leaf != "" {
		content += " leaf=" + m.Leaf
	}
	return content
}

// qrPNG is the footer's QR code: the document's number and the full head hash, so an
// owner's phone reads the whole hash to compare with the signed snapshot. With the
// record tree it holds about 130 characters: low error correction keeps its modules as
// large as the address code's, so both scan side by side at the footer's size.
func qrPNG(docNo string, m DocMeta) ([]byte, error) {
	q, err := qrcode.New(qrText(docNo, m), qrcode.Low)
	if err != nil {
		return nil, err
	}
	q.DisableBorder = true
	return q.PNG(qrModulePixels)
}

// qrModulePixels draws each QR module as a whole number of pixels (a negative size for
// go-qrcode): a code scaled to a round 256 px blurs the edges of its modules, which a
// scanner of the printed page then misreads.
const qrModulePixels = -8

// qrPlainPNG is the QR code of the published snapshot's address as it is, so that a
// phone's camera offers to open it. Low error correction keeps the modules large enough
// to scan at the footer's size for addresses of 100 characters and more.
func qrPlainPNG(content string) ([]byte, error) {
	q, err := qrcode.New(content, qrcode.Low)
	if err != nil {
		return nil, err
	}
	q.DisableBorder = true
	return q.PNG(qrModulePixels)
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
	for _, s := range r.footerLines() {
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

// footerLines are the footer's lines of text beside the QR codes: the head hash, the
// document's number and how to check them.
func (r *layout) footerLines() []string {
	head := r.meta.HeadHash
	if head == "" {
		head = "（空账本）"
	}
	label := r.meta.HashLabel
	if label == "" {
		label = "账本链头"
	}
	lines := []string{label + " " + head}
	no := "文件编号 " + r.docNo
	if r.meta.Ref != "" {
		no = "文号 " + r.meta.Ref + "　内容哈希 " + r.docNo
	}
	if r.meta.Tree != "" {
		no += "　记录树 " + r.meta.Tree
		if r.meta.Leaf != "" {
			no += " 叶子 " + r.meta.Leaf
		}
	}
	if r.qrURL != "" {
		lines = append(lines, no+"　左码：已发布的快照　右码：链头（以 snapshot verify 核对）")
	} else {
		lines = append(lines, no)
		lines = append(lines, "核对方法：以阳光账本快照（sunledger-cli snapshot verify）核对上述链头")
	}
	return lines
}
