// Package locale fixes up a C/POSIX locale before Fyne reads it. Fyne's lang package
// picks the OS locale while the program initialises and logs "Error parsing user locale
// C" for LANG=C (common on servers, containers and CI). Sunledger chooses its language
// itself (ui.SetLanguage), so the OS locale only has to be well-formed.
//
// The main package imports this package first; Go initialises it before Fyne's lang
// package, which waits for text/template (packages are initialised in import-path order
// once their dependencies are).
package locale

import (
	"os"
	"runtime"
	"strings"
)

func init() {
	if runtime.GOOS == "windows" || runtime.GOOS == "darwin" {
		return // the locale comes from the OS, not the environment
	}
	for _, v := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if s := os.Getenv(v); s != "" {
			if s == "C" || s == "POSIX" || strings.HasPrefix(s, "C.") {
				os.Setenv(v, "zh_CN.UTF-8")
			}
			return
		}
	}
	os.Setenv("LANG", "zh_CN.UTF-8")
}
