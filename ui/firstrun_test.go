package ui

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sunledger/app"
	"sunledger/demo"
	"sunledger/storage"
)

func emptyBook(t *testing.T) app.Services {
	t.Helper()
	db, err := storage.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db.Services()
}

func TestFirstRun_CreateNeedsANameThenMakesTheBook(t *testing.T) {
	s := emptyBook(t)
	w := newWindow(t)
	ready := 0
	f := &firstRun{w: w, s: s, ready: func() { ready++ }}
	w.SetContent(f.content("/tmp/x"))
	f.create(nil)
	if ready != 0 || !strings.Contains(topDialogText(w), "小区名称") {
		t.Fatalf("no name: ready=%d dialog %q", ready, topDialogText(w))
	}
	f.name.SetText("阳光花园")
	f.create(nil)
	if ready != 1 {
		t.Fatal("ready not called")
	}
	if c, err := s.Book.Community(context.Background()); err != nil || c.Name != "阳光花园" {
		t.Errorf("community = %+v, %v", c, err)
	}
	// The desk then opens on the 开始使用 checklist, once.
	if p := takeFirstRunStart(); p != "setup" || takeFirstRunStart() != "" {
		t.Errorf("first page after the first run = %q", p)
	}
}

func TestFirstRun_BadRegisterCreatesNoBook(t *testing.T) {
	s := emptyBook(t)
	w := newWindow(t)
	ready := 0
	f := &firstRun{w: w, s: s, ready: func() { ready++ }}
	w.SetContent(f.content("/tmp/x"))
	f.name.SetText("阳光花园")
	bad := filepath.Join(t.TempDir(), "bad.csv")
	os.WriteFile(bad, []byte("房号,类型,面积,业主编号\n1-1-101,住宅,0,O1\n"), 0o644)
	f.importRegister(bad)
	if ready != 0 || !strings.Contains(topDialogText(w), "第 2 行") {
		t.Fatalf("bad file: ready=%d dialog %q", ready, topDialogText(w))
	}
	if _, err := s.Book.Community(context.Background()); app.ErrorCode(err) != app.ENOTFOUND {
		t.Errorf("a bad register created a book: %v", err)
	}
	good := filepath.Join(t.TempDir(), "good.csv")
	os.WriteFile(good, []byte("房号,类型,面积,业主编号,业主姓名\n1-1-101,住宅,80.5,O1,王伟\n"), 0o644)
	f.importRegister(good)
	units, _ := s.Register.Units(context.Background())
	if ready != 1 || len(units) != 1 {
		t.Errorf("good file: ready=%d, %d units", ready, len(units))
	}
}

func TestBuildDemo_FillsTheEmptyBookThenCallsReady(t *testing.T) {
	s := emptyBook(t)
	w := newWindow(t)
	ready := false
	BuildDemo(w, s, demo.Options{Units: 40, Years: 0, Seed: 1}, func() { ready = true })
	units, _ := s.Register.Units(context.Background())
	if !ready || len(units) != 40 {
		t.Errorf("ready=%v, %d units", ready, len(units))
	}
}

// TestBuildDemo_BuildsBesideAndSwapsInWhenTheProgramSaysSo: with BuildDemoBook set (as
// the program sets it) the demo is built beside the folder and arrives whole; a build
// that fails shows why and leaves the folder without a book.
func TestBuildDemo_BuildsBesideAndSwapsInWhenTheProgramSaysSo(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "book")
	calls := 0
	BuildDemoBook = func(build func(app.Services) error) error {
		calls++
		return storage.BuildBeside(context.Background(), dir, nil, build)
	}
	t.Cleanup(func() { BuildDemoBook = nil })
	w := newWindow(t)
	ready := false
	BuildDemo(w, app.Services{}, demo.Options{Units: 30, Years: 0, Seed: 1}, func() { ready = true })
	if calls != 1 || !ready {
		t.Fatalf("BuildDemoBook called %d times, ready %v", calls, ready)
	}
	db, err := storage.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	units, _ := db.Services().Register.Units(context.Background())
	db.Close()
	if len(units) != 30 {
		t.Fatalf("the swapped-in demo has %d units, want 30", len(units))
	}
	ready = false
	BuildDemo(w, app.Services{}, demo.Options{Units: 30, Years: 0, Seed: 1}, func() { ready = true })
	if ready || !strings.Contains(strings.Join(texts(w.Content()), " "), "示例小区没有生成") {
		t.Fatalf("a demo over a book: ready %v, window %q", ready, texts(w.Content()))
	}
}
