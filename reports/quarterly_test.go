package reports

import (
	"context"
	"errors"
	"strings"
	"testing"

	"sunledger/app"
	"sunledger/internal/testtool"
	"sunledger/storage"
)

// A quarter that has not begun has nothing to disclose and is refused; the current
// quarter (still running) and past quarters, even before the book's first entry, are not.
func TestQuarterly_AQuarterThatHasNotBegunIsRefused(t *testing.T) {
	db, err := storage.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	if err := db.Services().Book.Init(ctx, app.Community{Name: "测试小区"}, "t"); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		year, quarter int
		today         string
		refused       bool
	}{
		{2026, 4, "2026-11-29", false}, // running
		{2026, 3, "2026-11-29", false},
		{2020, 1, "2026-11-29", false},
		{2027, 1, "2026-11-29", true},
		{2026, 4, "2026-09-30", true}, // begins tomorrow
		{2026, 4, "2026-10-01", false},
	} {
		_, err := GatherQuarter(ctx, db.Services(), c.year, c.quarter, c.today, 0)
		var ae *app.Error
		if refused := err != nil; refused != c.refused || (refused && (!errors.As(err, &ae) || ae.Code != app.EINVALID)) {
			t.Errorf("%d Q%d on %s: err %v, want refused %v", c.year, c.quarter, c.today, err, c.refused)
		}
	}
}

// Only the service fund's receivables are owners' unpaid fees: a public-income
// receivable (a tenant's rent, an advertiser's fee) is not labelled 业主欠费.
func TestQuarterly_OnlyFeeReceivablesAreCalledOwnersArrears(t *testing.T) {
	q := Quarter{Community: "测试小区", Head: "abc", Date: "2026-07-01", Year: 2026, Quarter: 2, From: "2026-04", To: "2026-06", Complete: true,
		Flows: []FundFlow{{Fund: app.FundService, Receivables: bdec("12.34")}, {Fund: app.FundPublic, Receivables: bdec("56.78")}}}
	text := docText(t, QuarterlyDoc(q))
	if n := strings.Count(text, "业主欠费"); n != 1 {
		t.Errorf("业主欠费 appears %d times, want once (the service fund's):\n%s", n, text)
	}
}

func TestQuarterlyDoc_AnIncompleteQuarterIsMarked(t *testing.T) {
	testtool.Require(t, "pdftotext")
	c := app.Collection{Period: "2026Q3", From: "2026-07", To: "2026-09"}
	for _, tc := range []struct {
		date string
		want bool
	}{{"2026-08-15", true}, {"2026-09-30", true}, {"2026-10-01", false}} {
		q := Quarter{Community: "测试小区", Date: tc.date, Year: 2026, Quarter: 3, From: c.From, To: c.To, Complete: quarterComplete(tc.date, c.To), Collection: c}
		text := docText(t, QuarterlyDoc(q))
		if got := strings.Contains(text, "本季度尚未结束"); got != tc.want {
			t.Errorf("printed %s: marked incomplete %v, want %v", tc.date, got, tc.want)
		}
	}
}
