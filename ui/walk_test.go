package ui

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"sunledger/app"
)

// Every page and every tab of the demo book, walked in English, shows no Chinese but the
// book's own data (names, payees, descriptions, account names …); walked in Chinese, no
// English words but proper nouns, units and codes. Each language runs in its own
// process: Fyne's translations are process-wide.
func TestLanguage_EveryScreenIsInOneLanguage(t *testing.T) {
	if l := os.Getenv("UI_WALK_CHILD"); l != "" {
		walkScreens(t, l == "en")
		return
	}
	// The two languages walk at once, each in its own process.
	var wg sync.WaitGroup
	for _, l := range []string{"en", "zh"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cmd := exec.Command(os.Args[0], "-test.run=^TestLanguage_EveryScreenIsInOneLanguage$", "-test.count=1")
			cmd.Env = append(os.Environ(), "UI_WALK_CHILD="+l)
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Errorf("%s: %v\n%s", l, err, filterFyneNoise(string(out)))
			}
		}()
	}
	wg.Wait()
}

func filterFyneNoise(s string) string {
	var keep []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, "Fyne error") || strings.Contains(l, "  Cause:") || strings.Contains(l, "  At:") {
			continue
		}
		keep = append(keep, l)
	}
	return strings.Join(keep, "\n")
}

var (
	cjkRun  = regexp.MustCompile(`[\p{Han}]+`)
	wordRun = regexp.MustCompile(`[A-Za-z0-9]+`)
)

// englishAllowed are words the Chinese screens may show: codes, units, proper nouns.
var englishAllowed = map[string]bool{
	"pdf": true, "csv": true, "xlsx": true, "json": true, "sunledger": true, "english": true,
	"aa": true, "alt": true, "dev": true, "id": true, "ok": true, "sha": true, "ed25519": true,
	"yyyy": true, "mm": true, "dd": true, "yyyyqn": true, "qn": true, "usb": true,
	"test": true, // the version the tests give Main
}

// homeNames are the names of the files and folders in the user's folder, where Fyne's
// file dialog opens: the user's data, whatever they are on the machine the test runs on
// (a CI checkout named "sunledger-…" in it, say).
var homeNames = func() []string {
	home, err := os.UserHomeDir()
	if err != nil {
		return nil
	}
	names := strings.Split(home, string(os.PathSeparator))
	es, _ := os.ReadDir(home)
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}()

// userFile says whether txt is a file's name in the user's folder or a piece of one: the
// dialog breaks a long name over two lines and ends it with "…".
func userFile(txt string) bool {
	txt = strings.TrimSuffix(txt, "…")
	if txt == "" {
		return false
	}
	for _, n := range homeNames {
		if strings.Contains(n, txt) {
			return true
		}
	}
	return false
}

// chineseAllowed are Chinese words the English screens may show: the language switch
// names Chinese in Chinese, and 大写 is the printed term for amounts in capitals.
var chineseAllowed = map[string]bool{"中文": true, "大写": true}

func walkScreens(t *testing.T, english bool) {
	SetLanguage(english)
	s := demoBook(t)
	ctx := context.Background()
	data := bookData(t, s)
	w := newWindow(t)
	c, _ := s.Book.Community(ctx)
	bad := map[string][]string{}
	seen := 0
	check := func(where string, o fyne.CanvasObject) {
		for _, txt := range visibleTexts(o) {
			seen++
			if english {
				if userFile(txt) {
					continue
				}
				for _, run := range cjkRun.FindAllString(txt, -1) {
					if !data.cjk[run] && !chineseAllowed[run] {
						bad[txt] = append(bad[txt], where)
					}
				}
				continue
			}
			if strings.HasPrefix(txt, "/") || strings.Contains(txt, `:\`) || userFile(txt) {
				continue // a file or folder path, or (part of) a file's name
			}
			for _, word := range wordRun.FindAllString(txt, -1) {
				if len(word) < 3 || strings.IndexFunc(word, unicode.IsDigit) >= 0 {
					continue
				}
				lw := strings.ToLower(word)
				if !englishAllowed[lw] && !data.words[lw] {
					bad[txt] = append(bad[txt], where)
				}
			}
		}
	}
	for _, p := range Pages(s) {
		w.SetContent(Main(w, s, c, "test", p.ID))
		check(p.ID, w.Content())
		for _, o := range test.LaidOutObjects(w.Content()) {
			if tabs, ok := o.(*container.AppTabs); ok {
				for i := range tabs.Items {
					tabs.SelectIndex(i)
					check(fmt.Sprintf("%s tab %d", p.ID, i), w.Content())
				}
			}
		}
		for _, ov := range w.Canvas().Overlays().List() {
			check(p.ID+" dialog", ov)
		}
		// The buttons that open a dialog ("…") on the page's first tab.
		for _, o := range test.LaidOutObjects(w.Content()) {
			b, ok := o.(*widget.Button)
			if !ok || !strings.HasSuffix(b.Text, "…") || b.Disabled() {
				continue
			}
			test.Tap(b)
			for _, ov := range w.Canvas().Overlays().List() {
				check(p.ID+" dialog of "+b.Text, ov)
			}
			for w.Canvas().Overlays().Top() != nil {
				w.Canvas().Overlays().Remove(w.Canvas().Overlays().Top())
			}
		}
	}
	// The screens shown before a book is open: unlock an encrypted book, first run.
	if ms, err := s.Members.Members(ctx); err == nil && len(ms) > 0 {
		w.SetContent(UnlockBook(w, "/a/b", []string{ms[0].Name}, func(string, string) error { return nil }, func(string, string) {}))
		check("unlock", w.Content())
	}
	EncryptNewBook = func(string, string) (app.Services, error) { return s, nil }
	w.SetContent(FirstRun(w, s, "/a/b", func() {}))
	EncryptNewBook = nil
	check("first run", w.Content())
	if seen < 1000 {
		t.Errorf("only %d texts walked", seen)
	}
	t.Logf("%d texts walked", seen)
	var lines []string
	for txt, where := range bad {
		lines = append(lines, fmt.Sprintf("%q (%s)", txt, where[0]))
	}
	sort.Strings(lines)
	if len(lines) > 0 {
		lang := "English"
		if !english {
			lang = "Chinese"
		}
		t.Errorf("%d texts on the %s screens are not in %s:\n%s", len(lines), lang, lang, strings.Join(lines, "\n"))
	}
}

// visibleTexts is every text laid out under o: rendered text, placeholders, drop-down
// options and tab titles.
func visibleTexts(o fyne.CanvasObject) []string {
	var out []string
	for _, x := range test.LaidOutObjects(o) {
		switch x := x.(type) {
		case *canvas.Text:
			out = append(out, x.Text)
		case *widget.Entry:
			out = append(out, x.PlaceHolder)
		case *widget.Select:
			out = append(out, x.PlaceHolder)
			out = append(out, x.Options...)
		case *container.AppTabs:
			for _, it := range x.Items {
				out = append(out, it.Text)
			}
		}
	}
	return out
}

// demoData is what the book itself holds: Chinese runs and English words that are data,
// not labels.
type demoData struct {
	cjk   map[string]bool
	words map[string]bool
}

func bookData(t *testing.T, s app.Services) demoData {
	t.Helper()
	ctx := context.Background()
	var all []any
	add := func(v any, err error) {
		if err == nil {
			all = append(all, v)
		}
	}
	add(s.Book.Community(ctx))
	add(s.Register.Units(ctx))
	add(s.Chart.Accounts(ctx))
	add(s.Members.Members(ctx))
	add(s.Expenses.Expenses(ctx))
	add(s.Votes.Assemblies(ctx))
	add(s.Budgets.Budgets(ctx))
	add(s.Book.Audit(ctx))
	add(s.Meetings.Meetings(ctx))
	add(s.Meetings.DutyLists(ctx))
	if runs, err := s.Fees.BillingRuns(ctx); err == nil {
		for _, r := range runs {
			add(s.Fees.Bills(ctx, r.Period))
		}
	}
	s.Ledger.EachEntry(ctx, func(e app.Entry) error {
		all = append(all, e)
		return nil
	})
	b, err := json.Marshal(all)
	if err != nil {
		t.Fatal(err)
	}
	text := string(b)
	d := demoData{cjk: map[string]bool{}, words: map[string]bool{}}
	for _, r := range cjkRun.FindAllString(text, -1) {
		d.cjk[r] = true
		// A cell too narrow shows the start of its text.
		rs := []rune(r)
		for j := 1; j <= len(rs); j++ {
			d.cjk[string(rs[:j])] = true
		}
	}
	for _, wd := range wordRun.FindAllString(text, -1) {
		d.words[strings.ToLower(wd)] = true
	}
	return d
}
