package app

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

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
