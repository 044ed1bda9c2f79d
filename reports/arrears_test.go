package reports

import (
	"context"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"sunledger/app"
)

// An arrears notice with nothing owed says so, instead of "the units below owe" over an
// empty table.
func TestArrearsNotice_NothingOwedSaysSo(t *testing.T) {
	text := docText(t, ArrearsDoc("阳光花园小区", "abc123", "2026-11-22", nil, app.LateFeeRule{}))
	wantAll(t, text, "欠费公示", "没有需要公示的欠费房号")
	if strings.Contains(text, "以下房号") || strings.Contains(text, "合计") {
		t.Errorf("an empty arrears notice lists units:\n%s", text)
	}
}

// A developer-held unit is marked (its fees are the developer's, not a neighbour's
// debt), and the age columns are labelled by the ages they count.
func TestArrearsNotice_MarksDeveloperUnitsAndLabelsAgesByWhatTheyCount(t *testing.T) {
	rows := []app.Arrears{
		{Unit: "2-1-1501", Owed: bdec("324.36"), Bills: 3, Oldest: "2026-08", Developer: true},
		{Unit: "2-1-101", Owed: bdec("318.60"), Bills: 3, Oldest: "2026-08"},
	}
	text := strings.ReplaceAll(docText(t, ArrearsDoc("阳光花园小区", "abc123", "2026-11-22", rows, app.LateFeeRule{})), " ", "")
	wantAll(t, text, "2-1-1501（开发商）", "0–2个月", "3–5个月", "6–11个月", "12+个月")
	if strings.Contains(text, "2-1-101（开发商）") || strings.Contains(text, "0–3个月") {
		t.Errorf("wrong marks or labels:\n%s", text)
	}
}

// --min-amount leaves out the units owing less (¥6.16 is not posted) and the notice says
// which units it lists; a bad amount is refused.
func TestArrears_MinAmountLeavesSmallArrearsOut(t *testing.T) {
	ctx := context.Background()
	s := demoServices(t, 30)
	all, err := s.Fees.Arrears(ctx)
	if err != nil || len(all) < 2 {
		t.Fatalf("%d units owe (%v)", len(all), err)
	}
	app.SortArrears(all)
	min := all[0].Owed
	for _, r := range all {
		min = decimal.Max(min, r.Owed)
	}
	min = min.Sub(decimal.New(1, -2)) // only the largest debts
	d, err := Make(ctx, s, "arrears", Args{MinAmount: min.StringFixed(2)})
	if err != nil {
		t.Fatal(err)
	}
	text := strings.ReplaceAll(docText(t, d), " ", "")
	if !strings.Contains(text, "欠费金额不低于"+app.FormatAmount(min)) {
		t.Errorf("the notice does not say it lists only debts of %s or more", min)
	}
	for _, r := range all {
		if listed := strings.Contains(text, r.Unit+"¥") || strings.Contains(text, r.Unit+"（开发商）"); listed != !r.Owed.LessThan(min) {
			t.Errorf("%s owing %s: listed %v with --min-amount %s", r.Unit, r.Owed, listed, min)
		}
	}
	if _, err := Make(ctx, s, "arrears", Args{MinAmount: "1.234"}); app.ErrorCode(err) != app.EINVALID {
		t.Errorf("a bad amount: %v", err)
	}
}
