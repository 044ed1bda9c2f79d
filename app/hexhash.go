package app

import "encoding/binary"

// decodeHash reads a SHA-256 written as 64 hex digits (either case) into dst, eight
// digits at a time: what hex.Decode gives, and ok false exactly where it fails
// (FuzzDecodeHash). verify reads two for each of the record log's lines, three and a
// half million on the 3,000-unit 10-year demo.
func decodeHash(dst *[32]byte, src []byte) (ok bool) {
	if len(src) != 64 {
		return false
	}
	for i := 0; i < 64; i += 8 {
		x := binary.LittleEndian.Uint64(src[i:])
		// Each byte a digit or a letter a-f (A-F with 0x20 set): with every byte below
		// 0x80, atLeast(x, k) has its high bit set in each byte that is k or more.
		low := x | 0x2020202020202020
		digit := atLeast(x, '0') &^ atLeast(x, '9'+1)
		letter := atLeast(low, 'a') &^ atLeast(low, 'f'+1)
		if x&hiBits != 0 || digit|letter != hiBits {
			return false
		}
		// A digit's value is its low four bits, a letter's those plus 9 (its bit 6 set).
		v := x&(loBits*0x0f) + (x>>6&loBits)*9
		// Pairs of digits into bytes, then the four bytes together.
		t := (v<<4 | v>>8) & 0x00ff00ff00ff00ff
		t = (t | t>>8) & 0x0000ffff0000ffff
		t = (t | t>>16) & 0xffffffff
		binary.LittleEndian.PutUint32(dst[i/2:], uint32(t))
	}
	return true
}

// atLeast sets the high bit of each byte of x (every byte below 0x80) that is k or more.
func atLeast(x uint64, k byte) uint64 { return ((x | hiBits) - loBits*uint64(k)) & hiBits }
