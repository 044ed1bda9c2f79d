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
