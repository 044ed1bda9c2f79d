package ui

import (
	"context"
	"path/filepath"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"sunledger/app"
	"sunledger/reports"
	"sunledger/sheet"
)

// bankScreen is the 银行对账 page (docs/bank.md): a bank account's imported statement
// beside the books — the lines still to match, each with what it could be, and the
// lines matched — with the statement's import, automatic matching, confirming the chosen
// line in one step, booking a line the books lack, and the month's reconciliation to print.
type bankScreen struct {
	w        fyne.Window
	s        app.Services
	accounts []string
	account  *widget.Select
	open     *widget.List
	done     *widget.List
	month    *widget.Entry
	summary  *widget.Label
	props    []app.MatchProposal
	matched  []app.StatementLine
	chosen   int
	content  fyne.CanvasObject
}

// Bank is the 银行对账 page.
func Bank(w fyne.Window, s app.Services) fyne.CanvasObject { return newBankScreen(w, s).content }

func newBankScreen(w fyne.Window, s app.Services) *bankScreen {
	b := &bankScreen{w: w, s: s, chosen: -1}
	chart, err := s.Chart.Accounts(context.Background())
	if err != nil {
		ShowError(err, w)
	}
	b.accounts = app.BankAccounts(chart)
	b.account = newSelect(b.accounts, func(string) { b.load() })
	b.month = widget.NewEntry()
	b.month.SetText(s.Now().Local().Format("2006-01"))
	b.month.OnSubmitted = func(string) { b.reconcile() }
	b.summary = widget.NewLabel("")
	b.summary.Wrapping = fyne.TextWrapWord
	b.open = widget.NewList(func() int { return len(b.props) },
		func() fyne.CanvasObject { return cutLabel() },
		func(i widget.ListItemID, o fyne.CanvasObject) { o.(*widget.Label).SetText(b.openText(i)) })
	b.open.OnSelected = func(i widget.ListItemID) { b.chosen = i }
	b.open.OnUnselected = func(widget.ListItemID) { b.chosen = -1 }
	b.done = widget.NewList(func() int { return len(b.matched) },
		func() fyne.CanvasObject { return cutLabel() },
		func(i widget.ListItemID, o fyne.CanvasObject) {
			l := b.matched[i]
			o.(*widget.Label).SetText(L("第 %d 行 %s %s = 凭证 #%s", l.N, l.Date, app.PlainAmount(l.Amount), joinSeqs(l.Entries)))
		})
	importB := widget.NewButtonWithIcon(L("导入对账单…"), theme.FolderOpenIcon(), func() { ChooseSheet(w, b.importFile) })
	autoB := widget.NewButtonWithIcon(L("自动对账"), theme.ViewRefreshIcon(), func() { b.report(b.autoMatch()) })
	confirmB := widget.NewButtonWithIcon(L("确认所选"), theme.ConfirmIcon(), func() { b.report(b.confirm(b.chosen)) })
	confirmB.Importance = widget.HighImportance
	postB := widget.NewButtonWithIcon(L("按对账单记账…"), theme.ContentAddIcon(), b.askPost)
	printB := widget.NewButtonWithIcon(L("打印调节表"), theme.DocumentPrintIcon(), func() {
		PrintDocument(w, s, "bank-reconcile", reports.Args{Account: b.current(), Period: strings.TrimSpace(b.month.Text)}, "银行存款余额调节表-"+strings.TrimSpace(b.month.Text)+".pdf")
	})
	if len(b.accounts) > 0 {
		b.account.SetSelectedIndex(0)
	}
	top := container.NewVBox(Heading(L("银行对账")),
		container.NewBorder(nil, nil, widget.NewLabel(L("银行账户")), container.NewHBox(importB, autoB), b.account))
	lists := container.NewHSplit(
		container.NewBorder(widget.NewLabel(L("待处理")), container.NewHBox(confirmB, postB), nil, nil, b.open),
		container.NewBorder(widget.NewLabel(L("已对上")), nil, nil, nil, b.done))
	bottom := container.NewVBox(container.NewBorder(nil, nil, widget.NewLabel(L("调节表月份")), printB, b.month), b.summary)
	b.content = container.NewBorder(top, bottom, nil, nil, lists)
	return b
}

func joinSeqs(seqs []int64) string {
	s := make([]string, len(seqs))
	for i, q := range seqs {
		s[i] = strconv.FormatInt(q, 10)
	}
	return strings.Join(s, ",#")
}

func (b *bankScreen) current() string { return b.account.Selected }

// openText describes an unmatched line and what it could be.
func (b *bankScreen) openText(i int) string {
	p := b.props[i]
	t := L("第 %d 行 %s %s %s", p.Line.N, p.Line.Date, app.PlainAmount(p.Line.Amount), p.Line.Description)
	switch {
	case len(p.Candidates) > 0:
		var seqs []int64
		for _, c := range p.Candidates {
			seqs = append(seqs, c.Seq)
		}
		t += " · " + L("可能是凭证 #%s", joinSeqs(seqs))
	case len(p.Batch) > 0:
		t += " · " + L("批量结算：%d 笔收款", len(p.Batch))
	default:
		t += " · " + L("账上没有")
	}
	return t
}

// load reads the account's lines and proposals, and its reconciliation, in the
// background (ten years of bank items take seconds on a big book): the page is shown at
// once and filled in when ready.
func (b *bankScreen) load() {
	ctx := context.Background()
	b.props, b.matched, b.chosen = nil, nil, -1
	b.open.UnselectAll()
	b.open.Refresh()
	b.done.Refresh()
	a := b.current()
	if a == "" {
		b.summary.SetText("")
		return
	}
	month, merr := app.ParseReconcilePeriod(b.month.Text)
	b.summary.SetText(L("正在读取 %s …", a))
	var (
		props   []app.MatchProposal
		matched []app.StatementLine
		rec     app.Reconciliation
		recErr  error
		err     error
	)
	Spawn(func() {
		var lines []app.StatementLine
		var items []app.BookItem
		if lines, err = b.s.Bank.StatementLines(ctx, a); err != nil {
			return
		}
		if items, err = app.MatchItems(ctx, b.s.Bank, a, lines); err != nil {
			return
		}
		props, _ = app.ProposeMatches(lines, items, false)
		for _, l := range lines {
			if len(l.Entries) > 0 {
				matched = append(matched, l)
			}
		}
		if merr == nil {
			rec, recErr = b.s.Bank.Reconcile(ctx, a, month)
		}
	}, func() {
		if b.current() != a {
			return // another account was chosen meanwhile: its own load shows it
		}
		if err != nil {
			b.summary.SetText("")
			ShowError(err, b.w)
			return
		}
		b.props, b.matched = props, matched
		b.open.UnselectAll()
		b.open.Refresh()
		b.done.Refresh()
		if merr != nil {
			b.summary.SetText("")
			return
		}
		b.showReconciliation(rec, recErr)
	})
}

// reconcile shows the month's reconciliation in a few lines (read in the background).
func (b *bankScreen) reconcile() {
	month, err := app.ParseReconcilePeriod(b.month.Text)
	a := b.current()
	if err != nil || a == "" {
		b.summary.SetText("")
		return
	}
	var r app.Reconciliation
	Spawn(func() {
		r, err = b.s.Bank.Reconcile(context.Background(), a, month)
	}, func() {
		if b.current() == a {
			b.showReconciliation(r, err)
		}
	})
}

func (b *bankScreen) showReconciliation(r app.Reconciliation, err error) {
	if app.ErrorCode(err) == app.ENOTFOUND {
		b.summary.SetText(L("这个账户还没有导入过对账单"))
		return
	}
	if err != nil {
		b.summary.SetText(err.Error())
		return
	}
	text := L("账面余额 %s，银行对账单余额 %s；调节后 %s 与 %s", app.FormatAmount(r.BookBalance), app.FormatAmount(r.BankBalance), app.FormatAmount(r.AdjustedBook), app.FormatAmount(r.AdjustedBank))
	if r.Difference.IsZero() {
		text += "\n" + L("差额 0.00：账实相符")
	} else {
		text += "\n⚠ " + L("未解释的差额 %s：本期不能锁定", app.PlainAmount(r.Difference))
	}
	b.summary.SetText(text)
}

func (b *bankScreen) report(msg string, err error) {
	if err != nil {
		ShowError(err, b.w)
		return
	}
	if msg != "" {
		ShowInfo(L("银行对账"), msg, b.w)
	}
}

// importFile imports a statement file (built-in headers; a rules file is for the
// command line) into the chosen account.
func (b *bankScreen) importFile(path string) {
	rows, err := sheet.Read(path)
	if err == nil {
		var st app.Statement
		if st, err = app.ParseStatement(filepath.Base(path), rows, app.BankRules{}); err == nil {
			var res app.BankImport
			if res, err = b.s.Bank.ImportStatement(context.Background(), b.current(), st, Operator(), ""); err == nil {
				b.load()
				ShowInfo(L("银行对账"), L("导入 %d 行，%d 行以前已导入过", res.Added, res.Skipped), b.w)
				return
			}
		}
	}
	ShowError(err, b.w)
}

// autoMatch confirms every line that matches exactly one book item (bank match --auto).
func (b *bankScreen) autoMatch() (string, error) {
	ctx := context.Background()
	lines, err := b.s.Bank.StatementLines(ctx, b.current())
	if err != nil {
		return "", err
	}
	items, err := app.MatchItems(ctx, b.s.Bank, b.current(), lines)
	if err != nil {
		return "", err
	}
	props, taken := app.ProposeMatches(lines, items, true)
	var sure []app.LineMatch
	for i, p := range props {
		if taken[i] {
			sure = append(sure, app.LineMatch{Line: p.Line.N, Entries: []int64{p.Candidates[0].Seq}})
		}
	}
	n, err := b.s.Bank.ConfirmMatches(ctx, b.current(), sure, Operator(), "")
	b.load()
	return L("自动对上 %d 行", n), err
}

// confirm matches the unmatched line i to its one candidate, or to its batch of
// receipts; a line with several candidates asks which.
func (b *bankScreen) confirm(i int) (string, error) {
	if i < 0 || i >= len(b.props) {
		return "", app.Errorf(app.EINVALID, "请先在待处理列表里选一行", "choose a line in the list first")
	}
	p := b.props[i]
	var seqs []int64
	switch {
	case len(p.Candidates) == 1:
		seqs = []int64{p.Candidates[0].Seq}
	case len(p.Candidates) == 0 && len(p.Batch) > 0:
		for _, it := range p.Batch {
			seqs = append(seqs, it.Seq)
		}
	case len(p.Candidates) > 1:
		b.askCandidate(p)
		return "", nil
	default:
		return "", app.Errorf(app.EINVALID, "账上没有与这一行对应的凭证：请用“按对账单记账”", "the books hold nothing for this line: book it from the statement")
	}
	if err := b.s.Bank.ConfirmMatch(context.Background(), b.current(), p.Line.N, seqs, Operator(), ""); err != nil {
		return "", err
	}
	b.load()
	return "", nil
}

func (b *bankScreen) askCandidate(p app.MatchProposal) {
	var opts []string
	for _, c := range p.Candidates {
		opts = append(opts, L("凭证 #%d %s %s", c.Seq, c.Date, c.Description))
	}
	pick := newSelect(opts, nil)
	dialog.ShowForm(L("这一行是哪张凭证？"), L("确认"), L("取消"), []*widget.FormItem{widget.NewFormItem(L("凭证"), pick)}, func(ok bool) {
		if !ok || pick.SelectedIndex() < 0 {
			return
		}
		seq := p.Candidates[pick.SelectedIndex()].Seq
		if err := b.s.Bank.ConfirmMatch(context.Background(), b.current(), p.Line.N, []int64{seq}, Operator(), ""); err != nil {
			ShowError(err, b.w)
			return
		}
		b.load()
	}, b.w)
}

// askPost books the chosen line the books lack (bank post) against an account.
func (b *bankScreen) askPost() {
	if b.chosen < 0 || b.chosen >= len(b.props) {
		ShowError(app.Errorf(app.EINVALID, "请先在待处理列表里选一行", "choose a line in the list first"), b.w)
		return
	}
	p := b.props[b.chosen]
	chart, _ := b.s.Chart.Accounts(context.Background())
	other := widget.NewEntry()
	other.SetText(app.BookLineAgainst(b.current(), p.Line, chart, ""))
	dialog.ShowForm(L("按对账单记账"), L("记账"), L("取消"), []*widget.FormItem{widget.NewFormItem(L("对方科目"), other)}, func(ok bool) {
		if ok {
			b.report(b.post(p.Line.N, strings.TrimSpace(other.Text)))
		}
	}, b.w)
}

func (b *bankScreen) post(line int64, other string) (string, error) {
	e, err := b.s.Bank.PostLine(context.Background(), b.current(), line, other, "", Operator(), "")
	if err != nil {
		return "", err
	}
	b.load()
	return L("已记账，凭证号 %d", e.Seq), nil
}

// cutLabel is a list row's label: a line longer than the list ends in "…" (the whole
// line is in the dialogs that act on it) rather than running under the list's edge.
func cutLabel() *widget.Label {
	l := widget.NewLabel("")
	l.Truncation = fyne.TextTruncateEllipsis
	return l
}
