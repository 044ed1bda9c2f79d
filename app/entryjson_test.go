package app

import (
	"encoding/json"
	"strconv"
	"testing"

	"github.com/shopspring/decimal"
)

// sameEntry compares two decoded entries field by field, amounts by value and exponent
// (what a later StringFixed or String would show).
func sameEntry(a, b Entry) bool {
	if a.Seq != b.Seq || a.Date != b.Date || a.Description != b.Description || a.Ref != b.Ref ||
		a.Reverses != b.Reverses || a.Who != b.Who || a.PrevHash != b.PrevHash || a.Hash != b.Hash ||
		len(a.Postings) != len(b.Postings) || (a.Postings == nil) != (b.Postings == nil) {
		return false
	}
	for i := range a.Postings {
		x, y := a.Postings[i], b.Postings[i]
		if x.Account != y.Account || !x.Amount.Equal(y.Amount) || x.Amount.Exponent() != y.Amount.Exponent() {
			return false
		}
	}
	return true
}

var entrySeeds = []string{
	`{"seq":1,"date":"2016-11-01","description":"缴存 首期专项维修资金（按 50 元/m²）","postings":[{"account":"资产:维修资金:银行存款","amount":"13182640.5"},{"account":"收入:维修资金:缴存","amount":"-13182640.5"}],"ref":"income:deposit","who":"demo","prev_hash":"","hash":"c3fe"}`,
	`{"seq":2,"date":"2016-11-01","description":"x","postings":[],"reverses":1,"who":"a","prev_hash":"c3","hash":"84"}`,
	`{"seq":3,"postings":null}`,
	`{"seq":3,"description":"a \"quoted\" \u003cb\u003e"}`,
	`{"seq":1.5}`, `{"seq":01}`, `{"seq":-0}`, `{"seq":99999999999999999999}`, `{"SEQ":4}`,
	`{"seq":4,"extra":[1,2]}`, `{"seq":4} x`, `{"seq":4,}`, `{"postings":[{"amount":12.5}]}`,
	`{"postings":[{"amount":"1e3"},{"amount":""}]}`, "{\"who\":\"\xff\"}", ` { "seq" : 7 , "who" : "b" } `,
	`[]`, ``, `{`, `{"seq":4,"seq":5}`,
}

// TestDecodeEntry_AgreesWithEncodingJSON: the fast reader gives what json.Unmarshal
// gives, on entries as the book stores them and on every shape it hands back.
func TestDecodeEntry_AgreesWithEncodingJSON(t *testing.T) {
	for _, s := range entrySeeds {
		checkDecodeEntry(t, []byte(s))
	}
	e := Seal(Entry{Seq: 9, Date: "2026-01-31", Description: "物业费 <1月> & \"押金\"", Ref: "receipt:R1", Who: "张三",
		Postings: []Posting{{Account: "资产:银行", Amount: decimal.RequireFromString("100.1")}, {Account: "收入:物业费", Amount: decimal.RequireFromString("-100.10")}}}, "ab")
	b, _ := json.Marshal(e)
	checkDecodeEntry(t, b)
	var fast Entry
	if !scanEntry(mustJSON(t, Entry{Seq: 1, Date: "2026-01-01", Postings: e.Postings, Who: "x"}), &fast) {
		t.Fatal("an entry as json.Marshal writes it (no escapes) took the slow path")
	}
}

func mustJSON(t *testing.T, v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func checkDecodeEntry(t *testing.T, b []byte) {
	t.Helper()
	var want Entry
	wantErr := json.Unmarshal(b, &want)
	got, err := DecodeEntry(b)
	shared, sharedErr := DecodeEntryShared(b, string(b)) // its strings cut from one copy
	if (err != nil) != (wantErr != nil) || (sharedErr != nil) != (wantErr != nil) {
		t.Fatalf("%q: error %v (shared: %v), encoding/json says %v", b, err, sharedErr, wantErr)
	}
	if err == nil && !sameEntry(got, want) {
		t.Fatalf("%q: decoded\n%+v\nencoding/json\n%+v", b, got, want)
	}
	if err == nil && !sameEntry(shared, want) {
		t.Fatalf("%q: decoded with shared strings\n%+v\nencoding/json\n%+v", b, shared, want)
	}
}

func FuzzDecodeEntry(f *testing.F) {
	for _, s := range entrySeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) { checkDecodeEntry(t, b) })
}

// FuzzAppendFixed2: the integer path writes what StringFixed(2) writes.
func FuzzAppendFixed2(f *testing.F) {
	for _, s := range []string{"0", "-0", "152.39", "-0.05", "13182640.5", "1e3", "0.005", "-0.005", "99999999999999.99", "12345678901234567890.1", "7"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := decimal.NewFromString(s)
		if err != nil {
			return
		}
		if got, want := string(AppendFixed2(nil, d)), d.StringFixed(2); got != want {
			t.Fatalf("%q: AppendFixed2 %q, StringFixed %q", s, got, want)
		}
	})
}

// FuzzAppendQuote: the fast copy writes what strconv.Quote writes.
func FuzzAppendQuote(f *testing.F) {
	for _, s := range []string{"", "物业费计费 2016-11（3000 户）", "a\"b", "tab\there", "\u3000全角空格", "m²", "\xff", "😀", "\u00ad", "資產:銀行"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := string(appendQuote(nil, s)), strconv.Quote(s); got != want {
			t.Fatalf("%q: appendQuote %s, strconv.Quote %s", s, got, want)
		}
	})
}
