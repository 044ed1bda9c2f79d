package app

import (
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

func snapChain(t *testing.T, n int) []Entry {
	t.Helper()
	var out []Entry
	prev := ""
	for i := 1; i <= n; i++ {
		e := Seal(Entry{Seq: int64(i), Date: "2026-01-15", Description: "收物业费", Who: "张三",
			Postings: []Posting{
				{Account: "资产:物业服务资金:银行存款", Amount: decimal.RequireFromString("100.50")},
				{Account: "收入:物业服务资金:物业费", Amount: decimal.RequireFromString("-100.50")},
			}}, prev)
		prev = e.Hash
		out = append(out, e)
	}
	return out
}

func TestSnapshotComment_RoundTripsWithSpacesInTheName(t *testing.T) {
	for _, name := range []string{"阳光花园小区", "Sunny Gardens  Phase 2", "a head:x b"} {
		m := Manifest{Community: name, Head: strings.Repeat("ab", 32), Entries: 42, Created: time.Unix(1795321979, 0)}
		c, err := ParseSnapshotComment(SnapshotComment(m))
		if err != nil {
			t.Fatalf("%q: %v", name, err)
		}
		if c.Head != m.Head || c.Entries != 42 || c.Time != 1795321979 {
			t.Errorf("%q: got %+v", name, c)
		}
		if err := m.CheckClaim(c); err != nil {
			t.Errorf("%q: %v", name, err)
		}
	}
}

func TestSnapshotComment_NewlineInNameStaysOneLine(t *testing.T) {
	s := SnapshotComment(Manifest{Community: "阳光\n花园", Head: "h"})
	if strings.ContainsAny(s, "\r\n") {
		t.Fatalf("comment has a line break: %q", s)
	}
}

func TestParseSnapshotComment_RejectsOtherComments(t *testing.T) {
	for _, s := range []string{"", "timestamp:1795321979", "sunledger snapshot community:x", "sunledger snapshot community:x head:h entries:n time:1",
		"sunledger snapshot community:x head:h entries:1", "sunledger snapshot community:x head:h entries:-1 time:1"} {
		if _, err := ParseSnapshotComment(s); err == nil {
			t.Errorf("%q accepted", s)
		}
	}
}

func TestManifestCheckClaim_DifferentHeadFails(t *testing.T) {
	m := Manifest{Community: "阳光花园小区", Head: "aa", Entries: 3}
	for _, c := range []SnapshotClaim{{Community: "别的小区", Head: "aa", Entries: 3}, {Community: "阳光花园小区", Head: "bb", Entries: 3}, {Community: "阳光花园小区", Head: "aa", Entries: 2}} {
		if err := m.CheckClaim(c); err == nil {
			t.Errorf("claim %+v accepted", c)
		}
	}
}

func TestManifestCheckFiles_NamesTheMissingExtraOrChangedFile(t *testing.T) {
	m := Manifest{Format: SnapshotFormat, Files: []ManifestFile{{"units.csv", 10, "aa"}, {"journal.json", 20, "bb"}}}
	cases := []struct {
		name  string
		found []ManifestFile
		want  string // "" = valid
	}{
		{"same", []ManifestFile{{"journal.json", 20, "BB"}, {"units.csv", 10, "aa"}}, ""},
		{"missing", []ManifestFile{{"units.csv", 10, "aa"}}, "journal.json"},
		{"extra", []ManifestFile{{"units.csv", 10, "aa"}, {"journal.json", 20, "bb"}, {"evil.csv", 1, "cc"}}, "evil.csv"},
		{"changed hash", []ManifestFile{{"units.csv", 10, "ab"}, {"journal.json", 20, "bb"}}, "units.csv"},
		{"changed size", []ManifestFile{{"units.csv", 11, "aa"}, {"journal.json", 20, "bb"}}, "units.csv"},
		{"twice", []ManifestFile{{"units.csv", 10, "aa"}, {"units.csv", 10, "aa"}, {"journal.json", 20, "bb"}}, "units.csv"},
	}
	for _, c := range cases {
		err := m.CheckFiles(c.found)
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%s: %v", c.name, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%s: error %v should name %s", c.name, err, c.want)
		}
	}
	if err := (Manifest{Format: "other"}).CheckFiles(nil); err == nil {
		t.Error("unknown format accepted")
	}
}

func TestVerifyEntries_AlteredEntryBreaksTheChain(t *testing.T) {
	es := snapChain(t, 5)
	c, err := VerifyEntries(es)
	if err != nil {
		t.Fatal(err)
	}
	m := Manifest{Head: es[4].Hash, Entries: 5}
	if err := m.CheckChain(c); err != nil {
		t.Fatal(err)
	}
	if err := (Manifest{Head: es[3].Hash, Entries: 4}).CheckChain(c); err == nil {
		t.Error("a manifest naming an older head accepted")
	}

	altered := append([]Entry(nil), es...)
	altered[2].Postings = []Posting{
		{Account: "资产:物业服务资金:银行存款", Amount: decimal.RequireFromString("10.50")},
		{Account: "收入:物业服务资金:物业费", Amount: decimal.RequireFromString("-10.50")},
	}
	if _, err := VerifyEntries(altered); err == nil || !strings.Contains(err.Error(), "#3") {
		t.Errorf("altered amount: %v", err)
	}
	// Re-sealing the altered entry moves the break to the next one.
	altered[2] = Seal(altered[2], altered[1].Hash)
	if _, err := VerifyEntries(altered); err == nil || !strings.Contains(err.Error(), "#4") {
		t.Errorf("re-sealed entry: %v", err)
	}
	// Dropping the newest entries leaves a valid but shorter chain: the manifest catches it.
	c, err = VerifyEntries(es[:3])
	if err != nil {
		t.Fatal(err)
	}
	if err := m.CheckChain(c); err == nil {
		t.Error("truncated journal accepted")
	}
	if _, err := VerifyEntries(append(es[:1:1], es[2:]...)); err == nil {
		t.Error("a gap in the chain accepted")
	}
}

func FuzzParseSnapshotComment(f *testing.F) {
	f.Add(SnapshotComment(Manifest{Community: "阳光花园小区", Head: "ab", Entries: 3, Created: time.Unix(1, 0)}))
	f.Add("sunledger snapshot community: head: entries:0 time:0")
	f.Add("timestamp:1")
	f.Fuzz(func(t *testing.T, s string) {
		c, err := ParseSnapshotComment(s)
		if err != nil {
			return
		}
		if c.Entries < 0 {
			t.Fatalf("negative entries from %q", s)
		}
		m := Manifest{Community: c.Community, Head: c.Head, Entries: c.Entries, Created: time.Unix(c.Time, 0)}
		if strings.Join(strings.Fields(c.Community), " ") == c.Community && !strings.ContainsAny(c.Head, " \t\r\n\v\f\u0085\u00a0") {
			again, err := ParseSnapshotComment(SnapshotComment(m))
			if err != nil || again != c {
				t.Fatalf("%q: round trip gave %+v, %v", s, again, err)
			}
		}
	})
}

func TestCheckPublished_TheChainMustStillHoldEveryPublishedHead(t *testing.T) {
	chain := snapChain(t, 5)
	hashAt := func(es []Entry) func(int64) (string, bool) {
		return func(seq int64) (string, bool) {
			if seq < 1 || seq > int64(len(es)) {
				return "", false
			}
			return es[seq-1].Hash, true
		}
	}
	forged := append([]Entry{}, chain...)
	forged[1].Description = "改写"
	prev := forged[0].Hash
	for i := 1; i < len(forged); i++ {
		forged[i] = Seal(forged[i], prev)
		prev = forged[i].Hash
	}
	at := time.Date(2026, 4, 1, 9, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		name  string
		heads []PublishedHead
		es    []Entry
		want  string // "" = passes
	}{
		{"no heads published", nil, chain, ""},
		{"an honest longer chain extends every head", []PublishedHead{{Seq: 2, Hash: chain[1].Hash, What: "report a.pdf", At: at}, {Seq: 5, Hash: chain[4].Hash, What: "snapshot s.zip", At: at}}, chain, ""},
		{"a head before the rewrite still holds, the first one after fails", []PublishedHead{{Seq: 1, Hash: chain[0].Hash, What: "report a.pdf", At: at}, {Seq: 3, Hash: chain[2].Hash, What: "snapshot s1.zip", At: at}, {Seq: 5, Hash: chain[4].Hash, What: "snapshot s2.zip", At: at}}, forged, "#3 " + chain[2].Hash + "（snapshot s1.zip）"},
		{"a cut chain", []PublishedHead{{Seq: 5, Hash: chain[4].Hash, What: "snapshot s.zip", At: at}}, chain[:4], "#5"},
		{"an empty journal's head (seq 0) is nothing to check", []PublishedHead{{Seq: 0, Hash: ""}}, nil, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := CheckPublished(c.heads, hashAt(c.es))
			if c.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want one naming %q", err, c.want)
			}
		})
	}
}
