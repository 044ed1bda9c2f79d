package ui

import (
	"context"
	"os"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/shopspring/decimal"

	"sunledger/app"
)

func voteFixture(t *testing.T) (*votesScreen, app.Services) {
	t.Helper()
	_, s := newBook(t,
		unit("1-1-101", app.KindResidential, "100", "O1", "王伟"),
		unit("1-1-102", app.KindResidential, "100", "O2", "李娜"),
		unit("1-1-201", app.KindResidential, "100", "O3", "张强"),
	)
	a := app.Assembly{Title: "第一次业主大会", Date: "2026-05-10", Matters: ParseMatters("选举业委会\n重大：利用共有部分设置充电桩")}
	if _, err := s.Votes.CreateAssembly(context.Background(), a, "tester"); err != nil {
		t.Fatal(err)
	}
	w := newWindow(t)
	v := newVotesScreen(w, s)
	w.SetContent(v.content)
	return v, s
}

func key(f fyne.Focusable, name fyne.KeyName) { f.TypedKey(&fyne.KeyEvent{Name: name}) }

// keyBallot types one ballot the way a volunteer does: number ⏎, the unit ⏎ when the
// number is not a printed ballot's, the keys (the last one saves), and an Enter that
// saves an invalid ballot and does nothing after one already saved.
func keyBallot(b *ballotEntry, no, unit, keys string) {
	b.no.SetText(no)
	key(b.no, fyne.KeyReturn)
	if b.unit.Text != unit {
		b.unit.SetText("")
		test.Type(b.unit, unit)
		key(b.unit, fyne.KeyReturn)
	}
	for _, r := range keys {
		b.choices.TypedRune(r)
	}
	key(b.choices, fyne.KeyReturn)
}

func TestParseMatters_MajorPrefix(t *testing.T) {
	ms := ParseMatters("选举业委会\n\n重大：筹集维修资金\n major: rebuild ")
	if len(ms) != 3 || ms[0].Kind != app.MatterOrdinary || ms[1].Kind != app.MatterMajor || ms[1].Title != "筹集维修资金" || ms[2].Kind != app.MatterMajor || ms[2].No != 3 {
		t.Fatalf("matters = %+v", ms)
	}
}

func TestVotes_KeyboardEntryTwoPersonKeyingReconcileAndResult(t *testing.T) {
	v, s := voteFixture(t)
	ctx := context.Background()
	b := v.entry
	keyBallot(b, "1", "1-1-101", "11")
	if !strings.Contains(b.status.Text, "已保存票 1") {
		t.Fatalf("status after ballot 1: %q", b.status.Text)
	}
	if b.no.Text != "" || b.no.PlaceHolder != "票号（回车 = 2）" {
		t.Errorf("next ballot number = %q (%q), want empty offering 2", b.no.Text, b.no.PlaceHolder)
	}
	// Ballot 2: Enter on the empty number takes the next one, whose printed ballot names
	// the unit; the last matter's key saves.
	key(b.no, fyne.KeyReturn)
	if b.unit.Text != "1-1-102" {
		t.Errorf("ballot 2's unit = %q, want 1-1-102", b.unit.Text)
	}
	b.choices.TypedRune('1')
	b.choices.TypedRune('2')
	// Ballot 3: a slip, corrected with Backspace.
	key(b.no, fyne.KeyReturn)
	b.choices.TypedRune('2')
	key(b.choices, fyne.KeyBackspace)
	b.choices.TypedRune('1')
	b.choices.TypedRune('3')
	if len(v.rec.EntryA) != 3 || !strings.Contains(b.counters.Text, "已录 3 张") || !strings.Contains(b.counters.Text, "事项1：同意 3") {
		t.Fatalf("entry A = %d ballots, counters %q", len(v.rec.EntryA), b.counters.Text)
	}
	// Unanswered matters are refused without a dialog.
	b.no.SetText("9")
	key(b.no, fyne.KeyReturn)
	test.Type(b.unit, "1-1-101")
	b.choices.TypedRune('1')
	key(b.choices, fyne.KeyReturn)
	if !strings.Contains(b.status.Text, "还有事项没有按键") || len(v.rec.EntryA) != 3 {
		t.Errorf("incomplete ballot: status %q, %d ballots", b.status.Text, len(v.rec.EntryA))
	}
	b.unit.SetText("")
	b.choices.Reset()

	// Entry B: the same papers, ballot 2 keyed differently on matter 2.
	b.entry.SetSelected("录入 B")
	b.no.SetText("")
	keyBallot(b, "1", "1-1-101", "11")
	keyBallot(b, "2", "1-1-102", "11")
	keyBallot(b, "3", "1-1-201", "13")
	if len(v.rec.EntryB) != 3 {
		t.Fatalf("entry B = %d ballots", len(v.rec.EntryB))
	}

	r := v.recon
	r.refresh()
	if len(r.diffs) != 1 || r.diffs[0].Ballot != "2" || r.diffs[0].Field != "m2" {
		t.Fatalf("differences = %+v", r.diffs)
	}
	res := v.result
	res.refresh()
	if !strings.Contains(res.verdict.Text, "1 张票待核对") {
		t.Errorf("verdict before reconciling = %q", res.verdict.Text)
	}
	r.choose("2")
	r.resolve(app.EntryA) // the paper says oppose on matter 2
	if r.diffs[0].Resolved != true {
		t.Errorf("difference not resolved")
	}
	res.refresh()
	// 3 of 3 heads and area take part; matter 1: 3 agree → passed; matter 2 (major):
	// agree 1 of 3 → not passed.
	if res.verdict.Text != "事项1 通过　事项2 未通过" {
		t.Errorf("verdict = %q", res.verdict.Text)
	}
	tl, err := s.Votes.Tally(ctx, v.rec.Assembly.ID)
	if err != nil || tl.Ballots.Unreconciled != 0 || !tl.QuorumMet {
		t.Errorf("tally = %+v, %v", tl.Ballots, err)
	}
	v.tabs.SelectIndex(2)
	shoot(t, v.w, "votes-result")
	v.tabs.SelectIndex(1)
	shoot(t, v.w, "votes-reconcile")
	if !strings.Contains(res.text.Text, "参与表决：面积 300.00 m²，人数 3") {
		t.Errorf("result text = %q", res.text.Text)
	}
}

func TestVotes_InvalidKeyAndUndo(t *testing.T) {
	v, _ := voteFixture(t)
	b := v.entry
	test.Type(b.no, "7")
	key(b.no, fyne.KeyReturn)
	b.choices.TypedRune('9') // unsigned
	key(b.choices, fyne.KeyReturn)
	if len(v.rec.EntryA) != 1 || v.rec.EntryA[0].Invalid != app.ReasonUnsigned {
		t.Fatalf("invalid ballot = %+v", v.rec.EntryA)
	}
	test.Tap(b.undo)
	if len(v.rec.EntryA) != 0 || b.no.Text != "7" || !strings.Contains(b.status.Text, "已撤回票 7") {
		t.Errorf("after undo: %d ballots, number %q", len(v.rec.EntryA), b.no.Text)
	}
}

func TestVotes_ImportEntryFromFileAllOrNothing(t *testing.T) {
	v, _ := voteFixture(t)
	b := v.entry
	dir := t.TempDir()
	bad := dir + "/bad.csv"
	os.WriteFile(bad, []byte("票号,房号,事项1,事项2\n1,1-1-101,同意,同意\n2,1-1-102,也许,同意\n"), 0o644)
	b.importFile(bad)
	if msg := topDialogText(v.w); !strings.Contains(msg, "第 3 行") || len(v.rec.EntryA) != 0 {
		t.Fatalf("bad file: dialog %q, %d ballots", msg, len(v.rec.EntryA))
	}
	good := dir + "/good.csv"
	os.WriteFile(good, []byte("票号,房号,事项1,事项2\n1,1-1-101,同意,同意\n2,1-1-102,反对,\n"), 0o644)
	b.importFile(good)
	if len(v.rec.EntryA) != 2 || !strings.Contains(b.counters.Text, "已录 2 张") {
		t.Errorf("good file: %d ballots, counters %q", len(v.rec.EntryA), b.counters.Text)
	}
}

func TestVotes_PaperThatMatchesNeitherEntry(t *testing.T) {
	v, s := voteFixture(t)
	b := v.entry
	keyBallot(b, "1", "1-1-101", "11")
	b.entry.SetSelected("录入 B")
	keyBallot(b, "1", "1-1-101", "12")
	r := v.recon
	r.refresh()
	r.choose("1")
	r.record(app.Ballot{No: "1", Unit: "1-1-101", Choices: []app.Choice{app.Agree, app.Abstain}}, "核对原票")
	tl, err := s.Votes.Tally(context.Background(), v.rec.Assembly.ID)
	if err != nil || tl.Ballots.Unreconciled != 0 || tl.Matters[1].Abstain.Heads != 1 {
		t.Errorf("tally after the third look: %+v %v", tl.Ballots, err)
	}
}

func TestVotes_DeliveryNeedsEvidence(t *testing.T) {
	v, _ := voteFixture(t)
	d := v.deliver
	d.units.SetText("1-1-101，1-1-102")
	d.method.SetText("上门送达")
	if err := d.Record(); err == nil {
		t.Fatal("a delivery without evidence was recorded")
	}
	d.proof.SetText("回执 1-2")
	if err := d.Record(); err != nil {
		t.Fatal(err)
	}
	if len(v.rec.Deliveries) != 2 || !strings.Contains(d.summary.Text, "已有 2 个房号") {
		t.Errorf("deliveries = %d, summary %q", len(v.rec.Deliveries), d.summary.Text)
	}
}

// Undo takes back only the ballot keyed into the entry it was keyed in: after switching
// from A to B, entry B starts empty and 撤回上一张 cannot reach A's ballot, nor B's ballot
// of the same number (the data-loss path of a shared ballot number).
func TestVotes_UndoActsOnlyOnTheEntryItWasKeyedIn(t *testing.T) {
	v, _ := voteFixture(t)
	b := v.entry
	keyBallot(b, "6", "1-1-101", "11")
	b.entry.SetSelected("录入 B")
	if b.no.Text != "" || b.unit.Text != "" {
		t.Errorf("entry B starts with number %q, unit %q", b.no.Text, b.unit.Text)
	}
	if !b.undo.Disabled() {
		t.Error("undo is offered in entry B for a ballot of entry A")
	}
	keyBallot(b, "6", "1-1-101", "12")
	b.entry.SetSelected("录入 A")
	test.Tap(b.undo)
	b.undoLast() // even called directly, nothing happens
	if len(v.rec.EntryA) != 1 || len(v.rec.EntryB) != 1 {
		t.Fatalf("undo across entries removed a ballot: A %d, B %d", len(v.rec.EntryA), len(v.rec.EntryB))
	}
	b.entry.SetSelected("录入 B")
	keyBallot(b, "7", "1-1-102", "11")
	test.Tap(b.undo)
	if len(v.rec.EntryB) != 1 || v.rec.EntryB[0].No != "6" || len(v.rec.EntryA) != 1 {
		t.Errorf("undo in B: A %v, B %v", v.rec.EntryA, v.rec.EntryB)
	}
}

// TestVotes_OpeningThePageFocusesTheBallotNumber: the votes page opens on ballot entry
// with the keyboard in the ballot-number field, so the first key typed is the number's;
// coming back to the 录入选票 tab puts it there again.
func TestVotes_OpeningThePageFocusesTheBallotNumber(t *testing.T) {
	v, s := voteFixture(t)
	w := v.w
	c, _ := s.Book.Community(context.Background())
	numberFocused := func(when string) {
		t.Helper()
		if f, ok := w.Canvas().Focused().(*widget.Entry); !ok || !strings.HasPrefix(f.PlaceHolder, "票号") {
			t.Fatalf("focused %s: %#v", when, w.Canvas().Focused())
		}
	}
	// The desk opening on the votes page (--page votes).
	Desk(w, s, c, "test", "votes")
	numberFocused("when the desk opens on the votes page")
	n := lastNav
	page := -1
	for i, p := range n.pages {
		if p.ID == "votes" {
			page = i
		}
	}
	n.list.Select(0)
	n.list.Select(page)
	f, ok := w.Canvas().Focused().(*widget.Entry)
	if !ok || !strings.HasPrefix(f.PlaceHolder, "票号") {
		t.Fatalf("focused after opening the page: %#v", w.Canvas().Focused())
	}
	w.Canvas().Focused().TypedRune('1') // as the driver hands a key to the focused widget
	if f.Text != "1" {
		t.Errorf("the first key went elsewhere: number field %q", f.Text)
	}
	// Another tab, then back: the number field has the keyboard again.
	var tabs *container.AppTabs
	for _, o := range test.LaidOutObjects(n.area) {
		if x, ok := o.(*container.AppTabs); ok {
			tabs = x
		}
	}
	if tabs == nil {
		t.Fatal("no tabs on the votes page")
	}
	tabs.SelectIndex(2)
	w.Canvas().Unfocus()
	tabs.SelectIndex(0)
	if w.Canvas().Focused() != fyne.Focusable(f) {
		t.Errorf("back on 录入选票, focused: %#v", w.Canvas().Focused())
	}
}

// TestVotes_NewAssemblyFormSetsItemFundCapAndScope: the 新建业主大会 form gives each
// matter its art. 278 item, fund, cap and scope as the CLI's matters file does; the item
// sets the kind; what cannot be read, or what the vote service refuses, is said in the
// user's words and the form comes back with what was typed.
func TestVotes_NewAssemblyFormSetsItemFundCapAndScope(t *testing.T) {
	v, s := voteFixture(t)
	w := v.w
	ctx := context.Background()
	open := func() (*widget.Entry, *matterForm) {
		t.Helper()
		test.Tap(button(v.content, "新建大会…"))
		var title *widget.Entry
		for _, o := range test.LaidOutObjects(w.Canvas().Overlays().Top()) {
			if e, ok := o.(*widget.Entry); ok && e.PlaceHolder == "例如：2026年度第一次业主大会" {
				title = e
			}
		}
		return title, v.newForm
	}
	submit := func() {
		t.Helper()
		test.Tap(button(w.Canvas().Overlays().Top(), "创建"))
	}
	title, f := open()
	title.SetText("维修大会")
	f.rows[0].title.SetText("使用维修资金更换1号楼电梯")
	f.rows[0].item.SetSelectedIndex(5)
	f.rows[0].fund.SetSelected(app.FundMaintenance.Label())
	f.rows[0].cap.SetText("1,000,000")
	f.rows[0].scope.SetText("1；1-1-201")
	r := f.add()
	r.title.SetText("利用共有部分设置充电桩")
	r.item.SetSelectedIndex(8)
	if r.kind.SelectedIndex() != 1 {
		t.Errorf("item 8 left the kind at %q, want major", r.kind.Selected)
	}
	f.add() // an empty row is left out

	cases := []struct {
		name string
		set  func()
		want string
	}{
		{"a cap that is not an amount", func() { f.rows[0].cap.SetText("一百万") }, "事项 1 的限额"},
		{"a cap of zero", func() { f.rows[0].cap.SetText("0") }, "事项 1 的限额 0 应大于 0"},
		{"a cap without a fund", func() { f.rows[0].cap.SetText("20000"); f.rows[0].fund.SetSelectedIndex(0) }, "没有写明从哪个资金支付"},
		{"a scope the register does not hold", func() { f.rows[0].fund.SetSelectedIndex(3); f.rows[0].scope.SetText("9") }, "登记册中没有的楼栋或房号：9"},
		{"an item that disagrees with the kind", func() { f.rows[0].scope.SetText("1"); r.kind.SetSelectedIndex(0) }, "应为重大事项"},
	}
	for _, c := range cases {
		before, _ := s.Votes.Assemblies(ctx)
		c.set()
		submit()
		got := topDialogText(w)
		if !strings.Contains(got, c.want) {
			t.Errorf("%s: the message %q does not say %q", c.name, got, c.want)
		}
		after, _ := s.Votes.Assemblies(ctx)
		if len(after) != len(before) {
			t.Fatalf("%s: an assembly was created", c.name)
		}
		w.Canvas().Overlays().Top().Hide() // the error; the form is under it, as typed
		if f.rows[0].title.Text != "使用维修资金更换1号楼电梯" || button(w.Canvas().Overlays().Top(), "创建") == nil {
			t.Fatalf("%s: the form did not come back with what was typed", c.name)
		}
	}
	r.kind.SetSelectedIndex(1)
	f.rows[0].cap.SetText("1,000,000")
	submit()
	as, _ := s.Votes.Assemblies(ctx)
	a := as[len(as)-1]
	if a.Title != "维修大会" || len(a.Matters) != 2 {
		t.Fatalf("created %+v", a)
	}
	m1, m2 := a.Matters[0], a.Matters[1]
	if m1.Item != 5 || m1.Kind != app.MatterOrdinary || m1.Fund != app.FundMaintenance || !m1.Cap.Equal(decimal.NewFromInt(1000000)) || strings.Join(m1.Scope, ",") != "1" {
		t.Errorf("matter 1 = %+v", m1)
	}
	if m2.Item != 8 || m2.Kind != app.MatterMajor || m2.Fund != "" || len(m2.Scope) != 0 {
		t.Errorf("matter 2 = %+v", m2)
	}
	// As vote new does: a cap above what the fund holds is pointed out, with the excess.
	if got := topDialogText(w); !strings.Contains(got, "事项 1 的限额 ¥1,000,000.00 超过维修资金现有余额") {
		t.Errorf("the cap warning: %q", got)
	}
}
