//go:build unix

package storage

import "golang.org/x/sys/unix"

// freeSpace is the space (bytes) an unprivileged writer has on dir's disk; ok is false
// when it cannot be told.
func freeSpace(dir string) (uint64, bool) {
	var st unix.Statfs_t
	if err := unix.Statfs(dir, &st); err != nil {
		return 0, false
	}
	return st.Bavail * uint64(st.Bsize), true
}

// canWrite reports whether dir may be written (false on a read-only mount or without
// permission).
func canWrite(dir string) bool { return unix.Access(dir, unix.W_OK) == nil }
