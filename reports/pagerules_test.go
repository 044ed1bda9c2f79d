package reports

import (
	"context"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"sunledger/app"
	"sunledger/internal/testtool"
)

// registryCases are one document of every kind in the registry from the demo book s,
// with the arguments the window passes.
func registryCases(t *testing.T, ctx context.Context, s app.Services) map[string]Args {
	t.Helper()
	var receipt string
	s.Ledger.EachEntry(ctx, func(e app.Entry) error {
		if no, ok := strings.CutPrefix(e.Ref, "receipt:"); ok && receipt == "" {
			receipt = no
		}
		return nil
	})
	runs, _ := s.Fees.BillingRuns(ctx)
	as, _ := s.Votes.Assemblies(ctx)
	svs, _ := s.Surveys.Surveys(ctx)
	ms, _ := s.Meetings.Meetings(ctx)
	reqs, _ := s.Service.ServiceRequests(ctx)
	if len(runs) == 0 || receipt == "" || len(as) == 0 || len(svs) == 0 || len(ms) == 0 || len(reqs) == 0 {
		t.Fatal("the demo lacks bills, a receipt, an assembly, a survey, a meeting or a service request")
	}
	month := runs[len(runs)-1].Period
	assessed, _ := s.Remuneration.Assessments(ctx)
	if len(assessed) == 0 {
		t.Fatal("the demo has no assessment")
	}
	now := s.Now()
	// A statement line for the reconciliation, dated today (an open period).
	bank := app.Statement{Lines: []app.StatementLine{{Date: now.Format(time.DateOnly), Amount: decimal.NewFromInt(100), Balance: decimal.NewFromInt(100), Row: 2}}}
	if _, err := s.Bank.ImportStatement(ctx, app.BankAccount(app.FundPublic), bank, "t", ""); err != nil {
		t.Fatal(err)
	}
	y := now.Year()
	q := app.Month(month).Quarter()
	qy, _ := strconv.Atoi(q[:4])
	return map[string]Args{
		"receipt":        {Receipt: receipt, Who: "desk"},
		"arrears":        {},
		"fee-notices":    {Period: month, Due: now.AddDate(0, 0, 10).Format(time.DateOnly), OwingOnly: true},
		"quarterly":      {Year: qy, Quarter: int(q[5] - '0')},
		"tally":          {Vote: as[0].ID},
		"ballots":        {Vote: as[0].ID},
		"budget":         {Year: y},
		"settlement":     {Year: y - 1},
		"fund":           {Year: y},
		"fund-unit":      {Unit: "1-1-101"},
		"fund-topup":     {},
		"service":        {Period: q},
		"service-slip":   {Request: reqs[0].ID},
		"survey":         {Survey: svs[0].ID},
		"meetings":       {Year: y},
		"minutes":        {Meeting: ms[0].ID},
		"duties":         {},
		"bank-reconcile": {Account: "public", Period: now.Format("2006-01")},
		"assessment":     {Period: assessed[len(assessed)-1].Quarter},
		"microfund":      {},
	}
}

// A table that breaks across pages never leaves fewer than three rows (with the header
// repeated) on the new page, however much text stands before it, and a signature block
// after it takes the last rows along.
func TestTable_NeverLeavesFewerThanThreeRowsOnANewPage(t *testing.T) {
	dir := t.TempDir()
	for _, sign := range []bool{false, true} {
		for n := 26; n < 40; n++ {
			pad := n % 2
			d := NewDoc(DocMeta{Community: "阳光花园", Title: "分页测试", DocID: "t", Date: "2026-01-01"})
			for range pad {
				d.Para("第一段正文。")
			}
			var rows [][]string
			for i := range n {
				rows = append(rows, []string{"第" + strconv.Itoa(i+1) + "行", "¥1.00"})
			}
			d.Table([]Col{{Title: "项目"}, {Title: "金额", Align: "R"}}, rows, TableOpts{})
			if sign {
				d.Signatures("业委会主任")
			}
			p := filepath.Join(dir, "t.pdf")
			if err := d.Save(p); err != nil {
				t.Fatal(err)
			}
			pages := pdfPages(t, p)
			for i, pg := range pages[1:] {
				on := strings.Count(pg, "行 ")
				if on > 0 && on < 3 {
					t.Errorf("%d rows, signatures %v: page %d holds %d table rows: %q", n, sign, i+2, on, body(pg))
				}
				if lines := body(pg); len(lines) < 3 {
					t.Errorf("%d rows, signatures %v: page %d holds %d lines: %q", n, sign, i+2, len(lines), lines)
				}
			}
		}
	}
}

// A public notice is numbered 小区业委〔年〕第N号 when first printed: N counts that kind's
// notices in the year, a reprint of the same notice keeps its number, and the footer
// keeps the content hash beside it.
func TestDocNumber_SequencePerKindAndYearKeptOnReprint(t *testing.T) {
	ctx := context.Background()
	s := demoServices(t, 1)
	c, _ := s.Book.Community(ctx)
	short := strings.TrimSuffix(c.Name, "小区")
	year := s.Now().Format("2006")
	dir := t.TempDir()
	print := func(kind string, a Args) string {
		t.Helper()
		d, err := Make(ctx, s, kind, a)
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, kind+".pdf")
		if err := SaveDocument(ctx, s, d, p, Publication{What: "test", Who: "desk"}); err != nil {
			t.Fatal(err)
		}
		return strings.Join(pdfPages(t, p), "\f")
	}
	runs, _ := s.Fees.BillingRuns(ctx)
	q := app.Month(runs[len(runs)-1].Period).Quarter()
	qy, _ := strconv.Atoi(q[:4])
	qn := int(q[5] - '0')
	want := func(text string, n int) {
		t.Helper()
		ref := short + "业委〔" + year + "〕第" + strconv.Itoa(n) + "号"
		if strings.Count(text, ref) < 2 {
			t.Errorf("want %s under the title and in the footer:\n%s", ref, text)
		}
		if !strings.Contains(text, "内容哈希 ") {
			t.Errorf("the footer lost the content hash:\n%s", text)
		}
	}
	want(print("quarterly", Args{Year: qy, Quarter: qn}), 1)
	want(print("arrears", Args{}), 1)                        // another kind: its own sequence
	want(print("arrears", Args{MinMonths: 3}), 2)            // another arrears notice
	want(print("quarterly", Args{Year: qy, Quarter: qn}), 1) // a reprint keeps its number
	want(print("arrears", Args{}), 1)
}

// The vote announcement's counting rules are what owners check the count against: they
// print at the body's size, not a footnote's.
func TestAnnouncement_CountingRulesNoSmallerThanBodyText(t *testing.T) {
	ctx := context.Background()
	s := demoServices(t, 20)
	as, _ := s.Votes.Assemblies(ctx)
	d, err := Make(ctx, s, "tally", Args{Vote: as[0].ID})
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "tally.pdf")
	if err := SaveDocument(ctx, s, d, p, Publication{Who: "desk"}); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(testtool.Require(t, "pdftotext"), "-bbox", "-enc", "UTF-8", p, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	word := regexp.MustCompile(`<word xMin="[0-9.]+" yMin="([0-9.]+)" xMax="[0-9.]+" yMax="([0-9.]+)">([^<]*)</word>`)
	// height is that of the first word starting with prefix after the word after.
	height := func(after, prefix string) float64 {
		seen := after == ""
		for _, m := range word.FindAllStringSubmatch(string(out), -1) {
			if m[3] == after {
				seen = true
			}
			if seen && strings.HasPrefix(m[3], prefix) {
				y0, _ := strconv.ParseFloat(m[1], 64)
				y1, _ := strconv.ParseFloat(m[2], 64)
				return y1 - y0
			}
		}
		t.Fatalf("no word %q in the announcement", prefix)
		return 0
	}
	body, rule, keep := height("", "公示期："), height("计票规则", "1."), height("计票规则", "选票原件")
	if rule < body-0.01 || keep < body-0.01 {
		t.Errorf("the counting rules print %.2f pt high and the note on the ballots %.2f, the body %.2f", rule, keep, body)
	}
}

// An account's or organisation's name in a table cell stays whole when the table has room
// for it (阳光花园小区业/主大会 is never printed), alone or among other terms.
func TestTable_AccountNamesNeverBreakMidWord(t *testing.T) {
	d := NewDoc(DocMeta{Community: "阳光花园", Title: "户名测试", DocID: "t", Date: "2026-01-01"})
	d.Table([]Col{{Title: "户名", Width: 22}, {Title: "开户信息", Width: 40}, {Title: "说明"}, {Title: "金额", Width: 25, Align: "R"}},
		[][]string{{"阳光花园小区业主大会", "户名 阳光花园小区业主大会 开户行 示例银行阳光支行", "公共收益", "¥1.00"}}, TableOpts{})
	text, _ := renderText(t, d, t.TempDir())
	if n := strings.Count(text, "阳光花园小区业主大会"); n != 2 {
		t.Errorf("the account name is whole %d times of 2:\n%s", n, text)
	}
}
