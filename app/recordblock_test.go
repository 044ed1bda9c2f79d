package app

import (
	"bytes"
	"strconv"
	"strings"
	"testing"
)

// FuzzParseRecordBlock: a stored block read back never panics, and a block that parses
// re-seals to the same bytes when its hash holds.
func FuzzParseRecordBlock(f *testing.F) {
	_, v := SealRecordBlock(RecordBlock{Seq: 1, Writes: []RecordWrite{{Key: "unit/1-1-101"}, {Key: "fee/bill/x", Deleted: true, HasOld: true, Old: [32]byte{7}}}})
	f.Add(v)
	_, v1 := SealRecordBlock(RecordBlock{Seq: 1, V1: true, Writes: []RecordWrite{{Key: "unit/1-1-101"}, {Key: "fee/bill/x", Deleted: true}}})
	f.Add(v1)
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
			b.Writes = append(b.Writes, RecordWrite{Key: "fee/bill/2026-01/" + strconv.Itoa(i), Deleted: i%3 == 0, HasOld: i%2 == 0})
		}
		_, v := SealRecordBlock(b)
		return v
	}
	allocs := func(v []byte) float64 {
		return testing.AllocsPerRun(20, func() {
			if _, _, err := ScanRecordBlock(v, func([]byte, *RecordHashes) error { return nil }); err != nil {
				t.Fatal(err)
			}
		})
	}
	one, many := allocs(block(1)), allocs(block(1000))
	if many != one {
		t.Fatalf("scanning 1000 writes allocates %v times, 1 write %v times: want the same", many, one)
	}
}

// TestRecordBlock_BothFormatsReadBack: a block names each write's replaced value (or
// "-") and reads back whole; a block of the first format, without them, still reads,
// and re-seals to the same bytes (books written before the second format).
func TestRecordBlock_BothFormatsReadBack(t *testing.T) {
	ws := []RecordWrite{
		{Key: "fee/pay/R00000001", SHA: [32]byte{1}},
		{Key: "unit/1-1-101", SHA: [32]byte{2}, Old: [32]byte{3}, HasOld: true},
		{Key: "x/\"quoted\"", Deleted: true, Old: [32]byte{4}, HasOld: true},
		{Key: "y", Deleted: true},
	}
	for _, v1 := range []bool{false, true} {
		b := RecordBlock{Seq: 9, Prev: "ab", V1: v1, Writes: append([]RecordWrite(nil), ws...)}
		if v1 {
			for i := range b.Writes {
				b.Writes[i].Old, b.Writes[i].HasOld = [32]byte{}, false
			}
		}
		sealed, text := SealRecordBlock(b)
		got, actual, err := ParseRecordBlock(text)
		if err != nil || actual != sealed.Hash || got.Hash != sealed.Hash || got.V1 != v1 {
			t.Fatalf("v1=%v: read back %+v, %q, %v", v1, got, actual, err)
		}
		for i, w := range got.Writes {
			if w != b.Writes[i] {
				t.Errorf("v1=%v: write %d reads back as %+v, want %+v", v1, i, w, b.Writes[i])
			}
		}
		if _, again := SealRecordBlock(got); !bytes.Equal(again, text) {
			t.Errorf("v1=%v: re-sealed block differs:\n%s\n%s", v1, text, again)
		}
	}
	for _, bad := range []string{
		"sunledger-records-v2\nseq 1\nkind write\nput " + strings.Repeat("a", 64) + " \"k\"\nprev \nhash x\n", // no replaced value
		"sunledger-records-v2\nseq 1\nkind write\ndel \"k\"\nprev \nhash x\n",
		"sunledger-records-v2\nseq 1\nkind write\nput " + strings.Repeat("a", 64) + " " + strings.Repeat("z", 64) + " \"k\"\nprev \nhash x\n",
	} {
		if _, _, err := ParseRecordBlock([]byte(bad)); err == nil {
			t.Errorf("read %q without an error", bad)
		}
	}
}
