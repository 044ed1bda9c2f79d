// Package testtool lets tests use the real programs that check our files (pdftotext,
// minisign, hledger, ledger, chromium) without ever passing because one is missing: a
// missing tool skips the test on a developer's machine, and fails it under CI
// (SUNLEDGER_CI=1, set by .ci/run), so a green CI run has really read every PDF.
package testtool

import (
	"os"
	"os/exec"
	"testing"
)

// Strict reports whether missing tools are failures (in CI) rather than skips.
func Strict() bool { return os.Getenv("SUNLEDGER_CI") == "1" }

// Require returns the path of the program name, or skips the test (fails it in CI).
func Require(t testing.TB, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		Missing(t, name+" is not installed")
	}
	return p
}

// Missing skips the test for the given reason, or fails it in CI.
func Missing(t testing.TB, reason string) {
	t.Helper()
	if Strict() {
		t.Fatalf("%s (SUNLEDGER_CI=1: a check that cannot run is a failure; run .ci/deps.sh)", reason)
	}
	t.Skip(reason)
}
