package storage

import (
	"os"
	"strings"
)

// What a data folder holds: a book's own files (Badger's store, the key slots, what a
// swap leaves), or the user's. Restore, demo and init never sweep away the user's files,
// and a command that only reads never leaves a store in a folder that held none.

// isBadgerFile reports whether a file of that name belongs to a book.
func isBadgerFile(name string) bool {
	switch name {
	case "MANIFEST", "KEYREGISTRY", "DISCARD", "LOCK", "flock", committedFile, checkedFile, orphanedDir, KeySlotsFile, passphraseTriesFile:
		return true
	}
	if strings.HasPrefix(name, checkedTemp) {
		return true
	}
	for _, ext := range []string{".sst", ".vlog", ".mem"} {
		if strings.HasSuffix(name, ext) {
			return true
		}
	}
	return false
}

// ForeignFile names the first file in dir that is not part of a book; "" when there is
// none, or dir cannot be read (opening it then says why).
func ForeignFile(dir string) string {
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		if !isBadgerFile(e.Name()) {
			return e.Name()
		}
	}
	return ""
}

// HoldsStore reports whether dir holds any file of a Badger store (a damaged store,
// with some missing, still does). A folder that cannot be read counts as holding one,
// so that opening it says what is wrong.
func HoldsStore(dir string) bool {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return true
	}
	for _, e := range ents {
		if n := e.Name(); n == "MANIFEST" || n == "KEYREGISTRY" || strings.HasSuffix(n, ".sst") || strings.HasSuffix(n, ".vlog") || strings.HasSuffix(n, ".mem") {
			return true
		}
	}
	return false
}
