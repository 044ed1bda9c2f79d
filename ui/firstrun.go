package ui

import (
	"context"
	"crypto/rand"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"sunledger/app"
	"sunledger/demo"
)

// FirstRun is the welcome screen of a folder that holds no book yet: create an empty
// book, build a demo community to try things out, or start from a register file.
// ready is called (on the UI goroutine) once the folder holds a book.
func FirstRun(w fyne.Window, s app.Services, dir string, ready func()) fyne.CanvasObject {
	f := &firstRun{w: w, s: s, ready: ready}
	return f.content(dir)
}

type firstRun struct {
	w     fyne.Window
	s     app.Services
	ready func()
	name  *widget.Entry

	// Encryption at rest (docs/encryption.md): on by default for a real community, off
	// for the demo; the first key slot's member name and passphrase (typed twice).
	encrypt, encryptDemo *widget.Check
	founder, pass, again *widget.Entry
	role                 *widget.Select
	encrypted            bool // done: a later retry (a refused name, say) does not redo it
}

// EncryptNewBook, set by the program, makes the empty book the window opened an
// encrypted one with founder's key slot (as `init --encrypt`), reopens it and returns
// its services. Nil: the first run does not offer encryption.
var EncryptNewBook func(founder, passphrase string) (app.Services, error)

func (f *firstRun) content(dir string) fyne.CanvasObject {
	f.name = widget.NewEntry()
	f.name.SetPlaceHolder(L("例如：阳光花园小区"))

	create := widget.NewButtonWithIcon(L("新建空账本"), theme.DocumentCreateIcon(), func() { f.create(nil) })
	create.Importance = widget.HighImportance
	fromFile := widget.NewButtonWithIcon(L("新建并导入登记册…"), theme.FolderOpenIcon(), f.chooseRegister)

	size := newSelect([]string{"300", "1200", "3000"}, nil)
	size.SetSelected("1200")
	demo := widget.NewButtonWithIcon(L("生成示例小区"), theme.ViewRefreshIcon(), func() {
		n := 1200
		switch size.Selected {
		case "300":
			n = 300
		case "3000":
			n = 3000
		}
		if f.encryptDemo != nil && f.encryptDemo.Checked {
			if err := f.encryptBook(); err != nil {
				ShowError(err, f.w)
				return
			}
		}
		BuildDemo(f.w, f.s, demo.Options{Units: n, Years: 2, Seed: 1}, f.ready)
	})

	intro := widget.NewLabel(L("这个文件夹里还没有账本：%s", dir))
	intro.Wrapping = fyne.TextWrapWord
	own := container.NewVBox(widget.NewForm(widget.NewFormItem(L("小区名称"), f.name)))
	if EncryptNewBook != nil {
		own.Add(f.encryption())
	}
	own.Add(container.NewHBox(create, fromFile))
	ownBook := widget.NewCard(L("我们小区的账本"), L("填写小区名称，新建空账本，或直接导入房号登记册（CSV 或 XLSX）。"), own)
	tryIt := widget.NewCard(L("先试一试"), L("生成一个虚构的示例小区：登记册、几年的物业费和收支、一次业主大会的选票。"),
		container.NewHBox(widget.NewLabel(L("房号数")), sized(size, 110), demo))
	if EncryptNewBook != nil {
		tryIt.SetContent(container.NewHBox(widget.NewLabel(L("房号数")), sized(size, 110), f.encryptDemo, demo))
	}
	box := container.NewVBox(Heading(L("欢迎使用阳光账本")), intro, ownBook, tryIt)
	return container.NewCenter(container.NewGridWrap(fyne.NewSize(720, box.MinSize().Height+60), box))
}

// encryption asks whether to encrypt the new book and, if so, the first member's name
// and passphrase.
func (f *firstRun) encryption() fyne.CanvasObject {
	f.founder = widget.NewEntry()
	f.founder.SetPlaceHolder(L("例如：张建国"))
	f.pass = widget.NewPasswordEntry()
	f.pass.SetPlaceHolder(L("至少 %d 个字符", app.MinPassphrase))
	f.again = widget.NewPasswordEntry()
	var roles []string
	for _, r := range app.Roles {
		roles = append(roles, r.Label())
	}
	f.role = newSelect(roles, nil)
	f.role.SetSelectedIndex(0)
	form := widget.NewForm(widget.NewFormItem(L("您的姓名"), f.founder), widget.NewFormItem(L("您的角色"), f.role),
		widget.NewFormItem(L("口令"), f.pass), widget.NewFormItem(L("再输一次口令"), f.again))
	f.encrypt = widget.NewCheck(L("加密这个账本（推荐：笔记本丢失时，业主的姓名和证件号不会泄露）"), func(on bool) {
		if on || f.encryptDemo.Checked {
			form.Show()
		} else {
			form.Hide()
		}
	})
	f.encryptDemo = widget.NewCheck(L("加密"), func(on bool) {
		if on || f.encrypt.Checked {
			form.Show()
		} else {
			form.Hide()
		}
	})
	f.encrypt.SetChecked(true)
	note := widget.NewLabel(L("打开账本需要口令。之后加入的每位成员都用自己的口令；忘记所有口令就再也打不开账本，请记牢并定期备份。"))
	note.Wrapping = fyne.TextWrapWord
	note.SizeName = theme.SizeNameCaptionText
	return container.NewVBox(f.encrypt, form, note)
}

// encryptBook makes the still empty book an encrypted one (the first member's key
// slot) and switches to the reopened book.
func (f *firstRun) encryptBook() error {
	if f.encrypted {
		return nil
	}
	founder := strings.TrimSpace(f.founder.Text)
	if err := app.ValidateMemberName(founder); err != nil {
		return err
	}
	if err := app.ValidatePassphrase(f.pass.Text); err != nil {
		return err
	}
	if f.pass.Text != f.again.Text {
		return app.Errorf(app.EINVALID, "两次输入的口令不一致；账本没有创建", "the two passphrases differ; no book was created")
	}
	s, err := EncryptNewBook(founder, f.pass.Text)
	if s.Book != nil {
		f.s = s // the book was closed and reopened, encrypted or (refused) as it was
	}
	if err != nil {
		return err
	}
	f.s, f.encrypted = s, true
	return nil
}

// addFounder puts the member who encrypted the new book on its roster (a founding
// member, with the same passphrase as their key slot) and signs them in, so that the
// desk's lock and 切换成员 ask for a passphrase from the start.
func (f *firstRun) addFounder() error {
	defer func() {
		f.pass.SetText("")
		f.again.SetText("")
	}()
	role := app.Roles[0]
	if i := f.role.SelectedIndex(); i >= 0 {
		role = app.Roles[i]
	}
	name := strings.TrimSpace(f.founder.Text)
	mem, err := app.NewMember(name, role, f.pass.Text, rand.Reader)
	if err != nil {
		return err
	}
	if _, err := f.s.Members.AddMember(context.Background(), mem, name, ""); err != nil {
		return err
	}
	return SignInWith(f.s, name, f.pass.Text)
}

// create makes the book with the typed name, then imports units if any.
func (f *firstRun) create(units []app.Unit) {
	c := app.Community{Name: f.name.Text}
	if err := c.Validate(); err != nil {
		ShowError(err, f.w)
		return
	}
	if f.encrypt != nil && f.encrypt.Checked {
		if err := f.encryptBook(); err != nil {
			ShowError(err, f.w)
			return
		}
	}
	ctx := context.Background()
	if err := f.s.Book.Init(ctx, c, Operator()); err != nil {
		ShowError(err, f.w)
		return
	}
	if f.encrypted {
		if err := f.addFounder(); err != nil {
			ShowError(err, f.w) // the book is made; the member can be added on the 成员 page
		}
	}
	if len(units) > 0 {
		if err := f.s.Register.ImportUnits(ctx, units, Operator(), "first register"); err != nil {
			ShowError(err, f.w)
		}
	}
	firstRunStart.Store("setup") // the desk opens on the 开始使用 checklist
	f.ready()
}

// firstRunStart is the page the desk opens on after the first run created a book of the
// committee's own (the demo opens as usual).
var firstRunStart atomic.Value

// takeFirstRunStart returns that page once ("" otherwise).
func takeFirstRunStart() string {
	p, _ := firstRunStart.Swap("").(string)
	return p
}

// chooseRegister reads a register file first, so a bad file creates nothing.
func (f *firstRun) chooseRegister() {
	if err := (app.Community{Name: f.name.Text}).Validate(); err != nil {
		ShowError(err, f.w)
		return
	}
	ChooseSheet(f.w, f.importRegister)
}

// importRegister reads the register file and creates the book with it; a bad file
// creates nothing.
func (f *firstRun) importRegister(path string) {
	_, done := Busy(L("导入登记册"), L("正在读取 %s …", filepath.Base(path)), f.w)
	var units []app.Unit
	var err error
	Spawn(func() {
		units, err = readRegister(path)
	}, func() {
		done()
		if err != nil {
			ShowError(app.Errorf(app.ErrorCode(err), "登记册没有导入，账本没有创建：\n%s", "the register was not imported and no book was created:\n%s", err.Error()), f.w)
			return
		}
		f.create(units)
	})
}

// BuildDemoBook, set by the program, builds the demo in a new book beside the open,
// empty one and swaps it in whole (storage.BuildBeside), so that a window closed or
// killed half-way leaves no half a demo; build fills it. The book is reopened. Nil (in
// tests): the demo is built into the open book.
var BuildDemoBook func(build func(s app.Services) error) error

// BuildDemo builds the demo community into the empty book with a progress view in
// the window, then calls ready.
func BuildDemo(w fyne.Window, s app.Services, o demo.Options, ready func()) {
	step := widget.NewLabel(L("正在生成示例小区…"))
	bar := widget.NewProgressBarInfinite()
	w.SetContent(container.NewCenter(container.NewGridWrap(fyne.NewSize(520, 140),
		container.NewVBox(Heading(L("正在生成示例小区")), step, bar))))
	o.Progress = func(text string) { fyne.Do(func() { step.SetText(text) }) }
	if Synchronous {
		o.Progress = func(text string) { step.SetText(text) }
	}
	var err error
	Spawn(func() {
		build := func(s app.Services) error {
			_, err := demo.Build(context.Background(), s, o)
			return err
		}
		if BuildDemoBook != nil {
			err = BuildDemoBook(build)
			return
		}
		err = build(s)
	}, func() {
		bar.Stop()
		if err != nil {
			w.SetContent(Message(L("示例小区没有生成"), err.Error(), L("退出"), func() { fyne.CurrentApp().Quit() }))
			return
		}
		ready()
	})
}

// jobs counts running background jobs so the program can wait for them before closing
// the book.
var jobs sync.WaitGroup

// Wait blocks until background jobs (imports, the demo) have finished.
func Wait() { jobs.Wait() }
