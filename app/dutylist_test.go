package app

import (
	"strings"
	"testing"
)

func TestParseDutyList_TextAndCSVGiveTheSameItems(t *testing.T) {
	text := "\ufeff# 三方权责清单\n[社区]\n- 指导监督业委会换届\n\n【物业】\n1. 公共部位日常维修养护\n2、按 54321 标准响应报修\n[committee]\n* 审核物业支出\n"
	csvText := "责任方,职责\n社区,指导监督业委会换届\n物业,公共部位日常维修养护\nproperty,按 54321 标准响应报修\n业委会,审核物业支出\n"
	want := []DutyItem{{PartyCommunity, "指导监督业委会换届"}, {PartyProperty, "公共部位日常维修养护"}, {PartyProperty, "按 54321 标准响应报修"}, {PartyCommittee, "审核物业支出"}}
	for name, in := range map[string]string{"text": text, "csv": csvText} {
		got, err := ParseDutyList([]byte(in))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(got) != len(want) {
			t.Fatalf("%s: %+v", name, got)
		}
		for i := range want {
			if got[i] != want[i] {
				t.Errorf("%s item %d: %+v, want %+v", name, i+1, got[i], want[i])
			}
		}
	}
}

func TestParseDutyList_BadLinesAreRefusedWithTheirNumber(t *testing.T) {
	for _, c := range []struct{ name, in, want string }{
		{"a duty before any party", "公共维修\n", "第 1 行"},
		{"an unknown party", "[物业]\n保洁\n[开发商]\n交房\n", "第 3 行"},
		{"csv with a bad party", "party,duty\nproperty,保洁\n开发商,交房\n", "第 3 行"},
		{"csv with three columns", "party,duty\nproperty,保洁,多\n", "第 2 行"},
		{"csv with an empty duty", "party,duty\nproperty, \n", "第 2 行"},
		{"nothing but comments", "# 空\n", "没有任何职责"},
		{"not utf-8", "[物业]\n\xff\xfe\n", "UTF-8"},
	} {
		_, err := ParseDutyList([]byte(c.in))
		if ErrorCode(err) != EINVALID || !strings.Contains(err.(*Error).ZH, c.want) {
			t.Errorf("%s: %v, want %q", c.name, err, c.want)
		}
	}
}

func TestDutyList_ValidateRefusesDuplicatesAndBadDates(t *testing.T) {
	l := DutyList{Date: "2026-01-05", Items: []DutyItem{{PartyProperty, "保洁"}, {PartyProperty, "保洁"}}}
	if err := l.Validate(); ErrorCode(err) != EINVALID || !strings.Contains(err.Error(), "2") {
		t.Errorf("duplicate: %v", err)
	}
	l = DutyList{Date: "2026-13-01", Items: []DutyItem{{PartyProperty, "保洁"}}}
	if err := l.Validate(); ErrorCode(err) != EINVALID {
		t.Errorf("bad date: %v", err)
	}
}

func FuzzParseDutyList(f *testing.F) {
	f.Add([]byte("[物业]\n- 保洁\n[社区]\n指导\n"))
	f.Add([]byte("party,duty\nproperty,保洁\n"))
	f.Add([]byte("责任方,职责\n\"物业\",\"a,b\"\n"))
	f.Add([]byte("【业委会】\n1、审核\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		items, err := ParseDutyList(data)
		if err != nil {
			if ErrorCode(err) != EINVALID {
				t.Fatalf("not an EINVALID: %v", err)
			}
			return
		}
		if len(items) == 0 || len(items) > MaxDutyItems {
			t.Fatalf("%d items", len(items))
		}
		for _, it := range items {
			if _, err := ParseParty(string(it.Party)); err != nil || strings.TrimSpace(it.Duty) == "" || strings.ContainsAny(it.Duty, "\r\n") {
				t.Fatalf("bad item %+v", it)
			}
		}
	})
}
