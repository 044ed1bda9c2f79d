package storage

import "testing"

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
