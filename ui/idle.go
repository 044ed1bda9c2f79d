package ui

import (
	"fmt"
	"reflect"
	"strings"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
)

// The idle lock (docs/window.md "Who is at the desk"): pointer moves and taps on the
// pages and key presses the canvas sees count as use directly (touch). Keys typed into a
// focused field and clicks in dialogs reach the widgets, not the canvas, so each check
// also samples what the member can change there: the focused widget and its text,
// cursor, choice or tick, and the dialogs and pop-ups open. Any change since the last
// check counts as use. A job started with Spawn (backup, restore, snapshot, imports)
// holds off the lock while it runs, and its end counts as use.

// runningJobs counts Spawn jobs that have not finished.
var runningJobs atomic.Int32

// idleSample is what the last check saw (Fyne thread only).
var idleSample string

// sampleActivity describes what typing or clicking changes on the canvas.
func sampleActivity(c fyne.Canvas) string {
	if c == nil {
		return ""
	}
	var b strings.Builder
	f := c.Focused()
	fmt.Fprintf(&b, "%p", f)
	if f != nil {
		v := reflect.ValueOf(f)
		for v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
			v = v.Elem()
		}
		if v.Kind() == reflect.Struct {
			for _, name := range []string{"Text", "CursorRow", "CursorColumn", "Selected", "Checked", "Value"} {
				if fv := v.FieldByName(name); fv.IsValid() && fv.CanInterface() {
					fmt.Fprintf(&b, "|%v", fv.Interface())
				}
			}
		}
	}
	if o := c.Overlays(); o != nil {
		fmt.Fprintf(&b, "|%d|%p", len(o.List()), o.Top())
	}
	return b.String()
}

// idleCheck runs on the Fyne thread: it counts a change on w since the last check as
// use, and locks when the member has been idle for the idle time with no job running.
// It reports whether it locked.
func idleCheck(w fyne.Window, now time.Time) bool {
	if s := sampleActivity(w.Canvas()); s != idleSample {
		idleSample = s
		touch()
	}
	mins := idleMinutes()
	session.Lock()
	lock := session.lock
	due := shouldLock(now, session.last, mins, session.member, runningJobs.Load())
	session.Unlock()
	if due && lock != nil {
		lock()
		return true
	}
	return false
}

// shouldLock is the rule: somebody is signed in, a lock time is set, nobody used the
// window for that long, and no job is running.
func shouldLock(now, last time.Time, mins int, member string, jobs int32) bool {
	return member != "" && mins > 0 && jobs == 0 && now.Sub(last) > time.Duration(mins)*time.Minute
}
