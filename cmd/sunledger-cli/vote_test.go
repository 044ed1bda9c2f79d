package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
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
	dir := t.TempDir()
	data := filepath.Join(dir, "book")
	ok(t, data, "init", "--name", "测试小区")
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
