package ui

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"sunledger/app"
	"sunledger/internal/testtool"
)

// press types keys into whatever has the keyboard focus in w, as a keyboard does ('\n' is
// Enter, '\b' Backspace), and returns how many keys that was.
func press(t *testing.T, w fyne.Window, keys string) int {
	t.Helper()
	n := 0
	for _, r := range keys {
		f := w.Canvas().Focused()
		if f == nil {
			t.Fatalf("nothing has the focus for key %q of %q", r, keys)
		}
		switch r {
		case '\n':
			f.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
		case '\b':
			f.TypedKey(&fyne.KeyEvent{Name: fyne.KeyBackspace})
		default:
			f.TypedRune(r)
		}
		n++
	}
	return n
}

type paper struct {
	no      int
	choices []app.Choice
	invalid bool
}

// keyFor is what a volunteer types for a printed ballot on a 50-unit register (two-digit
// numbers): the number (Enter after a one-digit one), one key per matter, and for an
// invalid paper 9 and Enter instead.
func keyFor(p paper) string {
	var k strings.Builder
	k.WriteString(fmt.Sprint(p.no))
	if p.no < 10 {
		k.WriteString("\n")
	}
	if p.invalid {
		k.WriteString("9\n")
		return k.String()
	}
	for _, c := range p.choices {
		k.WriteString(map[app.Choice]string{app.Agree: "1", app.Oppose: "2", app.Abstain: "3", app.Blank: "0", app.Double: "4"}[c])
	}
	return k.String()
}

// A 50-ballot session on printed ballots, keyed twice from the keyboard alone (the focus
// moves itself): at most 8 keys a ballot for 5 matters, each entry's keyer recorded, the
// same member refused for the second entry, and a tally that counts what the papers say.
func TestBallots_FiftyBallotSessionInEightKeysABallot(t *testing.T) {
	var reg []app.Unit
	for i := 1; i <= 50; i++ {
		id := fmt.Sprintf("%d-1-%d", (i-1)/10+1, 100+i)
		reg = append(reg, unit(id, app.KindResidential, "100", fmt.Sprintf("O%02d", i), fmt.Sprintf("业主%02d", i)))
	}
	_, s := newBook(t, reg...)
	ctx := context.Background()
	a := app.Assembly{Title: "2026年度业主大会", Date: "2026-05-10",
		Matters: ParseMatters("选举业委会\n修订管理规约\n续聘物业服务人\n重大：利用共有部分设置充电桩\n公示年度预算")}
	a, err := s.Votes.CreateAssembly(ctx, a, "tester")
	if err != nil {
		t.Fatal(err)
	}
	w := newWindow(t)
	w.Resize(fyne.NewSize(1024, 600))
	v := newVotesScreen(w, s)
	w.SetContent(v.content)
	t.Cleanup(func() { setSignedIn("") })

	r := rand.New(rand.NewPCG(28, 8))
	papers := make([]paper, 50)
	for i := range papers {
		papers[i] = paper{no: i + 1, choices: make([]app.Choice, 5), invalid: i%17 == 16}
		for m := range papers[i].choices {
			papers[i].choices[m] = []app.Choice{app.Agree, app.Agree, app.Agree, app.Oppose, app.Abstain, app.Blank}[r.IntN(6)]
		}
	}
	b := v.entry
	session := func(entry, who string) {
		setSignedIn(who)
		b.entry.SetSelected("录入 " + entry)
		order := r.Perm(len(papers)) // the ballot box's order
		b.focus(b.no)
		for _, i := range order {
			p := papers[i]
			if n := press(t, w, keyFor(p)); n > 8 {
				t.Errorf("ballot %d took %d keys", p.no, n)
			}
			if !strings.Contains(b.status.Text, fmt.Sprintf("已保存票 %d（%s）", p.no, reg[p.no-1].ID)) {
				t.Fatalf("entry %s, ballot %d (%q): status %q", entry, p.no, keyFor(p), b.status.Text)
			}
		}
	}
	session(app.EntryA, "甲录入员")
	if got := strings.Join(v.rec.KeyersA, ","); got != "甲录入员" || !strings.Contains(b.keyer.Text, "甲录入员") {
		t.Errorf("entry A's keyers %q, label %q", got, b.keyer.Text)
	}

	// The member who keyed A cannot key B: told on switching, refused on saving.
	b.entry.SetSelected("录入 B")
	if !strings.Contains(b.status.Text, "须由另一位成员") {
		t.Errorf("switching to B as A's keyer: status %q", b.status.Text)
	}
	b.focus(b.no)
	press(t, w, keyFor(papers[20]))
	if len(v.rec.EntryB) != 0 || !strings.Contains(b.status.Text, "不能再录入B") {
		t.Fatalf("A's keyer keyed B: %d ballots, status %q", len(v.rec.EntryB), b.status.Text)
	}
	press(t, w, "\b") // back to an empty number for the other member

	session(app.EntryB, "乙录入员")
	if len(v.rec.EntryA) != 50 || len(v.rec.EntryB) != 50 || strings.Join(v.rec.KeyersB, ",") != "乙录入员" {
		t.Fatalf("entries A %d, B %d, B keyed by %v", len(v.rec.EntryA), len(v.rec.EntryB), v.rec.KeyersB)
	}
	tl, err := s.Votes.Tally(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	invalid := 0
	agree := make([]int, 5)
	for _, p := range papers {
		if p.invalid {
			invalid++
			continue
		}
		for m, c := range p.choices {
			if c == app.Agree {
				agree[m]++
			}
		}
	}
	if tl.Ballots.Unreconciled != 0 || tl.Ballots.Valid != 50-invalid || tl.Ballots.Invalid != invalid {
		t.Fatalf("ballots %+v, want %d valid, %d invalid, all reconciled", tl.Ballots, 50-invalid, invalid)
	}
	for m, want := range agree {
		if tl.Matters[m].Agree.Heads != want {
			t.Errorf("matter %d: %d agree, want %d", m+1, tl.Matters[m].Agree.Heads, want)
		}
	}
	shoot(t, w, "votes-entry-session")
}

// A scanned QR code of a printed ballot ("V0001-2") gives the number; another
// assembly's ballot is refused; Backspace before the first matter goes back to the number.
func TestBallots_ScannedCodeAndBackToNumber(t *testing.T) {
	v, _ := voteFixture(t)
	b := v.entry
	w := v.w
	b.focus(b.no)
	press(t, w, "V0002-1\n")
	if !strings.Contains(b.status.Text, "大会 V0002") || b.no.Text != "" {
		t.Fatalf("another assembly's ballot: status %q, number %q", b.status.Text, b.no.Text)
	}
	press(t, w, "V0001-2\n")
	if b.no.Text != "2" || b.unit.Text != "1-1-102" || w.Canvas().Focused() != b.choices {
		t.Fatalf("scanned ballot 2: number %q, unit %q", b.no.Text, b.unit.Text)
	}
	press(t, w, "\b3\n") // wrong paper picked up: back, type 3
	if b.no.Text != "3" || b.unit.Text != "1-1-201" {
		t.Fatalf("after going back: number %q, unit %q", b.no.Text, b.unit.Text)
	}
	press(t, w, "12")
	if len(v.rec.EntryA) != 1 || v.rec.EntryA[0].Unit != "1-1-201" || w.Canvas().Focused() != b.no {
		t.Fatalf("entry A %+v", v.rec.EntryA)
	}
	// A proxy: 8 goes to the proxy's name, Enter comes back to the matters.
	press(t, w, "\n8")
	test.Type(b.proxy, "赵六")
	press(t, w, "\n21")
	if len(v.rec.EntryA) != 2 || v.rec.EntryA[1].Proxy != "赵六" {
		t.Fatalf("proxy ballot %+v", v.rec.EntryA)
	}
}

// 打印表决票… makes the assembly's ballots, one page per unit, into the print folder.
func TestBallots_PrintButtonMakesOnePagePerUnitIntoThePrintFolder(t *testing.T) {
	v, _ := voteFixture(t)
	dir := t.TempDir()
	prefs().SetString(PrintFolderPreference, dir)
	test.Tap(button(v.entry.content, "打印表决票…"))
	path := filepath.Join(dir, "ballots-"+v.rec.Assembly.ID+".pdf")
	text := testtool.PDFText(t, path, "-layout")
	if n := strings.Count(text, "\f"); n != 3 {
		t.Errorf("%d pages, want 3 (one per unit)", n)
	}
	for _, want := range []string{"票号 1", "房号 1-1-101", "票号 3", "房号 1-1-201", "充电桩"} {
		if !strings.Contains(text, want) {
			t.Errorf("ballots lack %q", want)
		}
	}
}
