package app

import (
	"reflect"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

func TestParseMatterRows_ItemSetsTheKindAndFundCapScopeAreRead(t *testing.T) {
	in := "no,title,kind,item,fund,cap,scope\n" +
		"1,使用维修资金更换电梯,ordinary,5,maintenance,386000,1;2\n" +
		"2,续筹专项维修资金,,六,,,\n" +
		"3,更换水泵,一般,（五）,维修资金,1200.50,1-1-101；1-1-102\n"
	got, err := ParseMatterRows(rows(in))
	if err != nil {
		t.Fatal(err)
	}
	want := []Matter{
		{No: 1, Title: "使用维修资金更换电梯", Kind: MatterOrdinary, Item: 5, Fund: FundMaintenance, Cap: decimal.NewFromInt(386000), Scope: []string{"1", "2"}},
		{No: 2, Title: "续筹专项维修资金", Kind: MatterMajor, Item: 6},
		{No: 3, Title: "更换水泵", Kind: MatterOrdinary, Item: 5, Fund: FundMaintenance, Cap: decimal.RequireFromString("1200.5"), Scope: []string{"1-1-101", "1-1-102"}},
	}
	for i := range want {
		g, w := got[i], want[i]
		if g.No != w.No || g.Kind != w.Kind || g.Item != w.Item || g.Fund != w.Fund || !g.Cap.Equal(w.Cap) || !reflect.DeepEqual(g.Scope, w.Scope) {
			t.Errorf("matter %d: got %+v, want %+v", w.No, g, w)
		}
	}
}

func TestParseMatterRows_RefusesWhatTheLawDoesNotAllow(t *testing.T) {
	SetEnglish(true)
	defer SetEnglish(false)
	cases := map[string]string{
		// art. 278 items (六)–(八) need 3/4: not as ordinary matters without a confirmed item
		"no,title,kind\n1,续筹专项维修资金,ordinary":                  "looks like Civil Code art. 278 item （六）",
		"no,title,kind\n1,筹集维修资金,一般":                          "item （六）",
		"no,title,kind\n1,东侧绿地改建为停车场,ordinary":                "item （七）",
		"no,title,kind\n1,利用小区广场出租经营,ordinary":                "item （八）",
		"no,title,kind\n1,改变会所用途,ordinary":                    "item （八）",
		"no,title,kind,item\n1,更换电梯,major,5":                  "must be ordinary",
		"no,title,kind,item\n1,续筹维修资金,ordinary,6":             "must be major",
		"no,title,kind,item\n1,a,ordinary,10":                 "the item \"10\"",
		"no,title,kind,fund,cap\n1,a,ordinary,maintenance,0":  "the cap 0 must be more than 0",
		"no,title,kind,fund,cap\n1,a,ordinary,maintenance,-5": "must be more than 0",
		"no,title,kind,fund,cap\n1,a,ordinary,,100":           "has a cap but no fund",
		"no,title,kind,fund\n1,a,ordinary,bank":               "unknown fund",
		"no,title,kind,cap\n1,a,ordinary,1.234":               "2 decimals",
	}
	for in, want := range cases {
		_, err := ParseMatterRows(rows(in))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: err %v, want %q", in, err, want)
		}
	}
	// A three-column file keeps working: major titles of items 6–8 are accepted as major,
	// and a confirmed item overrides the title's words.
	for _, ok := range []string{
		"no,title,kind\n1,续筹专项维修资金,major\n2,利用小区广场出租经营,重大",
		"no,title,kind,item\n1,更换重建小区大门的门禁卡,ordinary,4",
	} {
		if _, err := ParseMatterRows(rows(ok)); err != nil {
			t.Errorf("%q: %v", ok, err)
		}
	}
}

func TestScope_BuildingsAndUnits(t *testing.T) {
	sc, err := ParseScope(" 1；2;1 ")
	if err != nil || !reflect.DeepEqual(sc, []string{"1", "2"}) {
		t.Fatalf("got %v %v", sc, err)
	}
	for unit, want := range map[string]bool{"1-1-101": true, "2-3-1501": true, "3-1-101": false, "12-1-101": false} {
		if InScope(sc, unit) != want {
			t.Errorf("%s in %v: want %v", unit, sc, want)
		}
	}
	units := []Unit{{ID: "1-1-101"}, {ID: "1-1-102"}, {ID: "3-1-101"}}
	in, unknown := ScopeUnits([]string{"1-1-102", "3", "9", "1-1-999"}, units)
	if len(in) != 2 || !reflect.DeepEqual(unknown, []string{"9", "1-1-999"}) {
		t.Fatalf("in %v unknown %v", in, unknown)
	}
	if !InScope(nil, "anything") {
		t.Fatal("an empty scope is the whole community")
	}
}

func TestScopeLabel_NamesBuildingsAndUnits(t *testing.T) {
	for _, c := range []struct {
		scope []string
		want  string
	}{{nil, "全体业主"}, {[]string{"1", "2"}, "1号楼、2号楼"}, {[]string{"3", "1-1-101"}, "3号楼；房号 1-1-101"}} {
		if got := ScopeLabel(c.scope); got != c.want {
			t.Errorf("%v: %q, want %q", c.scope, got, c.want)
		}
	}
}

func TestDeemedRule_IsNeverWordedByTheProgram(t *testing.T) {
	a := Assembly{Title: "t", Deemed: true, Matters: []Matter{{No: 1, Title: "x", Kind: MatterOrdinary}}}
	if err := a.Validate(); err == nil || !strings.Contains(err.Error(), "settings --deemed-rule") {
		t.Fatalf("deemed without the rules' wording: %v", err)
	}
	a.Rule = "《业主大会议事规则》第十八条：……"
	if err := a.Validate(); err != nil {
		t.Fatal(err)
	}
	if got := DeemedRuleLine(a.Rule); !strings.Contains(got, "“"+a.Rule+"”") || !strings.Contains(got, "照录") {
		t.Errorf("quoted %q", got)
	}
	// An assembly recorded before the wording was required says that it has none.
	if got := DeemedRuleLine(""); strings.Contains(got, "“") || !strings.Contains(got, "未录入") {
		t.Errorf("without wording: %q", got)
	}
	tl := CountVotes(VoteRecord{Assembly: Assembly{Deemed: true, Matters: a.Matters}})
	if tl.Rule != "" || tl.DeemedTotals.Rule != "" {
		t.Errorf("the tally invented a wording: %q", tl.Rule)
	}
}
