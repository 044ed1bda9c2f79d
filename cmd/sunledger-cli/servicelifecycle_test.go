package main

import (
	"encoding/json"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"sunledger/internal/testtool"
)

type stepCount struct {
	Due    int `json:"due"`
	Within int `json:"within"`
}

type statsOut struct {
	Requests int                  `json:"requests"`
	Steps    map[string]stepCount `json:"steps"`
	Overdue  []string             `json:"overdue"`
}

func serviceStatsOf(t *testing.T, data, period string) (statsOut, string) {
	t.Helper()
	out := ok(t, data, "service", "stats", "--period", period, "--json").stdout
	var st statsOut
	if err := json.Unmarshal([]byte(out), &st); err != nil {
		t.Fatalf("%s: %v\n%s", period, err, out)
	}
	return st, out
}

// TestService_TheOwnersClockAndDatedStandardsThroughTheBinary drives the contract of
// FORMATS' service rows: limits count from --reported-at (else --at), 54321's
// "registered" is the 5 minutes from the report to the registration, a change of
// standard needs --from and never re-judges requests reported before it, and the stats
// keys are the steps the standards limit (registered for 54321, answered for wuhan).
func TestService_TheOwnersClockAndDatedStandardsThroughTheBinary(t *testing.T) {
	data := serviceBook(t, "54321")
	fails(t, data, "service", "standard", "--preset", "wuhan") // a change needs --from
	newReq := func(args ...string) string {
		t.Helper()
		return ok(t, data, append([]string{"service", "new", "--unit", "1-1-101", "--kind", "repair", "--desc", "漏水"}, args...)...).lastWord()
	}
	step := func(id, s, at string) {
		t.Helper()
		ok(t, data, "service", "step", "--id", id, "--step", s, "--at", at)
	}
	// reported 09:00, registered 09:05: registered within; on site 09:40 = 40 min from the report
	a := newReq("--reported-at", "2026-08-03T09:00", "--at", "2026-08-03T09:05", "--channel", "phone", "--reporter", "张三丰")
	step(a, "onsite", "2026-08-03T09:40")
	step(a, "fixed", "2026-08-03T12:00")
	ok(t, data, "service", "step", "--id", a, "--step", "visit", "--at", "2026-08-10T09:00", "--rating", "4")
	// reported 09:00, registered 09:06: late by a minute; on site 09:41: late, though 35 min after --at
	b := newReq("--reported-at", "2026-08-04T09:00", "--at", "2026-08-04T09:06", "--channel", "wechat")
	step(b, "onsite", "2026-08-04T09:41")
	step(b, "fixed", "2026-08-04T12:01")
	// no --reported-at: the clock starts at --at
	c := newReq("--at", "2026-09-30T23:58", "--channel", "committee")
	step(c, "onsite", "2026-10-01T00:38")
	// reported in Q3 under 54321, registered in Q4 after the change to wuhan: judged by 54321
	d := newReq("--reported-at", "2026-09-30T23:57", "--at", "2026-10-01T00:01")
	for _, bad := range [][]string{
		{"--reported-at", "2026-08-03T09:06", "--at", "2026-08-03T09:05"}, // report after registration
		{"--at", "2026-08-03T09:05", "--channel", "email"},
		{"--at", "2026-08-03T09:05", "--reported-at", "yesterday"},
	} {
		fails(t, data, append([]string{"service", "new", "--unit", "1-1-101", "--kind", "repair", "--desc", "x"}, bad...)...)
	}

	q3, q3json := serviceStatsOf(t, data, "2026Q3")
	want := statsOut{Requests: 3, Steps: map[string]stepCount{
		"registered": {3, 2}, "onsite": {3, 2}, "fixed": {3, 1}, "plan": {}, "visit": {3, 1},
	}, Overdue: []string{b, c}}
	if !reflect.DeepEqual(q3, want) {
		t.Fatalf("2026Q3 under 54321:\n got %+v\nwant %+v", q3, want)
	}

	// the change: from 2026-10-01, wuhan; a past date is allowed and audited
	out := ok(t, data, "service", "standard", "--preset", "wuhan", "--from", "2026-10-01", "--why", "业主大会决定").stdout
	if !strings.Contains(out, "2026-10-01") {
		t.Errorf("standard said %q", out)
	}
	if _, again := serviceStatsOf(t, data, "2026Q3"); again != q3json {
		t.Errorf("changing the standard re-judged 2026Q3:\nbefore %s\nafter  %s", q3json, again)
	}
	if audit := ok(t, data, "audit").stdout; !strings.Contains(audit, "from 2026-10-01: wuhan") || !strings.Contains(audit, "业主大会决定") {
		t.Errorf("the change is not in the audit log:\n%s", audit)
	}
	e := newReq("--reported-at", "2026-10-12T10:00", "--at", "2026-10-12T10:30", "--channel", "counter")
	fails(t, data, "service", "step", "--id", e, "--step", "fixed", "--at", "2026-10-12T10:31") // on site first
	step(e, "answered", "2026-10-12T10:30")                                                     // 30 min from the report: late
	step(e, "onsite", "2026-10-12T10:30")                                                       // exactly 30 min: within
	step(e, "fixed", "2026-10-12T14:00")                                                        // exactly 4 h: within
	q4, _ := serviceStatsOf(t, data, "2026Q4")
	want = statsOut{Requests: 2, Steps: map[string]stepCount{
		// e under wuhan; d under 54321 (reported on 2026-09-30): registered 4 min, nothing else done
		"answered": {1, 0}, "onsite": {2, 1}, "fixed": {2, 1}, "registered": {1, 1}, "plan": {}, "visit": {1, 0},
	}, Overdue: []string{d}}
	if !reflect.DeepEqual(q4, want) {
		t.Errorf("2026Q4:\n got %+v\nwant %+v", q4, want)
	}
	list := ok(t, data, "service", "list", "--period", "2026Q4", "--json").stdout
	var rows []struct {
		ID, Standard, Channel string
		ReportedAt            string `json:"reported_at"`
	}
	if err := json.Unmarshal([]byte(list), &rows); err != nil || len(rows) != 2 {
		t.Fatalf("list: %v %s", err, list)
	}
	if rows[0].ID != d || rows[0].Standard != "54321" || rows[1].Standard != "wuhan" || rows[1].Channel != "counter" || rows[1].ReportedAt != "2026-10-12T10:00" {
		t.Errorf("list rows: %+v", rows)
	}
	shown := ok(t, data, "service", "standard").stdout
	if !strings.Contains(shown, "自 2026-10-01 起报告的请求：wuhan") || !strings.Contains(shown, "全部请求：54321") {
		t.Errorf("service standard shows:\n%s", shown)
	}
	fails(t, data, "service", "standard", "--preset", "54321", "--from", "2026-13-01")

	// The quarter's score: service 6 of 12 steps within = 50, the one rating 4 = 75;
	// (40·50 + 20·75) / 60 = 58.33; the service report publishes it.
	var comp struct {
		Score string `json:"score"`
	}
	if err := json.Unmarshal([]byte(ok(t, data, "assessment", "compute", "--quarter", "2026Q3", "--json").stdout), &comp); err != nil || comp.Score != "58.33" {
		t.Errorf("2026Q3 score %+v %v", comp, err)
	}

	// The reporter's name stays on the laptop: not on the service report.
	pdftotext := testtool.Require(t, "pdftotext")
	pdf := filepath.Join(t.TempDir(), "s.pdf")
	ok(t, data, "report", "service", "--period", "2026Q3", "--out", pdf)
	text, err := exec.Command(pdftotext, pdf, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(text), "张三丰") {
		t.Errorf("the reporter's name is on the service report")
	}
	for _, w := range []string{"登记", "5分钟", "2026Q3 物业服务考核得分", "58.33", "业主评价", "75.00"} {
		if !strings.Contains(string(text), w) {
			t.Errorf("the service report lacks %q:\n%s", w, text)
		}
	}
}

// TestService_LifecycleThroughTheBinary: steps in order, handler, notes, reopen,
// escalation and the owner's sign-off, each refusal writing nothing.
func TestService_LifecycleThroughTheBinary(t *testing.T) {
	data := serviceBook(t, "54321")
	id := ok(t, data, "service", "new", "--unit", "1-1-102", "--kind", "repair", "--desc", "卫生间漏水",
		"--reported-at", "2026-05-06T08:00", "--at", "2026-05-06T08:03", "--channel", "counter", "--reporter", "李四", "--handler", "王师傅").lastWord()
	other := ok(t, data, "service", "new", "--unit", "1-1-101", "--kind", "complaint", "--desc", "噪音", "--at", "2026-05-06T09:00").lastWord()
	before := ok(t, data, "service", "show", "--id", id, "--json").stdout
	for _, args := range [][]string{
		{"service", "step", "--id", id, "--step", "fixed", "--at", "2026-05-06T09:00"}, // before on site
		{"service", "step", "--id", id, "--step", "visit", "--at", "2026-05-06T09:00"}, // before the fix
		{"service", "signoff", "--id", id, "--slip", "No.1"},                           // not fixed
		{"service", "reopen", "--id", id, "--why", "x"},                                // not fixed
		{"service", "note", "--id", id, "--text", " "},
		{"service", "assign", "--id", "S000099", "--handler", "x"},
		{"service", "step", "--id", id, "--step", "onsite", "--at", "2026-05-06T08:02"}, // before the registration
	} {
		fails(t, data, args...)
	}
	if after := ok(t, data, "service", "show", "--id", id, "--json").stdout; after != before {
		t.Fatalf("a refusal changed the request:\n%s\n%s", before, after)
	}
	ok(t, data, "service", "step", "--id", id, "--step", "onsite", "--at", "2026-05-06T08:30", "--note", "阀门老化")
	ok(t, data, "service", "step", "--id", id, "--step", "fixed", "--at", "2026-05-06T10:00")
	ok(t, data, "service", "note", "--id", id, "--text", "业主下午在家")
	ok(t, data, "service", "reopen", "--id", id, "--why", "业主说还在漏", "--at", "2026-05-07T09:00")
	fails(t, data, "service", "step", "--id", id, "--step", "visit", "--at", "2026-05-07T10:00") // the fix was undone
	r := ok(t, data, "service", "escalate", "--overdue").stdout
	if !strings.Contains(r, id) || !strings.Contains(r, other) {
		t.Errorf("escalate --overdue: %s", r)
	}
	fails(t, data, "service", "escalate", "--id", id, "--why", "again")
	if agenda := ok(t, data, "service", "list", "--escalated").stdout; !strings.Contains(agenda, id) || !strings.Contains(agenda, other) {
		t.Errorf("the agenda lacks the escalated requests:\n%s", agenda)
	}
	if r := ok(t, data, "service", "escalate", "--overdue").stdout; strings.Contains(r, id) {
		t.Errorf("escalated twice: %s", r)
	}
	ok(t, data, "service", "step", "--id", id, "--step", "fixed", "--at", "2026-05-07T11:00")
	ok(t, data, "service", "signoff", "--id", id, "--slip", "No.0042", "--at", "2026-05-07T11:30")
	fails(t, data, "service", "reopen", "--id", id, "--why", "又漏了", "--at", "2026-05-08T09:00")
	ok(t, data, "service", "step", "--id", id, "--step", "visit", "--at", "2026-05-08T09:00", "--rating", "4")

	var got struct {
		Handler    string `json:"handler"`
		Channel    string `json:"channel"`
		ReportedAt string `json:"reported_at"`
		Steps      []struct {
			Step, Note string
		} `json:"steps"`
		Superseded []struct{ Step string } `json:"superseded"`
		Events     []struct{ Kind, Text, Slip string }
		Standard   string `json:"standard"`
	}
	if err := json.Unmarshal([]byte(ok(t, data, "service", "show", "--id", id, "--json").stdout), &got); err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, e := range got.Events {
		kinds = append(kinds, e.Kind)
	}
	if got.Handler != "王师傅" || got.Channel != "counter" || len(got.Steps) != 3 || got.Steps[0].Note != "阀门老化" || len(got.Superseded) != 1 ||
		!reflect.DeepEqual(kinds, []string{"note", "reopen", "escalate", "signoff"}) || got.Events[3].Slip != "No.0042" || !strings.HasPrefix(got.Standard, "54321") {
		t.Errorf("show: %+v", got)
	}
	// the fix, first in 2 h from the report, then again a day later: late; the report is 08:00
	st, _ := serviceStatsOf(t, data, "2026-05")
	if st.Steps["fixed"] != (stepCount{2, 0}) || st.Steps["registered"] != (stepCount{2, 2}) {
		t.Errorf("stats after the reopen: %+v", st)
	}
	text := ok(t, data, "service", "show", "--id", id).stdout
	for _, w := range []string{"已撤销", "业主签字确认", "No.0042", "王师傅", "李四"} {
		if !strings.Contains(text, w) {
			t.Errorf("show lacks %q:\n%s", w, text)
		}
	}
	if audit := ok(t, data, "audit").stdout; !strings.Contains(audit, "service.reopen") || !strings.Contains(audit, "service.signoff") {
		t.Errorf("audit lacks the lifecycle")
	}

	// the slip the owner keeps: its number, the limits from the report, no name
	pdf := filepath.Join(t.TempDir(), "slip.pdf")
	if r := ok(t, data, "report", "service-slip", "--id", id, "--out", pdf); r.lastWord() != pdf {
		t.Errorf("report service-slip said %q", r.stdout)
	}
	slip, err := exec.Command(testtool.Require(t, "pdftotext"), pdf, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"服务请求回执单", id, "1-1-102", "2026-05-06 08:40", "业主签字确认"} {
		if !strings.Contains(string(slip), w) {
			t.Errorf("the slip lacks %q:\n%s", w, slip)
		}
	}
	if strings.Contains(string(slip), "李四") {
		t.Errorf("the slip names the reporter")
	}
	fails(t, data, "report", "service-slip", "--id", "S000099", "--out", pdf)
}
