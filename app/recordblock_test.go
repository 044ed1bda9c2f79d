package app

import (
	"bytes"
	"strconv"
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

// TestScanRecordBlock_AllocatesNothingPerWrite: verify replays every block of the
// record log, so scanning a block costs the same allocations for one write as for a
// thousand (keys without escapes are handed to fn in place).
func TestScanRecordBlock_AllocatesNothingPerWrite(t *testing.T) {
	block := func(n int) []byte {
		b := RecordBlock{Seq: 7, Prev: "ab"}
		for i := range n {
			b.Writes = append(b.Writes, RecordWrite{Key: "fee/bill/2026-01/" + strconv.Itoa(i), Deleted: i%3 == 0})
		}
		_, v := SealRecordBlock(b)
		return v
	}
	allocs := func(v []byte) float64 {
		return testing.AllocsPerRun(20, func() {
			if _, _, err := ScanRecordBlock(v, func([]byte, *[32]byte, bool) error { return nil }); err != nil {
				t.Fatal(err)
			}
		})
	}
	one, many := allocs(block(1)), allocs(block(1000))
	if many != one {
		t.Fatalf("scanning 1000 writes allocates %v times, 1 write %v times: want the same", many, one)
	}
}
