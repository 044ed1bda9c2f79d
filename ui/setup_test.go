package ui

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"sunledger/app"
	"sunledger/storage"
)

// The 开始使用 checklist of a new book: each step's form does the job through the same
// services as the command line, and the step is ticked once done.
func TestSetup_EveryStepOfTheChecklistIsDoneFromTheWindow(t *testing.T) {
	db, err := storage.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	s := db.Services()
	ctx := context.Background()
	if err := s.Book.Init(ctx, app.Community{Name: "新小区"}, "tester"); err != nil {
		t.Fatal(err)
	}
	w := newWindow(t)
	w.Resize(fyne.NewSize(1024, 600))
	v := newSetupScreen(w, s)
	w.SetContent(v.content)
	if done, total := v.Done(); done != 0 || total != 7 || !strings.Contains(v.summary.Text, "还有 7 步") {
		t.Fatalf("a new book: %d of %d done, %q", done, total, v.summary.Text)
	}
	shoot(t, w, "setup-new")

	// 1 register (the register page's import, here its service), 2 prices, 3 the first bill.
	if err := s.Register.ImportUnits(ctx, []app.Unit{unit("1-1-101", app.KindResidential, "88.5", "O1", "王伟"), unit("1-1-102", app.KindResidential, "100", "O2", "李娜")}, "tester", "test"); err != nil {
		t.Fatal(err)
	}
	_, err = v.Bill("2026-01")
	var np *app.NoPriceError
	if err == nil || !strings.Contains(err.Error(), "还没有住宅的物业费单价") || strings.Contains(err.Error(), "fees price") || strings.Contains(err.Error(), "residential") {
		t.Fatalf("billing before a price: %v", err)
	} else if !errorsAs(err, &np) || np.Month != "2026-01" {
		t.Fatalf("billing before a price is not a NoPriceError: %#v", err)
	}
	if err := v.SetPrice(app.KindResidential, "abc", "2026-01"); err == nil {
		t.Fatal("price abc accepted")
	}
	if err := v.SetPrice(app.KindResidential, "1.80", "2026-01"); err != nil {
		t.Fatal(err)
	}
	if runs, err := v.Bill("2026-01"); err != nil || len(runs) != 1 || runs[0].Total.String() != "339.3" {
		t.Fatalf("first bill: %+v %v", runs, err)
	}

	// 4 members: two, each with their own passphrase.
	m := newMembersPane(w, s)
	m.added = v.refresh
	if err := m.Add("张主任", app.RoleChair, "张主任的口令很长", "张主任的口令很长"); err != nil {
		t.Fatal(err)
	}
	if ok, what := v.membersDone(); ok || !strings.Contains(what, "至少添加两位") {
		t.Errorf("one member counts as done: %q", what)
	}
	if err := m.Add("李委员", app.RoleMember, "李委员的口令很长", "李委员的口令很长"); err != nil {
		t.Fatal(err)
	}

	// 5 the snapshot key: both files, the key chosen for the snapshot page; never overwritten.
	keys := t.TempDir()
	if _, _, err := NewSnapshotKey(keys, "committee", "签名口令足够长", "签名口令不一样"); err == nil {
		t.Fatal("differing passphrases accepted")
	}
	keyPath, id, err := NewSnapshotKey(keys, "committee", "签名口令足够长", "签名口令足够长")
	if err != nil || id == "" || pref(SnapshotKeyPreference) != keyPath {
		t.Fatalf("key %q %q %v, preference %q", keyPath, id, err, pref(SnapshotKeyPreference))
	}
	if _, err := os.Stat(filepath.Join(keys, "committee.pub")); err != nil {
		t.Fatal(err)
	}
	if _, _, err := NewSnapshotKey(keys, "committee", "签名口令足够长", "签名口令足够长"); err == nil {
		t.Fatal("an existing key was overwritten")
	}

	// 6 the notice settings: a bad 公示期 changes nothing.
	form := NoticeForm{Phone: "0519-8888 6666", Account: "户名 新小区业主大会 账号 6222 0000", Channels: "物业服务中心现金；银行转账", Days: "100", DueDay: "20"}
	if err := SaveNoticeSettings(s, form); err == nil {
		t.Fatal("a 100-day notice period accepted")
	}
	if c, _ := s.Book.Community(ctx); c.Notices.OfficePhone != "" {
		t.Fatal("a refused form changed the settings")
	}
	form.Days = "20"
	form.Address, form.Inspection = " 1 号楼一楼 ", "每月第一个星期六上午"
	if err := SaveNoticeSettings(s, form); err != nil {
		t.Fatal(err)
	}
	if c, _ := s.Book.Community(ctx); c.Notices.NoticeDays != 20 || c.Notices.DueDay != 20 || c.Notices.ReadyToPublish(true) != nil ||
		c.Notices.OfficeAddress != "1 号楼一楼" || c.Notices.Inspection != "每月第一个星期六上午" {
		t.Fatalf("settings %+v", c.Notices)
	}

	// 7 the backup folder.
	if err := SetBackupFolder(filepath.Join(keys, "nowhere")); err == nil {
		t.Fatal("a missing folder accepted")
	}
	if err := SetBackupFolder(keys); err != nil {
		t.Fatal(err)
	}
	v.refresh()
	if done, _ := v.Done(); done != 7 || v.summary.Text != "全部 7 步已完成。" {
		t.Fatalf("after every step: %d done, %q", done, v.summary.Text)
	}
	shoot(t, w, "setup-done")
}

// Billing before a price, from the 计费与单价 tab: the answer is in words (no command, no
// English code) and the price form is filled in for the month and kind.
func TestFees_BillingBeforeAPriceAnswersInWordsAndFillsThePriceForm(t *testing.T) {
	_, s := newBook(t, unit("1-1-101", app.KindResidential, "100", "O1", "王伟"))
	w := newWindow(t)
	b := newBillingPane(w, s)
	w.SetContent(b.content)
	_, err := s.Fees.Bill(context.Background(), "2026-03", "2026-03", "tester", "")
	if err == nil {
		t.Fatal("billed without a price")
	}
	b.billFailed(err)
	msg := topDialogText(w)
	if !strings.Contains(msg, "2026-03 还没有住宅的物业费单价") || strings.Contains(msg, "fees") || strings.Contains(msg, "residential") {
		t.Fatalf("dialog %q", msg)
	}
	if b.kind.Selected != "住宅" || b.priceFrom.Text != "2026-03" {
		t.Errorf("price form: kind %q, from %q", b.kind.Selected, b.priceFrom.Text)
	}
	test.Type(b.price, "1.5")
	test.Tap(button(b.content, "设定单价"))
	if ps, _ := s.Prices.Prices(context.Background()); len(ps) != 1 || ps[0].From != "2026-03" {
		t.Fatalf("prices %+v", ps)
	}
}

// The 成员 page lists the members and adds one.
func TestMembers_PageInTheSidebarAddsAMember(t *testing.T) {
	_, s := newBook(t)
	w := newWindow(t)
	found := false
	for _, p := range Pages(s) {
		found = found || p.ID == "members" && p.Title == "成员名单"
	}
	if !found {
		t.Fatal("no 成员名单 page")
	}
	w.SetContent(Members(w, s))
	if button(w.Content(), "添加成员…") == nil {
		t.Fatal("no add button")
	}
	m := newMembersPane(w, s)
	if err := m.Add("王会计", app.RoleTreasurer, "王会计的口令很长", "王会计的口令很长"); err != nil {
		t.Fatal(err)
	}
	if ms, _ := s.Members.Members(context.Background()); len(ms) != 1 || ms[0].Name != "王会计" {
		t.Fatalf("members %+v", ms)
	}
}

func errorsAs(err error, target any) bool { return errors.As(err, target) }
