package app

import (
	"strings"
	"testing"
)

func rowsOf(csv string) [][]string {
	var rows [][]string
	for _, line := range strings.Split(strings.TrimSpace(csv), "\n") {
		rows = append(rows, strings.Split(line, ","))
	}
	return rows
}

func TestParseRegisterRows_EnglishAndChineseHeaders(t *testing.T) {
	for _, header := range []string{
		"unit,kind,area,owner_id,owner_name,developer_held",
		"房号,类型,面积,业主编号,业主姓名,开发商持有",
		"\ufeff房号,类型,面积（m²）,业主编号,业主姓名,开发商持有",
		"Unit,Kind,Area (m2),Owner ID,Owner Name,Developer Held",
	} {
		units, err := ParseRegisterRows(rowsOf(header + "\n3-2-1501,住宅,88.50,O1,张三,0\nP-001,parking,12,,,是\n1-1-101,commercial,100.25,O1,张三,"))
		if err != nil {
			t.Fatalf("%s: %v", header, err)
		}
		if len(units) != 3 || units[0].Kind != KindResidential || units[1].Kind != KindParking || !units[1].DeveloperHeld || units[2].Area.String() != "100.25" {
			t.Errorf("%s: units = %+v", header, units)
		}
	}
}

func TestParseRegisterRows_BadRowRejectsFileWithRowNumber(t *testing.T) {
	const head = "unit,kind,area,owner_id,owner_name,developer_held\n1-1-101,residential,80,O1,甲,0\n"
	cases := []struct{ name, row, want string }{
		{"duplicate unit", "1-1-101,residential,81,O2,乙,0", "第 3 行：房号 1-1-101 重复"},
		{"zero area", "1-1-102,residential,0,O2,乙,0", "第 3 行"},
		{"negative area", "1-1-102,residential,-5,O2,乙,0", "第 3 行"},
		{"area abc", "1-1-102,residential,abc,O2,乙,0", "第 3 行"},
		{"three decimals", "1-1-102,residential,80.123,O2,乙,0", "第 3 行"},
		{"missing owner", "1-1-102,residential,80,,乙,0", "第 3 行：房号 1-1-102 缺少业主编号"},
		{"missing unit id", ",residential,80,O2,乙,0", "第 3 行：房号为空"},
		{"bad developer flag", "1-1-102,residential,80,O2,乙,maybe", "第 3 行"},
		{"missing kind", "1-1-102,,80,O2,乙,0", "第 3 行"},
	}
	SetEnglish(false)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			units, err := ParseRegisterRows(rowsOf(head + c.row))
			if err == nil || units != nil {
				t.Fatalf("accepted: %+v", units)
			}
			if ErrorCode(err) != EINVALID || !strings.Contains(err.Error(), c.want) {
				t.Errorf("err = %v, want it to contain %q", err, c.want)
			}
		})
	}
}

// TestParseRegisterRows_LineBreaksAndTabsAreRefused: a cell typed with Alt+Enter (or a
// tab) would split a unit id, kind or owner across lines of receipts, notices and the
// journal, so the file is refused with the row number.
func TestParseRegisterRows_LineBreaksAndTabsAreRefused(t *testing.T) {
	SetEnglish(false)
	head := []string{"unit", "kind", "area", "owner_id", "owner_name"}
	for _, row := range [][]string{
		{"1-1-\n102", "住宅", "80", "O2", "乙"},
		{"1-1-102", "住\t宅", "80", "O2", "乙"},
		{"1-1-102", "住宅", "80", "O\r2", "乙"},
		{"1-1-102", "住宅", "80", "O2", "乙\n丙"},
	} {
		units, err := ParseRegisterRows([][]string{head, {"1-1-101", "住宅", "80", "O1", "甲"}, row})
		if err == nil || units != nil || !strings.Contains(err.Error(), "第 3 行") || !strings.Contains(err.Error(), "换行符或制表符") {
			t.Errorf("%q: units=%+v err=%v", row, units, err)
		}
	}
}

// TestParseRegisterRows_DeveloperHeldFullWidth: １ and ０ typed with a Chinese input
// method mean 1 and 0.
func TestParseRegisterRows_DeveloperHeldFullWidth(t *testing.T) {
	units, err := ParseRegisterRows([][]string{{"房号", "类型", "面积", "业主编号", "开发商持有"}, {"1-1-101", "住宅", "80", "", "１"}, {"1-1-102", "住宅", "80", "O2", "０"}})
	if err != nil || !units[0].DeveloperHeld || units[1].DeveloperHeld {
		t.Fatalf("units=%+v err=%v", units, err)
	}
}

func TestParseRegisterRows_EmptyOrHeaderOnly(t *testing.T) {
	for _, rows := range [][][]string{nil, {{""}}, {{"unit", "kind", "area", "owner_id"}}, {{"foo", "bar"}, {"1", "2"}}} {
		if _, err := ParseRegisterRows(rows); ErrorCode(err) != EINVALID {
			t.Errorf("%v: err = %v", rows, err)
		}
	}
}

func TestParseRegisterRows_SkipsBlankRows(t *testing.T) {
	units, err := ParseRegisterRows([][]string{{"unit", "kind", "area", "owner_id"}, {"", "", "", ""}, {"1-1-101", "住宅", "80", "O1"}})
	if err != nil || len(units) != 1 {
		t.Fatalf("units=%v err=%v", units, err)
	}
}

func TestRegisterTotals_HeadcountRules(t *testing.T) {
	u := func(id string, kind UnitKind, area, owner string, dev bool) Unit {
		a, _ := ParseArea(area)
		return Unit{ID: id, Kind: kind, Area: a, OwnerID: owner, DeveloperHeld: dev}
	}
	units := []Unit{
		u("1", KindResidential, "100", "A", false), // A owns two flats: one person
		u("2", KindResidential, "50.5", "A", false),
		u("3", KindResidential, "80", "B+C", false), // co-owners: one person
		u("4", KindResidential, "90", "DEV", true),  // all developer units: one person
		u("5", KindCommercial, "200", "DEV", true),
		u("6", KindResidential, "70", "", true),
		u("P1", KindParking, "12", "D", false), // parking excluded by default
	}
	got := RegisterTotals(units, false)
	if got.Units != 7 || got.Headcount != 3 || got.Area.String() != "590.5" {
		t.Errorf("without parking = %+v", got)
	}
	got = RegisterTotals(units, true)
	if got.Headcount != 4 || got.Area.String() != "602.5" {
		t.Errorf("with parking = %+v", got)
	}
}

func TestUnitLess_ReadingOrder(t *testing.T) {
	ordered := []string{"1-1-101", "1-1-102", "1-1-901", "1-1-1501", "2-1-101", "10-1-101", "P-0001", "S-001"}
	for i := 1; i < len(ordered); i++ {
		if !UnitLess(ordered[i-1], ordered[i]) || UnitLess(ordered[i], ordered[i-1]) {
			t.Errorf("%s should sort before %s", ordered[i-1], ordered[i])
		}
	}
}

func FuzzParseRegisterRows(f *testing.F) {
	f.Add("unit,kind,area,owner_id,owner_name,developer_held\n1-1-101,住宅,80.5,O1,张三,0")
	f.Add("房号,类型,面积,业主编号\n1,车位,12,,\n2,商业,1e3,O2")
	f.Add("\ufeff房号,房号\n")
	f.Fuzz(func(t *testing.T, s string) {
		units, err := ParseRegisterRows(rowsOf(s))
		if err != nil {
			if units != nil || err.Error() == "" {
				t.Fatalf("error with units or empty message: %v", err)
			}
			return
		}
		seen := map[string]bool{}
		for _, u := range units {
			if err := u.Validate(); err != nil {
				t.Fatalf("accepted invalid unit %+v: %v", u, err)
			}
			if seen[u.ID] {
				t.Fatalf("accepted duplicate %s", u.ID)
			}
			seen[u.ID] = true
		}
	})
}

func TestCanonicalKind_ChineseAndCase(t *testing.T) {
	for in, want := range map[string]UnitKind{"住宅": KindResidential, " Residential ": KindResidential, "车位": KindParking, "商业": KindCommercial, "Office": "office"} {
		if got := CanonicalKind(in); got != want {
			t.Errorf("CanonicalKind(%q) = %q, want %q", in, got, want)
		}
	}
}
