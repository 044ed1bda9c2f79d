package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"sunledger/demo"
)

// idleSetup signs 甲 in with a one-minute lock, counts the locks and leaves the last use
// an hour ago.
func idleSetup(t *testing.T) (w fyne.Window, locks *int, idle func()) {
	t.Helper()
	a := test.NewTempApp(t)
	a.Preferences().SetInt(IdlePreference, 1)
	w = test.NewWindow(container.NewVBox(widget.NewLabel("page")))
	t.Cleanup(w.Close)
	n := 0
	session.Lock()
	session.member, session.lock = "甲", func() { n++ }
	session.Unlock()
	t.Cleanup(func() {
		session.Lock()
		session.member, session.lock = "", nil
		session.Unlock()
	})
	idle = func() {
		session.Lock()
		session.last = time.Now().Add(-time.Hour)
		session.Unlock()
	}
	idleCheck(w, time.Now()) // the first look
	idle()
	return w, &n, idle
}

// TestIdleLock_TypingInADialogCountsAsUse: keys typed into a dialog's field reach the
// field, not the canvas; the check sees the text change and does not lock. With nothing
// typed since, it locks.
func TestIdleLock_TypingInADialogCountsAsUse(t *testing.T) {
	w, locks, idle := idleSetup(t)
	e := widget.NewEntry()
	d := dialog.NewCustom("表单", "取消", e, w)
	d.Show()
	if idleCheck(w, time.Now()); *locks != 0 {
		t.Fatal("opening a dialog did not count as use")
	}
	idle()
	w.Canvas().Focus(e)
	test.Type(e, "张三")
	if idleCheck(w, time.Now()); *locks != 0 {
		t.Fatal("locked while a dialog was being filled in")
	}
	idle()
	test.Type(e, "丰") // one more key, same focus
	if idleCheck(w, time.Now()); *locks != 0 {
		t.Fatal("a single key in the dialog did not count")
	}
	idle()
	if idleCheck(w, time.Now()); *locks != 1 {
		t.Fatalf("idle for an hour with nothing typed: %d locks, want 1", *locks)
	}
}

// TestIdleLock_ARunningJobHoldsOffTheLock: a backup or snapshot running through Spawn
// keeps the window unlocked however long it takes; the idle time counts from its end.
func TestIdleLock_ARunningJobHoldsOffTheLock(t *testing.T) {
	w, locks, idle := idleSetup(t)
	Synchronous = false
	defer func() { Synchronous = true }()
	release, finished := make(chan struct{}), make(chan struct{})
	Spawn(func() { <-release }, func() { close(finished) })
	if idleCheck(w, time.Now()); *locks != 0 {
		t.Fatal("locked while a job was running")
	}
	close(release)
	select {
	case <-finished:
	case <-time.After(10 * time.Second):
		t.Fatal("the job did not finish")
	}
	if idleCheck(w, time.Now()); *locks != 0 {
		t.Fatal("locked right after the job ended")
	}
	idle()
	if idleCheck(w, time.Now()); *locks != 1 {
		t.Fatalf("idle after the job: %d locks, want 1", *locks)
	}
}

// TestIdleLock_Rule pins shouldLock.
func TestIdleLock_Rule(t *testing.T) {
	now := time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC)
	cases := []struct {
		name   string
		last   time.Duration
		mins   int
		member string
		jobs   int32
		want   bool
	}{
		{"idle past the time", 16 * time.Minute, 15, "甲", 0, true},
		{"idle within the time", 14 * time.Minute, 15, "甲", 0, false},
		{"a job running", time.Hour, 15, "甲", 1, false},
		{"lock set to never", time.Hour, 0, "甲", 0, false},
		{"nobody signed in", time.Hour, 15, "", 0, false},
	}
	for _, c := range cases {
		if got := shouldLock(now, now.Add(-c.last), c.mins, c.member, c.jobs); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}

// TestIdleLock_LockingTakesTheDialogsAwayUntilTheSameMemberReturns: a dialog open when
// the window locks is not usable over the sign-in, which names who was signed in; it
// comes back when that member signs in again.
func TestIdleLock_LockingTakesTheDialogsAwayUntilTheSameMemberReturns(t *testing.T) {
	s := demoBook(t)
	w := newWindow(t)
	c, _ := s.Book.Community(context.Background())
	Desk(w, s, c, "test", "print")
	defer setSignedIn("")
	signIn := func() {
		t.Helper()
		var entry *widget.Entry
		var ok *widget.Button
		for _, o := range test.LaidOutObjects(w.Content()) {
			switch x := o.(type) {
			case *widget.Entry:
				entry = x
			case *widget.Button:
				ok = x
			}
		}
		if entry == nil || ok == nil {
			t.Fatal("no sign-in form")
		}
		entry.SetText(demo.Passphrase)
		test.Tap(ok)
	}
	var sel *widget.Select
	for _, o := range test.LaidOutObjects(w.Content()) {
		if x, ok := o.(*widget.Select); ok {
			sel = x
		}
	}
	sel.SetSelectedIndex(0)
	signIn()
	who := SignedIn()
	if who == "" {
		t.Fatal("not signed in")
	}
	form := widget.NewEntry()
	dialog.NewCustom("表单", "取消", form, w).Show()
	if w.Canvas().Overlays().Top() == nil {
		t.Fatal("no dialog shown")
	}
	LockNow()
	if w.Canvas().Overlays().Top() != nil {
		t.Fatal("the dialog stays usable over the sign-in")
	}
	said := false
	for _, o := range test.LaidOutObjects(w.Content()) {
		if l, ok := o.(*widget.Label); ok && strings.Contains(l.Text, "刚才是 "+who+" 在使用") {
			said = true
		}
	}
	if !said {
		t.Error("the sign-in does not say who was signed in")
	}
	signIn() // the same member, chosen for them
	if SignedIn() != who {
		t.Fatalf("signed in %q, want %q", SignedIn(), who)
	}
	if w.Canvas().Overlays().Top() == nil {
		t.Fatal("the dialog did not come back for the member who left it")
	}
}
