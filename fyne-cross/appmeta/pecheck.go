package main

import (
	"debug/pe"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"unicode/utf16"
)

var le = binary.LittleEndian

// resourceTypes names the standard resource type IDs (winuser.h RT_*).
var resourceTypes = map[uint32]string{1: "CURSOR", 2: "BITMAP", 3: "ICON", 4: "MENU", 5: "DIALOG",
	6: "STRING", 9: "ACCELERATOR", 10: "RCDATA", 12: "GROUP_CURSOR", 14: "GROUP_ICON", 16: "VERSION", 24: "MANIFEST"}

// PEInfo is what a release check needs to know about a Windows program.
type PEInfo struct {
	Subsystem string            // "Windows GUI" (no console window) or "Windows CUI"
	Imports   []string          // DLLs the program loads at start
	Resources map[string]int    // resource type → count
	Version   map[string]string // StringFileInfo of the version resource
}

// ReadPE reads a PE file's subsystem, imports, resource types and version strings.
func ReadPE(r io.ReaderAt) (PEInfo, error) {
	info := PEInfo{Resources: map[string]int{}, Version: map[string]string{}}
	f, err := pe.NewFile(r)
	if err != nil {
		return info, err
	}
	defer f.Close()
	var sub uint16
	switch h := f.OptionalHeader.(type) {
	case *pe.OptionalHeader64:
		sub = h.Subsystem
	case *pe.OptionalHeader32:
		sub = h.Subsystem
	}
	info.Subsystem = map[uint16]string{pe.IMAGE_SUBSYSTEM_WINDOWS_GUI: "Windows GUI",
		pe.IMAGE_SUBSYSTEM_WINDOWS_CUI: "Windows CUI"}[sub]
	if info.Subsystem == "" {
		info.Subsystem = fmt.Sprintf("subsystem %d", sub)
	}
	// pe.File.ImportedLibraries is a stub; the symbols come as "name:DLL".
	syms, err := f.ImportedSymbols()
	if err != nil {
		return info, err
	}
	dlls := map[string]bool{}
	for _, s := range syms {
		if i := strings.LastIndexByte(s, ':'); i >= 0 {
			dlls[s[i+1:]] = true
		}
	}
	for d := range dlls {
		info.Imports = append(info.Imports, d)
	}
	sort.Strings(info.Imports)
	s := f.Section(".rsrc")
	if s == nil {
		return info, nil
	}
	data, err := s.Data()
	if err != nil {
		return info, err
	}
	rs := rsrc{data: data, rva: s.VirtualAddress}
	types, err := rs.dir(0)
	if err != nil {
		return info, err
	}
	for _, t := range types {
		name := resourceTypes[t.id]
		if name == "" {
			name = fmt.Sprint(t.id)
		}
		leaves, err := rs.leaves(t)
		if err != nil {
			return info, err
		}
		info.Resources[name] += len(leaves)
		if t.id == 16 && len(leaves) > 0 {
			if err := parseVersion(leaves[0], info.Version); err != nil {
				return info, fmt.Errorf("version resource: %w", err)
			}
		}
	}
	return info, nil
}

type rsrc struct {
	data []byte
	rva  uint32
}

type rsrcEntry struct {
	id     uint32
	offset uint32 // within the section
	subdir bool
}

var errBadRsrc = errors.New("malformed resource section")

// dir reads an IMAGE_RESOURCE_DIRECTORY and its entries.
func (r rsrc) dir(off uint32) ([]rsrcEntry, error) {
	if int(off)+16 > len(r.data) {
		return nil, errBadRsrc
	}
	n := int(le.Uint16(r.data[off+12:])) + int(le.Uint16(r.data[off+14:]))
	var out []rsrcEntry
	for i := 0; i < n; i++ {
		e := int(off) + 16 + 8*i
		if e+8 > len(r.data) {
			return nil, errBadRsrc
		}
		v := le.Uint32(r.data[e+4:])
		out = append(out, rsrcEntry{id: le.Uint32(r.data[e:]), offset: v &^ (1 << 31), subdir: v&(1<<31) != 0})
	}
	return out, nil
}

// leaves returns the data of every resource under a directory entry.
func (r rsrc) leaves(e rsrcEntry) ([][]byte, error) {
	if !e.subdir {
		o := int(e.offset)
		if o+8 > len(r.data) {
			return nil, errBadRsrc
		}
		start, size := le.Uint32(r.data[o:])-r.rva, le.Uint32(r.data[o+4:])
		if uint64(start)+uint64(size) > uint64(len(r.data)) {
			return nil, errBadRsrc
		}
		return [][]byte{r.data[start : start+size]}, nil
	}
	kids, err := r.dir(e.offset)
	if err != nil {
		return nil, err
	}
	var out [][]byte
	for _, k := range kids {
		l, err := r.leaves(k)
		if err != nil {
			return nil, err
		}
		out = append(out, l...)
	}
	return out, nil
}

// versionNode is one node of VS_VERSIONINFO: wLength, wValueLength, wType, szKey, Value, Children.
type versionNode struct {
	key      string
	text     bool
	value    []byte
	children []versionNode
}

func align4(i int) int { return (i + 3) &^ 3 }

func parseVersionNode(b []byte) (versionNode, error) {
	var n versionNode
	if len(b) < 6 {
		return n, errBadRsrc
	}
	length, valueLen := int(le.Uint16(b)), int(le.Uint16(b[2:]))
	n.text = le.Uint16(b[4:]) == 1
	if length < 6 || length > len(b) {
		return n, errBadRsrc
	}
	b = b[:length]
	i := 6
	for ; i+1 < len(b) && (b[i] != 0 || b[i+1] != 0); i += 2 {
	}
	n.key = utf16String(b[6:i])
	i = align4(i + 2)
	if n.text {
		valueLen *= 2 // text values count UTF-16 code units
	}
	if i+valueLen > len(b) {
		valueLen = max(0, len(b)-i)
	}
	n.value = b[min(i, len(b)) : min(i, len(b))+valueLen]
	for i = align4(i + valueLen); i+6 <= len(b); {
		c, err := parseVersionNode(b[i:])
		if err != nil {
			return n, err
		}
		n.children = append(n.children, c)
		i = align4(i + int(le.Uint16(b[i:])))
	}
	return n, nil
}

func utf16String(b []byte) string {
	u := make([]uint16, 0, len(b)/2)
	for i := 0; i+1 < len(b); i += 2 {
		c := le.Uint16(b[i:])
		if c == 0 {
			break
		}
		u = append(u, c)
	}
	return string(utf16.Decode(u))
}

// parseVersion collects StringFileInfo's strings and the fixed file version.
func parseVersion(b []byte, into map[string]string) error {
	root, err := parseVersionNode(b)
	if err != nil {
		return err
	}
	if root.key != "VS_VERSION_INFO" {
		return fmt.Errorf("root key %q", root.key)
	}
	if len(root.value) >= 52 && le.Uint32(root.value) == 0xFEEF04BD {
		ms, ls := le.Uint32(root.value[8:]), le.Uint32(root.value[12:])
		into["(fixed FileVersion)"] = fmt.Sprintf("%d.%d.%d.%d", ms>>16, ms&0xffff, ls>>16, ls&0xffff)
	}
	for _, c := range root.children {
		if c.key != "StringFileInfo" {
			continue
		}
		for _, table := range c.children {
			into["(language)"] = table.key
			for _, s := range table.children {
				into[s.key] = utf16String(s.value)
			}
		}
	}
	return nil
}

// peCheck prints the program's facts, one per line, for the release scripts to check.
func peCheck(path string, w io.Writer) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	info, err := ReadPE(f)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "subsystem: %s\n", info.Subsystem)
	fmt.Fprintf(w, "imports: %s\n", strings.Join(info.Imports, " "))
	var res []string
	for k, n := range info.Resources {
		res = append(res, fmt.Sprintf("%s×%d", k, n))
	}
	sort.Strings(res)
	fmt.Fprintf(w, "resources: %s\n", strings.Join(res, " "))
	var keys []string
	for k := range info.Version {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(w, "version %s: %s\n", k, info.Version[k])
	}
	return nil
}
