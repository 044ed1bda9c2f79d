package storage

import (
	"encoding/json"
	"reflect"
	"testing"

	"sunledger/app"
)

func TestDecodeFacts_SameAsEncodingJSON(t *testing.T) {
	for _, f := range []app.ServiceFacts{
		{ID: "S000001", Kind: "repair", At: 1767225600},
		{ID: "S000002", Kind: "complaint", Complex: true, At: -5, Steps: []app.StepFacts{{Step: "onsite", At: 1767227400}}},
		{ID: "S000004", Kind: "repair", At: 1767225600, Reported: 1767225000, Steps: []app.StepFacts{{Step: "onsite", At: 1767227400}}},
		{ID: "S000003", Kind: "repair", At: 1767225600, Steps: []app.StepFacts{{Step: "onsite", At: 1}, {Step: "fixed", At: 2}, {Step: "visit", At: 3, Rating: 5}}},
		{ID: "引号\"与\\反斜杠", Kind: "<repair>&", At: 0}, // escaped by json.Marshal: the slow path
	} {
		b, err := json.Marshal(f)
		if err != nil {
			t.Fatal(err)
		}
		got, err := decodeFacts(b)
		if err != nil || !reflect.DeepEqual(got, f) {
			t.Errorf("%s: got %+v %v", b, got, err)
		}
	}
}

func FuzzDecodeFacts(f *testing.F) {
	for _, s := range []string{`{"i":"S1","k":"repair","t":1}`, `{"i":"S1","k":"repair","c":true,"t":1,"s":[{"s":"onsite","t":2,"r":5}]}`,
		`{"i":"S1","k":"repair","t":1.5}`, `{"t":1,"i":"S1","k":"repair"}`, `{"i":"S1","k":"repair","c":false,"t":1}`, `{"i":"S1","k":"repair","t":01}`, `{"i":"S1","k":"repair","t":-0}`, `{"i":"S1","k":"repair","t":5,"p":3}`, `{"i":"S1","k":"repair","t":5,"p":0}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		got, err := decodeFacts(b)
		var want app.ServiceFacts
		werr := json.Unmarshal(b, &want)
		if fast, ok := fastFacts(b); ok {
			if werr != nil || !reflect.DeepEqual(fast, want) {
				t.Fatalf("%q: fast path %+v, encoding/json %+v %v", b, fast, want, werr)
			}
		}
		if (err == nil) != (werr == nil) || err == nil && !reflect.DeepEqual(got, want) {
			t.Fatalf("%q: %+v %v, encoding/json %+v %v", b, got, err, want, werr)
		}
	})
}
