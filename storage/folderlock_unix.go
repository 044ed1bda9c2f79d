//go:build unix

package storage

import (
	"os"

	"golang.org/x/sys/unix"
)

// withFolderLock runs fn while holding the lock Badger takes on the data folder, so no
// program opens the book meanwhile; if a program has it open, fn is not run.
func withFolderLock(dir string, fn func()) bool {
	f, err := os.Open(dir)
	if err != nil {
		return false
	}
	defer f.Close()
	if err := unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB); err != nil {
		return false
	}
	defer unix.Flock(int(f.Fd()), unix.LOCK_UN)
	fn()
	return true
}
