package ui

import (
	"context"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/shopspring/decimal"

	"sunledger/app"
)

// The signing dialog: the passphrase typed and Enter signs, as the 签字 button would.
func TestDialogKeys_EnterInThePassphraseSigns(t *testing.T) {
	app.DefaultKDF.MemoryKiB = 1024
	_, s := newBook(t, unit("1-1-101", app.KindResidential, "80", "O1", "王伟"))
	ctx := context.Background()
	if _, err := s.Income.RecordIncome(ctx, app.Income{Fund: app.FundPublic, Kind: "parking", Amount: decimal.NewFromInt(10000), Date: "2026-01-05"}, "tester", ""); err != nil {
		t.Fatal(err)
	}
	w := newWindow(t)
	installDialogKeys(w)
	m := newMembersPane(w, s)
	for who, role := range map[string]app.Role{"物业小王": app.RoleClerk, "张主任": app.RoleChair, "李财务": app.RoleTreasurer} {
		if err := m.Add(who, role, "pass-"+who, "pass-"+who); err != nil {
			t.Fatal(err)
		}
	}
	e := newExpensesScreen(w, s)
	w.SetContent(e.content)
	x, err := e.Apply(app.ExpenseRequest{Fund: app.FundPublic, Category: "cleaning", Payee: "保洁公司", Amount: decimal.NewFromInt(100), Description: "一月保洁"}, "物业小王", "pass-物业小王")
	if err != nil {
		t.Fatal(err)
	}
	e.show(x.ID)
	e.askStep(app.StepApprove)
	armDialog(w)
	var who *widget.Select
	eachExported(topDialog(w), func(o fyne.CanvasObject) {
		if s, ok := o.(*widget.Select); ok {
			who = s
		}
	})
	who.SetSelected("张主任")
	pass, ok := w.Canvas().Focused().(*widget.Entry)
	if !ok {
		t.Fatalf("the passphrase does not have the focus: %T", w.Canvas().Focused())
	}
	test.Type(pass, "pass-张主任")
	pass.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	got, _ := s.Expenses.Expense(ctx, x.ID)
	signed := false
	for _, sg := range got.Signatures {
		signed = signed || (sg.Signer == "张主任" && sg.Step == app.StepApprove)
	}
	if !signed {
		t.Fatalf("Enter did not sign: signatures %+v", got.Signatures)
	}
	if topDialog(w) != nil {
		t.Errorf("the dialog stayed open after signing")
	}
}

// Esc presses a dialog's dismissing button, Enter its confirming one; while a dialog is
// open, Alt+1 does not change the page behind it.
func TestDialogKeys_EscDismissesEnterConfirmsAndTheDialogOwnsTheKeyboard(t *testing.T) {
	s := demoBook(t)
	c, _ := s.Book.Community(context.Background())
	w := newWindow(t)
	w.SetContent(Main(w, s, c, "test", "fees"))
	var answer []bool
	confirm := func() {
		dialog.ShowConfirm("?", "?", func(ok bool) { answer = append(answer, ok) }, w)
	}
	confirm()
	test.FocusNext(w.Canvas()) // the focus on the dialog's button: keys still work
	w.Canvas().Unfocus()
	w.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyEscape})
	confirm()
	w.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if len(answer) != 2 || answer[0] || !answer[1] {
		t.Errorf("Esc then Enter answered %v, want [false true]", answer)
	}
	if topDialog(w) != nil {
		t.Fatalf("a dialog is still open")
	}
	page := func() string {
		for _, txt := range visibleTexts(w.Content()) {
			if txt == L("收据预览") {
				return "fees"
			}
		}
		return "other"
	}
	ShowInfo("x", "y", w)
	alt1 := &desktop.CustomShortcut{KeyName: fyne.Key1, Modifier: fyne.KeyModifierAlt}
	w.Canvas().(interface{ TypedShortcut(fyne.Shortcut) }).TypedShortcut(alt1)
	if p := page(); p != "fees" {
		t.Errorf("Alt+1 changed the page behind a dialog")
	}
	w.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if topDialog(w) != nil {
		t.Fatalf("Esc left the information open")
	}
	w.Canvas().(interface{ TypedShortcut(fyne.Shortcut) }).TypedShortcut(alt1)
	if p := page(); p == "fees" {
		t.Errorf("Alt+1 did not change the page once the dialog was closed")
	}
}
