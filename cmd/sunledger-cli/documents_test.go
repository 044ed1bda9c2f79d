package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"sunledger/app"
	"sunledger/demo"
	"sunledger/reports"
	"sunledger/storage"
)

// TestReport_EveryKindIsInTheRegistry: `report` offers exactly the registry's kinds.
func TestReport_EveryKindIsInTheRegistry(t *testing.T) {
	t.Parallel()
	got := reportKindNames()
	want := reports.KindNames()
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Fatalf("report kinds %v, registry %v", got, want)
	}
	for _, k := range want {
		if !strings.Contains(commands["report"].usage, k) {
			t.Errorf("report's usage does not name %s", k)
		}
	}
}

// TestReport_CLIAndWindowPrintTheSamePDF: for every kind of document, `sunledger-cli
// report KIND` and the registry as the window calls it (reports.Make, then
// reports.SaveDocument with the print page's progress) write byte-identical PDFs for
// the same book, the same arguments and the same clock. Each side prints on its own
// copy of one demo book, in the same order (printing a receipt again says 补打, and
// every print records the head it published). What a print records (who, under what
// file name) enters the record log, whose tree every later document prints, so both
// sides record the same: the two copies stay the same book from case to case.
func TestReport_CLIAndWindowPrintTheSamePDF(t *testing.T) {
	t.Parallel()
	fixed := time.Date(2026, 6, 15, 10, 30, 0, 0, time.Local)
	now := func() time.Time { return fixed }
	book := filepath.Join(t.TempDir(), "book")
	db, err := storage.Open(book)
	if err != nil {
		t.Fatal(err)
	}
	db.Now = now
	ctx := context.Background()
	s := db.Services()
	if _, err := demo.Build(ctx, s, demo.Options{Units: 40, Years: 1, Seed: 7}); err != nil {
		t.Fatal(err)
	}
	cases := documentCases(t, ctx, s)
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	cliBook, winBook := filepath.Join(t.TempDir(), "cli"), filepath.Join(t.TempDir(), "win")
	copyDir(t, book, cliBook)
	copyDir(t, book, winBook)

	clock = now
	defer func() { clock = nil }()
	win, err := storage.Open(winBook)
	if err != nil {
		t.Fatal(err)
	}
	defer win.Close()
	win.Now = now
	ws := win.Services()

	cliOut, winOut := t.TempDir(), t.TempDir()
	seen := map[string]bool{}
	for i, c := range cases {
		seen[c.kind] = true
		// The same file name on both sides: it is recorded with the published head, and
		// the record log's tree (printed on every later document) covers that record.
		name := c.kind + "-" + strconv.Itoa(i) + ".pdf"
		cliPDF, winPDF := filepath.Join(cliOut, name), filepath.Join(winOut, name)
		var stdout, stderr bytes.Buffer
		args := append(append([]string{"--data", cliBook, "report", c.kind}, c.flags...), "--out", cliPDF)
		if code := run(args, &stdout, &stderr); code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, stderr.String())
		}
		doc, err := reports.Make(ctx, ws, c.kind, c.args)
		if err != nil {
			t.Fatalf("%s %+v: %v", c.kind, c.args, err)
		}
		progress := func(done, total int) bool { return true }
		// As the print page saves (with its progress), but recorded as the CLI records it:
		// what the book records is part of the tree every later document prints, so the
		// two copies of the book must stay alike for the next case to compare.
		if err := reports.SaveDocument(ctx, ws, doc, winPDF, reports.Publication{What: "report " + c.kind, Progress: progress}); err != nil {
			t.Fatalf("%s: %v", c.kind, err)
		}
		a, _ := os.ReadFile(cliPDF)
		b, _ := os.ReadFile(winPDF)
		if len(a) == 0 || !bytes.Equal(a, b) {
			t.Errorf("%s %v: the CLI's PDF (%d bytes) and the window's (%d bytes) differ", c.kind, c.flags, len(a), len(b))
		}
	}
	for _, k := range reports.KindNames() {
		if !seen[k] {
			t.Errorf("no case prints %s", k)
		}
	}
}

// documentCase is one document: its kind, the flags `report` takes and the same
// arguments as the window passes them.
type documentCase struct {
	kind  string
	flags []string
	args  reports.Args
}

// documentCases are one or more documents of every kind from the demo book s.
func documentCases(t *testing.T, ctx context.Context, s app.Services) []documentCase {
	t.Helper()
	var receipt string
	s.Ledger.EachEntry(ctx, func(e app.Entry) error {
		if no, ok := strings.CutPrefix(e.Ref, "receipt:"); ok && receipt == "" {
			receipt = no
		}
		return nil
	})
	runs, err := s.Fees.BillingRuns(ctx)
	if err != nil || len(runs) == 0 || receipt == "" {
		t.Fatalf("the demo has no bills or no receipt: %v", err)
	}
	month := runs[len(runs)-1].Period
	as, err := s.Votes.Assemblies(ctx)
	if err != nil || len(as) == 0 {
		t.Fatalf("the demo has no assembly: %v", err)
	}
	svs, err := s.Surveys.Surveys(ctx)
	if err != nil || len(svs) == 0 {
		t.Fatalf("the demo has no survey: %v", err)
	}
	ms, err := s.Meetings.Meetings(ctx)
	if err != nil || len(ms) == 0 {
		t.Fatalf("the demo has no meeting: %v", err)
	}
	reqs, err := s.Service.ServiceRequests(ctx)
	if err != nil || len(reqs) == 0 {
		t.Fatalf("the demo has no service request: %v", err)
	}
	assessed, err := s.Remuneration.Assessments(ctx)
	if err != nil || len(assessed) == 0 {
		t.Fatalf("the demo has no assessment: %v", err)
	}
	aq := assessed[len(assessed)-1].Quarter
	now := s.Now()
	// A statement line for the reconciliation, dated today (an open period).
	bank := app.Statement{Lines: []app.StatementLine{{Date: now.Format(time.DateOnly), Amount: decimal.NewFromInt(100), Balance: decimal.NewFromInt(100), Row: 2}}}
	if _, err := s.Bank.ImportStatement(ctx, app.BankAccount(app.FundPublic), bank, "t", ""); err != nil {
		t.Fatal(err)
	}
	due := now.AddDate(0, 0, 10).Format(time.DateOnly) // the last billed month's due date has passed
	y, last := now.Year(), now.Year()-1
	q := app.Month(month).Quarter()
	qy, _ := strconv.Atoi(q[:4])
	quarter := int(q[5] - '0')
	return []documentCase{
		{"receipt", []string{"--receipt", receipt, "--as", "desk"}, reports.Args{Receipt: receipt, Who: "desk"}},
		{"receipt", []string{"--receipt", receipt, "--as", "desk"}, reports.Args{Receipt: receipt, Who: "desk"}}, // 补打
		{"arrears", nil, reports.Args{}},
		{"arrears", []string{"--min-months", "3", "--building", "1"}, reports.Args{MinMonths: 3, Building: "1"}},
		{"arrears", []string{"--min-amount", "50.5"}, reports.Args{MinAmount: "50.5"}},
		{"fee-notices", []string{"--period", month, "--due", due}, reports.Args{Period: month, Due: due}},
		{"fee-notices", []string{"--period", month, "--due", due, "--owing-only"}, reports.Args{Period: month, Due: due, OwingOnly: true}},
		{"quarterly", []string{"--year", q[:4], "--quarter", strconv.Itoa(quarter)}, reports.Args{Year: qy, Quarter: quarter}},
		{"tally", []string{"--vote", as[0].ID, "--as", "desk"}, reports.Args{Vote: as[0].ID, Who: "desk"}},
		{"ballots", []string{"--vote", as[0].ID}, reports.Args{Vote: as[0].ID}},
		{"ballots", []string{"--vote", as[0].ID, "--unit", "1-1-101"}, reports.Args{Vote: as[0].ID, Unit: "1-1-101"}},
		{"budget", []string{"--year", strconv.Itoa(y)}, reports.Args{Year: y}},
		{"settlement", []string{"--year", strconv.Itoa(last)}, reports.Args{Year: last}},
		{"settlement", []string{"--year", strconv.Itoa(y)}, reports.Args{Year: y}}, // a preview
		{"fund", []string{"--year", strconv.Itoa(y)}, reports.Args{Year: y}},
		{"fund-unit", []string{"--unit", "1-1-101"}, reports.Args{Unit: "1-1-101"}},
		{"fund-topup", nil, reports.Args{}},
		{"service", []string{"--period", q}, reports.Args{Period: q}},
		{"survey", []string{"--survey", svs[0].ID}, reports.Args{Survey: svs[0].ID}},
		{"meetings", []string{"--meeting", ms[0].ID}, reports.Args{Meeting: ms[0].ID}},
		{"meetings", []string{"--year", strconv.Itoa(y)}, reports.Args{Year: y}},
		{"minutes", []string{"--meeting", ms[0].ID}, reports.Args{Meeting: ms[0].ID}},
		{"service-slip", []string{"--id", reqs[0].ID}, reports.Args{Request: reqs[0].ID}},
		{"duties", nil, reports.Args{}},
		{"bank-reconcile", []string{"--account", "public", "--period", now.Format("2006-01")}, reports.Args{Account: "public", Period: now.Format("2006-01")}},
		{"assessment", []string{"--period", aq}, reports.Args{Period: aq}},
		{"microfund", nil, reports.Args{}},
	}
}

// copyDir copies the files of a closed book's folder.
func copyDir(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(to, rel), 0o700)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(to, rel), b, 0o600)
	})
	if err != nil {
		t.Fatal(err)
	}
}
