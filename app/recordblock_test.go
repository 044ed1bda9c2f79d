package app

import (
	"bytes"
	"testing"
)

// FuzzParseRecordBlock: a stored block read back never panics, and a block that parses
// re-seals to the same bytes when its hash holds.
func FuzzParseRecordBlock(f *testing.F) {
	_, v := SealRecordBlock(RecordBlock{Seq: 1, Writes: []RecordWrite{{Key: "unit/1-1-101"}, {Key: "fee/bill/x", Deleted: true}}})
	f.Add(v)
	f.Add([]byte("sunledger-records-v1\nseq 1\nkind baseline\nprev \nhash \n"))
	f.Add([]byte("hash x\n"))
	f.Fuzz(func(t *testing.T, v []byte) {
		b, actual, err := ParseRecordBlock(v)
		if err != nil || actual != b.Hash {
			return
		}
		if _, again := SealRecordBlock(b); !bytes.Equal(again, v) {
			t.Fatalf("a block whose hash holds does not re-seal to itself:\n%q\n%q", v, again)
		}
	})
}
