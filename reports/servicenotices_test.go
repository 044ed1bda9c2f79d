package reports

import (
	"context"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"sunledger/app"
	"sunledger/demo"
	"sunledger/internal/testtool"
	"sunledger/storage"
)

// TestNotices_AssessmentAndMicroFundFromTheDemo: the quarter's assessment notice prints
// the score, its parts, the factor and the quarter's remuneration as base × rate ×
// factor; the micro-fund notice prints the money moved in, the demo's project from
// proposal to report, its charge and the balance — and after the charge is reversed,
// the charge is shown reversed and not counted, and the project spent nothing. Both are
// public notices: without the office phone in settings neither is saved.
func TestNotices_AssessmentAndMicroFundFromTheDemo(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a demo book")
	}
	ctx := context.Background()
	db, err := storage.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	s := db.Services()
	if _, err := demo.Build(ctx, s, demo.Options{Units: 120, Years: 2, Seed: 3}); err != nil {
		t.Fatal(err)
	}
	dir, n := t.TempDir(), 0
	text := func(kind string, a Args) string {
		t.Helper()
		d, err := Make(ctx, s, kind, a)
		if err != nil {
			t.Fatalf("%s: %v", kind, err)
		}
		n++
		p := filepath.Join(dir, kind+strconv.Itoa(n)+".pdf")
		if err := SaveDocument(ctx, s, d, p, Publication{What: "report " + kind}); err != nil {
			t.Fatalf("%s: %v", kind, err)
		}
		return testtool.Squeeze(testtool.PDFText(t, p))
	}

	tus, _ := s.Remuneration.TrueUps(ctx)
	if len(tus) == 0 {
		t.Fatal("the demo trued up no quarter")
	}
	tu := tus[len(tus)-1]
	got := text("assessment", Args{Period: tu.Quarter})
	for _, want := range []string{"物业服务考核及酬金公示", "得分构成", "满意度调查", "服务时效", "考核系数：" + tu.Factor.String(),
		app.FormatAmount(tu.Accrued) + "×" + tu.Factor.String() + "=" + app.FormatAmount(tu.Due)} {
		if !strings.Contains(got, testtool.Squeeze(want)) {
			t.Errorf("the assessment notice lacks %q:\n%s", want, got)
		}
	}
	if _, err := Make(ctx, s, "assessment", Args{Period: "2099Q1"}); app.ErrorCode(err) != app.ENOTFOUND {
		t.Errorf("a notice of a quarter not assessed: %v", err)
	}

	ps, bal, _ := s.MicroFund.MicroFundProjects(ctx)
	if len(ps) != 1 || len(ps[0].Spends) != 1 || ps[0].Report == "" {
		t.Fatalf("the demo's project did not go from proposal to report: %+v", ps)
	}
	sp := ps[0].Spends[0]
	got = text("microfund", Args{})
	for _, want := range []string{"业主微基金收支及项目公示", "转入合计", ps[0].ID, "已完成", sp.Expense, "支出合计" + app.FormatAmount(sp.Amount), "微基金余额（账面）：" + app.FormatAmount(bal)} {
		if !strings.Contains(got, testtool.Squeeze(want)) {
			t.Errorf("the micro-fund notice lacks %q:\n%s", want, got)
		}
	}
	r, err := s.Ledger.Reverse(ctx, sp.Entry, "", "t", "charged to the wrong project")
	if err != nil {
		t.Fatal(err)
	}
	ps, bal2, _ := s.MicroFund.MicroFundProjects(ctx)
	if ps[0].Spends[0].Reversed != r.Seq || !ps[0].Spent().IsZero() || !bal2.Equal(bal.Add(sp.Amount)) {
		t.Fatalf("after the reversal: %+v, balance %s (was %s)", ps[0], bal2, bal)
	}
	got = text("microfund", Args{})
	for _, want := range []string{"已被凭证#" + strconv.FormatInt(r.Seq, 10) + "冲销，不计入", "支出合计¥0.00", "微基金余额（账面）：" + app.FormatAmount(bal2)} {
		if !strings.Contains(got, want) {
			t.Errorf("the micro-fund notice after the reversal lacks %q:\n%s", want, got)
		}
	}
	if err := s.Ledger.Verify(ctx); err != nil {
		t.Fatal(err)
	}

	c, _ := s.Book.Community(ctx)
	c.Notices.OfficePhone = ""
	if err := s.Book.UpdateCommunity(ctx, c, "t", "no phone"); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"assessment", "microfund"} {
		d, err := Make(ctx, s, k, Args{Period: tu.Quarter})
		if err != nil {
			t.Fatal(err)
		}
		if err := SaveDocument(ctx, s, d, filepath.Join(dir, k+"-nophone.pdf"), Publication{What: "report " + k}); app.ErrorCode(err) != app.EINVALID {
			t.Errorf("%s saved without the office phone: %v", k, err)
		}
	}
}
