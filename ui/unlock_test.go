package ui

import (
	"bytes"
	"context"
	"crypto/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"sunledger/app"
	"sunledger/storage"
)

// fastSlots makes key slots cheap to unwrap in tests.
func fastSlots(t *testing.T) {
	old := storage.DefaultSlotKDF
	storage.DefaultSlotKDF = storage.SlotKDF{Time: 1, MemoryKiB: 64, Threads: 1}
	t.Cleanup(func() { storage.DefaultSlotKDF = old })
}

// openWith is what the program does when the unlock screen is answered: unwrap the
// member's slot, then open the store with the key.
func openWith(dir string, opened **storage.DB) func(name, pass string) error {
	return func(name, pass string) error {
		key, err := storage.Unlock(dir, name, pass)
		if err != nil {
			return err
		}
		storage.UseKey(dir, key)
		db, err := storage.Open(dir)
		if err != nil {
			storage.ForgetKey(dir)
			return err
		}
		*opened = db
		return nil
	}
}

func passEntry(o fyne.CanvasObject) *widget.Entry {
	for _, x := range test.LaidOutObjects(o) {
		if e, ok := x.(*widget.Entry); ok && e.Password {
			return e
		}
	}
	return nil
}

func TestUnlockBook_WrongThenRightPassphraseOpensTheEncryptedBook(t *testing.T) {
	fastSlots(t)
	dir := filepath.Join(t.TempDir(), "book")
	if _, err := storage.CreateKeySlots(dir, "张主任", "张主任的口令"); err != nil {
		t.Fatal(err)
	}
	db, err := storage.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Services().Book.Init(context.Background(), app.Community{Name: "加密小区"}, "tester"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	storage.ForgetKey(dir)
	t.Cleanup(func() { storage.ForgetKey(dir) })
	session.failures = 0

	names, err := storage.SlotNames(dir)
	if err != nil || len(names) != 1 || names[0] != "张主任" {
		t.Fatalf("slot names before the store is open: %v, %v", names, err)
	}
	w := newWindow(t)
	var opened *storage.DB
	w.SetContent(UnlockBook(w, dir, names, openWith(dir, &opened), func(string, string) {}))
	ok := button(w.Content(), "打开账本")
	pass := passEntry(w.Content())
	if ok == nil || pass == nil {
		t.Fatalf("no button or passphrase entry: %v", texts(w.Content()))
	}

	test.Type(pass, "不对的口令")
	test.Tap(ok)
	if opened != nil {
		t.Fatal("a wrong passphrase opened the book")
	}
	got := strings.Join(texts(w.Content()), "\n")
	if !strings.Contains(got, "口令不对") || !strings.Contains(got, "请等 1 秒再试") {
		t.Errorf("wrong passphrase: no reason or no delay shown:\n%s", got)
	}
	test.Type(pass, "又一个错口令")
	test.Tap(ok)
	if got := strings.Join(texts(w.Content()), "\n"); !strings.Contains(got, "请等 2 秒再试") {
		t.Errorf("second failure did not slow down:\n%s", got)
	}

	test.Type(pass, "张主任的口令")
	test.Tap(ok)
	if opened == nil {
		t.Fatalf("the right passphrase did not open the book: %v", texts(w.Content()))
	}
	defer opened.Close()
	if c, err := opened.Services().Book.Community(context.Background()); err != nil || c.Name != "加密小区" {
		t.Errorf("community = %+v, %v", c, err)
	}
	if session.failures != 0 {
		t.Error("failures not reset after the right passphrase")
	}
}

func TestUnlockBook_DamagedSlotFileIsShownWithTheWayOut(t *testing.T) {
	fastSlots(t)
	dir := filepath.Join(t.TempDir(), "book")
	if _, err := storage.CreateKeySlots(dir, "张主任", "张主任的口令"); err != nil {
		t.Fatal(err)
	}
	db, err := storage.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	storage.ForgetKey(dir)
	t.Cleanup(func() { storage.ForgetKey(dir) })
	names, _ := storage.SlotNames(dir)
	slots := filepath.Join(dir, storage.KeySlotsFile)
	good, _ := os.ReadFile(slots)
	// Cut short after the screen was shown (another program, a bad copy).
	w := newWindow(t)
	var opened *storage.DB
	w.SetContent(UnlockBook(w, dir, names, openWith(dir, &opened), func(string, string) {}))
	os.WriteFile(slots, good[:len(good)/3], 0o600)
	test.Type(passEntry(w.Content()), "张主任的口令")
	test.Tap(button(w.Content(), "打开账本"))
	got := strings.Join(texts(w.Content()), "\n")
	if opened != nil || !strings.Contains(got, "复制回") {
		t.Errorf("truncated slot file: opened=%v, shown:\n%s", opened != nil, got)
	}
	if _, err := storage.SlotNames(dir); app.ErrorCode(err) != app.EINVALID {
		t.Errorf("SlotNames on a truncated file: %v", err)
	}
}

func TestFirstRun_EncryptsTheNewBookBeforeAnythingIsWritten(t *testing.T) {
	fastSlots(t)
	dir := filepath.Join(t.TempDir(), "book")
	db, err := storage.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { storage.ForgetKey(dir) })
	EncryptNewBook = func(founder, pass string) (app.Services, error) {
		if err := db.Close(); err != nil {
			return db.Services(), err
		}
		eerr := storage.EncryptEmptyBook(dir, founder, pass)
		ndb, err := storage.Open(dir)
		if err != nil {
			return app.Services{}, err
		}
		db = ndb
		return db.Services(), eerr
	}
	t.Cleanup(func() { EncryptNewBook = nil; db.Close() })

	w := newWindow(t)
	ready := 0
	f := &firstRun{w: w, s: db.Services(), ready: func() { ready++ }}
	w.SetContent(f.content(dir))
	if f.encrypt == nil || !f.encrypt.Checked || f.encryptDemo.Checked {
		t.Fatal("encryption must be offered, on for a real community and off for the demo")
	}
	f.name.SetText("阳光花园")
	f.founder.SetText("张主任")
	f.pass.SetText("张主任的口令")
	f.again.SetText("张主任的口今")
	f.create(nil)
	if ready != 0 || !strings.Contains(topDialogText(w), "不一致") || storage.IsEncrypted(dir) {
		t.Fatalf("different passphrases: ready=%d dialog %q", ready, topDialogText(w))
	}
	f.again.SetText("张主任的口令")
	f.pass.SetText("短")
	f.again.SetText("短")
	f.create(nil)
	if ready != 0 || !strings.Contains(topDialogText(w), "太短") {
		t.Fatalf("short passphrase: ready=%d dialog %q", ready, topDialogText(w))
	}
	f.pass.SetText("张主任的口令")
	f.again.SetText("张主任的口令")
	f.create([]app.Unit{unit("1-1-101", "住宅", "80.5", "O1", "王伟独有名")})
	if ready != 1 {
		t.Fatalf("ready not called; dialog %q", topDialogText(w))
	}
	if !storage.IsEncrypted(dir) {
		t.Fatal("the book is not encrypted")
	}
	if n, _ := storage.SlotNames(dir); len(n) != 1 || n[0] != "张主任" {
		t.Errorf("slots %v", n)
	}
	// The founder is on the roster with the same passphrase, and signed in.
	if err := f.s.Members.VerifyPassphrase(context.Background(), "张主任", "张主任的口令"); err != nil {
		t.Errorf("founder on the roster: %v", err)
	}
	if preset != "张主任" {
		t.Errorf("founder not signed in: preset %q", preset)
	}
	preset = ""
	db.Close()
	// Nothing in the folder or beside it names the owner.
	filepath.Walk(filepath.Dir(dir), func(p string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() {
			if b, _ := os.ReadFile(p); bytes.Contains(b, []byte("王伟独有名")) {
				t.Errorf("owner name in clear in %s", p)
			}
		}
		return nil
	})
	storage.ForgetKey(dir)
	if _, err := storage.Unlock(dir, "张主任", "不对的口令"); app.ErrorCode(err) != app.EUNAUTHORIZED {
		t.Errorf("wrong passphrase: %v", err)
	}
	key, err := storage.Unlock(dir, "张主任", "张主任的口令")
	if err != nil {
		t.Fatal(err)
	}
	storage.UseKey(dir, key)
	db, err = storage.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if units, _ := db.Services().Register.Units(context.Background()); len(units) != 1 {
		t.Errorf("units after reopening: %d", len(units))
	}
}

// TestUnlockBook_ThenTheDeskLocksWithoutClosingTheStore: after the unlock the member is
// signed in (same passphrase); 切换成员 shows the sign-in again, which asks the passphrase
// again while the store stays open.
func TestUnlockBook_ThenTheDeskLocksWithoutClosingTheStore(t *testing.T) {
	fastSlots(t)
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "book")
	if _, err := storage.CreateKeySlots(dir, "张主任", "张主任的口令"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { storage.ForgetKey(dir) })
	db, err := storage.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Services().Book.Init(ctx, app.Community{Name: "加密小区"}, "tester"); err != nil {
		t.Fatal(err)
	}
	mem, err := app.NewMember("张主任", app.RoleChair, "张主任的口令", rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Services().Members.AddMember(ctx, mem, "张主任", ""); err != nil {
		t.Fatal(err)
	}
	db.Close()
	storage.ForgetKey(dir)

	w := newWindow(t)
	var opened *storage.DB
	open := openWith(dir, &opened)
	w.SetContent(UnlockBook(w, dir, []string{"张主任"}, open, func(name, pass string) {
		s := opened.Services()
		if err := SignInWith(s, name, pass); err != nil {
			t.Errorf("same passphrase did not sign in: %v", err)
		}
		c, _ := s.Book.Community(ctx)
		Desk(w, s, c, "test", "")
	}))
	test.Type(passEntry(w.Content()), "张主任的口令")
	test.Tap(button(w.Content(), "打开账本"))
	if opened == nil {
		t.Fatal("not opened")
	}
	defer opened.Close()
	if SignedIn() != "张主任" {
		t.Fatalf("signed in %q after the unlock", SignedIn())
	}
	main := w.Content()
	LockNow()
	if SignedIn() != "" || w.Content() == main || button(w.Content(), "登录") == nil {
		t.Fatal("locking did not show the sign-in")
	}
	test.Type(passEntry(w.Content()), "不对的口令")
	test.Tap(button(w.Content(), "登录"))
	if SignedIn() != "" {
		t.Fatal("a wrong passphrase signed in at the locked desk")
	}
	test.Type(passEntry(w.Content()), "张主任的口令")
	test.Tap(button(w.Content(), "登录"))
	if SignedIn() != "张主任" || w.Content() != main {
		t.Fatalf("the right passphrase did not unlock the desk (%q)", SignedIn())
	}
	if _, err := opened.Services().Book.Community(ctx); err != nil {
		t.Errorf("the store was closed by the lock: %v", err)
	}
	setSignedIn("")
}

// TestMembersPane_KeySlotsFollowTheRoster: on an encrypted book a member added in the
// window can open the book with their passphrase, and a changed passphrase replaces the
// old one for opening too.
func TestMembersPane_KeySlotsFollowTheRoster(t *testing.T) {
	fastSlots(t)
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "book")
	if _, err := storage.CreateKeySlots(dir, "张主任", "张主任的口令"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { storage.ForgetKey(dir) })
	db, err := storage.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	s := db.Services()
	if err := s.Book.Init(ctx, app.Community{Name: "加密小区"}, "tester"); err != nil {
		t.Fatal(err)
	}
	SetKeySlot = func(name, pass string) error { _, err := db.SetKeySlot(name, pass); return err }
	SyncKeySlots = func() error { _, err := db.SyncKeySlots(ctx); return err }
	t.Cleanup(func() { SetKeySlot, SyncKeySlots = nil, nil })

	m := newMembersPane(newWindow(t), s)
	if err := m.Add("李委员", app.RoleMember, "李委员的口令", "李委员的口令"); err != nil {
		t.Fatal(err)
	}
	if _, err := storage.Unlock(dir, "李委员", "李委员的口令"); err != nil {
		t.Errorf("a member added in the window cannot open the book: %v", err)
	}
	if err := m.ChangePassphrase("李委员", "李委员的口令", "李委员的新口令", "李委员的新口令"); err != nil {
		t.Fatal(err)
	}
	if _, err := storage.Unlock(dir, "李委员", "李委员的口令"); app.ErrorCode(err) != app.EUNAUTHORIZED {
		t.Errorf("the old passphrase still opens the book: %v", err)
	}
	if _, err := storage.Unlock(dir, "李委员", "李委员的新口令"); err != nil {
		t.Errorf("the new passphrase does not open the book: %v", err)
	}
	if _, err := storage.Unlock(dir, "张主任", "张主任的口令"); err != nil {
		t.Errorf("another member's slot was touched: %v", err)
	}
}
