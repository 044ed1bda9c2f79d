package reports

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"sunledger/internal/testtool"

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
	testtool.Require(t, "pdftotext")
	dir := t.TempDir()
	p := filepath.Join(dir, "a.pdf")
	if err := WriteAnnouncement(p, "阳光花园小区", announcementTally(), "abc123"); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-layout", p, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(string(out)), "")
	for _, want := range []string{
		"阳光花园小区业主大会表决结果公告", "参与表决", "使用专项维修资金更换1号楼电梯", "重大事项",
		"同意", "反对", "弃权（含未填、多选）", "房号不在登记册", "未签名", "张有效选票（票号5、6）", "意见不一致",
		"未核对原票", "含视为表决", "计票人（签字）", "监票人（签字）", "业主委员会（盖章）", "2026-05-20",
		"abc123", "民法典", "按弃权计", "暂不计入",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("announcement lacks %q", want)
		}
	}
	if _, err := os.Stat(p + ".tmp"); err == nil {
		t.Errorf("temporary file left behind")
	}
}
