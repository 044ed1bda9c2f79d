package app

import (
	"strings"
	"testing"
)

// The community's name heads every notice, receipt and the journal export on one line:
// it must be there, fit, and hold no line break or tab.
func TestCommunity_NameIsOneLineOfAtMost100Characters(t *testing.T) {
	for _, c := range []struct {
		name string
		ok   bool
	}{
		{"阳光花园小区", true},
		{"Sunny Garden 2期", true},
		{strings.Repeat("长", 100), true},
		{strings.Repeat("长", 101), false},
		{"", false},
		{"   ", false},
		{"阳光\n花园", false},
		{"阳光花园\r\n", false},
		{"阳光\t花园", false},
		{"阳光\x00花园", false},
	} {
		err := Community{Name: c.name}.Validate()
		if (err == nil) != c.ok {
			t.Errorf("%q: %v, want ok=%v", c.name, err, c.ok)
		}
		if err != nil && (ErrorCode(err) != EINVALID || !strings.Contains(err.Error(), "没有做任何更改") && !strings.Contains(err.Error(), "nothing was changed")) {
			t.Errorf("%q: %v: want EINVALID saying nothing was changed", c.name, err)
		}
	}
}

func TestNoticeSettings_ReadyToPublishNamesWhatIsMissing(t *testing.T) {
	for _, c := range []struct {
		name string
		n    NoticeSettings
		fee  bool
		want []string // flags named in the refusal; nil = ready
		not  []string
	}{
		{"nothing set, public notice", NoticeSettings{}, false, []string{"--office-phone"}, []string{"--pay-account"}},
		{"phone set, public notice", NoticeSettings{OfficePhone: "0519-1"}, false, nil, nil},
		{"a blank phone is unset", NoticeSettings{OfficePhone: "  "}, false, []string{"--office-phone"}, nil},
		{"phone set, fee notice", NoticeSettings{OfficePhone: "0519-1"}, true, []string{"--pay-account", "--pay-channels"}, []string{"--office-phone"}},
		{"account only, fee notice", NoticeSettings{OfficePhone: "0519-1", PayAccount: "6222"}, true, []string{"--pay-channels"}, []string{"--pay-account"}},
		{"everything, fee notice", NoticeSettings{OfficePhone: "0519-1", PayAccount: "6222", PayChannels: "微信"}, true, nil, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := c.n.ReadyToPublish(c.fee)
			if c.want == nil {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			if ErrorCode(err) != EINVALID {
				t.Fatalf("want an invalid-input refusal, got %v", err)
			}
			msg := err.Error()
			for _, w := range c.want {
				if !strings.Contains(msg, w) {
					t.Errorf("%q does not name %s", msg, w)
				}
			}
			for _, w := range c.not {
				if strings.Contains(msg, w) {
					t.Errorf("%q names %s, which is set or not needed", msg, w)
				}
			}
		})
	}
}

// The audit log's codes are shown in the reader's words; a refusal says so; only an
// unknown family keeps its code.
func TestActionLabel_NamesEveryActionTheStoreWrites(t *testing.T) {
	SetEnglish(false)
	for action, want := range map[string]string{
		"expense.approve":         "委员联签",
		"expense.approve.refused": "委员联签（被拒绝）",
		"book.committed.missing":  "COMMITTED 文件缺失（已重建）",
		"fees.bill.part":          "开具账单（部分）",
		"expense.apply.somewhere": "支出申请",
		"member.":                 "成员",
		"zzz.unknown":             "zzz.unknown",
	} {
		if got := ActionLabel(action); got != want {
			t.Errorf("ActionLabel(%q) = %q, want %q", action, got, want)
		}
	}
}
