package ui

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"sunledger/app"
	"sunledger/snapshot"
)

// Setup is the 开始使用 page: the first-run checklist of a new book, in the order the
// jobs depend on each other (docs/window.md "Getting started"): the register, the
// prices, the first bill, the members, the committee's snapshot key, the notice
// settings and the backup folder. Each step says whether it is done and opens the
// form that does it, with the same services as the command line.
func Setup(w fyne.Window, s app.Services) fyne.CanvasObject {
	return newSetupScreen(w, s).content
}

// setupStep is one line of the checklist.
type setupStep struct {
	title  string
	done   func() (bool, string) // done, and what is there (or what is missing)
	action string
	run    func()
}

type setupScreen struct {
	w       fyne.Window
	s       app.Services
	steps   []setupStep
	rows    *fyne.Container
	summary *widget.Label
	content fyne.CanvasObject
}

func newSetupScreen(w fyne.Window, s app.Services) *setupScreen {
	v := &setupScreen{w: w, s: s, rows: container.NewVBox(), summary: widget.NewLabel("")}
	v.summary.Wrapping = fyne.TextWrapWord
	v.steps = []setupStep{
		{L("登记册"), v.registerDone, L("导入登记册…"), v.askRegister},
		{L("物业费单价"), v.pricesDone, L("设定单价…"), v.askPrice},
		{L("第一次开账单"), v.billDone, L("开账单…"), v.askBill},
		{L("成员名单"), v.membersDone, L("添加成员…"), v.askMember},
		{L("快照签名密钥"), v.keyDone, L("新建签名密钥…"), func() { AskNewSnapshotKey(v.w, v.refresh) }},
		{L("公示与缴费设置"), v.noticesDone, L("填写设置…"), func() { AskNoticeSettings(v.w, v.s, v.refresh) }},
		{L("备份文件夹"), v.backupDone, L("选择备份文件夹…"), v.askBackupFolder},
	}
	intro := widget.NewLabel(L("新账本按这几步准备好就能日常使用。每一步都可以以后再改；已完成的步骤打勾。"))
	intro.Wrapping = fyne.TextWrapWord
	v.content = container.NewBorder(container.NewVBox(Heading(L("开始使用")), intro, v.summary), nil, nil, nil, container.NewVScroll(v.rows))
	v.refresh()
	return v
}

// Done counts the steps done.
func (v *setupScreen) Done() (done, total int) {
	for _, st := range v.steps {
		if ok, _ := st.done(); ok {
			done++
		}
	}
	return done, len(v.steps)
}

func (v *setupScreen) refresh() {
	v.rows.RemoveAll()
	done := 0
	for i, st := range v.steps {
		ok, what := st.done()
		icon := widget.NewIcon(theme.RadioButtonIcon())
		if ok {
			icon.SetResource(theme.ConfirmIcon())
			done++
		}
		title := widget.NewLabelWithStyle(L("第 %d 步　%s", i+1, st.title), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		detail := widget.NewLabel(what)
		detail.Wrapping = fyne.TextWrapWord
		btn := widget.NewButton(st.action, st.run)
		if !ok {
			btn.Importance = widget.HighImportance
		}
		v.rows.Add(container.NewBorder(nil, nil, icon, container.NewCenter(btn), container.NewVBox(title, detail)))
		v.rows.Add(widget.NewSeparator())
	}
	if done == len(v.steps) {
		v.summary.SetText(L("全部 %d 步已完成。", len(v.steps)))
	} else {
		v.summary.SetText(L("已完成 %d 步，还有 %d 步。", done, len(v.steps)-done))
	}
}

func (v *setupScreen) registerDone() (bool, string) {
	us, err := v.s.Register.Units(context.Background())
	if err != nil {
		return false, err.Error()
	}
	if len(us) == 0 {
		return false, L("还没有房号：导入房号登记册（CSV 或 XLSX：房号、类型、面积、业主）。")
	}
	return true, L("登记册有 %d 个房号。", len(us))
}

func (v *setupScreen) askRegister() {
	r := newRegisterScreen(v.w, v.s)
	r.changed = v.refresh
	r.chooseFile()
}

func (v *setupScreen) pricesDone() (bool, string) {
	ps, err := v.s.Prices.Prices(context.Background())
	if err != nil {
		return false, err.Error()
	}
	if len(ps) == 0 {
		return false, L("还没有单价：物业费 = 面积 × 单价（元/m²·月），每类房号一个单价。")
	}
	var parts []string
	for _, p := range ps {
		parts = append(parts, L("%s %s 元/m²·月（%s 起）", app.KindLabel(p.Kind), p.Price.String(), p.From))
	}
	return true, strings.Join(parts, "；")
}

func (v *setupScreen) askPrice() {
	units, err := v.s.Register.Units(context.Background())
	if err != nil {
		ShowError(err, v.w)
		return
	}
	kinds := Kinds(units)
	if len(kinds) == 0 {
		ShowError(app.Errorf(app.EINVALID, "请先导入登记册：单价按房号类型设定", "import the register first: prices are set per unit kind"), v.w)
		return
	}
	var labels []string
	for _, k := range kinds {
		labels = append(labels, app.KindLabel(k))
	}
	kind := newSelect(labels, nil)
	kind.SetSelectedIndex(0)
	price, from := widget.NewEntry(), widget.NewEntry()
	price.SetPlaceHolder("1.80")
	from.SetText(v.s.Now().Format("2006-01"))
	items := []*widget.FormItem{
		widget.NewFormItem(L("类型"), kind),
		widget.NewFormItem(L("单价（元/m²·月）"), price),
		widget.NewFormItem(L("起始月份"), from),
	}
	d := dialog.NewForm(L("设定单价"), L("保存"), L("取消"), items, func(ok bool) {
		if !ok {
			return
		}
		if err := v.SetPrice(kinds[max(kind.SelectedIndex(), 0)], price.Text, from.Text); err != nil {
			ShowError(err, v.w)
		}
	}, v.w)
	d.Resize(fyne.NewSize(480, 260))
	d.Show()
	v.w.Canvas().Focus(price)
}

// SetPrice records a kind's price from a month on, as `fees price` does.
func (v *setupScreen) SetPrice(kind app.UnitKind, price, from string) error {
	pr, err := app.ParseRate(price)
	if err != nil {
		return err
	}
	if err := v.s.Prices.SetPrice(context.Background(), app.FeePrice{Kind: kind, Price: pr, From: strings.TrimSpace(from)}, Operator(), ""); err != nil {
		return err
	}
	v.refresh()
	return nil
}

func (v *setupScreen) billDone() (bool, string) {
	runs, err := v.s.Fees.BillingRuns(context.Background())
	if err != nil {
		return false, err.Error()
	}
	if len(runs) == 0 {
		return false, L("还没有开过账单：开出第一个月的物业费账单后，收费和欠费页才有数据。")
	}
	last := runs[0].Period
	for _, r := range runs {
		if r.Period > last {
			last = r.Period
		}
	}
	return true, L("已开账单到 %s。", last)
}

func (v *setupScreen) askBill() {
	month := widget.NewEntry()
	month.SetText(v.s.Now().Format("2006-01"))
	d := dialog.NewForm(L("开账单"), L("开账单"), L("取消"), []*widget.FormItem{widget.NewFormItem(L("月份（YYYY-MM）"), month)}, func(ok bool) {
		if !ok {
			return
		}
		runs, err := v.Bill(month.Text)
		if err != nil {
			var np *app.NoPriceError
			if errors.As(err, &np) {
				ShowInfo(L("还没有单价"), L("%s 还没有%s的物业费单价，所以没有开出任何账单。请先在上一步“物业费单价”里设定%s从 %s 起的单价，再开账单。",
					np.Month, app.KindLabel(np.Kind), app.KindLabel(np.Kind), np.Month), v.w)
				return
			}
			ShowError(err, v.w)
			return
		}
		ShowInfo(L("开账单"), billedMessage(runs), v.w)
	}, v.w)
	d.Resize(fyne.NewSize(420, 200))
	d.Show()
}

// Bill bills one month for every unit, as `fees bill --period` does.
func (v *setupScreen) Bill(month string) ([]app.BillingRun, error) {
	m := strings.TrimSpace(month)
	runs, err := v.s.Fees.Bill(context.Background(), m, m, Operator(), "")
	v.refresh()
	return runs, err
}

func (v *setupScreen) membersDone() (bool, string) {
	ms, err := v.s.Members.Members(context.Background())
	if err != nil {
		return false, err.Error()
	}
	var names []string
	for _, m := range ms {
		if m.Active() {
			names = append(names, m.Name+"（"+m.Role.Label()+"）")
		}
	}
	if len(names) < 2 {
		return false, L("支出须两位委员联签：至少添加两位成员（每人自己的口令）。现有：%s", nameList(names))
	}
	return true, strings.Join(names, L("、"))
}

func (v *setupScreen) askMember() {
	m := newMembersPane(v.w, v.s)
	m.added = v.refresh
	m.askAdd()
}

func (v *setupScreen) keyDone() (bool, string) {
	k := pref(SnapshotKeyPreference)
	if k == "" {
		return false, L("还没有业委会的签名密钥：快照和发布用它签名，业主用公钥核验。")
	}
	if _, err := os.Stat(k); err != nil {
		return false, L("签名私钥文件找不到了：%s", k)
	}
	return true, L("私钥 %s（公钥 %s）", k, strings.TrimSuffix(k, ".key")+".pub")
}

func (v *setupScreen) noticesDone() (bool, string) {
	c, err := v.s.Book.Community(context.Background())
	if err != nil {
		return false, err.Error()
	}
	n := c.Notices
	var missing []string
	if strings.TrimSpace(n.OfficePhone) == "" {
		missing = append(missing, L("物业服务中心电话"))
	}
	if strings.TrimSpace(n.PayAccount) == "" {
		missing = append(missing, L("共管账户"))
	}
	if strings.TrimSpace(n.PayChannels) == "" {
		missing = append(missing, L("缴费方式"))
	}
	if len(missing) > 0 {
		return false, L("公示和缴费通知单要印上这些，还没有填：%s。", strings.Join(missing, L("、")))
	}
	return true, L("电话 %s；公示期 %d 天；每月 %d 日前缴费。", n.OfficePhone, n.Days(), dueDay(n))
}

func dueDay(n app.NoticeSettings) int {
	if n.DueDay <= 0 {
		return app.DefaultDueDay
	}
	return n.DueDay
}

func (v *setupScreen) backupDone() (bool, string) {
	f := backupFolder()
	if f == "" {
		return false, L("还没有选择备份文件夹（例如 U 盘上的文件夹）：没有它就没有自动备份。")
	}
	return true, L("自动备份到 %s。", f)
}

func (v *setupScreen) askBackupFolder() {
	showFileDialog(dialog.NewFolderOpen(func(u fyne.ListableURI, err error) {
		if err != nil || u == nil {
			return
		}
		if err := SetBackupFolder(u.Path()); err != nil {
			ShowError(err, v.w)
			return
		}
		v.refresh()
	}, v.w), v.w)
}

// SetBackupFolder chooses the folder of the automatic backups (the preference the
// 备份与锁定 dialog sets); it must be a folder that exists.
func SetBackupFolder(folder string) error {
	folder = strings.TrimSpace(folder)
	if st, err := os.Stat(folder); err != nil || !st.IsDir() {
		return app.Errorf(app.EINVALID, "%s 不是一个存在的文件夹：备份文件夹没有改变", "%s is not an existing folder: the backup folder was not changed", folder)
	}
	setPref(BackupFolderPreference, folder)
	return nil
}

// AskNoticeSettings is the form of what notices and fee notices print: the property
// service office's phone, how and where to pay, the 公示期, the due day and where to
// object (as `sunledger-cli settings`); done runs after a save.
func AskNoticeSettings(w fyne.Window, s app.Services, done func()) {
	c, err := s.Book.Community(context.Background())
	if err != nil {
		ShowError(err, w)
		return
	}
	n := c.Notices
	phone, account, channels, days, due, objection := widget.NewEntry(), widget.NewEntry(), widget.NewEntry(), widget.NewEntry(), widget.NewEntry(), widget.NewEntry()
	phone.SetText(n.OfficePhone)
	phone.SetPlaceHolder(L("例如 0519-8888 6666"))
	account.SetText(n.PayAccount)
	account.SetPlaceHolder(L("户名、开户行、账号"))
	channels.SetText(n.PayChannels)
	channels.SetPlaceHolder(L("例如 物业服务中心现金或刷卡；银行转账到共管账户"))
	days.SetText(strconv.Itoa(n.Days()))
	due.SetText(strconv.Itoa(dueDay(n)))
	objection.SetText(n.Objection)
	objection.SetPlaceHolder(L("留空：向业主委员会书面提出"))
	address, inspection := widget.NewEntry(), widget.NewEntry()
	address.SetText(n.OfficeAddress)
	address.SetPlaceHolder(L("例如 1 号楼一楼物业服务中心"))
	inspection.SetText(n.Inspection)
	inspection.SetPlaceHolder(L("例如 每月第一个星期六 9:00–11:30，物业服务中心"))
	items := []*widget.FormItem{
		widget.NewFormItem(L("物业服务中心电话"), phone),
		widget.NewFormItem(L("物业服务中心地址"), address),
		widget.NewFormItem(L("凭证查阅时间地点"), inspection),
		widget.NewFormItem(L("共管账户"), account),
		widget.NewFormItem(L("缴费方式"), channels),
		widget.NewFormItem(L("公示期（天）"), days),
		widget.NewFormItem(L("每月缴费截止日"), due),
		widget.NewFormItem(L("异议方式"), objection),
	}
	d := dialog.NewForm(L("公示与缴费设置"), L("保存"), L("取消"), items, func(ok bool) {
		if !ok {
			return
		}
		err := SaveNoticeSettings(s, NoticeForm{Phone: phone.Text, Account: account.Text, Channels: channels.Text, Days: days.Text, DueDay: due.Text, Objection: objection.Text,
			Address: address.Text, Inspection: inspection.Text})
		if err != nil {
			ShowError(err, w)
			return
		}
		if done != nil {
			done()
		}
	}, w)
	d.Resize(fyne.NewSize(640, 500))
	d.Show()
}

// NoticeForm is what the notice settings form holds, as typed.
type NoticeForm struct {
	Phone, Account, Channels, Days, DueDay, Objection string
	// Address is the office's address (printed beside its phone), Inspection when and
	// where owners may inspect the vouchers (the quarterly disclosure's 凭证查阅).
	Address, Inspection string
}

// SaveNoticeSettings checks and records the notice settings (audited, as `settings`);
// a bad number changes nothing.
func SaveNoticeSettings(s app.Services, f NoticeForm) error {
	ctx := context.Background()
	c, err := s.Book.Community(ctx)
	if err != nil {
		return err
	}
	days, err := strconv.Atoi(strings.TrimSpace(f.Days))
	if err != nil || days < 1 || days > 90 {
		return app.Errorf(app.EINVALID, "公示期应为 1 到 90 天：设置没有改变", "the notice period must be 1 to 90 days: nothing was changed")
	}
	due, err := strconv.Atoi(strings.TrimSpace(f.DueDay))
	if err != nil || due < 1 || due > 31 {
		return app.Errorf(app.EINVALID, "缴费截止日应为每月 1 到 31 日：设置没有改变", "the due day must be 1 to 31: nothing was changed")
	}
	n := c.Notices
	n.OfficePhone, n.PayAccount, n.PayChannels = strings.TrimSpace(f.Phone), strings.TrimSpace(f.Account), strings.TrimSpace(f.Channels)
	n.NoticeDays, n.DueDay, n.Objection = days, due, strings.TrimSpace(f.Objection)
	n.OfficeAddress, n.Inspection = strings.TrimSpace(f.Address), strings.TrimSpace(f.Inspection)
	c.Notices = n
	return s.Book.UpdateCommunity(ctx, c, Operator(), "window: notice settings")
}

// AskNewSnapshotKey makes the committee's signing key pair (as `keys new`): a folder
// (e.g. a USB stick kept by the chair), a name and a passphrase typed twice; the secret
// key becomes the 快照 page's key. done runs after it is made.
func AskNewSnapshotKey(w fyne.Window, done func()) {
	folder := widget.NewEntry()
	home, _ := os.UserHomeDir()
	folder.SetText(filepath.Join(home, "sunledger-keys"))
	pick := widget.NewButtonWithIcon(L("选择…"), theme.FolderOpenIcon(), func() {
		showFileDialog(dialog.NewFolderOpen(func(u fyne.ListableURI, err error) {
			if err == nil && u != nil {
				folder.SetText(u.Path())
			}
		}, w), w)
	})
	name := widget.NewEntry()
	name.SetText("committee")
	pass, again := widget.NewPasswordEntry(), widget.NewPasswordEntry()
	pass.SetPlaceHolder(L("至少 %d 个字符", app.MinPassphrase))
	note := widget.NewLabel(L("私钥用口令加密，签名快照时每次询问口令，程序不保存。请把私钥和口令分开保管，公钥文件发给业主和社区用来核验。"))
	note.Wrapping = fyne.TextWrapWord
	items := []*widget.FormItem{
		widget.NewFormItem(L("保存到文件夹"), container.NewBorder(nil, nil, nil, pick, folder)),
		widget.NewFormItem(L("文件名"), name),
		widget.NewFormItem(L("口令"), pass),
		widget.NewFormItem(L("再输一次口令"), again),
		widget.NewFormItem("", note),
	}
	d := dialog.NewForm(L("新建签名密钥"), L("生成"), L("取消"), items, func(ok bool) {
		if !ok {
			return
		}
		p, a := pass.Text, again.Text
		pass.SetText("")
		again.SetText("")
		_, wait := Busy(L("新建签名密钥"), L("正在生成并加密私钥（需要几秒钟）…"), w)
		var keyPath, id string
		var err error
		Spawn(func() { keyPath, id, err = NewSnapshotKey(folder.Text, name.Text, p, a) }, func() {
			wait()
			if err != nil {
				ShowError(err, w)
				return
			}
			ShowInfo(L("签名密钥已生成"), L("密钥 ID %s\n私钥（口令加密，请妥善保管）：%s\n公钥（发给业主核验）：%s", id, keyPath, strings.TrimSuffix(keyPath, ".key")+".pub"), w)
			if done != nil {
				done()
			}
		})
	}, w)
	d.Resize(fyne.NewSize(640, 380))
	d.Show()
}

// NewSnapshotKey writes FOLDER/NAME.key and .pub (snapshot.NewKeyFiles) and makes the
// key the snapshot page's; it returns the secret key's path and the key's id.
func NewSnapshotKey(folder, name, pass, again string) (keyPath, id string, err error) {
	folder, name = strings.TrimSpace(folder), strings.TrimSpace(name)
	if name == "" || strings.ContainsAny(name, `/\`) {
		return "", "", app.Errorf(app.EINVALID, "请填写文件名（不含路径）：没有生成密钥", "give a file name (without a folder): no key was made")
	}
	if pass != again {
		return "", "", app.Errorf(app.EINVALID, "两次输入的口令不一致：没有生成密钥", "the two passphrases differ: no key was made")
	}
	if err := os.MkdirAll(folder, 0o700); err != nil {
		return "", "", app.Errorf(app.EINVALID, "无法创建文件夹 %s：%v", "cannot create the folder %s: %v", folder, err)
	}
	prefix := filepath.Join(folder, name)
	if id, err = snapshot.NewKeyFiles(prefix, pass); err != nil {
		return "", "", err
	}
	setPref(SnapshotKeyPreference, prefix+".key")
	return prefix + ".key", id, nil
}
