package reports

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"sunledger/internal/testtool"
)

// scanQR renders page 1 of pdf at dpi and returns what zbarimg reads, one code a line.
func scanQR(t *testing.T, pdf string, dpi string) []string {
	t.Helper()
	pdftoppm := testtool.Require(t, "pdftoppm")
	zbarimg := testtool.Require(t, "zbarimg")
	png := filepath.Join(t.TempDir(), "page")
	if out, err := exec.Command(pdftoppm, "-r", dpi, "-f", "1", "-l", "1", "-png", "-singlefile", pdf, png).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v %s", err, out)
	}
	out, err := exec.Command(zbarimg, "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", png+".png").Output()
	if err != nil {
		t.Fatalf("zbarimg found no QR code: %v", err)
	}
	return strings.Split(strings.TrimSpace(string(out)), "\n")
}

// A notice of a book with a published snapshot carries two QR codes that a scanner
// reads at print resolution: the head hash's and the snapshot's address.
func TestNotice_QRCodesOfHeadAndSnapshotAddressScan(t *testing.T) {
	head := strings.Repeat("9f86d081", 8)
	url := "https://oss.example.com/sunledger-community/yangguang-huayuan/20261129T011000Z-9f86d081884c/index.html"
	for _, c := range []struct {
		name, url string
		want      int
	}{{"not published", "", 1}, {"published", url, 2}} {
		t.Run(c.name, func(t *testing.T) {
			d := NewDoc(DocMeta{Community: "阳光花园小区", Title: "二维码测试", HeadHash: head, DocID: "arrears-2026-11-22", Date: "2026-11-22", Public: true,
				Tree: "#1234567 3f0c1a2b4c5d6e7f"}) // the longest head QR: with the record tree
			d.Para(longPara)
			d.SetSnapshotURL(c.url)
			text, pdf := renderText(t, d, t.TempDir())
			// 150 dpi is coarser than any office printer: what scans here scans on paper.
			codes := scanQR(t, pdf, "150")
			if len(codes) != c.want {
				t.Fatalf("read %d codes %q, want %d", len(codes), codes, c.want)
			}
			joined := strings.Join(codes, "\n")
			if !strings.Contains(joined, "head="+head) {
				t.Errorf("head QR not read: %q", codes)
			}
			if c.url != "" {
				if !strings.Contains(joined, "\n"+c.url) && !strings.HasPrefix(joined, c.url) {
					t.Errorf("address QR not read: %q", codes)
				}
				if !strings.Contains(testtool.Squeeze(text), testtool.Squeeze(c.url)) {
					t.Errorf("the address is not printed in words too")
				}
			}
		})
	}
}
