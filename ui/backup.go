package ui

import (
	"bufio"
	"context"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	fstorage "fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"sunledger/app"
)

// Automatic backups (自动备份). The window writes an encrypted backup (BackupService)
// into the folder the committee chose (BackupFolderPreference, e.g. a USB stick) when it
// closes and once a day while it is open, and keeps the newest BackupKeepPreference
// files there (default 10).
//
// The backup passphrase is the committee's backup passphrase, not a member's: any
// member must be able to restore any backup, whoever was signed in when it was made. It
// is never written to disk: the window asks for it (twice, to catch a typo) the first
// time a backup is due in a session and keeps it in memory until the window closes.

// Preferences of the automatic backups.
const (
	BackupFolderPreference = "backup.folder" // "" = no automatic backups
	BackupKeepPreference   = "backup.keep"   // how many backups to keep (default 10)
	BackupLastPreference   = "backup.last"   // RFC 3339 time of the last backup written here
)

// DefaultBackupKeep is how many backups the folder keeps when the committee chose no number.
const DefaultBackupKeep = 10

// backupPrefix and backupExt name the window's backup files: sunledger-backup-20261129-0930.slbak.
const (
	backupPrefix = "sunledger-backup-"
	backupExt    = ".slbak"
)

// BackupStaleAfter is how old the last backup may be before the dashboard warns.
const BackupStaleAfter = 7 * 24 * time.Hour

// Hooks the window program sets: reading a backup's contents and replacing the open
// book with a backup. Both are done by cmd/sunledger, which owns the book's folder.
var (
	PreviewBackup func(ctx context.Context, file, passphrase string) (app.BackupPreview, error)
	RestoreBackup func(ctx context.Context, file, passphrase string) error
)

var backupState struct {
	sync.Mutex
	pass    string // the session's backup passphrase, in memory only
	running bool
	failed  bool // the last backup failed
	skipped bool // the passphrase was not given: no more daily prompts this session
	once    sync.Once
}

func prefs() fyne.Preferences {
	if a := fyne.CurrentApp(); a != nil {
		return a.Preferences()
	}
	return nil
}

func backupFolder() string {
	if p := prefs(); p != nil {
		return p.String(BackupFolderPreference)
	}
	return ""
}

func backupKeep() int {
	if p := prefs(); p != nil {
		return max(1, p.IntWithFallback(BackupKeepPreference, DefaultBackupKeep))
	}
	return DefaultBackupKeep
}

// LastBackup is when the window last wrote a backup (zero if never).
func LastBackup() time.Time {
	if p := prefs(); p != nil {
		t, _ := time.Parse(time.RFC3339, p.String(BackupLastPreference))
		return t
	}
	return time.Time{}
}

// BackupStatus is the dashboard's line about backups, and whether it is a warning.
func BackupStatus(now time.Time) (string, bool) {
	last := LastBackup()
	switch {
	case backupFolder() == "":
		return L("尚未设置自动备份文件夹：请点“备份与锁定…”选择一个文件夹（例如 U 盘）。"), true
	case last.IsZero():
		return L("尚未备份过。备份文件夹：%s", backupFolder()), true
	case now.Sub(last) > BackupStaleAfter:
		return L("上次备份在 %s，已超过 7 天：请插入备份 U 盘并立即备份。", last.Local().Format("2006-01-02 15:04")), true
	}
	return L("上次备份：%s（%s）", last.Local().Format("2006-01-02 15:04"), backupFolder()), false
}

// backupDue reports whether a daily backup is due.
func backupDue(now time.Time) bool {
	return backupFolder() != "" && now.Sub(LastBackup()) >= 24*time.Hour
}

// writeBackup writes one backup into the folder (to a temporary name, renamed when
// complete) and removes the oldest beyond keep. It runs off the UI goroutine.
func writeBackup(ctx context.Context, s app.Services, folder, pass string, keep int, now time.Time) (string, error) {
	if err := os.MkdirAll(folder, 0o755); err != nil {
		return "", app.Errorf(app.EINVALID, "无法使用备份文件夹 %s：%v（没有写入备份）", "cannot use the backup folder %s: %v (no backup was written)", folder, err)
	}
	name := filepath.Join(folder, backupPrefix+now.Format("20060102-150405")+backupExt)
	f, err := os.CreateTemp(folder, ".sunledger-backup-*.tmp")
	if err != nil {
		return "", app.Errorf(app.EINVALID, "无法在备份文件夹 %s 中写入：%v（没有写入备份）", "cannot write into the backup folder %s: %v (no backup was written)", folder, err)
	}
	ok := false
	defer func() {
		if !ok {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	bw := bufio.NewWriterSize(f, 256<<10)
	if err := s.Backups.Backup(ctx, bw, pass, Operator()); err != nil {
		return "", err
	}
	if err := bw.Flush(); err != nil {
		return "", app.Errorf(app.EINVALID, "写入备份失败：%v（备份文件夹里没有留下不完整的文件）", "writing the backup failed: %v (no partial file was left)", err)
	}
	if err := f.Sync(); err != nil {
		return "", app.Errorf(app.EINVALID, "写入备份失败：%v", "writing the backup failed: %v", err)
	}
	if err := f.Close(); err != nil {
		return "", app.Errorf(app.EINVALID, "写入备份失败：%v", "writing the backup failed: %v", err)
	}
	if err := os.Rename(f.Name(), name); err != nil {
		return "", app.Errorf(app.EINVALID, "写入备份失败：%v", "writing the backup failed: %v", err)
	}
	ok = true
	pruneBackups(folder, keep)
	return name, nil
}

// backupFiles lists the window's backups in folder, oldest first.
func backupFiles(folder string) []string {
	ents, err := os.ReadDir(folder)
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range ents {
		if !e.IsDir() && strings.HasPrefix(e.Name(), backupPrefix) && strings.HasSuffix(e.Name(), backupExt) {
			out = append(out, filepath.Join(folder, e.Name()))
		}
	}
	sort.Strings(out) // the names sort by time
	return out
}

// pruneBackups removes the oldest of the window's backups beyond keep (other files in
// the folder are never touched).
func pruneBackups(folder string, keep int) {
	files := backupFiles(folder)
	for len(files) > keep {
		os.Remove(files[0])
		files = files[1:]
	}
}

// askBackupPassphrase asks for the session's backup passphrase (twice), then runs then.
func askBackupPassphrase(w fyne.Window, why string, then func(pass string), skip func()) {
	p1, p2 := widget.NewPasswordEntry(), widget.NewPasswordEntry()
	note := widget.NewLabel(why + "\n" + L("备份口令是业委会共用的备份口令（不是个人签名口令），恢复任何一份备份都要用它。口令只保留在内存中，关闭窗口后不留存，下次打开时会再询问一次。"))
	note.Wrapping = fyne.TextWrapWord
	form := widget.NewForm(
		widget.NewFormItem(L("备份口令"), p1),
		widget.NewFormItem(L("再输一次"), p2),
	)
	d := dialog.NewCustomConfirm(L("备份口令"), L("备份"), L("跳过"), container.NewVBox(note, form), func(ok bool) {
		if !ok {
			if skip != nil {
				skip()
			}
			return
		}
		if p1.Text != p2.Text {
			ShowError(app.Errorf(app.EINVALID, "两次输入的备份口令不一致：没有备份", "the two backup passphrases differ: no backup was made"), w)
			if skip != nil {
				skip()
			}
			return
		}
		if err := app.ValidatePassphrase(p1.Text); err != nil {
			ShowError(err, w)
			if skip != nil {
				skip()
			}
			return
		}
		backupState.Lock()
		backupState.pass = p1.Text
		backupState.Unlock()
		then(p1.Text)
	}, w)
	d.Resize(fyne.NewSize(520, 340))
	d.Show()
}

// BackupNow writes a backup now (asking for the passphrase if the session has none)
// and then runs done (on the UI goroutine) whatever happened.
func BackupNow(w fyne.Window, s app.Services, why string, quiet bool, done func()) {
	finish := func() {
		if done != nil {
			done()
		}
	}
	folder := backupFolder()
	if s.Backups == nil || folder == "" {
		finish()
		return
	}
	backupState.Lock()
	pass, running := backupState.pass, backupState.running
	backupState.Unlock()
	if running {
		finish()
		return
	}
	run := func(pass string) {
		backupState.Lock()
		backupState.running = true
		backupState.Unlock()
		ctx, close := BusyCancel(L("备份"), L("正在加密备份到 %s…", folder), w)
		var name string
		var err error
		now := time.Now() // wall time on purpose: backups are files on this desk, named and aged by the real clock
		keep := backupKeep()
		Spawn(func() { name, err = writeBackup(ctx, s, folder, pass, keep, now) }, func() {
			cancelled := ctx.Err() != nil
			close()
			backupState.Lock()
			backupState.running = false
			backupState.Unlock()
			backupState.Lock()
			backupState.failed = err != nil
			backupState.Unlock()
			switch {
			case err != nil && cancelled:
				ShowNotice(L("备份已取消：没有写入备份"), w)
			case err != nil:
				ShowError(err, w)
			default:
				if p := prefs(); p != nil {
					p.SetString(BackupLastPreference, now.UTC().Format(time.RFC3339))
				}
				if !quiet {
					ShowNotice(L("已备份到 %s", name), w)
				}
			}
			finish()
		})
	}
	if pass != "" {
		run(pass)
		return
	}
	askBackupPassphrase(w, why, run, func() {
		backupState.Lock()
		backupState.skipped = true
		backupState.Unlock()
		finish()
	})
}

// startAutoBackup makes the window back up daily while open and when it closes.
func startAutoBackup(w fyne.Window, s app.Services) {
	if s.Backups == nil || Synchronous {
		return
	}
	backupState.once.Do(func() {
		closing := false
		w.SetCloseIntercept(func() {
			if closing || backupFolder() == "" {
				w.Close()
				return
			}
			closing = true
			BackupNow(w, s, L("关闭前自动备份账本。"), true, func() {
				backupState.Lock()
				failed := backupState.failed
				backupState.Unlock()
				if !failed {
					w.Close()
				}
				// A failed backup (the stick was pulled out) stays on screen with its
				// reason; closing again closes without another try.
			})
		})
		go func() {
			time.Sleep(10 * time.Second)
			for {
				session.Lock()
				someone := session.member != "" || session.open
				session.Unlock()
				backupState.Lock()
				skipped := backupState.skipped
				backupState.Unlock()
				// Wall time on purpose: the daily backup is due by the real clock, not the book's.
				if backupDue(time.Now()) && someone && !skipped {
					fyne.Do(func() { BackupNow(w, s, L("今天的自动备份到期了。"), true, nil) })
				}
				time.Sleep(30 * time.Minute)
			}
		}()
	})
}

// DeskSettings is the 备份与锁定 dialog: the backup folder, how many to keep, the idle
// lock, back up now and restore.
func DeskSettings(w fyne.Window, s app.Services) {
	folder := widget.NewEntry()
	folder.SetText(backupFolder())
	folder.SetPlaceHolder(L("例如 U 盘上的一个文件夹"))
	pick := widget.NewButtonWithIcon(L("选择…"), theme.FolderOpenIcon(), func() {
		showFileDialog(dialog.NewFolderOpen(func(u fyne.ListableURI, err error) {
			if err == nil && u != nil {
				folder.SetText(u.Path())
			}
		}, w), w)
	})
	keep := widget.NewEntry()
	keep.SetText(strconv.Itoa(backupKeep()))
	idle := widget.NewEntry()
	idle.SetText(strconv.Itoa(idleMinutes()))
	status, _ := BackupStatus(time.Now()) // wall time: the last backup was recorded by the real clock
	st := widget.NewLabel(status)
	st.Wrapping = fyne.TextWrapWord
	save := func() bool {
		n, err := strconv.Atoi(strings.TrimSpace(keep.Text))
		if err != nil || n < 1 || n > 1000 {
			ShowError(app.Errorf(app.EINVALID, "保留份数应为 1 到 1000 之间的整数：设置未改变", "keep should be a whole number from 1 to 1000: nothing was changed"), w)
			return false
		}
		m, err := strconv.Atoi(strings.TrimSpace(idle.Text))
		if err != nil || m < 0 || m > 24*60 {
			ShowError(app.Errorf(app.EINVALID, "自动锁定应为 0 到 1440 分钟（0 表示不锁定）：设置未改变", "the idle lock should be 0 to 1440 minutes (0 = never): nothing was changed"), w)
			return false
		}
		if p := prefs(); p != nil {
			p.SetString(BackupFolderPreference, strings.TrimSpace(folder.Text))
			p.SetInt(BackupKeepPreference, n)
			p.SetInt(IdlePreference, m)
		}
		return true
	}
	var d dialog.Dialog
	now := widget.NewButtonWithIcon(L("立即备份"), theme.DocumentSaveIcon(), func() {
		if save() {
			d.Hide()
			BackupNow(w, s, L("立即备份账本。"), false, nil)
		}
	})
	restore := widget.NewButtonWithIcon(L("从备份恢复…"), theme.HistoryIcon(), func() {
		d.Hide()
		askRestore(w)
	})
	form := widget.NewForm(
		widget.NewFormItem(L("备份文件夹"), container.NewBorder(nil, nil, nil, pick, folder)),
		widget.NewFormItem(L("保留最近几份"), keep),
		widget.NewFormItem(L("闲置多少分钟后锁定"), idle),
	)
	note := widget.NewLabel(L("关闭窗口时和打开期间每天自动备份一次（加密），只保留最近几份。备份口令是业委会共用的口令，每次打开窗口后第一次备份时询问，只保存在内存中。闲置超过设定时间后窗口锁定，需重新登录（0 表示不锁定）。"))
	note.Wrapping = fyne.TextWrapWord
	content := container.NewVBox(note, form, st, container.NewHBox(now, restore))
	d = dialog.NewCustomConfirm(L("备份与锁定"), L("保存"), L("关闭"), container.NewGridWrap(fyne.NewSize(560, content.MinSize().Height+80), content), func(ok bool) {
		if ok {
			save()
		}
	}, w)
	d.Show()
}

// askRestore chooses a backup file, asks its passphrase, shows what it holds and only
// then replaces the book.
func askRestore(w fyne.Window) {
	if PreviewBackup == nil || RestoreBackup == nil {
		ShowError(app.Errorf(app.EINVALID, "此窗口不能恢复备份：请用命令行 sunledger-cli restore", "this window cannot restore backups: use sunledger-cli restore"), w)
		return
	}
	fd := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			return
		}
		file := r.URI().Path()
		r.Close()
		pass := widget.NewPasswordEntry()
		dialog.ShowForm(L("从备份恢复"), L("查看备份内容"), L("取消"), []*widget.FormItem{
			widget.NewFormItem(L("备份文件"), widget.NewLabel(filepath.Base(file))),
			widget.NewFormItem(L("备份口令"), pass),
		}, func(ok bool) {
			if !ok {
				return
			}
			var p app.BackupPreview
			var perr error
			ctx, done := BusyCancel(L("从备份恢复"), L("正在读取备份内容（不改动当前账本）…"), w)
			Spawn(func() { p, perr = PreviewBackup(ctx, file, pass.Text) }, func() {
				cancelled := ctx.Err() != nil
				done()
				if cancelled {
					ShowNotice(L("已取消：当前账本没有改动"), w)
					return
				}
				if perr != nil {
					ShowError(perr, w)
					return
				}
				confirmRestore(w, file, pass.Text, p)
			})
		}, w)
	}, w)
	if folder := backupFolder(); folder != "" {
		if u, err := listable(folder); err == nil {
			fd.SetLocation(u)
		}
	}
	fd.Resize(fyne.NewSize(800, 520))
	showFileDialog(fd, w)
}

func confirmRestore(w fyne.Window, file, pass string, p app.BackupPreview) {
	made := ""
	if st, err := os.Stat(file); err == nil {
		made = st.ModTime().Local().Format("2006-01-02 15:04")
	}
	last := ""
	if !p.LastChange.IsZero() {
		last = p.LastChange.Local().Format("2006-01-02 15:04")
	}
	head := p.Head
	if head == "" {
		head = "—"
	}
	text := L("这份备份包含：") + "\n" +
		L("小区：%s", p.Community) + "\n" +
		L("房号：%d 个", p.Units) + "\n" +
		L("凭证：%d 张，最新哈希 %s", p.Entries, head) + "\n" +
		L("最后一次更改：%s（%s）", last, p.LastAction) + "\n" +
		L("备份文件日期：%s", made) + "\n\n" +
		L("恢复会用这份备份替换当前打开的账本（先装入新文件夹并核对，再替换）。当前账本在此之后的更改将丢失；如需保留，请先立即备份。")
	msg := widget.NewLabel(text)
	msg.Wrapping = fyne.TextWrapBreak
	dialog.ShowCustomConfirm(L("从备份恢复"), L("替换当前账本"), L("取消"), container.NewGridWrap(fyne.NewSize(560, msg.MinSize().Height*1.6), msg), func(ok bool) {
		if !ok {
			return
		}
		var err error
		ctx, done := BusyCancel(L("从备份恢复"), L("正在恢复…"), w)
		Spawn(func() { err = RestoreBackup(ctx, file, pass) }, func() {
			cancelled := ctx.Err() != nil
			done()
			switch {
			case err != nil && cancelled:
				ShowNotice(L("恢复已取消：账本保持原样"), w)
			case err != nil:
				ShowError(err, w)
			}
		})
	}, w)
}

func listable(folder string) (fyne.ListableURI, error) {
	return fstorage.ListerForURI(fstorage.NewFileURI(folder))
}

// backupLine is the dashboard's line about the last backup: a warning after 7 days, or
// when no folder is chosen, with the button to the backup settings.
func backupLine(w fyne.Window, s app.Services) fyne.CanvasObject {
	if s.Backups == nil {
		return container.NewVBox()
	}
	text, warn := BackupStatus(time.Now()) // wall time: the last backup was recorded by the real clock
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	icon := widget.NewIcon(theme.ConfirmIcon())
	if warn {
		l.Importance = widget.WarningImportance
		icon.SetResource(theme.WarningIcon())
	}
	b := widget.NewButton(L("备份与锁定…"), func() { DeskSettings(w, s) })
	return container.NewBorder(nil, nil, icon, b, l)
}
