package main

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A community name that is empty, too long, split over lines or followed by a stray
// word (a name with a space, unquoted) is refused in one line, and no data folder is
// made.
func TestInit_ARefusedNameLeavesNoFolder(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{
		{"init", "--name", ""},
		{"init"},
		{"init", "--name", strings.Repeat("长", 101)},
		{"init", "--name", "阳光\n花园"},
		{"init", "--name", "阳光\t花园"},
		{"init", "--name", "阳光", "花园"},
		{"demo", "300"},
	} {
		data := filepath.Join(t.TempDir(), "book")
		fails(t, data, args...)
		if _, err := os.Stat(data); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%q: the refused command made the data folder", args)
		}
	}
	docs := t.TempDir() // a mistyped --data: the user's documents
	writeFile(t, docs, "notes.txt", "x")
	fails(t, docs, "init", "--name", "阳光花园")
	if ents, _ := os.ReadDir(docs); len(ents) != 1 {
		t.Errorf("init in a folder of other files left %d files there", len(ents))
	}
	ok(t, t.TempDir(), "init", "--name", "空文件夹小区") // an empty folder is fine
	data := filepath.Join(t.TempDir(), "book")
	ok(t, data, "init", "--name", strings.Repeat("长", 100))
	if r := fails(t, data, "init", "--name", "另一个"); !strings.Contains(r.stderr, "没有做任何更改") {
		t.Errorf("init over a book: %s", r.stderr)
	}
}

// A command pointed at a folder that holds no book (a mistyped --data: the user's
// documents) says which command to run first and leaves no database files there.
func TestCLI_AFolderWithoutABookIsLeftAlone(t *testing.T) {
	t.Parallel()
	data := t.TempDir()
	writeFile(t, data, "notes.txt", "x")
	for _, args := range [][]string{
		{"units", "list"},
		{"fees", "pay", "--unit", "1-1-101", "--amount", "1"},
		{"settings", "--notice-days", "5"},
		{"ledger", "balance", "--json"},
	} {
		r := fails(t, data, args...)
		if !strings.Contains(r.stderr, "init") || !strings.Contains(r.stderr, "demo") {
			t.Errorf("%q: %s: should name init and demo", args, r.stderr)
		}
		if r.stdout != "" {
			t.Errorf("%q: stdout %q", args, r.stdout)
		}
		ents, _ := os.ReadDir(data)
		if len(ents) != 1 {
			t.Fatalf("%q: the folder now holds %d files", args, len(ents))
		}
	}
}

// A command group answers --help with its subcommands; the group alone or with an
// unknown subcommand is a one-line error naming them.
func TestCLI_CommandGroupsAnswerHelp(t *testing.T) {
	t.Parallel()
	data := filepath.Join(t.TempDir(), "none")
	r := ok(t, data, "units", "--help")
	if !strings.Contains(r.stdout, "units import") || !strings.Contains(r.stdout, "units list") {
		t.Errorf("units --help:\n%s", r.stdout)
	}
	for _, args := range [][]string{{"units"}, {"units", "bogus"}, {"bogus"}, {"units", "list", "--bogus"}, {"report", "arrears"}, {"report", "quarterly", "--year", "2026", "--quarter", "5", "--out", "x.pdf"}} {
		r := fails(t, data, args...)
		if r.code != 2 || r.stdout != "" {
			t.Errorf("%q: exit %d, stdout %q", args, r.code, r.stdout)
		}
	}
	if _, err := os.Stat(data); !errors.Is(err, os.ErrNotExist) {
		t.Error("help or a refused command made the data folder")
	}
}
