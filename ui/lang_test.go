package ui

import (
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"fyne.io/fyne/v2/lang"

	"sunledger/app"
)

// uiStrings collects the Chinese keys passed to L in the screens' source.
func uiStrings(t *testing.T) map[string]string {
	t.Helper()
	files, _ := filepath.Glob("*.go")
	keys := map[string]string{}
	fset := token.NewFileSet()
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(file, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) == 0 {
				return true
			}
			if id, ok := call.Fun.(*ast.Ident); !ok || id.Name != "L" {
				return true
			}
			if lit, ok := call.Args[0].(*ast.BasicLit); ok && lit.Kind == token.STRING {
				s, _ := strconv.Unquote(lit.Value)
				keys[s] = fset.Position(lit.Pos()).String()
			}
			return true
		})
	}
	return keys
}

func TestLanguage_EveryLabelHasAnEnglishTranslation(t *testing.T) {
	en, err := readStrings("translations/en.json")
	if err != nil {
		t.Fatal(err)
	}
	var missing []string
	for k, pos := range uiStrings(t) {
		if _, ok := en[k]; !ok {
			missing = append(missing, pos+": "+strconv.Quote(k))
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("translations/en.json lacks %d labels:\n%s", len(missing), strings.Join(missing, "\n"))
	}
	for k, v := range en {
		if strings.Count(k, "%") != strings.Count(v, "%") {
			t.Errorf("en.json: %q and %q have different format verbs", k, v)
		}
	}
}

func TestLanguage_FilesMergeFyneAndOurStrings(t *testing.T) {
	for _, tc := range []struct {
		english          bool
		cancel, register string
	}{{false, "取消", "登记册"}, {true, "Cancel", "Register"}} {
		b, err := languageFile(tc.english)
		if err != nil {
			t.Fatal(err)
		}
		m := map[string]json.RawMessage{}
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		var cancel, register string
		json.Unmarshal(m["Cancel"], &cancel)
		json.Unmarshal(m["登记册"], &register)
		if cancel != tc.cancel || register != tc.register {
			t.Errorf("english=%v: Cancel→%q 登记册→%q, want %q %q", tc.english, cancel, register, tc.cancel, tc.register)
		}
	}
}

// The chosen language wins over the OS locale, for our labels and Fyne's own (each case
// runs in a fresh process: Fyne's translations are process-wide).
func TestLanguage_ChoiceWinsOverTheOSLocale(t *testing.T) {
	if os.Getenv("UI_LANG_CHILD") != "" {
		SetLanguage(os.Getenv("UI_LANG_CHILD") == "en")
		fmt.Println("RESULT", L("登记册"), lang.L("Cancel"), app.T("中", "en"))
		return
	}
	for _, tc := range []struct{ osLang, choice, want string }{
		{"zh_CN.UTF-8", "en", "RESULT Register Cancel en"},
		{"en_US.UTF-8", "zh", "RESULT 登记册 取消 中"},
		{"de_DE.UTF-8", "zh", "RESULT 登记册 取消 中"},
		{"zh_CN.UTF-8", "zh", "RESULT 登记册 取消 中"},
	} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestLanguage_ChoiceWinsOverTheOSLocale$")
		cmd.Env = append(os.Environ(), "UI_LANG_CHILD="+tc.choice, "LANG="+tc.osLang, "LC_ALL=", "LC_MESSAGES=", "LANGUAGE=")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s/%s: %v\n%s", tc.osLang, tc.choice, err, out)
		}
		if !strings.Contains(string(out), tc.want) {
			t.Errorf("OS %s, chosen %s: got %q, want %q", tc.osLang, tc.choice, out, tc.want)
		}
	}
}
