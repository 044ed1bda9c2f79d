package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"sunledger/app"
)

// The boilerplate every command shares, written once: its flag set and the flags most
// commands take (--as, --why, --json), parsing with the required flags checked, opening
// the book's services, and printing a result as JSON or as text.

// newFlags is the flag set of the command name; parseStrict, parseOpen or (for a command
// with positional arguments) parseFlags parses it.
func newFlags(name string) *flag.FlagSet {
	return flag.NewFlagSet(name, flag.ContinueOnError)
}

// asFlag is --as: the operator the audit log names (who falls back to the OS user).
func asFlag(fs *flag.FlagSet) *string { return fs.String("as", "", "operator") }

// whyFlag is --why: the note the audit log keeps with the change.
func whyFlag(fs *flag.FlagSet) *string { return fs.String("why", "", "note") }

// jsonFlag is --json: print the result as JSON (printResult) instead of text.
func jsonFlag(fs *flag.FlagSet) *bool { return fs.Bool("json", false, "JSON output") }

// stringList is a repeatable flag.
type stringList []string

func (s *stringList) String() string     { return strings.Join(*s, ",") }
func (s *stringList) Set(v string) error { *s = append(*s, v); return nil }

// usageErr is a mistake in the command line itself (exit 2): the CLI's own kind of
// error, beside app's codes, which say what a book refused.
type usageErr struct{ zh, en string }

func (u *usageErr) Error() string { return app.T(u.zh, u.en) }

// usageError is a mistake in the command line itself (exit 2).
func usageError(zh, en string, args ...any) error {
	return &usageErr{fmt.Sprintf(zh, args...), fmt.Sprintf(en, args...)}
}

// isUsage says that err is a mistake in the command line (usageError).
func isUsage(err error) bool {
	var u *usageErr
	return errors.As(err, &u)
}

// parseFlags parses flags that may stand before, between or after positional arguments
// (docs/formats.md writes `snapshot verify FILE.zip --pub P`), and returns the positionals.
func parseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	fs.SetOutput(io.Discard)
	if helpRequested {
		helpFlags = fs
		return nil, errHelp
	}
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, usageError("参数有误：%v", "bad arguments: %v", err)
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		if args[0] == "--" {
			return append(pos, args[1:]...), nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// needFlags fails with a usage error naming the first of the flags (in the order given)
// that was left empty.
func needFlags(fs *flag.FlagSet, names ...string) error {
	for _, name := range names {
		if err := need(name, fs.Lookup(name).Value.String()); err != nil {
			return err
		}
	}
	return nil
}

// parseStrict parses the flags of a command that takes no positional arguments (any is
// a usage error), then fails with a usage error naming the first of the required flags
// (in the order given) that was left empty.
func parseStrict(fs *flag.FlagSet, args []string, required ...string) error {
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if err := noArgs(pos); err != nil {
		return err
	}
	return needFlags(fs, required...)
}

// parseOpen is parseStrict (a command without positional arguments: a stray word, such
// as `--amount 1 234.50` typed with a space, is an error instead of being dropped), then
// opens the book (it must hold a community) and returns its services.
func (e *env) parseOpen(fs *flag.FlagSet, args []string, required ...string) (app.Services, error) {
	if err := parseStrict(fs, args, required...); err != nil {
		return app.Services{}, err
	}
	return e.services()
}

// noArgs fails with a usage error when a command that takes only flags was given
// positional arguments.
func noArgs(pos []string) error {
	if len(pos) > 0 {
		return usageError("多余的参数：%s", "unexpected arguments: %s", strings.Join(pos, " "))
	}
	return nil
}

// nothingDoneMarks are the phrases by which a message already says that nothing was
// written.
var nothingDoneMarks = []string{"没有记录", "没有导入", "没有改动", "没有开出", "没有做任何", "没有冲销", "没有录入", "没有创建"}

// unchanged completes a refusal with what the user must also hear: that nothing was
// written (zh/en), unless the message already says so (a file or request is taken whole
// or not at all). Usage errors (exit 2) and success pass through.
func unchanged(err error, zh, en string) error {
	var e *app.Error
	if err == nil || isUsage(err) || !errors.As(err, &e) {
		return err
	}
	if strings.Contains(e.ZH, zh) {
		return err
	}
	for _, m := range nothingDoneMarks {
		if strings.Contains(e.ZH, m) {
			return err
		}
	}
	return &app.Error{Code: e.Code, ZH: e.ZH + "；" + zh, EN: e.EN + "; " + en, Err: e.Err}
}

// need fails with a usage error when a required flag is empty.
func need(name, v string) error {
	if strings.TrimSpace(v) == "" {
		return usageError("缺少 --%s", "--%s is required", name)
	}
	return nil
}

// printJSON writes v as indented JSON, with <, > and & left as they are.
func printJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// printResult prints a command's result: v as JSON with --json, else text().
func (e *env) printResult(asJSON bool, v any, text func() error) error {
	if asJSON {
		return printJSON(e.stdout, v)
	}
	return text()
}

// newTable is the tab-aligned table the listings print to w; flush it when done.
func newTable(w io.Writer) *tabwriter.Writer {
	return tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
}

// yearFlag is --year YYYY, read by parseYear.
func yearFlag(fs *flag.FlagSet) *string { return fs.String("year", "", "YYYY") }

// parseYear parses the flags of a command about one year and reads its required --year.
func parseYear(fs *flag.FlagSet, args []string, year *string) (int, error) {
	if err := parseStrict(fs, args); err != nil {
		return 0, err
	}
	return needYear(*year)
}

// parseYearOpen is parseYear, then opens the book (it must hold a community) and
// returns its services.
func (e *env) parseYearOpen(fs *flag.FlagSet, args []string, year *string) (app.Services, int, error) {
	y, err := parseYear(fs, args, year)
	if err != nil {
		return app.Services{}, 0, err
	}
	svc, err := e.services()
	return svc, y, err
}

// needYear reads a required --year.
func needYear(s string) (int, error) {
	if err := need("year", s); err != nil {
		return 0, err
	}
	return app.ParseYear(s)
}
