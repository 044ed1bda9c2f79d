package app

import (
	"encoding/json"
	"testing"

	"github.com/shopspring/decimal"
)

// sameBill compares two decoded bills field by field, amounts by value and exponent.
func sameBill(a, b Bill) bool {
	same := func(x, y decimal.Decimal) bool { return x.Equal(y) && x.Exponent() == y.Exponent() }
	return a.Unit == b.Unit && a.Period == b.Period && a.Kind == b.Kind && a.Payer == b.Payer && a.Developer == b.Developer &&
		same(a.Area, b.Area) && same(a.Price, b.Price) && same(a.Amount, b.Amount)
}

var billSeeds = []string{
	`{"unit":"1-1-101","period":"2026-01","kind":"住宅","area":"88.5","price":"1.2","amount":"106.2","payer":"张三"}`,
	`{"unit":"9-2-1203","period":"2026-02","kind":"商铺","area":"120","price":"3.50","amount":"420","payer":"开发商","developer":true}`,
	`{"unit":"1-1-101","developer":false}`, `{"area":88.5}`, `{"area":null}`, `{"area":"1e2"}`, `{"area":""}`,
	`{"Unit":"x"}`, `{"unit":"a\"b"}`, "{\"payer\":\"\xff\"}", `{"unit":"a","unit":"b"}`, `{"extra":1}`,
	` { "unit" : "1-1-101" , "amount" : "-0.50" } `, `{}`, `[]`, ``, `{`, `{"unit":"a"} x`,
}

// TestDecodeBill_AgreesWithEncodingJSON: the fast reader gives what json.Unmarshal
// gives, on bills as the book stores them and on every shape it hands back.
func TestDecodeBill_AgreesWithEncodingJSON(t *testing.T) {
	for _, s := range billSeeds {
		checkDecodeBill(t, []byte(s))
	}
	b := Bill{Unit: "3-2-702", Period: "2026-11", Kind: KindResidential, Area: decimal.RequireFromString("96.37"),
		Price: decimal.RequireFromString("1.80"), Amount: decimal.RequireFromString("173.47"), Payer: "李四"}
	checkDecodeBill(t, mustJSON(t, b))
	var fast Bill
	if !scanBill(mustJSON(t, b), &fast) {
		t.Fatal("a bill as json.Marshal writes it took the slow path")
	}
}

func FuzzDecodeBill(f *testing.F) {
	for _, s := range billSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) { checkDecodeBill(t, b) })
}

func checkDecodeBill(t *testing.T, b []byte) {
	t.Helper()
	var want Bill
	wantErr := json.Unmarshal(b, &want)
	got, err := DecodeBill(b)
	if (err != nil) != (wantErr != nil) {
		t.Fatalf("%q: error %v, encoding/json says %v", b, err, wantErr)
	}
	if err == nil && !sameBill(got, want) {
		t.Fatalf("%q: decoded\n%+v\nencoding/json\n%+v", b, got, want)
	}
}
