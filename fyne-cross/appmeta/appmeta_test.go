package main

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLoad_TheRepositoryFyneAppTomlIsComplete(t *testing.T) {
	m, err := Load("../../FyneApp.toml")
	if err != nil {
		t.Fatal(err)
	}
	if m.Details.ID != "org.sunledger.app" || m.Details.Name != "阳光账本" {
		t.Errorf("details = %+v", m.Details)
	}
	if _, err := os.Stat(m.IconPath()); err != nil {
		t.Errorf("icon: %v", err)
	}
}

func TestLoad_RejectsWhatWindowsCannotHoldInAVersion(t *testing.T) {
	tests := []struct{ name, details string }{
		{"two-part version", `Version = "0.1"` + "\nBuild = 1"},
		{"prerelease suffix", `Version = "0.1.0-rc1"` + "\nBuild = 1"},
		{"part above 65535", `Version = "0.70000.0"` + "\nBuild = 1"},
		{"no build number", `Version = "0.1.0"`},
		{"build above 65535", `Version = "0.1.0"` + "\nBuild = 70000"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "FyneApp.toml")
			body := "[Details]\nIcon = \"icon.png\"\nName = \"阳光账本\"\nID = \"org.sunledger.app\"\n" + tt.details + "\n"
			os.WriteFile(p, []byte(body), 0o644)
			if _, err := Load(p); err == nil {
				t.Errorf("accepted %q", tt.details)
			}
		})
	}
}

func testMeta() Meta {
	var m Meta
	m.Details.Name, m.Details.ID, m.Details.Version, m.Details.Build = "阳光账本", "org.sunledger.app", "1.20.3", 7
	return m
}

func TestFileVersion_IsVersionThenBuild(t *testing.T) {
	if got := testMeta().FileVersion(); got != [4]uint16{1, 20, 3, 7} {
		t.Errorf("FileVersion = %v", got)
	}
}

func TestRC_QuotesAndKeepsChineseInUTF8(t *testing.T) {
	rc := testMeta().RC("sunledger.exe", `阳光账本 "桌面" C:\版`, "1.20.3-abc1234")
	for _, want := range []string{
		"#pragma code_page(65001)",
		`VALUE "FileDescription", "阳光账本 ""桌面"" C:\\版"`,
		`VALUE "ProductName", "阳光账本 Sunledger"`,
		`VALUE "ProductVersion", "1.20.3-abc1234"`,
		`VALUE "FileVersion", "1.20.3.7"`,
		"FILEVERSION 1,20,3,7",
		`BLOCK "080404B0"`,
		`VALUE "Translation", 0x0804, 1200`,
	} {
		if !strings.Contains(rc, want) {
			t.Errorf("rc lacks %s\n%s", want, rc)
		}
	}
}

func TestICO_HoldsEverySizeAsPNG(t *testing.T) {
	src := image.NewNRGBA(image.Rect(0, 0, 512, 512))
	for i := range src.Pix {
		src.Pix[i] = 0x80
	}
	src.Set(0, 0, color.NRGBA{255, 0, 0, 255})
	ico, err := ICO(src)
	if err != nil {
		t.Fatal(err)
	}
	le := binary.LittleEndian
	if le.Uint16(ico[0:]) != 0 || le.Uint16(ico[2:]) != 1 || int(le.Uint16(ico[4:])) != len(iconSizes) {
		t.Fatalf("header % x", ico[:6])
	}
	for i, want := range iconSizes {
		e := ico[6+16*i:]
		size, off := le.Uint32(e[8:]), le.Uint32(e[12:])
		img, err := png.Decode(bytes.NewReader(ico[off : off+size]))
		if err != nil {
			t.Fatalf("entry %d: %v", i, err)
		}
		if img.Bounds().Dx() != want || img.Bounds().Dy() != want {
			t.Errorf("entry %d is %v, want %d", i, img.Bounds(), want)
		}
		if w := int(e[0]); w != want%256 {
			t.Errorf("entry %d width byte %d, want %d", i, w, want%256)
		}
	}
}

func TestDesktop_NamesTheAppInBothLanguages(t *testing.T) {
	m := testMeta()
	m.LinuxAndBSD.GenericName = "Sunledger"
	m.LinuxAndBSD.Categories = []string{"Office", "Finance"}
	d := m.Desktop()
	for _, want := range []string{"[Desktop Entry]\n", "Name=Sunledger\n", "Name[zh_CN]=阳光账本\n", "Exec=sunledger\n",
		"Icon=org.sunledger.app\n", "Categories=Office;Finance;\n", "Terminal=false\n"} {
		if !strings.Contains(d, want) {
			t.Errorf("desktop entry lacks %q:\n%s", want, d)
		}
	}
}

// versionBlob builds a VS_VERSIONINFO the way windres lays it out, with one string.
func versionBlob(key, value string) []byte {
	u16 := func(s string) []byte {
		var b []byte
		for _, r := range s {
			b = binary.LittleEndian.AppendUint16(b, uint16(r))
		}
		return append(b, 0, 0)
	}
	pad := func(b []byte) []byte {
		for len(b)%4 != 0 {
			b = append(b, 0)
		}
		return b
	}
	node := func(key string, typ uint16, value []byte, valueLen int, children ...[]byte) []byte {
		b := []byte{0, 0, 0, 0, byte(typ), 0}
		b = pad(append(b, u16(key)...))
		b = pad(append(b, value...))
		for _, c := range children {
			b = pad(append(b, c...))
		}
		binary.LittleEndian.PutUint16(b, uint16(len(b)))
		binary.LittleEndian.PutUint16(b[2:], uint16(valueLen))
		return b
	}
	str := node(key, 1, u16(value), len([]rune(value))+1)
	table := node("080404B0", 1, nil, 0, str)
	sfi := node("StringFileInfo", 1, nil, 0, table)
	fixed := make([]byte, 52)
	binary.LittleEndian.PutUint32(fixed, 0xFEEF04BD)
	binary.LittleEndian.PutUint32(fixed[8:], 1<<16|20)
	binary.LittleEndian.PutUint32(fixed[12:], 3<<16|7)
	return node("VS_VERSION_INFO", 0, fixed, 52, sfi)
}

func TestParseVersion_ReadsChineseStringsAndTheFixedVersion(t *testing.T) {
	got := map[string]string{}
	if err := parseVersion(versionBlob("ProductName", "阳光账本 Sunledger"), got); err != nil {
		t.Fatal(err)
	}
	if got["ProductName"] != "阳光账本 Sunledger" || got["(fixed FileVersion)"] != "1.20.3.7" || got["(language)"] != "080404B0" {
		t.Errorf("parsed %v", got)
	}
}

func FuzzParseVersion_NeverPanics(f *testing.F) {
	f.Add(versionBlob("ProductName", "阳光账本"))
	f.Add([]byte{6, 0, 0, 0, 1, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		parseVersion(b, map[string]string{})
	})
}
