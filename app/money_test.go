package app

import (
	"errors"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// wordsCase is one amount and its 大写金额.
type wordsCase struct{ amount, words string }

func checkWords(t *testing.T, cases []wordsCase) {
	t.Helper()
	for _, c := range cases {
		if got := AmountInWords(dec(c.amount)); got != c.words {
			t.Errorf("AmountInWords(%s) = %s, want %s", c.amount, got, c.words)
		}
	}
}

// The examples written in docs/domain.md ("Money"), which come from the PBOC rules.
func TestAmountInWords_DesignExamples(t *testing.T) {
	checkWords(t, []wordsCase{
		{"1409.50", "壹仟肆佰零玖元伍角整"},
		{"6007.14", "陆仟零柒元壹角肆分"},
		{"16409.02", "壹万陆仟肆佰零玖元零贰分"},
		{"12345.67", "壹万贰仟叁佰肆拾伍元陆角柒分"},
		{"100000.00", "壹拾万元整"},
		{"325.04", "叁佰贰拾伍元零肆分"},
	})
}

// PBOC (一): a zero in the middle of the number is written 零.
func TestAmountInWords_ZeroInsideIsLing(t *testing.T) {
	checkWords(t, []wordsCase{
		{"1409.50", "壹仟肆佰零玖元伍角整"},
		{"101", "壹佰零壹元整"},
		{"1.01", "壹元零壹分"},
		{"11010", "壹万壹仟零壹拾元整"},
	})
}

// PBOC (二): a run of zeros in the middle of the number is one 零.
func TestAmountInWords_ZeroRunIsOneLing(t *testing.T) {
	checkWords(t, []wordsCase{
		{"6007.14", "陆仟零柒元壹角肆分"},
		{"10010", "壹万零壹拾元整"},
		{"1001000", "壹佰万零壹仟元整"},
		{"100000001", "壹亿零壹元整"},
		{"100010000", "壹亿零壹万元整"},
		{"1000.01", "壹仟元零壹分"},
		{"10000000.10", "壹仟万元零壹角整"},
	})
}

// PBOC (四): when 角 is 0 and 分 is not, 零 is written after 元.
func TestAmountInWords_JiaoZeroFenNonZeroIsLingAfterYuan(t *testing.T) {
	checkWords(t, []wordsCase{
		{"325.04", "叁佰贰拾伍元零肆分"},
		{"16409.02", "壹万陆仟肆佰零玖元零贰分"},
		{"20000000.01", "贰仟万元零壹分"},
		{"10.05", "壹拾元零伍分"},
		{"1.09", "壹元零玖分"},
	})
}

// PBOC: "整" after 元, and (our choice, allowed by the rules) after 角; never after 分.
func TestAmountInWords_ZhengAfterYuanOrJiaoNotFen(t *testing.T) {
	checkWords(t, []wordsCase{
		{"1.00", "壹元整"},
		{"1", "壹元整"},
		{"0.50", "伍角整"},
		{"12.30", "壹拾贰元叁角整"},
		{"12.34", "壹拾贰元叁角肆分"},
		{"0.05", "伍分"},
	})
}

// PBOC: 壹拾 for a leading ten, in every section.
func TestAmountInWords_LeadingTenIsYiShi(t *testing.T) {
	checkWords(t, []wordsCase{
		{"10", "壹拾元整"},
		{"15", "壹拾伍元整"},
		{"100000", "壹拾万元整"},
		{"1000000000", "壹拾亿元整"},
		{"115", "壹佰壹拾伍元整"},
	})
}

// Choice between the two forms PBOC (三) allows: a run that is only the zero at 万位,
// 亿位 or 元位 gets no 零 (the unit marks the place); a longer run gets one 零.
func TestAmountInWords_SingleZeroAtUnitPlaceHasNoLing(t *testing.T) {
	checkWords(t, []wordsCase{
		{"105000", "壹拾万伍仟元整"},
		{"1680.32", "壹仟陆佰捌拾元叁角贰分"},
		{"1010000000", "壹拾亿壹仟万元整"},
		{"10.5", "壹拾元伍角整"},
		// longer runs
		{"1001000", "壹佰万零壹仟元整"},
		{"1600.32", "壹仟陆佰元零叁角贰分"},
		{"107000.53", "壹拾万柒仟元零伍角叁分"}, // PBOC's own first form
	})
}

// A 万 or 亿 section of four zeros writes neither its unit nor 零万.
func TestAmountInWords_ZeroSectionHasNoUnit(t *testing.T) {
	checkWords(t, []wordsCase{
		{"100000000", "壹亿元整"},
		{"100000001", "壹亿零壹元整"},
		{"100005000", "壹亿零伍仟元整"},
		{"200000000000", "贰仟亿元整"},
		{"1000000000000", "壹万亿元整"},
	})
}

// Zeros at the end of the amount write nothing, not even 零 before 元.
func TestAmountInWords_TrailingZerosWriteNothing(t *testing.T) {
	checkWords(t, []wordsCase{
		{"1000000", "壹佰万元整"},
		{"100000.00", "壹拾万元整"},
		{"20000000", "贰仟万元整"},
		{"3000", "叁仟元整"},
		{"3000.50", "叁仟元零伍角整"}, // a run of three zeros before 角 is still one 零
	})
}

// Canonical choice: under one 元 there is no leading 零元.
func TestAmountInWords_UnderOneYuanHasNoLingYuan(t *testing.T) {
	checkWords(t, []wordsCase{
		{"0.05", "伍分"},
		{"0.50", "伍角整"},
		{"0.55", "伍角伍分"},
		{"0.01", "壹分"},
	})
}

func TestAmountInWords_ZeroIsLingYuanZheng(t *testing.T) {
	checkWords(t, []wordsCase{
		{"0", "零元整"},
		{"0.00", "零元整"},
		{"-0.004", "零元整"}, // rounds to zero: no 负
	})
}

func TestAmountInWords_NegativeHasFu(t *testing.T) {
	checkWords(t, []wordsCase{
		{"-12.30", "负壹拾贰元叁角整"},
		{"-0.05", "负伍分"},
		{"-1409.50", "负壹仟肆佰零玖元伍角整"},
	})
}

func TestAmountInWords_UpTo9999Yi(t *testing.T) {
	checkWords(t, []wordsCase{
		{"999999999999.99", "玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分"},
		{"100000000000", "壹仟亿元整"},
		{"123456789012.34", "壹仟贰佰叁拾肆亿伍仟陆佰柒拾捌万玖仟零壹拾贰元叁角肆分"},
		{"1000000000000", "壹万亿元整"},
		{"1000100000000", "壹万零壹亿元整"},
		{"10000000000000000", "壹亿亿元整"},
		{"1000000010000000", "壹仟万亿零壹仟万元整"},
	})
}

func TestAmountInWords_RoundsToFenFirst(t *testing.T) {
	checkWords(t, []wordsCase{
		{"1.005", "壹元零壹分"},
		{"0.994", "玖角玖分"},
		{"9.995", "壹拾元整"},
		{"-9.995", "负壹拾元整"},
	})
}

// wordsToCents reads 大写金额 back to 分, independently of AmountInWords.
func wordsToCents(t *testing.T, w string) int64 {
	t.Helper()
	digit := map[rune]int64{'零': 0, '壹': 1, '贰': 2, '叁': 3, '肆': 4, '伍': 5, '陆': 6, '柒': 7, '捌': 8, '玖': 9}
	place := map[rune]int64{'拾': 10, '佰': 100, '仟': 1000}
	sign := int64(1)
	if rest, ok := strings.CutPrefix(w, "负"); ok {
		sign, w = -1, rest
	}
	var total, wan, small, d, yuan, jiao, fen int64
	for _, r := range w {
		switch {
		case r == '零' || r == '整':
		case digit[r] != 0:
			d = digit[r]
		case place[r] != 0:
			small += d * place[r]
			d = 0
		case r == '万':
			wan += (small + d) * 10000
			small, d = 0, 0
		case r == '亿':
			total = (total + wan + small + d) * 100000000
			wan, small, d = 0, 0, 0
		case r == '元':
			yuan = total + wan + small + d
			total, wan, small, d = 0, 0, 0, 0
		case r == '角':
			jiao, d = d, 0
		case r == '分':
			fen, d = d, 0
		default:
			t.Fatalf("%s: unexpected character %q", w, r)
		}
	}
	return sign * (yuan*100 + jiao*10 + fen)
}

// expectedLing counts the 零 the canonical form must contain: one per run of zeros
// between two nonzero digits (down to 分), except a run that is only the digit at 万位,
// 亿位 or 元位.
func expectedLing(cents int64) int {
	if cents < 0 {
		cents = -cents
	}
	s := decimal.NewFromInt(cents).String()
	for len(s) < 3 {
		s = "0" + s
	}
	n, count := len(s), 0
	for i := 0; i < n; {
		if s[i] != '0' {
			i++
			continue
		}
		j := i
		for j < n && s[j] == '0' {
			j++
		}
		inside := strings.TrimLeft(s[:i], "0") != "" && j < n
		p := n - 3 - i
		if inside && !(j-i == 1 && p >= 0 && p%4 == 0) {
			count++
		}
		i = j
	}
	return count
}

// Every amount's words read back to the same amount, use only the PBOC characters, never
// repeat 零 or put it before a unit or at the end, carry 零 exactly where the canonical
// rule says, and end in 整 exactly when 分 is 0.
func TestAmountInWords_ReadsBackAndIsWellFormed(t *testing.T) {
	var amounts []int64
	for c := int64(0); c <= 30000; c++ {
		amounts = append(amounts, c)
	}
	// Numbers made of 0s and 1s and 0s and 5s stress the zero rules.
	for mask := int64(0); mask < 1<<16; mask++ {
		var a, b int64
		for bit := 15; bit >= 0; bit-- {
			a, b = a*10, b*10
			if mask>>bit&1 == 1 {
				a++
				b += 5
			}
		}
		amounts = append(amounts, a, b, -a)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 50000 {
		amounts = append(amounts, rng.Int64N(100000000000000)) // up to 9999亿
		amounts = append(amounts, -rng.Int64N(100000000000000000))
	}
	units := "拾佰仟万亿元角分整"
	for _, c := range amounts {
		d := decimal.New(c, -2)
		w := AmountInWords(d)
		if got := wordsToCents(t, w); got != c {
			t.Fatalf("%s → %s reads back as %d分", PlainAmount(d), w, got)
		}
		if strings.Trim(w, "负零壹贰叁肆伍陆柒捌玖拾佰仟万亿元角分整") != "" {
			t.Fatalf("%s → %s has characters outside the PBOC set", PlainAmount(d), w)
		}
		if strings.Contains(w, "零零") || strings.HasSuffix(w, "零") ||
			(strings.HasPrefix(strings.TrimPrefix(w, "负"), "零") && w != "零元整") {
			t.Fatalf("%s → %s misplaces 零", PlainAmount(d), w)
		}
		for _, u := range units {
			if strings.Contains(w, "零"+string(u)) && w != "零元整" {
				t.Fatalf("%s → %s has 零 before %c", PlainAmount(d), w, u)
			}
		}
		if c != 0 {
			if got, want := strings.Count(w, "零"), expectedLing(c); got != want {
				t.Fatalf("%s → %s has %d 零, want %d", PlainAmount(d), w, got, want)
			}
		}
		if strings.HasSuffix(w, "整") != (c%10 == 0) {
			t.Fatalf("%s → %s: 整 must end the words exactly when 分 is 0", PlainAmount(d), w)
		}
	}
}

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
