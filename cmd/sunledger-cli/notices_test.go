package main

import (
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3bolt"

	"sunledger/internal/testtool"
)

// 10-1-101 pays 120.00 a month (100 m² × 1.20) and owes January to March 2025 (360.00).
func TestCLI_LargePrepaymentNeedsAllowLarge(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name, amount string
		refused      bool
		months       string
	}{
		{"24 months exactly is not large", "3240.00", false, ""},
		{"one fen above 24 months is large", "3240.01", true, "24.0"},
		{"25 months is large", "3360.00", true, "25.0"},
	} {
		t.Run(c.name, func(t *testing.T) {
			data := feesBook(t)
			args := []string{"fees", "pay", "--unit", "10-1-101", "--amount", c.amount, "--date", "2025-04-02"}
			if !c.refused {
				ok(t, data, args...)
				return
			}
			before := ok(t, data, "audit").stdout
			r := fails(t, data, args...)
			for _, want := range []string{"10-1-101", c.months + " 个月", "24 个月", "--allow-large", "没有记录缴费"} {
				if !strings.Contains(r.stderr, want) {
					t.Errorf("message %q lacks %q", r.stderr, want)
				}
			}
			if after := ok(t, data, "audit").stdout; after != before {
				t.Errorf("a refused payment changed the audit log")
			}
			r = ok(t, data, append(args, "--allow-large")...)
			if r.lastWord() != "R00000001" {
				t.Errorf("confirmed payment: %q", r.stdout)
			}
		})
	}
}

// A receipt printed a second time says 补打; the first print does not. Every print is
// in the audit log.
func TestCLI_ReceiptReprintSaysBuDa(t *testing.T) {
	t.Parallel()
	pdftotext := testtool.Require(t, "pdftotext")
	data := feesBook(t)
	no := ok(t, data, "fees", "pay", "--unit", "10-1-101", "--amount", "120", "--date", "2025-04-02").lastWord()
	dir := t.TempDir()
	text := func(p string) string {
		b, err := exec.Command(pdftotext, "-layout", p, "-").Output()
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	first := filepath.Join(dir, "first.pdf")
	ok(t, data, "report", "receipt", "--receipt", no, "--as", "张会计", "--out", first)
	if s := text(first); strings.Contains(s, "补打") || !strings.Contains(s, no) {
		t.Errorf("first print says 补打 or lacks the receipt number:\n%s", s)
	}
	second := filepath.Join(dir, "second.pdf")
	ok(t, data, "report", "receipt", "--receipt", strings.ToLower(no), "--out", second)
	if s := text(second); strings.Count(s, "补打") < 2 {
		t.Errorf("reprint does not say 补打 on both copies:\n%s", s)
	}
	audit := ok(t, data, "audit").stdout
	if strings.Count(audit, "print.receipt") != 2 || !strings.Contains(audit, "张会计") {
		t.Errorf("prints not audited:\n%s", audit)
	}
	r := fails(t, data, "report", "receipt", "--receipt", "R09999999", "--out", filepath.Join(dir, "x.pdf"))
	if !strings.Contains(r.stderr, "R09999999") {
		t.Errorf("unknown receipt: %q", r.stderr)
	}
	ok(t, data, "verify")
}

// After `snapshot publish` from the book the snapshot came from, notices carry the
// snapshot's address as a second QR code that a scanner reads at print resolution.
func TestCLI_NoticesCarryThePublishedSnapshotsAddress(t *testing.T) {
	slow(t, "the committee key's scrypt (about 1 GiB) on every use")
	snapshotBook(t)
	zbarimg := testtool.Require(t, "zbarimg")
	pdftoppm := testtool.Require(t, "pdftoppm")
	be, err := s3bolt.NewFile(filepath.Join(t.TempDir(), "s3.bolt"))
	if err != nil {
		t.Fatal(err)
	}
	if err := be.CreateBucket("city"); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(gofakes3.New(be, gofakes3.WithLogger(gofakes3.DiscardLog())).Server())
	defer srv.Close()
	t.Setenv("AWS_ACCESS_KEY_ID", "AKID")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "SECRET")
	dir := t.TempDir()
	data := filepath.Join(dir, "book")
	if out, err := exec.Command("cp", "-r", snap.data, data).CombinedOutput(); err != nil {
		t.Fatalf("copy the book: %v %s", err, out)
	}
	// Every code zbarimg reads at 150 or 300 dpi, once each: at one resolution alone it
	// now and then misses one of two codes side by side.
	scan := func(pdf string) string {
		var codes []string
		for _, dpi := range []string{"150", "300"} {
			png := filepath.Join(dir, "p"+dpi)
			if out, err := exec.Command(pdftoppm, "-r", dpi, "-f", "1", "-l", "1", "-png", "-singlefile", pdf, png).CombinedOutput(); err != nil {
				t.Fatalf("pdftoppm: %v %s", err, out)
			}
			out, _ := exec.Command(zbarimg, "--quiet", "--raw", png+".png").Output()
			for _, c := range strings.Split(strings.TrimSpace(string(out)), "\n") {
				if c != "" && !slices.Contains(codes, c) {
					codes = append(codes, c)
				}
			}
		}
		return strings.Join(codes, "\n")
	}
	before := filepath.Join(dir, "before.pdf")
	ok(t, data, "report", "arrears", "--out", before)
	if codes := scan(before); strings.Count(strings.TrimSpace(codes), "\n") != 0 || !strings.Contains(codes, "head=") {
		t.Fatalf("before publishing, one QR code (the head): %q", codes)
	}
	ok(t, data, "snapshot", "publish", snap.zip, "--to", "s3://city/all/east", "--endpoint", srv.URL)
	after := filepath.Join(dir, "after.pdf")
	ok(t, data, "report", "arrears", "--out", after)
	codes := scan(after)
	want := srv.URL + "/city/all/east/"
	if !strings.Contains(codes, "head=") || !strings.Contains(codes, want) || !strings.Contains(codes, "/index.html") {
		t.Fatalf("after publishing, want the head and %s…/index.html, read %q", want, codes)
	}
	if audit := ok(t, data, "audit").stdout; !strings.Contains(audit, want) {
		t.Errorf("the published address is not in the audit log")
	}
	// A book the snapshot did not come from records nothing.
	other := feesBook(t)
	ok(t, other, "snapshot", "publish", snap.zip, "--to", "s3://city/all/west", "--endpoint", srv.URL)
	if audit := ok(t, other, "audit").stdout; strings.Contains(audit, "/city/all/west") {
		t.Errorf("another book recorded the address")
	}
}

// A public notice needs the office phone, and fee notices also how to pay (docs/notices.md
// "Settings every notice needs"); a refusal names the missing settings and writes no file.
// Fee notices of a month whose due date has passed need a new one (--due), and
// --owing-only prints only the units that owe.
func TestCLI_NoticesNeedTheirSettingsAndAFutureDueDate(t *testing.T) {
	pdftotext := testtool.Require(t, "pdftotext")
	data := feesBook(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "q.pdf")
	r := fails(t, data, "report", "quarterly", "--year", "2025", "--quarter", "1", "--out", out)
	if !strings.Contains(r.stderr, "--office-phone") || strings.Contains(r.stderr, "--pay-account") {
		t.Errorf("quarterly without settings: %q", r.stderr)
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("a refused notice left a file")
	}
	ok(t, data, "settings", "--office-phone", "0519-88886666")
	ok(t, data, "report", "quarterly", "--year", "2025", "--quarter", "1", "--out", out)

	notices := filepath.Join(dir, "n.pdf")
	r = fails(t, data, "report", "fee-notices", "--period", "2025-01", "--out", notices)
	if !strings.Contains(r.stderr, "--pay-account") || !strings.Contains(r.stderr, "--pay-channels") {
		t.Errorf("fee notices without payment settings: %q", r.stderr)
	}
	ok(t, data, "settings", "--pay-account", "户名 测试小区业主大会 账号 6222", "--pay-channels", "微信、支付宝扫码")
	r = fails(t, data, "report", "fee-notices", "--period", "2025-01", "--out", notices)
	if !strings.Contains(r.stderr, "--due") || !strings.Contains(r.stderr, "2025-01-15") {
		t.Errorf("a passed due date: %q", r.stderr)
	}
	fails(t, data, "report", "fee-notices", "--period", "2025-01", "--due", "2025-02-01", "--out", notices)
	if _, err := os.Stat(notices); err == nil {
		t.Error("a refused fee notice left a file")
	}
	due := time.Now().AddDate(0, 0, 10).Format(time.DateOnly)
	text := func(p string) string {
		b, err := exec.Command(pdftotext, "-layout", p, "-").Output()
		if err != nil {
			t.Fatal(err)
		}
		return strings.ReplaceAll(string(b), " ", "")
	}
	ok(t, data, "report", "fee-notices", "--period", "2025-01", "--due", due, "--out", notices)
	all := text(notices)
	if strings.Count(all, "缴费截止"+due) != 4 {
		t.Errorf("four notices due %s expected:\n%s", due, all)
	}
	// 10-1-101 pays January; the other three units still owe it.
	ok(t, data, "fees", "pay", "--unit", "10-1-101", "--amount", "120", "--date", "2025-01-20")
	ok(t, data, "fees", "pay", "--unit", "P-001", "--amount", "4.32", "--date", "2025-01-20")
	owing := filepath.Join(dir, "owing.pdf")
	ok(t, data, "report", "fee-notices", "--period", "2025-01", "--due", due, "--owing-only", "--out", owing)
	got := text(owing)
	if strings.Count(got, "缴费截止"+due) != 2 || strings.Contains(got, "10-1-101") || !strings.Contains(got, "2-1-1501") {
		t.Errorf("--owing-only should print 2-1-101 and 2-1-1501 only:\n%s", got)
	}
}

// noticeSettings sets what every notice prints (docs/notices.md "Settings every notice
// needs"), so that a test book can print public notices and fee notices.
func noticeSettings(t *testing.T, data string) {
	t.Helper()
	ok(t, data, "settings", "--office-phone", "0519-88886666", "--pay-account", "户名 测试小区业主大会 账号 6222 0000 1111", "--pay-channels", "微信、支付宝扫码")
}

// futureDay is a due date ten days from now, for fee notices of past months.
func futureDay() string { return time.Now().AddDate(0, 0, 10).Format(time.DateOnly) }

// The quarterly disclosure says when and where owners may inspect the vouchers, from
// settings --inspection; the office's address follows its phone on every notice.
func TestCLI_QuarterlyPrintsVoucherInspectionFromSettings(t *testing.T) {
	pdftotext := testtool.Require(t, "pdftotext")
	data := feesBook(t)
	out := filepath.Join(t.TempDir(), "q.pdf")
	ok(t, data, "settings", "--office-phone", "0519-88886666", "--office-address", "3 号楼一楼", "--inspection", "每月第一个星期六上午，物业服务中心")
	ok(t, data, "report", "quarterly", "--year", "2025", "--quarter", "1", "--out", out)
	b, err := exec.Command(pdftotext, "-layout", out, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	text := strings.ReplaceAll(strings.ReplaceAll(string(b), " ", ""), "\n", "")
	for _, w := range []string{"凭证查阅", "每月第一个星期六上午，物业服务中心", "地址：3号楼一楼", "物业服务考核"} {
		if !strings.Contains(text, w) {
			t.Errorf("the disclosure lacks %q:\n%s", w, text)
		}
	}
}
