package ui

import (
	"context"
	"path/filepath"
	"sync"

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
}

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
		BuildDemo(f.w, f.s, demo.Options{Units: n, Years: 2, Seed: 1}, f.ready)
	})

	intro := widget.NewLabel(L("这个文件夹里还没有账本：%s", dir))
	intro.Wrapping = fyne.TextWrapWord
	ownBook := widget.NewCard(L("我们小区的账本"), L("填写小区名称，新建空账本，或直接导入房号登记册（CSV 或 XLSX）。"),
		container.NewVBox(widget.NewForm(widget.NewFormItem(L("小区名称"), f.name)), container.NewHBox(create, fromFile)))
	tryIt := widget.NewCard(L("先试一试"), L("生成一个虚构的示例小区：登记册、几年的物业费和收支、一次业主大会的选票。"),
		container.NewHBox(widget.NewLabel(L("房号数")), sized(size, 110), demo))
	box := container.NewVBox(Heading(L("欢迎使用阳光账本")), intro, ownBook, tryIt)
	return container.NewCenter(container.NewGridWrap(fyne.NewSize(720, box.MinSize().Height+60), box))
}

// create makes the book with the typed name, then imports units if any.
func (f *firstRun) create(units []app.Unit) {
	c := app.Community{Name: f.name.Text}
	if err := c.Validate(); err != nil {
		ShowError(err, f.w)
		return
	}
	ctx := context.Background()
	if err := f.s.Book.Init(ctx, c, Operator()); err != nil {
		ShowError(err, f.w)
		return
	}
	if len(units) > 0 {
		if err := f.s.Register.ImportUnits(ctx, units, Operator(), "first register"); err != nil {
			ShowError(err, f.w)
		}
	}
	f.ready()
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
		_, err = demo.Build(context.Background(), s, o)
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
