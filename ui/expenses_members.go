package ui

import (
	"context"
	"crypto/rand"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"sunledger/app"
)

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
	// added runs after a member was added (the 开始使用 checklist).
	added func()
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
		m.pendingBox.SetText(L("成员名单已于 %s 封存：添加、移除成员或变更角色需两位委员签字。", seal.At.Local().Format(app.DateLayout)))
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
	if m.added != nil {
		m.added()
	}
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

// Members is the 成员名单 page: the committee members, the community reviewer and the
// property company's clerk, each with their own passphrase and signing key; adding one,
// changing a passphrase, signing roster changes (the same pane as 支出审批 › 签字成员).
func Members(w fyne.Window, s app.Services) fyne.CanvasObject {
	m := newMembersPane(w, s)
	return container.NewBorder(Heading(L("成员名单")), nil, nil, nil, m.content)
}
