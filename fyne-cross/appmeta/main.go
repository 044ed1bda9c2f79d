// Command appmeta reads the app's metadata from FyneApp.toml for the release scripts in
// fyne-cross/, so the version, build number, name and icon live in one place:
//
//	appmeta [-toml FILE] version              0.1.0
//	appmeta [-toml FILE] build                1
//	appmeta [-toml FILE] id                   org.sunledger.app
//	appmeta [-toml FILE] icon                 theme/icon.png (relative to the working directory)
//	appmeta [-toml FILE] winres -out DIR -exe NAME.exe -desc TEXT -version VERSION
//	    writes DIR/app.ico, DIR/app.manifest and DIR/app.rc for x86_64-w64-mingw32-windres:
//	    the icon, the version information Explorer shows under Properties → Details, and a
//	    manifest (run as the invoking user, Windows 10/11, per-monitor DPI, long paths)
//	appmeta [-toml FILE] desktop              the freedesktop .desktop entry for Linux
//	appmeta pecheck FILE.exe                  prints a Windows program's subsystem, resource
//	    types and version strings, to check a cross-compiled build without running it
//
// FyneApp.toml keeps the layout that `fyne package` and fyne-cross read, so the container
// flow described in fyne-cross/README.md picks up the same values.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"

	"github.com/BurntSushi/toml"
)

// Meta is the part of FyneApp.toml the release builds use (Fyne's own metadata layout).
type Meta struct {
	Website string
	Details struct {
		Icon    string // path relative to FyneApp.toml
		Name    string // the name people see: 阳光账本
		ID      string // reverse-DNS app ID, also Fyne's preferences key
		Version string // MAJOR.MINOR.PATCH
		Build   int    // increases with every release build handed out
	}
	LinuxAndBSD struct {
		GenericName string
		Comment     string
		Categories  []string
		Keywords    []string
	}
	// dir is the folder of FyneApp.toml; Icon is relative to it.
	dir string
}

var semver = regexp.MustCompile(`^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$`)

// Load reads and checks FyneApp.toml.
func Load(path string) (Meta, error) {
	var m Meta
	if _, err := toml.DecodeFile(path, &m); err != nil {
		return m, fmt.Errorf("read %s: %w", path, err)
	}
	m.dir = filepath.Dir(path)
	d := m.Details
	switch {
	case d.Name == "" || d.ID == "" || d.Icon == "":
		return m, fmt.Errorf("%s: [Details] needs Name, ID and Icon", path)
	case !semver.MatchString(d.Version):
		return m, fmt.Errorf("%s: Version %q is not MAJOR.MINOR.PATCH", path, d.Version)
	case !fitsWindows(d.Version):
		return m, fmt.Errorf("%s: each part of Version %q must be at most 65535 (a Windows version field)", path, d.Version)
	case d.Build < 1 || d.Build > 65535:
		return m, fmt.Errorf("%s: Build %d must be 1…65535 (a Windows version field)", path, d.Build)
	}
	return m, nil
}

func fitsWindows(version string) bool {
	for _, p := range semver.FindStringSubmatch(version)[1:] {
		if n, err := strconv.ParseUint(p, 10, 16); err != nil || n > 65535 {
			return false
		}
	}
	return true
}

// IconPath is the icon's path as seen from the working directory.
func (m Meta) IconPath() string { return filepath.Join(m.dir, m.Details.Icon) }

// FileVersion is the four numbers of a Windows version resource: MAJOR, MINOR, PATCH, Build.
func (m Meta) FileVersion() [4]uint16 {
	var v [4]uint16
	parts := semver.FindStringSubmatch(m.Details.Version)
	for i := 0; i < 3; i++ {
		n, _ := strconv.ParseUint(parts[i+1], 10, 16)
		v[i] = uint16(n)
	}
	v[3] = uint16(m.Details.Build)
	return v
}

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "appmeta:", err)
		os.Exit(1)
	}
}

func run(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("appmeta", flag.ContinueOnError)
	tomlPath := fs.String("toml", "FyneApp.toml", "the app metadata file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	args = fs.Args()
	if len(args) == 0 {
		return errors.New("usage: appmeta [-toml FILE] version|build|id|icon|winres|desktop|pecheck")
	}
	if args[0] == "pecheck" {
		if len(args) != 2 {
			return errors.New("usage: appmeta pecheck FILE.exe")
		}
		return peCheck(args[1], stdout)
	}
	m, err := Load(*tomlPath)
	if err != nil {
		return err
	}
	switch args[0] {
	case "version":
		fmt.Fprintln(stdout, m.Details.Version)
	case "build":
		fmt.Fprintln(stdout, m.Details.Build)
	case "id":
		fmt.Fprintln(stdout, m.Details.ID)
	case "icon":
		fmt.Fprintln(stdout, m.IconPath())
	case "desktop":
		_, err = io.WriteString(stdout, m.Desktop())
		return err
	case "winres":
		wf := flag.NewFlagSet("winres", flag.ContinueOnError)
		out := wf.String("out", "", "folder for app.rc, app.ico and app.manifest")
		exe := wf.String("exe", "", "the program's file name, e.g. sunledger.exe")
		desc := wf.String("desc", "", "the file description Windows shows")
		version := wf.String("version", m.Details.Version, "the full version string, e.g. 0.1.0-1a2b3c4")
		if err := wf.Parse(args[1:]); err != nil {
			return err
		}
		if *out == "" || *exe == "" || *desc == "" {
			return errors.New("usage: appmeta winres -out DIR -exe NAME.exe -desc TEXT [-version VERSION]")
		}
		return m.WriteWinRes(*out, *exe, *desc, *version)
	default:
		return fmt.Errorf("unknown command %q", args[0])
	}
	return nil
}
