// Package app is what an owners' committee (业委会) does with Sunledger: the register,
// money, the books, expenses, ballots and snapshots. It is plain Go over decimals and
// knows nothing of windows, databases or PDF files; storage, reports, ui and cmd depend
// on it, never the other way round.
package app

import (
	"errors"
	"fmt"
	"os"
	"strings"
)

// Error codes say what kind of failure happened, so callers can decide what to do
// (a CLI exit, a dialog, a retry) without parsing messages.
type Code string

// The codes.
const (
	EINVALID      Code = "invalid"      // the user's input breaks a rule
	ENOTFOUND     Code = "not_found"    // the thing asked for does not exist
	ECONFLICT     Code = "conflict"     // it clashes with what is already recorded
	EUNAUTHORIZED Code = "unauthorized" // wrong person or wrong passphrase
	ELOCKED       Code = "locked"       // a closed period, or a book another program has open
	EINTERNAL     Code = "internal"     // disk or database trouble; nothing was changed
)

// Error is the one application error: a machine code plus a message for a committee
// member in Simplified Chinese and in English. The message never carries stack traces
// or database jargon; Err keeps the low-level cause for logs.
type Error struct {
	Code Code
	ZH   string
	EN   string
	Err  error
}

// Errorf makes an *Error. zh and en are format strings that take the same args.
func Errorf(code Code, zh, en string, args ...any) *Error {
	return &Error{Code: code, ZH: fmt.Sprintf(zh, args...), EN: fmt.Sprintf(en, args...)}
}

// Internal wraps a low-level failure (disk, database) into the message a committee
// member can act on.
func Internal(err error) *Error {
	if err == nil {
		return nil
	}
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return &Error{Code: EINTERNAL,
		ZH:  "出错了，没有做任何更改（" + err.Error() + "）。请重试；如仍出错，请从备份恢复或联系技术支持。",
		EN:  "something went wrong; nothing was changed (" + err.Error() + "). Try again; if it keeps failing, restore a backup or ask for help.",
		Err: err}
}

func (e *Error) Error() string {
	if English() {
		return e.EN
	}
	return e.ZH
}

func (e *Error) Unwrap() error { return e.Err }

// ErrorCode returns the code of an *Error in err's chain, EINTERNAL for any other error
// and "" for nil.
func ErrorCode(err error) Code {
	var e *Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &e):
		return e.Code
	}
	return EINTERNAL
}

var english = detectEnglish()

// English reports whether messages should be in English. Simplified Chinese is the
// default; LANGUAGE, LC_ALL, LC_MESSAGES or LANG starting with "en" switch to English.
func English() bool { return english }

// SetEnglish forces the message language (tests, a preference in the GUI).
func SetEnglish(on bool) { english = on }

func detectEnglish() bool {
	for _, v := range []string{"SUNLEDGER_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"} {
		if s := os.Getenv(v); s != "" && s != "C" && s != "POSIX" {
			return strings.HasPrefix(strings.ToLower(s), "en")
		}
	}
	return false
}

// T picks the Chinese or English form of a short label for text the domain produces
// (CLI tables, report rows).
func T(zh, en string) string {
	if english {
		return en
	}
	return zh
}
