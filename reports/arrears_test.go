package reports

import (
	"strings"
	"testing"

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
