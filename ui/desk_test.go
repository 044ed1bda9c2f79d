package ui

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"sunledger/app"
	"sunledger/demo"
)

func TestSignIn_WrongPassphraseRefusedAndDelayGrows(t *testing.T) {
	test.NewApp()
	Synchronous = true
	s := demoBook(t)
	ms, err := s.Members.Members(context.Background())
	if err != nil || len(ms) == 0 {
		t.Fatal(err, len(ms))
	}
	got := ""
	w := test.NewWindow(nil)
	SignIn(w, s, ms[:1], func(name string) { got = name })
	if err := s.Members.VerifyPassphrase(context.Background(), ms[0].Name, "wrong"); app.ErrorCode(err) != app.EUNAUTHORIZED {
		t.Errorf("wrong passphrase: %v", err)
	}
	if err := SignInWith(s, ms[0].Name, "wrong"); err == nil || preset != "" {
		t.Error("SignInWith took a wrong passphrase")
	}
	if err := SignInWith(s, ms[0].Name, demo.Passphrase); err != nil || preset != ms[0].Name {
		t.Fatal(err)
	}
	preset = ""
	_ = got
	setSignedIn(ms[0].Name)
	if Operator() != ms[0].Name {
		t.Errorf("Operator() = %q after sign-in as %s", Operator(), ms[0].Name)
	}
	setSignedIn("")
	// Each wrong passphrase in a row waits twice as long (app.PassphraseDelay).
	msg, ok := widget.NewLabel(""), widget.NewButton("", nil)
	for _, want := range []string{"1", "2", "4"} {
		refuse(msg, ok, app.ErrWrongPassphrase(ms[0].Name))
		if !strings.Contains(msg.Text, "请等 "+want+" 秒") {
			t.Errorf("after a wrong passphrase: %q, want a wait of %s s", msg.Text, want)
		}
	}
	setSignedIn(ms[0].Name) // a right one ends the count
	setSignedIn("")
}

func TestBackup_WritesIntoTheFolderAndKeepsTheNewestN(t *testing.T) {
	s := demoBook(t)
	folder := filepath.Join(t.TempDir(), "usb")
	base := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	for i := range 4 {
		if _, err := writeBackup(context.Background(), s, folder, "backup-pass", 2, base.Add(time.Duration(i)*time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	os.WriteFile(filepath.Join(folder, "notes.txt"), []byte("mine"), 0o644)
	files := backupFiles(folder)
	if len(files) != 2 || filepath.Base(files[1]) != "sunledger-backup-20260101-120000.slbak" {
		t.Errorf("kept %v", files)
	}
	if _, err := os.Stat(filepath.Join(folder, "notes.txt")); err != nil {
		t.Error("pruning touched another file")
	}
}

func TestBadge_CountsWhatWaitsForTheSignedInMember(t *testing.T) {
	s := demoBook(t)
	ms, err := s.Members.Members(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, m := range ms {
		setSignedIn(m.Name)
		total += pendingBadge(s, "expenses")
	}
	setSignedIn("")
	if pendingBadge(s, "expenses") != 0 {
		t.Error("a badge without anybody signed in")
	}
	if total == 0 {
		t.Error("the demo has a request waiting for a second signature and a roster change to sign, yet no member has a badge")
	}
}

func TestDesk_SignInThenLockKeepsThePage(t *testing.T) {
	s := demoBook(t)
	w := newWindow(t)
	Synchronous = true
	c, _ := s.Book.Community(context.Background())
	Desk(w, s, c, "test", "print")
	signIn := func(pass string) {
		t.Helper()
		var sel *widget.Select
		var entry *widget.Entry
		var ok *widget.Button
		for _, o := range test.LaidOutObjects(w.Content()) {
			switch x := o.(type) {
			case *widget.Select:
				sel = x
			case *widget.Entry:
				entry = x
			case *widget.Button:
				ok = x
			}
		}
		if sel == nil || entry == nil || ok == nil {
			t.Fatal("no sign-in form")
		}
		sel.SetSelectedIndex(0)
		entry.SetText(pass)
		test.Tap(ok)
	}
	if SignedIn() != "" {
		t.Fatal("signed in before the sign-in")
	}
	signIn("wrong")
	if SignedIn() != "" {
		t.Fatal("a wrong passphrase signed in")
	}
	signIn(demo.Passphrase)
	who := SignedIn()
	if who == "" || Operator() != who {
		t.Fatalf("signed in %q, operator %q", who, Operator())
	}
	main := w.Content()
	LockNow()
	if SignedIn() != "" || w.Content() == main {
		t.Fatal("locking did not show the sign-in")
	}
	signIn(demo.Passphrase)
	if w.Content() != main {
		t.Error("the page was not kept across the lock")
	}
	setSignedIn("")
}

// A cancelled backup stops, says so and leaves nothing in the folder (not even its
// temporary file).
func TestBackup_CancelledWritesNothing(t *testing.T) {
	s := demoBook(t)
	folder := filepath.Join(t.TempDir(), "usb")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := writeBackup(ctx, s, folder, "backup-pass", 2, time.Now()); err == nil {
		t.Fatal("a cancelled backup was written")
	}
	if ents, _ := os.ReadDir(folder); len(ents) != 0 {
		t.Errorf("left in the folder: %v", ents)
	}
}
