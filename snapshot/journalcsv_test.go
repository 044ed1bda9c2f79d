package snapshot

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"sunledger/app"
)

func csvEntries() []app.Entry {
	texts := []string{"plain 物业费", "=SUM(A1)", "'quoted", "''twice", "a,b", "line\nbreak", "cr\r\nlf", " leading space",
		`say "hi"`, "-5 apples", "@x", "\ttab", "+1", "\\.", "'=both"}
	var es []app.Entry
	for i, s := range texts {
		es = append(es, app.Entry{Seq: int64(i + 1), Date: "2026-01-02", Description: s, Ref: "receipt:R" + s, Who: s, Reverses: int64(i % 3),
			Postings: []app.Posting{{Account: "资产:" + s, Amount: decimal.RequireFromString("-12.50")}, {Account: "收入:x", Amount: decimal.RequireFromString("12.5")}}})
	}
	return es
}

// TestJournalCSV_EveryTextReadsBackExactly: what the journal CSV holds reads back to
// the same entries, whatever the text: formula-like cells (written with a leading '),
// cells that start with ' themselves, commas, quotes, line breaks with and without CR,
// leading spaces; so that an entry's hash can be recomputed from its rows.
func TestJournalCSV_EveryTextReadsBackExactly(t *testing.T) {
	es := csvEntries()
	b := periodCSV(t, es)
	if !bytes.Contains(b, []byte(",'=SUM(A1),")) || !bytes.Contains(b, []byte(",'''twice,")) {
		t.Errorf("a formula-like cell or one starting with ' is not marked:\n%s", b)
	}
	got := periodEntries(t, b)
	for i := range es {
		es[i].Postings[1].Amount = decimal.RequireFromString("12.50")
	}
	if len(got) != len(es) {
		t.Fatalf("%d entries read back, %d written", len(got), len(es))
	}
	for i := range es {
		if app.EntryHash(got[i]) != app.EntryHash(es[i]) {
			t.Errorf("entry %d reads back as %+v, written %+v", i+1, got[i], es[i])
		}
	}
	if d, err := FirstEntryDate(bytes.NewReader(b), "x.csv"); err != nil || d != "2026-01-02" {
		t.Errorf("FirstEntryDate: %q %v", d, err)
	}
}

// TestJournalCSV_AnythingLooserIsRefused: the reader takes the CSV exactly as written;
// each variation below is refused rather than read another way.
func TestJournalCSV_AnythingLooserIsRefused(t *testing.T) {
	good := string(periodCSV(t, csvEntries()[:2]))
	for name, b := range map[string]string{
		"no BOM":                 strings.TrimPrefix(good, "\ufeff"),
		"another header":         strings.Replace(good, "seq,date", "no,date", 1),
		"CRLF line ends":         strings.ReplaceAll(good, "\n", "\r\n"),
		"amount with 1 decimal":  strings.Replace(good, "-12.50", "-12.5", 1),
		"amount with a plus":     strings.Replace(good, ",12.50,", ",+12.50,", 1),
		"no final line feed":     strings.TrimSuffix(good, "\n"),
		"a stray quote":          strings.Replace(good, "plain 物业费", `plain "物业费`, 1),
		"rows of one entry vary": strings.Replace(good, "1,2026-01-02,plain 物业费,收入", "1,2026-01-03,plain 物业费,收入", 1),
		"a cell short":           strings.Replace(good, ",receipt:Rplain 物业费,,plain", ",receipt:Rplain 物业费,plain", 1),
		"seq 01":                 strings.Replace(good, "\n1,", "\n01,", 1),
	} {
		if b == good {
			t.Fatalf("%s: the variation changed nothing", name)
		}
		err := readJournal(strings.NewReader(b), "p.csv", func(app.Entry) error { return nil })
		if err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// FuzzReadJournal: whatever the bytes, the reader either refuses them or gives entries
// that, written again, read back the same.
func FuzzReadJournal(f *testing.F) {
	f.Add(periodCSV(f, csvEntries()))
	f.Add([]byte("\ufeffseq,date,description,account,amount,ref,reverses,who\n1,d,\"a\"\"b\",x,1.00,,,w\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		var es []app.Entry
		if err := readJournal(bytes.NewReader(b), "f.csv", func(e app.Entry) error { es = append(es, e); return nil }); err != nil {
			return
		}
		again := periodEntries(t, periodCSV(t, es))
		if len(es) == 0 && len(again) == 0 {
			return
		}
		if !reflect.DeepEqual(again, es) {
			t.Fatalf("read %+v, written and read again %+v", es, again)
		}
	})
}
