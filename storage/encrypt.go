package storage

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"sunledger/app"
)

// EncryptBook converts the plain book in dir into an encrypted one, in place: it first
// writes a full backup beside the folder (encrypted with passphrase; its path is
// returned), then loads that backup into a new encrypted store in a folder beside dir,
// checks it, and swaps it in (as Restore does). The founder's key slot is wrapped with
// passphrase; other members get their slot when they next change their passphrase.
// On any failure dir is left as it was.
func EncryptBook(ctx context.Context, dir, founder, passphrase, who string) (backup string, err error) {
	abs := absDir(dir)
	if IsEncrypted(abs) {
		return "", app.Errorf(app.ECONFLICT, "账本 %s 已经加密；没有做任何更改", "the book in %s is already encrypted; nothing was changed", abs)
	}
	if err := app.ValidatePassphrase(passphrase); err != nil {
		return "", err
	}
	old, err := Open(abs)
	if err != nil {
		return "", err
	}
	closeOld := func() {
		if old != nil {
			old.Close()
			old = nil
		}
	}
	defer closeOld()
	if _, err := old.bookService().Community(ctx); err != nil {
		return "", err
	}
	if backup, err = writeBackupBeside(ctx, old, abs, passphrase, who); err != nil {
		return "", err
	}

	tmp, err := os.MkdirTemp(filepath.Dir(abs), "."+filepath.Base(abs)+".encrypt-")
	if err != nil {
		return backup, app.Errorf(app.EINVALID, "无法在 %s 旁边建立临时文件夹：%v", "cannot make a temporary folder beside %s: %v", abs, err)
	}
	swapped := false
	defer func() {
		if !swapped {
			os.RemoveAll(tmp)
		}
		ForgetKey(tmp)
	}()
	key, err := CreateKeySlots(tmp, founder, passphrase)
	if err != nil {
		return backup, err
	}
	bf, err := os.Open(backup)
	if err != nil {
		return backup, app.Internal(err)
	}
	defer bf.Close()
	br, err := openBackup(bf, passphrase)
	if err != nil {
		return backup, err
	}
	if err := loadBackup(ctx, tmp, br, who, founder); err != nil {
		return backup, err
	}
	closeOld()
	if err := swapIn(tmp, abs); err != nil {
		return backup, err
	}
	swapped = true
	UseKey(abs, key)
	db, err := Open(abs)
	if err != nil {
		return backup, err
	}
	return backup, db.Close()
}

// writeBackupBeside writes the full backup encrypt makes first, beside the data folder
// (NAME.before-encrypt-YYYYMMDD-HHMMSS.slbak, named by the wall clock), under a temporary
// name renamed when whole: a kill never leaves half a backup under the name the messages
// point to.
func writeBackupBeside(ctx context.Context, old *DB, abs, passphrase, who string) (string, error) {
	backup := fmt.Sprintf("%s.before-encrypt-%s.slbak", abs, time.Now().Format("20060102-150405"))
	f, err := os.CreateTemp(filepath.Dir(abs), "."+filepath.Base(backup)+".tmp-")
	if err != nil {
		return "", app.Errorf(app.EINVALID, "无法写备份文件 %s：%v；没有做任何更改", "cannot write the backup file %s: %v; nothing was changed", backup, err)
	}
	err = old.backupService().Backup(ctx, f, passphrase, who)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		if _, serr := os.Stat(backup); serr == nil {
			err = app.Errorf(app.ECONFLICT, "备份文件 %s 已存在；没有做任何更改，请一秒后再试", "the backup file %s already exists; nothing was changed, try again in a second", backup)
		} else {
			err = os.Rename(f.Name(), backup)
		}
	}
	if err != nil {
		os.Remove(f.Name())
		return "", err
	}
	syncDir(filepath.Dir(abs))
	return backup, nil
}

// carryKeySlots gives the folder tmp, about to replace dir, dir's key slots and key, so
// that restoring into an encrypted book keeps it encrypted.
func carryKeySlots(dir, tmp string) error {
	key := keyFor(dir)
	if key == nil {
		return nil
	}
	ks, err := readSlots(dir)
	if err != nil {
		return err
	}
	if err := writeSlots(tmp, ks); err != nil {
		return err
	}
	UseKey(tmp, key)
	return nil
}

// EncryptEmptyBook makes the empty book in dir (a folder the window opened but that
// holds no community yet) an encrypted one, as `init --encrypt` would have: a new store
// with founder's key slot is made beside dir and swapped in. The book must be closed.
// A folder that holds a community is refused (use EncryptBook); on any failure dir is
// left as it was. The key is registered for later opens (UseKey).
func EncryptEmptyBook(dir, founder, passphrase string) error {
	abs := absDir(dir)
	if IsEncrypted(abs) {
		return app.Errorf(app.ECONFLICT, "账本 %s 已经加密；没有做任何更改", "the book in %s is already encrypted; nothing was changed", abs)
	}
	if err := app.ValidatePassphrase(passphrase); err != nil {
		return err
	}
	if _, err := os.Stat(abs); err == nil {
		old, err := Open(abs)
		if err != nil {
			return err
		}
		_, cerr := old.bookService().Community(context.Background())
		old.Close()
		if cerr == nil {
			return app.Errorf(app.ECONFLICT, "%s 里已经有账本：要加密已有的账本，请用 sunledger-cli encrypt；没有做任何更改", "%s already holds a book: to encrypt an existing book use sunledger-cli encrypt; nothing was changed", abs)
		}
		if app.ErrorCode(cerr) != app.ENOTFOUND {
			return cerr
		}
	}
	if err := os.MkdirAll(filepath.Dir(abs), 0o700); err != nil {
		return app.Errorf(app.EINVALID, "无法使用数据文件夹 %s：%v", "cannot use the data folder %s: %v", abs, err)
	}
	tmp, err := os.MkdirTemp(filepath.Dir(abs), "."+filepath.Base(abs)+".encrypt-")
	if err != nil {
		return app.Errorf(app.EINVALID, "无法在 %s 旁边建立临时文件夹：%v", "cannot make a temporary folder beside %s: %v", abs, err)
	}
	defer func() {
		os.RemoveAll(tmp) // gone after a successful swap
		ForgetKey(tmp)
	}()
	key, err := CreateKeySlots(tmp, founder, passphrase)
	if err != nil {
		return err
	}
	db, err := Open(tmp)
	if err != nil {
		return err
	}
	if err := db.Close(); err != nil {
		return err
	}
	if err := swapIn(tmp, abs); err != nil {
		return err
	}
	UseKey(abs, key)
	return nil
}
