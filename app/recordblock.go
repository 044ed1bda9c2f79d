package app

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
)

// The record log's block format: each write transaction's changed records, hashed and
// chained like journal entries, so that verify can tell a record edited outside
// Sunledger (docs/record-log.md).

// RecordWrite is one record a write transaction changed: its key, the SHA-256 of the
// value it stored (or Deleted when the transaction removed it) and the SHA-256 of the
// value it replaced (HasOld false: the key held nothing before).
type RecordWrite struct {
	Key     string
	SHA     [32]byte
	Deleted bool
	Old     [32]byte
	HasOld  bool
}

// RecordHashes is what one put or del line says of its record, as ScanRecordBlock hands
// it over: RecordWrite without the key.
type RecordHashes struct {
	SHA     [32]byte // the value written; zero for a deletion
	Deleted bool
	Old     [32]byte // the value replaced; zero when HasOld is false
	HasOld  bool
}

// RecordBlock is one link of the record log: the records one write transaction
// changed (Writes, in key order), chained to the block before it like journal entries.
// A baseline block lists the records of a book made before the log existed. V1 marks a
// block of the first format, whose lines do not name the value each write replaced
// (books written before 2026-12-07); a new block is never V1.
type RecordBlock struct {
	Seq      int64
	Baseline bool
	V1       bool
	Writes   []RecordWrite
	Prev     string
	Hash     string
}

// CanonicalRecordBlock is the exact text a record block's hash covers, line-based so
// that anyone can recompute it:
//
//	sunledger-records-v2
//	seq 12
//	kind write                         ("baseline" for a baseline block)
//	put <hex sha-256 of the value> <hex sha-256 of the value replaced, or -> "fee/pay/R00000012"   (Go-quoted key)
//	del <hex sha-256 of the value deleted, or -> "fee/bill/2026-01/1-1-101"
//	prev <hex hash of the previous block, empty for the first>
//
// each line ending in "\n", the put/del lines in key order. Hash = lowercase hex
// SHA-256 of these bytes. The stored block is this text followed by "hash <hex>\n".
// A V1 block reads "sunledger-records-v1" and its lines have no replaced value:
// "put <sha> "key"", "del "key"". Naming the value replaced lets verify add the log up
// without replaying it key by key (docs/record-log.md, "The running digest").
func CanonicalRecordBlock(b RecordBlock) []byte {
	out := make([]byte, 0, 64+len(b.Writes)*165)
	if b.V1 {
		out = append(out, "sunledger-records-v1\nseq "...)
	} else {
		out = append(out, "sunledger-records-v2\nseq "...)
	}
	out = strconv.AppendInt(out, b.Seq, 10)
	if b.Baseline {
		out = append(out, "\nkind baseline"...)
	} else {
		out = append(out, "\nkind write"...)
	}
	for _, w := range b.Writes {
		if w.Deleted {
			out = append(out, "\ndel "...)
		} else {
			out = append(out, "\nput "...)
			out = hex.AppendEncode(out, w.SHA[:])
			out = append(out, ' ')
		}
		if !b.V1 {
			if w.HasOld {
				out = hex.AppendEncode(out, w.Old[:])
			} else {
				out = append(out, '-')
			}
			out = append(out, ' ')
		}
		out = strconv.AppendQuote(out, w.Key)
	}
	out = append(out, "\nprev "...)
	out = append(out, b.Prev...)
	out = append(out, '\n')
	return out
}

// SealRecordBlock sets b's hash and returns the bytes to store: the canonical text
// followed by its hash line.
func SealRecordBlock(b RecordBlock) (RecordBlock, []byte) {
	c := CanonicalRecordBlock(b)
	sum := sha256.Sum256(c)
	b.Hash = hex.EncodeToString(sum[:])
	c = append(c, "hash "...)
	c = append(c, b.Hash...)
	return b, append(c, '\n')
}

// ParseRecordBlock reads a stored block. It returns the block as stored (Hash is the
// hash its last line claims) and the hash its content actually has; a block that was
// altered has the two differ. An error means the text is not a record block at all.
func ParseRecordBlock(v []byte) (RecordBlock, string, error) {
	var ws []RecordWrite
	b, actual, err := ScanRecordBlock(v, func(key []byte, h *RecordHashes) error {
		ws = append(ws, RecordWrite{Key: string(key), SHA: h.SHA, Deleted: h.Deleted, Old: h.Old, HasOld: h.HasOld})
		return nil
	})
	b.Writes = ws
	return b, actual, err
}

// ScanRecordBlock is ParseRecordBlock without building the list of writes: it calls
// fn for each write in order (key and h are only valid during the call), for a
// verify that replays a quarter of a million blocks. The returned block has no Writes.
func ScanRecordBlock(v []byte, fn func(key []byte, h *RecordHashes) error) (RecordBlock, string, error) {
	var b RecordBlock
	i := bytes.LastIndex(v, []byte("\nhash "))
	if i < 0 || v[len(v)-1] != '\n' {
		return b, "", badRecordBlock("no hash line")
	}
	i++
	sum := sha256.Sum256(v[:i])
	actual := hex.EncodeToString(sum[:])
	b.Hash = string(v[i+5 : len(v)-1])
	rest, what := scanRecordHeader(v[:i], &b)
	if what != "" {
		return b, "", badRecordBlock(what)
	}
	var h RecordHashes
	for {
		l, r, ok := nextLine(rest)
		if !ok {
			return b, "", badRecordBlock("prev")
		}
		rest = r
		if prev, ok := bytes.CutPrefix(l, []byte("prev ")); ok {
			if len(rest) != 0 {
				return b, "", badRecordBlock("prev")
			}
			b.Prev = string(prev)
			return b, actual, nil
		}
		key, what := scanRecordWrite(l, b.V1, &h)
		if what != "" {
			return b, "", badRecordBlock(what)
		}
		if err := fn(key, &h); err != nil {
			return b, actual, err
		}
	}
}

// badRecordBlock is the refusal of a block that cannot be read; what names the part.
func badRecordBlock(what string) error {
	return Errorf(EINVALID, "记录块无法读取（%s）", "the record block cannot be read (%s)", what)
}

// nextLine splits the first line (without its "\n") off text; false, with text left
// as it is, when no complete line is left.
func nextLine(text []byte) (line, rest []byte, ok bool) {
	j := bytes.IndexByte(text, '\n')
	if j < 0 {
		return nil, text, false
	}
	return text[:j], text[j+1:], true
}

// scanRecordHeader reads a block's first three lines (the format line, seq, kind) into
// b and returns the text after them, or the name of the first part that is wrong.
func scanRecordHeader(text []byte, b *RecordBlock) (rest []byte, what string) {
	l, rest, ok := nextLine(text)
	switch {
	case ok && string(l) == "sunledger-records-v2":
	case ok && string(l) == "sunledger-records-v1":
		b.V1 = true
	default:
		return rest, "header"
	}
	l, rest, _ = nextLine(rest)
	seq, ok := bytes.CutPrefix(l, []byte("seq "))
	n, err := strconv.ParseInt(string(seq), 10, 64)
	if !ok || err != nil {
		return rest, "seq"
	}
	b.Seq = n
	l, rest, _ = nextLine(rest)
	switch string(l) {
	case "kind write":
	case "kind baseline":
		b.Baseline = true
	default:
		return rest, "kind"
	}
	return rest, ""
}

// scanRecordWrite reads one put or del line of a block (v1: without the replaced
// value) into h, returning the key (in place in the line when it has no escapes); or
// the name of what is wrong with the line.
func scanRecordWrite(l []byte, v1 bool, h *RecordHashes) (key []byte, what string) {
	*h = RecordHashes{}
	var q []byte
	if r, ok := bytes.CutPrefix(l, []byte("del ")); ok {
		h.Deleted, q = true, r
	} else if r, ok := bytes.CutPrefix(l, []byte("put ")); ok && len(r) > 65 && r[64] == ' ' {
		if !decodeHash(&h.SHA, r[:64]) {
			return nil, "sha"
		}
		q = r[65:]
	} else {
		return nil, "line"
	}
	if !v1 {
		switch {
		case len(q) > 2 && q[0] == '-' && q[1] == ' ':
			q = q[2:]
		case len(q) > 65 && q[64] == ' ':
			if !decodeHash(&h.Old, q[:64]) {
				return nil, "old"
			}
			h.HasOld, q = true, q[65:]
		default:
			return nil, "old"
		}
	}
	// A quoted key without escapes is its own content between the quotes.
	if len(q) >= 2 && q[0] == '"' && q[len(q)-1] == '"' && bytes.IndexByte(q, '\\') < 0 && bytes.IndexByte(q[1:len(q)-1], '"') < 0 {
		return q[1 : len(q)-1], ""
	}
	k, err := strconv.Unquote(string(q))
	if err != nil {
		return nil, "key"
	}
	return []byte(k), ""
}
