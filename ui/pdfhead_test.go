package ui

import (
	"context"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
	"github.com/shopspring/decimal"

	"sunledger/app"
	"sunledger/internal/testtool"
	"sunledger/reports"
)

// pdfText is the text of a PDF without whitespace (a hash wrapped at a line end is
// still found).
func pdfText(t *testing.T, path string) string {
	t.Helper()
	testtool.Require(t, "pdftotext")
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext %s: %v", path, err)
	}
	return strings.Join(strings.Fields(string(out)), "")
}

// Every document the window makes leaves through reports.SaveDocument: its PDF names
// the community and carries the journal's head hash (a receipt: its own entry's hash),
// and the head is recorded as published.
func TestPDFs_EveryGUIDocumentCarriesTheHeadHashAndIsRecorded(t *testing.T) {
	s := demoBook(t)
	w := newWindow(t)
	ctx := context.Background()
	c, err := s.Book.Community(ctx)
	if err != nil {
		t.Fatal(err)
	}
	head, _, err := s.Ledger.Head(ctx)
	if err != nil || head == "" {
		t.Fatalf("head %q: %v", head, err)
	}
	before, _ := s.Published.Published(ctx)
	// A receipt of the demo: its number and its entry's hash.
	var receiptNo, receiptHash string
	s.Ledger.EachEntry(ctx, func(e app.Entry) error {
		if no, ok := strings.CutPrefix(e.Ref, "receipt:"); ok && receiptNo == "" {
			receiptNo, receiptHash = no, e.Hash
		}
		return nil
	})
	if receiptNo == "" {
		t.Fatal("the demo has no receipt")
	}
	arrears := newArrearsScreen(w, s)
	votes := newVotesScreen(w, s)
	budget := newBudgetScreen(w, s)
	year := app.AddMonths(s.Now().Format("2006-01"), -3)[:4]
	quarter, err := quarterArgs(year + "Q1")
	if err != nil {
		t.Fatal(err)
	}
	byYear := with(reports.Args{Year: budget.yearNo()})
	docs := map[string]func() (*reports.Doc, error){
		"arrears":    document(s, "arrears", arrears.args),
		"tally":      document(s, "tally", with(reports.Args{Vote: votes.rec.Assembly.ID})),
		"quarterly":  document(s, "quarterly", with(quarter)),
		"budget":     document(s, "budget", byYear),
		"settlement": document(s, "settlement", byYear),
		"fund":       document(s, "fund", byYear),
		"service":    document(s, "service", with(reports.Args{Period: year})),
	}
	// The 公示打印 page's documents, one of each kind.
	list, err := printDocs(s, s.Now())
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range list {
		kind := "print-" + strings.SplitN(strings.TrimSuffix(d.file, ".pdf"), "-", 2)[0]
		if _, ok := docs[kind]; ok || kind == "print-fee" {
			continue // one of each; the month's fee notices are long (made by TestPrint_…)
		}
		if d.input != nil {
			d.input.(*fyne.Container).Objects[0].(*widget.Entry).SetText(receiptNo)
		}
		mk := d.make
		docs[kind] = func() (*reports.Doc, error) { return mk(context.Background()) }
	}
	dir := t.TempDir()
	for name, doc := range docs {
		path := filepath.Join(dir, name+".pdf")
		if err := writePDF(s, "gui "+name, path, doc); err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		text := pdfText(t, path)
		want := head
		if name == "print-receipt" {
			want = receiptHash
		}
		if !strings.Contains(text, want) {
			t.Errorf("%s does not carry the hash %s", name, want)
		}
		if !strings.Contains(text, strings.Join(strings.Fields(c.Name), "")) {
			t.Errorf("%s does not name the community %q", name, c.Name)
		}
	}
	for _, k := range []string{"print-disclosure", "print-arrears", "print-receipt", "print-announcement", "print-budget", "print-settlement", "print-fund"} {
		if docs[k] == nil {
			t.Errorf("the print page offers no %s", k)
		}
	}
	after, _ := s.Published.Published(ctx)
	if len(after) != len(before)+len(docs) {
		t.Errorf("%d heads recorded for %d documents", len(after)-len(before), len(docs))
	}
	for _, h := range after[len(before):] {
		if h.Hash != head || !strings.HasPrefix(h.What, "gui ") {
			t.Errorf("recorded %+v, want head %s", h, head)
		}
	}
}

// A book without entries has no head yet (a vote before any money is booked): its
// documents say 账本链头（空账本）, and no head is recorded as published.
func TestPDFs_AnEmptyJournalSaysSo(t *testing.T) {
	_, s := newBook(t, unit("1-1-101", app.KindResidential, "88", "O1", "业主甲"))
	w := newWindow(t)
	a := newArrearsScreen(w, s)
	path := filepath.Join(t.TempDir(), "arrears.pdf")
	if err := writePDF(s, "gui arrears", path, document(s, "arrears", a.args)); err != nil {
		t.Fatal(err)
	}
	if text := testtool.Squeeze(testtool.PDFText(t, path)); !strings.Contains(text, "账本链头（空账本）") {
		t.Errorf("the document of an empty journal does not say so:\n%s", text)
	}
	if hs, _ := s.Published.Published(context.Background()); len(hs) != 0 {
		t.Errorf("an empty journal recorded %v as published", hs)
	}
}

// TestArrears_NoticePrintsTheUnitsTheTableShows: the 欠费 screen's PDF is the registry's
// arrears notice for the screen's filters (age, building, search): every unit the
// table shows is on it, and no other.
func TestArrears_NoticePrintsTheUnitsTheTableShows(t *testing.T) {
	s := demoBook(t)
	w := newWindow(t)
	a := newArrearsScreen(w, s)
	w.SetContent(a.content)
	a.age.SetSelectedIndex(1) // owing for 3 months or more
	a.building.SetSelectedIndex(1)
	a.minAmount.SetText("100") // and at least ¥100
	if got := a.args(); got.MinMonths != 3 || got.Building != a.building.Selected || got.MinAmount != "100" || got.Units != nil {
		t.Fatalf("the screen's filters are %+v", got)
	}
	shown := map[string]bool{}
	for r := 0; r < a.table.Rows(); r++ {
		row := a.rows[a.table.DataRow(r)]
		if row.Owed.LessThan(decimal.NewFromInt(100)) {
			t.Errorf("%s owing %s is shown over a minimum of ¥100", row.Unit, row.Owed)
		}
		shown[row.Unit] = true
	}
	if len(shown) == 0 {
		t.Fatal("the filters left no unit to print")
	}
	path := filepath.Join(t.TempDir(), "arrears.pdf")
	if err := writePDF(s, "gui arrears", path, document(s, "arrears", a.args)); err != nil {
		t.Fatal(err)
	}
	printed := map[string]bool{}
	for _, f := range strings.Fields(testtool.PDFText(t, path, "-layout")) {
		f = strings.TrimSuffix(f, "（开发商）")
		for _, r := range a.rows {
			if r.Unit == f {
				printed[f] = true
			}
		}
	}
	for u := range shown {
		if !printed[u] {
			t.Errorf("%s is shown but not printed", u)
		}
	}
	for u := range printed {
		if !shown[u] {
			t.Errorf("%s is printed but not shown", u)
		}
	}
}
