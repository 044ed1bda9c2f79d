package ui

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
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
