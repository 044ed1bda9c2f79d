package app

import (
	"encoding/hex"
	"strings"
	"testing"
)

// FuzzDecodeHash: decodeHash gives what hex.Decode gives for every 64 bytes, and fails
// where it fails.
func FuzzDecodeHash(f *testing.F) {
	for _, s := range []string{
		"c3fe18c221a68ae187b793ca8f6c7e43f49f8614f761b08ff577c3917b9dc898",
		"C3FE18C221A68AE187B793CA8F6C7E43F49F8614F761B08FF577C3917B9DC898",
		strings.Repeat("0", 64), strings.Repeat("f", 64), strings.Repeat("F", 64), strings.Repeat("9a", 32),
		strings.Repeat("g", 64), strings.Repeat("/", 64), strings.Repeat(":", 64), strings.Repeat("@", 64), strings.Repeat("`", 64),
		strings.Repeat("G", 64), strings.Repeat("\xb0", 64), strings.Repeat("\xe1", 64), strings.Repeat(" ", 64), "00",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) { checkDecodeHash(t, b) })
}

// TestDecodeHash_AgreesWithEncodingHex: every byte value at every place of a hash.
func TestDecodeHash_AgreesWithEncodingHex(t *testing.T) {
	base := []byte("0123456789abcdefABCDEF0123456789abcdef0123456789abcdefABCDEF0123")
	for i := range 64 {
		for c := range 256 {
			b := append([]byte(nil), base...)
			b[i] = byte(c)
			checkDecodeHash(t, b)
		}
	}
	checkDecodeHash(t, base[:63])
}

func checkDecodeHash(t *testing.T, b []byte) {
	t.Helper()
	var want, got [32]byte
	var err error
	if len(b) == 64 {
		_, err = hex.Decode(want[:], b)
	}
	wantOK := err == nil && len(b) == 64
	if ok := decodeHash(&got, b); ok != wantOK || ok && got != want {
		t.Fatalf("%q: decodeHash %v %x, hex.Decode %v %x", b, ok, got, err, want)
	}
}
