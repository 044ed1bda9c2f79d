package ui

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"sunledger/app"
	"sunledger/reports"
)

// PrintFolderPreference is the folder the 公示打印 page saves documents into.
const PrintFolderPreference = "print.folder"

// printDoc is one document the committee posts or hands out.
type printDoc struct {
	section string
	title   string
	file    string // file name in the print folder (ASCII, the same in both languages)
	due     bool   // should have been posted and is not (a complete quarter not yet locked)
	input   fyne.CanvasObject
	// byInput: the input names the file (a receipt's number); otherwise it only feeds
	// the document (a new due date for fee notices).
	byInput bool
	make    func(ctx context.Context) (*reports.Doc, error)
}

func printFolder() string {
	if p := prefs(); p != nil {
		if f := p.String(PrintFolderPreference); f != "" {
			return f
		}
	}
	home, err := os.UserHomeDir()
	if err != nil {
		home = os.TempDir()
	}
	return filepath.Join(home, "sunledger-print")
}

// quartersOf lists the quarters (YYYYQn) from the first billed month to now, and the
// complete ones after the ledger lock (not yet disclosed).
func quartersOf(s app.Services, now time.Time) (all []string, due map[string]bool) {
	ctx := context.Background()
	due = map[string]bool{}
	runs, err := s.Fees.BillingRuns(ctx)
	if err != nil || len(runs) == 0 {
		return nil, due
	}
	lock, _ := s.Chart.LockedThrough(ctx)
	q, ok := app.QuarterOfMonth(runs[0].Period)
	today, month := now.Format(app.DateLayout), now.Format("2006-01")
	for ; ok; q = q.Next() {
		from, to := q.Months()
		if from > month {
			break
		}
		all = append(all, q.String())
		if today > app.LastDay(to) && lock < to {
			due[q.String()] = true
		}
	}
	return all, due
}

// undisclosedQuarters counts the complete quarters not yet disclosed (the navigation badge).
func undisclosedQuarters(s app.Services) int {
	if s.Fees == nil || s.Ledger == nil {
		return 0
	}
	_, due := quartersOf(s, s.Now())
	return len(due)
}

// printDocs lists every document the page offers, newest first within a section.
// A load that fails is returned as loadErr (the first one), with every document that
// could still be listed; a document's head hash is checked when it is saved.
func printDocs(s app.Services, now time.Time) (out []printDoc, loadErr error) {
	l := &printList{s: s, ctx: context.Background(), now: now, date: now.Format(app.DateLayout)}
	_, err := s.Book.Community(l.ctx)
	l.fail(err)
	var due map[string]bool
	l.quarters, due = quartersOf(s, now)
	l.disclosures(due)
	l.arrears()
	l.feeNotices()
	l.receipt()
	if s.Votes != nil {
		l.announcements()
	}
	if s.Service != nil {
		l.serviceReports()
	}
	if s.Budgets != nil && s.Settlements != nil && s.Maintenance != nil {
		l.yearReports()
	}
	return l.out, l.loadErr
}

// printList gathers the print page's documents (printDocs): the book, the day (now, date) the documents are dated, the quarters billed, and the first load
// error.
type printList struct {
	s        app.Services
	ctx      context.Context
	now      time.Time
	date     string
	quarters []string
	out      []printDoc
	loadErr  error
}

// fail keeps the first load error.
func (l *printList) fail(err error) {
	if err != nil && l.loadErr == nil {
		l.loadErr = err
	}
}

// make is a document's make: the document of kind made through the registry
// (reports.Make, exactly as `sunledger-cli report KIND` makes it); args is read when it
// is made.
func (l *printList) make(kind string, args func() reports.Args) func(ctx context.Context) (*reports.Doc, error) {
	s := l.s
	return func(ctx context.Context) (*reports.Doc, error) { return reports.Make(ctx, s, kind, args()) }
}

// with is args that are known when the page is listed.
func with(a reports.Args) func() reports.Args { return func() reports.Args { return a } }

// disclosures lists the quarterly disclosures (收支公示), newest first; due marks the
// complete quarters not yet disclosed.
func (l *printList) disclosures(due map[string]bool) {
	for i := len(l.quarters) - 1; i >= 0; i-- {
		q := l.quarters[i]
		a, _ := quarterArgs(q)
		l.out = append(l.out, printDoc{section: L("季度收支公示"), title: L("%s 季度收支公示", q), file: "disclosure-" + q + ".pdf", due: due[q],
			make: l.make("quarterly", with(a))})
	}
}

// arrears lists the arrears notice (欠费公示) as of today.
func (l *printList) arrears() {
	l.out = append(l.out, printDoc{section: L("欠费公示"), title: L("欠费公示（截至 %s）", l.date), file: "arrears-" + l.date + ".pdf",
		make: l.make("arrears", with(reports.Args{}))})
}

// feeNotices lists each billed month's fee notices (缴费通知单), newest first.
func (l *printList) feeNotices() {
	runs, err := l.s.Fees.BillingRuns(l.ctx)
	l.fail(err)
	if err != nil {
		return
	}
	for i := len(runs) - 1; i >= 0; i-- {
		r := runs[i]
		// A month whose due date has passed needs a new one (docs/notices.md).
		due := widget.NewEntry()
		due.SetPlaceHolder(L("新截止日 YYYY-MM-DD"))
		l.out = append(l.out, printDoc{section: L("缴费通知单"), title: L("%s 缴费通知单（%d 户）", r.Period, r.Units), file: "fee-notices-" + r.Period + ".pdf",
			input: sized(due, 170),
			make:  l.make("fee-notices", func() reports.Args { return reports.Args{Period: r.Period, Due: strings.TrimSpace(due.Text)} })})
	}
}

// receipt lists the reprint of a receipt, by the number typed beside it.
func (l *printList) receipt() {
	no := widget.NewEntry()
	no.SetPlaceHolder(L("收据号"))
	l.out = append(l.out, printDoc{section: L("收据"), title: L("收据"), file: "receipt.pdf", input: sized(no, 160), byInput: true,
		make: l.make("receipt", func() reports.Args { return reports.Args{Receipt: strings.TrimSpace(no.Text), Who: Operator()} })})
}

// announcements lists each assembly's result announcement (表决结果公告), newest first.
func (l *printList) announcements() {
	as, err := l.s.Votes.Assemblies(l.ctx)
	l.fail(err)
	if err != nil {
		return
	}
	for i := len(as) - 1; i >= 0; i-- {
		a := as[i]
		l.out = append(l.out, printDoc{section: L("表决结果公告"), title: a.ID + " " + a.Title, file: "announcement-" + a.ID + ".pdf",
			make: l.make("tally", with(reports.Args{Vote: a.ID, Who: Operator()}))})
	}
	for i := len(as) - 1; i >= 0; i-- {
		a := as[i]
		l.out = append(l.out, printDoc{section: L("表决票"), title: a.ID + " " + a.Title, file: "ballots-" + a.ID + ".pdf",
			make: l.make("ballots", with(reports.Args{Vote: a.ID}))})
	}
}

// serviceReports lists the service report (物业服务质量公示) of the last four quarters.
func (l *printList) serviceReports() {
	for i := len(l.quarters) - 1; i >= 0 && i >= len(l.quarters)-4; i-- {
		q := l.quarters[i]
		l.out = append(l.out, printDoc{section: L("物业服务质量公示"), title: L("%s 物业服务质量公示", q), file: "service-" + q + ".pdf",
			make: l.make("service", with(reports.Args{Period: q}))})
	}
}

// yearReports lists, for each year from this one back to the first billed, the budget
// against actuals, the settlement (统结统算, a preview while the year is not settled)
// and the maintenance fund's statement.
func (l *printList) yearReports() {
	first := l.now.Year()
	if len(l.quarters) > 0 {
		first, _ = strconv.Atoi(l.quarters[0][:4])
	}
	section := L("预算、结算与维修资金")
	for y := l.now.Year(); y >= first; y-- {
		a := with(reports.Args{Year: y})
		l.out = append(l.out,
			printDoc{section: section, title: L("%d 年预算执行情况", y), file: fmt.Sprintf("budget-%d.pdf", y), make: l.make("budget", a)},
			printDoc{section: section, title: L("%d 年统结统算", y), file: fmt.Sprintf("settlement-%d.pdf", y), make: l.make("settlement", a)},
			printDoc{section: section, title: L("%d 年维修资金收支", y), file: fmt.Sprintf("fund-%d.pdf", y), make: l.make("fund", a)})
	}
}

// Print is the 公示打印 page: every document the committee posts or hands out, what is
// due and what was already made; each is saved into the print folder and opened in the
// system's PDF viewer. Long documents (a month's fee notices) show progress and can be
// cancelled.
func Print(w fyne.Window, s app.Services) fyne.CanvasObject {
	folder := widget.NewLabel(printFolder())
	folder.Truncation = fyne.TextTruncateEllipsis
	choose := widget.NewButtonWithIcon(L("更改文件夹…"), theme.FolderOpenIcon(), func() {
		showFileDialog(dialog.NewFolderOpen(func(u fyne.ListableURI, err error) {
			if err == nil && u != nil {
				if p := prefs(); p != nil {
					p.SetString(PrintFolderPreference, u.Path())
				}
				folder.SetText(u.Path())
			}
		}, w), w)
	})
	openDir := widget.NewButtonWithIcon(L("打开文件夹"), theme.FolderIcon(), func() {
		os.MkdirAll(printFolder(), 0o755)
		openFile(printFolder(), w)
	})
	docs, loadErr := printDocs(s, s.Now())
	// The rows are gathered first and laid out once: adding them one by one to a shown
	// box lays it out again for each of a big book's hundreds of documents.
	var rows []fyne.CanvasObject
	if loadErr != nil {
		rows = append(rows, errorLine(loadErr))
	}
	section := ""
	for _, d := range docs {
		d := d
		if d.section != section {
			section = d.section
			h := widget.NewLabelWithStyle(section, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
			rows = append(rows, container.NewVBox(widget.NewSeparator(), h))
		}
		status := widget.NewLabel("")
		setStatus := func() {
			if st, err := os.Stat(filepath.Join(printFolder(), d.file)); err == nil && !d.byInput {
				status.SetText(L("已生成 %s", st.ModTime().Format("2006-01-02 15:04")))
				status.Importance = widget.SuccessImportance
			} else if d.due {
				status.SetText(L("待公示"))
				status.Importance = widget.WarningImportance
			} else {
				status.SetText("")
			}
			status.Refresh()
		}
		setStatus()
		b := widget.NewButtonWithIcon(L("生成并打开"), theme.DocumentPrintIcon(), func() {
			makeAndOpen(w, s, d, setStatus)
		})
		right := container.NewHBox(status, b)
		left := fyne.CanvasObject(widget.NewLabel(d.title))
		if d.input != nil {
			left = container.NewHBox(widget.NewLabel(d.title), d.input)
		}
		rows = append(rows, container.NewBorder(nil, nil, nil, right, left))
	}
	intro := widget.NewLabel(L("业委会张贴或分发的全部文件。每份文件保存到下面的文件夹，然后用系统的 PDF 阅读器打开以便打印。“待公示”表示季度已结束但尚未锁账公示。"))
	intro.Wrapping = fyne.TextWrapWord
	// What every notice prints besides its content: the office phone, how to pay, the 公示期.
	settings := widget.NewButtonWithIcon(L("公示与缴费设置…"), theme.SettingsIcon(), func() { AskNoticeSettings(w, s, nil) })
	top := container.NewVBox(Heading(L("公示打印")), intro,
		container.NewBorder(nil, nil, widget.NewLabel(L("保存到")), container.NewHBox(choose, openDir), folder),
		container.NewHBox(settings))
	return container.NewBorder(top, nil, nil, nil, container.NewVScroll(container.NewVBox(rows...)))
}

// makeAndOpen makes one document with a progress bar and a cancel button, saves it into
// the print folder and opens it.
func makeAndOpen(w fyne.Window, s app.Services, d printDoc, done func()) {
	folder := printFolder()
	if err := os.MkdirAll(folder, 0o755); err != nil {
		ShowError(app.Errorf(app.EINVALID, "无法使用文件夹 %s：%v（没有保存文件）", "cannot use the folder %s: %v (no file was saved)", folder, err), w)
		return
	}
	file := d.file
	if d.byInput { // a receipt: name it by its number
		if e, ok := d.input.(*fyne.Container); ok && len(e.Objects) > 0 {
			if en, ok := e.Objects[0].(*widget.Entry); ok {
				file = "receipt-" + safeName(en.Text) + ".pdf"
			}
		}
	}
	path := filepath.Join(folder, file)
	var cancelled atomic.Bool
	bar := widget.NewProgressBar()
	label := widget.NewLabel(L("正在生成 %s…", d.title))
	var dlg dialog.Dialog
	cancel := widget.NewButtonWithIcon(L("取消"), theme.CancelIcon(), func() { cancelled.Store(true) })
	dlg = dialog.NewCustomWithoutButtons(L("生成文件"), container.NewVBox(label, bar, container.NewHBox(layout.NewSpacer(), cancel)), w)
	dlg.Resize(fyne.NewSize(460, 180))
	dlg.Show()
	var err error
	last := time.Time{}
	Spawn(func() {
		var doc *reports.Doc
		doc, err = d.make(context.Background())
		if err != nil {
			return
		}
		if cancelled.Load() {
			err = reports.ErrCancelled()
			return
		}
		progress := func(n, total int) bool {
			if time.Since(last) > 100*time.Millisecond && total > 0 {
				last = time.Now() // wall time: throttles the progress bar
				v := float64(n) / float64(total)
				fyne.Do(func() { bar.SetValue(v) })
			}
			return !cancelled.Load()
		}
		err = reports.SaveDocument(context.Background(), s, doc, path, reports.Publication{What: "gui print", Who: Operator(), Progress: progress})
	}, func() {
		dlg.Hide()
		if err != nil {
			ShowError(err, w)
			return
		}
		done()
		openFile(path, w)
	})
}

func safeName(s string) string {
	s = strings.TrimSpace(s)
	var b strings.Builder
	for _, r := range s {
		if r < 128 && (r == '-' || r == '_' || r >= '0' && r <= '9' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z') {
			b.WriteRune(r)
		}
	}
	if b.Len() == 0 {
		return "x"
	}
	return b.String()
}

// openFile opens a file or folder in the system's viewer (xdg-open, start, open: Fyne's
// OpenURL with a file:// address). Without a desktop it says where the file is.
func openFile(path string, w fyne.Window) {
	lastOpened = ""
	u := &url.URL{Scheme: "file", Path: filepath.ToSlash(path)}
	if !strings.HasPrefix(u.Path, "/") {
		u.Path = "/" + u.Path // Windows: file:///C:/…
	}
	a := fyne.CurrentApp()
	if a == nil || Synchronous {
		lastOpened = u.String() // tests: what the viewer would have shown
		return
	}
	if err := a.OpenURL(u); err != nil {
		ShowInfo(L("已保存"), L("已保存到 %s", path), w)
	}
}

// lastOpened is the address openFile last handed to the system (tests only).
var lastOpened string
