//go:build windows

package storage

import "golang.org/x/sys/windows"

// diskFree is the space (bytes) the user may still write on dir's disk; ok is false
// when it cannot be told.
func diskFree(dir string) (uint64, bool) {
	p, err := windows.UTF16PtrFromString(dir)
	if err != nil {
		return 0, false
	}
	var avail, total, free uint64
	if err := windows.GetDiskFreeSpaceEx(p, &avail, &total, &free); err != nil {
		return 0, false
	}
	return avail, true
}

// canWrite is left to the open itself on Windows (its error names a read-only folder).
func canWrite(string) bool { return true }

// folderBusy cannot be told here: removing a folder another program still has open
// fails on its own (swap.go).
func folderBusy(string) bool { return false }
