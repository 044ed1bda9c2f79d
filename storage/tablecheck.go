package storage

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/dgraph-io/badger/v4"
)

// Checking every table of a book on every open made each command pay for the whole book
// (0.35 s of the 0.57 s of `ledger balance` on the 3,000-unit, 10-year demo). A table
// file never changes once Badger has written it, so each table is checked block by block
// once — when it is first seen, which for a table this program wrote is when the book is
// closed — and remembered in checkedFile beside the store, by name, size, modification
// and status-change times and a hash of its footer. On every later open each table's
// index (its bloom filter and block offsets, whose damage would make keys look absent) is
// still checked against its checksum, which costs little; a table whose file changed in
// any way, that is not in the list, or whose last full check is older than
// recheckAfter, is checked whole again. `verify` checks every table whole (VerifyTables).
// docs/record-log.md ("Opening a book").

// checkedFile lists the tables checked whole: text, one table a line, closed by the
// SHA-256 of the lines above it; a file that does not add up is ignored (every table is
// then checked again).
const (
	checkedFile    = "TABLES-CHECKED"
	checkedTemp    = checkedFile + ".tmp"
	checkedHeader  = "sunledger-checked-tables-v1"
	recheckAfter   = 7 * 24 * time.Hour
	footerHashSize = 4 << 10
)

// tableStamp is what identifies one table file as it was checked.
type tableStamp struct {
	size   int64
	mtime  int64 // ns
	ctime  int64 // ns; 0 where the system has none
	footer string
}

// checkedTable is one line of checkedFile.
type checkedTable struct {
	stamp   tableStamp
	checked int64 // unix seconds of the last whole check
}

// stampTable reads what identifies the table at path now.
func stampTable(path string) (tableStamp, error) {
	f, err := os.Open(path)
	if err != nil {
		return tableStamp{}, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return tableStamp{}, err
	}
	st := tableStamp{size: info.Size(), mtime: info.ModTime().UnixNano(), ctime: changeTime(info)}
	off := st.size - footerHashSize
	if off < 0 {
		off = 0
	}
	h := sha256.New()
	if _, err := io.Copy(h, io.NewSectionReader(f, off, st.size-off)); err != nil {
		return tableStamp{}, err
	}
	st.footer = hex.EncodeToString(h.Sum(nil)[:16])
	return st, nil
}

// readChecked reads checkedFile of dir; an absent or damaged file lists nothing.
func readChecked(dir string) map[string]checkedTable {
	out := map[string]checkedTable{}
	b, err := os.ReadFile(filepath.Join(dir, checkedFile))
	if err != nil {
		return out
	}
	i := bytes.LastIndex(b, []byte("\nsum "))
	if i < 0 {
		return out
	}
	body := b[:i+1]
	sum := sha256.Sum256(body)
	if strings.TrimSpace(string(b[i+5:])) != hex.EncodeToString(sum[:]) {
		return out
	}
	sc := bufio.NewScanner(bytes.NewReader(body))
	if !sc.Scan() || sc.Text() != checkedHeader {
		return out
	}
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) != 6 {
			return map[string]checkedTable{}
		}
		var c checkedTable
		var errs [4]error
		c.stamp.size, errs[0] = strconv.ParseInt(f[1], 10, 64)
		c.stamp.mtime, errs[1] = strconv.ParseInt(f[2], 10, 64)
		c.stamp.ctime, errs[2] = strconv.ParseInt(f[3], 10, 64)
		c.stamp.footer = f[4]
		c.checked, errs[3] = strconv.ParseInt(f[5], 10, 64)
		for _, e := range errs {
			if e != nil {
				return map[string]checkedTable{}
			}
		}
		out[f[0]] = c
	}
	return out
}

// writeChecked replaces checkedFile of dir with list, whole or not at all. It is a
// memo, not a record: a failure (a read-only folder) only means the next open checks
// again.
func writeChecked(dir string, list map[string]checkedTable) {
	if !canWrite(dir) {
		return
	}
	names := make([]string, 0, len(list))
	for n := range list {
		names = append(names, n)
	}
	sort.Strings(names)
	var b bytes.Buffer
	b.WriteString(checkedHeader + "\n")
	for _, n := range names {
		c := list[n]
		fmt.Fprintf(&b, "%s %d %d %d %s %d\n", n, c.stamp.size, c.stamp.mtime, c.stamp.ctime, c.stamp.footer, c.checked)
	}
	sum := sha256.Sum256(b.Bytes())
	fmt.Fprintf(&b, "sum %s\n", hex.EncodeToString(sum[:]))
	if old, err := os.ReadFile(filepath.Join(dir, checkedFile)); err == nil && bytes.Equal(old, b.Bytes()) {
		return
	}
	// A name of its own: two reading programs may note their checks at once.
	tmp := filepath.Join(dir, fmt.Sprintf("%s%d", checkedTemp, os.Getpid()))
	if err := os.WriteFile(tmp, b.Bytes(), 0o600); err != nil {
		os.Remove(tmp)
		return
	}
	if err := os.Rename(tmp, filepath.Join(dir, checkedFile)); err != nil {
		os.Remove(tmp)
	}
}

// tableCheck is how thoroughly preflight checks the tables.
type tableCheck int

const (
	checkChanged tableCheck = iota // whole only the tables not checked before (every open)
	checkAll                       // every table whole (verify)
	checkRead                      // none whole: verify's pass read every block (tablecount.go)
)

// checkTables checks the tables of dir that the MANIFEST m names (tables maps id → file
// name) and notes the ones checked whole in checkedFile. It returns the first damaged
// table and its error.
func checkTables(dir string, m badger.Manifest, tables map[uint64]string, how tableCheck) (string, error) {
	memo := readChecked(dir)
	next := map[string]checkedTable{}
	now := time.Now()
	ids := make([]uint64, 0, len(tables))
	for id := range tables {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	for _, id := range ids {
		tm, ok := m.Tables[id]
		if !ok {
			continue
		}
		name := tables[id]
		path := filepath.Join(dir, name)
		st, err := stampTable(path)
		if err != nil {
			return name, err
		}
		c, seen := memo[name]
		whole := how == checkAll || !seen || c.stamp != st || now.Sub(time.Unix(c.checked, 0)) > recheckAfter || now.Before(time.Unix(c.checked, 0))
		if how == checkRead {
			whole = false // the blocks were read and checked: the index is checked here
		}
		if err := checkTable(path, tm, whole); err != nil {
			return name, err
		}
		if whole || how == checkRead {
			c = checkedTable{stamp: st, checked: now.Unix()}
		}
		next[name] = c
	}
	if len(next) > 0 || len(memo) > 0 {
		writeChecked(dir, next)
	}
	return "", nil
}

// tableChecks counts whole-table checks, for tests.
var tableChecks atomic.Int64

// noteTablesRead notes the tables (by id) whose every block verify's pass read, each
// checked by Badger against its checksum (tablecount.go), as checked whole now; their
// indexes are checked again here.
func noteTablesRead(dir string, ids map[uint64]bool) {
	f, err := listStore(dir)
	if err != nil || !f.manifest {
		return
	}
	m, err := readManifest(dir)
	if err != nil {
		return
	}
	read := map[uint64]string{}
	for id, name := range f.tables {
		if ids[id] {
			read[id] = name
		}
	}
	checkTables(dir, m, read, checkRead)
}
