package storage

import (
	"testing"

	"sunledger/app"
)

// TestKDF_OneBoundForEveryFile: a member's sealed key, a key slot and a backup header
// accept and refuse the same argon2id parameters (app.MaxKDF), refusing before any
// work is done.
func TestKDF_OneBoundForEveryFile(t *testing.T) {
	for _, c := range []struct {
		k    app.KDF
		okay bool
	}{
		{app.KDF{Name: "argon2id", Time: 1, MemoryKiB: 64, Threads: 1}, true},
		{app.MaxKDF, true},
		{app.KDF{Name: "argon2id", Time: 0, MemoryKiB: 64, Threads: 1}, false},
		{app.KDF{Name: "argon2id", Time: app.MaxKDF.Time + 1, MemoryKiB: 64, Threads: 1}, false},
		{app.KDF{Name: "argon2id", Time: 1, MemoryKiB: 4, Threads: 1}, false},
		{app.KDF{Name: "argon2id", Time: 1, MemoryKiB: app.MaxKDF.MemoryKiB + 1, Threads: 1}, false},
		{app.KDF{Name: "argon2id", Time: 1, MemoryKiB: 64, Threads: 0}, false},
		{app.KDF{Name: "argon2id", Time: 1, MemoryKiB: 64, Threads: app.MaxKDF.Threads + 1}, false},
		{app.KDF{Name: "scrypt", Time: 1, MemoryKiB: 64, Threads: 1}, false},
	} {
		slot := SlotKDF{Time: c.k.Time, MemoryKiB: c.k.MemoryKiB, Threads: c.k.Threads}.kdf()
		if c.k.Name != "argon2id" {
			slot.Name = c.k.Name
		}
		if got := c.k.Check() == nil; got != c.okay {
			t.Errorf("%+v: member key accepts %v, want %v", c.k, got, c.okay)
		}
		if got := slot.Check() == nil; got != c.okay {
			t.Errorf("%+v: key slot accepts %v, want %v", c.k, got, c.okay)
		}
		if c.okay && c.k.MemoryKiB > 1024 {
			continue // accepted: deriving with the largest costs would take minutes
		}
		_, err := backupKey(c.k, "口令", make([]byte, 16))
		if got := err == nil; got != c.okay {
			t.Errorf("%+v: backup header accepts %v (%v), want %v", c.k, got, err, c.okay)
		}
	}
}
