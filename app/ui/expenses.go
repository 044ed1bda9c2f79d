package ui

import (
	"context"
	"crypto/rand"
	"io"
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
		{Title: L("申请日期"), Width: 100, Text: func(i int) string { return e.list[i].Applied.Local().Format("2006-01-02") }},
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
		if s.Note != "" {
			line += "　" + s.Note
		}
		w(line)
	}
	switch x.State {
	case app.ExpenseApplied:
		w(L("下一步：两位不同的业委会委员联签（已签 %d 位）", len(x.Approvers())))
	case app.ExpenseApproved:
		if rules.NeedsReview(x) {
			w(L("下一步：社区复核"))
		} else {
			w(L("下一步：支付（金额未超过复核起点，无需社区复核）"))
		}
	case app.ExpenseReviewed:
		w(L("下一步：支付"))
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
	if x.State != app.ExpensePaid && x.State != app.ExpenseRejected {
		add(L("驳回…"), theme.CancelIcon(), widget.DangerImportance, func() { e.askStep(app.StepReject) })
	}
	for i, a := range x.Attachments {
		i, a := i, a
		add(L("保存附件 %s…", a.Name), theme.DownloadIcon(), widget.MediumImportance, func() { e.saveAttachment(x.ID, i, a.Name) })
	}
	e.actions.Refresh()
}

// signers lists the members who may take step (the service checks again).
func (e *expensesScreen) signers(step string) []string {
	var out []string
	for _, m := range e.members {
		ok := false
		switch step {
		case app.StepApprove, app.StepPay:
			ok = m.Role.Committee()
		case app.StepReview:
			ok = m.Role == app.RoleReviewer
		case app.StepReject:
			ok = true
		case app.StepApply:
			ok = m.Role == app.RoleClerk || m.Role.Committee()
		}
		if ok {
			out = append(out, m.Name)
		}
	}
	return out
}

// askStep asks who signs, their passphrase, and what the step needs (a date, a reason).
func (e *expensesScreen) askStep(step string) {
	id := e.selected
	who := newSelect(e.signers(step), nil)
	preselectMember(who)
	pass := widget.NewPasswordEntry()
	items := []*widget.FormItem{widget.NewFormItem(L("签字人"), who), widget.NewFormItem(L("口令"), pass)}
	extra := widget.NewEntry()
	switch step {
	case app.StepPay:
		extra.SetText(e.s.Now().Format("2006-01-02"))
		items = append(items, widget.NewFormItem(L("支付日期"), extra))
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
func (e *expensesScreen) Step(id, step, name, pass, extra string) error {
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
		_, err = e.s.Expenses.PayExpense(ctx, id, name, pass, strings.TrimSpace(extra))
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
	d.Show()
}

// askApply is the application form (物业申请).
func (e *expensesScreen) askApply() {
	var fundOpts []string
	for _, f := range app.Funds {
		fundOpts = append(fundOpts, f.Label())
	}
	fund := newSelect(fundOpts, nil)
	var catOpts []string
	for _, c := range app.ExpenseCategories {
		catOpts = append(catOpts, c.Name)
	}
	cat := newSelect(catOpts, nil)
	fund.OnChanged = func(string) {
		if fund.SelectedIndex() == 2 {
			cat.SetSelected("维修工程")
		}
	}
	fund.SetSelectedIndex(0)
	payee, amount, desc := widget.NewEntry(), widget.NewEntry(), widget.NewMultiLineEntry()
	amount.SetPlaceHolder("0.00")
	words := widget.NewLabel("")
	amount.OnChanged = func(s string) {
		if a, err := app.ParseAmount(s); err == nil && a.IsPositive() {
			words.SetText(app.AmountInWords(a))
		} else {
			words.SetText("")
		}
	}
	vote, building := widget.NewEntry(), widget.NewEntry()
	vote.SetPlaceHolder(L("维修资金必填，例如 V0001:1"))
	var files []app.AttachmentFile
	filesL := widget.NewLabel(L("（无）"))
	attach := widget.NewButtonWithIcon(L("添加附件…"), theme.FileIcon(), func() {
		od := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
			if err != nil || r == nil {
				return
			}
			defer r.Close()
			data, err := io.ReadAll(io.LimitReader(r, app.MaxAttachmentSize+1))
			if err != nil {
				ShowError(app.Internal(err), e.w)
				return
			}
			files = append(files, app.AttachmentFile{Name: r.URI().Name(), Data: data})
			var names []string
			for _, f := range files {
				names = append(names, f.Name)
			}
			filesL.SetText(strings.Join(names, "，"))
		}, e.w)
		od.Resize(fyne.NewSize(900, 600))
		od.Show()
	})
	who := newSelect(e.signers(app.StepApply), nil)
	preselectMember(who)
	pass := widget.NewPasswordEntry()
	items := []*widget.FormItem{
		widget.NewFormItem(L("资金"), fund),
		widget.NewFormItem(L("类别"), cat),
		widget.NewFormItem(L("收款人"), payee),
		widget.NewFormItem(L("金额（元）"), amount),
		widget.NewFormItem("", words),
		widget.NewFormItem(L("用途说明"), desc),
		widget.NewFormItem(L("依据表决"), vote),
		widget.NewFormItem(L("楼栋"), building),
		widget.NewFormItem(L("附件"), container.NewBorder(nil, nil, nil, attach, filesL)),
		widget.NewFormItem(L("申请人"), who),
		widget.NewFormItem(L("口令"), pass),
	}
	d := dialog.NewForm(L("新的支出申请"), L("提交申请"), L("取消"), items, func(ok bool) {
		if !ok {
			return
		}
		r := app.ExpenseRequest{Payee: payee.Text, Description: desc.Text, Building: building.Text, Files: files}
		if i := fund.SelectedIndex(); i >= 0 {
			r.Fund = app.Funds[i]
		}
		if i := cat.SelectedIndex(); i >= 0 {
			r.Category = app.ExpenseCategories[i].Code
		}
		a, err := app.ParseAmount(amount.Text)
		if err == nil {
			r.Amount = a
			r.Vote, r.Matter, err = parseVoteRef(vote.Text)
		}
		if err == nil {
			_, err = e.Apply(r, who.Selected, pass.Text)
		}
		if err != nil {
			ShowError(err, e.w)
		}
	}, e.w)
	d.Resize(fyne.NewSize(720, 680))
	d.Show()
}

// parseVoteRef reads "V0001:1" (vote and matter) or "".
func parseVoteRef(s string) (string, int, error) {
	s = strings.TrimSpace(strings.ReplaceAll(s, "：", ":"))
	if s == "" {
		return "", 0, nil
	}
	v, m, ok := strings.Cut(s, ":")
	n, err := strconv.Atoi(strings.TrimSpace(m))
	if !ok || err != nil || n <= 0 {
		return "", 0, app.Errorf(app.EINVALID, "表决应写成 表决编号:事项序号，例如 V0001:1", "write the vote as VOTE:MATTER, e.g. V0001:1")
	}
	return strings.TrimSpace(v), n, nil
}

// Apply records a new request by applicant.
func (e *expensesScreen) Apply(r app.ExpenseRequest, applicant, pass string) (app.Expense, error) {
	if applicant == "" {
		return app.Expense{}, app.Errorf(app.EINVALID, "请选择申请人", "choose the applicant")
	}
	x, err := e.s.Expenses.ApplyExpense(context.Background(), r, applicant, pass)
	if err == nil {
		e.selected = x.ID
	}
	e.reload()
	return x, err
}

// membersPane lists the members who sign and adds new ones.
type membersPane struct {
	w       fyne.Window
	s       app.Services
	members []app.Member
	table   *SortTable
	content fyne.CanvasObject
	// pending lists the roster changes waiting for signatures (once the roster is sealed).
	pending    []app.RosterChange
	pendingBox *widget.Label
}

func newMembersPane(w fyne.Window, s app.Services) *membersPane {
	m := &membersPane{w: w, s: s}
	m.table = NewSortTable([]Column{
		{Title: L("姓名"), Width: 160, Text: func(i int) string { return m.members[i].Name }},
		{Title: L("角色"), Width: 160, Text: func(i int) string {
			if !m.members[i].Active() {
				return L("%s（已移出）", m.members[i].Role.Label())
			}
			return m.members[i].Role.Label()
		}},
		{Title: L("加入时间"), Width: 170, Text: func(i int) string { return m.members[i].Created.Local().Format("2006-01-02 15:04") }},
	})
	add := widget.NewButtonWithIcon(L("添加成员…"), theme.ContentAddIcon(), m.askAdd)
	change := widget.NewButtonWithIcon(L("修改口令…"), theme.SettingsIcon(), m.askPassphrase)
	sign := widget.NewButtonWithIcon(L("签署成员变更…"), theme.ConfirmIcon(), m.askApprove)
	note := widget.NewLabel(L("每位成员有自己的口令和签名密钥；口令只用来解开本人的密钥，程序不保存口令。申请人不能为自己的申请联签，同一人不能签两次。"))
	note.Wrapping = fyne.TextWrapWord
	m.pendingBox = widget.NewLabel("")
	m.pendingBox.Wrapping = fyne.TextWrapWord
	m.content = container.NewBorder(container.NewVBox(note, container.NewHBox(add, change, sign), m.pendingBox), nil, nil, nil, m.table)
	m.reload()
	return m
}

func (m *membersPane) reload() {
	var err error
	if m.members, err = m.s.Members.Members(context.Background()); err != nil {
		ShowError(err, m.w)
	}
	m.table.SetData(len(m.members))
	m.pending = nil
	cs, err := m.s.Members.RosterChanges(context.Background())
	if err != nil {
		ShowError(err, m.w)
	}
	var lines []string
	for _, c := range cs {
		if c.State == app.RosterPending {
			m.pending = append(m.pending, c)
			lines = append(lines, c.ID+"  "+c.Describe()+"  "+rosterNeeds(c, m.members))
		}
	}
	if m.pendingBox == nil {
		return
	}
	seal, sealed, err := m.s.Members.RosterSeal(context.Background())
	switch {
	case err != nil:
		ShowError(err, m.w)
	case !sealed:
		m.pendingBox.SetText(L("创始成员名单尚未封存：现在可以直接添加成员；第一份支出申请会封存名单，此后添加、移除成员或变更角色需两位委员签字。"))
	case len(lines) == 0:
		m.pendingBox.SetText(L("成员名单已于 %s 封存：添加、移除成员或变更角色需两位委员签字。", seal.At.Local().Format("2006-01-02")))
	default:
		m.pendingBox.SetText(L("待签的成员变更：") + "\n" + strings.Join(lines, "\n"))
	}
}

// rosterNeeds says what signatures a pending change still needs.
func rosterNeeds(c app.RosterChange, ms []app.Member) string {
	n, rev := c.RosterNeeds(app.ActiveRoles(ms))
	if rev {
		return L("还需 %d 位委员及社区复核人签字", n)
	}
	return L("还需 %d 位委员签字", n)
}

// askApprove lets a member sign a pending roster change.
func (m *membersPane) askApprove() {
	if len(m.pending) == 0 {
		ShowInfo(L("签署成员变更"), L("没有待签的成员变更。"), m.w)
		return
	}
	var ids, names []string
	for _, c := range m.pending {
		ids = append(ids, c.ID+"  "+c.Describe())
	}
	for _, x := range m.members {
		if x.Active() {
			names = append(names, x.Name)
		}
	}
	change, who := newSelect(ids, nil), newSelect(names, nil)
	preselectMember(who)
	pass := widget.NewPasswordEntry()
	items := []*widget.FormItem{
		widget.NewFormItem(L("成员变更"), change),
		widget.NewFormItem(L("签字人"), who),
		widget.NewFormItem(L("口令"), pass),
	}
	d := dialog.NewForm(L("签署成员变更"), L("签字"), L("取消"), items, func(ok bool) {
		if !ok || change.SelectedIndex() < 0 {
			return
		}
		c, err := m.Approve(m.pending[change.SelectedIndex()].ID, who.Selected, pass.Text)
		if err != nil {
			ShowError(err, m.w)
			return
		}
		if c.State == app.RosterDone {
			ShowInfo(L("签署成员变更"), L("%s 已生效。", c.Describe()), m.w)
		}
	}, m.w)
	d.Resize(fyne.NewSize(560, 300))
	d.Show()
}

// Approve signs roster change id as name.
func (m *membersPane) Approve(id, name, pass string) (app.RosterChange, error) {
	if name == "" {
		return app.RosterChange{}, app.Errorf(app.EINVALID, "请选择签字人", "choose who signs")
	}
	c, err := m.s.Members.ApproveRosterChange(context.Background(), id, name, pass)
	if err == nil && c.State == app.RosterDone {
		err = syncKeySlots() // a removal that took effect: its key slot goes (unlock.go)
	}
	m.reload()
	return c, err
}

func (m *membersPane) askAdd() {
	name := widget.NewEntry()
	var roleOpts []string
	for _, r := range app.Roles {
		roleOpts = append(roleOpts, r.Label())
	}
	role := newSelect(roleOpts, nil)
	p1, p2 := widget.NewPasswordEntry(), widget.NewPasswordEntry()
	items := []*widget.FormItem{
		widget.NewFormItem(L("姓名"), name),
		widget.NewFormItem(L("角色"), role),
		widget.NewFormItem(L("口令"), p1),
		widget.NewFormItem(L("再输一次口令"), p2),
	}
	d := dialog.NewForm(L("添加成员"), L("添加"), L("取消"), items, func(ok bool) {
		if !ok {
			return
		}
		r := app.Role("")
		if i := role.SelectedIndex(); i >= 0 {
			r = app.Roles[i]
		}
		if err := m.Add(name.Text, r, p1.Text, p2.Text); err != nil {
			ShowError(err, m.w)
		}
	}, m.w)
	d.Resize(fyne.NewSize(520, 340))
	d.Show()
}

// Add makes a member with a new key sealed by the passphrase.
func (m *membersPane) Add(name string, role app.Role, pass, again string) error {
	if pass != again {
		return app.Errorf(app.EINVALID, "两次输入的口令不一样", "the two passphrases differ")
	}
	if role == "" {
		return app.Errorf(app.EINVALID, "请选择角色", "choose a role")
	}
	mem, err := app.NewMember(strings.TrimSpace(name), role, pass, rand.Reader)
	if err != nil {
		return err
	}
	c, err := m.s.Members.AddMember(context.Background(), mem, Operator(), "")
	if err != nil {
		return err
	}
	if err := setKeySlot(mem.Name, pass); err != nil { // encrypted books: unlock.go
		m.reload()
		return err
	}
	m.reload()
	if c.ID != "" && m.w != nil {
		ShowInfo(L("成员变更申请"), L("成员名单已封存：%s 需两位委员签字后生效（成员变更申请 %s，用“签署成员变更”签字）", c.Describe(), c.ID), m.w)
	}
	return nil
}

// askPassphrase lets a member reseal their key under a new passphrase.
func (m *membersPane) askPassphrase() {
	var names []string
	for _, x := range m.members {
		names = append(names, x.Name)
	}
	who := newSelect(names, nil)
	preselectMember(who)
	old, p1, p2 := widget.NewPasswordEntry(), widget.NewPasswordEntry(), widget.NewPasswordEntry()
	items := []*widget.FormItem{
		widget.NewFormItem(L("姓名"), who),
		widget.NewFormItem(L("原口令"), old),
		widget.NewFormItem(L("新口令"), p1),
		widget.NewFormItem(L("再输一次口令"), p2),
	}
	d := dialog.NewForm(L("修改口令"), L("修改"), L("取消"), items, func(ok bool) {
		if !ok {
			return
		}
		if err := m.ChangePassphrase(who.Selected, old.Text, p1.Text, p2.Text); err != nil {
			ShowError(err, m.w)
			return
		}
		ShowInfo(L("修改口令"), L("%s 的口令已修改。", who.Selected), m.w)
	}, m.w)
	d.Resize(fyne.NewSize(520, 340))
	d.Show()
}

// ChangePassphrase reseals a member's key; the old passphrase must be right.
func (m *membersPane) ChangePassphrase(name, old, pass, again string) error {
	if name == "" {
		return app.Errorf(app.EINVALID, "请选择成员", "choose the member")
	}
	if pass != again {
		return app.Errorf(app.EINVALID, "两次输入的口令不一样", "the two passphrases differ")
	}
	if err := m.s.Members.ChangePassphrase(context.Background(), name, old, pass); err != nil {
		return err
	}
	return setKeySlot(name, pass) // encrypted books: unlock.go
}
