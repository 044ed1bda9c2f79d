package reports

import (
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"sunledger/app"
)

// Fee notices are cut apart and handed out or pinned at the entrance: each names its
// unit and what is due, never the owner.
func TestFeeNotices_NameTheUnitNeverTheOwner(t *testing.T) {
	d := func(s string) decimal.Decimal { return decimal.RequireFromString(s) }
	n := FeeNotice{
		Bill:    app.Bill{Unit: "3-2-1501", Period: "2026-10", Kind: app.KindResidential, Area: d("88.50"), Price: d("1.20"), Amount: d("106.20"), Payer: "欧阳娜娜"},
		Earlier: d("212.40"), Due: d("318.60"),
	}
	text := docText(t, FeeNoticesDoc(app.Community{Name: "阳光花园小区"}, "abc123", "2026-10", "2026-10-01", []FeeNotice{n}))
	for _, want := range []string{"3-2-1501", "¥318.60", "叁佰壹拾捌元陆角"} {
		if !strings.Contains(text, want) {
			t.Errorf("the notice lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "欧阳娜娜") || strings.Contains(text, "缴费人") {
		t.Errorf("the notice names the owner:\n%s", text)
	}
}
