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

// TestReplay_KeysSharingTheFirstHashStayApart: two keys whose first hash collides are
// told apart by the second and found through other, each with its own value.
func TestReplay_KeysSharingTheFirstHashStayApart(t *testing.T) {
	r := newReplay(0)
	a, b := [32]byte{1}, [32]byte{2}
	r.apply([]byte("unit/1"), keyHash{7, 100}, &a, false)
	r.apply([]byte("unit/2"), keyHash{7, 200}, &b, false)
	r.apply([]byte("unit/2"), keyHash{7, 200}, &a, false) // rewritten
	r.apply([]byte("unit/1"), keyHash{7, 100}, &b, true)  // deleted
	i, ok := r.findHashed([]byte("unit/1"), keyHash{7, 100})
	if !ok || r.recs[i].live {
		t.Fatalf("unit/1: found %v, live %v; want found and deleted", ok, ok && r.recs[i].live)
	}
	j, ok := r.findHashed([]byte("unit/2"), keyHash{7, 200})
	if !ok || i == j || !r.recs[j].live || r.recs[j].sha != a {
		t.Fatalf("unit/2: found %v at %d (unit/1 at %d), want its own live record with the rewritten hash", ok, j, i)
	}
	if _, ok := r.findHashed([]byte("unit/3"), keyHash{8, 300}); ok {
		t.Fatal("a key never written was found")
	}
}
