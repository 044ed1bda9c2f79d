package reports

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"sunledger/app"
	"sunledger/internal/testtool"
)

// Fee notices are cut apart and handed out or pinned at the entrance: each names its
// unit and what is due, never the owner.
func TestFeeNotices_NameTheUnitNeverTheOwner(t *testing.T) {
	d := func(s string) decimal.Decimal { return decimal.RequireFromString(s) }
	n := FeeNotice{
		Bill:    app.Bill{Unit: "3-2-1501", Period: "2026-10", Kind: app.KindResidential, Area: d("88.50"), Price: d("1.20"), Amount: d("106.20"), Payer: "欧阳娜娜"},
		Earlier: d("212.40"), Due: d("318.60"),
	}
	text := docText(t, FeeNoticesDoc(app.Community{Name: "阳光花园小区"}, "abc123", "2026-10", "2026-10-01", app.NoticeSettings{}.DueDate("2026-10"), []FeeNotice{n}))
	for _, want := range []string{"3-2-1501", "¥318.60", "叁佰壹拾捌元陆角"} {
		if !strings.Contains(text, want) {
			t.Errorf("the notice lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "欧阳娜娜") || strings.Contains(text, "缴费人") {
		t.Errorf("the notice names the owner:\n%s", text)
	}
}

// A notice's figures add up to what it asks for: when this month's bill is already partly
// paid, the notice says how much (本月物业费 − 本月已缴 + 以前月份欠费 = 本次应缴); a month
// not paid at all, or paid in full, has no such line.
func TestFeeNotices_FiguresAddUpToTheDueWhenTheMonthIsPartlyPaid(t *testing.T) {
	d := func(s string) decimal.Decimal { return decimal.RequireFromString(s) }
	bill := app.Bill{Unit: "S-1", Period: "2026-02", Kind: app.KindCommercial, Area: d("1000.00"), Price: d("1.005"), Amount: d("1005.00")}
	for _, c := range []struct {
		name               string
		paid, earlier, due string
		want, dont         []string
	}{
		{"partly paid", "500.00", "0", "505.00", []string{"本月已缴：¥500.00", "本次应缴：¥505.00（伍佰零伍元整）"}, nil},
		{"partly paid with arrears", "0.05", "24.95", "1029.90", []string{"本月已缴：¥0.05", "以前月份欠费：¥24.95", "¥1,029.90"}, nil},
		{"not paid", "0", "24.95", "1029.95", []string{"以前月份欠费：¥24.95"}, []string{"本月已缴"}},
		{"paid in full", "1005.00", "0", "0", []string{"已缴清"}, []string{"本月已缴"}},
	} {
		n := FeeNotice{Bill: bill, Paid: d(c.paid), Earlier: d(c.earlier), Credit: decimal.Zero, Due: d(c.due)}
		path := filepath.Join(t.TempDir(), "n.pdf")
		if err := FeeNoticesDoc(app.Community{Name: "阳光花园小区"}, "abc123", "2026-02", "2026-02-01", app.NoticeSettings{}.DueDate("2026-02"), []FeeNotice{n}).Save(path); err != nil {
			t.Fatal(err)
		}
		// -layout keeps each label on the line of its figure.
		text := testtool.Squeeze(testtool.PDFText(t, path, "-layout"))
		for _, w := range c.want {
			if !strings.Contains(text, w) {
				t.Errorf("%s: the notice lacks %q:\n%s", c.name, w, text)
			}
		}
		for _, w := range c.dont {
			if strings.Contains(text, w) {
				t.Errorf("%s: the notice should not say %q:\n%s", c.name, w, text)
			}
		}
	}
}
