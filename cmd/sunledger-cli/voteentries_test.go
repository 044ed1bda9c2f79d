package main

import (
	"encoding/json"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// TestCLI_VoteEntriesMatchByBallotNumberWhateverTheSpelling keys the same papers twice as
// two people would: entry A with Chinese headers, Chinese choice words, zero-padded and
// full-width ballot numbers; entry B with English headers in another column order,
// English codes in any case and stray spaces. Papers match by ballot number
// (docs/formats.md "Ballot transcription file"), so only the real differences are listed
// and everything else is counted: a paper in one entry only, a choice keyed differently,
// a proxy keyed by one side only.
func TestCLI_VoteEntriesMatchByBallotNumberWhateverTheSpelling(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	data := filepath.Join(dir, "book")
	ok(t, data, "init", "--name", "双录")
	ok(t, data, "units", "import", writeFile(t, dir, "reg.csv", voteRegister))
	id := ok(t, data, "vote", "new", "--title", "双录", "--matters", writeFile(t, dir, "m.csv", "序号,事项,类型\n1,甲,一般\n2,乙,重大\n")).lastWord()
	a := "票号,房号,事项1,事项2,无效原因,代理人\n" +
		"0001,1-1-101,同意,反对,,\n" +
		"２,1-1-102,弃权,,,\n" +
		"3,1-1-201,同意,同意,未签名,\n" +
		"4,1-1-202,同意,同意,,\n" + // B keys matter 2 as oppose
		"5,2-1-101,同意,同意,,\n" + // B lacks it
		"7,2-1-201,反对,同意,,钱七\n" // B lacks the proxy
	b := "unit,ballot_no,m2,m1,proxy,invalid_reason\n" +
		"1-1-101 ,1,OPPOSE,agree,,\n" +
		"1-1-102,02,, Abstain,,\n" +
		"1-1-201,3,agree,agree,,unsigned\n" +
		"1-1-202,4,oppose,agree,,\n" +
		"2-1-102,6,agree,agree,,\n" + // A lacks it
		"2-1-201,7,agree,oppose,,\n"
	ok(t, data, "vote", "enter", "--vote", id, "--entry", "A", writeFile(t, dir, "a.csv", a))
	ok(t, data, "vote", "enter", "--vote", id, "--entry", "B", writeFile(t, dir, "b.csv", b))

	// A file with one bad row is refused whole, and the message says nothing was entered.
	bad := "票号,房号,事项1,事项2\n8,1-1-101,同意,同意\n9,1-1-102,赞成,同意\n"
	if f := fails(t, data, "vote", "enter", "--vote", id, "--entry", "A", writeFile(t, dir, "bad.csv", bad)); !strings.Contains(f.stderr, "第 3 行") || !strings.Contains(f.stderr, "没有录入任何选票") {
		t.Errorf("bad row: %s", f.stderr)
	}
	if f := fails(t, data, "vote", "new", "--title", "x", "--matters", writeFile(t, dir, "m2.csv", "no,title,kind\n1,a,urgent\n")); !strings.Contains(f.stderr, "没有创建大会") {
		t.Errorf("bad matters: %s", f.stderr)
	}

	var diffs []struct{ Ballot, Field, A, B string }
	if err := json.Unmarshal([]byte(ok(t, data, "vote", "diff", "--vote", id, "--json").stdout), &diffs); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range diffs {
		got = append(got, d.Ballot+" "+d.Field+" "+d.A+"|"+d.B)
	}
	sort.Strings(got)
	want := []string{"4 m2 agree|oppose", "5 ballot_no 5|", "6 ballot_no |6", "7 proxy 钱七|"}
	if strings.Join(got, "; ") != strings.Join(want, "; ") {
		t.Fatalf("diff = %q, want %q", got, want)
	}

	var tally struct {
		Participating struct {
			Area    string `json:"area"`
			Heads   int    `json:"heads"`
			Ballots int    `json:"ballots"`
		} `json:"participating"`
		Ballots struct {
			EnteredA     int `json:"entered_a"`
			EnteredB     int `json:"entered_b"`
			Reconciled   int `json:"reconciled"`
			Unreconciled int `json:"unreconciled"`
			Valid        int `json:"valid"`
			Invalid      int `json:"invalid"`
			Duplicates   int `json:"duplicates"`
		} `json:"ballots"`
		InvalidReasons map[string]int `json:"invalid_reasons"`
		Matters        []struct {
			Agree, Oppose, Abstain struct {
				Area  string `json:"area"`
				Heads int    `json:"heads"`
			}
		} `json:"matters"`
	}
	out := ok(t, data, "vote", "tally", "--vote", id, "--json").stdout
	if err := json.Unmarshal([]byte(out), &tally); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	// Reconciled: 1, 2, 3 (invalid: unsigned); pending: 4, 5, 6, 7. Counted: 1-1-101 (O1,
	// 100) and 1-1-102 (O2, 90.5).
	bl := tally.Ballots
	if bl.EnteredA != 6 || bl.EnteredB != 6 || bl.Reconciled != 3 || bl.Unreconciled != 4 || bl.Valid != 2 || bl.Invalid != 1 || bl.Duplicates != 0 {
		t.Fatalf("ballots = %+v", bl)
	}
	if len(tally.InvalidReasons) != 1 || tally.InvalidReasons["unsigned"] != 1 {
		t.Fatalf("invalid_reasons = %v", tally.InvalidReasons)
	}
	if p := tally.Participating; p.Area != "190.50" || p.Heads != 2 || p.Ballots != 2 {
		t.Fatalf("participating = %+v", p)
	}
	m1, m2 := tally.Matters[0], tally.Matters[1]
	if m1.Agree.Area != "100.00" || m1.Agree.Heads != 1 || m1.Abstain.Area != "90.50" || m1.Abstain.Heads != 1 {
		t.Errorf("matter 1 = %+v", m1)
	}
	if m2.Oppose.Area != "100.00" || m2.Oppose.Heads != 1 || m2.Abstain.Area != "90.50" || m2.Abstain.Heads != 1 || m2.Agree.Heads != 0 {
		t.Errorf("matter 2 (a blank is an abstention) = %+v", m2)
	}
}

// TestCLI_VoteEnterRefusesOneNamedPersonKeyingBothEntries: --as names who keys an entry
// (docs/votes.md); that name cannot key the other entry, someone else can, and without
// --as (a script running both files) nothing is checked.
func TestCLI_VoteEnterRefusesOneNamedPersonKeyingBothEntries(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	data := filepath.Join(dir, "book")
	ok(t, data, "init", "--name", "双录")
	ok(t, data, "units", "import", writeFile(t, dir, "reg.csv", voteRegister))
	matters := writeFile(t, dir, "m.csv", "序号,事项,类型\n1,甲,一般\n")
	papers := writeFile(t, dir, "p.csv", "票号,房号,事项1\n1,1-1-101,同意\n")
	id := ok(t, data, "vote", "new", "--title", "双录", "--matters", matters).lastWord()
	ok(t, data, "vote", "enter", "--vote", id, "--entry", "A", "--as", "张三", papers)
	f := fails(t, data, "vote", "enter", "--vote", id, "--entry", "B", "--as", "张三", papers)
	if !strings.Contains(f.stderr, "张三 已录入过录入A") || !strings.Contains(f.stderr, "没有录入任何选票") {
		t.Errorf("张三 keying B: %s", f.stderr)
	}
	if out := ok(t, data, "vote", "enter", "--vote", id, "--entry", "B", "--as", "李四", papers).stdout; !strings.Contains(out, "该录入共 1 张") {
		t.Errorf("李四 keying B: %s", out)
	}
	if out := ok(t, data, "audit", "--json").stdout; !strings.Contains(out, `"vote.enter.refused"`) || !strings.Contains(out, "keyed by 张三") {
		t.Errorf("the refusal is not in the audit log: %s", out)
	}

	id2 := ok(t, data, "vote", "new", "--title", "脚本", "--matters", matters).lastWord()
	ok(t, data, "vote", "enter", "--vote", id2, "--entry", "A", papers)
	ok(t, data, "vote", "enter", "--vote", id2, "--entry", "B", papers)
}
