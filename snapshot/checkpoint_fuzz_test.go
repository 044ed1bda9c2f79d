package snapshot

import (
	"crypto/rand"
	"testing"

	"aead.dev/minisign"
	"golang.org/x/mod/sumdb/tlog"

	"sunledger/app"
)

// FuzzOpenCheckpoint: a checkpoint file from a snapshot, whatever it holds, is either
// refused or opens to what was signed; it never panics.
func FuzzOpenCheckpoint(f *testing.F) {
	pub, priv, err := minisign.GenerateKey(rand.Reader)
	if err != nil {
		f.Fatal(err)
	}
	good, err := SignCheckpoint(priv, Checkpoint{Origin: "sunledger/0123abcd", Size: 7, Root: tlog.RecordHash([]byte("x"))})
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	f.Add([]byte("sunledger/x\n1\nAAAA\n\n— sunledger/x AAAA\n"))
	f.Add([]byte(""))
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := OpenCheckpoint(b, pub)
		if err == nil && (c.Origin != "sunledger/0123abcd" || c.Size != 7) {
			t.Fatalf("opened a checkpoint that was not signed: %+v", c)
		}
		parseCheckpointBody(string(b))
	})
}

// FuzzParseLeafData: leaf data from receipts.json is parsed strictly and whatever
// parses is written back to the same bytes.
func FuzzParseLeafData(f *testing.F) {
	f.Add(app.LeafData(3, "ab", nil))
	f.Add(app.LeafData(47, "a4eba7d7120b8f40688d0dbeeb1246282e8c87947ee8ec3d4369e3ee51f19b21", []app.LeafEntry{{Seq: 105, Hash: "c65d0b1a1ea7381c79dac65761645b70f669906a8b29d9ff6f6230d8daa59daf"}}))
	f.Add([]byte("sunledger-leaf-v1\nblock 1 x\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		seq, h, entries, ok := app.ParseLeafData(b)
		if ok && string(app.LeafData(seq, h, entries)) != string(b) {
			t.Fatalf("%q parses but is not canonical", b)
		}
	})
}
