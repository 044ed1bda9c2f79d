package storage

import (
	"encoding/json"
	"fmt"
	"strconv"
	"unicode/utf8"

	"sunledger/app"
)

// The statistics of a year read every request's compact facts (app.ServiceFacts, under
// serviceMonthKey); with encoding/json's reflection, decoding them was most of the time
// of a year of 20,000 requests. decodeFacts reads the exact form json.Marshal writes
// for them by hand, several times faster, and hands anything else (an escaped string,
// a field order it does not expect) to encoding/json, so it never reads a value
// differently from it.

// eachFacts calls fn with the facts of every request filed under prefix.
func eachFacts(tx *Tx, prefix string, fn func(f app.ServiceFacts) error) error {
	return tx.each(prefix, func(key string, b []byte) error {
		f, err := decodeFacts(b)
		if err != nil {
			return fmt.Errorf("decode %s: %w", key, err)
		}
		return fn(f)
	})
}

// decodeFacts decodes one request's facts: the fast path, else encoding/json.
func decodeFacts(b []byte) (app.ServiceFacts, error) {
	if f, ok := fastFacts(b); ok {
		return f, nil
	}
	var f app.ServiceFacts
	err := json.Unmarshal(b, &f)
	return f, err
}

// factsReader reads the compact JSON of ServiceFacts: fields in struct order, strings
// without escapes, integers plain. Any surprise makes ok false.
type factsReader struct {
	b  []byte
	i  int
	ok bool
}

func (r *factsReader) lit(s string) bool {
	if !r.ok || len(r.b)-r.i < len(s) || string(r.b[r.i:r.i+len(s)]) != s {
		r.ok = false
		return false
	}
	r.i += len(s)
	return true
}

// peek reports whether s comes next, without reading it.
func (r *factsReader) peek(s string) bool {
	return r.ok && len(r.b)-r.i >= len(s) && string(r.b[r.i:r.i+len(s)]) == s
}

// str reads a string of valid UTF-8 with no escapes and no control characters.
func (r *factsReader) str() string {
	if !r.lit(`"`) {
		return ""
	}
	start := r.i
	for r.i < len(r.b) {
		c := r.b[r.i]
		switch {
		case c == '"':
			if !utf8.Valid(r.b[start:r.i]) { // encoding/json would put U+FFFD in
				r.ok = false
				return ""
			}
			s := string(r.b[start:r.i])
			r.i++
			return s
		case c == '\\' || c < 0x20:
			r.ok = false
			return ""
		}
		r.i++
	}
	r.ok = false
	return ""
}

// num reads an integer as json.Marshal writes an int64 (no exponent, no fraction).
func (r *factsReader) num() int64 {
	if !r.ok {
		return 0
	}
	start := r.i
	if r.i < len(r.b) && r.b[r.i] == '-' {
		r.i++
	}
	digits := r.i
	for r.i < len(r.b) && r.b[r.i] >= '0' && r.b[r.i] <= '9' {
		r.i++
	}
	if r.i-digits > 1 && r.b[digits] == '0' { // a leading zero is not JSON
		r.ok = false
		return 0
	}
	n, err := strconv.ParseInt(string(r.b[start:r.i]), 10, 64)
	if err != nil || r.i < len(r.b) && (r.b[r.i] == '.' || r.b[r.i] == 'e' || r.b[r.i] == 'E') {
		r.ok = false
		return 0
	}
	return n
}

func fastFacts(b []byte) (app.ServiceFacts, bool) {
	r := &factsReader{b: b, ok: true}
	var f app.ServiceFacts
	r.lit(`{"i":`)
	f.ID = r.str()
	r.lit(`,"k":`)
	f.Kind = app.ServiceKind(r.str())
	if r.peek(`,"c":`) {
		r.lit(`,"c":true`) // omitempty: only true is written
		f.Complex = true
	}
	r.lit(`,"t":`)
	f.At = r.num()
	if r.peek(`,"p":`) {
		r.lit(`,"p":`)
		f.Reported = r.num()
		if f.Reported == 0 { // omitempty: 0 is never written
			r.ok = false
		}
	}
	if r.peek(`,"s":[`) {
		r.lit(`,"s":[`)
		for r.ok {
			var s app.StepFacts
			r.lit(`{"s":`)
			s.Step = app.ServiceStep(r.str())
			r.lit(`,"t":`)
			s.At = r.num()
			if r.peek(`,"r":`) {
				r.lit(`,"r":`)
				n := r.num()
				if n < -1<<31 || n > 1<<31-1 {
					r.ok = false
				}
				s.Rating = int(n)
			}
			r.lit(`}`)
			f.Steps = append(f.Steps, s)
			if !r.peek(`,`) {
				break
			}
			r.lit(`,`)
		}
		r.lit(`]`)
	}
	r.lit(`}`)
	if !r.ok || r.i != len(b) {
		return app.ServiceFacts{}, false
	}
	return f, true
}
