package reports

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sunledger/internal/testtool"

	"time"

	"github.com/shopspring/decimal"

	"sunledger/app"
)

func announcementTally() app.Tally {
	u := func(id, area, owner string) app.Unit {
		x := app.Unit{ID: id, Kind: app.KindResidential, Area: decimal.RequireFromString(area), OwnerID: owner, OwnerName: "业主" + owner}
		if owner == "DEV" {
			x.DeveloperHeld, x.OwnerName = true, "开发商"
		}
		return x
	}
	b := func(no, unit string, cs ...app.Choice) app.Ballot { return app.Ballot{No: no, Unit: unit, Choices: cs} }
	unsigned := b("9", "1-1-104", app.Agree, app.Agree)
	unsigned.Invalid = app.ReasonUnsigned
	ballots := []app.Ballot{
		b("1", "1-1-101", app.Agree, app.Agree), b("2", "1-1-102", app.Agree, app.Oppose),
		b("3", "2-1-101", app.Agree, app.Blank), b("4", "2-1-102", app.Oppose, app.Double),
		b("5", "1-1-103", app.Agree, app.Agree), b("6", "1-1-103", app.Oppose, app.Agree),
		b("7", "9-9-999", app.Agree, app.Agree), unsigned,
	}
	return app.CountVotes(app.VoteRecord{
		Assembly: app.Assembly{ID: "V0001", Title: "2026年第一次业主大会", Date: "2026-05-20", Deemed: true,
			Created: time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC), VotingFrom: "2026-05-01", VotingTo: "2026-05-19",
			Matters: []app.Matter{{No: 1, Title: "使用专项维修资金更换1号楼电梯", Kind: app.MatterOrdinary}, {No: 2, Title: "将东侧绿地改建为临时停车场（改变共有部分用途）", Kind: app.MatterMajor}}},
		Register:   []app.Unit{u("1-1-101", "100", "O1"), u("1-1-102", "90.5", "O2"), u("1-1-103", "80", "O3"), u("1-1-104", "120", "O4"), u("2-1-101", "100", "DEV"), u("2-1-102", "100", "DEV")},
		EntryA:     ballots,
		EntryB:     ballots[:len(ballots)-1],
		Deliveries: []app.Delivery{{Unit: "1-1-104"}},
	})
}

func TestAnnouncement_StatesResultsRulesAndSignatures(t *testing.T) {
	var buf bytes.Buffer
	if err := Announcement(&buf, "阳光花园小区", announcementTally(), "abc123"); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(buf.Bytes(), []byte("%PDF")) {
		t.Fatalf("not a PDF")
	}
	dir := t.TempDir()
	p := filepath.Join(dir, "a.pdf")
	if err := WriteAnnouncement(p, "阳光花园小区", announcementTally(), "abc123"); err != nil {
		t.Fatal(err)
	}
	text := testtool.Squeeze(testtool.PDFText(t, p, "-layout"))
	if os.Getenv("ANN_DUMP") != "" {
		t.Log(text)
	}
	for _, want := range []string{
		"阳光花园小区业主大会表决结果公告", "参与表决", "使用专项维修资金更换1号楼电梯", "重大事项",
		"同意", "反对", "弃权（含未填、多选）", "房号不在登记册", "未签名", "张有效选票（票号5、6）", "意见不一致",
		"未核对原票", "含视为表决", "计票人（签字）", "监票人（签字）", "业主委员会（盖章）", "2026-05-20",
		"abc123", "民法典", "按弃权计", "暂不计入",
		// the dates, and the accounting: 6 issued = 6 returned + 0 not returned; 8 papers =
		// 6 returned + 2 extra (a second paper for 1-1-103, unit 9-9-999) = 6 valid + 1
		// invalid + 1 awaiting the third look (ballot 9, unit 1-1-104, in entry A only)
		"表决创建日期：2026-05-01", "投票期：2026-05-01至2026-05-19", "大会（表决截止）日期：2026-05-20",
		"发出选票6张（每个参与表决的房号一张）＝收回6张＋未收回0张",
		"收回的纸质选票共8张（收回6张，另收2张", "＝核对一致的有效票6张＋无效票1张＋待核对原票1张",
		"已收回、待核对原票的选票", "91-1-104",
		// the multi-unit owner by units only, and the default deemed reading
		"房号2-1-101、2-1-102同属一位业主", "未交回任何选票的房号，视为参与表决",
		"均已作出答复，单独列明，不视为表决", "选票待核对原票1120.00已作答复，不视为表决",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("announcement lacks %q", want)
		}
	}
	for _, owner := range []string{"业主O1", "业主O2", "业主O3", "业主O4", "开发商（", "O1", "O2", "O3", "O4", "DEV"} {
		if strings.Contains(text, owner) {
			t.Errorf("announcement names an owner: %q", owner)
		}
	}
	// No unit's choices: the conflict lists units, not "unit: 同意".
	if strings.Contains(text, ": 同意") || strings.Contains(text, "：同意；") {
		t.Errorf("announcement shows a unit's choice")
	}
	if _, err := os.Stat(p + ".tmp"); err == nil {
		t.Errorf("temporary file left behind")
	}
}

// TestAnnouncement_ShareNeverPrintsAsAThresholdItIsNot: the posted shares are rounded to
// 2 places, except that a share which is not exactly 1/2, 2/3 or 3/4 never prints as that
// threshold (an owner would read "66.67%" next to "quorum not met" as a miscount): it
// gets the places it needs to tell them apart.
func TestAnnouncement_ShareNeverPrintsAsAThresholdItIsNot(t *testing.T) {
	for _, c := range []struct {
		n, d int64
		want string
	}{
		{0, 3, "0.00%"},
		{1, 3, "33.33%"},
		{2, 3, "66.67%"},            // exactly two-thirds
		{199999, 300000, "66.666%"}, // 1999.99 of 3000.00 m²: quorum not met
		{200001, 300000, "66.6670%"},
		{1, 2, "50.00%"},
		{100001, 200000, "50.001%"}, // more than half, by 0.01 m²
		{99999, 200000, "49.9995%"},
		{3, 4, "75.00%"},
		{299999, 400000, "74.9998%"},
		{30001, 40000, "75.003%"},
		{7, 8, "87.50%"},
		{5, 0, "—"},
	} {
		if got := annRatio(c.n, c.d); got != c.want {
			t.Errorf("annRatio(%d, %d) = %s, want %s", c.n, c.d, got, c.want)
		}
	}
}

// TestAnnouncement_OneLinePerSplitOwnerNamesEveryMatter: an owner whose ballots disagree
// is listed once, by units, with every matter they disagree on (the tally lists one
// conflict per owner and matter, which made thousands of lines for many matters), and a
// ruled matter on a line of its own.
func TestAnnouncement_OneLinePerSplitOwnerNamesEveryMatter(t *testing.T) {
	ab, cd := []string{"1-1-101", "1-1-102"}, []string{"2-1-101", "2-1-102"}
	open := annOpenItems(app.Tally{Conflicts: []app.Conflict{
		{Person: "owner:O1", Units: ab, Matter: 1}, {Person: "owner:O2", Units: cd, Matter: 1},
		{Person: "owner:O1", Units: ab, Matter: 2}, {Person: "owner:O1", Units: ab, Matter: 3, Ruled: true},
	}})
	want := []string{
		"房号 1-1-101、1-1-102 同属一位业主，其选票在事项 1、2 上意见不一致：面积按各票分别计入，人数计一人，人数暂不计入任何一方，待业委会核定。",
		"房号 2-1-101、2-1-102 同属一位业主，其选票在事项 1 上意见不一致：面积按各票分别计入，人数计一人，人数暂不计入任何一方，待业委会核定。",
		"房号 1-1-101、1-1-102 同属一位业主，其选票在事项 3 上意见不一致：面积按各票分别计入，人数计一人，业委会已核定人数归属。",
	}
	if strings.Join(open, "\n") != strings.Join(want, "\n") {
		t.Fatalf("open items:\n%s\nwant:\n%s", strings.Join(open, "\n"), strings.Join(want, "\n"))
	}
}
