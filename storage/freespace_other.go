//go:build !unix && !windows

package storage

func diskFree(string) (uint64, bool) { return 0, false }

func canWrite(string) bool { return true }

// folderBusy cannot be told here: removing a folder another program still has open
// fails on its own (swap.go).
func folderBusy(string) bool { return false }
