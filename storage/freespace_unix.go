//go:build unix

package storage

import (
	"os"

	"golang.org/x/sys/unix"
)

// diskFree is the space (bytes) an unprivileged writer has on dir's disk; ok is false
// when it cannot be told.
func diskFree(dir string) (uint64, bool) {
	var st unix.Statfs_t
	if err := unix.Statfs(dir, &st); err != nil {
		return 0, false
	}
	return st.Bavail * uint64(st.Bsize), true
}

// canWrite reports whether dir may be written (false on a read-only mount or without
// permission).
func canWrite(dir string) bool { return unix.Access(dir, unix.W_OK) == nil }

// folderBusy reports whether another program holds Badger's lock on the folder dir (a
// restore still loading into it): such a folder is left alone (swap.go).
func folderBusy(dir string) bool {
	f, err := os.Open(dir)
	if err != nil {
		return false
	}
	defer f.Close()
	if err := unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB); err != nil {
		return true
	}
	unix.Flock(int(f.Fd()), unix.LOCK_UN)
	return false
}
