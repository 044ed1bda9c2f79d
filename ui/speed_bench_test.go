package ui

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"sunledger/demo"
	"sunledger/storage"
)

// BenchmarkPages3000x10 opens the window and then every page on the 3,000-unit, 10-year
// demo book and prints the figures the desk is held to: the window (book opened and
// first page built) under 2 s, every page under 1 s, peak resident memory under 300 MB.
// It prints them rather than failing on them (a loaded CI machine is not a laptop):
//
//	SUNLEDGER_BENCH_BOOK=/tmp/big go test -run '^$' -bench Pages3000x10 -benchtime 1x ./ui
//
// SUNLEDGER_BENCH_BOOK names a book made by `sunledger-cli demo --units 3000 --years 10`
// (plain, not encrypted); without it the benchmark builds one in a temp folder first
// (minutes). See docs/window.md.
func BenchmarkPages3000x10(b *testing.B) {
	dir := os.Getenv("SUNLEDGER_BENCH_BOOK")
	if dir == "" {
		dir = filepath.Join(b.TempDir(), "big")
		db, err := storage.Open(dir)
		if err != nil {
			b.Fatal(err)
		}
		b.Logf("building the 3000-unit, 10-year demo…")
		if _, err := demo.Build(context.Background(), db.Services(), demo.Options{Units: 3000, Years: 10, Seed: 1}); err != nil {
			b.Fatal(err)
		}
		if err := db.Close(); err != nil {
			b.Fatal(err)
		}
	}
	// A book made before the record log gets its baseline the first time it is opened for
	// writing (seconds, once per book): do that before the timed runs, so they time the
	// window as a committee sees it every day.
	windowMemoryLimit()
	t0 := time.Now()
	if db, err := storage.Open(dir); err != nil {
		b.Fatal(err)
	} else if err := db.Close(); err != nil {
		b.Fatal(err)
	}
	fmt.Printf("speed: first open (record-log baseline of an older book, once) %d ms; peak resident so far %d MB\n", time.Since(t0).Milliseconds(), peakResidentKB()/1024)
	// Pages read their slow parts in the background (Spawn) as in the real window; the
	// time to show a page and the time until its background reads are done are printed.
	Synchronous = false
	defer func() { jobs.Wait(); Synchronous = true }()
	test.NewTempApp(b)
	w := test.NewTempWindow(b, widget.NewLabel(""))
	w.Resize(fyne.NewSize(1366, 768))
	for b.Loop() {
		start := time.Now()
		db, err := storage.Open(dir)
		if err != nil {
			b.Fatal(err)
		}
		s := db.Services()
		c, err := s.Book.Community(context.Background())
		if err != nil {
			b.Fatal(err)
		}
		w.SetContent(Main(w, s, c, "bench", ""))
		window := time.Since(start)
		jobs.Wait()
		fmt.Printf("speed: window (open the book, first page) %d ms (goal < 2000); its background reads done after %d ms; peak resident so far %d MB\n", window.Milliseconds(), time.Since(start).Milliseconds(), peakResidentKB()/1024)
		b.ReportMetric(float64(window.Milliseconds()), "ms-window")
		slowest, slowID := time.Duration(0), ""
		for _, p := range Pages(s) {
			t0 := time.Now()
			w.SetContent(p.Make(w, s))
			d := time.Since(t0)
			jobs.Wait()
			full := time.Since(t0)
			mark := ""
			if d >= time.Second {
				mark = "  OVER 1 s"
			}
			fmt.Printf("speed: page %-10s %5d ms (goal < 1000); background reads done after %5d ms; peak resident so far %4d MB%s\n", p.ID, d.Milliseconds(), full.Milliseconds(), peakResidentKB()/1024, mark)
			if d > slowest {
				slowest, slowID = d, p.ID
			}
		}
		b.ReportMetric(float64(slowest.Milliseconds()), "ms-slowest-page")
		fmt.Printf("speed: slowest page %s %d ms\n", slowID, slowest.Milliseconds())
		if err := db.Close(); err != nil {
			b.Fatal(err)
		}
	}
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	hwm := peakResidentKB()
	fmt.Printf("speed: peak resident %d MB (goal < 300), Go heap in use %d MB; resident now %d MB, of which %d MB anonymous and %d MB file pages (the book's tables, which Badger maps into memory)\n",
		hwm/1024, m.HeapInuse>>20, statusKB("VmRSS:")/1024, statusKB("RssAnon:")/1024, statusKB("RssFile:")/1024)
	b.ReportMetric(float64(hwm)/1024, "MB-peak-resident")
}

// peakResidentKB is the process's peak resident set (VmHWM, Linux); 0 elsewhere.
func peakResidentKB() int64 { return statusKB("VmHWM:") }

// statusKB reads one figure in kB of /proc/self/status (Linux); 0 elsewhere.
func statusKB(field string) int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, field); ok {
			n, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return n
		}
	}
	return 0
}

// windowMemoryLimit sets the soft memory limit the window program sets for itself
// (cmd/sunledger) unless GOMEMLIMIT says otherwise, so the figures are the window's.
func windowMemoryLimit() {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(200 << 20)
	}
}

// BenchmarkBackup3000x10 backs up the 3,000-unit, 10-year demo book as the window does
// (goal: under 10 s) and previews the backup as the restore dialog does (goal: under
// 300 MB resident while it runs):
//
//	SUNLEDGER_BENCH_BOOK=/tmp/big go test -run '^$' -bench Backup3000x10 -benchtime 1x ./ui
func BenchmarkBackup3000x10(b *testing.B) {
	dir := os.Getenv("SUNLEDGER_BENCH_BOOK")
	if dir == "" {
		b.Skip("SUNLEDGER_BENCH_BOOK names the demo book to back up")
	}
	windowMemoryLimit()
	for b.Loop() {
		db, err := storage.Open(dir)
		if err != nil {
			b.Fatal(err)
		}
		file := filepath.Join(b.TempDir(), "bench.slbak")
		f, err := os.Create(file)
		if err != nil {
			b.Fatal(err)
		}
		t0 := time.Now()
		if err := db.Services().Backups.Backup(context.Background(), f, "bench-pass", "bench"); err != nil {
			b.Fatal(err)
		}
		if err := f.Close(); err != nil {
			b.Fatal(err)
		}
		took := time.Since(t0)
		st, _ := os.Stat(file)
		fmt.Printf("speed: backup %d ms (goal < 10000), %d MB file; peak resident so far %d MB\n", took.Milliseconds(), st.Size()>>20, peakResidentKB()/1024)
		b.ReportMetric(float64(took.Milliseconds()), "ms-backup")
		if err := db.Close(); err != nil {
			b.Fatal(err)
		}
		runtime.GC()
		debug.FreeOSMemory()
		resetPeakResident()
		base := statusKB("VmRSS:")
		t0 = time.Now()
		r, err := os.Open(file)
		if err != nil {
			b.Fatal(err)
		}
		p, err := storage.PreviewBackup(context.Background(), r, "bench-pass")
		r.Close()
		if err != nil {
			b.Fatal(err)
		}
		hwm := peakResidentKB()
		fmt.Printf("speed: restore preview %d ms, peak resident %d MB (goal < 300; %d MB before it), %d entries\n", time.Since(t0).Milliseconds(), hwm/1024, base/1024, p.Entries)
		b.ReportMetric(float64(hwm)/1024, "MB-preview-peak")
	}
}

// resetPeakResident starts the peak resident set (VmHWM) again from now (Linux).
func resetPeakResident() { os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) }
