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
