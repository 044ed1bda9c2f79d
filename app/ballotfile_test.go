package app

import (
	"reflect"
	"strings"
	"testing"
)

func rows(csv string) [][]string {
	var out [][]string
	for _, l := range strings.Split(strings.TrimSpace(csv), "\n") {
		out = append(out, strings.Split(l, ","))
	}
	return out
}

var twoMatters = []Matter{{No: 1, Title: "电梯", Kind: MatterOrdinary}, {No: 2, Title: "绿地", Kind: MatterMajor}}

func TestParseMatterRows_EnglishAndChinese(t *testing.T) {
	want := []Matter{{No: 1, Title: "使用维修资金更换电梯", Kind: MatterOrdinary}, {No: 2, Title: "改变共有部分用途", Kind: MatterMajor}}
	for _, in := range []string{
		"no,title,kind\n1,使用维修资金更换电梯,ordinary\n2,改变共有部分用途,major",
		"\ufeff序号,事项,类型\n2,改变共有部分用途,重大\n1,使用维修资金更换电梯,一般",
		"No, Title ,KIND\n1,使用维修资金更换电梯,Ordinary\n\n2,改变共有部分用途,重大事项",
	} {
		got, err := ParseMatterRows(rows(in))
		if err != nil {
			t.Fatalf("%q: %v", in, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%q: got %+v", in, got)
		}
	}
}

func TestParseMatterRows_RejectsBadRowsWithTheRowNumber(t *testing.T) {
	SetEnglish(true)
	defer SetEnglish(false)
	cases := map[string]string{
		"no,title,kind\n1,a,ordinary\n1,b,major": "row 3: matter number 1 is a duplicate",
		"no,title,kind\n1,a,urgent":              "row 2: the kind must be",
		"no,title,kind\nx,a,major":               "row 2: the number \"x\"",
		"no,title,kind\n1,,major":                "row 2: matter 1 has no title",
		"no,title\n1,a":                          "lacks the column \"kind\"",
		"no,title,kind":                          "no matters",
		"no,title,kind\n0,a,major":               "row 2: a matter number must be between 1 and 99",
	}
	for in, want := range cases {
		_, err := ParseMatterRows(rows(in))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: err %v, want %q", in, err, want)
		}
	}
}

func TestParseBallotRows_ReadsEnglishAndChineseFiles(t *testing.T) {
	en := "ballot_no,unit,m1,m2,invalid_reason,proxy\n0007,1-1-101,agree,Oppose,,\n8,1-1-102,abstain,,unsigned,王五\n9,1-1-103,double,agree,,"
	zh := "票号,房号,事项1,事项2,无效原因,代理人\n7,1-1-101,同意,反对,,\n8,1-1-102,弃权,,未签名,王五\n9,１-1-103,多选,同意,,"
	want := []Ballot{
		{No: "7", Unit: "1-1-101", Choices: []Choice{Agree, Oppose}, Row: 2},
		{No: "8", Unit: "1-1-102", Choices: []Choice{Abstain, Blank}, Invalid: ReasonUnsigned, Proxy: "王五", Row: 3},
		{No: "9", Unit: "1-1-103", Choices: []Choice{Double, Agree}, Row: 4},
	}
	for _, in := range []string{en, zh} {
		got, err := ParseBallotRows(rows(in), twoMatters)
		if err != nil {
			t.Fatalf("%v", err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("got %+v", got)
		}
	}
	// Optional columns may be missing; an unknown invalid reason is kept as written.
	got, err := ParseBallotRows(rows("票号,房号,事项 1（电梯）,事项2,无效原因\n1,A,同意,同意,被雨淋湿"), twoMatters)
	if err != nil || got[0].Invalid != "被雨淋湿" {
		t.Fatalf("%+v %v", got, err)
	}
}

func TestParseBallotRows_RejectsBadInputWithTheRowNumber(t *testing.T) {
	SetEnglish(true)
	defer SetEnglish(false)
	cases := map[string]string{
		"ballot_no,unit,m1,m2\n1,1-1-101,agree,maybe":     "row 2: matter 2: the choice must be agree/oppose/abstain",
		"ballot_no,unit,m1,m2\n1,1-1-101,agree,赞成":        "row 2: matter 2",
		"ballot_no,unit,m1,m2,m3\n1,1-1-101,agree,agree,": "row 1: the header has the column \"m3\" but the assembly has no matter 3",
		"ballot_no,unit,m1\n1,1-1-101,agree":              "lacks the column of matter 2",
		"ballot_no,unit,m1,m2\n1,a,agree,\n01,b,,":        "row 3: ballot number 1 is a duplicate (already on row 2)",
		"ballot_no,unit,m1,m2\n,a,agree,":                 "row 2: the ballot number is empty",
		"unit,m1,m2\na,agree,":                            "lacks the column \"ballot_no\"",
		"ballot_no,unit,m1,m1,m2\n1,a,,,":                 "the column \"m1\" twice",
		"ballot_no,unit,m1,m2":                            "no ballots",
	}
	for in, want := range cases {
		_, err := ParseBallotRows(rows(in), twoMatters)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: err %v, want %q", in, err, want)
		}
	}
}

func FuzzParseBallotRows(f *testing.F) {
	f.Add("票号,房号,事项1,事项2,无效原因,代理人\n7,1-1-101,同意,反对,,\n8,1-1-102,弃权,,未签名,王五")
	f.Add("ballot_no,unit,m1,m2\n1,x,agree,double")
	f.Add("ballot_no,unit,m2,m1,m3\n1,,,")
	f.Fuzz(func(t *testing.T, s string) {
		var rs [][]string
		for _, l := range strings.Split(s, "\n") {
			rs = append(rs, strings.Split(l, ","))
		}
		bs, err := ParseBallotRows(rs, twoMatters)
		if err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("not an *Error: %v", err)
			}
			return
		}
		seen := map[string]bool{}
		for _, b := range bs {
			if err := b.Validate(2); err != nil || seen[b.No] || b.No != NormalizeBallotNo(b.No) {
				t.Fatalf("accepted a bad ballot %+v: %v", b, err)
			}
			seen[b.No] = true
		}
		CountVotes(VoteRecord{Assembly: Assembly{Matters: twoMatters}, Register: []Unit{unit("1-1-101", "1", "O1")}, EntryA: bs, EntryB: bs})
	})
}

func FuzzParseMatterRows(f *testing.F) {
	f.Add("no,title,kind\n1,使用维修资金更换电梯,ordinary\n2,改变共有部分用途,major")
	f.Add("序号,事项,类型\n2,a,重大\n1,b,一般")
	f.Add("no,title,kind,item,fund,cap,scope\n1,更换电梯,ordinary,5,maintenance,386000,1;2\n2,续筹维修资金,major,六,,,")
	f.Add("序号,事项,类型,条款,资金,限额,范围\n1,换泵,一般,（五）,维修资金,1000.5,1-1-101；1-1-102\n2,出租广场,,8,,,")
	f.Fuzz(func(t *testing.T, s string) {
		var rs [][]string
		for _, l := range strings.Split(s, "\n") {
			rs = append(rs, strings.Split(l, ","))
		}
		ms, err := ParseMatterRows(rs)
		if err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("not an *Error: %v", err)
			}
			return
		}
		a := Assembly{Title: "t", Matters: ms}
		if err := a.Validate(); err != nil {
			t.Fatalf("accepted matters that do not validate: %+v: %v", ms, err)
		}
		for i := 1; i < len(ms); i++ {
			if ms[i-1].No >= ms[i].No {
				t.Fatalf("not sorted: %+v", ms)
			}
		}
	})
}
