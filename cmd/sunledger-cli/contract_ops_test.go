package main

import (
	"encoding/json"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"
)

// Contract checks of the approval chains, the service standard, snapshots and backups
// as a script drives them (docs/cli.md): one-line errors, ids as the last word, --json
// only on stdout.

// TestCLI_RefusalWithASharedPassphraseFileIsOneLine: a passphrase file readable by
// others earns a warning when the command works, but a refused step still prints its
// one-line error and nothing else on stderr.
func TestCLI_RefusalWithASharedPassphraseFileIsOneLine(t *testing.T) {
	t.Parallel()
	data := chainCLI(t)
	tmp := t.TempDir()
	shared := filepath.Join(tmp, "pw")
	if err := os.WriteFile(shared, []byte("pw-张主任\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	id := asOK(t, data, "pw-王经办", "expense", "apply", "--as", "王经办", "--fund", "public", "--category", "cleaning",
		"--payee", "清洁公司", "--amount", "100", "--desc", "保洁").lastWord()
	r := fails(t, data, "expense", "pay", "--as", "张主任", "--id", id, "--passphrase-file", shared)
	if !strings.Contains(r.stderr, "只有财务委员") {
		t.Errorf("the chair paying: %q", r.stderr)
	}
	r = ok(t, data, "expense", "approve", "--as", "张主任", "--id", id, "--passphrase-file", shared)
	if !strings.Contains(r.stderr, "chmod 600") {
		t.Errorf("no warning on success: %q", r.stderr)
	}
	r = fails(t, data, "expense", "approve", "--as", "张主任", "--id", id, "--passphrase-file", shared)
	if !strings.Contains(r.stderr, "已经签过") {
		t.Errorf("second signature: %q", r.stderr)
	}
}

// TestCLI_ExpenseListUnknownStateIsRefused: a mistyped --state is an error, not an empty
// list that reads as "no such requests".
func TestCLI_ExpenseListUnknownStateIsRefused(t *testing.T) {
	t.Parallel()
	data := chainCLI(t)
	for _, s := range []string{"approve", "PAID", "已支付"} {
		r := fails(t, data, "expense", "list", "--json", "--state", s)
		if r.stdout != "" || !strings.Contains(r.stderr, "未知的状态") {
			t.Errorf("--state %s: stdout %q, stderr %q", s, r.stdout, r.stderr)
		}
	}
	if r := ok(t, data, "expense", "list", "--json", "--state", "paid"); strings.TrimSpace(r.stdout) != "[]" {
		t.Errorf("--state paid: %q", r.stdout)
	}
}

// TestCLI_KeysNewRefusesAShortPassphrase: the committee's signing key takes the same
// passphrase rule as a member's key and a backup, and a refusal writes no file.
func TestCLI_KeysNewRefusesAShortPassphrase(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	prefix := filepath.Join(dir, "业委会")
	r := as(t, dir, "ab", "keys", "new", "--out", prefix)
	if r.code == 0 || !strings.Contains(r.stderr, "口令太短") || strings.Count(strings.TrimSpace(r.stderr), "\n") != 0 {
		t.Fatalf("short passphrase: exit %d, stderr %q", r.code, r.stderr)
	}
	for _, p := range []string{prefix + ".key", prefix + ".pub"} {
		if _, err := os.Stat(p); err == nil {
			t.Errorf("%s was written", p)
		}
	}
}

// TestService_StatsMatchAnOracleAtLocalPeriodEdges drives `service new/step/stats` in
// Asia/Shanghai (UTC+8, where a month's first hours are the previous month in UTC) and
// compares `service stats --json` with counts made here from the inputs alone: requests
// registered in the period by local time; per step of 54321 (registered ≤ 5 min of the
// owner's report included), due and within with inclusive limits counted from the
// owner's report (--reported-at); overdue = not done, past its limit.
func TestService_StatsMatchAnOracleAtLocalPeriodEdges(t *testing.T) {
	t.Parallel()
	data := serviceBook(t, "54321")
	env := []string{"TZ=Asia/Shanghai"}
	cst := time.FixedZone("CST", 8*3600)
	type req struct {
		id      string
		at      time.Time
		complex bool
		done    map[string]time.Time
	}
	limits := map[string][2]time.Duration{ // small, complex; 0 = not held
		"registered": {5 * time.Minute, 5 * time.Minute}, "onsite": {40 * time.Minute, 40 * time.Minute}, "fixed": {3 * time.Hour, 0},
		"plan": {0, 48 * time.Hour}, "visit": {7 * 24 * time.Hour, 7 * 24 * time.Hour},
	}
	const layout = "2006-01-02T15:04"
	rng := rand.New(rand.NewPCG(12, 34))
	var reqs []req
	for i, at := range []string{"2026-03-31T23:59", "2026-04-01T00:00", "2026-06-30T23:59", "2026-07-01T00:00",
		"2026-01-01T00:00", "2025-12-31T23:59", "2026-04-01T07:59", "2026-04-01T08:00", "2026-05-15T12:00", "2026-06-10T18:30"} {
		reg := must(time.ParseInLocation(layout, at, cst))
		// the owner reported it 0–7 minutes before the registration (54321's five minutes
		// decide), and every limit counts from the report
		r := req{at: reg.Add(-time.Duration(rng.IntN(8)) * time.Minute), complex: i%3 == 2, done: map[string]time.Time{"registered": reg}}
		args := []string{"service", "new", "--unit", "1-1-101", "--kind", "repair", "--desc", "边界", "--at", at, "--reported-at", r.at.In(cst).Format(layout)}
		if r.complex {
			args = append(args, "--complex")
		}
		r.id = okEnv(t, data, env, args...).lastWord()
		// each step in its order: exactly at its limit, one minute late, early, or never
		// (and then none after it); never before the step before it
		prev := reg
	steps:
		for _, s := range []string{"onsite", "plan", "fixed", "visit"} {
			l := limits[s][0]
			if r.complex {
				l = limits[s][1]
			}
			if l == 0 {
				l = time.Hour // recorded though not held: counts nowhere
			}
			var d time.Duration
			switch rng.IntN(4) {
			case 0:
				d = l
			case 1:
				d = l + time.Minute
			case 2:
				d = time.Duration(rng.IntN(int(l/time.Minute))) * time.Minute
			default:
				if s == "plan" && !r.complex {
					continue // not a step of a small repair
				}
				break steps
			}
			when := r.at.Add(d)
			if when.Before(prev) {
				when = prev
			}
			okEnv(t, data, env, "service", "step", "--id", r.id, "--step", s, "--at", when.In(cst).Format(layout))
			r.done[s], prev = when, when
		}
		reqs = append(reqs, r)
	}
	type stepJSON struct {
		Due    int `json:"due"`
		Within int `json:"within"`
	}
	type statsJSON struct {
		Requests int                 `json:"requests"`
		Steps    map[string]stepJSON `json:"steps"`
		Overdue  []string            `json:"overdue"`
	}
	now := time.Now()
	for _, p := range []struct {
		period   string
		from, to time.Time
	}{
		{"2026-03", time.Date(2026, 3, 1, 0, 0, 0, 0, cst), time.Date(2026, 4, 1, 0, 0, 0, 0, cst)},
		{"2026-04", time.Date(2026, 4, 1, 0, 0, 0, 0, cst), time.Date(2026, 5, 1, 0, 0, 0, 0, cst)},
		{"2026Q2", time.Date(2026, 4, 1, 0, 0, 0, 0, cst), time.Date(2026, 7, 1, 0, 0, 0, 0, cst)},
		{"2026Q3", time.Date(2026, 7, 1, 0, 0, 0, 0, cst), time.Date(2026, 10, 1, 0, 0, 0, 0, cst)},
		{"2025-12", time.Date(2025, 12, 1, 0, 0, 0, 0, cst), time.Date(2026, 1, 1, 0, 0, 0, 0, cst)},
		{"2026", time.Date(2026, 1, 1, 0, 0, 0, 0, cst), time.Date(2027, 1, 1, 0, 0, 0, 0, cst)},
	} {
		want := statsJSON{Steps: map[string]stepJSON{}, Overdue: []string{}}
		for s := range limits {
			want.Steps[s] = stepJSON{}
		}
		for _, r := range reqs {
			if reg := r.done["registered"]; reg.Before(p.from) || !reg.Before(p.to) {
				continue
			}
			want.Requests++
			late := false
			for s, l := range limits {
				lim := l[0]
				if r.complex {
					lim = l[1]
				}
				if lim == 0 {
					continue
				}
				st, deadline := want.Steps[s], r.at.Add(lim)
				if at, done := r.done[s]; done {
					st.Due++
					if !at.After(deadline) {
						st.Within++
					}
				} else if now.After(deadline) {
					st.Due++
					late = true
				}
				want.Steps[s] = st
			}
			if late {
				want.Overdue = append(want.Overdue, r.id)
			}
		}
		sort.Strings(want.Overdue)
		var got statsJSON
		out := okEnv(t, data, env, "service", "stats", "--period", p.period, "--json").stdout
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatalf("%s: %v\n%s", p.period, err, out)
		}
		if got.Overdue == nil {
			got.Overdue = []string{}
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: got %+v\nwant %+v", p.period, got, want)
		}
	}
}

// TestCLI_MembersApproveEndsWithTheIdOnAnEncryptedBook: when a removal takes effect on
// an encrypted book, the key-slot and key-change lines come before the line that ends
// with the change's id, which stays the last word of the output.
func TestCLI_MembersApproveEndsWithTheIdOnAnEncryptedBook(t *testing.T) {
	slow(t, "an encrypted book: argon2id on every command")
	t.Parallel()
	data := t.TempDir()
	env := []string{"SUNLEDGER_PASSPHRASE=pw-encrypted-1", "SUNLEDGER_AS=甲"}
	okEnv(t, data, env, "init", "--name", "加密小区", "--encrypt", "--as", "甲")
	for _, m := range [][2]string{{"甲", "chair"}, {"乙", "treasurer"}, {"丙", "member"}, {"丁", "member"}} {
		okEnv(t, data, env, "members", "add", "--name", m[0], "--role", m[1])
	}
	okEnv(t, data, env, "members", "seal")
	id := okEnv(t, data, env, "members", "remove", "--name", "丁", "--reason", "辞职").lastWord()
	if r := okEnv(t, data, env, "members", "approve", "--as", "甲", "--id", id); r.lastWord() != id {
		t.Errorf("first signature: last word %q, want %s\n%s", r.lastWord(), id, r.stdout)
	}
	r := okEnv(t, data, env, "members", "approve", "--as", "乙", "--id", id)
	if r.lastWord() != id || !strings.Contains(r.stdout, "已生效") || !strings.Contains(r.stdout, "密钥槽") {
		t.Errorf("the signature that takes effect: last word %q, want %s\n%s", r.lastWord(), id, r.stdout)
	}
}

// TestCLI_PassphraseFileWithABOMIsTheSamePassphrase: a passphrase file saved by Notepad
// as UTF-8 with a byte-order mark and CRLF holds the same passphrase as the variable.
func TestCLI_PassphraseFileWithABOMIsTheSamePassphrase(t *testing.T) {
	t.Parallel()
	data := chainCLI(t)
	pf := writeFile(t, t.TempDir(), "pw.txt", "\ufeffpw-张主任\r\n")
	id := asOK(t, data, "pw-王经办", "expense", "apply", "--as", "王经办", "--fund", "public", "--category", "cleaning",
		"--payee", "清洁公司", "--amount", "100", "--desc", "保洁").lastWord()
	if r := ok(t, data, "expense", "approve", "--as", "张主任", "--id", id, "--passphrase-file", pf); r.lastWord() != id {
		t.Errorf("approve printed %q", r.stdout)
	}
}

// TestService_IdsAreReadLikeExpenseIds: a request id typed in lower case names the
// request, as an expense or roster-change id does.
func TestService_IdsAreReadLikeExpenseIds(t *testing.T) {
	t.Parallel()
	data := serviceBook(t, "54321")
	id := ok(t, data, "service", "new", "--unit", "1-1-101", "--kind", "repair", "--desc", "漏水", "--at", "2026-03-02T09:15").lastWord()
	ok(t, data, "service", "step", "--id", " "+strings.ToLower(id), "--step", "onsite", "--at", "2026-03-02T09:40")
	fails(t, data, "service", "step", "--id", id, "--step", "onsite", "--at", "2026-03-02T09:41")
}
