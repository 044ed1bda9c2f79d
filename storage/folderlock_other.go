//go:build !unix

package storage

// withFolderLock runs fn: there is no folder lock to take here (the key slot file is
// still replaced atomically).
func withFolderLock(dir string, fn func()) bool {
	fn()
	return true
}
