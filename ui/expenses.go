package ui

import (
	"context"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"sunledger/app"
)

// Expenses is the 支出审批 screen: every expense request and where it stands in the
// chain 物业申请 → 业委会双人联签 → 社区复核 → 支付, each step signed by a member with their
// passphrase; new requests with their scans; and the members who sign.
func Expenses(w fyne.Window, s app.Services) fyne.CanvasObject {
	e := newExpensesScreen(w, s)
	m := newMembersPane(w, s)
	tabs := container.NewAppTabs(
		container.NewTabItemWithIcon(L("支出申请"), theme.DocumentIcon(), e.content),
		container.NewTabItemWithIcon(L("签字成员"), theme.AccountIcon(), m.content))
	tabs.OnSelected = func(*container.TabItem) { e.reload(); m.reload() }
	return container.NewBorder(Heading(L("支出审批")), nil, nil, nil, tabs)
}

type expensesScreen struct {
	w        fyne.Window
	s        app.Services
	list     []app.Expense
	members  []app.Member
	rules    app.ExpenseRules
	table    *SortTable
	search   *widget.Entry
	state    *widget.Select
	detail   *widget.Label
	actions  *fyne.Container
	selected string
	content  fyne.CanvasObject
}

var expenseStates = []app.ExpenseState{app.ExpenseApplied, app.ExpenseApproved, app.ExpenseReviewed, app.ExpensePaid, app.ExpenseRejected}

func newExpensesScreen(w fyne.Window, s app.Services) *expensesScreen {
	e := &expensesScreen{w: w, s: s}
	e.table = NewSortTable([]Column{
		{Title: L("编号"), Width: 82, Text: func(i int) string { return e.list[i].ID }},
		{Title: L("状态"), Width: 78, Text: func(i int) string { return e.list[i].State.Label() }},
		// The amount early: the columns after it may need scrolling on a small screen, or
		// cut a long payee's name; the amount is always in view.
		{Title: L("金额"), Width: 115, Numeric: true, Text: func(i int) string { return app.FormatAmount(e.list[i].Amount) },
			Less: func(a, b int) bool { return e.list[a].Amount.LessThan(e.list[b].Amount) }},
		{Title: L("申请日期"), Width: 100, Text: func(i int) string { return e.list[i].Applied.Local().Format(app.DateLayout) }},
		{Title: L("资金"), Width: 112, Text: func(i int) string { return e.list[i].Fund.Label() }},
		{Title: L("类别"), Width: 100, Text: func(i int) string { return e.list[i].CategoryLabel() }},
		{Title: L("收款人"), Width: 150, Text: func(i int) string { return e.list[i].Payee }},
	})
	e.table.OnRowSelected = func(i int) { e.show(e.list[i].ID) }
	e.search = widget.NewEntry()
	e.search.SetPlaceHolder(L("搜索收款人、用途或编号…"))
	opts := []string{L("全部状态")}
	for _, st := range expenseStates {
		opts = append(opts, st.Label())
	}
	e.state = newSelect(opts, nil)
	e.state.SetSelectedIndex(0)
	e.search.OnChanged = func(string) { e.filter() }
	e.state.OnChanged = func(string) { e.filter() }
	e.detail = widget.NewLabel(L("选择一份申请查看签字和附件。"))
	e.detail.Wrapping = fyne.TextWrapWord
	e.actions = container.NewGridWithColumns(2)
	newBtn := widget.NewButtonWithIcon(L("新申请…"), theme.ContentAddIcon(), e.askApply)
	newBtn.Importance = widget.HighImportance
	searchBox := container.NewGridWrap(fyne.NewSize(260, e.search.MinSize().Height), e.search)
	top := container.NewBorder(nil, nil, container.NewHBox(searchBox, sized(e.state, 160)), newBtn)
	side := container.NewBorder(nil, e.actions, nil, nil, container.NewVScroll(e.detail))
	split := container.NewHSplit(e.table, side)
	split.Offset = 0.75
	e.content = container.NewBorder(top, nil, nil, nil, split)
	e.reload()
	e.table.SortBy(0, true)
	return e
}

func (e *expensesScreen) reload() {
	ctx := context.Background()
	var err error
	if e.list, err = e.s.Expenses.Expenses(ctx); err != nil {
		ShowError(err, e.w)
	}
	if e.members, err = e.s.Members.Members(ctx); err != nil {
		ShowError(err, e.w)
	}
	if e.rules, err = e.s.Expenses.ExpenseRules(ctx); err != nil {
		ShowError(err, e.w)
	}
	e.table.SetData(len(e.list))
	e.filter()
	if e.selected != "" {
		e.show(e.selected)
	}
}

func (e *expensesScreen) filter() {
	q := e.search.Text
	st := ""
	if i := e.state.SelectedIndex(); i > 0 {
		st = string(expenseStates[i-1])
	}
	e.table.SetFilter(func(i int) bool {
		x := e.list[i]
		return (st == "" || string(x.State) == st) && Matches(q, x.ID, x.Payee, x.Description, x.CategoryLabel())
	})
}

func (e *expensesScreen) find(id string) *app.Expense {
	for i := range e.list {
		if e.list[i].ID == id {
			return &e.list[i]
		}
	}
	return nil
}

// ExpenseText describes a request and its signatures for the detail panel.
func ExpenseText(x app.Expense, rules app.ExpenseRules) string {
	var b strings.Builder
	w := func(s string) { b.WriteString(s + "\n") }
	w(L("%s　%s", x.ID, x.State.Label()))
	w(L("%s · %s · %s", x.Fund.Label(), x.CategoryLabel(), app.FormatAmount(x.Amount)))
	w(L("金额大写：%s", app.AmountInWords(x.Amount)))
	w(L("收款人：%s", x.Payee))
	w(L("用途：%s", x.Description))
	if x.BudgetLine != "" {
		w(L("预算科目：%s", x.BudgetLine))
	}
	if x.Vote != "" {
		w(L("依据表决：%s 事项%d", x.Vote, x.Matter))
	}
	if x.Building != "" {
		w(L("楼栋：%s", x.Building))
	}
	w("")
	w(L("签字："))
	for _, s := range x.Signatures {
		line := "　" + app.StepLabel(s.Step) + "　" + s.Signer + "（" + s.Role.Label() + "）　" + s.At.Local().Format("2006-01-02 15:04")
		if note := s.Note; note != "" {
			// A stage's payment carries "STAGE DATE" (app.StageNote): the stage by its name.
			if st, date, ok := strings.Cut(note, " "); ok && s.Step == app.StepPay && x.Stage(st) >= 0 {
				note = app.StageLabel(st) + " " + date
			}
			line += "　" + note
		}
		w(line)
	}
	switch x.State {
	case app.ExpenseApplied:
		w(L("下一步：两位不同的业委会委员联签（已签 %d 位）", len(x.Approvers())))
	case app.ExpenseApproved, app.ExpenseReviewed:
		switch {
		case acceptDue(x, rules):
			w(L("下一步：验收（预付款已付清；业委会成员或社区复核人验收签字后，才能支付验收款）"))
		case x.State == app.ExpenseReviewed:
			w(L("下一步：支付"))
		case rules.NeedsReview(x):
			w(L("下一步：社区复核"))
		default:
			w(L("下一步：支付（金额未超过复核起点，无需社区复核）"))
		}
	case app.ExpensePaid:
		w(L("已于 %s 支付，记账凭证 #%d", x.PaidDate, x.Entry))
	case app.ExpenseRejected:
		w(L("已驳回：%s", x.RejectReason))
	}
	if len(x.Attachments) > 0 {
		w("")
		w(L("附件："))
		for _, a := range x.Attachments {
			w("　" + a.Name + "（" + strconv.FormatInt(a.Size/1024+1, 10) + " KB）")
		}
	}
	return b.String()
}

func (e *expensesScreen) show(id string) {
	x := e.find(id)
	e.selected = id
	e.actions.Objects = nil
	if x == nil {
		e.detail.SetText("")
		e.actions.Refresh()
		return
	}
	e.detail.SetText(ExpenseText(*x, e.rules))
	add := func(label string, icon fyne.Resource, imp widget.Importance, f func()) {
		b := widget.NewButtonWithIcon(label, icon, f)
		b.Importance = imp
		e.actions.Add(b)
	}
	switch x.State {
	case app.ExpenseApplied:
		add(L("联签…"), theme.ConfirmIcon(), widget.HighImportance, func() { e.askStep(app.StepApprove) })
	case app.ExpenseApproved:
		if e.rules.NeedsReview(*x) {
			add(L("社区复核…"), theme.ConfirmIcon(), widget.HighImportance, func() { e.askStep(app.StepReview) })
		} else {
			add(L("支付…"), theme.ConfirmIcon(), widget.HighImportance, func() { e.askStep(app.StepPay) })
		}
	case app.ExpenseReviewed:
		add(L("支付…"), theme.ConfirmIcon(), widget.HighImportance, func() { e.askStep(app.StepPay) })
	}
	if acceptDue(*x, e.rules) {
		add(L("验收…"), theme.ConfirmIcon(), widget.HighImportance, func() { e.askStep(app.StepAccept) })
	}
	if x.State != app.ExpensePaid && x.State != app.ExpenseRejected {
		add(L("驳回…"), theme.CancelIcon(), widget.DangerImportance, func() { e.askStep(app.StepReject) })
	}
	for i, a := range x.Attachments {
		i, a := i, a
		add(L("保存附件 %s…", a.Name), theme.DownloadIcon(), widget.MediumImportance, func() { e.saveAttachment(x.ID, i, a.Name) })
	}
	e.actions.Refresh()
}

// acceptDue says whether a staged request waits for its acceptance (验收,
// docs/maintenance.md): fully approved, not accepted yet, and every stage before the
// acceptance stage (the advance) paid. The service checks again when it is signed.
func acceptDue(x app.Expense, r app.ExpenseRules) bool {
	if _, done := x.Acceptance(); done || len(x.Stages) == 0 || !x.Payable(r) {
		return false
	}
	i := x.Stage(app.StageAcceptance)
	if i < 0 {
		i = len(x.Stages)
	}
	for _, st := range x.Stages[:i] {
		if st.PaidDate == "" {
			return false
		}
	}
	return true
}

// signers lists the members who may take step on the selected request: the chain's own
// rule (app.Expense.Check, e.g. only a treasurer who neither applied nor approved pays),
// so the list never offers a name the service would refuse; the service checks again.
func (e *expensesScreen) signers(step app.SignStep) []string {
	x := e.find(e.selected)
	var out []string
	for _, m := range e.members {
		ok := false
		switch {
		case step == app.StepApply:
			ok = m.Role == app.RoleClerk || m.Role.Committee()
		case step == app.StepAccept && x != nil:
			ok = x.CheckAccept(m, e.s.Now().Format(app.DateLayout), e.rules) == nil
		case x != nil:
			ok = x.Check(step, m, e.rules) == nil
		}
		if ok {
			out = append(out, m.Name)
		}
	}
	return out
}

// askStep asks who signs, their passphrase, and what the step needs (a date, a reason).
func (e *expensesScreen) askStep(step app.SignStep) {
	id := e.selected
	names := e.signers(step)
	who := newSelect(names, nil)
	preselectMember(who)
	pass := widget.NewPasswordEntry()
	items := []*widget.FormItem{widget.NewFormItem(L("签字人"), who), widget.NewFormItem(L("口令"), pass)}
	if len(names) == 0 && step == app.StepAccept {
		hint := widget.NewLabel(L("名单上没有可以验收这笔申请的成员：验收人须为业委会成员或社区复核人，且不是申请人"))
		hint.Wrapping = fyne.TextWrapWord
		items = append([]*widget.FormItem{widget.NewFormItem("", hint)}, items...)
	}
	if len(names) == 0 && step == app.StepPay {
		hint := widget.NewLabel(L("名单上没有可以支付这笔申请的成员：支付人须为财务委员，且不是申请人或联签人"))
		hint.Wrapping = fyne.TextWrapWord
		items = append([]*widget.FormItem{widget.NewFormItem("", hint)}, items...)
	}
	extra := widget.NewEntry()
	switch step {
	case app.StepPay:
		extra.SetText(e.s.Now().Format(app.DateLayout))
		items = append(items, widget.NewFormItem(L("支付日期"), extra))
	case app.StepAccept:
		extra.SetText(e.s.Now().Format(app.DateLayout))
		items = append(items, widget.NewFormItem(L("验收日期"), extra))
	case app.StepReject:
		extra.SetPlaceHolder(L("驳回原因（必填）"))
		items = append(items, widget.NewFormItem(L("原因"), extra))
	}
	d := dialog.NewForm(L("%s %s", app.StepLabel(step), id), L("签字"), L("取消"), items, func(ok bool) {
		if !ok {
			return
		}
		if err := e.Step(id, step, who.Selected, pass.Text, extra.Text); err != nil {
			ShowError(err, e.w)
		}
	}, e.w)
	d.Resize(fyne.NewSize(520, 300))
	d.Show()
	e.w.Canvas().Focus(pass)
}

// Step takes one step of the chain for request id as member name.
func (e *expensesScreen) Step(id string, step app.SignStep, name, pass, extra string) error {
	if name == "" {
		return app.Errorf(app.EINVALID, "请选择签字人", "choose who signs")
	}
	ctx := context.Background()
	var err error
	switch step {
	case app.StepApprove:
		_, err = e.s.Expenses.ApproveExpense(ctx, id, name, pass)
	case app.StepReview:
		_, err = e.s.Expenses.ReviewExpense(ctx, id, name, pass)
	case app.StepPay:
		// A staged request (docs/maintenance.md): the button pays its next unpaid stage;
		// the acceptance (验收) is its own step, StepAccept.
		stage := ""
		if x, xerr := e.s.Expenses.Expense(ctx, id); xerr == nil {
			for _, st := range x.Stages {
				if st.PaidDate == "" {
					stage = st.Name
					break
				}
			}
		}
		_, err = e.s.Expenses.PayExpenseStage(ctx, id, stage, name, pass, strings.TrimSpace(extra))
	case app.StepAccept:
		_, err = e.s.Expenses.AcceptExpense(ctx, id, name, pass, strings.TrimSpace(extra))
	case app.StepReject:
		if strings.TrimSpace(extra) == "" {
			return app.Errorf(app.EINVALID, "请写明驳回原因", "say why the request is rejected")
		}
		_, err = e.s.Expenses.RejectExpense(ctx, id, name, pass, strings.TrimSpace(extra))
	}
	e.reload()
	return err
}

func (e *expensesScreen) saveAttachment(id string, n int, name string) {
	d := dialog.NewFileSave(func(f fyne.URIWriteCloser, err error) {
		if err != nil || f == nil {
			ShowError(err, e.w)
			return
		}
		defer f.Close()
		_, data, err := e.s.Expenses.AttachmentData(context.Background(), id, n)
		if err == nil {
			_, err = f.Write(data)
		}
		if err != nil {
			ShowError(app.Internal(err), e.w)
		}
	}, e.w)
	d.SetFileName(name)
	d.Resize(fyne.NewSize(900, 600))
	showFileDialog(d, e.w)
}
