package snapshot

import (
	"context"
	"encoding/json"
	"github.com/shopspring/decimal"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"sunledger/app"
	"sunledger/demo"
	"sunledger/internal/testtool"
	"sunledger/reports"
	"sunledger/storage"
)

// fixtureMicroFund is the demo's micro-fund move as the book records it.
func fixtureMicroFund(t *testing.T) (app.Settlement, app.MicroFundMove) {
	t.Helper()
	snapshotFixture(t)
	db, err := storage.Open(filepath.Join(snapFixture.dir, "book"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	s, err := db.Services().Settlements.Settlement(context.Background(), time.Now().Year()-1)
	if err != nil {
		t.Fatal(err)
	}
	m, ok := s.MicroFund()
	if !ok || !m.Amount.IsPositive() || !m.Share.Equal(demo.MicroFundShare) {
		t.Fatalf("the demo made no micro-fund move: %+v", s.MicroFundMoves)
	}
	if want := app.MicroFundAmount(m.Share, s.Fund(app.FundPublic).Surplus); !m.Amount.Equal(want) {
		t.Fatalf("moved %s, want %s", m.Amount, want)
	}
	return s, m
}

func pdfText(t *testing.T, d *reports.Doc) string {
	t.Helper()
	pdftotext := testtool.Require(t, "pdftotext")
	path := filepath.Join(t.TempDir(), "doc.pdf")
	if err := d.Save(path); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(pdftotext, "-enc", "UTF-8", "-layout", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

func TestSettlementDoc_ShowsTheMicroFundMove(t *testing.T) {
	s, m := fixtureMicroFund(t)
	text := pdfText(t, reports.SettlementDoc("阳光花园小区", s.Head, "", s, false))
	for _, want := range []string{"业主微基金", "30%", app.FormatAmount(m.Amount), app.FormatAmount(m.Surplus)} {
		if !strings.Contains(text, want) {
			t.Errorf("the settlement PDF lacks %q:\n%s", want, text)
		}
	}
}

func TestQuarterlyDoc_ShowsTheMicroFund(t *testing.T) {
	_, m := fixtureMicroFund(t)
	db, err := storage.Open(filepath.Join(snapFixture.dir, "book"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	y, mo := mustAtoi(m.Date[:4]), mustAtoi(m.Date[5:7])
	q, err := reports.GatherQuarter(context.Background(), db.Services(), y, (mo+2)/3, time.Now().Format(app.DateLayout), 0)
	if err != nil {
		t.Fatal(err)
	}
	pub := q.Flows[1]
	_, balance, err := db.Services().MicroFund.MicroFundProjects(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	// the demo's project spends part of it, in the same quarter
	if pub.Fund != app.FundPublic || !pub.MicroFund.Equal(balance) || !pub.MicroFundMoved.Equal(m.Amount) || !pub.MicroFundSpent.Equal(m.Amount.Sub(balance)) {
		t.Fatalf("public fund flow %+v", pub)
	}
	text := pdfText(t, reports.QuarterlyDoc(q))
	if !strings.Contains(text, "业主微基金") || !strings.Contains(text, app.FormatAmount(m.Amount)) {
		t.Errorf("the disclosure lacks the micro-fund:\n%s", text)
	}
}

func TestSnapshot_MicroFundFileNamesYearsAndAmounts(t *testing.T) {
	_, m := fixtureMicroFund(t)
	_, files := zipFiles(t, snapFixture.zip)
	var f MicroFundFile
	if err := json.Unmarshal(files["microfund.json"], &f); err != nil {
		t.Fatal(err)
	}
	spent := decimal.Zero // the demo's project spends part of it
	for _, p := range f.Projects {
		spent = spent.Add(decimal.RequireFromString(p.Spent))
	}
	if len(f.Moves) != 1 || f.Moves[0].Amount != m.Amount.StringFixed(2) || f.Moves[0].Entry != m.Entry || f.Balance != m.Amount.Sub(spent).StringFixed(2) ||
		f.Moves[0].Base != "surplus" || f.Projects == nil {
		t.Errorf("microfund.json = %+v", f)
	}
}

func TestViewer_ShowsTheMicroFund(t *testing.T) {
	_, m := fixtureMicroFund(t)
	ctx := browser(t)
	dir := t.TempDir()
	unzipTo(t, snapFixture.zip, dir)
	if status, text := openViewer(t, ctx, filepath.Join(dir, ViewerName)); status != "ok" {
		t.Fatalf("verdict %s: %s", status, text)
	}
	cents := eval[string](t, ctx, `document.getElementById("microfund-balance").dataset.cents`)
	var f MicroFundFile
	_, files := zipFiles(t, snapFixture.zip)
	if err := json.Unmarshal(files["microfund.json"], &f); err != nil {
		t.Fatal(err)
	}
	if got := mustDecimal(cents).Shift(-2); !got.Equal(mustDecimal(f.Balance)) || got.GreaterThan(m.Amount) {
		t.Errorf("the viewer shows a micro-fund of %s, the book %s (moved in %s)", got, f.Balance, m.Amount)
	}
	row := eval[string](t, ctx, `document.getElementById("microfund").innerText`)
	if !strings.Contains(row, "30%") || !strings.Contains(row, "#"+strconv.FormatInt(m.Entry, 10)) {
		t.Errorf("the micro-fund table: %q", row)
	}
}

func mustAtoi(s string) int {
	n := 0
	for _, r := range s {
		n = n*10 + int(r-'0')
	}
	return n
}
