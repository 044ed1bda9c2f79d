package ui

import (
	"context"
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

// askApply shows the application form (物业申请) and submits it as a new request.
func (e *expensesScreen) askApply() {
	f := e.newApplyForm()
	d := dialog.NewForm(L("新的支出申请"), L("提交申请"), L("取消"), f.items(e.attachButton(f)), func(ok bool) {
		if !ok {
			return
		}
		r, err := f.request()
		if err == nil {
			_, err = e.Apply(r, f.who.Selected, f.pass.Text)
		}
		if err != nil {
			ShowError(err, e.w)
		}
	}, e.w)
	d.Resize(fyne.NewSize(720, 680))
	d.Show()
}

// applyForm is the fields of the application form (物业申请).
type applyForm struct {
	fund, cat, who       *widget.Select
	payee, amount, desc  *widget.Entry
	vote, building, pass *widget.Entry
	invoice              *widget.Entry // the invoice's number (发票号码)
	words, filesL        *widget.Label
	files                []app.AttachmentFile
}

// newApplyForm makes the application form's fields: fund and category (choosing the
// maintenance fund chooses 维修工程), payee, the amount with its words in capitals, the
// vote it rests on, the building, and the applicant (preselected when they may apply).
func (e *expensesScreen) newApplyForm() *applyForm {
	f := &applyForm{}
	var fundOpts []string
	for _, x := range app.Funds {
		fundOpts = append(fundOpts, x.Label())
	}
	f.fund = newSelect(fundOpts, nil)
	var catOpts []string
	for _, c := range app.ExpenseCategories {
		catOpts = append(catOpts, c.Name)
	}
	f.cat = newSelect(catOpts, nil)
	f.fund.OnChanged = func(string) {
		if f.fund.SelectedIndex() == 2 {
			f.cat.SetSelected("维修工程")
		}
	}
	f.fund.SetSelectedIndex(0)
	f.payee, f.amount, f.desc = widget.NewEntry(), widget.NewEntry(), widget.NewMultiLineEntry()
	f.invoice = widget.NewEntry()
	f.amount.SetPlaceHolder("0.00")
	f.words = widget.NewLabel("")
	f.amount.OnChanged = func(s string) {
		if a, err := app.ParseAmount(s); err == nil && a.IsPositive() {
			f.words.SetText(app.AmountInWords(a))
		} else {
			f.words.SetText("")
		}
	}
	f.vote, f.building = widget.NewEntry(), widget.NewEntry()
	f.vote.SetPlaceHolder(L("维修资金必填，例如 V0001:1"))
	f.filesL = widget.NewLabel(L("（无）"))
	f.who = newSelect(e.signers(app.StepApply), nil)
	preselectMember(f.who)
	f.pass = widget.NewPasswordEntry()
	return f
}

// attachButton is the form's 添加附件… button: it reads the file chosen (up to the
// attachment size limit, which the service checks) into f.files and lists their names.
func (e *expensesScreen) attachButton(f *applyForm) *widget.Button {
	return widget.NewButtonWithIcon(L("添加附件…"), theme.FileIcon(), func() {
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
			f.files = append(f.files, app.AttachmentFile{Name: r.URI().Name(), Data: data})
			var names []string
			for _, x := range f.files {
				names = append(names, x.Name)
			}
			f.filesL.SetText(strings.Join(names, "，"))
		}, e.w)
		od.Resize(fyne.NewSize(900, 600))
		showFileDialog(od, e.w)
	})
}

// items lays the form out, attach beside the list of attachments.
func (f *applyForm) items(attach fyne.CanvasObject) []*widget.FormItem {
	return []*widget.FormItem{
		widget.NewFormItem(L("资金"), f.fund),
		widget.NewFormItem(L("类别"), f.cat),
		widget.NewFormItem(L("收款人"), f.payee),
		widget.NewFormItem(L("金额（元）"), f.amount),
		widget.NewFormItem("", f.words),
		widget.NewFormItem(L("用途说明"), f.desc),
		widget.NewFormItem(L("发票号码"), f.invoice),
		widget.NewFormItem(L("依据表决"), f.vote),
		widget.NewFormItem(L("楼栋"), f.building),
		widget.NewFormItem(L("附件"), container.NewBorder(nil, nil, nil, attach, f.filesL)),
		widget.NewFormItem(L("申请人"), f.who),
		widget.NewFormItem(L("口令"), f.pass),
	}
}

// request reads the form as an expense request; EINVALID for a bad amount or vote
// reference (the service checks the rest).
func (f *applyForm) request() (app.ExpenseRequest, error) {
	r := app.ExpenseRequest{Payee: f.payee.Text, Description: f.desc.Text, Invoice: f.invoice.Text, Building: f.building.Text, Files: f.files}
	if i := f.fund.SelectedIndex(); i >= 0 {
		r.Fund = app.Funds[i]
	}
	if i := f.cat.SelectedIndex(); i >= 0 {
		r.Category = app.ExpenseCategories[i].Code
	}
	a, err := app.ParseAmount(f.amount.Text)
	if err != nil {
		return r, err
	}
	r.Amount = a
	r.Vote, r.Matter, err = parseVoteRef(f.vote.Text)
	return r, err
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
