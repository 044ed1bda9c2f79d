package main

import (
	"encoding/json"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"sunledger/internal/testtool"
)

// TestCLI_SurveyEntriesDiffResolveResultAndAssessment keys a survey's sheets twice with
// one difference, resolves it from the paper, reads the result as JSON and as the
// notice PDF, then computes the quarter's assessment from it and overrides it.
func TestCLI_SurveyEntriesDiffResolveResultAndAssessment(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	data := filepath.Join(dir, "book")
	ok(t, data, "init", "--name", "测试小区")
	ok(t, data, "units", "import", writeFile(t, dir, "reg.csv", voteRegister))
	ok(t, data, "settings", "--office-phone", "0519-88886666") // the result notice is public
	fails(t, data, "survey", "new", "--title", "x", "--quarter", "2026Q3", "--question", "保洁:0")
	fails(t, data, "survey", "new", "--title", "x", "--quarter", "2026Q3", "--question", "保洁:1", "--scale", "好=5")
	r := ok(t, data, "survey", "new", "--title", "2026年三季度满意度调查", "--quarter", "2026q3", "--question", "保洁:2", "--question", "维修:1", "--scale", "满意=5,基本满意=3,不满意=0")
	id := r.lastWord()
	if id != "Q0001" {
		t.Fatalf("id %q from %q", id, r.stdout)
	}
	a := "答卷编号,房号,问题1,问题2\n1,1-1-101,满意,满意\n2,1-1-102,不满意,\n3,1-1-201,基本满意,满意\n"
	b := strings.Replace(a, "2,1-1-102,不满意", "2,1-1-102,基本满意", 1)
	ok(t, data, "survey", "enter", "--survey", id, "--entry", "A", writeFile(t, dir, "a.csv", a))
	ok(t, data, "survey", "enter", "--survey", id, "--entry", "B", writeFile(t, dir, "b.csv", b))
	f := fails(t, data, "survey", "enter", "--survey", id, "--entry", "B", writeFile(t, dir, "c.csv", "答卷编号,房号,问题1,问题2\n9,1-1-202,很好,\n"))
	if !strings.Contains(f.stderr, "第 2 行") {
		t.Errorf("an answer off the scale: the error lacks the row: %s", f.stderr)
	}
	var diffs []map[string]any
	if err := json.Unmarshal([]byte(ok(t, data, "survey", "diff", "--survey", id, "--json").stdout), &diffs); err != nil {
		t.Fatal(err)
	}
	if len(diffs) != 1 || diffs[0]["ballot"] != "2" || diffs[0]["field"] != "q1" || diffs[0]["a"] != "不满意" || diffs[0]["b"] != "基本满意" {
		t.Fatalf("diffs %v", diffs)
	}
	if out := ok(t, data, "survey", "diff", "--survey", id).stdout; !strings.Contains(out, "问题1") || !strings.Contains(out, "1 份答卷尚未核对一致") {
		t.Fatalf("diff table:\n%s", out)
	}
	fails(t, data, "survey", "resolve", "--survey", id, "--sheet", "2", "--q", "1=很好")
	fails(t, data, "survey", "resolve", "--survey", id, "--sheet", "44", "--q", "1=满意")
	ok(t, data, "survey", "resolve", "--survey", id, "--sheet", "2", "--from", "B", "--note", "原卷勾选基本满意")

	var res struct {
		Total         string   `json:"total"`
		Participation string   `json:"participation"`
		Returned      int      `json:"returned"`
		Unreconciled  []string `json:"unreconciled"`
		Questions     []struct {
			Score string `json:"score"`
		} `json:"questions"`
	}
	if err := json.Unmarshal([]byte(ok(t, data, "survey", "result", "--survey", id, "--json").stdout), &res); err != nil {
		t.Fatal(err)
	}
	// q1 = (5+3+3)/3/5·100 = 73.33…, q2 = 100; total = (2·73.33…+100)/3 = 82.22
	if res.Total != "82.22" || res.Returned != 3 || res.Participation != "42.86" || len(res.Unreconciled) != 0 || res.Questions[0].Score != "73.33" {
		t.Fatalf("result %+v", res)
	}
	if out := ok(t, data, "survey", "list").stdout; !strings.Contains(out, "82.22") || !strings.Contains(out, "3/7") {
		t.Fatalf("list:\n%s", out)
	}

	pdf := filepath.Join(dir, "survey.pdf")
	ok(t, data, "survey", "result", "--survey", id, "--out", pdf)
	text, err := exec.Command(testtool.Require(t, "pdftotext"), "-layout", pdf, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"满意度调查 结果公示", "82.22", "73.33", "参与率", "42.86%", "公示期"} {
		if !strings.Contains(string(text), want) {
			t.Errorf("the PDF lacks %q", want)
		}
	}
	for _, owner := range []string{"张三", "李四", "王五"} {
		if strings.Contains(string(text), owner) {
			t.Errorf("the PDF names the owner %s", owner)
		}
	}

	fails(t, data, "assessment", "weights", "--survey", "50")
	ok(t, data, "assessment", "weights", "--survey", "50", "--service", "30", "--committee", "20", "--why", "业主大会决定")
	var comp struct {
		Score string `json:"score"`
		Basis struct {
			Components []struct {
				Name         string `json:"name"`
				Present      bool   `json:"present"`
				Contribution string `json:"contribution"`
			} `json:"components"`
		} `json:"basis"`
	}
	// No service request this quarter: survey 50 × 82.22 and committee 20 × 90 over 70.
	if err := json.Unmarshal([]byte(ok(t, data, "assessment", "compute", "--quarter", "2026Q3", "--item", "安保:1:90", "--json").stdout), &comp); err != nil {
		t.Fatal(err)
	}
	if comp.Score != "84.44" || len(comp.Basis.Components) != 4 || comp.Basis.Components[1].Present || comp.Basis.Components[2].Present {
		t.Fatalf("computed %+v", comp)
	}
	// participation 42.86 % is below a minimum of 50 %: the survey is unreliable and left out
	ok(t, data, "assessment", "weights", "--min-participation", "50", "--why", "业主大会决定")
	var thin struct {
		Score string `json:"score"`
		Basis struct {
			Components []struct {
				Present    bool `json:"present"`
				Unreliable bool `json:"unreliable"`
			} `json:"components"`
		} `json:"basis"`
	}
	if err := json.Unmarshal([]byte(ok(t, data, "assessment", "compute", "--quarter", "2026Q3", "--item", "安保:1:90", "--json").stdout), &thin); err != nil {
		t.Fatal(err)
	}
	if thin.Score != "90.00" || thin.Basis.Components[0].Present || !thin.Basis.Components[0].Unreliable {
		t.Fatalf("a survey below the minimum participation: %+v", thin)
	}
	ok(t, data, "assessment", "weights", "--min-participation", "30", "--why", "恢复")
	ok(t, data, "assessment", "compute", "--quarter", "2026Q3", "--item", "安保:1:90")
	// never before the quarter has ended
	now := time.Now()
	current := fmt.Sprintf("%dQ%d", now.Year(), (int(now.Month())-1)/3+1)
	for _, q := range []string{current, "2099Q1"} {
		fails(t, data, "assessment", "compute", "--quarter", q, "--item", "安保:1:90")
		fails(t, data, "assessment", "add", "--quarter", q, "--item", "安保:1:90")
	}
	if out := ok(t, data, "assessment", "list").stdout; !strings.Contains(out, "84.44") {
		t.Fatalf("assessment list:\n%s", out)
	}
	fails(t, data, "assessment", "override", "--quarter", "2026Q3", "--score", "88")
	fails(t, data, "assessment", "override", "--quarter", "2026Q4", "--score", "88", "--why", "x")
	ok(t, data, "assessment", "override", "--quarter", "2026Q3", "--score", "88", "--why", "业委会复核调查后上调")
	if out := ok(t, data, "assessment", "list", "--json").stdout; !strings.Contains(out, `"score": "88.00"`) {
		t.Fatalf("override not applied:\n%s", out)
	}
	if out := ok(t, data, "audit").stdout; !strings.Contains(out, "业委会复核调查后上调") {
		t.Fatalf("the override is not in the audit log:\n%s", out)
	}
}
