package storage

import (
	"encoding/json"
	"testing"
)

// TestIsEntryKey_MatchesEntryKey: verify compares stored keys without formatting them;
// a negative number is never an entry's (the chain starts at 1).
func TestIsEntryKey_MatchesEntryKey(t *testing.T) {
	for _, seq := range []int64{0, 1, 9, 10, 123456789012, 999999999999, 1000000000000, -1} {
		for _, key := range []string{entryKey(seq), entryKey(seq + 1), "je/00000000001", "xx/000000000001"} {
			if got, want := isEntryKey([]byte(key), seq), key == entryKey(seq) && seq >= 0 && len(key) == len(prefixEntry)+12; got != want {
				t.Errorf("isEntryKey(%q, %d) = %v, want %v", key, seq, got, want)
			}
		}
	}
}

// TestReplay_KeysSharingTheFirstHashStayApart: two keys whose first hash collides are
// told apart by the second and found through other, each with its own value.
func TestReplay_KeysSharingTheFirstHashStayApart(t *testing.T) {
	r := newReplay(0)
	a, b := [32]byte{1}, [32]byte{2}
	r.apply([]byte("unit/1"), keyHash{7, 100}, &a, false)
	r.apply([]byte("unit/2"), keyHash{7, 200}, &b, false)
	r.apply([]byte("unit/2"), keyHash{7, 200}, &a, false) // rewritten
	r.apply([]byte("unit/1"), keyHash{7, 100}, &b, true)  // deleted
	i, ok := r.findHashed([]byte("unit/1"), keyHash{7, 100})
	if !ok || r.recs[i].live {
		t.Fatalf("unit/1: found %v, live %v; want found and deleted", ok, ok && r.recs[i].live)
	}
	j, ok := r.findHashed([]byte("unit/2"), keyHash{7, 200})
	if !ok || i == j || !r.recs[j].live || r.recs[j].sha != a {
		t.Fatalf("unit/2: found %v at %d (unit/1 at %d), want its own live record with the rewritten hash", ok, j, i)
	}
	if _, ok := r.findHashed([]byte("unit/3"), keyHash{8, 300}); ok {
		t.Fatal("a key never written was found")
	}
}

var paymentSeeds = []string{
	`{"receipt":"R00000001","unit":"1-1-502","payer":"王强","amount":"152.39","date":"2016-11-01","method":"cash","allocations":[{"period":"2016-11","amount":"152.39"}],"credit":"0","entry_seq":3,"who":"demo","at":"2026-11-29T01:09:40.277538356Z"}`,
	`{"receipt":"R2","amount":"10","credit":"2.5","entry_seq":9,"reversed":12}`,
	`{"RECEIPT":"R3"}`, `{"receipt":"R4","note":null}`, `{"receipt":"R5","amount":10}`, `{"receipt":"R\u0036"}`,
	`{"receipt":"R7","extra":{"a":[1,{"b":"c"}]}}`, `{"receipt":"R8"} x`, `{"entry_seq":1.5}`, `[]`, ``,
}

func checkPaymentCore(t *testing.T, b []byte) {
	t.Helper()
	var want paymentCore
	wantErr := json.Unmarshal(b, &want)
	got, err := decodePaymentCore(b)
	if (err != nil) != (wantErr != nil) {
		t.Fatalf("%q: error %v, encoding/json says %v", b, err, wantErr)
	}
	if err != nil {
		return
	}
	if got.Receipt != want.Receipt || got.Unit != want.Unit || got.Date != want.Date || got.Method != want.Method ||
		got.EntrySeq != want.EntrySeq || got.Reversed != want.Reversed ||
		!got.Amount.Equal(want.Amount) || got.Amount.Exponent() != want.Amount.Exponent() ||
		!got.Credit.Equal(want.Credit) || got.Credit.Exponent() != want.Credit.Exponent() {
		t.Fatalf("%q: decoded %+v, encoding/json %+v", b, got, want)
	}
}

// TestDecodePaymentCore_AgreesWithEncodingJSON: verify's fast reader of receipts gives
// what json.Unmarshal gives, on receipts as stored and on every shape it hands back.
func TestDecodePaymentCore_AgreesWithEncodingJSON(t *testing.T) {
	for _, s := range paymentSeeds {
		checkPaymentCore(t, []byte(s))
	}
}

func FuzzDecodePaymentCore(f *testing.F) {
	for _, s := range paymentSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) { checkPaymentCore(t, b) })
}
