package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// serviceBook is a book with two units and the given standard.
func serviceBook(t *testing.T, preset string) string {
	t.Helper()
	data, files := t.TempDir(), t.TempDir()
	ok(t, data, "init", "--name", "阳光花园")
	noticeSettings(t, data)
	ok(t, data, "units", "import", writeFile(t, files, "u.csv", "unit,kind,area,owner_id\n1-1-101,residential,88,O1\n1-1-102,residential,90,O2\n"))
	ok(t, data, "service", "standard", "--preset", preset)
	return data
}

func TestService_StatsJSONMatchesTheStandardsLimits(t *testing.T) {
	t.Parallel()
	data := serviceBook(t, "54321")
	newReq := func(args ...string) string {
		t.Helper()
		return ok(t, data, append([]string{"service", "new"}, args...)...).lastWord()
	}
	a := newReq("--unit", "1-1-101", "--kind", "repair", "--desc", "水管漏水", "--at", "2026-03-02T09:00")
	b := newReq("--unit", "1-1-102", "--kind", "complaint", "--complex", "--desc", "电梯噪音", "--at", "2026-03-05T10:00")
	c := newReq("--unit", "1-1-101", "--kind", "enquiry", "--desc", "停车", "--at", "2026-02-10T08:00")
	if a != "S000001" || b != "S000002" || c != "S000003" {
		t.Fatalf("ids %s %s %s", a, b, c)
	}
	photo := writeFile(t, t.TempDir(), "漏水.jpg", "\xff\xd8\xff photo bytes")
	d := newReq("--unit", "1-1-102", "--kind", "repair", "--desc", "照片", "--at", "2025-12-01T08:00", "--attach", photo)
	saved := filepath.Join(t.TempDir(), "out.jpg")
	ok(t, data, "service", "photo", "--id", d, "--out", saved)
	if b, _ := os.ReadFile(saved); string(b) != "\xff\xd8\xff photo bytes" {
		t.Errorf("photo came back as %q", b)
	}
	fails(t, data, "service", "photo", "--id", d, "--n", "2", "--out", saved)
	fails(t, data, "service", "new", "--unit", "1-1-102", "--kind", "repair", "--desc", "x", "--at", "2025-12-01T08:00", "--attach", "/nonexistent.jpg")
	step := func(id, s, at string, more ...string) {
		ok(t, data, append([]string{"service", "step", "--id", id, "--step", s, "--at", at}, more...)...)
	}
	step(a, "onsite", "2026-03-02T09:40") // exactly 40 min: within
	step(a, "fixed", "2026-03-02T12:01")  // 3 h 1 min: late
	step(a, "visit", "2026-03-09T09:00", "--rating", "4")
	step(b, "onsite", "2026-03-05T10:41")
	step(b, "plan", "2026-03-07T10:00") // exactly 2 days
	step(c, "onsite", "2026-02-10T08:30")
	step(c, "fixed", "2026-02-10T10:00")

	// refusals, each changing nothing
	before := ok(t, data, "service", "list", "--json").stdout
	for _, args := range [][]string{
		{"service", "new", "--unit", "9-9-999", "--kind", "repair", "--desc", "x", "--at", "2026-03-02T09:00"},
		{"service", "new", "--unit", "1-1-101", "--kind", "praise", "--desc", "x", "--at", "2026-03-02T09:00"},
		{"service", "new", "--unit", "1-1-101", "--kind", "repair", "--desc", "x", "--at", "2026-03-02 9am"},
		{"service", "step", "--id", c, "--step", "visit", "--at", "2026-02-10T09:59"},
		{"service", "step", "--id", c, "--step", "visit", "--at", "2026-02-11T09:00", "--rating", "6"},
		{"service", "step", "--id", c, "--step", "visit", "--at", "2026-02-11T09:00", "--rating", "0"},
		{"service", "step", "--id", "S000099", "--step", "visit", "--at", "2026-02-11T09:00"},
		{"service", "standard", "--preset", "beijing"},
	} {
		fails(t, data, args...)
	}
	if after := ok(t, data, "service", "list", "--json").stdout; after != before {
		t.Errorf("a refused command changed the requests")
	}

	var got struct {
		Requests int                                  `json:"requests"`
		Steps    map[string]struct{ Due, Within int } `json:"steps"`
		Overdue  []string                             `json:"overdue"`
	}
	out := ok(t, data, "service", "stats", "--period", "2026Q1", "--json").stdout
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	var keys map[string]json.RawMessage
	_ = json.Unmarshal([]byte(out), &keys)
	if len(keys) != 3 {
		t.Errorf("stats JSON has keys beyond requests, steps, overdue: %s", out)
	}
	want := map[string]struct{ Due, Within int }{
		"registered": {3, 3}, "onsite": {3, 2}, "fixed": {2, 1}, "plan": {1, 1}, "visit": {3, 1},
	}
	if got.Requests != 3 || !reflect.DeepEqual(got.Steps, want) || !reflect.DeepEqual(got.Overdue, []string{b, c}) {
		t.Errorf("2026Q1: %s", out)
	}
	out = ok(t, data, "service", "stats", "--period", "2026-03", "--json").stdout
	if !strings.Contains(out, `"requests": 2`) {
		t.Errorf("2026-03: %s", out)
	}
	text := ok(t, data, "service", "stats", "--period", "2026Q1").stdout
	for _, s := range []string{"报修 1", "投诉 1", "咨询 1", "中位用时", "66.7%", "S000002 S000003"} {
		if !strings.Contains(text, s) {
			t.Errorf("stats text lacks %q:\n%s", s, text)
		}
	}

	// A book with no journal entry yet still prints its service report (账本链头：空账本).
	pdf := filepath.Join(t.TempDir(), "service.pdf")
	if r := ok(t, data, "report", "service", "--period", "2026Q1", "--out", pdf); r.lastWord() != pdf {
		t.Errorf("report service said %q", r.stdout)
	}
	if b, err := os.ReadFile(pdf); err != nil || !strings.HasPrefix(string(b), "%PDF") {
		t.Errorf("no PDF written: %v", err)
	}
	fails(t, data, "report", "service", "--period", "2026Q9", "--out", pdf)

	fails(t, data, "service", "standard", "--step", "onsite=1h", "--step", "fixed=1d", "--name", "本小区") // a change needs --from
	ok(t, data, "service", "standard", "--step", "onsite=1h", "--step", "fixed=1d", "--name", "本小区", "--from", "2026-01-01")
	out = ok(t, data, "service", "stats", "--period", "2026Q1", "--json").stdout
	got.Steps = nil
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.Steps, map[string]struct{ Due, Within int }{"onsite": {3, 3}, "fixed": {3, 2}}) || !reflect.DeepEqual(got.Overdue, []string{b}) {
		t.Errorf("custom standard: %s", out)
	}
}
