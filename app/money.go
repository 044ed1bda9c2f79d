package app

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/shopspring/decimal"
)

// Money in Sunledger is always a shopspring decimal, never a float: a float cannot hold
// 0.10 exactly, and a committee must be able to add up a printed notice by hand and get
// the same 分 as the books (docs/domain.md, "Money").

// maxIntDigits bounds the integer part a user may type for an amount or an area:
// 12 digits is 9999亿, far above anything a community handles, so a longer number is a
// typing slip (a pasted account number, a doubled paste), not an amount.
const maxIntDigits = 12

// ParseAmount reads an amount typed by a committee member and returns exactly the value
// typed, never rounded: "1,234.5", "¥1234.50", "￥1,234.50", " 12 ", "1234", "-5.00",
// "-¥5", "¥-5", "１２３．４５" (full-width digits, point, comma and minus are folded to
// ASCII first, because Chinese input methods produce them) and a trailing "元" are all
// accepted. Negative amounts are accepted here (refunds, reversals); callers that need a
// positive amount check the sign.
//
// Rejected, each with a message saying why: empty input; letters or any other character;
// more than 2 decimals ("1.234" is an error, not rounded, since the books are kept to 分
// and silently dropping a digit the user typed would change the amount); commas that are
// not thousands separators ("1,23", "12,34,567", a comma after the point); "NaN",
// "Inf" and exponents ("1e3"); a bare point ("5.", ".5"); more than 12 integer digits.
func ParseAmount(s string) (decimal.Decimal, error) {
	return parseDecimal(s, true)
}

// ParseRate reads a price (元/m²·月) or a daily late-fee rate as typed on the command
// line or in the window: a non-negative decimal with at most 6 decimals, full-width
// digits folded to ASCII. An exponent ("1e-1"), a sign or anything else is refused: a
// price is typed as the contract writes it.
func ParseRate(s string) (decimal.Decimal, error) {
	t := strings.TrimSpace(fullWidth.Replace(s))
	bad := Errorf(EINVALID, "%q 不是有效的数值（例如 0.35）", "%q is not a valid number (e.g. 0.35)", strings.TrimSpace(s))
	if t == "" || strings.ContainsAny(t, "eE+") {
		return decimal.Decimal{}, bad
	}
	if _, err := strconv.ParseFloat(t, 64); err != nil { // syntax check only; the value is parsed exactly below
		return decimal.Decimal{}, bad
	}
	d, err := decimal.NewFromString(t)
	if err != nil {
		return decimal.Decimal{}, bad
	}
	if d.IsNegative() {
		return decimal.Decimal{}, Errorf(EINVALID, "%q 不能为负数", "%q cannot be negative", strings.TrimSpace(s))
	}
	if !d.Equal(d.Round(6)) {
		return decimal.Decimal{}, Errorf(EINVALID, "%q 小数位太多", "%q has too many decimals", strings.TrimSpace(s))
	}
	return d, nil
}

// ParseArea reads a unit's exclusive area (专有部分面积) in m² as written in the property
// register: greater than 0 and at most 2 decimals, like the register itself. Thousands
// separators, full-width digits and a trailing unit ("㎡", "m²", "m2", "平方米", "平米")
// are accepted; a sign or a currency symbol is not. Because fees are area × price, a
// wrong area is a wrong bill every month, so 0, negative and over-precise areas are
// errors rather than guesses.
func ParseArea(s string) (decimal.Decimal, error) {
	d, err := parseDecimal(s, false)
	if err != nil {
		return decimal.Zero, err
	}
	if d.Sign() <= 0 {
		return decimal.Zero, Errorf(EINVALID, "面积 %q 必须大于 0", "area %q must be greater than 0", strings.TrimSpace(s))
	}
	return d, nil
}

// fullWidth folds the full-width forms a Chinese input method produces to ASCII.
var fullWidth = strings.NewReplacer(
	"０", "0", "１", "1", "２", "2", "３", "3", "４", "4",
	"５", "5", "６", "6", "７", "7", "８", "8", "９", "9",
	"．", ".", "，", ",", "－", "-", "−", "-", "＋", "+", "\u3000", " ", "\u00a0", " ",
)

// areaUnits are the suffixes accepted after an area, longest first.
var areaUnits = []string{"平方米", "平米", "㎡", "m²", "M²", "m2", "M2"}

// parseDecimal is the shared reader behind ParseAmount (money=true: sign, ¥/￥ and 元
// allowed, messages say 金额) and ParseArea (money=false: unit suffix allowed, no sign,
// messages say 面积).
func parseDecimal(raw string, money bool) (decimal.Decimal, error) {
	shown := strings.TrimSpace(raw)
	// Messages name what was being read (%[1]s in Chinese, %[2]s in English) and quote
	// the input as typed (%[3]q).
	fail := func(p problem) (decimal.Decimal, error) {
		zhWhat, enWhat := "面积", "area"
		if money {
			zhWhat, enWhat = "金额", "amount"
		}
		return decimal.Zero, Errorf(EINVALID, p.zh, p.en, zhWhat, enWhat, shown)
	}
	if !utf8.ValidString(raw) {
		return fail(problem{"%[1]s不是有效的文字", "the %[2]s is not valid text"})
	}
	s := strings.TrimSpace(fullWidth.Replace(raw))
	if s == "" {
		return fail(problem{"请输入%[1]s", "please enter the %[2]s"})
	}
	neg := false
	if money {
		s, neg = trimMoney(s)
	} else {
		s = trimAreaUnit(s)
		if strings.HasPrefix(s, "-") {
			return fail(problem{"%[1]s %[3]q 必须大于 0", "%[2]s %[3]q must be greater than 0"})
		}
	}
	num, p := plainNumber(s)
	if p != (problem{}) {
		return fail(p)
	}
	d, err := decimal.NewFromString(num)
	if err != nil { // cannot happen: num is ASCII digits with an optional point
		return fail(probNotANumber)
	}
	if neg {
		d = d.Neg()
	}
	return d, nil
}

// problem is what is wrong with a number as typed, in Chinese and English, with the
// verbs parseDecimal fills in; the zero problem is none.
type problem struct{ zh, en string }

var (
	probNotANumber = problem{"%[1]s %[3]q 不是数字，请只写数字，例如 1,234.50", "%[2]s %[3]q is not a number; write digits only, e.g. 1,234.50"}
	probComma      = problem{"%[1]s %[3]q 的逗号位置不对：逗号只能用作千位分隔，例如 1,234.50", "%[2]s %[3]q has a misplaced comma: commas only separate thousands, e.g. 1,234.50"}
	probBarePoint  = problem{"%[1]s %[3]q 的小数点前后都要有数字，例如 0.50", "%[2]s %[3]q needs digits on both sides of the point, e.g. 0.50"}
	probDecimals   = problem{"%[1]s %[3]q 最多两位小数", "%[2]s %[3]q has more than 2 decimals"}
	probTooLarge   = problem{"%[1]s %[3]q 太大了，请检查是否多输了数字", "%[2]s %[3]q is too large; check for extra digits"}
)

// trimMoney removes what may surround an amount: 元 after it, and before it at most one
// sign and one currency symbol, in either order: "-¥5" (what FormatAmount prints) and
// "¥-5" (what people sometimes type).
func trimMoney(s string) (rest string, neg bool) {
	s = strings.TrimSpace(strings.TrimSuffix(s, "元"))
	signSeen, symbolSeen := false, false
	for s != "" {
		if !signSeen && (s[0] == '-' || s[0] == '+') {
			signSeen, neg = true, s[0] == '-'
			s = strings.TrimSpace(s[1:])
		} else if rest, ok := trimSymbol(s); ok && !symbolSeen {
			symbolSeen = true
			s = strings.TrimSpace(rest)
		} else {
			break
		}
	}
	return s, neg
}

// trimAreaUnit removes a unit written after an area (平方米, ㎡, m²…).
func trimAreaUnit(s string) string {
	for _, u := range areaUnits {
		if rest, ok := strings.CutSuffix(s, u); ok {
			return strings.TrimSpace(rest)
		}
	}
	return s
}

// plainNumber checks the digits of a number as typed — thousands separated by commas in
// groups of three, at most two decimals, no more than maxIntDigits before the point —
// and returns it without commas, or what is wrong with it.
func plainNumber(s string) (string, problem) {
	if s == "" {
		return "", probNotANumber
	}
	intPart, frac, hasPoint := strings.Cut(s, ".")
	if strings.Contains(frac, ",") {
		return "", probComma
	}
	if !allDigits(frac) || strings.Contains(frac, ".") {
		return "", probNotANumber
	}
	if hasPoint && (frac == "" || intPart == "") {
		return "", probBarePoint
	}
	digits := intPart
	if strings.Contains(intPart, ",") {
		groups := strings.Split(intPart, ",")
		for _, g := range groups {
			if !allDigits(g) {
				return "", probNotANumber
			}
		}
		for i, g := range groups {
			// 1 to 3 digits, not starting with 0, then groups of exactly 3.
			if (i == 0 && (len(g) < 1 || len(g) > 3 || g[0] == '0')) || (i > 0 && len(g) != 3) {
				return "", probComma
			}
		}
		digits = strings.Join(groups, "")
	} else if intPart == "" || !allDigits(intPart) {
		return "", probNotANumber
	}
	if len(frac) > 2 {
		return "", probDecimals
	}
	if len(strings.TrimLeft(digits, "0")) > maxIntDigits {
		return "", probTooLarge
	}
	if hasPoint {
		return digits + "." + frac, problem{}
	}
	return digits, problem{}
}

// trimSymbol removes a leading yuan sign, half-width ¥ or full-width ￥.
func trimSymbol(s string) (string, bool) {
	for _, sym := range []string{"¥", "￥"} {
		if rest, ok := strings.CutPrefix(s, sym); ok {
			return rest, true
		}
	}
	return s, false
}

// allDigits reports whether s is made of ASCII digits only (true for "").
func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// Round2 rounds to 分 (2 decimals), half away from zero: 0.125 → 0.13, -0.125 → -0.13.
// docs/domain.md ("Money") says every computed bill line is rounded half-up to 分 once; for
// the positive amounts of bills that is exactly half-up. For negative amounts (refunds,
// reversing entries) we round half away from zero rather than towards +∞, so that
// Round2(-x) == -Round2(x): a reversal always cancels the entry it reverses to the 分.
func Round2(d decimal.Decimal) decimal.Decimal {
	return d.Round(2)
}

// FormatAmount is how an amount is shown to people (screens, notices, receipts):
// "¥1,234.50", negative "-¥1,234.50", always 2 decimals, after Round2. A value that
// rounds to zero is "¥0.00", never "-¥0.00".
func FormatAmount(d decimal.Decimal) string {
	r := Round2(d)
	plain := r.Abs().StringFixed(2)
	intPart, frac, _ := strings.Cut(plain, ".")
	var b strings.Builder
	if r.Sign() < 0 {
		b.WriteByte('-')
	}
	b.WriteString("¥")
	for i := 0; i < len(intPart); i++ {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteByte(intPart[i])
	}
	b.WriteByte('.')
	b.WriteString(frac)
	return b.String()
}

// PlainAmount is the machine form used in JSON and CSV: "1234.50", "-5.00"; always 2
// decimals (after Round2), no symbol, no commas, so spreadsheets and diff tools see the
// same text for the same amount. ParseAmount reads it back to the same value.
func PlainAmount(d decimal.Decimal) string {
	return Round2(d).StringFixed(2)
}

var (
	cnDigits    = [10]string{"零", "壹", "贰", "叁", "肆", "伍", "陆", "柒", "捌", "玖"}
	cnPlace     = [4]string{"", "拾", "佰", "仟"} // within a 4-digit section
	cnFracPlace = [2]string{"角", "分"}
)

// AmountInWords writes an amount in capitals (大写金额) for receipts and notices, following
// PBOC 正确填写票据和结算凭证的基本规定 (中国人民银行, 银发〔1997〕393号, 附件一):
//
//   - characters 零壹贰叁肆伍陆柒捌玖拾佰仟万亿元角分整, never 一二三 or 〇;
//   - "整" after 元 when the amount stops at 元, and (we always choose to) after 角 when
//     it stops at 角; never after 分 (1,409.50 → 壹仟肆佰零玖元伍角整);
//   - a zero inside the number is written 零 (1,409.50 → 壹仟肆佰零玖元…), and a run of
//     zeros is one 零 (6,007.14 → 陆仟零柒元壹角肆分; 10,010 → 壹万零壹拾元整);
//   - when 角 is 0 and 分 is not, 零 follows 元 (325.04 → 叁佰贰拾伍元零肆分);
//   - 壹拾 for a leading ten (10 → 壹拾元整; 100,000.00 → 壹拾万元整), as the rules
//     require, since a bare 拾 can be altered by adding a digit before it.
//
// Where the rules allow two forms (规定 第(三)款: when 万位 or 元位 is 0, or a run of zeros
// ends there, but 千位 or 角位 is not, one 零 may be written or none), the canonical
// form here is:
//
//   - a run of zeros gets one 零, except when the run is exactly the single digit at 万位,
//     亿位 or 元位, whose unit character (万/亿/元) already marks the place:
//     105,000 → 壹拾万伍仟元整; 1,680.32 → 壹仟陆佰捌拾元叁角贰分; but
//     1,001,000 → 壹佰万零壹仟元整 and 1,600.32 → 壹仟陆佰元零叁角贰分;
//   - a section of four zeros writes no unit and no 零万 (100,000,001 → 壹亿零壹元整);
//     zeros at the end of the amount write nothing (20,000,000.00 → 贰仟万元整);
//   - an amount under one 元 has no leading 零元: 0.05 → 伍分, 0.50 → 伍角整;
//     zero itself is 零元整;
//   - a negative amount is prefixed 负 (-12.30 → 负壹拾贰元叁角整); the rules have no
//     negative amounts, but refunds and reversing entries do;
//   - above 9999亿, 亿 counts like any unit: 1,000,000,000,000 → 壹万亿元整,
//     1,000,100,000,000 → 壹万零壹亿元整, 10^16 → 壹亿亿元整; ParseAmount refuses such
//     amounts, but totals never fail to print.
//
// An amount with more than 2 decimals is first rounded with Round2.
func AmountInWords(d decimal.Decimal) string {
	r := Round2(d)
	if r.Sign() == 0 {
		return "零元整"
	}
	// All the digits, down to 分: "140950" for 1,409.50.
	cents := r.Abs().Shift(2).StringFixed(0)
	for len(cents) < 3 {
		cents = "0" + cents
	}
	n := len(cents)
	intNonZero := strings.TrimLeft(cents[:n-2], "0") != ""

	var b strings.Builder
	if r.Sign() < 0 {
		b.WriteString("负")
	}
	written := false  // a nonzero digit has been written
	zeroRun := 0      // zeros seen since the last nonzero digit
	zeroRunStart := 0 // place (power of ten) of the first zero in the run
	for i := 0; i < n; i++ {
		p := n - 3 - i // place: 0 is 元, -1 角, -2 分
		c := cents[i] - '0'
		if c == 0 {
			if written {
				if zeroRun == 0 {
					zeroRunStart = p
				}
				zeroRun++
			}
		} else {
			if zeroRun > 0 && !(zeroRun == 1 && zeroRunStart >= 0 && zeroRunStart%4 == 0) {
				b.WriteString("零")
			}
			zeroRun = 0
			written = true
			b.WriteString(cnDigits[c])
			if p >= 0 {
				b.WriteString(cnPlace[p%4])
			} else {
				b.WriteString(cnFracPlace[-p-1])
			}
		}
		switch {
		case p == 0 && intNonZero:
			b.WriteString("元")
		case p > 0 && p%8 == 4:
			// 万 ends its 4-digit section, unless all four digits are 0.
			if strings.Trim(cents[max(i-3, 0):i+1], "0") != "" {
				b.WriteString("万")
			}
		case p > 0 && p%8 == 0:
			// 亿 multiplies everything written before it (壹万零壹亿 is 10001 亿), so it
			// is written whenever any higher digit is nonzero: 壹万亿, 壹亿亿.
			if strings.Trim(cents[:i+1], "0") != "" {
				b.WriteString("亿")
			}
		}
	}
	if cents[n-1] == '0' {
		b.WriteString("整")
	}
	return b.String()
}
