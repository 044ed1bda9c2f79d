package main

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestUnits_ImportListAndBadFiles(t *testing.T) {
	t.Parallel()
	data, files := t.TempDir(), t.TempDir()
	fails(t, data, "units", "list") // no book yet
	ok(t, data, "init", "--name", "阳光花园")
	fails(t, data, "init", "--name", "again")

	good := writeFile(t, files, "good.csv", "\ufeff房号,类型,面积,业主编号,业主姓名,开发商持有\n"+
		"3-2-1501,住宅,88.50,O1,张三,0\n3-2-901,住宅,70,O1,张三,0\n1-1-101,住宅,90.25,O2,李四、王五,0\nP-1,车位,12,,,是\n")
	r := ok(t, data, "units", "import", good)
	if !strings.Contains(r.stdout, "4 个房号") {
		t.Errorf("import said %q", r.stdout)
	}

	before := ok(t, data, "units", "list", "--json").stdout
	for name, content := range map[string]string{
		"dup.csv":     "unit,kind,area,owner_id\n9-1-101,residential,80,X\n9-1-101,residential,80,Y\n",
		"zero.csv":    "unit,kind,area,owner_id\n9-1-101,residential,0,X\n",
		"neg.csv":     "unit,kind,area,owner_id\n9-1-101,residential,-1,X\n",
		"abc.csv":     "unit,kind,area,owner_id\n9-1-101,residential,abc,X\n",
		"3dec.csv":    "unit,kind,area,owner_id\n9-1-101,residential,80.123,X\n",
		"noowner.csv": "unit,kind,area,owner_id\n9-1-102,residential,80,X\n9-1-101,residential,80,\n",
		"empty.csv":   "",
		"newline.csv": "unit,kind,area,owner_id\n\"9-1-\n101\",residential,80,X\n",
		"notcsv.pdf":  "%PDF-1.4\x00\x01\x02",
	} {
		r := fails(t, data, "units", "import", writeFile(t, files, name, content))
		if !strings.Contains(r.stderr, "错误") || !strings.Contains(r.stderr, "没有导入任何房号") {
			t.Errorf("%s: stderr %q should say that no unit was imported", name, r.stderr)
		}
	}
	r = fails(t, data, "units", "import", files+"/missing.csv")
	if !strings.Contains(r.stderr, "找不到文件") {
		t.Errorf("missing file: %q", r.stderr)
	}
	if after := ok(t, data, "units", "list", "--json").stdout; after != before {
		t.Errorf("a failed import changed the register")
	}

	var units []map[string]any
	if err := json.Unmarshal([]byte(before), &units); err != nil {
		t.Fatal(err)
	}
	if len(units) != 4 || units[0]["unit"] != "1-1-101" || units[1]["unit"] != "3-2-901" || units[0]["area"] != "90.25" {
		t.Errorf("units list --json = %s", before)
	}
}

func TestCLI_UnknownCommandAndVersion(t *testing.T) {
	t.Parallel()
	data := t.TempDir()
	fails(t, data, "frobnicate")
	if r := ok(t, data, "--version"); !strings.HasPrefix(r.stdout, "sunledger-cli ") {
		t.Errorf("version: %q", r.stdout)
	}
}

func TestCLI_ReadingAMistypedFolderCreatesNothing(t *testing.T) {
	t.Parallel()
	data := filepath.Join(t.TempDir(), "typo")
	r := fails(t, data, "units", "list")
	if !strings.Contains(r.stderr, "还没有账本") {
		t.Errorf("stderr %q", r.stderr)
	}
	if _, err := os.Stat(data); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("units list created %s: %v", data, err)
	}
}
