package app

import (
	"encoding/json"

	"github.com/shopspring/decimal"

	"sunledger/internal/jsonscan"
)

// DecodeEntry decodes a stored journal entry. It gives exactly what json.Unmarshal
// gives (a fuzz test holds it to that), reading the shape json.Marshal writes directly
// and handing anything else to encoding/json: verify and the journal's readers decode
// every entry of the book.
func DecodeEntry(b []byte) (Entry, error) { return decodeJSON(b, scanEntry) }

// DecodeEntryShared is DecodeEntry whose strings are cut from str, which holds the same
// bytes as b: one allocation for the entry's text instead of one per field. Whoever keeps
// one of the entry's strings keeps the whole text (verify, which keeps an entry's hash,
// copies it).
func DecodeEntryShared(b []byte, str string) (Entry, error) {
	return decodeJSON(b, func(b []byte, e *Entry) bool {
		s := jsonscan.NewShared(b, str)
		return scanEntryWith(&s, e)
	})
}

// decodeJSON gives what json.Unmarshal gives into a new T: what scan reads when b has the
// shape json.Marshal writes (scan reports whether it did), else encoding/json's.
func decodeJSON[T any](b []byte, scan func(b []byte, v *T) bool) (T, error) {
	var v T
	if scan(b, &v) {
		return v, nil
	}
	var fresh T
	err := json.Unmarshal(b, &fresh)
	return fresh, err
}

func scanEntry(b []byte, e *Entry) bool {
	s := jsonscan.New(b)
	return scanEntryWith(&s, e)
}

func scanEntryWith(s *jsonscan.Scanner, e *Entry) bool {
	s.Object(func(k []byte) {
		switch string(k) {
		case "seq":
			e.Seq = s.Int()
		case "date":
			e.Date = s.String()
		case "description":
			e.Description = s.String()
		case "postings":
			e.Postings = scanPostings(s)
		case "ref":
			e.Ref = s.String()
		case "reverses":
			e.Reverses = s.Int()
		case "who":
			e.Who = s.String()
		case "prev_hash":
			e.PrevHash = s.String()
		case "hash":
			e.Hash = s.String()
		default:
			s.Fail()
		}
	})
	s.End()
	return !s.Bad()
}

func scanPostings(s *jsonscan.Scanner) []Posting {
	ps := make([]Posting, 0, 2)
	s.Array(func() {
		var p Posting
		s.Object(func(k []byte) {
			switch string(k) {
			case "account":
				p.Account = s.String()
			case "amount":
				p.Amount = ScanAmount(s)
			default:
				s.Fail()
			}
		})
		ps = append(ps, p)
	})
	return ps
}

// ScanAmount reads a decimal written as json.Marshal writes one (a quoted string).
func ScanAmount(s *jsonscan.Scanner) decimal.Decimal {
	v := s.Bytes()
	if s.Bad() {
		return decimal.Decimal{}
	}
	d, ok := AmountOf(v)
	if !ok {
		s.Fail() // encoding/json reports it
	}
	return d
}

// AmountOf reads an amount's text (what is between a JSON string's quotes) as
// decimal.NewFromString does, faster for the plain form; ok is false when it is not one.
func AmountOf(v []byte) (decimal.Decimal, bool) {
	if d, ok := plainDecimal(v); ok {
		return d, true
	}
	d, err := decimal.NewFromString(string(v))
	return d, err == nil
}

// plainDecimal reads an amount written as decimal writes one, [-]digits[.digits] with at
// most 18 digits, into the decimal decimal.NewFromString makes of it (same coefficient,
// same exponent), with one allocation instead of four; ok is false for any other text.
func plainDecimal(v []byte) (decimal.Decimal, bool) {
	c, frac, ok := plainCoefficient(v, 18)
	if !ok {
		return decimal.Decimal{}, false
	}
	return decimal.New(c, int32(-frac)), true
}

// PlainCents reads an amount written as decimal writes one, [-]digits[.digits] with at
// most two decimals and 16 digits, in whole hundredths; ok is false for any other text.
// verify reads a quarter of a million receipts' amounts so, without a big number each.
func PlainCents(v []byte) (int64, bool) {
	c, frac, ok := plainCoefficient(v, 16)
	if !ok || frac > 2 {
		return 0, false
	}
	for ; frac < 2; frac++ {
		c *= 10
	}
	return c, true
}

// plainCoefficient reads [-]digits[.digits] with at most maxDigits digits: the digits as
// one integer and how many of them follow the point.
func plainCoefficient(v []byte, maxDigits int) (c int64, frac int, ok bool) {
	i, neg := 0, false
	if len(v) > 0 && v[0] == '-' {
		i, neg = 1, true
	}
	digits, dot := 0, false
	for ; i < len(v); i++ {
		switch b := v[i]; {
		case b >= '0' && b <= '9':
			c = c*10 + int64(b-'0')
			digits++
			if dot {
				frac++
			}
		case b == '.' && !dot && digits > 0:
			dot = true
		default:
			return 0, 0, false
		}
		if digits > maxDigits {
			return 0, 0, false
		}
	}
	if digits == 0 || (dot && frac == 0) {
		return 0, 0, false
	}
	if neg {
		c = -c
	}
	return c, frac, true
}
