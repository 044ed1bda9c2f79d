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
func DecodeEntry(b []byte) (Entry, error) {
	var e Entry
	if scanEntry(b, &e) {
		return e, nil
	}
	e = Entry{}
	err := json.Unmarshal(b, &e)
	return e, err
}

// DecodeEntryShared is DecodeEntry whose strings are cut from str, which holds the same
// bytes as b: one allocation for the entry's text instead of one per field. Whoever keeps
// one of the entry's strings keeps the whole text (verify, which keeps an entry's hash,
// copies it).
func DecodeEntryShared(b []byte, str string) (Entry, error) {
	var e Entry
	if s := jsonscan.NewShared(b, str); scanEntryWith(&s, &e) {
		return e, nil
	}
	e = Entry{}
	err := json.Unmarshal(b, &e)
	return e, err
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
	if d, ok := plainDecimal(v); ok {
		return d
	}
	d, err := decimal.NewFromString(string(v))
	if err != nil {
		s.Fail() // encoding/json reports it
	}
	return d
}

// plainDecimal reads an amount written as decimal writes one, [-]digits[.digits] with at
// most 18 digits, into the decimal decimal.NewFromString makes of it (same coefficient,
// same exponent), with one allocation instead of four; ok is false for any other text.
func plainDecimal(v []byte) (decimal.Decimal, bool) {
	i, neg := 0, false
	if len(v) > 0 && v[0] == '-' {
		i, neg = 1, true
	}
	var c int64
	digits, frac, dot := 0, 0, false
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
			return decimal.Decimal{}, false
		}
	}
	if digits == 0 || digits > 18 || (dot && frac == 0) {
		return decimal.Decimal{}, false
	}
	if neg {
		c = -c
	}
	return decimal.New(c, int32(-frac)), true
}
