package storage

import (
	"os"
	"syscall"
)

// changeTime is the file's status-change time (ctime) in ns: any write to the file moves
// it, and unlike the modification time no program can set it back.
func changeTime(info os.FileInfo) int64 {
	if st, ok := info.Sys().(*syscall.Stat_t); ok {
		return st.Ctim.Nano()
	}
	return 0
}
