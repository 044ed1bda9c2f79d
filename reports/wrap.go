package reports

// wrap.go breaks text into lines (Wrap) and fits table cells (wrapCell, clip) without
// splitting a term or a word.

import (
	"strings"
	"unicode"

	"github.com/jung-kurt/gofpdf"
)

// shortTerm is how many characters a cell may have and still be kept on one line: a
// category such as 人员费用 or 公共设施设备维护 is a term, not a sentence, and splitting it
// (人员费/用) makes it unreadable.
const shortTerm = 8

// longTerm is how many characters a name may have and still be kept whole: an account's
// or an organisation's name (阳光花园小区业主大会, 10 characters) made of letters and
// digits only, without punctuation, never breaks mid-word (阳光花园小区业/主大会).
const longTerm = 16

// isTerm reports whether t is kept on one line in a table cell: a short term, or a name
// of up to longTerm letters and digits.
func isTerm(t string) bool {
	n := len([]rune(t))
	if n <= shortTerm {
		return true
	}
	if n > longTerm {
		return false
	}
	for _, r := range t {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			return false
		}
	}
	return true
}

// unbreakable is the width (mm) s needs without breaking a term or a word: the whole
// cell when it is short, else its widest word (an amount, a hash, a Latin word).
func unbreakable(pdf *gofpdf.Fpdf, s string) float64 {
	if isTerm(s) {
		return pdf.GetStringWidth(s)
	}
	w := 0.0
	for _, t := range tokens(s) {
		w = max(w, pdf.GetStringWidth(t))
	}
	for _, t := range strings.Fields(s) { // short terms between spaces stay whole
		if isTerm(t) {
			w = max(w, pdf.GetStringWidth(t))
		}
	}
	return w
}

// wrapCell wraps a table cell. A cell made of short terms separated by spaces
// ("物业服务资金 人员费用") breaks only between the terms when each fits the column, so no
// term is split (人员费/用); anything else wraps as Wrap does.
func wrapCell(pdf *gofpdf.Fpdf, s string, w float64) []string {
	if pdf.GetStringWidth(s) <= w || strings.Contains(s, "\n") {
		return Wrap(pdf, s, w)
	}
	terms := strings.Fields(s)
	if len(terms) < 2 {
		return Wrap(pdf, s, w)
	}
	var lines []string
	cur := ""
	for _, t := range terms {
		if !isTerm(t) || pdf.GetStringWidth(t) > w {
			return Wrap(pdf, s, w)
		}
		switch {
		case cur == "":
			cur = t
		case pdf.GetStringWidth(cur+" "+t) <= w:
			cur += " " + t
		default:
			lines = append(lines, cur)
			cur = t
		}
	}
	return append(lines, cur)
}

// clip shortens s with "…" to fit w mm in the current font.
func clip(pdf *gofpdf.Fpdf, s string, w float64) string {
	if pdf.GetStringWidth(s) <= w {
		return s
	}
	rs := []rune(s)
	for len(rs) > 0 && pdf.GetStringWidth(string(rs)+"…") > w {
		rs = rs[:len(rs)-1]
	}
	return string(rs) + "…"
}

// Wrap breaks s into lines no wider than w mm in pdf's current font. Any CJK character
// may end a line; runs of Latin letters, digits and ASCII punctuation (words, amounts,
// hashes) break only at spaces unless a run alone is wider than the line, in which case
// it is cut where it must be. Closing punctuation (，。）…) never starts a line: one mark
// hangs past the margin instead, and a second one takes the character before them to the
// next line. Spaces at a break are dropped; nothing else is, so the
// lines hold every non-space character of s in order. "\n" forces a break.
func Wrap(pdf *gofpdf.Fpdf, s string, w float64) []string {
	var out []string
	for _, para := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n") {
		out = append(out, wrapLine(pdf.GetStringWidth, para, w)...)
	}
	return out
}

// wrapLine wraps one paragraph without newlines; width measures a string in mm.
func wrapLine(width func(string) float64, s string, w float64) []string {
	// Bytes that are not UTF-8 (a damaged import) print as U+FFFD, each one kept.
	toks := tokens(strings.ToValidUTF8(s, "\uFFFD"))
	if len(toks) == 0 {
		return []string{""}
	}
	var lines []string
	var cur []string
	curW := 0.0
	flush := func() {
		// An opening bracket or quote does not end a line: carry it to the next one.
		var carry []string
		for len(cur) > 1 && isOpening(cur[len(cur)-1]) {
			carry = append([]string{cur[len(cur)-1]}, carry...)
			cur = cur[:len(cur)-1]
		}
		for len(cur) > 0 && cur[len(cur)-1] == " " {
			cur = cur[:len(cur)-1]
		}
		lines = append(lines, strings.Join(cur, ""))
		cur, curW = carry, 0
		for _, t := range carry {
			curW += width(t)
		}
	}
	for _, t := range toks {
		tw := width(t)
		switch {
		case curW+tw <= w:
			if t == " " && len(cur) == 0 {
				continue // no space at the start of a line
			}
			cur = append(cur, t)
			curW += tw
		case t == " ":
			flush()
		case isClosing(t) && len(cur) > 0 && curW <= w:
			cur = append(cur, t) // hanging punctuation
			curW += tw
		case isClosing(t) && len(cur) > 0:
			// A second closing mark would hang too far ("户），"): the marks and the
			// character before them start the next line instead.
			k := len(cur)
			for k > 0 && isClosing(cur[k-1]) {
				k--
			}
			if k > 1 && cur[k-1] != " " {
				k--
			}
			if k == 0 {
				cur = append(cur, t)
				curW += tw
				break
			}
			moved := append([]string(nil), cur[k:]...)
			cur = cur[:k]
			flush()
			for _, m := range append(moved, t) {
				cur = append(cur, m)
				curW += width(m)
			}
		case tw > w:
			// A run wider than a whole line: cut it rune by rune.
			for _, c := range t {
				cw := width(string(c))
				if curW+cw > w && len(cur) > 0 {
					flush()
				}
				cur = append(cur, string(c))
				curW += cw
			}
		default:
			flush()
			cur = append(cur, t)
			curW += tw
		}
	}
	if len(cur) > 0 || len(lines) == 0 {
		flush()
	}
	if len(cur) > 0 { // opening marks that end the text stay on its last line
		lines[len(lines)-1] += strings.Join(cur, "")
	}
	return lines
}

// tokens splits s into unbreakable pieces: runs of word characters, single spaces and
// single other characters (each CJK character is its own piece).
func tokens(s string) []string {
	var out []string
	var word strings.Builder
	end := func() {
		if word.Len() > 0 {
			out = append(out, word.String())
			word.Reset()
		}
	}
	for _, c := range s {
		switch {
		case c == ' ' || c == '\t':
			end()
			out = append(out, " ")
		case isWordRune(c):
			word.WriteRune(c)
		default:
			end()
			out = append(out, string(c))
		}
	}
	end()
	return out
}

func isWordRune(c rune) bool {
	if c < 0x80 {
		return unicode.IsPrint(c) && c != ' '
	}
	return unicode.In(c, unicode.Latin, unicode.Greek, unicode.Cyrillic) || c == '¥' || c == '²' || c == '·'
}

func isClosing(t string) bool {
	return len([]rune(t)) == 1 && strings.Contains("，。、；：？！）》」』】〕’”…—%,.;:?!)]}", t)
}

func isOpening(t string) bool {
	return len([]rune(t)) == 1 && strings.Contains("（《「『【〔‘“([{", t)
}
