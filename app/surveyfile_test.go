package app

import (
	"strings"
	"testing"
)

func FuzzParseSurveyRows(f *testing.F) {
	f.Add("答卷编号,房号,问题1,问题2,无效原因\n1,1-101,5,4,\n2,1-102,,1,未签名")
	f.Add("sheet_no,unit,q2,q1\n0012,x,3,3\n12,y,1,1")
	f.Add("no,unit,q1,q2,q3\n1,,,")
	f.Fuzz(func(t *testing.T, s string) {
		sv := Survey{Scale: []ScalePoint{{Label: "5", Points: dec("5")}, {Label: "1", Points: dec("1")}, {Label: "4", Points: dec("4")}, {Label: "3", Points: dec("3")}},
			Questions: []SurveyQuestion{{No: 1, Text: "a", Weight: dec("1")}, {No: 2, Text: "b", Weight: dec("2")}}, Units: []string{"1-101", "1-102"}}
		var rs [][]string
		for _, l := range strings.Split(s, "\n") {
			rs = append(rs, strings.Split(l, ","))
		}
		shs, err := ParseSurveyRows(rs, sv)
		if err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("not an *Error: %v", err)
			}
			return
		}
		seen := map[string]bool{}
		for _, sh := range shs {
			if err := sv.CheckSheet(sh); err != nil || seen[sh.No] || sh.No != NormalizeBallotNo(sh.No) {
				t.Fatalf("accepted a bad sheet %+v: %v", sh, err)
			}
			seen[sh.No] = true
		}
		r := ScoreSurvey(SurveyRecord{Survey: sv, EntryA: shs, EntryB: shs})
		if r.HasTotal && (r.Total.IsNegative() || r.Total.GreaterThan(dec("100"))) {
			t.Fatalf("total %s out of 0–100", r.Total)
		}
	})
}

func FuzzParseSurveyScale(f *testing.F) {
	f.Add("满意=5,基本满意=3,不满意=0")
	f.Add("1-5")
	f.Fuzz(func(t *testing.T, s string) {
		sc, err := ParseSurveyScale(s)
		if err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("not an *Error: %v", err)
			}
			return
		}
		if len(sc) < 2 {
			t.Fatalf("a scale of %d answers accepted", len(sc))
		}
	})
}
