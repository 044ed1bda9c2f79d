package reports

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"sunledger/app"
	"sunledger/internal/testtool"
)

// Printed ballots: one page per unit, each naming its number and unit, with a QR code a
// scanner reads back as the assembly and the number (what the window's number field takes).
func TestBallots_OnePagePerUnitWithNumberAndScannableQR(t *testing.T) {
	a := app.Assembly{ID: "V0003", Title: "2026年度第一次业主大会", Date: "2026-05-10",
		Matters: []app.Matter{{No: 1, Title: "选举业主委员会委员", Kind: app.MatterOrdinary}, {No: 2, Title: "利用共有部分设置充电桩", Kind: app.MatterMajor}}}
	var issued []app.IssuedBallot
	for i, id := range []string{"1-1-101", "1-1-102", "1-1-201"} {
		issued = append(issued, app.IssuedBallot{No: itoa(int64(i + 1)), Unit: app.Unit{ID: id, Kind: app.KindResidential, Area: decimal.RequireFromString("89.5")}})
	}
	d := BallotsDoc("阳光花园小区", "abc123", "2026-04-20", a, issued)
	dir := t.TempDir()
	path := filepath.Join(dir, "ballots.pdf")
	if err := d.Save(path); err != nil {
		t.Fatal(err)
	}
	pages := pageTextsRaw(t, path)
	if len(pages) != 3 {
		t.Fatalf("%d pages, want one per unit (3)", len(pages))
	}
	for i, p := range pages {
		p = testtool.Squeeze(p)
		for _, want := range []string{"票号" + itoa(int64(i+1)), "房号" + issued[i].Unit.ID, "89.50m²", "利用共有部分设置充电桩", "重大事项", "同意", "反对", "弃权", "签名"} {
			if !strings.Contains(p, want) {
				t.Errorf("page %d lacks %q:\n%s", i+1, want, p)
			}
		}
	}
	codes := scanQR(t, path, "150")
	found := false
	for _, c := range codes {
		found = found || c == "V0003-1"
	}
	if !found {
		t.Fatalf("page 1's codes %q do not include the ballot's V0003-1", codes)
	}
}
