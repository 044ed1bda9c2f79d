package main

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"sunledger/storage"
)

// Owner names and ids no other test uses, so that finding one on disk means a leak.
var cryptOwners = []string{"欧阳翠花", "司马青衫", "Quokkaberg", "OWNERID-QX7731", "OWNERID-ZZ9402"}

const cryptRegister = "unit,kind,area,owner_id,owner_name,developer_held\n" +
	"1-1-101,residential,100.00,OWNERID-QX7731,欧阳翠花,0\n" +
	"1-1-102,residential,88.50,OWNERID-ZZ9402,司马青衫,0\n" +
	"2-1-101,residential,90.10,OWNERID-QX7731,欧阳翠花,0\n" +
	"P-001,parking,12.35,OWNERID-Q3,Quokkaberg,0\n"

// cliEnv runs the CLI with extra environment variables (and a private TMPDIR).
func cliEnv(t *testing.T, data string, env []string, args ...string) result {
	t.Helper()
	cmd := exec.Command(binPath, append([]string{"--data", data}, args...)...)
	cmd.Env = append(os.Environ(), "LANG=zh_CN.UTF-8", "SUNLEDGER_LANG=", "SUNLEDGER_PASSPHRASE=", "SUNLEDGER_USER=", "SUNLEDGER_BOOK_PASSPHRASE=")
	cmd.Env = append(cmd.Env, env...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	r := result{stdout: out.String(), stderr: errb.String()}
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		r.code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("run %v: %v", args, err)
	}
	if strings.Contains(r.stderr, "goroutine ") || strings.Contains(r.stderr, "panic") {
		t.Fatalf("%v panicked:\n%s", args, r.stderr)
	}
	return r
}

func okEnv(t *testing.T, data string, env []string, args ...string) result {
	t.Helper()
	r := cliEnv(t, data, env, args...)
	if r.code != 0 {
		t.Fatalf("%v: exit %d\nstdout: %s\nstderr: %s", args, r.code, r.stdout, r.stderr)
	}
	return r
}

func failsEnv(t *testing.T, data string, env []string, want string, args ...string) result {
	t.Helper()
	r := cliEnv(t, data, env, args...)
	if r.code == 0 {
		t.Fatalf("%v: succeeded, want an error\nstdout: %s", args, r.stdout)
	}
	if strings.Count(strings.TrimRight(r.stderr, "\n"), "\n") > 0 {
		t.Errorf("%v: more than one line on stderr:\n%s", args, r.stderr)
	}
	if !strings.Contains(r.stderr, want) {
		t.Errorf("%v: stderr %q does not say %q", args, r.stderr, want)
	}
	return r
}

// leaks lists "file: name" for every owner name or id found in any file under roots.
func leaks(t *testing.T, roots ...string) []string {
	t.Helper()
	var found []string
	for _, root := range roots {
		filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return nil
			}
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatalf("read %s: %v", p, err)
			}
			for _, n := range cryptOwners {
				if bytes.Contains(b, []byte(n)) {
					found = append(found, filepath.Base(p)+": "+n)
				}
			}
			return nil
		})
	}
	return found
}

// dirState is every file's content under dir, to show a refused command touched nothing.
func dirState(t *testing.T, dir string) map[string]string {
	t.Helper()
	m := map[string]string{}
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		// The count of wrong passphrases (docs/roster.md) is the one file a refusal
		// writes: it is not part of the book.
		if err == nil && !d.IsDir() && d.Name() != "passphrase-failures.json" {
			b, _ := os.ReadFile(p)
			m[p] = string(b)
		}
		return nil
	})
	return m
}

func sameState(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

const founderPass = "委员甲的长口令-42"

var founder = []string{"SUNLEDGER_USER=委员甲", "SUNLEDGER_PASSPHRASE=" + founderPass}

// cryptBook fills the book in data with the register, bills and payments; env opens it.
func cryptBook(t *testing.T, data string, env []string) {
	t.Helper()
	files := t.TempDir()
	okEnv(t, data, env, "units", "import", writeFile(t, files, "reg.csv", cryptRegister))
	okEnv(t, data, env, "fees", "price", "--kind", "residential", "--price", "1.20", "--from", "2025-01")
	okEnv(t, data, env, "fees", "price", "--kind", "parking", "--price", "0.35", "--from", "2025-01")
	okEnv(t, data, env, "fees", "bill", "--period", "2025-01", "--to", "2025-06")
	okEnv(t, data, env, "fees", "pay", "--unit", "1-1-101", "--amount", "250", "--date", "2025-04-02", "--method", "wechat")
	okEnv(t, data, env, "fees", "pay", "--unit", "P-001", "--amount", "30", "--date", "2025-04-03", "--method", "cash")
}

// TestEncryption_NoOwnerNameOnDisk: in an encrypted book no owner name or id is found in
// any file of the data folder (Badger's tables, value log, write-ahead log, key registry,
// key slots), in the backup, or in any temporary file the commands left; the same grep
// finds them in a plain book, so it does look.
func TestEncryption_NoOwnerNameOnDisk(t *testing.T) {
	slow(t, "an encrypted book: argon2id on every command")
	t.Parallel()
	for _, encrypted := range []bool{false, true} {
		parent := t.TempDir()
		data := filepath.Join(parent, "book")
		tmp := filepath.Join(parent, "tmp")
		os.Mkdir(tmp, 0o700)
		env := append([]string{"TMPDIR=" + tmp}, founder...)
		if encrypted {
			okEnv(t, data, env, "init", "--name", "加密小区", "--encrypt")
		} else {
			okEnv(t, data, env, "init", "--name", "加密小区")
		}
		cryptBook(t, data, env)
		okEnv(t, data, env, "verify")
		okEnv(t, data, env, "fees", "arrears", "--json")
		bak := filepath.Join(parent, "book.slbak")
		okEnv(t, data, append(env, "SUNLEDGER_PASSPHRASE="+founderPass), "backup", "--out", bak)
		okEnv(t, data, env, "restore", bak, "--force")
		okEnv(t, data, env, "verify")
		found := leaks(t, parent)
		if encrypted && len(found) > 0 {
			t.Errorf("encrypted book: owner names on disk: %v", found)
		}
		if !encrypted && len(found) == 0 {
			t.Errorf("plain book: the grep found no owner name at all, so it proves nothing")
		}
		if encrypted {
			// The restore kept the book encrypted.
			failsEnv(t, data, []string{"TMPDIR=" + tmp}, "加密", "verify")
		}
	}
}

// TestEncryption_BadInput: a wrong passphrase, a missing, truncated or foreign key slot
// file are refused with one clear line and leave every file as it was.
func TestEncryption_BadInput(t *testing.T) {
	slow(t, "an encrypted book: argon2id on every command")
	t.Parallel()
	parent := t.TempDir()
	data := filepath.Join(parent, "book")
	okEnv(t, data, founder, "init", "--name", "加密小区", "--encrypt")
	cryptBook(t, data, founder)
	slots := filepath.Join(data, "keyslots.json")
	good, err := os.ReadFile(slots)
	if err != nil {
		t.Fatal(err)
	}
	before := dirState(t, data)

	failsEnv(t, data, nil, "加密", "verify")
	failsEnv(t, data, []string{"SUNLEDGER_USER=委员甲", "SUNLEDGER_PASSPHRASE=不对的口令不对"}, "口令不对", "verify")
	failsEnv(t, data, []string{"SUNLEDGER_PASSPHRASE=不对的口令不对"}, "口令不对", "fees", "pay", "--unit", "1-1-101", "--amount", "1", "--date", "2025-05-01", "--method", "cash")
	failsEnv(t, data, []string{"SUNLEDGER_USER=路人", "SUNLEDGER_PASSPHRASE=" + founderPass}, "没有这个账本的密钥槽", "verify")
	if !sameState(before, dirState(t, data)) {
		t.Fatal("a refused open changed the data folder")
	}
	if _, err := os.Stat(filepath.Join(data, "passphrase-failures.json")); err != nil {
		t.Errorf("the wrong passphrases opening the book were not counted: %v", err)
	}
	// No name: every slot is tried.
	okEnv(t, data, []string{"SUNLEDGER_PASSPHRASE=" + founderPass}, "verify")

	os.WriteFile(slots, good[:len(good)/2], 0o600)
	failsEnv(t, data, founder, "keyslots.json", "verify")
	os.Remove(slots)
	r := failsEnv(t, data, founder, "keyslots.json", "ledger", "balance")
	if !strings.Contains(r.stderr, "复制回") {
		t.Errorf("no way out named: %s", r.stderr)
	}
	// Slots of another encrypted book (same founder, same passphrase): refused, never
	// opened with the wrong key.
	other := filepath.Join(parent, "other")
	okEnv(t, other, founder, "init", "--name", "别的小区", "--encrypt")
	foreign, _ := os.ReadFile(filepath.Join(other, "keyslots.json"))
	os.WriteFile(slots, foreign, 0o600)
	failsEnv(t, data, founder, "另一个账本", "verify")
	os.WriteFile(slots, good, 0o600)
	okEnv(t, data, founder, "verify")

	// The way out named for lost slots works: restore the backup over the book.
	bak := filepath.Join(parent, "b.slbak")
	okEnv(t, data, founder, "backup", "--out", bak)
	os.Remove(slots)
	r = okEnv(t, data, founder, "restore", bak, "--force")
	if !strings.Contains(r.stderr, "encrypt") {
		t.Errorf("restore over a book with lost slots did not say it is now plain: %q", r.stderr)
	}
	okEnv(t, data, nil, "verify")
}

// TestEncryption_MembersAndPassphrases: a member added gets a slot; a member removed
// loses it; changing a passphrase re-wraps only that slot.
func TestEncryption_MembersAndPassphrases(t *testing.T) {
	slow(t, "an encrypted book: argon2id on every command")
	t.Parallel()
	data := filepath.Join(t.TempDir(), "book")
	okEnv(t, data, founder, "init", "--name", "加密小区", "--encrypt")
	okEnv(t, data, founder, "members", "add", "--name", "委员甲", "--role", "chair")
	as := func(name, pass string) []string {
		return []string{"SUNLEDGER_USER=" + name, "SUNLEDGER_PASSPHRASE=" + pass}
	}
	// The operator opens the book with SUNLEDGER_BOOK_PASSPHRASE; the newcomer's own
	// passphrase comes as members add takes it.
	add := func(name, role, pass string) {
		okEnv(t, data, []string{"SUNLEDGER_USER=委员甲", "SUNLEDGER_BOOK_PASSPHRASE=" + founderPass, "SUNLEDGER_PASSPHRASE=" + pass}, "members", "add", "--name", name, "--role", role)
	}
	add("委员乙", "member", "乙的口令口令口令")
	add("委员丙", "treasurer", "丙的口令口令口令")
	okEnv(t, data, as("委员乙", "乙的口令口令口令"), "verify")

	okEnv(t, data, founder, "members", "remove", "--name", "委员乙", "--reason", "辞职")
	failsEnv(t, data, as("委员乙", "乙的口令口令口令"), "没有这个账本的密钥槽", "verify")
	failsEnv(t, data, []string{"SUNLEDGER_PASSPHRASE=乙的口令口令口令"}, "口令不对", "verify")
	okEnv(t, data, as("委员丙", "丙的口令口令口令"), "verify")

	okEnv(t, data, []string{"SUNLEDGER_USER=委员丙", "SUNLEDGER_PASSPHRASE=丙的口令口令口令", "SUNLEDGER_NEW_PASSPHRASE=丙的新口令新口令"}, "members", "passphrase", "--name", "委员丙")
	failsEnv(t, data, as("委员丙", "丙的口令口令口令"), "口令不对", "verify")
	okEnv(t, data, as("委员丙", "丙的新口令新口令"), "verify")
	okEnv(t, data, founder, "verify") // the other slots are untouched
}

// TestEncryption_ConvertPlainBook: `encrypt` turns a plain book into an encrypted one
// with a backup first; every balance is kept and verify passes after.
func TestEncryption_ConvertPlainBook(t *testing.T) {
	t.Parallel()
	parent := t.TempDir()
	data := filepath.Join(parent, "book")
	okEnv(t, data, nil, "init", "--name", "普通小区")
	cryptBook(t, data, nil)
	bal := okEnv(t, data, nil, "ledger", "balance", "--json").stdout
	arr := okEnv(t, data, nil, "fees", "arrears", "--json").stdout
	if len(leaks(t, data)) == 0 {
		t.Fatal("plain book: no owner name found, the grep proves nothing")
	}

	failsEnv(t, data, nil, "口令", "encrypt") // no passphrase
	r := okEnv(t, data, founder, "encrypt")
	if !strings.Contains(r.stdout, ".before-encrypt-") {
		t.Errorf("no backup named: %s", r.stdout)
	}
	baks, _ := filepath.Glob(data + ".before-encrypt-*.slbak")
	if len(baks) != 1 {
		t.Fatalf("backups beside the book: %v", baks)
	}
	if found := leaks(t, parent); len(found) > 0 {
		t.Errorf("after encrypt: owner names on disk: %v", found)
	}
	failsEnv(t, data, nil, "加密", "ledger", "balance")
	if got := okEnv(t, data, founder, "ledger", "balance", "--json").stdout; got != bal {
		t.Errorf("balances changed:\n%s\nwant\n%s", got, bal)
	}
	if got := okEnv(t, data, founder, "fees", "arrears", "--json").stdout; got != arr {
		t.Errorf("arrears changed:\n%s\nwant\n%s", got, arr)
	}
	okEnv(t, data, founder, "verify")
	failsEnv(t, data, founder, "已经加密", "encrypt")

	// The backup taken first restores the plain book elsewhere.
	back := filepath.Join(parent, "back")
	okEnv(t, back, founder, "restore", baks[0])
	if got := okEnv(t, back, nil, "ledger", "balance", "--json").stdout; got != bal {
		t.Errorf("restored backup balances differ")
	}
}

// TestEncryption_BadInputNothingLost: a data folder copied without its key slots, a key
// slot file cut short at any length or emptied of slots, and a member removed while the
// book is open in another program (the window) are each refused with one line that names
// the way out; nothing in the folder changes, and once the slot file is back every
// balance is as before.
func TestEncryption_BadInputNothingLost(t *testing.T) {
	slow(t, "an encrypted book: argon2id on every command")
	t.Parallel()
	parent := t.TempDir()
	data := filepath.Join(parent, "book")
	okEnv(t, data, founder, "init", "--name", "加密小区", "--encrypt")
	cryptBook(t, data, founder)
	bal := okEnv(t, data, founder, "ledger", "balance", "--json").stdout
	slots := filepath.Join(data, "keyslots.json")
	good, err := os.ReadFile(slots)
	if err != nil {
		t.Fatal(err)
	}

	// The folder copied without keyslots.json.
	copied := filepath.Join(parent, "copied")
	if err := os.CopyFS(copied, os.DirFS(data)); err != nil {
		t.Fatal(err)
	}
	os.Remove(filepath.Join(copied, "keyslots.json"))
	before := dirState(t, copied)
	for _, args := range [][]string{{"verify"}, {"ledger", "balance"}, {"fees", "pay", "--unit", "1-1-101", "--amount", "1", "--date", "2025-05-01", "--method", "cash"}, {"members", "list"}} {
		r := failsEnv(t, copied, founder, "keyslots.json", args...)
		if !strings.Contains(r.stderr, "复制回") {
			t.Errorf("%v: no way out named: %s", args, r.stderr)
		}
	}
	if !sameState(before, dirState(t, copied)) {
		t.Fatal("a refused command changed the copied folder")
	}
	os.WriteFile(filepath.Join(copied, "keyslots.json"), good, 0o600)
	if got := okEnv(t, copied, founder, "ledger", "balance", "--json").stdout; got != bal {
		t.Errorf("balances of the copy with its slots back differ")
	}

	// The slot file cut short at every kind of length, or left without slots.
	before = dirState(t, data)
	for _, n := range []int{0, 1, 2, len(good) / 4, len(good) / 2, len(good) - 3} {
		os.WriteFile(slots, good[:n], 0o600)
		r := failsEnv(t, data, founder, "keyslots.json", "verify")
		if !strings.Contains(r.stderr, "截断") && !strings.Contains(r.stderr, "没有任何密钥槽") {
			t.Errorf("cut at %d: %s", n, r.stderr)
		}
	}
	noSlots := bytes.Replace(good, good[bytes.Index(good, []byte(`"slots"`)):], []byte(`"slots": []}`), 1)
	os.WriteFile(slots, noSlots, 0o600)
	failsEnv(t, data, founder, "没有任何密钥槽", "verify")
	os.WriteFile(slots, good, 0o600)
	if !sameState(before, dirState(t, data)) {
		t.Fatal("a refused command changed the data folder")
	}
	okEnv(t, data, founder, "verify")

	// A member removed while the book is open in the window: the CLI is refused (one
	// program at a time), nothing changes; after the window closes the removal goes
	// through and the removed member's passphrase no longer opens the book.
	okEnv(t, data, founder, "members", "add", "--name", "委员甲", "--role", "chair")
	okEnv(t, data, []string{"SUNLEDGER_USER=委员甲", "SUNLEDGER_BOOK_PASSPHRASE=" + founderPass, "SUNLEDGER_PASSPHRASE=乙的口令口令口令"}, "members", "add", "--name", "委员乙", "--role", "member")
	key, err := storage.Unlock(data, "委员乙", "乙的口令口令口令")
	if err != nil {
		t.Fatal(err)
	}
	storage.UseKey(data, key)
	defer storage.ForgetKey(data)
	window, err := storage.Open(data)
	if err != nil {
		t.Fatal(err)
	}
	before = dirState(t, data)
	failsEnv(t, data, founder, "另一个", "members", "remove", "--name", "委员乙", "--reason", "辞职")
	if !sameState(before, dirState(t, data)) {
		t.Error("a refused removal changed the data folder")
	}
	if err := window.Close(); err != nil {
		t.Fatal(err)
	}
	okEnv(t, data, founder, "members", "remove", "--name", "委员乙", "--reason", "辞职")
	failsEnv(t, data, []string{"SUNLEDGER_USER=委员乙", "SUNLEDGER_PASSPHRASE=乙的口令口令口令"}, "没有这个账本的密钥槽", "verify")
	if got := okEnv(t, data, founder, "ledger", "balance", "--json").stdout; got != bal {
		t.Errorf("balances changed")
	}
}
