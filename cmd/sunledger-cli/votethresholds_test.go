package main

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

// TestCLI_VoteThresholdsAreExactThroughTheCLI drives the Civil Code art. 278 thresholds
// (docs/domain.md "Votes of the owners' assembly") through `vote new`, both entries and
// `vote tally --json`, on the exact boundary and 0.01 m² or one head either side: the
// quorum is ≥ 2/3 of area AND heads, an ordinary matter needs agree > 1/2 of the
// participating area AND heads (exactly half fails), a major one ≥ 3/4 of both (exactly
// three-quarters passes). Each ballot answers matter 1 (ordinary) and matter 2 (major)
// alike, so one file checks both kinds.
func TestCLI_VoteThresholdsAreExactThroughTheCLI(t *testing.T) {
	t.Parallel()
	type unit struct {
		id, area, owner string
		dev             bool
	}
	type paper struct{ unit, choice string }
	us := func(areas ...string) []unit {
		out := make([]unit, len(areas))
		for i, a := range areas {
			out[i] = unit{id: fmt.Sprintf("1-1-%d", 101+i), area: a, owner: fmt.Sprintf("O%d", i+1)}
		}
		return out
	}
	cases := []struct {
		name     string
		units    []unit
		papers   []paper
		total    string
		part     string
		heads    int
		quorum   bool
		ordinary bool
		major    bool
	}{
		{"quorum at exactly two-thirds of area and heads passes", us("100", "100", "100"),
			[]paper{{"1-1-101", "agree"}, {"1-1-102", "agree"}}, "300.00", "200.00", 2, true, true, true},
		{"quorum 0.01 m² short of two-thirds fails although heads are two-thirds", us("100", "100", "100.01"),
			[]paper{{"1-1-101", "agree"}, {"1-1-102", "agree"}}, "300.01", "200.00", 2, false, false, false},
		{"quorum 0.01 m² over two-thirds passes", us("100", "100.01", "100"),
			[]paper{{"1-1-101", "agree"}, {"1-1-102", "agree"}}, "300.01", "200.01", 2, true, true, true},
		{"quorum with area but one head short of two-thirds fails", us("300", "100", "10", "10"),
			[]paper{{"1-1-101", "agree"}, {"1-1-102", "agree"}}, "420.00", "400.00", 2, false, false, false},
		{"ordinary agree of exactly half the area fails although heads are more than half", us("100", "50", "50"),
			[]paper{{"1-1-101", "oppose"}, {"1-1-102", "agree"}, {"1-1-103", "agree"}}, "200.00", "200.00", 3, true, false, false},
		{"ordinary agree 0.01 m² over half the area passes", us("100", "50.01", "50"),
			[]paper{{"1-1-101", "oppose"}, {"1-1-102", "agree"}, {"1-1-103", "agree"}}, "200.01", "200.01", 3, true, true, false},
		{"ordinary agree of exactly half the heads fails although the area is more than half", us("100", "100", "10", "10"),
			[]paper{{"1-1-101", "agree"}, {"1-1-102", "agree"}, {"1-1-103", "oppose"}, {"1-1-104", "abstain"}}, "220.00", "220.00", 4, true, false, false},
		{"abstaining takes part but does not agree", us("100", "100", "100"),
			[]paper{{"1-1-101", "agree"}, {"1-1-102", "abstain"}, {"1-1-103", ""}}, "300.00", "300.00", 3, true, false, false},
		{"major agree of exactly three-quarters of area and heads passes", us("100", "100", "100", "100"),
			[]paper{{"1-1-101", "agree"}, {"1-1-102", "agree"}, {"1-1-103", "agree"}, {"1-1-104", "oppose"}}, "400.00", "400.00", 4, true, true, true},
		{"major agree 0.01 m² short of three-quarters fails", us("100", "100", "100", "100.01"),
			[]paper{{"1-1-101", "agree"}, {"1-1-102", "agree"}, {"1-1-103", "agree"}, {"1-1-104", "oppose"}}, "400.01", "400.01", 4, true, true, false},
		{"major agree one head short of three-quarters fails although the area is", us("300", "10", "10", "10", "10", "10", "10", "10"),
			[]paper{{"1-1-101", "agree"}, {"1-1-102", "agree"}, {"1-1-103", "agree"}, {"1-1-104", "agree"}, {"1-1-105", "agree"},
				{"1-1-106", "oppose"}, {"1-1-107", "oppose"}, {"1-1-108", "abstain"}}, "370.00", "370.00", 8, true, true, false},
		{"major agree of exactly three-quarters of the heads passes", us("300", "10", "10", "10", "10", "10", "10", "10"),
			[]paper{{"1-1-101", "agree"}, {"1-1-102", "agree"}, {"1-1-103", "agree"}, {"1-1-104", "agree"}, {"1-1-105", "agree"},
				{"1-1-106", "agree"}, {"1-1-107", "oppose"}, {"1-1-108", "abstain"}}, "370.00", "370.00", 8, true, true, true},
		{"the developer's units are one head and one owner's units are one head", []unit{
			{"1-1-101", "100", "D1", true}, {"1-1-102", "100", "D2", true}, {"1-1-103", "100", "D3", true},
			{"1-1-104", "100", "O1", false}, {"1-1-105", "100", "O1", false}, {"1-1-106", "100", "O2", false}},
			// Persons: developer, O1, O2 = 3; taking part: developer and O1 = 2 of 3 heads,
			// 500 of 600 m². Agree: the developer (300 m²) and O1 (200 m²) = all heads.
			[]paper{{"1-1-101", "agree"}, {"1-1-102", "agree"}, {"1-1-103", "agree"}, {"1-1-104", "agree"}, {"1-1-105", "agree"}},
			"600.00", "500.00", 2, true, true, true},
	}
	dir := t.TempDir()
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			data := filepath.Join(dir, fmt.Sprintf("book%d", i))
			ok(t, data, "init", "--name", "门槛")
			var reg strings.Builder
			reg.WriteString("unit,kind,area,owner_id,owner_name,developer_held\n")
			for _, u := range c.units {
				dev := ""
				if u.dev {
					dev = "1"
				}
				fmt.Fprintf(&reg, "%s,residential,%s,%s,业主%s,%s\n", u.id, u.area, u.owner, u.owner, dev)
			}
			ok(t, data, "units", "import", writeFile(t, dir, fmt.Sprintf("reg%d.csv", i), reg.String()))
			matters := writeFile(t, dir, fmt.Sprintf("m%d.csv", i), "no,title,kind\n1,一般事项,ordinary\n2,重大事项,major\n")
			id := ok(t, data, "vote", "new", "--title", c.name, "--matters", matters).lastWord()
			var ballots strings.Builder
			ballots.WriteString("ballot_no,unit,m1,m2,invalid_reason,proxy\n")
			for n, p := range c.papers {
				fmt.Fprintf(&ballots, "%d,%s,%s,%s,,\n", n+1, p.unit, p.choice, p.choice)
			}
			file := writeFile(t, dir, fmt.Sprintf("b%d.csv", i), ballots.String())
			ok(t, data, "vote", "enter", "--vote", id, "--entry", "A", file)
			ok(t, data, "vote", "enter", "--vote", id, "--entry", "B", file)
			var got struct {
				Total         struct{ Area string } `json:"total"`
				Participating struct {
					Area  string `json:"area"`
					Heads int    `json:"heads"`
				} `json:"participating"`
				QuorumMet bool `json:"quorum_met"`
				Matters   []struct {
					Kind   string `json:"kind"`
					Passed bool   `json:"passed"`
				} `json:"matters"`
			}
			out := ok(t, data, "vote", "tally", "--vote", id, "--json").stdout
			if err := json.Unmarshal([]byte(out), &got); err != nil {
				t.Fatalf("%v: %s", err, out)
			}
			if got.Total.Area != c.total || got.Participating.Area != c.part || got.Participating.Heads != c.heads {
				t.Errorf("total %s, participating %s m² %d heads; want %s, %s m² %d heads", got.Total.Area, got.Participating.Area, got.Participating.Heads, c.total, c.part, c.heads)
			}
			if got.QuorumMet != c.quorum {
				t.Errorf("quorum_met = %v, want %v", got.QuorumMet, c.quorum)
			}
			if len(got.Matters) != 2 || got.Matters[0].Kind != "ordinary" || got.Matters[1].Kind != "major" {
				t.Fatalf("matters = %+v", got.Matters)
			}
			if got.Matters[0].Passed != c.ordinary || got.Matters[1].Passed != c.major {
				t.Errorf("passed: ordinary %v major %v, want %v %v", got.Matters[0].Passed, got.Matters[1].Passed, c.ordinary, c.major)
			}
		})
	}
}
