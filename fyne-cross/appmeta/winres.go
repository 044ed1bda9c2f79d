package main

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/image/draw"
)

// iconSizes are the sizes Windows picks from: title bar and taskbar (16–32 at 100–200 %
// scaling), Explorer's views (48–256).
var iconSizes = []int{16, 20, 24, 32, 40, 48, 64, 128, 256}

// ICO encodes src as a Windows icon holding one PNG image per size (PNG entries work in
// every Windows since Vista).
func ICO(src image.Image) ([]byte, error) {
	var images [][]byte
	for _, s := range iconSizes {
		dst := image.NewNRGBA(image.Rect(0, 0, s, s))
		draw.CatmullRom.Scale(dst, dst.Bounds(), src, src.Bounds(), draw.Src, nil)
		var b bytes.Buffer
		if err := png.Encode(&b, dst); err != nil {
			return nil, err
		}
		images = append(images, b.Bytes())
	}
	var out bytes.Buffer
	le := binary.LittleEndian
	// ICONDIR: reserved, type 1 (icon), count.
	binary.Write(&out, le, [3]uint16{0, 1, uint16(len(images))})
	offset := 6 + 16*len(images)
	for i, img := range images {
		s := iconSizes[i]
		if s == 256 {
			s = 0 // 0 means 256 in the one-byte width and height
		}
		// ICONDIRENTRY: width, height, colours, reserved, planes, bits per pixel, size, offset.
		out.Write([]byte{byte(s), byte(s), 0, 0})
		binary.Write(&out, le, [2]uint16{1, 32})
		binary.Write(&out, le, [2]uint32{uint32(len(img)), uint32(offset)})
		offset += len(img)
	}
	for _, img := range images {
		out.Write(img)
	}
	return out.Bytes(), nil
}

// rcString quotes s for a windres string literal (UTF-8 source, code page 65001).
func rcString(s string) string {
	s = strings.ReplaceAll(s, `\`, `\\`)
	s = strings.ReplaceAll(s, `"`, `""`)
	return `"` + s + `"`
}

// RC is the resource script: icon group 1 (the one Explorer shows), the version
// information in Simplified Chinese (0x0804, UTF-16) and the manifest.
func (m Meta) RC(exe, desc, version string) string {
	v := m.FileVersion()
	nums := fmt.Sprintf("%d,%d,%d,%d", v[0], v[1], v[2], v[3])
	dotted := fmt.Sprintf("%d.%d.%d.%d", v[0], v[1], v[2], v[3])
	strs := [][2]string{
		{"CompanyName", "Sunledger"},
		{"FileDescription", desc},
		{"FileVersion", dotted},
		{"InternalName", strings.TrimSuffix(exe, ".exe")},
		{"OriginalFilename", exe},
		{"ProductName", m.Details.Name + " Sunledger"},
		{"ProductVersion", version},
		{"Comments", m.Details.ID},
	}
	var b strings.Builder
	b.WriteString("#pragma code_page(65001)\n")
	b.WriteString("LANGUAGE 0x04, 0x02 // LANG_CHINESE, SUBLANG_CHINESE_SIMPLIFIED\n")
	b.WriteString("1 ICON \"app.ico\"\n")
	b.WriteString("1 24 \"app.manifest\" // RT_MANIFEST, CREATEPROCESS_MANIFEST_RESOURCE_ID\n")
	fmt.Fprintf(&b, "1 VERSIONINFO\nFILEVERSION %s\nPRODUCTVERSION %s\nFILEFLAGSMASK 0x3f\nFILEFLAGS 0\nFILEOS 0x40004\nFILETYPE 1\nFILESUBTYPE 0\n", nums, nums)
	b.WriteString("BEGIN\n  BLOCK \"StringFileInfo\"\n  BEGIN\n    BLOCK \"080404B0\"\n    BEGIN\n")
	for _, kv := range strs {
		fmt.Fprintf(&b, "      VALUE %s, %s\n", rcString(kv[0]), rcString(kv[1]))
	}
	b.WriteString("    END\n  END\n  BLOCK \"VarFileInfo\"\n  BEGIN\n    VALUE \"Translation\", 0x0804, 1200\n  END\nEND\n")
	return b.String()
}

// Manifest runs the program as the invoking user (no UAC prompt), declares Windows 10/11,
// per-monitor DPI awareness (what GLFW asks for anyway) and long paths.
func (m Meta) Manifest() string {
	v := m.FileVersion()
	return fmt.Sprintf(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<assembly xmlns="urn:schemas-microsoft-com:asm.v1" manifestVersion="1.0">
  <assemblyIdentity type="win32" name="%s" version="%d.%d.%d.%d" processorArchitecture="amd64"/>
  <trustInfo xmlns="urn:schemas-microsoft-com:asm.v3">
    <security><requestedPrivileges><requestedExecutionLevel level="asInvoker" uiAccess="false"/></requestedPrivileges></security>
  </trustInfo>
  <compatibility xmlns="urn:schemas-microsoft-com:compatibility.v1">
    <application><supportedOS Id="{8e0f7a12-bfb3-4fe8-b9a5-48fd50a15a9a}"/></application>
  </compatibility>
  <application xmlns="urn:schemas-microsoft-com:asm.v3">
    <windowsSettings>
      <dpiAware xmlns="http://schemas.microsoft.com/SMI/2005/WindowsSettings">true/pm</dpiAware>
      <dpiAwareness xmlns="http://schemas.microsoft.com/SMI/2016/WindowsSettings">permonitorv2,permonitor</dpiAwareness>
      <longPathAware xmlns="http://schemas.microsoft.com/SMI/2016/WindowsSettings">true</longPathAware>
    </windowsSettings>
  </application>
</assembly>
`, m.Details.ID, v[0], v[1], v[2], v[3])
}

// WriteWinRes writes app.ico, app.manifest and app.rc into dir for windres.
func (m Meta) WriteWinRes(dir, exe, desc, version string) error {
	f, err := os.Open(m.IconPath())
	if err != nil {
		return err
	}
	defer f.Close()
	icon, err := png.Decode(f)
	if err != nil {
		return fmt.Errorf("icon %s: %w", m.IconPath(), err)
	}
	ico, err := ICO(icon)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	files := map[string][]byte{
		"app.ico":      ico,
		"app.manifest": []byte(m.Manifest()),
		"app.rc":       []byte(m.RC(exe, desc, version)),
	}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// Desktop is the freedesktop.org entry for the Linux tarball; the icon is installed
// under the app ID.
func (m Meta) Desktop() string {
	l := m.LinuxAndBSD
	var b strings.Builder
	b.WriteString("[Desktop Entry]\nType=Application\nVersion=1.4\n")
	fmt.Fprintf(&b, "Name=%s\nName[zh_CN]=%s\n", orDefault(l.GenericName, m.Details.Name), m.Details.Name)
	if l.Comment != "" {
		fmt.Fprintf(&b, "Comment=%s\n", l.Comment)
	}
	fmt.Fprintf(&b, "Exec=sunledger\nIcon=%s\nTerminal=false\nStartupNotify=true\n", m.Details.ID)
	if len(l.Categories) > 0 {
		fmt.Fprintf(&b, "Categories=%s;\n", strings.Join(l.Categories, ";"))
	}
	if len(l.Keywords) > 0 {
		fmt.Fprintf(&b, "Keywords=%s;\n", strings.Join(l.Keywords, ";"))
	}
	return b.String()
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}
