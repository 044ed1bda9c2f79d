// Package jsonscan reads, fast, the flat JSON records that encoding/json writes for the
// book (journal entries, receipts): objects of strings, integers and arrays of such
// objects. It is strict: anything outside that shape — an escape in a string, a float,
// null, an unknown key, invalid UTF-8 — marks the scan bad, and the caller decodes the
// record with encoding/json instead, so the result is always what encoding/json gives.
// verify decodes a quarter of a million entries and receipts on a large book; this is
// several times faster and allocates only the strings it returns.
package jsonscan

import (
	"encoding/binary"
	"unicode/utf8"
)

// Scanner reads one JSON value from b.
type Scanner struct {
	b   []byte
	str string // b as a string, for NewShared
	i   int
	bad bool
}

// New returns a scanner over b.
func New(b []byte) Scanner { return Scanner{b: b} }

// NewShared returns a scanner over b whose String results are cut from str, which must
// hold the same bytes as b: one allocation for the whole record instead of one per
// string, and whoever keeps one of its strings keeps the whole of str.
func NewShared(b []byte, str string) Scanner { return Scanner{b: b, str: str} }

// Bad reports whether the input left the shape the scanner reads.
func (s *Scanner) Bad() bool { return s.bad }

// Fail marks the scan bad (an unknown key, a value of the wrong kind).
func (s *Scanner) Fail() { s.bad = true }

func (s *Scanner) ws() {
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ' ', '\t', '\n', '\r':
			s.i++
		default:
			return
		}
	}
}

// take consumes c after any whitespace, or marks the scan bad.
func (s *Scanner) take(c byte) bool {
	s.ws()
	if s.bad || s.i >= len(s.b) || s.b[s.i] != c {
		s.bad = true
		return false
	}
	s.i++
	return true
}

// peek is the next byte after whitespace, 0 at the end.
func (s *Scanner) peek() byte {
	s.ws()
	if s.i >= len(s.b) {
		return 0
	}
	return s.b[s.i]
}

// Object reads an object, calling field with each key; field must read the value (with
// String, Int, Array or Object) or call Fail.
func (s *Scanner) Object(field func(key []byte)) {
	if !s.take('{') {
		return
	}
	if s.peek() == '}' {
		s.i++
		return
	}
	for !s.bad {
		k := s.raw()
		if !s.take(':') {
			return
		}
		field(k)
		if s.bad {
			return
		}
		switch s.peek() {
		case ',':
			s.i++
		case '}':
			s.i++
			return
		default:
			s.bad = true
		}
	}
}

// Array reads an array, calling elem once per element; elem must read it.
func (s *Scanner) Array(elem func()) {
	if !s.take('[') {
		return
	}
	if s.peek() == ']' {
		s.i++
		return
	}
	for !s.bad {
		elem()
		if s.bad {
			return
		}
		switch s.peek() {
		case ',':
			s.i++
		case ']':
			s.i++
			return
		default:
			s.bad = true
		}
	}
}

// raw reads a string without escapes and returns its bytes (a slice of the input).
func (s *Scanner) raw() []byte { return s.str0(true) }

// str0 is raw; valid says whether invalid UTF-8 marks the scan bad, which only a string
// that is returned needs: encoding/json replaces invalid bytes in what it returns, and
// ignores them in a value it skips (Skip).
func (s *Scanner) str0(valid bool) []byte {
	if !s.take('"') {
		return nil
	}
	start := s.i
	// Eight bytes at a time while none of them is a quote, a backslash or a control
	// character (a description of Chinese text is long); the loop below then looks at
	// the bytes one by one from the first eight that may hold one.
	for s.i+8 <= len(s.b) {
		x := binary.LittleEndian.Uint64(s.b[s.i:])
		if hasZero(x^(lsb*'"'))|hasZero(x^(lsb*'\\'))|((x-lsb*0x20)&^x&msb) != 0 {
			break
		}
		s.i += 8
	}
	for s.i < len(s.b) {
		c := s.b[s.i]
		switch {
		case c == '"':
			v := s.b[start:s.i]
			s.i++
			if valid && !utf8.Valid(v) {
				s.bad = true // encoding/json replaces invalid bytes: let it
			}
			return v
		case c == '\\' || c < 0x20:
			s.bad = true
			return nil
		}
		s.i++
	}
	s.bad = true
	return nil
}

const (
	lsb = 0x0101010101010101
	msb = 0x8080808080808080
)

// hasZero is non-zero exactly when a byte of x is zero; likewise (x-lsb*0x20)&^x&msb
// when a byte is below 0x20.
func hasZero(x uint64) uint64 { return (x - lsb) & ^x & msb }

// String reads a string value.
func (s *Scanner) String() string {
	v := s.raw()
	if s.str != "" && v != nil && len(s.str) == len(s.b) {
		end := s.i - 1 // v ends before the closing quote just taken
		return s.str[end-len(v) : end]
	}
	return string(v)
}

// Bytes reads a string value as a slice of the input (valid until the input changes).
func (s *Scanner) Bytes() []byte { return s.raw() }

// Int reads an integer in JSON's syntax that fits an int64; a fraction or exponent
// marks the scan bad (encoding/json refuses them for an integer field).
func (s *Scanner) Int() int64 {
	s.ws()
	neg := false
	if s.i < len(s.b) && s.b[s.i] == '-' {
		neg = true
		s.i++
	}
	start := s.i
	var n uint64
	for s.i < len(s.b) && s.b[s.i] >= '0' && s.b[s.i] <= '9' {
		if s.i-start >= 18 {
			s.bad = true // possibly beyond int64: let encoding/json say so
			return 0
		}
		n = n*10 + uint64(s.b[s.i]-'0')
		s.i++
	}
	digits := s.i - start
	if digits == 0 || (digits > 1 && s.b[start] == '0') {
		s.bad = true
		return 0
	}
	if s.i < len(s.b) {
		if c := s.b[s.i]; c == '.' || c == 'e' || c == 'E' {
			s.bad = true
			return 0
		}
	}
	if neg {
		return -int64(n)
	}
	return int64(n)
}

// End checks that nothing but whitespace follows the value.
func (s *Scanner) End() {
	if s.peek() != 0 || s.i != len(s.b) {
		s.bad = true
	}
}

// Skip reads and discards a value of the shape the scanner reads: a string, an integer,
// or an array or object of them.
func (s *Scanner) Skip() {
	switch s.peek() {
	case '"':
		s.str0(false)
	case '[':
		s.Array(s.Skip)
	case '{':
		s.Object(func([]byte) { s.Skip() })
	default:
		s.Int()
	}
}
