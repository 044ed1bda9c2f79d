package storage

import (
	"context"
	"errors"
	"os"
	"path/filepath"

	"sunledger/app"
)

// BuildBeside fills a new book for the folder dir — empty, or holding a book with no
// community yet (a fresh, possibly encrypted, store) — without ever leaving half of it
// there: the book is built in a folder beside dir (.NAME.demo-…), closed, and swapped in
// whole when build returns nil (swap.go). A build killed half-way leaves dir as it was;
// the next open removes the leftover (SettleSwap). An encrypted dir's key slots and key
// go with the new book; prepare, if not nil, readies the new folder before it is opened
// (the command line's demo --encrypt makes its key slots there). The demo, which writes
// thousands of transactions, is built this way from the command line and the window
// alike (docs/resume.md).
func BuildBeside(ctx context.Context, dir string, prepare func(tmp string) error, build func(s app.Services) error) error {
	abs := absDir(dir)
	if err := emptyBook(ctx, abs); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(abs), 0o700); err != nil {
		return app.Errorf(app.EINVALID, "无法使用数据文件夹 %s：%v", "cannot use the data folder %s: %v", abs, err)
	}
	// Hold the (empty) book in dir open while the new one is built: another program
	// that tries to create or write a book there meanwhile is told the folder is in
	// use, instead of having its book swapped away at the end. A folder that was not
	// there, or was empty, is left as it was if the build fails.
	ents, statErr := os.ReadDir(abs)
	missing, wasEmpty := errors.Is(statErr, os.ErrNotExist), statErr == nil && len(ents) == 0
	hold, err := Open(abs)
	if err != nil {
		return err
	}
	swapped := false
	defer func() {
		if hold != nil {
			hold.Close()
		}
		if swapped {
			return
		}
		switch {
		case missing:
			os.RemoveAll(abs)
		case wasEmpty:
			if ents, err := os.ReadDir(abs); err == nil {
				for _, e := range ents {
					os.RemoveAll(filepath.Join(abs, e.Name()))
				}
			}
		}
	}()
	tmp, err := os.MkdirTemp(filepath.Dir(abs), "."+filepath.Base(abs)+".demo-")
	if err != nil {
		return app.Errorf(app.EINVALID, "无法在 %s 旁边建立临时文件夹：%v", "cannot make a temporary folder beside %s: %v", abs, err)
	}
	defer func() {
		os.RemoveAll(tmp) // gone already once swapped in
		ForgetKey(tmp)
	}()
	if key := keyFor(abs); key != nil {
		ks, err := readSlots(abs) // the same key and slots
		if err != nil {
			return err
		}
		if err := writeSlots(tmp, ks); err != nil {
			return err
		}
		UseKey(tmp, key)
	}
	if prepare != nil {
		if err := prepare(tmp); err != nil {
			return err
		}
	}
	db, err := Open(tmp)
	if err != nil {
		return err
	}
	if err := build(db.Services()); err != nil {
		db.Close()
		return err
	}
	if err := db.Close(); err != nil {
		return app.Internal(err)
	}
	if err := hold.Close(); err != nil {
		hold = nil
		return app.Internal(err)
	}
	hold = nil
	if err := SwapIn(tmp, abs); err != nil {
		return err
	}
	swapped = true
	return nil
}

// emptyBook refuses a folder that holds a book with a community, or files that are not
// a book: a demo never replaces anything.
func emptyBook(ctx context.Context, dir string) error {
	ents, err := os.ReadDir(dir)
	if err != nil || len(ents) == 0 {
		return nil
	}
	if _, err := os.Stat(filepath.Join(dir, "MANIFEST")); err != nil {
		return app.Errorf(app.ECONFLICT, "文件夹 %s 里有不属于账本的文件（%s）：没有做任何更改；请为示例换一个空文件夹",
			"the folder %s holds files that are not part of a book (%s): nothing was changed; use an empty folder for the demo", dir, ents[0].Name())
	}
	db, err := OpenReadOnly(dir) // a refused demo leaves the folder untouched
	if err != nil {
		return err
	}
	_, cerr := db.bookService().Community(ctx)
	db.Close()
	if cerr != nil && app.ErrorCode(cerr) != app.ENOTFOUND {
		return cerr // a book that cannot be read is never swept away
	}
	if cerr == nil {
		return app.Errorf(app.ECONFLICT, "数据文件夹 %s 里已经有一个账本：没有做任何更改；请为示例换一个空文件夹",
			"the data folder %s already holds a book: nothing was changed; use an empty folder for the demo", dir)
	}
	return nil
}
