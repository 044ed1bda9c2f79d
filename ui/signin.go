package ui

import (
	"context"
	"fmt"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"sunledger/app"
)

// Who is at the desk (登录). Once the book is open the window asks which member is
// sitting at it and checks their passphrase against their sealed signing key
// (MemberService.VerifyPassphrase). Every change the window records then carries that
// member's name (Operator), as the CLI's --as does, and the forms that sign preselect
// them. A wrong passphrase is refused with the reason, recorded in the audit log as a
// refused sign-in, and each further try waits twice as long (1 s, 2 s, 4 s … up to a
// minute: app.PassphraseDelay, the CLI's rule too). A book with no members yet opens without asking and says so in the sidebar.
// The window locks itself after IdlePreference minutes without use (default 15):
// the sign-in comes back over the same page, which stays as it was.

// IdlePreference is the idle time in minutes after which the window locks; 0 = never.
const IdlePreference = "desk.idle.minutes"

// DefaultIdleMinutes is the idle time when the committee chose none.
const DefaultIdleMinutes = 15

var session struct {
	sync.Mutex
	member   string // the signed-in member; "" before sign-in or when the book has none
	open     bool   // the book has no members: nobody is asked
	last     time.Time
	failures int
	lock     func() // locks the window (set by Desk)
	changed  []func()
}

// SignedIn is the member at the desk, "" if nobody signed in.
func SignedIn() string {
	session.Lock()
	defer session.Unlock()
	return session.member
}

func setSignedIn(name string) {
	session.Lock()
	session.member = name
	session.failures = 0
	session.last = time.Now() // wall time on purpose: the idle lock counts real minutes
	fns := append([]func(){}, session.changed...)
	session.Unlock()
	for _, f := range fns {
		f()
	}
}

// touch records that somebody used the window (the idle lock counts from here).
func touch() {
	session.Lock()
	session.last = time.Now() // wall time on purpose: the idle lock counts real minutes
	session.Unlock()
}

func idleMinutes() int {
	if a := fyne.CurrentApp(); a != nil {
		return a.Preferences().IntWithFallback(IdlePreference, DefaultIdleMinutes)
	}
	return DefaultIdleMinutes
}

// Desk fills the window for the opened book: the sign-in (unless the book has no
// members yet), then the main screens starting at page start; it keeps the idle lock
// running. Call it on the Fyne thread.
func Desk(w fyne.Window, s app.Services, c app.Community, version, start string) {
	if start == "" {
		start = takeFirstRunStart() // a book just created opens on its checklist
	}
	var members []app.Member
	if s.Members != nil {
		ms, err := s.Members.Members(context.Background())
		if err != nil {
			ShowError(err, w)
		}
		for _, m := range ms {
			if m.Active() {
				members = append(members, m)
			}
		}
	}
	var main fyne.CanvasObject
	showMain := func() {
		if main == nil {
			main = newActivity(Main(w, s, c, version, start))
		}
		w.SetContent(main)
		deskShown = true
		focusPending(w) // the first page's field, now that it is in the window
		startAutoBackup(w, s)
	}
	session.Lock()
	session.open = len(members) == 0
	session.changed = nil
	session.Unlock()
	if len(members) == 0 {
		showMain()
		return
	}
	lock := func() {
		// Re-read the roster: a member added or removed meanwhile.
		if ms, err := s.Members.Members(context.Background()); err == nil {
			members = members[:0]
			for _, m := range ms {
				if m.Active() {
					members = append(members, m)
				}
			}
		}
		session.Lock()
		was := session.member
		session.member = ""
		session.Unlock()
		// Open dialogs go behind the sign-in: off the canvas, so nobody can use them
		// over the lock; they come back only for the member who left them
		// (docs/window.md "Who is at the desk").
		var hidden []fyne.CanvasObject
		if ov := w.Canvas().Overlays(); ov != nil {
			hidden = append(hidden, ov.List()...)
			for _, o := range hidden {
				ov.Remove(o)
			}
		}
		w.SetContent(signInAs(w, s, members, was, func(name string) {
			setSignedIn(name)
			showMain()
			if name == was {
				for _, o := range hidden {
					w.Canvas().Overlays().Add(o)
				}
			}
		}))
	}
	session.Lock()
	session.lock = lock
	session.Unlock()
	if preset != "" {
		setSignedIn(preset)
		preset = "" // once: a restored book asks again
		showMain()
	} else {
		lock()
	}
	if dc, ok := w.Canvas().(desktop.Canvas); ok {
		dc.SetOnKeyDown(func(*fyne.KeyEvent) { touch() })
	}
	if !Synchronous {
		idleOnce.Do(func() { go idleWatch(w) })
	}
}

var idleOnce sync.Once

// idleWatch locks the window once nobody used it for the idle time (idleCheck).
func idleWatch(w fyne.Window) {
	for range time.Tick(10 * time.Second) {
		fyne.Do(func() { idleCheck(w, time.Now()) }) // wall time on purpose: real minutes
	}
}

// LockNow shows the sign-in again (the 切换成员 button).
func LockNow() {
	session.Lock()
	lock := session.lock
	session.Unlock()
	if lock != nil {
		lock()
	}
}

// SignIn is the whole-window sign-in: choose yourself from the roster, type your
// passphrase. done runs on success with the member's name.
func SignIn(w fyne.Window, s app.Services, members []app.Member, done func(name string)) fyne.CanvasObject {
	return signInAs(w, s, members, "", done)
}

// signInAs is SignIn after a lock: it says who was signed in (was) and chooses them.
func signInAs(w fyne.Window, s app.Services, members []app.Member, was string, done func(name string)) fyne.CanvasObject {
	var names []string
	labels := map[string]string{}
	for _, m := range members {
		l := fmt.Sprintf("%s（%s）", m.Name, m.Role.Label())
		if English() {
			l = fmt.Sprintf("%s (%s)", m.Name, m.Role.Label())
		}
		names = append(names, l)
		labels[l] = m.Name
	}
	who, pass, msg := passphraseFields(names)
	var ok *widget.Button
	try := func() {
		name := labels[who.Selected]
		if name == "" {
			msg.SetText(L("请选择您的姓名。"))
			return
		}
		ok.Disable()
		err := s.Members.VerifyPassphrase(context.Background(), name, pass.Text)
		if err == nil {
			msg.SetText("")
			pass.SetText("")
			ok.Enable()
			done(name)
			return
		}
		pass.SetText("")
		refuse(msg, ok, err)
	}
	ok = widget.NewButtonWithIcon(L("登录"), theme.LoginIcon(), try)
	ok.Importance = widget.HighImportance
	pass.OnSubmitted = func(string) {
		if !ok.Disabled() {
			try()
		}
	}
	intro := widget.NewLabel(L("请选择您的姓名并输入您的签名口令。此后在本窗口所做的每项操作都记在您的名下。"))
	if was != "" {
		intro.SetText(L("窗口已锁定，刚才是 %s 在使用。%s 输入口令即可回到原处（打开的对话框也会回来）；换一位成员登录时，未完成的对话框不保留。", was, was))
		for l, n := range labels {
			if n == was {
				who.SetSelected(l)
			}
		}
	}
	intro.Wrapping = fyne.TextWrapWord
	form := widget.NewForm(widget.NewFormItem(L("成员"), who), widget.NewFormItem(L("口令"), pass))
	box := container.NewVBox(
		container.NewHBox(widget.NewIcon(AppIcon), Heading(L("谁在使用账本？"))),
		intro, form, container.NewHBox(layout.NewSpacer(), ok), msg)
	return container.NewCenter(container.NewGridWrap(fyne.NewSize(520, 360), box))
}

// sessionFooter is the sidebar's line about who is at the desk, with 切换成员.
func sessionFooter(w fyne.Window, s app.Services) fyne.CanvasObject {
	session.Lock()
	open, member := session.open, session.member
	session.Unlock()
	settings := widget.NewButtonWithIcon(L("备份与锁定…"), theme.DocumentSaveIcon(), func() { DeskSettings(w, s) })
	if open {
		l := widget.NewLabel(L("账本尚无成员：未要求登录"))
		l.Wrapping = fyne.TextWrapWord
		l.SizeName = theme.SizeNameCaptionText
		return container.NewVBox(l, settings)
	}
	if member == "" {
		return container.NewVBox()
	}
	sw := widget.NewButtonWithIcon(L("切换成员"), theme.AccountIcon(), LockNow)
	gear := widget.NewButtonWithIcon("", theme.DocumentSaveIcon(), func() { DeskSettings(w, s) })
	return container.NewBorder(nil, nil, nil, gear, sw)
}

// sessionWho is the header's "当前：张建国" (empty when nobody signed in).
func sessionWho() fyne.CanvasObject {
	member := SignedIn()
	if member == "" {
		return container.NewVBox()
	}
	who := widget.NewLabelWithStyle(L("当前：%s", member), fyne.TextAlignTrailing, fyne.TextStyle{Bold: true})
	who.SizeName = theme.SizeNameCaptionText
	session.Lock()
	session.changed = append(session.changed, func() {
		if m := SignedIn(); m != "" {
			who.SetText(L("当前：%s", m))
		}
	})
	session.Unlock()
	return who
}

// preselectMember selects the signed-in member in a signer drop-down when they may sign.
func preselectMember(sel *widget.Select) {
	me := SignedIn()
	for _, o := range sel.Options {
		if o == me && me != "" {
			sel.SetSelected(me)
		}
	}
}

// activity wraps the main screens and counts pointer moves and taps on them as use
// (keys are counted through the canvas).
type activity struct {
	widget.BaseWidget
	content fyne.CanvasObject
}

func newActivity(c fyne.CanvasObject) *activity {
	a := &activity{content: c}
	a.ExtendBaseWidget(a)
	return a
}

func (a *activity) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(a.content) }
func (a *activity) MouseIn(*desktop.MouseEvent)         { touch() }
func (a *activity) MouseMoved(*desktop.MouseEvent)      { touch() }
func (a *activity) MouseOut()                           {}
func (a *activity) Tapped(*fyne.PointEvent)             { touch() }

// pendingBadge counts what waits on a page: expense requests the signed-in member may
// approve or review and roster changes they may sign (支出审批), complete quarters not
// yet disclosed (公示打印), ballot papers whose two entries are not reconciled (表决),
// service requests past their limit (服务), joint-meeting decisions past their due
// date (联席会议).
func pendingBadge(s app.Services, page string) int {
	if page == "print" {
		return undisclosedQuarters(s)
	}
	if page == "votes" {
		return unreconciledBallots(s)
	}
	if page == "service" {
		return overdueRequests(s)
	}
	if page == "meetings" {
		return overdueDecisions(s)
	}
	me := SignedIn()
	if me == "" || page != "expenses" || s.Members == nil || s.Expenses == nil {
		return 0
	}
	ctx := context.Background()
	m, err := s.Members.Member(ctx, me)
	if err != nil {
		return 0
	}
	n := 0
	if rules, err := s.Expenses.ExpenseRules(ctx); err == nil {
		if es, err := s.Expenses.Expenses(ctx); err == nil {
			for _, e := range es {
				if e.Check(app.StepApprove, m, rules) == nil || e.Check(app.StepReview, m, rules) == nil {
					n++
				}
			}
		}
	}
	if cs, err := s.Members.RosterChanges(ctx); err == nil {
		for _, c := range cs {
			if c.CheckRosterSigner(m) == nil {
				n++
			}
		}
	}
	return n
}

// onSignIn runs f whenever a member signs in.
func onSignIn(f func()) {
	session.Lock()
	session.changed = append(session.changed, f)
	session.Unlock()
}

var preset string

// SignInWith signs a member in before the window opens (SUNLEDGER_AS with
// SUNLEDGER_PASSPHRASE, for automated runs such as the smoke test); the passphrase is
// checked as at the sign-in, and a wrong one is refused.
func SignInWith(s app.Services, name, passphrase string) error {
	if err := s.Members.VerifyPassphrase(context.Background(), name, passphrase); err != nil {
		return err
	}
	preset = name
	return nil
}

// unreconciledBallots counts the ballot papers, over all assemblies, whose two keyed
// entries are not reconciled yet.
func unreconciledBallots(s app.Services) int {
	if s.Votes == nil {
		return 0
	}
	ctx := context.Background()
	as, err := s.Votes.Assemblies(ctx)
	if err != nil {
		return 0
	}
	n := 0
	for _, a := range as {
		if t, err := s.Votes.Tally(ctx, a.ID); err == nil {
			n += t.Ballots.Unreconciled
		}
	}
	return n
}

// overdueRequests counts the service requests with a step past its limit.
func overdueRequests(s app.Services) int {
	if s.Service == nil {
		return 0
	}
	ctx := context.Background()
	vs, err := s.Service.ServiceStandards(ctx)
	if err != nil {
		return 0
	}
	reqs, err := s.Service.ServiceRequests(ctx)
	if err != nil {
		return 0
	}
	n, now := 0, s.Now()
	for _, r := range reqs {
		if r.Overdue(vs.For(r), now) {
			n++
		}
	}
	return n
}

// refuse shows why a sign-in or unlock failed and enables ok again: at once for an error
// the user cannot fix by retyping (a damaged key slot file, a locked folder), after a
// delay that grows with each wrong passphrase otherwise, counting down on screen.
func refuse(msg *widget.Label, ok *widget.Button, err error) {
	if app.ErrorCode(err) != app.EUNAUTHORIZED {
		msg.SetText(err.Error())
		ok.Enable()
		return
	}
	session.Lock()
	session.failures++
	wait := app.PassphraseDelay(session.failures)
	session.Unlock()
	base := err.Error()
	msg.SetText(base + "\n" + L("请等 %d 秒再试。", int(wait.Seconds())))
	if Synchronous {
		ok.Enable()
		return
	}
	go func() {
		for left := int(wait.Seconds()); left > 0; left-- {
			n := left
			fyne.Do(func() { msg.SetText(base + "\n" + L("请等 %d 秒再试。", n)) })
			time.Sleep(time.Second)
		}
		fyne.Do(func() {
			msg.SetText(base)
			ok.Enable()
		})
	}()
}

// passphraseFields are the parts the sign-in and unlock screens share: who you are (the
// only name already chosen), your passphrase, and the red line that says what is wrong.
func passphraseFields(names []string) (*widget.Select, *widget.Entry, *widget.Label) {
	who := newSelect(names, nil)
	if len(names) == 1 {
		who.SetSelectedIndex(0)
	}
	pass := widget.NewPasswordEntry()
	pass.SetPlaceHolder(L("口令"))
	msg := widget.NewLabel("")
	msg.Wrapping = fyne.TextWrapWord
	msg.Importance = widget.DangerImportance
	return who, pass, msg
}
