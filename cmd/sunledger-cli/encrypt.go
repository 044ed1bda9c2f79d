package main

import (
	"errors"
	"fmt"
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
		key, err := storage.Unlock(dir, member, p)
		if err == nil {
			storage.UseKey(dir, key)
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
	if _, err := parseFlags(fs, args); err != nil {
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

// syncKeySlots removes the key slots of members who left the roster.
func syncKeySlots(e *env, db *storage.DB, removed ...string) error {
	gone, err := db.SyncKeySlots(e.ctx, removed...)
	if err != nil {
		return err
	}
	for _, n := range gone {
		fmt.Fprintf(e.stdout, app.T("已删除 %s 的密钥槽：其口令不再能打开账本\n", "key slot of %s removed: their passphrase no longer opens the book\n"), n)
	}
	return nil
}
