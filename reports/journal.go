package reports

import (
	"bufio"
	"io"
	"strconv"
	"strings"

	"sunledger/app"
)

// JournalCommodity is the commodity written after every amount in an exported journal.
const JournalCommodity = "CNY"

// WriteJournal writes the books as a plain-text journal that ledger-cli and hledger both
// read (`ledger -f F balance`, `hledger -f F balance`), with the same account names
// as `ledger balance`, so anyone can re-add the committee's books with an independent
// program. Every transaction carries its entry number as the code, and its hash, the
// previous hash and what caused it as comments, so the chain can be re-checked from
// the export too. each walks the entries oldest first.
func WriteJournal(w io.Writer, community, head string, accounts []app.Account, each func(fn func(app.Entry) error) error) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	bw.WriteString("; 阳光账本 Sunledger — " + oneLine(community) + "\n")
	bw.WriteString("; head: " + head + "\n")
	bw.WriteString("; amounts in " + JournalCommodity + "; debit positive, credit negative\n\n")
	// Declared so that `hledger check -s` and `ledger --pedantic` accept the file.
	bw.WriteString("commodity " + JournalCommodity + "\n")
	for _, t := range []string{"hash", "prev", "ref", "reverses", "who"} {
		bw.WriteString("tag " + t + "\n")
	}
	bw.WriteString("\n")
	for _, a := range accounts {
		bw.WriteString("account " + a.Name + "\n")
	}
	bw.WriteString("\n")
	buf := make([]byte, 0, 512)
	err := each(func(e app.Entry) error {
		buf = buf[:0]
		buf = append(buf, e.Date...)
		buf = append(buf, " * ("...)
		buf = strconv.AppendInt(buf, e.Seq, 10)
		buf = append(buf, ") "...)
		buf = append(buf, oneLine(e.Description)...)
		buf = append(buf, "\n    ; hash: "...)
		buf = append(buf, e.Hash...)
		buf = append(buf, "\n    ; prev: "...)
		buf = append(buf, e.PrevHash...)
		if e.Ref != "" {
			buf = append(buf, "\n    ; ref: "...)
			buf = append(buf, oneLine(e.Ref)...)
		}
		if e.Reverses != 0 {
			buf = append(buf, "\n    ; reverses: "...)
			buf = strconv.AppendInt(buf, e.Reverses, 10)
		}
		if e.Who != "" {
			buf = append(buf, "\n    ; who: "...)
			buf = append(buf, oneLine(e.Who)...)
		}
		for _, p := range e.Postings {
			buf = append(buf, "\n    "...)
			buf = append(buf, p.Account...)
			buf = append(buf, "  "...)
			buf = append(buf, p.Amount.StringFixed(2)...)
			buf = append(buf, ' ')
			buf = append(buf, JournalCommodity...)
		}
		buf = append(buf, "\n\n"...)
		_, err := bw.Write(buf)
		return err
	})
	if err != nil {
		return err
	}
	return bw.Flush()
}

// oneLine keeps free text on one line and away from the journal syntax: line breaks
// and tabs become spaces, and ';' (a comment in ledger files) becomes '；'.
func oneLine(s string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case '\n', '\r', '\t':
			return ' '
		case ';':
			return '；'
		}
		return r
	}, s)
}
