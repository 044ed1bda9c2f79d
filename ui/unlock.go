package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"sunledger/app"
)

// Opening an encrypted book (docs/encryption.md). Before the store is opened the
// window asks who you are — from the names of the book's key slots, which are readable
// without the key — and your passphrase; open unwraps that member's slot and opens the
// store with it. A wrong passphrase says why and each further try waits longer
// (app.PassphraseDelay); a damaged or missing key slot file is shown with its way out. Once
// the book is open the desk's own sign-in and idle lock work as for a plain book: a
// locked desk asks the passphrase again without reopening the store.

// UnlockBook is the whole-window screen that opens an encrypted book. names are the
// members with a key slot; open(name, passphrase) unlocks and opens the book — about
// half a second of key derivation, so it runs off the Fyne thread and must not touch
// the window — and is called again after a refusal; opened then runs on the Fyne
// thread (the caller goes on to the desk from there).
func UnlockBook(w fyne.Window, dir string, names []string, open func(name, passphrase string) error, opened func(name, passphrase string)) fyne.CanvasObject {
	who, pass, msg := passphraseFields(names)
	var ok *widget.Button
	var unlocked func(name, typed string, err error)
	try := func() {
		name := who.Selected
		if name == "" {
			msg.SetText(L("请选择您的姓名。"))
			return
		}
		if pass.Text == "" {
			msg.SetText(L("请输入您的口令。"))
			return
		}
		ok.Disable()
		typed := pass.Text
		pass.SetText("")
		msg.SetText(L("正在打开账本…"))
		var err error
		Spawn(func() { err = open(name, typed) }, func() { unlocked(name, typed, err) })
	}
	unlocked = func(name, typed string, err error) {
		if err == nil {
			msg.SetText("")
			session.Lock()
			session.failures = 0
			session.Unlock()
			ok.Enable()
			opened(name, typed)
			return
		}
		refuse(msg, ok, err) // a damaged key slot file names its way out at once
	}
	ok = widget.NewButtonWithIcon(L("打开账本"), theme.LoginIcon(), try)
	ok.Importance = widget.HighImportance
	pass.OnSubmitted = func(string) {
		if !ok.Disabled() {
			try()
		}
	}
	intro := widget.NewLabel(L("这个账本是加密的。请选择您的姓名并输入您的口令：只有业委会成员的口令能打开它。"))
	intro.Wrapping = fyne.TextWrapWord
	folder := widget.NewLabel(L("数据文件夹：%s", dir))
	folder.Wrapping = fyne.TextWrapWord
	folder.SizeName = theme.SizeNameCaptionText
	form := widget.NewForm(widget.NewFormItem(L("成员"), who), widget.NewFormItem(L("口令"), pass))
	box := container.NewVBox(
		container.NewHBox(widget.NewIcon(AppIcon), Heading(L("打开加密账本"))),
		intro, form, container.NewHBox(layout.NewSpacer(), ok), msg, folder)
	return container.NewCenter(container.NewGridWrap(fyne.NewSize(560, 400), box))
}

// SetKeySlot and SyncKeySlots are set by the program to keep an encrypted book's key
// slots in step with the roster: a member added, or whose passphrase changed, gets
// their slot (re)wrapped with that passphrase; a member whose removal took effect loses
// theirs. Both do nothing for a plain book or when unset (tests).
var (
	SetKeySlot   func(name, passphrase string) error
	SyncKeySlots func() error
)

func setKeySlot(name, pass string) error {
	if SetKeySlot == nil {
		return nil
	}
	if err := SetKeySlot(name, pass); err != nil {
		return app.Errorf(app.ErrorCode(err), "%s 已记入成员名单，但其密钥槽没有写入（%s）：请让 %s 再修改一次口令", "%s was recorded on the roster but their key slot was not written (%s): have %s change their passphrase once more", name, err.Error(), name)
	}
	return nil
}

// KeepSignIn makes the next Desk start signed in as the member signed in now: the
// program closed and reopened the book (under a new data key) with the same person at
// the desk.
func KeepSignIn() {
	if m := SignedIn(); m != "" {
		preset = m
	}
}

func syncKeySlots() error {
	if SyncKeySlots == nil {
		return nil
	}
	return SyncKeySlots()
}
