package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"sunledger/app"
	"sunledger/storage"
)

func init() {
	register("encrypt", "[--as NAME] [--passphrase-file F]   "+app.T("把未加密的账本就地加密（先在旁边写一份备份）；口令也可由 SUNLEDGER_PASSPHRASE 给出", "encrypt a plain book in place (a backup is written beside it first); passphrase also from SUNLEDGER_PASSPHRASE"), encryptCmd)
}

// flagValue finds --name V or --name=V in a command's arguments without parsing them.
func flagValue(args []string, name string) string {
	for i, a := range args {
		a = strings.TrimPrefix(a, "-")
		if a == "-"+name || a == name {
			if i+1 < len(args) {
				return args[i+1]
			}
			return ""
		}
		for _, p := range []string{"-" + name + "=", name + "="} {
			if strings.HasPrefix(a, p) {
				return strings.TrimPrefix(a, p)
			}
		}
	}
	return ""
}

// unlockBook unwraps the data key of an encrypted book before the command opens it.
// A plain book (the default) needs nothing. The passphrase is SUNLEDGER_BOOK_PASSPHRASE,
// else the command's --passphrase-file, else SUNLEDGER_PASSPHRASE; the slot is the one
// of --as or SUNLEDGER_USER, or, with no name, every slot in turn.
func unlockBook(e *env, name string, args []string) error {
	switch name {
	case "witness cosign", "witness list": // need no book: any computer is a witness
		return nil
	case "init", "demo", "encrypt":
		if !storage.IsEncrypted(e.dataDir) {
			return nil
		}
	}
	if wantsHelp(args) {
		return nil
	}
	if _, err := os.Stat(e.dataDir); err != nil || !storage.IsEncrypted(e.dataDir) {
		return nil
	}
	member := flagValue(args, "as")
	if member == "" {
		member = os.Getenv("SUNLEDGER_USER")
	}
	var passes []string
	if p := os.Getenv("SUNLEDGER_BOOK_PASSPHRASE"); p != "" {
		passes = append(passes, p)
	}
	if f := flagValue(args, "passphrase-file"); f != "" {
		if p, err := memberPassphrase(f, "", false); err == nil && p != "" {
			passes = append(passes, p)
		}
	}
	if p := os.Getenv("SUNLEDGER_PASSPHRASE"); p != "" {
		passes = append(passes, p)
	}
	if len(passes) > 0 {
		awaitPassphraseTurn()
	}
	if name == "restore" && hasFlag(args, "force") {
		// The way out of lost key slots: the backup replaces the book whole.
		if err := tryUnlock(e.dataDir, member, passes); err != nil {
			fmt.Fprintln(e.stderr, app.T("警告：", "warning: ")+app.T("无法解开这个加密账本（", "cannot unlock this encrypted book (")+err.Error()+app.T("）；备份将整个替换它，恢复后的账本不加密：之后请运行 sunledger-cli encrypt", "); the backup replaces it whole and the restored book is not encrypted: run sunledger-cli encrypt afterwards"))
		}
		return nil
	}
	return tryUnlock(e.dataDir, member, passes)
}

func hasFlag(args []string, name string) bool {
	for _, a := range args {
		if a == "--"+name || a == "-"+name || strings.HasPrefix(a, "--"+name+"=") {
			return true
		}
	}
	return false
}

// tryUnlock tries each passphrase on the slot of member (every slot without a name)
// and registers the data key of the first that opens.
func tryUnlock(dir, member string, passes []string) error {
	if len(passes) == 0 {
		return storage.ErrNeedPassphrase(dir)
	}
	var first error
	for i, p := range passes {
		if i > 0 && p == passes[i-1] {
			continue
		}
		err := storage.NewBook(dir).Unlock(member, p)
		if err == nil {
			return nil
		}
		if first == nil {
			first = err
		}
		if app.ErrorCode(err) != app.EUNAUTHORIZED {
			break
		}
	}
	return first
}

// setupEncryption, for init and demo with --encrypt, creates the key slots of a new
// encrypted book before it is opened.
func setupEncryption(e *env, on bool, passFile, as string) error {
	if !on {
		return nil
	}
	if _, err := os.Stat(e.dataDir + "/MANIFEST"); err == nil {
		return app.Errorf(app.ECONFLICT, "%s 里已经有账本：要加密已有的账本，请用 sunledger-cli encrypt", "%s already holds a book: to encrypt an existing book use sunledger-cli encrypt", e.dataDir)
	}
	pass, err := memberPassphrase(passFile, "SUNLEDGER_PASSPHRASE", true)
	if err != nil {
		return err
	}
	founder := as
	if founder == "" {
		founder = os.Getenv("SUNLEDGER_USER")
	}
	_, err = storage.CreateKeySlots(e.dataDir, founder, pass)
	return err
}

func encryptCmd(e *env, args []string) error {
	fs := newFlags("encrypt")
	as := fs.String("as", "", "owner of the first key slot")
	pf := fs.String("passphrase-file", "", "file holding that member's passphrase")
	if err := parseStrict(fs, args); err != nil {
		return err
	}
	if _, err := os.Stat(e.dataDir); errors.Is(err, os.ErrNotExist) {
		return storage.ErrNoBook(e.dataDir)
	}
	pass, err := memberPassphrase(*pf, "SUNLEDGER_PASSPHRASE", true)
	if err != nil {
		return err
	}
	founder := *as
	if founder == "" {
		founder = os.Getenv("SUNLEDGER_USER")
	}
	bak, err := storage.EncryptBook(e.ctx, e.dataDir, founder, pass, who(*as))
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, app.T("账本已加密（%s 的密钥槽）；加密前的备份：%s（用同一口令恢复）\n其他成员修改一次口令（members passphrase）即得到自己的密钥槽\n",
		"the book is encrypted (key slot of %s); backup taken before: %s (restore it with the same passphrase)\nother members get their key slot by changing their passphrase once (members passphrase)\n"), founder, bak)
	return nil
}

// addKeySlot gives a member a key slot of an encrypted book (nothing for a plain one).
func addKeySlot(e *env, db *storage.DB, name, pass string) error {
	ok, err := db.SetKeySlot(name, pass)
	if err != nil {
		return err
	}
	if ok {
		fmt.Fprintf(e.stdout, app.T("%s 的口令现在可以打开这个加密账本\n", "%s's passphrase now opens this encrypted book\n"), name)
	}
	return nil
}

// syncKeySlots removes the key slots of members who left the roster and then changes
// the book's data key (docs/encryption.md): the book is closed for that and the command
// ends with it.
func syncKeySlots(e *env, db *storage.DB, operator string, removed ...string) error {
	gone, err := db.SyncKeySlots(e.ctx, removed...)
	if err != nil {
		return err
	}
	for _, n := range gone {
		fmt.Fprintf(e.stdout, app.T("已删除 %s 的密钥槽：其口令不再能打开账本\n", "key slot of %s removed: their passphrase no longer opens the book\n"), n)
	}
	pending, err := db.RotationPending(e.ctx)
	if err != nil || !pending {
		return err
	}
	r, err := e.opened.RotateKey(e.ctx, operator)
	if err != nil {
		return app.Errorf(app.ErrorCode(err), "成员已移除，其密钥槽已删除，但账本的数据密钥没有更换（%s）；下一个写入账本的命令会再试",
			"the member was removed and their key slot deleted, but the book's data key was not changed (%s); the next command that writes to the book tries again", err.Error())
	}
	reportRotation(e, r, e.stdout)
	return nil
}

// reportRotation says what a change of the data key did: who still opens the book, who
// lost access and how to give it back.
func reportRotation(e *env, r storage.Rotation, out io.Writer) {
	if !r.Rotated && len(r.Lost) == 0 {
		fmt.Fprintln(e.stderr, app.T("警告：", "warning: ")+fmt.Sprintf(app.T(
			"账本的数据密钥没有更换：除了被移除的成员（%s）没有别人有密钥槽，删掉它就谁也打不开账本了，所以它还留着。请先让另一位成员得到密钥槽（members passphrase），密钥会在下一个命令时更换",
			"the book's data key was not changed: nobody but the removed members (%s) has a key slot, and deleting it would leave nobody able to open the book, so it stays. Give another member a slot first (members passphrase); the key changes at the next command"),
			strings.Join(r.Removed, "、")))
		return
	}
	if !r.Rotated {
		fmt.Fprintln(e.stderr, app.T("警告：", "warning: ")+fmt.Sprintf(app.T(
			"账本的数据密钥还没有更换：剩下的密钥槽（%s）都是旧格式，无法用新密钥封存。请其中一位成员用自己的口令运行任意一个写入账本的命令（其密钥槽随即升级），密钥会在那时更换",
			"the book's data key has not been changed yet: the remaining key slots (%s) are all of the old format and cannot be sealed to a new key. Have one of those members run any command that writes to the book with their own passphrase (their slot is upgraded then); the key changes at that moment"),
			strings.Join(r.Lost, "、")))
		return
	}
	fmt.Fprintf(out, app.T("已更换账本的数据密钥：%s 仍用各自原来的口令打开账本；被移除的成员（%s）即使留有旧的 keyslots.json 副本，也打不开此后的账本\n",
		"the book's data key was changed: %s still open it with their own passphrases; the removed members (%s) cannot open the book from now on, even with an old copy of keyslots.json\n"),
		strings.Join(r.Kept, "、"), strings.Join(r.Removed, "、"))
	for _, n := range r.Lost {
		fmt.Fprintln(e.stderr, app.T("警告：", "warning: ")+fmt.Sprintf(app.T(
			"%s 的密钥槽是旧格式（升级后还没有用口令打开过账本），无法用新密钥封存：%s 现在打不开账本。要给 %s 新的密钥槽：请能打开账本的成员以 SUNLEDGER_USER、SUNLEDGER_BOOK_PASSPHRASE 给出自己的姓名和口令，由 %s 运行 sunledger-cli members passphrase --name %s（新口令可以与原口令相同）",
			"the key slot of %s is of the old format (they have not unlocked the book since the upgrade) and cannot be sealed to the new key: %s cannot open the book now. To give %s a new slot: a member who can open the book gives their name and passphrase in SUNLEDGER_USER and SUNLEDGER_BOOK_PASSPHRASE, and %s runs sunledger-cli members passphrase --name %s (the new passphrase may be the same as the old)"),
			n, n, n, n, n))
	}
}

// settleRotation finishes a change of the data key that a removal left undone (a kill
// between the removal and the new key, or a key that could not change then) before the
// command uses the book: the book is closed, re-keyed and opened again (with open). A
// command that only reads goes on with the book as it is if the key cannot change (a
// read-only folder) and says so; one that writes stops. The book is e's open book.
func settleRotation(e *env) error {
	r, pending, rerr := e.opened.SettleRotation(e.ctx, who(""))
	if !pending {
		return rerr
	}
	if e.opened.DB() == nil { // could not be opened again
		return rerr
	}
	if rerr != nil {
		if e.readOnly {
			fmt.Fprintln(e.stderr, app.T("警告：", "warning: ")+app.T("移除成员后需要更换账本的数据密钥，但现在做不到（", "the book's data key must change after a member's removal but cannot now (")+rerr.Error()+app.T("）；下一个写入账本的命令会再试", "); the next command that writes to the book tries again"))
			return nil
		}
		e.opened.Close()
		return app.Errorf(app.ErrorCode(rerr), "移除成员后需要更换账本的数据密钥，但没有成功（%s）；账本未改动，请重试",
			"the book's data key must change after a member's removal but this failed (%s); the book is unchanged, try again", rerr.Error())
	}
	if r.Rotated {
		fmt.Fprint(e.stderr, app.T("注意：上次移除成员后没有完成数据密钥的更换，现已完成。", "note: the change of the data key after a member's removal had not finished; it is done now. "))
	}
	reportRotation(e, r, e.stderr)
	return nil
}
