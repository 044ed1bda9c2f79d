package snapshot

// journalcsv.go: the journal's one format in a snapshot, a CSV file per period (UTF-8
// with a BOM, for Excel), one row per posting. It is read back exactly: verify and the
// owner viewer recompute every entry's hash from it (docs/formats.md). Cells are written
// as sheet.SafeCell does (a formula-like cell gets a leading ') and, so that this can be
// undone, a cell that starts with ' gets one more; reading strips one leading '. The
// reader takes the CSV as encoding/csv writes it (fields quoted when they hold a comma,
// a quote, CR or LF or start with a space; "" inside quotes) and nothing looser.

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"sunledger/app"
	"sunledger/sheet"
)

// JournalHeader is the header row of a period's journal file.
var JournalHeader = []string{"seq", "date", "description", "account", "amount", "ref", "reverses", "who"}

// journalCell is the cell written for s: sheet.SafeCell, and one more ' before a cell
// that starts with one.
func journalCell(s string) string {
	if strings.HasPrefix(s, "'") {
		return "'" + s
	}
	return sheet.SafeCell(s)
}

// journalText undoes journalCell.
func journalText(c string) string { return strings.TrimPrefix(c, "'") }

// journalWriter writes entries as rows.
type journalWriter struct {
	cw  *csv.Writer
	row []string
}

func newJournalWriter(w io.Writer) (*journalWriter, error) {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return nil, app.Internal(err)
	}
	j := &journalWriter{cw: csv.NewWriter(w), row: make([]string, len(JournalHeader))}
	return j, j.cw.Write(JournalHeader)
}

// add writes e's rows: one per posting.
func (j *journalWriter) add(e app.Entry) error {
	rev := ""
	if e.Reverses != 0 {
		rev = strconv.FormatInt(e.Reverses, 10)
	}
	seq := strconv.FormatInt(e.Seq, 10)
	for _, p := range e.Postings {
		r := j.row
		r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7] = seq, journalCell(e.Date), journalCell(e.Description), journalCell(p.Account), amt(p.Amount), journalCell(e.Ref), rev, journalCell(e.Who)
		if err := j.cw.Write(r); err != nil {
			return app.Internal(err)
		}
	}
	return nil
}

func (j *journalWriter) flush() error {
	j.cw.Flush()
	return j.cw.Error()
}

// csvRows reads the records of CSV text as encoding/csv writes them, exactly.
type csvRows struct {
	r    *bufio.Reader
	line int
	buf  bytes.Buffer
}

var errCSV = errors.New("not the journal's CSV")

// next reads one record into rec (reused); io.EOF at the end.
func (c *csvRows) next(rec []string) ([]string, error) {
	rec = rec[:0]
	if _, err := c.r.Peek(1); err == io.EOF {
		return nil, io.EOF
	}
	c.line++
	for {
		c.buf.Reset()
		b, err := c.r.ReadByte()
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", c.line, errCSV)
		}
		if b == '"' {
			for {
				b, err := c.r.ReadByte()
				if err != nil {
					return nil, fmt.Errorf("line %d: unterminated quote", c.line)
				}
				if b == '"' {
					nb, err := c.r.ReadByte()
					if err == nil && nb == '"' {
						c.buf.WriteByte('"')
						continue
					}
					if err == nil {
						c.r.UnreadByte()
					}
					break
				}
				if b == '\n' {
					c.line++
				}
				c.buf.WriteByte(b)
			}
			b, err = c.r.ReadByte()
			if err != nil {
				return nil, fmt.Errorf("line %d: the file does not end with a line feed", c.line)
			}
		} else {
			for b != ',' && b != '\n' {
				if b == '"' || b == '\r' {
					return nil, fmt.Errorf("line %d: %w", c.line, errCSV)
				}
				c.buf.WriteByte(b)
				if b, err = c.r.ReadByte(); err != nil {
					return nil, fmt.Errorf("line %d: the file does not end with a line feed", c.line)
				}
			}
		}
		rec = append(rec, c.buf.String())
		switch b {
		case ',':
			continue
		case '\n':
			return rec, nil
		default:
			return nil, fmt.Errorf("line %d: %w", c.line, errCSV)
		}
	}
}

// readJournal reads a period's journal file and calls fn with each entry (without
// its hashes), in the file's order. The rows of one entry must agree on everything but
// the account and the amount.
func readJournal(r io.Reader, name string, fn func(app.Entry) error) error {
	bad := func(err error) error {
		return app.Errorf(app.EINVALID, "%s 格式有误：%v", "%s is malformed: %v", name, err)
	}
	br := bufio.NewReaderSize(r, 1<<16)
	bom := make([]byte, 3)
	if _, err := io.ReadFull(br, bom); err != nil || string(bom) != "\ufeff" {
		return bad(errors.New("no UTF-8 byte-order mark"))
	}
	c := &csvRows{r: br}
	rec, err := c.next(nil)
	if err != nil || strings.Join(rec, ",") != strings.Join(JournalHeader, ",") {
		return bad(errors.New("the header is not " + strings.Join(JournalHeader, ",")))
	}
	var cur *app.Entry
	for {
		rec, err = c.next(rec)
		if err == io.EOF {
			break
		}
		if err != nil {
			return bad(err)
		}
		if len(rec) != len(JournalHeader) {
			return bad(fmt.Errorf("line %d has %d cells", c.line, len(rec)))
		}
		seq, err := strconv.ParseInt(rec[0], 10, 64)
		if err != nil || seq < 1 || strconv.FormatInt(seq, 10) != rec[0] {
			return bad(fmt.Errorf("line %d: seq %q", c.line, rec[0]))
		}
		var rev int64
		if rec[6] != "" {
			if rev, err = strconv.ParseInt(rec[6], 10, 64); err != nil || rev < 1 || strconv.FormatInt(rev, 10) != rec[6] {
				return bad(fmt.Errorf("line %d: reverses %q", c.line, rec[6]))
			}
		}
		amount, err := decimal.NewFromString(rec[4])
		if err != nil || amt(amount) != rec[4] {
			return bad(fmt.Errorf("line %d: amount %q", c.line, rec[4]))
		}
		e := app.Entry{Seq: seq, Date: journalText(rec[1]), Description: journalText(rec[2]), Ref: journalText(rec[5]), Reverses: rev, Who: journalText(rec[7])}
		if cur != nil && cur.Seq == seq {
			if cur.Date != e.Date || cur.Description != e.Description || cur.Ref != e.Ref || cur.Reverses != e.Reverses || cur.Who != e.Who {
				return bad(fmt.Errorf("line %d: the rows of entry #%d differ", c.line, seq))
			}
			cur.Postings = append(cur.Postings, app.Posting{Account: journalText(rec[3]), Amount: amount})
			continue
		}
		if cur != nil {
			if err := fn(*cur); err != nil {
				return err
			}
		}
		e.Postings = []app.Posting{{Account: journalText(rec[3]), Amount: amount}}
		cur = &e
	}
	if cur != nil {
		return fn(*cur)
	}
	return nil
}

var errFirst = errors.New("first entry read")

// FirstEntryDate is the date of the first entry of a period's journal CSV ("" if it has
// none), read without the rest of the file.
func FirstEntryDate(r io.Reader, name string) (string, error) {
	date := ""
	err := readJournal(r, name, func(e app.Entry) error { date = e.Date; return errFirst })
	if errors.Is(err, errFirst) {
		err = nil
	}
	return date, err
}
