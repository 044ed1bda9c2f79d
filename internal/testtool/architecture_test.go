package testtool

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// The module's packages as `go list` sees them, relative to the module root.

const module = "sunledger"

// goList runs `go list` in the module root with args and returns its lines.
func goList(t *testing.T, args ...string) []string {
	t.Helper()
	goBin := Require(t, "go")
	cmd := exec.Command(goBin, append([]string{"list"}, args...)...)
	cmd.Dir = filepath.Join("..", "..")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list %v: %v", args, err)
	}
	return strings.Fields(string(out))
}

// rel is a package's path inside the module ("sunledger/ui" → "ui").
func rel(pkg string) string { return strings.TrimPrefix(pkg, module+"/") }

func architecture(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "docs", "architecture.md"))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestArchitecture_PackageMapIsGoList: docs/architecture.md's package map names every
// package of the module and nothing else.
func TestArchitecture_PackageMapIsGoList(t *testing.T) {
	doc := architecture(t)
	start := strings.Index(doc, "```\n")
	end := strings.Index(doc[start+4:], "```")
	if start < 0 || end < 0 {
		t.Fatal("docs/architecture.md has no package map")
	}
	var mapped []string
	for _, line := range strings.Split(strings.TrimSpace(doc[start+4:start+4+end]), "\n") {
		f := strings.Fields(line)
		if len(f) < 2 {
			t.Errorf("package map line %q says nothing about the package", line)
			continue
		}
		mapped = append(mapped, strings.TrimSuffix(f[0], "/"))
	}
	var pkgs []string
	for _, p := range goList(t, "./...") {
		pkgs = append(pkgs, rel(p))
	}
	for _, p := range pkgs {
		if !slices.Contains(mapped, p) {
			t.Errorf("package %s is missing from docs/architecture.md's package map", p)
		}
	}
	for _, p := range mapped {
		if !slices.Contains(pkgs, p) {
			t.Errorf("docs/architecture.md's package map lists %s, which is not a package", p)
		}
	}
}

// TestArchitecture_FrontEndsImportWhatTheDocSays: the table of what each front end
// imports is what `go list` says it imports.
func TestArchitecture_FrontEndsImportWhatTheDocSays(t *testing.T) {
	doc := architecture(t)
	i := strings.Index(doc, "| front end |")
	if i < 0 {
		t.Fatal("docs/architecture.md has no table of front ends")
	}
	table, _, _ := strings.Cut(doc[i:], "\n\n")
	row := regexp.MustCompile("(?m)^\\| `([a-z/-]+)`[^|]*\\| ([^|]+)\\|")
	rows := row.FindAllStringSubmatch(table, -1)
	if len(rows) < 3 {
		t.Fatalf("docs/architecture.md has %d rows of front ends, want 3", len(rows))
	}
	for _, r := range rows {
		var said []string
		for _, x := range regexp.MustCompile("`([^`]+)`").FindAllStringSubmatch(r[2], -1) {
			said = append(said, x[1])
		}
		var imports []string
		for _, p := range goList(t, "-f", `{{join .Imports " "}}`, "./"+r[1]) {
			if strings.HasPrefix(p, module+"/") {
				imports = append(imports, rel(p))
			}
		}
		slices.Sort(said)
		if !slices.Equal(said, imports) {
			t.Errorf("docs/architecture.md says %s imports %v; go list says %v", r[1], said, imports)
		}
	}
}

// TestArchitecture_DependenciesPointInward: the domain depends on no front end, store,
// printer or toolkit; only the packages the page names import Fyne, gofpdf, Badger and
// minio-go; the snapshot and the S3 store never pull in gofpdf, the CLI never Fyne.
func TestArchitecture_DependenciesPointInward(t *testing.T) {
	heavy := map[string]string{"fyne.io/fyne/v2": "Fyne", "github.com/jung-kurt/gofpdf": "gofpdf",
		"github.com/dgraph-io/badger/v4": "Badger", "github.com/minio/minio-go/v7": "minio-go"}
	only := map[string][]string{"Fyne": {"ui", "theme", "cmd/sunledger"}, "gofpdf": {"reports"},
		"Badger": {"storage"}, "minio-go": {"s3store"}}
	which := func(path string) string {
		for prefix, name := range heavy {
			if path == prefix || strings.HasPrefix(path, prefix+"/") {
				return name
			}
		}
		return ""
	}
	for _, line := range goList(t, "-f", `{{.ImportPath}}:{{join .Imports ","}}`, "./...") {
		pkg, imports, _ := strings.Cut(line, ":")
		for _, imp := range strings.Split(imports, ",") {
			if name := which(imp); name != "" && !slices.Contains(only[name], rel(pkg)) {
				t.Errorf("%s imports %s (%s): only %v may", rel(pkg), name, imp, only[name])
			}
		}
	}
	never := map[string][]string{
		"app":               {"Fyne", "gofpdf", "Badger", "minio-go", "ui", "cmd", "storage", "reports", "snapshot", "s3store", "sheet", "demo", "theme"},
		"snapshot":          {"gofpdf", "Fyne"},
		"s3store":           {"gofpdf", "Fyne"},
		"cmd/sunledger-cli": {"Fyne"},
	}
	for pkg, banned := range never {
		for _, dep := range goList(t, "-deps", "./"+pkg) {
			name := which(dep)
			if name == "" && strings.HasPrefix(dep, module+"/") {
				name, _, _ = strings.Cut(rel(dep), "/")
			}
			if slices.Contains(banned, name) {
				t.Errorf("%s depends on %s (%s)", pkg, name, dep)
			}
		}
	}
}

// TestArchitecture_CitedFilesExist: every file docs/architecture.md names by its path is
// there.
func TestArchitecture_CitedFilesExist(t *testing.T) {
	cited := regexp.MustCompile("`([a-z.][a-z0-9_./-]*/[a-z0-9_.-]+\\.(go|sh|md))`")
	for _, m := range cited.FindAllStringSubmatch(architecture(t), -1) {
		if _, err := os.Stat(filepath.Join("..", "..", m[1])); err != nil {
			t.Errorf("docs/architecture.md cites %s, which does not exist", m[1])
		}
	}
}
