package app

import (
	"context"
	"strconv"
	"strings"
	"time"
)

// PrintRecord is one print of a document that must say when it is a copy (补打): which
// document, the how-manyth print it was, who printed it and when. The print log is
// append-only and audited (docs/notices.md "Print log").
type PrintRecord struct {
	Doc string    `json:"doc"` // e.g. ReceiptDoc("R00000012") = "receipt/R00000012"
	N   int64     `json:"n"`   // 1 for the first print, 2 for the first reprint, …
	Who string    `json:"who"`
	At  time.Time `json:"at"`
}

// Reprint reports whether the document had been printed before this print: the copy
// must then say 补打.
func (r PrintRecord) Reprint() bool { return r.N > 1 }

// ReceiptDoc names a receipt in the print log.
func ReceiptDoc(receipt string) string {
	return "receipt/" + strings.ToUpper(strings.TrimSpace(receipt))
}

// TallyDoc names an assembly's result announcement (表决结果公告) in the print log: its
// first print is when the result was announced, from which the 公示期 runs before the
// maintenance fund may pay against it (docs/maintenance.md).
func TallyDoc(vote string) string {
	return "tally/" + strings.ToUpper(strings.TrimSpace(vote))
}

// PrintService keeps the print log. The CLI and the GUI record every print of a receipt
// through it, before the file is written, and print 补打 when the record says Reprint: a
// print that failed to save still counts, so two copies never both look like the original.
type PrintService interface {
	// RecordPrint appends a print of doc by who and returns it, numbered. ENOTFOUND for
	// a receipt that does not exist, EINVALID for a bad document name.
	RecordPrint(ctx context.Context, doc, who string) (PrintRecord, error)
	// Prints lists the prints of doc, oldest first.
	Prints(ctx context.Context, doc string) ([]PrintRecord, error)
	// Reference numbers a public notice the first time it is printed: N is the next of
	// kind's sequence in year, and the same document (kind and what, e.g. the arguments
	// it was made from) printed again gets the number it got then. Audited when new.
	Reference(ctx context.Context, kind string, year int, what, who string) (DocRef, error)
}

// DocRef is a public notice's number (文号): the N-th notice of Kind printed in Year,
// printed as RefText gives it (docs/notices.md "Document numbers").
type DocRef struct {
	Kind string    `json:"kind"`
	Year int       `json:"year"`
	N    int64     `json:"n"`
	What string    `json:"what"`
	Who  string    `json:"who"`
	At   time.Time `json:"at"`
}

// RefText is the reference a notice prints: the community's short name (its name less
// a trailing 小区 or 社区), 业委, the year in 〔〕 and 第N号: 阳光花园业委〔2026〕第12号.
func (r DocRef) RefText(community string) string {
	c := strings.TrimSpace(community)
	for _, suffix := range []string{"小区", "社区"} {
		if t := strings.TrimSuffix(c, suffix); t != "" {
			c = t
		}
	}
	return c + "业委〔" + strconv.Itoa(r.Year) + "〕第" + strconv.FormatInt(r.N, 10) + "号"
}
