// Command sunledger is the 阳光账本 window: it opens the community book in the data
// folder and shows the committee's screens (package sunledger/app/ui).
//
//	sunledger [--data DIR] [--demo] [--version]
//
// --data (or SUNLEDGER_DATA) chooses the book's folder; --demo builds the demo community
// there first if the folder holds no book. SUNLEDGER_LANG=en|zh overrides the language
// chosen in the app.
package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"os"
	"runtime/debug"
	"time"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"

	_ "sunledger/cmd/sunledger/locale" // before Fyne reads the locale

	"sunledger/app"
	"sunledger/app/ui"
	"sunledger/demo"
	"sunledger/storage"
	"sunledger/theme"
)

// version is set at build time: -ldflags "-X main.version=..."
var version = "dev"

func main() {
	dataFlag := flag.String("data", "", "the book's folder (default: SUNLEDGER_DATA, else the per-user data folder)")
	withDemo := flag.Bool("demo", false, "build the demo community first if the folder holds no book")
	demoUnits := flag.Int("demo-units", 1200, "units of the demo community")
	demoYears := flag.Int("demo-years", 2, "years of history in the demo community")
	page := flag.String("page", "", "open this screen first (register, audit, …)")
	size := flag.String("size", "", "the window's size, e.g. 1024x600 (default: the last size, else one that fits a 1366×768 laptop)")
	showVersion := flag.Bool("version", false, "print the version and exit")
	flag.Parse()
	if *showVersion {
		fmt.Println("sunledger", version)
		return
	}
	dir := storage.DataDir(*dataFlag)
	start := time.Now()

	a := fyneapp.NewWithID("org.sunledger.app")
	ui.SetLanguage(ui.ChooseEnglish(a.Preferences().String(ui.LanguagePreference)))
	a.Settings().SetTheme(theme.NewSized(theme.ParseTextStep(a.Preferences().String(ui.TextSizePreference))))
	a.SetIcon(theme.Icon())
	ui.AppIcon = theme.Icon()
	w := a.NewWindow(ui.L("阳光账本"))
	w.SetIcon(theme.Icon())
	w.Resize(windowSize(a.Preferences(), *size))
	w.SetMaster()
	w.SetOnClosed(func() { rememberSize(a.Preferences(), w.Canvas().Size()) })

	var db *storage.DB
	var s app.Services
	ctx := context.Background()
	started := false
	ready := func() {
		if os.Getenv("GOMEMLIMIT") == "" {
			// A committee laptop: keep the heap small. Screens over a big book (3000
			// units, ten years) allocate briefly; a soft limit makes the GC hand that back
			// instead of growing to twice the peak. Measured: the dashboard on that book
			// opens in about 0.9 s at about 250 MB resident. Set after a --demo build,
			// which needs more while it runs.
			debug.SetMemoryLimit(150 << 20)
		}
		c, err := s.Book.Community(ctx)
		if err != nil {
			showFailure(w, err, dir)
			return
		}
		w.SetTitle(ui.L("阳光账本") + " — " + c.Name)
		// SUNLEDGER_AS signs in once, at start: a restored book asks again.
		if as := os.Getenv("SUNLEDGER_AS"); as != "" && !started {
			if err := ui.SignInWith(s, as, os.Getenv("SUNLEDGER_PASSPHRASE")); err != nil {
				fmt.Fprintln(os.Stderr, err.Error())
			}
		}
		started = true
		ui.Desk(w, s, c, version, *page)
		if os.Getenv("SUNLEDGER_TIMING") != "" {
			fmt.Fprintf(os.Stderr, "sunledger: first screen built %v after start\n", time.Since(start).Round(time.Millisecond))
		}
	}
	// Backups: preview reads a backup without touching the book; restore closes the
	// book, replaces its folder as the CLI's restore does (new folder, check, swap) and
	// reopens the window on the restored book.
	ui.PreviewBackup = func(file, pass string) (app.BackupPreview, error) {
		f, err := os.Open(file)
		if err != nil {
			return app.BackupPreview{}, app.Errorf(app.EINVALID, "无法打开备份文件 %s：%v", "cannot open the backup file %s: %v", file, err)
		}
		defer f.Close()
		return storage.PreviewBackup(ctx, bufio.NewReaderSize(f, 256<<10), pass)
	}
	ui.RestoreBackup = func(file, pass string) error {
		f, err := os.Open(file)
		if err != nil {
			return app.Errorf(app.EINVALID, "无法打开备份文件 %s：%v", "cannot open the backup file %s: %v", file, err)
		}
		defer f.Close()
		if err := db.Close(); err != nil {
			return err
		}
		rerr := storage.Restore(ctx, dir, bufio.NewReaderSize(f, 256<<10), pass, true, ui.Operator())
		// Whatever happened, open the book in the folder again (the old one if the
		// restore was refused: Restore leaves it as it was).
		ndb, err := storage.Open(dir)
		if err != nil {
			fyne.Do(func() { showFailure(w, err, dir) })
			return err
		}
		db, s = ndb, ndb.Services()
		fyne.Do(ready)
		return rerr
	}
	// First run: the new book can be encrypted before anything is written into it
	// (docs/encryption.md): the empty store is closed, replaced by an encrypted one with
	// the first member's key slot, and reopened.
	ui.EncryptNewBook = func(founder, pass string) (app.Services, error) {
		if err := db.Close(); err != nil {
			return s, err
		}
		eerr := storage.EncryptEmptyBook(dir, founder, pass)
		ndb, err := storage.Open(dir) // the plain empty book again if it was refused
		if err != nil {
			return s, err
		}
		db, s = ndb, ndb.Services()
		return s, eerr
	}
	// An encrypted book's key slots follow the roster (docs/encryption.md).
	ui.SetKeySlot = func(name, pass string) error {
		_, err := db.SetKeySlot(name, pass)
		return err
	}
	ui.SyncKeySlots = func() error {
		_, err := db.SyncKeySlots(ctx)
		return err
	}
	begin := func() {
		_, err := s.Book.Community(ctx)
		switch {
		case err == nil:
			ready()
		case app.ErrorCode(err) == app.ENOTFOUND && *withDemo:
			ui.BuildDemo(w, s, demo.Options{Units: *demoUnits, Years: *demoYears, Seed: 1}, ready)
		case app.ErrorCode(err) == app.ENOTFOUND:
			if db.Encrypted() {
				ui.EncryptNewBook = nil // unlocked already: nothing to offer
			}
			w.SetContent(ui.FirstRun(w, s, dir, ready))
		default:
			showFailure(w, err, dir)
		}
	}
	names, err := storage.SlotNames(dir)
	switch {
	case err != nil: // a damaged key slot file: the message names the way out
		showFailure(w, err, dir)
	case len(names) > 0:
		// An encrypted book: who you are and your passphrase before the store is
		// opened; that member's slot gives the key.
		unlock := func(name, pass string) error {
			key, err := storage.Unlock(dir, name, pass)
			if err != nil {
				return err
			}
			storage.UseKey(dir, key)
			ndb, err := storage.Open(dir)
			if err != nil {
				storage.ForgetKey(dir)
				return err
			}
			db, s = ndb, ndb.Services()
			return nil
		}
		opened := func(name, pass string) {
			// The same passphrase usually signs too: no second question then.
			if err := ui.SignInWith(s, name, pass); err != nil && app.ErrorCode(err) != app.EUNAUTHORIZED && app.ErrorCode(err) != app.ENOTFOUND {
				fmt.Fprintln(os.Stderr, err.Error())
			}
			begin()
		}
		// SUNLEDGER_AS with SUNLEDGER_PASSPHRASE (automated runs) opens it at once;
		// otherwise, or if they do not, the window asks.
		if as := os.Getenv("SUNLEDGER_AS"); as != "" {
			err := unlock(as, os.Getenv("SUNLEDGER_PASSPHRASE"))
			if err == nil {
				opened(as, os.Getenv("SUNLEDGER_PASSPHRASE"))
				break
			}
			fmt.Fprintln(os.Stderr, err.Error())
		}
		w.SetContent(ui.UnlockBook(w, dir, names, unlock, opened))
	default:
		// A plain book (or an encrypted store whose key slots are missing: Open says so).
		ndb, err := storage.Open(dir)
		if err != nil {
			showFailure(w, err, dir)
			w.ShowAndRun()
			os.Exit(1)
		}
		db, s = ndb, ndb.Services()
		begin()
	}
	w.ShowAndRun()
	ui.Wait() // a running import or demo finishes before the book closes
	if db == nil {
		return
	}
	if err := db.Close(); err != nil {
		fmt.Fprintln(os.Stderr, app.Internal(err).Error())
		os.Exit(1)
	}
}

// showFailure fills the window with why the book cannot be used: another program has it
// open (Badger's lock), or the folder is unusable. Never a crash.
func showFailure(w fyne.Window, err error, dir string) {
	title := ui.L("无法打开账本")
	if app.ErrorCode(err) == app.ELOCKED {
		title = ui.L("账本正在被另一个程序使用")
	}
	fmt.Fprintln(os.Stderr, err.Error())
	w.SetContent(ui.Message(title, err.Error()+"\n\n"+ui.L("数据文件夹：%s", dir), ui.L("退出"), func() { fyne.CurrentApp().Quit() }))
}
