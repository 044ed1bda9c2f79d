package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"time"

	"sunledger/app"
	"sunledger/storage"
)

// maxPassphraseBytes bounds a passphrase file: a passphrase is one line, and a file
// longer than this is the wrong file (or /dev/zero), not a passphrase.
const maxPassphraseBytes = 1 << 10

// signerFlags are the flags of a step a member signs with their key: --as (the member),
// --id (what they sign) and --passphrase-file.
type signerFlags struct{ as, id, pf *string }

// addSignerFlags adds the signer's flags to fs; idUsage says what --id names.
func addSignerFlags(fs *flag.FlagSet, idUsage string) signerFlags {
	return signerFlags{
		as: fs.String("as", "", "member"),
		id: fs.String("id", "", idUsage),
		pf: fs.String("passphrase-file", "", "file holding the member's passphrase"),
	}
}

// parse parses the flags, refusing positional arguments, and requires --as and --id.
func (s signerFlags) parse(fs *flag.FlagSet, args []string) error {
	return parseStrict(fs, args, "as", "id")
}

// passphrase reads the signer's passphrase (--passphrase-file or SUNLEDGER_PASSPHRASE),
// once any wait after wrong ones is over (awaitPassphraseTurn).
func (s signerFlags) passphrase() (string, error) {
	p, err := memberPassphrase(*s.pf, "SUNLEDGER_PASSPHRASE", true)
	if err == nil {
		awaitPassphraseTurn()
	}
	return p, err
}

// Wrong passphrases (docs/roster.md, "Wrong passphrases"): as in the window, each wrong
// passphrase in a row makes the next try wait twice as long (app.PassphraseDelay). Each
// run of the CLI is one try, so the count is kept in the book's folder
// (storage.PassphraseWait); the refusal's one line says how long the next try waits,
// and the next run that tries a passphrase first waits that out, silently (a failed
// command prints one line). A run in which a passphrase was checked and that succeeds
// ends the count.
var tries struct {
	dir     string // the book's folder
	checked bool   // this run tried a member's passphrase
}

// awaitPassphraseTurn waits, before this run's first passphrase is tried, what is left
// of the delay after the last wrong one.
func awaitPassphraseTurn() {
	if tries.checked {
		return
	}
	tries.checked = true
	if wait, _ := storage.PassphraseWait(tries.dir, time.Now()); wait > 0 {
		time.Sleep(wait)
	}
}

// settlePassphraseTries counts this run's outcome and returns err, a wrong passphrase
// telling how long the next try waits.
func settlePassphraseTries(err error) error {
	switch {
	case app.WrongPassphrase(err):
		wait := storage.NotePassphraseFailure(tries.dir, time.Now())
		var e *app.Error
		if errors.As(err, &e) {
			s := int(wait.Seconds())
			return &app.Error{Code: e.Code, Err: e.Err,
				ZH: fmt.Sprintf("%s；下一次尝试口令需等 %d 秒", strings.TrimRight(e.ZH, "。."), s),
				EN: fmt.Sprintf("%s; the next try waits %d s", strings.TrimRight(e.EN, "."), s)}
		}
	case err == nil && tries.checked:
		storage.ClearPassphraseFailures(tries.dir)
	}
	return err
}

// memberPassphrase reads a member's passphrase from --passphrase-file (its first line)
// or, without one, from the environment variable env. The file is read at most 1 KiB
// (beyond that it is refused at once), and a warning goes to stderr when a regular
// file is readable by the group or others on unix.
func memberPassphrase(file, env string, required bool) (string, error) {
	if file != "" {
		b, err := readLimited(file, maxPassphraseBytes)
		if errors.Is(err, errTooLarge) {
			return "", app.Errorf(app.EINVALID, "口令文件 %s 超过 1 KiB：口令文件只应有一行口令，请检查是否选错了文件",
				"the passphrase file %s is longer than 1 KiB: it should hold one line, the passphrase; check that it is the right file", file)
		}
		if err != nil {
			return "", app.Errorf(app.EINVALID, "无法读取口令文件 %s：%v", "cannot read the passphrase file %s: %v", file, err)
		}
		warnIfShared(file)
		// Notepad on Windows may save UTF-8 with a byte-order mark: it is not part of
		// the passphrase typed.
		s := strings.TrimPrefix(string(b), "\ufeff")
		if i := strings.IndexAny(s, "\r\n"); i >= 0 {
			s = s[:i]
		}
		if s == "" {
			return "", app.Errorf(app.EINVALID, "口令文件 %s 是空的", "the passphrase file %s is empty", file)
		}
		if strings.IndexByte(s, 0) >= 0 {
			return "", app.Errorf(app.EINVALID, "口令文件 %s 含有零字节，不是文本口令文件", "the passphrase file %s holds NUL bytes: it is not a text passphrase file", file)
		}
		return s, nil
	}
	s := os.Getenv(env)
	if s == "" && required {
		return "", usageError("需要口令：请用 --passphrase-file 文件 或环境变量 %s 给出", "a passphrase is needed: give --passphrase-file FILE or set %s", env)
	}
	return s, nil
}

// warnings are what a command wants said on stderr once it has succeeded: a failed
// command prints its one-line error and nothing else there (run flushes or drops them).
var warnings []string

// warnIfShared warns (without failing) when a passphrase file can be read by people
// other than its owner; the warning is printed only if the command succeeds.
func warnIfShared(file string) {
	if runtime.GOOS == "windows" {
		return
	}
	st, err := os.Stat(file)
	if err != nil || !st.Mode().IsRegular() || st.Mode().Perm()&0o044 == 0 {
		return
	}
	warnings = append(warnings, app.T(
		fmt.Sprintf("警告：口令文件 %s 其他用户也能读取（权限 %04o）；请执行 chmod 600 %s", file, st.Mode().Perm(), file),
		fmt.Sprintf("warning: the passphrase file %s is readable by other users (mode %04o); run chmod 600 %s", file, st.Mode().Perm(), file)))
}

var errTooLarge = errors.New("file too large")

// readLimited reads a whole file of at most max bytes; a longer file (or an endless
// one such as /dev/zero) is errTooLarge after reading max+1 bytes, never more.
func readLimited(path string, max int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > max {
		return nil, errTooLarge
	}
	return b, nil
}
