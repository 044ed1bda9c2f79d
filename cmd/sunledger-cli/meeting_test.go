package main

import (
	"encoding/json"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"sunledger/internal/testtool"
)

func TestMeeting_NewDecideFollowListShowNoticeEndToEnd(t *testing.T) {
	t.Parallel()
	data, files := t.TempDir(), t.TempDir()
	ok(t, data, "init", "--name", "阳光花园")
	noticeSettings(t, data)
	ok(t, data, "units", "import", writeFile(t, files, "u.csv", "unit,kind,area,owner_id,owner_name\n1-1-101,residential,88,O1,张三\n1-1-102,residential,90,O2,李四\n"))

	id := ok(t, data, "meeting", "new", "--date", "2025-03-10", "--place", "社区会议室", "--topic", "车库照明",
		"--attend", "社区:王网格:网格员", "--attend", "业委会:孙主任", "--attend", "property:赵经理:项目经理",
		"--issue", "业委会：地下车库照明不足", "--issue", "外墙渗水").lastWord()
	if id != "MT000001" {
		t.Fatalf("meeting id %q", id)
	}
	decide := func(args ...string) string {
		t.Helper()
		return ok(t, data, append([]string{"meeting", "decide", "--meeting", id}, args...)...).lastWord()
	}
	d1 := decide("--text", "更换车库灯具", "--party", "物业", "--due", "2025-03-31", "--issue", "1", "--unit", "1-1-101")
	d2 := decide("--text", "协调外墙维修资金", "--party", "committee", "--due", "2025-04-30", "--issue", "2")
	d3 := decide("--text", "制定电动车充电方案", "--party", "社区", "--due", "2099-12-31")
	if d1 != "MT000001-1" || d2 != "MT000001-2" || d3 != "MT000001-3" {
		t.Fatalf("decision ids %s %s %s", d1, d2, d3)
	}
	ok(t, data, "meeting", "follow", "--decision", d1, "--date", "2025-03-28", "--done", "--note", "已更换 24 盏")
	ok(t, data, "meeting", "follow", "--decision", d2, "--date", "2025-04-15", "--note", "已向区住建局申请")

	// refusals, each changing nothing
	before := ok(t, data, "meeting", "list", "--json").stdout
	for _, args := range [][]string{
		{"meeting", "new", "--date", "2025-02-30", "--place", "x", "--attend", "社区:a", "--attend", "业委会:b", "--attend", "物业:c"},
		{"meeting", "new", "--date", "2025-03-01", "--place", "x", "--attend", "社区:a", "--attend", "业委会:b"},
		{"meeting", "new", "--date", "2099-03-01", "--place", "x", "--attend", "社区:a", "--attend", "业委会:b", "--attend", "物业:c"},
		{"meeting", "new", "--date", "2025-03-01", "--place", "x", "--attend", "开发商:a"},
		{"meeting", "decide", "--meeting", id, "--text", "无责任方", "--due", "2025-04-01"},
		{"meeting", "decide", "--meeting", id, "--text", "x", "--party", "开发商", "--due", "2025-04-01"},
		{"meeting", "decide", "--meeting", id, "--text", "x", "--party", "物业", "--due", "2025-03-01"},
		{"meeting", "decide", "--meeting", id, "--text", "x", "--party", "物业", "--due", "2025-04-01", "--unit", "9-9-999"},
		{"meeting", "decide", "--meeting", "MT000009", "--text", "x", "--party", "物业", "--due", "2025-04-01"},
		{"meeting", "follow", "--decision", "MT000001-9", "--note", "x"},
		{"meeting", "follow", "--decision", "MT000009-1", "--note", "x"},
		{"meeting", "follow", "--decision", d1, "--done"},
		{"meeting", "follow", "--decision", d2, "--note", "早于会议", "--date", "2025-03-01"},
		{"meeting", "follow", "--decision", d2, "--done", "--reopen", "--note", "x"},
		{"meeting", "follow", "--decision", d3, "--reopen"},
	} {
		fails(t, data, args...)
	}
	if after := ok(t, data, "meeting", "list", "--json").stdout; after != before {
		t.Errorf("a refused command changed the meetings")
	}

	var ms []struct {
		ID        string `json:"id"`
		Decisions []struct {
			ID, Party, Due, Status string
			DoneOn                 string `json:"done_on"`
			Follow                 []struct{ Date, Mark, Note string }
		} `json:"decisions"`
	}
	if err := json.Unmarshal([]byte(before), &ms); err != nil || len(ms) != 1 || len(ms[0].Decisions) != 3 {
		t.Fatalf("list json: %v %s", err, before)
	}
	got := ms[0].Decisions
	if got[0].Status != "done" || got[0].DoneOn != "2025-03-28" || got[1].Status != "overdue" || got[2].Status != "open" || got[2].Party != "community" || len(got[1].Follow) != 1 {
		t.Errorf("statuses: %+v", got)
	}
	var open []struct{ ID, Status string }
	if err := json.Unmarshal([]byte(ok(t, data, "meeting", "list", "--open", "--json").stdout), &open); err != nil || len(open) != 2 || open[0].ID != d2 || open[0].Status != "overdue" || open[1].ID != d3 {
		t.Errorf("open decisions: %+v %v", open, err)
	}
	// a wrong "done" is corrected by a new record, never by editing the old one
	ok(t, data, "meeting", "follow", "--decision", d1, "--reopen", "--note", "误标完成，仍有两盏不亮")
	show := ok(t, data, "meeting", "show", id).stdout
	for _, want := range []string{"已更换 24 盏", "误标完成", "孙主任", "已逾期"} {
		if !strings.Contains(show, want) {
			t.Errorf("show lacks %q:\n%s", want, show)
		}
	}
	var one struct {
		Decisions []struct{ Status string } `json:"decisions"`
	}
	if err := json.Unmarshal([]byte(ok(t, data, "meeting", "show", "--meeting", id, "--json").stdout), &one); err != nil || one.Decisions[0].Status != "overdue" {
		t.Errorf("show json after the reopen: %+v %v", one, err)
	}

	out := filepath.Join(files, "决议公示.pdf")
	if w := ok(t, data, "meeting", "notice", "--meeting", id, "--out", out).lastWord(); w != out {
		t.Errorf("notice printed %q", w)
	}
	ok(t, data, "meeting", "notice", "--year", "2025", "--out", filepath.Join(files, "year.pdf"))
	fails(t, data, "meeting", "notice", "--out", out)
	tool := testtool.Require(t, "pdftotext")
	b, err := exec.Command(tool, "-enc", "UTF-8", out, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(string(b)), "")
	for _, want := range []string{"联席会议决议公示", "更换车库灯具", "1-1-101", "已逾期", "未到期", "2099-12-31", "公示期"} {
		if !strings.Contains(text, want) {
			t.Errorf("notice lacks %q", want)
		}
	}
	for _, name := range []string{"王网格", "孙主任", "赵经理", "张三", "李四"} {
		if strings.Contains(text, name) {
			t.Errorf("notice names %s", name)
		}
	}
	ok(t, data, "verify")
}

func TestMeeting_DutyListVersionsStayReadable(t *testing.T) {
	t.Parallel()
	data, files := t.TempDir(), t.TempDir()
	ok(t, data, "init", "--name", "阳光花园")
	fails(t, data, "meeting", "duties")
	fails(t, data, "meeting", "duties", "set", writeFile(t, files, "bad.txt", "保洁\n"))
	fails(t, data, "meeting", "duties", "set", writeFile(t, files, "bad.csv", "party,duty\n开发商,交房\n"))
	v1 := ok(t, data, "meeting", "duties", "set", writeFile(t, files, "v1.txt", "[物业]\n- 公共部位日常维修养护\n[业委会]\n- 审核物业支出\n[社区]\n- 指导监督业委会\n"), "--date", "2025-01-05", "--why", "首版").lastWord()
	v2 := ok(t, data, "meeting", "duties", "set", writeFile(t, files, "v2.csv", "责任方,职责\n物业,公共部位日常维修养护\n物业,按 54321 标准响应报修\n业委会,审核物业支出\n社区,指导监督业委会\n"), "--why", "联席会议议定增加响应标准").lastWord()
	if v1 != "1" || v2 != "2" {
		t.Fatalf("versions %s %s", v1, v2)
	}
	cur := ok(t, data, "meeting", "duties").stdout
	if !strings.Contains(cur, "第 2 版") || !strings.Contains(cur, "54321") {
		t.Errorf("current:\n%s", cur)
	}
	var old struct {
		Version int
		Date    string
		Who     string
		Why     string
		Items   []struct{ Party, Duty string }
	}
	if err := json.Unmarshal([]byte(ok(t, data, "meeting", "duties", "--version", "1", "--json").stdout), &old); err != nil || old.Version != 1 || len(old.Items) != 3 || old.Date != "2025-01-05" || old.Why != "首版" || old.Who == "" {
		t.Errorf("version 1: %+v %v", old, err)
	}
	fails(t, data, "meeting", "duties", "--version", "3")
	hist := ok(t, data, "meeting", "duties", "--history").stdout
	if !strings.Contains(hist, "首版") || !strings.Contains(hist, "增加响应标准") {
		t.Errorf("history:\n%s", hist)
	}
	out := filepath.Join(files, "duties.pdf")
	ok(t, data, "meeting", "duties", "--version", "1", "--pdf", out)
	tool := testtool.Require(t, "pdftotext")
	b, err := exec.Command(tool, "-enc", "UTF-8", out, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	if text := strings.Join(strings.Fields(string(b)), ""); !strings.Contains(text, "第1版") || !strings.Contains(text, "审核物业支出") || strings.Contains(text, "54321") {
		t.Errorf("the printed version 1:\n%s", text)
	}
}
