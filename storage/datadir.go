package storage

import (
	"os"
	"path/filepath"
	"runtime"
)

// AppFolder is the name of Sunledger's folder inside the OS's per-user data folder.
const AppFolder = "Sunledger"

// DefaultDataDir is where the book lives unless --data or SUNLEDGER_DATA says otherwise:
// %APPDATA%\Sunledger on Windows, ~/Library/Application Support/Sunledger on macOS,
// $XDG_DATA_HOME/sunledger (default ~/.local/share/sunledger) elsewhere.
func DefaultDataDir() string {
	return dataDir(runtime.GOOS, os.Getenv, os.UserHomeDir)
}

// DataDir resolves the book's folder from the flag, then the environment, then the default.
func DataDir(flag string) string {
	if flag != "" {
		return flag
	}
	if env := os.Getenv("SUNLEDGER_DATA"); env != "" {
		return env
	}
	return DefaultDataDir()
}

func dataDir(goos string, getenv func(string) string, home func() (string, error)) string {
	h, err := home()
	if err != nil {
		h = "."
	}
	switch goos {
	case "windows":
		if d := getenv("APPDATA"); d != "" {
			return filepath.Join(d, AppFolder)
		}
		return filepath.Join(h, "AppData", "Roaming", AppFolder)
	case "darwin", "ios":
		return filepath.Join(h, "Library", "Application Support", AppFolder)
	}
	if d := getenv("XDG_DATA_HOME"); d != "" && filepath.IsAbs(d) {
		return filepath.Join(d, "sunledger")
	}
	return filepath.Join(h, ".local", "share", "sunledger")
}
