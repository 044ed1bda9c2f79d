package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"sunledger/internal/testtool"
)

const voteRegister = `unit,kind,area,owner_id,owner_name,developer_held
1-1-101,residential,100,O1,张三,
1-1-102,residential,90.5,O2,李四,
1-1-201,residential,80,O3,王五,
1-1-202,residential,120,O3,王五,
2-1-101,residential,100,DEV,开发商,1
2-1-102,residential,100,DEV,开发商,1
2-1-201,residential,95,O4,赵六、钱七,
P-001,parking,12,O1,张三,
`

// TestCLI_VoteFromMattersToAnnouncement drives a whole assembly through the CLI as a
// script would: create, key both entries, list the differences, resolve one from the
// paper, tally as JSON and print the announcement.
func TestCLI_VoteFromMattersToAnnouncement(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	data := filepath.Join(dir, "book")
	ok(t, data, "init", "--name", "测试小区")
	noticeSettings(t, data)
	ok(t, data, "units", "import", writeFile(t, dir, "reg.csv", voteRegister))
	matters := writeFile(t, dir, "m.csv", "序号,事项,类型\n1,使用维修资金更换电梯,一般\n2,改变共有部分用途,重大\n")
	fails(t, data, "vote", "new", "--title", "x", "--matters", writeFile(t, dir, "bad.csv", "no,title,kind\n1,a,urgent\n"))
	r := ok(t, data, "vote", "new", "--title", "2026年第一次业主大会", "--matters", matters, "--deemed", "--rule", "未投票视为同意多数")
	id := r.lastWord()
	if id != "V0001" {
		t.Fatalf("id = %q from %q", id, r.stdout)
	}
	a := "票号,房号,事项1,事项2,无效原因,代理人\n" +
		"1,1-1-101,同意,同意,,\n2,1-1-102,同意,反对,,\n3,1-1-201,同意,弃权,,\n4,1-1-202,同意,,,\n" +
		"5,2-1-101,同意,同意,,\n6,2-1-102,反对,同意,,\n7,2-1-201,同意,同意,,钱七\n8,9-9-999,同意,同意,,\n"
	b := strings.Replace(a, "2,1-1-102,同意,反对", "2,1-1-102,同意,同意", 1)
	ok(t, data, "vote", "enter", "--vote", id, "--entry", "A", writeFile(t, dir, "a.csv", a))
	ok(t, data, "vote", "enter", writeFile(t, dir, "b.csv", b), "--vote", id, "--entry", "B")
	f := fails(t, data, "vote", "enter", "--vote", id, "--entry", "B", writeFile(t, dir, "c.csv", "票号,房号,事项1,事项2\n9,1-1-101,同意,赞成\n"))
	if !strings.Contains(f.stderr, "第 2 行") {
		t.Errorf("bad choice error lacks the row: %s", f.stderr)
	}
	fails(t, data, "vote", "enter", "--vote", id, "--entry", "B", writeFile(t, dir, "d.csv", "票号,房号,事项1,事项2,事项3\n9,1-1-101,同意,同意,同意\n"))
	fails(t, data, "vote", "enter", "--vote", "V0404", "--entry", "A", filepath.Join(dir, "a.csv"))

	var diffs []map[string]any
	if err := json.Unmarshal([]byte(ok(t, data, "vote", "diff", "--vote", id, "--json").stdout), &diffs); err != nil {
		t.Fatal(err)
	}
	if len(diffs) != 1 || diffs[0]["ballot"] != "2" || diffs[0]["field"] != "m2" || diffs[0]["a"] != "oppose" || diffs[0]["b"] != "agree" {
		t.Fatalf("diffs = %v", diffs)
	}

	tally := func() map[string]any {
		var m map[string]any
		out := ok(t, data, "vote", "tally", "--vote", id, "--json").stdout
		if err := json.Unmarshal([]byte(out), &m); err != nil {
			t.Fatalf("%v: %s", err, out)
		}
		return m
	}
	m := tally()
	ballots := m["ballots"].(map[string]any)
	if ballots["unreconciled"].(float64) != 1 || ballots["reconciled"].(float64) != 7 || ballots["invalid"].(float64) != 1 {
		t.Fatalf("ballots = %v", ballots)
	}
	ok(t, data, "vote", "resolve", "--vote", id, "--ballot", "2", "--m", "2=oppose", "--note", "原票为反对")
	m = tally()
	// Counted: 1-1-101 (O1), 1-1-102 (O2), 1-1-201 + 1-1-202 (O3), 2-1-101 + 2-1-102 (the
	// developer, one person), 2-1-201 (O4): all 5 persons, 685.50 m² of 685.50.
	part := m["participating"].(map[string]any)
	if part["area"] != "685.50" || part["heads"].(float64) != 5 || part["ballots"].(float64) != 7 || m["quorum_met"] != true {
		t.Fatalf("participating = %v quorum %v", part, m["quorum_met"])
	}
	m1 := m["matters"].([]any)[0].(map[string]any)
	agree := m1["agree"].(map[string]any)
	// Matter 1: the developer's ballots disagree, so the developer is on no side: agree
	// is O1, O2, O3, O4 = 4 heads, area all but 2-1-102.
	if agree["area"] != "585.50" || agree["heads"].(float64) != 4 || m1["passed"] != true {
		t.Fatalf("matter 1 = %v", m1)
	}
	if _, ok := m1["with_deemed"]; !ok {
		t.Fatalf("with_deemed missing with --deemed: %v", m1)
	}
	if m["invalid_reasons"].(map[string]any)["unknown_unit"].(float64) != 1 {
		t.Fatalf("invalid_reasons = %v", m["invalid_reasons"])
	}
	text := ok(t, data, "vote", "tally", "--vote", id).stdout
	if !strings.Contains(text, "开发商") || !strings.Contains(text, "通过") {
		t.Errorf("text tally lacks the conflict or the result:\n%s", text)
	}
	ok(t, data, "vote", "rule", "--vote", id, "--developer", "--matter", "1", "--choice", "agree", "--note", "开发商书面说明")
	if a := tally()["matters"].([]any)[0].(map[string]any)["agree"].(map[string]any); a["heads"].(float64) != 5 {
		t.Fatalf("after ruling agree = %v", a)
	}
	ok(t, data, "vote", "deliver", "--vote", id, "--all", "--date", "2026-05-01", "--method", "上门送达", "--evidence", "签收回执")
	fails(t, data, "vote", "deliver", "--vote", id, "--unit", "1-1-101", "--method", "上门送达")

	// Later register edits do not change the result.
	before := ok(t, data, "vote", "tally", "--vote", id, "--json").stdout
	ok(t, data, "units", "import", writeFile(t, dir, "reg2.csv", "unit,kind,area,owner_id\n1-1-101,residential,500,O9\n"))
	if after := ok(t, data, "vote", "tally", "--vote", id, "--json").stdout; after != before {
		t.Fatalf("register edit changed the tally:\n%s\n%s", before, after)
	}

	pdf := filepath.Join(dir, "公告.pdf")
	ok(t, data, "report", "tally", "--vote", id, "--out", pdf)
	if b, err := os.ReadFile(pdf); err != nil || !strings.HasPrefix(string(b), "%PDF") {
		t.Fatalf("announcement: %v", err)
	}
	list := ok(t, data, "vote", "list", "--json").stdout
	if !strings.Contains(list, `"id": "V0001"`) {
		t.Fatalf("vote list = %s", list)
	}
}

// TestCLI_VoteAnnouncementOfTheDemoNamesNoOwnerAndAddsUp prints the announcement of the
// demo's vote and reads it back as an owner would: no owner's name or id anywhere, the
// ballot accounting adds up on its face, and every figure is the one `vote tally --json`
// gives. Then the community's rules are changed to deem units awaiting the third look,
// and the announcement says so.
func TestCLI_VoteAnnouncementOfTheDemoNamesNoOwnerAndAddsUp(t *testing.T) {
	t.Parallel()
	pdftotext := testtool.Require(t, "pdftotext")
	dir := t.TempDir()
	data := filepath.Join(dir, "book")
	ok(t, data, "demo", "--units", "60", "--years", "1")
	var votes []struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal([]byte(ok(t, data, "vote", "list", "--json").stdout), &votes); err != nil || len(votes) != 1 {
		t.Fatalf("vote list: %v %v", err, votes)
	}
	id := votes[0].ID
	var units []struct {
		Unit      string `json:"unit"`
		OwnerID   string `json:"owner_id"`
		OwnerName string `json:"owner_name"`
	}
	if err := json.Unmarshal([]byte(ok(t, data, "units", "list", "--json").stdout), &units); err != nil || len(units) == 0 {
		t.Fatalf("units list: %v", err)
	}
	type ah struct {
		Area  string `json:"area"`
		Heads int    `json:"heads"`
	}
	var tally struct {
		Total         ah `json:"total"`
		Participating struct {
			Area    string `json:"area"`
			Heads   int    `json:"heads"`
			Ballots int    `json:"ballots"`
		} `json:"participating"`
		Ballots struct {
			Valid, Invalid, Duplicates, Unreconciled int
			EnteredA                                 int `json:"entered_a"`
			EnteredB                                 int `json:"entered_b"`
		} `json:"ballots"`
		Accounting struct {
			Issued      int `json:"issued"`
			Returned    int `json:"returned"`
			NotReturned int `json:"not_returned"`
			Extra       int `json:"extra"`
			Pending     int `json:"pending"`
		} `json:"accounting"`
		Answered map[string]struct {
			Units int    `json:"units"`
			Area  string `json:"area"`
		} `json:"answered"`
		Deemed *struct {
			Units         int    `json:"units"`
			Area          string `json:"area"`
			Heads         int    `json:"heads"`
			Participating ah     `json:"participating"`
			Delivered     struct {
				Units, Counted, Invalid, Pending, Duplicate int
				NoBallot                                    int `json:"no_ballot"`
			} `json:"delivered"`
		} `json:"deemed"`
		Matters []struct {
			Agree, Oppose, Abstain ah
			Awaiting               int `json:"awaiting_ruling_heads"`
			WithDeemed             *struct {
				Agree, Oppose ah
				Participating *ah // a scoped matter's, within its scope
			} `json:"with_deemed"`
		} `json:"matters"`
	}
	readTally := func() string {
		out := ok(t, data, "vote", "tally", "--vote", id, "--json").stdout
		if err := json.Unmarshal([]byte(out), &tally); err != nil {
			t.Fatalf("%v: %s", err, out)
		}
		return out
	}
	announcement := func(name string) string {
		pdf := filepath.Join(dir, name)
		ok(t, data, "report", "tally", "--vote", id, "--out", pdf)
		out, err := exec.Command(pdftotext, "-layout", pdf, "-").Output()
		if err != nil {
			t.Fatal(err)
		}
		return string(out)
	}
	readTally()
	text := announcement("公告.pdf")
	flat := strings.Join(strings.Fields(text), "")

	// No owner's name or id, whole or any co-owner's part of it.
	for _, u := range units {
		for _, s := range append([]string{u.OwnerID, u.OwnerName}, strings.Split(u.OwnerName, "、")...) {
			if s = strings.TrimSpace(s); s != "" && (strings.Contains(text, s) || strings.Contains(flat, s)) {
				t.Errorf("the announcement names owner %q (unit %s)", s, u.Unit)
			}
		}
	}
	if strings.Contains(flat, "开发商（") || strings.Contains(flat, "owner:") {
		t.Errorf("the announcement names a person")
	}

	// The ballot accounting, on its face and against the JSON.
	num := func(pattern string) []int {
		t.Helper()
		m := regexp.MustCompile(pattern).FindStringSubmatch(flat)
		if m == nil {
			t.Fatalf("the announcement lacks %s:\n%s", pattern, text)
		}
		var out []int
		for _, s := range m[1:] {
			n, _ := strconv.Atoi(s)
			out = append(out, n)
		}
		return out
	}
	ac := tally.Accounting
	issued := num(`发出选票(\d+)张（每个参与表决的房号一张）＝收回(\d+)张＋未收回(\d+)张`)
	if issued[0] != issued[1]+issued[2] || issued[0] != ac.Issued || issued[1] != ac.Returned || issued[2] != ac.NotReturned {
		t.Errorf("issued = returned + not returned: printed %v, JSON %+v", issued, ac)
	}
	papers := num(`收回的纸质选票共(\d+)张（收回(\d+)张，另收(\d+)张.*?＝核对一致的有效票(\d+)张＋无效票(\d+)张＋待核对原票(\d+)张`)
	if papers[0] != papers[1]+papers[2] || papers[0] != papers[3]+papers[4]+papers[5] ||
		papers[2] != ac.Extra || papers[3] != tally.Ballots.Valid || papers[4] != tally.Ballots.Invalid || papers[5] != ac.Pending || ac.Pending == 0 {
		t.Errorf("papers: printed %v, JSON %+v %+v", papers, ac, tally.Ballots)
	}
	// Every paper awaiting the third look is listed with its ballot number.
	pendingList := text[strings.Index(text, "已收回、待核对原票的选票"):]
	pendingList = pendingList[:strings.Index(pendingList, "无效原因")]
	if rows := regexp.MustCompile(`(?m)^\s*\d+\s+\S+`).FindAllString(pendingList, -1); len(rows) != ac.Pending {
		t.Errorf("listed %d pending ballots, JSON %d:\n%s", len(rows), ac.Pending, pendingList)
	}
	totals := regexp.MustCompile(`(?m)^\s*合计\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)`).FindStringSubmatch(text)
	if totals == nil || totals[1] != strconv.Itoa(ac.Issued) || totals[2] != strconv.Itoa(ac.Returned) || totals[3] != strconv.Itoa(ac.NotReturned) || totals[4] != strconv.Itoa(ac.Extra) {
		t.Errorf("batch totals %v, JSON %+v", totals, ac)
	}

	// The figures are the JSON's, figure for figure.
	want := []string{
		"全体业主（总计）" + tally.Total.Area + strconv.Itoa(tally.Total.Heads),
		"参与表决" + tally.Participating.Area + strconv.Itoa(tally.Participating.Heads),
		fmt.Sprintf("计入表决的选票%d张", tally.Participating.Ballots),
		fmt.Sprintf("录入A%d张、录入B%d张", tally.Ballots.EnteredA, tally.Ballots.EnteredB),
		fmt.Sprintf("选票待核对原票%d%s", tally.Answered["pending"].Units, tally.Answered["pending"].Area),
		fmt.Sprintf("多张有效票暂不计入%d%s", tally.Answered["duplicate"].Units, tally.Answered["duplicate"].Area),
	}
	d := tally.Deemed
	if d == nil {
		t.Fatalf("the demo's vote uses the deemed-vote rule, but the JSON has no deemed")
	}
	want = append(want,
		fmt.Sprintf("视为参与（送达未交回选票）%s%d", d.Area, d.Heads),
		fmt.Sprintf("含视为表决参与%s%d", d.Participating.Area, d.Participating.Heads),
		fmt.Sprintf("视为参与%d户，面积%sm²，新增人数%d", d.Units, d.Area, d.Heads),
		fmt.Sprintf("有送达记录的房号%d户，其中已计入选票%d户，未交回任何选票%d户（视为参与%d户），交回无效票%d户、选票待核对%d户、重复票暂不计入%d户",
			d.Delivered.Units, d.Delivered.Counted, d.Delivered.NoBallot, d.Units, d.Delivered.Invalid, d.Delivered.Pending, d.Delivered.Duplicate),
		"交回了选票但选票整张无效、尚待核对原票或因重复暂不计入的房号，均已作出答复，单独列明，不视为表决")
	for _, m := range tally.Matters {
		part := d.Participating
		if p := m.WithDeemed.Participating; p != nil {
			part.Area, part.Heads = p.Area, p.Heads
		}
		want = append(want,
			"同意"+m.Agree.Area, "反对"+m.Oppose.Area, "弃权（含未填、多选）"+m.Abstain.Area,
			fmt.Sprintf("同意%sm²、%d人，反对%sm²、%d人，参与%sm²、%d人", m.WithDeemed.Agree.Area, m.WithDeemed.Agree.Heads, m.WithDeemed.Oppose.Area, m.WithDeemed.Oppose.Heads, part.Area, part.Heads))
		if m.Awaiting > 0 {
			want = append(want, fmt.Sprintf("意见不一致待核定——%d", m.Awaiting))
		}
	}
	for _, w := range want {
		if !strings.Contains(flat, w) {
			t.Errorf("the announcement lacks %q", w)
		}
	}
	if d.Delivered.Pending+d.Delivered.Duplicate == 0 || d.Units != d.Delivered.NoBallot {
		t.Errorf("the demo should have delivered units that answered and are not deemed: %+v", d)
	}
	for _, date := range []string{"表决创建日期", "计票日期"} {
		if !strings.Contains(flat, date) {
			t.Errorf("the announcement lacks %s", date)
		}
	}

	// The community's rules deem units awaiting the third look as well.
	fails(t, data, "vote", "settings", "--vote", id, "--deemed", "--deem-pending")
	fails(t, data, "vote", "settings", "--vote", id, "--no-deemed", "--deem-pending", "--reason", "x")
	before := d.Units
	ok(t, data, "vote", "settings", "--vote", id, "--deemed", "--deem-pending", "--reason", "议事规则第十八条另有规定")
	readTally()
	if tally.Deemed.Units != before+tally.Deemed.Delivered.Pending {
		t.Errorf("with --deem-pending %d units deemed, want %d", tally.Deemed.Units, before+tally.Deemed.Delivered.Pending)
	}
	flat = strings.Join(strings.Fields(announcement("公告2.pdf")), "")
	if !strings.Contains(flat, "依本小区议事规则，下列已交回选票的房号有送达记录的，也视为表决：选票待核对原票") || !strings.Contains(flat, "依议事规则视为表决") {
		t.Errorf("the announcement does not state the community's reading:\n%s", flat)
	}
	ok(t, data, "vote", "settings", "--vote", id, "--no-deemed", "--reason", "误设")
	if out := readTally(); strings.Contains(out, "with_deemed") || strings.Contains(out, `"deemed"`) {
		t.Errorf("without the rule the JSON still has deemed figures")
	}
}

func TestCLI_VoteNewDeemedScopeAndVotingPeriod(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	data := filepath.Join(dir, "book")
	ok(t, data, "init", "--name", "测试小区")
	noticeSettings(t, data)
	ok(t, data, "units", "import", writeFile(t, dir, "reg.csv", voteRegister))
	matters := writeFile(t, dir, "m.csv", "no,title,kind\n1,电梯,ordinary\n")
	fails(t, data, "vote", "new", "--title", "x", "--matters", matters, "--deem-invalid")
	fails(t, data, "vote", "new", "--title", "x", "--matters", matters, "--from", "2026-05-01")
	fails(t, data, "vote", "new", "--title", "x", "--matters", matters, "--from", "2026-05-10", "--to", "2026-05-01")
	fails(t, data, "vote", "new", "--title", "x", "--matters", matters, "--from", "2026-5-1", "--to", "2026-05-10")
	if out := ok(t, data, "vote", "list", "--json").stdout; strings.TrimSpace(out) != "[]" {
		t.Fatalf("a refused vote was created: %s", out)
	}
	// The deemed-vote clause is quoted from the community's rules, never worded by the program.
	if r := fails(t, data, "vote", "new", "--title", "x", "--matters", matters, "--deemed", "--deem-invalid", "--from", "2026-05-01", "--to", "2026-05-10"); !strings.Contains(r.stderr, "settings --deemed-rule") {
		t.Errorf("--deemed without --rule: %s", r.stderr)
	}
	ok(t, data, "settings", "--deemed-rule", "《业主大会议事规则》第十八条：……")
	r := ok(t, data, "vote", "new", "--title", "x", "--matters", matters, "--deemed", "--deem-invalid", "--from", "2026-05-01", "--to", "2026-05-10")
	id := r.lastWord()
	if !strings.Contains(r.stdout, "交回无效票") && !strings.Contains(r.stdout, "invalid") {
		t.Errorf("vote new does not say the deemed reading: %s", r.stdout)
	}
	if out := ok(t, data, "vote", "list", "--json").stdout; !strings.Contains(out, `"deem_also": [`) || !strings.Contains(out, `"invalid"`) {
		t.Errorf("vote list = %s", out)
	}
	var tally struct {
		Deemed struct {
			Also []string `json:"also"`
		} `json:"deemed"`
	}
	if err := json.Unmarshal([]byte(ok(t, data, "vote", "tally", "--vote", id, "--json").stdout), &tally); err != nil || strings.Join(tally.Deemed.Also, ",") != "invalid" {
		t.Fatalf("tally deemed = %+v %v", tally.Deemed, err)
	}
	pdftotext := testtool.Require(t, "pdftotext")
	pdf := filepath.Join(dir, "a.pdf")
	ok(t, data, "report", "tally", "--vote", id, "--out", pdf)
	out, err := exec.Command(pdftotext, pdf, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	flat := strings.Join(strings.Fields(string(out)), "")
	for _, want := range []string{"投票期：2026-05-01至2026-05-10", "也视为表决：交回无效票"} {
		if !strings.Contains(flat, want) {
			t.Errorf("announcement lacks %q", want)
		}
	}
}

// Printed ballots: `report ballots` prints one page per voting unit, and a transcription
// of them may leave the unit empty: the printed number names it.
func TestCLI_PrintedBallotsNumberNamesTheUnit(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	data := filepath.Join(dir, "book")
	ok(t, data, "init", "--name", "测试小区")
	ok(t, data, "units", "import", writeFile(t, dir, "reg.csv", voteRegister))
	matters := writeFile(t, dir, "m.csv", "序号,事项,类型\n1,使用维修资金更换电梯,一般\n2,改变共有部分用途,重大\n")
	id := ok(t, data, "vote", "new", "--title", "2026年第一次业主大会", "--matters", matters).lastWord()
	out := filepath.Join(dir, "ballots.pdf")
	ok(t, data, "report", "ballots", "--vote", id, "--out", out)
	text := testtool.Squeeze(testtool.PDFText(t, out, "-layout"))
	for _, want := range []string{"票号1", "房号1-1-101", "票号2", "房号1-1-102"} {
		if !strings.Contains(text, want) {
			t.Errorf("ballots lack %q", want)
		}
	}
	fails(t, data, "report", "ballots", "--vote", id, "--unit", "9-9-999")
	ok(t, data, "vote", "enter", "--vote", id, "--entry", "A", writeFile(t, dir, "a.csv", "票号,房号,事项1,事项2\n2,,同意,反对\n"))
	var diffs []map[string]any
	ok(t, data, "vote", "enter", "--vote", id, "--entry", "B", writeFile(t, dir, "b.csv", "票号,房号,事项1,事项2\n2,1-1-102,同意,反对\n"))
	if err := json.Unmarshal([]byte(ok(t, data, "vote", "diff", "--vote", id, "--json").stdout), &diffs); err != nil {
		t.Fatal(err)
	}
	if len(diffs) != 0 {
		t.Fatalf("ballot 2 keyed without its unit differs from the one with 1-1-102: %v", diffs)
	}
}
