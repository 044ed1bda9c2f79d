package app

import (
	"errors"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func TestParseAmount_AcceptsTypedForms(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"1,234.5", "1234.5"},
		{"¥1234.50", "1234.50"},
		{"￥1,234.50", "1234.50"},
		{" 12 ", "12"},
		{"1234", "1234"},
		{"-5.00", "-5"},
		{"-¥1,234.50", "-1234.50"},
		{"¥-5", "-5"},
		{"¥ 5", "5"},
		{"+5", "5"},
		{"１２３４．５６", "1234.56"},
		{"１，２３４", "1234"},
		{"－５", "-5"},
		{"\u300012\u3000", "12"},
		{"100元", "100"},
		{"0", "0"},
		{"0.01", "0.01"},
		{"007", "7"},
		{"-0", "0"},
		{"1,000,000.00", "1000000"},
		{"999,999,999,999.99", "999999999999.99"},
	} {
		got, err := ParseAmount(c.in)
		if err != nil {
			t.Errorf("ParseAmount(%q): %v", c.in, err)
			continue
		}
		if !got.Equal(dec(c.want)) {
			t.Errorf("ParseAmount(%q) = %s, want %s", c.in, got, c.want)
		}
	}
}

// The result is exactly what was typed: not rounded, not padded away.
func TestParseAmount_KeepsExactValue(t *testing.T) {
	d, err := ParseAmount("0.1")
	if err != nil || d.String() != "0.1" {
		t.Fatalf("ParseAmount(0.1) = %s, %v", d, err)
	}
	d, err = ParseAmount("1234567.89")
	if err != nil || !d.Equal(decimal.New(123456789, -2)) {
		t.Fatalf("ParseAmount(1234567.89) = %s, %v", d, err)
	}
}

// rejects checks that parse fails with EINVALID and messages in both languages that
// contain zh and en.
func rejects(t *testing.T, parse func(string) (decimal.Decimal, error), in, zh, en string) {
	t.Helper()
	d, err := parse(in)
	if err == nil {
		t.Errorf("parse(%q) = %s, want an error", in, d)
		return
	}
	var e *Error
	if !errors.As(err, &e) || e.Code != EINVALID {
		t.Errorf("parse(%q): error %v is not an EINVALID *Error", in, err)
		return
	}
	if !strings.Contains(e.ZH, zh) || !strings.Contains(e.EN, en) {
		t.Errorf("parse(%q): messages %q / %q, want them to contain %q / %q", in, e.ZH, e.EN, zh, en)
	}
}

func TestParseAmount_RejectsMoreThanTwoDecimals(t *testing.T) {
	for _, in := range []string{"1.234", "0.001", "1.000", "¥1,234.567", "-5.125"} {
		rejects(t, ParseAmount, in, "金额", "more than 2 decimals")
		rejects(t, ParseAmount, in, "最多两位小数", "amount")
	}
}

func TestParseAmount_CommasOnlyAsThousandsSeparators(t *testing.T) {
	for _, in := range []string{"1,23", "12,34,567", "1234,567", ",123", "123,", "1,,234", "0,123", "1.23,4", "1,2345"} {
		rejects(t, ParseAmount, in, "逗号", "comma")
	}
}

func TestParseAmount_RejectsEmpty(t *testing.T) {
	for _, in := range []string{"", "   ", "\u3000"} {
		rejects(t, ParseAmount, in, "请输入金额", "enter the amount")
	}
}

func TestParseAmount_RejectsLettersNaNAndExponents(t *testing.T) {
	for _, in := range []string{"abc", "12a", "a12", "NaN", "nan", "Inf", "-Infinity", "1e3", "1E3", "1e-2",
		"0x10", "¥", "-", "--5", "-¥-5", "¥¥5", "1 234", "1.2.3", "一百", "12元元", "$5", "5¥", "1_000"} {
		rejects(t, ParseAmount, in, "金额", "amount")
	}
}

func TestParseAmount_RejectsBarePoint(t *testing.T) {
	for _, in := range []string{"5.", ".5", "."} {
		rejects(t, ParseAmount, in, "小数点", "point")
	}
}

func TestParseAmount_RejectsAbove9999Yi(t *testing.T) {
	rejects(t, ParseAmount, "1,000,000,000,000", "太大", "too large")
	rejects(t, ParseAmount, "12345678901234567890", "太大", "too large")
}

func TestParseAmount_RejectsInvalidUTF8(t *testing.T) {
	rejects(t, ParseAmount, "1\xff2", "金额", "amount")
}

// Whatever FormatAmount and PlainAmount print, ParseAmount reads back.
func TestParseAmount_ReadsFormattedAmounts(t *testing.T) {
	for _, s := range []string{"0", "0.05", "1234.5", "-1234.5", "999999999999.99", "-0.01", "1000"} {
		d := dec(s)
		for _, text := range []string{FormatAmount(d), PlainAmount(d)} {
			got, err := ParseAmount(text)
			if err != nil || !got.Equal(d) {
				t.Errorf("ParseAmount(%q) = %s, %v; want %s", text, got, err, d)
			}
		}
	}
}

func TestParseArea_AcceptsRegisterForms(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"89.5", "89.5"},
		{"120.35", "120.35"},
		{" 1,234.56 ", "1234.56"},
		{"88㎡", "88"},
		{"88.2 m²", "88.2"},
		{"88.2m2", "88.2"},
		{"100平方米", "100"},
		{"100 平米", "100"},
		{"９０．１２", "90.12"},
		{"0.01", "0.01"},
	} {
		got, err := ParseArea(c.in)
		if err != nil {
			t.Errorf("ParseArea(%q): %v", c.in, err)
			continue
		}
		if !got.Equal(dec(c.want)) {
			t.Errorf("ParseArea(%q) = %s, want %s", c.in, got, c.want)
		}
	}
}

func TestParseArea_MustBePositive(t *testing.T) {
	for _, in := range []string{"0", "0.00", "-5", "-0.5", "0㎡"} {
		rejects(t, ParseArea, in, "面积", "greater than 0")
	}
}

func TestParseArea_AtMostTwoDecimals(t *testing.T) {
	for _, in := range []string{"12.345", "89.500"} {
		rejects(t, ParseArea, in, "面积", "more than 2 decimals")
	}
}

func TestParseArea_RejectsNonNumbers(t *testing.T) {
	for _, in := range []string{"abc", "¥12", "+12", "12m", "1e2", "NaN", "1,23"} {
		rejects(t, ParseArea, in, "面积", "area")
	}
	rejects(t, ParseArea, "", "请输入面积", "enter the area")
}

func TestFormatAmount_SymbolThousandsTwoDecimals(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"1234.5", "¥1,234.50"},
		{"-1234.5", "-¥1,234.50"},
		{"0", "¥0.00"},
		{"0.05", "¥0.05"},
		{"999", "¥999.00"},
		{"1000", "¥1,000.00"},
		{"100000", "¥100,000.00"},
		{"1234567.891", "¥1,234,567.89"},
		{"0.005", "¥0.01"},
		{"-0.001", "¥0.00"}, // rounds to zero: no minus sign
		{"-999999999999.99", "-¥999,999,999,999.99"},
	} {
		if got := FormatAmount(dec(c.in)); got != c.want {
			t.Errorf("FormatAmount(%s) = %s, want %s", c.in, got, c.want)
		}
	}
}

func TestPlainAmount_TwoDecimalsNoSymbolNoCommas(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"1234.5", "1234.50"},
		{"1234", "1234.00"},
		{"-5", "-5.00"},
		{"0", "0.00"},
		{"1234567.891", "1234567.89"},
		{"2.675", "2.68"},
		{"-0.004", "0.00"},
	} {
		if got := PlainAmount(dec(c.in)); got != c.want {
			t.Errorf("PlainAmount(%s) = %s, want %s", c.in, got, c.want)
		}
	}
}

func TestRound2_HalfUpForPositive(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"0.125", "0.13"},
		{"0.124999", "0.12"},
		{"2.675", "2.68"},
		{"1.005", "1.01"},
		{"31.5 ", "31.5"},
		{"12.3449", "12.34"},
	} {
		if got := Round2(dec(strings.TrimSpace(c.in))); !got.Equal(dec(c.want)) {
			t.Errorf("Round2(%s) = %s, want %s", c.in, got, c.want)
		}
	}
}

// Negative amounts round half away from zero, so a reversal cancels its entry exactly.
func TestRound2_NegativeHalfAwayFromZero(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"-0.125", "-0.13"},
		{"-0.124", "-0.12"},
		{"-2.675", "-2.68"},
	} {
		if got := Round2(dec(c.in)); !got.Equal(dec(c.want)) {
			t.Errorf("Round2(%s) = %s, want %s", c.in, got, c.want)
		}
	}
	for _, s := range []string{"0.125", "1.005", "7.3350", "0.0049"} {
		x := dec(s)
		if !Round2(x.Neg()).Equal(Round2(x).Neg()) {
			t.Errorf("Round2(-%s) != -Round2(%s)", s, s)
		}
	}
}

func FuzzParseAmount(f *testing.F) {
	for _, s := range []string{"1,234.5", "¥1234.50", "￥1,234.50", " 12 ", "1234", "-5.00", "-¥1,234.50",
		"1.234", "1,23", "NaN", "1e3", "", "abc", "１２３．４５", "0.05", "999,999,999,999.99", "+¥.5", "¥-0", "100元"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseAmount(s)
		if err != nil {
			if ErrorCode(err) != EINVALID {
				t.Fatalf("ParseAmount(%q): error code %q, want %q", s, ErrorCode(err), EINVALID)
			}
			return
		}
		if !Round2(d).Equal(d) {
			t.Fatalf("ParseAmount(%q) = %s has more than 2 decimals", s, d)
		}
		for _, text := range []string{PlainAmount(d), FormatAmount(d)} {
			back, err := ParseAmount(text)
			if err != nil {
				t.Fatalf("ParseAmount(%q) = %s, formatted %q, which does not parse: %v", s, d, text, err)
			}
			if !back.Equal(d) {
				t.Fatalf("ParseAmount(%q) = %s, formatted %q, parses back as %s", s, d, text, back)
			}
		}
		if AmountInWords(d) == "" {
			t.Fatalf("AmountInWords(%s) is empty", d)
		}
		if a, err := ParseArea(s); err == nil && a.Sign() <= 0 {
			t.Fatalf("ParseArea(%q) = %s, not positive", s, a)
		}
	})
}

// TestParseRate_OneReadingOfAPrice: a price or a daily rate reads the same on the
// command line (--price, --rate) and in the window's price form: exactly as typed, never
// through an exponent or a float.
func TestParseRate_OneReadingOfAPrice(t *testing.T) {
	for in, want := range map[string]string{
		"0.35": "0.35", "1.275": "1.275", " 2 ": "2", "0.000001": "0.000001", "０．３５": "0.35", "0": "0",
		"1e-1": "", "1E2": "", "+1": "", "-0.1": "", "0.0000001": "", "abc": "", "": "", ".": "", "NaN": "", "Inf": "", "0x10": "",
	} {
		d, err := ParseRate(in)
		switch {
		case want == "" && err == nil:
			t.Errorf("%q read as %s; want it refused", in, d)
		case want != "" && (err != nil || !d.Equal(dec(want))):
			t.Errorf("%q: %s %v; want %s", in, d, err, want)
		}
	}
}

func FuzzParseRate(f *testing.F) {
	for _, s := range []string{"0.35", "1e-1", "１．２", "-0", "0.1234567", "9999999999.999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseRate(s)
		if err != nil {
			return
		}
		if d.IsNegative() || !d.Equal(d.Round(6)) {
			t.Fatalf("%q read as %s", s, d)
		}
		if again, err := ParseRate(d.String()); err != nil || !again.Equal(d) {
			t.Fatalf("%q → %s does not read back (%v)", s, d, err)
		}
	})
}
