package ui

import (
	"context"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"sunledger/app"
	"sunledger/sheet"
)

// Register is the 登记册 screen: every unit with its kind, area and owner, sortable by
// any column, filtered by a search over unit and owner and by kind, with the totals the
// votes use (units, total area, headcount by the legal rule) and an import action.
func Register(w fyne.Window, s app.Services) fyne.CanvasObject {
	return newRegisterScreen(w, s).content
}

type registerScreen struct {
	w         fyne.Window
	s         app.Services
	community app.Community
	units     []app.Unit
	table     *SortTable
	search    *widget.Entry
	kind      *widget.Select
	kinds     []app.UnitKind // kind codes behind the select's options (index 0: all)
	totals    *widget.Label
	shown     *widget.Label
	content   fyne.CanvasObject
	// changed runs after an import (the 开始使用 checklist).
	changed func()
}

func newRegisterScreen(w fyne.Window, s app.Services) *registerScreen {
	r := &registerScreen{w: w, s: s}
	var err error
	if r.community, err = s.Book.Community(context.Background()); err != nil {
		ShowError(err, w)
	}
	r.table = NewSortTable([]Column{
		{Title: L("房号"), Width: 130, Text: func(i int) string { return r.units[i].ID },
			Less: func(a, b int) bool { return app.UnitLess(r.units[a].ID, r.units[b].ID) }},
		{Title: L("类型"), Width: 90, Text: func(i int) string { return app.KindLabel(r.units[i].Kind) }},
		{Title: L("面积 (m²)"), Width: 110, Numeric: true, Text: func(i int) string { return r.units[i].Area.StringFixed(2) },
			Less: func(a, b int) bool { return r.units[a].Area.LessThan(r.units[b].Area) }},
		{Title: L("业主"), Width: 220, Text: func(i int) string { return r.units[i].OwnerName }},
		{Title: L("业主编号"), Width: 110, Text: func(i int) string { return r.units[i].OwnerID }},
		{Title: L("开发商持有"), Width: 110, Text: func(i int) string {
			if r.units[i].DeveloperHeld {
				return L("是")
			}
			return ""
		}},
	})
	r.table.OnRowSelected = func(i int) { r.showUnit(r.units[i]) }
	r.search = widget.NewEntry()
	r.search.SetPlaceHolder(L("搜索房号或业主…"))
	r.search.OnChanged = func(string) { r.applyFilter() }
	r.kind = newSelect(nil, func(string) { r.applyFilter() })
	r.totals = widget.NewLabel("")
	r.totals.Wrapping = fyne.TextWrapWord
	r.shown = widget.NewLabel("")
	r.table.OnChanged = r.updateShown

	importBtn := widget.NewButtonWithIcon(L("导入登记册…"), theme.FolderOpenIcon(), r.chooseFile)
	importBtn.Importance = widget.HighImportance
	searchBox := container.NewGridWrap(fyne.NewSize(280, r.search.MinSize().Height), r.search)
	bar := container.NewBorder(nil, nil,
		container.NewHBox(searchBox, widget.NewLabel(L("类型")), sized(r.kind, 170)), importBtn, r.shown)
	top := container.NewVBox(Heading(L("登记册")), bar)
	bottom := container.NewVBox(widget.NewSeparator(), r.totals)
	r.content = container.NewBorder(top, bottom, nil, nil, r.table)
	r.reload()
	return r
}

// reload reads the register again (after an import) and keeps search and sort.
func (r *registerScreen) reload() {
	units, err := r.s.Register.Units(context.Background())
	if err != nil {
		ShowError(err, r.w)
	}
	r.units = units
	r.kinds = append([]app.UnitKind{""}, Kinds(units)...)
	opts := []string{L("全部类型")}
	for _, k := range r.kinds[1:] {
		opts = append(opts, app.KindLabel(k))
	}
	sel := r.kind.SelectedIndex()
	r.kind.Options = opts
	if sel < 0 || sel >= len(opts) {
		sel = 0
	}
	r.kind.OnChanged = nil
	r.kind.SetSelectedIndex(sel)
	r.kind.OnChanged = func(string) { r.applyFilter() }
	t := app.RegisterTotals(units, !r.community.ExcludeParking)
	rule := L("车位不计入面积和人数")
	if !r.community.ExcludeParking {
		rule = L("车位计入面积和人数")
	}
	r.totals.SetText(L("共 %d 个房号　总面积 %s m²　人数 %d（一人多套算一人，共有算一人，开发商持有的全部房号合计算一人；%s）",
		t.Units, t.Area.StringFixed(2), t.Headcount, rule))
	r.table.SetData(len(units))
	r.applyFilter()
}

func (r *registerScreen) applyFilter() {
	var kind app.UnitKind
	if i := r.kind.SelectedIndex(); i > 0 && i < len(r.kinds) {
		kind = r.kinds[i]
	}
	search := r.search.Text
	r.table.SetFilter(func(i int) bool {
		u := r.units[i]
		return (kind == "" || u.Kind == kind) && Matches(search, u.ID, u.OwnerName, u.OwnerID)
	})
}

func (r *registerScreen) updateShown() {
	if r.table.Rows() == len(r.units) {
		r.shown.SetText("")
		return
	}
	shown := make([]app.Unit, 0, r.table.Rows())
	for i := 0; i < r.table.Rows(); i++ {
		shown = append(shown, r.units[r.table.DataRow(i)])
	}
	t := app.RegisterTotals(shown, !r.community.ExcludeParking)
	r.shown.SetText(L("显示 %d / %d　面积 %s m²　人数 %d", r.table.Rows(), len(r.units), t.Area.StringFixed(2), t.Headcount))
}

// chooseFile asks for a register file (CSV or XLSX) and imports it.
func (r *registerScreen) chooseFile() {
	ChooseSheet(r.w, r.importFile)
}

// importFile reads and checks the file, then asks before writing: a bad file shows
// the row and the reason and changes nothing.
func (r *registerScreen) importFile(path string) {
	_, done := Busy(L("导入登记册"), L("正在读取 %s …", filepath.Base(path)), r.w)
	var units []app.Unit
	var err error
	Spawn(func() {
		units, err = readRegister(path)
	}, func() {
		done()
		if err != nil {
			ShowError(app.Errorf(app.ErrorCode(err), "登记册没有导入，没有做任何更改：\n%s", "the register was not imported; nothing was changed:\n%s", err.Error()), r.w)
			return
		}
		added, updated := r.countChanges(units)
		msg := L("文件 %s 有 %d 个房号：新增 %d 个，更新 %d 个。导入吗？", filepath.Base(path), len(units), added, updated)
		dialog.ShowConfirm(L("导入登记册"), msg, func(ok bool) {
			if ok {
				r.writeUnits(units, filepath.Base(path), added, updated)
			}
		}, r.w)
	})
}

func (r *registerScreen) countChanges(units []app.Unit) (added, updated int) {
	have := make(map[string]bool, len(r.units))
	for _, u := range r.units {
		have[u.ID] = true
	}
	for _, u := range units {
		if have[u.ID] {
			updated++
		} else {
			added++
		}
	}
	return added, updated
}

func (r *registerScreen) writeUnits(units []app.Unit, name string, added, updated int) {
	_, done := Busy(L("导入登记册"), L("正在写入 %d 个房号…", len(units)), r.w)
	var err error
	Spawn(func() {
		err = r.s.Register.ImportUnits(context.Background(), units, Operator(), "import "+name)
	}, func() {
		done()
		if err != nil {
			ShowError(err, r.w)
			return
		}
		r.reload()
		if r.changed != nil {
			r.changed()
		}
		ShowInfo(L("导入完成"), L("已导入 %d 个房号：新增 %d 个，更新 %d 个。", len(units), added, updated), r.w)
	})
}

// unitText describes a unit: its owner, the owner's other units (one person for the
// headcount), and its fee position.
func (r *registerScreen) unitText(u app.Unit) string {
	var b strings.Builder
	b.WriteString(L("%s　%s m²", app.KindLabel(u.Kind), u.Area.StringFixed(2)) + "\n")
	if u.DeveloperHeld {
		b.WriteString(L("开发商持有（未售或未交付）：开发商持有的全部房号在表决中合计算一人。") + "\n")
	} else {
		b.WriteString(L("业主：%s（编号 %s）", u.OwnerName, u.OwnerID) + "\n")
		var others []string
		for _, x := range r.units {
			if x.OwnerID == u.OwnerID && x.ID != u.ID && !x.DeveloperHeld {
				others = append(others, x.ID)
			}
		}
		if len(others) > 0 {
			b.WriteString(L("该业主的其他房号：%s（表决中同一业主只算一人）", strings.Join(others, "，")) + "\n")
		}
	}
	if r.s.Fees != nil {
		if st, err := r.s.Fees.Statement(context.Background(), u.ID); err != nil {
			b.WriteString(L("读取失败：%s", err.Error()) + "\n")
		} else {
			switch {
			case len(st.Account.Open) > 0:
				b.WriteString(L("欠费 %s（%d 个月，最早 %s）", app.FormatAmount(st.Account.Owed()), len(st.Account.Open), st.Account.Open[0].Period) + "\n")
			case st.Account.Credit.IsPositive():
				b.WriteString(L("没有欠费；预交余额 %s", app.FormatAmount(st.Account.Credit)) + "\n")
			default:
				b.WriteString(L("没有欠费") + "\n")
			}
			if n := len(st.Payments); n > 0 {
				p := st.Payments[n-1]
				b.WriteString(L("最近一次缴费：%s %s，收据 %s", p.Date, app.FormatAmount(p.Amount), p.Receipt) + "\n")
			}
		}
	}
	return b.String()
}

// showUnit shows a unit with a way to change it (an owner sells, a developer delivers).
func (r *registerScreen) showUnit(u app.Unit) {
	msg := widget.NewLabel(r.unitText(u))
	msg.Wrapping = fyne.TextWrapWord
	var d dialog.Dialog
	edit := widget.NewButtonWithIcon(L("修改…"), theme.DocumentCreateIcon(), func() {
		d.Hide()
		r.askEdit(u)
	})
	d = dialog.NewCustom(u.ID, L("好的"), container.NewVBox(container.NewGridWrap(fyne.NewSize(460, msg.MinSize().Height*4), msg), container.NewHBox(edit)), r.w)
	d.Show()
}

// askEdit changes one unit of the register; the reason goes into the audit log.
func (r *registerScreen) askEdit(u app.Unit) {
	var kindOpts []string
	kinds := Kinds(r.units)
	for _, k := range kinds {
		kindOpts = append(kindOpts, app.KindLabel(k))
	}
	kind := newSelect(kindOpts, nil)
	kind.SetSelected(app.KindLabel(u.Kind))
	area, ownerID, ownerName, why := widget.NewEntry(), widget.NewEntry(), widget.NewEntry(), widget.NewEntry()
	area.SetText(u.Area.StringFixed(2))
	ownerID.SetText(u.OwnerID)
	ownerName.SetText(u.OwnerName)
	why.SetPlaceHolder(L("例如：房屋过户，不动产权证号 …"))
	dev := widget.NewCheck(L("开发商持有（未售或未交付）"), nil)
	dev.SetChecked(u.DeveloperHeld)
	items := []*widget.FormItem{
		widget.NewFormItem(L("类型"), kind),
		widget.NewFormItem(L("面积 (m²)"), area),
		widget.NewFormItem(L("业主编号"), ownerID),
		widget.NewFormItem(L("业主姓名"), ownerName),
		widget.NewFormItem("", dev),
		widget.NewFormItem(L("原因"), why),
	}
	d := dialog.NewForm(L("修改房号 %s", u.ID), L("保存"), L("取消"), items, func(ok bool) {
		if !ok {
			return
		}
		nu := u
		if i := kind.SelectedIndex(); i >= 0 {
			nu.Kind = kinds[i]
		}
		nu.OwnerID, nu.OwnerName, nu.DeveloperHeld = strings.TrimSpace(ownerID.Text), strings.TrimSpace(ownerName.Text), dev.Checked
		if err := r.SaveUnit(nu, area.Text, why.Text); err != nil {
			ShowError(err, r.w)
		}
	}, r.w)
	d.Resize(fyne.NewSize(560, 420))
	d.Show()
}

// SaveUnit writes one changed unit; a reason is required, as for every change.
func (r *registerScreen) SaveUnit(u app.Unit, area, why string) error {
	a, err := app.ParseArea(area)
	if err != nil {
		return err
	}
	u.Area = a
	if strings.TrimSpace(why) == "" {
		return app.Errorf(app.EINVALID, "请写明修改原因：它会记入操作日志", "say why: the reason goes into the audit log")
	}
	if err := u.Validate(); err != nil {
		return err
	}
	if err := r.s.Register.ImportUnits(context.Background(), []app.Unit{u}, Operator(), strings.TrimSpace(why)); err != nil {
		return err
	}
	r.reload()
	return nil
}

// readRegister reads and checks a register file without writing anything.
func readRegister(path string) ([]app.Unit, error) {
	rows, err := sheet.Read(path)
	if err != nil {
		return nil, err
	}
	return app.ParseRegisterRows(rows)
}
