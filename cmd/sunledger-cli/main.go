// Command sunledger-cli does every job of Sunledger without a window: for scripts,
// batch work and tests. The command-line contract is docs/cli.md.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"runtime/debug"
	"sort"
	"strings"
	"time"

	"sunledger/app"
	"sunledger/storage"
)

// version is set at build time: -ldflags "-X main.version=..."
var version = "dev"

// env is what a command runs with: the parsed global flags and where output goes.
type env struct {
	ctx     context.Context
	dataDir string
	stdout  io.Writer
	stderr  io.Writer
	opened  *storage.Book // the open book (nil until a command opens it)
	// readOnly: the command only reads, so the book is opened read-only (it may sit on
	// a read-only medium, and nothing in the folder is touched).
	readOnly bool
}

// clock, when set, is every book's clock instead of the system's: a test fixes "today"
// with it (storage.DB.Now), so that what it prints is the same from run to run.
var clock func() time.Time

// readOnlyCommands only read the book. Everything else may write (reports record the
// head hash they publish).
var readOnlyCommands = map[string]bool{
	"verify": true, "ledger balance": true, "ledger export": true, "units list": true,
	"fees arrears": true, "fees collection": true, "fees statement": true,
	"vote diff": true, "vote tally": true, "expense list": true, "expense verify": true,
	"budget show": true, "maintenance show": true, "audit": true,
	"members list": true, "members requests": true,
}

type command struct {
	run   func(e *env, args []string) error
	usage string
}

// commands maps "group sub" or "name" to its handler; each group registers in its own file.
var commands = map[string]command{}

func register(name, usage string, run func(e *env, args []string) error) {
	commands[name] = command{run: run, usage: usage}
}

func main() {
	// Badger's buffers during a big job (a 10-year demo) otherwise peak near 2 GB; a soft
	// limit keeps a committee laptop responsive. Measured on the 3000-unit 10-year demo
	// (docs/record-log.md, "Cost"): its heap now peaks just under 1 GiB, so a limit of
	// 1 GiB made the collector run all the time (61-68 s); 1.25 GiB: 41 s, 1.2 GB peak.
	// GOMEMLIMIT overrides it.
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(1280 << 20)
	}
	// Errors reach the user as one line on stderr; the low-level detail storage and
	// Badger log is for whoever debugs, with SUNLEDGER_DEBUG=1.
	if os.Getenv("SUNLEDGER_DEBUG") == "" {
		log.SetOutput(io.Discard)
	}
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	e := &env{ctx: context.Background(), stdout: stdout, stderr: stderr}
	var rest []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--data" || a == "-data":
			if i+1 >= len(args) {
				fmt.Fprintln(stderr, app.T("错误：--data 需要一个文件夹", "error: --data needs a folder"))
				return 2
			}
			e.dataDir = args[i+1]
			i++
		case strings.HasPrefix(a, "--data="):
			e.dataDir = strings.TrimPrefix(a, "--data=")
		case (a == "--version" || a == "-version" || a == "version") && len(rest) == 0: // after a command it is that command's flag (meeting duties --version N)
			fmt.Fprintln(stdout, "sunledger-cli", version)
			return 0
		default:
			rest = append(rest, a)
		}
	}
	e.dataDir = storage.DataDir(e.dataDir)
	if len(rest) == 0 || rest[0] == "help" || rest[0] == "--help" || rest[0] == "-h" {
		if len(rest) > 1 && rest[1] == "--markdown" {
			writeReference(stdout)
			return 0
		}
		usage(stdout)
		return 0
	}
	name, cmdArgs := rest[0], rest[1:]
	cmd, ok := commands[name]
	if !ok && len(rest) > 1 {
		name, cmdArgs = rest[0]+" "+rest[1], rest[2:]
		cmd, ok = commands[name]
	}
	if !ok {
		if subs := groupCommands(rest[0]); len(subs) > 0 { // `units --help`, `units`, `units bogus`
			if wantsHelp(rest[1:]) {
				fmt.Fprintln(stdout, "sunledger-cli [--data DIR] "+rest[0]+" SUBCOMMAND ...")
				for _, n := range subs {
					fmt.Fprintf(stdout, "  %s %s\n", n, commands[n].usage)
				}
				return 0
			}
			short := make([]string, len(subs))
			for i, n := range subs {
				short[i] = strings.TrimPrefix(n, rest[0]+" ")
			}
			if len(rest) == 1 {
				fmt.Fprintf(stderr, app.T("错误：%s 后面要跟一个子命令：%s（sunledger-cli %s --help 列出它们）\n", "error: %s needs a subcommand: %s (sunledger-cli %s --help lists them)\n"), rest[0], strings.Join(short, ", "), rest[0])
			} else {
				fmt.Fprintf(stderr, app.T("错误：未知命令 %q；%s 的子命令有：%s\n", "error: unknown command %q; the subcommands of %s are: %s\n"), rest[0]+" "+rest[1], rest[0], strings.Join(short, ", "))
			}
			return 2
		}
		fmt.Fprintf(stderr, app.T("错误：未知命令 %q（sunledger-cli help 列出所有命令）\n", "error: unknown command %q (sunledger-cli help lists them)\n"), strings.Join(rest[:min(2, len(rest))], " "))
		return 2
	}
	if wantsHelp(cmdArgs) {
		commandUsage(stdout, name)
		return 0
	}
	e.readOnly = readOnlyCommands[name]
	tries.dir, tries.checked = e.dataDir, false
	// A restore or encryption killed half-way is finished or undone before anything else
	// opens the folder, and the user is told which book is there now (docs/resume.md).
	note, err := storage.SettleSwap(e.dataDir)
	if note != "" {
		fmt.Fprintln(stderr, app.T("注意：", "note: ")+note)
	}
	if err == nil {
		err = unlockBook(e, name, cmdArgs) // encrypted books: encrypt.go
	}
	if err == nil {
		err = runGuarded(e, cmd, cmdArgs)
	}
	if e.opened != nil {
		if cerr := e.opened.Close(); cerr != nil {
			if err == nil {
				// What the command wrote is already on disk (synced writes): report the
				// trouble, but never as a failure of a committed change.
				fmt.Fprintln(stderr, app.T("警告：", "warning: ")+app.T("关闭账本时出错（已完成的操作已保存）：", "closing the book failed (what the command did is saved): ")+cerr.Error())
			}
		}
	}
	err = settlePassphraseTries(err)
	pending := warnings
	warnings = nil
	if err == nil {
		for _, w := range pending {
			fmt.Fprintln(stderr, w)
		}
	}
	if err != nil {
		msg := strings.ReplaceAll(err.Error(), "\n", " ")
		fmt.Fprintln(stderr, app.T("错误：", "error: ")+msg)
		if isUsage(err) {
			return 2
		}
		return 1
	}
	return 0
}

// groupCommands lists the commands of a group ("units" → "units import", "units list"),
// sorted; none if group is not one.
func groupCommands(group string) []string {
	var names []string
	for n := range commands {
		if strings.HasPrefix(n, group+" ") {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	return names
}

// runGuarded runs a command and turns a panic (a damaged book read in a way nobody
// expected) into a one-line message that names the way out, instead of a goroutine dump.
func runGuarded(e *env, cmd command, args []string) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = storage.Damage(e.dataDir, r)
		}
	}()
	return cmd.run(e, args)
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "sunledger-cli [--data DIR] COMMAND ...   ("+app.T("阳光账本命令行", "Sunledger command line")+")")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %s %s\n", n, commands[n].usage)
	}
}

// open opens the book in the data folder; the caller's run closes it.
func (e *env) open() (*storage.DB, error) {
	if e.opened != nil && e.opened.DB() != nil {
		return e.opened.DB(), nil
	}
	if helpRequested { // a handler asked for its book before its flags: never open one for --help
		return nil, errHelp
	}
	book := storage.NewBook(e.dataDir)
	if err := book.Open(e.readOnly); err != nil {
		return nil, err
	}
	e.opened = book
	if n := book.DB().Note(); n != "" { // e.g. a crashed book's log replayed by a reading command
		fmt.Fprintln(e.stderr, app.T("注意：", "note: ")+n)
	}
	if err := settleRotation(e); err != nil { // encrypted books: encrypt.go
		return nil, err
	}
	if clock != nil {
		book.DB().Now = clock
	}
	return book.DB(), nil
}

// book opens the book and fails unless it holds a community.
func (e *env) book() (*storage.DB, error) {
	// A command that reads a book must not leave an empty database behind in a folder
	// that was mistyped: only init, demo and restore create one.
	// Nor Badger's files in a folder that holds no store (a mistyped --data pointing at
	// the user's documents).
	if _, err := os.Stat(e.dataDir); errors.Is(err, os.ErrNotExist) {
		return nil, storage.ErrNoBook(e.dataDir)
	}
	if !storage.HoldsStore(e.dataDir) {
		return nil, storage.ErrNoBook(e.dataDir)
	}
	db, err := e.open()
	if err != nil {
		return nil, err
	}
	if _, err := db.Services().Book.Community(e.ctx); err != nil {
		return nil, err
	}
	return db, nil
}

// services opens the book (it must hold a community) and returns the services every
// command works through: the same ones the window uses, so a rule lives in one place.
func (e *env) services() (app.Services, error) {
	db, err := e.book()
	if err != nil {
		return app.Services{}, err
	}
	return db.Services(), nil
}

// openServices is services for the commands that also work on a book without a
// community yet.
func (e *env) openServices() (app.Services, error) {
	db, err := e.open()
	if err != nil {
		return app.Services{}, err
	}
	return db.Services(), nil
}

// who is the operator named in the audit log: --as if given, else the OS user.
func who(as string) string {
	if as != "" {
		return as
	}
	for _, v := range []string{"SUNLEDGER_USER", "USER", "USERNAME"} {
		if s := os.Getenv(v); s != "" {
			return s
		}
	}
	return "cli"
}
