package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// The path the real window takes (Synchronous off): Spawn returns at once while the job
// runs on its own goroutine, and finish runs afterwards, on the UI side, through fyne.Do.
func TestSpawn_BackgroundJobDoesNotBlockAndFinishes(t *testing.T) {
	Synchronous = false
	t.Cleanup(func() { Synchronous = true })
	test.NewTempApp(t)
	release := make(chan struct{})
	ran, finished := false, make(chan bool, 1)
	Spawn(func() { <-release; ran = true }, func() { finished <- ran })
	// Had Spawn run the job inline, it would still be waiting for release.
	close(release)
	Wait()
	if !<-finished {
		t.Fatal("finish ran before the job had finished")
	}
}

// The dashboard's 核对账本 in the background: the busy dialog gives way to the result.
func TestDashboard_VerifyInTheBackgroundShowsItsResult(t *testing.T) {
	w := newWindow(t)
	_, s := newBook(t, unit("1-1-101", "residential", "90.00", "O1", "王伟"))
	Synchronous = false
	t.Cleanup(func() { Synchronous = true })
	page := Dashboard(w, s)
	w.SetContent(page)
	var verify *widget.Button
	for _, o := range test.LaidOutObjects(page) {
		if b, ok := o.(*widget.Button); ok && b.Text == L("核对账本") {
			verify = b
		}
	}
	if verify == nil {
		t.Fatal("no 核对账本 button")
	}
	test.Tap(verify)
	Wait()
	overlay := w.Canvas().Overlays().Top()
	if overlay == nil || !strings.Contains(strings.Join(texts(overlay), " "), L("凭证哈希链完整，全部余额与凭证相符；支出申请的签字和附件完好。")) {
		t.Fatalf("after the background check the window shows %v", overlay)
	}
}
