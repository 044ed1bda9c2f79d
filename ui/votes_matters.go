package ui

import (
	"context"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"sunledger/app"
)

// matterForm is the list of matters in the 新建业主大会 dialog: per matter its title and
// kind, and what the matters file's item, fund, cap and scope columns give
// (docs/votes.md "What a matter decides"). It only reads what was typed; the vote service
// checks the matters (app.Matter.Validate, CheckItem, the register for scopes).
type matterForm struct {
	rows    []*matterRow
	box     *fyne.Container
	content fyne.CanvasObject
}

// matterRow is one matter's fields.
type matterRow struct {
	title *widget.Entry
	kind  *widget.Select // 一般事项 / 重大事项
	item  *widget.Select // 不指明条款, then art. 278 items 1–9
	fund  *widget.Select // 不动用资金, then app.Funds
	cap   *widget.Entry
	scope *widget.Entry
	line  fyne.CanvasObject
}

func newMatterForm() *matterForm {
	f := &matterForm{box: container.NewVBox()}
	add := widget.NewButtonWithIcon(L("添加事项"), theme.ContentAddIcon(), func() { f.add() })
	f.add()
	// The form scrolls as a whole (askNew): the list grows with its matters.
	f.content = container.NewVBox(f.box, container.NewHBox(add))
	return f
}

func kindOptions() []string { return []string{L("一般事项"), L("重大事项")} }

// itemOptions are "none", then art. 278's items as printed.
func itemOptions() []string {
	out := []string{L("不指明条款")}
	for i := 1; i <= 9; i++ {
		if English() {
			out = append(out, "item "+strconv.Itoa(i)+": "+L(app.MatterItems[i]))
		} else {
			out = append(out, app.ItemNumeral(i)+app.MatterItems[i])
		}
	}
	return out
}

func fundOptions() []string {
	out := []string{L("不动用资金")}
	for _, f := range app.Funds {
		out = append(out, f.Label())
	}
	return out
}

// add appends an empty matter.
func (f *matterForm) add() *matterRow {
	r := &matterRow{title: widget.NewEntry(), cap: widget.NewEntry(), scope: widget.NewEntry()}
	r.title.SetPlaceHolder(L("事项标题，例如：更换1号楼电梯"))
	r.kind = newSelect(kindOptions(), nil)
	r.kind.SetSelectedIndex(0)
	r.item = newSelect(itemOptions(), func(string) {
		// An item sets the kind (Civil Code art. 278): items 6–8 need 3/4.
		if i := r.item.SelectedIndex(); i > 0 {
			if app.ItemKind(i) == app.MatterMajor {
				r.kind.SetSelectedIndex(1)
			} else {
				r.kind.SetSelectedIndex(0)
			}
		}
	})
	r.item.SetSelectedIndex(0)
	r.fund = newSelect(fundOptions(), nil)
	r.fund.SetSelectedIndex(0)
	r.cap.SetPlaceHolder(L("限额（元，可空）"))
	r.scope.SetPlaceHolder(L("范围：楼栋或房号，用；分隔（空 = 全体）"))
	no := widget.NewLabel(L("事项 %d", len(f.rows)+1))
	remove := widget.NewButtonWithIcon("", theme.DeleteIcon(), func() { f.remove(r) })
	r.line = container.NewVBox(
		container.NewBorder(nil, nil, no, container.NewHBox(sized(r.kind, 130), remove), r.title),
		container.NewGridWithColumns(2, r.item, r.fund),
		container.NewGridWithColumns(2, r.cap, r.scope),
		widget.NewSeparator())
	f.rows = append(f.rows, r)
	f.box.Add(r.line)
	return r
}

func (f *matterForm) remove(r *matterRow) {
	for i, x := range f.rows {
		if x == r {
			f.rows = append(f.rows[:i], f.rows[i+1:]...)
			break
		}
	}
	f.box.Remove(r.line)
	// Renumber what is left, as the ballot will.
	for i, x := range f.rows {
		x.line.(*fyne.Container).Objects[0].(*fyne.Container).Objects[1].(*widget.Label).SetText(L("事项 %d", i+1))
	}
}

// matters are the matters typed, numbered in order; a matter with no title is left out.
// A cap or scope that cannot be read is refused with the matter's number.
func (f *matterForm) matters() ([]app.Matter, error) {
	var out []app.Matter
	for _, r := range f.rows {
		title := strings.TrimSpace(r.title.Text)
		if title == "" && strings.TrimSpace(r.cap.Text) == "" && strings.TrimSpace(r.scope.Text) == "" && r.fund.SelectedIndex() <= 0 && r.item.SelectedIndex() <= 0 {
			continue
		}
		m := app.Matter{No: len(out) + 1, Title: title, Kind: app.MatterOrdinary}
		if r.kind.SelectedIndex() == 1 {
			m.Kind = app.MatterMajor
		}
		if i := r.item.SelectedIndex(); i > 0 {
			m.Item = i
		}
		if i := r.fund.SelectedIndex(); i > 0 {
			m.Fund = app.Funds[i-1]
		}
		if c := strings.TrimSpace(r.cap.Text); c != "" {
			cp, err := app.ParseAmount(c)
			if err != nil {
				return nil, app.Errorf(app.EINVALID, "事项 %d 的限额：%s", "matter %d: the cap: %s", m.No, err)
			}
			if !cp.IsPositive() {
				return nil, app.Errorf(app.EINVALID, "事项 %d 的限额 %s 应大于 0（不设限额请留空）", "matter %d: the cap %s must be more than 0 (leave it empty for none)", m.No, c)
			}
			m.Cap = cp
		}
		sc, err := app.ParseScope(r.scope.Text)
		if err != nil {
			return nil, app.Errorf(app.EINVALID, "事项 %d：%s", "matter %d: %s", m.No, err)
		}
		m.Scope = sc
		out = append(out, m)
	}
	return out, nil
}

// capWarnings says, as `vote new` does, for each matter whose cap is above what its
// fund holds now, by how much: the money must be there before it is paid.
func capWarnings(s app.Services, a app.Assembly) string {
	var warn []string
	var bals []app.AccountBalance
	for _, m := range a.Matters {
		if m.Cap.IsZero() {
			continue
		}
		if bals == nil {
			var err error
			if bals, err = s.Ledger.Balances(context.Background()); err != nil {
				return ""
			}
		}
		if held := app.FundHeld(m.Fund, bals); m.Cap.GreaterThan(held) {
			warn = append(warn, L("事项 %d 的限额 %s 超过%s现有余额 %s，超出 %s；支付前须先筹足资金。",
				m.No, app.FormatAmount(m.Cap), m.Fund.Label(), app.FormatAmount(held), app.FormatAmount(m.Cap.Sub(held))))
		}
	}
	return strings.Join(warn, "\n")
}
