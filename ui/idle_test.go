package ui

import (
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
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
