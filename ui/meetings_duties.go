package ui

import (
	"context"
	"os"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"sunledger/app"
	"sunledger/reports"
)

// dutiesTab shows one version of the three parties' duty list, prints it, and records
// a new version from a file.
func (v *meetingsScreen) dutiesTab() fyne.CanvasObject {
	v.version = newSelect(nil, func(string) { v.showDuties() })
	v.duties = widget.NewLabel("")
	v.duties.Wrapping = fyne.TextWrapWord
	dutyPDF := widget.NewButtonWithIcon(L("打印此版 PDF"), theme.DocumentSaveIcon(), v.saveDutiesPDF)
	setDuties := widget.NewButtonWithIcon(L("登记新版本…"), theme.FolderOpenIcon(), v.askDutyFile)
	return container.NewBorder(container.NewHBox(widget.NewLabel(L("版本")), sized(v.version, 220), dutyPDF, setDuties), nil, nil, nil,
		container.NewVScroll(v.duties))
}

func (v *meetingsScreen) reloadDuties() {
	ls, err := v.s.Meetings.DutyLists(context.Background())
	if err != nil {
		ShowError(err, v.w)
	}
	v.versions = ls
	var opts []string
	for _, l := range ls {
		opts = append(opts, L("第 %d 版（%s）", l.Version, l.Date))
	}
	v.version.Options = opts
	if len(opts) > 0 {
		v.version.SetSelectedIndex(len(opts) - 1)
	} else {
		v.version.ClearSelected()
		v.duties.SetText(L("还没有登记权责清单。用“登记新版本…”读入一个 CSV 或文本文件（格式见 docs/meetings.md）。"))
	}
}

func (v *meetingsScreen) showDuties() {
	i := v.version.SelectedIndex()
	if i < 0 || i >= len(v.versions) {
		return
	}
	l := v.versions[i]
	var b strings.Builder
	b.WriteString(L("第 %d 版，%s 起施行；%s 登记：%s", l.Version, l.Date, l.Who, l.Why) + "\n")
	by := l.ByParty()
	for _, p := range app.Parties {
		b.WriteString("\n" + app.PartyLabel(p) + "\n")
		for j, x := range by[p] {
			b.WriteString("  " + strconv.Itoa(j+1) + ". " + x + "\n")
		}
	}
	v.duties.SetText(strings.TrimRight(b.String(), "\n"))
}

func (v *meetingsScreen) saveDutiesPDF() {
	i := v.version.SelectedIndex()
	if i < 0 || i >= len(v.versions) {
		ShowError(app.Errorf(app.ENOTFOUND, "还没有登记权责清单", "no duty list has been recorded yet"), v.w)
		return
	}
	l := v.versions[i]
	PrintDocument(v.w, v.s, "duties", reports.Args{Version: l.Version}, L("三方权责清单-第%d版.pdf", l.Version))
}

// askDutyFile asks why the list changes and then for the file of the new version.
func (v *meetingsScreen) askDutyFile() {
	why := widget.NewEntry()
	why.SetPlaceHolder(L("例如：联席会议议定增加社区职责"))
	dialog.ShowForm(L("登记新版本"), L("选择文件"), L("取消"), []*widget.FormItem{widget.NewFormItem(L("说明"), why)}, func(ok bool) {
		if !ok {
			return
		}
		d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
			if err != nil || r == nil {
				ShowError(err, v.w)
				return
			}
			path := r.URI().Path()
			r.Close()
			v.setDuties(path, strings.TrimSpace(why.Text))
		}, v.w)
		d.Resize(fyne.NewSize(900, 600))
		showFileDialog(d, v.w)
	}, v.w)
}

// setDuties records the file at path as the duty list's next version.
func (v *meetingsScreen) setDuties(path, why string) {
	data, err := os.ReadFile(path)
	if err != nil {
		ShowError(app.Errorf(app.EINVALID, "无法读取文件 %s：%v；没有做任何更改", "cannot read %s: %v; nothing was changed", path, err), v.w)
		return
	}
	items, err := app.ParseDutyList(data)
	if err != nil {
		ShowError(err, v.w)
		return
	}
	l, err := v.s.Meetings.SetDutyList(context.Background(), app.DutyList{Date: v.s.Now().Format(app.MeetingDateLayout), Items: items}, Operator(), why)
	if err != nil {
		ShowError(err, v.w)
		return
	}
	v.reloadDuties()
	ShowInfo(L("权责清单"), L("已登记第 %d 版，共 %d 条", l.Version, len(l.Items)), v.w)
}
