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

// TestMeeting_DecisionsLinkRequestsAndExpensesBothWaysAndMinutesHaveASignInSheet: a
// decision names the service request and the expense it is about; each of them lists
// the decision back; the minutes print the sign-in sheet with the attendees' names.
func TestMeeting_DecisionsLinkRequestsAndExpensesBothWaysAndMinutesHaveASignInSheet(t *testing.T) {
	data := chainCLI(t)
	ok(t, data, "units", "import", writeFile(t, t.TempDir(), "u.csv", "unit,kind,area,owner_id,owner_name\n1-1-101,residential,88,O1,张三\n"))
	sid := ok(t, data, "service", "new", "--unit", "1-1-101", "--kind", "complaint", "--desc", "车库漏水", "--at", "2026-03-02T09:00", "--reporter", "张三").lastWord()
	eid := asOK(t, data, "pw-王经办", "expense", "apply", "--as", "王经办", "--fund", "public", "--category", "upkeep",
		"--payee", "防水公司", "--amount", "1200", "--desc", "车库防水").lastWord()
	mid := ok(t, data, "meeting", "new", "--date", "2026-03-10", "--place", "社区会议室",
		"--attend", "社区:王网格:网格员", "--attend", "业委会:孙主任", "--attend", "物业:赵经理:项目经理", "--issue", "车库漏水").lastWord()
	fails(t, data, "meeting", "decide", "--meeting", mid, "--text", "x", "--party", "物业", "--due", "2026-04-01", "--request", "S000099")
	fails(t, data, "meeting", "decide", "--meeting", mid, "--text", "x", "--party", "物业", "--due", "2026-04-01", "--expense", "E000099")
	did := ok(t, data, "meeting", "decide", "--meeting", mid, "--text", "物业三周内完成车库防水", "--party", "物业", "--due", "2026-03-31",
		"--issue", "1", "--request", strings.ToLower(sid), "--expense", eid).lastWord()

	var show struct {
		Decisions []string `json:"decisions"`
	}
	if err := json.Unmarshal([]byte(ok(t, data, "service", "show", "--id", sid, "--json").stdout), &show); err != nil || !reflect.DeepEqual(show.Decisions, []string{did}) {
		t.Errorf("service show decisions %v %v", show.Decisions, err)
	}
	var xs []struct {
		ID        string   `json:"id"`
		Decisions []string `json:"decisions"`
	}
	if err := json.Unmarshal([]byte(ok(t, data, "expense", "list", "--json").stdout), &xs); err != nil || len(xs) != 1 || !reflect.DeepEqual(xs[0].Decisions, []string{did}) {
		t.Errorf("expense list decisions %+v %v", xs, err)
	}
	var m struct {
		Decisions []struct {
			Requests []string `json:"requests"`
			Expenses []string `json:"expenses"`
		} `json:"decisions"`
	}
	if err := json.Unmarshal([]byte(ok(t, data, "meeting", "show", "--meeting", mid, "--json").stdout), &m); err != nil || len(m.Decisions) != 1 ||
		!reflect.DeepEqual(m.Decisions[0].Requests, []string{sid}) || !reflect.DeepEqual(m.Decisions[0].Expenses, []string{eid}) {
		t.Errorf("meeting show %+v %v", m, err)
	}

	pdf := filepath.Join(t.TempDir(), "minutes.pdf")
	if r := ok(t, data, "meeting", "minutes", "--meeting", mid, "--out", pdf); r.lastWord() != pdf {
		t.Errorf("minutes said %q", r.stdout)
	}
	text, err := exec.Command(testtool.Require(t, "pdftotext"), pdf, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"联席会议纪要", "签到表", "王网格", "孙主任", "赵经理", "签到（本人签字）", did, sid, eid} {
		if !strings.Contains(string(text), w) {
			t.Errorf("the minutes lack %q:\n%s", w, text)
		}
	}
}
