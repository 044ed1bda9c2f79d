package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

func TestPrint_ListsEveryKindAndMakesFeeNoticesIntoTheFolder(t *testing.T) {
	s := demoBook(t)
	w := newWindow(t)
	Synchronous = true
	dir := t.TempDir()
	prefs().SetString(PrintFolderPreference, dir)
	docs, err := printDocs(s, s.Now())
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]bool{}
	var notices *printDoc
	for i, d := range docs {
		kinds[strings.SplitN(d.file, "-", 2)[0]] = true
		if strings.HasPrefix(d.file, "fee-notices-") && notices == nil {
			notices = &docs[i]
		}
	}
	for _, k := range []string{"disclosure", "arrears", "fee", "receipt.pdf", "announcement", "budget", "settlement", "fund"} {
		if !kinds[k] {
			t.Errorf("no %s document in %v", k, kinds)
		}
	}
	if notices == nil {
		t.Fatal("no fee notices")
	}
	// The demo's last billed month is past its due date: the page asks for a new one.
	if c, ok := notices.input.(*fyne.Container); !ok || len(c.Objects) == 0 {
		t.Fatal("fee notices have no due-date entry")
	} else {
		c.Objects[0].(*widget.Entry).SetText(s.Now().AddDate(0, 0, 10).Format(time.DateOnly))
	}
	done := false
	makeAndOpen(w, s, *notices, func() { done = true })
	if msg := topDialogText(w); msg != "" && !done {
		t.Fatalf("dialog: %s", msg)
	}
	if _, err := os.Stat(filepath.Join(dir, notices.file)); err != nil || !done {
		t.Errorf("fee notices not made: %v", err)
	}
	w.SetContent(Print(w, s))
}
