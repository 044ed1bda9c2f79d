package storage

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"sunledger/app"
)

// The folder names a committee really uses: Chinese characters and spaces.
const chineseFolder = "业委会 账本 2026"

func TestDataDir_EachOSUsesItsUserDataFolder(t *testing.T) {
	// Absolute on the OS running the test (C:\… on Windows), so XDG's absoluteness check holds.
	root := filepath.VolumeName(os.TempDir()) + string(filepath.Separator)
	abs := func(p ...string) string { return filepath.Join(append([]string{root}, p...)...) }
	home := abs("home", "张 三")
	noHome := func() (string, error) { return "", errors.New("no home") }
	tests := []struct {
		name string
		goos string
		env  map[string]string
		home func() (string, error)
		want string
	}{
		{"windows uses %APPDATA%", "windows", map[string]string{"APPDATA": abs("Users", "张 三", "AppData", "Roaming")}, nil,
			abs("Users", "张 三", "AppData", "Roaming", "Sunledger")},
		{"windows without %APPDATA% falls back to the roaming folder under the profile", "windows", nil, nil,
			filepath.Join(home, "AppData", "Roaming", "Sunledger")},
		{"windows ignores XDG_DATA_HOME", "windows", map[string]string{"APPDATA": abs("appdata"), "XDG_DATA_HOME": abs("xdg")}, nil,
			abs("appdata", "Sunledger")},
		{"macOS uses Application Support", "darwin", map[string]string{"XDG_DATA_HOME": abs("xdg")}, nil,
			filepath.Join(home, "Library", "Application Support", "Sunledger")},
		{"linux uses XDG_DATA_HOME", "linux", map[string]string{"XDG_DATA_HOME": abs("data", chineseFolder)}, nil,
			abs("data", chineseFolder, "sunledger")},
		{"linux without XDG_DATA_HOME uses ~/.local/share", "linux", nil, nil,
			filepath.Join(home, ".local", "share", "sunledger")},
		// XDG Base Directory spec: a relative path in XDG_DATA_HOME is invalid and is ignored.
		{"linux ignores a relative XDG_DATA_HOME", "linux", map[string]string{"XDG_DATA_HOME": "relative/dir"}, nil,
			filepath.Join(home, ".local", "share", "sunledger")},
		{"freebsd follows XDG like linux", "freebsd", map[string]string{"XDG_DATA_HOME": abs("xdg")}, nil,
			abs("xdg", "sunledger")},
		{"windows with %APPDATA% needs no home", "windows", map[string]string{"APPDATA": abs("appdata")}, noHome,
			abs("appdata", "Sunledger")},
		{"linux with XDG_DATA_HOME needs no home", "linux", map[string]string{"XDG_DATA_HOME": abs("xdg")}, noHome,
			abs("xdg", "sunledger")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			getenv := func(k string) string { return tt.env[k] }
			h := tt.home
			if h == nil {
				h = func() (string, error) { return home, nil }
			}
			if got := dataDir(tt.goos, getenv, h); got != tt.want {
				t.Errorf("dataDir(%s) = %q, want %q", tt.goos, got, tt.want)
			}
		})
	}
}

func TestDataDir_FlagBeatsEnvironmentBeatsDefault(t *testing.T) {
	t.Setenv("SUNLEDGER_DATA", "")
	if got, want := DataDir(""), DefaultDataDir(); got != want {
		t.Errorf("no flag, no SUNLEDGER_DATA: %q, want the default %q", got, want)
	}
	env := filepath.Join(t.TempDir(), chineseFolder)
	t.Setenv("SUNLEDGER_DATA", env)
	if got := DataDir(""); got != env {
		t.Errorf("SUNLEDGER_DATA: %q, want %q", got, env)
	}
	flag := filepath.Join(t.TempDir(), "另一个 小区")
	if got := DataDir(flag); got != flag {
		t.Errorf("--data: %q, want %q", got, flag)
	}
}

// pointDefaultsAt makes the default data folder of whatever OS runs the test fall inside dir.
func pointDefaultsAt(t *testing.T, dir string) {
	t.Setenv("SUNLEDGER_DATA", "")
	t.Setenv("APPDATA", dir)       // windows
	t.Setenv("XDG_DATA_HOME", dir) // linux, BSD
	t.Setenv("HOME", dir)          // macOS, and the fallbacks
	t.Setenv("USERPROFILE", dir)
}

func TestOpen_BookInAFolderWithChineseAndSpacesSurvivesReopen(t *testing.T) {
	ctx := context.Background()
	parent := filepath.Join(t.TempDir(), chineseFolder)
	pointDefaultsAt(t, parent)
	dir := DataDir("")
	if rel, err := filepath.Rel(parent, dir); err != nil || !filepath.IsLocal(rel) {
		t.Fatalf("default data folder %q is not inside %q", dir, parent)
	}

	// Open creates the missing folders (parent included) on first use.
	db, err := Open(dir)
	if err != nil {
		t.Fatalf("open %q: %v", dir, err)
	}
	name := "阳光花园 小区（二期）"
	if err := db.bookService().Init(ctx, app.Community{Name: name}, "张 三"); err != nil {
		t.Fatal(err)
	}
	if err := db.registerService().ImportUnits(ctx, []app.Unit{unit("1-1-101", "88.50", "A")}, "张 三", "登记册"); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(dir); err != nil {
		t.Fatalf("the book's folder: %v", err)
	}

	db, err = Open(dir)
	if err != nil {
		t.Fatalf("reopen %q: %v", dir, err)
	}
	defer db.Close()
	c, err := db.bookService().Community(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if c.Name != name {
		t.Errorf("community after reopen = %q, want %q", c.Name, name)
	}
	units, err := db.registerService().Units(ctx)
	if err != nil || len(units) != 1 || units[0].ID != "1-1-101" {
		t.Errorf("units after reopen = %+v, %v", units, err)
	}
}

func TestOpen_SecondOpenOfAChineseFolderIsLockedNotACrash(t *testing.T) {
	dir := filepath.Join(t.TempDir(), chineseFolder)
	db := openTest(t, dir)
	defer db.Close()
	if _, err := Open(dir); app.ErrorCode(err) != app.ELOCKED {
		t.Fatalf("second open: %v, want %s", err, app.ELOCKED)
	}
}
