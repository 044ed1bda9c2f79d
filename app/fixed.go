package app

import (
	"strconv"
	"sync"
	"unicode/utf8"

	"github.com/shopspring/decimal"
)

// AppendFixed2 appends d rounded to two places exactly as d.StringFixed(2) writes it
// ("152.39", "-0.05", "13182640.50"). The canonical entry (the journal's hashes) and
// verify's cross-check write every amount of the book this way; an amount of at most
// two decimals and sixteen digits, i.e. every amount a book holds, is written with
// integer arithmetic instead of StringFixed's big-number rounding, anything else by
// StringFixed itself (a fuzz test holds the two to the same bytes).
func AppendFixed2(b []byte, d decimal.Decimal) []byte {
	exp := d.Exponent()
	if exp < -2 || exp > 0 {
		return append(b, d.StringFixed(2)...)
	}
	n := d.NumDigits()
	if n > 16 {
		return append(b, d.StringFixed(2)...)
	}
	c := d.CoefficientInt64()
	for ; exp > -2; exp-- {
		c *= 10
	}
	return AppendCents2(b, c)
}

// AppendCents2 appends c hundredths as AppendFixed2 writes the amount ("152.39", "-0.05").
func AppendCents2(b []byte, c int64) []byte {
	if c < 0 {
		b = append(b, '-')
		c = -c
	}
	b = strconv.AppendInt(b, c/100, 10)
	f := c % 100
	return append(b, '.', byte('0'+f/10), byte('0'+f%10))
}

// appendQuote appends strconv.Quote(s) — the canonical entry's quoting — copying s
// whole when every rune is one Quote keeps as it is (most descriptions and accounts:
// Chinese text, digits, punctuation), which spares strconv's table search per rune.
func appendQuote(b []byte, s string) []byte {
	table := printable()
	for i := 0; i < len(s); {
		// Eight plain ASCII bytes at a time: no byte with the high bit, none below 0x20,
		// no DEL, quote or backslash (the bit tricks of jsonscan).
		for i+8 <= len(s) {
			x := uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
				uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
			if x&hiBits|((x-loBits*0x20)&^x&hiBits)|zeroByte(x^(loBits*0x7f))|zeroByte(x^(loBits*'"'))|zeroByte(x^(loBits*'\\')) != 0 {
				break
			}
			i += 8
		}
		if i >= len(s) {
			break
		}
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 || c == 0x7f || c == '"' || c == '\\' {
				return strconv.AppendQuote(b, s)
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError || !quotedAsIs(table, r) {
			return strconv.AppendQuote(b, s)
		}
		i += n
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

const (
	loBits = 0x0101010101010101
	hiBits = 0x8080808080808080
)

// zeroByte is non-zero exactly when a byte of x is zero.
func zeroByte(x uint64) uint64 { return (x - loBits) & ^x & hiBits }

// printable is strconv.IsPrint for the runes below U+10000, one bit each, built once.
var printable = sync.OnceValue(func() *[1 << 10]uint64 {
	var t [1 << 10]uint64
	for r := rune(0); r < 1<<16; r++ {
		if strconv.IsPrint(r) {
			t[r>>6] |= 1 << (r & 63)
		}
	}
	return &t
})

// quotedAsIs reports whether strconv.Quote writes r as it is (table is printable()).
func quotedAsIs(table *[1 << 10]uint64, r rune) bool {
	if r < 1<<16 {
		return table[r>>6]&(1<<(r&63)) != 0
	}
	return strconv.IsPrint(r)
}
