package main

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// binPath is the sunledger-cli binary built once for the end-to-end tests.
var binPath string

func TestMain(m *testing.M) {
	// The end-to-end tests mostly wait: for a child process to start and for the synced
	// writes of its book. Unless -parallel is given, four run at once on any machine.
	flag.Parse()
	given := false
	flag.Visit(func(f *flag.Flag) { given = given || f.Name == "test.parallel" })
	if !given {
		flag.Set("test.parallel", "4")
	}
	dir, err := os.MkdirTemp("", "sunledger-cli-test")
	if err != nil {
		panic(err)
	}
	binPath = filepath.Join(dir, "sunledger-cli")
	if out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput(); err != nil {
		os.Stderr.Write(out)
		panic(err)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// slow leaves a test to the full run (bash .ci/run): the everyday loop, go test -short
// ./..., skips it. why says what makes it slow: a kill loop, a big demo, an encrypted
// book (argon2id on every command), the committee key (scrypt, about 1 GiB, on every use).
func slow(t *testing.T, why string) {
	t.Helper()
	if testing.Short() {
		t.Skip("left to the full run (-short): " + why)
	}
}

// result is what one run of the CLI printed and how it exited.
type result struct {
	stdout, stderr string
	code           int
}

// lastWord is how scripts take a created id: `tail -1 | awk '{print $NF}'`.
func (r result) lastWord() string {
	lines := strings.Split(strings.TrimRight(r.stdout, "\n"), "\n")
	f := strings.Fields(lines[len(lines)-1])
	if len(f) == 0 {
		return ""
	}
	return f[len(f)-1]
}

// cli runs the real binary on the book in data, with no standard input, as CI does.
func cli(t *testing.T, data string, args ...string) result {
	t.Helper()
	cmd := exec.Command(binPath, append([]string{"--data", data}, args...)...)
	cmd.Env = append(os.Environ(), "LANG=zh_CN.UTF-8", "SUNLEDGER_LANG=")
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	r := result{stdout: out.String(), stderr: errb.String()}
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		r.code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("run %v: %v", args, err)
	}
	return r
}

// ok runs the CLI and fails the test unless it exits 0.
func ok(t *testing.T, data string, args ...string) result {
	t.Helper()
	r := cli(t, data, args...)
	if r.code != 0 {
		t.Fatalf("%v: exit %d\nstdout: %s\nstderr: %s", args, r.code, r.stdout, r.stderr)
	}
	return r
}

// fails runs the CLI and fails the test unless it exits non-zero with a one-line error.
func fails(t *testing.T, data string, args ...string) result {
	t.Helper()
	r := cli(t, data, args...)
	if r.code == 0 {
		t.Fatalf("%v: succeeded, want an error\nstdout: %s", args, r.stdout)
	}
	if lines := strings.Count(strings.TrimSpace(r.stderr), "\n"); lines != 0 || r.stderr == "" {
		t.Errorf("%v: stderr should be one line, got %q", args, r.stderr)
	}
	return r
}

func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestDocs_CLIReferenceIsCurrent keeps docs/cli.md equal to what the command table says.
func TestDocs_CLIReferenceIsCurrent(t *testing.T) {
	t.Parallel()
	cmd := exec.Command(binPath, "help", "--markdown")
	cmd.Env = append(os.Environ(), "SUNLEDGER_LANG=en")
	got, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(filepath.Join("..", "..", "docs", "cli.md"))
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(want) {
		t.Fatalf("docs/cli.md is out of date: regenerate it with\n  SUNLEDGER_LANG=en go run ./cmd/sunledger-cli help --markdown > docs/cli.md")
	}
}

// TestDocs_CLIReferenceIsText: docs/cli.md is text a grep reads as text: valid UTF-8, no
// NUL or other control byte (a flag default once leaked a "\x00" sentinel into it), and
// each flag's default said once.
func TestDocs_CLIReferenceIsText(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile(filepath.Join("..", "..", "docs", "cli.md"))
	if err != nil {
		t.Fatal(err)
	}
	if !utf8.Valid(b) {
		t.Error("docs/cli.md is not valid UTF-8")
	}
	for i, line := range strings.Split(string(b), "\n") {
		for _, r := range line {
			if r < 0x20 && r != '\t' {
				t.Errorf("docs/cli.md:%d holds the control character %q", i+1, r)
			}
		}
		if strings.Contains(line, "(default `") && strings.Count(line, "default") > 1 {
			t.Errorf("docs/cli.md:%d says a default twice: %s", i+1, line)
		}
	}
}

// TestCLI_EverySubcommandAnswersHelp: `expense apply --help` prints its usage and flags
// and exits 0 without touching any book.
func TestCLI_EverySubcommandAnswersHelp(t *testing.T) {
	t.Parallel()
	data := filepath.Join(t.TempDir(), "none")
	r := ok(t, data, "expense", "apply", "--help")
	if !strings.Contains(r.stdout, "--payee") || !strings.Contains(r.stdout, "expense apply") {
		t.Fatalf("help output:\n%s", r.stdout)
	}
	if _, err := os.Stat(data); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("--help created the data folder")
	}
}

// TestCLI_StrayWordsAreRefused: a command that takes only flags refuses a word left over
// (a value typed with a space, a flag given a value it does not take), before it reads
// or writes the book, instead of dropping it.
func TestCLI_StrayWordsAreRefused(t *testing.T) {
	t.Parallel()
	data := filepath.Join(t.TempDir(), "book")
	ok(t, data, "init", "--name", "多余参数小区")
	for _, args := range [][]string{
		{"vote", "tally", "--vote", "V0001", "--json", "junk"},
		{"expense", "list", "--json", "extra"},
		{"members", "requests", "--json", "extra"},
		{"service", "new", "--unit", "1-1-101", "--kind", "repair", "--complex", "true", "--desc", "漏水", "--at", "2026-03-02T09:15"},
		{"fees", "arrears", "--json", "x"},
	} {
		r := fails(t, data, args...)
		if !strings.Contains(r.stderr, "多余的参数") {
			t.Errorf("%v: %q; want it to name the stray word", args, r.stderr)
		}
	}
}

// TestCLI_VerifyAnEmptyBook: a book with no entry yet verifies and says so, with no empty
// head hash line.
func TestCLI_VerifyAnEmptyBook(t *testing.T) {
	t.Parallel()
	data := filepath.Join(t.TempDir(), "book")
	ok(t, data, "init", "--name", "空账本小区")
	out := ok(t, data, "verify").stdout
	if !strings.Contains(out, "还没有凭证") || strings.Contains(out, "最新哈希") {
		t.Errorf("verify on an empty book printed %q", out)
	}
}
