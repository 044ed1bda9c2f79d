package reports

import (
	"context"
	"fmt"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"sunledger/app"
	"sunledger/demo"
	"sunledger/internal/testtool"
	"sunledger/storage"
)

// Render tests on extreme books (docs/notices.md "Render tests"): a 1-unit and a
// 3,000-unit demo community, a 200-character payee and a disclosure of 40 pages and
// more. Every check reads the PDF's own pages (pdftotext -f N -l N).

// demoServices builds a demo community of n units with a year of history.
func demoServices(t *testing.T, n int) app.Services {
	t.Helper()
	db, err := storage.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	ctx := context.Background()
	if _, err := demo.Build(ctx, db.Services(), demo.Options{Units: n, Years: 1, Seed: 7}); err != nil {
		t.Fatal(err)
	}
	return db.Services()
}

// pdfPages is the text of each page of the PDF, taken page by page with -f N -l N.
func pdfPages(t *testing.T, path string) []string {
	t.Helper()
	pdftotext := testtool.Require(t, "pdftotext")
	pdfinfo := testtool.Require(t, "pdfinfo")
	info, err := exec.Command(pdfinfo, path).Output()
	if err != nil {
		t.Fatal(err)
	}
	var n int
	if m := regexp.MustCompile(`Pages:\s+(\d+)`).FindSubmatch(info); m != nil {
		fmt.Sscan(string(m[1]), &n)
	}
	var pages []string
	for i := 1; i <= n; i++ {
		out, err := exec.Command(pdftotext, "-layout", "-enc", "UTF-8", "-f", fmt.Sprint(i), "-l", fmt.Sprint(i), path, "-").Output()
		if err != nil {
			t.Fatal(err)
		}
		pages = append(pages, string(out))
	}
	return pages
}

// body is a page's lines without the running header, the footer and blank lines.
func body(page string) []string {
	var out []string
	for i, l := range strings.Split(page, "\n") {
		l = strings.TrimSpace(l)
		if l == "" || i == 0 || strings.HasPrefix(l, "账本链头") || strings.HasPrefix(l, "文件编号") || strings.HasPrefix(l, "文号 ") ||
			strings.HasPrefix(l, "核对方法") || strings.HasPrefix(l, "快照 ") || isPageNumber(l) {
			continue
		}
		out = append(out, l)
	}
	return out
}

var headingLine = regexp.MustCompile(`^([一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)`)

// checkPages applies the layout rules to every page: none ends with a heading, none
// holds only the signature block, and every page has content.
func checkPages(t *testing.T, name string, pages []string) {
	t.Helper()
	for i, p := range pages {
		lines := body(p)
		if len(lines) == 0 {
			t.Errorf("%s: page %d is empty", name, i+1)
			continue
		}
		if last := lines[len(lines)-1]; headingLine.MatchString(last) {
			t.Errorf("%s: page %d ends with the heading %q", name, i+1, last)
		}
		only := true
		for _, l := range lines {
			if !strings.Contains(l, "____") && !strings.Contains(l, "签名") && !strings.Contains(l, "盖章") && !strings.Contains(l, "日期") {
				only = false
			}
		}
		if only {
			t.Errorf("%s: page %d holds only the signature block: %q", name, i+1, lines)
		}
	}
}

var money = regexp.MustCompile(`¥-?[0-9,]+\.[0-9]{2}`)

func amountIn(t *testing.T, line string) decimal.Decimal {
	t.Helper()
	m := money.FindString(line)
	if m == "" {
		t.Fatalf("no amount in %q", line)
	}
	d, err := decimal.NewFromString(strings.NewReplacer("¥", "", ",", "").Replace(m))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// checkBridge checks, for each fund of the disclosure, 期初资金合计 + 本期收到 − 本期付出
// = 期末资金合计 from the printed figures.
func checkBridge(t *testing.T, name string, pages []string) {
	t.Helper()
	var open, in, out decimal.Decimal
	funds := 0
	for _, p := range pages {
		for _, l := range body(p) {
			switch {
			case strings.HasPrefix(l, "期初资金合计"):
				open = amountIn(t, l)
			case strings.HasPrefix(l, "加：本期收到的款项"):
				in = amountIn(t, l)
			case strings.HasPrefix(l, "减：本期付出的款项"):
				out = amountIn(t, l)
			case strings.HasPrefix(l, "期末资金合计"):
				funds++
				if want := open.Add(in).Sub(out); !amountIn(t, l).Equal(want) {
					t.Errorf("%s: fund %d: %s + %s − %s ≠ %s", name, funds, open, in, out, l)
				}
			}
		}
	}
	if funds != len(app.Funds) {
		t.Errorf("%s: %d fund bridges, want %d", name, funds, len(app.Funds))
	}
}

// checkFeeNotices checks each notice's figures: what is due is this month's fee, less
// what is already paid on it (本月已缴), plus earlier arrears (0 when covered), and its
// 大写 matches.
func checkFeeNotices(t *testing.T, name string, pages []string, want int) {
	t.Helper()
	due := regexp.MustCompile(`本次应缴：\s*(¥[0-9,]+\.[0-9]{2})（(.+)）`)
	fee := regexp.MustCompile(`= (¥[0-9,]+\.[0-9]{2})`)
	n := 0
	for i, p := range pages {
		var month, paid, earlier, credit decimal.Decimal
		for _, l := range body(p) {
			switch {
			case strings.HasPrefix(l, "本月物业费"):
				month = amountIn(t, fee.FindString(l))
				paid = decimal.Zero
			case strings.HasPrefix(l, "本月已缴"):
				paid = amountIn(t, l)
			case strings.HasPrefix(l, "以前月份欠费"):
				earlier = amountIn(t, l)
			case strings.HasPrefix(l, "预交款余额"):
				credit = amountIn(t, l)
			case strings.HasPrefix(l, "本次应缴"):
				n++
				m := due.FindStringSubmatch(l)
				if m == nil {
					t.Errorf("%s page %d: %q", name, i+1, l)
					continue
				}
				// This month's bill may be paid already: a notice with something due
				// shows what (本月已缴) so that its figures add up; a notice with
				// nothing due says it is paid up.
				got := amountIn(t, m[1])
				if w := month.Sub(paid).Add(earlier); got.IsPositive() && !got.Equal(w) {
					t.Errorf("%s page %d: due %s, not %s − %s + %s", name, i+1, got, month, paid, earlier)
				}
				if got.IsNegative() || got.GreaterThan(month.Add(earlier).Sub(credit)) && credit.IsZero() {
					t.Errorf("%s page %d: due %s, more than %s + %s − %s", name, i+1, got, month, earlier, credit)
				}
				if got.IsZero() != strings.Contains(m[2], "已缴清") {
					t.Errorf("%s page %d: due %s but %q", name, i+1, got, m[2])
				}
				if got.IsPositive() && m[2] != app.AmountInWords(got) {
					t.Errorf("%s page %d: %s in words is %q, printed %q", name, i+1, got, app.AmountInWords(got), m[2])
				}
			}
		}
	}
	if n != want {
		t.Errorf("%s: %d notices printed, want %d", name, n, want)
	}
}

func TestRender_ExtremeCommunities(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 3,000-unit demo")
	}
	ctx := context.Background()
	for _, units := range []int{1, 3000} {
		t.Run(fmt.Sprintf("%d units", units), func(t *testing.T) {
			s := demoServices(t, units)
			dir := t.TempDir()
			c, _ := s.Book.Community(ctx)
			head, _, _ := s.Ledger.Head(ctx)
			runs, _ := s.Fees.BillingRuns(ctx)
			month := runs[len(runs)-1].Period
			ns, err := GatherFeeNotices(ctx, s, month)
			if err != nil {
				t.Fatal(err)
			}
			fp := filepath.Join(dir, "fees.pdf")
			if err := FeeNoticesDoc(c, head, month, app.LastDay(month), c.Notices.DueDate(month), ns).Save(fp); err != nil {
				t.Fatal(err)
			}
			pages := pdfPages(t, fp)
			checkFeeNotices(t, "fee notices", pages, len(ns))
			if len(ns) != units {
				t.Errorf("%d notices for %d units", len(ns), units)
			}

			var y, q int
			fmt.Sscanf(month, "%d-%d", &y, &q)
			qq, err := GatherQuarter(ctx, s, y, (q+2)/3, app.LastDay(month), 0)
			if err != nil {
				t.Fatal(err)
			}
			qp := filepath.Join(dir, "quarterly.pdf")
			d := QuarterlyDoc(qq)
			d.ApplySettings(c.Notices)
			if err := d.Save(qp); err != nil {
				t.Fatal(err)
			}
			pages = pdfPages(t, qp)
			checkPages(t, "quarterly", pages)
			checkBridge(t, "quarterly", pages)
			if !strings.Contains(testtool.Squeeze(pages[0]), "公示期：") || !strings.Contains(pages[0], "异议") {
				t.Errorf("quarterly: no 公示期 on page 1")
			}
			if !qq.Complete {
				for i, p := range pages {
					if !strings.Contains(p, "本季度尚未结束") {
						t.Errorf("quarterly: page %d of an incomplete quarter does not say so", i+1)
					}
				}
			}
		})
	}
}

// A 200-character payee and enough paid expenses for a disclosure of 40 pages and more:
// the expense table continues over the pages with its header, the payee wraps whole, the
// bridge still ties out and the layout rules hold on every page.
func TestRender_FortyPageDisclosureWithLongPayee(t *testing.T) {
	q := Quarter{Community: "阳光花园小区", Head: strings.Repeat("ab", 32), Date: "2026-10-10", Year: 2026, Quarter: 3, From: "2026-07", To: "2026-09", Complete: true}
	for _, f := range app.Funds {
		q.Flows = append(q.Flows, FundFlow{Fund: f, Income: []app.AccountBalance{{Account: app.FeeIncomeAccount, Balance: decimal.New(1234567, -2)}}})
	}
	payee := strings.Repeat("阳光花园小区物业服务有限公司第一分公司", 10) + "第二号项目部签约单位" // 200 characters
	if n := len([]rune(payee)); n != 200 {
		t.Fatalf("payee has %d characters", n)
	}
	total := decimal.Zero
	for i := range 900 {
		p := "洁美保洁服务有限公司"
		if i%50 == 0 {
			p = payee
		}
		amt := decimal.New(int64(100000+i), -2)
		total = total.Add(amt)
		q.Paid = append(q.Paid, app.Expense{ID: fmt.Sprintf("E%06d", i), Fund: app.FundService, Category: "cleaning", Payee: p,
			Amount: amt, PaidDate: "2026-08-01", Entry: int64(i + 1), State: app.ExpensePaid})
	}
	path := filepath.Join(t.TempDir(), "q.pdf")
	d := QuarterlyDoc(q)
	d.ApplySettings(app.NoticeSettings{})
	if err := d.Save(path); err != nil {
		t.Fatal(err)
	}
	pages := pdfPages(t, path)
	if len(pages) < 40 {
		t.Fatalf("%d pages, want 40 or more", len(pages))
	}
	checkPages(t, "40 pages", pages)
	checkBridge(t, "40 pages", pages)
	raw, err := exec.Command(testtool.Require(t, "pdftotext"), "-raw", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	all := testtool.Squeeze(string(raw))
	for i, p := range pages {
		if i > 2 && i < len(pages)-1 && !strings.Contains(p, "收款人") {
			t.Errorf("page %d: the expense table's header is not repeated", i+1)
		}
	}
	if c := strings.Count(all, payee); c != 18 {
		t.Errorf("the 200-character payee is printed whole %d times, want 18", c)
	}
	for _, e := range q.Paid {
		if !strings.Contains(all, fmt.Sprintf("#%d", e.Entry)) {
			t.Errorf("expense voucher #%d is missing", e.Entry)
		}
	}
	if !strings.Contains(all, testtool.Squeeze(app.FormatAmount(total))) {
		t.Errorf("the expenses' total %s is not printed", app.FormatAmount(total))
	}
}
