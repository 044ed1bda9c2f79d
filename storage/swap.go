package storage

import (
	"errors"
	"os"
	"path/filepath"
	"strings"

	"sunledger/app"
)

// Replacing a whole book (restore, encrypt, demo) happens in steps that each leave one whole
// book findable, so a kill at any point is settled by the next run (docs/resume.md):
//
//  1. the new book is loaded into a loading folder beside dir (.NAME.restore-…,
//     .NAME.encrypt-…, .NAME.rotate-… or .NAME.demo-…), then closed and synced;
//  2. the loading folder is renamed to the staged folder .NAME.swap-new (the new book is
//     whole from here on);
//  3. dir is renamed to .NAME.swap-old;
//  4. .NAME.swap-new is renamed to dir;
//  5. .NAME.swap-old is removed.
//
// SettleSwap looks at which of these folders exist and finishes or undoes the swap.

func swapNames(abs string) (staged, aside string) {
	parent, base := filepath.Dir(abs), filepath.Base(abs)
	return filepath.Join(parent, "."+base+".swap-new"), filepath.Join(parent, "."+base+".swap-old")
}

func exists(p string) bool {
	_, err := os.Lstat(p)
	return err == nil
}

// SwapIn puts the whole, closed book built in the folder tmp (made beside dir, named
// .NAME.demo-…) where dir is, as restore does: a demo killed half-way never leaves half
// a book in dir.
func SwapIn(tmp, dir string) error { return swapIn(tmp, absDir(dir)) }

// swapIn puts the whole, closed book in tmp where dir is (steps 2–5 above). If a rename
// fails the old book goes back, so there is always a whole book at dir.
func swapIn(tmp, dir string) error {
	staged, aside := swapNames(dir)
	syncDir(tmp)
	os.RemoveAll(staged) // settled before we started: only a leftover of ours
	if err := os.Rename(tmp, staged); err != nil {
		return app.Errorf(app.EINVALID, "无法替换数据文件夹 %s：%v；原账本未改动", "cannot replace the data folder %s: %v; the old book is unchanged", dir, err)
	}
	syncDir(filepath.Dir(dir))
	hadOld := false
	if exists(dir) {
		hadOld = true
		os.RemoveAll(aside)
		if err := os.Rename(dir, aside); err != nil {
			os.RemoveAll(staged)
			return app.Errorf(app.EINVALID, "无法替换数据文件夹 %s（是否有程序正在使用它？）：%v；原账本未改动",
				"cannot replace the data folder %s (is a program using it?): %v; the old book is unchanged", dir, err)
		}
		syncDir(filepath.Dir(dir))
	}
	if err := os.Rename(staged, dir); err != nil {
		if hadOld {
			os.Rename(aside, dir)
		}
		os.RemoveAll(staged)
		return app.Errorf(app.EINVALID, "无法替换数据文件夹 %s：%v；原账本未改动", "cannot replace the data folder %s: %v; the old book is unchanged", dir, err)
	}
	syncDir(filepath.Dir(dir))
	if hadOld {
		os.RemoveAll(aside)
	}
	return nil
}

// SettleSwap finishes or undoes a restore or an encryption that was stopped (a kill, a
// power cut) while it replaced the book in dir, and says what it found and did; "" when
// there was nothing to settle. The rule: once the old book has left dir (step 3), the
// swap is finished (the new book is whole); before that, the new book is dropped and
// dir keeps the old one. Loading folders nobody is loading into any more are removed.
// It is called before any command opens dir (and by Open).
func SettleSwap(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", nil
	}
	staged, aside := swapNames(abs)
	var notes []string
	fail := func(err error) (string, error) {
		return "", app.Errorf(app.EINVALID, "上次恢复或加密账本时被中断，无法整理数据文件夹 %s：%v。没有做任何更改；请检查文件夹权限后重试",
			"a restore or encryption of the book was interrupted and the data folder %s cannot be tidied: %v. Nothing was changed; check the folder's permissions and try again", abs, err)
	}
	hasDir, hasStaged, hasAside := exists(abs), exists(staged), exists(aside)
	switch {
	case hasStaged && !hasDir:
		if err := os.Rename(staged, abs); err != nil {
			return fail(err)
		}
		syncDir(filepath.Dir(abs))
		os.RemoveAll(aside)
		notes = append(notes, app.T(
			"上次替换账本的操作（恢复、加密、更换密钥或生成示例）在替换文件夹时被中断：新账本已完整载入，现已完成替换，"+abs+" 里是新账本",
			"an earlier replacement of the book (restore, encrypt, key change or demo) was interrupted while it swapped the folders: the new book was whole and the swap is now finished; "+abs+" holds the new book"))
	case hasStaged:
		if err := os.RemoveAll(staged); err != nil {
			return fail(err)
		}
		if hasAside {
			os.RemoveAll(aside)
		}
		notes = append(notes, app.T(
			"上次替换账本的操作（恢复、加密、更换密钥或生成示例）在替换前被中断："+abs+" 里仍是原来的账本，未改动；已删除未换入的新账本。需要的话请重新运行同一命令",
			"an earlier replacement of the book (restore, encrypt, key change or demo) was interrupted before the swap: "+abs+" still holds the old book, unchanged; the new book that was not swapped in was removed. Run the same command again if you still want it"))
	case hasAside && hasDir:
		if err := os.RemoveAll(aside); err != nil {
			return fail(err)
		}
		notes = append(notes, app.T(
			"上次替换账本的操作（恢复、加密、更换密钥或生成示例）已完成（"+abs+" 里是新账本），已删除留下的旧账本文件夹",
			"an earlier replacement of the book (restore, encrypt, key change or demo) had finished ("+abs+" holds the new book); the old book's leftover folder was removed"))
	case hasAside:
		if err := os.Rename(aside, abs); err != nil {
			return fail(err)
		}
		syncDir(filepath.Dir(abs))
		notes = append(notes, app.T(
			"上次替换账本的操作（恢复、加密、更换密钥或生成示例）被中断："+abs+" 里已放回原来的账本，未改动",
			"an earlier replacement of the book (restore, encrypt, key change or demo) was interrupted: the old book was put back in "+abs+", unchanged"))
	}
	loading, _ := filepath.Glob(filepath.Join(filepath.Dir(abs), "."+filepath.Base(abs)+".*"))
	dropped := false
	for _, p := range loading {
		name := filepath.Base(p)
		if strings.Contains(name, ".before-encrypt-") && strings.Contains(name, ".tmp-") {
			os.Remove(p) // half the backup written before an encryption
			continue
		}
		if !strings.Contains(name, ".restore-") && !strings.Contains(name, ".encrypt-") && !strings.Contains(name, ".demo-") && !strings.Contains(name, ".rotate-") {
			continue
		}
		if st, err := os.Stat(p); err != nil || !st.IsDir() || folderBusy(p) {
			continue
		}
		if err := os.RemoveAll(p); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fail(err)
		}
		ForgetKey(p)
		dropped = true
	}
	if dropped && len(notes) == 0 && !hasDir {
		notes = append(notes, app.T(
			"上次生成示例（或恢复账本）在载入时被中断：已删除载入了一半的临时文件夹；"+abs+" 里原本就没有账本，什么都没有改动。请重新运行同一命令",
			"an earlier demo (or restore) was interrupted while it loaded the book: the half-loaded temporary folder was removed; "+abs+" held no book before and nothing was changed. Run the same command again"))
	} else if dropped && len(notes) == 0 {
		notes = append(notes, app.T(
			"上次替换账本的操作（恢复、加密、更换密钥或生成示例）在载入新账本时被中断："+abs+" 里仍是原来的账本，未改动；已删除载入了一半的临时文件夹。需要的话请重新运行同一命令",
			"an earlier replacement of the book (restore, encrypt, key change or demo) was interrupted while it loaded the new book: "+abs+" still holds the old book, unchanged; the half-loaded temporary folder was removed. Run the same command again if you still want it"))
	}
	return strings.Join(notes, "; "), nil
}
