package storage

import (
	"encoding/json"
	"sunledger/app"
	"testing"

	"github.com/shopspring/decimal"
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

// TestRecordJoin_EachPartBothWays: one part of the record log's join, with keys that
// share their first hash (they are told apart by the second): a record rewritten and
// stored as last written passes; one stored with an older value is changed; one deleted
// in the log but stored, or never written, is added (the first in key order is named);
// one live in the log but not stored is missing; one deleted and not stored is fine.
func TestRecordJoin_EachPartBothWays(t *testing.T) {
	j := newRecordJoin(true)
	a, b := [32]byte{1}, [32]byte{2}
	k := func(n uint64) keyHash { return keyHash{7, n} } // all in part 0
	j.write(k(1), &a, false)
	j.write(k(1), &b, false) // rewritten
	j.write(k(2), &a, false)
	j.write(k(3), &a, false)
	j.write(k(3), &a, true) // deleted
	j.write(k(4), &a, false)
	j.write(k(5), &a, false)
	j.write(k(5), &a, true)       // deleted, and not stored: fine
	j.stored(k(1), &b, keyHash{}) // pos 0: as last written
	j.stored(k(6), &a, keyHash{}) // pos 1: never written
	j.stored(k(2), &b, keyHash{}) // pos 2: changed
	j.stored(k(3), &a, keyHash{}) // pos 3: deleted in the log
	f := j.joinPart(0)
	if f.pos != 1 || !f.added {
		t.Errorf("first fault at %d (added %v); want the record never written, at 1", f.pos, f.added)
	}
	if len(f.missing) != 1 || f.missing[0] != k(4) {
		t.Errorf("missing %v; want only %v", f.missing, k(4))
	}
	j = newRecordJoin(true)
	j.write(k(2), &a, false)
	j.stored(k(2), &b, keyHash{})
	if f := j.joinPart(0); f.pos != 0 || f.added || len(f.missing) != 0 {
		t.Errorf("a changed record: %+v", f)
	}
	if f := j.joinPart(1); f.pos != -1 || len(f.missing) != 0 {
		t.Errorf("an empty part: %+v", f)
	}
}

var paymentSeeds = []string{
	`{"receipt":"R00000001","unit":"1-1-502","payer":"王强","amount":"152.39","date":"2016-11-01","method":"cash","allocations":[{"period":"2016-11","amount":"152.39"}],"credit":"0","entry_seq":3,"who":"demo","at":"2026-11-29T01:09:40.277538356Z"}`,
	`{"receipt":"R2","amount":"10","credit":"2.5","entry_seq":9,"reversed":12}`,
	`{"RECEIPT":"R3"}`, `{"receipt":"R4","note":null}`, `{"receipt":"R5","amount":10}`, `{"receipt":"R\u0036"}`,
	`{"receipt":"R7","extra":{"a":[1,{"b":"c"}]}}`, `{"receipt":"R8"} x`, `{"entry_seq":1.5}`, `[]`, ``,
	// Invalid UTF-8 in a value skipped (encoding/json ignores it), in one read, in a key.
	"{\"receipt\":\"R9\",\"payer\":\"\xff王\",\"allocations\":[{\"period\":\"\xc3\"}]}", "{\"receipt\":\"R\xff\"}", "{\"p\xffyer\":\"x\",\"receipt\":\"R10\"}",
}

func checkPaymentCore(t *testing.T, b []byte) {
	t.Helper()
	var want paymentCore
	wantErr := json.Unmarshal(b, &want)
	for _, str := range []string{"", string(b)} { // strings copied, or cut from the record's text
		got, err := decodePaymentCore(b, str)
		if (err != nil) != (wantErr != nil) {
			t.Fatalf("%q: error %v, encoding/json says %v", b, err, wantErr)
		}
		if err != nil {
			return
		}
		checkSamePaymentCore(t, b, got, want)
	}
}

func checkSamePaymentCore(t *testing.T, b []byte, got, want paymentCore) {
	t.Helper()
	sameAmounts := !got.Amount.Equal(want.Amount) || got.Amount.Exponent() != want.Amount.Exponent() ||
		!got.Credit.Equal(want.Credit) || got.Credit.Exponent() != want.Credit.Exponent()
	if got.cents { // plain amounts in whole hundredths: the same values (the print writes two places)
		sameAmounts = !decimal.New(got.amountCents, -2).Equal(want.Amount) || !decimal.New(got.creditCents, -2).Equal(want.Credit)
	}
	if got.Receipt != want.Receipt || got.Unit != want.Unit || got.Date != want.Date || got.Method != want.Method ||
		got.EntrySeq != want.EntrySeq || got.Reversed != want.Reversed || sameAmounts {
		t.Fatalf("%q: decoded %+v, encoding/json %+v", b, got, want)
	}
}

// TestReadReceipt_APrintInCentsIsTheEntrysPrint: a receipt's fingerprint made in whole
// hundredths is the one its journal entry (app.PaymentEntry) gives, for every method
// and whatever part of the payment is credit; one with amounts that are not plain is
// made from its decimals, to the same.
func TestReadReceipt_APrintInCentsIsTheEntrysPrint(t *testing.T) {
	for _, method := range []app.PaymentMethod{app.MethodCash, app.MethodBank, app.MethodWeChat} {
		for _, c := range [][2]string{{"152.39", "0"}, {"100", "100"}, {"80.5", "12.25"}, {"0.05", "0.01"}, {"13182640.50", "0"}, {"1.234", "0"}, {"10", "10.005"}} {
			p := app.Payment{Receipt: "R00000007", Unit: "1-1-101", Amount: dec(c[0]), Credit: dec(c[1]), Date: "2026-03-05", Method: method, EntrySeq: 9}
			v, _ := json.Marshal(p)
			r, err := readReceipt([]byte(paymentKey(p.Receipt)), v)
			if err != nil {
				t.Fatal(err)
			}
			e := app.PaymentEntry(p)
			if want := fingerprint(e); r.Print != want {
				t.Errorf("%s %s/%s: the receipt's print differs from its entry's", method, c[0], c[1])
			}
		}
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
