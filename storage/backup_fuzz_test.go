package storage

import (
	"bytes"
	"io"
	"testing"

	"sunledger/app"
)

// FuzzBackupReader feeds damaged backup files to the reader: it must never panic, and
// whatever it does hand out must be exactly what was backed up (the AEAD guarantees it;
// this pins that the framing code around it does not break that). Each fuzzing process
// makes its own backup (its own random salt), so the check is on the plaintext only.
func FuzzBackupReader(f *testing.F) {
	cheap := app.KDF{Name: "argon2id", Time: 1, MemoryKiB: 8, Threads: 1}
	plain := bytes.Repeat([]byte("阳光账本 backup stream "), 5000) // more than one chunk
	var file bytes.Buffer
	bw, err := newBackupWriter(&file, "口令1234", cheap)
	if err != nil {
		f.Fatal(err)
	}
	if _, err := bw.Write(plain); err != nil {
		f.Fatal(err)
	}
	if err := bw.Close(); err != nil {
		f.Fatal(err)
	}
	good := bytes.Clone(file.Bytes())
	f.Add(bytes.Clone(good))
	f.Add(bytes.Clone(good[:len(good)-1]))
	f.Add(bytes.Clone(good[:headerSize+16]))
	f.Add([]byte(backupMagic))
	f.Fuzz(func(t *testing.T, b []byte) {
		b = bytes.Clone(b)
		if len(b) >= headerSize && bytes.HasPrefix(b, []byte(backupMagic)) {
			// Keep the fuzzer on the framing, not on argon2 with costly parameters.
			copy(b[len(backupMagic)+1:], good[len(backupMagic)+1:len(backupMagic)+10])
		}
		br, err := openBackup(bytes.NewReader(b), "口令1234")
		if err != nil {
			if app.ErrorCode(err) == app.EINTERNAL {
				t.Fatalf("damaged file reported as internal error: %v", err)
			}
			return
		}
		got, err := io.ReadAll(br)
		if err == nil && !bytes.Equal(got, plain) {
			t.Fatalf("reader accepted a changed backup (%d bytes out)", len(got))
		}
		if err != nil && !bytes.HasPrefix(plain, got) {
			t.Fatalf("reader handed out bytes that were never backed up")
		}
	})
}
