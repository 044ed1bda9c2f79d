// Command sunledger is the 阳光账本 window: it opens the community book in the data
// folder and shows the committee's screens (package sunledger/ui).
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
	"strings"
	"time"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"
	"github.com/go-gl/glfw/v3.3/glfw"

	_ "sunledger/cmd/sunledger/locale" // before Fyne reads the locale

	"sunledger/app"
	"sunledger/demo"
	"sunledger/storage"
	"sunledger/theme"
	"sunledger/ui"
)

// version is set at build time: -ldflags "-X main.version=..."
var version = "dev"

func main() {
	// The window keeps little alive between pages (tens of MB); what a big book's reports
	// read is short-lived. A soft limit makes the collector return it promptly, so a
	// committee laptop stays responsive (docs/window.md "Speed"). GOMEMLIMIT overrides it.
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(200 << 20)
	}
	opt := parseFlags()
	if opt.version {
		fmt.Println("sunledger", version)
		return
	}
	dir := storage.DataDir(opt.data)
	ss := &session{opt: opt, dir: dir, book: storage.NewBook(dir), start: time.Now(), ctx: context.Background()} // wall time: measures the start-up
	ss.w = newWindow(opt.size)
	ss.wireBackups()
	ss.wireKeySlots()
	ss.wireDemo()
	ss.open()
	ss.w.ShowAndRun()
	ui.Wait() // a running import or demo finishes before the book closes
	ss.close()
}

// options are the command line's flags.
type options struct {
	data, page, size     string
	withDemo, version    bool
	demoUnits, demoYears int
}

// parseFlags reads the command line.
func parseFlags() options {
	dataFlag := flag.String("data", "", "the book's folder (default: SUNLEDGER_DATA, else the per-user data folder)")
	withDemo := flag.Bool("demo", false, "build the demo community first if the folder holds no book")
	demoUnits := flag.Int("demo-units", 1200, "units of the demo community")
	demoYears := flag.Int("demo-years", 2, "years of history in the demo community")
	page := flag.String("page", "", "open this screen first (register, audit, …)")
	size := flag.String("size", "", "the window's size, e.g. 1024x600 (default: the last size, else one that fits a 1366×768 laptop)")
	showVersion := flag.Bool("version", false, "print the version and exit")
	flag.Parse()
	return options{data: *dataFlag, page: *page, size: *size, withDemo: *withDemo, version: *showVersion,
		demoUnits: *demoUnits, demoYears: *demoYears}
}

// newWindow starts the Fyne app in the saved language and text size and makes the
// main window, of the given size or the last one.
func newWindow(size string) fyne.Window {
	a := fyneapp.NewWithID("org.sunledger.app")
	ui.SetLanguage(ui.ChooseEnglish(a.Preferences().String(ui.LanguagePreference)))
	a.Settings().SetTheme(theme.NewSized(theme.ParseTextStep(a.Preferences().String(ui.TextSizePreference))))
	a.SetIcon(theme.Icon())
	ui.AppIcon = theme.Icon()
	w := a.NewWindow(ui.L("阳光账本"))
	w.SetIcon(theme.Icon())
	want, asked := windowSize(a.Preferences(), size)
	w.Resize(want)
	a.Lifecycle().SetOnStarted(func() {
		fyne.Do(func() { // the driver knows the screen only now (docs/window.md "Window size")
			scr := primaryScreen(w)
			ui.SetScreenSize(scr)
			if fit := onScreen(want, asked, scr); fit != want {
				w.Resize(fit)
			}
		})
	})
	w.SetMaster()
	w.SetOnClosed(func() { rememberSize(a.Preferences(), w.Canvas().Size()) })
	return w
}

// session is the window with the book open in it. db and s change when a backup is
// restored or a new book is encrypted: the book is then reopened.
type session struct {
	opt     options
	dir     string
	start   time.Time
	ctx     context.Context
	w       fyne.Window
	book    *storage.Book
	s       app.Services
	started bool
	noted   *storage.DB // the book whose Note was shown
}

// reopened takes the services of the book opened again after a job (a restore, the
// demo, encryption, a new data key), or shows why it could not be opened.
func (ss *session) reopened() bool {
	if ss.book.DB() == nil {
		return false
	}
	ss.s = ss.book.Services()
	return true
}

// ready shows the committee's desk over the open book (signing in as SUNLEDGER_AS on
// the first time).
func (ss *session) ready() {
	if os.Getenv("GOMEMLIMIT") == "" {
		// A committee laptop: keep the heap small. Screens over a big book (3000
		// units, ten years) allocate briefly; a soft limit makes the GC hand that back
		// instead of growing to twice the peak. Measured: the dashboard on that book
		// opens in about 0.9 s at about 250 MB resident. Set after a --demo build,
		// which needs more while it runs.
		debug.SetMemoryLimit(150 << 20)
	}
	c, err := ss.s.Book.Community(ss.ctx)
	if err != nil {
		showFailure(ss.w, err, ss.dir)
		return
	}
	ss.w.SetTitle(ui.L("阳光账本") + " — " + c.Name)
	// SUNLEDGER_AS signs in once, at start: a restored book asks again.
	if as := os.Getenv("SUNLEDGER_AS"); as != "" && !ss.started {
		if err := ui.SignInWith(ss.s, as, os.Getenv("SUNLEDGER_PASSPHRASE")); err != nil {
			fmt.Fprintln(os.Stderr, err.Error())
		}
	}
	ss.started = true
	ui.Desk(ss.w, ss.s, c, version, ss.opt.page)
	if os.Getenv("SUNLEDGER_TIMING") != "" {
		fmt.Fprintf(os.Stderr, "sunledger: first screen built %v after start\n", time.Since(ss.start).Round(time.Millisecond))
	}
}

// wireBackups gives the screens backups: preview reads a backup without touching the
// book; restore closes the book, replaces its folder as the CLI's restore does (new
// folder, check, swap) and reopens the window on the restored book.
func (ss *session) wireBackups() {
	ui.PreviewBackup = func(ctx context.Context, file, pass string) (app.BackupPreview, error) {
		f, err := os.Open(file)
		if err != nil {
			return app.BackupPreview{}, app.Errorf(app.EINVALID, "无法打开备份文件 %s：%v", "cannot open the backup file %s: %v", file, err)
		}
		defer f.Close()
		return storage.PreviewBackup(ctx, bufio.NewReaderSize(f, 256<<10), pass)
	}
	ui.RestoreBackup = func(ctx context.Context, file, pass string) error {
		f, err := os.Open(file)
		if err != nil {
			return app.Errorf(app.EINVALID, "无法打开备份文件 %s：%v", "cannot open the backup file %s: %v", file, err)
		}
		defer f.Close()
		// The book in the folder is opened again whatever happened (the old one if
		// the restore was refused: it leaves the folder as it was).
		// Cancelled (ctx), the restore stops before the swap and leaves the book as it was.
		err = ss.book.Restore(ctx, bufio.NewReaderSize(f, 256<<10), pass, true, ui.Operator())
		if !ss.reopened() {
			fyne.Do(func() { showFailure(ss.w, err, ss.dir) })
			return err
		}
		fyne.Do(ss.ready)
		return err
	}
}

// wireDemo builds the demo beside the open, empty book and swaps it in whole (as the
// CLI's demo does): the store is closed for the swap and the book reopened.
func (ss *session) wireDemo() {
	ui.BuildDemoBook = func(build func(app.Services) error) error {
		err := ss.book.BuildDemo(ss.ctx, nil, build) // the empty book again if the build failed
		ss.reopened()
		return err
	}
}

// wireKeySlots gives the screens the book's encryption (docs/encryption.md). On first
// run the new book can be encrypted before anything is written into it: the empty
// store is closed, replaced by an encrypted one with the first member's key slot, and
// reopened. An encrypted book's key slots follow the roster.
func (ss *session) wireKeySlots() {
	ui.EncryptNewBook = func(founder, pass string) (app.Services, error) {
		err := ss.book.EncryptEmpty(founder, pass) // the plain empty book again if it was refused
		ss.reopened()
		return ss.s, err
	}
	ui.SetKeySlot = func(name, pass string) error {
		_, err := ss.book.DB().SetKeySlot(name, pass)
		return err
	}
	ui.SyncKeySlots = func() error {
		if _, err := ss.book.DB().SyncKeySlots(ss.ctx); err != nil {
			return err
		}
		pending, err := ss.book.DB().RotationPending(ss.ctx)
		if err != nil || !pending {
			return err
		}
		// The data key changes once the signing dialog's handler is done with the
		// book: the window closes it, re-keys it and opens it again.
		afterHandler(ss.rotate)
		return nil
	}
}

// afterHandler runs f on the Fyne thread after the event handler running now.
var afterHandler = func(f func()) { go fyne.Do(f) }

// rotate changes the data key of the open book after a removal took effect
// (docs/encryption.md): the book is closed, copied under a new key and swapped in, and
// the desk is shown again over it with the same member signed in.
func (ss *session) rotate() {
	_, done := ui.Busy(ui.L("更换数据密钥"), ui.L("成员已移除：正在把账本换到新的数据密钥下（整个账本重写一遍），请稍候…"), ss.w)
	var r storage.Rotation
	var rerr error
	ui.Spawn(func() {
		// The book again afterwards: re-keyed, or as it was if the change failed.
		r, rerr = ss.book.RotateKey(ss.ctx, ui.Operator())
	}, func() {
		done()
		if !ss.reopened() {
			showFailure(ss.w, rerr, ss.dir)
			return
		}
		ui.KeepSignIn()
		ss.ready()
		ss.tellRotation(r, rerr)
	})
}

// tellRotation shows what a change of the data key did.
func (ss *session) tellRotation(r storage.Rotation, err error) {
	if err != nil {
		ui.ShowError(app.Errorf(app.ErrorCode(err), "成员已移除，其密钥槽已删除，但账本的数据密钥没有更换（%s）；下次打开账本时会再试",
			"the member was removed and their key slot deleted, but the book's data key was not changed (%s); it is tried again when the book is next opened", err.Error()), ss.w)
		return
	}
	if !r.Rotated {
		ui.ShowInfo(ui.L("更换数据密钥"), ui.L("账本的数据密钥还没有更换：剩下的密钥槽（%s）都是旧格式。请其中一位成员用自己的口令打开一次账本，密钥会在下次打开时更换。", strings.Join(r.Lost, "、")), ss.w)
		return
	}
	text := ui.L("已更换账本的数据密钥。%s仍用各自原来的口令打开账本；被移除的成员即使留有旧的密钥槽文件副本，也打不开此后的账本。", strings.Join(r.Kept, "、"))
	if len(r.Lost) > 0 {
		text += "\n\n" + ui.L("%s的密钥槽是旧格式，无法用新密钥封存：他们现在打不开账本。请他们在这里修改一次口令（成员→修改口令，新口令可以与原口令相同），即重新得到密钥槽。", strings.Join(r.Lost, "、"))
	}
	ui.ShowInfo(ui.L("更换数据密钥"), text, ss.w)
}

// open opens the book in the folder: an encrypted one asks who you are first (see
// openEncrypted), a plain one opens at once. A folder that cannot be opened shows why.
func (ss *session) open() {
	names, err := storage.SlotNames(ss.dir)
	switch {
	case err != nil: // a damaged key slot file: the message names the way out
		showFailure(ss.w, err, ss.dir)
	case len(names) > 0:
		ss.openEncrypted(names)
	default:
		// A plain book (or an encrypted store whose key slots are missing: Open says so).
		if err := ss.book.Open(false); err != nil {
			showFailure(ss.w, err, ss.dir)
			ss.w.ShowAndRun()
			os.Exit(1)
		}
		ss.reopened()
		ss.begin()
	}
}

// openEncrypted opens an encrypted book: who you are and your passphrase before the
// store is opened; that member's slot gives the key.
func (ss *session) openEncrypted(names []string) {
	var rotated func() // shows a change of the data key finished while opening
	unlock := func(name, pass string) error {
		if err := ss.book.Unlock(name, pass); err != nil {
			return err
		}
		if err := ss.book.Open(false); err != nil {
			ss.book.Forget()
			return err
		}
		// A removal whose change of the data key did not finish (the program was
		// stopped meanwhile) is finished before anything else.
		r, pending, rerr := ss.book.SettleRotation(ss.ctx, name)
		if !ss.reopened() {
			return rerr
		}
		if pending {
			rotated = func() { ss.tellRotation(r, rerr) }
		}
		return nil
	}
	opened := func(name, pass string) {
		// The same passphrase usually signs too: no second question then.
		if err := ui.SignInWith(ss.s, name, pass); err != nil && app.ErrorCode(err) != app.EUNAUTHORIZED && app.ErrorCode(err) != app.ENOTFOUND {
			fmt.Fprintln(os.Stderr, err.Error())
		}
		ss.begin()
		if rotated != nil {
			rotated()
			rotated = nil
		}
	}
	// SUNLEDGER_AS with SUNLEDGER_PASSPHRASE (automated runs) opens it at once;
	// otherwise, or if they do not, the window asks.
	if as := os.Getenv("SUNLEDGER_AS"); as != "" {
		err := unlock(as, os.Getenv("SUNLEDGER_PASSPHRASE"))
		if err == nil {
			opened(as, os.Getenv("SUNLEDGER_PASSPHRASE"))
			return
		}
		fmt.Fprintln(os.Stderr, err.Error())
	}
	ss.w.SetContent(ui.UnlockBook(ss.w, ss.dir, names, unlock, opened))
}

// begin shows what the open book calls for: the desk, the demo being built (--demo on
// an empty folder), the first-run screen, or why it cannot be used.
func (ss *session) begin() {
	defer ss.tellNote()
	_, err := ss.s.Book.Community(ss.ctx)
	switch {
	case err == nil:
		ss.ready()
	case app.ErrorCode(err) == app.ENOTFOUND && ss.opt.withDemo:
		ui.BuildDemo(ss.w, ss.s, demo.Options{Units: ss.opt.demoUnits, Years: ss.opt.demoYears, Seed: 1}, ss.ready)
	case app.ErrorCode(err) == app.ENOTFOUND:
		if ss.book.DB().Encrypted() {
			ui.EncryptNewBook = nil // unlocked already: nothing to offer
		}
		ss.w.SetContent(ui.FirstRun(ss.w, ss.s, ss.dir, ss.ready))
	default:
		showFailure(ss.w, err, ss.dir)
	}
}

// tellNote shows, once, what opening the book found that the committee should know (a
// missing COMMITTED marker, a damaged KEYREGISTRY written again: storage.DB.Note).
func (ss *session) tellNote() {
	n := ss.book.DB().Note()
	if n == "" || ss.noted == ss.book.DB() {
		return
	}
	ss.noted = ss.book.DB()
	fmt.Fprintln(os.Stderr, app.T("注意：", "note: ")+n)
	l := widget.NewLabel(n)
	l.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustom(app.T("注意", "Note"), app.T("知道了", "OK"), l, ss.w)
	d.Resize(fyne.NewSize(560, 260))
	d.Show()
}

// close closes the book when the window is gone.
func (ss *session) close() {
	if err := ss.book.Close(); err != nil {
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

// primaryScreen is the primary monitor's video mode in Fyne units, zero when it cannot
// be known. GLFW is initialised by Fyne's driver and may be asked only on the main
// thread once the app runs (fyne.Do from the started hook); it panics if not ready.
func primaryScreen(w fyne.Window) (s fyne.Size) {
	defer func() {
		if recover() != nil {
			s = fyne.Size{}
		}
	}()
	m := glfw.GetPrimaryMonitor()
	if m == nil {
		return fyne.Size{}
	}
	vm := m.GetVideoMode()
	if vm == nil || vm.Width <= 0 || vm.Height <= 0 {
		return fyne.Size{}
	}
	scale := w.Canvas().Scale()
	if scale <= 0 {
		scale = 1
	}
	return fyne.NewSize(float32(vm.Width)/scale, float32(vm.Height)/scale)
}
