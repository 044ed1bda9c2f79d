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

// RecordWrite is one record a write transaction changed: its key and the SHA-256 of
// the value it stored, or Deleted when the transaction removed it.
type RecordWrite struct {
	Key     string
	SHA     [32]byte
	Deleted bool
}

// RecordBlock is one link of the record log: the records one write transaction
// changed (Writes, in key order), chained to the block before it like journal entries.
// A baseline block lists the records of a book made before the log existed.
type RecordBlock struct {
	Seq      int64
	Baseline bool
	Writes   []RecordWrite
	Prev     string
	Hash     string
}

// CanonicalRecordBlock is the exact text a record block's hash covers, line-based so
// that anyone can recompute it:
//
//	sunledger-records-v1
//	seq 12
//	kind write                         ("baseline" for a baseline block)
//	put <hex sha-256 of the value> "fee/pay/R00000012"     (Go-quoted key)
//	del "fee/bill/2026-01/1-1-101"
//	prev <hex hash of the previous block, empty for the first>
//
// each line ending in "\n", the put/del lines in key order. Hash = lowercase hex
// SHA-256 of these bytes. The stored block is this text followed by "hash <hex>\n".
func CanonicalRecordBlock(b RecordBlock) []byte {
	out := make([]byte, 0, 64+len(b.Writes)*100)
	out = append(out, "sunledger-records-v1\nseq "...)
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
	b, actual, err := ScanRecordBlock(v, func(key []byte, sha *[32]byte, deleted bool) error {
		ws = append(ws, RecordWrite{Key: string(key), SHA: *sha, Deleted: deleted})
		return nil
	})
	b.Writes = ws
	return b, actual, err
}

// ScanRecordBlock is ParseRecordBlock without building the list of writes: it calls
// fn for each write in order (key and sha are only valid during the call), for a
// verify that replays a quarter of a million blocks. The returned block has no Writes.
func ScanRecordBlock(v []byte, fn func(key []byte, sha *[32]byte, deleted bool) error) (RecordBlock, string, error) {
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
	var sha [32]byte
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
		key, deleted, what := scanRecordWrite(l, &sha)
		if what != "" {
			return b, "", badRecordBlock(what)
		}
		if err := fn(key, &sha, deleted); err != nil {
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
	if !ok || string(l) != "sunledger-records-v1" {
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

// scanRecordWrite reads one put or del line: the key (in place in the line when it has
// no escapes) and whether it is a deletion, with the value's SHA-256 decoded into sha
// (zeroed for a deletion); or the name of what is wrong with the line.
func scanRecordWrite(l []byte, sha *[32]byte) (key []byte, deleted bool, what string) {
	var q []byte
	if r, ok := bytes.CutPrefix(l, []byte("del ")); ok {
		deleted, q = true, r
		*sha = [32]byte{}
	} else if r, ok := bytes.CutPrefix(l, []byte("put ")); ok && len(r) > 65 && r[64] == ' ' {
		if _, err := hex.Decode(sha[:], r[:64]); err != nil {
			return nil, false, "sha"
		}
		q = r[65:]
	} else {
		return nil, false, "line"
	}
	// A quoted key without escapes is its own content between the quotes.
	if len(q) >= 2 && q[0] == '"' && q[len(q)-1] == '"' && bytes.IndexByte(q, '\\') < 0 && bytes.IndexByte(q[1:len(q)-1], '"') < 0 {
		return q[1 : len(q)-1], deleted, ""
	}
	k, err := strconv.Unquote(string(q))
	if err != nil {
		return nil, false, "key"
	}
	return []byte(k), deleted, ""
}
