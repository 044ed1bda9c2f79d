package ui

import (
	"context"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"sunledger/app"
)

// deliveryPane records the evidence that ballots were delivered (送达), which the
// deemed-vote rule needs: courts uphold "送达即参与" only where delivery is proven.
type deliveryPane struct {
	w       fyne.Window
	s       app.Services
	v       *votesScreen
	units   *widget.Entry
	all     *widget.Check
	date    *widget.Entry
	method  *widget.Entry
	proof   *widget.Entry
	summary *widget.Label
	content fyne.CanvasObject
}

func newDeliveryPane(w fyne.Window, s app.Services, v *votesScreen) *deliveryPane {
	d := &deliveryPane{w: w, s: s, v: v}
	d.units = widget.NewMultiLineEntry()
	d.units.SetPlaceHolder(L("房号，用逗号或换行分开，例如 1-1-101, 1-1-102"))
	d.units.SetMinRowsVisible(3)
	d.all = widget.NewCheck(L("全部参与表决的房号"), func(on bool) {
		if on {
			d.units.Disable()
		} else {
			d.units.Enable()
		}
	})
	d.date = widget.NewEntry()
	d.date.SetText(s.Now().Format(app.DateLayout))
	d.method = widget.NewEntry()
	d.method.SetPlaceHolder(L("例如：上门送达、邮寄、张贴"))
	d.proof = widget.NewEntry()
	d.proof.SetPlaceHolder(L("例如：送达回执第 1–120 号、快递单号"))
	d.summary = widget.NewLabel("")
	d.summary.Wrapping = fyne.TextWrapWord
	save := widget.NewButtonWithIcon(L("记录送达"), theme.ConfirmIcon(), func() {
		if err := d.Record(); err != nil {
			ShowError(err, w)
		}
	})
	save.Importance = widget.HighImportance
	form := widget.NewForm(
		widget.NewFormItem(L("房号"), d.units),
		widget.NewFormItem("", d.all),
		widget.NewFormItem(L("送达日期"), d.date),
		widget.NewFormItem(L("送达方式"), d.method),
		widget.NewFormItem(L("证据"), d.proof),
	)
	note := widget.NewLabel(L("只有议事规则约定了“送达即参与/未投票视为同意多数”时才用得到送达记录；法院只认可有证据的送达。计票结果同时列出含与不含视为表决两种结果。"))
	note.Wrapping = fyne.TextWrapWord
	d.content = container.NewVScroll(container.NewVBox(d.summary, note, form, container.NewHBox(save)))
	d.refresh()
	return d
}

func (d *deliveryPane) refresh() {
	a := d.v.rec.Assembly
	rule := L("本次大会不适用视为表决条款。")
	if a.Deemed {
		rule = L("本次大会适用视为表决条款：%s", a.Rule)
	}
	d.summary.SetText(L("已有 %d 个房号的送达记录（发出 %d 张选票）。", len(d.v.rec.Deliveries), d.v.issued()) + "\n" + rule)
}

// Record adds the delivery records typed in the form.
func (d *deliveryPane) Record() error {
	var units []string
	if d.all.Checked {
		for _, u := range d.v.rec.Register {
			if app.VotingUnit(u, d.v.rec.Assembly.CountParking) {
				units = append(units, u.ID)
			}
		}
	} else {
		for _, f := range strings.FieldsFunc(d.units.Text, func(r rune) bool { return r == ',' || r == '，' || r == '\n' || r == ' ' || r == '、' }) {
			units = append(units, app.NormalizeUnitID(f))
		}
	}
	if len(units) == 0 {
		return app.Errorf(app.EINVALID, "请填写送达的房号，或勾选全部房号", "name the units, or tick every unit")
	}
	var ds []app.Delivery
	for _, u := range units {
		ds = append(ds, app.Delivery{Unit: u, Date: strings.TrimSpace(d.date.Text), Method: strings.TrimSpace(d.method.Text), Evidence: strings.TrimSpace(d.proof.Text)})
	}
	if err := d.s.Votes.RecordDeliveries(context.Background(), d.v.rec.Assembly.ID, ds, Operator()); err != nil {
		return err
	}
	d.v.reload()
	d.units.SetText("")
	d.refresh()
	return nil
}
